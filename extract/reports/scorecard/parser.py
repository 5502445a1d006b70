"""UNCT-SWAP Gender Equality Scorecard reports (annual progress and comprehensive assessments).

The parser follows the global template, whatever the country or year:

- cover: "UNCT-SWAP GENDER EQUALITY SCORECARD", the kind of assessment, and
  "United Nations Country Team in <country> <year>";
- "<n>. The UNCT-SWAP Process in <country>": the Inter-Agency Assessment Team
  as a numbered list;
- "<n>. Overview of ...": Table 1, one row per indicator with its rating
  level and whether it was reassessed this year;
- "<n>. UNCT-SWAP Detailed Findings ...": per indicator a "PI x.y" heading,
  the indicator statement, the rating phrase, the dimension, the criteria of
  the rating, findings, "Did you reassess ...: Yes/No" and an optional list
  of means of verification;
- "<n>. ... Action Plan": a ruled table "Link to Performance Indicator |
  Action Points | ACTIVITIES UNDERTAKEN IN YEAR 1 ... YEAR n" (any n), split
  over pages and over several tables by full-width dimension rows;
- "<n>. Supporting Evidence": per indicator a header row (code, statement,
  rating, dimension), a "Category | Documents" row and one row per document,
  or "No documents uploaded".

Reports written before that template (2016-2019) are read in the layout
`UNCT_SWAP_PRE_2018`: the ratings from an annex table (or a table in the
findings chapter), rating and findings per indicator from an annex, the
team where the methodology lists it, and the plan of actions, which has no
year columns: each indicator's rows become one activity with its action
point, who is responsible and by when (where the plan has those columns),
year_index 1 of 1, no calendar year and a 'no_cell' activity (nothing
reports what was done).  A plan column the parser has no reading for is named
in `ScorecardReport.action_plan_columns_not_read`, which a check flags.
Evidence and reassessment answers do not exist there and stay absent.  The
layout is the one whose sections the document has.

Cells cut by page breaks (PDF) or by row breaks (text renditions) arrive as
continuation rows with an empty first cell and are joined back into their
cell.  The action-plan year columns are the report year and the years before
it: with n columns, YEAR k is report year - n + k.

Some reports print an action-plan row label across two cells ("5.1
Coordination Mechanism" | "Gender" | action point | ...): the label spills
into the action-point column and every cell after it moves one column right,
so the row has one cell fewer than there are years.  Such a row is recognised
from the template's indicator names; its cells are read one column to the
left, the first and the last year keep their cells (the baseline year and the
reporting year are the ones every row fills) and the year left without a cell
is kept as an explicit 'no_cell' null, flagged ``label_spilled``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from extract.document.errors import ExtractionError
from extract.document.model import Document, Line, Table, TableRow, set_apart
from extract.metadata import find_country, stated_year
from extract.records import ParsedReport, ReportInfo
from extract.reports.scorecard.layout import LAYOUTS, ScorecardLayout
from extract.reports.scorecard.metrics import find_metrics
from extract.reports.scorecard.records import (
    ActionPlanActivity,
    EvidenceDocument,
    IndicatorDetail,
    MeansOfVerification,
    RatingStatement,
    ScorecardReport,
    StatedMetric,
    TeamMember,
)
from extract.reports.scorecard.team import numbered_item, split_member
from extract.reports.scorecard.template import (
    DEFAULT_EDITION,
    PI_CODE,
    Edition,
    detect_edition,
    find_pi_code,
    label_words,
)
from extract.text.clean import clean
from extract.text.cover import cover_lines
from extract.text.span import Span, paragraphs, span_of


def parse(document: Document, layout: ScorecardLayout | None = None) -> ParsedReport:
    """Read ``document`` in ``layout``, by default in the known layout whose sections it has."""
    return (_ScorecardParser(document, layout) if layout else _parser_for(document)).parse()


def _parser_for(document: Document) -> _ScorecardParser:
    """The parser in the layout of which the document has the largest share of sections (a share, as layouts
    list different numbers of them; the first layout on a tie)."""
    parsers = [_ScorecardParser(document, layout) for layout in LAYOUTS]
    return max(parsers, key=lambda parser: len(parser.sections) / len(parser.layout.sections))


@dataclass
class _Section:
    name: str
    start: int
    end: int


@dataclass
class _ActionRow:
    code: str
    cells: list[Span]
    anchor: int


@dataclass
class _Columns:
    width: int
    label: int
    action: int
    years: list[tuple[int, int]] = field(default_factory=list)  # (column, year number)
    responsible: int | None = None
    timeline: int | None = None
    not_read: tuple[str, ...] = ()  # titles of the columns nothing above reads


class _ScorecardParser:
    def __init__(self, document: Document, layout: ScorecardLayout):
        self.document = document
        self.layout = layout
        self.blocks = list(document.blocks())
        self.sections = self._find_sections()
        self.right_edge = max((line.x1 for line in document.lines() if line.x1 is not None), default=None)
        # Decided from the cover and the text once the assessment year is read (see `parse`).
        self.edition: Edition = DEFAULT_EDITION

    # -- report -------------------------------------------------------------------------------

    def parse(self) -> ParsedReport:
        if "overview" not in self.sections and "details" not in self.sections:
            raise ExtractionError(
                self.document.file_name,
                "no UNCT-SWAP overview table or detailed findings section found (not the scorecard template)",
                page=1,
            )
        cover = self._cover_lines()
        country, year, cover_anchor = self._country_and_year(cover)
        detected = detect_edition(
            " ".join(clean(line.text) for line in cover),
            "\n".join(clean(line.text) for line in self.document.lines()),
            year,
            [clean(cell) for table in self.document.tables for row in table.rows for cell in row.cells],
        )
        self.edition = detected.edition
        assessment_type = self._assessment_type(cover)
        statements = self._overview()
        details, detail_statements, verification, metrics = self._details()
        evidence, evidence_statements = self._evidence()
        printed_names = self._printed_names(statements + detail_statements + evidence_statements)
        columns, activities = self._action_plan(year, printed_names)
        team = self._team(country)
        report = ScorecardReport(
            country=country,
            assessment_year=year,
            assessment_type=assessment_type,
            framework_edition=detected.edition.key,
            framework_edition_basis=detected.basis,
            action_plan_year_columns=len(columns.years) if columns else 0,
            action_plan_columns_not_read="; ".join(columns.not_read) if columns and columns.not_read else None,
            source_page=cover_anchor,
        )
        info = ReportInfo(
            title=self._title(cover),
            country=country,
            report_year=year,
            period_start=None,
            period_end=None,
            source_page=cover_anchor,
        )
        return ParsedReport(
            info=info,
            records={
                "scorecard_reports": [report],
                "scorecard_rating_statements": statements + detail_statements + evidence_statements,
                "scorecard_indicator_details": details,
                "scorecard_action_plan_activities": activities,
                "scorecard_evidence_documents": evidence,
                "scorecard_means_of_verification": verification,
                "scorecard_team_members": team,
                "scorecard_stated_metrics": metrics,
            },
        )

    def _find_sections(self) -> dict[str, _Section]:
        """Each numbered section starts at a line in the template's wording; of several such lines (a contents
        list without page numbers, a cross-reference), the first one set apart as a heading (bold or larger
        than the body text), else the first one (a text rendition has no typography)."""
        candidates: dict[str, list[tuple[int, Line]]] = {}
        body_size = self.document.body_font_size()
        for index, block in enumerate(self.blocks):
            if not isinstance(block, Line):
                continue
            text = clean(block.text)
            if self.layout.not_a_toc_entry.search(text):
                continue
            name = self._section_titled(text) or self._section_titled(self._wrapped_heading(index, body_size))
            if name:
                candidates.setdefault(name, []).append((index, block))
        starts = []
        for name, lines in candidates.items():
            headings = [(index, line) for index, line in lines if set_apart(line, body_size)]
            starts.append(((headings or lines)[0][0], name))
        starts.sort()
        sections: dict[str, _Section] = {}
        for position, (index, name) in enumerate(starts):
            end = starts[position + 1][0] if position + 1 < len(starts) else len(self.blocks)
            sections[name] = _Section(name, index + 1, end)
        return sections

    def _section_titled(self, text: str | None) -> str | None:
        if text is None:
            return None
        return next((name for name, pattern in self.layout.sections.items() if pattern.match(text)), None)

    def _wrapped_heading(self, index: int, body_size: float | None) -> str | None:
        """A heading set over two lines (both set apart, in one size, on one page) as one title: a long annex
        title wraps before the words that name it ("... Scorecard Indicator" / "Ratings")."""
        line = self.blocks[index]
        rest = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        if not (isinstance(line, Line) and isinstance(rest, Line)):
            return None
        if not (set_apart(line, body_size) and set_apart(rest, body_size)):
            return None
        if rest.page != line.page or rest.font_size != line.font_size:
            return None
        return f"{clean(line.text)} {clean(rest.text)}"

    def _lines(self, section: str) -> list[Line]:
        found = self.sections.get(section)
        if not found:
            return []
        return [b for b in self.blocks[found.start : found.end] if isinstance(b, Line)]

    def _tables(self, section: str) -> list[Table]:
        found = self.sections.get(section)
        if not found:
            return []
        return [b for b in self.blocks[found.start : found.end] if isinstance(b, Table)]

    def _cover_lines(self) -> list[Line]:
        return cover_lines(self.document, self.layout.cover)

    def _country_and_year(self, cover: list[Line]) -> tuple[str | None, int | None, int | None]:
        for line in cover:
            text = clean(line.text)
            match = self.layout.country_team.search(text) or self.layout.unct_short.search(text)
            if match:
                printed = match["country"].strip(" ,")
                return find_country(printed) or printed, int(match["year"]), line.anchor
        text = "\n".join(clean(line.text) for line in cover)
        first = cover[0].anchor if cover else None
        return find_country(text), self._year_stated(text), first

    def _year_stated(self, cover: str) -> int | None:
        """The assessment's year as the cover states it, else as the body says when the assessment was made."""
        pattern = self.layout.assessment_year
        if pattern is None:
            return stated_year(cover)
        on_cover = pattern.search(cover)
        if on_cover:
            return int(on_cover["year"])
        year = stated_year(cover)
        if year is not None:
            return year
        in_body = pattern.search(" ".join(clean(line.text) for line in self.document.lines()))
        return int(in_body["year"]) if in_body else None

    @staticmethod
    def _assessment_type(cover: list[Line]) -> str | None:
        text = " ".join(clean(line.text) for line in cover).lower()
        if "comprehensive" in text:
            return "comprehensive"
        if "annual progress" in text or "progress assessment" in text:
            return "annual_progress"
        return None

    def _title(self, cover: list[Line]) -> str:
        parts = []
        for line in cover:
            text = clean(line.text)
            if self.layout.title_line.search(text):
                parts.append(text)
            if len(parts) == 3:
                break
        return " — ".join(parts) or (self.document.title or "UNCT-SWAP Gender Equality Scorecard")

    # -- assessment team ----------------------------------------------------------------------

    def _team(self, country: str | None) -> list[TeamMember]:
        lines = self._lines("process")
        start = next((i for i, line in enumerate(lines) if self.layout.team_start.match(clean(line.text))), None)
        if start is None:
            return []
        items: list[tuple[int, Span]] = []
        previous = lines[start]
        for line in lines[start + 1 :]:
            text = clean(line.text)
            if self.layout.team_end is not None and self.layout.team_end.match(text):
                break
            item = numbered_item(text)
            if item:
                span = Span()
                span.add(item[1], line.anchor)
                items.append((item[0], span))
            elif items and (self.layout.team_end is not None or self._wraps_onto(previous, line)):
                items[-1][1].add(text, line.anchor)
            elif items:
                break
            previous = line
        members = []
        for number, span in items:
            member = split_member(number, span.text, country)
            members.append(
                TeamMember(
                    member_no=number,
                    member_name=member.name,
                    role=member.role,
                    un_entity=member.un_entity,
                    entity_text=member.entity_text,
                    listed_text=member.listed_text,
                    source_page=span.first,
                    source_page_last=span.last,
                )
            )
        return members

    # -- Table 1 ------------------------------------------------------------------------------

    def _overview(self) -> list[RatingStatement]:
        for table in self._tables("overview"):
            header = [clean(c).lower() for c in table.rows[0].cells]
            rating_col = next((i for i, h in enumerate(header) if "rating" in h), None)
            if rating_col is None:
                rating_col = _rating_column(table, self.edition)
            if rating_col is None:
                continue
            reassessed_col = next((i for i, h in enumerate(header) if "reassess" in h), None)
            statements = []
            for row in table.rows[1:]:
                cells = [clean(c) for c in row.cells]
                # The code sits in the first column, or after a dimension column.
                coded = next(((cell, found) for cell in cells[:rating_col] if (found := find_pi_code(cell))), None)
                if coded is None or rating_col >= len(cells):
                    continue
                if len({found.group(0) for cell in cells[:rating_col] for found in PI_CODE.finditer(cell)}) > 1:
                    # Rows of several indicators read as one (a table without rules whose first column is
                    # sparse): which rating is whose is unknown, so none is stated for them.
                    continue
                reassessed = (
                    _yes_no(cells[reassessed_col])
                    if reassessed_col is not None and reassessed_col < len(cells)
                    else None
                )
                label, code = coded
                statements.append(
                    RatingStatement(
                        pi_code=code,
                        section="overview",
                        rating_text=cells[rating_col],
                        rating=self.edition.rating_from_phrase(cells[rating_col]),
                        indicator_label=_indicator_label(label),
                        reassessed=reassessed,
                        source_page=row.anchor,
                    )
                )
            return statements
        return []

    # -- detailed findings --------------------------------------------------------------------

    def _details(
        self,
    ) -> tuple[list[IndicatorDetail], list[RatingStatement], list[MeansOfVerification], list[StatedMetric]]:
        blocks: list[tuple[str, Line, list[Line]]] = []
        body_size = self.document.body_font_size()
        for line in self._lines("details"):
            text = clean(line.text)
            heading = self.layout.pi_heading.match(text)
            if heading and self.layout.headings_set_apart and line.font_size is not None:
                # A body line may start with a code where it wraps ("... in indicator / 1.2 shows"): with
                # typography, only a line set as a heading opens an indicator's block.
                heading = heading if set_apart(line, body_size) else None
            intro = self.layout.indicator_statement.match(text)
            if heading:
                blocks.append((f"{heading[1]}.{heading[2]}", line, []))
            elif intro and (not blocks or blocks[-1][0] != f"{intro[1]}.{intro[2]}"):
                blocks.append((f"{intro[1]}.{intro[2]}", line, [line]))
            elif self.layout.dimension_area.match(text) and blocks:
                blocks.append(("", line, []))
            elif blocks:
                blocks[-1][2].append(line)
        details, statements, verification, metrics = [], [], [], []
        for code, heading_line, lines in blocks:
            if not code:
                continue
            if self.layout.findings_only:
                detail, statement, found = self._findings_block(code, heading_line, lines)
                items = []
            else:
                detail, statement, items, found = self._indicator_block(code, heading_line, lines)
            details.append(detail)
            if statement:
                statements.append(statement)
            verification.extend(items)
            metrics.extend(found)
        return details, statements, verification, metrics

    def _indicator_block(self, code: str, heading: Line, lines: list[Line]):
        position = 0
        statement = Span()
        intro = self.layout.indicator_statement.match(clean(lines[0].text)) if lines else None
        if intro:
            statement.add(intro[3], lines[0].anchor)
            position = 1
        rating_text, dimension_label, position = self._heading_block(lines, position, statement)
        reassess_at = next(
            (i for i in range(position, len(lines)) if self.layout.reassess_question.match(clean(lines[i].text))),
            len(lines),
        )
        criteria, findings = self._criteria_and_findings(lines[position:reassess_at])
        reassessed, after_answer = self._reassessed(lines, reassess_at)
        items = self._means_of_verification(code, lines[after_answer:])
        anchors = [heading.anchor] + [line.anchor for line in lines]
        detail = IndicatorDetail(
            pi_code=code,
            heading=clean(heading.text),
            indicator_statement=statement.value(),
            dimension_label=dimension_label,
            rating_text=rating_text,
            criteria_text=criteria.value() if criteria else None,
            findings_text=findings.value() if findings else None,
            source_page=min(anchors),
            source_page_last=max(anchors),
        )
        rating_line = (
            next((line for line in lines if clean(line.text) == rating_text), heading) if rating_text else heading
        )
        rating_statement = (
            RatingStatement(
                pi_code=code,
                section="detail",
                rating_text=rating_text,
                rating=self.edition.rating_from_phrase(rating_text),
                indicator_label=_indicator_label(clean(heading.text)),
                reassessed=reassessed,
                source_page=rating_line.anchor,
            )
            if rating_text
            else None
        )
        return detail, rating_statement, items, _stated_metrics(code, findings)

    def _findings_block(
        self, code: str, heading: Line, lines: list[Line]
    ) -> tuple[IndicatorDetail, RatingStatement | None, list[StatedMetric]]:
        """An indicator's rating and findings: the first rating the heading or a line states ("Rating: Meets
        minimum requirements", "APPROACHES MINIMUM REQUIREMENTS"); every other line but a label is findings."""
        in_heading = self.edition.rating_phrase.search(clean(heading.text))
        rating_text, rating_line = (in_heading.group(0), heading) if in_heading else (None, None)
        findings = Span()
        for line in lines:
            text = clean(line.text)
            labelled = self.layout.rating_label.match(text)
            stated = (
                labelled["rating"].strip(" .")
                if labelled and self.edition.rating_from_phrase(labelled["rating"])
                else None
            )
            if rating_text is None and (stated or _is_rating_line(text, self.edition)):
                rating_text, rating_line = stated or text, line
            elif not self.layout.findings_heading.match(text):
                findings.add(text, line.anchor)
        anchors = [heading.anchor] + [line.anchor for line in lines]
        detail = IndicatorDetail(
            pi_code=code,
            heading=clean(heading.text),
            indicator_statement=None,
            dimension_label=None,
            rating_text=rating_text,
            criteria_text=None,
            findings_text=findings.value(),
            source_page=min(anchors),
            source_page_last=max(anchors),
        )
        statement = (
            RatingStatement(
                pi_code=code,
                section="detail",
                rating_text=rating_text,
                rating=self.edition.rating_from_phrase(rating_text),
                indicator_label=_indicator_label(self.edition.rating_phrase.sub("", clean(heading.text)).strip()),
                reassessed=None,
                source_page=rating_line.anchor,
            )
            if rating_text and rating_line
            else None
        )
        return detail, statement, _stated_metrics(code, findings if findings.text else None)

    def _heading_block(self, lines: list[Line], position: int, statement: Span) -> tuple[str | None, str | None, int]:
        """Statement lines, then the rating phrase and the dimension label in either order."""
        rating_text: str | None = None
        dimension_label: str | None = None
        start = position
        while position < len(lines):
            text = clean(lines[position].text)
            if self.layout.reassess_question.match(text):
                break
            if rating_text is None and _is_rating_line(text, self.edition):
                rating_text = text
                position += 1
                continue
            if (
                position > 0
                and statement.text
                and text[:1].islower()
                and self._wraps_onto(lines[position - 1], lines[position])
            ):
                # The statement's wrapped last line, however much it reads like a dimension ("results"); a
                # dimension label starts with a capital, so one right under a full statement line stays a label.
                statement.add(text, lines[position].anchor)
                position += 1
                continue
            label, used = _dimension_label(lines, position, self.edition)
            if dimension_label is None and label:
                dimension_label = label
                position += used
                continue
            if rating_text is None and dimension_label is None and position - start < 6:
                statement.add(text, lines[position].anchor)
                position += 1
                continue
            break
        if rating_text is None and dimension_label is None:
            # No heading block where the template puts it: read everything after the intro as findings.
            statement.text, statement.anchors, statement.offsets = "", [], []
            return None, None, start
        return rating_text, dimension_label, position

    def _criteria_and_findings(self, lines: list[Line]) -> tuple[Span | None, Span | None]:
        """The criteria of the rating, then the findings: split at the template's findings label when it is
        printed (a page break may glue the label to a paragraph), else by paragraphs."""
        label_at = next(
            (i for i, line in enumerate(lines) if self.layout.findings_heading.match(clean(line.text))), None
        )
        if label_at is not None:
            before, after = lines[:label_at], lines[label_at + 1 :]
            findings = span_of(after) if after else None
            return (span_of(before) if before else None), (findings if findings and findings.text else None)
        groups = paragraphs(lines)
        criteria: Span | None = None
        findings = Span()
        for index, group in enumerate(groups):
            text = clean(" ".join(line.text for line in group))
            if self.layout.findings_heading.match(text):
                continue
            if index == 0:
                criteria = span_of(group)
                continue
            for line in group:
                findings.add(line.text, line.anchor)
        return criteria, (findings if findings.text else None)

    def _reassessed(self, lines: list[Line], question_at: int) -> tuple[bool | None, int]:
        if question_at >= len(lines):
            return None, question_at
        question = clean(lines[question_at].text)
        inline = self.layout.reassess_inline_answer.search(question)
        if inline:
            return inline[1].lower() == "yes", question_at + 1
        for index in range(question_at + 1, min(question_at + 3, len(lines))):
            answer = self.layout.answer.search(clean(lines[index].text))
            if answer and len(clean(lines[index].text)) <= 6:
                return answer[1].lower() == "yes", index + 1
        return None, question_at + 1

    def _means_of_verification(self, code: str, lines: list[Line]) -> list[MeansOfVerification]:
        start = next(
            (i for i, line in enumerate(lines) if self.layout.verification_header.match(clean(line.text))), None
        )
        if start is None:
            return []
        position = start
        header = clean(lines[position].text)
        # The question's example list runs over lines until its closing parenthesis.
        while "(" in header and not header.rstrip(".").endswith(")") and position + 1 < len(lines):
            position += 1
            header = f"{header} {clean(lines[position].text)}"
        body = lines[position + 1 :]
        while body and clean(body[0].text).endswith(":"):
            body = body[1:]
        items: list[Span] = []
        marked = sum(1 for line in body if self.layout.list_marker.match(clean(line.text)))
        item_indent = _most_common_indent(body)
        previous: Line | None = None
        for line in body:
            text = clean(line.text)
            bullet = self.layout.list_marker.match(text)
            if marked >= 2 or (marked and line.top is None):
                starts_item = bool(bullet)
            elif line.top is None:
                starts_item = True
            else:
                starts_item = self._starts_unmarked_item(line, previous, item_indent)
            if starts_item or not items:
                items.append(Span())
            items[-1].add(text[bullet.end() :] if bullet else text, line.anchor)
            previous = line
        return [
            MeansOfVerification(
                pi_code=code,
                item_no=number,
                item_text=span.text.rstrip(";,").strip(),
                source_page=span.first,
                source_page_last=span.last,
            )
            for number, span in enumerate(items, start=1)
            if span.text
        ]

    def _wraps_onto(self, previous: Line, line: Line) -> bool:
        """Whether a PDF line is the wrapped rest of the line above: right under it on the same page, the
        line above running to the right edge of the text."""
        if previous.top is None or line.top is None or previous.x1 is None or self.right_edge is None:
            return False
        size = previous.font_size or 10.0
        return (
            previous.page == line.page
            and 0 < line.top - previous.top <= size * 1.5
            and previous.x1 >= self.right_edge - self.layout.wrap_slack
        )

    def _starts_unmarked_item(self, line: Line, previous: Line | None, item_indent: float | None) -> bool:
        """A PDF list item without a text bullet starts where the previous line stopped short."""
        if previous is None:
            return True
        if item_indent is not None and line.x0 is not None and line.x0 < item_indent - 2:
            return False
        if previous.page != line.page or self.right_edge is None or previous.x1 is None:
            return True
        return previous.x1 < self.right_edge - self.layout.wrap_slack

    # -- action plan --------------------------------------------------------------------------

    def _printed_names(self, statements: list[RatingStatement]) -> dict[str, list[set[str]]]:
        """Every name of each indicator: the edition's, and the ones this report prints beside its code (all an
        edition whose indicator list the project does not hold has)."""
        names: dict[str, list[set[str]]] = {}
        for statement in statements:
            names.setdefault(statement.pi_code, self.edition.indicator_labels(statement.pi_code))
            if statement.indicator_label:
                names[statement.pi_code].append(set(label_words(statement.indicator_label)))
        return names

    def _action_plan(
        self, report_year: int | None, indicator_names: dict[str, list[set[str]]]
    ) -> tuple[_Columns | None, list[ActionPlanActivity]]:
        columns: _Columns | None = None
        rows: list[_ActionRow] = []
        in_dimension_row = False
        tables = [table for section in self.layout.action_plan_sections for table in self._tables(section)]
        for table in tables:
            for row in table.rows:
                cells = [clean(c) for c in row.cells]
                header = _header_columns(cells, self.layout)
                if header:
                    columns = header
                    continue
                if columns is None:
                    continue
                if len(cells) != columns.width:
                    raise ExtractionError(
                        self.document.file_name,
                        f"action-plan row has {len(cells)} cells where the table has {columns.width} columns",
                        page=table.page_first if self.document.source_kind == "pdf" else None,
                    )
                in_dimension_row = self._add_action_row(rows, cells, row, columns, in_dimension_row)
        if columns is None:
            return None, []
        if not columns.years:
            return columns, _planned_actions(rows, columns, self.layout)
        activities: list[ActionPlanActivity] = []
        for action_row in rows:
            names = indicator_names.get(action_row.code) or self.edition.indicator_labels(action_row.code)
            activities.extend(_activities(action_row, columns, report_year, self.layout, names))
        return columns, activities

    def _add_action_row(
        self, rows: list[_ActionRow], cells: list[str], row: TableRow, columns: _Columns, in_dimension_row: bool
    ) -> bool:
        """Add a table row to the indicator rows; whether it is (the rest of) a full-width dimension row."""
        first = cells[columns.label]
        rest_empty = all(not c for i, c in enumerate(cells) if i != columns.label)
        if not any(cells):
            return in_dimension_row
        if rest_empty and self.layout.dimension_area.match(first):
            return True
        code = self.layout.row_code.match(first)
        if code:
            spans = [Span() for _ in cells]
            for index, cell in enumerate(cells):
                spans[index].add(cell, row.anchor)
            rows.append(_ActionRow(f"{code[1]}.{code[2]}", spans, row.anchor))
            return False
        if in_dimension_row and rest_empty:
            return True  # a dimension label that wraps into a row of its own (cut by a page break)
        if not rows:
            raise ExtractionError(
                self.document.file_name,
                "action-plan continuation row before any indicator row",
                page=row.anchor if self.document.source_kind == "pdf" else None,
            )
        for index, cell in enumerate(cells):
            rows[-1].cells[index].add(cell, row.anchor)
        return False

    # -- supporting evidence ------------------------------------------------------------------

    def _evidence(self) -> tuple[list[EvidenceDocument], list[RatingStatement]]:
        documents: list[tuple[str, str | None, Span]] = []
        statements: list[RatingStatement] = []
        rated: set[str] = set()
        code: str | None = None
        previous_anchor: int | None = None
        for table in self._tables("evidence"):
            for row in table.rows:
                cells = [clean(c) for c in row.cells] + ["", ""]
                first, second = cells[0], cells[1]
                new_page = (
                    self.document.source_kind == "pdf" and previous_anchor is not None and row.anchor != previous_anchor
                )
                previous_anchor = row.anchor
                if self.layout.evidence_header.match(first):
                    code = find_pi_code(first)
                    rating = self.edition.rating_phrase.search(first)
                    if rating and code and code not in rated:
                        rated.add(code)
                        statements.append(self._evidence_rating(code, rating.group(0), first, row.anchor))
                    continue
                if code is None:
                    continue
                filled = [c for c in cells if c]
                if len(filled) == 1 and _is_rating_line(filled[0], self.edition):
                    # A header row repeated on the next page repeats the rating: state it once.
                    if code not in rated:
                        rated.add(code)
                        statements.append(self._evidence_rating(code, filled[0], None, row.anchor))
                    continue
                if self.layout.category_header.match(first):
                    continue
                if not first and second and not self.layout.no_documents.search(second):
                    last = documents[-1] if documents and documents[-1][0] == code else None
                    if last is not None and new_page:
                        last[2].add(second, row.anchor)
                        continue
                if not second or self.layout.no_documents.search(second):
                    continue
                span = Span()
                span.add(second, row.anchor)
                documents.append((code, first or None, span))
        records: list[EvidenceDocument] = []
        numbers: dict[str, int] = {}
        for code, category, span in documents:
            numbers[code] = numbers.get(code, 0) + 1
            records.append(
                EvidenceDocument(
                    pi_code=code,
                    item_no=numbers[code],
                    category=category,
                    document_name=span.text,
                    source_page=span.first,
                    source_page_last=span.last,
                )
            )
        return records, statements

    def _evidence_rating(self, code: str, text: str, header: str | None, anchor: int) -> RatingStatement:
        return RatingStatement(
            pi_code=code,
            section="evidence",
            rating_text=text,
            rating=self.edition.rating_from_phrase(text),
            indicator_label=_indicator_label(self.edition.rating_phrase.sub("", header)) if header else None,
            reassessed=None,
            source_page=anchor,
        )


