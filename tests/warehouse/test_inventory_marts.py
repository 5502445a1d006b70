"""`marts.dim_data_sources` end to end, and the `sources` suite on hand-made rows."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.suites.inventory import QUERY, SUITES
from gewh.settings import Settings
from tests.warehouse_sql import fetch_all as _query

# --- the `sources` suite on a hand-made mart ------------------------------------------------------------------------

_COLUMNS = [
    "data_source_id",
    "report_id",
    "category",
    "parent_group",
    "entry_no",
    "name",
    "url",
    "languages",
    "methodology",
]


def _row(
    report: str,
    category: str,
    entry_no: str,
    url: str | None,
    *,
    group: str | None = None,
    languages: tuple[str, ...] = ("English",),
) -> dict:
    return {
        "data_source_id": f"{report}/{category}/{entry_no}",
        "report_id": report,
        "category": category,
        "parent_group": group,
        "entry_no": entry_no,
        "name": f"Entry {entry_no}",
        "url": url,
        "languages": list(languages),
        "methodology": "not stated",
    }


def _validate(rows: list[dict]) -> dict[str, dict]:
    """Run the suite's query and expectations on ``rows``; results keyed by expectation type and column(s)."""
    import great_expectations as gx

    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.dim_data_sources (data_source_id varchar, report_id varchar, category varchar,"
        " parent_group varchar, entry_no varchar, name varchar, url varchar, languages varchar[], methodology varchar)"
    )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    con.register("incoming", frame)
    con.execute("insert into marts.dim_data_sources select * from incoming")
    data = con.sql(QUERY).df()
    con.close()

    (spec,) = SUITES
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("mart")
        .add_dataframe_asset("sources")
        .add_batch_definition_whole_dataframe("all")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=spec.name, expectations=spec.expectations()))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="sources", data=batch, suite=suite))
    result = definition.run(batch_parameters={"dataframe": data}, result_format="COMPLETE")
    keyed = {}
    for outcome in result.results:
        kwargs = outcome.expectation_config.kwargs
        subject = kwargs.get("column") or ",".join(kwargs.get("column_list", []))
        keyed[f"{outcome.expectation_config.type}:{subject}"] = {"success": outcome.success, **outcome.result}
    return keyed


def _failures(results: dict[str, dict]) -> set[str]:
    return {key for key, outcome in results.items() if not outcome["success"]}


def _clean_report(report: str = "r1", with_urls: bool = True) -> list[dict]:
    def url(n: str) -> str | None:
        return f"https://example.org/{report}/{n}" if with_urls else None

    return [
        _row(report, "INGOs", "1.1", url("1.1"), group="UN"),
        _row(report, "INGOs", "1.2", url("1.2"), group="UN"),
        _row(report, "INGOs", "2", url("2"), languages=("not stated",)),
        _row(report, "Media", "1", url("m1")),
        _row(report, "Media", "2", url("m2"), languages=("Kazakh", "Russian")),
    ]


def test_suite_passes_a_clean_inventory_and_tolerates_missing_links():
    results = _validate(_clean_report("with-links") + _clean_report("no-links", with_urls=False))
    assert _failures(results) == set()
    finding = results["expect_column_values_to_be_between:report_url_share"]
    # Reported, not failed: the five entries of the report without links sit below the target.
    assert (finding["unexpected_count"], finding["unexpected_percent"]) == (5, 50.0)


def test_suite_flags_gaps_in_numbering_within_categories_and_groups():
    rows = _clean_report()
    rows[1]["entry_no"] = "1.3"  # group UN: 1.1, 1.3
    rows[4]["entry_no"] = "4"  # Media: 1, 4
    assert _failures(_validate(rows)) == {"expect_column_values_to_be_in_set:numbered_contiguously"}


def test_suite_counts_group_headings_as_numbered_slots():
    # "1. UN" is a group heading, not an entry: top-level numbers 1 (via 1.1) and 2 are contiguous.
    assert "expect_column_values_to_be_in_set:numbered_contiguously" not in _failures(_validate(_clean_report()))
    # Without the group, a category starting at 2 has a gap.
    rows = [row for row in _clean_report() if row["parent_group"] is None]
    assert "expect_column_values_to_be_in_set:numbered_contiguously" in _failures(_validate(rows))


def test_suite_flags_malformed_and_repeated_links():
    rows = _clean_report()
    rows[2]["url"] = "kazakhstan.fes.de"
    rows[4]["url"] = rows[3]["url"]
    assert _failures(_validate(rows)) == {
        "expect_column_values_to_match_regex:url",
        "expect_compound_columns_to_be_unique:report_id,url",
    }


def test_the_same_link_in_two_reports_is_fine():
    other = _clean_report("r2")
    for row, original in zip(other, _clean_report("r1"), strict=True):
        row["url"] = original["url"]
    assert _failures(_validate(_clean_report("r1") + other)) == set()


