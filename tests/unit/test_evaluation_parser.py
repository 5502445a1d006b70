"""The evaluation parser on the Kazakhstan CPE (PDF and text rendition), the Liberia ICPE and generated reports.

Expected values are read from the reports by hand.  Generated reports check
what the reference cannot: other countries and periods, a portfolio row cut by
a page break, attributes printed inline, bullets the text layer spells
"(cid:127)".
"""

from __future__ import annotations

import dataclasses

import pytest

from extract.document.errors import ExtractionError
from extract.document.model import Document, Line, Page
from extract.pipeline import extract_file
from extract.reports.evaluation.parser import donor_type, parse
from extract.reports.evaluation.status_csv import not_a_status_csv, read_recommendation_status_csv
from samples.evaluation_pdf import build_evaluation_pdf, synthetic_spec

PDF = "corpus/reconstructed/unwomen-cpe-kazakhstan-2016-2020.pdf"
TEXT = "seeds/000_343f16751c7452e4.txt"
LIBERIA = "corpus/pdf/undp-icpe-liberia-2025.pdf"

M = 1_000_000
# Table 3 of the CPE: (start, end, UN Women share, total, donor, donor type), in table order.
PORTFOLIO = [
    (2019, 2021, 1.8 * M, 1.8 * M, "Ministry of Labour and Social Protection", "government ministry"),
    (2019, 2019, 150_000, 150_000, "Ministry of Foreign Affairs of Kazakhstan", "government ministry"),
    (2020, 2021, 100_000, 100_000, "Ministry of Foreign Affairs of Kazakhstan", "government ministry"),
    (2017, 2018, 335_000, 335_000, "Ministry of Foreign Affairs of Kazakhstan", "government ministry"),
    (2017, 2018, 433_000, 433_000, "Ministry of National Economy of Kazakhstan", "government ministry"),
    (2020, 2021, 159_145, 159_145, "Ministry of National Economy of Kazakhstan", "government ministry"),
    (2020, 2022, 2_541_617, 4_248_584, "EU", "EU"),
    (2019, 2025, 102_284, 2_238_400, "EU", "EU"),
]
# Section 3 headings of the CPE, by finding number.
CRITERIA = {
    **dict.fromkeys(range(1, 4), "Relevance"),
    **dict.fromkeys(range(4, 8), "Coherence"),
    **dict.fromkeys(range(8, 12), "Effectiveness"),
    **dict.fromkeys(range(12, 15), "Efficiency"),
    **dict.fromkeys(range(15, 18), "Sustainability"),
}
# Section 6: rec_no -> (priority, impact, difficulty, timeframe, start year, end year, number of actions).
RECOMMENDATIONS = {
    1: ("HIGH", "HIGH", "MEDIUM", "IMMEDIATELY", None, None, 5),
    2: ("MEDIUM", "MEDIUM", "HIGH", "2021-2022", 2021, 2022, 4),
    3: ("HIGH", "HIGH", "MEDIUM", "Aligned with new SN", None, None, 3),
    4: ("HIGH", "HIGH", "LOW", "2021-2024", 2021, 2024, 4),
    5: ("HIGH", "HIGH", "LOW", "2021", 2021, 2021, 4),
    6: ("HIGH", "HIGH", "LOW", "IMMEDIATELY", None, None, 4),
    7: ("HIGH", "MEDIUM", "LOW", "IMMEDIATELY", None, None, 5),
    8: ("HIGH", "HIGH", "MEDIUM", "2021-2024", 2021, 2024, 4),
}


@pytest.fixture(scope="module")
def cpe_pdf(shared_extraction):
    return shared_extraction(PDF)


@pytest.fixture(scope="module")
def cpe_text(shared_extraction):
    return shared_extraction(TEXT)


@pytest.fixture(scope="module", params=["pdf", "text"])
def cpe(request, cpe_pdf, cpe_text):
    return cpe_pdf if request.param == "pdf" else cpe_text


def records(extraction, table):
    return extraction.parsed.records[table]


# --- Kazakhstan CPE: the same records from the PDF and from its text rendition -----------------------