def _yes_no(text: str) -> bool | None:
    lowered = text.strip().lower().rstrip(".")
    return True if lowered == "yes" else False if lowered == "no" else None


def _is_rating_line(text: str, edition: Edition) -> bool:
    match = edition.rating_phrase.search(text)
    return match is not None and not text[: match.start()].strip() and not text[match.end() :].strip(" .*")


def _rating_column(table: Table, edition: Edition) -> int | None:
    """The column of a table without a "Rating" header whose cells are mostly rating words."""
    votes: dict[int, int] = {}
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if index and edition.rating_from_phrase(clean(cell)):
                votes[index] = votes.get(index, 0) + 1
    best = max(votes, key=lambda index: votes[index], default=None)
    return best if best is not None and votes[best] * 2 >= len(table.rows) else None


def _dimension_label(lines: list[Line], position: int, edition: Edition) -> tuple[str | None, int]:
    """The dimension label at ``position``, printed on one line or wrapped over two."""
    one = clean(lines[position].text)
    if edition.dimension_for_label(one):
        return one, 1
    if position + 1 < len(lines):
        two = f"{one} {clean(lines[position + 1].text)}"
        if edition.dimension_for_label(two):
            return two, 2
    return None, 0


def _indicator_label(text: str) -> str | None:
    """The indicator's name as a label prints it around its code: "PI 1.1: Common Country Analysis" -> the name."""
    match = PI_CODE.search(text)
    if match is None:
        return text or None
    rest = f"{text[: match.start()]} {text[match.end() :]}"
    return (
        re.sub(
            r"^\W*(?:(?:PI|Performance\s+Indicator|Indicator)\b)?[\s:.–-]*", "", rest.strip(), flags=re.IGNORECASE
        ).strip()
        or None
    )


