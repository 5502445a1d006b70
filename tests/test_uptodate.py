"""A refresh with nothing to do is settled before Prefect starts, and only then.

The unit tests build staging by hand (text inputs, a run recorded as published); the last
test runs the real `gewh refresh` twice, the second time with a Prefect API address
nothing listens on, which only a run that never touches Prefect survives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from extract.pipeline import extract_file
from gewh.refresh import stage
from gewh.refresh.discover import list_raw_files, plan_refresh
from gewh.refresh.publish import RefreshAlreadyRunning, single_writer
from gewh.refresh.uptodate import settle_if_up_to_date
from gewh.settings import Settings
from tests.fixtures.scorecard_pdf import build_scorecard_pdf, synthetic_spec


def stage_folder(config: Settings) -> None:
    """Stage every file of the raw folder as the flow would, without publishing."""
    con = stage.connect(config.staging_db)
    try:
        files = list_raw_files(config.raw)
        stage.record_plan(con, plan_refresh(files, stage.known_files(con)), datetime.now(UTC))
        for raw in files:
            stage.stage_extraction(con, raw.sha256, raw.source_path, extract_file(raw.path))
    finally:
        con.close()


def record_publish(config: Settings) -> None:
    con = stage.connect(config.staging_db)
    try:
        now = datetime.now(UTC)
        stage.record_run(
            con,
            {
                "run_id": "published-run",
                "started_at": now,
                "finished_at": now,
                "published": True,
                "staging_fingerprint": stage.fingerprint(con),
            },
        )
    finally:
        con.close()
    config.warehouse.write_bytes(b"the published warehouse")


def runs(config: Settings) -> list[tuple]:
    con = duckdb.connect(str(config.staging_db), read_only=True)
    try:
        return con.execute(
            "select run_id, published, up_to_date, files_seen, files_unchanged, reason from refresh_runs order by started_at"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def published(tmp_path) -> Settings:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("report A\n")
    (raw / "b.md").write_text("report B\n")
    config = Settings(raw=raw, warehouse=tmp_path / "wh.duckdb")
    stage_folder(config)
    record_publish(config)
    return config


def test_a_current_warehouse_is_settled_and_the_run_recorded(published):
    summary = settle_if_up_to_date(published)
    assert summary is not None and summary.up_to_date and not summary.published
    assert (summary.files_seen, summary.files_unchanged, summary.files_new) == (2, 2, 0)
    assert set(summary.stage_seconds) == {"discover"}
    assert runs(published)[-1] == (
        summary.run_id,
        False,
        True,
        2,
        2,
        "nothing new: the published warehouse is already up to date",
    )
    assert published.warehouse.read_bytes() == b"the published warehouse"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda raw: (raw / "c.txt").write_text("report C\n"), id="new file"),
        pytest.param(lambda raw: (raw / "a.txt").write_text("report A, revised\n"), id="changed file"),
        pytest.param(lambda raw: (raw / "b.md").unlink(), id="removed file"),
        pytest.param(lambda raw: (raw / "copy.txt").write_text("report A\n"), id="known content under a new name"),
    ],
)
def test_any_change_in_the_raw_folder_leaves_the_decision_to_the_flow(published, change):
    change(published.raw)
    assert settle_if_up_to_date(published) is None
    assert [run[0] for run in runs(published)] == ["published-run"], "nothing recorded: the flow will record its run"


def test_staged_but_unpublished_content_needs_the_flow(published):
    """A run killed after staging: the folder matches staging, but the warehouse was built from less."""
    (published.raw / "c.txt").write_text("report C\n")
    stage_folder(published)
    assert settle_if_up_to_date(published) is None


def test_full_and_a_missing_warehouse_go_to_the_flow(published):
    assert settle_if_up_to_date(Settings(published.raw, published.warehouse, full=True)) is None
    published.warehouse.unlink()
    assert settle_if_up_to_date(published) is None


def test_a_running_refresh_is_reported_without_starting_the_flow(published):
    with single_writer(published.lock_file) as lock:
        lock.enter("dbt")
        with pytest.raises(RefreshAlreadyRunning, match=r"refresh already running \(pid \d+, stage dbt"):
            settle_if_up_to_date(published)
    assert [run[0] for run in runs(published)] == ["published-run"]


def test_a_locked_staging_file_goes_to_the_flow(published):
    """Someone holds staging open read-write (an inspection session): the flow's retries deal with it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(published.staging_db)!r}); time.sleep(60)",
        ]
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert time.monotonic() < deadline, "the holder did not open staging"
            try:
                duckdb.connect(str(published.staging_db), read_only=True).close()
            except duckdb.IOException:
                break
            time.sleep(0.2)
        assert settle_if_up_to_date(published) is None
    finally:
        holder.kill()
        holder.wait()


def test_gewh_refresh_with_nothing_new_does_not_start_prefect(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    build_scorecard_pdf(synthetic_spec("Ghana", 2023, year_columns=2, seed=1, long_cells=False), raw / "ghana.pdf")
    warehouse = tmp_path / "wh.duckdb"
    gewh = [str(Path(sys.executable).with_name("gewh")), "refresh", "--raw", str(raw), "--warehouse", str(warehouse)]
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    first = subprocess.run(gewh, capture_output=True, text=True, timeout=600, env=environment)
    assert first.returncode == 0, first.stdout + first.stderr
    published_bytes = warehouse.read_bytes()

    # Port 9 (discard) has no Prefect API behind it: a run that started the flow would fail here.
    unreachable = {**environment, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    second = subprocess.run(gewh, capture_output=True, text=True, timeout=600, env=unreachable)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "up to date: nothing new" in second.stdout
    assert "documents: 1 seen, 0 new, 0 changed, 1 unchanged" in second.stdout
    assert warehouse.read_bytes() == published_bytes
    assert [run[1:3] for run in runs(Settings(raw, warehouse))] == [(True, False), (False, True)]
