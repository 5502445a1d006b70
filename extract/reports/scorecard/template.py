"""What the global UNCT-SWAP Gender Equality Scorecard template fixes for every report.

The 2018 UNCT-SWAP framework has 7 dimensions and 15 performance indicators;
every country team reports against the same codes, names, rating scale and
section layout.  This is template knowledge, not text of any one report: the
parser uses it to recognise headings and labels that reports print with small
variations ("M & E" / "M&E", "Programs" / "Programmes"), and the dbt seed
``performance_indicators.csv`` carries the same rows into the warehouse (a
test keeps the two identical).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    number: int
    name: str
    # Other names reports give the dimension (section titles, action-plan rows, evidence tables).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PerformanceIndicator:
    code: str
    name: str
    statement: str
    # The short label of the indicator's row in the action plan, and other printed variants.
    aliases: tuple[str, ...] = ()

    @property
    def dimension_no(self) -> int:
        return int(self.code.split(".")[0])


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(1, "Planning"),
    Dimension(2, "Programming and M&E", ("Programming and Monitoring and Evaluation",)),
    Dimension(3, "Partnerships"),
    Dimension(4, "Leadership and Organizational Culture", ("Leadership and Organisational Culture",)),
    Dimension(5, "Gender Architecture and Capacities", ("Gender Coordination and Capacities",)),
    Dimension(6, "Financial Resources", ("Resources",)),
    Dimension(7, "Results"),
)

INDICATORS: tuple[PerformanceIndicator, ...] = (
    PerformanceIndicator("1.1", "Common Country Analysis", "Common Country Analysis integrates gender analysis"),
    PerformanceIndicator(
        "1.2", "Cooperation Framework Outcomes", "Gender equality mainstreamed in Cooperation Framework outcomes"
    ),
    PerformanceIndicator(
        "1.3",
        "Cooperation Framework Indicators",
        "Cooperation Framework indicators measure changes on gender equality",
    ),
    PerformanceIndicator(
        "2.1", "Joint Programmes", "Joint programmes contribute to reducing gender inequalities", ("Joint Programs",)
    ),
    PerformanceIndicator(
        "2.2",
        "Communication & Advocacy",
        "Communication and advocacy address areas of gender inequality",
    ),
    PerformanceIndicator(
        "2.3",
        "Cooperation Framework M&E",
        "Cooperation Framework monitoring and evaluation measures progress against planned gender equality results",
    ),
    PerformanceIndicator(
        "3.1",
        "Engagement with Government",
        "UNCT collaborates and engages with government on gender equality and empowerment of women",
        ("Government Engagement",),
    ),
    PerformanceIndicator(
        "3.2",
        "Engagement with GEWE CSO",
        "UNCT collaborates and engages with women's/gender equality civil society organizations",
        ("GEWE CSO Engagement",),
    ),
    PerformanceIndicator(
        "4.1",
        "Leadership for Gender Equality",
        "UNCT leadership is committed to championing gender equality",
        ("Leadership",),
    ),
    PerformanceIndicator(
        "4.2",
        "Organizational Culture",
        "Organizational culture fully supports promotion of gender equality and empowerment of women",
    ),
    PerformanceIndicator("4.3", "Gender Parity", "Gender parity in staffing is achieved"),
    PerformanceIndicator(
        "5.1",
        "Gender Coordination Mechanism",
        "Gender coordination mechanism is empowered to influence the UNCT for gender equality and empowerment of women",
    ),
    PerformanceIndicator(
        "5.2",
        "Gender Mainstreaming Capacities",
        "UNCT has adequate capacities developed for gender mainstreaming",
        ("Gender Capacities",),
    ),
    PerformanceIndicator(
        "6.1",
        "Resource Allocation & Tracking",
        "Adequate resources for gender mainstreaming are allocated and tracked",
        ("Financial Resources",),
    ),
    PerformanceIndicator(
        "7.1", "GEWE Results", "UN programmes make a significant contribution to gender equality in the country"
    ),
)

INDICATOR_BY_CODE: dict[str, PerformanceIndicator] = {pi.code: pi for pi in INDICATORS}
DIMENSION_BY_NO: dict[int, Dimension] = {d.number: d for d in DIMENSIONS}

# The four-point scale, lowest first (the warehouse scores them 0-3 in this order), with the
# word forms reports print for each ("APPROACHING", "MEET").
RATING_FORMS: dict[str, tuple[str, ...]] = {
    "Missing": ("missing",),
    "Approaches": ("approaches", "approaching", "approach"),
    "Meets": ("meets", "meeting", "meet"),
    "Exceeds": ("exceeds", "exceeding", "exceed"),
}
RATINGS: tuple[str, ...] = tuple(RATING_FORMS)

# An indicator code: dimension 1-7, indicator 1-3 within it.  Every pattern that reads a code builds on this.
PI_CODE_TEXT = r"([1-7])\.([1-3])"
# A PI code anywhere in a label: "PI 1.1", "PI1.1:", "Indicator 2.3", "1.2 Cooperation ...".
PI_CODE = re.compile(rf"(?<![\d.]){PI_CODE_TEXT}(?![\d.]*\d)")

_RATING_WORDS = {form: rating for rating, forms in RATING_FORMS.items() for form in forms}
_RATING_WORD = "|".join(sorted(_RATING_WORDS, key=len, reverse=True))
# The rating phrase as the template prints it, alone or at the end of a heading:
# "APPROACHES MINIMUM REQUIREMENTS", "MISSING REQUIREMENTS", or the overview table's "MEETS".
RATING_PHRASE = re.compile(rf"\b({_RATING_WORD})\s+(?:MINIMUM\s+)?REQUIREMENTS\b", re.IGNORECASE)
_RATING_WORD_ONLY = re.compile(rf"^\s*({_RATING_WORD})\s*$", re.IGNORECASE)


def rating_from_phrase(text: str) -> str | None:
    """The rating a rating phrase states ("MEETS MINIMUM REQUIREMENTS", "APPROACHING"), else None."""
    match = RATING_PHRASE.search(text) or _RATING_WORD_ONLY.match(text)
    return _RATING_WORDS[match.group(1).lower()] if match else None


def find_pi_code(text: str) -> str | None:
    match = PI_CODE.search(text)
    return f"{match.group(1)}.{match.group(2)}" if match else None


_STOPWORDS = {"and", "with", "for", "of", "the", "in", "on", "to"}


def label_words(text: str) -> list[str]:
    """Significant words of a label, spelled one way ("M & E" = "M&E", "Programs" = "Programmes")."""
    text = text.lower().replace("&", " and ").replace("m and e", "mande")
    words = re.findall(r"[a-z]+", text)
    spelled = {"programs": "programmes", "program": "programme", "organisational": "organizational"}
    return [spelled.get(w, w) for w in words if w not in _STOPWORDS]


def indicator_labels(code: str) -> list[set[str]]:
    """The word sets of every name the template gives indicator ``code``."""
    pi = INDICATOR_BY_CODE[code]
    return [set(label_words(label)) for label in (pi.name, *pi.aliases)]


def dimension_for_label(text: str) -> Dimension | None:
    """The dimension a label names, e.g. "Programming and M&E" or "Gender architecture and capacities"."""
    words = label_words(text)
    if not words:
        return None
    for dimension in DIMENSIONS:
        for name in (dimension.name, *dimension.aliases):
            if words == label_words(name):
                return dimension
    return None
