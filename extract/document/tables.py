"""Finding tables on a PDF page, one strategy per table style, each described as data.

pdfplumber does the cell work: it cuts a region into cells along lines and
assigns characters to them (`page.find_tables` with a `TableSettings`-style
dict).  What a style changes is where the lines come from:

* ``GRID``: every cell ruled; pdfplumber's ``lines`` strategy finds the
  cells from the drawn rules and rect edges by itself.
* ``ROW_RULES``: rules or fills mark the rows but nothing marks the columns
  (horizontal rules only, with or without a shaded header row; shaded or
  zebra rows).  The rows are the horizontal edges pdfplumber already collects
  from lines and filled rectangles; the columns are where cells start: the
  left edges of words that begin a line or follow a gap wider than any word
  space.  Both go to pdfplumber as explicit lines.

What this module still computes itself, and why: pdfplumber's ``text``
strategy puts a column edge wherever three words align by their left, right
*or* centre, which inside wrapped prose cells yields spurious columns, and it
makes every text line a row, which splits wrapped cells; so the columns and
the open bottom of a table whose last row has no rule under it are measured
here and handed over as explicit lines.  So are the rows that nothing marks
(an unshaded row after an unshaded row, a row cut by the page end, the rest
of a row opening the next page): text whose cells start at the table's
columns.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

# A horizontal edge at least this share of the page width can bound a table row.
_MIN_RULE_SHARE = 0.3
# Edges closer than this (points) are one boundary (a rule drawn on a fill's edge).
_SAME_RULE = 1.5
# Rule ends within this many points belong to the same table.
_SAME_SPAN = 4.0
# A word starts a cell when the gap before it on its line is wider than this many font sizes (a word space
# is about a quarter of one; cell padding on both sides of a column boundary is at least half of one).
_CELL_GAP_EMS = 0.6
# Words starting cells this close (points) start the same column.
_COLUMN_TOLERANCE = 3.0
# Below a table's last rule, a line continues the last row when it follows the line above within this
# many font sizes (wrapped lines of a cell); a paragraph after the table sits further away.
_ROW_LINE_GAP_EMS = 0.6
# Between two rules of one table, text leaves no white band taller than this many font sizes (cell
# padding and line gaps are smaller); the space around a heading between two tables is taller.
_TABLE_GAP_EMS = 1.5
# Text more than this many times the cells' usual size is not cell text (a heading).
_CELL_SIZE_SHARE = 1.3


@dataclass(frozen=True)
class TableStrategy:
    """How one table style is found: the ``method`` recorded on its tables and pdfplumber's settings."""

    method: str
    settings: dict[str, Any] = field(default_factory=dict)


GRID = TableStrategy("ruled", {"vertical_strategy": "lines", "horizontal_strategy": "lines"})
ROW_RULES = TableStrategy(
    "rows",
    {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "snap_tolerance": _SAME_RULE,
        "intersection_tolerance": _SAME_SPAN,
    },
)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class RowRuledTable:
    """Where a table with ruled or shaded rows is, pdfplumber's settings to read it, and whether it
    continues a table of the previous page (its columns are then known, not guessed)."""

    box: Box
    settings: dict[str, Any]
    continues: bool


def row_ruled_settings(
    page: Any, words: list[dict], taken: list[Box], body_top: float, carried: list[float] | None
) -> list[RowRuledTable]:
    """Per table with ruled or shaded rows outside the boxes already ``taken``: its box and explicit lines.

    ``carried`` are the column lines of a table that ran to the foot of the previous page.  A table of
    the same width that is the first thing below ``body_top`` continues it and keeps its columns: on a
    continuation page without a repeated header row, cells left empty would otherwise lose columns.
    """
    rules = [
        edge
        for edge in page.edges
        if edge["orientation"] == "h"
        and edge["x1"] - edge["x0"] >= page.width * _MIN_RULE_SHARE
        # The rule's middle, not its end: pdfplumber snaps the borders of two tables of slightly different
        # widths on one page to a common line, so a grid's box may start right of its own rules.
        and not any(_inside((edge["x0"] + edge["x1"]) / 2, edge["top"], box) for box in taken)
    ]
    found = []
    for x0, x1, rule_ys, size in _rule_runs(rules, words):
        inside = [w for w in words if x0 - 1 <= w["x0"] and w["x1"] <= x1 + 1]
        top = _open_top(rule_ys[0], words, body_top, size)
        bottom = _open_bottom(rule_ys[-1], inside, size)
        ys = [*([] if top is None else [top]), *rule_ys, *([] if bottom is None else [bottom])]
        if len(ys) < 3:
            continue  # one row: a shaded heading or a lone header row, not a table
        cells = [w for w in inside if ys[0] <= w["top"] < ys[-1]]
        continues = (
            carried is not None
            and abs(carried[0] - x0) <= _SAME_SPAN
            and abs(carried[-1] - x1) <= _SAME_SPAN
            and not any(body_top < w["bottom"] <= ys[0] for w in words)
        )
        columns = carried[:-1] if continues and carried else _column_starts(cells, x0)
        if len(columns) < 2 or any(w["x0"] < x < w["x1"] for w in cells for x in columns[1:]):
            continue  # no columns, or "columns" that cut words: prose in a shaded panel, not a table
        ys += _unruled_rows_below(ys[-1], inside, columns, size)
        settings = dict(ROW_RULES.settings)
        settings["explicit_vertical_lines"] = [*columns, x1]
        settings["explicit_horizontal_lines"] = ys
        found.append(RowRuledTable((x0, ys[0], x1, ys[-1]), settings, continues))
    piece = _carried_piece(words, carried, body_top, [*taken, *(table.box for table in found)])
    return [*([] if piece is None else [piece]), *found]


