"""Body lines → paragraphs and list items, the same way for PDFs and text renditions.

A text rendition already has one paragraph per line.  A PDF wraps each
paragraph over several visual lines, splits some across pages and draws list
bullets as graphics the text layer does not contain; this module puts them
back together from the geometry the reader keeps on every `Line`:

* a new paragraph starts where the vertical gap to the previous line is larger
  than the usual line pitch for that font size, or the font size changes; a
  line in a heading font is a paragraph of its own, as in a text rendition;
* indented lines are list items; a new item starts where the previous line
  ended early (the next line's first word would have fitted on it);
* on a new page a paragraph continues when the last line of the previous page
  ran to the right margin, so a sentence cut by a page break stays whole and
  remembers both pages.

Running text the reader could not recognise (a chapter name repeated in the
margin of a few pages) and text in a much smaller font than the body
(footnotes, chart labels) is left out.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Union

from extract.model import Document, Line, Table

_BULLET = re.compile(r"^(?:[-–•▪●◦·]|\*(?=\s))\s+")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_SPACES = re.compile(r"\s+")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|])")
# Lines in a smaller font than this share of the body size are footnotes or chart labels.
_SMALL_FONT_SHARE = 0.85
# A top-to-top distance this many times the usual pitch separates paragraphs.
_PARAGRAPH_GAP = 1.18
# Indentation (points) beyond the body's left edge that marks a list item.
_INDENT = 5.0
# How much wider than the line's average character width a word may be.
_WIDE_WORD = 1.3
_MARGIN_SHARE = 0.09
_MIN_REPEATS = 3
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph or list item with the anchors (pages or line numbers) it spans.

    ``starts`` holds the character offset at which each source line begins in
    ``text`` together with that line's anchor, so a sentence inside a long
    paragraph can name the page it is printed on.
    """

    text: str
    anchor_first: int
    anchor_last: int
    bullet: bool = False
    heading: bool = False
    starts: tuple[tuple[int, int], ...] = ()

    def anchors_between(self, start: int, end: int) -> tuple[int, int]:
        """First and last anchor of the characters ``text[start:end]``."""
        if not self.starts:
            return self.anchor_first, self.anchor_last
        offsets = [offset for offset, _ in self.starts]
        first = self.starts[max(0, bisect_right(offsets, start) - 1)][1]
        last = self.starts[max(0, bisect_right(offsets, max(start, end - 1)) - 1)][1]
        return first, last


Flow = list[Union[Paragraph, Table]]


def clean_text(text: str) -> str:
    """Collapse whitespace and drop the HTML and Markdown residue text renditions carry ("<u>…</u>", "US\\$")."""
    return _SPACES.sub(" ", _MARKDOWN_ESCAPE.sub(r"\1", _HTML_TAG.sub(" ", text))).strip()


