"""Parser for country portfolio / country programme evaluations.

The template: a report (UN Women Country Portfolio Evaluation, UNDP
Independent Country Programme Evaluation, …) that numbers its findings,
conclusions, lessons and recommendations, groups findings under evaluation
criteria, gives recommendations attributes (priority, impact, difficulty,
timeframe) and actions (as a bullet list or a management-response table), lists
its project portfolio in a table and states budgets and delivery in its
narrative.

Numbered items often appear twice (an executive summary, then the body).  Items
are read as runs that count up from 1; the longest run wins and, between runs
of equal length, the later one (the body comes after its summary).

The headings and labels are the English template's.  A report written in
another language loads with what its cover states (title, country, year) and
no items, so its unread body is a gap the checks show, not a failed file; an
English report without numbered items breaks the template and fails.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from extract.document.errors import ExtractionError
from extract.document.model import Document, Table
from extract.metadata import COPYRIGHT, find_country, find_period, stated_year
from extract.records import ParsedReport, ReportInfo
from extract.reports.evaluation.figures import budget_statements, key_figures, programme_statements, sentences
from extract.reports.evaluation.layout import COUNTRY_EVALUATION
from extract.reports.evaluation.recognise import EvaluationCover, evaluation_cover
from extract.reports.evaluation.records import (
    Conclusion,
    EvaluationReport,
    Finding,
    Lesson,
    PortfolioProject,
    Recommendation,
    RecommendationAction,
)
from extract.text.amounts import find_amounts
from extract.text.clean import clean
from extract.text.cover import cover_text
from extract.text.join import join_lines
from extract.text.language import document_language
from extract.text.paragraphs import Paragraph, document_flow

Block = Paragraph | Table

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_LAYOUT = COUNTRY_EVALUATION


def parse(document: Document) -> ParsedReport:
    cover = evaluation_cover(document, _LAYOUT)
    if cover is None:
        raise ExtractionError(
            document.file_name, "no evaluation title (country portfolio/programme evaluation) on the cover", page=1
        )
    # A combined report's audit part is not the evaluation's: its items, figures and tables are left out.
    sections = [placed for placed in _annotate(document_flow(document)) if not placed.in_audit]
    paragraphs = [placed.block for placed in sections if isinstance(placed.block, Paragraph)]
    tables = [placed.block for placed in sections if isinstance(placed.block, Table)]
    header = _report_header(document, cover, paragraphs)

    findings = _findings(sections)
    recommendations, actions = _recommendations(sections)
    if not findings and not recommendations and document_language(document) in (_LAYOUT.body_language, None):
        raise ExtractionError(
            document.file_name, "evaluation template not recognised: no numbered findings or recommendations"
        )
    projects = _portfolio(tables)

    body = [p for p in paragraphs if not _LAYOUT.caption.match(p.text)]
    narrative = list(sentences(body))
    period = (header.period_start, header.period_end)
    records: dict[str, list[Any]] = {
        "evaluation_reports": [header],
        "evaluation_findings": findings,
        "evaluation_recommendations": recommendations,
        "evaluation_recommendation_actions": actions,
        "evaluation_lessons": _lessons(sections),
        "evaluation_conclusions": _conclusions(sections),
        "evaluation_portfolio_projects": projects,
        "evaluation_budget_statements": budget_statements(narrative, period),
        "evaluation_programme_statements": programme_statements(narrative, [p.project_name for p in projects]),
        "evaluation_key_figures": key_figures(narrative, header.country),
    }
    named = f"{header.evaluation_type} — {header.country}" if header.country else header.evaluation_type
    info = ReportInfo(
        title=cover.fields.get("title", named),
        country=header.country,
        report_year=_report_year(document, cover, paragraphs),
        period_start=header.period_start,
        period_end=header.period_end,
        source_page=header.source_page,
    )
    return ParsedReport(info=info, records=records)


# --- Report header ---------------------------------------------------------------------------------


def _report_header(document: Document, cover: EvaluationCover, paragraphs: list[Paragraph]) -> EvaluationReport:
    country = _cover_country(cover) or find_country(cover_text(document, _LAYOUT.cover))
    text = "\n".join(p.text for p in paragraphs)
    periods = Counter(
        (int(a), int(b)) for a, b in _LAYOUT.programme_period.findall(text) if int(a) < int(b) <= int(a) + 15
    )
    period = periods.most_common(1)[0][0] if periods else find_period(cover_text(document, _LAYOUT.cover))
    entity = _main_entity(text)
    office = f"{entity} {country} Country Office" if entity and country else None
    return EvaluationReport(
        evaluation_type=cover.evaluation_type,
        entity=entity,
        office=office,
        country=country,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        evaluators=cover.fields.get("evaluators"),
        evaluation_manager=cover.fields.get("evaluation_manager"),
        source_page=cover.anchor,
    )


def _cover_country(cover: EvaluationCover) -> str | None:
    """The country a key/value cover's title names, else the one printed with the title (after it, or on the next lines)."""
    if "title" in cover.fields:
        return find_country(cover.fields["title"])
    for printed in cover.after_title[: _LAYOUT.country_lines]:
        candidate = printed.strip(" :–—-")
        if candidate and len(candidate) <= _LAYOUT.country_line_chars:
            country = find_country(candidate.title())
            if country:
                return country
    return None


