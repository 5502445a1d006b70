"""The UNCT-SWAP scorecard parser on the reference report (PDF and text rendition) and on generated PDFs.

Expected values are read from the Kazakhstan 2022 report by hand.  Generated
reports check what the reference cannot: another year, five action-plan
columns, other ratings, and layouts the parser must recover from.
"""

from __future__ import annotations

import dataclasses

import pytest

from extract.document.errors import ExtractionError
from extract.document.model import Document, Line, Page, Table, TableRow
from extract.pipeline import extract_file
from extract.reports.scorecard.parser import parse
from extract.reports.scorecard.template import INDICATORS
from samples.pdf_builder import Heading, Para, build_pdf
from samples.scorecard_pdf import build_scorecard_pdf, build_scorecard_text, scorecard_report, synthetic_spec

PDF = "corpus/reconstructed/unct-swap-scorecard-kazakhstan-2022.pdf"
TEXT = "seeds/001_24066efab69a0b62.txt"

# Table 1 of the report (rating level, reassessed), repeated in each indicator's section.
RATINGS = {
    "1.1": ("Approaches", False),
    "1.2": ("Exceeds", False),
    "1.3": ("Meets", False),
    "2.1": ("Meets", False),
    "2.2": ("Exceeds", True),
    "2.3": ("Approaches", False),
    "3.1": ("Exceeds", False),
    "3.2": ("Meets", True),
    "4.1": ("Meets", False),
    "4.2": ("Meets", False),
    "4.3": ("Approaches", False),
    "5.1": ("Missing", False),
    "5.2": ("Approaches", True),
    "6.1": ("Approaches", True),
    "7.1": ("Approaches", True),
}

