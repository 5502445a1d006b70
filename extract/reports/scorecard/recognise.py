"""A scorecard names its template on the cover and states performance indicators in its body.

Reports that only mention UNCT-SWAP (an annual report citing its uptake) do not
state the indicators, so they stay unknown.
"""

from __future__ import annotations

from extract.document.model import Document
from extract.reports.scorecard.layout import UNCT_SWAP_2018, ScorecardLayout
from extract.text.cover import cover_text


def recognise(document: Document, layout: ScorecardLayout = UNCT_SWAP_2018) -> bool:
    cover = cover_text(document, layout.recognition_cover, separator=" ", with_title=True)
    return (
        bool(layout.template_name.search(cover))
        and bool(layout.report_kind.search(cover))
        and any(layout.indicator_statement.match(line.text) for line in document.lines())
    )
