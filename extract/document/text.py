"""Text rendition (.txt / .md) → `Document`.

Renditions of the reports keep tables as tab-separated lines and carry a little
Markdown and HTML residue.  The whole file is one page; every line's anchor is
its 1-based line number in the file, which is what provenance columns report.
"""

from __future__ import annotations

import codecs
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
# Spreadsheet programs and Windows editors save text as UTF-8 behind a byte-order mark, or as UTF-16 behind one;
# without a mark, text is read as UTF-8.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text_file(path: Path) -> str:
    """The text in the file at ``path`` (UTF-8, or UTF-8/UTF-16 behind a byte-order mark), or `ExtractionError`
    saying why there is none: empty, only whitespace, or the offset of the first byte that cannot be decoded."""
    name = path.name
    raw = path.read_bytes()
    if not raw:
        raise ExtractionError(name, "file is empty (0 bytes)")
    mark, encoding = next(((mark, code) for mark, code in _BYTE_ORDER_MARKS if raw.startswith(mark)), (b"", "utf-8"))
    try:
        text = raw[len(mark) :].decode(encoding)
    except UnicodeDecodeError as exc:
        offset = len(mark) + exc.start
        raise ExtractionError(
            name, f"not {encoding.upper()} text: byte {offset} (0x{raw[offset]:02x}) cannot be decoded"
        ) from exc
    # UTF-16 without a mark decodes as UTF-8 full of NULs: say so rather than load that as text.
    nul = raw.find(b"\x00")
    if not mark and nul >= 0:
        raise ExtractionError(name, f"not text: byte {nul} is NUL (UTF-16 is read only behind a byte-order mark)")
    if not text.strip():
        raise ExtractionError(name, f"holds only whitespace ({len(raw)} bytes)")
    return text


def read_text(path: Path) -> Document:
    name = path.name
    content = read_text_file(path)
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
