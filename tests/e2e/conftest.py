"""Fixtures the end-to-end modules share."""

from __future__ import annotations

from collections.abc import Callable

import psutil
import pytest

from tests import bad_inputs


@pytest.fixture(scope="module")
def published(tmp_path_factory, run_refresh):
    """A published warehouse and its raw folder, one per module: each test adds reports to it (so that its
    refresh has work to do) and counts from what it finds, so the tests hold in any order."""
    raw = tmp_path_factory.mktemp("raw")
    bad_inputs.good_pdf(raw / "first.pdf", "Annual report on programmes, 2023")
    warehouse = tmp_path_factory.mktemp("wh") / "gender_equality.duckdb"
    assert run_refresh(raw, warehouse).published
    return raw, warehouse


@pytest.fixture
def prefect_servers_of() -> Callable[[int], list[psutil.Process]]:
    """``prefect_servers_of(pid)``: the Prefect servers process ``pid`` started and still runs (in a session of
    their own, so a signal to its process group does not reach them)."""

    def servers(pid: int) -> list[psutil.Process]:
        return [
            child
            for child in psutil.Process(pid).children(recursive=True)
            if "prefect.server.api.server:create_app" in " ".join(child.cmdline())
        ]

    return servers
