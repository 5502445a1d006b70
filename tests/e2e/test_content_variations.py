"""Content variations (issue 13, Required 6): reports that say things the reference reports never do.

One raw folder of generated text renditions, refreshed once: an evaluation that states its number of
projects twice with two values, one that names its joint programme twice with two totals, portfolios of 4
and 12 rows, recommendations with 0 and 8 actions, scorecards with 3 and 5 action-plan years, a scorecard
whose overview table is missing, one that continues an indicator's detailed findings under a repeated heading (the
join of detailed sections to ratings must stay one to one), a scorecard written before the 2018 template (ratings and a
plan without year columns in annexes, no evidence), and one deliberately broken scorecard (its overview and detailed ratings
disagree).  The broken report is quarantined with its reason; every other report publishes; a broken reissue of
a published report is quarantined while its published version stays.  Expected
values are written out from the generated content, not read back from the code under test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from extract.reports.scorecard.template import INDICATORS
from gewh.analyst.status import warehouse_status
from samples.evaluation_pdf import (
    ProjectSpec,
    RecommendationSpec,
    build_evaluation_text,
    evaluation_report,
)
from samples.evaluation_pdf import (
    synthetic_spec as evaluation_spec,
)
from samples.pdf_builder import Grid, Heading, Para, ReportSpec, build_text
from samples.scorecard_pdf import (
    RATING_PHRASE,
    ScorecardSpec,
    build_pre2018_text,
    build_scorecard_text,
    scorecard_report,
    synthetic_pre2018_spec,
)
from samples.scorecard_pdf import synthetic_spec as scorecard_spec
from tests.report_page import section_tables
from tests.warehouse.test_scorecard_marts import SCORECARD_MARTS

pytestmark = pytest.mark.slow

SOUND_RATINGS = {pi.code: "Meets" for pi in INDICATORS}
# A scorecard of the form country teams wrote before the 2018 template; its layout is drawn from the seed.
# Its plan adds a budget column the parser has no reading for: named in a flag, never dropped in silence.
PRE_2018 = synthetic_pre2018_spec("Albania", 2017, seed=11, plan_extra_columns=("Budget (USD)",))


def _projects(country: str, count: int) -> list[ProjectSpec]:
    """``count`` single-donor projects; project k runs 2018+k%4 to 2019+k%4 with US$(k+1)×100,000."""
    return [
        ProjectSpec(
            f"Project {k + 1} for women's rights in {country}",
            2018 + k % 4,
            2019 + k % 4,
            "UNDP",
            None,
            100_000.0 * (k + 1),
        )
        for k in range(count)
    ]


def _recommendations(action_counts: list[int]) -> list[RecommendationSpec]:
    return [
        RecommendationSpec(
            text=f"Strengthen the office's work on priority {number} through focused partnerships.",
            priority="HIGH",
            impact="MEDIUM",
            difficulty="LOW",
            timeframe="2024",
            actions=[f"Carry out action {action} for priority {number}" for action in range(1, actions + 1)],
        )
        for number, actions in enumerate(action_counts, start=1)
    ]


def _evaluation(country: str, projects: int, action_counts: list[int]):
    spec = evaluation_spec(country, 2018, 2022, seed=len(country), n_projects=projects)
    spec.projects = _projects(country, projects)
    spec.stated_project_count = projects
    spec.programme_statement_musd = None
    spec.recommendations = _recommendations(action_counts)
    return spec


def _with_paragraph_after(report: ReportSpec, anchor: str, text: str) -> ReportSpec:
    """``report`` with paragraph ``text`` added after the first paragraph that starts with ``anchor``."""
    index = next(
        i for i, block in enumerate(report.blocks) if isinstance(block, Para) and block.text.startswith(anchor)
    )
    report.blocks.insert(index + 1, Para(text))
    return report


def _scorecard(country: str, years: int, seed: int) -> ScorecardSpec:
    """A scorecard rating every indicator 'Meets', with a non-empty activity in every action-plan cell."""
    spec = scorecard_spec(country, 2023, year_columns=years, seed=seed, ratings=SOUND_RATINGS, long_cells=False)
    spec.activities = {
        pi.code: [
            f"In {2023 - years + k} the UNCT reviewed the work plan for PI {pi.code}." for k in range(1, years + 1)
        ]
        for pi in INDICATORS
    }
    spec.evidence = {pi.code: [("Other", f"{pi.code} evidence file {country}")] for pi in INDICATORS}
    return spec


def _without_overview_table(report: ReportSpec) -> ReportSpec:
    """``report`` without Table 1 (the grid right after the paragraph "Table 1:")."""
    caption = next(i for i, block in enumerate(report.blocks) if isinstance(block, Para) and block.text == "Table 1:")
    assert isinstance(report.blocks[caption + 1], Grid)
    del report.blocks[caption + 1]
    return report


def _with_detailed_section_continued(report: ReportSpec, pi_code: str) -> ReportSpec:
    """``report`` with indicator ``pi_code``'s detailed section printed again right after it, without the rating.

    As a section continued under its repeated heading: one rating statement, two detailed sections.
    """
    headings = [i for i, block in enumerate(report.blocks) if isinstance(block, Heading) and block.level == 2]
    start = next(i for i in headings if report.blocks[i].text.startswith(f"PI {pi_code} "))
    end = next(i for i in headings if i > start)
    rating_phrases = set(RATING_PHRASE.values())
    report.blocks[end:end] = [
        block for block in report.blocks[start:end] if not (isinstance(block, Para) and block.text in rating_phrases)
    ]
    return report


def write_variations_raw(raw: Path) -> None:
    # States its number of projects as six and, later, seven; six rows in its table.
    twice_counted = _evaluation("Armenia", 6, [0, 8, 2])
    build_text(
        _with_paragraph_after(
            evaluation_report(twice_counted),
            "During 2018–2022",
            "In total the office managed the seven projects of its Strategic Note.",
        ),
        raw / "cpe-armenia.txt",
    )
    # Names its joint programme twice with two totals (US$2 million and US$3 million).
    named_twice = _evaluation("Bolivia", 4, [1, 1])
    named_twice.projects[0] = ProjectSpec(
        "Joint Programme on Gender Statistics in Bolivia", 2019, 2021, "EU", 500_000.0, 2_000_000.0
    )
    named_twice.programme_statement_musd = (2.0, 0.5)
    report = evaluation_report(named_twice)
    statement = next(b.text for b in report.blocks if isinstance(b, Para) and "The programme is implemented" in b.text)
    build_text(
        _with_paragraph_after(report, statement, statement.replace("US$2 million", "US$3 million")),
        raw / "cpe-bolivia.txt",
    )
    build_evaluation_text(_evaluation("Chile", 12, [3, 4]), raw / "cpe-chile.txt")
    build_scorecard_text(_scorecard("Chad", 3, seed=1), raw / "scorecard-chad-2023.txt")
    build_text(
        _without_overview_table(scorecard_report(_scorecard("Mali", 5, seed=2))), raw / "scorecard-mali-2023.txt"
    )
    build_text(
        _with_detailed_section_continued(scorecard_report(_scorecard("Niger", 3, seed=4)), "2.1"),
        raw / "scorecard-niger-2023.txt",
    )
    build_pre2018_text(PRE_2018, raw / "scorecard-albania-2017.txt")
    broken = _scorecard("Ghana", 4, seed=3)
    broken.detail_ratings = {"5.1": "Exceeds"}
    build_scorecard_text(broken, raw / "scorecard-ghana-2023.txt")


@pytest.fixture(scope="module")
def variations_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("variations-raw")
    write_variations_raw(raw)
    return raw


@pytest.fixture(scope="module")
def variations(variations_raw: Path, run_refresh, tmp_path_factory: pytest.TempPathFactory):
    return run_refresh(variations_raw, tmp_path_factory.mktemp("variations-warehouse") / "gender_equality.duckdb")


def _query(summary, sql: str) -> list[tuple]:
    with duckdb.connect(str(summary.warehouse), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def _flags(summary, report_id: str) -> list[tuple]:
    return _query(
        summary,
        'select area, "check", found, severity from marts.fct_quality_flags '
        f"where report_id = '{report_id}' order by all",
    )


def test_the_broken_report_is_quarantined_with_its_reason_and_every_other_report_publishes(variations):
    assert variations.published, variations.reason
    assert _query(
        variations, "select report_id, status, is_published, quarantine_reasons from marts.dim_reports order by all"
    ) == [
        ("evaluation-armenia-2018-2022", "published", True, None),
        ("evaluation-bolivia-2018-2022", "published", True, None),
        ("evaluation-chile-2018-2022", "published", True, None),
        ("scorecard-albania-2017", "published", True, None),
        ("scorecard-chad-2023", "published", True, None),
        (
            "scorecard-ghana-2023",
            "quarantined",
            False,
            [
                "scorecard-ghana-2023 PI 5.1 [overview_matches_detail]: overview table says Meets, "
                "detailed findings says Exceeds"
            ],
        ),
        ("scorecard-mali-2023", "published", True, None),
        ("scorecard-niger-2023", "published", True, None),
    ]
    assert _query(
        variations, "select file_name, status from marts.dim_documents where file_name like 'scorecard-%' order by all"
    ) == [
        ("scorecard-albania-2017.txt", "loaded"),
        ("scorecard-chad-2023.txt", "loaded"),
        ("scorecard-ghana-2023.txt", "quarantined"),
        ("scorecard-mali-2023.txt", "loaded"),
        ("scorecard-niger-2023.txt", "loaded"),
    ]
    for mart in SCORECARD_MARTS:
        assert _query(variations, f"select count(*) from marts.{mart} where report_id like '%ghana%'") == [(0,)], mart
    # `gewh status` lists it with its reason.
    [quarantined] = [
        section for section in warehouse_status(variations.warehouse).sections if section.title == "Quarantined reports"
    ]
    assert [(row[0], row[-1]) for row in quarantined.rows] == [
        (
            "scorecard-ghana-2023",
            "scorecard-ghana-2023 PI 5.1 [overview_matches_detail]: overview table says Meets, "
            "detailed findings says Exceeds",
        )
    ]
    # The run's own summary names it too, with its file and reason.
    [listed] = variations.quarantined
    assert listed.startswith("scorecard-ghana-2023 (") and "overview table says Meets" in listed
    assert "quarantined: 1 report(s)" in variations.render()


def test_a_project_count_stated_twice_with_two_values_is_flagged_without_duplicating_the_portfolio(variations):
    flags = _flags(variations, "evaluation-armenia-2018-2022")
    assert ("evaluation", "key_figure_conflict", "6 / 7", "warning") in flags
    assert _query(
        variations,
        "select count(*), count(distinct project_id) from marts.fct_project_portfolio "
        "where report_id = 'evaluation-armenia-2018-2022'",
    ) == [(6, 6)]


def test_a_programme_named_twice_with_two_totals_is_flagged_without_duplicating_the_portfolio(variations):
    assert ("evaluation", "programme_total_mismatch", "US$3,000,000", "warning") in _flags(
        variations, "evaluation-bolivia-2018-2022"
    )
    assert _query(
        variations,
        "select count(*), count(distinct project_id) from marts.fct_project_portfolio "
        "where report_id = 'evaluation-bolivia-2018-2022'",
    ) == [(4, 4)]


@pytest.mark.parametrize(
    ("report_id", "country", "rows"),
    [("evaluation-bolivia-2018-2022", "Bolivia", 4), ("evaluation-chile-2018-2022", "Chile", 12)],
)
def test_portfolios_of_4_and_12_rows_are_read_whole(variations, report_id, country, rows):
    expected = [
        (k + 1, f"Project {k + 1} for women's rights in {country}", 2018 + k % 4, 2019 + k % 4, 100_000.0 * (k + 1))
        for k in range(rows)
    ]
    if country == "Bolivia":  # its first project is the joint programme
        expected[0] = (1, "Joint Programme on Gender Statistics in Bolivia", 2019, 2021, 2_000_000.0)
    assert (
        _query(
            variations,
            "select project_no, project_name, start_year, end_year, total_budget_usd from marts.fct_project_portfolio "
            f"where report_id = '{report_id}' order by project_no",
        )
        == expected
    )


@pytest.mark.parametrize(("report_id", "years"), [("scorecard-chad-2023", 3), ("scorecard-mali-2023", 5)])
def test_action_plans_of_3_and_5_years_are_read_cell_by_cell(variations, report_id, years):
    expected = [
        (pi.code, k, 2023 - years + k, f"In {2023 - years + k} the UNCT reviewed the work plan for PI {pi.code}.")
        for pi in INDICATORS
        for k in range(1, years + 1)
    ]
    assert sorted(
        _query(
            variations,
            "select pi_code, year_index, calendar_year, activity_text from marts.fct_action_plan_activities "
            f"where report_id = '{report_id}'",
        )
    ) == sorted(expected)


def test_recommendations_with_0_and_8_actions(variations):
    assert _query(
        variations,
        "select rec_no, n_actions from marts.fct_recommendations "
        "where report_id = 'evaluation-armenia-2018-2022' order by rec_no",
    ) == [(1, 0), (2, 8), (3, 2)]
    assert [
        text
        for (text,) in _query(
            variations,
            "select action_text from marts.fct_recommendation_actions "
            "where report_id = 'evaluation-armenia-2018-2022' and rec_no = 2 order by action_no",
        )
    ] == [f"Carry out action {action} for priority 2" for action in range(1, 9)]


def test_a_missing_overview_table_is_an_extraction_gap_not_a_disagreement(variations):
    assert _flags(variations, "scorecard-mali-2023") == [("extraction", "overview_rows_missing", "0 read", "info")]


def test_an_indicator_with_two_detailed_sections_keeps_one_rating_row(variations):
    """The detailed sections are joined to the ratings one to one: a continued section adds no rating row."""
    assert _query(
        variations,
        "select pi_code, count(*), any_value(rating) from marts.fct_indicator_ratings "
        "where report_id = 'scorecard-niger-2023' group by pi_code order by pi_code",
    ) == [(pi.code, 1, "Meets") for pi in INDICATORS]


def test_completeness_of_two_reports_matches_what_they_contain(variations):
    # Armenia: 6 of 6 portfolio rows complete; 2 of 3 recommendations with actions (the first lists none).
    # Mali: no overview row of 15; 15 indicators x 5 years of action-plan cells; evidence for all 15 indicators.
    assert _query(
        variations,
        "select report_id, part, found, expected from marts.fct_report_completeness "
        "where report_id in ('evaluation-armenia-2018-2022', 'scorecard-mali-2023') order by all",
    ) == [
        ("evaluation-armenia-2018-2022", "portfolio rows", 6, 6),
        ("evaluation-armenia-2018-2022", "recommendations with actions", 2, 3),
        ("scorecard-mali-2023", "action-plan cells", 75, 75),
        ("scorecard-mali-2023", "evidence documents", 15, 15),
        ("scorecard-mali-2023", "overview rows", 0, 15),
    ]
    completeness = dict(
        _query(
            variations,
            "select report_id, completeness from marts.dim_reports "
            "where report_id in ('evaluation-armenia-2018-2022', 'scorecard-mali-2023')",
        )
    )
    assert completeness == pytest.approx(
        {"evaluation-armenia-2018-2022": (1 + 2 / 3) / 2, "scorecard-mali-2023": (0 + 1 + 1) / 3}
    )


def test_the_report_page_shows_every_report_s_completeness_and_the_quarantined_one_with_its_reason(variations):
    completeness, quarantined = section_tables(variations.report.read_text(), "completeness")
    assert completeness[0][:3] == ["Report", "Country", "Name"]
    shown = {row[0]: row[3:] for row in completeness[1:]}
    assert shown == {
        "evaluation-armenia-2018-2022": [
            "published",
            "83.3%",
            "portfolio rows: 6 / 6; recommendations with actions: 2 / 3",
        ],
        "evaluation-bolivia-2018-2022": [
            "published",
            "100.0%",
            "portfolio rows: 4 / 4; recommendations with actions: 2 / 2",
        ],
        "evaluation-chile-2018-2022": [
            "published",
            "100.0%",
            "portfolio rows: 12 / 12; recommendations with actions: 2 / 2",
        ],
        # Ten of fifteen indicators rated; no year columns or evidence section to measure.
        "scorecard-albania-2017": ["published", "66.7%", "overview rows: 10 / 15"],
        "scorecard-chad-2023": [
            "published",
            "100.0%",
            "action-plan cells: 45 / 45; evidence documents: 15 / 15; overview rows: 15 / 15",
        ],
        "scorecard-ghana-2023": [
            "quarantined",
            "100.0%",
            "action-plan cells: 60 / 60; evidence documents: 15 / 15; overview rows: 15 / 15",
        ],
        "scorecard-mali-2023": [
            "published",
            "66.7%",
            "action-plan cells: 75 / 75; evidence documents: 15 / 15; overview rows: 0 / 15",
        ],
        "scorecard-niger-2023": [
            "published",
            "100.0%",
            "action-plan cells: 45 / 45; evidence documents: 15 / 15; overview rows: 15 / 15",
        ],
    }
    assert quarantined[1:] == [
        [
            "scorecard-ghana-2023",
            "no",
            "scorecard-ghana-2023 PI 5.1 [overview_matches_detail]: overview table says Meets, "
            "detailed findings says Exceeds",
        ]
    ]


def test_a_quarantined_new_version_keeps_the_previous_version_published(
    variations, variations_raw: Path, run_refresh, tmp_path: Path
):
    """A reissue of the published Chad scorecard whose sections disagree: the reissue is quarantined and the
    version published before stays in the marts.  Refreshed on copies, so the module's warehouse is untouched."""
    raw = tmp_path / "raw"
    shutil.copytree(variations_raw, raw)
    shutil.copytree(variations.warehouse.parent, tmp_path / "warehouse")
    warehouse = tmp_path / "warehouse" / variations.warehouse.name
    [(published_document,)] = _query(
        variations, "select document_id from marts.dim_reports where report_id = 'scorecard-chad-2023'"
    )
    reissue = _scorecard("Chad", 3, seed=1)
    reissue.ratings = reissue.ratings | {"5.1": "Missing"}
    reissue.detail_ratings = {"5.1": "Exceeds"}
    build_scorecard_text(reissue, raw / "scorecard-chad-2023-reissued.txt")

    summary = run_refresh(raw, warehouse)
    assert summary.published, summary.reason
    assert summary.extracted == 1, "only the reissue is read again"
    [(document_id, status, is_published, quarantined, reasons)] = _query(
        summary,
        "select document_id, status, is_published, quarantined_document_id, quarantine_reasons "
        "from marts.dim_reports where report_id = 'scorecard-chad-2023'",
    )
    assert (document_id, status, is_published) == (published_document, "quarantined", True)
    assert quarantined != published_document and len(reasons) == 1 and "[overview_matches_detail]" in reasons[0]
    assert (
        dict(_query(summary, "select pi_code, rating from marts.fct_indicator_ratings where report_id like '%chad%'"))
        == SOUND_RATINGS
    )