def join_lines(parts: Iterable[str]) -> str:
    """Join wrapped lines: a line ending in a hyphen or dash right after a word continues without a space."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out[-1] in "-–" and len(out) > 1 and not out[-2].isspace():
            out += part
        else:
            out += " " + part
    return out


def document_flow(document: Document) -> Flow:
    """Paragraphs and tables of ``document`` in reading order."""
    if document.source_kind == "text":
        return _text_flow(document)
    return _PdfFlow(document).build()


def _text_flow(document: Document) -> Flow:
    flow: Flow = []
    for block in document.blocks():
        if isinstance(block, Table):
            flow.append(block)
            continue
        text = clean_text(block.text)
        bullet = bool(_BULLET.match(text))
        if bullet:
            text = _BULLET.sub("", text, count=1)
        if text:
            flow.append(Paragraph(text, block.anchor, block.anchor, bullet=bullet, starts=((0, block.anchor),)))
    return flow


class _PdfFlow:
    def __init__(self, document: Document):
        self.document = document
        lines = [line for line in document.lines() if line.font_size]
        sizes = Counter(round(line.font_size, 1) for line in lines)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 0.0
        body = [line for line in lines if abs(line.font_size - self.body_size) < 0.3]
        lefts = Counter(round(line.x0 or 0.0) for line in body)
        self.body_left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
        rights = sorted(line.x1 or 0.0 for line in body)
        self.body_right = rights[int(len(rights) * 0.95)] if rights else 0.0
        self.pitch = self._pitches(lines)
        self.running = self._repeated_margin_text()

    def build(self) -> Flow:
        flow: Flow = []
        current: list[Line] = []
        for block in self.document.blocks():
            if isinstance(block, Table):
                if current:
                    flow.append(self._paragraph(current))
                    current = []
                flow.append(block)
                continue
            if not self._keep(block):
                continue
            if current and self._starts_new(current[-1], block):
                flow.append(self._paragraph(current))
                current = []
            current.append(block)
        if current:
            flow.append(self._paragraph(current))
        return flow

    def _keep(self, line: Line) -> bool:
        if line.font_size and self.body_size and line.font_size < self.body_size * _SMALL_FONT_SHARE:
            return False
        return (line.page, _normalise(line.text)) not in self.running

    def _starts_new(self, previous: Line, line: Line) -> bool:
        if abs((line.font_size or 0) - (previous.font_size or 0)) > 0.5:
            return True
        if self._indented(line) != self._indented(previous) or self._is_heading(line) or self._is_heading(previous):
            return True
        if line.page != previous.page:
            return self._ended_early(previous, line)
        if previous.top is None or line.top is None:
            return True
        pitch = self.pitch.get(round(line.font_size or 0, 1), (line.font_size or 10) * 1.35)
        if line.top - previous.top > pitch * _PARAGRAPH_GAP:
            return True
        return self._indented(line) and self._ended_early(previous, line)

    def _paragraph(self, lines: list[Line]) -> Paragraph:
        starts: list[tuple[int, int]] = []
        text = ""
        for line in lines:
            part = line.text.strip()
            joined = join_lines([text, part]) if text else part
            starts.append((len(joined) - len(part), line.anchor))
            text = joined
        return Paragraph(
            text=clean_text(text),
            anchor_first=lines[0].anchor,
            anchor_last=lines[-1].anchor,
            bullet=self._indented(lines[0]),
            heading=self._is_heading(lines[0]),
            starts=tuple(starts),
        )

    def _indented(self, line: Line) -> bool:
        return (line.x0 or 0.0) > self.body_left + _INDENT and not self._is_heading(line)

    def _is_heading(self, line: Line) -> bool:
        return bool(line.font_size) and line.font_size > self.body_size + 0.5

    def _ended_early(self, previous: Line, line: Line) -> bool:
        """Whether ``line``'s first word would have fitted at the end of ``previous``."""
        if previous.x0 is None or previous.x1 is None or not previous.text:
            return True
        char_width = (previous.x1 - previous.x0) / max(len(previous.text), 1)
        first_word = line.text.split(" ", 1)[0]
        # Capitals and wide letters run over the average width: only a clear gap counts.
        needed = char_width * (len(first_word) + 1) * _WIDE_WORD
        return previous.x1 + needed < self.body_right - 1.0

    @staticmethod
    def _pitches(lines: list[Line]) -> dict[float, float]:
        gaps: dict[float, list[float]] = {}
        for previous, line in zip(lines, lines[1:]):
            if previous.page != line.page or previous.top is None or line.top is None:
                continue
            if round(previous.font_size or 0, 1) != round(line.font_size or 0, 1):
                continue
            gap = line.top - previous.top
            if 0 < gap < (line.font_size or 10) * 3:
                gaps.setdefault(round(line.font_size or 0, 1), []).append(gap)
        return {size: min(statistics.median(values), min(values) * 1.1) for size, values in gaps.items()}

    def _repeated_margin_text(self) -> set[tuple[int, str]]:
        seen: dict[str, set[int]] = {}
        where: dict[str, list[int]] = {}
        for page in self.document.pages:
            if not page.height:
                continue
            for line in page.lines:
                if line.top is None or line.bottom is None:
                    continue
                if line.top < page.height * _MARGIN_SHARE or line.bottom > page.height * (1 - _MARGIN_SHARE):
                    key = _normalise(line.text)
                    seen.setdefault(key, set()).add(page.number)
                    where.setdefault(key, []).append(page.number)
        return {
            (page_no, key)
            for key, pages in seen.items()
            if len(pages) >= _MIN_REPEATS
            for page_no in where[key]
        }


def _normalise(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())
