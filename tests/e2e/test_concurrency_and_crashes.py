"""Refreshes next to readers, a second writer, and kill -9 in every stage and at ten random moments.

Everything here uses real processes: the refresh is the `gewh` command, readers
are separate Python processes (plain duckdb and SQLAlchemy/duckdb-engine).
"""

from __future__ import annotations

import contextlib
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
    seen_by_held, seen_by_new, errors, held_queries = set(), [], [], 0
    while not stop_file.exists():
        seen_by_held.add(held_query())
        held_queries += 1
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
    print(json.dumps({
        "held": sorted(seen_by_held), "held_queries": held_queries, "new": seen_by_new, "errors": errors,
        "after": query(),
    }))
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
        # Queries across the refresh, on the held connection and on a fresh one each round (quoted in the README).
        print(f"{kind}: {result['held_queries'] + len(result['new'])} queries, {len(result['errors'])} errors")
        assert result["held_queries"] > 10 and len(result["new"]) + len(result["errors"]) > 10, kind
        assert result["held"] == [old], kind  # consistent: the version it opened, throughout
        if kind == "cli":  # every shell is its own process: old version, then the new one
            assert result["new"] == sorted(result["new"]) and set(result["new"]) <= {old, new}
            assert result["new"][0] == old and result["new"][-1] == new
        else:  # while the process holds the old file, it reads the old file
            assert set(result["new"]) == {old}, kind
        assert result["after"] == new, kind  # connecting afresh after publish sees the new version


def test_kill_9_in_any_stage_keeps_the_published_warehouse(published, run_refresh, prefect_api, prefect_servers_of):
    """Killed outright in each stage (in extract and dbt, while their processes work), a refresh leaves the
    published warehouse as it was, and none of its processes running (issue 15, item 9)."""
    raw, warehouse = published
    lock_file = warehouse.with_name(".gender_equality.refresh.lock")
    before = warehouse.read_bytes()
    reports = report_count(warehouse)
    stages = ["extract", "dbt", "expectations", "publish"]
    for stage in stages:
        bad_inputs.good_pdf(raw / f"new-{stage}.pdf", f"Annual report on {stage}, 2024")
        if stage == "extract":
            # Seconds of layout: still being extracted when the kill comes.  Removed after it, never staged.
            bad_inputs.pathological_pdf(raw / "slow.pdf")
        # The first runs on a Prefect server of its own: killed outright, the refresh leaves no server behind.
        victim = start_refresh(raw, warehouse, None if stage == stages[0] else prefect_api, pause_in=stage)
        wait_for_stage(lock_file, stage, victim)
        servers = prefect_servers_of(victim.pid)
        descendants = at_work(victim, stage)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        (raw / "slow.pdf").unlink(missing_ok=True)
        assert len(servers) == (1 if stage == stages[0] else 0)
        _, running = psutil.wait_procs(servers, timeout=30)
        assert not running, f"the Prefect server of a refresh killed in {stage} outlived it"
        outlived = still_running(descendants)
        assert not outlived, f"30 s after a refresh killed in {stage}, still running: {'; '.join(outlived)}"
        assert warehouse.read_bytes() == before, f"published file changed by a refresh killed in {stage}"
        assert report_count(warehouse) == reports

    # Each killed run got past the stages the previous one died in; the next one completes normally.
    after = run_refresh(raw, warehouse)
    assert after.published, after.render()
    assert report_count(warehouse) == reports + len(stages)


def at_work(victim: subprocess.Popen, stage: str) -> dict[psutil.Process, str]:
    """Every descendant of ``victim``, each named, once it is at work in ``stage``: in "extract", once a document
    is being read (in a process the forkserver forked), which is then stopped; in "dbt", once dbt runs (in a
    process of its own); in any other stage, at once.  What a kill -9 of ``victim`` must end."""
    deadline = time.monotonic() + 240
    while True:
        named = _named_descendants(victim.pid)
        working = [
            process
            for process, name in named.items()
            if name.startswith(WORKERS.get(stage, "")) and (stage != "extract" or _reading_a_pdf(process))
        ]
        if stage not in WORKERS or working:
            break
        assert victim.poll() is None and time.monotonic() < deadline, f"no {WORKERS[stage]} process seen"
        time.sleep(0.05)
    if stage == "extract":
        # Stopped, it stands for a long report whose extraction runs for minutes (up to the CPU time limit):
        # running on, this one would end by itself in seconds, and a child that outlived the refresh go unseen.
        # Only once it reads its document: stopped before it is set up (`isolation._limit_this_process`), a child
        # would be held where no child of a refresh ever stays.
        for extraction in working:
            with contextlib.suppress(psutil.NoSuchProcess):
                extraction.suspend()
    return named


# The stages whose work runs in processes of its own, and the name `_named_descendants` gives those.
WORKERS = {"extract": "document extraction", "dbt": "dbt build"}


def _named_descendants(pid: int) -> dict[psutil.Process, str]:
    """Each descendant of process ``pid`` with what it is (by its command line and its parent) and its id."""
    tree = psutil.Process(pid).children(recursive=True)
    commands = {process: _command(process) for process in tree}
    forkservers = {
        process.pid
        for process, command in commands.items()
        if "multiprocessing.forkserver" in command and _parent(process) == pid
    }
    named = {}
    for process, command in commands.items():
        if _parent(process) in forkservers:  # forked: it has its forkserver's command line
            what = WORKERS["extract"]
        elif process.pid in forkservers:
            what = "forkserver of the extractions"
        elif "multiprocessing.spawn" in command:
            what = WORKERS["dbt"]
        elif "multiprocessing.resource_tracker" in command:
            what = "multiprocessing's resource tracker"
        elif "prefect.server" in command:
            what = "Prefect server"
        else:
            what = command[:160]
        named[process] = f"{what} (pid {process.pid})"
    return named


def _reading_a_pdf(process: psutil.Process) -> bool:
    with contextlib.suppress(psutil.Error):
        return any(opened.path.endswith(".pdf") for opened in process.open_files())
    return False


def _command(process: psutil.Process) -> str:
    with contextlib.suppress(psutil.Error):
        return " ".join(process.cmdline())
    return ""


def _parent(process: psutil.Process) -> int | None:
    with contextlib.suppress(psutil.Error):
        return process.ppid()
    return None


def still_running(processes: dict[psutil.Process, str], seconds: float = 30) -> list[str]:
    """The names of those of ``processes`` still running ``seconds`` after this is called; they are killed, so
    that a failed test leaves none behind."""
    deadline = time.monotonic() + seconds
    running = list(processes)
    while running and time.monotonic() < deadline:
        _, running = psutil.wait_procs(running, timeout=0.5)
        # A zombie has ended: what is left of it is its exit status, for init to collect.
        running = [process for process in running if not _ended(process)]
    for process in running:
        with contextlib.suppress(psutil.Error):
            process.kill()
    return [processes[process] for process in running]


def _ended(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


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
