"""The staging row a data-source inventory parser emits."""

from __future__ import annotations

from dataclasses import dataclass

from extract.records import record


@record("inventory_entries")
@dataclass(frozen=True)
class InventoryEntry:
    """One organisation or resource listed in a data-source inventory."""

    category: str
    parent_group: str | None
    entry_no: str
    name: str
    url: str | None
    description: str | None
    languages: tuple[str, ...]
    methodology: str
    data_formats: tuple[str, ...]
    founded_year: int | None
    platforms: tuple[str, ...]
    entry_order: int
    source_page: int
    source_page_last: int
