"""How a data-source inventory is laid out, as data (see `parser` for how the structure is read).

Category headings, each followed by a numbered list of entries ("N. Name",
"N.M Name" under a group), each entry a link and a prose description that
says which languages the source publishes in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class InventoryLayout:
    # -- recognition: many numbered entries, most of which state their publication languages
    numbered_entry: re.Pattern[str] = re.compile(r"^\[?\d{1,2}(\.\d{1,2})?\.?\s+\[?[A-Z]")
    language_note: re.Pattern[str] = re.compile(
        r"\b(available|published|publications?)\b[^.]{0,60}\b(English|Russian|Kazakh|French|Spanish|Arabic|Uzbek)\b",
        re.IGNORECASE,
    )
    min_entries: int = 10
    min_language_notes: int = 8
    # At least one language note per this many body lines: a list of sources, not a report citing some.
    lines_per_language_note: int = 40

    # -- entry headings and their links
    top_level: re.Pattern[str] = re.compile(r"^(?P<top>\d{1,3})\.\s+(?P<rest>\S.*)$")
    nested: re.Pattern[str] = re.compile(r"^(?P<top>\d{1,3})\.(?P<sub>\d{1,3})\.?\s+(?P<rest>\S.*)$")
    markdown_link: re.Pattern[str] = re.compile(r"\[(?P<text>[^\]]+)\]\s*\((?P<url>https?://[^)\s]+)\)")
    url: re.Pattern[str] = re.compile(r"https?://[^\s)\]>]+")
    url_line: re.Pattern[str] = re.compile(r"^(?:(?:URL|Link|Website)\s*:\s*)?(?P<url>https?://\S+)$", re.IGNORECASE)
    # Headings are names, not sentences: short, and not ending like a clause.
    max_heading_words: int = 15
    max_category_words: int = 8


# The Kazakhstan gender data-source inventory template.
SOURCE_LIST = InventoryLayout()
