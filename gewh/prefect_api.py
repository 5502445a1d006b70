"""The Prefect API a command's flow runs report to: PREFECT_API_URL when set, else the local server of a `gewh serve`
of the same warehouse, else a local server of the command's own.

Left to itself, a flow with no API configured starts Prefect's ephemeral server: silently, failing the run when
the server is slow to answer on a busy machine, and leaving it behind when the command is killed.  So every
command that runs flows starts the server itself: announced, with time to start and a second try, in a session of
its own (Ctrl-C reaches the command, which stops the server) and killed with the command (kill -9 leaves no server
behind).  Prefect reads PREFECT_API_URL once, when first imported; the server's address is therefore fixed before
its first try, so that the command can import Prefect (and its flow, seconds of CPU) while the server starts.

`gewh refresh` needs the API only: Prefect's ephemeral application (no UI, no background services).  `gewh serve`
needs the scheduler of a full server, whose UI it offers as well; while it runs, a file beside the warehouse
(`Settings.serve_file`) says where that server is, and a `gewh refresh` of the same warehouse uses it rather than
starting one of its own (its runs then show in the same UI).
"""

from __future__ import annotations

import functools
import json
import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from gewh.lifetime import tie_to_parent

ServerKind = Literal["api", "full"]
# Seconds to wait for the server to answer, first try and second; on a quiet machine it answers in 3 to 10.
STARTUP_SECONDS = (120.0, 240.0)
# The only address a serve file may name: a server on this machine's loopback, as `gewh serve` starts it.
_LOCAL_API = re.compile(r"http://127\.0\.0\.1:\d{1,5}/api")
_SERVE_FILE_MAX_BYTES = 4096


class PrefectApiNotStarted(RuntimeError):
    """The local Prefect server did not answer, on either try."""


@dataclass(frozen=True)
class ServeRecord:
    """What the serve file holds: the `gewh serve` process and the API of the server it started."""

    pid: int
    # The process's start time: a pid the system gave to another process since is not taken for that serve.
    started: float
    api_url: str


