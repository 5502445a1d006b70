"""Characters from pdfium (issue 17, item 4): the same document as pdfplumber's, and pages it cannot read
faithfully go to pdfplumber with the reason counted."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
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
from tests.handmade_pdf import stream, write_pdf


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


def test_what_the_encoding_gives_for_a_code_the_map_reads_otherwise_is_disputed() -> None:
    # WinAnsi's 0x57 is "W"; this map says "w" (a broken map seen in a real report).  pdfium follows the map as
    # pdfminer does, so a "w" is what both read; a "W" may be pdfium reading the code by the encoding.
    decoding = _type1_font(_cmap("<57> <0077>", "<41> <0041>", "<1F> <00660069>"))
    assert decoding.disputed == {"W"}
    assert "fi" in decoding.values and "A" in decoding.values
    # Codes the map leaves out read by the encoding.
    assert "B" in decoding.values


def test_an_agreeing_map_disputes_nothing() -> None:
    assert _type1_font(_cmap("<57> <0057>", "<41> <0041>")).disputed == set()


def _one_page_pdf(path: Path, content: bytes, to_unicode: bytes | None = None, form: bytes | None = None) -> Path:
    """A one-page PDF in Helvetica whose page draws ``content`` (a content stream), the font with the ToUnicode
    map ``to_unicode`` if given, and the form ``form`` (a form XObject's dictionary entries and content) as /Fm1."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
        stream(content),
        font + (b" /ToUnicode 7 0 R >>" if to_unicode else b" >>"),
        stream(*(form or (b"", b"/Type /XObject /Subtype /Form /BBox [0 0 612 792]"))),
    ]
    if to_unicode:
        objects.append(stream(to_unicode))
    return write_pdf(path, objects)


BODY_LINE = b"BT /F1 12 Tf 72 680 Td (A plain line of body text about programmes.) Tj ET"


def _lines(path: Path, source: str) -> tuple[list[str], pdfium_chars.Fallbacks]:
    fallbacks = pdfium_chars.Fallbacks()
    return [line.text for line in reader.read_pdf(path, source, fallbacks).lines()], fallbacks


def test_text_under_an_actualtext_reads_its_glyphs_as_pdfminer_does(tmp_path: Path) -> None:
    # A small-caps running header: the glyphs say one thing, the ActualText another.  pdfium's text page would
    # read the ActualText, all its letters at one position; its marks are dropped, so pdfium reads the glyphs.
    header = b"BT /F1 12 Tf 72 700 Td /Span <</ActualText (Gender Equality)>> BDC (GENDER EQUALITY) Tj EMC ET\n"
    # A space glyph whose ActualText is a tab, as a word processor writes a list item's number and its text.
    item = b"BT /F1 12 Tf 72 690 Td (1.) Tj /Span <</ActualText <FEFF0009>>> BDC ( ) Tj EMC (Item) Tj ET\n"
    marked = _one_page_pdf(tmp_path / "marked.pdf", header + item + BODY_LINE)
    lines, fallbacks = _lines(marked, reader.PDFIUM)
    assert fallbacks.reasons == {} and fallbacks.pdfium_pages == 1
    assert lines == _lines(marked, reader.PDFPLUMBER)[0]
    assert lines == ["GENDER EQUALITY", "1. Item", "A plain line of body text about programmes."]


def test_a_broken_tounicode_map_reads_alike_and_only_an_encoding_reading_is_disputed(tmp_path: Path) -> None:
    body = b"BT /F1 12 Tf 72 700 Td (Water and Wells) Tj ET"
    # The map reads 0x57 as "w": pdfium follows it as pdfminer does, and the page stays with pdfium.
    lower = _one_page_pdf(tmp_path / "lower.pdf", body, _cmap("<57> <0077>"))
    lines, fallbacks = _lines(lower, reader.PDFIUM)
    assert fallbacks.reasons == {} and fallbacks.pdfium_pages == 1
    assert lines == _lines(lower, reader.PDFPLUMBER)[0] == ["water and wells"]
    # A map entry pdfium will not use (U+FFFF): pdfium reads the code by the encoding, "W", where pdfminer keeps
    # the map's value.  Another code the map reads as "W" makes that a text the font may give: it is disputed,
    # and the page goes to pdfplumber.
    unusable = _one_page_pdf(tmp_path / "unusable.pdf", body, _cmap("<57> <FFFF>", "<58> <0057>"))
    lines, fallbacks = _lines(unusable, reader.PDFIUM)
    assert fallbacks.reasons == {pdfium_chars.DISPUTED: 1}
    assert lines == _lines(unusable, reader.PDFPLUMBER)[0] == ["\uffffater and \uffffells"]


