"""Run one document's extraction in a child process with a CPU-time, memory and wall-clock limit.

pdfplumber is CPU-bound Python that can run for a very long time, or take a
lot of memory, on a pathological page.  A child process can be killed; a
thread cannot.  The limit that stops a pathological page is CPU time (RLIMIT_CPU),
not wall-clock time: on a busy machine a good report waits for a core without
using any, and must not be stopped for it.  The wall-clock limit is only a
generous backstop for a child that hangs without computing.  Children come from a forkserver that has already imported the
extractor, so starting one costs milliseconds, not an interpreter start.

Inside a daemonic process (a Dask worker) multiprocessing may not start
children, so there each document runs in a fresh `python -m gewh.refresh.isolation`
subprocess instead: the same limits, plus an interpreter start per document.
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from extract.document.errors import ExtractionError
from extract.pipeline import Extraction, extract_file, sha256_of
from gewh.lifetime import tie_to_parent
from gewh.refresh.discover import RawFile
from gewh.settings import DEFAULTS, apply_offline_environment


def _forkserver_preload() -> list[str]:
    """The modules the forkserver imports once for all children.

    Before running its task, a child re-runs the parent's main module when that was started by
    name (a served run is ``python -m prefect.engine``; a package's ``__main__``, as in
    ``python -m flows.refresh``, is never re-run); with the main module's imports already loaded
    in the forkserver that costs milliseconds, instead of importing Prefect again for every document.
    """
    main_name = getattr(getattr(sys.modules.get("__main__"), "__spec__", None), "name", None)
    if main_name and not main_name.endswith("__main__"):
        return ["extract.pipeline", main_name]
    return ["extract.pipeline"]


_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(_forkserver_preload())


@dataclass(frozen=True)
class ExtractionFailure:
    reason: str
    page: int | None = None
    # The report type that recognised the file before its parse failed (None: not recognised, or not read).
    doc_type: str | None = None
    # The language the file is written in, when it was read before its parse failed (None: not read, or cannot tell).
    language: str | None = None
    # False: the bytes are bad (a reader or parser refused them), and the same bytes fail the same way.
    # True: the attempt failed, not the bytes (a limit hit, the worker lost, an I/O error): worth another try.
    transient: bool = False


ExtractionResult = Extraction | ExtractionFailure


def extract_raw_file(
    raw: RawFile, timeout_seconds: float, memory_limit_mb: int, cpu_limit_seconds: float = DEFAULTS.cpu_limit_seconds
) -> ExtractionResult:
    """``raw``'s extraction in a child process, or its failure: a refused file is never opened, and a file that
    changed while it was read (a copy into the raw folder still running) is not staged under the hash discovery
    took of its earlier bytes."""
    if raw.refused:
        return ExtractionFailure(raw.refused)
    result = extract_in_child(raw.path, timeout_seconds, memory_limit_mb, cpu_limit_seconds)
    try:
        unchanged = sha256_of(raw.path) == raw.sha256
    except OSError as exc:
        return ExtractionFailure(f"{raw.path.name}: could not be read again after extraction: {exc}", transient=True)
    if not unchanged:
        return ExtractionFailure(
            f"{raw.path.name}: changed while it was being read (still being copied?); read again next run",
            transient=True,
        )
    return result


# The extraction children this process runs, by the file each reads: what `stop_extractions` ends.
_RUNNING: dict[Path, multiprocessing.process.BaseProcess] = {}
_RUNNING_LOCK = threading.Lock()


def stop_extractions(paths: Iterable[Path]) -> None:
    """Kill the extraction children reading ``paths``: a refresh that stops (Ctrl-C, SIGTERM, an error) does not
    wait for the documents in flight, which may take minutes of native code that no signal interrupts.  The
    thread waiting on each one then gets its death as the result, which nobody reads."""
    with _RUNNING_LOCK:
        children = [_RUNNING[path] for path in paths if path in _RUNNING]
    for child in children:
        child.kill()


def extract_in_child(
    path: Path, timeout_seconds: float, memory_limit_mb: int, cpu_limit_seconds: float = DEFAULTS.cpu_limit_seconds
) -> ExtractionResult:
    """``path``'s extraction, stopped at ``cpu_limit_seconds`` of CPU time or ``timeout_seconds`` of wall-clock time."""
    if multiprocessing.current_process().daemon:
        return _extract_in_subprocess(path, timeout_seconds, memory_limit_mb, cpu_limit_seconds)
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child_main, args=(path, memory_limit_mb, cpu_limit_seconds, sender), daemon=True)
    child.start()
    sender.close()
    with _RUNNING_LOCK:
        _RUNNING[path] = child
    try:
        if not receiver.poll(timeout_seconds):
            return _timed_out(path, timeout_seconds)
        try:
            result = receiver.recv()
        except EOFError:
            child.join(5)
            return _died(path, child.exitcode, memory_limit_mb, cpu_limit_seconds)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.pop(path, None)
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    return result


def _extract_in_subprocess(
    path: Path, timeout_seconds: float, memory_limit_mb: int, cpu_limit_seconds: float
) -> ExtractionResult:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gewh.refresh.isolation", str(path), str(memory_limit_mb), str(cpu_limit_seconds)],
            stdout=subprocess.PIPE,
            timeout=timeout_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _timed_out(path, timeout_seconds)
    if done.returncode != 0 or not done.stdout:
        return _died(path, done.returncode, memory_limit_mb, cpu_limit_seconds)
    return pickle.loads(done.stdout)


