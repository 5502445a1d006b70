"""Characters from pdfium (issue 17, item 4): the same document as pdfplumber's, and pages it cannot read
faithfully go to pdfplumber with the reason counted."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from extract.document import pdf as reader
from extract.document import pdfium_chars
from extract.pipeline import extract_file
from samples import scorecard_pdf
from samples.pdf_builder import LAYOUTS


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    """A scorecard of many pages, its tables in zebra rows (drawn fills: pdfminer's graphics on pdfium pages)."""
    spec = scorecard_pdf.synthetic_spec("Kenya", 2023, year_columns=4, seed=3)
    zebra = next(layout for layout in LAYOUTS if layout.table_style == "zebra")
    return scorecard_pdf.build_scorecard_pdf(spec, tmp_path_factory.mktemp("pdf") / "scorecard.pdf", zebra)


def _records(path: Path, source: str, monkeypatch) -> tuple:
    """The records and report info of ``path`` read with characters from ``source``, and its document's text
    (positions may differ in the last digit: pdfium keeps coordinates in single precision)."""
    monkeypatch.setattr(reader, "CHARACTER_SOURCE", source)
    extraction = extract_file(path)
    lines = [line.text for line in extraction.document.lines()]
    tables = [[row.cells for row in table.rows] for table in extraction.document.tables]
    return extraction.parsed.info, extraction.parsed.records, lines, tables


def test_pdfium_characters_give_pdfplumbers_records(report_pdf: Path, monkeypatch) -> None:
    fallbacks = pdfium_chars.Fallbacks()
    pages = len(reader.read_pdf(report_pdf, reader.PDFIUM, fallbacks).pages)
    assert fallbacks.reasons == {}
    assert fallbacks.pdfium_pages == pages >= 10
    assert fallbacks.with_graphics >= 1
    fast = _records(report_pdf, reader.PDFIUM, monkeypatch)
    assert fast == _records(report_pdf, reader.PDFPLUMBER, monkeypatch)
    assert len(fast[1]["scorecard_indicator_details"]) >= 10


def test_a_rotated_page_is_read_by_pdfplumber(report_pdf: Path, tmp_path: Path, monkeypatch) -> None:
    document = pdfium.PdfDocument(str(report_pdf))
    document[0].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    document.save(str(rotated))
    document.close()
    fallbacks = pdfium_chars.Fallbacks()
    reader.read_pdf(rotated, reader.PDFIUM, fallbacks)
    assert fallbacks.reasons == {pdfium_chars.ROTATED: 1}
    assert _records(rotated, reader.PDFIUM, monkeypatch) == _records(rotated, reader.PDFPLUMBER, monkeypatch)


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
