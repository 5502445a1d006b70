"""A refresh on a starved CPU (issue 15, item 9): the three reference reports, refreshed by `gewh refresh` pinned
to one core that a busy loop shares with it, all load.  The per-document limit is CPU time, so a document
waiting for the core uses none of it; the old wall-clock limit lost two of the three reports this way.
(A module of its own so that pytest-xdist can run it beside the other end-to-end modules.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.warehouse_sql import fetch_all

pytestmark = [pytest.mark.slow, pytest.mark.shared]

GEWH = Path(sys.executable).with_name("gewh")


def test_a_cpu_starved_refresh_still_loads_every_reference_report(shared_dir, tmp_path, prefect_api):
    raw = tmp_path / "raw"
    raw.mkdir()
    for pdf in (shared_dir / "corpus" / "reconstructed").glob("*.pdf"):
        shutil.copy(pdf, raw / pdf.name)
    warehouse = tmp_path / "wh" / "gender_equality.duckdb"
    core = min(os.sched_getaffinity(0))

    def on_that_core() -> None:
        os.sched_setaffinity(0, {core})

    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"], preexec_fn=on_that_core)  # noqa: PLW1509
    try:
        # CPU limit well above what the largest report needs (about 15 s), below the wall time it takes here.
        result = subprocess.run(
            [str(GEWH), "refresh", "--raw", str(raw), "--warehouse", str(warehouse), "--cpu-seconds", "60"],
            capture_output=True,
            text=True,
            timeout=900,
            env={**os.environ, "PREFECT_API_URL": prefect_api},
            preexec_fn=on_that_core,
            check=False,
        )
    finally:
        busy.kill()
        busy.wait()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "documents: 3 seen, 3 new, 0 changed, 0 unchanged, 0 removed, 0 failed" in result.stdout
    assert fetch_all(warehouse, "select report_type, count(*) from marts.dim_reports group by 1 order by 1") == [
        ("evaluation", 1),
        ("scorecard", 1),
        ("source_inventory", 1),
    ]