def _timed_out(path: Path, timeout_seconds: float) -> ExtractionFailure:
    return ExtractionFailure(
        f"{path.name}: extraction stopped after the {timeout_seconds:g} s per-document wall-clock time limit",
        transient=True,
    )


def _died(path: Path, exit_code: int | None, memory_limit_mb: int, cpu_limit_seconds: float) -> ExtractionFailure:
    # The kernel sends SIGXCPU at the soft CPU limit; a child that survives it gets SIGKILL at the hard one.
    if exit_code == -signal.SIGXCPU:
        reason = f"extraction stopped at the {cpu_limit_seconds:g} s per-document CPU time limit"
    else:
        reason = (
            f"extraction process died (exit code {exit_code}); likely over the {memory_limit_mb} MB per-document "
            f"memory limit or the {cpu_limit_seconds:g} s CPU time limit"
        )
    return ExtractionFailure(f"{path.name}: {reason}", transient=True)


def _child_main(path: Path, memory_limit_mb: int, cpu_limit_seconds: float, sender: Connection) -> None:
    result = _limited_extraction(path, memory_limit_mb, cpu_limit_seconds)
    try:
        sender.send(result)
    except MemoryError:
        sender.send(_too_large(path, memory_limit_mb))
    finally:
        sender.close()


def _limit_this_process(memory_limit_mb: int, cpu_limit_seconds: float) -> None:
    """The per-document limits, on the calling process: address space, and CPU seconds (SIGXCPU, then SIGKILL)."""
    tie_to_parent()
    _let_the_forkserver_end()
    limit = memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu_soft = max(1, math.ceil(cpu_limit_seconds))
    # The hard limit (SIGKILL) a few seconds later stops a child that outlives SIGXCPU.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_soft, cpu_soft + 5))
    # SIGXCPU's default action dumps core: a core file per stopped document would fill the disk.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _let_the_forkserver_end() -> None:
    """In a child forked by the forkserver: close this child's copy of the forkserver's "alive" pipe.

    A forkserver child dies with its parent, the forkserver (`tie_to_parent`), and the forkserver ends when the
    last writer of that pipe is gone: the refresh, normally.  But every child it forks is handed a writer too (for
    children of its own, which an extraction never starts), so a refresh killed outright while a document was
    being extracted left the forkserver waiting for that child, and the child extracting, up to the CPU time
    limit, with the resource tracker beside them.  Without the child's copy, the refresh's death ends the
    forkserver, and the kernel ends the child with it.  (A child started otherwise has no copy: nothing to do.)
    """
    # multiprocessing keeps the copy it handed this child here; no public interface reaches it.
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if server is not None and isinstance(alive, int):
        os.close(alive)
        server._forkserver_alive_fd = None


def _limited_extraction(path: Path, memory_limit_mb: int, cpu_limit_seconds: float) -> ExtractionResult:
    _limit_this_process(memory_limit_mb, cpu_limit_seconds)
    try:
        return extract_file(path)
    except ExtractionError as exc:
        return ExtractionFailure(str(exc), exc.page, exc.doc_type, exc.language)
    except MemoryError:
        return ExtractionFailure(
            f"{path.name}: extraction exceeded the {memory_limit_mb} MB per-document memory limit", transient=True
        )
    except SystemError as exc:
        # A C library that cannot allocate under the address-space limit often returns without setting an
        # exception ("error return without exception set") instead of raising MemoryError.
        return ExtractionFailure(
            f"{path.name}: extraction failed inside a C library ({exc}), most likely at the {memory_limit_mb} MB "
            "per-document memory limit",
            transient=True,
        )
    except OSError as exc:
        # Reading the file failed, not its bytes (a network share gone for a moment, a file being replaced).
        return ExtractionFailure(f"{path.name}: cannot read the file: {exc}", transient=True)
    except Exception as exc:  # noqa: BLE001 - the child's boundary: a parser bug on one file must not stop the run
        # Deterministic for these bytes and this extractor; a new extractor extracts every document again anyway.
        return ExtractionFailure(f"{path.name}: unexpected {type(exc).__name__} during extraction: {exc}")


def _too_large(path: Path, memory_limit_mb: int) -> ExtractionFailure:
    return ExtractionFailure(f"{path.name}: result too large for the {memory_limit_mb} MB memory limit", transient=True)


def _subprocess_main(path: Path, memory_limit_mb: int, cpu_limit_seconds: float) -> None:
    """`python -m gewh.refresh.isolation PATH MEMORY_MB CPU_SECONDS`: the pickled result on stdout (prints go to stderr)."""
    result_stream = sys.stdout.buffer
    sys.stdout = sys.stderr
    result = _limited_extraction(path, memory_limit_mb, cpu_limit_seconds)
    try:
        payload = pickle.dumps(result)
    except MemoryError:
        payload = pickle.dumps(_too_large(path, memory_limit_mb))
    result_stream.write(payload)
    result_stream.flush()


if __name__ == "__main__":
    apply_offline_environment()
    # Through the module's own name, so that the failures it pickles are the parent's ExtractionFailure,
    # not this script's `__main__.ExtractionFailure`.
    from gewh.refresh.isolation import _subprocess_main as subprocess_main

    subprocess_main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