# Action plan, YEAR 1..4 = 2019..2022: (start of the text, end of the text) per cell, or the cell's status
# when it holds no activity.  Ends are checked where the PDF or the text rendition splits the cell.
ACTIVITIES = {
    "1.1": [
        ("N/A (New CCA is being drafted", "not ready to be assessed)."),
        ("UNSDCF was finalized and agreed", "in Q3 2020."),
        ("CCA has been updated in October 2021", "October 2021"),
        ("In 2022 CCA has been updated in March", "providing gender-sensitive inputs."),
    ],
    "1.2": [
        ("N/A (New UNSDCF 2020+ is being drafted", "but not ready to be assessed)."),
        ("UNSDCF was finalized", "Government of kazakhstan in Q3 2020."),
        ("UNSDCF was finalized", "Government of kazakhstan in Q3 2020."),
        ("In 2021 the UN started UNSDCF's implementation", "planned UNSDCF's Outcomes and Outputs."),
    ],
    "1.3": [
        ("N/A (New UNSDCF 2020+", "ready to be assessed)."),
        ("UNSDCF was finalized", "in Q3 2020."),
        ("UNSDCF was finalized", "in Q3 2020."),
        ("UNSDCF Outcomes long-run indicators remained unchanged", "bi-annual work plan 2022-2023"),
    ],
    "2.1": [
        ("The Gender Theme Group has been strengthened", "part of UNPFD Results Groups."),
        ("In 2020 the EU funded Spotlight Initiative", "UN Women, UNFPA and UNDP."),
        ("In 2020 the EU funded Spotlight Initiative", "UN Women, UNFPA and UNDP."),
        (
            "In 2022 the following joint programmes",
            "support to CA member states for rehabilitation and "
            "reintegration of returnees from conflict zones and other.",
        ),
    ],
    "2.2": [
        ("Action recommended at the baseline", "has not yet happened."),
        ("Communication and Advocacy for GEWE", "joint advocacy campaigns and statements"),
        ("Communication and Advocacy for GEWE", "joint advocacy campaigns and statements"),
        ("Communication and Advocacy for GEWE", "the 30th UN anniversary in Kazakhstan."),
    ],
    "2.3": [
        ("- The 2019 independent evaluation of the UNPFD", "focus on RBM in Oct 2019."),
        ("UNSDCF M&E section provided", "during UNSDCF 2021-2025"),
        ("UNSDCF aM&E section provided", "during UNSDCF 2021-2025"),
        ("UNSDCF's M&E section provided", "The mid-term review preliminary is scheduled for 2023."),
    ],
    "3.1": [
        "not_applicable",
        (
            "The Government of Kazakhstan is actively engaged",
            "Women's Machinery, as well as through work on "
            "legislation and development of programmes and projects in cooperation with UN system in Kazakhstan",
        ),
        ("The Government of Kazakhstan is actively engaged", "cooperation with UN system in Kazakhstan"),
        (
            "The Government of Kazakhstan is actively engaged",
            "Machinery, as well as through work of the "
            "GOovernment as a commitment maker under the Global Generation Equality Forum's Action Coalitions on "
            "GBV and EJR. Also, Kazakhstan contributed financially to the Spotlight Initiative Regional Programme.",
        ),
    ],
    "3.2": [
        (
            "UN Women selected a new and expanded membership",
            "combined with UNSDCF Strategic Partnership Retreat in Nur-Sultan.",
        ),
        ("The Spotlight Initiative a specific Pillar 6", "engagement in EAW work"),
        ("The Spotlight Initiative a specific Pillar 6", "engagement in EAW work"),
        ("The Spotlight Initiative a specific Pillar 6", "building capacity in the equivalent USD 680,000."),
    ],
    "4.1": [
        ("GEWE remains a standing item", "individual action promote GEWE."),
        "not_applicable",
        ("RC is actively engaged in GEWE", "SDGs advancing in the country"),
        ("RC is actively engaged in GEWE", "for advancing GEWE in the country."),
    ],
    "4.2": [
        ("No specific action has been taken since the baseline", "on this indicator."),
        "not_applicable",
        ("RC and HOAs are engaged in GTG", "extended GTG work"),
        ("RC and HOAs are engaged in GTG", "processes pertaining to ensuring PSEA."),
    ],
    "4.3": [
        ("No action has been taken since the baseline by the UNCT.", "by the UNCT."),
        "not_applicable",
        "not_applicable",
        ("It is planned to conduct a survey", "during the SWAP GSC Comprehensive report in 2023."),
    ],
    "5.1": [
        ("- HoA are encouraged to attend at least one GTG meeting per year", "the start of the UNSCDF process."),
        ("- HoA are encouraged to attend GTG", "development of the new UNCT GTG guidance"),
        "no_cell",
        ("An extended GTG group", "as well as joint advocacy initiatives."),
    ],
    "5.2": [
        ("Aside from a number of training events related to GEWE in 2019", "or induction materials."),
        ("UNCT SWAP Gender Scorecard two-day training", "conducted for UNCT."),
        "no_cell",
        (
            "GEE training for UNCT and UN personnel",
            "is planned in 2022 Gender Marker for UNCT and UN personnel in Kazakhstan is planned for 2023.",
        ),
    ],
    "6.1": [
        ("Since the baseline, the UNCT has not established a financial target", "in some cases indicators."),
        ("Will be identified in 2021", "UNSDCF Joint Work Plans"),
        ("Planned resources are budgeted", "of three UNSDCF working groups"),
        (
            "Planned resources are budgeted in the UNCT bi-annual",
            "At least 26% of overall funds are dedicated to GEWE.",
        ),
    ],
    "7.1": [
        (
            "- Since the baseline, the UNCT has been monitoring progress",
            "reported in the 2019 independent evaluation of the PFD.",
        ),
        ("Will be identified in 2021", "UNSDCF Joint Work Plans"),
        ("Results are reflected in UNSDCF Annual Workplan 2021", "and Frameworks"),
        ("Results are reflected in UNCT Annual Report 2021", "national (SDGs achievement and localisation) levels."),
    ],
}

ACTION_POINTS = {
    "1.1": ("Ensure that all CCA sectors (1) contain gender analysis", "across all sectors."),
    "1.2": (
        "Ensure that all next UNDAF Outcomes are gender-mainstreamed in line with SDG priorities",
        "either sex-disaggregated or gender-sensitive.",
    ),
    "1.3": None,
    "2.1": ("Develop a checklist that includes gender aspects", "together with draft programme document."),
    "2.2": ("Ensure that UNCG strategy and AWP", "including those working in non-traditional sectors."),
    "2.3": ("Gather data for gender sensitive UNDAF indicators", "Organize gender training for Results Groups."),
    "3.1": (
        "To exceed in this already well-performing area, UNCT may consider engaging (1) more of government "
        "partners focusing their work on the most disadvantaged, such as rural women/girls",
        "continue through the whole UNDAF cycle till evaluation.",
    ),
    "3.2": (
        "To exceed in this already well-performing area, UNCT may consider engaging (1) more of CSOs",
        "such as trade and macro-economics; climate change adaptation and disaster risk reduction, gender "
        "identities and sexual orientation. The engagement should begin at CCA stage and continue through the "
        "whole UNDAF cycle till evaluation.",
    ),
    "4.1": None,
    "4.2": None,
    "4.3": (
        "Regularly gather gender parity data across all agencies",
        "Ensure that gender parity issues are "
        "discussed at UNCT level at least once a year and additional measures are considered in this regard.",
    ),
    "5.1": ("Consider a possibility of revising GTG ToR", "Ensure that GTG is involved into all UNDAF stages."),
    "5.2": (
        "Organize an inter-agency capacity assessment on gender-related knowledge",
        "(i.e. GTG, UNPFD Results Groups). Invite representatives of CSOs working on gender issues, for "
        "knowledge sharing with a wider UN audience. Develop a UN system-wide induction package for newly "
        "recruited staff that contains information on UNCT commitment and activities on GEWE, and country's "
        "gender context.",
    ),
    "6.1": ("This assessment revealed that 16 percent of 2016 UNPFD resources", "in UNPFD Work Plan."),
    "7.1": ("UNPFD Results Groups, in cooperation with GTG", "including on UNCT gender-related performance."),
}

