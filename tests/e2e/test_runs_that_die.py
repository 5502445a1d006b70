"""A refresh stopped inside its flow (no room for the build, a full disk while checking, SIGTERM or Ctrl-C while
extracting) is recorded with its reason, leaves no build folder and no Prefect server behind, and leaves the
published warehouse as it was.

The full disks here are fakes, which run anywhere; tests/e2e/test_full_disk.py fills a real one (a tmpfs) where the
tests may mount.  tests/unit/test_runs_that_die.py covers a refresh that dies before its flow starts (Prefect's API
not starting).
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from collections import namedtuple
from pathlib import Path

import duckdb
import psutil
import pytest

from gewh.prefect_api import advertised, healthy
from gewh.refresh import transform
from gewh.refresh.run import RefreshNotPublished
from gewh.settings import Settings
from tests import bad_inputs
from tests.e2e.refreshes import GEWH, ctrl_c_as_in_a_terminal

pytestmark = pytest.mark.slow


def runs(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(Settings(warehouse=warehouse).staging_db), read_only=True)
    try:
        return con.execute("select run_id, published, reason from refresh_runs order by started_at").fetchall()
    finally:
        con.close()


def published_state(warehouse: Path) -> tuple[bytes, int]:
    return warehouse.read_bytes(), warehouse.stat().st_mtime_ns


def test_no_room_for_the_build_stops_the_refresh_before_it_with_the_space_needed(published, run_refresh, monkeypatch):
    raw, warehouse = published
    settings = Settings(warehouse=warehouse)
    bad_inputs.good_pdf(raw / "second.pdf", "Annual report on partnerships, 2024")
    # What a killed refresh left behind: counted as free, and removed.
    settings.build_dir.mkdir()
    (settings.build_dir / "gender_equality.duckdb").write_bytes(b"x" * 2**20)
    before, earlier = published_state(warehouse), runs(warehouse)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(transform.shutil, "disk_usage", lambda _: usage(2**30, 2**30 - 2**20, 2**20))

    with pytest.raises(RefreshNotPublished) as stopped:
        run_refresh(raw, warehouse)
    reason = stopped.value.summary.reason
    assert reason.startswith("not enough disk space: the build needs ~") and reason.endswith(
        f" MB free in {warehouse.parent}, has 2 MB"
    )
    assert runs(warehouse) == [*earlier, (stopped.value.summary.run_id, False, reason)]
    assert not settings.build_dir.exists()
    assert published_state(warehouse) == before


def test_a_full_disk_while_checking_is_recorded_and_its_partial_output_removed(published, run_refresh, monkeypatch):
    raw, warehouse = published
    settings = Settings(warehouse=warehouse)
    bad_inputs.good_pdf(raw / "third.pdf", "Annual report on evaluations, 2024")
    before, earlier = published_state(warehouse), runs(warehouse)

    def disk_fills(build_db: Path, staging_db: Path, data_docs_dir: Path, results_dir: Path, run_name: str):
        assert build_db.exists()  # the build this run made
        (data_docs_dir / "validations").mkdir(parents=True, exist_ok=True)
        (data_docs_dir / "validations" / "half-written.html").write_text("<html><body>")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("flows.refresh.flow.run_checks", disk_fills)
    with pytest.raises(OSError, match="No space left on device"):
        run_refresh(raw, warehouse)

    [*_, (_, was_published, reason)] = recorded = runs(warehouse)
    assert len(recorded) == len(earlier) + 1
    assert (was_published, reason) == (False, "disk full: [Errno 28] No space left on device")
    assert not settings.build_dir.exists()
    assert not settings.data_docs_dir.exists()
    assert published_state(warehouse) == before


def test_sigterm_during_an_extraction_stops_the_refresh_in_seconds_and_records_it(
    tmp_path, prefect_api, prefect_servers_of
):
    raw, warehouse = _slow_raw_folder(tmp_path)
    settings = Settings(warehouse=warehouse)
    # The session's Prefect API, as the server of a `gewh serve` of this warehouse (this process stands for the
    # serve): the refresh, which has no PREFECT_API_URL, uses it rather than start its own, and leaves it running.
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    with advertised(settings.serve_file, prefect_api, settings.file_mode):
        refresh = _extracting_refresh(raw, warehouse, environment)
        assert prefect_servers_of(refresh.pid) == []

        refresh.send_signal(signal.SIGTERM)
        stdout, stderr = refresh.communicate(timeout=10)

        assert stdout.startswith(
            f"using the local Prefect server of gewh serve at {prefect_api.removesuffix('/api')}\n"
        )
        assert healthy(prefect_api), "the refresh stopped the server of gewh serve"
    assert refresh.returncode == 128 + signal.SIGTERM
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("error: not published: stopped: SIGTERM (traceback in ")
    [(run_id, was_published, reason)] = runs(warehouse)
    assert (was_published, reason) == (False, "stopped: SIGTERM")
    assert (warehouse.parent / "logs" / f"refresh-{run_id}.log").exists()
    assert not settings.build_dir.exists()
    assert not warehouse.exists()


def test_ctrl_c_stops_the_refresh_and_its_prefect_server_in_seconds(tmp_path, prefect_servers_of):
    """Issue 15: Ctrl-C took 99 s, printed pages of tracebacks and could leave Prefect's server running."""
    raw, warehouse = _slow_raw_folder(tmp_path)
    # No PREFECT_API_URL: the refresh starts its own server, and must stop it.
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    refresh = _extracting_refresh(raw, warehouse, environment, start_new_session=True)
    server = prefect_servers_of(refresh.pid)
    assert len(server) == 1

    os.killpg(refresh.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: SIGINT to the foreground group
    stdout, stderr = refresh.communicate(timeout=10)

    assert refresh.returncode == 128 + signal.SIGINT
    assert stdout.startswith("starting a local Prefect server\nlocal Prefect server ready in ")
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("error: not published: stopped: SIGINT (traceback in ")
    _, running = psutil.wait_procs(server, timeout=30)
    assert not running, "the refresh's Prefect server outlived it"
    assert [run[1:] for run in runs(warehouse)] == [(False, "stopped: SIGINT")]
    assert not Settings(warehouse=warehouse).build_dir.exists()


def _slow_raw_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A raw folder whose largest document takes minutes of layout (still extracting when a signal comes), and
    the warehouse path to refresh it into."""
    raw = tmp_path / "raw"
    raw.mkdir()
    bad_inputs.pathological_pdf(raw / "slow.pdf")
    bad_inputs.good_pdf(raw / "fine.pdf")
    return raw, tmp_path / "wh" / "gender_equality.duckdb"


def _extracting_refresh(raw: Path, warehouse: Path, environment: dict, **popen) -> subprocess.Popen:
    """`gewh refresh` of ``raw`` with one worker, returned while its slowest document is being laid out."""
    refresh = subprocess.Popen(
        [str(GEWH), "refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        preexec_fn=ctrl_c_as_in_a_terminal,  # noqa: PLW1509 - only resets a signal; needed for the Ctrl-C test
        **popen,
    )
    lock_file = Settings(warehouse=warehouse).lock_file
    deadline = time.monotonic() + 240
    while "stage extract " not in (lock_file.read_text() if lock_file.exists() else ""):
        assert refresh.poll() is None and time.monotonic() < deadline, refresh.communicate()[1][-2000:]
        time.sleep(0.05)
    time.sleep(3)  # the slow document (the largest file starts first) is being laid out
    return refresh
