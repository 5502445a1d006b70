"""Cleaning of the text pdfplumber returns for lines and table cells."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\u00a0]+")


def join_wrapped(text: str | None) -> str:
    """Join the visual lines of a wrapped cell into one string.

    A line that ends in a hyphen is joined without a space, so "well-" +
    "performing" stays "well-performing" rather than "well- performing".
    """
    if not text:
        return ""
    parts = [_SPACES.sub(" ", part).strip() for part in text.splitlines()]
    out = ""
    for part in parts:
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("-") and not out.endswith(" -"):
            out += part
        else:
            out += " " + part
    return out