EVIDENCE = [
    ("2.1", "Joint Program documents", "1. ProDoc - Umbrella Programme - 17-06-19 - Consolidated"),
    ("2.1", "Joint Program documents", "Central Asia Regional Programme Document FINAL_ENG"),
    ("2.1", "Joint Program documents", "UBRAF_2020-2021_final"),
    (
        "2.2",
        "Communication/Advocacy",
        "Evidence or Means of Verification for the INDICATOR 22. (Hyperlynks to the resources)",
    ),
    ("2.2", "Communication/Advocacy", "UNCT Kaz Joint Comms Plan 2022"),
    ("2.2", "Communication/Advocacy", "Central Asia Regional Programme Document FINAL_ENG"),
    ("3.1", "Government engagement", "Actualization of the Concept on Gender and Family Policy"),
    ("3.1", "Government engagement", "Concept note 09.12"),
    ("3.1", "Government engagement", "EN SEIA II Exec Sum 04.07.2021"),
    ("3.1", "Government engagement", "NAP UNSCR1325"),
    ("3.1", "Government engagement", "ToR for the pilot EAW prevalence study- Bureau of Stat"),
    ("3.2", "GEWE CSO engagement", "Central Asia Regional Programme Document FINAL ENG"),
    ("3.2", "GEWE CSO engagement", "National CSO Meetings Report on Outcomes 30.06.2022 Spotlight"),
    ("3.2", "Other", "Minutes of meeting VNR - UN"),
    ("3.2", "Other", "VNR Roadmap for Kazakhstan"),
    ("3.2", "Other", "VNR 2022 Kazakhstan Main Messages English"),
    ("4.1", "RC communications", "2021 UNCT Kazakshstan Performance Plan evaluation"),
    ("4.1", "RC communications", "UNCT meeting minutes 30 September 2021"),
    ("5.2", "Capacity development", "WSAT Kazakhstan schedule June 2022"),
    ("5.2", "Capacity development", "Brown Bag Event Agenda & LoP BL 20 Oct"),
    ("5.2", "Capacity development", "BBL Women in Charge (Flyer)"),
    ("5.2", "Other", "IMG 3927"),
    ("6.1", "Other", "UN Kazakhstan 2021 Annual Report EN 0"),
    ("6.1", "Financial resources", "UNSDCF Financial framework"),
    ("6.1", "Other", "UNSDCF Kazakhstan 2021-2025 ENG"),
    ("7.1", "Other", "Updated the Concept on Gender and Family Policy 2022"),
    ("7.1", "Other", "WEF GGGR 2022"),
    ("7.1", "Cooperation Framework reviews/monitoring data", "UNSDCF Kazakhstan 2021-2025 ENG"),
    ("7.1", "Other", "UN Info UNCT Kaz JWP - export file"),
]

TEAM = [
    (1, "Gaukhar Nursha", "Gender Specialist", "UNDP"),
    (2, "Azamat Zhamandinov", "Child Protection Officer", "UNICEF"),
    (3, "Kamidola Aizhan", "National Gender Expert", "FAO"),
    (4, "Dinara Yerniyazova", "National Programme Officer", "UNODC"),
    (5, "Dina Amrisheva", "Programme Manager", "UN Women"),
    (6, "Dinara Shamenova", "Programme Associate", "UN Women"),
    (
        7,
        "Abylaikhan Dauletalin",
        "Development Coordination Officer, Data Management & Results Monitoring/Reporting",
        "UNRCO",
    ),
    (8, "Nina Henke", "Programme Analyst", "UNAIDS"),
]


@pytest.fixture(scope="module")
def pdf_extraction(shared_extraction):
    return shared_extraction(PDF)


@pytest.fixture(scope="module")
def text_extraction(shared_extraction):
    return shared_extraction(TEXT)


@pytest.fixture(scope="module", params=["pdf", "text"])
def parsed(request, pdf_extraction, text_extraction):
    extraction = pdf_extraction if request.param == "pdf" else text_extraction
    assert extraction.doc_type == "scorecard"
    return extraction.parsed


def _records(parsed, table):
    return parsed.records[table]


