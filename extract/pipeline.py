"""The single entry point of extraction: one file in, one `Extraction` out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extract.classify import classify
from extract.errors import ExtractionError
from extract.metadata import guess_report_info
from extract.model import Document

# Importing the parser modules registers them (and their record types).
from extract.parsers import PARSERS, evaluation, inventory, scorecard  # noqa: F401
from extract.parsers.evaluation_records import RecommendationStatusUpdate
from extract.parsers.evaluation_status import (
    is_recommendation_status_csv,
    read_recommendation_status_csv,
)
from extract.pdf import read_pdf
from extract.records import ParsedReport, ReportInfo
from extract.text import read_text

TEXT_SUFFIXES = {".txt", ".md"}
REPORT_SUFFIXES = {".pdf", *TEXT_SUFFIXES}
# Not a report: management-response status updates that analysts drop beside the reports.
STATUS_UPDATES = "recommendation_status"


@dataclass
class Extraction:
    document: Document
    doc_type: str  # a DocType, or STATUS_UPDATES for a recommendation-status CSV
    parsed: ParsedReport


def is_input_file(path: Path) -> bool:
    """Reports, and CSVs of recommendation-status updates; other files in the raw folder are left alone."""
    suffix = path.suffix.lower()
    return suffix in REPORT_SUFFIXES or (suffix == ".csv" and is_recommendation_status_csv(path))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_document(path: Path) -> Document:
    if path.suffix.lower() in TEXT_SUFFIXES:
        return read_text(path)
    return read_pdf(path)


def extract_file(path: Path) -> Extraction:
    """Read, classify and parse one report; raise `ExtractionError` when it cannot be read."""
    if path.suffix.lower() == ".csv":
        updates = read_recommendation_status_csv(path)
        document = Document(file_name=path.name, source_kind="csv", pages=[], tables=[], title=path.stem)
        info = ReportInfo(title=path.stem, country=None, report_year=None, period_start=None, period_end=None)
        table = RecommendationStatusUpdate.__staging_table__
        return Extraction(document, STATUS_UPDATES, ParsedReport(info=info, records={table: updates}))
    document = read_document(path)
    doc_type = classify(document)
    parse = PARSERS.get(doc_type)
    if parse is None:
        parsed = ParsedReport(info=guess_report_info(document), records={})
    else:
        parsed = parse(document)
    return Extraction(document=document, doc_type=doc_type, parsed=parsed)


__all__ = ["Extraction", "ExtractionError", "extract_file", "is_input_file", "sha256_of"]
