"""PDF → `Document` with pdfplumber, the characters from pdfium where it reads them faithfully (`pdfium_chars`).

Per page: ruled tables by line/rect detection, body text lines outside the
tables in reading order, and running headers, footers and page numbers removed.
Pages without any drawn rules skip pdfplumber's table finder (its cost is most
of the extraction time) and instead get a cheap search for text-aligned tables,
made once every page is read: such a table is told from the body text by its
smaller type, and the body's size is the document's, not the pages' so far (a
report whose first pages are mostly tables would take the tables' size for it).
"""

from __future__ import annotations

import bisect
import gc
import logging
import re
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Final

import pdfplumber
from pdfminer import pdftypes
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import LITERAL_FORM
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.table import Table as FoundTable
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from extract.document import pdfium_chars, pdfium_graphics
from extract.document.errors import ExtractionError
from extract.document.model import Document, Line, Link, Page, Table, TableRow
from extract.document.tables import GRID, ROW_RULES, Box, plausible_rows, row_ruled_settings
from extract.text.join import join_wrapped

# Edges of the page where running headers and footers live, as a share of its height.
_MARGIN_SHARE = 0.09
# A header/footer candidate must repeat on at least this share of pages.
_REPEAT_SHARE = 0.5
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*(\d{1,4}|[ivxlcdm]{1,6})\s*[-–]?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SYMBOL_FONT = re.compile(r"dingbat|wingding|symbol", re.IGNORECASE)
# A drawn list marker (a dot or square in front of a line) is at most this many points wide and high,
# at most this share of the line's font size, and ends at most this many font sizes before the text.
_MARKER_MAX = 8.0
_MARKER_EMS = 0.6
_MARKER_GAP_EMS = 2.0
# A word belongs to a text line whose top is less than this many points from its own.
_SAME_LINE = 2.0
# Aligned tables (no rules, no fills): a gap wider than this many font sizes separates two cells (a word
# space, even stretched in justified text, is well under one); cells of one column start within this many
# points; lines of one table differ in height by at most this many points and are at most this many font
# sizes apart (further is the space around a paragraph); rows are set apart by more than this many font
# sizes beyond the spacing of wrapped lines.
_CELL_GAP_EMS = 1.0
_COLUMN_TOLERANCE = 4.0
_SAME_SIZE = 0.5
_TABLE_GAP_EMS = 1.5
_ROW_GAP_EMS = 0.3
# A line with at least this many cell-wide gaps, all within this many font sizes of each other, between
# mostly single words, is a justified line of prose (its word spaces stretched alike), not table cells.
_JUSTIFIED_MIN_GAPS = 3
_JUSTIFIED_SPREAD_EMS = 0.3
# The cells of a 2-column aligned table are set apart by more than this many font sizes.
_TWO_COLUMN_GAP_EMS = 4.0
# A single aligned row is a table (the rest of one on a new page) when it fills this many columns or more.
_LONE_ROW_MIN_COLUMNS = 3
# A one-row ruled grid this wide is a table row cut off from its table by full-width text
# (e.g. a section row drawn outside the grid), not a text box: keep it as a table.
_LONE_ROW_MIN_CELLS = 5
_LONE_ROW_MIN_FILLED = 3

# A line of prose fills at least this share of the widest text line of its page.
_PROSE_WIDTH_SHARE = 0.8
# An aligned table's column left edges and text height.
AlignedColumns = tuple[list[float], float]
# A line's cells (left edge, text) and whether its first two cells are far apart (see `_gutter`).
LineCells = tuple[list[tuple[float, str]], bool]


class _DamagedStreams:
    """Compressed streams pdfminer could not decode.  Outside its strict mode (which refuses much that real
    reports do) pdfminer replaces such a stream with nothing and says nothing, so a damaged page reads as a
    page with less text: counting them is how the reader knows text was lost."""

    count = 0
    decompress_corrupted = pdftypes.decompress_corrupted

    @classmethod
    def counting(cls, data: bytes) -> bytes:
        try:
            return cls.decompress_corrupted(data)
        except zlib.error:
            cls.count += 1
            raise


pdftypes.decompress_corrupted = _DamagedStreams.counting
_DAMAGED = "a compressed stream of the file is damaged and its text cannot be read; re-download or re-save the PDF"


# Where a page's characters come from: pdfium where it can give them faithfully (see `pdfium_chars`), pdfplumber
# (pdfminer's layout, the reference) on the other pages; or pdfplumber on every page.  Both give identical records
# on every document of the reference corpus and the layout matrix (benchmarks/pdfium_compare.py); pdfium's are
# read in a fraction of the CPU time (issue 17, item 4).
PDFPLUMBER: Final = "pdfplumber"
PDFIUM: Final = "pdfium"
CHARACTER_SOURCE = PDFIUM
_log = logging.getLogger(__name__)


