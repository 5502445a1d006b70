"""The one error type extraction raises: it always names the file, and the page when known."""

from __future__ import annotations


class ExtractionError(Exception):
    def __init__(self, file_name: str, reason: str, page: int | None = None):
        self.file_name = file_name
        self.reason = reason
        self.page = page
        where = f"{file_name}, page {page}" if page is not None else file_name
        super().__init__(f"{where}: {reason}")
