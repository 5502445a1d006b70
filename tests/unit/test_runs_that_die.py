"""A refresh that dies before its flow runs is recorded, with one line on the terminal and the traceback in a file;
and, one at a time, what a refresh that dies inside its flow relies on: its reason, what it removes, its record.

tests/e2e/test_runs_that_die.py stops refreshes inside the flow (a full disk, SIGTERM, Ctrl-C).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from gewh import prefect_api
from gewh.cli import app
from gewh.refresh import transform
from gewh.refresh.failure import Terminated, discard_partial_output, exit_status, keep_traceback, reason_for
from gewh.refresh.publish import add_run_to_history, single_writer
from gewh.refresh.run import refresh_run
from gewh.settings import Settings
from tests import bad_inputs


def runs(warehouse) -> list[tuple]:
    con = duckdb.connect(str(Settings(warehouse=warehouse).staging_db), read_only=True)
    try:
        return con.execute("select published, reason from refresh_runs").fetchall()
    finally:
        con.close()


@pytest.fixture
def prefect_cannot_start(monkeypatch, tmp_path):
    """A raw folder with one report, a warehouse path, no PREFECT_API_URL, and a local Prefect server that never
    answers (a process that only sleeps, on a port nobody listens on), given 0.2 s per try."""
    started: list[subprocess.Popen] = []

    def silent_server(_kind, _listener):
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
        return started[-1]

    # The refresh imports its flow while its server starts, and Prefect keeps the API address it finds when first
    # imported: imported here first, so that the rest of the session does not keep this server's.
    import flows.refresh.flow  # noqa: F401

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_api, "_start", silent_server)
    monkeypatch.setattr(prefect_api, "STARTUP_SECONDS", (0.2, 0.2))
    raw = tmp_path / "raw"
    raw.mkdir()
    bad_inputs.good_pdf(raw / "report.pdf")
    yield raw, tmp_path / "wh" / "gender_equality.duckdb"
    assert len(started) == 2 and all(server.poll() is not None for server in started), "a try left its server"


NOT_STARTED = (
    "Prefect API did not start: the local Prefect server did not start: "
    "try 1: it did not answer within 0.2 s; try 2: it did not answer within 0.2 s"
)


def test_prefect_not_starting_is_tried_twice_recorded_with_one_line_and_the_traceback_in_a_log(prefect_cannot_start):
    raw, warehouse = prefect_cannot_start
    result = CliRunner().invoke(app, ["refresh", "--raw", str(raw), "--warehouse", str(warehouse)])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "starting a local Prefect server",
        "the local Prefect server did not start (it did not answer within 0.2 s); trying again",
    ]
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: not published: {NOT_STARTED} (traceback in {warehouse.parent / 'logs'}/refresh-")
    assert runs(warehouse) == [(False, NOT_STARTED)]
    [log] = (warehouse.parent / "logs").glob("refresh-*.log")
    assert line.endswith(f"{log})")
    assert "Traceback" in log.read_text() and "PrefectApiNotStarted" in log.read_text()
    assert not Settings(warehouse=warehouse).build_dir.exists()


def test_a_refresh_holding_the_lock_is_not_written_over(prefect_cannot_start):
    raw, warehouse = prefect_cannot_start
    # The up-to-date check would meet the held lock first: with no staging file it is skipped, as on a first run.
    with single_writer(Settings(warehouse=warehouse).lock_file):
        result = CliRunner().invoke(app, ["refresh", "--raw", str(raw), "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "Prefect API did not start" in line and "run not recorded: refresh already running" in line
    assert not Settings(warehouse=warehouse).staging_db.exists()


def test_a_staging_file_that_cannot_be_written_is_said(prefect_cannot_start):
    raw, warehouse = prefect_cannot_start
    Settings(warehouse=warehouse).staging_db.mkdir(parents=True)  # a folder where the staging file should be
    result = CliRunner().invoke(app, ["refresh", "--raw", str(raw), "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "Prefect API did not start" in line
    assert f"run not recorded in {Settings(warehouse=warehouse).staging_db}: " in line


def _raised_from(cause: BaseException) -> BaseException:
    """An exception of a library's own raised from ``cause``, as it reaches the refresh."""
    try:
        try:
            raise cause
        except OSError as exc:
            raise RuntimeError("could not store the validation result") from exc
    except RuntimeError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    ("exc", "reason", "status"),
    [
        (KeyboardInterrupt(), "stopped: SIGINT", 130),
        (Terminated(signal.SIGTERM), "stopped: SIGTERM", 143),
        (OSError(errno.ENOSPC, "No space left on device"), "disk full: [Errno 28] No space left on device", 1),
        # What DuckDB raised on a real full disk (tests/e2e/test_full_disk.py): its message, no error number.
        (
            duckdb.TransactionException(
                'TransactionContext Error: Failed to commit: Could not write file "s.wal": No space left on device'
            ),
            'disk full: TransactionContext Error: Failed to commit: Could not write file "s.wal": No space left on '
            "device",
            1,
        ),
        (
            _raised_from(OSError(errno.ENOSPC, "No space left on device")),
            "disk full: [Errno 28] No space left on device",
            1,
        ),
        (ValueError("first\nsecond"), "failed: ValueError: first", 1),
    ],
)
def test_reasons_are_one_line(exc, reason, status):
    assert reason_for(exc) == reason
    assert exit_status(exc) == status


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_traceback_the_full_disk_cut_short_leaves_no_log_file(tmp_path):
    settings = Settings(warehouse=tmp_path / "gender_equality.duckdb")
    log = tmp_path / "logs" / "refresh-r1.log"
    log.parent.mkdir()
    log.symlink_to("/dev/full")  # every write to it fails as on a full disk (ENOSPC)
    with pytest.raises(OSError) as unwritten:
        keep_traceback(settings, "r1", ValueError("why the run stopped"))
    assert unwritten.value.errno == errno.ENOSPC
    assert not log.exists() and not log.is_symlink()