def _carried_piece(
    words: list[dict], carried: list[float] | None, body_top: float, taken: list[Box]
) -> RowRuledTable | None:
    """The rest of a table's last row (and any unruled rows after it) opening a page, with no rule or fill
    of its own: text at the top of the page whose cells start at the columns ``carried`` from the page
    before.  Prose there starts at the left margin only."""
    if not carried:
        return None
    below = sorted((w for w in words if w["top"] >= body_top and carried[0] <= w["x0"] <= carried[-1]), key=_top)
    if not below or any(_inside(below[0]["x0"] + 1, below[0]["top"], box) for box in taken):
        return None
    columns = carried[:-1]
    first_line = _text_lines(below)[0]
    starts = _cell_starts(first_line)
    on_columns = {_column_of(start, columns) for start in starts}
    if None in on_columns or not on_columns - {0}:
        return None
    size = statistics.median(w["bottom"] - w["top"] for w in first_line)
    ys = [below[0]["top"] - 1.0, _run_bottom(below, size) + 1.0]
    ys += _unruled_rows_below(ys[-1], below, columns, size)
    settings = dict(ROW_RULES.settings)
    settings["explicit_vertical_lines"] = list(carried)
    settings["explicit_horizontal_lines"] = ys
    return RowRuledTable((carried[0], ys[0], carried[-1], ys[-1]), settings, True)


def _top(word: dict) -> float:
    return float(word["top"])


def plausible_rows(rows: list[tuple[str, ...]]) -> bool:
    """Whether cells cut along measured columns look like a table: most rows fill at least two cells.

    Shaded boxes around prose (a recommendation set in a tinted panel, a drop capital) give rules
    without columns; their "cells" are mostly single fragments.
    """
    rows = [row for row in rows if any(row)]
    return len(rows) >= 2 and sum(1 for row in rows if sum(1 for cell in row if cell) >= 2) * 2 >= len(rows)


def _rule_runs(rules: list[dict], words: list[dict]) -> list[tuple[float, float, list[float], float]]:
    """Stacks of equally wide rules, split where the space between two rules is not a table row; with
    the usual text size under them."""
    spans: dict[tuple[float, float], list[float]] = {}
    for rule in sorted(rules, key=lambda e: e["top"]):
        key = next(
            (k for k in spans if abs(k[0] - rule["x0"]) <= _SAME_SPAN and abs(k[1] - rule["x1"]) <= _SAME_SPAN),
            (rule["x0"], rule["x1"]),
        )
        ys = spans.setdefault(key, [])
        if not ys or rule["top"] - ys[-1] > _SAME_RULE:
            ys.append(rule["top"])
    runs = []
    for (x0, x1), ys in spans.items():
        spanned = [w for w in words if x0 <= w["x0"] <= x1]
        # The usual text size under these rules: the cells' (headings between tables are larger).
        size = statistics.median(w["bottom"] - w["top"] for w in spanned) if spanned else 0.0
        run = [ys[0]]
        for y in ys[1:]:
            if _leaves_the_table(run[-1], y, spanned, size):
                if len(run) >= 2:
                    runs.append((x0, x1, run, size))
                run = [y]
            else:
                run.append(y)
        if len(run) >= 2:
            runs.append((x0, x1, run, size))
    return runs


def _leaves_the_table(upper: float, lower: float, words: list[dict], size: float) -> bool:
    """Whether the space between two rules is outside any table: no text, a heading (two tables of one width
    with only a title between them), or a band of white space taller than a row's padding (the space around
    a heading or paragraph between two tables of shaded rows)."""
    between = sorted((w for w in words if upper < w["top"] < lower), key=lambda w: w["top"])
    if not between or any(w["bottom"] - w["top"] > size * _CELL_SIZE_SHARE for w in between):
        return True
    edge = upper
    for word in between:
        if word["top"] - edge > size * _TABLE_GAP_EMS:
            return True
        edge = max(edge, word["bottom"])
    return lower - edge > size * _TABLE_GAP_EMS


