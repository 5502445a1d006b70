"""Body lines → paragraphs and list items, the same way for PDFs and text renditions.

A text rendition already has one paragraph per line.  A PDF wraps each
paragraph over several visual lines and splits some across pages; this module
puts them back together from the geometry the reader keeps on every `Line`:

* a new paragraph starts where the vertical gap to the previous line is larger
  than the usual line pitch for that font size, or the font size changes;
  headings are paragraphs of their own (one per line, as in a text rendition,
  unless a long heading wraps onto a second line);
* a list item is known by its marker: a line starting with a bullet glyph
  (the reader writes drawn bullet shapes and symbol-font markers as "•"), or
  a number or letter ("2.", "(b)") on a line indented by about an em from the
  body text's left edge.  Indentation alone is no marker: text set in an
  inset box is indented too.  An indented line where the previous line ended
  early (the next line's first word would have fitted on it) starts a new
  paragraph;
* on a new page a paragraph continues when the last line of the previous page
  ran to the right margin and the page was full, so a sentence cut by a page
  break stays whole and remembers both pages.

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
from itertools import pairwise

from extract.document.model import HEADING_SIZE_MARGIN, Document, Line, Table
from extract.text.clean import clean
from extract.text.join import join_lines

# List markers of text renditions (Markdown), and bullet glyphs as PDF text layers give them: symbol-font
# bullets often come out as "(cid:127)" or a private-use character.  A dash starts a list item only in
# text renditions; in a PDF a wrapped line may begin with a sentence's dash.
_GLYPHS = "•▪●◦\uf0b7\uf0a7\uf076\uf0d8"
_TEXT_BULLET = re.compile(rf"^(?:[-–*·{_GLYPHS}]|\(cid:\d+\))\s+")
_GLYPH_BULLET = re.compile(rf"^(?:[{_GLYPHS}]|\(cid:\d+\))\s*")
# A numbered or lettered list marker: "2.", "2)", "(b)", "b)", "iv.".
_ENUMERATOR = re.compile(r"^(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})\)|(?:\d{1,2}|[a-z]|[ivx]{1,4})\.)\s")
# Lines in a smaller font than this share of the body size are footnotes or chart labels.
_SMALL_FONT_SHARE = 0.85
# A top-to-top distance this many times the usual pitch separates paragraphs.
_PARAGRAPH_GAP = 1.18
# Indentation beyond the left edge of the body text, in body font sizes, that sets a line apart from the
# body: designers indent lists by about one em or more.
_INDENT_EMS = 0.8
# Line spacing inside a paragraph is at most this many font sizes.
_MAX_LEADING = 1.6
# Lines of one heading are at most this many font sizes apart.
_WRAPPED_HEADING = 1.4
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


Flow = list[Paragraph | Table]


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
        text = clean(block.text)
        bullet = bool(_TEXT_BULLET.match(text))
        if bullet:
            text = _TEXT_BULLET.sub("", text, count=1)
        if text:
            flow.append(Paragraph(text, block.anchor, block.anchor, bullet=bullet, starts=((0, block.anchor),)))
    return flow


class _PdfFlow:
    def __init__(self, document: Document):
        self.document = document
        lines = [line for line in document.lines() if line.font_size]
        self.body_size = document.body_font_size() or 0.0
        body = [line for line in lines if abs((line.font_size or 0.0) - self.body_size) < 0.3]
        lefts = Counter(round(line.x0 or 0.0) for line in body)
        self.body_left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
        rights = sorted(line.x1 or 0.0 for line in body)
        self.body_right = rights[int(len(rights) * 0.95)] if rights else 0.0
        self.pitch = self._pitches(lines)
        self.running = self._repeated_margin_text()
        self.floor = self._page_floors()

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
        if self._is_heading(line) and self._is_heading(previous):
            return not self._wrapped_heading(previous, line)
        if _GLYPH_BULLET.match(line.text) or self._is_heading(line) or self._is_heading(previous):
            return True
        if not _GLYPH_BULLET.match(previous.text) and abs((line.font_size or 0) - (previous.font_size or 0)) > 0.5:
            return True
        if self._indented(line) != self._indented(previous):
            return True
        if line.page != previous.page:
            return self._ended_early(previous, line) or self._ended_with_room_left(previous)
        if previous.top is None or line.top is None:
            return True
        pitch = self.pitch.get(round(line.font_size or 0, 1), (line.font_size or 10) * 1.35)
        if line.top - previous.top > pitch * _PARAGRAPH_GAP:
            return True
        return self._indented(line) and self._ended_early(previous, line)

    def _paragraph(self, lines: list[Line]) -> Paragraph:
        starts: list[tuple[int, int]] = []
        text = ""
        glyph = bool(_GLYPH_BULLET.match(lines[0].text))
        for index, line in enumerate(lines):
            part = _GLYPH_BULLET.sub("", line.text.strip(), count=1) if index == 0 and glyph else line.text.strip()
            joined = join_lines([text, part]) if text else part
            starts.append((len(joined) - len(part), line.anchor))
            text = joined
        return Paragraph(
            text=clean(text),
            anchor_first=lines[0].anchor,
            anchor_last=lines[-1].anchor,
            bullet=glyph or (self._indented(lines[0]) and bool(_ENUMERATOR.match(lines[0].text))),
            heading=self._is_heading(lines[0]),
            starts=tuple(starts),
        )

    @staticmethod
    def _wrapped_heading(previous: Line, line: Line) -> bool:
        """A heading set over two lines sits closer than a heading-font line apart; stacked headings do not."""
        if previous.page != line.page or previous.top is None or line.top is None:
            return False
        size = line.font_size or 0
        return abs(size - (previous.font_size or 0)) <= 0.5 and 0 < line.top - previous.top <= size * _WRAPPED_HEADING

    def _indented(self, line: Line) -> bool:
        return (line.x0 or 0.0) > self.body_left + self.body_size * _INDENT_EMS and not self._is_heading(line)

    def _is_heading(self, line: Line) -> bool:
        # A bullet glyph is often set larger than the text it introduces.
        size = line.font_size or 0.0
        return size > self.body_size + HEADING_SIZE_MARGIN and not _GLYPH_BULLET.match(line.text)

    def _ended_early(self, previous: Line, line: Line) -> bool:
        """Whether ``line``'s first word would have fitted at the end of ``previous``."""
        if previous.x0 is None or previous.x1 is None or not previous.text:
            return True
        char_width = (previous.x1 - previous.x0) / max(len(previous.text), 1)
        first_word = line.text.split(" ", 1)[0]
        # Capitals and wide letters run over the average width: only a clear gap counts.
        needed = char_width * (len(first_word) + 1) * _WIDE_WORD
        return previous.x1 + needed < self.body_right - 1.0

    def _ended_with_room_left(self, line: Line) -> bool:
        """A sentence ends the page although another line would have fitted: the paragraph ended there."""
        if line.top is None or not re.search(r"[.!?:;][\"”’)]?$", line.text.strip()):
            return False
        pitch = self.pitch.get(round(line.font_size or 0, 1), (line.font_size or 10) * 1.35)
        return line.top + pitch <= self.floor.get(line.page, 0.0) + 0.5

    def _page_floors(self) -> dict[int, float]:
        """Per page, the lowest top a body line can have: the document's lowest, or above the footnotes."""
        kept_tops: dict[int, list[float]] = {}
        dropped_tops: dict[int, list[float]] = {}
        for line in self.document.lines():
            if line.top is None:
                continue
            target = kept_tops if self._keep(line) and not self._is_heading(line) else dropped_tops
            target.setdefault(line.page, []).append(line.top)
        lowest = max((max(tops) for tops in kept_tops.values()), default=0.0)
        floors = {}
        for page, tops in kept_tops.items():
            below = [top for top in dropped_tops.get(page, []) if top > max(tops)]
            pitch = self.pitch.get(round(self.body_size, 1), self.body_size * 1.35)
            floors[page] = min(lowest, min(below) - pitch) if below else lowest
        return floors

    @staticmethod
    def _pitches(lines: list[Line]) -> dict[float, float]:
        gaps: dict[float, list[float]] = {}
        for previous, line in pairwise(lines):
            if previous.page != line.page or previous.top is None or line.top is None:
                continue
            if round(previous.font_size or 0, 1) != round(line.font_size or 0, 1):
                continue
            gap = line.top - previous.top
            size = line.font_size or 10
            # Lines closer than a font size apart sit side by side (columns, boxes), not one below the other.
            if size * 0.8 < gap < size * 3:
                gaps.setdefault(round(size, 1), []).append(gap)
        # The line pitch inside paragraphs is the most common gap of at most ~1.6 font sizes (leading is
        # usually 1.2-1.4 sizes); wider gaps separate paragraphs, and may be the commoner ones in a report
        # of short paragraphs.
        pitches = {}
        for size, values in gaps.items():
            leading = [g for g in values if g <= size * _MAX_LEADING] or [min(values)]
            mode = _mode(leading)
            pitches[size] = statistics.median([g for g in leading if abs(g - mode) < 0.75])
        return pitches

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
        return {(page_no, key) for key, pages in seen.items() if len(pages) >= _MIN_REPEATS for page_no in where[key]}


def _mode(values: list[float]) -> float:
    return Counter(round(v * 2) / 2 for v in values).most_common(1)[0][0]


def _normalise(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())
