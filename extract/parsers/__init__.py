"""One parser per known report type: `parse(document) -> ParsedReport`.

A parser reads only the `Document` it is given and returns typed records; it
raises `ExtractionError` (naming the page) when the report breaks its template.
"""

from __future__ import annotations

from collections.abc import Callable

from extract.model import Document
from extract.records import ParsedReport

Parser = Callable[[Document], ParsedReport]

PARSERS: dict[str, Parser] = {}


def parser(doc_type: str) -> Callable[[Parser], Parser]:
    def register(function: Parser) -> Parser:
        PARSERS[doc_type] = function
        return function

    return register
