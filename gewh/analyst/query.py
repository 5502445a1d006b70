"""Read-only access to the published warehouse: what `gewh query`, `status`, `export` and the report use.

Every connection here is opened with ``read_only=True``: an analyst's query can
never change the published file, and it never blocks a refresh (which writes a
new file and renames it over this one).  It is also sandboxed: no file other
than the warehouse is read or written, no database attached, no extension
installed or loaded, and the query cannot turn that back on.  (A read-only
connection alone still runs `COPY … TO 'the warehouse'` and `read_csv('/etc/passwd')`.)
Results are written by a separate in-memory connection that sees only them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Output formats `gewh query --out` and `gewh export` write, by file suffix.
OUTPUT_FORMATS = {".csv": "csv", ".parquet": "parquet"}
SANDBOX: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False, "lock_configuration": True}


class WarehouseNotFound(FileNotFoundError):
    def __init__(self, path: Path):
        super().__init__(f"no published warehouse at {path}; run `gewh refresh` first")


@contextmanager
def read_only(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to ``warehouse``; fails with a clear message when it has not been published yet."""
    if not Path(warehouse).is_file():
        raise WarehouseNotFound(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True, config=SANDBOX)
    try:
        yield con
    finally:
        con.close()


def read_sql(sql: str | None, sql_file: Path | None) -> str:
    """The one statement given on the command line or in a file (exactly one of the two)."""
    if sql is not None and sql_file is None:
        text = sql
    elif sql_file is not None and sql is None:
        text = Path(sql_file).read_text(encoding="utf-8")
    else:
        raise ValueError("give either a SQL statement or --file, not both or neither")
    statements = len(duckdb.extract_statements(text))
    if statements > 1:
        # Only the last result would be shown: say so rather than drop the others.
        raise ValueError(f"give one SQL statement at a time (found {statements})")
    return text


def output_format(out: Path) -> str:
    try:
        return OUTPUT_FORMATS[out.suffix.lower()]
    except KeyError:
        raise ValueError(f"--out must end in {' or '.join(OUTPUT_FORMATS)}: {out}") from None


def write_relation(relation: duckdb.DuckDBPyRelation, out: Path) -> int:
    """Write a query result to ``out`` as CSV (with header) or Parquet, chosen by the suffix; the rows written.

    The result streams, in Arrow batches, into an in-memory connection that may write files (the sandboxed
    connection that ran the query may not)."""
    kind = output_format(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as writer:
        result = writer.from_arrow(relation.to_arrow_reader())
        if kind == "csv":
            _spreadsheet_safe(result).write_csv(str(out), header=True)
        else:
            result.write_parquet(str(out))
        [(written,)] = writer.sql(f"select count(*) from read_{kind}(?)", params=[str(out)]).fetchall()
    return written


# A cell a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first): report text can
# hold any of these, and a CSV is opened in Excel.  OWASP's advice: prefix a quote, which shows the text as is.
_FORMULA_START = r"^[=+\-@\t\r]"


def _spreadsheet_safe(result: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    columns = []
    for name, column_type in zip(result.columns, result.types, strict=True):
        column = '"' + name.replace('"', '""') + '"'
        if str(column_type) == "VARCHAR":
            column = (
                f"case when regexp_matches({column}, '{_FORMULA_START}') then '''' || {column} else {column} end"
                f" as {column}"
            )
        columns.append(column)
    return result.project(", ".join(columns))


def run_query(warehouse: Path, sql: str, out: Path | None = None, max_rows: int = 100) -> QueryResult:
    """Run ``sql`` read-only; with ``out`` write every row there, otherwise keep up to ``max_rows`` for display."""
    with read_only(warehouse) as con:
        relation = con.sql(sql)
        if relation is None:
            raise ValueError("the SQL returns no result: give a SELECT (or another statement that returns rows)")
        if out is not None:
            row_count = write_relation(relation, out)
            return QueryResult(columns=relation.columns, rows=[], row_count=row_count, out=out)
        rows = relation.limit(max_rows + 1).fetchall()
        return QueryResult(
            columns=relation.columns,
            rows=rows[:max_rows],
            row_count=len(rows) if len(rows) <= max_rows else len(relation),
        )


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    row_count: int
    out: Path | None = None

    @property
    def truncated(self) -> bool:
        return self.row_count > len(self.rows)