@pytest.mark.shared
def test_cpe_report_info(cpe):
    assert cpe.doc_type == "evaluation"
    info = cpe.parsed.info
    assert (info.title, info.country, info.report_year) == (
        "Country Portfolio Evaluation — Kazakhstan",
        "Kazakhstan",
        2021,
    )
    assert (info.period_start, info.period_end) == (2016, 2020)
    [report] = records(cpe, "evaluation_reports")
    assert (report.entity, report.office, report.evaluation_type) == (
        "UN Women",
        "UN Women Kazakhstan Country Office",
        "Country Portfolio Evaluation",
    )


@pytest.mark.shared
def test_cpe_portfolio_rows(cpe):
    projects = records(cpe, "evaluation_portfolio_projects")
    got = [(p.start_year, p.end_year, p.entity_share_usd, p.total_budget_usd, p.donor, p.donor_type) for p in projects]
    assert got == PORTFOLIO
    assert projects[0].project_name.startswith("Umbrella Programme 2019–2021: Comprehensive Programme")
    assert projects[6].project_name == "Spotlight Initiative Regional Programme for Central Asia and Afghanistan"
    assert [p.amount_basis for p in projects] == ["single amount"] * 6 + ["share and total"] * 2
    # The text rendition underlines "earmarked" with HTML; the record has the plain word.
    assert "non-core funding earmarked for preparation" in projects[1].project_name


@pytest.mark.shared
def test_cpe_findings_with_criteria(cpe):
    findings = records(cpe, "evaluation_findings")
    assert [f.finding_no for f in findings] == list(range(1, 18))
    assert {f.finding_no: f.criterion for f in findings} == CRITERIA
    assert findings[14].criterion_heading == "Sustainability, gender equality and human rights"
    # The body states each finding in full (the executive summary splits some over two paragraphs).
    assert findings[0].headline.startswith(
        "The Kazakhstan Country Office portfolio of activities was largely consistent"
    )
    assert findings[0].headline.endswith("not largely adhered to by the Country Office”.")
    assert findings[9].headline.startswith("Positive results were achieved in the Leadership and Governance")
    assert findings[16].headline.endswith("attributed to interventions by the Country Office.")


@pytest.mark.shared
def test_cpe_recommendations_with_attributes(cpe):
    recommendations = records(cpe, "evaluation_recommendations")
    got = {
        r.rec_no: (
            r.priority,
            r.impact,
            r.difficulty,
            r.timeframe,
            r.timeframe_start_year,
            r.timeframe_end_year,
            r.n_actions,
        )
        for r in recommendations
    }
    assert got == RECOMMENDATIONS
    assert recommendations[0].text.startswith("Strategically define the Country Office's theory of change")
    # Recommendations 6-8 print text and attributes run together; the text stops where the attributes start.
    assert recommendations[5].text.endswith("or implementing joint regional initiatives.")


@pytest.mark.shared
def test_cpe_every_action(cpe):
    actions = records(cpe, "evaluation_recommendation_actions")
    assert len(actions) == 33
    by_key = {(a.rec_no, a.action_no): a.action_text for a in actions}
    assert by_key[(1, 3)] == "Allocate sufficient time for this exercise and prioritize it"
    assert by_key[(1, 5)].endswith(
        "such as Ending Violence Against Women, Women's Economic Empowerment, and Leadership and Governance"
    )
    assert by_key[(5, 3)] == "Lead the annual fully fledged UNCT SWAP reporting"
    assert by_key[(8, 2)] == "Invest in building partnerships"
    assert by_key[(7, 5)] == "Invest in developing key, solid, targeted project proposals"
    for rec_no, expected in RECOMMENDATIONS.items():
        assert [a.action_no for a in actions if a.rec_no == rec_no] == list(range(1, expected[-1] + 1))


