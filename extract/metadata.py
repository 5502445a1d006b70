"""Report-level facts any document can offer: title, country, year, period.

Parsers of known report types state these precisely; for everything else this
is the best guess from the cover page, so `dim_reports` has a useful row for
every file, even unknown ones.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pycountry

from extract.document.model import Document
from extract.records import ReportInfo
from extract.text.cover import Cover, cover_text

# Any report's title page, when its template is unknown.
COVER = Cover(lines=60)
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)\b")


@lru_cache(maxsize=1)
def _country_patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", country.name)}
        for name in names:
            patterns.append((getattr(country, "common_name", country.name), re.compile(rf"\b{re.escape(name)}\b")))
    return patterns


def find_country(text: str) -> str | None:
    """The country named most often in ``text`` (common short names, e.g. 'Kazakhstan')."""
    counts: Counter[str] = Counter()
    for name, pattern in _country_patterns():
        hits = len(pattern.findall(text))
        if hits:
            counts[name] += hits
    return counts.most_common(1)[0][0] if counts else None


def find_period(text: str) -> tuple[int, int] | None:
    for match in _PERIOD.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if start < end <= start + 15:
            return start, end
    return None


def latest_year(text: str) -> int | None:
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


def guess_report_info(document: Document) -> ReportInfo:
    cover = cover_text(document, COVER)
    title = document.title or next((line.text for line in document.lines()), None)
    period = find_period(f"{title or ''}\n{cover}")
    return ReportInfo(
        title=title,
        country=find_country(f"{title or ''}\n{cover}"),
        report_year=latest_year(f"{title or ''}\n{cover}"),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        source_page=1,
    )