def read_pdf(
    path: Path, character_source: str | None = None, fallbacks: pdfium_chars.Fallbacks | None = None
) -> Document:
    """Open a PDF and build its document model, or raise `ExtractionError`.

    ``character_source`` overrides `CHARACTER_SOURCE`; ``fallbacks`` counts the pages pdfium did not read, by reason
    (they are logged at debug level too).
    """
    source = character_source or CHARACTER_SOURCE
    name = path.name
    if path.stat().st_size == 0:
        raise ExtractionError(name, "file is empty (0 bytes)")
    with path.open("rb") as handle:
        magic = handle.read(1024)
    if b"%PDF-" not in magic:
        raise ExtractionError(name, "not a PDF: the file does not start with a %PDF- header")
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        raise ExtractionError(name, _describe_open_error(exc.args[0] if exc.args else exc)) from exc
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise ExtractionError(name, f"encrypted PDF: {exc or 'a password is required'}") from exc
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise ExtractionError(name, f"unreadable PDF: {type(exc).__name__}: {exc}") from exc
    damaged_before = _DamagedStreams.count
    counted = fallbacks if fallbacks is not None else pdfium_chars.Fallbacks()
    pdfium_turn = _PDFIUM_TURN if source == PDFIUM else nullcontext()
    with pdf, pdfium_turn, PAUSED_COLLECTION.paused():
        fast = pdfium_chars.open_document(path) if source == PDFIUM else None
        # Closed here whatever happens, not by pypdfium2's finalizer in whichever thread collects it later.
        closing_fast = closing(fast) if fast is not None else nullcontext()
        raw_pages: list[_RawPage] = []
        with closing_fast:
            for index, plumbed in enumerate(pdf.pages, start=1):
                try:
                    before = raw_pages[-1] if raw_pages else None
                    page = plumbed
                    if fast is not None:
                        page = _with_pdfium_objects(plumbed, fast[index - 1], counted)
                    raw_pages.append(_read_page(page, index, before))
                except (ExtractionError, MemoryError):
                    # MemoryError is the per-document memory limit at work: the caller reports it as such.
                    raise
                except Exception as exc:
                    raise ExtractionError(name, f"cannot read page: {type(exc).__name__}: {exc}", page=index) from exc
                if _DamagedStreams.count > damaged_before:
                    raise ExtractionError(name, _DAMAGED, page=index)
                PAUSED_COLLECTION.page_read(plumbed)
        if fast is not None:
            _log.debug(
                "%s: %d pages with pdfium characters, pdfplumber's for %s", name, counted.pdfium_pages, counted.reasons
            )
        metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
    if not raw_pages:
        raise ExtractionError(name, "the PDF has no pages")
    if not any(p.lines or p.tables for p in raw_pages):
        raise ExtractionError(name, "no text layer: no page has extractable text (scanned or image-only PDF)", page=1)
    _find_aligned_tables(raw_pages)
    pages = _remove_running_text(raw_pages)
    tables = _merge_continued_tables(raw_pages)
    return Document(
        file_name=name,
        source_kind="pdf",
        pages=pages,
        tables=tables,
        title=metadata.get("Title") or None,
        metadata=metadata,
    )


class PausedCollection:
    """Python's automatic garbage collection paused while documents' pages are read (`read_pdf` collects the
    young generation after each page instead, `page_read`).

    Reading a page makes hundreds of thousands of objects (pdfplumber's characters, words and lines) that live
    until the page is read.  The automatic collector, run every 700 allocations, walks them again and again and
    moves them into the generations it walks together with everything the process imported: a fifth of the
    reading's CPU time on the reference corpus (3.5 of 14.7 s; 0.16 s with one collection per page).  Threads
    reading at once pause it once, and the last to finish restores it as it was.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readers = 0
        self._was_enabled = False

    @staticmethod
    def page_read(page: pdfplumber.page.Page) -> None:
        """What reading ``page`` ends with: pdfplumber's objects of it (which the PDF's list of pages would keep to
        the end of the document) let go, and the garbage reading it left collected."""
        page.close()
        gc.collect(0)

    @contextmanager
    def paused(self) -> Iterator[None]:
        with self._lock:
            if not self._readers:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._readers += 1
        try:
            yield
        finally:
            with self._lock:
                self._readers -= 1
                if not self._readers and self._was_enabled:
                    gc.enable()


PAUSED_COLLECTION = PausedCollection()
# pdfium is not thread-safe (pypdfium2's documentation says so; two threads reading at once crash the process): a
# process's threads read documents with pdfium one at a time.  The refresh reads each document in a process of its own.
_PDFIUM_TURN = threading.Lock()


def _describe_open_error(cause: object) -> str:
    text = f"{type(cause).__name__}: {cause}" if isinstance(cause, Exception) else str(cause)
    if isinstance(cause, (PDFEncryptionError, PDFPasswordIncorrect)) or "password" in text.lower():
        return f"encrypted PDF: a password is required ({text})"
    if isinstance(cause, PDFSyntaxError):
        return f"corrupt or truncated PDF: {text}"
    return f"unreadable PDF: {text}"


def _with_pdfium_objects(page, fast_page, fallbacks: pdfium_chars.Fallbacks):
    """``page`` with its characters and drawn shapes from pdfium where pdfium gives the characters faithfully
    (pdfminer then lays out nothing), else ``page`` itself."""
    chars, drawn = pdfium_chars.read_chars(fast_page, page, fallbacks)
    if chars is None:
        return page
    _decode_drawn_streams(page.page_obj.contents, page.page_obj.resources, set())
    shapes = (
        pdfium_graphics.page_shapes(fast_page, drawn, float(page.height), page.page_number, page.initial_doctop)
        if drawn
        else {}
    )
    # pdfplumber's page reads its objects from `_objects` once that is set, and lays nothing out then.
    page._objects = {"char": chars, **shapes}
    return page


# A form XObject drawn by a content stream: its name, then Do.
_DRAWN_XOBJECT = re.compile(rb"/([^\s()<>\[\]{}/%]+)\s*Do(?![^\s()<>\[\]{}/%])")


def _decode_drawn_streams(contents, resources, seen: set[int]) -> None:
    """Decode, as pdfminer would to lay the page out, its content streams and those of the forms they draw.

    pdfium reads what it can of a damaged stream without a word; pdfminer's decoding is what counts the damage
    (`_DamagedStreams`), so a page pdfium reads is damaged exactly when pdfplumber's reading would say so."""
    data = b"\n".join(pdftypes.stream_value(stream).get_data() for stream in contents)
    xobjects = pdftypes.dict_value(pdftypes.resolve1(resources) or {}).get("XObject")
    if not xobjects or b"Do" not in data:
        return
    xobjects = pdftypes.dict_value(xobjects)
    for name in {match.group(1) for match in _DRAWN_XOBJECT.finditer(data)}:
        ref = xobjects.get(_name(name))
        form = pdftypes.resolve1(ref)
        if not isinstance(form, pdftypes.PDFStream) or form.get("Subtype") is not LITERAL_FORM or "BBox" not in form:
            continue  # pdfminer draws only a form with a bounding box
        if isinstance(ref, pdftypes.PDFObjRef):
            if ref.objid in seen:
                continue
            seen.add(ref.objid)
        _decode_drawn_streams([form], form.get("Resources") or resources, seen)