@pytest.mark.shared
def test_cpe_lessons_and_conclusions(cpe):
    lessons = records(cpe, "evaluation_lessons")
    assert [lesson.lesson_no for lesson in lessons] == list(range(1, 10))
    assert lessons[0].headline.startswith("Without a relevant Strategic Note and theory of change")
    assert lessons[8].headline.startswith("Strategic management integrated in all aspects")
    assert lessons[8].body.endswith("Country Office, Regional Office and headquarters levels.")  # photo credit left out
    conclusions = records(cpe, "evaluation_conclusions")
    assert [c.conclusion_no for c in conclusions] == [1, 2, 3, 4, 5]
    assert conclusions[3].headline.startswith("To ensure the effectiveness of the Country Office portfolio")


@pytest.mark.shared
def test_cpe_budget_and_delivery(cpe):
    statements = records(cpe, "evaluation_budget_statements")
    [period] = [s for s in statements if s.scope == "period" and s.delivered_usd is not None]
    assert (period.period_start, period.period_end, period.budget_usd, period.delivered_usd) == (
        2016,
        2020,
        8 * M,
        6.3 * M,
    )
    assert period.stated_delivery_rate == 0.78
    annual = {s.period_start: s.budget_usd for s in statements if s.scope == "year"}
    assert annual == {2016: 1.93 * M, 2020: 1.62 * M}
    # The "US$ 8M budget" figure caption repeats the period budget (executive summary and methodology pages).
    captions = [s for s in statements if s.scope == "period" and s.delivered_usd is None]
    assert [s.budget_usd for s in captions] == [8 * M, 8 * M]


@pytest.mark.shared
def test_cpe_programme_budget_stated_in_text(cpe):
    statements = records(cpe, "evaluation_programme_statements")
    assert len(statements) == 2
    for statement in statements:
        assert statement.project_name == "Spotlight Initiative Regional Programme for Central Asia and Afghanistan"
        assert (statement.total_usd, statement.entity_share_usd) == (4.4 * M, 2.5 * M)
        assert statement.total_tolerance_usd == 50_000


@pytest.mark.shared
def test_cpe_key_figures(cpe):
    figures = records(cpe, "evaluation_key_figures")

    def values(figure, year="any"):
        return sorted(f.value for f in figures if f.figure == figure and (year == "any" or f.year == year))

    assert values("population") == [18.2 * M, 18.8 * M]
    assert values("documents reviewed") == [180, 180, 180]
    assert values("interviewees") == [25, 25, 25]
    assert (values("interviewees: women"), values("interviewees: men")) == ([19], [6])
    assert (values("survey sample"), values("survey respondents"), values("survey response rate")) == ([52], [19], [36])
    assert (values("survey respondents: women"), values("survey respondents: men")) == ([18], [1])
    assert values("personnel", 2016) == [15]
    assert values("personnel", 2018) == [6, 6, 8]
    assert values("personnel", 2020) == [16, 16]
    assert values("projects in portfolio") == [7, 7, 7]
    assert values("rank: Global Gender Gap Index", 2020) == [72, 72, 72]
    assert values("rank: Global Gender Gap Index – Political Empowerment") == [106, 106]
    assert values("rank: Human Development Index") == [50, 51]
    assert values("population share: women") == [52]
    assert values("employment rate: women") == [80, 80]
    gggi = next(f for f in figures if f.figure == "rank: Global Gender Gap Index")
    assert gggi.unit == "rank of 153"


@pytest.mark.shared
def test_pdf_and_text_rendition_give_the_same_records(cpe_pdf, cpe_text):
    def without_provenance(rows):
        return [{k: v for k, v in dataclasses.asdict(r).items() if not k.startswith("source_page")} for r in rows]

    assert cpe_pdf.parsed.records.keys() == cpe_text.parsed.records.keys()
    for table in cpe_pdf.parsed.records:
        assert without_provenance(records(cpe_pdf, table)) == without_provenance(records(cpe_text, table)), table


