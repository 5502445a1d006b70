"""The one cleaner of report text: markup residue and layout spacing out, words kept.

The same paragraph reaches a parser from a PDF (wrapped, hyphenated) or from a
text rendition (Markdown and HTML residue); after `clean` both read alike.
"""

from __future__ import annotations

import re

_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(#?[^)\s]*\)")
_ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BOLD = re.compile(r"\*\*")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|])")
_SPACES = re.compile(r"\s+")
# "macro- economics": a word broken at a hyphen and re-joined with a space.  Suspended
# hyphens ("pre- and post-") keep their space.
_BROKEN_HYPHEN = re.compile(r"(?<=[a-z])- (?!(?:and|or|to|nor)\b)(?=[a-z])")


def clean(text: str | None) -> str:
    """``text`` on one line without markup residue, doubled spaces or words broken at a hyphen."""
    if not text:
        return ""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _BOLD.sub("", text)
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    text = _SPACES.sub(" ", text).strip()
    return _BROKEN_HYPHEN.sub("-", text)