def test_a_page_without_marks_or_disputes_is_read_by_pdfium(tmp_path: Path) -> None:
    plain = _one_page_pdf(tmp_path / "plain.pdf", BODY_LINE)
    lines, fallbacks = _lines(plain, reader.PDFIUM)
    assert lines == ["A plain line of body text about programmes."]
    assert fallbacks.reasons == {} and fallbacks.pdfium_pages == 1


FORM_TEXT = b"BT /F1 12 Tf 72 700 Td (Text in a form, drawn at any size.) Tj 0 -20 Td 150 Tz (Stretched) Tj ET"
FORM_RULE = b" 72 650 200 20 re S"


@pytest.mark.parametrize(
    ("drawn", "matrix"),
    [
        (b"q 0.5 0 0 0.5 100 50 cm /Fm1 Do Q", b"1 0 0 1 0 0"),
        (b"/Fm1 Do", b"0.5 0 0 0.5 100 50"),
        (b"q 1.5 0 0 0.8 10 20 cm /Fm1 Do Q", b"1 0 0 1 0 0"),
    ],
    ids=["under a half-size cm", "with a half-size /Matrix", "stretched unevenly"],
)
def test_text_in_a_scaled_form_is_read_by_pdfium_as_pdfplumber_reads_it(tmp_path: Path, drawn: bytes, matrix: bytes):
    entries = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [%s] /Resources << /Font << /F1 5 0 R >> >>"
    path = _one_page_pdf(tmp_path / "form.pdf", drawn, form=(FORM_TEXT + FORM_RULE, entries % matrix))
    document = pdfium.PdfDocument(str(path))
    fallbacks = pdfium_chars.Fallbacks()
    with pdfplumber.open(path) as pdf:
        chars, paths = pdfium_chars.read_chars(document[0], pdf.pages[0], fallbacks)
        theirs = pdf.pages[0].chars
    document.close()
    assert chars is not None and paths and fallbacks.reasons == {}
    fields = ("x0", "x1", "top", "bottom", "size")
    assert [c["text"] for c in chars] == [c["text"] for c in theirs]
    assert [[c[f] for f in fields] for c in chars] == [pytest.approx([c[f] for f in fields], abs=1e-3) for c in theirs]
    assert _lines(path, reader.PDFIUM)[0] == _lines(path, reader.PDFPLUMBER)[0]


def test_text_in_a_turned_form_is_read_by_pdfplumber(tmp_path: Path) -> None:
    entries = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
    path = _one_page_pdf(tmp_path / "turned.pdf", b"q 0 1 -1 0 600 0 cm /Fm1 Do Q", form=(FORM_TEXT, entries))
    lines, fallbacks = _lines(path, reader.PDFIUM)
    assert fallbacks.reasons == {pdfium_chars.NOT_UPRIGHT: 1}
    assert lines == _lines(path, reader.PDFPLUMBER)[0]


def test_text_in_a_font_written_top_to_bottom_is_read_by_pdfplumber(tmp_path: Path) -> None:
    # pdfminer boxes a vertical font's glyphs by its vertical metrics, which pdfium's characters do not give.
    cid_font = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Body /CIDToGIDMap /Identity"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    path = write_pdf(
        tmp_path / "vertical.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            stream(b"BT /F1 12 Tf 300 700 Td <002B0048004F004F0052> Tj ET"),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Body /Encoding /Identity-V /DescendantFonts [6 0 R]"
            b" /ToUnicode 7 0 R >>",
            cid_font,
            # Its text reads as both libraries read it: only the boxes would differ.
            stream(
                b"begincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                b"4 beginbfchar\n<002B> <0048>\n<0048> <0065>\n<004F> <006C>\n<0052> <006F>\nendbfchar\nendcmap\n"
            ),
        ],
    )
    lines, fallbacks = _lines(path, reader.PDFIUM)
    assert fallbacks.reasons == {pdfium_chars.VERTICAL: 1}
    assert lines == _lines(path, reader.PDFPLUMBER)[0]


def test_a_character_outside_the_basic_plane_reads_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    # The ToUnicode map gives 0x57 as U+1D400, two UTF-16 units in pdfium's page text: the text no longer lines
    # up with the characters, and each is asked for its own code.  pdfium gives the glyph as its two halves,
    # which pdfminer's decoding would not give: the page is pdfplumber's.
    path = _one_page_pdf(
        tmp_path / "plane.pdf", b"BT /F1 12 Tf 72 700 Td (Water and Wells) Tj ET", _cmap("<57> <D835DC00>")
    )
    lines, fallbacks = _lines(path, reader.PDFIUM)
    assert fallbacks.reasons == {pdfium_chars.DECODING: 1}
    assert lines == _lines(path, reader.PDFPLUMBER)[0] == ["\U0001d400ater and \U0001d400ells"]
