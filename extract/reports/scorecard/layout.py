"""How a UNCT-SWAP scorecard report is laid out, as data: one `ScorecardLayout` per template edition.

The parser reads every heading, label and table header through a layout, the
way pdfplumber's `TableSettings` describes a table-finding strategy as data: a
new edition of the template is a new instance here, not new parser code.
Indicator codes and rating words come from `template` so they are written once.

Two layouts are known.  `UNCT_SWAP_2018` is the global reporting template of
the 2018 framework (numbered sections, Table 1, "PI x.y" blocks, a year-column
action plan, supporting evidence).  `UNCT_SWAP_PRE_2018` is the free-form
report country teams wrote before that template (2016-2019): roman, arabic or
"Section n" numbered chapters in any order, findings by dimension, and the
indicator ratings, per-indicator findings, a staff survey and a plan of
actions (no year columns) in annexes.  The parser takes the layout whose
sections a document has (`LAYOUTS`, first wins on a tie).
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


# A chapter number ("III.", "2.", "Section 2:") and an annex label ("Annex 1:", "Annex B -", "Appendix IV").
# Roman numerals are matched in capitals only, so a word such as "Vision" is never read as one; a bare number
# needs its point, so a sentence that starts with a count ("15 staff ...") is no chapter.
_CHAPTER = (
    r"(?:(?:Section|Part|Chapter)\s+(?:(?-i:[IVX]{1,6})|\d{1,2})(?:\s*[.:)\-–]\s*|\s+)"
    r"|(?:(?-i:[IVX]{1,6})|\d{1,2})\s*[.:)]\s*)"
)
_ANNEX = r"(?:Annex|Appendix)\s+(?:(?-i:[IVX]{1,6})|\d{1,2}|(?-i:[A-H]))(?:\s*[.:)\-–]\s*|\s+)"


def _pre_2018_sections() -> dict[str, re.Pattern[str]]:
    """Chapters and annexes of a pre-2018 report, most specific title first (a line opens the first section
    whose pattern it matches).  Chapters the parser does not read (introduction, findings by dimension, the
    staff survey) are listed so that they end the section before them."""

    def titled(title: str, prefix: str = rf"(?:{_CHAPTER}|{_ANNEX})") -> re.Pattern[str]:
        # A title is one short line that is not a sentence (a numbered list item in the body is one).
        return re.compile(rf"^(?=.{{0,100}}$)(?!.*[a-z]\.$){prefix}\s*(?:{title})", re.IGNORECASE)

    return {
        "overview": titled(
            r".*\b(?:Indicator\s+Ratings?|Ratings?\s+(?:of|by|per|for)\s+(?:(?:the|each)\s+)?(?:Performance\s+)?"
            r"Indicators?|Scorecard\s+Ratings?|Summary\s+of\s+(?:the\s+)?Ratings?)\b",
            # Placed in the findings chapter, the ratings table is announced by its caption.
            prefix=rf"(?:{_CHAPTER}|{_ANNEX}|Table\s+\d{{1,2}}\s*[.:\-–]\s*)",
        ),
        "details": titled(
            r".*\b(?:Detailed\s+(?:Findings|Assessment)|Findings\s+(?:by|per|for)\s+(?:each\s+)?(?:Performance\s+)?"
            r"Indicators?|Indicator\s+(?:Findings|Assessments?))\b"
        ),
        "survey": titled(r".*\b(?:(?:Staff|Personnel|Gender|Culture)\s+Survey\b|Survey\s+(?:Results|Findings)\b)"),
        # Written as a title ("Action Plan", "ACTION PLAN"), not as "update the action plan" in a list item.
        "action_plan_annex": titled(r".*\b(?-i:Action\s+Plan|ACTION\s+PLAN)\b", prefix=_ANNEX),
        "action_plan": titled(r".*\b(?-i:Action\s+Plan|ACTION\s+PLAN)\b", prefix=_CHAPTER),
        "process": titled(r"(?:Methodology|.*\bProcess\b|.*\bAssessment\s+Team\b)"),
        "findings": titled(r"(?:(?:Main|Key|Overall)\s+)?Findings\b"),
        "introduction": titled(r"(?:Introduction|Background)\b"),
    }


_RECOGNITION_COVER = Cover(lines=40)
_TITLE_PAGE = Cover(
    lines=15, ends_at_table=True, ends_before=re.compile(r"^(?:(?:Table of )?Contents\b|1\.\s)", re.IGNORECASE)
)


_PRE_2018_TITLE_PAGE = Cover(
    lines=15,
    ends_at_table=True,
    ends_before=re.compile(
        rf"^(?:(?:Table of )?Contents\b|Acronyms\b|Abbreviations\b|Executive Summary\b|{_CHAPTER}\S)",
        re.IGNORECASE,
    ),
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
    # Without indicator statements, this many indicators rated in table rows (code, then a rating word) are the
    # evidence; None: the layout is recognised by its statements only.
    rated_rows_required: int | None = None

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
    # A sentence stating when the assessment was made, read on the cover, then in the body, before the
    # generic rules of `stated_year`; None: the template prints the year with the country team.
    assessment_year: re.Pattern[str] | None = None

    # -- numbered sections, in the order the template prints them
    sections: dict[str, re.Pattern[str]] = field(default_factory=_sections)
    # The sections whose tables make up the action plan, in reading order.
    action_plan_sections: tuple[str, ...] = ("action_plan",)
    not_a_toc_entry: re.Pattern[str] = re.compile(r"\.{3,}|\s\d{1,3}\s*$")

    # -- the assessment team (a numbered list in the process section)
    team_start: re.Pattern[str] = re.compile(r"^(?:Members of the\b|List the coordinator)", re.IGNORECASE)
    # None: the list ends at the first line that neither starts an item nor wraps the line above.
    team_end: re.Pattern[str] | None = re.compile(
        r"^(?:Enter any additional comments|\d{1,2}\.\s*Overview of)", re.IGNORECASE
    )

    # -- detailed findings: labels of an indicator's block
    pi_heading: re.Pattern[str] = re.compile(rf"^PI\s*{PI_CODE_TEXT}(?!\d)\s*:?\s*(.*)$")
    # Whether a PDF line needs heading type (bold or larger) to be an indicator heading: needed where a heading
    # is a bare code ("1.1 Common Country Analysis") that a wrapped body line can start with as well.
    headings_set_apart: bool = False
    dimension_area: re.Pattern[str] = re.compile(r"^Dimension(?:\s+Area)?\s+[1-7]\b", re.IGNORECASE)
    findings_heading: re.Pattern[str] = re.compile(r"^Findings\s+and\s+Explanation\s*:?\s*$", re.IGNORECASE)
    # An indicator's block is its rating and findings only (no statement, dimension label, criteria or
    # reassessment question): everything but the rating line is findings.
    findings_only: bool = False
    rating_label: re.Pattern[str] = re.compile(
        r"^(?:Overall\s+)?(?:Rating|Score)\s*[:\-–]\s*(?P<rating>.+)$", re.IGNORECASE
    )
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
    # A plan without year columns is found by the header of its indicator column (a whole cell, so that a
    # row naming "Indicator 1.1" is not taken for a header); None: only year columns make a header.
    indicator_header: re.Pattern[str] | None = None
    # Columns a plan may print beside its actions, found by their titles: who is responsible and by when.  A
    # column the row's indicator already gives (its dimension) is not read either; any other titled column is
    # reported as not read (ScorecardReport.action_plan_columns_not_read), never dropped in silence.
    responsible_header: re.Pattern[str] = re.compile(
        r"^(?:Responsib(?:le|ility)(?:\s+(?:agenc(?:y|ies)|entit(?:y|ies)|part(?:y|ies)|units?))?"
        r"|Lead(?:\s+(?:agenc(?:y|ies)|entit(?:y|ies)))?|Who|Accountab(?:le|ility)|Focal\s+points?"
        r"|Implementing\s+(?:agenc(?:y|ies)|partners?))\s*(?:\(.*\))?\s*$",
        re.IGNORECASE,
    )
    timeline_header: re.Pattern[str] = re.compile(
        r"^(?:Time\s*(?:line|frame)s?|Deadlines?|When|By\s+when|Target\s+dates?|Due\s+dates?|Completion\s+dates?)"
        r"\s*(?:\(.*\))?\s*$",
        re.IGNORECASE,
    )
    implied_header: re.Pattern[str] = re.compile(r"^(?:Dimensions?(?:\s+Areas?)?|Areas?)\s*$", re.IGNORECASE)
    row_code: re.Pattern[str] = re.compile(rf"^\s*(?:PI\s*)?{PI_CODE_TEXT}(?![\d.]*\d)")
    not_applicable: re.Pattern[str] = re.compile(r"^(?:N\s*/\s*A|NA|n/a|Not applicable)\b\.?", re.IGNORECASE)
    blank_cell: re.Pattern[str] = re.compile(r"^[-–—.\s]*$")

    # -- the supporting-evidence table
    evidence_header: re.Pattern[str] = re.compile(rf"^(?:PI|Indicator)\s*{PI_CODE_TEXT}\s*:", re.IGNORECASE)
    category_header: re.Pattern[str] = re.compile(r"^Category$", re.IGNORECASE)
    no_documents: re.Pattern[str] = re.compile(r"No documents uploaded", re.IGNORECASE)


# The 2018 UNCT-SWAP Gender Equality Scorecard template (technical guidance, 2018 framework).
UNCT_SWAP_2018 = ScorecardLayout()

# Scorecard reports written before the 2018 template ("UNCT SWAP-Scorecard", "Gender Equality SWAP-Scorecard
# Assessment Results and Action Plan", "UNCT Gender Equality Scorecard", and the 2008 edition's "UNCT Gender
# Scorecard" / "UNCT Performance Indicators for Gender Equality").
UNCT_SWAP_PRE_2018 = ScorecardLayout(
    template_name=re.compile(
        r"UNCT[\s-]*SWAP|SWAP[\s-]*Scorecard|UNCT\s+Gender\s+(?:Equality\s+)?Scorecard"
        r"|UNCT\s+Performance\s+Indicators\s+for\s+Gender",
        re.IGNORECASE,
    ),
    report_kind=re.compile(r"scorecard|performance\s+indicators", re.IGNORECASE),
    # Five ratings in a table: a report that lists one or two indicators in passing is no scorecard.
    rated_rows_required=5,
    cover=_PRE_2018_TITLE_PAGE,
    # "UNCT <country> 2017", never the title "UNCT SWAP-Scorecard 2017" / "UNCT Gender Equality Scorecard 2017".
    unct_short=re.compile(
        r"\bUNCT\s+(?:in\s+)?(?!SWAP\b|Gender\b)(?P<country>[A-Z][\w' -]+?)[\s,–-]*(?P<year>(?:19|20)\d\d)\b"
    ),
    assessment_year=re.compile(
        r"\b(?:assessment|scorecard|exercise)\b[^.\n]{0,40}?\b(?:conducted|carried\s+out|undertaken|completed)"
        r"\s+in\s+(?:[A-Z][a-z]+\s+)?(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    sections=_pre_2018_sections(),
    action_plan_sections=("action_plan", "action_plan_annex"),
    team_start=re.compile(r"^(?:Members of the\b|.*\bAssessment Team\b.*:\s*$)", re.IGNORECASE),
    team_end=None,
    pi_heading=re.compile(rf"^(?:PI|(?:Performance\s+)?Indicator)?\s*{PI_CODE_TEXT}(?![\d.]*\d)\.?\s*[:\-–]?\s*(.*)$"),
    findings_heading=re.compile(r"^(?:Findings|Explanation|Justification)(?:\s+and\s+\w+)?\s*:?\s*$", re.IGNORECASE),
    headings_set_apart=True,
    findings_only=True,
    action_header=re.compile(
        r"^(?:(?:Recommended|Planned|Proposed|Key|Agreed)\s+)?(?:Actions?(?:\s*Points?)?|Activities|Recommendations?)"
        r"(?:\s*/\s*\w+)?\s*$",
        re.IGNORECASE,
    ),
    indicator_header=re.compile(
        r"^(?:(?:Link\s+to|Related)\s+)?(?:(?:Performance\s+)?Indicators?|PI)(?:\s*/\s*Dimension)?\s*$", re.IGNORECASE
    ),
    row_code=re.compile(rf"^\s*(?:PI|(?:Performance\s+)?Indicator)?\s*{PI_CODE_TEXT}(?![\d.]*\d)", re.IGNORECASE),
)

# Every known layout; the parser reads a document in the one whose sections it has (the first on a tie).
LAYOUTS: tuple[ScorecardLayout, ...] = (UNCT_SWAP_2018, UNCT_SWAP_PRE_2018)
