"""The document model: lines, tables across pages, running text, and specific errors for bad files."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pdfplumber
import pytest

from extract.document import pdf as pdf_reader
from extract.document.errors import ExtractionError
from extract.document.pdf import _cell_texts, read_pdf
from extract.document.text import read_text
from samples.pdf_builder import LAYOUTS, Grid, Heading, Para, ReportSpec, build_pdf
from tests import bad_inputs


@pytest.fixture(scope="module")
def long_table_pdf(tmp_path_factory) -> Path:
    rows = [[f"R{i}", f"cell text number {i} " * 12, f"{2000 + i}"] for i in range(1, 31)]
    spec = ReportSpec(
        "Testland Country Report — 2024",
        [
            Heading("1. Introduction"),
            Para("Body paragraph. " * 60),
            Grid(["Code", "Text", "Year"], rows, [20, 120, 25]),
            Para("Closing paragraph after the table."),
        ],
    )
    return build_pdf(spec, tmp_path_factory.mktemp("pdf") / "long_table.pdf")


def test_table_running_over_pages_is_one_table_with_every_row(long_table_pdf):
    document = read_pdf(long_table_pdf)
    assert document.page_count >= 2
    [table] = document.tables
    assert table.method == "ruled"
    assert table.page_first == 1 and table.page_last >= 2
    assert table.rows[0].cells == ("Code", "Text", "Year")
    codes = [row.cells[0] for row in table.rows[1:] if row.cells[0]]
    assert codes == [f"R{i}" for i in range(1, 31)]
    # The header repeated on later pages is dropped, not kept as data.
    assert sum(1 for row in table.rows if row.cells[0] == "Code") == 1


def test_cell_texts_read_from_the_tables_characters_are_pdfplumbers(long_table_pdf):
    # The reader hands pdfplumber's table only the characters within it: the cells read the same.
    with pdfplumber.open(long_table_pdf) as pdf:
        found = [table for page in pdf.pages for table in page.find_tables()]
        assert len(found) >= 2
        assert [_cell_texts(table) for table in found] == [table.extract() for table in found]


def test_two_grids_of_different_widths_on_a_page_are_each_read_once(tmp_path):
    """pdfplumber snaps the left borders of a 172 mm and a 174 mm grid on one page to one line between them;
    the wider grid, running on over the page break, is still one ruled table, not a ruled and a row-ruled copy
    that cannot be joined to its continuation."""
    rows = [[f"Group {i}", f"Item {i} of the list", f"value {i}"] for i in range(1, 41)]
    spec = ReportSpec(
        "Testland Country Report — 2024",
        [
            Para("Body paragraph. " * 40),
            Grid(["Question", "Agree", "Disagree"], [["Q1", "60%", "40%"], ["Q2", "55%", "45%"]], [124, 24, 24]),
            Grid(["Group", "Item", "Value"], rows, [50, 70, 54]),
        ],
    )
    document = read_pdf(build_pdf(spec, tmp_path / "two_grids.pdf"))
    small, large = document.tables
    assert (small.method, large.method) == ("ruled", "ruled")
    assert large.page_last > large.page_first
    assert [row.cells[0] for row in large.rows[1:]] == [f"Group {i}" for i in range(1, 41)]


def _page_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_a_table_opening_a_page_after_a_heading_is_a_new_table_not_a_continuation(tmp_path):
    """Two tables of one width but other columns, with shaded rows (no column rules): the first ends page 1,
    a heading follows it there, the second opens page 2.  The second keeps its own columns and rows."""
    spec = ReportSpec(
        "Testland Country Report — 2024",
        [
            *[Para(f"Paragraph {i} of the body text.") for i in range(20)],
            Grid(
                ["Code", "Name", "Value"],
                [[f"A{i}", f"first table row {i}", f"{i}"] for i in range(1, 6)],
                [40, 94, 40],
            ),
            Heading("2. The next table"),
            Grid(
                ["Item", "Label", "Count"],
                [[f"B{i}", f"second table row {i}", f"{i}"] for i in range(1, 6)],
                [90, 30, 54],
            ),
        ],
    )
    zebra = next(layout for layout in LAYOUTS if layout.name == "zebra-a4-sans11")
    path = build_pdf(spec, tmp_path / "heading_between.pdf", zebra)
    first_page, second_page = _page_text(path)[:2]
    assert "A5" in first_page and "The next table" in first_page and "B1" in second_page  # the case at hand
    first, second = read_pdf(path).tables
    assert (first.page_last, second.page_first) == (1, 2)
    assert [row.cells for row in second.rows] == [("Item", "Label", "Count")] + [
        (f"B{i}", f"second table row {i}", f"{i}") for i in range(1, 6)
    ]


def test_a_cut_row_whose_rest_fills_one_cell_is_joined_to_its_row(tmp_path):
    """A ruled table without repeated header rows: the break cuts a row whose other cells ended on page 1,
    so the piece opening page 2 fills one cell.  It is read as the rest of the row, not dropped."""
    long = " ".join(f"sentence {i} of the long middle cell." for i in range(1, 40))
    spec = ReportSpec(
        "Testland Country Report — 2024",
        [
            *[Para(f"Paragraph {i} of the body text.") for i in range(20)],
            Grid(["Code", "Text", "Owner"], [["R1", "short text", "UNDP"], ["R2", long, "UNFPA"]], [30, 110, 34]),
            Heading("2. After the table"),
            Para("Closing paragraph."),
        ],
    )
    grid = next(layout for layout in LAYOUTS if layout.name == "grid-letter-serif11" and not layout.repeat_header)
    path = build_pdf(spec, tmp_path / "cut_row.pdf", grid)
    first_page, second_page = _page_text(path)[:2]
    assert "UNFPA" in first_page and "sentence 39" in second_page  # the case at hand
    document = read_pdf(path)
    [table] = document.tables
    assert (table.page_first, table.page_last) == (1, 2)
    cut = [row for row in table.rows if row.cells[0] == "R2" or row.continues]
    assert " ".join(row.cells[1] for row in cut) == long
    assert [line.text for line in document.pages[1].lines] == ["2. After the table", "Closing paragraph."]


def test_two_tables_of_one_width_with_only_a_heading_between_them_are_two_tables(tmp_path):
    """Horizontal rules only: the rules of both tables stack at one width; the heading between them, set larger
    than the cells, ends the first table.  With body text on the page the usual text size is the body's, and
    the white band around the heading is no taller than a row's padding at that size."""
    first = [[f"Q{i}. Statement number {i}", f"{40 + i}%", f"{30 - i}%", "30%"] for i in range(1, 5)]
    second = [["Group" if i % 3 == 1 else "", f"Item {i}", f"value {i}"] for i in range(1, 9)]
    spec = ReportSpec(
        "Testland Country Report — 2024",
        [
            *[Para(f"Paragraph {i} of the body text, long enough to fill a line of the page. " * 2) for i in range(8)],
            Grid(["Statement", "Agree", "Neutral", "Disagree"], first, [100, 24, 24, 24]),
            Heading("Annex C: The second table"),
            Grid(["Group", "Item", "Value"], second, [50, 70, 54]),
        ],
    )
    rules = next(layout for layout in LAYOUTS if layout.name == "rules-letter-sans10")
    one, two = read_pdf(build_pdf(spec, tmp_path / "heading_between_rules.pdf", rules)).tables
    assert [row.cells for row in one.rows[1:]] == [tuple(row) for row in first]
    assert [row.cells for row in two.rows[1:]] == [tuple(row) for row in second]


