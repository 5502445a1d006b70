"""The one rule that makes a document an evaluation: its cover names a country-level evaluation.

The title block (the cover's first lines and table rows) names the kind of
evaluation ("Country Portfolio Evaluation", "Evaluación de la Cartera de País",
…), or a decentralized evaluation's key/value cover gives a title naming it or
its subject ("Title of the evaluation: …").  The parser reads the title,
and the cover's fields, through `evaluation_cover` as well, so recogniser and
parser cannot disagree on what is an evaluation and where its title is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document.model import Document
from extract.reports.evaluation.layout import COUNTRY_EVALUATION, EvaluationLayout
from extract.text.clean import clean
from extract.text.cover import CoverEntry, cover_entries


@dataclass(frozen=True)
class EvaluationCover:
    """What an evaluation's cover says about it."""

    evaluation_type: str  # the kind of evaluation as the title names it ("Country Portfolio Evaluation")
    title: str  # the title as printed: the key/value cover's title, else the evaluation's name
    anchor: int  # where the title is printed
    after_title: tuple[str, ...]  # what the cover prints right after the title (often the country), nearest first
    fields: dict[str, str]  # a key/value cover's values by field name ('title', 'report_date', …); else empty


def recognise(document: Document, layout: EvaluationLayout = COUNTRY_EVALUATION) -> bool:
    return evaluation_cover(document, layout) is not None


def evaluation_cover(document: Document, layout: EvaluationLayout = COUNTRY_EVALUATION) -> EvaluationCover | None:
    """The evaluation ``document``'s cover describes, or None when the cover names no country-level evaluation."""
    cover = cover_entries(document, layout.cover)
    title_block = cover[: layout.title_block.lines]
    joined, starts = _joined(title_block)
    if layout.not_an_evaluation.search(joined):
        return None
    fields, field_anchors = _cover_fields(cover, layout)
    stated_title = fields.get("title", "")
    named = layout.evaluation_title.search(stated_title)
    if named or (stated_title and layout.country_subject.search(stated_title)):
        evaluation_type = _kind(named.group(0), layout) if named else stated_title
        return EvaluationCover(evaluation_type, stated_title, field_anchors["title"], (), fields)
    found = layout.evaluation_title.search(joined)
    if found is None:
        return None
    entry_no = max(i for i, start in enumerate(starts) if start <= found.start())
    last_no = max(i for i, start in enumerate(starts) if start < found.end())
    rest_of_line = joined[found.end() : starts[last_no] + len(title_block[last_no].text)]
    after = (rest_of_line, *(entry.text for entry in title_block[last_no + 1 :]))
    return EvaluationCover(
        _kind(found.group(0), layout), _kind(found.group(0), layout), title_block[entry_no].anchor, after, fields
    )


def _joined(entries: list[CoverEntry]) -> tuple[str, list[int]]:
    """The entries as one text, a space between them (a title broken over lines reads as one), and where each starts."""
    starts, position = [], 0
    for entry in entries:
        starts.append(position)
        position += len(entry.text) + 1
    return " ".join(entry.text for entry in entries), starts


def _kind(printed: str, layout: EvaluationLayout) -> str:
    """ "COUNTRY-PORTFOLIO\nEVALUATION" -> "Country Portfolio Evaluation"; particles stay lower case."""
    words = re.split(r"[\s\-‐‑]+", printed.strip())
    return " ".join(word.lower() if word.lower() in layout.title_particles else word.capitalize() for word in words)


def _cover_fields(cover: list[CoverEntry], layout: EvaluationLayout) -> tuple[dict[str, str], dict[str, int]]:
    """A key/value cover's values by field name, and where each label is printed.

    The value is what follows the label on its line or table row; when nothing does, the lines up to the
    next label (a value wrapped over lines, or set in the cell below); after the last label, one line.
    """
    labelled: list[tuple[int, str, str]] = []  # (entry number, field, text after the label)
    for number, entry in enumerate(cover):
        text = clean(entry.text)
        for name, label in layout.cover_fields:
            found = label.match(text)
            if found and name not in {field for _, field, _ in labelled}:
                labelled.append((number, name, text[found.end() :].strip(" :\t")))
                break
    values: dict[str, str] = {}
    anchors: dict[str, int] = {}
    for position, (number, name, same_line) in enumerate(labelled):
        next_label = labelled[position + 1][0] if position + 1 < len(labelled) else None
        if same_line and next_label is None:
            value = same_line
        else:
            end = next_label if next_label is not None else number + 2
            value = " ".join([same_line, *(clean(entry.text) for entry in cover[number + 1 : end])]).strip(" :")
        if value:
            values[name] = value
            anchors[name] = cover[number].anchor
    return values, anchors