@pytest.mark.shared
def test_pdf_provenance_is_the_printed_page(cpe_pdf):
    findings = {f.finding_no: f for f in records(cpe_pdf, "evaluation_findings")}
    assert (findings[1].source_page, findings[1].source_page_last) == (12, 13)  # statement runs onto page 13
    assert (findings[10].source_page, findings[10].source_page_last) == (18, 18)
    assert {(p.source_page, p.source_page_last) for p in records(cpe_pdf, "evaluation_portfolio_projects")} == {
        (15, 15)
    }
    statements = records(cpe_pdf, "evaluation_budget_statements")
    period = next(s for s in statements if s.delivered_usd is not None)
    assert (period.source_page, period.source_page_last) == (9, 9)
    assert {(s.source_page, s.source_page_last) for s in statements if s.scope == "year"} == {(9, 10)}
    lessons = records(cpe_pdf, "evaluation_lessons")
    assert (lessons[8].source_page, lessons[8].source_page_last) == (22, 23)  # "9" sits at the foot of page 22
    recommendations = records(cpe_pdf, "evaluation_recommendations")
    assert (recommendations[4].source_page, recommendations[4].source_page_last) == (25, 26)


@pytest.mark.shared
def test_text_provenance_is_the_line_number(cpe_text):
    findings = records(cpe_text, "evaluation_findings")
    assert (findings[0].source_page, findings[0].source_page_last) == (771, 773)
    assert [p.source_page for p in records(cpe_text, "evaluation_portfolio_projects")] == list(range(845, 853))
    period = next(s for s in records(cpe_text, "evaluation_budget_statements") if s.delivered_usd is not None)
    assert period.source_page == 563
    assert records(cpe_text, "evaluation_lessons")[8].source_page == 1111


# --- Liberia ICPE: what the same template reaches --------------------------------------------------


@pytest.fixture(scope="module")
def liberia(shared_extraction):
    return shared_extraction(LIBERIA)


@pytest.mark.shared
def test_liberia_icpe(liberia):
    assert liberia.doc_type == "evaluation"
    info = liberia.parsed.info
    assert (info.title, info.country, info.report_year, info.period_start, info.period_end) == (
        "Independent Country Programme Evaluation — Liberia",
        "Liberia",
        2025,
        2020,
        2024,
    )
    findings = records(liberia, "evaluation_findings")
    assert [f.finding_no for f in findings] == list(range(1, 17))
    assert (findings[0].title, findings[0].criterion) == ("Relevance", "Relevance")
    assert findings[0].headline.startswith("In line with the evolving nature of the country’s peace")
    assert (findings[15].title, findings[15].criterion) == ("Sustainability", "Sustainability")
    assert findings[4].title == "Inclusive, transparent, and peaceful elections"  # footnote mark dropped
    conclusions = records(liberia, "evaluation_conclusions")
    assert [(c.conclusion_no, c.title) for c in conclusions][:2] == [
        (1, "Responsiveness"),
        (2, "Strategic and programmatic approach"),
    ]
    assert len(conclusions) == 6
    recommendations = records(liberia, "evaluation_recommendations")
    assert [r.rec_no for r in recommendations] == [1, 2, 3, 4, 5, 6]
    assert {r.management_response for r in recommendations} == {"Accepted"}
    assert [r.n_actions for r in recommendations] == [3, 3, 4, 3, 3, 2]
    actions = records(liberia, "evaluation_recommendation_actions")
    first = actions[0]
    assert (first.action_ref, first.timeframe, first.timeframe_end_year, first.responsible_unit) == (
        "1.1",
        "January— April 2025",
        2025,
        "UNDP Management",
    )
    assert first.action_text.startswith("Needs Assessment and Stakeholder Engagement:")
    assert [a.action_ref for a in actions if a.rec_no == 3] == ["3.1a", "3.1.b", "3.2", "3.3"]
    [budget] = records(liberia, "evaluation_budget_statements")
    assert (budget.scope, budget.budget_usd, budget.delivered_usd) == ("period", 165 * M, None)
    assert records(liberia, "evaluation_lessons") == []
    assert records(liberia, "evaluation_portfolio_projects") == []  # the project list is an external annex


# --- Generated reports -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    spec = synthetic_spec("Moldova", 2018, 2022, seed=3)
    path = build_evaluation_pdf(spec, tmp_path_factory.mktemp("cpe") / "moldova.pdf")
    return spec, extract_file(path)