def _open_top(first_rule: float, words: list[dict], body_top: float, size: float) -> float | None:
    """The top of a first row that has no rule above it: the rest of a row cut by the page break.

    It is the text right above the table's first rule, in lines no further apart than the lines of a
    cell, with nothing above it but the page's running header (text above ``body_top``).
    """
    above = sorted((w for w in words if w["bottom"] <= first_rule), key=lambda w: -w["bottom"])
    if not above or not _continues_row(first_rule - above[0]["bottom"], above[0], size):
        return None
    top = above[0]["top"]
    for word in above[1:]:
        if top - word["bottom"] > (word["bottom"] - word["top"]) * _ROW_LINE_GAP_EMS:
            return top - 1.0 if word["top"] < body_top else None
        top = min(top, word["top"])
    return top - 1.0


def _open_bottom(last_rule: float, words: list[dict], size: float) -> float | None:
    """The bottom of a last row that has no rule under it (an unshaded zebra row, a row cut by the page end)."""
    below = sorted((w for w in words if w["top"] > last_rule), key=lambda w: w["top"])
    if not below or not _continues_row(below[0]["top"] - last_rule, below[0], size):
        return None
    return _run_bottom(below, size) + 1.0


def _run_bottom(below: list[dict], size: float) -> float:
    """The bottom of the text that starts at ``below[0]`` (words sorted by top) and goes on in lines no
    further apart than the lines of one cell."""
    bottom = below[0]["bottom"]
    for word in below[1:]:
        if word["top"] - bottom > size * _ROW_LINE_GAP_EMS:
            break
        bottom = max(bottom, word["bottom"])
    return bottom


def _unruled_rows_below(bottom: float, words: list[dict], columns: list[float], size: float) -> list[float]:
    """The bottoms of further rows under a table's last row that no rule or fill marks (two unshaded rows
    in a row, the last one cut by the page end): text a row's padding below whose first line starts
    cells at the table's columns; prose below a table starts no cell after a gap."""
    bottoms: list[float] = []
    while True:
        below = sorted((w for w in words if w["top"] > bottom), key=lambda w: w["top"])
        if not below or below[0]["top"] - bottom > size * _TABLE_GAP_EMS:
            return bottoms
        first_line = _text_lines(below)[0]
        if not _starts_cells_at(first_line, columns):
            return bottoms
        bottom = _run_bottom(below, size) + 1.0
        bottoms.append(bottom)


def _starts_cells_at(line: list[dict], columns: list[float]) -> bool:
    """Whether a line of words starts cells in the first column and in two other columns (or the one other)."""
    starts = _cell_starts(line)
    if not starts or (len(columns) > 1 and starts[0] >= columns[1]):
        return False
    matched = {_column_of(start, columns) for start in starts} - {None, 0}
    return len(matched) >= min(2, len(columns) - 1)


def _cell_starts(line: list[dict]) -> list[float]:
    """Where the words that start a cell begin: the line's first word, and any after a gap wider than a word space."""
    return [
        word["x0"]
        for previous, word in zip([None, *line], line, strict=False)
        if previous is None or word["x0"] - previous["x1"] > (word["bottom"] - word["top"]) * _CELL_GAP_EMS
    ]


def _column_of(start: float, columns: list[float]) -> int | None:
    """The column whose text starts at ``start`` (a cell's padding right of the column line), if any."""
    if abs(start - _COLUMN_TOLERANCE - columns[0]) <= _COLUMN_TOLERANCE * 3:
        return 0
    return next(
        (k for k, x in enumerate(columns) if k and abs(start - _COLUMN_TOLERANCE - x) <= _COLUMN_TOLERANCE), None
    )


def _continues_row(gap: float, word: dict, size: float) -> bool:
    """Whether a word this far beyond a table's outer rule is cell text: close, and in the cells' size
    (a heading right above or below a table is set larger)."""
    return gap <= size and word["bottom"] - word["top"] <= size * _CELL_SIZE_SHARE


def _column_starts(words: list[dict], left: float) -> list[float]:
    """Left edges of the columns: the table's own left, and where words that start a cell line up."""
    starts = [x for line in _text_lines(words) for x in _cell_starts(line)]
    columns = [left]
    clusters: list[float] = []
    for x in sorted(starts):
        if clusters and x - clusters[-1] <= _COLUMN_TOLERANCE:
            continue  # the same column as the start before it
        clusters.append(x)
        # The first column's text starts a cell padding right of the table's own left edge.
        if x - left > _COLUMN_TOLERANCE * 3:
            columns.append(x - _COLUMN_TOLERANCE)
    return columns


def _text_lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into visual lines (tops within half a font size), each in left-to-right order."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and word["top"] - lines[-1][0]["top"] < (word["bottom"] - word["top"]) / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _inside(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] - _SAME_RULE <= y <= box[3] + _SAME_RULE