def _name(token: bytes) -> str | bytes:
    """A name token of a content stream as pdfminer keys resource dictionaries: ``#xx`` escapes resolved, text
    when it is UTF-8."""
    name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda escape: bytes.fromhex(escape.group(1).decode()), token)
    try:
        return name.decode("utf-8")
    except UnicodeDecodeError:
        return name


class _RawPage:
    """A page before running headers are removed and tables merged across pages."""

    def __init__(
        self,
        number: int,
        width: float,
        height: float,
        lines: list[Line],
        tables: list[Table],
        table_bottoms: list[float],
        open_columns: list[float] | None = None,
        line_cells: list[LineCells] | None = None,
    ):
        self.number = number
        self.width = width
        self.height = height
        self.lines = lines
        self.tables = tables
        self.table_bottoms = table_bottoms
        # The column lines of the lowest table with ruled or shaded rows, for a continuation on the next page.
        self.open_columns = open_columns
        # Each line's cells, on a page without drawn tables: what the aligned-table search reads.
        self.line_cells = line_cells
        # The columns and text height of an aligned table that ends the page, for its rest on the next page.
        self.open_aligned: AlignedColumns | None = None


def _read_page(page, number: int, before: _RawPage | None = None) -> _RawPage:
    """One page's text lines and drawn tables, and where it has none, each line's cells for the aligned-table
    search; a table left open at the foot of the page ``before`` may go on at the top of this one."""
    carried = before.open_columns if before else None
    tables: list[Table] = []
    table_boxes: list[tuple[float, float, float, float]] = []
    table_bottoms: list[float] = []

    def keep(found, method: str, continues: bool = False) -> None:
        rows = [tuple(join_wrapped(c) for c in row) for row in _cell_texts(found)]
        if method == ROW_RULES.method and not continues and not plausible_rows(rows):
            return
        rows = [r for r in rows if any(r)]
        if (
            (len(rows) >= 2 and max(len(r) for r in rows) >= 2)
            or _is_lone_grid_row(rows)
            or (continues and bool(rows))
            or (method == GRID.method and _is_first_row_of_a_cut_table(rows, found.bbox, all_words, page.height))
            or (method == GRID.method and _is_piece_opening_the_page(rows, found.bbox, all_words, page.height))
        ):
            tables.append(
                Table(
                    table_no=0,
                    page_first=number,
                    page_last=number,
                    top=float(found.bbox[1]),
                    rows=[TableRow(cells=r, anchor=number) for r in rows],
                    method=method,
                )
            )
            table_boxes.append(found.bbox)
            table_bottoms.append(float(found.bbox[3]))

    lowest: tuple[float, list[float]] | None = None
    all_words: list[dict] = []
    # One grouping of characters into words serves the table search, the text lines and the aligned-table
    # search; asking pdfplumber for each separately groups every character again.
    page_words = WordExtractor().extract_wordmap(page.chars)
    if page.rects or page.lines:
        all_words = [word for word, _ in page_words.tuples]
        for found in page.find_tables(table_settings={**GRID.settings, **_close_open_rows(page)}):
            keep(found, GRID.method)
        body_top = float(page.height) * _MARGIN_SHARE
        for candidate in row_ruled_settings(page, all_words, table_boxes, body_top, carried):
            kept = len(tables)
            for found in page.find_tables(table_settings=candidate.settings):
                keep(found, ROW_RULES.method, candidate.continues)
            if len(tables) > kept and (lowest is None or candidate.box[3] > lowest[0]):
                lowest = (candidate.box[3], candidate.settings["explicit_vertical_lines"])
    body, wordmap = page, page_words
    if table_boxes:
        # Words are grouped again without the tables' characters: a line beside a table is not one with it.
        body = page.filter(lambda obj: not _inside_any(obj, table_boxes))
        wordmap = WordExtractor().extract_wordmap(body.chars)
    hyperlinks = page.hyperlinks if page.annots else []
    marks = _marker_shapes(body)
    lines: list[Line] = []
    for raw in _text_lines(body, wordmap):
        text = raw["text"].strip()
        if not text:
            continue
        chars = raw["chars"]
        font = chars[0].get("fontname", "") if chars else ""
        x0 = float(raw["x0"])
        if _SYMBOL_FONT.search(font) and len(chars) > 1 and not _SYMBOL_FONT.search(chars[1].get("fontname", "")):
            # A list marker set in a symbol font ("n" in ZapfDingbats is a square): the text layer has the
            # font's letter, not the shape; say "bullet" the way the text layer of other reports does.
            text = "• " + text[1:].lstrip()
            font = chars[1].get("fontname", "")
        elif (mark := _drawn_marker(raw, marks)) is not None:
            # A bullet drawn as a shape is not in the text layer: the line reads as if it were a glyph.
            text = "• " + text
            x0 = mark
        lines.append(
            Line(
                page=number,
                line_no=len(lines) + 1,
                text=text,
                anchor=number,
                x0=round(x0, 2),
                top=round(float(raw["top"]), 2),
                x1=round(float(raw["x1"]), 2),
                bottom=round(float(raw["bottom"]), 2),
                font_size=round(float(chars[0]["size"]), 2) if chars else None,
                bold="bold" in font.lower(),
                links=_links_on(chars, hyperlinks),
            )
        )
    # A table runs on to the next page only when nothing follows it on this one: a table that opens the next
    # page after a heading here is a new table, whatever its width.
    height = float(page.height)
    followed = lowest is not None and any(
        line.top is not None and line.top > lowest[0] and not _in_margin(line, height) for line in lines
    )
    open_columns = lowest[1] if lowest and not followed else None
    line_cells = None if table_boxes else _line_cells(lines, [word for word, _ in wordmap.tuples])
    return _RawPage(
        number, float(page.width), float(page.height), lines, tables, table_bottoms, open_columns, line_cells
    )