@pytest.mark.shared
def test_report_is_kazakhstan_2022_annual_progress(parsed):
    assert parsed.info.country == "Kazakhstan"
    assert parsed.info.report_year == 2022
    [report] = _records(parsed, "scorecard_reports")
    assert (report.country, report.assessment_year, report.assessment_type) == ("Kazakhstan", 2022, "annual_progress")
    assert report.action_plan_year_columns == 4


@pytest.mark.shared
@pytest.mark.parametrize("section", ["overview", "detail", "evidence"])
def test_every_section_states_all_15_ratings(parsed, section):
    stated = {s.pi_code: s for s in _records(parsed, "scorecard_rating_statements") if s.section == section}
    assert {code: s.rating for code, s in stated.items()} == {code: r for code, (r, _) in RATINGS.items()}
    if section != "evidence":
        assert {code: s.reassessed for code, s in stated.items()} == {code: f for code, (_, f) in RATINGS.items()}
    assert len([s for s in _records(parsed, "scorecard_rating_statements") if s.section == section]) == 15


@pytest.mark.shared
def test_detailed_findings_keep_criteria_and_findings_apart(parsed):
    details = {d.pi_code: d for d in _records(parsed, "scorecard_indicator_details")}
    assert set(details) == set(RATINGS)
    assert details["1.1"].criteria_text.startswith("CCA or equivalent includes: (a) Gender analysis")
    assert details["1.1"].findings_text.startswith("a) Gender analysis across the majority of sectors")
    assert details["2.2"].criteria_text.startswith("Meets minimum requirements AND (d)")
    assert details["2.1"].dimension_label == "Programming and M&E"
    assert details["4.2"].criteria_text.endswith("scored a positive rating of 65-79 percent.")
    assert details["4.2"].findings_text.endswith("(2019 data)")
    assert details["5.1"].criteria_text is None and details["5.1"].findings_text is None
    assert details["2.3"].indicator_statement == (
        "Cooperation Framework monitoring and evaluation measures progress against planned gender equality results"
    )
    # The means of verification that follow the reassessment answer are not findings.
    assert "UNCG Annual Work Plan 2022" not in details["2.2"].findings_text
    assert "gender-based violence" in details["2.2"].findings_text


@pytest.mark.shared
def test_action_plan_has_one_row_per_indicator_and_year(parsed):
    activities = _records(parsed, "scorecard_action_plan_activities")
    keys = [(a.pi_code, a.year_index) for a in activities]
    assert sorted(keys) == sorted((code, year) for code in RATINGS for year in range(1, 5))
    assert {(a.year_index, a.calendar_year) for a in activities} == {(1, 2019), (2, 2020), (3, 2021), (4, 2022)}
    assert {a.year_columns for a in activities} == {4}


@pytest.mark.shared
@pytest.mark.parametrize("code", sorted(ACTIVITIES))
def test_action_plan_activities_sit_on_their_indicator_and_year(parsed, code):
    cells = {a.year_index: a for a in _records(parsed, "scorecard_action_plan_activities") if a.pi_code == code}
    for year_index, expected in enumerate(ACTIVITIES[code], start=1):
        cell = cells[year_index]
        if isinstance(expected, str):
            assert (cell.activity_text, cell.cell_status) == (None, expected), (code, year_index)
        else:
            start, end = expected
            assert cell.activity_text.startswith(start), (code, year_index, cell.activity_text)
            assert cell.activity_text.endswith(end), (code, year_index, cell.activity_text)
            assert cell.cell_status == ("not_applicable" if start.startswith("N/A") else "reported")


@pytest.mark.shared
@pytest.mark.parametrize("code", sorted(ACTION_POINTS))
def test_action_points_are_whole(parsed, code):
    activities = [a for a in _records(parsed, "scorecard_action_plan_activities") if a.pi_code == code]
    points = {a.action_point for a in activities}
    assert len(points) == 1
    [point] = points
    expected = ACTION_POINTS[code]
    if expected is None:
        assert point is None and {a.action_point_status for a in activities} == {"not_applicable"}
    else:
        assert point.startswith(expected[0]) and point.endswith(expected[1]), point


@pytest.mark.shared
def test_label_spilling_into_the_action_column_is_read_one_column_left(parsed):
    activities = _records(parsed, "scorecard_action_plan_activities")
    spilled = {a.pi_code for a in activities if a.label_spilled}
    assert spilled == {"5.1", "5.2"}


