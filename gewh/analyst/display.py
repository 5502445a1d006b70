"""Tables on the terminal for the analyst commands (query, status, export)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from rich.console import Console
from rich.table import Table

# Rich assumes 80 columns when output is piped; logs and CI read better wider.
_PIPED_WIDTH = 160


def make_console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(stderr=stderr, highlight=False, width=_PIPED_WIDTH)
    return console


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(item) for item in value)
    return str(value)


def print_table(
    console: Console, columns: Sequence[str], rows: Iterable[Sequence[object]], title: str | None = None
) -> None:
    rows = list(rows)
    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold", show_lines=False)
    for index, column in enumerate(columns):
        values = [row[index] for row in rows if row[index] is not None]
        numeric = bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        table.add_column(column, overflow="fold", justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(cell(value) for value in row))
    console.print(table)


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
