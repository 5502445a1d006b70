"""Typed records that parsers emit, and the registry that staging reads.

Each record type is a dataclass registered under the staging table it loads
into.  Staging creates every registered table up front (so dbt sources always
exist, even before the first report of a kind arrives) and adds the
``document_id`` column itself: parsers never deal with storage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")

RECORD_TABLES: dict[str, type] = {}


def record(table: str) -> Callable[[type[T]], type[T]]:
    """Register a dataclass as the row type of staging table ``table``."""

    def register(cls: type[T]) -> type[T]:
        if table in RECORD_TABLES and RECORD_TABLES[table] is not cls:
            raise ValueError(f"staging table {table!r} is already registered to {RECORD_TABLES[table].__name__}")
        RECORD_TABLES[table] = cls
        cls.__staging_table__ = table  # type: ignore[attr-defined]
        return cls

    return register


@record("report_info")
@dataclass(frozen=True)
class ReportInfo:
    """What every report says about itself; feeds `marts.dim_reports`."""

    title: str | None
    country: str | None
    report_year: int | None
    period_start: int | None
    period_end: int | None
    source_page: int | None = None


@dataclass
class ParsedReport:
    """A parser's output: the report's own description and its records by staging table."""

    info: ReportInfo
    records: dict[str, list[Any]]

    def __post_init__(self) -> None:
        for table, rows in self.records.items():
            if table not in RECORD_TABLES:
                raise ValueError(f"records for unregistered staging table {table!r}")
            expected = RECORD_TABLES[table]
            for row in rows:
                if not isinstance(row, expected):
                    raise TypeError(f"{table}: expected {expected.__name__}, got {type(row).__name__}")


def column_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]
