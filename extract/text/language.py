"""The language a document is written in, from the short words every sentence of that language uses.

Function words ("the", "of the"; "los", "del"; "les", "des") are frequent in any
text and rare in the others, so counting them tells English, Spanish and French
apart on a page of prose without a model.  Words two of these languages share
("de", "la", "en", "un", "que", "se") are left out: they count for neither.
Adding a language is one entry in `STOPWORDS`.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from extract.document.model import Document

# ISO 639-1 code -> function words of that language that the other languages listed here do not use.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "with",
            "was",
            "were",
            "by",
            "this",
            "are",
            "from",
            "which",
            "has",
            "have",
            "its",
            "their",
            "be",
            "it",
            "an",
            "as",
            "at",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "del",
            "y",
            "por",
            "con",
            "una",
            "para",
            "es",
            "su",
            "sus",
            "al",
            "como",
            "más",
            "lo",
            "este",
            "esta",
            "fue",
            "sobre",
            "también",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "les",
            "des",
            "et",
            "du",
            "une",
            "est",
            "pour",
            "dans",
            "par",
            "sur",
            "au",
            "aux",
            "qui",
            "avec",
            "ce",
            "cette",
            "sont",
            "été",
            "ont",
            "leur",
        ]
    ),
}
# Fewer function words than this is too little text to tell (a cover, a table of figures).
MIN_HITS = 12
# The winner must count at least this many times the runner-up's hits (quotes and names mix languages).
MIN_LEAD = 2.0
# Body lines read: a few pages of prose decide; reading the whole report adds time, not certainty.
LINES_READ = 400

_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language ``text`` is written in, or None when it does not say clearly."""
    words = Counter(word.lower() for word in _WORD.findall(text))
    hits = Counter({code: sum(words[word] for word in stopwords) for code, stopwords in STOPWORDS.items()})
    (best, best_hits), (_, runner_up_hits) = hits.most_common(2)
    if best_hits < MIN_HITS or best_hits < MIN_LEAD * runner_up_hits:
        return None
    return best


def document_language(document: Document) -> str | None:
    """The language of ``document``'s body text (its first `LINES_READ` lines), or None."""
    return detect_language("\n".join(line.text for line in islice(document.lines(), LINES_READ)))
