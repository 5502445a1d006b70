"""`gewh serve`: a real process serving the refresh on a cron schedule runs it by itself, and does not replay the
runs an earlier serve, stopped outright, left scheduled."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import psutil
import pytest

from gewh.schedule import drop_runs_left_scheduled
from gewh.settings import load_settings
from tests import bad_inputs
from tests.e2e.refreshes import GEWH, ctrl_c_as_in_a_terminal

pytestmark = pytest.mark.slow


def start_serve(tmp_path: Path, extra_env: dict[str, str] | None = None, **popen) -> tuple[Path, subprocess.Popen]:
    """`gewh serve` of a raw folder holding one report, on its own Prefect server: (its settings file, process)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    bad_inputs.good_pdf(raw / "report.pdf")
    settings_file = tmp_path / "gewh.toml"
    settings_file.write_text(
        '[refresh]\nraw = "raw"\nwarehouse = "wh/gender_equality.duckdb"\n[schedule]\ncron = "* * * * * */20"\n'
    )
    server = subprocess.Popen(
        [str(GEWH), "serve", "--settings", str(settings_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=serve_environment(extra_env),
        preexec_fn=ctrl_c_as_in_a_terminal,  # noqa: PLW1509 - only resets a signal; its tests stop it with Ctrl-C
        **popen,
    )
    return settings_file, server


def serve_environment(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without PREFECT_API_URL (serve starts its own server), polling sooner, plus ``extra_env``."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    # Every 20 s (cron's optional sixth field, seconds), so the test waits at most 20 s for a due run rather than
    # for the next minute.  The server's scheduler and the runner look for due runs every 60 s and 10 s by
    # default: sooner here, so no polling round adds to that wait.
    env |= {"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    return env | (extra_env or {})


def listening_port(process: psutil.Process) -> int:
    """The port ``process`` (a Prefect server, on a socket gewh serve bound for it) listens on."""
    [port] = [c.laddr.port for c in process.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
    return port


def test_scheduled_run_publishes_without_anyone_starting_it(tmp_path, prefect_servers_of):
    warehouse = tmp_path / "wh" / "gender_equality.duckdb"
    _, server = start_serve(tmp_path)
    try:
        deadline = time.monotonic() + 300
        while not warehouse.exists() and time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read()[-3000:]
            time.sleep(2)
        assert warehouse.exists(), "no scheduled run published within 5 minutes"
        # The local server's UI shows the runs (issue 16: it answered 404); its address is in the first lines.
        [ui] = prefect_servers_of(server.pid)
        port = listening_port(ui)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200 and "<html" in page.read().decode().lower()
        time.sleep(2)
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            assert con.execute("select count(*) from marts.dim_reports").fetchone()[0] == 1
            assert con.execute("select published from marts.refresh_runs").fetchall() == [(True,)]
        finally:
            con.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert "serving deployment refresh/scheduled-refresh on cron '* * * * * */20'" in output
    assert f"runs and logs at http://127.0.0.1:{port};" in output
    # Ctrl-C stops the server `gewh serve` started too.
    _, running = psutil.wait_procs([ui], timeout=30)
    assert not running, "the Prefect server outlived gewh serve"
    # Each scheduled run says how it ended, in one line (issue 16: they printed nothing).
    assert re.search(
        r"^\S+ \S+ UTC refresh \S+: published \(1 seen, 1 new, 0 changed, 0 failed; [\d.]+ s\)$", output, re.M
    )


def test_ctrl_c_during_a_scheduled_run_stops_everything_records_the_run_and_removes_the_serve_file(
    tmp_path, prefect_servers_of
):
    # The scheduled run is held in its dbt stage (the build under way) when Ctrl-C comes; its own session: Ctrl-C
    # on a terminal signals the whole foreground process group, as killpg does here.
    held_in_dbt = {"GEWH_TEST_STAGE_PAUSE": "dbt=300"}
    settings_file, server = start_serve(tmp_path, held_in_dbt, start_new_session=True)
    settings = load_settings(settings_file)
    try:
        deadline = time.monotonic() + 300
        while not (settings.lock_file.exists() and "stage dbt " in settings.lock_file.read_text()):
            if server.poll() is not None:
                pytest.fail(
                    f"gewh serve exited ({server.returncode}) before a run reached dbt:\n{server.stdout.read()}"
                )
            assert time.monotonic() < deadline, "no scheduled run reached dbt in 5 minutes"
            time.sleep(1)
        everything = psutil.Process(server.pid).children(recursive=True)
        # While it runs, its serve file says where its server is (for a `gewh refresh` of the same warehouse, see
        # tests/e2e/test_runs_that_die.py), with the settings' file mode; a second serve of the warehouse exits.
        record = json.loads(settings.serve_file.read_text())
        [prefect_server] = prefect_servers_of(server.pid)
        port = listening_port(prefect_server)
        assert record["pid"] == server.pid and record["api_url"] == f"http://127.0.0.1:{port}/api"
        assert settings.serve_file.stat().st_mode & 0o777 == settings.file_mode
        second = subprocess.run(
            [str(GEWH), "serve", "--settings", str(settings_file)],
            check=False,
            capture_output=True,
            text=True,
            env=serve_environment(held_in_dbt),
            timeout=120,
        )
        assert second.returncode == 75 and second.stderr.startswith("error: gewh serve already runs for "), second
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.communicate()
    _, running = psutil.wait_procs(everything, timeout=30)
    assert not running, f"outlived gewh serve: {[p.cmdline()[:4] for p in running]}"
    assert "Traceback" not in output and "Crash detected" not in output, output[-3000:]
    assert not settings.build_dir.exists()
    assert not settings.serve_file.exists()
    con = duckdb.connect(str(settings.staging_db), read_only=True)
    try:
        assert con.execute("select published, reason from refresh_runs").fetchall() == [(False, "stopped: SIGINT")]
    finally:
        con.close()


def test_a_serve_deletes_the_runs_that_a_serve_stopped_outright_left_scheduled_and_nothing_else(prefect_api):
    """A serve killed outright leaves runs scheduled with its parameters, some past due by the time the deployment
    is served again, which Prefect's runner would then start at once; the new serve deletes them first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter
    from prefect.states import AwaitingRetry, Completed, Running, Scheduled

    now = datetime.now(UTC)
    suffix = uuid.uuid4().hex[:8]
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow_from_name("refresh")
        served = client.create_deployment(flow_id, name=f"served-{suffix}")
        other = client.create_deployment(flow_id, name=f"other-{suffix}")
        # More than the API returns at once (its default limit, 200), past due and ahead.
        for hours in [*range(-205, 0), 1, 2]:
            client.create_flow_run_from_deployment(served, state=Scheduled(scheduled_time=now + timedelta(hours=hours)))
        done = client.create_flow_run_from_deployment(served, state=Completed())
        retrying = client.create_flow_run_from_deployment(served)
        client.set_flow_run_state(retrying.id, Running(), force=True)
        client.set_flow_run_state(retrying.id, AwaitingRetry(scheduled_time=now - timedelta(minutes=1)), force=True)
        assert client.read_flow_run(retrying.id).run_count == 1
        elsewhere = client.create_flow_run_from_deployment(other, state=Scheduled(scheduled_time=now))

        assert drop_runs_left_scheduled(f"refresh/served-{suffix}") == 207

        left = client.read_flow_runs(flow_run_filter=FlowRunFilter(deployment_id={"any_": [served]}))
        assert {run.id for run in left} == {done.id, retrying.id}
        assert client.read_flow_run(elsewhere.id).state.is_scheduled()
    assert drop_runs_left_scheduled(f"refresh/never-served-{suffix}") == 0