def test_a_scorecard_written_before_the_2018_template_publishes_what_it_states(variations):
    report = "scorecard-albania-2017"
    assert _query(
        variations, f"select pi_code, rating from marts.fct_indicator_ratings where report_id = '{report}' order by 1"
    ) == sorted(PRE_2018.ratings.items())
    assert _query(
        variations,
        "select pi_code, action_point, responsible, timeline, year_columns, calendar_year, cell_status "
        f"from marts.fct_action_plan_activities where report_id = '{report}' order by 1",
    ) == [
        (code, plan.action, plan.responsible, plan.timeline, 1, None, "no_cell")
        for code, plan in sorted(PRE_2018.actions.items())
    ]
    # The template's parts it lacks are gaps, not zeros: unrated indicators in the overview; no year columns and
    # no evidence section to measure.
    assert _query(
        variations,
        f"select part, found, expected from marts.fct_report_completeness where report_id = '{report}' order by all",
    ) == [("overview rows", len(PRE_2018.ratings), len(INDICATORS))]
    assert _query(
        variations,
        "select expected, severity from marts.fct_quality_flags where \"check\" = 'action_plan_columns_read' "
        f"and report_id = '{report}'",
    ) == [("action plan columns not read: Budget (USD)", "warning")]
    # A 2017 report names neither its framework edition nor a year of one: read under the UNCT-SWAP's first
    # edition, and said so.
    assert _query(
        variations,
        f"select framework_edition, framework_edition_basis from marts.dim_reports where report_id = '{report}'",
    ) == [("unct_swap_2018", "default")]
    assert _query(
        variations,
        "select found, severity from marts.fct_quality_flags "
        f"where \"check\" = 'metadata_not_stated' and subject = 'framework edition' and report_id = '{report}'",
    ) == [("not stated: read as unct_swap_2018", "info")]
