"""Reading a published warehouse in tests, the way analysts do: read-only."""

from __future__ import annotations

from pathlib import Path

from gewh.analyst.query import read_only


def fetch_all(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with read_only(warehouse) as con:
        return con.execute(sql, params or []).fetchall()
