"""Which Prefect API a command uses (gewh/prefect_api.py): PREFECT_API_URL, or a server of its own, whose address
is fixed before it starts."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys

import pytest

from gewh import prefect_api
from gewh.prefect_api import PrefectApiNotStarted


def test_a_server_of_its_own_keeps_its_address_and_port_from_before_the_first_try(monkeypatch):
    """Prefect may be imported while the server starts, with its address: the second try must have the same."""
    started: list[tuple[int, socket.socket | None]] = []

    def silent_server(_kind, port, listener):
        started.append((port, listener))
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_api, "_start", silent_server)
    monkeypatch.setattr(prefect_api, "STARTUP_SECONDS", (0.2, 0.2))
    with prefect_api.prefect_api("api") as api:
        assert os.environ["PREFECT_API_URL"] == api.url and api.started_here
        port = int(api.url.removesuffix("/api").rsplit(":", 1)[1])
        with socket.socket() as intruder, pytest.raises(OSError) as taken:
            intruder.bind(("127.0.0.1", port))
        assert taken.value.errno == errno.EADDRINUSE
        with pytest.raises(PrefectApiNotStarted):
            api.wait_until_ready()
    assert [used for used, _ in started] == [port, port]
    assert started[0][1] is started[1][1]
