"""Staging rows the UNCT-SWAP scorecard parser emits, one dataclass per staging table.

Every row carries ``source_page`` (PDF page, or line number of a text
rendition) and, where its text runs over a page break or continuation rows,
``source_page_last``.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.records import record


@record("scorecard_reports")
@dataclass(frozen=True)
class ScorecardReport:
    """The report as a whole: which country team, which year, which kind of assessment."""

    country: str | None
    assessment_year: int | None
    # 'annual_progress' or 'comprehensive', from the cover.
    assessment_type: str | None
    # The framework edition the report follows (a file in extract/reports/scorecard/frameworks), and what
    # decided it: 'stated' (a phrase only that edition prints), 'assessment_year' or 'default'.
    framework_edition: str
    framework_edition_basis: str
    # Number of "ACTIVITIES UNDERTAKEN IN YEAR n" columns in the action plan (0 when it has none).
    action_plan_year_columns: int
    # The titles of the plan's columns the parser does not read ("; "-separated; None: it reads every column).
    action_plan_columns_not_read: str | None
    source_page: int | None


@record("scorecard_rating_statements")
@dataclass(frozen=True)
class RatingStatement:
    """One place where the report states an indicator's rating.

    ``section`` is 'overview' (Table 1), 'detail' (the indicator's detailed
    findings) or 'evidence' (the supporting-evidence table repeats it).
    ``reassessed`` is what that section says about reassessment this year
    (the evidence section never says, so it is null there).
    """

    pi_code: str
    section: str
    rating_text: str
    # The rating on the report's framework edition's own scale (None: not a rating that edition defines).
    rating: str | None
    # The indicator's name as this section prints it beside the code (None where it prints only the code).
    indicator_label: str | None
    reassessed: bool | None
    source_page: int | None


@record("scorecard_indicator_details")
@dataclass(frozen=True)
class IndicatorDetail:
    """An indicator's detailed-findings section: statement, criteria of its rating and findings."""

    pi_code: str
    heading: str
    indicator_statement: str | None
    dimension_label: str | None
    rating_text: str | None
    criteria_text: str | None
    findings_text: str | None
    source_page: int | None
    source_page_last: int | None


@record("scorecard_action_plan_activities")
@dataclass(frozen=True)
class ActionPlanActivity:
    """One cell of the action plan: what was done for an indicator in one action-plan year.

    ``cell_status``: 'reported' (text), 'not_applicable' ("N/A"/"NA", text kept
    when the cell explains itself), 'empty' (blank cell), or 'no_cell' (the
    row has no cell for this year: its label spilled into the action-point
    column and pushed the year cells over, or the plan has no year columns
    at all, see the parser).
    """

    pi_code: str
    row_label: str
    action_point: str | None
    action_point_status: str
    # Who is responsible and by when, where the plan has such columns (plans before the 2018 template).
    responsible: str | None
    timeline: str | None
    year_index: int
    year_columns: int
    calendar_year: int | None
    activity_text: str | None
    cell_status: str
    label_spilled: bool
    source_page: int | None
    source_page_last: int | None


@record("scorecard_evidence_documents")
@dataclass(frozen=True)
class EvidenceDocument:
    """One document listed for an indicator in the Supporting Evidence section."""

    pi_code: str
    item_no: int
    category: str | None
    document_name: str
    source_page: int | None
    source_page_last: int | None


@record("scorecard_means_of_verification")
@dataclass(frozen=True)
class MeansOfVerification:
    """One item of an indicator's "List Means of Verification" in its detailed findings."""

    pi_code: str
    item_no: int
    item_text: str
    source_page: int | None
    source_page_last: int | None


@record("scorecard_team_members")
@dataclass(frozen=True)
class TeamMember:
    """A member of the Inter-Agency Assessment Team as the report lists them."""

    member_no: int
    member_name: str
    role: str | None
    un_entity: str | None
    entity_text: str | None
    listed_text: str
    source_page: int | None
    source_page_last: int | None


@record("scorecard_stated_metrics")
@dataclass(frozen=True)
class StatedMetric:
    """A number an indicator's findings state, with the sentence that states it.

    ``unit`` is 'count', 'percent' or a currency code.  A percentage stated
    with its parts ("38 (49%)" of "78", "94% (15 of 16)") carries them as
    ``numerator`` / ``denominator`` so the warehouse can check the arithmetic;
    a count stated as part of a whole ("8 out of 17") carries its whole.
    """

    pi_code: str
    metric: str
    value: float
    unit: str
    numerator: float | None
    denominator: float | None
    quoted_text: str
    sentence: str
    source_page: int | None
