"""The single entry point of extraction: one file in, one `Extraction` out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extract.classify import DocType, classify
from extract.errors import ExtractionError
from extract.metadata import guess_report_info
from extract.model import Document
from extract.parsers import PARSERS
from extract.pdf import read_pdf
from extract.records import ParsedReport
from extract.text import read_text

# Importing the parser modules registers them (and their record types).
from extract.parsers import evaluation, inventory, scorecard  # noqa: F401,E402

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = {".pdf", *TEXT_SUFFIXES}


@dataclass
class Extraction:
    document: Document
    doc_type: DocType
    parsed: ParsedReport


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
    document = read_document(path)
    doc_type = classify(document)
    parse = PARSERS.get(doc_type)
    if parse is None:
        parsed = ParsedReport(info=guess_report_info(document), records={})
    else:
        parsed = parse(document)
    return Extraction(document=document, doc_type=doc_type, parsed=parsed)


__all__ = ["Extraction", "ExtractionError", "SUPPORTED_SUFFIXES", "extract_file", "sha256_of"]
