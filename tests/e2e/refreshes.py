"""`gewh` as its own process, for the end-to-end modules that stop one part-way (kill -9, signals)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb

GEWH = Path(sys.executable).with_name("gewh")


def ctrl_c_as_in_a_terminal() -> None:
    """Popen's ``preexec_fn`` for a command that a test stops as Ctrl-C would: SIGINT's default action, which a
    terminal's foreground command has, whatever the tests' own.  Tests started as a background job of a
    non-interactive shell (`make test &` in a script, `nohup`) ignore SIGINT, and so would the command, which
    Python then gives no KeyboardInterrupt: the stop under test would never come."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_refresh(raw: Path, warehouse: Path, prefect_api: str | None, pause_in: str = "") -> subprocess.Popen:
    """`gewh refresh` as its own process, held 2 s as it enters stage ``pause_in``.  With ``prefect_api`` (the
    session's), what a test watches is the warehouse and the lock, not Prefect's start-up (tests/e2e/test_cli.py);
    without, the refresh starts a Prefect server of its own."""
    env = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    env |= {"PREFECT_API_URL": prefect_api} if prefect_api else {}
    env["GEWH_TEST_STAGE_PAUSE"] = f"{pause_in}=2"
    return subprocess.Popen(
        [str(GEWH), "refresh", "--raw", str(raw), "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def report_count(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select count(*) from marts.dim_reports").fetchone()[0]
    finally:
        con.close()
