"""Run one document's extraction in a child process with a time and memory limit.

pdfplumber is CPU-bound Python that can run for a very long time, or take a
lot of memory, on a pathological page.  A child process can be killed; a
thread cannot.  Children come from a forkserver that has already imported the
extractor, so starting one costs milliseconds, not an interpreter start.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import resource
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from extract.errors import ExtractionError
from extract.pipeline import Extraction, extract_file

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["extract.pipeline"])


@dataclass(frozen=True)
class ExtractionFailure:
    reason: str
    page: int | None = None


def extract_in_child(path: Path, timeout_seconds: float, memory_limit_mb: int) -> Extraction | ExtractionFailure:
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child_main, args=(path, memory_limit_mb, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_seconds):
            return ExtractionFailure(
                f"{path.name}: extraction stopped after the {timeout_seconds:g} s per-document time limit"
            )
        try:
            kind, payload = receiver.recv()
        except EOFError:
            child.join(5)
            return ExtractionFailure(
                f"{path.name}: extraction process died (exit code {child.exitcode}); "
                f"likely over the {memory_limit_mb} MB per-document memory limit"
            )
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if kind == "ok":
        return payload
    return ExtractionFailure(*payload)


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux), so a killed refresh leaves no workers."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _child_main(path: Path, memory_limit_mb: int, sender: Connection) -> None:
    die_with_parent()
    limit = memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        message = ("ok", extract_file(path))
    except ExtractionError as exc:
        message = ("error", (str(exc), exc.page))
    except MemoryError:
        message = ("error", (f"{path.name}: extraction exceeded the {memory_limit_mb} MB per-document memory limit", None))
    except Exception as exc:  # a parser bug on one file must not stop the run
        message = ("error", (f"{path.name}: unexpected {type(exc).__name__} during extraction: {exc}", None))
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("error", (f"{path.name}: result too large for the {memory_limit_mb} MB memory limit", None)))
    finally:
        sender.close()