def _main_entity(text: str) -> str | None:
    counts = Counter({entity: len(re.findall(rf"\b{re.escape(entity)}\b", text)) for entity in _LAYOUT.entities})
    entity, hits = counts.most_common(1)[0]
    return entity if hits else None


def _report_year(document: Document, cover: EvaluationCover, paragraphs: list[Paragraph]) -> int | None:
    """The year a key/value cover dates the report, else the copyright year wherever the imprint is printed, else
    the year the cover states."""
    dated = stated_year(cover.fields["report_date"]) if "report_date" in cover.fields else None
    if dated is not None:
        return dated
    for paragraph in paragraphs:
        found = COPYRIGHT.search(paragraph.text)
        if found:
            return int(found.group(1))
    return stated_year(cover_text(document, _LAYOUT.cover))


# --- Sections --------------------------------------------------------------------------------------


@dataclass
class _Placed:
    """A block with the section it sits in and the heading above it."""

    block: Block
    kind: str | None
    heading: str | None
    boundary: bool = False  # a heading that opens a new section or subsection
    in_audit: bool = False  # in the audit part of a combined evaluation and audit


def _annotate(flow: list[Block]) -> list[_Placed]:
    kind: str | None = None
    heading: str | None = None
    in_audit = False
    placed = []
    for block in flow:
        boundary = False
        if isinstance(block, Paragraph) and not block.bullet and not _marker_of(block.text):
            text = block.text
            in_audit = _part_is_audit(block, in_audit)
            top = _LAYOUT.top_heading.match(text) if (text.isupper() or block.heading) else None
            sub = _LAYOUT.sub_heading.match(text) if len(text) <= 110 else None
            section_kind = _section_keyword(text)
            if top or (section_kind and _is_caps_heading(text)):
                kind = section_kind or "other"
                heading, boundary = None, True
            elif sub:
                kind = _section_keyword(sub.group("title")) or kind
                heading, boundary = _as_heading(sub.group("title")), True
            elif kind == "findings" and _is_caps_heading(text) and _criterion_in(text):
                heading, boundary = _as_heading(text), True
        placed.append(_Placed(block, kind, heading, boundary, in_audit))
    return placed


def _part_is_audit(paragraph: Paragraph, in_audit: bool) -> bool:
    """Whether the text from ``paragraph`` on is an audit's: a part heading opens the audit or the evaluation."""
    is_heading = paragraph.heading or paragraph.text.isupper()
    if not is_heading or len(paragraph.text.split()) > _LAYOUT.part_heading_words:
        return in_audit
    if _LAYOUT.audit_part.match(paragraph.text):
        return True
    if _LAYOUT.evaluation_part.match(paragraph.text):
        return False
    return in_audit


