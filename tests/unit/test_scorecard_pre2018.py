"""Scorecard reports written before the 2018 template, generated in several layouts and read back.

Each case renders one `Pre2018Spec` (country, year, ratings, findings, planned
actions, team) as a PDF and as a text rendition; the records must state
exactly what the spec does.  The cases differ in title, chapter numbering,
annex labels, the order of chapters and annexes, where the ratings table and
the plan stand, how ratings and indicator headings are written, the plan's
columns and where the year is stated, so no one form is what the parser
learns.
"""

from __future__ import annotations

import dataclasses

import pytest

from extract.document.model import Document, Line, Page, Table, TableRow
from extract.pipeline import UNKNOWN, extract_file
from extract.reports.scorecard.parser import parse
from extract.reports.scorecard.template import INDICATORS, Dimension, PerformanceIndicator
from samples.pdf_builder import LAYOUTS, Grid, Heading, Para, ReportSpec, build_pdf, build_text
from samples.scorecard_pdf import (
    PRE_2018_TITLES,
    Pre2018Spec,
    build_pre2018_pdf,
    build_pre2018_text,
    pre2018_report,
    scorecard_report,
    synthetic_pre2018_spec,
    synthetic_spec,
)

CASES: dict[str, Pre2018Spec] = {
    "ukraine-2016": synthetic_pre2018_spec(
        "Ukraine",
        2016,
        seed=1,
        title=PRE_2018_TITLES[0],
        numbering="roman",
        annex_labels="number",
        annex_order=("ratings", "details", "survey", "action_plan"),
        ratings_in="annex",
        plan_in="annex",
        rating_wording="phrase",
        detail_heading="bare",
        detail_rating="label",
        table_columns="indicator",
        action_rows="one_per_action",
        year_stated="cover",
        assessment_type="comprehensive",
    ),
    "kazakhstan-2017": synthetic_pre2018_spec(
        "Kazakhstan",
        2017,
        seed=2,
        title=PRE_2018_TITLES[1],
        numbering="arabic",
        annex_labels="letter",
        chapter_order=("introduction", "findings", "methodology", "action_plan"),
        annex_order=("details", "survey", "ratings", "action_plan"),
        ratings_in="findings",
        plan_in="chapter",
        rating_wording="word",
        detail_heading="indicator",
        detail_rating="phrase",
        table_columns="dimension",
        action_rows="joined",
        year_stated="conducted",
        assessment_type="annual_progress",
    ),
    "tajikistan-2018": synthetic_pre2018_spec(
        "Tajikistan",
        2018,
        seed=3,
        title=PRE_2018_TITLES[2],
        numbering="section",
        annex_labels="roman",
        annex_order=("survey", "action_plan", "details", "ratings"),
        ratings_in="annex",
        plan_in="annex",
        rating_wording="phrase",
        detail_heading="pi",
        detail_rating="label",
        table_columns="dimension",
        action_rows="one_per_action",
        year_stated="text",
        assessment_type=None,
    ),
    "albania-2019": synthetic_pre2018_spec(
        "Albania",
        2019,
        seed=4,
        title=PRE_2018_TITLES[3],
        numbering="roman",
        annex_labels="letter",
        chapter_order=("introduction", "findings", "methodology", "action_plan"),
        annex_order=("action_plan", "ratings", "survey", "details"),
        ratings_in="annex",
        plan_in="chapter",
        rating_wording="word",
        detail_heading="bare",
        detail_rating="phrase",
        table_columns="indicator",
        action_rows="joined",
        year_stated="conducted",
        assessment_type=None,
    ),
    "jordan-2016": synthetic_pre2018_spec(
        "Jordan",
        2016,
        seed=5,
        title=PRE_2018_TITLES[1],
        numbering="section",
        annex_labels="number",
        ratings_in="findings",
        plan_in="annex",
        detail_heading="indicator",
        detail_rating="label",
        table_columns="indicator",
        action_rows="joined",
        year_stated="text",
    ),
    "uruguay-2018": synthetic_pre2018_spec(
        "Uruguay",
        2018,
        seed=6,
        title=PRE_2018_TITLES[2],
        numbering="arabic",
        annex_labels="roman",
        ratings_in="annex",
        plan_in="annex",
        detail_heading="pi",
        detail_rating="phrase",
        table_columns="dimension",
        action_rows="one_per_action",
        year_stated="cover",
    ),
    # Every layout choice drawn from the seed.
    "nepal-2017": synthetic_pre2018_spec("Nepal", 2017, seed=7),
    "kenya-2019": synthetic_pre2018_spec("Kenya", 2019, seed=8),
}


