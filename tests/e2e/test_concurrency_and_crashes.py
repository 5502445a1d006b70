"""Refreshes next to readers, a second writer, and kill -9 in every stage and at ten random moments.

Everything here uses real processes: the refresh is the `gewh` command, readers
are separate Python processes (plain duckdb and SQLAlchemy/duckdb-engine).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from tests import bad_inputs
from tests.e2e.refreshes import report_count, start_refresh

pytestmark = pytest.mark.slow

READER = textwrap.dedent(
    """
    import json, subprocess, sys, time
    from pathlib import Path
    import duckdb
    import sqlalchemy

    warehouse, stop_file, kind = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    sql = "select count(*) from marts.dim_reports"

    def connect():
        if kind == "cli":  # the DuckDB command-line shell, one session per connection
            shell = subprocess.Popen(
                [str(Path(sys.executable).with_name("duckdb")), "-readonly", "-csv", "-noheader", warehouse],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )

            def ask():
                shell.stdin.write(sql + ";\\n")
                shell.stdin.flush()
                line = shell.stdout.readline()
                if not line:
                    raise RuntimeError(shell.stderr.read())
                return int(line)

            def close():
                shell.stdin.close()
                shell.wait()

            return ask, close
        if kind == "sqlalchemy":
            engine = sqlalchemy.create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
            connection = engine.connect()

            def close():
                connection.close()
                engine.dispose()

            return lambda: connection.execute(sqlalchemy.text(sql)).scalar(), close
        connection = duckdb.connect(warehouse, read_only=True)
        return lambda: connection.execute(sql).fetchone()[0], connection.close

    held_query, close_held = connect()  # one connection held for the whole refresh
    seen_by_held, seen_by_new, errors = set(), [], []
    while not stop_file.exists():
        seen_by_held.add(held_query())
        try:
            query, close = connect()   # and a fresh connection every round
            seen_by_new.append(query())
            close()
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.2)
    # DuckDB shares one database instance per file among a process's open connections, so
    # the new version shows once the process has no connection to the old one left.
    close_held()
    query, close = connect()
    print(json.dumps({"held": sorted(seen_by_held), "new": seen_by_new, "errors": errors, "after": query()}))
    """
)


def wait_for_stage(lock_file: Path, stage: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock_file.exists() and f"stage {stage} " in lock_file.read_text():
            return
        if process.poll() is not None:
            raise AssertionError(f"refresh ended before stage {stage}: {process.stderr.read()[-2000:]}")
        time.sleep(0.05)
    raise AssertionError(f"refresh never reached stage {stage}")


def test_readers_keep_working_and_a_second_writer_is_turned_away(published, tmp_path, prefect_api):
    raw, warehouse = published
    lock_file = warehouse.with_name(".gender_equality.refresh.lock")
    old = report_count(warehouse)
    new = old + 1
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(warehouse), str(stop), kind], stdout=subprocess.PIPE, text=True
        )
        for kind in ("duckdb", "sqlalchemy", "cli")
    ]
    time.sleep(3)  # readers hold their connections before the refresh starts
    bad_inputs.good_pdf(raw / "second.pdf", "Annual report on partnerships, 2024")
    writer = start_refresh(raw, warehouse, prefect_api, pause_in="extract")
    wait_for_stage(lock_file, "extract", writer)

    second = start_refresh(raw, warehouse, prefect_api)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 75, err
    assert "refresh already running" in err

    _, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err[-3000:]
    time.sleep(1)
    stop.touch()
    for kind, reader in zip(("duckdb", "sqlalchemy", "cli"), readers, strict=True):
        result = json.loads(reader.communicate(timeout=120)[0])
        assert result["errors"] == [], kind
        assert result["held"] == [old], kind  # consistent: the version it opened, throughout
        if kind == "cli":  # every shell is its own process: old version, then the new one
            assert result["new"] == sorted(result["new"]) and set(result["new"]) <= {old, new}
            assert result["new"][0] == old and result["new"][-1] == new
        else:  # while the process holds the old file, it reads the old file
            assert set(result["new"]) == {old}, kind
        assert result["after"] == new, kind  # connecting afresh after publish sees the new version


def test_kill_9_in_any_stage_keeps_the_published_warehouse(published, run_refresh, prefect_api, prefect_servers_of):
    raw, warehouse = published
    lock_file = warehouse.with_name(".gender_equality.refresh.lock")
    before = warehouse.read_bytes()
    reports = report_count(warehouse)
    stages = ["extract", "dbt", "expectations", "publish"]
    for stage in stages:
        bad_inputs.good_pdf(raw / f"new-{stage}.pdf", f"Annual report on {stage}, 2024")
        # The first runs on a Prefect server of its own: killed outright, the refresh leaves no server behind.
        victim = start_refresh(raw, warehouse, None if stage == stages[0] else prefect_api, pause_in=stage)
        wait_for_stage(lock_file, stage, victim)
        servers = prefect_servers_of(victim.pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        assert len(servers) == (1 if stage == stages[0] else 0)
        _, running = psutil.wait_procs(servers, timeout=30)
        assert not running, f"the Prefect server of a refresh killed in {stage} outlived it"
        assert warehouse.read_bytes() == before, f"published file changed by a refresh killed in {stage}"
        assert report_count(warehouse) == reports

    # Each killed run got past the stages the previous one died in; the next one completes normally.
    after = run_refresh(raw, warehouse)
    assert after.published, after.render()
    assert report_count(warehouse) == reports + len(stages)


# kill -9 at moments drawn at random over a refresh's run, from a fixed seed (issue 15, item 9).
KILL_SEED = 20261130
KILLS = 10


def test_kill_9_at_ten_random_moments_leaves_a_whole_warehouse(published, run_refresh, prefect_api):
    raw, warehouse = published
    rng = random.Random(KILL_SEED)
    first = report_count(warehouse)
    # How long a refresh that adds one report runs here, from its start as a process: the moments are drawn
    # over that span, one in each tenth of it, so that start-up, extraction, dbt, checks and publish all get some.
    bad_inputs.good_pdf(raw / "moment-0.pdf", "Annual report on moment 0, 2024")
    began = time.monotonic()
    assert start_refresh(raw, warehouse, prefect_api).wait(timeout=300) == 0
    span = time.monotonic() - began
    for kill in range(KILLS):
        bad_inputs.good_pdf(raw / f"moment-{kill + 1}.pdf", f"Annual report on moment {kill + 1}, 2024")
        reports = report_count(warehouse)
        victim = start_refresh(raw, warehouse, prefect_api)
        time.sleep(span * (kill + rng.random()) / KILLS)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        # Whole: it opens and holds one version, the one before or (killed after the swap) the new one, which has
        # every report in the folder (the killed runs before it staged theirs).
        assert report_count(warehouse) in (reports, first + 2 + kill), f"kill {kill + 1}, over {span:.1f} s"

    # The last kill may land after its swap: then the folder is already published and this run has nothing to do.
    after = run_refresh(raw, warehouse)
    assert after.ok, after.render()
    assert report_count(warehouse) == first + 1 + KILLS
