"""The one definition of a report's cover: its title and the body lines of its title page.

Templates differ only in how long the title page runs, so each layout states
that as a `Cover`: at most ``lines`` body lines, ending early at the first
table or before a line that opens the contents, when the template says so.
Some covers set their facts in a table ("Title of the evaluation | …"):
`cover_entries` reads those rows too, each as one entry beside the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document.model import Document, Line, Table
from extract.text.clean import clean


@dataclass(frozen=True)
class Cover:
    lines: int
    ends_at_table: bool = False
    ends_before: re.Pattern[str] | None = None


def cover_lines(document: Document, cover: Cover) -> list[Line]:
    found: list[Line] = []
    for block in document.blocks() if cover.ends_at_table else document.lines():
        if isinstance(block, Table) or len(found) >= cover.lines:
            break
        if found and cover.ends_before is not None and cover.ends_before.match(clean(block.text)):
            break
        found.append(block)
    return found


@dataclass(frozen=True)
class CoverEntry:
    """A line of the cover, or a row of a table on it (its cells joined by a space), and where it is printed."""

    text: str
    anchor: int


def cover_entries(document: Document, cover: Cover) -> list[CoverEntry]:
    """The cover's lines and the rows of its tables in reading order, at most ``cover.lines`` of them.

    A table ends the cover where the template says so (``ends_at_table``); otherwise its rows are read
    like lines, since a cover's table holds its facts, not the report's.
    """
    found: list[CoverEntry] = []
    for block in document.blocks():
        if isinstance(block, Table):
            if cover.ends_at_table:
                break
            rows = [
                CoverEntry(" ".join(clean(cell) for cell in row.cells if clean(cell)), row.anchor) for row in block.rows
            ]
            found.extend(entry for entry in rows if entry.text)
        else:
            if found and cover.ends_before is not None and cover.ends_before.match(clean(block.text)):
                break
            found.append(CoverEntry(block.text, block.anchor))
        if len(found) >= cover.lines:
            break
    return found[: cover.lines]


def cover_text(document: Document, cover: Cover, separator: str = "\n", with_title: bool = False) -> str:
    """The cover as one string; ``with_title`` puts the document's own title first."""
    text = separator.join(line.text for line in cover_lines(document, cover))
    return f"{document.title or ''} {text}" if with_title else text
