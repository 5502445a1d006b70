"""Text assembled from fragments that remembers where each fragment came from.

The same cell or paragraph reaches a parser cut in different places: the PDF
wraps lines and splits cells at page breaks, the text rendition breaks rows
at other words.  Adding the fragments to a `Span` cleans and joins them into
one canonical string either way, and keeps the pages (or text lines) the
string came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.document.model import Line
from extract.text.clean import clean
from extract.text.join import join_lines


@dataclass
class Span:
    """Text assembled from fragments, with the anchors (pages or text lines) it spans."""

    text: str = ""
    anchors: list[int] = field(default_factory=list)
    # Start offset in ``text`` of each fragment, with that fragment's anchor.
    offsets: list[tuple[int, int]] = field(default_factory=list)

    def add(self, fragment: str, anchor: int) -> None:
        fragment = clean(fragment)
        if not fragment:
            return
        joined = join_lines([self.text, fragment])
        self.offsets.append((len(joined) - len(fragment), anchor))
        self.text = joined
        self.anchors.append(anchor)

    @property
    def first(self) -> int | None:
        return min(self.anchors) if self.anchors else None

    @property
    def last(self) -> int | None:
        return max(self.anchors) if self.anchors else None

    def anchor_at(self, position: int) -> int | None:
        """The anchor of the fragment that holds character ``position``."""
        found = self.first
        for start, anchor in self.offsets:
            if start > position:
                break
            found = anchor
        return found

    def value(self) -> str | None:
        return clean(self.text) or None


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group body lines into paragraphs.

    A text rendition separates paragraphs with blank lines (a gap in line
    numbers); a PDF with a taller gap between lines than the line spacing.  At
    a page break a paragraph goes on unless its last line ended a sentence.
    """
    groups: list[list[Line]] = []
    for line in lines:
        if groups and _continues(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _continues(previous: Line, line: Line) -> bool:
    if previous.top is None or line.top is None:
        return line.anchor - previous.anchor <= 1
    if line.page != previous.page:
        return not previous.text.rstrip().endswith((".", ":", "!", "?"))
    size = previous.font_size or 10.0
    return 0 < line.top - previous.top <= size * 1.5


def span_of(lines: list[Line]) -> Span:
    span = Span()
    for line in lines:
        span.add(line.text, line.anchor)
    return span
