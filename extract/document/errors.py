"""The one error type extraction raises: it always names the file, and the page when known."""

from __future__ import annotations


class ExtractionError(Exception):
    """``doc_type`` is the report type that recognised the document, when one did: a report of a known type that
    cannot be parsed is recorded as a failed report of that type, not as an unknown file.  ``language`` is the
    language the document is written in, when it was read far enough to tell (see extract/text/language.py)."""

    def __init__(
        self,
        file_name: str,
        reason: str,
        page: int | None = None,
        doc_type: str | None = None,
        language: str | None = None,
    ):
        self.file_name = file_name
        self.reason = reason
        self.page = page
        self.doc_type = doc_type
        self.language = language
        where = f"{file_name}, page {page}" if page is not None else file_name
        super().__init__(f"{where}: {reason}")
