"""A page's drawn shapes from pypdfium2's path objects, as the rect, line and curve dicts pdfplumber would build
(issue 17, item 4).

pdfplumber's table finder reads a page's rules from its rects, lines and curves, which pdfminer builds by
interpreting the whole content stream in Python: on ruled pages that cost more than the rest of the reading.
pdfium has parsed the page already; its path objects hold the same paths, painted the same way.  This module
turns them into pdfplumber's dicts by pdfminer's own rules (`pdfminer.converter.PDFLayoutAnalyzer.paint_path`):

- each subpath is a shape of its own; a subpath of one point, and a path that is only a clip or ends with ``n``,
  draws nothing (pdfium makes no path object of the latter);
- ``re`` is ``m l l l h``; a closing ``h`` stands for the subpath's first point, and a line back to the first
  point just before it is dropped (pdfium closes a subpath with such a line, flagged as closing, or flags its
  last point when it is already there: with pdfminer's rule, both read as pdfminer reads the ``h``); a Bézier
  segment's end point is its point (pdfminer keeps control points only in the path, which the reader does not
  ask for);
- one segment is a line; four that close an axis-aligned box are a rect; anything else is a curve.

pdfium keeps coordinates and matrices in single precision.  A content stream writes them as short decimals, so
each is read back as the shortest decimal that gives the same single-precision number (`_as_written`): a path
drawn with one ``cm`` then has pdfminer's coordinates to the last digit, and within a thousandth of a point
under nested matrices (the composition is rounded on pdfium's side).

The dicts carry what the reader and pdfplumber's table finder, edges, crops and filters ask of a shape: its box
(``x0``, ``x1``, ``top``, ``bottom``, ``y0``, ``y1``, ``doctop``, ``width``, ``height``), ``pts``, ``stroke``,
``fill`` and ``evenodd``.  Left out, as nothing downstream reads them: colours (pdfium gives them as RGBA, pdfminer
in the colour space's own components), the line width (pdfminer's default is 0, pdfium's the 1 the PDF standard
says, and pdfium does not tell a default from a set width), dash patterns, the ``path`` and marked-content ids.
"""

from __future__ import annotations

import ctypes
import struct
from typing import cast

import pypdfium2 as pdfium
import pypdfium2.raw as c
from pdfminer.utils import apply_matrix_pt, mult_matrix

from extract.document import pdfium_calls as calls

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
# A path object's address, and those of the forms it is drawn in, the outermost first (`pdfium_chars.page_reason`
# finds them in its walk over the page's objects).
Drawn = tuple[int, tuple[int, ...]]

_SINGLE = struct.Struct("f")


def _as_written(value: float, seen: dict[float, float]) -> float:
    """The shortest decimal whose single-precision value is pdfium's ``value`` (remembered in ``seen``)."""
    known = seen.get(value)
    if known is None:
        known = value
        for digits in (6, 7, 8):
            candidate = float(f"{value:.{digits}g}")
            if _SINGLE.unpack(_SINGLE.pack(candidate))[0] == value:
                known = candidate
                break
        seen[value] = known
    return known


