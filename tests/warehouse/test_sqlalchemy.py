"""The README's SQLAlchemy / duckdb-engine connection (what Superset and many BI tools use): read-only, marts visible."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa


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
