"""The Prefect API a command's flow runs report to: PREFECT_API_URL when set, else a local server of the command's own.

Left to itself, a flow with no API configured starts Prefect's ephemeral server: silently, failing the run when
the server is slow to answer on a busy machine, and leaving it behind when the command is killed.  So every
command that runs flows starts the server itself, before it imports Prefect (Prefect reads PREFECT_API_URL when
first imported): announced, with time to start and a second try, in a session of its own (Ctrl-C reaches the
command, which stops the server) and killed with the command (kill -9 leaves no server behind).

`gewh refresh` needs the API only: Prefect's ephemeral application (no UI, no background services).  `gewh serve`
needs the scheduler of a full server, whose UI it offers as well.
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from gewh.lifetime import tie_to_parent

ServerKind = Literal["api", "full"]
# Seconds to wait for the server to answer, first try and second; on a quiet machine it answers in 3 to 10.
STARTUP_SECONDS = (120.0, 240.0)


class PrefectApiNotStarted(RuntimeError):
    """The local Prefect server did not answer, on either try."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _command(kind: ServerKind, port: int) -> tuple[list[str], dict[str, str]]:
    """The server's command line and the environment it adds: the ephemeral application Prefect itself starts
    for a flow without an API (as `prefect.server.api.server.SubprocessASGIServer` runs it), or `prefect server
    start`."""
    if kind == "api":
        command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
        return command, {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], {}


def _start(kind: ServerKind, port: int) -> subprocess.Popen[bytes]:
    command, environment = _command(kind, port)
    return subprocess.Popen(
        command,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal reaches the command, which stops the server itself
        # And if the command is killed outright, the server goes with it.  preexec_fn is safe here: the command
        # has only its main thread until the server is up (it imports Prefect afterwards).
        preexec_fn=functools.partial(tie_to_parent, os.getpid()),  # noqa: PLW1509
    )


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _wait_until_healthy(server: subprocess.Popen[bytes], api_url: str, seconds: float) -> str | None:
    """None once the server answers; else why it did not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not _healthy(api_url):
        if server.poll() is not None:
            return f"it exited during start-up (code {server.returncode})"
        if time.monotonic() > deadline:
            return f"it did not answer within {seconds:g} s"
        time.sleep(0.25)
    return None


@contextmanager
def prefect_api(kind: ServerKind = "api", announce: Callable[[str], None] = lambda line: None) -> Iterator[str]:
    """Yield the API URL flow runs report to: PREFECT_API_URL when set, else a local server's, started here (one
    try per entry of `STARTUP_SECONDS`) and stopped when the block ends.  ``announce`` gets a line when the start
    begins, when it is tried again and when the server is ready."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    began = time.monotonic()
    announce("starting a local Prefect server")
    server: subprocess.Popen[bytes] | None = None
    problems = []
    try:
        for attempt, seconds in enumerate(STARTUP_SECONDS, start=1):
            port = _free_port()
            api_url = f"http://127.0.0.1:{port}/api"
            server = _start(kind, port)
            problem = _wait_until_healthy(server, api_url, seconds)
            if problem is None:
                break
            _stop(server)
            server = None
            problems.append(f"try {attempt}: {problem}")
            if attempt < len(STARTUP_SECONDS):
                announce(f"the local Prefect server did not start ({problem}); trying again")
        else:
            raise PrefectApiNotStarted(f"the local Prefect server did not start: {'; '.join(problems)}")
        announce(f"local Prefect server ready in {time.monotonic() - began:.1f} s at {api_url.removesuffix('/api')}")
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        if server is not None:
            _stop(server)
