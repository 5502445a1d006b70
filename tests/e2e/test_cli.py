"""`gewh refresh` as a user runs it: a real process, exit status and printed summary."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests import bad_inputs

pytestmark = pytest.mark.slow

GEWH = Path(sys.executable).with_name("gewh")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``args`` as a user runs them: no Prefect API configured (the refresh starts its own)."""
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    return subprocess.run(args, check=False, cwd=cwd, capture_output=True, text=True, timeout=600, env=environment)


def test_refresh_publishes_and_prints_a_summary(tmp_path):
    raw = tmp_path / "inbox"
    raw.mkdir()
    bad_inputs.good_pdf(raw / "report.pdf")
    bad_inputs.zero_byte(raw / "empty.pdf")
    warehouse = tmp_path / "out" / "wh.duckdb"
    began = time.monotonic()
    result = run([str(GEWH), "refresh", "--raw", str(raw), "--warehouse", str(warehouse)], tmp_path)
    wall = time.monotonic() - began
    assert result.returncode == 0, result.stderr[-3000:]
    # No Prefect API configured: the refresh starts its own, and says so from its first second.
    assert result.stdout.startswith("starting a local Prefect server\nlocal Prefect server ready in ")
    assert "documents: 2 seen, 2 new, 0 changed, 0 unchanged, 0 removed, 1 failed" in result.stdout
    # `elapsed` is the command's wall time: its start-up and every stage (issue 16: it left out the start-up).
    stages = re.search(r"^seconds per stage: (.*)$", result.stdout, re.MULTILINE)[1]
    timed = sum(float(part.rsplit(" ", 1)[1]) for part in stages.split(", "))
    assert stages.startswith("start-up ")
    elapsed = float(re.search(r"^elapsed: ([\d.]+) s$", result.stdout, re.MULTILINE)[1])
    assert timed - 0.5 <= elapsed <= wall
    assert "rows per mart:" in result.stdout and "checks:" in result.stdout and "elapsed:" in result.stdout
    assert f"published: {warehouse}" in result.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from marts.dim_reports").fetchone()[0] == 1
    finally:
        con.close()


def test_module_alias_fails_with_a_one_line_reason(tmp_path):
    result = run(
        [
            sys.executable,
            "-m",
            "flows.refresh",
            "--raw",
            str(tmp_path / "missing"),
            "--warehouse",
            str(tmp_path / "w.duckdb"),
        ],
        Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    [reason] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "raw folder not found" in reason
    assert not (tmp_path / "w.duckdb").exists()


def test_process_start_is_read_to_the_tenth_of_a_second():
    """The start-up that `gewh refresh` prints is measured from this process's start."""
    import time

    import psutil

    from gewh.cli import _process_started_at

    started = _process_started_at()
    assert started <= time.time()
    # psutil's create_time is off by up to a second (boot time rounded to whole seconds).
    assert abs(started - psutil.Process().create_time()) < 1.5


def test_version_names_the_installed_package(tmp_path):
    from importlib.metadata import version

    result = run([str(GEWH), "--version"], tmp_path)
    assert result.returncode == 0 and result.stdout == f"gewh {version('gender-equality-warehouse')}\n"


def test_mistakes_are_one_line_errors_before_anything_starts(tmp_path):
    missing_raw = run([str(GEWH), "refresh", "--raw", str(tmp_path / "nowhere")], tmp_path)
    assert missing_raw.returncode == 2
    assert missing_raw.stderr == f"error: raw folder not found: {tmp_path / 'nowhere'}\n"
    not_a_warehouse = bad_inputs.good_pdf(tmp_path / "report.pdf")
    for command in ("status", "report", "export"):
        result = run([str(GEWH), command, "--warehouse", str(not_a_warehouse)], tmp_path)
        assert result.returncode == 1, command
        [line] = result.stderr.splitlines()
        assert line.startswith("error: ") and "not a valid DuckDB database file" in line, (command, line)


def test_an_empty_raw_folder_says_how_to_add_reports_and_publishes_nothing(tmp_path):
    """Issue 16: a refresh of an empty folder (as on a fresh clone) used to publish an empty warehouse, exit 0."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".gitkeep").touch()  # hidden files are not reports: the folder of a fresh clone
    (raw / "2024").mkdir()  # nor are folders without files
    warehouse = tmp_path / "out" / "wh.duckdb"
    result = run([str(GEWH), "refresh", "--raw", str(raw), "--warehouse", str(warehouse)], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: raw folder is empty: {raw}: put reports (.md, .pdf, .txt; recommendation-status updates as .csv) "
        "into it and refresh again, or run `gewh demo` (`make demo`) to see the warehouse built from sample reports\n"
    )
    assert not warehouse.parent.exists()