def _process_start(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _read_serve_file(serve_file: Path) -> ServeRecord | None:
    """The record in ``serve_file``; None when there is none, or none to trust: a symbolic link (never followed),
    anything but a regular file of this user, or not a record naming a loopback API."""
    try:
        # O_NONBLOCK: a pipe planted there must not hang the command.
        descriptor = os.open(serve_file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid():
            return None
        text = handle.read(_SERVE_FILE_MAX_BYTES)
    try:
        fields = json.loads(text)
        record = ServeRecord(int(fields["pid"]), float(fields["started"]), str(fields["api_url"]))
    except (ValueError, TypeError, KeyError):
        return None
    return record if _LOCAL_API.fullmatch(record.api_url) else None


def serving(serve_file: Path) -> ServeRecord | None:
    """The `gewh serve` that ``serve_file`` names, when it runs and its server answers; else None.

    A file whose process is gone (serve was killed outright, or crashed) is removed.  (Should a new serve write its
    own file in between, it is removed instead: a refresh then starts a server of its own, and the serve's exit
    finds its file gone; nothing worse.)"""
    record = _read_serve_file(serve_file)
    if record is None:
        return None
    started = _process_start(record.pid)
    if started is None or abs(started - record.started) > 0.5:
        serve_file.unlink(missing_ok=True)
        return None
    return record if healthy(record.api_url) else None


def _write_serve_file(serve_file: Path, record: ServeRecord, file_mode: int) -> None:
    """Write ``record`` with ``file_mode`` (the umask aside), by renaming a new file over ``serve_file``: whatever
    is there, a symbolic link included, is replaced, never written through."""
    serve_file.parent.mkdir(parents=True, exist_ok=True)
    written = serve_file.with_name(f"{serve_file.name}.{os.getpid()}")
    written.unlink(missing_ok=True)
    descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, file_mode)
    with os.fdopen(descriptor, "w") as handle:
        os.fchmod(descriptor, file_mode)
        json.dump(asdict(record), handle)
    os.replace(written, serve_file)


@contextmanager
def advertised(serve_file: Path, api_url: str, file_mode: int) -> Iterator[None]:
    """While the block runs, ``serve_file`` names this process and its server at ``api_url`` (see `serving`);
    removed when the block ends, however it ends (Ctrl-C, SIGTERM; kill -9 leaves a file `serving` sees is stale)."""
    started = _process_start(os.getpid())
    assert started is not None  # this process runs
    record = ServeRecord(os.getpid(), started, api_url)
    _write_serve_file(serve_file, record, file_mode)
    try:
        yield
    finally:
        if _read_serve_file(serve_file) == record:
            serve_file.unlink(missing_ok=True)


def healthy(api_url: str) -> bool:
    """Whether the Prefect API at ``api_url`` answers its health check (within 2 s)."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _command(kind: ServerKind, listener: socket.socket) -> tuple[list[str], dict[str, str]]:
    """The server's command line and the environment it adds: Prefect's server application on ``listener``, as
    `prefect server start` runs it (final; with its UI and background services) or, for the API only, as
    `prefect.server.api.server.SubprocessASGIServer` runs Prefect's ephemeral server for a flow without an API;
    through uvicorn's command line, in `gewh.prefect_server`."""
    command = [sys.executable, "-m", "gewh.prefect_server", "--factory", "prefect.server.api.server:create_app"]
    command += ["--fd", str(listener.fileno()), "--log-level", "error", "--lifespan", "on"]
    environment = {"PREFECT__SERVER_FINAL": "1"}
    if kind == "api":
        # No UI, so no block types to show: registering them (on a first start; later starts still import every
        # Prefect integration installed, prefect-dask and Dask among them, to see whether they changed) is left to
        # the full server, which offers the UI.  A tenth of the server's start-up.
        environment |= {
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
            "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
        }
    return command, environment


def _start(kind: ServerKind, listener: socket.socket) -> subprocess.Popen[bytes]:
    command, environment = _command(kind, listener)
    return subprocess.Popen(
        command,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(listener.fileno(),),
        start_new_session=True,  # Ctrl-C in the terminal reaches the command, which stops the server itself
        # And if the command is killed outright, the server goes with it.  preexec_fn is safe here: the command
        # has only its main thread until its flow runs (importing Prefect and the flow starts none).
        preexec_fn=functools.partial(tie_to_parent, os.getpid()),  # noqa: PLW1509
    )


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _wait_until_healthy(server: subprocess.Popen[bytes], api_url: str, began: float, seconds: float) -> str | None:
    """None once the server answers; else why it did not within ``seconds`` of ``began`` (time.monotonic)."""
    while not healthy(api_url):
        if server.poll() is not None:
            return f"it exited during start-up (code {server.returncode})"
        if time.monotonic() > began + seconds:
            return f"it did not answer within {seconds:g} s"
        time.sleep(0.25)
    return None


class LocalServer:
    """A local server started here, its first try at once; its address is fixed before that try and kept for the
    second, as Prefect may have been imported with it meanwhile.

    The API's socket is bound here, not listening (a request meets a refusal at once) until a try's server listens
    on it (uvicorn's --fd): no other process can take its port, before the first try or between the two.  (`prefect
    server start` binds its port itself: a port found free and handed to it could be taken meanwhile, by the source
    port of any connection the machine opens, and both tries would then fail.)
    """

    def __init__(self, kind: ServerKind):
        self._kind = kind
        # Where the lines about the server go: nowhere until a `prefect_api` block takes the server.
        self.announce: Callable[[str], None] = lambda line: None
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/api"
        self._began = time.monotonic()
        self._ready = False
        self._server: subprocess.Popen[bytes] | None = _start(kind, self._listener)

    def wait_until_ready(self) -> None:
        """Return once the server answers (at once when it did before); raise PrefectApiNotStarted when neither
        try answered within its `STARTUP_SECONDS` (counted from its start)."""
        if self._ready:
            return
        problems = []
        try_began = self._began
        for attempt, seconds in enumerate(STARTUP_SECONDS, start=1):
            if self._server is None:
                try_began = time.monotonic()
                self._server = _start(self._kind, self._listener)
            problem = _wait_until_healthy(self._server, self.url, try_began, seconds)
            if problem is None:
                self._ready = True
                ready_in = time.monotonic() - self._began
                self.announce(f"local Prefect server ready in {ready_in:.1f} s at {self.url.removesuffix('/api')}")
                return
            _stop(self._server)
            self._server = None
            problems.append(f"try {attempt}: {problem}")
            if attempt < len(STARTUP_SECONDS):
                self.announce(f"the local Prefect server did not start ({problem}); trying again")
        raise PrefectApiNotStarted(f"the local Prefect server did not start: {'; '.join(problems)}")

    def stop(self) -> None:
        """Stop the server (a second call does nothing)."""
        if self._server is not None:
            _stop(self._server)
            self._server = None
        self._listener.close()


def early_server(kind: ServerKind, serve_file: Path | None) -> LocalServer | None:
    """A local server started now for a `prefect_api` block entered later (given as its ``early``), so that it
    starts while the command does other work first; None when that block would not start one (PREFECT_API_URL is
    set, or the `gewh serve` of ``serve_file`` runs), or when it cannot start now (the block then starts it, and
    says why it cannot).  A server the block never takes is the caller's to stop (`LocalServer.stop`)."""
    if os.environ.get("PREFECT_API_URL") or (serve_file is not None and serving(serve_file) is not None):
        return None
    try:
        return LocalServer(kind)
    except OSError:
        return None


@dataclass(frozen=True)
class PrefectApi:
    """The API flow runs report to (in PREFECT_API_URL); `wait_until_ready` returns once it answers (at once for a
    server not started here, or one `prefect_api` waited for)."""

    url: str
    # Whether this command started the server (and stops it when the block ends).
    started_here: bool
    wait_until_ready: Callable[[], None] = lambda: None

    @contextmanager
    def flow_runs(self) -> Iterator[None]:
        """The block in which this command runs its flows: those that report to a server this command started send
        it no heartbeats.

        Prefect's heartbeats let a server tell a run that crashed from one still running; a server started here
        stops with the command, so none would ever be read.  And a run that sends them waits at its end for its
        heartbeat thread, which sleeps in steps of a second (Prefect 3.8): 0.9 s of every refresh.  A server that
        outlives the command (`gewh serve`'s, PREFECT_API_URL's) gets them as Prefect sends them.
        """
        if not self.started_here:
            yield
            return
        from prefect.settings import temporary_settings

        with temporary_settings(updates={"flows.heartbeat_frequency": None}):
            yield


@contextmanager
def prefect_api(
    kind: ServerKind = "api",
    announce: Callable[[str], None] = lambda line: None,
    serve_file: Path | None = None,
    wait: bool = True,
    early: LocalServer | None = None,
) -> Iterator[PrefectApi]:
    """The API flow runs report to while the block runs: PREFECT_API_URL when set; else the server of the `gewh
    serve` whose ``serve_file`` this is (see `serving`), left running; else a local server started here, stopped
    when the block ends.  ``announce`` gets a line saying which, and for a server started here a line when it is
    tried again and when it is ready.

    The block begins once the server answers; with ``wait=False`` as soon as its address is in PREFECT_API_URL, for
    work that needs no server meanwhile (importing Prefect): the block then calls `PrefectApi.wait_until_ready`
    before any flow runs.  ``early``: the local server to use, started before the block (`early_server`), when
    the block would start one; stopped when the block ends."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        announce(f"using the Prefect server at {configured} (PREFECT_API_URL)")
        yield PrefectApi(configured, started_here=False)
        return
    served = serving(serve_file) if serve_file is not None else None
    if served is not None:
        announce(f"using the local Prefect server of gewh serve at {served.api_url.removesuffix('/api')}")
        with _api_url(served.api_url):
            yield PrefectApi(served.api_url, started_here=False)
        return
    server = early or LocalServer(kind)
    server.announce = announce
    announce("starting a local Prefect server")
    try:
        with _api_url(server.url):
            if wait:
                server.wait_until_ready()
            yield PrefectApi(server.url, started_here=True, wait_until_ready=server.wait_until_ready)
    finally:
        server.stop()


@contextmanager
def _api_url(api_url: str) -> Iterator[None]:
    os.environ["PREFECT_API_URL"] = api_url
    try:
        yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)