def test_the_space_check_says_how_much_the_build_needs(monkeypatch, tmp_path):
    published, staging = tmp_path / "wh.duckdb", tmp_path / "wh.staging.duckdb"
    published.write_bytes(b"x" * 10 * 2**20)
    staging.write_bytes(b"x" * 2**20)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(transform.shutil, "disk_usage", lambda _: usage(100 * 2**20, 90 * 2**20, 10 * 2**20))
    assert transform.space_shortfall(published, staging, tmp_path / ".wh.build") == (
        f"not enough disk space: the build needs ~84 MB free in {tmp_path}, has 10 MB"
    )
    monkeypatch.setattr(transform.shutil, "disk_usage", lambda _: usage(100 * 2**20, 16 * 2**20, 84 * 2**20))
    assert transform.space_shortfall(published, staging, tmp_path / ".wh.build") is None


def test_a_run_stopped_while_checking_leaves_no_results_of_its_own_and_keeps_earlier_ones(tmp_path):
    settings = Settings(warehouse=tmp_path / "gender_equality.duckdb")
    results = settings.validation_results_dir
    earlier = results / "sources" / "refresh r1" / "20261130T223915Z" / "warehouse-marts.dim_data_sources.json"
    cut_short = results / "sources" / "refresh r2" / "20261130T224434Z" / "warehouse-marts.dim_data_sources.json"
    for path in (earlier, cut_short, settings.data_docs_dir / "index.html", settings.build_dir / "x.duckdb"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}" if path == earlier else "")  # what a full disk left: an empty file
    (results / "core" / "refresh r2").mkdir(parents=True)

    discard_partial_output(settings, "expectations", "r2")

    assert sorted(path.relative_to(results) for path in results.rglob("*")) == [
        Path("core"),
        *(earlier.relative_to(results).parents[index] for index in (2, 1, 0)),
        earlier.relative_to(results),
    ]
    assert not settings.data_docs_dir.exists() and not settings.build_dir.exists()


def test_a_publish_that_fails_is_not_recorded_as_published(tmp_path):
    """A full disk at the checkpoint before the swap: the run was recorded published, so the next refresh found
    what it had staged 'already published' and never published the new report (tests/e2e/test_full_disk.py)."""
    settings = Settings(warehouse=tmp_path / "gender_equality.duckdb")
    with pytest.raises(duckdb.FatalException), refresh_run(settings) as run:
        run.summary.mark_published(settings.warehouse, {"marts.dim_reports": 2})
        with run.stage("publish"):
            raise duckdb.FatalException("FATAL Error: Failed to create checkpoint: No space left on device")
    assert runs(settings.warehouse) == [
        (False, "disk full: FATAL Error: Failed to create checkpoint: No space left on device")
    ]
    assert not run.summary.published and run.summary.rows_per_mart == {}


def test_a_dbt_build_the_disk_stopped_says_disk_full():
    # What dbt reported on a real full tmpfs (tests/e2e/test_full_disk.py), one error per model it could not build.
    full = transform.DbtOutcome(
        success=False, failures=["model fct_findings: error: [Errno 28] No space left on device"]
    )
    assert full.failure_reason == (
        "disk full: dbt build failed: model fct_findings: error: [Errno 28] No space left on device"
    )
    # DuckDB's own words for a commit that could not write come on the line after dbt's.
    commit = transform.DbtOutcome(
        success=False,
        failures=[
            "model fct_findings: error: Runtime Error in model fct_findings (models/marts/fct_findings.sql)\n"
            '  TransactionContext Error: Failed to commit: Could not write file "b.duckdb.wal": No space left on device'
        ],
    )
    assert commit.failure_reason == (
        "disk full: dbt build failed: model fct_findings: error: Runtime Error in model fct_findings "
        '(models/marts/fct_findings.sql) TransactionContext Error: Failed to commit: Could not write file "b.duckdb.wal": '
        "No space left on device"
    )
    other = transform.DbtOutcome(success=False, failures=["test unique_dim_reports_report_id: fail: Got 1 result"])
    assert other.failure_reason == "dbt build failed: test unique_dim_reports_report_id: fail: Got 1 result"


def test_a_publish_tried_again_holds_its_run_once_in_the_history(tmp_path):
    build = tmp_path / "gender_equality.duckdb"
    con = duckdb.connect(str(build))
    con.execute("create schema marts; create table marts.refresh_runs (run_id varchar, published boolean)")
    con.execute("insert into marts.refresh_runs values ('earlier', true)")
    con.close()
    # The publish task's first try died after adding the run (a full disk at the checkpoint); its second adds it again.
    for _ in range(2):
        add_run_to_history(build, {"run_id": "this", "published": True})
    con = duckdb.connect(str(build), read_only=True)
    try:
        assert con.execute("select * from marts.refresh_runs order by run_id").fetchall() == [
            ("earlier", True),
            ("this", True),
        ]
    finally:
        con.close()


def test_a_kept_traceback_gets_the_settings_file_mode_whatever_the_umask(tmp_path):
    settings = Settings(warehouse=tmp_path / "wh" / "gender_equality.duckdb")
    previous = os.umask(0o022)
    try:
        log = keep_traceback(settings, "r2", ValueError("why the run stopped"))
    finally:
        os.umask(previous)
    assert oct(stat.S_IMODE(log.stat().st_mode)) == "0o640"
    assert oct(stat.S_IMODE(log.parent.stat().st_mode)) == "0o750"