@pytest.mark.shared
def test_no_action_plan_fragment_is_lost_or_repeated(parsed):
    texts = [a.activity_text or "" for a in _records(parsed, "scorecard_action_plan_activities")]
    points = {a.action_point or "" for a in _records(parsed, "scorecard_action_plan_activities")}
    everything = " ".join(texts) + " ".join(points)
    for fragment in [
        "states for rehabilitation and reintegration of returnees",  # 2.1, YEAR 4 continues on the next page
        "government partners focusing their work on the most disadvantaged, such as rural",  # 3.1, page break
        "Gender Marker for UNCT and UN personnel in Kazakhstan is planned for 2023.",  # 5.2, continuation row
        "representatives of CSOs working on gender issues",  # 5.2 action point, continuation row
        "the equivalent USD 680,000.",  # 3.2, continuation row
        "Comprehensive report in 2023.",  # 4.3, continuation row
    ]:
        assert everything.count(fragment) == 1, fragment


@pytest.mark.shared
def test_supporting_evidence_lists_every_document_once(parsed):
    documents = [(d.pi_code, d.category, d.document_name) for d in _records(parsed, "scorecard_evidence_documents")]
    assert documents == EVIDENCE
    without = set(RATINGS) - {code for code, _, _ in EVIDENCE}
    assert without == {"1.1", "1.2", "1.3", "2.3", "4.2", "4.3", "5.1"}


@pytest.mark.shared
def test_assessment_team(parsed):
    team = [(m.member_no, m.member_name, m.role, m.un_entity) for m in _records(parsed, "scorecard_team_members")]
    assert team == TEAM
    by_name = {m.member_name: m for m in _records(parsed, "scorecard_team_members")}
    assert by_name["Kamidola Aizhan"].entity_text == "FAO Partnership and Liaison Office in the Republic of Kazakhstan"
    assert by_name["Dinara Yerniyazova"].entity_text == "UNODC in Kazakhstan, Astana office"


@pytest.mark.shared
def test_means_of_verification(parsed):
    items = _records(parsed, "scorecard_means_of_verification")
    counts: dict[str, int] = {}
    for item in items:
        counts[item.pi_code] = counts.get(item.pi_code, 0) + 1
    assert counts == {"2.2": 10, "3.2": 5, "5.2": 2, "6.1": 5, "7.1": 5}
    texts = {(i.pi_code, i.item_no): i.item_text for i in items}
    assert texts[("2.2", 1)] == "UNCG Annual Work Plan 2022"
    assert texts[("6.1", 2)] == "2021 Joint Work Plan"
    assert texts[("7.1", 2)] == (
        "President's decree on the approval of the updated Concept on Gender and Family Policy in Kazakhstan "
        "until 2030 https://adilet.zan.kz/rus/docs/U2200000853"
    )
    assert texts[("2.2", 5)].endswith("https://drive.google.com/drive/folders/1ypuldBHKZxyiZOL4hgQj1KA6Eo-svupO)")


@pytest.mark.shared
def test_stated_metrics(parsed):
    metrics = [
        (m.pi_code, m.value, m.unit, m.numerator, m.denominator) for m in _records(parsed, "scorecard_stated_metrics")
    ]
    assert ("1.3", 78, "count", None, None) in metrics
    assert ("1.3", 38, "count", None, 78) in metrics
    assert ("1.3", 49, "percent", 38, 78) in metrics
    assert ("1.3", 94, "percent", 15, 16) in metrics
    assert ("1.3", 52, "percent", 15, 29) in metrics
    assert ("1.3", 24, "percent", 8, 33) in metrics
    assert ("4.2", 178, "count", None, 255) in metrics
    assert ("4.2", 73, "percent", None, None) in metrics
    assert ("4.3", 55, "percent", None, None) in metrics
    assert ("1.1", 8, "count", None, 17) in metrics
    assert ("3.2", 678000, "USD", None, None) in metrics
    by_value = {(m.pi_code, m.value): m for m in _records(parsed, "scorecard_stated_metrics")}
    assert by_value[("4.2", 178)].metric == "staff responded"
    assert by_value[("4.2", 73)].metric == "overall positive rating"
    assert by_value[("1.3", 49)].sentence.startswith("Of the 78 Outcome indicators, 38 (49%) track progress")
    # Years, ordinals, references and template ranges are not measurements.
    values = {m.value for m in _records(parsed, "scorecard_stated_metrics")}
    assert not values & {2019, 2021, 2022, 65, 80, 5, 33, 50, 47, 53}


@pytest.mark.shared
def test_pdf_and_text_rendition_yield_the_same_records(pdf_extraction, text_extraction):
    def without_provenance(records):
        return [{k: v for k, v in dataclasses.asdict(r).items() if not k.startswith("source_page")} for r in records]

    pdf, text = pdf_extraction.parsed, text_extraction.parsed
    assert set(pdf.records) == set(text.records)
    for table in pdf.records:
        assert without_provenance(pdf.records[table]) == without_provenance(text.records[table]), table


