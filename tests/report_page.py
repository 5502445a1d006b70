"""Read the tables of one section of the generated report.html, as a reader sees them (text of each cell)."""

from __future__ import annotations

from html.parser import HTMLParser


class _SectionTables(HTMLParser):
    def __init__(self, section_id: str) -> None:
        super().__init__()
        self.section_id = section_id
        self.inside = False
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.inside = ("id", self.section_id) in attrs
        elif self.inside and tag == "table":
            self.tables.append([])
        elif self.inside and tag == "tr":
            self.tables[-1].append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None and tag == "br":
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.inside = False
        elif self.cell is not None and tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def section_tables(page: str, section_id: str) -> list[list[list[str]]]:
    """The tables of the section ``section_id``: each a list of rows (header row first), each a list of cell texts."""
    parser = _SectionTables(section_id)
    parser.feed(page)
    return parser.tables