def _cell_texts(found: FoundTable) -> list[list[str | None]]:
    """``found.extract()``, handed only the characters centred within the table.

    pdfplumber looks through all of the page's characters for each row; a row's characters are centred within
    the row, which is within the table, so the texts are the same (the test below is pdfplumber's own)."""
    x0, top, x1, bottom = found.bbox
    inside = found.page.filter(
        lambda obj: (
            obj["object_type"] == "char"
            and x0 <= (obj["x0"] + obj["x1"]) / 2 < x1
            and top <= (obj["top"] + obj["bottom"]) / 2 < bottom
        )
    )
    return FoundTable(inside, found.cells).extract()


def _text_lines(page, wordmap) -> list[dict]:
    """``page.extract_text_lines(return_chars=True, strip=True)``, from words already grouped."""
    textmap = wordmap.to_textmap(
        layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height, presorted=True
    )
    return textmap.extract_text_lines(strip=True, return_chars=True)


def _marker_shapes(page) -> list[Box]:
    """Small filled shapes (dots, squares) that may be drawn list markers."""
    return [
        (float(shape["x0"]), float(shape["top"]), float(shape["x1"]), float(shape["bottom"]))
        for shape in (*page.curves, *page.rects)
        if shape.get("fill") and 0.5 <= shape["width"] <= _MARKER_MAX and 0.5 <= shape["height"] <= _MARKER_MAX
    ]


def _drawn_marker(raw: dict, marks: list[Box]) -> float | None:
    """The left edge of a drawn list marker in front of a text line, if there is one.

    A marker is at most about half the line's font size, sits level with the line's text and ends
    less than two font sizes before its first character.
    """
    if not marks or not raw["chars"]:
        return None
    size = float(raw["chars"][0]["size"])
    for x0, top, x1, bottom in marks:
        if (
            max(x1 - x0, bottom - top) <= size * _MARKER_EMS
            and 0 <= float(raw["x0"]) - x1 <= size * _MARKER_GAP_EMS
            and float(raw["top"]) <= (top + bottom) / 2 <= float(raw["bottom"])
        ):
            return x0
    return None