@pytest.mark.shared
def test_provenance_points_at_pdf_pages(pdf_extraction):
    records = pdf_extraction.parsed.records
    overview = {s.pi_code: s.source_page for s in records["scorecard_rating_statements"] if s.section == "overview"}
    assert set(overview.values()) == {5}
    detail = {s.pi_code: s.source_page for s in records["scorecard_rating_statements"] if s.section == "detail"}
    assert (detail["1.1"], detail["2.3"], detail["7.1"]) == (5, 11, 18)
    cells = {(a.pi_code, a.year_index): a for a in records["scorecard_action_plan_activities"]}
    assert (cells[("1.1", 1)].source_page, cells[("1.1", 1)].source_page_last) == (19, 19)
    assert (cells[("2.1", 4)].source_page, cells[("2.1", 4)].source_page_last) == (20, 21)
    assert (cells[("3.1", 2)].source_page, cells[("3.1", 2)].source_page_last) == (21, 22)
    assert (cells[("6.1", 1)].source_page, cells[("7.1", 4)].source_page) == (24, 25)
    evidence = {(d.pi_code, d.item_no): d for d in records["scorecard_evidence_documents"]}
    assert (evidence[("2.2", 1)].source_page, evidence[("2.2", 1)].source_page_last) == (25, 26)
    assert {m.source_page for m in records["scorecard_team_members"]} == {4}
    metrics = {(m.pi_code, m.value): m.source_page for m in records["scorecard_stated_metrics"]}
    assert metrics[("1.3", 49)] == 7 and metrics[("4.2", 10)] == 16


@pytest.mark.shared
def test_provenance_points_at_text_lines(text_extraction):
    records = text_extraction.parsed.records
    overview = {s.pi_code: s.source_page for s in records["scorecard_rating_statements"] if s.section == "overview"}
    assert (overview["1.1"], overview["7.1"]) == (152, 167)
    cells = {(a.pi_code, a.year_index): a for a in records["scorecard_action_plan_activities"]}
    assert (cells[("2.1", 4)].source_page, cells[("2.1", 4)].source_page_last) == (647, 649)
    assert (cells[("6.1", 4)].source_page, cells[("6.1", 4)].source_page_last) == (678, 678)


# -- generated reports -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated_2023(tmp_path_factory):
    spec = synthetic_spec(country="Kazakhstan", year=2023, year_columns=5, seed=1)
    path = build_scorecard_pdf(spec, tmp_path_factory.mktemp("scorecards") / "scorecard-2023.pdf")
    return spec, extract_file(path)


def test_generated_report_with_five_year_columns_parses(generated_2023):
    spec, extraction = generated_2023
    assert extraction.doc_type == "scorecard"
    records = extraction.parsed.records
    assert extraction.parsed.info.report_year == 2023
    assert records["scorecard_reports"][0].action_plan_year_columns == 5
    activities = records["scorecard_action_plan_activities"]
    assert len(activities) == 15 * 5
    assert {(a.year_index, a.calendar_year) for a in activities} == {(k, 2018 + k) for k in range(1, 6)}
    for activity in activities:
        written = spec.activities[activity.pi_code][activity.year_index - 1]
        expected = None if written in ("", "N/A") else written
        assert activity.activity_text == expected, (activity.pi_code, activity.year_index)
        assert activity.cell_status == {"": "empty", "N/A": "not_applicable"}.get(written, "reported")
        assert activity.action_point == spec.action_points[activity.pi_code]
    # The long cells made the grid split rows over pages, and the parts were joined back.
    assert any(a.source_page_last > a.source_page for a in activities)


def test_generated_report_ratings_evidence_and_team(generated_2023):
    spec, extraction = generated_2023
    records = extraction.parsed.records
    for statement in records["scorecard_rating_statements"]:
        assert statement.rating == spec.ratings[statement.pi_code]
        if statement.section != "evidence":
            assert statement.reassessed == spec.reassessed[statement.pi_code]
    assert len(records["scorecard_rating_statements"]) == 45
    documents = [(d.pi_code, d.category, d.document_name) for d in records["scorecard_evidence_documents"]]
    assert documents == [(code, category, name) for code, docs in spec.evidence.items() for category, name in docs]
    team = [(m.member_name, m.role) for m in records["scorecard_team_members"]]
    assert team == [(m.name, m.role) for m in spec.team]


@pytest.mark.parametrize("year_columns", [1, 3, 6])
def test_any_number_of_year_columns_maps_to_calendar_years(tmp_path, year_columns):
    spec = synthetic_spec(country="Ghana", year=2021, year_columns=year_columns, seed=7, long_cells=False)
    extraction = extract_file(build_scorecard_pdf(spec, tmp_path / "scorecard.pdf"))
    records = extraction.parsed.records
    assert extraction.parsed.info.country == "Ghana"
    years = {(a.year_index, a.calendar_year) for a in records["scorecard_action_plan_activities"]}
    assert years == {(k, 2021 - year_columns + k) for k in range(1, year_columns + 1)}
    assert len(records["scorecard_action_plan_activities"]) == 15 * year_columns


