"""Money amounts as reports print them, normalised to numbers in US dollars.

Reports write the same figure many ways: "US$1.8 million", "US$150,000",
"US\\$8M" (a Markdown-escaped dollar in text renditions), "US$ 8M",
"$4,248,584", "USD 2.5 million", "2.5 million US dollars" or, where the
context already says the figures are dollars, just "8 million".  Every parser
that reads budgets goes through `find_amounts` / `parse_amount`, so a figure
means the same number wherever it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAGNITUDES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
}

# "US$", "US $", "US\$" (escaped in Markdown renditions), "USD", "$"; euros as "€", "EUR" or "EURO".
_PREFIX = r"(?:(?i:US)\s?\\?\$|(?i:USD)|\\?\$|€|(?<![A-Za-z])(?i:EURO?))"
_EURO_PREFIX = re.compile(r"€|EUR", re.IGNORECASE)
# Thousands separators are commas, thin or no-break spaces: "4,248,584", "4 248 584".
_NUMBER = r"\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Single-letter magnitudes only count when glued to the number ("8M", "2.5m"), so "$5 m of" stays safe.
_WORD_MAGNITUDE = r"(?i:thousand|millions?|billions?|mln|mn|bn)"
_LETTER_MAGNITUDE = r"[kKmMbB]"
_SUFFIX_CURRENCY = r"(?:US\s+dollars?|USD|dollars?)"

_PREFIXED = re.compile(
    rf"(?P<prefix>{_PREFIX})\s?(?P<number>{_NUMBER})"
    rf"(?:(?P<letter>{_LETTER_MAGNITUDE})\b|\s?(?P<word>{_WORD_MAGNITUDE})\b)?",
)
_SUFFIXED = re.compile(
    rf"(?<![\w.,$])(?P<number>{_NUMBER})"
    rf"(?:(?P<letter>{_LETTER_MAGNITUDE})|\s?(?P<word>{_WORD_MAGNITUDE}))?"
    rf"\s?(?P<suffix>{_SUFFIX_CURRENCY})\b",
)
# A number right after another currency's sign or code is not in dollars ("EUR 5 million", "€5M").
_FOREIGN_CURRENCY = re.compile(r"(?:[€£¥₸₽]|\b(?!USD)[A-Z]{3})\s?$")
_BARE = re.compile(
    rf"(?<![\w.,$])(?P<number>{_NUMBER})(?:(?P<letter>[mMbB])\b|\s?(?P<word>{_WORD_MAGNITUDE})\b)",
)


@dataclass(frozen=True)
class Amount:
    """An amount found in text: its value in US dollars and where it sits."""

    value: float
    text: str
    start: int
    end: int
    tolerance: float = 0.0  # half the last stated unit: 50,000 for "US$4.4 million"
    currency: str = "USD"


def find_amounts(text: str, require_currency: bool = True, currencies: tuple[str, ...] = ("USD",)) -> list[Amount]:
    """Every money amount in ``text`` in one of ``currencies`` (USD, EUR), in order of appearance.

    With ``require_currency=False`` a number with a magnitude word ("8 million",
    "2.5M") counts too: use it where the context says the figures are dollars
    (a budget column, a sentence about a budget), never on free prose, where
    "18.2 million people" is not money.
    """
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    patterns = [_PREFIXED, _SUFFIXED] if require_currency else [_PREFIXED, _SUFFIXED, _BARE]
    for pattern in patterns:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            if pattern is not _PREFIXED and _FOREIGN_CURRENCY.search(text[max(0, span[0] - 5) : span[0]]):
                continue
            scaled = _value(match)
            if scaled is None:
                continue
            value, tolerance = scaled
            currency = "EUR" if pattern is _PREFIXED and _EURO_PREFIX.match(match["prefix"]) else "USD"
            taken.append(span)
            if currency in currencies:
                found.append(Amount(value, match.group(0).strip(), span[0], span[1], tolerance, currency))
    return sorted(found, key=lambda amount: amount.start)


def parse_amount(text: str | None, require_currency: bool = False) -> float | None:
    """The first amount in ``text`` in US dollars, or None (budget cells and labelled values)."""
    if not text:
        return None
    amounts = find_amounts(text, require_currency=require_currency)
    return amounts[0].value if amounts else None


def _value(match: re.Match[str]) -> tuple[float, float] | None:
    digits = re.sub(r"[,\u202f\u00a0]", "", match.group("number"))
    try:
        number = float(digits)
    except ValueError:
        return None
    magnitude = MAGNITUDES.get((match.group("letter") or match.group("word") or "").lower(), 1.0)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return round(number * magnitude, 2), round(0.5 * 10**-decimals * magnitude, 6)
