"""Run one document's extraction in a child process with a time and memory limit.

pdfplumber is CPU-bound Python that can run for a very long time, or take a
lot of memory, on a pathological page.  A child process can be killed; a
thread cannot.  Children come from a forkserver that has already imported the
extractor, so starting one costs milliseconds, not an interpreter start.

Inside a daemonic process (a Dask worker) multiprocessing may not start
children, so there each document runs in a fresh `python -m gewh.refresh.isolation`
subprocess instead: the same limits, plus an interpreter start per document.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import pickle
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from extract.document.errors import ExtractionError
from extract.pipeline import Extraction, extract_file
from gewh.refresh.discover import RawFile
from gewh.settings import apply_offline_environment


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


ExtractionResult = Extraction | ExtractionFailure


def extract_raw_file(raw: RawFile, timeout_seconds: float, memory_limit_mb: int) -> ExtractionResult:
    """``raw``'s extraction in a child process, or its failure: a refused file is never opened."""
    if raw.refused:
        return ExtractionFailure(raw.refused)
    return extract_in_child(raw.path, timeout_seconds, memory_limit_mb)


def extract_in_child(path: Path, timeout_seconds: float, memory_limit_mb: int) -> ExtractionResult:
    if multiprocessing.current_process().daemon:
        return _extract_in_subprocess(path, timeout_seconds, memory_limit_mb)
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child_main, args=(path, memory_limit_mb, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_seconds):
            return _timed_out(path, timeout_seconds)
        try:
            kind, payload = receiver.recv()
        except EOFError:
            child.join(5)
            return _died(path, child.exitcode, memory_limit_mb)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    return _result(kind, payload)


def _extract_in_subprocess(path: Path, timeout_seconds: float, memory_limit_mb: int) -> ExtractionResult:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gewh.refresh.isolation", str(path), str(memory_limit_mb)],
            stdout=subprocess.PIPE,
            timeout=timeout_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _timed_out(path, timeout_seconds)
    if done.returncode != 0 or not done.stdout:
        return _died(path, done.returncode, memory_limit_mb)
    return _result(*pickle.loads(done.stdout))


def _timed_out(path: Path, timeout_seconds: float) -> ExtractionFailure:
    return ExtractionFailure(f"{path.name}: extraction stopped after the {timeout_seconds:g} s per-document time limit")


def _died(path: Path, exit_code: int | None, memory_limit_mb: int) -> ExtractionFailure:
    return ExtractionFailure(
        f"{path.name}: extraction process died (exit code {exit_code}); "
        f"likely over the {memory_limit_mb} MB per-document memory limit"
    )


def _result(kind: str, payload) -> ExtractionResult:
    return payload if kind == "ok" else ExtractionFailure(*payload)


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux), so a killed refresh leaves no workers."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _child_main(path: Path, memory_limit_mb: int, sender: Connection) -> None:
    message = _limited_extraction(path, memory_limit_mb)
    try:
        sender.send(message)
    except MemoryError:
        sender.send(_too_large(path, memory_limit_mb))
    finally:
        sender.close()


def _limited_extraction(path: Path, memory_limit_mb: int) -> tuple[str, object]:
    die_with_parent()
    limit = memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        return ("ok", extract_file(path))
    except ExtractionError as exc:
        return ("error", (str(exc), exc.page, exc.doc_type, exc.language))
    except MemoryError:
        return ("error", (f"{path.name}: extraction exceeded the {memory_limit_mb} MB per-document memory limit", None))
    except Exception as exc:  # noqa: BLE001 - the child's boundary: a parser bug on one file must not stop the run
        return ("error", (f"{path.name}: unexpected {type(exc).__name__} during extraction: {exc}", None))


def _too_large(path: Path, memory_limit_mb: int) -> tuple[str, object]:
    return ("error", (f"{path.name}: result too large for the {memory_limit_mb} MB memory limit", None))


def _subprocess_main(path: Path, memory_limit_mb: int) -> None:
    """`python -m gewh.refresh.isolation PATH MEMORY_MB`: the pickled result on stdout (prints go to stderr)."""
    result_stream = sys.stdout.buffer
    sys.stdout = sys.stderr
    message = _limited_extraction(path, memory_limit_mb)
    try:
        payload = pickle.dumps(message)
    except MemoryError:
        payload = pickle.dumps(_too_large(path, memory_limit_mb))
    result_stream.write(payload)
    result_stream.flush()


if __name__ == "__main__":
    apply_offline_environment()
    _subprocess_main(Path(sys.argv[1]), int(sys.argv[2]))
