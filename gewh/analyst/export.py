"""`gewh export`: every mart as Parquet and CSV files, for BI tools that cannot open a DuckDB file.

Layout under the chosen folder: ``parquet/<mart>.parquet`` (types kept, lists as
lists) and ``csv/<mart>.csv`` (header row, UTF-8, lists written as ``[a, b]``).
Each file is written beside its final name and renamed over it, so a BI tool
reading the folder never sees a half-written file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gewh.analyst.query import read_only, write_relation

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class ExportedMart:
    mart: str
    rows: int
    files: tuple[Path, ...]


def mart_names(con) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_catalog = current_database() order by table_name"
        ).fetchall()
    ]


def export_marts(warehouse: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[ExportedMart]:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s) {sorted(unknown)}; choose from {', '.join(FORMATS)}")
    exported = []
    with read_only(warehouse) as con:
        for mart in mart_names(con):
            relation = con.table(f'marts."{mart}"')
            files = []
            for kind in formats:
                target = out_dir / kind / f"{mart}.{kind}"
                partial = target.with_name(f".{mart}.partial.{kind}")
                write_relation(relation, partial)
                os.replace(partial, target)
                files.append(target)
            exported.append(ExportedMart(mart, len(relation), tuple(files)))
    return exported