def _most_common_indent(lines: list[Line]) -> float | None:
    indents = [round(line.x0) for line in lines if line.x0 is not None]
    return max(set(indents), key=indents.count) if indents else None


def _stated_metrics(code: str, findings: Span | None) -> list[StatedMetric]:
    if findings is None:
        return []
    return [
        StatedMetric(
            pi_code=code,
            metric=metric.metric,
            value=metric.value,
            unit=metric.unit,
            numerator=metric.numerator,
            denominator=metric.denominator,
            quoted_text=metric.quoted_text,
            sentence=metric.sentence,
            source_page=findings.anchor_at(metric.position),
        )
        for metric in find_metrics(findings)
    ]


def _header_columns(cells: list[str], layout: ScorecardLayout) -> _Columns | None:
    years = [(index, int(m[1])) for index, cell in enumerate(cells) if (m := layout.year_header.search(cell))]
    if not years:
        return _plan_columns(cells, layout)
    action = next((i for i, cell in enumerate(cells) if layout.action_header.search(cell)), 1)
    return _with_details(cells, layout, label=0, action=action, years=sorted(years, key=lambda y: y[1]))


def _plan_columns(cells: list[str], layout: ScorecardLayout) -> _Columns | None:
    """The header of a plan without year columns: an indicator column and an action column by their titles."""
    if layout.indicator_header is None:
        return None
    label = next((i for i, cell in enumerate(cells) if layout.indicator_header.match(cell)), None)
    action = next((i for i, cell in enumerate(cells) if layout.action_header.search(cell)), None)
    if label is None or action is None:
        return None
    return _with_details(cells, layout, label=label, action=action, years=[])


