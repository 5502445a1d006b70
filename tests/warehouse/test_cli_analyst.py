"""The analyst commands as a user runs them (real processes): --help everywhere, status, query, export, docs, report,
and refresh progress bars only on a terminal."""

from __future__ import annotations

import hashlib
import io
import json
import re
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from gewh import progress
from tests.report_page import section_tables
from tests.warehouse.reference import FAILED_FILE

pytestmark = pytest.mark.shared

REPO_ROOT = Path(__file__).resolve().parents[2]
GEWH = Path(sys.executable).with_name("gewh")
COMMANDS = ["refresh", "status", "query", "export", "docs", "report", "serve"]


@pytest.fixture(scope="module")
def warehouse(reference_warehouse) -> Path:
    return reference_warehouse


def gewh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(GEWH), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
        cwd=REPO_ROOT,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = gewh(command, "--help")
    assert "Usage: gewh " + command in result.stdout
    assert "--warehouse" in result.stdout


def test_status_shows_runs_documents_failures_and_flags(warehouse):
    out = gewh("status", "--warehouse", str(warehouse)).stdout
    for title in (
        "Last 5 refresh runs",
        "Reports by type",
        "Documents by status",
        "Failed files",
        "Quality flags by severity and check",
        "Quality flags",
    ):
        assert title in out
    assert FAILED_FILE in out and "failed" in out
    assert "delivery_rate_mismatch" in out and "published" in out


