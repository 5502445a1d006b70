"""Text clean-up shared by the scorecard parser, so a PDF and a text rendition read alike.

The same cell or paragraph reaches the parser cut in different places: the PDF
wraps lines and splits cells at page breaks, the text rendition breaks rows
at other words and keeps Markdown/HTML residue.  Joining fragments through
`Span` and normalising with `clean` gives one canonical string either way,
and remembers which pages (or text lines) the string came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.model import Line

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(#?[^)\s]*\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_BOLD = re.compile(r"\*\*")
_TAGS = re.compile(r"</?(?:p|br|b|i|strong|em)\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# "macro- economics": a word broken at a hyphen and re-joined with a space.  Suspended
# hyphens ("pre- and post-") keep their space.
_BROKEN_HYPHEN = re.compile(r"(?<=[a-z])- (?!(?:and|or|to|nor)\b)(?=[a-z])")
# The end of a URL cut at a line break: the next fragment continues it without a space.
_OPEN_URL = re.compile(r"(?:https?://|www\.)\S*[/?&=#_.]$")


def clean(text: str | None) -> str:
    """One line of report text without markup residue or doubled spaces."""
    if not text:
        return ""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _TAGS.sub("", text)
    text = _BOLD.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return _BROKEN_HYPHEN.sub("-", text)


def join_text(left: str, right: str) -> str:
    """Join two fragments of one sentence cut by a line, row or page break."""
    if not left:
        return right
    if not right:
        return left
    if (left.endswith("-") and len(left) > 1 and left[-2].isalnum()) or _OPEN_URL.search(left):
        return left + right
    return f"{left} {right}"


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
        joined = join_text(self.text, fragment)
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