def _links_on(chars: list[dict], hyperlinks: list[dict]) -> tuple[Link, ...]:
    """The link annotations whose area covers characters of this line, with the words they cover."""
    links = []
    for link in hyperlinks:
        if not link.get("uri"):
            continue
        covered = [
            c
            for c in chars
            if link["x0"] <= (c["x0"] + c["x1"]) / 2 <= link["x1"]
            and link["top"] <= (c["top"] + c["bottom"]) / 2 <= link["bottom"]
        ]
        if covered:
            links.append(Link(uri=link["uri"], text="".join(c["text"] for c in covered).strip()))
    return tuple(links)


def _is_lone_grid_row(rows: list[tuple[str, ...]]) -> bool:
    return (
        len(rows) == 1
        and len(rows[0]) >= _LONE_ROW_MIN_CELLS
        and sum(1 for cell in rows[0] if cell) >= _LONE_ROW_MIN_FILLED
    )


def _is_first_row_of_a_cut_table(rows: list[tuple[str, ...]], box: Box, words: list[dict], height: float) -> bool:
    """Whether a one-row grid is the first row of a table cut by the page break: it fills two cells or
    more and nothing but the page footer is below it (a framed text box fills one cell)."""
    footer_top = height * (1 - _MARGIN_SHARE)
    return (
        len(rows) == 1
        and sum(1 for cell in rows[0] if cell) >= 2
        and not any(box[3] < word["top"] < footer_top for word in words)
    )


def _is_piece_opening_the_page(rows: list[tuple[str, ...]], box: Box, words: list[dict], height: float) -> bool:
    """Whether a one-row grid is the rest of a row cut by the page break: the first thing on its page, with
    columns (a framed text box has one).  Cells that were complete before the break are empty in it, so it
    may fill a single cell; the merge across pages joins it to its row."""
    body_top = height * _MARGIN_SHARE
    return (
        len(rows) == 1
        and len(rows[0]) >= 2
        and any(rows[0])
        and not any(body_top < word["bottom"] <= box[1] for word in words)
    )


def _close_open_rows(page) -> dict:
    """Table settings that close rows cut by a page break.

    When a row continues on the next page its cell borders run to the page
    bottom with no closing rule (or start at the top with no opening rule);
    without a closing rule pdfplumber drops the partial row and its text would
    leak into the body.  A synthetic rule across the dangling borders keeps it.
    """
    # Thin filled rects drawn as borders have short horizontal edges of their own: ignore those.
    horizontals = sorted(
        (e["top"], e["x0"], e["x1"]) for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 5.0
    )
    tops = [top for top, _, _ in horizontals]
    dangling: dict[float, list[float]] = {}
    for edge in page.edges:
        if edge["orientation"] != "v" or edge["bottom"] - edge["top"] < 5.0:
            continue
        x = edge["x0"]
        for y in (edge["top"], edge["bottom"]):
            # The horizontal rules near y (their tops sorted; a margin beyond the 2 points the test allows).
            near = horizontals[bisect.bisect_left(tops, y - 3.0) : bisect.bisect_right(tops, y + 3.0)]
            if not any(abs(y - top) < 2.0 and x0 - 2 <= x <= x1 + 2 for top, x0, x1 in near):
                dangling.setdefault(round(y, 1), []).append(x)
    closing = [
        {
            "x0": min(xs),
            "x1": max(xs),
            "top": y,
            "bottom": y,
            "width": max(xs) - min(xs),
            "height": 0,
            "object_type": "line",
            "orientation": "h",
        }
        for y, xs in dangling.items()
        if len(xs) >= 2
    ]
    return {"explicit_horizontal_lines": closing} if closing else {}


def _inside_any(obj, boxes) -> bool:
    if "x0" not in obj:
        return False
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _find_aligned_tables(raw_pages: list[_RawPage]) -> None:
    """Move the aligned tables of the pages without drawn tables from their lines to their tables, page by
    page (a table may go on from one page to the next), against the document's body text size."""
    body_size = _body_size(raw_pages)
    carried: AlignedColumns | None = None
    for raw in raw_pages:
        if raw.line_cells is not None:
            raw.lines, aligned, bottoms, raw.open_aligned = _split_aligned_tables(
                raw.lines, raw.line_cells, raw.number, body_size, raw.height, carried
            )
            raw.tables.extend(aligned)
            raw.table_bottoms.extend(bottoms)
            raw.line_cells = None
        carried = raw.open_aligned


def _body_size(raw_pages: list[_RawPage]) -> float:
    """The document's body text size: the text height of most characters in prose lines outside drawn tables.

    A prose line is one cell that fills most of the width its page's text takes; table rows are several cells
    and their wrapped lines narrow.  Counting every line instead would take the tables' size for the body's in
    a report that is mostly tables.  Without prose lines (a page of a table alone), every line counts.
    """
    prose: Counter[float] = Counter()
    every: Counter[float] = Counter()
    for raw in raw_pages:
        widths = [(line.x1 or 0.0) - (line.x0 or 0.0) for line in raw.lines]
        text_width = max(widths, default=0.0)
        for position, (line, width) in enumerate(zip(raw.lines, widths, strict=True)):
            size = round(_height(line), 1)
            every[size] += len(line.text)
            one_cell = raw.line_cells is None or len(raw.line_cells[position][0]) == 1
            if one_cell and width >= text_width * _PROSE_WIDTH_SHARE:
                prose[size] += len(line.text)
    counted = prose or every
    return counted.most_common(1)[0][0] if counted else 0.0


