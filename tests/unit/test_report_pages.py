"""Small rules of the report pages: readable one-year heatmaps, human report names, long texts cut at a word."""

from __future__ import annotations

import re

from gewh.analyst import report
from gewh.analyst.charts import rating_heatmap


def _cells(years: list[int]) -> list[dict]:
    return [
        {
            "assessment_year": year,
            "dimension_no": 1,
            "pi_code": f"1.{n}",
            "pi_name": f"Indicator with a long enough name {n}",
            "rating": "Meets",
            "rating_score": 2,
            "change": "first",
            "reassessed": True,
        }
        for year in years
        for n in range(1, 4)
    ]


def _width(svg: str) -> float:
    return float(re.search(r'<svg[^>]* width="([0-9.]+)pt"', svg).group(1))


def test_a_one_year_heatmap_is_as_wide_as_a_two_year_one():
    one, two = rating_heatmap("a", "Mali", _cells([2022])), rating_heatmap("b", "Mali", _cells([2020, 2022]))
    assert _width(one) >= 0.95 * _width(two)


def _report(report_type: str, **fields) -> dict:
    return (
        {"report_type": report_type, "report_year": None, "period_start": None, "period_end": None}
        | {"evaluation_type": None}
        | fields
    )


def test_reports_are_named_by_kind_and_year_or_period():
    assert report._report_name(_report("scorecard", report_year=2022)) == "UNCT-SWAP Gender Equality Scorecard 2022"
    evaluation = _report(
        "evaluation", evaluation_type="Country Portfolio Evaluation", period_start=2016, period_end=2020
    )
    assert report._report_name(evaluation) == "Country Portfolio Evaluation 2016–2020"
    assert report._report_name(_report("source_inventory")) == "Gender data-source inventory"
    assert report._report_name(_report("annual_brief", report_year=2021)) == "Annual brief 2021"


def test_a_long_recommendation_is_previewed_up_to_a_word_and_a_short_one_shown_whole():
    assert report._preview("Short and whole.") is None
    text = "word " * 100
    preview = report._preview(text)
    assert preview.endswith(" …") and len(preview) <= report.RECOMMENDATION_PREVIEW + 2
    assert text.startswith(preview.removesuffix(" …"))


def test_countries_get_distinct_page_names_and_reports_without_a_country_a_page_of_their_own():
    reports = [{"country": country} for country in ["Côte d'Ivoire", "Cote d'Ivoire", None, "Türkiye", "Türkiye"]]
    pages = report._page_names(report._country_name(row) for row in reports)
    assert pages == [
        ("Cote d'Ivoire", "cote-d-ivoire"),
        ("Côte d'Ivoire", "cote-d-ivoire-2"),
        ("Türkiye", "turkiye"),
        (report.NO_COUNTRY, "country-not-stated"),
    ]
