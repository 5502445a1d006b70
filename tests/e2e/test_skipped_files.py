"""Nothing in the raw folder goes unmentioned: every file that does not load is a dim_documents row with the reason,
text in UTF-16 or behind a byte-order mark is read, and a status CSV's repeated rows count once and are flagged."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests import bad_inputs
from tests.warehouse_sql import fetch_all

pytestmark = [pytest.mark.slow]

STATUS_HEADER = "report_id,rec_no,action_no,status,status_date,comment\r\n"
REPEATED_ROW = "evaluation-ghana-2024,1,,ongoing,2024-03-31,Draft strategy\r\n"
EXPECTED_COLUMNS = (
    "expected report_id, rec_no, status, optionally action_no, status_date, management_response, comment, reported_by"
)


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "status").mkdir()
    bad_inputs.good_pdf(raw / "report.pdf")
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 a word document, not a report format")
    (raw / "blank.txt").write_bytes(b" \n" * 500)
    (raw / "status" / "country-data.csv").write_text("country,value\nGhana,1\n", encoding="utf-8")
    utf16 = STATUS_HEADER + "evaluation-ghana-2024,2,,completed,2024-06-30,Done\r\n"
    (raw / "status" / "excel-export.csv").write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    repeated = STATUS_HEADER + REPEATED_ROW + REPEATED_ROW + "evaluation-ghana-2024,3,,initiated,,\r\n" + REPEATED_ROW
    (raw / "status" / "repeated.csv").write_text(repeated, encoding="utf-8", newline="")
    return raw


@pytest.fixture(scope="module")
def first_run(raw, run_refresh, tmp_path_factory):
    return run_refresh(raw, tmp_path_factory.mktemp("wh") / "gender_equality.duckdb")


def documents(warehouse: Path) -> dict[str, tuple]:
    rows = fetch_all(warehouse, "select source_path, status, doc_type, error from marts.dim_documents")
    return {source_path: tuple(rest) for source_path, *rest in rows}


def test_every_file_that_does_not_load_is_a_document_with_the_reason(first_run):
    assert first_run.published, first_run.render()
    assert (first_run.files_seen, first_run.files_failed, first_run.files_skipped) == (6, 1, 2)
    assert "6 seen, 6 new, 0 changed, 0 unchanged, 0 removed, 1 failed, 2 skipped" in first_run.render()
    assert documents(first_run.warehouse) == {
        "report.pdf": ("loaded", "unknown", None),
        "blank.txt": ("failed", "unknown", "blank.txt: holds only whitespace (1000 bytes)"),
        "notes.docx": (
            "skipped",
            "unknown",
            "notes.docx: not a report format: .docx (reports are .md, .pdf, .txt; status updates .csv)",
        ),
        "status/country-data.csv": (
            "skipped",
            "unknown",
            "status/country-data.csv: not a recommendation-status CSV: its header lacks column(s) report_id, rec_no,"
            f" status ({EXPECTED_COLUMNS}; found 'country', 'value')",
        ),
        "status/excel-export.csv": ("loaded", "recommendation_status", None),
        "status/repeated.csv": ("loaded", "recommendation_status", None),
    }
    [(files_skipped, files_failed)] = fetch_all(
        first_run.warehouse, "select files_skipped, files_failed from marts.refresh_runs"
    )
    assert (files_skipped, files_failed) == (2, 1)


def test_a_repeated_status_row_counts_once_and_is_flagged(first_run):
    flags = fetch_all(
        first_run.warehouse,
        'select "check", subject, found, severity from marts.fct_quality_flags'
        " where \"check\" in ('status_row_repeated', 'status_for_unknown_recommendation') order by 1, 3",
    )
    # Each distinct update is checked once: the report is not in the warehouse, so each names an unknown one.
    assert flags == [
        ("status_for_unknown_recommendation", "evaluation-ghana-2024/2", "excel-export.csv line 2", "error"),
        ("status_for_unknown_recommendation", "evaluation-ghana-2024/1", "repeated.csv line 2", "error"),
        ("status_for_unknown_recommendation", "evaluation-ghana-2024/3", "repeated.csv line 4", "error"),
        (
            "status_row_repeated",
            "evaluation-ghana-2024/1",
            "repeated.csv line 2 repeated on line(s) 3, 5: 2 identical row(s) collapsed into one",
            "warning",
        ),
    ]


def test_skipped_files_need_no_rebuild_and_leave_with_the_file(first_run, raw, run_refresh):
    again = run_refresh(raw, first_run.warehouse)
    assert again.up_to_date and not again.published, again.render()

    (raw / "notes.docx").unlink()
    after = run_refresh(raw, first_run.warehouse)
    assert after.published and (after.files_removed, after.files_skipped) == (1, 1), after.render()
    assert documents(after.warehouse)["notes.docx"][0] == "removed"


def test_what_the_refresh_writes_is_readable_by_owner_and_group_only(first_run):
    # gewh.toml's default file_mode "0640": BI accounts in the owner's group read, nobody else does.
    warehouse = first_run.warehouse
    pages = sorted((warehouse.parent / "report").glob("*.html"))
    assert pages  # the country pages beside report.html
    written = [warehouse, warehouse.with_name(f"{warehouse.stem}.staging.duckdb"), warehouse.parent / "report.html"]
    assert {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in [*written, *pages]} == {
        path.name: "0o640" for path in [*written, *pages]
    }
    for folder in ("data_docs", "report"):
        assert oct(stat.S_IMODE((warehouse.parent / folder).stat().st_mode)) == "0o750", folder
