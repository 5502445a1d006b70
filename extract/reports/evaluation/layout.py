"""How a country portfolio / programme evaluation is laid out, as data: one `EvaluationLayout` per template.

UN Women Country Portfolio Evaluations and UNDP Independent Country Programme
Evaluations share this layout: a title naming the kind of evaluation,
numbered findings, conclusions, lessons and recommendations under section
headings, recommendation attributes as labels, and a portfolio table.  The
parser reads every heading, label and column header through a layout (in the
way pdfplumber's `TableSettings` describes a strategy as data).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extract.text.cover import Cover


def _numbered_marker(word: str) -> re.Pattern[str]:
    """ "Finding 3: ...", "RECOMMENDATION 2. ...": the item's word, its number, a separator, the rest."""
    return re.compile(
        rf"^(?:{word.upper()}|{word.capitalize()})\s+(?P<no>\d{{1,2}})(?![\d.]\d)\s*(?P<sep>[:.–-])?\s*(?P<rest>.*)$"
    )


def _markers() -> dict[str, re.Pattern[str]]:
    return {name: _numbered_marker(name) for name in ("finding", "recommendation", "conclusion", "lesson")}


def _section_keywords() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return (
        ("findings", re.compile(r"\bFINDINGS?\b", re.IGNORECASE)),
        ("lessons", re.compile(r"\bLESSONS?\b", re.IGNORECASE)),
        ("conclusions", re.compile(r"\bCONCLUSIONS?\b", re.IGNORECASE)),
        ("recommendations", re.compile(r"\bRECOMMENDATIONS?\b", re.IGNORECASE)),
        ("annexes", re.compile(r"\bANNEX(?:ES)?\b", re.IGNORECASE)),
    )


def _portfolio_columns() -> tuple[tuple[str, Callable[[str], bool]], ...]:
    return (
        ("name", lambda h: bool(re.search(r"project|programme|program|intervention|initiative|title", h))),
        ("duration", lambda h: bool(re.search(r"duration|period|years?|time\s*frame|dates?", h))),
        ("budget", lambda h: bool(re.search(r"budget|amount|funding|value|us\$|usd", h))),
        ("donor", lambda h: bool(re.search(r"donor|funded by|funding source|funder|partner", h))),
    )


_ATTRIBUTE_LABELS = (
    r"Priority\s*&\s*Impact|Priority|Impact|Time[\s-]?frame|Difficulty|Actions? for consideration|Management response"
)


# The names a country-level evaluation goes by, in English (UK and US spelling), Spanish and French, with
# accents optional.  Each space stands for any run of spaces, line breaks or hyphens ("Country-Portfolio
# Evaluation", a title broken over two lines); case never matters.
_EVALUATION_TITLES = (
    r"independent country program(?:me)? evaluation",
    r"country (?:portfolio|program(?:me)?) evaluation",
    r"evaluaci[oó]n (?:independiente )?(?:de la cartera|del programa) (?:de )?pa[ií]s",
    r"[eé]valuation (?:ind[eé]pendante )?(?:du portefeuille|d[eu] programme) (?:de |du )?pays",
)
# What a decentralized evaluation's key/value cover names as its subject when its title does not name the
# kind of evaluation ("Evaluation of the UN Women Strategic Note 2018–2021 in Ghana").
_COUNTRY_SUBJECTS = (
    r"strategic note",
    r"country (?:portfolio|program(?:me)?)",
    r"nota estrat[eé]gica",
    r"note strat[eé]gique",
)
_WORD_BREAK = r"[\s\-‐‑]+"


def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{phrase.replace(' ', _WORD_BREAK)})" for phrase in phrases), re.IGNORECASE)


