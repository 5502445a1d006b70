"""Report text reaches charts and spreadsheets: it is shown as text there, never run as TeX or as a formula."""

from __future__ import annotations

import csv

import duckdb
import pytest

from gewh.analyst.charts import donor_portfolio, rating_heatmap
from gewh.analyst.query import write_relation


@pytest.mark.parametrize(
    "donor", ["Fund for $\\undefinedcommand$ women", "US$ 2.1 million and US$ 0.4 million", "a^b_c $x$"]
)
def test_chart_labels_with_dollar_signs_are_plain_text(donor):
    svg = donor_portfolio(
        "donors",
        "Portfolio",
        [{"donor": donor, "total_budget_usd": 2_100_000.0, "entity_share_usd": 400_000.0, "n_projects": 2}],
    )
    assert svg.startswith("<svg")


def test_a_heatmap_orders_numbered_and_lettered_codes_and_names_nobody_printed():
    cells = [
        {
            "assessment_year": 2012,
            "dimension_no": 1,
            "pi_code": code,
            "pi_name": name,
            "rating": "Meets",
            "rating_score": 2,
            "change": "first",
            "reassessed": True,
        }
        for code, name in (("1.10", "Tenth"), ("1.a", None), ("1.2", "Second"))
    ]
    assert rating_heatmap("heatmap", "Mali", cells).startswith("<svg")


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text(tmp_path):
    relation = duckdb.sql(
        "select * from (values ('=HYPERLINK(\"http://x\")', '+1', '-2', '@SUM(A1)', e'\\tlead', 'plain', 7)) "
        "as cells(a, b, c, d, e, f, n)"
    )
    out = tmp_path / "cells.csv"
    assert write_relation(relation, out) == 1
    with out.open(newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row == {
        "a": '\'=HYPERLINK("http://x")',
        "b": "'+1",
        "c": "'-2",
        "d": "'@SUM(A1)",
        "e": "'\tlead",
        "f": "plain",
        "n": "7",
    }
