"""A scorecard names its template on the cover and states indicator ratings in its body.

The evidence in the body is what the layout prints: the 2018 template's
performance-indicator statements, or, in reports written before it, a table
that rates indicators.  Reports that only mention UNCT-SWAP (an annual report
citing its uptake) state neither, so they stay unknown.
"""

from __future__ import annotations

from extract.document.model import Document
from extract.reports.scorecard.layout import LAYOUTS, ScorecardLayout
from extract.reports.scorecard.template import EDITIONS, find_pi_code
from extract.text.clean import clean
from extract.text.cover import cover_text


def recognise(document: Document, layouts: tuple[ScorecardLayout, ...] = LAYOUTS) -> bool:
    return any(_recognised(document, layout) for layout in layouts)


def _recognised(document: Document, layout: ScorecardLayout) -> bool:
    cover = cover_text(document, layout.recognition_cover, separator=" ", with_title=True)
    if not (layout.template_name.search(cover) and layout.report_kind.search(cover)):
        return False
    if any(layout.indicator_statement.match(line.text) for line in document.lines()):
        return True
    return layout.rated_rows_required is not None and len(_rated_indicators(document)) >= layout.rated_rows_required


def _rated_indicators(document: Document) -> set[str]:
    """Indicator codes that some table row rates: a cell with the code, a later cell with a rating word (of any
    framework edition: the parser decides which one the report follows)."""
    codes = set()
    for table in document.tables:
        for row in table.rows:
            cells = [clean(cell) for cell in row.cells]
            coded = next(((index, code) for index, cell in enumerate(cells) if (code := find_pi_code(cell))), None)
            if coded and any(
                edition.rating_from_phrase(cell) for cell in cells[coded[0] + 1 :] for edition in EDITIONS.values()
            ):
                codes.add(coded[1])
    return codes