def test_generated_report_loads_completely(generated):
    spec, extraction = generated
    assert extraction.doc_type == "evaluation"
    info = extraction.parsed.info
    assert (info.country, info.period_start, info.period_end, info.report_year) == ("Moldova", 2018, 2022, 2023)
    findings = records(extraction, "evaluation_findings")
    assert [(f.criterion, f.headline) for f in findings] == [(f.criterion, f.headline) for f in spec.findings]
    recommendations = records(extraction, "evaluation_recommendations")
    assert [(r.text, r.priority, r.impact, r.difficulty, r.timeframe) for r in recommendations] == [
        (r.text, r.priority, r.impact, r.difficulty, r.timeframe) for r in spec.recommendations
    ]
    actions = records(extraction, "evaluation_recommendation_actions")
    assert [a.action_text for a in actions] == [
        a for r in spec.recommendations for a in r.actions
    ]  # "(cid:127)" bullets
    assert [lesson.headline for lesson in records(extraction, "evaluation_lessons")] == spec.lessons
    assert [c.headline for c in records(extraction, "evaluation_conclusions")] == spec.conclusions


def test_generated_budget_portfolio_and_figures(generated):
    spec, extraction = generated
    projects = records(extraction, "evaluation_portfolio_projects")
    assert [(p.project_name, p.start_year, p.end_year, p.donor) for p in projects] == [
        (p.name, p.start_year, p.end_year, p.donor) for p in spec.projects
    ]
    assert [p.total_budget_usd for p in projects] == [p.total_usd for p in spec.projects]
    period = next(s for s in records(extraction, "evaluation_budget_statements") if s.scope == "period")
    assert (period.budget_usd, period.delivered_usd) == (spec.budget_musd * M, spec.delivered_musd * M)
    assert period.stated_delivery_rate == spec.stated_rate_percent / 100
    annual = {
        s.period_start: s.budget_usd for s in records(extraction, "evaluation_budget_statements") if s.scope == "year"
    }
    assert annual == {year: amount * M for year, amount in spec.annual_budgets_musd.items()}
    [programme] = records(extraction, "evaluation_programme_statements")
    assert programme.project_name == spec.projects[0].name
    figures = {f.figure: f.value for f in records(extraction, "evaluation_key_figures")}
    assert figures["population"] == spec.population_millions * M
    assert figures["projects in portfolio"] == len(spec.projects)


def test_portfolio_row_cut_by_a_page_break_is_one_project(tmp_path):
    spec = synthetic_spec("Georgia", 2017, 2021, seed=1, n_projects=8)
    spec.name_column_mm = 30
    spec.projects[4].name += " with a long descriptive title that wraps over many lines of a narrow column" * 12
    extraction = extract_file(build_evaluation_pdf(spec, tmp_path / "georgia.pdf"))
    projects = records(extraction, "evaluation_portfolio_projects")
    assert [p.project_name for p in projects] == [p.name for p in spec.projects]
    cut = projects[4]
    assert cut.source_page_last == cut.source_page + 1
    assert (cut.start_year, cut.total_budget_usd) == (spec.projects[4].start_year, spec.projects[4].total_usd)


def test_attributes_printed_inline(tmp_path):
    spec = synthetic_spec("Albania", 2019, 2023, seed=5)
    spec.inline_attributes = True
    extraction = extract_file(build_evaluation_pdf(spec, tmp_path / "albania.pdf"))
    recommendations = records(extraction, "evaluation_recommendations")
    assert [(r.text, r.priority, r.impact, r.timeframe, r.difficulty, r.n_actions) for r in recommendations] == [
        (r.text, r.priority, r.impact, r.timeframe, r.difficulty, len(r.actions)) for r in spec.recommendations
    ]


def test_a_document_without_numbered_items_is_an_extraction_error():
    lines = [
        Line(1, n, text, n)
        for n, text in enumerate(["COUNTRY PORTFOLIO EVALUATION", "ARMENIA", "Nothing numbered here."], 1)
    ]
    document = Document("empty.txt", "text", [Page(1, None, None, lines)], [])
    with pytest.raises(ExtractionError, match="no numbered findings or recommendations"):
        parse(document)