def _line_cells(lines: list[Line], words: list[dict]) -> list[LineCells]:
    """Each line's cells (its words grouped at wide gaps) and whether its first two are far apart."""
    lines_by_top = sorted((line.top, i) for i, line in enumerate(lines) if line.top is not None)
    by_line: list[list[dict]] = [[] for _ in lines]
    for word in words:
        line_index = _first_line_at(lines_by_top, word["top"])
        if line_index is not None:
            by_line[line_index].append(word)
    cells = [_segments(sorted(ws, key=lambda w: w["x0"])) for ws in by_line]
    return [(segments, _gutter(ws, segments)) for ws, segments in zip(by_line, cells, strict=True)]


def _split_aligned_tables(
    lines: list[Line],
    line_cells: list[LineCells],
    number: int,
    body_size: float,
    height: float,
    carried: AlignedColumns | None,
) -> tuple[list[Line], list[Table], list[float], AlignedColumns | None]:
    """Find tables drawn without rules or fills: runs of lines whose cells start at the columns of a header.

    Such a table is set smaller than the body text (``body_size``, the document's most common text height
    outside drawn tables): text in columns at the body's size is a page set in text columns or a panel
    beside the text.
    The first line of a run splits into at least two cells (words after a gap wider than a word space);
    every following line of the same text size, no further below than a row's padding, has its cells
    start at those columns.  Rows: a line with text in the first column starts a row, unless it follows
    the line above at the spacing of wrapped lines (the first column wraps too).  Prose never qualifies:
    its lines fill one cell each, so most of its "rows" would have a single cell.

    The rest of a table ``carried`` over from the page before (its columns and text height) is read at
    those columns; the columns of a table that runs to the foot of this page are returned for the next.
    """
    if len(lines) < 3 and carried is None:
        return lines, [], [], None
    segments = [cells for cells, _ in line_cells]
    tables: list[Table] = []
    bottoms: list[float] = []
    keep: list[Line] = []
    open_columns: list[float] | None = None
    # The first body line: where the rest of a table from the page before would be.
    first_body = next((k for k, line in enumerate(lines) if (line.top or 0.0) >= height * _MARGIN_SHARE), None)
    last_body = max((k for k, line in enumerate(lines) if not _in_margin(line, height)), default=None)
    i = 0
    while i < len(lines):
        piece = i == first_body and carried is not None and _continues_columns(lines[i], segments[i], carried)
        members, columns = _aligned_run(lines, segments, i, carried[0] if piece and carried else None)
        rows = _aligned_rows(lines, segments, members, columns) if len(members) >= 2 or piece else []
        if piece or (
            _is_aligned_table(rows, len(members))
            and _height(lines[i]) < body_size - _SAME_SIZE
            and (len(rows[0]) > 2 or all(line_cells[index][1] for index in members))
        ):
            table_rows = [TableRow(cells=row, anchor=number) for row in rows]
            tables.append(Table(0, number, number, lines[i].top, table_rows, "aligned"))
            bottoms.append(lines[members[-1]].bottom or 0.0)
            open_columns = columns if members[-1] == last_body else None
            i = members[-1] + 1
        else:
            keep.append(lines[i])
            if not _in_margin(lines[i], height):
                open_columns = None
            i += 1
    renumbered = [replace(line, line_no=n) for n, line in enumerate(keep, start=1)]
    carry = (open_columns, _height(lines[last_body])) if open_columns and last_body is not None else None
    return renumbered, tables, bottoms, carry


def _continues_columns(line: Line, cells: list[tuple[float, str]], carried: AlignedColumns) -> bool:
    """Whether a page's first body line goes on with the aligned table that ended the page before: set in
    its text size, with every cell starting at one of its columns, and not only in the first (prose there
    starts at the left margin, as the first column does)."""
    columns, size = carried
    at = [_column_at(columns, x) for x, _ in cells]
    return bool(at) and abs(_height(line) - size) <= _SAME_SIZE and None not in at and any(at)


def _aligned_run(
    lines: list[Line], segments: list[list[tuple[float, str]]], start: int, carried: list[float] | None = None
) -> tuple[list[int], list[float]]:
    """The indexes of the lines that follow ``start``'s columns, ``start`` first (only it if it has one cell),
    and the columns' left edges.

    A line whose cells start at known columns follows them; so does a line of two cells or more that
    starts in the first column and starts others where no line above did (a column that the header
    leaves empty, such as the documents column under a header row that names its indicator and area).
    """
    columns = list(carried) if carried else [x for x, _ in segments[start]]
    if len(columns) < 2:
        return [start], columns
    size = _height(lines[start])
    members = [start]
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if abs(_height(line) - size) > _SAME_SIZE or (line.top or 0.0) - (lines[members[-1]].bottom or 0.0) > (
            size * _TABLE_GAP_EMS
        ):
            break
        starts = [x for x, _ in segments[index]]
        new = [x for x in starts if _column_at(columns, x) is None]
        if not starts or (new and (len(starts) < 2 or _column_at(columns, starts[0]) != 0)):
            break
        columns = sorted([*columns, *new])
        members.append(index)
    return members, columns