def test_query_prints_a_table_read_only(warehouse):
    before = digest(warehouse)
    out = gewh(
        "query",
        "select rec_no, timeframe from marts.fct_recommendations where priority = 'high' "
        "and timeframe = 'IMMEDIATELY' order by rec_no",
        "--warehouse",
        str(warehouse),
    ).stdout
    assert [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")] == ["1", "6", "7"]
    assert "3 rows" in out
    refused = gewh("query", "drop table marts.dim_reports", "--warehouse", str(warehouse), check=False)
    assert refused.returncode == 1 and "read-only" in refused.stderr
    assert digest(warehouse) == before


def test_query_reads_the_warehouse_and_nothing_else(warehouse, tmp_path):
    """A read-only connection alone would still run these: overwrite the published file, read any file, attach,
    install; and of several statements only the last result would show."""
    before = digest(warehouse)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the warehouse's readers\n")
    refused = [
        f"copy (select 'x') to '{warehouse}' (format csv)",
        f"select * from read_csv('{secret}')",
        f"select * from read_text('{secret}')",
        f"attach '{tmp_path / 'other.duckdb'}'",
        "install httpfs",
        "set enable_external_access = true",
    ]
    for sql in refused:
        result = gewh("query", sql, "--warehouse", str(warehouse), check=False)
        assert result.returncode == 1 and result.stderr.startswith("error: "), (sql, result.stderr)
        assert "not for the warehouse" not in result.stdout + result.stderr
    several = gewh("query", "select 1; select 2", "--warehouse", str(warehouse), check=False)
    assert several.returncode == 2 and "one SQL statement at a time (found 2)" in several.stderr
    assert digest(warehouse) == before
    assert gewh("query", "select count(*) from marts.dim_reports", "--warehouse", str(warehouse)).returncode == 0


def test_query_writes_csv_and_parquet(warehouse, tmp_path):
    sql = "select pi_code, rating from marts.fct_indicator_ratings where report_id = 'scorecard-kazakhstan-2022'"
    for name in ("ratings.csv", "ratings.parquet"):
        result = gewh("query", sql, "--out", str(tmp_path / name), "--warehouse", str(warehouse))
        assert "wrote 15 rows" in result.stdout
    con = duckdb.connect()
    assert con.execute(f"select rating from '{tmp_path / 'ratings.parquet'}' where pi_code = '5.1'").fetchone() == (
        "Missing",
    )
    assert con.execute(f"select count(*) from read_csv('{tmp_path / 'ratings.csv'}', header=true)").fetchone() == (15,)


def test_query_explains_mistakes(warehouse, tmp_path):
    missing = gewh("query", "select 1", "--warehouse", str(tmp_path / "none.duckdb"), check=False)
    assert missing.returncode == 2 and "run `gewh refresh` first" in missing.stderr
    both = gewh("query", "select 1", "--file", str(tmp_path / "x.sql"), "--warehouse", str(warehouse), check=False)
    assert both.returncode == 2 and "not both" in both.stderr
    bad_suffix = gewh(
        "query", "select 1", "--out", str(tmp_path / "x.xlsx"), "--warehouse", str(warehouse), check=False
    )
    assert bad_suffix.returncode == 2 and ".csv or .parquet" in bad_suffix.stderr


def test_export_writes_every_mart_as_parquet_and_csv(warehouse, tmp_path):
    out = tmp_path / "bi"
    result = gewh("export", "--out", str(out), "--warehouse", str(warehouse))
    con = duckdb.connect(str(warehouse), read_only=True)
    marts = {
        name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    con.close()
    assert f"exported {len(marts)} marts" in result.stdout
    assert {p.stem for p in (out / "parquet").glob("*.parquet")} == set(marts)
    assert {p.stem for p in (out / "csv").glob("*.csv")} == set(marts)
    reader = duckdb.connect()
    for mart, rows in marts.items():
        assert reader.execute(f"select count(*) from '{out / 'parquet' / (mart + '.parquet')}'").fetchone()[0] == rows
    assert (
        reader.execute(
            f"select count(*) from read_csv('{out / 'csv' / 'fct_recommendations.csv'}', header=true)"
        ).fetchone()[0]
        == marts["fct_recommendations"]
    )
    assert not list(out.rglob(".*partial*"))


def test_report_command_rewrites_the_report(warehouse, tmp_path):
    target = tmp_path / "again.html"
    result = gewh("report", "--out", str(target), "--warehouse", str(warehouse))
    assert f"report: {target} (1 country page, 1 redrawn)" in result.stdout
    assert '<a href="again/kazakhstan.html">Kazakhstan</a>' in target.read_text()
    assert (tmp_path / "again" / "kazakhstan.html").read_text().count('<svg role="img"') >= 5


def test_docs_builds_dbt_docs_with_exposures_and_every_mart_described(warehouse):
    result = gewh("docs", "--warehouse", str(warehouse))
    # Each step says so as it starts (issue 16: the command was silent for minutes).
    assert result.stdout.startswith("generating the dbt docs (")
    assert "\nrendering the Data Docs from the stored validation results\n" in result.stdout
    dbt_docs = warehouse.with_name("dbt_docs") / "index.html"
    assert f"dbt docs: {dbt_docs}" in result.stdout
    data_docs = warehouse.with_name("data_docs") / "index.html"
    assert f"data docs: {data_docs}" in result.stdout
    # Rebuilt Data Docs are finished like a refresh's: nothing loads from the network.
    assert not re.findall(r'(?:src|href)="https?://[^"]+\.(?:js|css)', data_docs.read_text())
    assert dbt_docs.stat().st_size > 100_000
    manifest = json.loads(dbt_docs.with_name("manifest.json").read_text())
    catalog = json.loads(dbt_docs.with_name("catalog.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"warehouse_report", "bi_dashboard"} <= set(exposures)
    assert (
        "model.gender_equality_warehouse.rpt_indicator_rating_matrix"
        in exposures["warehouse_report"]["depends_on"]["nodes"]
    )
    undescribed = []
    marts = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["schema"] == "marts"]
    assert len(marts) >= 29
    for node in marts:
        if not node["description"].strip():
            undescribed.append(node["name"])
        for column in catalog["nodes"][node["unique_id"]]["columns"]:
            if not node["columns"].get(column, {}).get("description", "").strip():
                undescribed.append(f"{node['name']}.{column}")
    assert undescribed == []


def test_report_is_written_at_publish_for_the_latest_run(warehouse):
    report = warehouse.with_name("report.html")
    con = duckdb.connect(str(warehouse), read_only=True)
    [(run_id,)] = con.execute("select run_id from marts.refresh_runs order by started_at desc limit 1").fetchall()
    con.close()
    assert f"published by run {run_id}" in report.read_text()


def run_refresh_on_a_terminal(args: list[str], prefect_api: str) -> str:
    """Run ``gewh`` with stdout on a pseudo-terminal (as in an interactive shell), on the session's Prefect API;
    returns what it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(GEWH), *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm", "PREFECT_API_URL": prefect_api},
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 600)
        if not ready:
            process.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    assert process.returncode == 0, process.stderr.read().decode()[-3000:]
    return b"".join(chunks).decode(errors="replace")


def test_refresh_draws_bars_on_a_terminal_only(warehouse, reference_raw, tmp_path, prefect_api):
    piped = gewh("refresh", "--raw", str(reference_raw), "--warehouse", str(warehouse)).stdout
    assert "up to date" in piped
    assert "━" not in piped and "\x1b[" not in piped
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.txt").write_text("A report that is none of the known kinds.\n")
    drawn = run_refresh_on_a_terminal(
        ["refresh", "--raw", str(raw), "--warehouse", str(tmp_path / "wh.duckdb")], prefect_api
    )
    assert "discover" in drawn and "extract" in drawn and "━" in drawn
    # dbt's bar counts the models and tests built of the build's total (issue 16: it showed 0/? throughout).
    assert re.search(r"dbt\s[^\n]*?(?<!\d)(\d{3})/\1(?!\d)", drawn), drawn[-2000:]
    assert "published" in drawn


def test_progress_bar_per_stage_and_per_document(capsys):
    screen = io.StringIO()
    with progress.shown(False):
        progress.enter("extract", total=2)
        progress.advance("a.pdf")
    assert capsys.readouterr().out == ""
    console = Console(file=screen, force_terminal=True, width=120)
    with progress.shown(True, console=console):
        progress.enter("extract", total=2)
        progress.advance("a.pdf")
        progress.advance("b.pdf")
        progress.enter("dbt")
    drawn = screen.getvalue()
    assert "extract" in drawn and "2/2" in drawn and "dbt" in drawn and "1/1" in drawn


def test_report_of_a_warehouse_without_scorecards_or_evaluations(warehouse, tmp_path):
    empty = tmp_path / "gender_equality.duckdb"
    shutil.copy(warehouse, empty)
    con = duckdb.connect(str(empty))
    for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' and table_name <> 'refresh_runs'"
    ).fetchall():
        con.execute(f'delete from marts."{name}"')
    con.close()
    gewh("report", "--warehouse", str(empty))
    page = empty.with_name("report.html").read_text()
    assert "No report loaded yet." in page
    assert page.count("No scorecard loaded yet.") == 2 and page.count("No evaluation loaded yet.") == 1
    assert "No quality flags." in page and "<svg" not in page
    assert list(empty.with_name("report").iterdir()) == []  # no country, no country page


def test_report_shows_the_completeness_of_every_report(warehouse):
    [completeness] = section_tables(warehouse.with_name("report.html").read_text(), "completeness")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports = [report_id for (report_id,) in con.execute("select report_id from marts.dim_reports").fetchall()]
        parts = con.execute("select report_id, part, found, expected from marts.fct_report_completeness").fetchall()
    header, *rows = completeness
    assert header == ["Report", "Country", "Name", "Status", "Completeness", "Parts read / expected"]
    assert sorted(row[0] for row in rows) == sorted(reports)
    assert {row[3] for row in rows} == {"published"}
    shown = {row[0]: row[5] for row in rows}
    for report_id, part, found, expected in parts:
        assert f"{part}: {found} / {expected}" in shown[report_id]