@pytest.mark.parametrize(
    ("donor", "kind"),
    [
        ("Ministry of Foreign Affairs of Kazakhstan", "government ministry"),
        ("EU", "EU"),
        ("European Union", "EU"),
        ("UNDP", "UN agency"),
        ("UN Peacebuilding Fund", "UN agency"),
        ("Government of Norway", "bilateral government"),
        ("World Bank", "development bank"),
        ("Bill & Melinda Gates Foundation", "foundation"),
        ("Acme Corporation", "private sector"),
        ("Various", "other"),
        (None, None),
    ],
)
def test_donor_types(donor, kind):
    assert donor_type(donor) == kind


# --- Recommendation-status CSV ---------------------------------------------------------------------


def test_status_csv(tmp_path):
    path = tmp_path / "status.csv"
    path.write_text(
        "report_id,rec_no,action_no,status,status_date,management_response,comment,reported_by\n"
        "evaluation-kazakhstan-2016-2020,1,,Completed,2022-06-30,Accepted,New Strategic Note approved,IES\n"
        "evaluation-kazakhstan-2016-2020,2,3,ongoing,,,,\n",
        encoding="utf-8",
    )
    assert not_a_status_csv(path) is None
    first, second = read_recommendation_status_csv(path)
    assert (first.rec_no, first.action_no, first.status, first.status_date, first.management_response) == (
        1,
        None,
        "completed",
        "2022-06-30",
        "accepted",
    )
    assert (second.rec_no, second.action_no, second.status, second.source_page) == (2, 3, "ongoing", 3)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("r,1,,done,,", "status must be one of"),
        ("r,x,,completed,,", "rec_no must be a positive whole number"),
        ("r,1_0,,completed,,", "rec_no must be a positive whole number"),
        ("r,\u0663,,completed,,", "rec_no must be a positive whole number"),
        ("r,1,2.0,completed,,", "action_no must be empty or a positive whole number"),
        ("r,1,,completed,30/06/2022,", "status_date must be an ISO date"),
        (",1,,completed,,", "report_id is empty"),
        ("r,1,,completed,,maybe", "management_response must be empty or one of"),
    ],
)
def test_status_csv_names_the_bad_line(tmp_path, row, reason):
    path = tmp_path / "status.csv"
    path.write_text(f"report_id,rec_no,action_no,status,status_date,management_response\n{row}\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match=rf"line 2: {reason}"):
        read_recommendation_status_csv(path)


def test_a_csv_without_the_columns_is_not_a_status_csv(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\na,1\n", encoding="utf-8")
    assert not_a_status_csv(path) == (
        "not a recommendation-status CSV: its header lacks column(s) report_id, rec_no, status"
        " (expected report_id, rec_no, status, optionally action_no, status_date, management_response, comment,"
        " reported_by; found 'name', 'value')"
    )
    with pytest.raises(ExtractionError, match="lacks column"):
        read_recommendation_status_csv(path)


@pytest.mark.parametrize(
    ("mark", "encoding"),
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_a_status_csv_saved_by_a_spreadsheet_is_read(tmp_path, mark, encoding):
    path = tmp_path / "status.csv"
    text = "Report_ID,Rec_No,Status,Comment\r\nevaluation-kazakhstan-2016-2020,1,Ongoing,Stratégie adoptée\r\n"
    path.write_bytes(mark + text.encode(encoding))
    assert not_a_status_csv(path) is None
    [update] = read_recommendation_status_csv(path)
    assert (update.report_id, update.rec_no, update.status, update.comment) == (
        "evaluation-kazakhstan-2016-2020",
        1,
        "ongoing",
        "Stratégie adoptée",
    )


def test_a_csv_that_is_not_text_says_which_byte(tmp_path):
    path = tmp_path / "status.csv"
    path.write_bytes(b"report_id,rec_no,status\nevaluation-x,1,ongoing,\x81\n")
    assert not_a_status_csv(path) == "not UTF-8 text: byte 47 (0x81) cannot be decoded"
    with pytest.raises(ExtractionError, match=r"^status.csv: not UTF-8 text: byte 47 \(0x81\)"):
        read_recommendation_status_csv(path)