def _aligned_rows(
    lines: list[Line], segments: list[list[tuple[float, str]]], members: list[int], columns: list[float]
) -> list[tuple[str, ...]]:
    """The cells of an aligned run, wrapped lines joined into their cells."""
    size = _height(lines[members[0]])
    gaps = [(lines[b].top or 0.0) - (lines[a].bottom or 0.0) for a, b in pairwise(members)] or [0.0]
    # Rows set apart by more space than wrapped lines: a line that follows closely wraps its cells, one
    # further down starts a row (even with its first column empty: a column such as the dimension is
    # printed on the first of its rows only).  With no such difference (a table of one row on its page, or
    # of single lines), a first-column line that fills fewer cells than its row's first line wraps it; any
    # other first-column line starts a row, and so does a line that fills every column but the first (a
    # row of single lines whose first cell spans it and the rows below).
    wrapped_gap = min(gaps) + size * _ROW_GAP_EMS
    splits_by_gap = max(gaps) > wrapped_gap
    rows: list[list[list[str]]] = []
    row_width = 0
    first_column_above = False
    for position, index in enumerate(members):
        cells = {_column_at(columns, x): text for x, text in segments[index]}
        in_first_column = 0 in cells
        set_apart = splits_by_gap and position > 0 and gaps[position - 1] > wrapped_gap
        wraps = (first_column_above and not set_apart) if splits_by_gap else len(cells) < row_width
        spanned = not splits_by_gap and not in_first_column and set(cells) >= set(range(1, len(columns)))
        if not rows or set_apart or spanned or (in_first_column and not wraps):
            rows.append([[] for _ in columns])
            row_width = len(cells)
        for column, text in cells.items():
            if column is not None:
                rows[-1][column].append(text)
        first_column_above = in_first_column
    return [tuple(join_wrapped("\n".join(parts)) for parts in row) for row in rows]


def _is_aligned_table(rows: list[tuple[str, ...]], n_lines: int) -> bool:
    """Whether the rows of an aligned run of ``n_lines`` lines are a table.

    Three lines or more whose rows mostly fill two cells or more; two rows that fill every cell (a
    header and one row: a short 2-column list of documents); or three lines or more that make one row
    filling three columns or more (the rest of a table on a new page, its header not repeated).
    """
    if len(rows) >= 2:
        return (n_lines >= 3 and plausible_rows(rows)) or all(all(row) for row in rows)
    return n_lines >= 3 and len(rows) == 1 and len(rows[0]) >= _LONE_ROW_MIN_COLUMNS and all(rows[0])


def _gutter(words: list[dict], cells: list[tuple[float, str]]) -> bool:
    """Whether a line of a 2-column run has its cells far apart: a label and its value, not the two text
    columns of a page (set apart by a gutter of a few font sizes) nor a list number and its item."""
    if len(cells) < 2:
        return True
    second = cells[1][0]
    before = [word for word in words if word["x1"] <= second]
    size = before[-1]["bottom"] - before[-1]["top"] if before else 0.0
    return not before or second - max(word["x1"] for word in before) > size * _TWO_COLUMN_GAP_EMS


def _column_at(columns: list[float], x: float) -> int | None:
    return next((k for k, start in enumerate(columns) if abs(start - x) <= _COLUMN_TOLERANCE), None)


def _height(line: Line) -> float:
    return (line.bottom or 0.0) - (line.top or 0.0)


def _first_line_at(lines_by_top: list[tuple[float, int]], top: float) -> int | None:
    """The first line in reading order whose top is within 2 pt of ``top`` (a word's line).

    Binary search over the lines sorted by top instead of a scan of every line per word: pages
    with many words and lines made that scan a visible share of the extraction time.
    """
    nearby = []
    for position in range(bisect.bisect_left(lines_by_top, (top - _SAME_LINE - 0.01,)), len(lines_by_top)):
        line_top, index = lines_by_top[position]
        if line_top >= top + _SAME_LINE + 0.01:
            break
        if abs(top - line_top) < _SAME_LINE:
            nearby.append(index)
    return min(nearby, default=None)


