"""Decide what kind of report a document is, from its content (never its file name).

Title-page signals decide: the UNCT-SWAP template names itself on its cover,
evaluations name themselves "Country Portfolio/Programme Evaluation", and an
inventory is a numbered list of organisations whose entries say which
languages they publish in.  Reports that only *mention* these things in their
body (an annual report citing UNCT-SWAP uptake, say) stay `unknown`.
"""

from __future__ import annotations

import re
from typing import Literal

from extract.model import Document

DocType = Literal["evaluation", "scorecard", "source_inventory", "unknown"]

DOC_TYPES: tuple[DocType, ...] = ("evaluation", "scorecard", "source_inventory", "unknown")

_COVER_LINES = 40
# An evaluation names itself in its title block, not just anywhere on the cover page.
_TITLE_LINES = 15
_ANNUAL_REPORT = re.compile(r"annual\s+report", re.IGNORECASE)
_EVALUATION_TITLE = re.compile(
    r"country\s+(portfolio|programme|program)\s+evaluation|independent\s+country\s+programme\s+evaluation",
    re.IGNORECASE,
)
_SCORECARD_TITLE = re.compile(r"UNCT[\s-]*SWAP", re.IGNORECASE)
_SCORECARD_BODY = re.compile(r"Performance\s+Indicator\s+[1-7]\.[1-3]", re.IGNORECASE)
_LANGUAGE_NOTE = re.compile(
    r"\b(available|published|publications?)\b[^.]{0,60}\b(English|Russian|Kazakh|French|Spanish|Arabic|Uzbek)\b",
    re.IGNORECASE,
)
_NUMBERED_ENTRY = re.compile(r"^\[?\d{1,2}(\.\d{1,2})?\.?\s+\[?[A-Z]")


def classify(document: Document) -> DocType:
    lines = list(document.lines())
    cover = " ".join(line.text for line in lines[:_COVER_LINES])
    cover = f"{document.title or ''} {cover}"
    body = document.text()
    if (
        _SCORECARD_TITLE.search(cover)
        and re.search(r"scorecard", cover, re.IGNORECASE)
        and _SCORECARD_BODY.search(body)
    ):
        return "scorecard"
    title_block = f"{document.title or ''} " + " ".join(line.text for line in lines[:_TITLE_LINES])
    if _EVALUATION_TITLE.search(title_block) and not _ANNUAL_REPORT.search(title_block):
        return "evaluation"
    numbered = sum(1 for line in lines if _NUMBERED_ENTRY.match(line.text))
    language_notes = len(_LANGUAGE_NOTE.findall(body))
    if numbered >= 10 and language_notes >= 8 and language_notes * 40 >= len(lines):
        return "source_inventory"
    return "unknown"
