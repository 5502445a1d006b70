"""Staging database: the ingest log, the document model and parser records in DuckDB.

The staging file is private to the refresh (readers use the published
warehouse).  It keeps history: every file ever seen stays in `ingest_log`,
including removed and failed ones, and each document's rows are replaced in
one transaction when it is re-extracted.
"""

from __future__ import annotations

import contextlib
import time
import types
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from extract.document.model import Document
from extract.pipeline import Extraction, extractor_version
from extract.records import RECORD_TABLES
from gewh.refresh.discover import Plan, RawFile
from gewh.refresh.isolation import ExtractionFailure, ExtractionResult

# How long opening staging waits for a lock another process holds.  After kill -9 of a refresh, its children
# (killed with it by the kernel, a moment after it) may still hold the file when the next refresh starts.
LOCK_WAIT_SECONDS = 15.0

CORE_DDL = """
create table if not exists documents (
    document_id varchar primary key,
    sha256 varchar not null,
    file_name varchar not null,
    source_path varchar,
    source_kind varchar,
    doc_type varchar,
    title varchar,
    page_count integer,
    extracted_at timestamptz,
    status varchar not null,          -- loaded | failed | skipped (not an input) | removed
    error varchar,
    error_page integer,
    extractor_version varchar,        -- extract.pipeline.extractor_version() of the extraction or failure
    language varchar,                 -- ISO 639-1 code of the document's language; null: cannot tell
    failure_kind varchar,             -- permanent | transient: of `error`, or of `last_failure`; null: none
    last_failure varchar,             -- a loaded document's latest failed attempt, whose failure kept its rows
    content_sha256 varchar            -- Document.content_fingerprint(): the same text under other bytes matches
);
create table if not exists ingest_log (
    source_path varchar not null,     -- path relative to the raw folder
    sha256 varchar not null,
    size_bytes bigint,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    removed_at timestamptz,
    primary key (source_path, sha256)
);
create table if not exists pages (
    document_id varchar, page_no integer, width double, height double,
    printed_page_no varchar, running_header varchar, running_footer varchar
);
create table if not exists text_lines (
    document_id varchar, page_no integer, line_no integer, anchor integer, text varchar,
    x0 double, top double, x1 double, bottom double, font_size double, bold boolean
);
create table if not exists tables (
    document_id varchar, table_no integer, page_first integer, page_last integer,
    method varchar, n_rows integer, n_cols integer
);
create table if not exists table_cells (
    document_id varchar, table_no integer, row_no integer, col_no integer, anchor integer, text varchar
);
create table if not exists refresh_runs (
    run_id varchar primary key,
    started_at timestamptz, finished_at timestamptz,
    files_seen integer, files_new integer, files_changed integer, files_unchanged integer,
    files_failed integer, files_removed integer, files_skipped integer,
    checks_passed integer, checks_failed integer,
    published boolean, up_to_date boolean, reason varchar, rows_per_mart json,
    staging_fingerprint varchar,      -- what staging held when this run published
    build_version varchar             -- gewh.refresh.transform.build_version() of what built the published file
);
"""

DOCUMENT_TABLES = ("pages", "text_lines", "tables", "table_cells")


@dataclass
class StagingOutcome:
    failures: list[str] = field(default_factory=list)
    # Failures of an attempt rather than of the bytes, whose documents the next run extracts again.
    retry_next_run: list[str] = field(default_factory=list)
    # What a failure did to rows loaded earlier for the same bytes or the same path (`stage_failure`).
    previous: list[str] = field(default_factory=list)
    fingerprint: str | None = None


_SQL_TYPES = {str: "varchar", int: "bigint", float: "double", bool: "boolean"}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_when_free(path)
    con.execute(CORE_DDL)
    # Staging files made before these columns existed: their extractions count as stale (see `staged_hashes`)
    # and are made again, with every column.
    con.execute("alter table documents add column if not exists extractor_version varchar")
    con.execute("alter table documents add column if not exists language varchar")
    con.execute("alter table documents add column if not exists content_sha256 varchar")
    con.execute("alter table refresh_runs add column if not exists files_skipped integer")
    # Runs before builds started from the published file: the next build starts empty.
    con.execute("alter table refresh_runs add column if not exists build_version varchar")
    # Failures staged before failures had a kind count as transient: they are tried again (`staged_hashes`).
    con.execute("alter table documents add column if not exists failure_kind varchar")
    con.execute("alter table documents add column if not exists last_failure varchar")
    _match_record_tables(con)
    return con