def test_running_header_and_page_numbers_leave_the_body(long_table_pdf):
    document = read_pdf(long_table_pdf)
    texts = [line.text for line in document.lines()]
    assert not any("Testland Country Report" in text for text in texts)
    assert [page.printed_page_no for page in document.pages] == [str(n) for n in range(1, document.page_count + 1)]
    assert all(page.header == "Testland Country Report — 2024" for page in document.pages)
    assert texts[0] == "1. Introduction"
    assert "Closing paragraph after the table." in texts


def test_table_text_is_not_repeated_in_body_lines(long_table_pdf):
    document = read_pdf(long_table_pdf)
    assert not any(line.text.startswith("R1 ") or "cell text number" in line.text for line in document.lines())


def test_lines_keep_positions_and_reading_order(long_table_pdf):
    document = read_pdf(long_table_pdf)
    first_page = document.pages[0].lines
    tops = [line.top for line in first_page]
    assert tops == sorted(tops)
    assert all(line.anchor == 1 and line.x0 is not None for line in first_page)


def test_text_rendition_tables_and_line_anchors(tmp_path):
    path = tmp_path / "rendition.txt"
    path.write_text("Title line\n\nIntro **bold** text\nA\tB\tC\n1\t2\t3\n<p>After</p>\n", encoding="utf-8")
    document = read_text(path)
    assert [(line.text, line.anchor) for line in document.lines()] == [
        ("Title line", 1),
        ("Intro bold text", 3),
        ("After", 6),
    ]
    [table] = document.tables
    assert [row.cells for row in table.rows] == [("A", "B", "C"), ("1", "2", "3")]
    assert [row.anchor for row in table.rows] == [4, 5]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: bad_inputs.zero_byte(d / "empty.pdf"), "file is empty"),
        (lambda d: bad_inputs.not_a_pdf(d / "archive.pdf"), "not a PDF"),
        (lambda d: bad_inputs.truncated_pdf(d / "truncated.pdf", bad_inputs.good_pdf(d / "src.pdf")), "PDF"),
        (lambda d: bad_inputs.encrypted_pdf(d / "locked.pdf"), "encrypted"),
        (lambda d: bad_inputs.image_only_pdf(d / "scan.pdf"), "no text layer"),
    ],
    ids=["zero-byte", "not-a-pdf", "truncated", "encrypted", "no-text-layer"],
)
def test_bad_files_raise_a_specific_error_naming_the_file(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(ExtractionError) as caught:
        read_pdf(path)
    assert expected in str(caught.value)
    assert caught.value.file_name == path.name
    assert str(caught.value).startswith(path.name)


def test_truncated_pdf_error_says_corrupt_or_unreadable(tmp_path):
    source = bad_inputs.good_pdf(tmp_path / "src.pdf")
    path = bad_inputs.truncated_pdf(tmp_path / "cut.pdf", source)
    with pytest.raises(ExtractionError) as caught:
        read_pdf(path)
    assert any(word in caught.value.reason for word in ("corrupt", "truncated", "unreadable", "cannot read page"))


# --- Text encodings: one decoder for text renditions and status CSVs ------------------------------------------

RENDITION = "Évaluation\tpays\tannée\nKazakhstan\t2016\t2020\nFin du rapport\n"


@pytest.mark.parametrize(
    ("mark", "encoding"),
    [(b"", "utf-8"), (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_a_text_rendition_is_read_in_utf8_or_behind_a_byte_order_mark(tmp_path, mark, encoding):
    path = tmp_path / "rendition.txt"
    path.write_bytes(mark + RENDITION.encode(encoding))
    document = read_text(path)
    [table] = document.tables
    assert [row.cells for row in table.rows] == [("Évaluation", "pays", "année"), ("Kazakhstan", "2016", "2020")]
    assert [line.text for line in document.lines()] == ["Fin du rapport"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty (0 bytes)"),
        (b" \n\t\r" * 26_000, "holds only whitespace (104000 bytes)"),
        (b"\xff\xfe" + " \n".encode("utf-16-le"), "holds only whitespace (6 bytes)"),
        (b"Report on \xe9valuation\n", "not UTF-8 text: byte 10 (0xe9) cannot be decoded"),
        (
            b"\xff\xfe" + "Report".encode("utf-16-le") + b"\x00\xd8",
            "not UTF-16-LE text: byte 14 (0x00) cannot be decoded",
        ),
        ("Report\n".encode("utf-16-le"), "not text: byte 1 is NUL (UTF-16 is read only behind a byte-order mark)"),
    ],
    ids=["empty", "whitespace", "utf-16-whitespace", "latin-1", "utf-16-lone-surrogate", "utf-16-without-mark"],
)
def test_a_text_rendition_without_text_says_why_and_where(tmp_path, content, reason):
    path = tmp_path / "rendition.txt"
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as caught:
        read_text(path)
    assert str(caught.value) == f"rendition.txt: {reason}"


def test_a_damaged_compressed_page_stream_fails_the_pdf_instead_of_losing_its_text(tmp_path):
    source = bad_inputs.good_pdf(tmp_path / "good.pdf")
    data = bytearray(source.read_bytes())
    # Inside the first page's compressed content stream, well before its checksum.  The generator wraps the
    # compressed bytes in ASCII85, so each damaged character is swapped for another valid ASCII85 one: the
    # ASCII85 layer still decodes, and the Flate data under it is what is damaged.
    start = data.index(b"stream", data.index(b"/FlateDecode")) + len(b"stream\n") + 40
    for offset in range(start, start + 8):
        if 33 <= data[offset] <= 117:
            data[offset] = (data[offset] - 33 + 7) % 85 + 33
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    with pytest.raises(ExtractionError, match="a compressed stream of the file is damaged") as raised:
        read_pdf(damaged)
    assert raised.value.page == 1
    assert read_pdf(source).page_count == 1


@pytest.mark.parametrize("enabled_before", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_found_it(long_table_pdf, enabled_before):
    """The reader pauses automatic collection while it reads pages (it collects after each page instead) and
    restores it as it was: on when it was on, and off when the caller had turned it off."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled_before else gc.disable()
        seen_during: list[bool] = []
        original = pdf_reader._read_page

        def watching(*arguments, **keywords):
            seen_during.append(gc.isenabled())
            return original(*arguments, **keywords)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pdf_reader, "_read_page", watching)
            read_pdf(long_table_pdf)
        assert seen_during and not any(seen_during)
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable() if was else gc.disable()


def test_documents_read_at_once_in_threads_leave_the_collector_on(long_table_pdf):
    # The first reader to start pauses it and the last to finish turns it back on, in whatever order they end.
    assert gc.isenabled()
    with ThreadPoolExecutor(4) as pool:
        documents = list(pool.map(read_pdf, [long_table_pdf] * 8))
    assert gc.isenabled()
    assert {len(document.tables) for document in documents} == {1}


def test_a_page_that_cannot_be_read_leaves_the_collector_on(long_table_pdf, monkeypatch):
    def failing(page, index, before):
        raise ValueError("a reader bug on this page")

    monkeypatch.setattr(pdf_reader, "_read_page", failing)
    assert gc.isenabled()
    with pytest.raises(ExtractionError, match="cannot read page: ValueError"):
        read_pdf(long_table_pdf)
    assert gc.isenabled()
