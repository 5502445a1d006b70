"""`gewh status`: where the warehouse stands, read from the published file (and the run log beside it).

Runs come from the staging database's run log when it can be opened: it holds
every run, including those that did not publish (the first place to look when
a new PDF does not show up).  While a refresh is writing it, the published
file's own run history is shown instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from gewh.analyst.query import read_only
from gewh.settings import Settings

RUN_COLUMNS = (
    "strftime(started_at, '%Y-%m-%d %H:%M') as started_utc, run_id, published, files_seen as seen, files_new as new, "
    "files_changed as changed, files_removed as removed, files_failed as failed, "
    "checks_passed as checks_ok, checks_failed, reason"
)


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[tuple]
    note: str = ""


@dataclass
class WarehouseStatus:
    warehouse: Path
    published_at: datetime
    sections: list[Section] = field(default_factory=list)


def warehouse_status(warehouse: Path, runs: int = 5) -> WarehouseStatus:
    with read_only(warehouse) as con:
        status = WarehouseStatus(
            warehouse=warehouse,
            published_at=datetime.fromtimestamp(Path(warehouse).stat().st_mtime, UTC),
        )
        status.sections.append(_runs(con, Settings(warehouse=Path(warehouse)).staging_db, runs))
        status.sections.append(
            _section(
                con,
                "Reports by type",
                "select report_type, count(*) as reports, string_agg(distinct country, ', ' order by country) as countries "
                "from marts.dim_reports group by all order by report_type",
            )
        )
        status.sections.append(
            _section(
                con,
                "Documents by status",
                "select status, count(*) as documents from marts.dim_documents group by status order by status",
            )
        )
        status.sections.append(
            _section(
                con,
                "Quarantined reports",
                "select report_id, quarantined_document_id, is_published as previous_version_published, "
                "array_to_string(quarantine_reasons, '; ') as reasons "
                "from marts.dim_reports where status = 'quarantined' order by report_id",
                empty="no quarantined reports",
            )
        )
        status.sections.append(
            _section(
                con,
                "Completeness by report",
                "select report_id, round(completeness, 3) as completeness, "
                "string_agg(part || ' ' || found || '/' || expected, ', ' order by part) as parts "
                "from marts.dim_reports left join marts.fct_report_completeness using (report_id) "
                "group by all order by report_id",
            )
        )
        status.sections.append(
            _section(
                con,
                "Failed files",
                "select source_path, error_page, error from marts.dim_documents where status = 'failed' "
                "order by source_path",
                empty="no failed files",
            )
        )
        status.sections.append(
            _section(
                con,
                "Skipped files (not inputs, not read)",
                "select source_path, error as reason from marts.dim_documents where status = 'skipped' "
                "order by source_path",
                empty="no skipped files",
            )
        )
        status.sections.append(
            _section(
                con,
                "Quality flags by severity and check",
                "select severity, \"check\", count(*) as flags, string_agg(distinct report_id, ', ') as reports "
                'from marts.fct_quality_flags group by severity, "check" '
                "order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, \"check\"",
                empty="no quality flags",
            )
        )
        status.sections.append(
            _section(
                con,
                "Quality flags",
                'select severity, report_id, "check", subject, expected, found, source_page as page '
                "from marts.fct_quality_flags "
                "order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, report_id, flag_id",
                empty="no quality flags",
            )
        )
    return status


def _section(con: duckdb.DuckDBPyConnection, title: str, sql: str, empty: str = "") -> Section:
    relation = con.sql(sql)
    rows = relation.fetchall()
    return Section(title, relation.columns, rows, note="" if rows else empty)


def _runs(published: duckdb.DuckDBPyConnection, staging_db: Path, limit: int) -> Section:
    sql = f"select {RUN_COLUMNS} from {{table}} order by started_at desc limit {int(limit)}"
    title = f"Last {limit} refresh runs"
    if staging_db.is_file():
        try:
            staging = duckdb.connect(str(staging_db), read_only=True)
        except duckdb.IOException:
            pass  # a refresh holds the run log open for writing
        else:
            try:
                relation = staging.sql(sql.format(table="refresh_runs"))
                return Section(title, relation.columns, relation.fetchall())
            finally:
                staging.close()
    relation = published.sql(sql.format(table="marts.refresh_runs"))
    return Section(
        title,
        relation.columns,
        relation.fetchall(),
        note="run log busy or missing: showing the runs up to the published one",
    )