class _Reader:
    """The path objects of one page, turned into pdfplumber's shape dicts as they are met."""

    def __init__(self, height: float, page_number: int, initial_doctop: float):
        self.height = height
        self.page_number = page_number
        self.initial_doctop = initial_doctop
        self.shapes: dict[str, list[dict]] = {"rect": [], "line": [], "curve": []}
        self.written: dict[float, float] = {}
        self._matrix = c.FS_MATRIX()
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._fill_mode, self._stroke = ctypes.c_int(), ctypes.c_int()
        self._form_spaces: dict[tuple[int, ...], Matrix] = {}

    def form_space(self, forms: tuple[int, ...]) -> Matrix | None:
        """The matrix from the space of the innermost of ``forms`` (nested, the outermost first) to the page's;
        None on the page itself."""
        if not forms:
            return None
        known = self._form_spaces.get(forms)
        if known is None:
            known = self._form_spaces[forms] = self.matrix(forms[-1], self.form_space(forms[:-1]))
        return known

    def matrix(self, obj: int, outer: Matrix | None) -> Matrix:
        m = self._matrix
        calls.object_matrix(obj, ctypes.addressof(m))
        seen = self.written
        own = cast(Matrix, tuple(_as_written(value, seen) for value in (m.a, m.b, m.c, m.d, m.e, m.f)))
        return own if outer is None else mult_matrix(own, outer)

    def path(self, obj: int, matrix: Matrix) -> None:
        calls.draw_mode(obj, ctypes.addressof(self._fill_mode), ctypes.addressof(self._stroke))
        paint = {
            "stroke": bool(self._stroke.value),
            "fill": self._fill_mode.value != c.FPDF_FILLMODE_NONE,
            "evenodd": self._fill_mode.value == c.FPDF_FILLMODE_ALTERNATE,
        }
        for operators, points in self.subpaths(obj):
            if len(operators) > 1:
                self.add(operators, [apply_matrix_pt(matrix, point) for point in points], paint)

    def subpaths(self, path: int) -> list[tuple[str, list[Point]]]:
        """The path's subpaths as pdfminer's operators (``m``, ``l``, ``c``, ``h``), each with its point."""
        found: list[tuple[list[str], list[Point]]] = []
        start: Point = (0.0, 0.0)
        x, y, seen = self._x, self._y, self.written
        xy = ctypes.addressof(x), ctypes.addressof(y)
        count = calls.segment_count(path)
        index = 0
        while index < count:
            segment = calls.segment(path, index)
            kind = calls.segment_type(segment)
            if kind == c.FPDF_SEGMENT_BEZIERTO:
                index += 2  # past the two control points, to where the segment ends
                segment = calls.segment(path, index)
            calls.segment_point(segment, *xy)
            point = (_as_written(x.value, seen), _as_written(y.value, seen))
            closes = calls.segment_closes(segment)
            index += 1
            if kind == c.FPDF_SEGMENT_MOVETO:
                start = point
                found.append((["m"], [point]))
            elif not found:
                return []  # pdfminer paints no path that does not begin with a move
            else:
                found[-1][0].append("c" if kind == c.FPDF_SEGMENT_BEZIERTO else "l")
                found[-1][1].append(point)
            if closes:
                found[-1][0].append("h")
                found[-1][1].append(start)
        return [("".join(operators), points) for operators, points in found]

    def add(self, shape: str, pts: list[Point], paint: dict) -> None:
        """One subpath as pdfminer paints it (``pts`` on the page, in user space)."""
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape, pts = shape[:-2] + "h", pts[:-1]
        kind = "curve"
        if shape in {"mlh", "ml"}:
            kind, pts = "line", pts[:2]
        elif shape in {"mlllh", "mllll"}:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            box = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            if pts[0] == pts[4] and box:
                kind, pts = "rect", [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]
        xs = [x for x, _ in pts]
        ys = [y for _, y in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        height = self.height
        top = height - y1
        self.shapes[kind].append(
            {
                "object_type": kind,
                "page_number": self.page_number,
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "width": x1 - x0,
                "height": y1 - y0,
                "top": top,
                "bottom": height - y0,
                "doctop": self.initial_doctop + top,
                "pts": [(x, height - y) for x, y in pts],
                **paint,
            }
        )


def page_shapes(
    page: pdfium.PdfPage, drawn: list[Drawn], height: float, page_number: int, initial_doctop: float
) -> dict[str, list[dict]]:
    """The rects, lines and curves of the paths ``drawn`` that `pdfium_chars.page_reason` found on ``page``
    (``height`` points high, at ``initial_doctop`` in its document), as pdfplumber's page objects would hold them.

    The paths are addresses inside ``page``: it is taken here so that it stays open while they are read."""
    assert page.raw, "the page of the drawn paths is closed"
    reader = _Reader(height, page_number, initial_doctop)
    for path, forms in drawn:
        reader.path(path, reader.matrix(path, reader.form_space(forms)))
    return reader.shapes