def _with_details(
    cells: list[str], layout: ScorecardLayout, label: int, action: int, years: list[tuple[int, int]]
) -> _Columns:
    """The header's columns: the indicator, action and year columns found, the responsible and timeline
    columns by their titles, and the titles of any other column (the parser reads nothing from those)."""
    taken = {label, action, *(index for index, _ in years)}
    free = [(index, cell) for index, cell in enumerate(cells) if index not in taken]
    responsible = next((index for index, cell in free if layout.responsible_header.match(cell)), None)
    timeline = next((index for index, cell in free if layout.timeline_header.match(cell)), None)
    not_read = tuple(
        cell
        for index, cell in free
        if cell and index not in (responsible, timeline) and not layout.implied_header.match(cell)
    )
    return _Columns(len(cells), label, action, years, responsible, timeline, not_read)


def _column_text(row: _ActionRow, column: int | None) -> str | None:
    return row.cells[column].value() if column is not None else None


def _spilled_label(label: str, action: str, layout: ScorecardLayout, names: list[set[str]]) -> int:
    """How many leading words of ``action`` finish the row label ``label`` (0: none, no spill).

    A label that already names the indicator never spills; one that does not
    ("5.1 Coordination Mechanism", "5.2") spills when the action cell starts
    with the words that complete one of its names (``names``: the edition's and the report's).
    """
    have = set(label_words(layout.row_code.sub("", label)))
    if not names or any(name <= have for name in names):
        return 0
    tokens = action.split()
    vocabulary = set().union(*names)
    taken: list[str] = []
    for token in tokens:
        words = label_words(token)
        if not words or not token[:1].isupper() or not set(words) <= vocabulary:
            break
        taken.append(token)
        if any(name <= have | set(label_words(" ".join(taken))) for name in names):
            return len(taken)
    return 0