@pytest.fixture(scope="module", params=["pdf", "text"])
def extractions(request, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp(f"pre2018-{request.param}")
    build = build_pre2018_pdf if request.param == "pdf" else build_pre2018_text
    suffix = "pdf" if request.param == "pdf" else "txt"
    return {name: extract_file(build(spec, folder / f"{name}.{suffix}")) for name, spec in CASES.items()}


def test_the_cases_vary_every_layout_choice():
    for choice, forms in {
        "title": 4,
        "numbering": 3,
        "annex_labels": 3,
        "ratings_in": 2,
        "plan_in": 2,
        "rating_wording": 2,
        "detail_heading": 3,
        "detail_rating": 2,
        "table_columns": 2,
        "action_rows": 2,
        "year_stated": 3,
        "assessment_type": 3,
    }.items():
        assert len({getattr(spec, choice) for spec in CASES.values()}) == forms, choice
    assert len({spec.chapter_order for spec in CASES.values()}) >= 2
    assert len({spec.annex_order for spec in CASES.values()}) >= 4


@pytest.mark.parametrize("case", CASES)
def test_report_is_a_scorecard_of_its_country_year_and_kind(extractions, case):
    spec, extraction = CASES[case], extractions[case]
    assert extraction.doc_type == "scorecard"
    [report] = extraction.parsed.records["scorecard_reports"]
    assert (report.country, report.assessment_year, report.assessment_type) == (
        spec.country,
        spec.year,
        spec.assessment_type,
    )
    assert (extraction.parsed.info.country, extraction.parsed.info.report_year) == (spec.country, spec.year)
    assert report.action_plan_year_columns == 0
    # UNCT-SWAP indicator codes and words: the UNCT-SWAP framework, never the 2008 scorecard, whatever the title.
    assert report.framework_edition == "unct_swap_2018"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("section", ["overview", "detail"])
def test_ratings_are_exactly_the_rated_indicators(extractions, case, section):
    statements = [s for s in extractions[case].parsed.records["scorecard_rating_statements"] if s.section == section]
    assert {s.pi_code: s.rating for s in statements} == CASES[case].ratings
    assert len(statements) == len(CASES[case].ratings)
    assert all(s.reassessed is None for s in statements)


@pytest.mark.parametrize("case", CASES)
def test_each_rated_indicator_has_its_findings(extractions, case):
    details = extractions[case].parsed.records["scorecard_indicator_details"]
    assert {d.pi_code: d.findings_text for d in details} == CASES[case].findings
    assert all(d.rating_text and d.criteria_text is None and d.indicator_statement is None for d in details)


@pytest.mark.parametrize("case", CASES)
def test_each_planned_action_is_one_row_without_a_year(extractions, case):
    rows = extractions[case].parsed.records["scorecard_action_plan_activities"]
    assert {row.pi_code: row.action_point for row in rows} == {
        code: plan.action for code, plan in CASES[case].actions.items()
    }
    assert len(rows) == len(CASES[case].actions)
    assert {(r.year_index, r.year_columns, r.calendar_year, r.activity_text, r.cell_status) for r in rows} == {
        (1, 1, None, None, "no_cell")
    }


@pytest.mark.parametrize("case", CASES)
def test_each_planned_action_says_who_and_by_when(extractions, case):
    rows = extractions[case].parsed.records["scorecard_action_plan_activities"]
    assert {row.pi_code: (row.responsible, row.timeline) for row in rows} == {
        code: (plan.responsible, plan.timeline) for code, plan in CASES[case].actions.items()
    }
    [report] = extractions[case].parsed.records["scorecard_reports"]
    assert report.action_plan_columns_not_read is None


@pytest.mark.parametrize("table_columns", ["indicator", "dimension"])
@pytest.mark.parametrize("build", [build_pre2018_pdf, build_pre2018_text], ids=["pdf", "text"])
def test_a_plan_column_the_parser_does_not_read_is_named(tmp_path, build, table_columns):
    """Columns beyond indicator, actions, responsible and timeline are reported by title, and the columns the
    parser does read still are."""
    extras = ("Budget (USD)", "Source of funding")
    spec = synthetic_pre2018_spec("Fiji", 2017, seed=4, table_columns=table_columns, plan_extra_columns=extras)
    extraction = extract_file(build(spec, tmp_path / f"extra.{'pdf' if build is build_pre2018_pdf else 'txt'}"))
    [report] = extraction.parsed.records["scorecard_reports"]
    assert report.action_plan_columns_not_read == "; ".join(extras)
    rows = extraction.parsed.records["scorecard_action_plan_activities"]
    assert {row.pi_code: (row.action_point, row.responsible, row.timeline) for row in rows} == {
        code: (plan.action, plan.responsible, plan.timeline) for code, plan in spec.actions.items()
    }


@pytest.mark.parametrize("case", CASES)
def test_team_when_listed_and_nothing_the_layout_lacks(extractions, case):
    records = extractions[case].parsed.records
    assert [(m.member_name, m.role) for m in records["scorecard_team_members"]] == [
        (m.name, m.role) for m in CASES[case].team
    ]
    assert records["scorecard_evidence_documents"] == []
    assert records["scorecard_means_of_verification"] == []


def test_a_report_in_other_dimension_names_and_indicator_names_reads_the_same(tmp_path):
    """The generator takes the framework as data; the parser reads codes and ratings, not the names."""
    dimensions = tuple(Dimension(d, f"Area {d} of the framework") for d in range(1, 8))
    indicators = tuple(PerformanceIndicator(pi.code, f"Renamed indicator {pi.code}", pi.statement) for pi in INDICATORS)
    spec = synthetic_pre2018_spec("Moldova", 2018, seed=9, indicators=indicators, dimensions=dimensions)
    report = pre2018_report(spec)
    assert Heading("Area 1 of the framework", level=2) in report.blocks
    extraction = extract_file(build_pre2018_text(spec, tmp_path / "renamed.txt"))
    statements = extraction.parsed.records["scorecard_rating_statements"]
    assert {s.pi_code: s.rating for s in statements if s.section == "overview"} == spec.ratings
    template_2018 = scorecard_report(synthetic_spec(indicators=indicators, dimensions=dimensions))
    assert Heading("Dimension Area 7: Area 7 of the framework", level=2) in template_2018.blocks


def _without_provenance(records: dict) -> dict:
    return {
        table: [
            {k: v for k, v in dataclasses.asdict(row).items() if k not in {"source_page", "source_page_last"}}
            for row in rows
        ]
        for table, rows in records.items()
    }


@pytest.mark.parametrize(
    ("layout", "case"),
    [pytest.param(layout, name, id=layout.name) for layout, name in zip(LAYOUTS, [*CASES] * 2, strict=False)],
)
def test_every_page_layout_gives_the_records_of_the_text_rendition(tmp_path, layout, case):
    """Ruled, row-ruled, shaded and aligned tables, A4 and Letter, header rows repeated or not: rows cut by page breaks
    and tables that open a page after a heading included."""
    spec = CASES[case]
    pdf = extract_file(build_pre2018_pdf(spec, tmp_path / f"{case}.pdf", layout))
    text = extract_file(build_pre2018_text(spec, tmp_path / f"{case}.txt"))
    assert pdf.doc_type == "scorecard"
    assert _without_provenance(pdf.parsed.records) == _without_provenance(text.parsed.records)


def _report_that_mentions_the_scorecard(title: str) -> ReportSpec:
    return ReportSpec(
        "Annual report",
        [
            Para(title),
            Para("United Nations Country Team in Ukraine"),
            Para("2017"),
            Heading("I. Introduction"),
            Para("In 2017 the UNCT completed the SWAP-Scorecard; its ratings are published separately."),
            Heading("II. Gender equality results"),
            Grid(
                ["Indicator", "Focus in 2018"],
                [[f"{pi.code} {pi.name}", "Continue the joint work"] for pi in INDICATORS[:8]],
                [90, 84],
            ),
            Para("Three indicators meet minimum requirements and two approach them."),
        ],
    )


@pytest.mark.parametrize(
    "title",
    [
        # A report that cites the scorecard in its body only.
        "UN Ukraine Annual Results Report",
        # A cover that names it, with indicators listed but no rating stated in a table.
        "UNCT SWAP-Scorecard: Roll-out Note",
    ],
)
@pytest.mark.parametrize("kind", ["pdf", "text"])
def test_a_document_that_only_mentions_the_scorecard_stays_unknown(tmp_path, title, kind):
    spec = _report_that_mentions_the_scorecard(title)
    path = build_pdf(spec, tmp_path / "mention.pdf") if kind == "pdf" else build_text(spec, tmp_path / "mention.txt")
    assert extract_file(path).doc_type == UNKNOWN


def test_fewer_than_five_rated_indicators_are_no_scorecard(tmp_path):
    spec = _report_that_mentions_the_scorecard("UNCT SWAP-Scorecard: Roll-out Note")
    spec.blocks.append(Grid(["Indicator", "Rating"], [["1.1 CCA", "Meets"], ["2.2 Communication", "Missing"]]))
    assert extract_file(build_pdf(spec, tmp_path / "two-ratings.pdf")).doc_type == UNKNOWN


def test_a_report_in_both_forms_is_read_in_the_layout_whose_sections_it_has(tmp_path):
    """The 2018 template's report keeps its reading (statements, reassessment answers, year columns) though
    the pre-2018 layout recognises some of its chapter titles too."""
    spec = synthetic_spec(country="Nepal", year=2019, year_columns=2, seed=3, long_cells=False)
    records = extract_file(build_pdf(scorecard_report(spec), tmp_path / "scorecard.pdf")).parsed.records
    [report] = records["scorecard_reports"]
    assert report.action_plan_year_columns == 2
    assert all(d.indicator_statement for d in records["scorecard_indicator_details"])


def test_a_row_that_merges_several_indicators_states_no_rating():
    """A reader that joins rows under a sparse first column gives one row two indicators and two ratings: no
    rating is taken for either (the overview then lacks them), the next row is read."""
    texts = ["UNCT SWAP-Scorecard", "Ukraine", "2017", "Annex 1: UNCT-SWAP Scorecard Indicator Ratings"]
    lines = [Line(1, n, text, n) for n, text in enumerate(texts, start=1)]
    rows = [
        ("Dimension", "Performance Indicator", "Rating"),
        ("Planning", "1.1 Common Country Analysis 1.2 Cooperation Framework Outcomes", "Missing Exceeds"),
        ("Programming and M&E", "2.1 Joint Programmes", "Meets minimum requirements"),
    ]
    table = Table(1, 1, 1, None, [TableRow(cells, anchor) for anchor, cells in enumerate(rows, start=5)], "text")
    parsed = parse(Document("merged.txt", "text", [Page(1, None, None, lines)], [table]))
    statements = parsed.records["scorecard_rating_statements"]
    assert [(s.pi_code, s.section, s.rating) for s in statements] == [("2.1", "overview", "Meets")]