# -- hand-built documents for layouts the reference does not show ------------------------------


def _document(rows: list[tuple[str, ...]], *, continuation_first: bool = False) -> Document:
    lines = [
        Line(1, 1, "UNCT-SWAP GENDER EQUALITY SCORECARD", 1),
        Line(1, 2, "ANNUAL PROGRESS ASSESSMENT REPORT AND ACTION PLAN", 2),
        Line(1, 3, "United Nations Country Team in Uruguay 2024", 3),
        Line(1, 4, "6. Overview of Performance Indicators Reassessed, and Performance Indicator Ratings", 4),
        Line(1, 5, "8. UNCT in Uruguay Action Plan", 30),
    ]
    overview = Table(
        1,
        1,
        1,
        None,
        [TableRow(("Indicator", "Rating Level", "Reassessed"), 5)]
        + [TableRow((f"PI {pi.code} {pi.name}", "MEETS", "No"), 6 + n) for n, pi in enumerate(INDICATORS)],
        "text",
    )
    header = (
        "Link to Performance Indicator",
        "Action Points",
        "ACTIVITIES UNDERTAKEN IN YEAR 1",
        "ACTIVITIES UNDERTAKEN IN YEAR 2",
        "ACTIVITIES UNDERTAKEN IN YEAR 3",
    )
    plan_rows = [TableRow(header, 31)] + [TableRow(cells, 32 + n) for n, cells in enumerate(rows)]
    plan = Table(2, 1, 1, None, plan_rows, "text")
    return Document("uruguay.txt", "text", [Page(1, None, None, lines)], [overview, plan])


def test_a_label_spilling_into_the_action_column_shifts_the_row_back():
    parsed = parse(
        _document(
            [
                ("5.1 Coordination Mechanism", "Gender", "Hold two senior GTG meetings.", "Met once.", "Met twice."),
                ("5.2 Gender Capacities", "Train all staff.", "Planned.", "Done.", "Repeated."),
            ]
        )
    )
    cells = {(a.pi_code, a.year_index): a for a in parsed.records["scorecard_action_plan_activities"]}
    spilled = cells[("5.1", 1)]
    assert spilled.label_spilled and spilled.action_point == "Hold two senior GTG meetings."
    assert (cells[("5.1", 1)].activity_text, cells[("5.1", 2)].cell_status, cells[("5.1", 3)].activity_text) == (
        "Met once.",
        "no_cell",
        "Met twice.",
    )
    regular = cells[("5.2", 1)]
    assert not regular.label_spilled and regular.action_point == "Train all staff."
    assert [cells[("5.2", k)].activity_text for k in (1, 2, 3)] == ["Planned.", "Done.", "Repeated."]
    assert [cells[("5.2", k)].calendar_year for k in (1, 2, 3)] == [2022, 2023, 2024]


def test_continuation_rows_join_their_cells_and_nulls_stay_explicit():
    parsed = parse(
        _document(
            [
                ("1.1 Common Country Analysis", "Add gender analysis to", "N/A", "", "Updated the analysis of"),
                ("", "every sector.", "", "", "care work."),
                ("Dimension 2 - Programming and M&E", "", "", "", ""),
                ("2.1 Joint Programmes", "NA", "NA", "-", "Launched a joint programme."),
            ]
        )
    )
    cells = {(a.pi_code, a.year_index): a for a in parsed.records["scorecard_action_plan_activities"]}
    assert cells[("1.1", 1)].action_point == "Add gender analysis to every sector."
    assert cells[("1.1", 3)].activity_text == "Updated the analysis of care work."
    assert (cells[("1.1", 3)].source_page, cells[("1.1", 3)].source_page_last) == (32, 33)
    assert [(cells[("1.1", k)].activity_text, cells[("1.1", k)].cell_status) for k in (1, 2)] == [
        (None, "not_applicable"),
        (None, "empty"),
    ]
    assert (cells[("2.1", 1)].action_point, cells[("2.1", 1)].action_point_status) == (None, "not_applicable")
    assert [cells[("2.1", k)].cell_status for k in (1, 2, 3)] == ["not_applicable", "empty", "reported"]
    assert len(parsed.records["scorecard_action_plan_activities"]) == 6


def test_a_continuation_row_without_an_indicator_row_is_an_error():
    with pytest.raises(ExtractionError, match="continuation row"):
        parse(_document([("", "orphan text", "", "", "")]))


