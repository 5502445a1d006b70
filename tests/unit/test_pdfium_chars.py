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


def _one_page_pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF in Helvetica whose page draws ``content`` (a content stream), written object by object."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    pdf = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(pdf))
    return path


BODY_LINE = b"BT /F1 12 Tf 72 680 Td (A plain line of body text about programmes.) Tj ET"


def test_text_under_an_actualtext_of_several_glyphs_is_read_by_pdfplumber(tmp_path: Path) -> None:
    # A small-caps running header: the glyphs say one thing, the ActualText another (pdfium's text page reads the
    # ActualText, pdfminer the glyphs).
    header = b"BT /F1 12 Tf 72 700 Td /Span <</ActualText (Gender Equality)>> BDC (GENDER EQUALITY) Tj EMC ET\n"
    marked = _one_page_pdf(tmp_path / "marked.pdf", header + BODY_LINE)
    fallbacks = pdfium_chars.Fallbacks()
    lines = [line.text for line in reader.read_pdf(marked, reader.PDFIUM, fallbacks).lines()]
    assert fallbacks.reasons == {pdfium_chars.ACTUAL_TEXT: 1} and fallbacks.pdfium_pages == 0
    assert lines == [line.text for line in reader.read_pdf(marked, reader.PDFPLUMBER, pdfium_chars.Fallbacks()).lines()]
    assert lines == ["GENDER EQUALITY", "A plain line of body text about programmes."]
    # The same page without the mark stays with pdfium.
    plain = _one_page_pdf(tmp_path / "plain.pdf", BODY_LINE)
    fallbacks = pdfium_chars.Fallbacks()
    assert [line.text for line in reader.read_pdf(plain, reader.PDFIUM, fallbacks).lines()] == [
        "A plain line of body text about programmes."
    ]
    assert fallbacks.reasons == {} and fallbacks.pdfium_pages == 1
