"""The per-document limits: CPU time stops a document that computes too long, and waiting does not.

A busy machine makes a document wait for a core without using one; only a document that itself computes
for longer than the CPU limit is stopped, and a hung one by the much longer wall-clock backstop.  The
children here are forked from the test process (rather than started by the forkserver), so that they run the
extraction this test puts in place of the real one.
"""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from extract.pipeline import extract_file
from gewh.refresh import isolation
from gewh.refresh.isolation import ExtractionFailure, extract_in_child
from tests import bad_inputs


def _spin(path):
    while True:
        pass


def _wait_then_extract(path):
    time.sleep(4)  # longer than the CPU limit below, without using the CPU
    return extract_file(path)


def _hang(path):
    time.sleep(60)


def _unreadable(path):
    raise PermissionError(13, "Permission denied", str(path))


@pytest.fixture
def forked(monkeypatch):
    """Put ``extraction`` in place of the real one in the extraction child."""

    def use(extraction):
        monkeypatch.setattr(isolation, "_CONTEXT", multiprocessing.get_context("fork"))
        monkeypatch.setattr(isolation, "extract_file", extraction)

    return use


def test_a_child_that_computes_past_the_cpu_limit_is_stopped_for_it(forked, tmp_path):
    forked(_spin)
    started = time.monotonic()
    failure = extract_in_child(tmp_path / "r.pdf", timeout_seconds=120, memory_limit_mb=2048, cpu_limit_seconds=1)
    assert failure == ExtractionFailure(
        "r.pdf: extraction stopped at the 1 s per-document CPU time limit", transient=True
    )
    assert time.monotonic() - started < 60  # the CPU limit stopped it, long before the wall-clock backstop


def test_a_child_that_waits_longer_than_the_cpu_limit_is_not_stopped(forked, tmp_path):
    forked(_wait_then_extract)
    pdf = bad_inputs.good_pdf(tmp_path / "r.pdf")
    extraction = extract_in_child(pdf, timeout_seconds=120, memory_limit_mb=2048, cpu_limit_seconds=2)
    assert not isinstance(extraction, ExtractionFailure), extraction
    assert extraction.document.file_name == "r.pdf"


def test_a_hung_child_is_stopped_by_the_wall_clock_backstop(forked, tmp_path):
    forked(_hang)
    failure = extract_in_child(tmp_path / "r.pdf", timeout_seconds=2, memory_limit_mb=2048, cpu_limit_seconds=60)
    assert failure == ExtractionFailure(
        "r.pdf: extraction stopped after the 2 s per-document wall-clock time limit", transient=True
    )


def test_an_io_error_is_transient_and_bad_bytes_are_permanent(forked, tmp_path):
    empty = bad_inputs.zero_byte(tmp_path / "empty.pdf")
    assert extract_in_child(empty, timeout_seconds=120, memory_limit_mb=2048) == ExtractionFailure(
        "empty.pdf: file is empty (0 bytes)", transient=False
    )
    forked(_unreadable)
    failure = extract_in_child(empty, timeout_seconds=120, memory_limit_mb=2048)
    assert isinstance(failure, ExtractionFailure) and failure.transient
    assert failure.reason == f"empty.pdf: cannot read the file: [Errno 13] Permission denied: '{empty}'"


def test_a_memory_limit_hit_is_transient(tmp_path):
    # Twenty thousand characters: more than 20 MB to read.  (A one-page report no longer is: pdfium takes its
    # memory from address space it reserved before the limit was set.)
    pdf = bad_inputs.pathological_pdf(tmp_path / "r.pdf", objects=20_000)
    failure = extract_in_child(pdf, timeout_seconds=120, memory_limit_mb=20)
    assert isinstance(failure, ExtractionFailure) and failure.transient
    assert failure.reason.startswith("r.pdf: ") and "20 MB" in failure.reason


def test_the_subprocess_child_stops_at_the_cpu_limit_and_returns_failures_by_kind(tmp_path):
    """The child a Dask worker starts (`python -m gewh.refresh.isolation`): the same limits and kinds."""
    empty = bad_inputs.zero_byte(tmp_path / "empty.pdf")
    assert isolation._extract_in_subprocess(empty, 120, 2048, 60) == ExtractionFailure(
        "empty.pdf: file is empty (0 bytes)", transient=False
    )
    slow = bad_inputs.pathological_pdf(tmp_path / "million-glyphs.pdf")
    assert isolation._extract_in_subprocess(slow, 300, 2048, 3) == ExtractionFailure(
        "million-glyphs.pdf: extraction stopped at the 3 s per-document CPU time limit", transient=True
    )


def test_a_stopped_refresh_kills_the_extractions_in_flight_and_does_not_wait_for_them(tmp_path):
    slow = bad_inputs.pathological_pdf(tmp_path / "slow.pdf")
    outcome: list[object] = []
    waiting = threading.Thread(target=lambda: outcome.append(extract_in_child(slow, 300, 4096, 300)))
    waiting.start()
    deadline = time.monotonic() + 60
    while slow not in isolation._RUNNING:
        assert time.monotonic() < deadline, "the extraction child did not start"
        time.sleep(0.05)
    began = time.monotonic()
    isolation.stop_extractions([tmp_path / "other.pdf", slow])
    waiting.join(60)
    # Seconds, not the ~18 CPU seconds the document takes to read.
    assert not waiting.is_alive() and time.monotonic() - began < 10
    [failure] = outcome
    assert isinstance(failure, ExtractionFailure) and failure.reason.startswith("slow.pdf: extraction process died")
    assert slow not in isolation._RUNNING
