"""What a scorecard framework edition fixes for every report: dimensions, indicators, rating scale.

Each edition (2008 UNCT Gender Scorecard, 2018 and 2023 UNCT-SWAP) is one data file in `frameworks/`; every
country team reports against the same codes, names and scale.  This is template knowledge, not text of any
one report: the parser reads headings and labels through it ("M & E" / "M&E", "Programs" / "Programmes"),
and `python -m extract.reports.scorecard.seeds` writes the dbt seeds from the same files (a test keeps them
identical).  Which edition a report follows is decided from the report (`detect_edition`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

FRAMEWORKS = Path(__file__).parent / "frameworks"


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


@dataclass(frozen=True)
class Rating:
    """One point of an edition's scale: its name, its score on that scale, and its point on the common scale."""

    name: str
    score: int
    # The UNCT-SWAP four-point rating it corresponds to; None for a point that is no rating ("not applicable").
    common: str | None
    forms: tuple[str, ...]


# The common scale every edition maps onto, lowest first (the warehouse scores it 0-3 in this order).
COMMON_RATINGS: tuple[str, ...] = ("Missing", "Approaches", "Meets", "Exceeds")

# An indicator code: a dimension number and an indicator number ("2.3") or letter ("1.a", 2008 edition).
# Codes an edition does not define are read too, so that they are kept and flagged, never dropped.
PI_CODE_TEXT = r"([1-9])\.([1-9]|[a-h](?![a-z]))"
# A PI code anywhere in a label: "PI 1.1", "PI1.1:", "Indicator 2.3", "1.2 Cooperation ...".
PI_CODE = re.compile(rf"(?<![\d.]){PI_CODE_TEXT}(?![\d.]*\d)")


@dataclass(frozen=True)
class Edition:
    key: str
    name: str
    # Reports of the edition name it on the cover this way; `markers` are phrases only its reports print.
    title: re.Pattern[str]
    markers: tuple[re.Pattern[str], ...]
    first_assessment_year: int | None
    last_assessment_year: int | None
    rating_phrase_tail: str
    ratings: tuple[Rating, ...]
    dimensions: tuple[Dimension, ...]
    indicators: tuple[PerformanceIndicator, ...]
    # False when the project does not hold the edition's full indicator list (see its data file).
    indicators_complete: bool
    scores_printed: bool = False
    # Indicators of earlier editions that are the same as one of this edition's: (edition, code, this code).
    crosswalk: tuple[tuple[str, str, str], ...] = ()
    _by_code: dict[str, PerformanceIndicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {pi.code: pi for pi in self.indicators})

    @cached_property
    def _rating_by_form(self) -> dict[str, Rating]:
        return {form: rating for rating in self.ratings for form in rating.forms}

    @cached_property
    def rating_phrase(self) -> re.Pattern[str]:
        """The rating as the template prints it in a heading or cell: "APPROACHES MINIMUM REQUIREMENTS"."""
        forms = "|".join(re.escape(form) for form in sorted(self._rating_by_form, key=len, reverse=True))
        return re.compile(rf"\b({forms})\s+{self.rating_phrase_tail}\b", re.IGNORECASE)

    @cached_property
    def _rating_alone(self) -> re.Pattern[str]:
        # A cell that holds only a rating word ("MEETS"), after the score where the edition prints one ("4 =").
        forms = "|".join(re.escape(form) for form in sorted(self._rating_by_form, key=len, reverse=True))
        score = r"(?:[0-9]\s*[=:–-]?\s*)?" if self.scores_printed else ""
        return re.compile(rf"^\s*{score}({forms})\s*\.?\s*$", re.IGNORECASE)

    def rating_from_phrase(self, text: str) -> str | None:
        """The rating (this edition's name for it) a rating phrase or cell states, else None."""
        match = self.rating_phrase.search(text) or self._rating_alone.match(text)
        if match:
            return self._rating_by_form[match.group(1).lower()].name
        if self.scores_printed and (score := re.fullmatch(r"\s*([0-9])\s*\.?\s*", text)):
            return next((r.name for r in self.ratings if r.score == int(score.group(1))), None)
        return None

    def indicator(self, code: str) -> PerformanceIndicator | None:
        return self._by_code.get(code)

    def indicator_labels(self, code: str) -> list[set[str]]:
        """The word sets of every name the edition gives indicator ``code`` (none for a code it does not define)."""
        pi = self.indicator(code)
        return [set(label_words(label)) for label in (pi.name, *pi.aliases)] if pi else []

    def dimension_for_label(self, text: str) -> Dimension | None:
        """The dimension a label names, e.g. "Programming and M&E" or "Gender architecture and capacities"."""
        words = label_words(text)
        if not words:
            return None
        for dimension in self.dimensions:
            for name in (dimension.name, *dimension.aliases):
                if words == label_words(name):
                    return dimension
        return None


