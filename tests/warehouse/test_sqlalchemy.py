"""The README's SQLAlchemy / duckdb-engine connection (what Superset and many BI tools use): read-only, marts visible,
and what a process that holds connections sees of a refresh."""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from gewh.refresh.publish import swap_in


pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def warehouse(reference_warehouse) -> Path:
    return reference_warehouse


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_url_from_the_readme(warehouse):
    before = digest(warehouse)
    # As the README writes it: duckdb:///<path>?access_mode=read_only
    engine = sa.create_engine(f"duckdb:///{warehouse}?access_mode=read_only")
    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names(schema="marts"))
            assert {"dim_reports", "fct_indicator_ratings", "fct_budget_delivery", "rpt_donor_portfolio"} <= tables
            frame = pd.read_sql(
                sa.text(
                    "select rec_no from marts.fct_recommendations where priority = :priority "
                    "and lower(timeframe) like 'immediate%' order by rec_no"
                ),
                connection,
                params={"priority": "high"},
            )
            assert frame["rec_no"].tolist() == [1, 6, 7]
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                connection.execute(sa.text("create table marts.scratch (x integer)"))
    finally:
        engine.dispose()
    assert digest(warehouse) == before


def test_columns_are_listed_and_core_selects_work(warehouse):
    # BI tools list columns through the inspector, then send SQL; full Table reflection (autoload) is not
    # supported by duckdb-engine (it asks pg_catalog for constraints DuckDB does not model).
    engine = sa.create_engine(f"duckdb:///{warehouse}?access_mode=read_only")
    try:
        with engine.connect() as connection:
            columns = [c["name"] for c in sa.inspect(connection).get_columns("fct_indicator_ratings", schema="marts")]
            assert {"report_id", "pi_code", "rating", "rating_score"} <= set(columns)
            ratings = sa.table("fct_indicator_ratings", *(sa.column(name) for name in columns), schema="marts")
            rows = connection.execute(
                sa.select(ratings.c.pi_code, ratings.c.rating)
                .where(ratings.c.report_id == "scorecard-kazakhstan-2022", ratings.c.pi_code.in_(["5.1", "2.2"]))
                .order_by(ratings.c.pi_code)
            ).all()
    finally:
        engine.dispose()
    # Table 1 of the 2022 scorecard: 2.2 Exceeds, 5.1 Missing.
    assert [tuple(row) for row in rows] == [("2.2", "Exceeds"), ("5.1", "Missing")]


# One process, one version (README, "Connecting SQL clients and BI tools"): DuckDB keeps one database instance per
# file per process and gives it to every new connection while any connection to the file is open, so a process
# moves to a newly published version only once it holds no connection to the file.

REPORTS = sa.text("select count(*) from marts.dim_reports")


@pytest.fixture
def republish(warehouse, tmp_path):
    """A copy of the warehouse as the published file, and ``publish()``, which swaps in a new version of it the
    way a refresh does (gewh.refresh.publish.swap_in: a rename over the path) with one report fewer."""
    published = tmp_path / "gender_equality.duckdb"
    shutil.copyfile(warehouse, published)

    def publish() -> None:
        build = tmp_path / ".build.duckdb"
        shutil.copyfile(warehouse, build)
        with duckdb.connect(str(build)) as con:
            con.execute("delete from marts.dim_reports where report_id = (select min(report_id) from marts.dim_reports)")
        swap_in(build, published)

    with duckdb.connect(str(published), read_only=True) as con:
        (reports,) = con.execute(REPORTS.text).fetchone()
    return published, publish, reports


def test_a_pooled_engine_sees_a_republish_only_after_dispose(republish):
    published, publish, reports = republish
    engine = sa.create_engine(f"duckdb:///{published}?access_mode=read_only")
    try:
        held = engine.connect()
        assert held.execute(REPORTS).scalar() == reports
        publish()
        with engine.connect() as fresh:
            assert fresh.execute(REPORTS).scalar() == reports  # a new connection, the old version
        held.close()
        with engine.connect() as pooled:
            # Every connection is back in the pool, which keeps them open: still the old version.
            assert pooled.execute(REPORTS).scalar() == reports
        engine.dispose()
        with engine.connect() as after:
            assert after.execute(REPORTS).scalar() == reports - 1
    finally:
        engine.dispose()


def test_pool_recycle_does_not_move_a_pool_of_two_connections_to_a_republish(republish):
    published, publish, reports = republish
    engine = sa.create_engine(f"duckdb:///{published}?access_mode=read_only", pool_recycle=1)
    try:
        first, second = engine.connect(), engine.connect()
        first.close()
        second.close()
        publish()
        time.sleep(1.5)
        # Each checkout closes one expired connection and opens a new one while the other is still open.
        for _ in range(3):
            with engine.connect() as connection:
                assert connection.execute(REPORTS).scalar() == reports
    finally:
        engine.dispose()


def test_without_a_pool_a_new_connection_sees_a_republish_once_the_others_are_closed(republish):
    published, publish, reports = republish
    engine = sa.create_engine(f"duckdb:///{published}?access_mode=read_only", poolclass=NullPool)
    try:
        held = engine.connect()
        assert held.execute(REPORTS).scalar() == reports
        publish()
        with engine.connect() as fresh:
            assert fresh.execute(REPORTS).scalar() == reports  # another connection of the process is open
        held.close()
        with engine.connect() as after:
            assert after.execute(REPORTS).scalar() == reports - 1
    finally:
        engine.dispose()


CLASH = "different configuration than existing connections"


def test_duckdb_connect_and_duckdb_engine_clash_in_one_process(republish):
    published, _, _ = republish
    engine = sa.create_engine(f"duckdb:///{published}?access_mode=read_only")
    try:
        with duckdb.connect(str(published), read_only=True):
            # duckdb-engine adds its own settings (a user agent), so even a read-only engine differs.
            with pytest.raises(sa.exc.DBAPIError, match=CLASH), engine.connect():
                pass
    finally:
        engine.dispose()


def test_the_two_read_only_spellings_of_duckdb_engine_clash_in_one_process(republish):
    published, _, _ = republish
    by_url = sa.create_engine(f"duckdb:///{published}?access_mode=read_only")
    by_argument = sa.create_engine(f"duckdb:///{published}", connect_args={"read_only": True})
    try:
        with by_url.connect(), pytest.raises(sa.exc.DBAPIError, match=CLASH), by_argument.connect():
            pass
    finally:
        by_url.dispose()
        by_argument.dispose()
