"""Record types of country programme / portfolio evaluations (one staging table each).

Every record carries ``source_page`` (PDF page, or line number of a text
rendition) and, where the content runs over a page break, ``source_page_last``.
Amounts are US dollars.  Where a value is a rounded statement ("US$4.4
million", "78 per cent"), the ``*_tolerance`` field is half its last stated
unit, so consistency checks can tell rounding from disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.records import record


@record("evaluation_reports")
@dataclass(frozen=True)
class EvaluationReport:
    """Who evaluated what: one row per evaluation report."""

    evaluation_type: str
    entity: str | None
    office: str | None
    country: str | None
    period_start: int | None
    period_end: int | None
    # As a decentralized evaluation's key/value cover names them ("Names of evaluators: …"); None elsewhere.
    evaluators: str | None
    evaluation_manager: str | None
    source_page: int | None


@record("evaluation_budget_statements")
@dataclass(frozen=True)
class BudgetStatement:
    """A budget (and delivery) figure the report states for the office, for its whole period or one year."""

    scope: str  # 'period' | 'year'
    period_start: int | None
    period_end: int | None
    budget_usd: float | None
    budget_tolerance_usd: float | None
    delivered_usd: float | None
    delivered_tolerance_usd: float | None
    stated_delivery_rate: float | None  # a share: 0.78 for "78 per cent"
    stated_delivery_rate_tolerance: float | None
    sentence: str
    source_page: int
    source_page_last: int


@record("evaluation_portfolio_projects")
@dataclass(frozen=True)
class PortfolioProject:
    """One project of the portfolio table, continuation rows merged."""

    table_no: int
    row_no: int
    project_name: str
    duration_text: str | None
    start_year: int | None
    end_year: int | None
    budget_text: str | None
    entity_share_usd: float | None
    total_budget_usd: float | None
    amount_basis: str | None  # 'share and total' | 'share only' | 'total only' | 'single amount'
    donor: str | None
    donor_type: str | None
    source_page: int
    source_page_last: int


@record("evaluation_programme_statements")
@dataclass(frozen=True)
class ProgrammeStatement:
    """A programme's budget as the narrative states it (to compare with the portfolio table)."""

    project_name: str | None  # the portfolio project the sentence is about, when one is named
    total_usd: float | None
    total_tolerance_usd: float | None
    entity_share_usd: float | None
    entity_share_tolerance_usd: float | None
    sentence: str
    source_page: int
    source_page_last: int


@record("evaluation_findings")
@dataclass(frozen=True)
class Finding:
    finding_no: int
    title: str | None  # short label some templates print before the statement ("Relevance.")
    criterion: str | None  # Relevance | Coherence | Effectiveness | Efficiency | Sustainability | Impact | ...
    criterion_heading: str | None  # the section heading the finding sits under, as printed
    headline: str
    source_page: int
    source_page_last: int


@record("evaluation_recommendations")
@dataclass(frozen=True)
class Recommendation:
    rec_no: int
    text: str
    priority: str | None
    impact: str | None
    difficulty: str | None
    timeframe: str | None
    timeframe_start_year: int | None
    timeframe_end_year: int | None
    management_response: str | None
    n_actions: int
    source_page: int
    source_page_last: int


@record("evaluation_recommendation_actions")
@dataclass(frozen=True)
class RecommendationAction:
    rec_no: int
    action_no: int
    action_ref: str | None  # the number the report gives the action ("3.1a"), when it numbers them
    action_text: str
    timeframe: str | None
    timeframe_start_year: int | None
    timeframe_end_year: int | None
    responsible_unit: str | None
    status: str | None  # tracking status in a management-response table, when filled in
    source_page: int
    source_page_last: int


@record("evaluation_lessons")
@dataclass(frozen=True)
class Lesson:
    lesson_no: int
    headline: str
    body: str | None
    source_page: int
    source_page_last: int


@record("evaluation_conclusions")
@dataclass(frozen=True)
class Conclusion:
    conclusion_no: int
    title: str | None
    headline: str
    body: str | None
    source_page: int
    source_page_last: int


@record("evaluation_key_figures")
@dataclass(frozen=True)
class KeyFigure:
    """A figure the report states about its context or method, with the sentence that states it."""

    figure: str
    value: float
    unit: str
    year: int | None
    sentence: str
    source_page: int
    source_page_last: int


@record("evaluation_recommendation_status_updates")
@dataclass(frozen=True)
class RecommendationStatusUpdate:
    """A management-response / implementation status reported after the evaluation (CSV row).

    Loaded from a recommendation-status CSV (docs/recommendation_status_csv.md),
    not from a report: ``source_page`` is the CSV line number.
    """

    report_id: str
    rec_no: int
    action_no: int | None
    status: str
    status_date: str | None  # ISO date (YYYY-MM-DD)
    management_response: str | None
    comment: str | None
    reported_by: str | None
    source_file: str
    source_page: int
