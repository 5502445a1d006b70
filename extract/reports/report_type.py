"""What a report type offers the pipeline: a name, a rule that recognises it, a parser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extract.document.model import Document
from extract.records import ParsedReport


@dataclass(frozen=True)
class ReportType:
    """One kind of report: ``recognise`` decides from content (never the file name), ``parse`` reads it.

    ``parse`` returns typed records and raises `ExtractionError` (naming the
    page) when the report breaks its template.
    """

    name: str
    recognise: Callable[[Document], bool]
    parse: Callable[[Document], ParsedReport]
