"""A build that starts from the published warehouse ends with the same rows as a full build of the same staging.

A sequence of refreshes of the sample corpus (scorecard series, a pre-2018 scorecard, evaluations, an
inventory) adds reports, changes one's bytes, adds a copy and a reissue of others, removes some and adds the
rest; after each, every table of every schema of the published file is compared with a build of the same
staging file into an empty database.  (A module of its own so that pytest-xdist can run it beside the other
end-to-end modules.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from gewh.refresh.summary import RefreshSummary
from gewh.refresh.transform import dbt_build, new_build
from samples.corpus import write_sample_corpus
from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec

pytestmark = pytest.mark.slow

INCREMENTAL = "incremental, from the published warehouse"


def test_incremental_builds_equal_full_builds(tmp_path, run_refresh):
    corpus = sorted(report.path for report in write_sample_corpus(tmp_path / "corpus"))
    raw = tmp_path / "raw"
    raw.mkdir()
    warehouse = tmp_path / "warehouse" / "gender_equality.duckdb"

    def refresh(expected_build: str, **options) -> None:
        summary = run_refresh(raw, warehouse, **options)
        assert summary.published, summary.render()
        assert summary.build.startswith(expected_build), summary.build
        assert_same_rows_as_full_build(warehouse, summary, tmp_path / "reference")

    def add(paths: list[Path]) -> None:
        for path in paths:
            shutil.copyfile(path, raw / path.name)

    add(corpus[:8])
    refresh("full: no published warehouse")

    add(corpus[8:13])
    refresh(INCREMENTAL)

    # New bytes at a path (the old document leaves, the new one is the report now), a second file of another
    # report's bytes (its report's list of files changes, nothing is extracted), and a reissue of a third under
    # a new name (it supersedes the earlier file).
    changed = raw / "scorecard-ghana-2019.pdf"
    assert changed.exists()
    build_scorecard_pdf(synthetic_spec("Ghana", 2019, year_columns=2, seed=99, long_cells=False), changed)
    shutil.copyfile(raw / corpus[0].name, raw / f"copy-of-{corpus[0].name}")
    build_scorecard_pdf(
        synthetic_spec("Ghana", 2021, year_columns=2, seed=98, long_cells=False),
        raw / "scorecard-ghana-2021-reissued.pdf",
    )
    refresh(INCREMENTAL)

    # The reissue goes (the earlier file is the report again), and so does a report of its own.
    (raw / "scorecard-ghana-2021-reissued.pdf").unlink()
    (raw / corpus[1].name).unlink()
    refresh(INCREMENTAL)

    add(corpus[13:])
    refresh(INCREMENTAL)

    # Asked for, a full rebuild runs even when nothing changed.
    refresh("full: a full rebuild was asked for", full_rebuild=True)


def assert_same_rows_as_full_build(published: Path, run: RefreshSummary, work: Path) -> None:
    """Every table of ``published`` holds the same rows (as many times each) as the same table built in full from
    the same staging file, the run history aside: `publish_build` adds the run as it stood at publishing to the
    published copy, where a build from staging reads the run as recorded when it ended."""
    staging = published.with_name(f"{published.stem}.staging.duckdb")
    reference = new_build(work, published.name)
    outcome = dbt_build(staging, reference, work)
    assert outcome.success, outcome.failure_reason

    con = duckdb.connect()
    try:
        con.execute(f"attach '{published}' as incremental (read_only)")
        con.execute(f"attach '{reference}' as full_build (read_only)")
        tables = {
            database: set(
                con.execute(
                    "select schema_name, table_name from duckdb_tables() where database_name = ?", [database]
                ).fetchall()
            )
            for database in ("incremental", "full_build")
        }
        assert tables["incremental"] == tables["full_build"]
        differences = []
        for schema, table in sorted(tables["full_build"]):
            aside = "where run_id <> $run_id" if (schema, table) == ("marts", "refresh_runs") else ""
            for left, right in (("incremental", "full_build"), ("full_build", "incremental")):
                rows = con.execute(
                    f'select * from (from {left}."{schema}"."{table}" {aside}'
                    f' except all from {right}."{schema}"."{table}" {aside}) limit 5',
                    {"run_id": run.run_id} if aside else {},
                ).fetchall()
                if rows:
                    differences.append(f"{schema}.{table}: only in the {left} build: {rows}")
        assert not differences, "\n".join(differences)
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
