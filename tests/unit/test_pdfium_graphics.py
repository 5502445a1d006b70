"""Drawn shapes from pdfium's path objects (issue 17, item 4): the rects, lines and curves pdfplumber builds from
pdfminer's layout, for every way a content stream draws them."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from extract.document import pdfium_chars
from extract.document.pdfium_graphics import page_shapes
from tests.handmade_pdf import stream, write_pdf

# What `page_shapes` gives of each shape, compared with pdfplumber's own dicts.
KEYS = ("object_type", "x0", "x1", "y0", "y1", "top", "bottom", "doctop", "width", "height", "pts")
KEYS += ("stroke", "fill", "evenodd", "page_number")

# One content stream per case: the shapes drawn, in the ways PDF producers draw them.
CASES = {
    "rects stroked, filled and both": b"1 w 72 700 200 20 re S 72 650 200 20 re f 0.5 w 72 600 200 -20 re B",
    "rect drawn as lines, closed by h": b"72 500 m 272 500 l 272 520 l 72 520 l h S",
    "rect drawn as lines back to the start, then h": b"72 450 m 272 450 l 272 470 l 72 470 l 72 450 l h f",
    "rect drawn as four lines, open": b"72 400 m 272 400 l 272 420 l 72 420 l 72 400 l S",
    "lines, one closed": b"72 380 m 540 380 l S 300 100 m 300 380 l h S 72 90 m 540 90.5 l S",
    "several subpaths in one path": b"72 300 m 540 300 l 72 290 m 540 290 l 72 250 30 30 re f*",
    "a skewed box is a curve": b"72 200 m 272 200 l 282 220 l 82 220 l h f",
    "Bezier curves (c, v, y)": b"100 150 m 100 160 110 170 120 170 c 130 170 140 160 v 140 150 150 140 y h B*",
    "a triangle and a polyline": b"400 150 m 450 150 l 425 180 l h S 400 120 m 420 130 l 440 120 l 460 130 l S",
    "paths that paint nothing: n, a clip": b"72 60 100 10 re n q 72 40 100 10 re W n 80 45 m 160 45 l S Q",
    "under a matrix": b"q 0.5 0 0 0.5 100 100 cm 0 0 100 40 re S 0 0 m 100 40 l S Q",
    "under nested matrices": b"q 1 0 0 -1 0 792 cm q 0.3 0 0 0.7 10.1 20.3 cm 5.1 5.3 30.7 10.9 re f Q Q",
    "a form at its own size, moved, and its own form inside": b"q 1 0 0 1 30 40 cm /Fm1 Do Q",
}
FORM_1 = b"0 0 m 100 0 l S 10 10 50 20 re f /Fm2 Do"
FORM_2 = b"5 5 20 20 re S"


def _pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF drawing ``content``, with two forms (the second drawn by the first, under a /Matrix)."""
    return write_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /XObject << /Fm1 5 0 R >> >> >>",
            stream(content),
            stream(
                FORM_1, b"/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /Fm2 6 0 R >> >>"
            ),
            stream(FORM_2, b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1.5 0 0 1.5 60 70]"),
        ],
    )


def _kept(shape: dict) -> dict:
    return {key: shape[key] for key in KEYS}


def _numbers(shapes: dict[str, list[dict]]) -> list[float]:
    """Every coordinate of ``shapes``, in order."""
    found: list[float] = []
    for kind in ("rect", "line", "curve"):
        for shape in shapes[kind]:
            found += [shape[key] for key in KEYS if isinstance(shape[key], float)]
            found += [value for point in shape["pts"] for value in point]
    return found


@pytest.mark.parametrize("case", CASES)
def test_shapes_from_pdfium_are_pdfplumbers(case: str, tmp_path: Path) -> None:
    path = _pdf(tmp_path / "shapes.pdf", CASES[case])
    with pdfplumber.open(path) as pdf:
        plumbed = pdf.pages[0]
        expected = {
            kind: [_kept(shape) for shape in plumbed.objects.get(kind, [])] for kind in ("rect", "line", "curve")
        }
        document = pdfium.PdfDocument(str(path))
        try:
            page = document[0]
            reason, drawn = pdfium_chars.page_reason(page)
            assert (reason, bool(drawn)) == (None, True)
            shapes = page_shapes(page, drawn, float(plumbed.height), plumbed.page_number, plumbed.initial_doctop)
        finally:
            document.close()
    got = {kind: [_kept(shape) for shape in found] for kind, found in shapes.items()}
    assert sum(len(found) for found in expected.values()) >= 1 or case.startswith("paths that paint nothing")
    if "nested" in case:
        # Nested matrices are composed in single precision on pdfium's side: within a ten-thousandth of a point
        # (often exact, when the composed matrix reads back to pdfminer's product).
        assert _numbers(got) == pytest.approx(_numbers(expected), abs=1e-4)
        assert [len(got[kind]) for kind in got] == [len(expected[kind]) for kind in got]
    else:
        # Short decimals under one matrix read back to pdfminer's numbers exactly.
        assert got == expected


def test_the_cases_draw_every_kind_of_shape(tmp_path: Path) -> None:
    kinds: set[str] = set()
    for number, content in enumerate(CASES.values()):
        with pdfplumber.open(_pdf(tmp_path / f"{number}.pdf", content)) as pdf:
            kinds |= {kind for kind in ("rect", "line", "curve") if pdf.pages[0].objects.get(kind)}
    assert kinds == {"rect", "line", "curve"}
