"""An inventory is a numbered list of organisations whose entries say which languages they publish in."""

from __future__ import annotations

from extract.document.model import Document
from extract.reports.inventory.layout import SOURCE_LIST, InventoryLayout


def recognise(document: Document, layout: InventoryLayout = SOURCE_LIST) -> bool:
    lines = list(document.lines())
    numbered = sum(1 for line in lines if layout.numbered_entry.match(line.text))
    language_notes = len(layout.language_note.findall(document.text()))
    return (
        numbered >= layout.min_entries
        and language_notes >= layout.min_language_notes
        and language_notes * layout.lines_per_language_note >= len(lines)
    )