def _section_keyword(text: str) -> str | None:
    hits = [(m.start(), kind) for kind, pattern in _LAYOUT.section_keywords if (m := pattern.search(text))]
    return min(hits)[1] if hits else None


def _is_caps_heading(text: str) -> bool:
    words = re.sub(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+", "", text).split()
    return 0 < len(words) <= 8 and text.isupper()


def _criterion_in(text: str) -> str | None:
    lowered = text.lower()
    for criterion in _LAYOUT.criteria:
        if re.search(rf"\b{criterion.lower()}\b", lowered):
            return criterion
    if "gender equality" in lowered or "human rights" in lowered:
        return "Gender equality and human rights"
    return None


def _as_heading(text: str) -> str:
    text = text.strip().rstrip(":")
    return text[0] + text[1:].lower() if text.isupper() else text


# --- Numbered items --------------------------------------------------------------------------------


@dataclass
class _Item:
    number: int
    marker: Paragraph
    separator: str | None
    rest: str
    heading: str | None
    blocks: list[Block] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph) and not _LAYOUT.caption.match(b.text)]


def _marker_of(text: str) -> tuple[str, re.Match[str]] | None:
    for name, pattern in _LAYOUT.markers.items():
        match = pattern.match(text)
        if match:
            return name, match
    return None


def _items(sections: list[_Placed], name: str, bare_numbers_in: str | None = None) -> list[_Item]:
    """The longest run of items numbered 1, 2, 3, … (the later one when two runs are as long)."""
    runs: list[list[_Item]] = []
    current: _Item | None = None
    for placed in sections:
        block = placed.block
        number, separator, rest = _numbered(block, name, bare_numbers_in is not None and placed.kind == bare_numbers_in)
        if number is not None and isinstance(block, Paragraph):  # only paragraphs are numbered
            if number == 1 or (runs and number == runs[-1][-1].number + 1):
                current = _Item(number, block, separator, rest, placed.heading)
                if number == 1:
                    runs.append([current])
                else:
                    runs[-1].append(current)
            else:
                # Out of sequence: a summary listing items in another order, or a cross-reference.
                current = None
            continue
        if current is None:
            continue
        if placed.boundary or _ends_item(block, name):
            current = None
            continue
        current.blocks.append(block)
    return max(enumerate(runs), key=lambda pair: (len(pair[1]), pair[0]))[1] if runs else []


def _numbered(block: Block, name: str, bare_allowed: bool) -> tuple[int | None, str | None, str]:
    if not isinstance(block, Paragraph) or block.bullet:
        return None, None, ""
    found = _LAYOUT.markers[name].match(block.text)
    if found:
        return int(found.group("no")), found.group("sep"), found.group("rest").strip()
    if bare_allowed:
        bare = _LAYOUT.bare_number.match(block.text)
        if bare:
            return int(bare.group("no")), None, ""
    return None, None, ""


def _ends_item(block: Block, name: str) -> bool:
    """Another kind of numbered item (a conclusion after the last lesson) ends the current one."""
    marker = _marker_of(block.text) if isinstance(block, Paragraph) else None
    return marker is not None and marker[0] != name


def _title_and_statement(item: _Item) -> tuple[str | None, str, list[Paragraph]]:
    """Split an item into its optional short title, its statement and the paragraphs after it."""
    paragraphs = item.paragraphs()
    if item.rest:
        title, statement = None, item.rest
        titled = _LAYOUT.item_title.match(item.rest) if item.separator == "." else None
        if titled and len(titled.group("title").split()) <= 12:
            title, statement = titled.group("title").strip(), titled.group("rest")
        return title, statement, [item.marker, *paragraphs]
    plain = [p for p in paragraphs if not p.bullet]
    if not plain:
        return None, "", [item.marker]
    first = plain[0]
    return None, first.text, [item.marker, *paragraphs[paragraphs.index(first) :]]


