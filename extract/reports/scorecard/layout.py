"""How a UNCT-SWAP scorecard report is laid out, as data: one `ScorecardLayout` per template edition.

The parser reads every heading, label and table header through a layout, the
way pdfplumber's `TableSettings` describes a table-finding strategy as data: a
new edition of the template is a new instance here, not new parser code.
Indicator codes and rating words come from `template` so they are written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.reports.scorecard.template import PI_CODE_TEXT
from extract.text.cover import Cover


def _sections() -> dict[str, re.Pattern[str]]:
    return {
        "process": re.compile(r"^\d{1,2}\.\s*(?:The\s+)?UNCT[\s-]*SWAP\b.*\bProcess\b", re.IGNORECASE),
        "overview": re.compile(r"^\d{1,2}\.\s*Overview of\b", re.IGNORECASE),
        "details": re.compile(r"^\d{1,2}\.\s*UNCT[\s-]*SWAP Detailed Findings\b", re.IGNORECASE),
        "action_plan": re.compile(r"^\d{1,2}\.\s*.*\bAction Plan\s*$", re.IGNORECASE),
        "evidence": re.compile(r"^\d{1,2}\.\s*Supporting Evidence\s*$", re.IGNORECASE),
    }


_RECOGNITION_COVER = Cover(lines=40)
_TITLE_PAGE = Cover(
    lines=15, ends_at_table=True, ends_before=re.compile(r"^(?:(?:Table of )?Contents\b|1\.\s)", re.IGNORECASE)
)


@dataclass(frozen=True)
class ScorecardLayout:
    # -- recognising the template: its name on the cover, its indicator statements in the body
    recognition_cover: Cover = _RECOGNITION_COVER
    template_name: re.Pattern[str] = re.compile(r"UNCT[\s-]*SWAP", re.IGNORECASE)
    report_kind: re.Pattern[str] = re.compile(r"scorecard", re.IGNORECASE)
    indicator_statement: re.Pattern[str] = re.compile(
        rf"^Performance Indicator\s*{PI_CODE_TEXT}(?!\d)\s*:?\s*(.*)$", re.IGNORECASE
    )

    # -- cover: title page up to the contents or the first numbered section
    cover: Cover = _TITLE_PAGE
    title_line: re.Pattern[str] = re.compile(r"SCORECARD|ASSESSMENT|REPORT|Country Team", re.IGNORECASE)
    country_team: re.Pattern[str] = re.compile(
        r"United Nations Country Team\s+(?:in|of|for)\s+(?:the\s+)?(?P<country>.+?)[\s,–-]*(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    )
    unct_short: re.Pattern[str] = re.compile(
        r"\bUNCT\s+(?:in\s+)?(?P<country>[A-Z][\w' -]+?)[\s,–-]*(?P<year>(?:19|20)\d\d)\b"
    )

    # -- numbered sections, in the order the template prints them
    sections: dict[str, re.Pattern[str]] = field(default_factory=_sections)
    not_a_toc_entry: re.Pattern[str] = re.compile(r"\.{3,}|\s\d{1,3}\s*$")

    # -- the assessment team (a numbered list in the process section)
    team_start: re.Pattern[str] = re.compile(r"^(?:Members of the\b|List the coordinator)", re.IGNORECASE)
    team_end: re.Pattern[str] = re.compile(r"^(?:Enter any additional comments|\d{1,2}\.\s*Overview of)", re.IGNORECASE)

    # -- detailed findings: labels of an indicator's block
    pi_heading: re.Pattern[str] = re.compile(rf"^PI\s*{PI_CODE_TEXT}(?!\d)\s*:?\s*(.*)$")
    dimension_area: re.Pattern[str] = re.compile(r"^Dimension(?:\s+Area)?\s+[1-7]\b", re.IGNORECASE)
    findings_heading: re.Pattern[str] = re.compile(r"^Findings\s+and\s+Explanation\s*:?\s*$", re.IGNORECASE)
    reassess_question: re.Pattern[str] = re.compile(r"^Did you re-?assess\b", re.IGNORECASE)
    reassess_inline_answer: re.Pattern[str] = re.compile(r"year\??\s*[:\-–]?\s*(Yes|No)\b", re.IGNORECASE)
    answer: re.Pattern[str] = re.compile(r"(?:^|[:?\s])[-•*]?\s*(Yes|No)\s*\.?\s*$", re.IGNORECASE)
    verification_header: re.Pattern[str] = re.compile(r"^List (?:the )?Means of Verification", re.IGNORECASE)
    list_marker: re.Pattern[str] = re.compile(r"^(?=[-•*▪◦(\d])(?:[-•*▪◦]\s+)?(?:\(?\d{1,2}[.)]\s+)?(?<=\s)")
    # Room left at the end of a PDF line that did not wrap (points): a shorter line ends its list item.
    wrap_slack: float = 60.0

    # -- the action plan table
    year_header: re.Pattern[str] = re.compile(r"\bYEAR\s*(\d{1,2})\b", re.IGNORECASE)
    action_header: re.Pattern[str] = re.compile(r"\bAction\s*Points?\b", re.IGNORECASE)
    row_code: re.Pattern[str] = re.compile(rf"^\s*(?:PI\s*)?{PI_CODE_TEXT}(?![\d.]*\d)")
    not_applicable: re.Pattern[str] = re.compile(r"^(?:N\s*/\s*A|NA|n/a|Not applicable)\b\.?", re.IGNORECASE)
    blank_cell: re.Pattern[str] = re.compile(r"^[-–—.\s]*$")

    # -- the supporting-evidence table
    evidence_header: re.Pattern[str] = re.compile(rf"^(?:PI|Indicator)\s*{PI_CODE_TEXT}\s*:", re.IGNORECASE)
    category_header: re.Pattern[str] = re.compile(r"^Category$", re.IGNORECASE)
    no_documents: re.Pattern[str] = re.compile(r"No documents uploaded", re.IGNORECASE)


# The 2018 UNCT-SWAP Gender Equality Scorecard template (technical guidance, 2018 framework).
UNCT_SWAP_2018 = ScorecardLayout()
