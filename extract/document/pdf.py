"""PDF → `Document` with pdfplumber.

Per page: ruled tables by line/rect detection, body text lines outside the
tables in reading order, and running headers, footers and page numbers removed.
Pages without any drawn rules skip pdfplumber's table finder (its cost is most
of the extraction time) and instead get a cheap search for text-aligned tables.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

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
# Minimum gap (points) between two words that separates columns of an aligned table.
_COLUMN_GAP = 18.0
# A one-row ruled grid this wide is a table row cut off from its table by full-width text
# (e.g. a section row drawn outside the grid), not a text box: keep it as a table.
_LONE_ROW_MIN_CELLS = 5
_LONE_ROW_MIN_FILLED = 3


def read_pdf(path: Path) -> Document:
    """Open a PDF and build its document model, or raise `ExtractionError`."""
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
    with pdf:
        raw_pages: list[_RawPage] = []
        for index, page in enumerate(pdf.pages, start=1):
            try:
                carried = raw_pages[-1].open_columns if raw_pages else None
                raw_pages.append(_read_page(page, index, carried))
            except (ExtractionError, MemoryError):
                # MemoryError is the per-document memory limit at work: the caller reports it as such.
                raise
            except Exception as exc:
                raise ExtractionError(name, f"cannot read page: {type(exc).__name__}: {exc}", page=index) from exc
        metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
    if not raw_pages:
        raise ExtractionError(name, "the PDF has no pages")
    if not any(p.lines or p.tables for p in raw_pages):
        raise ExtractionError(name, "no text layer: no page has extractable text (scanned or image-only PDF)", page=1)
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


def _describe_open_error(cause: object) -> str:
    text = f"{type(cause).__name__}: {cause}" if isinstance(cause, Exception) else str(cause)
    if isinstance(cause, (PDFEncryptionError, PDFPasswordIncorrect)) or "password" in text.lower():
        return f"encrypted PDF: a password is required ({text})"
    if isinstance(cause, PDFSyntaxError):
        return f"corrupt or truncated PDF: {text}"
    return f"unreadable PDF: {text}"


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
    ):
        self.number = number
        self.width = width
        self.height = height
        self.lines = lines
        self.tables = tables
        self.table_bottoms = table_bottoms
        # The column lines of the lowest table with ruled or shaded rows, for a continuation on the next page.
        self.open_columns = open_columns


def _read_page(page, number: int, carried: list[float] | None = None) -> _RawPage:
    tables: list[Table] = []
    table_boxes: list[tuple[float, float, float, float]] = []
    table_bottoms: list[float] = []

    def keep(found, method: str, continues: bool = False) -> None:
        rows = [tuple(join_wrapped(c) for c in row) for row in found.extract()]
        if method == ROW_RULES.method and not continues and not plausible_rows(rows):
            return
        rows = [r for r in rows if any(r)]
        if (len(rows) >= 2 and max(len(r) for r in rows) >= 2) or _is_lone_grid_row(rows):
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
    if page.rects or page.lines:
        for found in page.find_tables(table_settings={**GRID.settings, **_close_open_rows(page)}):
            keep(found, GRID.method)
        all_words = page.extract_words()
        body_top = float(page.height) * _MARGIN_SHARE
        for candidate in row_ruled_settings(page, all_words, table_boxes, body_top, carried):
            kept = len(tables)
            for found in page.find_tables(table_settings=candidate.settings):
                keep(found, ROW_RULES.method, candidate.continues)
            if len(tables) > kept and (lowest is None or candidate.box[3] > lowest[0]):
                lowest = (candidate.box[3], candidate.settings["explicit_vertical_lines"])
    open_columns = lowest[1] if lowest else None
    body = page.filter(lambda obj: not _inside_any(obj, table_boxes)) if table_boxes else page
    # One grouping of characters into words serves both the text lines and the aligned-table
    # search; asking pdfplumber for each separately groups every character twice.
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
    if not table_boxes:
        lines, aligned, aligned_bottoms = _split_aligned_tables(lines, [word for word, _ in wordmap.tuples], number)
        tables.extend(aligned)
        table_bottoms.extend(aligned_bottoms)
    return _RawPage(number, float(page.width), float(page.height), lines, tables, table_bottoms, open_columns)


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


def _close_open_rows(page) -> dict:
    """Table settings that close rows cut by a page break.

    When a row continues on the next page its cell borders run to the page
    bottom with no closing rule (or start at the top with no opening rule);
    without a closing rule pdfplumber drops the partial row and its text would
    leak into the body.  A synthetic rule across the dangling borders keeps it.
    """
    # Thin filled rects drawn as borders have short horizontal edges of their own: ignore those.
    horizontals = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 5.0]
    dangling: dict[float, list[float]] = {}
    for edge in page.edges:
        if edge["orientation"] != "v" or edge["bottom"] - edge["top"] < 5.0:
            continue
        for y in (edge["top"], edge["bottom"]):
            if not any(abs(y - h["top"]) < 2.0 and h["x0"] - 2 <= edge["x0"] <= h["x1"] + 2 for h in horizontals):
                dangling.setdefault(round(y, 1), []).append(edge["x0"])
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


def _split_aligned_tables(
    lines: list[Line], words: list[dict], number: int
) -> tuple[list[Line], list[Table], list[float]]:
    """Find runs of lines whose words fall into the same columns (tables drawn without rules).

    Only runs of at least three lines that each split into the same number
    (≥ 3) of columns, with column starts aligned within a few points, count:
    prose and two-column label lists never qualify.
    """
    if len(lines) < 3:
        return lines, [], []
    lines_by_top = sorted((line.top, i) for i, line in enumerate(lines) if line.top is not None)
    by_line: list[list[dict]] = [[] for _ in lines]
    for word in words:
        line_index = _first_line_at(lines_by_top, word["top"])
        if line_index is not None:
            by_line[line_index].append(word)
    segments = [_segments(sorted(ws, key=lambda w: w["x0"])) for ws in by_line]
    tables: list[Table] = []
    bottoms: list[float] = []
    keep: list[Line] = []
    i = 0
    while i < len(lines):
        run_end = i
        cols = segments[i]
        if len(cols) >= 3:
            run_end = i + 1
            while run_end < len(lines) and _aligned(cols, segments[run_end]):
                run_end += 1
        if run_end - i >= 3:
            rows = [TableRow(cells=tuple(text for _, text in segments[j]), anchor=number) for j in range(i, run_end)]
            tables.append(Table(0, number, number, lines[i].top, rows, "aligned"))
            bottoms.append(lines[run_end - 1].bottom or 0.0)
            i = run_end
        else:
            keep.append(lines[i])
            i += 1
    renumbered = [replace(line, line_no=n) for n, line in enumerate(keep, start=1)]
    return renumbered, tables, bottoms


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
    segments: list[tuple[float, list[str]]] = []
    last_x1 = None
    for word in words:
        if last_x1 is None or word["x0"] - last_x1 > _COLUMN_GAP:
            segments.append((word["x0"], [word["text"]]))
        else:
            segments[-1][1].append(word["text"])
        last_x1 = word["x1"]
    return [(x0, " ".join(parts)) for x0, parts in segments]


def _aligned(reference: list[tuple[float, str]], candidate: list[tuple[float, str]]) -> bool:
    if len(candidate) != len(reference):
        return False
    return all(abs(a[0] - b[0]) <= 4.0 for a, b in zip(reference[1:], candidate[1:], strict=True))


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