def _findings(sections: list[_Placed]) -> list[Finding]:
    findings = []
    for item in _items(sections, "finding"):
        title, statement, used = _title_and_statement(item)
        if not statement:
            continue
        statement_paragraph = used[1] if not item.rest and len(used) > 1 else item.marker
        criterion = _criterion_in(title or "") or _criterion_in(item.heading or "")
        findings.append(
            Finding(
                finding_no=item.number,
                title=title,
                criterion=criterion,
                criterion_heading=item.heading,
                headline=statement,
                source_page=item.marker.anchor_first,
                source_page_last=statement_paragraph.anchor_last,
            )
        )
    return findings


def _conclusions(sections: list[_Placed]) -> list[Conclusion]:
    out = []
    for item in _items(sections, "conclusion"):
        title, statement, used = _title_and_statement(item)
        if not statement:
            continue
        body = _body_after(used, item)
        out.append(Conclusion(item.number, title, statement, body, item.marker.anchor_first, _last_anchor(used)))
    return out


def _lessons(sections: list[_Placed]) -> list[Lesson]:
    out = []
    for item in _items(sections, "lesson", bare_numbers_in="lessons"):
        _, statement, used = _title_and_statement(item)
        if not statement:
            continue
        out.append(
            Lesson(item.number, statement, _body_after(used, item), item.marker.anchor_first, _last_anchor(used))
        )
    return out


def _body_after(used: list[Paragraph], item: _Item) -> str | None:
    skip = 1 if item.rest else 2
    rest = [p.text for p in used[skip:]]
    return "\n".join(rest) if rest else None


def _last_anchor(paragraphs: list[Paragraph]) -> int:
    return max(p.anchor_last for p in paragraphs)


# --- Recommendations -------------------------------------------------------------------------------


def _recommendations(sections: list[_Placed]) -> tuple[list[Recommendation], list[RecommendationAction]]:
    recommendations: list[Recommendation] = []
    actions: list[RecommendationAction] = []
    for item in _items(sections, "recommendation"):
        parsed = _RecommendationBlock(item)
        if not parsed.text:
            continue
        item_actions = [
            RecommendationAction(item.number, number, *action) for number, action in enumerate(parsed.actions, start=1)
        ]
        actions.extend(item_actions)
        start, end = _years(parsed.attributes.get("timeframe"))
        recommendations.append(
            Recommendation(
                rec_no=item.number,
                text=parsed.text,
                priority=parsed.attributes.get("priority"),
                impact=parsed.attributes.get("impact"),
                difficulty=parsed.attributes.get("difficulty"),
                timeframe=parsed.attributes.get("timeframe"),
                timeframe_start_year=start,
                timeframe_end_year=end,
                management_response=parsed.attributes.get("management_response"),
                n_actions=len(item_actions),
                source_page=item.marker.anchor_first,
                source_page_last=max(parsed.anchors),
            )
        )
    return recommendations, actions


