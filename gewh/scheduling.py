"""A local Prefect API for `gewh serve` when no long-lived server is configured.

Prefect's ephemeral API cannot schedule runs, so serving a cron deployment
needs a real server.  If PREFECT_API_URL points at one (`prefect server start`
elsewhere), it is used as is; otherwise a server is started on a free loopback
port for the life of `gewh serve`, with the project-local PREFECT_HOME.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from gewh.refresh.isolation import die_with_parent

_STARTUP_SECONDS = 180


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


@contextmanager
def prefect_api() -> Iterator[str]:
    """Yield the API URL to serve against, starting a local server when none is configured."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal reaches `gewh serve`, which stops the server itself
        # And if `gewh serve` is killed outright, the server goes with it.  preexec_fn is safe here: `gewh serve`
        # has only its main thread until the server is up (it imports Prefect afterwards).
        preexec_fn=die_with_parent,  # noqa: PLW1509
    )
    try:
        deadline = time.monotonic() + _STARTUP_SECONDS
        while not _healthy(api_url):
            if server.poll() is not None:
                raise RuntimeError(f"the local Prefect server exited during start-up (code {server.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not answer within {_STARTUP_SECONDS} s")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
