"""Text rendition (.txt / .md) → `Document`.

Renditions of the reports keep tables as tab-separated lines and carry a little
Markdown and HTML residue.  The whole file is one page; every line's anchor is
its 1-based line number in the file, which is what provenance columns report.
"""

from __future__ import annotations

import re
from pathlib import Path

from extract.document.errors import ExtractionError
from extract.document.model import Document, Line, Page, Table, TableRow

_MARKUP = re.compile(r"</?p>|</?br\s*/?>|\*\*|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_RULE_ROW = re.compile(r"^[\s\-|:]*$")
# A lone tab-separated line this wide is a table row cut off from its table by a
# full-width line, not prose with a stray tab: keep its cells (same rule as the PDF reader).
_LONE_ROW_MIN_CELLS = 5
_LONE_ROW_MIN_FILLED = 3


def read_text(path: Path) -> Document:
    name = path.name
    raw = path.read_bytes()
    if not raw.strip():
        raise ExtractionError(name, "file is empty (no text)")
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractionError(name, f"not UTF-8 text: byte {exc.start} cannot be decoded") from exc
    lines: list[Line] = []
    tables: list[Table] = []
    current: list[TableRow] = []

    def close_table() -> None:
        if len(current) >= 2 or _is_lone_grid_row(current):
            tables.append(Table(len(tables) + 1, 1, 1, None, list(current), "text"))
        elif current:
            for row in current:
                lines.append(_line(" ".join(c for c in row.cells if c), row.anchor))
        current.clear()

    for number, text in enumerate(content.splitlines(), start=1):
        if "\t" in text:
            cells = tuple(_clean(cell) for cell in text.split("\t"))
            if not _RULE_ROW.match(text.replace("\t", "")):
                current.append(TableRow(cells=cells, anchor=number))
            continue
        cleaned = _clean(text)
        if not cleaned:
            continue
        close_table()
        lines.append(_line(cleaned, number))
    close_table()
    lines.sort(key=lambda line: line.anchor)
    lines = [Line(1, n, line.text, line.anchor) for n, line in enumerate(lines, start=1)]
    title = lines[0].text if lines else None
    return Document(file_name=name, source_kind="text", pages=[Page(1, None, None, lines)], tables=tables, title=title)


def _is_lone_grid_row(rows: list[TableRow]) -> bool:
    return (
        len(rows) == 1
        and len(rows[0].cells) >= _LONE_ROW_MIN_CELLS
        and sum(1 for cell in rows[0].cells if cell) >= _LONE_ROW_MIN_FILLED
    )


def _line(text: str, anchor: int) -> Line:
    return Line(page=1, line_no=0, text=text, anchor=anchor)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()
