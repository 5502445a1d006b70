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


_TITLE_BLOCK = Cover(lines=15)
_COVER = Cover(lines=60)


@dataclass(frozen=True)
class EvaluationLayout:
    # -- the title names the kind of evaluation; "Program" and "Programme" are both spelled
    evaluation_title: re.Pattern[str] = re.compile(
        r"(independent\s+country\s+program(?:me)?\s+evaluation|country\s+(?:portfolio|program(?:me)?)\s+evaluation)",
        re.IGNORECASE,
    )
    # An annual report that lists evaluations names one in its title block without being one.
    not_an_evaluation: re.Pattern[str] = re.compile(r"annual\s+report", re.IGNORECASE)
    # Recognition reads the title block; the parser looks for the title among the first paragraphs.
    title_block: Cover = _TITLE_BLOCK
    title_paragraphs: int = 40
    cover: Cover = _COVER

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