def test_a_document_without_the_template_sections_is_an_error():
    document = Document("other.txt", "text", [Page(1, None, None, [Line(1, 1, "UNCT-SWAP scorecard", 1)])], [])
    with pytest.raises(ExtractionError, match="not the scorecard template"):
        parse(document)


def test_a_comprehensive_assessment_is_recognised(tmp_path):
    spec = synthetic_spec(country="Nepal", year=2019, year_columns=2, seed=3, long_cells=False)
    spec.assessment_type = "comprehensive"
    extraction = extract_file(build_scorecard_pdf(spec, tmp_path / "scorecard.pdf"))
    [report] = extraction.parsed.records["scorecard_reports"]
    assert (report.country, report.assessment_year, report.assessment_type) == ("Nepal", 2019, "comprehensive")


def test_an_overview_table_without_a_rating_header_is_read_by_its_rating_words():
    document = _document([("1.1 Common Country Analysis", "Act.", "Done.", "Done.", "Done.")])
    overview = document.tables[0]
    overview.rows[0] = TableRow(("Indicator", "Level", "Reassessed"), overview.rows[0].anchor)
    statements = parse(document).records["scorecard_rating_statements"]
    assert [(s.pi_code, s.rating, s.reassessed) for s in statements][:2] == [
        ("1.1", "Meets", False),
        ("1.2", "Meets", False),
    ]
    assert len(statements) == 15


def test_sections_start_at_headings_not_at_a_contents_list_in_their_wording(tmp_path):
    """A contents list without page numbers or leaders repeats every section title in body type before the
    sections; the PDF's sections start at the titles set as headings (bold, larger), so it reads like the
    text rendition without that list."""
    spec = synthetic_spec(country="Uruguay", year=2023, year_columns=3, seed=2, long_cells=False)
    report = scorecard_report(spec)
    titles = [block.text for block in report.blocks if isinstance(block, Heading) and block.level == 1]
    assert len(titles) >= 5
    first_heading = next(i for i, block in enumerate(report.blocks) if isinstance(block, Heading))
    report.blocks[first_heading:first_heading] = [Para("Contents"), *(Para(title) for title in titles)]

    expected = extract_file(build_scorecard_text(spec, tmp_path / "scorecard.txt")).parsed.records
    read = extract_file(build_pdf(report, tmp_path / "scorecard-with-contents.pdf")).parsed.records
    for table, rows in expected.items():
        assert [_without_provenance(row) for row in read[table]] == [_without_provenance(row) for row in rows], table


def _without_provenance(record) -> dict:
    return {k: v for k, v in dataclasses.asdict(record).items() if k not in {"source_page", "source_page_last"}}


def _details_page(statement_lines: list[str], after: list[str]) -> Document:
    """A PDF-like page of detailed findings for PI 7.1: the statement in lines that run to the right edge of
    the text (x = 520), 12 pt apart with no paragraph spacing, then the ``after`` lines; body text 10 pt."""
    texts = [
        "7. UNCT-SWAP Detailed Findings by Performance Indicators Reassessed",
        "PI 7.1 GEWE Results",
        "Performance Indicator 7.1:",
        *statement_lines,
        *after,
        "Criteria for the rating of indicator 7.1.",
        "Findings and Explanation",
        "The team reviewed the evidence.",
    ]
    full_width = set(statement_lines)
    lines = [
        Line(1, n, text, 1, x0=70.0, top=100.0 + 12 * n, x1=520.0 if text in full_width else 300.0, font_size=10.0)
        for n, text in enumerate(texts, start=1)
    ]
    return Document("detail.pdf", "pdf", [Page(1, 595.0, 842.0, lines)], [])


@pytest.mark.parametrize(
    ("statement_lines", "after", "statement", "dimension"),
    [
        # The statement's last word wraps onto a line of its own that names a dimension in lower case.
        (
            ["UN programmes make a significant contribution to gender equality and", "results"],
            ["MEETS MINIMUM REQUIREMENTS", "Results"],
            "UN programmes make a significant contribution to gender equality and results",
            "Results",
        ),
        # The statement's last line is full, and the dimension label follows right under it.
        (
            ["UN programmes make a significant contribution to gender equality in the country"],
            ["Results", "MEETS MINIMUM REQUIREMENTS"],
            "UN programmes make a significant contribution to gender equality in the country",
            "Results",
        ),
    ],
)
def test_a_wrapped_statement_line_is_not_taken_for_the_dimension_label(statement_lines, after, statement, dimension):
    [detail] = parse(_details_page(statement_lines, after)).records["scorecard_indicator_details"]
    assert (detail.indicator_statement, detail.dimension_label) == (statement, dimension)
    assert detail.rating_text == "MEETS MINIMUM REQUIREMENTS"
