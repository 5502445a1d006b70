"""An evaluation names itself ("Country Portfolio/Programme Evaluation") in its title block, not just anywhere."""

from __future__ import annotations

from extract.document.model import Document
from extract.reports.evaluation.layout import COUNTRY_EVALUATION, EvaluationLayout
from extract.text.cover import cover_text


def recognise(document: Document, layout: EvaluationLayout = COUNTRY_EVALUATION) -> bool:
    title_block = cover_text(document, layout.title_block, separator=" ", with_title=True)
    return bool(layout.evaluation_title.search(title_block)) and not layout.not_an_evaluation.search(title_block)
