"""Scorecards of every framework edition parse with their edition, and keep what the edition does not define.

The documents are built here (a text rendition's lines and tables) for several countries and years, so that
no rule rests on one report.
"""

from __future__ import annotations

import dataclasses

import pytest

from extract.document.model import Document, Line, Page, Table, TableRow
from extract.pipeline import extract_file
from extract.reports.scorecard.parser import parse
from extract.reports.scorecard.template import INDICATORS, Dimension, PerformanceIndicator
from samples.scorecard_pdf import build_pre2018_pdf, build_pre2018_text, synthetic_pre2018_spec


def _scorecard(
    country: str, year: int, cover_title: str, rows: list[tuple[str, str]], *, body: tuple[str, ...] = ()
) -> Document:
    lines = [
        Line(1, 1, cover_title, 1),
        Line(1, 2, "ANNUAL PROGRESS ASSESSMENT REPORT AND ACTION PLAN", 2),
        Line(1, 3, f"United Nations Country Team in {country} {year}", 3),
        *(Line(1, 4 + n, text, 4 + n) for n, text in enumerate(body)),
        Line(1, 20, "6. Overview of Performance Indicators Reassessed, and Performance Indicator Ratings", 20),
    ]
    overview = Table(
        1,
        1,
        1,
        None,
        [TableRow(("Indicator", "Rating Level", "Reassessed"), 21)]
        + [TableRow((label, rating, "Yes"), 22 + n) for n, (label, rating) in enumerate(rows)],
        "text",
    )
    return Document(f"{country.lower()}-{year}.txt", "text", [Page(1, None, None, lines)], [overview])


COUNTRIES = [("Chad", 2024), ("Peru", 2025), ("Chile", 2026)]


@pytest.mark.parametrize(("country", "year"), COUNTRIES)
def test_a_2023_edition_report_keeps_every_code_and_printed_name(country, year):
    rows = [
        ("PI 1.1 Common Country Analysis", "MEETS MINIMUM REQUIREMENTS"),
        ("PI 2.3 Monitoring, Evaluation and Learning", "APPROACHES MINIMUM REQUIREMENTS"),
        ("PI 2.4 Data and Statistics", "EXCEEDS"),
        ("PI 6.2 Gender Equality Marker", "Partially met"),  # not a point of the scale: kept, not rated
    ]
    parsed = parse(
        _scorecard(
            country,
            year,
            "UNCT-SWAP GENDER EQUALITY SCORECARD",
            rows,
            body=("Dimension 2: Programming, Monitoring, Evaluation and Learning",),
        )
    )
    [report] = parsed.records["scorecard_reports"]
    assert (report.country, report.assessment_year) == (country, year)
    assert (report.framework_edition, report.framework_edition_basis) == ("unct_swap_2023", "stated")
    statements = {s.pi_code: s for s in parsed.records["scorecard_rating_statements"]}
    assert list(statements) == ["1.1", "2.3", "2.4", "6.2"]
    assert [statements[code].rating for code in statements] == ["Meets", "Approaches", "Exceeds", None]
    assert statements["6.2"].rating_text == "Partially met"
    assert statements["2.4"].indicator_label == "Data and Statistics"


@pytest.mark.parametrize(("country", "year"), [("Mali", 2012), ("Nepal", 2015), ("Bolivia", 2009)])
def test_a_2008_gender_scorecard_reads_lettered_codes_on_its_six_point_scale(country, year):
    rows = [
        ("1.a Adequate review of the country analysis", "4 = meets minimum standards"),
        ("1.b Gender in the framework outcomes", "Needs improvement"),
        ("2.c Programme monitoring", "2"),
        ("3.a Partnership with civil society", "Not applicable"),
    ]
    parsed = parse(
        _scorecard(
            country,
            year,
            "UNCT GENDER EQUALITY SCORECARD",
            rows,
            body=("Rating: 5 = exceeds minimum standards, 4 = meets minimum standards, 3 = needs improvement",),
        )
    )
    [report] = parsed.records["scorecard_reports"]
    assert (report.country, report.assessment_year, report.framework_edition) == (
        country,
        year,
        "gender_scorecard_2008",
    )
    ratings = {s.pi_code: s.rating for s in parsed.records["scorecard_rating_statements"]}
    assert ratings == {
        "1.a": "Meets minimum standards",
        "1.b": "Needs improvement",
        "2.c": "Inadequate",
        "3.a": "Not applicable",
    }


@pytest.mark.parametrize(("country", "year"), [("Ghana", 2019), ("Albania", 2021), ("Uruguay", 2023)])
def test_a_2018_edition_report_keeps_a_code_its_list_lacks(country, year):
    rows = [(f"PI {pi.code} {pi.name}", "MEETS") for pi in INDICATORS] + [("PI 7.2 Other results", "MISSING")]
    parsed = parse(_scorecard(country, year, "UNCT-SWAP GENDER EQUALITY SCORECARD", rows))
    [report] = parsed.records["scorecard_reports"]
    assert (report.framework_edition, report.framework_edition_basis) == ("unct_swap_2018", "assessment_year")
    ratings = {s.pi_code: s.rating for s in parsed.records["scorecard_rating_statements"]}
    assert len(ratings) == 16 and ratings["7.2"] == "Missing"


# A made-up 2008-edition list for the test (the project holds none): lettered codes in six dimensions.
DIMENSIONS_2008 = tuple(
    Dimension(number, name)
    for number, name in enumerate(
        ("Planning", "Programming", "Partnerships", "Capacities", "Decision-making", "Budgeting"), start=1
    )
)
INDICATORS_2008 = tuple(
    PerformanceIndicator(f"{number}.{letter}", f"Area {number} item {letter}", f"Statement {number}.{letter}")
    for number in range(1, 7)
    for letter in "ab"
)
# Each 2008 rating as a report prints it: words, words after the score, or the score alone.
PRINTED_2008 = {
    "Exceeds minimum standards": "Exceeds minimum standards",
    "Meets minimum standards": "4 = meets minimum standards",
    "Needs improvement": "Needs improvement",
    "Inadequate": "2",
    "Missing": "Missing",
    "Not applicable": "Not applicable",
}


@pytest.mark.parametrize(
    ("country", "year", "seed", "rendition"),
    [("Mali", 2010, 1, "pdf"), ("Nepal", 2013, 2, "text"), ("Bolivia", 2016, 3, "pdf"), ("Jordan", 2012, 4, "text")],
)
def test_a_generated_2008_gender_scorecard_is_a_scorecard_of_that_edition(tmp_path, country, year, seed, rendition):
    drawn = synthetic_pre2018_spec(
        country, year, seed=seed, indicators=INDICATORS_2008, dimensions=DIMENSIONS_2008, title="UNCT Gender Scorecard"
    )
    scale = list(PRINTED_2008)
    ratings = {code: scale[(seed + n) % len(scale)] for n, code in enumerate(drawn.ratings)}
    spec = dataclasses.replace(drawn, ratings=ratings, rating_words=PRINTED_2008)
    build = build_pre2018_pdf if rendition == "pdf" else build_pre2018_text
    extraction = extract_file(build(spec, tmp_path / f"scorecard.{'pdf' if rendition == 'pdf' else 'txt'}"))
    assert extraction.doc_type == "scorecard"
    [report] = extraction.parsed.records["scorecard_reports"]
    assert (report.country, report.assessment_year) == (country, year)
    assert (report.framework_edition, report.framework_edition_basis) == ("gender_scorecard_2008", "stated")
    overview = {
        s.pi_code: s.rating for s in extraction.parsed.records["scorecard_rating_statements"] if s.section == "overview"
    }
    assert overview == ratings