def _cell_status(text: str | None, layout: ScorecardLayout) -> tuple[str | None, str]:
    if text is None or layout.blank_cell.match(text):
        return None, "empty"
    match = layout.not_applicable.match(text)
    if match:
        rest = text[match.end() :].strip(" .:-–")
        return (text if rest else None), "not_applicable"
    return text, "reported"


def _activities(
    row: _ActionRow, columns: _Columns, report_year: int | None, layout: ScorecardLayout, names: list[set[str]]
) -> list[ActionPlanActivity]:
    label_span = row.cells[columns.label]
    action_span = row.cells[columns.action]
    year_spans: dict[int, Span | None] = {number: row.cells[index] for index, number in columns.years}
    spilled = _spilled_label(label_span.text, action_span.text, layout, names)
    row_label = label_span.text
    if spilled:
        tokens = action_span.text.split()
        row_label = f"{row_label} {' '.join(tokens[:spilled])}"
        leftover = " ".join(tokens[spilled:])
        numbers = [number for _, number in columns.years]
        shifted = [row.cells[index] for index, _ in columns.years]
        action_span = shifted[0]
        if leftover:
            action_span.add(leftover, action_span.last or row.anchor)
        cells = shifted[1:]
        year_spans = dict.fromkeys(numbers)
        for number, cell_span in zip(numbers[: len(cells) - 1], cells[:-1], strict=True):
            year_spans[number] = cell_span
        if cells:
            year_spans[numbers[-1]] = cells[-1]
    action_text, action_status = _cell_status(action_span.value(), layout)
    responsible, timeline = _column_text(row, columns.responsible), _column_text(row, columns.timeline)
    n_years = len(columns.years)
    activities = []
    for number, span in sorted(year_spans.items()):
        if span is None:
            text, status, first, last = None, "no_cell", row.anchor, row.anchor
        else:
            text, status = _cell_status(span.value(), layout)
            first, last = span.first or row.anchor, span.last or row.anchor
        activities.append(
            ActionPlanActivity(
                pi_code=row.code,
                row_label=row_label,
                action_point=action_text,
                action_point_status=action_status,
                responsible=responsible,
                timeline=timeline,
                year_index=number,
                year_columns=n_years,
                calendar_year=report_year - n_years + number if report_year else None,
                activity_text=text,
                cell_status=status,
                label_spilled=bool(spilled),
                source_page=first,
                source_page_last=last,
            )
        )
    return activities


