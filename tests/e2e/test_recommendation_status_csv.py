"""Recommendation-status CSVs dropped next to the reports flow into fct_recommendation_status, and leave with the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.report_page import section_tables

pytestmark = [pytest.mark.shared, pytest.mark.slow]

CSV = """report_id,rec_no,action_no,status,status_date,management_response,comment,reported_by
evaluation-kazakhstan-2016-2020,1,,completed,2022-06-30,accepted,New Strategic Note approved,GATE export
evaluation-kazakhstan-2016-2020,7,,initiated,2021-09-15,partially accepted,Strategy drafted,Country Office
"""


def status_rows(warehouse: Path) -> dict[int, tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select rec_no, status, management_response, status_source_file from marts.fct_recommendation_status"
            " where report_id = 'evaluation-kazakhstan-2016-2020' and action_no is null"
        ).fetchall()
        doc = con.execute("select status from marts.dim_documents where doc_type = 'recommendation_status'").fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}, doc


def test_status_csv_updates_and_removal(shared_dir, tmp_path, run_refresh):
    raw = tmp_path / "raw"
    (raw / "status").mkdir(parents=True)
    [seed] = (shared_dir / "seeds").glob("000_*.txt")
    shutil.copy(seed, raw / seed.name)
    (raw / "status" / "gate-export.csv").write_text(CSV, encoding="utf-8")
    (raw / "status" / "unrelated-data.csv").write_text("country,value\nKazakhstan,1\n", encoding="utf-8")
    warehouse = tmp_path / "wh" / "gender_equality.duckdb"

    first = run_refresh(raw, warehouse)
    assert first.published, first.render()
    # The unrelated CSV is not an input: listed, and skipped with the reason.
    assert (first.files_seen, first.files_skipped) == (3, 1)
    statuses, documents = status_rows(warehouse)
    assert statuses[1][:2] == ("completed", "accepted")
    assert statuses[7][:2] == ("initiated", "partially accepted")
    assert statuses[1][2] == "gate-export.csv"
    assert statuses[2][0] == "not reported"
    assert documents == [("loaded",)]
    # The evaluation's country page shows each recommendation's response and status as loaded.
    [recommendations] = section_tables((warehouse.parent / "report" / "kazakhstan.html").read_text(), "recommendations")
    shown = {row[0]: [row[3], row[4].splitlines()[0]] for row in recommendations[1:]}
    assert shown["1"] == ["accepted", "completed (2022-06-30)"]
    assert shown["7"] == ["partially accepted", "initiated (2021-09-15)"]
    assert shown["2"] == ["not stated", "not reported"]

    (raw / "status" / "gate-export.csv").unlink()
    second = run_refresh(raw, warehouse)
    assert second.published and second.files_removed == 1
    statuses, documents = status_rows(warehouse)
    assert statuses[1][0] == "not reported"
    assert documents == [("removed",)]
