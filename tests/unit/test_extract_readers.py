"""The document model: lines, tables across pages, running text, and specific errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.document.errors import ExtractionError
from extract.document.pdf import read_pdf
from extract.document.text import read_text
from tests import bad_inputs
from tests.fixtures.pdf_builder import Grid, Heading, Para, ReportSpec, build_pdf


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
