"""The same report under other bytes, inventories that supersede each other, and a corrupt copy (issue 15,
item 6), generated: a re-saved copy of an inventory is one report with both file names and its sources once;
a country's dated inventories are one report whose latest date publishes; a copy whose title is a paragraph
is quarantined, never published as a clean report."""

from __future__ import annotations

import pytest

from samples.inventory_pdf import GroupSpec, InventorySpec, build_inventory_pdf, synthetic_spec
from tests.warehouse_sql import fetch_all

pytestmark = pytest.mark.slow


def _sources(spec: InventorySpec) -> int:
    return sum(
        len(item.sources) if isinstance(item, GroupSpec) else 1 for items in spec.categories.values() for item in items
    )


MOLDOVA = synthetic_spec("Moldova", seed=1)
GEORGIA_2023 = InventorySpec("Georgia", synthetic_spec("Georgia", seed=2).categories, dated="Updated: March 2023")
GEORGIA_2024 = InventorySpec("Georgia", synthetic_spec("Georgia", seed=3).categories, dated="Updated: May 2024")
# A copy whose title block lost its line breaks: the title is a paragraph of 1,500 characters.
GARBLED = InventorySpec(
    "Armenia gender data sources " + " ".join(f"garbled run {n} of the text layer" for n in range(50)),
    synthetic_spec("Armenia", seed=4).categories,
)


@pytest.fixture(scope="module")
def run(run_refresh, tmp_path_factory):
    raw = tmp_path_factory.mktemp("identity-raw")
    original = build_inventory_pdf(MOLDOVA, raw / "moldova.pdf")
    # Re-saved by another tool: other bytes (here a trailing comment after %%EOF), the same text.
    (raw / "moldova-resaved.pdf").write_bytes(original.read_bytes() + b"\n% re-saved by another tool\n")
    build_inventory_pdf(GEORGIA_2024, raw / "georgia-new.pdf")
    build_inventory_pdf(GEORGIA_2023, raw / "georgia-old.pdf")
    build_inventory_pdf(GARBLED, raw / "armenia.pdf")
    # A quote in the warehouse's folder name: every path the refresh puts into SQL must be quoted or a parameter.
    return run_refresh(raw, tmp_path_factory.mktemp("identity-wh-o'brien") / "gender_equality.duckdb")


def test_a_resaved_copy_is_one_report_with_both_names_and_its_sources_once(run):
    [(report_id, source_files, status)] = fetch_all(
        run.warehouse,
        "select report_id, source_files, status from marts.dim_reports where country = 'Moldova'",
    )
    assert source_files == ["moldova-resaved.pdf", "moldova.pdf"] and status == "published"
    assert fetch_all(run.warehouse, "select count(*) from marts.dim_data_sources where report_id = ?", [report_id]) == [
        (_sources(MOLDOVA),)
    ]


def test_a_later_dated_inventory_of_a_country_supersedes_the_earlier(run):
    assert fetch_all(
        run.warehouse,
        "select report_id, report_year, source_file, superseded_versions, status from marts.dim_reports "
        "where country = 'Georgia'",
    ) == [("source_inventory-georgia", 2024, "georgia-new.pdf", 1, "published")]
    assert fetch_all(
        run.warehouse, "select count(*) from marts.dim_data_sources where report_id = 'source_inventory-georgia'"
    ) == [(_sources(GEORGIA_2024),)]


def test_a_copy_whose_title_is_a_paragraph_is_quarantined(run):
    assert run.published, run.render()
    [(status, reasons)] = fetch_all(
        run.warehouse, "select status, quarantine_reasons from marts.dim_reports where country = 'Armenia'"
    )
    assert status == "quarantined"
    assert len(reasons) == 1 and "[title_within_template] title: expected at most 300 characters" in reasons[0]
    assert fetch_all(
        run.warehouse,
        "select count(*) from marts.dim_data_sources join marts.dim_reports using (report_id) "
        "where dim_reports.country = 'Armenia'",
    ) == [(0,)]
