"""Facts an inventory entry states in prose: languages, methodology, data formats, founding year, platforms.

Inventory descriptions are free text written by hand ("Available primarily in
Russian with translations into Kazakh and English", "Methodology section is not
present"), so each field is read sentence by sentence with explicit cues rather
than by spotting keywords anywhere: a language named in "It is unclear whether
the questionnaires are in English, Russian, or Kazakh" is not a publication
language, and "does not appear to have a methodology section available" is a
missing methodology, not an available one.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from extract.text.sentences import sentences

NOT_STATED = "not stated"
METHODOLOGY_VALUES = ("available", "partial", "not available", NOT_STATED)

# ISO 639-1 names are the vocabulary; these everyday spellings differ from them.
_LANGUAGE_VARIANTS = {
    "Kyrgyz",
    "Greek",
    "Farsi",
    "Dari",
    "Pashto",
    "Karakalpak",
    "Uyghur",
    "Malay",
    "Nepali",
    "Swahili",
    "Punjabi",
    "Filipino",
    "Mandarin",
    "Cantonese",
}
_LANGUAGE_SENTENCE_CUE = re.compile(
    r"\b(available|publish\w*|publications?|reports?|translat\w*|languages?|versions?|material|written|content"
    r"|website|site)\b",
    re.IGNORECASE,
)
# A sentence that doubts which language was used names candidates, not publication languages.
_UNCERTAIN = re.compile(r"\b(unclear|not clear|whether|unknown|not known)\b", re.IGNORECASE)
# The words that may introduce a list of publication languages: "in", "into", "to", "only".
_LANGUAGE_LIST_LEAD = re.compile(
    r"\b(?:in|into|to|only)\s+(?:(?:only|primarily|mostly|mainly|both)\s+)?$", re.IGNORECASE
)
_NEGATED_LEAD = re.compile(r"\b(not|no|never|except|without)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

_METHOD_WORD = re.compile(r"\bmethod(?:s|olog\w*)\b", re.IGNORECASE)
_PARTIAL = re.compile(
    r"\b(not always|not (?:for |in )?all|unclear|not clear|partial(?:ly)?|incomplete|limited|some|several"
    r"|a few|certain|(?:the )?first (?:two|three|four|five|\d+))\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(r"\b(not|no|none|never|absent|missing|lacks?|lacking|without)\b|n't\b", re.IGNORECASE)
# "It does not mention how data is collected" right after a methodology sentence still talks about it;
# the dummy subject of "It is unclear whether the questionnaires …" does not.
_BACK_REFERENCE = re.compile(
    r"^(It|They|This|These)\b(?!\s+(?:is|was|seems|appears|remains)\s+(?:\w+\s+)?(?:whether|if|that|how|why|which)\b)"
)

_DATA_SENTENCE_CUE = re.compile(r"\b(data\w*|download\w*|formats?|files?)\b", re.IGNORECASE)
_KNOWN_FORMATS = {
    "CSV": "CSV",
    "TSV": "TSV",
    "JSON": "JSON",
    "XML": "XML",
    "SDMX": "SDMX",
    "API": "API",
    "SPSS": "SPSS",
    "Stata": "Stata",
    "SAS": "SAS",
    "Excel": "Excel",
    "XLS": "Excel",
    "XLSX": "Excel",
    # "CVS" is the transposition typo of CSV: no data format is called CVS, and inventories list it beside API.
    "CVS": "CSV",
}
_FORMAT_ITEM = r"[A-Z][\w.+-]*"
_FORMAT_LIST = re.compile(
    rf"(?P<items>{_FORMAT_ITEM}(?:\s*,\s*(?:and\s+|or\s+)?{_FORMAT_ITEM}|\s+(?:and|or)\s+{_FORMAT_ITEM})*)\s+formats?\b"
)

_FOUNDED = re.compile(r"\b(?:founded|established)\s+(?:in\s+)?((?:1[5-9]|20)\d\d)\b", re.IGNORECASE)

_PLATFORMS = {
    "instagram": "Instagram",
    "telegram": "Telegram",
    "twitter": "Twitter",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "vkontakte": "VKontakte",
    "whatsapp": "WhatsApp",
    "odnoklassniki": "Odnoklassniki",
    "vimeo": "Vimeo",
}
_PLATFORM = re.compile(r"\b(" + "|".join(_PLATFORMS) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _language_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One language name, and a list of them ("English, Kazakh, and Russian")."""
    names = {re.sub(r"\s*\(.*\)$", "", lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    names |= _LANGUAGE_VARIANTS
    # A language name followed by a capitalised word is part of a proper noun ("Latin America").
    name = r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b(?!\s+[A-Z][a-z])"
    return re.compile(name), re.compile(rf"{name}(?:\s*,\s*(?:and\s+|or\s+)?{name}|\s+(?:and|or|&)\s+{name})*")


def languages(text: str) -> tuple[str, ...]:
    """Publication languages stated in ``text``, sorted; empty when none is stated.

    A language counts when it sits in a list introduced by "in", "into", "to"
    or "only" inside a sentence about availability, publications or
    translations ("Available in English, Kazakh, and Russian", "available only
    Russian", "with occasional translation to English").  Lists after a
    negation ("not in Kazakh") and sentences that doubt the language are
    skipped.
    """
    name, name_list = _language_patterns()
    found: set[str] = set()
    for sentence in sentences(text):
        if not _LANGUAGE_SENTENCE_CUE.search(sentence) or _UNCERTAIN.search(sentence):
            continue
        for match in name_list.finditer(sentence):
            before = sentence[: match.start()]
            if not _LANGUAGE_LIST_LEAD.search(before) or _NEGATED_LEAD.search(before):
                continue
            found.update(name.findall(match.group(0)))
    return tuple(sorted(found))


def methodology(text: str) -> str:
    """``available`` | ``partial`` | ``not available`` | ``not stated``, from what ``text`` says about methodology.

    Every sentence about methodology (and a following sentence that refers
    back to it with "It …") is positive, negative or hedged.  All positive →
    available; all negative → not available; anything hedged ("not always",
    "unclear", "in the first two reports") or a mix → partial; no such
    sentence → not stated.
    """
    verdicts: list[str] = []
    previous_was_method = False
    for sentence in sentences(text):
        about_method = bool(_METHOD_WORD.search(sentence)) or (
            previous_was_method and bool(_BACK_REFERENCE.match(sentence))
        )
        previous_was_method = about_method
        if not about_method:
            continue
        if _PARTIAL.search(sentence):
            verdicts.append("partial")
        elif _NEGATIVE.search(sentence):
            verdicts.append("not available")
        else:
            verdicts.append("available")
    if not verdicts:
        return NOT_STATED
    distinct = set(verdicts)
    return distinct.pop() if len(distinct) == 1 else "partial"


def data_formats(text: str) -> tuple[str, ...]:
    """Data formats stated in ``text`` (CSV, API, SPSS, Excel, Stata …), sorted; empty when none.

    Well-known formats count in any sentence about data or downloads; any
    capitalised item of a list ending in "format(s)" counts too ("via CSV, API,
    and Databank formats").  Spellings are normalised (XLSX → Excel) and the
    common typo "CVS" is read as CSV.
    """
    found: set[str] = set()
    for sentence in sentences(text):
        if not _DATA_SENTENCE_CUE.search(sentence):
            continue
        for token, canonical in _KNOWN_FORMATS.items():
            if re.search(rf"\b{re.escape(token)}\b", sentence):
                found.add(canonical)
        for match in _FORMAT_LIST.finditer(sentence):
            for item in re.findall(_FORMAT_ITEM, match.group("items")):
                found.add(_KNOWN_FORMATS.get(item, item))
    return tuple(sorted(found))


def founded_year(text: str) -> int | None:
    match = _FOUNDED.search(text)
    return int(match.group(1)) if match else None


def platforms(text: str) -> tuple[str, ...]:
    """Social platforms the entry is said to publish on (Instagram, Telegram …), sorted."""
    return tuple(sorted({_PLATFORMS[m.group(1).lower()] for m in _PLATFORM.finditer(text)}))
