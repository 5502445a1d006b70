"""The one sentence splitter: where a sentence of report prose ends.

A sentence ends at ".", "!" or "?" (with its closing quote or bracket)
followed by a space and something that can open a sentence: a capital, a
digit, or an opening quote or bracket before one.  Footnote marks printed
right after the full stop ("... in 2019.¹² The ...") belong to neither
sentence.  A full stop after a single letter ("U.N.", "J. Smith") or a
common abbreviation ("e.g.", "p.", "para.") does not end a sentence.
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_ABBREVIATIONS = {"e.g", "i.e", "etc", "no", "p", "pp", "vs", "cf", "st", "dr", "mr", "ms", "para", "art", "fig"}
_END = re.compile(rf"(?<=[.!?])(?P<close>[\"”’)]?)(?:[\d{_SUPERSCRIPTS}]+(?=\s))?\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, surrounding spaces excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.start() + len(match["close"])
        if _ends_with_abbreviation(text[start : match.start()]):
            continue
        spans.append(_stripped(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_stripped(text, start, len(text)))
    return [span for span in spans if span[0] < span[1]]


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_with_abbreviation(text: str) -> bool:
    word = _LAST_WORD.search(text)
    return word is not None and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1)