class _RecommendationBlock:
    """Text, attributes and actions of one recommendation, whatever order the template prints them in."""

    def __init__(self, item: _Item):
        self.text = ""
        self.attributes: dict[str, str] = {}
        self.actions: list[tuple] = []
        self.anchors = [item.marker.anchor_first, item.marker.anchor_last]
        self._pending: list[str] = []
        self._tokens(item.rest, item.marker, first=True)
        for block in item.blocks:
            if isinstance(block, Table):
                self._table(block)
            elif block.bullet:
                self.actions.append(
                    (None, block.text, None, None, None, None, None, block.anchor_first, block.anchor_last)
                )
                self.anchors.append(block.anchor_last)
            elif not _LAYOUT.caption.match(block.text):
                self._tokens(block.text, block, first=not self.text)

    def _tokens(self, text: str, paragraph: Paragraph, first: bool) -> None:
        pieces = []
        position = 0
        for label in _LAYOUT.attribute_label.finditer(text):
            pieces.append(("text", text[position : label.start()]))
            pieces.append(("label", label.group("label")))
            position = label.end()
        pieces.append(("text", text[position:]))
        contributed = False
        for kind, piece in pieces:
            if kind == "label":
                self._pending = _attribute_names(piece)
                contributed = True
                continue
            for part in (p.strip(" :*") for p in piece.split("*")):
                if not part:
                    continue
                if first and not self.text and not self._pending:
                    self.text = part
                    contributed = True
                elif self._pending:
                    for name in self._pending:
                        self.attributes.setdefault(name, part)
                    self._pending = []
                    contributed = True
        if contributed:
            self.anchors.append(paragraph.anchor_last)

    def _table(self, table: Table) -> None:
        columns = _action_columns(table)
        if columns is None:
            return
        header_rows, mapping = columns
        for cells, first, last in _logical_rows(table, header_rows):
            text = _cell(cells, mapping.get("action"))
            if not text:
                continue
            ref = re.match(r"^(?P<ref>\d+(?:\.\d+)*(?:\.?[a-z])?)\.?\s+(?P<text>.*)$", text)
            timeframe = _cell(cells, mapping.get("timeframe"))
            start, end = _years(timeframe)
            self.actions.append(
                (
                    ref.group("ref") if ref else None,
                    ref.group("text") if ref else text,
                    timeframe,
                    start,
                    end,
                    _cell(cells, mapping.get("responsible")),
                    _cell(cells, mapping.get("status")),
                    first,
                    last,
                )
            )
            self.anchors.append(last)


def _attribute_names(label: str) -> list[str]:
    lowered = label.lower()
    if "priority" in lowered and "impact" in lowered:
        return ["priority", "impact"]
    if lowered.startswith("action"):
        return []
    if lowered.startswith("management"):
        return ["management_response"]
    if lowered.startswith("time"):
        return ["timeframe"]
    return [lowered]


def _action_columns(table: Table) -> tuple[int, dict[str, int]] | None:
    header = [c.lower() for c in table.rows[0].cells] if table.rows else []
    if not header or not any("action" in c for c in header):
        return None
    header_rows = 1
    while header_rows < len(table.rows) and not table.rows[header_rows].cells[0].strip():
        header = [f"{h} {c.lower()}".strip() for h, c in zip(header, table.rows[header_rows].cells, strict=False)]
        header_rows += 1
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        if "action" in name and "action" not in mapping:
            mapping["action"] = index
        elif ("time" in name or "deadline" in name) and "timeframe" not in mapping:
            mapping["timeframe"] = index
        elif "responsib" in name and "responsible" not in mapping:
            mapping["responsible"] = index
        elif "status" in name:
            mapping["status"] = index
    if "status" not in mapping:
        empty_headed = [i for i, name in enumerate(header) if not name and i > 0]
        if empty_headed:
            mapping["status"] = empty_headed[-1]
    return header_rows, mapping


def _years(text: str | None) -> tuple[int | None, int | None]:
    """First and last year as printed ("2019–2021" → 2019, 2021), so a reversed range stays visible to the checks."""
    years = [int(y) for y in _YEAR.findall(text or "")]
    return (years[0], years[-1]) if years else (None, None)


# --- Tables ----------------------------------------------------------------------------------------


def _logical_rows(
    table: Table, header_rows: int, first_cell_only_continues: bool = False
) -> list[tuple[tuple[str, ...], int, int]]:
    """Data rows with the pieces of rows cut by a page break merged back.

    A piece is a row the reader marks as the rest of the row above, a row whose
    first cell is empty or, in tables where every row fills several cells, a
    row with nothing but its first cell (a long name cut in the middle).  Header rows repeated inside the table are dropped.
    """
    header = [clean(c) for c in table.rows[0].cells] if table.rows else []
    rows: list[tuple[list[str], int, int]] = []
    for row in table.rows[header_rows:]:
        cells = [clean(c) for c in row.cells]
        if not any(cells) or cells == header:
            continue
        cut_name = first_cell_only_continues and cells[0] and not any(cells[1:])
        if rows and (row.continues or not cells[0] or cut_name):
            merged, first, _ = rows[-1]
            for index, cell in enumerate(cells):
                if index < len(merged):
                    merged[index] = join_lines([merged[index], cell])
                else:
                    merged.append(cell)
            rows[-1] = (merged, first, row.anchor)
            continue
        rows.append((cells, row.anchor, row.anchor))
    return [(tuple(cells), first, last) for cells, first, last in rows]


