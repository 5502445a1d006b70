"""`gewh refresh` with nothing new settles before Prefect starts: the real command, run twice, the second time
with a Prefect API address nothing listens on, which only a run that never touches Prefect survives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gewh.settings import Settings
from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec
from tests.unit.test_uptodate import runs

pytestmark = pytest.mark.slow


def test_gewh_refresh_with_nothing_new_does_not_start_prefect(tmp_path, prefect_api):
    raw = tmp_path / "raw"
    raw.mkdir()
    build_scorecard_pdf(synthetic_spec("Ghana", 2023, year_columns=2, seed=1, long_cells=False), raw / "ghana.pdf")
    warehouse = tmp_path / "wh.duckdb"
    gewh = [str(Path(sys.executable).with_name("gewh")), "refresh", "--raw", str(raw), "--warehouse", str(warehouse)]
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    # The first run publishes on the session's Prefect API; the second run is the subject.
    first = subprocess.run(
        gewh,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={**environment, "PREFECT_API_URL": prefect_api},
    )
    assert first.returncode == 0, first.stdout + first.stderr
    published_bytes = warehouse.read_bytes()

    # Port 9 (discard) has no Prefect API behind it: a run that started the flow would fail here.
    unreachable = {**environment, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    second = subprocess.run(gewh, check=False, capture_output=True, text=True, timeout=600, env=unreachable)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "up to date: nothing new" in second.stdout
    assert "documents: 1 seen, 0 new, 0 changed, 1 unchanged" in second.stdout
    assert warehouse.read_bytes() == published_bytes
    assert [run[1:3] for run in runs(Settings(raw, warehouse))] == [(True, False), (False, True)]