def _cover_fields() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Labels of a key/value cover, each at the start of a line or table row; the value follows it."""
    return (
        (
            "title",
            _phrases(
                (
                    r"title of (?:the )?evaluation",
                    r"evaluation title",
                    r"t[ií]tulo de la evaluaci[oó]n",
                    r"titre de l['’ ]?\s*[eé]valuation",
                )
            ),
        ),
        (
            "report_date",
            _phrases((r"date of (?:the )?(?:final )?report", r"report date", r"fecha del informe", r"date du rapport")),
        ),
        (
            "evaluators",
            _phrases(
                (
                    r"names? of (?:the )?evaluators?",
                    r"evaluators?",
                    r"evaluation team",
                    r"nombres? de (?:los |las )?evaluador(?:es|as|a)?",
                    r"noms? des [eé]valuat(?:eurs|rices)",
                )
            ),
        ),
        (
            "evaluation_manager",
            _phrases(
                (
                    r"names? of (?:the )?evaluation manager",
                    r"evaluation manager",
                    r"(?:nombre del )?gestor(?:a)? de (?:la )?evaluaci[oó]n",
                    r"(?:nom du )?gestionnaire de l['’ ]?\s*[eé]valuation",
                )
            ),
        ),
    )


_TITLE_BLOCK = Cover(lines=15)
_COVER = Cover(lines=60)


@dataclass(frozen=True)
class EvaluationLayout:
    # -- the title names the kind of evaluation (see _EVALUATION_TITLES); recogniser and parser both read it
    evaluation_title: re.Pattern[str] = field(default_factory=lambda: _phrases(_EVALUATION_TITLES))
    # Short words kept in lower case when the title's kind is written out ("Evaluación de la Cartera de País").
    title_particles: frozenset[str] = frozenset({"of", "and", "de", "del", "la", "du"})
    # An annual report that lists evaluations names one in its title block without being one.
    not_an_evaluation: re.Pattern[str] = re.compile(r"annual\s+report", re.IGNORECASE)
    # The title block: the cover's first lines and the rows of a table on it.
    title_block: Cover = _TITLE_BLOCK
    cover: Cover = _COVER
    # A decentralized evaluation's cover as label/value pairs; a label's value follows it on its line or row,
    # else on the lines up to the next label.
    cover_fields: tuple[tuple[str, re.Pattern[str]], ...] = field(default_factory=_cover_fields)
    # A key/value cover is an evaluation's when its title names the kind of evaluation, or this subject.
    country_subject: re.Pattern[str] = field(default_factory=lambda: _phrases(_COUNTRY_SUBJECTS))
    # The country is printed with the title: on the title's line after it, or on one of the next lines alone
    # (a line this long or shorter; a longer one is a sentence that may name any country).
    country_lines: int = 4
    country_line_chars: int = 40
    # The language of the headings and labels below: a report in another language has its cover read, not its body.
    body_language: str = "en"

    # -- a combined report ("Country Portfolio Evaluation and Audit") holds an audit as a part of its own: a
    # heading naming the audit opens it, one naming the evaluation opens the evaluation's part again.  Audit
    # observations and recommendations are not the evaluation's.
    audit_part: re.Pattern[str] = re.compile(
        r"^(?:PART\s+[IVX\d]+\s*[:.–-]?\s*)?(?:INTERNAL\s+)?AUDIT\b(?!\s+AND\s+(?:COUNTRY|EVALUATION))", re.IGNORECASE
    )
    evaluation_part: re.Pattern[str] = re.compile(
        r"^(?:PART\s+[IVX\d]+\s*[:.–-]?\s*)?(?:COUNTRY\s+(?:PORTFOLIO|PROGRAM(?:ME)?)\s+)?EVALUATION\b", re.IGNORECASE
    )
    part_heading_words: int = 12

    entities: tuple[str, ...] = (
        "UN Women",
        "UNDP",
        "UNFPA",
        "UNICEF",
        "WFP",
        "UNHCR",
        "UNESCO",
        "ILO",
        "FAO",
        "UNODC",
        "UNOPS",
    )
    programme_period: re.Pattern[str] = re.compile(
        r"(?:Strategic Note|country programme(?: document)?|Country Programme Document|\bCPD\b|programme cycle|\bSN)"
        r"\W{0,25}((?:19|20)\d\d)\s*[–—-]\s*((?:19|20)\d\d)",
        re.IGNORECASE,
    )

    # -- sections and the numbered items in them
    criteria: tuple[str, ...] = ("Relevance", "Coherence", "Effectiveness", "Efficiency", "Sustainability", "Impact")
    section_keywords: tuple[tuple[str, re.Pattern[str]], ...] = field(default_factory=_section_keywords)
    top_heading: re.Pattern[str] = re.compile(r"^(?:CHAPTER\s+)?\d{1,2}\.?\s+(?P<title>[A-Z][A-Z ,&’'\-]{2,90})$")
    sub_heading: re.Pattern[str] = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+(?P<title>[A-Z][^.]{1,100})$")
    markers: dict[str, re.Pattern[str]] = field(default_factory=_markers)
    bare_number: re.Pattern[str] = re.compile(r"^(?P<no>\d{1,2})\.?$")
    item_title: re.Pattern[str] = re.compile(
        r"^(?P<title>[^.]{3,120}?)\.[\d\u00b9\u00b2\u00b3\u2070-\u2079]*\s+(?P<rest>[A-Z‘“\"(].*)$"
    )
    caption: re.Pattern[str] = re.compile(r"^(?:Photo\s*(?:©|credit|:)|©|Source:|\(Source:)", re.IGNORECASE)

    # -- recommendation attributes, printed as labels before their values
    attribute_label: re.Pattern[str] = re.compile(
        rf"(?<![a-z])(?P<label>{_ATTRIBUTE_LABELS})"
        r"(?=\s*[:*]|\s*$|[A-Z0-9]|\s+(?:HIGH|MEDIUM|LOW|High|Medium|Low|IMMEDIATELY|Immediately|\d{4}))"
    )

    # -- the portfolio table: which header names which column
    portfolio_columns: tuple[tuple[str, Callable[[str], bool]], ...] = field(default_factory=_portfolio_columns)


# UN Women CPE and UNDP ICPE reports as published since 2016.
COUNTRY_EVALUATION = EvaluationLayout()