def test_suite_flags_missing_category_languages_and_duplicate_numbers():
    rows = _clean_report()
    rows[0]["category"] = None
    rows[2]["languages"] = []
    rows[3]["languages"] = ["not stated", "English"]
    rows.append(_row("r1", "Media", "2", "https://example.org/dup"))
    failures = _failures(_validate(rows))
    assert {
        "expect_column_values_to_not_be_null:category",
        "expect_column_values_to_be_between:language_count",
        "expect_column_values_to_be_in_set:not_stated_beside_languages",
        "expect_compound_columns_to_be_unique:report_id,category,entry_no",
    } <= failures


# --- end to end: both renditions through the refresh --------------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse(renditions_warehouse) -> Path:
    """Both renditions of the inventory, in the warehouse shared with the evaluation text rendition."""
    return renditions_warehouse


def _staged(warehouse: Path, kind: str, columns: str, tail: str = "") -> list[tuple]:
    """Entries of the inventory's ``kind`` rendition ('pdf' | 'text') as staged.  Both renditions are one
    report, Kazakhstan's inventory (a country's inventories supersede each other), so the marts publish one of
    them; the staged entries of each show that both read the same."""
    return _query(
        warehouse,
        f"select {columns} from staging.stg_inventory__entries as entries "
        "inner join staging.stg_core__documents as documents using (document_id) "
        f"where documents.source_kind = ? {tail}",
        [kind],
    )


CATEGORY_COUNTS = {
    "INGOs": 18,
    "Local NGOs and grassroots organizations": 12,
    "Government": 2,
    "Independent media": 15,
}


@pytest.mark.shared
@pytest.mark.slow
def test_both_renditions_load_every_entry_once_by_category(warehouse):
    for kind in ("pdf", "text"):
        assert dict(_staged(warehouse, kind, "category, count(*)", "group by all")) == CATEGORY_COUNTS, kind
    [(report_id, superseded)] = _query(
        warehouse,
        "select report_id, superseded_versions from marts.dim_reports where report_type = 'source_inventory'",
    )
    assert (report_id, superseded) == ("source_inventory-kazakhstan", 1)
    counts = _query(
        warehouse, "select category, count(*) from marts.dim_data_sources where report_id = ? group by all", [report_id]
    )
    assert dict(counts) == CATEGORY_COUNTS
    assert _query(warehouse, "select distinct country from marts.dim_data_sources") == [("Kazakhstan",)]


@pytest.mark.shared
@pytest.mark.slow
def test_pdf_entries_carry_the_links_of_their_names_as_the_text_rendition_does(warehouse):
    # The PDF's entry names are link annotations; each entry's URL is the link on its name.
    urls = {}
    for kind in ("pdf", "text"):
        assert _staged(warehouse, kind, "count(url), bool_or(url is null)") == [(47, False)]
        urls[kind] = _staged(warehouse, kind, "name, url", "order by name")
    assert urls["pdf"] == urls["text"]
    assert _query(warehouse, "select count(url), bool_or(url_missing) from marts.dim_data_sources") == [(47, False)]


@pytest.mark.shared
@pytest.mark.slow
def test_text_rendition_urls_categories_groups_and_languages(warehouse):
    rows = {
        name: rest
        for name, *rest in _staged(
            warehouse, "text", "name, url, category, parent_group, entry_no, languages, methodology, data_formats"
        )
    }
    assert rows["UN Population Fund in Kazakhstan"][:5] == [
        "https://www.unfpa.org/data/world-population/KZ",
        "INGOs",
        "UN",
        "1.4",
        ["not stated"],
    ]
    assert rows["World Bank Gender Data Portal"] == [
        "https://genderdata.worldbank.org/countries/kazakhstan/",
        "INGOs",
        "World Bank",
        "2.1",
        ["not stated"],
        "available",
        ["API", "CSV", "Databank"],
    ]
    assert rows["International Organization for Migration"][4:6] == [["English", "Kazakh", "Russian"], "not available"]
    assert rows["Orda"][:5] == ["https://orda.kz/", "Independent media", None, "12", ["Kazakh", "Russian", "Uzbek"]]
    assert rows["Adilet.Zan"][1:3] == ["Government", None]


@pytest.mark.shared
@pytest.mark.slow
def test_an_analyst_question(warehouse):
    # Which organisations publish gender data on Kazakhstan in English with a methodology note?
    names = _query(
        warehouse,
        "select name from marts.dim_data_sources where country = 'Kazakhstan' "
        "and list_contains(languages, 'English') and methodology = 'available' order by entry_order",
    )
    assert names == [("Women, Business, and the Law Reports",), ("Friedrich Ebert Stiftung",)]


@pytest.mark.shared
@pytest.mark.slow
def test_sources_suite_ran_and_found_no_report_short_of_links(warehouse):
    results_dir = Settings(warehouse=warehouse).validation_results_dir / "sources"
    latest = max(results_dir.rglob("*.json"), key=lambda p: p.stat().st_mtime)
    results = json.loads(latest.read_text())["results"]
    assert all(r["success"] for r in results)
    (finding,) = [r for r in results if r["expectation_config"]["kwargs"].get("column") == "report_url_share"]
    assert finding["result"]["unexpected_count"] == 0  # the PDF keeps its links now, like the text rendition
