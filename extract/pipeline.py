"""The single entry point of extraction: one file in, one `Extraction` out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Final

from extract.document.errors import ExtractionError
from extract.document.model import Document
from extract.document.pdf import read_pdf
from extract.document.text import read_text
from extract.metadata import guess_report_info
from extract.records import ParsedReport, ReportInfo
from extract.reports import REPORT_TYPES
from extract.reports.evaluation.records import RecommendationStatusUpdate
from extract.reports.evaluation.status_csv import not_a_status_csv, read_recommendation_status_csv
from extract.reports.report_type import ReportType
from extract.text.language import document_language

TEXT_SUFFIXES = {".txt", ".md"}
REPORT_SUFFIXES = {".pdf", *TEXT_SUFFIXES}
# What an input file may be called (a CSV is an input when its header is a status CSV's).
INPUT_SUFFIXES = {*REPORT_SUFFIXES, ".csv"}
# A document no report type recognises: it still gets a `dim_reports` row from its cover.
UNKNOWN: Final = "unknown"
# Not a report: management-response status updates that analysts drop beside the reports.
STATUS_UPDATES: Final = "recommendation_status"


@dataclass
class Extraction:
    document: Document
    doc_type: str  # a report type's name, UNKNOWN, or STATUS_UPDATES for a recommendation-status CSV
    parsed: ParsedReport
    language: str | None = None  # ISO 639-1 code of the language the document is written in; None: cannot tell


def not_an_input(path: Path) -> str | None:
    """Why the file at ``path`` is not read, None when it is (a report, or a CSV of recommendation-status updates):
    any other file in the raw folder is recorded as skipped with this reason, never left out silently."""
    suffix = path.suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return None
    if suffix == ".csv":
        return not_a_status_csv(path)
    formats = ", ".join(sorted(REPORT_SUFFIXES))
    return f"not a report format: {suffix or 'no file-name suffix'} (reports are {formats}; status updates .csv)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@cache
def extractor_version() -> str:
    """A digest of everything that decides what extraction yields for a file: this package's source and data
    (framework editions) and the versions of the PDF libraries under it.

    Staging keeps each document's extraction until its bytes change; when the extractor itself changes (an
    upgrade, a parser fix, a new record field), every document's extraction is stale and is redone, so no
    warehouse mixes rows from two versions of a parser.
    """
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for source in sorted(path for path in package.rglob("*") if path.suffix in {".py", ".toml"}):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    for library in ("pdfplumber", "pdfminer.six", "pypdfium2"):
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()[:16]


def read_document(path: Path) -> Document:
    if path.suffix.lower() in TEXT_SUFFIXES:
        return read_text(path)
    return read_pdf(path)


def classify(document: Document) -> str:
    """The name of the first report type that recognises ``document``, else UNKNOWN."""
    return next((kind.name for kind in REPORT_TYPES if kind.recognise(document)), UNKNOWN)


def extract_file(path: Path) -> Extraction:
    """Read, classify and parse one report; raise `ExtractionError` when it cannot be read."""
    if path.suffix.lower() == ".csv":
        updates = read_recommendation_status_csv(path)
        document = Document(file_name=path.name, source_kind="csv", pages=[], tables=[], title=path.stem)
        info = ReportInfo(title=path.stem, country=None, report_year=None, period_start=None, period_end=None)
        table = RecommendationStatusUpdate.__staging_table__  # type: ignore[attr-defined]
        return Extraction(document, STATUS_UPDATES, ParsedReport(info=info, records={table: updates}))
    document = read_document(path)
    language = document_language(document)
    for kind in REPORT_TYPES:
        if kind.recognise(document):
            parsed = _parse_as(kind, document, language)
            return Extraction(document=document, doc_type=kind.name, parsed=parsed, language=language)
    info = guess_report_info(document)
    return Extraction(document=document, doc_type=UNKNOWN, parsed=ParsedReport(info, records={}), language=language)


def _parse_as(kind: ReportType, document: Document, language: str | None) -> ParsedReport:
    """``kind``'s parse of ``document``; any failure is an `ExtractionError` that names ``kind`` and the language."""
    try:
        return kind.parse(document)
    except ExtractionError as error:
        error.doc_type = kind.name
        error.language = language
        raise
    except MemoryError:
        raise
    except Exception as error:  # a parser bug on one report is that report's failure
        raise ExtractionError(
            document.file_name,
            f"unexpected {type(error).__name__} while parsing it as {kind.name}: {error}",
            doc_type=kind.name,
            language=language,
        ) from error


__all__ = [
    "INPUT_SUFFIXES",
    "Extraction",
    "ExtractionError",
    "classify",
    "extract_file",
    "extractor_version",
    "not_an_input",
    "sha256_of",
]
