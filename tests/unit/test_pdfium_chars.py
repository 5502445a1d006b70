"""Characters from pdfium (issue 17, item 4): the same document as pdfplumber's, and pages it cannot read
faithfully go to pdfplumber with the reason counted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from extract.document import pdfium_chars
from extract.document.pdf import PDFIUM, PDFPLUMBER, read_pdf
from samples.pdf_builder import LAYOUTS, Grid, Heading, Para, ReportSpec, build_pdf


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    rows = [[f"R{i}", f"office fit-out, fifth floor {i} " * 4, f"{2000 + i}"] for i in range(1, 25)]
    spec = ReportSpec(
        "Testland Country Report — 2024",
        [
            Heading("1. Efficiency of the office"),
            Para("The office's affiliates fled the flawed official figures. " * 30),
            Grid(["Code", "Text", "Year"], rows, [20, 120, 25]),
            Para("Closing paragraph after the table."),
        ],
    )
    return build_pdf(spec, tmp_path_factory.mktemp("pdf") / "report.pdf", LAYOUTS[0])


def _as_rows(document) -> tuple[list[dict], list[dict]]:
    lines = [dataclasses.asdict(line) for page in document.pages for line in page.lines]
    return lines, [dataclasses.asdict(table) for table in document.tables]


def test_pdfium_characters_give_pdfplumbers_document(report_pdf: Path) -> None:
    fallbacks = pdfium_chars.Fallbacks()
    fast = read_pdf(report_pdf, PDFIUM, fallbacks)
    reference = read_pdf(report_pdf, PDFPLUMBER)
    assert fallbacks.reasons == {}
    assert fallbacks.pdfium_pages == len(reference.pages) >= 2
    assert _as_rows(fast) == _as_rows(reference)


def test_a_rotated_page_is_read_by_pdfplumber(report_pdf: Path, tmp_path: Path) -> None:
    document = pdfium.PdfDocument(str(report_pdf))
    document[0].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    document.save(str(rotated))
    document.close()
    fallbacks = pdfium_chars.Fallbacks()
    fast = read_pdf(rotated, PDFIUM, fallbacks)
    assert fallbacks.reasons == {pdfium_chars.ROTATED: 1}
    assert _as_rows(fast) == _as_rows(read_pdf(rotated, PDFPLUMBER))


def _type1_font(to_unicode: bytes) -> pdfium_chars.Decoding:
    spec = {
        "Subtype": LIT("Type1"),
        "BaseFont": LIT("ABCDEF+Body"),
        "Encoding": LIT("WinAnsiEncoding"),
        "ToUnicode": PDFStream({}, to_unicode),
        "FirstChar": 32,
        "Widths": [500] * 96,
    }
    font = PDFResourceManager().get_font(None, spec)
    return pdfium_chars.font_decoding(font, "ABCDEF+Body")


def _cmap(*pairs: str) -> bytes:
    entries = "\n".join(pairs)
    return (
        "begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{len(pairs)} beginbfchar\n{entries}\nendbfchar\nendcmap\n"
    ).encode()


def test_a_code_that_tounicode_and_encoding_read_differently_is_disputed() -> None:
    # WinAnsi's 0x57 is "W"; this map says "w" (a broken map seen in a real report).
    decoding = _type1_font(_cmap("<57> <0077>", "<41> <0041>", "<1F> <00660069>"))
    assert decoding.disputed == {"W", "w"}
    assert "fi" in decoding.values and "A" in decoding.values
    # Codes the map leaves out read by the encoding.
    assert "B" in decoding.values


def test_an_agreeing_map_disputes_nothing() -> None:
    assert _type1_font(_cmap("<57> <0057>", "<41> <0041>")).disputed == set()
