"""The document model every parser reads: pages, body lines and tables.

A PDF and a text rendition of the same report produce the same kind of
`Document`, so parsers are written once.  Every line and table row carries an
``anchor``: the PDF page number, or for text renditions the line number in the
file.  Parsers copy anchors into their records as ``source_page`` so an analyst
can open the report at the figure.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["pdf", "text", "csv"]
# A heading set in a larger font than the body text is larger by more than this many points.
HEADING_SIZE_MARGIN = 0.5


@dataclass(frozen=True)
class Link:
    """A link annotation on a line: where it points and the words of the line it covers."""

    uri: str
    text: str


@dataclass(frozen=True)
class Line:
    """One line of body text (running headers, footers and page numbers removed)."""

    page: int
    line_no: int
    text: str
    anchor: int
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    font_size: float | None = None
    bold: bool = False
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class TableRow:
    """One row of a table; ``anchor`` is where this row sits in the source.

    ``continues`` marks the rest of the row above it, cut by a page break: the
    reader keeps the two pieces apart so each keeps its page, and parsers join them.
    """

    cells: tuple[str, ...]
    anchor: int
    continues: bool = False


@dataclass
class Table:
    """A table, merged across page breaks when it continues with the same columns.

    ``method`` says how it was found: ``ruled`` (drawn cell borders), ``aligned``
    (text columns without rules) or ``text`` (tab-separated text rendition).
    """

    table_no: int
    page_first: int
    page_last: int
    top: float | None
    rows: list[TableRow]
    method: str

    @property
    def n_cols(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


Block = Line | Table


@dataclass
class Page:
    number: int
    width: float | None
    height: float | None
    lines: list[Line]
    printed_page_no: str | None = None
    header: str | None = None
    footer: str | None = None


@dataclass
class Document:
    """A report as parsers see it."""

    file_name: str
    source_kind: SourceKind
    pages: list[Page]
    tables: list[Table]
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def lines(self) -> Iterator[Line]:
        for page in self.pages:
            yield from page.lines

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines())

    def content_fingerprint(self) -> str:
        """A digest of what the report says, not of its bytes: the words of its lines and table cells in
        reading order, with spacing and line breaks ignored.  A re-saved or re-exported copy (other metadata,
        other byte layout) has the same fingerprint; any change of wording changes it."""
        digest = hashlib.sha256()
        for block in self.blocks():
            texts = [block.text] if isinstance(block, Line) else [cell for row in block.rows for cell in row.cells]
            for text in texts:
                for word in text.split():
                    digest.update(word.encode())
                    digest.update(b" ")
        return digest.hexdigest()

    def body_font_size(self) -> float | None:
        """The size most lines are set in (None for a text rendition, which has no typography)."""
        sizes = Counter(round(line.font_size, 1) for line in self.lines() if line.font_size)
        return sizes.most_common(1)[0][0] if sizes else None

    def blocks(self) -> Iterator[Block]:
        """Lines and tables in reading order (a table sits where it starts)."""
        tables_by_page: dict[int, list[Table]] = {}
        for table in self.tables:
            tables_by_page.setdefault(table.page_first, []).append(table)
        for page in self.pages:
            pending = sorted(tables_by_page.get(page.number, []), key=_table_order)
            for line in page.lines:
                while pending and _before(pending[0], line):
                    yield pending.pop(0)
                yield line
            yield from pending


def set_apart(line: Line, body_font_size: float | None) -> bool:
    """Whether a line is set apart from the body text as headings are: bold, or larger than the body size."""
    if body_font_size is None or line.font_size is None:
        return False
    return line.bold or line.font_size > body_font_size + HEADING_SIZE_MARGIN


def _table_order(table: Table) -> float:
    return table.top if table.top is not None else float(table.rows[0].anchor if table.rows else 0)


def _before(table: Table, line: Line) -> bool:
    if table.top is not None and line.top is not None:
        return table.top <= line.top
    first_anchor = table.rows[0].anchor if table.rows else 0
    return first_anchor <= line.anchor