def _segments(words: list[dict]) -> list[tuple[float, str]]:
    """A line's cells: runs of words split where the gap is wider than a word space, even a stretched one.

    A justified line stretches every word space alike, possibly beyond the cell gap, so its "cells" are
    mostly single words with gaps all alike; a table row's cells are mostly phrases.  Such a line is one cell.
    """
    segments: list[tuple[float, list[str]]] = []
    gaps = []
    last_x1 = None
    for word in words:
        if last_x1 is None or word["x0"] - last_x1 > (word["bottom"] - word["top"]) * _CELL_GAP_EMS:
            if last_x1 is not None:
                gaps.append(word["x0"] - last_x1)
            segments.append((word["x0"], [word["text"]]))
        else:
            segments[-1][1].append(word["text"])
        last_x1 = word["x1"]
    size = words[0]["bottom"] - words[0]["top"] if words else 0.0
    single_words = sum(1 for _, parts in segments if len(parts) == 1)
    if (
        len(gaps) >= _JUSTIFIED_MIN_GAPS
        and max(gaps) - min(gaps) <= size * _JUSTIFIED_SPREAD_EMS
        and single_words * 2 > len(segments)
    ):
        return [(segments[0][0], " ".join(word["text"] for word in words))]
    return [(x0, " ".join(parts)) for x0, parts in segments]


def _normalise(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())


def _remove_running_text(raw_pages: list[_RawPage]) -> list[Page]:
    """Drop lines that repeat in the page margins across the document, and page numbers."""
    candidates: Counter[str] = Counter()
    for raw in raw_pages:
        seen = {_normalise(line.text) for line in raw.lines if _in_margin(line, raw.height)}
        candidates.update(seen)
    threshold = max(2, int(len(raw_pages) * _REPEAT_SHARE))
    running = {text for text, count in candidates.items() if count >= threshold} if len(raw_pages) > 1 else set()
    pages: list[Page] = []
    for raw in raw_pages:
        body: list[Line] = []
        header = footer = printed = None
        page_number = _page_number_line(raw)
        for line in raw.lines:
            margin = _in_margin(line, raw.height)
            if line is page_number and (number := _PAGE_NUMBER.match(line.text)):
                printed = number.group(1)
                continue
            if margin and _normalise(line.text) in running and not _PAGE_NUMBER.match(line.text):
                if line.top is not None and line.top < raw.height / 2:
                    header = line.text
                else:
                    footer = line.text
                continue
            body.append(line)
        renumbered = [replace(line, line_no=n) for n, line in enumerate(body, start=1)]
        pages.append(Page(raw.number, raw.width, raw.height, renumbered, printed, header, footer))
    return pages


def _page_number_line(raw: _RawPage) -> Line | None:
    """The page number: of the number-only lines in the margins, the one nearest the page edge.

    Body text can end just above the footer with a number of its own (a list
    item "9" at the foot of a page), which must stay in the body.
    """
    numbers = [
        line
        for line in raw.lines
        if _in_margin(line, raw.height) and _PAGE_NUMBER.match(line.text) and line.top is not None
    ]
    return max(numbers, key=lambda line: abs((line.top or 0.0) - raw.height / 2), default=None)


def _in_margin(line: Line, height: float) -> bool:
    if line.top is None or line.bottom is None:
        return False
    return line.top < height * _MARGIN_SHARE or line.bottom > height * (1 - _MARGIN_SHARE)


def _is_cut_piece(first: TableRow, others: list[TableRow]) -> bool:
    """Whether the first row after a page break is the rest of the row above it.

    A row cut by the break leaves empty, on the new page, the cells that were
    complete before it: a piece has an empty cell in a column that every other
    row of the table fills.
    """
    if len(others) < 2 or all(first.cells):
        return False
    always_filled = [
        index for index in range(len(first.cells)) if all(index < len(row.cells) and row.cells[index] for row in others)
    ]
    return any(not first.cells[index] for index in always_filled) and any(first.cells)


def _merge_continued_tables(raw_pages: list[_RawPage]) -> list[Table]:
    """Join a table that continues on the next page into one table.

    A table continues when it is the first thing on its page (no body line
    above it), has as many columns as the table that ended the previous page
    (no body line below that one), and both were found the same way.  A header row repeated
    at the top of the continuation is dropped.
    """
    merged: list[Table] = []
    open_table: Table | None = None
    for raw in raw_pages:
        body_tops = [line.top for line in raw.lines if line.top is not None and not _in_margin(line, raw.height)]
        placed = sorted(zip(raw.tables, raw.table_bottoms, strict=False), key=lambda pair: pair[0].top or 0.0)
        ends_page: Table | None = None
        for position, (table, bottom) in enumerate(placed):
            at_top = position == 0 and not any(top < (table.top or 0.0) for top in body_tops)
            if (
                at_top
                and open_table is not None
                and open_table.method == table.method
                and open_table.n_cols == table.n_cols
            ):
                rows = table.rows
                if rows and rows[0].cells == open_table.rows[0].cells:
                    rows = rows[1:]
                if rows and _is_cut_piece(rows[0], open_table.rows[1:] + rows[1:]):
                    rows = [replace(rows[0], continues=True), *rows[1:]]
                open_table.rows.extend(rows)
                open_table.page_last = raw.number
                current = open_table
            else:
                table.table_no = len(merged) + 1
                merged.append(table)
                current = table
            is_last = position == len(placed) - 1
            if is_last and not any(top > bottom for top in body_tops):
                ends_page = current
        open_table = ends_page
    return merged