def _load(path: Path) -> Edition:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Edition(
        key=data["edition"],
        name=data["name"],
        title=re.compile(data["title"], re.IGNORECASE),
        markers=tuple(re.compile(marker, re.IGNORECASE) for marker in data.get("markers", ())),
        first_assessment_year=data.get("first_assessment_year"),
        last_assessment_year=data.get("last_assessment_year"),
        rating_phrase_tail=data["rating_phrase_tail"],
        ratings=tuple(
            Rating(r["name"], r["score"], r.get("common"), tuple(form.lower() for form in r["forms"]))
            for r in data["ratings"]
        ),
        dimensions=tuple(
            Dimension(d["number"], d["name"], tuple(d.get("aliases", ()))) for d in data.get("dimensions", ())
        ),
        indicators=tuple(
            PerformanceIndicator(i["code"], i["name"], i["statement"], tuple(i.get("aliases", ())))
            for i in data.get("indicators", ())
        ),
        indicators_complete=data["indicators_complete"],
        scores_printed=data.get("scores_printed", False),
        crosswalk=tuple((row["from_edition"], row["from_code"], row["to_code"]) for row in data.get("crosswalk", ())),
    )


# In the order detection prefers them when a report gives no other evidence.
EDITIONS: dict[str, Edition] = {
    edition.key: edition
    for edition in (
        _load(FRAMEWORKS / f"{key}.toml") for key in ("unct_swap_2018", "unct_swap_2023", "gender_scorecard_2008")
    )
}
DEFAULT_EDITION = EDITIONS["unct_swap_2018"]

# The default edition's lists, for the fixture generator and tests that build 2018-edition reports.
DIMENSIONS = DEFAULT_EDITION.dimensions
INDICATORS = DEFAULT_EDITION.indicators
RATINGS: tuple[str, ...] = tuple(rating.name for rating in DEFAULT_EDITION.ratings)
DIMENSION_BY_NO: dict[int, Dimension] = {d.number: d for d in DIMENSIONS}


@dataclass(frozen=True)
class DetectedEdition:
    edition: Edition
    # What decided it: 'stated' (a phrase only that edition prints), 'assessment_year', or 'default'.
    basis: str


def detect_edition(cover: str, text: str, assessment_year: int | None, cells: Sequence[str] = ()) -> DetectedEdition:
    """The framework edition a report follows, from its own words, else its assessment year.

    ``cover`` is the title page's text, ``text`` the report's, ``cells`` its table cells.  Candidates are the
    editions whose title the cover prints, narrowed by the rating scale the report uses: the edition whose
    rating words most cells and phrases are ("APPROACHES" and "… minimum requirements" are the UNCT-SWAP's,
    "needs improvement" and "… minimum standards" the 2008 scorecard's); the scale wins over a title both
    families used ("UNCT Gender Equality Scorecard").  Among them the one whose markers the text prints most
    often wins ('stated'), else the one whose years hold the assessment year ('assessment_year'), else the
    first ('default').
    """
    editions = list(EDITIONS.values())
    candidates = [edition for edition in editions if edition.title.search(cover)] or editions
    scale_uses = {
        edition.key: len(edition.rating_phrase.findall(text))
        + sum(1 for cell in cells if edition.rating_from_phrase(cell))
        for edition in editions
    }
    most_used = max(scale_uses.values())
    if most_used:
        by_scale = [edition for edition in editions if scale_uses[edition.key] == most_used]
        candidates = [edition for edition in candidates if edition in by_scale] or by_scale
    hits = {edition.key: sum(len(marker.findall(text)) for marker in edition.markers) for edition in candidates}
    stated = max(candidates, key=lambda edition: hits[edition.key])
    if hits[stated.key]:
        return DetectedEdition(stated, "stated")
    if assessment_year is not None:
        fitting = [edition for edition in candidates if _assessed_under(edition, assessment_year)]
        if fitting:
            return DetectedEdition(fitting[0], "assessment_year")
    return DetectedEdition(candidates[0], "default")


def _assessed_under(edition: Edition, year: int) -> bool:
    after_start = edition.first_assessment_year is None or year >= edition.first_assessment_year
    before_end = edition.last_assessment_year is None or year <= edition.last_assessment_year
    return after_start and before_end


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
