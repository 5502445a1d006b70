"""The one rule for joining text that a line, cell, row or page break cut apart."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACES = re.compile(r"[ \t\u00a0]+")
# The end of a URL cut at a line break: the next fragment continues it without a space.
_OPEN_URL = re.compile(r"(?:https?://|www\.)\S*[/?&=#_.]$")


def continues_without_space(left: str) -> bool:
    """Whether the fragment after ``left`` belongs to the same word.

    A hyphen or dash right after a character ("well-" + "performing") or an
    open URL continues; " -" (a dash between words) does not.
    """
    return (left[-1] in "-–" and len(left) > 1 and not left[-2].isspace()) or bool(_OPEN_URL.search(left))


def join_lines(parts: Iterable[str]) -> str:
    """Join the fragments of one text in order, skipping empty ones."""
    out = ""
    for fragment in parts:
        part = fragment.strip()
        if not part:
            continue
        if not out:
            out = part
        elif continues_without_space(out):
            out += part
        else:
            out += " " + part
    return out


def join_wrapped(text: str | None) -> str:
    """One string from the visual lines of a wrapped table cell, runs of spaces collapsed."""
    if not text:
        return ""
    return join_lines(_SPACES.sub(" ", line) for line in text.splitlines())
