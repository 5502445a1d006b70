"""What a published run says about documents it could not load: in its summary, its run history and its exit status."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gewh import cli
from gewh.refresh import uptodate
from gewh.refresh.stage import StagingOutcome
from gewh.refresh.summary import RefreshSummary

LOST = "b.pdf: extraction stopped at the 120 s per-document CPU time limit"
BAD = "c.pdf: not a PDF"
KEPT = "kept previous extraction of a.pdf: a.pdf: extraction process died (exit code -9)"


def published_with_failures() -> RefreshSummary:
    summary = RefreshSummary.begin()
    summary.retried = [LOST]
    summary.count_staged(StagingOutcome(failures=[LOST, BAD], retry_next_run=[LOST], previous=[KEPT]))
    summary.mark_published(Path("wh.duckdb"), {"dim_reports": 1})
    return summary


def test_a_published_run_names_what_it_kept_and_what_it_will_retry():
    summary = published_with_failures()
    assert summary.reason == f"published; {KEPT}; will retry next run: {LOST}"
    assert summary.as_record()["reason"] == summary.reason
    lines = summary.render().splitlines()
    assert lines[1:5] == [
        f"  failed, will retry next run: {LOST}",
        f"  failed: {BAD}",
        f"  {KEPT}",
        f"  retried once after: {LOST}",
    ]


def test_refresh_exits_3_when_documents_are_left_to_retry(tmp_path, monkeypatch):
    summary = published_with_failures()
    monkeypatch.setattr(uptodate, "settle_if_up_to_date", lambda settings: summary)
    raw = tmp_path / "raw"
    raw.mkdir()
    # A raw folder with a report in it: an empty one is refused before anything else.
    (raw / "report.txt").write_text("a report\n")
    result = CliRunner().invoke(cli.app, ["refresh", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 3
    assert f"failed, will retry next run: {LOST}" in result.stdout
    assert "warning: published without 1 document(s) that failed transiently" in result.stderr

    summary.retry_next_run = []
    result = CliRunner().invoke(cli.app, ["refresh", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