def _planned_actions(rows: list[_ActionRow], columns: _Columns, layout: ScorecardLayout) -> list[ActionPlanActivity]:
    """A plan without year columns: per indicator its action point in a single column of no calendar year, and
    no cell saying what was done (the plan states intentions only).  The rows a plan gives one indicator (an
    action each) make its action point, in their order: an activity is one indicator and year column."""
    by_code: dict[str, list[_ActionRow]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    activities = []
    for code, group in by_code.items():
        action = Span()
        for row in group:
            cell = row.cells[columns.action]
            action.add(cell.text, cell.first or row.anchor)
        action_text, action_status = _cell_status(action.value(), layout)
        anchors = [anchor for row in group for span in row.cells for anchor in span.anchors] or [group[0].anchor]
        activities.append(
            ActionPlanActivity(
                pi_code=code,
                row_label=group[0].cells[columns.label].text,
                action_point=action_text,
                action_point_status=action_status,
                responsible=_distinct(_column_text(row, columns.responsible) for row in group),
                timeline=_distinct(_column_text(row, columns.timeline) for row in group),
                year_index=1,
                year_columns=1,
                calendar_year=None,
                activity_text=None,
                cell_status="no_cell",
                label_spilled=False,
                source_page=min(anchors),
                source_page_last=max(anchors),
            )
        )
    return activities


def _distinct(values: Iterable[str | None]) -> str | None:
    """The different values of an indicator's rows, in their order ("UN Women; RCO"); None when none is given."""
    return "; ".join(dict.fromkeys(value for value in values if value)) or None
