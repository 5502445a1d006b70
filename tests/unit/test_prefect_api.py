"""Which Prefect API a command uses (gewh/prefect_api.py): PREFECT_API_URL, the server of a running `gewh serve` of
the same warehouse (its serve file), or a server of its own, whose address is fixed before it starts.

A stand-in answers /api/health for serve's server here; tests/e2e/test_runs_that_die.py runs a refresh on a real
one through a serve file, and tests/e2e/test_serve.py checks the file of a real `gewh serve`.
"""

from __future__ import annotations

import errno
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gewh import prefect_api
from gewh.prefect_api import PrefectApiNotStarted, advertised, serving
from gewh.settings import Settings


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def serve_api() -> Iterator[str]:
    """The API URL of a stand-in for the server of `gewh serve`: it answers /api/health."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


@pytest.fixture
def serve_file(tmp_path, monkeypatch) -> Path:
    """The serve file of a warehouse in ``tmp_path``, with no PREFECT_API_URL set and no server to be started."""

    def no_server(*_args):
        raise AssertionError("a server was started")

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_api, "_start", no_server)
    return Settings(warehouse=tmp_path / "wh" / "gender_equality.duckdb").serve_file


def write_record(serve_file: Path, **fields) -> None:
    serve_file.parent.mkdir(parents=True, exist_ok=True)
    serve_file.write_text(json.dumps(fields))


def test_a_refresh_uses_the_server_of_gewh_serve_and_leaves_it_running(serve_file, serve_api):
    lines: list[str] = []
    with advertised(serve_file, serve_api, 0o640):
        with prefect_api.prefect_api("api", lines.append, serve_file) as api:
            assert (api.url, api.started_here) == (serve_api, False)
            assert os.environ["PREFECT_API_URL"] == serve_api
            api.wait_until_ready()
        assert "PREFECT_API_URL" not in os.environ
        assert lines == [f"using the local Prefect server of gewh serve at {serve_api.removesuffix('/api')}"]
        assert prefect_api.healthy(serve_api)
        assert serving(serve_file) is not None  # still advertised: the refresh leaves it to serve
    assert not serve_file.exists()


def test_prefect_api_url_wins_over_gewh_serve(serve_file, serve_api, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    lines: list[str] = []
    with advertised(serve_file, serve_api, 0o640), prefect_api.prefect_api("api", lines.append, serve_file) as api:
        assert api.url == "http://prefect.example:4200/api"
    assert lines == ["using the Prefect server at http://prefect.example:4200/api (PREFECT_API_URL)"]


def test_a_stale_serve_file_is_ignored_and_removed(serve_file, serve_api):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    write_record(serve_file, pid=finished.pid, started=0.0, api_url=serve_api)
    assert serving(serve_file) is None
    assert not serve_file.exists()
    # A live process, but not the serve that wrote the record (its pid given to another process since).
    write_record(serve_file, pid=os.getpid(), started=1.0, api_url=serve_api)
    assert serving(serve_file) is None
    assert not serve_file.exists()


def test_a_serve_whose_server_does_not_answer_is_not_used_nor_its_file_removed(serve_file):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        silent = f"http://127.0.0.1:{unused.getsockname()[1]}/api"
        with advertised(serve_file, silent, 0o640):
            assert serving(serve_file) is None
            assert serve_file.exists()


@pytest.mark.parametrize("umask", [0o000, 0o077])
def test_the_serve_file_has_the_file_mode_and_replaces_a_link_without_following_it(serve_file, serve_api, umask):
    victim = serve_file.parent.parent / "victim"
    victim.write_text("untouched")
    serve_file.parent.mkdir(parents=True)
    serve_file.symlink_to(victim)
    previous = os.umask(umask)
    try:
        with advertised(serve_file, serve_api, 0o640):
            assert not serve_file.is_symlink()
            assert serve_file.stat().st_mode & 0o777 == 0o640
            assert serving(serve_file) is not None
    finally:
        os.umask(previous)
    assert victim.read_text() == "untouched"
    assert list(serve_file.parent.iterdir()) == []


def test_a_serve_file_is_read_only_when_it_is_a_regular_file_naming_a_loopback_api(serve_file, serve_api, tmp_path):
    with advertised(tmp_path / "real.json", serve_api, 0o640):
        serve_file.parent.mkdir(parents=True)
        serve_file.symlink_to(tmp_path / "real.json")  # a valid record, behind a link: not followed
        assert serving(serve_file) is None
        serve_file.unlink()
        os.mkfifo(serve_file)  # nothing writes to it: reading must not hang
        assert serving(serve_file) is None
        serve_file.unlink()
        record = json.loads((tmp_path / "real.json").read_text())
        write_record(serve_file, **record | {"api_url": "http://prefect.example:4200/api"})
        assert serving(serve_file) is None
        write_record(serve_file, **record)
        assert serving(serve_file) is not None


def test_serve_removes_its_file_on_ctrl_c_and_leaves_a_newer_serve_s_file(serve_file, serve_api):
    with pytest.raises(KeyboardInterrupt), advertised(serve_file, serve_api, 0o640):
        raise KeyboardInterrupt
    assert not serve_file.exists()
    with advertised(serve_file, serve_api, 0o640):
        newer = json.loads(serve_file.read_text()) | {"pid": os.getppid()}
        write_record(serve_file, **newer)
    assert json.loads(serve_file.read_text()) == newer


@pytest.mark.parametrize("kind", ["api", "full"])
def test_a_server_of_its_own_keeps_its_address_and_port_from_before_the_first_try(monkeypatch, kind):
    """Prefect may be imported while the server starts, with its address: the second try must have the same.  The
    full server of `gewh serve` too (it was handed a port found free, which another process could take meanwhile)."""
    started: list[tuple[int, socket.socket]] = []

    def silent_server(_kind, listener):
        started.append((listener.getsockname()[1], listener))
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_api, "_start", silent_server)
    monkeypatch.setattr(prefect_api, "STARTUP_SECONDS", (0.2, 0.2))
    with prefect_api.prefect_api(kind, wait=False) as api:
        assert os.environ["PREFECT_API_URL"] == api.url and api.started_here
        port = int(api.url.removesuffix("/api").rsplit(":", 1)[1])
        with socket.socket() as intruder, pytest.raises(OSError) as taken:
            intruder.bind(("127.0.0.1", port))
        assert taken.value.errno == errno.EADDRINUSE
        with pytest.raises(PrefectApiNotStarted):
            api.wait_until_ready()
    assert [used for used, _ in started] == [port, port]
    assert started[0][1] is started[1][1]
    # Without wait=False, the block begins only once the server answers.
    with pytest.raises(PrefectApiNotStarted), prefect_api.prefect_api(kind):
        pytest.fail("the block began before the server answered")


@pytest.mark.parametrize("started_here", [True, False])
def test_flow_runs_send_heartbeats_only_to_a_server_that_outlives_the_command(started_here):
    from prefect.settings import get_current_settings

    api = prefect_api.PrefectApi("http://127.0.0.1:1/api", started_here=started_here)
    # The setting a flow run's engine reads when it starts, in the thread that calls the flow.
    with api.flow_runs():
        frequency = get_current_settings().flows.heartbeat_frequency
    assert (frequency is None) is started_here
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_a_refresh_the_check_settles_stops_the_server_it_started_first_and_says_nothing_of_it(monkeypatch, tmp_path):
    """`gewh refresh` starts its server before the check of whether anything changed, which then runs while the
    server starts; a run the check settles stops the server unused, and prints nothing about Prefect."""
    from typer.testing import CliRunner

    from gewh import cli
    from gewh.refresh import uptodate
    from gewh.refresh.summary import RefreshSummary

    started: list[subprocess.Popen] = []

    def silent_server(_kind, _listener):
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
        return started[-1]

    def settled(_settings):
        assert len(started) == 1 and started[0].poll() is None, "the check ran before the server started"
        summary = RefreshSummary.begin()
        summary.up_to_date = True
        return summary

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_api, "_start", silent_server)
    monkeypatch.setattr(uptodate, "settle_if_up_to_date", settled)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "report.txt").write_text("a report\n")
    result = CliRunner().invoke(cli.app, ["refresh", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb")])

    assert result.exit_code == 0, result.output
    assert started[0].poll() is not None
    assert "Prefect" not in result.stdout


def test_no_server_is_started_first_when_another_api_is_to_be_used(monkeypatch, tmp_path, serve_api):
    monkeypatch.setattr(prefect_api, "_start", lambda *_: pytest.fail("a server was started"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    assert prefect_api.early_server("api", tmp_path / "serve.json") is None
    monkeypatch.delenv("PREFECT_API_URL")
    serve_file = tmp_path / "serve.json"
    with advertised(serve_file, serve_api, 0o640):
        assert prefect_api.early_server("api", serve_file) is None
