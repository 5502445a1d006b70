"""A refresh that does not publish raises, so Prefect records its flow run as Failed; its run is recorded first."""

from __future__ import annotations

import uuid

import duckdb
import pytest

from gewh.refresh.run import RefreshNotPublished
from gewh.settings import Settings
from tests import bad_inputs


def test_a_refresh_that_does_not_publish_is_a_failed_flow_run(run_refresh, tmp_path):
    from prefect import tags
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    missing = tmp_path.resolve() / "missing"
    warehouse = tmp_path.resolve() / "wh" / "gender_equality.duckdb"
    this_run = f"test-{uuid.uuid4()}"
    with tags(this_run), pytest.raises(RefreshNotPublished) as not_published:
        run_refresh(missing, warehouse)
    summary = not_published.value.summary
    assert not summary.published and summary.reason == f"raw folder not found: {missing}"

    with get_client(sync_client=True) as client:
        [flow_run] = client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[this_run])))
    assert flow_run.state is not None and flow_run.state.is_failed(), flow_run.state
    assert "raw folder not found" in (flow_run.state.message or "")

    con = duckdb.connect(str(Settings(warehouse=warehouse).staging_db), read_only=True)
    try:
        runs = con.execute("select run_id, published, reason from refresh_runs").fetchall()
    finally:
        con.close()
    assert runs == [(summary.run_id, False, summary.reason)]
    assert not warehouse.exists()


def test_an_empty_raw_folder_is_not_published_over_the_warehouse(run_refresh, tmp_path):
    """An emptied folder (an unmounted share, say) leaves the published warehouse as it was, and says why."""
    raw = tmp_path.resolve() / "raw"
    raw.mkdir()
    bad_inputs.good_pdf(raw / "report.pdf")
    warehouse = tmp_path.resolve() / "wh" / "gender_equality.duckdb"
    assert run_refresh(raw, warehouse).published
    before = warehouse.read_bytes()

    (raw / "report.pdf").unlink()
    with pytest.raises(RefreshNotPublished) as not_published:
        run_refresh(raw, warehouse)
    reason = not_published.value.summary.reason
    assert reason.startswith(f"raw folder is empty: {raw}: put reports (.md, .pdf, .txt;") and "gewh demo" in reason
    assert warehouse.read_bytes() == before