def _connect_when_free(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to ``path``, waiting up to `LOCK_WAIT_SECONDS` while another process holds it."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "Could not set lock" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _match_record_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create each record table, or re-create it when its record type has changed shape.

    Its old rows came from an older extractor, so every document is extracted again anyway
    (`staged_hashes`); keeping them under a new layout would mix two parser versions.
    """
    existing: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in con.execute(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'main' order by table_name, ordinal_position"
    ).fetchall():
        existing.setdefault(table, []).append((column, data_type.lower()))
    for table, cls in RECORD_TABLES.items():
        wanted = [("document_id", "varchar"), *((f.name, _sql_type(f.type, cls)) for f in fields(cls))]
        if existing.get(table) == wanted:
            continue
        columns = ", ".join(f"{name} {sql_type}" for name, sql_type in wanted)
        con.execute(f"drop table if exists {table}")
        con.execute(f"create table {table} ({columns})")


@contextmanager
def opened(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The staging database (created when missing), closed when the block ends."""
    con = connect(path)
    try:
        yield con
    finally:
        con.close()


def stage_results(staging_db: Path, results: Iterable[tuple[RawFile, ExtractionResult]]) -> StagingOutcome:
    """Stage each document's extraction, or its failure; the outcome lists the failures and what staging holds now."""
    outcome = StagingOutcome()
    with opened(staging_db) as con:
        transient: list[tuple[str, str]] = []
        for raw, result in results:
            if isinstance(result, ExtractionFailure):
                previous = stage_failure(con, raw.sha256, raw.source_path, raw.path.name, result)
                outcome.failures.append(result.reason)
                if result.transient:
                    transient.append((raw.sha256, result.reason))
                if previous:
                    outcome.previous.append(previous)
            else:
                stage_extraction(con, raw.sha256, raw.source_path, result)
        # Not every transient failure is tried again: one that kept rows this extractor made has nothing to redo.
        done = staged_hashes(con)
        outcome.retry_next_run = [reason for sha256, reason in transient if sha256 not in done]
        con.execute("checkpoint")
        outcome.fingerprint = fingerprint(con)
    return outcome


def _sql_type(annotation: object, cls: type) -> str:
    hints = typing.get_type_hints(cls)
    resolved = annotation
    if isinstance(annotation, str):
        resolved = next(hints[f.name] for f in fields(cls) if f.type == annotation)
    args = [a for a in typing.get_args(resolved) if a is not type(None)]
    origin = typing.get_origin(resolved)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        resolved, origin, args = args[0], typing.get_origin(args[0]), list(typing.get_args(args[0]))
    if origin is tuple:
        return "varchar[]"
    if isinstance(resolved, type) and resolved in _SQL_TYPES:
        return _SQL_TYPES[resolved]
    raise TypeError(f"{cls.__name__}: unsupported record field type {annotation!r}")


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source_path → sha256 of every file currently present in the ingest log."""
    rows = con.execute(
        """
        select source_path, arg_max(sha256, last_seen_at)
        from ingest_log where removed_at is null group by source_path
        """
    ).fetchall()
    return dict(rows)


def staged_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Contents that need no extraction: loaded, or failed for good (the same bytes fail the same way), by this
    extractor.  A transient failure (a limit hit, a worker lost) is not done: every run tries it again."""
    rows = con.execute(
        """
        select sha256 from documents
        where extractor_version = ? and (status = 'loaded' or status = 'failed' and failure_kind = 'permanent')
        """,
        [extractor_version()],
    ).fetchall()
    return {row[0] for row in rows}


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A digest of what staging holds; the warehouse is current when it was built from this state."""
    # An aggregate without `group by`: exactly one row.
    [(digest,)] = con.execute(
        """
        select md5(coalesce(string_agg(
            document_id || status || coalesce(extracted_at::varchar, '') || coalesce(source_path, ''),
            ',' order by document_id), ''))
            || md5(coalesce((select string_agg(source_path || sha256 || coalesce(removed_at::varchar, ''),
                                               ',' order by source_path, sha256) from ingest_log), ''))
        from documents
        """
    ).fetchall()
    return digest


def record_plan(con: duckdb.DuckDBPyConnection, plan: Plan, now: datetime) -> None:
    """Log what discovery saw: every present file as seen now, and the files that are gone as removed."""
    # One statement for the whole folder: a statement per file took 0.7 s for 500 files, every refresh.
    con.execute(
        """
        insert into ingest_log
        select source_path, sha256, size_bytes, $now, $now, null
        from (select unnest($paths) as source_path, unnest($digests) as sha256, unnest($sizes) as size_bytes)
        on conflict (source_path, sha256) do update set last_seen_at = excluded.last_seen_at, removed_at = null
        """,
        {
            "now": now,
            "paths": [raw.source_path for raw in plan.files],
            "digests": [raw.sha256 for raw in plan.files],
            "sizes": [raw.size for raw in plan.files],
        },
    )
    record_skipped(con, plan.skipped)
    record_removed(con, plan.removed, now)


def record_skipped(con: duckdb.DuckDBPyConnection, skipped: Iterable[RawFile]) -> None:
    """Each file that is not an input, as a `skipped` document with its reason (never extracted, so staged here).

    Staged once: restaging would change the staging fingerprint on every run; one that comes back after its
    removal is skipped again.
    """
    for raw in skipped:
        con.execute(
            """
            insert into documents (document_id, sha256, file_name, source_path, status, error)
            values (?, ?, ?, ?, 'skipped', ?)
            on conflict (document_id) do update set status = 'skipped' where documents.status <> 'skipped'
            """,
            [document_id_for(raw.sha256), raw.sha256, raw.path.name, raw.source_path, raw.skipped],
        )


def record_removed(con: duckdb.DuckDBPyConnection, source_paths: Iterable[str], now: datetime) -> None:
    for source_path in source_paths:
        con.execute(
            "update ingest_log set removed_at = ? where source_path = ? and removed_at is null", [now, source_path]
        )
    # A document whose every copy is gone leaves the marts; its rows stay for history.
    con.execute(
        """
        update documents set status = 'removed'
        where status <> 'removed'
          and sha256 not in (select sha256 from ingest_log where removed_at is null)
        """
    )


def document_id_for(sha256: str) -> str:
    return sha256[:16]


def stage_extraction(con: duckdb.DuckDBPyConnection, sha256: str, source_path: str, extraction: Extraction) -> None:
    """Replace one document's rows with a new extraction, atomically."""
    document_id = document_id_for(sha256)
    document = extraction.document
    con.execute("begin transaction")
    try:
        _delete_document(con, document_id)
        con.execute(
            """
            insert into documents (document_id, sha256, file_name, source_path, source_kind, doc_type, title,
                                   page_count, extracted_at, language, status, extractor_version, content_sha256)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?)
            """,
            [
                document_id,
                sha256,
                document.file_name,
                source_path,
                document.source_kind,
                extraction.doc_type,
                extraction.parsed.info.title,
                document.page_count,
                _now(),
                extraction.language,
                extractor_version(),
                document.content_fingerprint(),
            ],
        )
        _insert_document_model(con, document_id, document)
        _insert_records(con, document_id, "report_info", [extraction.parsed.info])
        for table, rows in extraction.parsed.records.items():
            _insert_records(con, document_id, table, rows)
        con.execute("commit")
    except Exception:
        _rollback(con)
        raise


def stage_failure(
    con: duckdb.DuckDBPyConnection, sha256: str, source_path: str, file_name: str, failure: ExtractionFailure
) -> str | None:
    """Stage one document's failure: the reason, the page, the report type that recognised it, and its kind.

    A transient failure of bytes that are loaded never replaces their rows: the attempt failed, not the bytes,
    so the marts keep them and `last_failure` says why the attempt did not replace them.  A permanent failure
    replaces them (the extractor now refuses these bytes).  Returns what became of rows loaded earlier for
    these bytes or this path, for the run's summary (None: there were none).
    """
    document_id = document_id_for(sha256)
    loaded = con.execute(
        "select count(*) > 0 from documents where document_id = ? and status = 'loaded'", [document_id]
    ).fetchone()
    loaded_before = bool(loaded and loaded[0])
    if failure.transient and loaded_before:
        con.execute(
            "update documents set last_failure = ?, failure_kind = 'transient' where document_id = ?",
            [failure.reason, document_id],
        )
        return f"kept previous extraction of {source_path}: {failure.reason}"
    con.execute("begin transaction")
    try:
        _delete_document(con, document_id)
        con.execute(
            """
            insert into documents (document_id, sha256, file_name, source_path, doc_type, extracted_at, language,
                                   status, error, error_page, extractor_version, failure_kind)
            values (?, ?, ?, ?, ?, ?, ?, 'failed', ?, ?, ?, ?)
            """,
            [
                document_id,
                sha256,
                file_name,
                source_path,
                failure.doc_type,
                _now(),
                failure.language,
                failure.reason,
                failure.page,
                extractor_version(),
                "transient" if failure.transient else "permanent",
            ],
        )
        con.execute("commit")
    except Exception:
        _rollback(con)
        raise
    if loaded_before:
        return f"dropped previous extraction of {source_path}: {failure.reason}"
    # Changed bytes at a path: the version loaded from its earlier bytes is still logged present, so the marts
    # keep it as the report's newest loadable version (int_report_candidates).
    earlier = con.execute(
        """
        select documents.document_id from documents
        inner join ingest_log on documents.sha256 = ingest_log.sha256
        where ingest_log.source_path = ? and ingest_log.removed_at is null
          and documents.status = 'loaded' and documents.document_id <> ?
        order by ingest_log.last_seen_at desc limit 1
        """,
        [source_path, document_id],
    ).fetchone()
    if earlier:
        return f"kept previous version of {source_path} (document {earlier[0]}): {failure.reason}"
    return None


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if one is still open.

    A commit that fails (the disk full as DuckDB writes its log) has already rolled the transaction back: a second
    rollback raises "no transaction is active", which would replace the error that says why the commit failed.
    """
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("rollback")


def _delete_document(con: duckdb.DuckDBPyConnection, document_id: str) -> None:
    for table in (*DOCUMENT_TABLES, *RECORD_TABLES, "documents"):
        con.execute(f"delete from {table} where document_id = ?", [document_id])


def _insert_document_model(con: duckdb.DuckDBPyConnection, document_id: str, document: Document) -> None:
    page_rows = [
        [document_id, p.number, p.width, p.height, p.printed_page_no, p.header, p.footer] for p in document.pages
    ]
    _bulk_insert(con, "pages", page_rows)
    line_rows = [
        [
            document_id,
            line.page,
            line.line_no,
            line.anchor,
            line.text,
            line.x0,
            line.top,
            line.x1,
            line.bottom,
            line.font_size,
            line.bold,
        ]
        for line in document.lines()
    ]
    _bulk_insert(con, "text_lines", line_rows)
    table_rows = [
        [document_id, t.table_no, t.page_first, t.page_last, t.method, len(t.rows), t.n_cols] for t in document.tables
    ]
    _bulk_insert(con, "tables", table_rows)
    cell_rows = [
        [document_id, t.table_no, r, c, row.anchor, text]
        for t in document.tables
        for r, row in enumerate(t.rows, start=1)
        for c, text in enumerate(row.cells, start=1)
    ]
    _bulk_insert(con, "table_cells", cell_rows)


def _insert_records(con: duckdb.DuckDBPyConnection, document_id: str, table: str, rows: list) -> None:
    if not rows:
        return
    values = [[document_id, *[list(v) if isinstance(v, tuple) else v for v in astuple(row)]] for row in rows]
    _bulk_insert(con, table, values)


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[list]) -> None:
    """Insert many rows at once; executemany row by row is slow for thousands of lines."""
    if not rows:
        return

    # Columns go by position (`select *`), so they need no names, and the table's need not be looked up.
    incoming = pa.table({f"c{position}": list(values) for position, values in enumerate(zip(*rows, strict=True))})
    con.register("_incoming", incoming)
    try:
        con.execute(f'insert into "{table}" select * from _incoming')
    finally:
        con.unregister("_incoming")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, _, name = table.rpartition(".")
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema or "main", name],
    ).fetchall()
    return [row[0] for row in rows]


def _now() -> datetime:
    return datetime.now(UTC)


def record_run(con: duckdb.DuckDBPyConnection, record: dict) -> None:
    insert_by_name(con, "refresh_runs", record, replace=True)


def published_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """Staging fingerprint of the last run that published (None before the first publish)."""
    return _of_last_published(con, "staging_fingerprint")


def published_build_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """What built the published warehouse (`transform.build_version`), as the last run that published recorded."""
    return _of_last_published(con, "build_version")


def _of_last_published(con: duckdb.DuckDBPyConnection, column: str) -> str | None:
    row = con.execute(f"select {column} from refresh_runs where published order by started_at desc limit 1").fetchone()
    return row[0] if row else None


def insert_by_name(con: duckdb.DuckDBPyConnection, table: str, record: dict, replace: bool = False) -> None:
    """Insert one row given as a dict; keys that are not columns of ``table`` are ignored."""
    columns = _columns(con, table)
    frame = pd.DataFrame([{column: record.get(column) for column in columns}])
    con.register("_record", frame)
    try:
        verb = "insert or replace into" if replace else "insert into"
        con.execute(f"{verb} {table} by name select * from _record")
    finally:
        con.unregister("_record")