def _cell(cells: tuple[str, ...], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index].strip() or None


def _portfolio(tables: Iterable[Table]) -> list[PortfolioProject]:
    projects = []
    for table in tables:
        mapping = _portfolio_columns(table)
        if mapping is None:
            continue
        for row_no, (cells, first, last) in enumerate(_logical_rows(table, 1, first_cell_only_continues=True), start=1):
            name = _cell(cells, mapping["name"])
            if not name:
                continue
            duration = _cell(cells, mapping.get("duration"))
            start, end = _years(duration)
            budget_text = _cell(cells, mapping["budget"])
            share, total, basis = _budget_cell(budget_text)
            donor = _cell(cells, mapping.get("donor"))
            projects.append(
                PortfolioProject(
                    table_no=table.table_no,
                    row_no=row_no,
                    project_name=name,
                    duration_text=duration,
                    start_year=start,
                    end_year=end,
                    budget_text=budget_text,
                    entity_share_usd=share,
                    total_budget_usd=total,
                    amount_basis=basis,
                    donor=donor,
                    donor_type=donor_type(donor),
                    source_page=first,
                    source_page_last=last,
                )
            )
    return projects


def _portfolio_columns(table: Table) -> dict[str, int] | None:
    if not table.rows:
        return None
    header = [clean(c).lower() for c in table.rows[0].cells]
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        for column, matches in _LAYOUT.portfolio_columns:
            if column not in mapping and matches(name):
                mapping[column] = index
                break
    return mapping if "name" in mapping and "budget" in mapping else None


def _budget_cell(text: str | None) -> tuple[float | None, float | None, str | None]:
    """(entity share, programme total, basis) from a budget cell that may label its amounts."""
    if not text:
        return None, None, None
    amounts = find_amounts(text, require_currency=False)
    if not amounts:
        return None, None, None
    share = total = None
    unlabelled = []
    position = 0
    for amount in amounts:
        label = text[position : amount.start].lower()
        position = amount.end
        if re.search(r"share|allocat|managed by|portion", label):
            share = share if share is not None else amount.value
        elif re.search(r"total|overall|programme|program|budget", label):
            total = total if total is not None else amount.value
        else:
            unlabelled.append(amount.value)
    if share is None and total is None:
        return unlabelled[0], unlabelled[0], "single amount"
    if share is not None and total is not None:
        return share, total, "share and total"
    return (share, None, "share only") if share is not None else (None, total, "total only")


def donor_type(donor: str | None) -> str | None:
    """Kind of donor, for comparing funding bases across offices."""
    if not donor:
        return None
    text = donor.lower()
    kinds = [
        ("government ministry", r"\bministr(?:y|ies)\b"),
        ("EU", r"\beu\b|european union|european commission"),
        (
            "UN agency",
            r"\bun\b|united nations|\bundp\b|\bunfpa\b|\bunicef\b|un women|\bwfp\b|\bunhcr\b|\bwho\b|\bilo\b|\bfao\b|\biom\b|mptf|peacebuilding fund",
        ),
        ("development bank", r"world bank|development bank|\badb\b|\bebrd\b|\bafdb\b|\bimf\b"),
        (
            "bilateral government",
            r"government|embassy|agency for international development|usaid|\bsida\b|\bgiz\b|fcdo|dfid|\bjica\b|koica",
        ),
        ("foundation", r"foundation|\bfund\b"),
        ("private sector", r"private|company|corporation|\bltd\b|\binc\b"),
    ]
    return next((kind for kind, pattern in kinds if re.search(pattern, text)), "other")
