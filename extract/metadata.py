"""Report-level facts any document can offer: title, country, year, period.

Parsers of known report types state these precisely; for everything else they
come from the cover page, so `dim_reports` has a useful row for every file,
even unknown ones.  A report's year is only ever a year the report states as
its own (its copyright, its date, when it was conducted); a year that merely
appears ("the 2030 Agenda", "in 2019 the office…") is not taken for it, and
where none is stated the year stays NULL (int_extraction__checks flags it).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import pycountry

from extract.document.model import Document, Line
from extract.records import ReportInfo
from extract.text.clean import clean
from extract.text.cover import Cover, cover_lines, cover_text

# Any report's title page, when its template is unknown.
COVER = Cover(lines=60)
_Y = r"((?:19[89]|20[0-4])\d)"
# Month names in English, Spanish and French (accents optional): the languages evaluations are written in.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre"
    r"|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)"
)
# "15 March 2021", "March 15, 2021", "15 de marzo de 2021", "15 mars 2021"
_DATE = rf"(?:\d{{1,2}}\s+(?:de\s+)?)?{_MONTH}\s*,?\s+(?:de\s+)?(?:\d{{1,2}},?\s+)?{_Y}"
COPYRIGHT = re.compile(rf"(?:©|\(c\)|\bcopyright\b)\D{{0,40}}?(?<!\d){_Y}(?!\d)", re.IGNORECASE)
# What a report says about its own date, strongest first; the first rule that finds a year decides.
_STATED_YEAR_RULES: tuple[re.Pattern[str], ...] = (
    COPYRIGHT,
    # "Date of the report: 15 March 2021", "Published in June 2019", "Reporting year: 2022",
    # "Fecha del informe: marzo de 2019", "Date du rapport : mars 2019"
    re.compile(
        r"\b(?:date\s+of\s+(?:the\s+)?(?:report|publication)|publication\s+date|published(?:\s+(?:in|on))?"
        r"|issued(?:\s+(?:in|on))?|report(?:ing)?\s+(?:year|date)|year\s+of\s+(?:the\s+)?report"
        r"|fecha\s+del?\s+(?:informe|publicaci[oó]n)|date\s+d[ue]\s+(?:rapport|publication))"
        rf"\s*:?\s*(?:{_DATE}|{_Y})",
        re.IGNORECASE,
    ),
    # A cover line that ends with a date: "December 2020", "New York, 30 June 2021"
    re.compile(rf"(?:^|[,;]\s*|\s)(?:{_DATE})\s*$", re.IGNORECASE | re.MULTILINE),
    # A year alone on its line
    re.compile(rf"^\s*{_Y}\s*$", re.MULTILINE),
    # A short title line that ends with its year ("Annual Report on Evaluation 2024"), unless the year belongs
    # to a name ("Agenda 2030", "Vision 2050"), ends a period ("2016–2020") or a sentence's clause ("… in 2019")
    re.compile(
        r"^(?=.{0,100}$)(?!.*\b(?:Agenda|Vision|Strategy|Horizon|Plan"
        r"|in|since|by|from|until|to|of|during|for|before|after|and)\s+\d{4}\s*$)"
        rf".*[A-Za-z:,)]\s+{_Y}\s*$",
        re.MULTILINE,
    ),
)
# "The evaluation was conducted between April and December 2020", "realizada entre abril y diciembre de 2020",
# "réalisée entre avril et décembre 2020": the latest month named in the sentence.
_CONDUCTED = re.compile(
    r"\b(?:conducted|carried\s+out|undertaken|completed|prepared|finali[sz]ed"
    r"|realizad[ao]s?|llevad[ao]s?\s+a\s+cabo|efectuad[ao]s?|r[ée]alis[ée]e?s?|men[ée]e?s?)(?!\w)[^.\n]{0,80}",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:de\s+)?(?:\d{{1,2}},?\s+)?{_Y}\b", re.IGNORECASE)
# Printed around a report by viewers and web pages ("0% found this document useful", "Download now"), not by it.
_BOILERPLATE = re.compile(
    r"found\s+this\s+document|^\d+\s*%|^(?:download|save|share|print|embed|report\s+this|sign\s+in|open\s+in)\b"
    r"|https?://|\bwww\.|^page\s+\d+(?:\s+of\s+\d+)?$",
    re.IGNORECASE,
)
_BULLETS = "•·▪–- "
_WORD = re.compile(r"[^\W\d_]{2,}")
# Lines of one title share a size; pdfplumber reports sizes to a few hundredths.
_SAME_SIZE = 0.5
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)\b")


@lru_cache(maxsize=1)
def _country_patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", country.name)}
        for name in names:
            pattern = re.compile(rf"\b{re.escape(_unaccented(name))}\b")
            patterns.append((getattr(country, "common_name", country.name), pattern))
    return patterns


def _unaccented(text: str) -> str:
    """``text`` without accents: a report in Spanish or French writes "Perú", "Sénégal" for Peru, Senegal."""
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def find_country(text: str) -> str | None:
    """The country named most often in ``text`` (common short names, e.g. 'Kazakhstan'), accents or not."""
    text = _unaccented(text)
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


def stated_year(text: str) -> int | None:
    """The year ``text`` (a cover, an imprint) states as the report's own, else None (see the module's note)."""
    for rule in _STATED_YEAR_RULES:
        for match in rule.finditer(text):
            year = next((group for group in match.groups() if group), None)
            if year:
                return int(year)
    conducted = [int(year) for sentence in _CONDUCTED.findall(text) for year in _MONTH_YEAR.findall(sentence)]
    return max(conducted) if conducted else None


def cover_title(document: Document) -> str | None:
    """The title a reader sees on the cover.

    The file's stored title when the cover prints it (stored titles are as often a file or template name);
    else the largest words of the first page (a run of lines in one size); else, without typography, the
    cover's first line.  Never a viewer's or web page's boilerplate.
    """
    lines = [line for line in cover_lines(document, COVER) if not _BOILERPLATE.search(clean(line.text))]
    printed = _squeezed(" ".join(line.text for line in lines))
    if document.title and _is_worded(document.title) and _squeezed(document.title) in printed:
        return clean(document.title)
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    runs: list[list[Line]] = []
    for line in first_page:
        if line.font_size is None:
            continue
        if runs and abs((runs[-1][-1].font_size or 0) - line.font_size) <= _SAME_SIZE:
            runs[-1].append(line)
        else:
            runs.append([line])
    worded = [run for run in runs if _is_worded(" ".join(line.text for line in run))]
    if worded:
        largest = max(worded, key=lambda run: run[0].font_size or 0)
        return clean(" ".join(line.text for line in largest)).lstrip(_BULLETS)
    if first_page:
        return clean(first_page[0].text).lstrip(_BULLETS)
    return document.title


def _squeezed(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _is_worded(text: str) -> bool:
    """Two words or more, ten letters or more: a title, not a logo's name ("UN WOMEN") or a year set large."""
    words = _WORD.findall(text)
    return len(words) >= 2 and sum(map(len, words)) >= 10


def guess_report_info(document: Document) -> ReportInfo:
    cover = cover_text(document, COVER)
    title = cover_title(document)
    period = find_period(f"{title or ''}\n{cover}")
    return ReportInfo(
        title=title,
        country=find_country(f"{title or ''}\n{cover}"),
        report_year=stated_year(cover),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        source_page=1,
    )
