"""Parser for data-source inventories: numbered lists of organisations that publish gender data on a country.

The template: a title (the country), then categories (e.g. "INGOs", "Local NGOs
and grassroots organizations", "Government"), each a numbered list that starts
again at 1.  An entry is a heading "N. Name" (or "N.M Name" when nested under a
group heading "N. Group" such as "1. UN"), optionally carrying its link, then a
prose description.  Text renditions write the heading as Markdown
"[Name] (https://…)"; PDFs carry it as a link annotation on the name, or show it
as text on the heading line or on the line below it, or not at all.  Links inside a description point to
publications of the entry, never to the entry itself.

Neither bold type nor layout is reliable (some headings of the same document
are bold, some are not), so structure is read from the numbering: a numbered
line is a heading only when its number continues the current list, and a
category heading is the unnumbered line right before a list that restarts at 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.document.errors import ExtractionError
from extract.document.model import Document, Line
from extract.metadata import find_country, stated_year
from extract.records import ParsedReport, ReportInfo
from extract.reports.inventory import fields as inventory_fields
from extract.reports.inventory.layout import SOURCE_LIST
from extract.reports.inventory.records import InventoryEntry
from extract.text.join import join_wrapped

_LAYOUT = SOURCE_LIST
_URL_TRAILING = ".,;:"
_NAME_SEPARATORS = " -–—:|()"
_CLAUSE_END = (",", ";", ":", ".")


@dataclass
class _Heading:
    top: int
    sub: int | None
    text: str
    line: Line
    body: list[Line] = field(default_factory=list)


@dataclass
class _Category:
    name: str
    headings: list[_Heading] = field(default_factory=list)


def parse(document: Document) -> ParsedReport:
    lines = list(document.lines())
    if not lines:
        raise ExtractionError(document.file_name, "the inventory has no text")
    preamble, categories = _outline(lines)
    records = _entries(categories)
    if not records:
        raise ExtractionError(
            document.file_name, 'no numbered entries ("1. Name") under a category heading', page=lines[0].anchor
        )
    return ParsedReport(info=_report_info(document, preamble, lines), records={"inventory_entries": records})


def _outline(lines: list[Line]) -> tuple[list[Line], list[_Category]]:
    """Split the lines into the preamble and categories of numbered headings with their body lines."""
    preamble: list[Line] = []
    categories: list[_Category] = []
    current: _Heading | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        above = current.body if current is not None else preamble
        candidate = _numbered(line.text)
        if candidate is not None and _is_heading(candidate, current, above):
            top, sub, rest = candidate
            if top == 1 and sub is None:
                categories.append(_Category(above.pop().text))
            current = _Heading(top, sub, rest, line)
            index += 1
            while index < len(lines) and _continues_heading(lines[index - 1], lines[index]):
                current.text += " " + lines[index].text
                index += 1
            categories[-1].headings.append(current)
            continue
        above.append(line)
        index += 1
    return preamble, categories


def _numbered(text: str) -> tuple[int, int | None, str] | None:
    nested = _LAYOUT.nested.match(text)
    if nested:
        return int(nested["top"]), int(nested["sub"]), nested["rest"].strip()
    top = _LAYOUT.top_level.match(text)
    if top:
        return int(top["top"]), None, top["rest"].strip()
    return None


def _is_heading(candidate: tuple[int, int | None, str], current: _Heading | None, above: list[Line]) -> bool:
    """Whether a numbered line continues the current list, or restarts it under a category heading.

    Numbers may skip (the `sources` suite reports gaps) but never go back, so
    numbered lines inside a description ("1. Youth and Education") rarely pass.
    """
    top, sub, rest = candidate
    if not _name_like(rest):
        return False
    if sub is not None:
        return current is not None and top == current.top and sub > (current.sub or 0)
    if top == 1:
        return bool(above) and _category_like(above[-1].text)
    return current is not None and top > current.top


def _name_like(text: str) -> bool:
    text = _LAYOUT.markdown_link.sub(lambda m: m["text"], text)
    text = _LAYOUT.url.sub("", text).strip(_NAME_SEPARATORS)
    return bool(text) and len(text.split()) <= _LAYOUT.max_heading_words and not text.endswith(_CLAUSE_END)


def _category_like(text: str) -> bool:
    return (
        len(text.split()) <= _LAYOUT.max_category_words
        and not text.endswith(_CLAUSE_END)
        and text[:1].isupper()
        and _numbered(text) is None
        and not _LAYOUT.url.search(text)
    )


def _continues_heading(previous: Line, line: Line) -> bool:
    """A long bold heading wraps onto the next line: bold, same size, right below it (PDFs only)."""
    return (
        previous.bold
        and line.bold
        and previous.font_size is not None
        and line.font_size == previous.font_size
        and line.page == previous.page
        and line.top is not None
        and previous.bottom is not None
        # Wrapped lines sit closer than half a line apart; the next heading is a paragraph gap away.
        and line.top - previous.bottom < previous.font_size / 2
        and _numbered(line.text) is None
    )


def _entries(categories: list[_Category]) -> list[InventoryEntry]:
    records: list[InventoryEntry] = []
    for category in categories:
        group: _Heading | None = None
        for position, heading in enumerate(category.headings):
            following = category.headings[position + 1] if position + 1 < len(category.headings) else None
            if heading.sub is None:
                group = heading
                if following is not None and following.sub is not None and following.top == heading.top:
                    continue  # a group heading ("1. UN") is not an entry; its children are
            records.append(_entry(category.name, group if heading.sub is not None else None, heading, len(records) + 1))
    return records


def _entry(category: str, group: _Heading | None, heading: _Heading, order: int) -> InventoryEntry:
    name, url = _name_and_url(heading.text)
    if url is None and heading.line.links:
        # The entry's own link is the one on its name; links in the description point to its publications.
        url = heading.line.links[0].uri.rstrip(_URL_TRAILING)
    body = list(heading.body)
    if url is None and body and (url_line := _LAYOUT.url_line.match(body[0].text)):
        body.pop(0)
        url = url_line["url"].rstrip(_URL_TRAILING)
    description = (
        _LAYOUT.markdown_link.sub(lambda m: m["text"], join_wrapped("\n".join(line.text for line in body))) or None
    )
    text = description or ""
    languages = inventory_fields.languages(text)
    return InventoryEntry(
        category=category,
        parent_group=_name_and_url(group.text)[0] if group is not None else None,
        entry_no=f"{heading.top}.{heading.sub}" if heading.sub is not None else str(heading.top),
        name=name,
        url=url,
        description=description,
        languages=languages or (inventory_fields.NOT_STATED,),
        methodology=inventory_fields.methodology(text),
        data_formats=inventory_fields.data_formats(text),
        founded_year=inventory_fields.founded_year(text),
        platforms=inventory_fields.platforms(text),
        entry_order=order,
        source_page=heading.line.anchor,
        source_page_last=max([heading.line.anchor, *(line.anchor for line in heading.body)]),
    )


def _name_and_url(heading_text: str) -> tuple[str, str | None]:
    """The entry's name and its own link, from "[Name] (url)", "Name (url)", "Name – url" or "Name"."""
    link = _LAYOUT.markdown_link.search(heading_text)
    if link:
        return link["text"].strip(), link["url"].rstrip(_URL_TRAILING)
    url = _LAYOUT.url.search(heading_text)
    if url:
        name = (heading_text[: url.start()] + heading_text[url.end() :]).strip(_NAME_SEPARATORS)
        return name, url.group(0).rstrip(_URL_TRAILING)
    return heading_text.strip(), None


def _report_info(document: Document, preamble: list[Line], lines: list[Line]) -> ReportInfo:
    # A line of the title block that dates the list ("Updated: March 2024") is its content date, not its title.
    dated = [line for line in preamble if stated_year(line.text)]
    heading = " ".join(line.text for line in preamble if line not in dated).strip()
    # PDF metadata titles are often tool artefacts; trust one only when it names the visible heading.
    title: str | None = (
        document.title
        if document.title and heading and heading.lower() in document.title.lower()
        else heading or document.title
    )
    return ReportInfo(
        title=title,
        country=find_country(title or "") or find_country(document.text()),
        # Only the title block dates the list: years in the entries are founding and publication years.
        report_year=stated_year("\n".join(line.text for line in dated)) if dated else None,
        period_start=None,
        period_end=None,
        source_page=lines[0].anchor,
    )
