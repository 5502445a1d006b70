"""Numbers an indicator's findings state: counts, percentages (with their parts) and money.

Findings prose mixes measurements ("178 staff responded", "an overall positive
rating of 73%", "Of the 78 Outcome indicators, 38 (49%) track ...") with
numbers that are not: years, dates, ordinals ("65th position"), list markers
("1)"), references ("SDG 5", "Pillar 6", "p.13", "1.5 Environmental ..."),
ranges from the template's criteria ("33-50 percent") and numbers inside
quoted titles ("16 Days of Activism").  Only the first kind is kept.  A
percentage stated with its parts keeps them, so the warehouse can check
38 of 78 = 49%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.text.amounts import MAGNITUDES, find_amounts
from extract.text.sentences import sentence_spans
from extract.text.span import Span

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = rf"(?P<pct>{_NUMBER})\s?(?:%|per\s?cent\b|percent\b)"
_WORD = r"[A-Za-z][A-Za-z'’-]*"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH = re.compile(rf"\b(?:{_MONTHS})\b\.?", re.IGNORECASE)
# Words after which a number is a name or reference, not a quantity.
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:SDGs?|Goals?|Targets?|Pillars?|Outcomes?|Outputs?|Areas?|Phase|Chapter|Section|Annex|Table|Figure|"
    r"Indicator|page|pages|p\.|pp\.|No\.|Resolution|UNSCR|top|PI|Dimension|Level|Grade|Step|Round|"
    r"Article|Articles|Paragraph|Para)\s*$)",
    re.IGNORECASE,
)
_TIME_UNITS = {"month", "months", "year", "years", "day", "days", "week", "weeks", "hour", "hours", "minutes"}
_STOP_WORDS = {
    "of",
    "with",
    "from",
    "in",
    "on",
    "at",
    "for",
    "to",
    "and",
    "or",
    "that",
    "which",
    "who",
    "under",
    "across",
    "during",
    "by",
    "were",
    "was",
    "is",
    "are",
    "have",
    "has",
    "had",
    "been",
    "be",
    "as",
    "into",
    "than",
    "per",
    "within",
    "between",
    "among",
    "over",
    "through",
    "will",
    "would",
    "can",
    "the",
    "a",
    "an",
    "its",
    "their",
    "related",
    "grouped",
    "involving",
    "including",
    "such",
    "like",
    "reaching",
    "where",
    "while",
}
_ARTICLES = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)
_NOT_NOUNS = _STOP_WORDS | {"percent", "per", "cent", "million", "thousand", "billion", "out", "times"}
_OF_THE_WHOLE = re.compile(
    rf"\b[Oo]f\s+the\s+(?P<whole>{_NUMBER})\s+(?P<label>[^,;:.()]+?),\s+(?P<part>{_NUMBER})\s*\(\s*{_PERCENT}\s*\)"
    r"(?P<rest>[^.;]*)"
)
_PERCENT_OF_PARTS = re.compile(
    rf"{_PERCENT}\s*\(\s*(?P<part>{_NUMBER})\s+(?:out\s+)?of\s+(?P<whole>{_NUMBER})\s*\)(?P<rest>[^.;]*)"
)
_COUNT_OF_WHOLE = re.compile(
    rf"(?P<part>{_NUMBER})\s+out\s+of\s+(?P<whole>{_NUMBER})\s+(?P<label>{_WORD}(?:\s+{_WORD}){{0,2}})"
)
# "Of the 12 agencies able to provide staffing data, ...": a sentence (or list item) opening on its whole.
_OF_THE_COUNT = re.compile(rf"(?:^|\(?[a-z0-9]\)\s+)Of\s+the\s+(?P<whole>{_NUMBER})\s+(?P<label>[^,;:.()]+),")
_RANGE = re.compile(rf"(?P<low>{_NUMBER})\s?[-–]\s?(?P<high>{_NUMBER})\s?(?:%|per\s?cent\b|percent\b)?")
_PLAIN_PERCENT = re.compile(_PERCENT)
_COUNT = re.compile(
    rf"(?<![\w.,/-])(?P<value>{_NUMBER})(?:\s+(?P<mag>million|thousand|billion))?\s+(?=(?P<words>[^.;:!?()]*))"
)
_DENOMINATOR_AFTER = re.compile(
    rf"^,?\s+(?:out\s+)?of\s+(?:at\s+least\s+|about\s+|around\s+|some\s+|nearly\s+|almost\s+)?(?P<whole>{_NUMBER})\b"
)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


@dataclass(frozen=True)
class Metric:
    metric: str
    value: float
    unit: str
    numerator: float | None
    denominator: float | None
    quoted_text: str
    sentence: str
    position: int


def find_metrics(span: Span) -> list[Metric]:
    """Every quantity stated in ``span``'s text, in reading order."""
    text = span.text
    metrics: list[Metric] = []
    for start, end in sentence_spans(text):
        metrics.extend(_sentence_metrics(text[start:end], start))
    return sorted(metrics, key=lambda m: m.position)


def _sentence_metrics(sentence: str, offset: int) -> list[Metric]:
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _QUOTED.finditer(sentence)]
    found: list[Metric] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(metric: str, value: float, unit: str, start: int, end: int, numerator=None, denominator=None) -> None:
        found.append(
            Metric(
                metric=_tidy_label(metric),
                value=value,
                unit=unit,
                numerator=numerator,
                denominator=denominator,
                quoted_text=sentence[start:end].strip(),
                sentence=sentence,
                position=offset + start,
            )
        )

    for match in _OF_THE_WHOLE.finditer(sentence):
        if not free(match.start(), match.end()):
            continue
        whole, part, pct = _number(match["whole"]), _number(match["part"]), _number(match["pct"])
        label = match["label"].strip()
        predicate = _first_words(match["rest"], 8)
        part_label = f"{label} that {predicate}" if predicate else label
        add(label, whole, "count", match.start("whole"), match.end("label"))
        add(part_label, part, "count", match.start("part"), match.end("part"), denominator=whole)
        add(f"share of {part_label}", pct, "percent", match.start("part"), match.end("pct") + 2, part, whole)
        taken.append((match.start(), match.end("pct") + 2))

    for match in _PERCENT_OF_PARTS.finditer(sentence):
        if not free(match.start(), match.end("whole")):
            continue
        pct, part, whole = _number(match["pct"]), _number(match["part"]), _number(match["whole"])
        label = _first_words(re.sub(r"^\s*of\s+(?:the\s+)?", "", match["rest"]), 6) or _words_before(
            sentence, match.start(), 4
        )
        add(label, pct, "percent", match.start(), match.end("whole") + 1, part, whole)
        taken.append((match.start(), match.end("whole") + 1))

    for match in _COUNT_OF_WHOLE.finditer(sentence):
        if not free(match.start(), match.end()) or _is_year(match["part"]):
            continue
        part, whole = _number(match["part"]), _number(match["whole"])
        label = _noun_phrase(match["label"]) or "items"
        add(label, part, "count", match.start(), match.end(), denominator=whole)
        taken.append((match.start(), match.end()))

    for amount in find_amounts(sentence, currencies=("USD", "EUR")):
        if not free(amount.start, amount.end):
            continue
        label = _noun_phrase(sentence[amount.end :]) or _words_before(sentence, amount.start, 4) or "amount"
        add(label, amount.value, amount.currency, amount.start, amount.end)
        taken.append((amount.start, amount.end))

    for match in _RANGE.finditer(sentence):
        if "-" in match.group(0) or "–" in match.group(0):
            taken.append((match.start(), match.end()))

    for match in _PLAIN_PERCENT.finditer(sentence):
        if not free(match.start(), match.end()):
            continue
        add(_percent_label(sentence, match), _number(match["pct"]), "percent", match.start(), match.end())
        taken.append((match.start(), match.end()))

    for match in _OF_THE_COUNT.finditer(sentence):
        if not free(match.start("whole"), match.end("whole")):
            continue
        add(match["label"], _number(match["whole"]), "count", match.start("whole"), match.end("label"))
        taken.append((match.start("whole"), match.end("whole")))

    for match in _COUNT.finditer(sentence):
        if not free(match.start("value"), match.end("value")) or not _is_quantity(sentence, match):
            continue
        label = _noun_phrase(match["words"])
        if not label:
            continue
        value = _number(match["value"]) * MAGNITUDES.get((match["mag"] or "").lower(), 1.0)
        # "178 staff responded, of at least 255 expected": the whole follows the phrase.
        label_end = match.start("words") + len(label)
        stated_whole = _DENOMINATOR_AFTER.match(sentence[label_end:])
        denominator = _number(stated_whole["whole"]) if stated_whole else None
        if stated_whole:
            taken.append((label_end + stated_whole.start("whole"), label_end + stated_whole.end("whole")))
        add(label, value, "count", match.start("value"), match.start("words") + len(label), denominator=denominator)
        taken.append((match.start("value"), match.end("value")))
    return found


def _is_quantity(sentence: str, match: re.Match[str]) -> bool:
    raw = match["value"]
    before = sentence[: match.start("value")]
    after = sentence[match.end("value") :]
    # "1.5 Environmental Challenges": a section reference, not a quantity.
    if "." in raw and raw.replace(",", "").split(".")[1].strip("0") != "" and re.match(r"\s+[A-Z]", after):
        return False
    if _is_year(raw):
        return False
    if re.match(r"(?:st|nd|rd|th)\b|[)\]]|[-–/]\d|\.\d", after):
        return False
    if _REFERENCE_BEFORE.search(before) or re.search(r"(?:\d\s*,|\d\s+and|\d\s+or)\s*$", before):
        return False
    if _MONTH.search(before[-12:]) or re.match(rf"\s+(?:{_MONTHS})\b", after, re.IGNORECASE):
        return False
    return not (re.search(r"[(\[]\s*$", before) and re.match(r"\)", after))


def _is_year(raw: str) -> bool:
    return raw.isdigit() and 1900 <= int(raw) <= 2100


def _noun_phrase(words: str) -> str | None:
    tokens = re.findall(r"[A-Za-z][A-Za-z'’&-]*|\S", words.strip())
    phrase: list[str] = []
    for token in tokens:
        lowered = token.lower()
        if not re.match(r"[A-Za-z]", token) or (lowered in _STOP_WORDS and lowered != "and") or len(phrase) >= 3:
            break
        if lowered == "and":
            # "women and girls" stays one phrase, "registrations and 260 participants" does not.
            index = tokens.index(token)
            if index + 1 >= len(tokens) or not re.match(r"[a-z]", tokens[index + 1]):
                break
        phrase.append(token)
    while phrase and phrase[-1].lower() in _STOP_WORDS:
        phrase.pop()
    if not phrase or phrase[0].lower() in _NOT_NOUNS or phrase[0].lower() in _TIME_UNITS:
        return None
    return " ".join(phrase)


def _percent_label(sentence: str, match: re.Match[str]) -> str:
    after = sentence[match.end() :]
    before = sentence[: match.start()]
    of_phrase = re.match(r"\s+of\s+(?:the\s+)?(?P<what>[^,.;()]+)", after)
    if of_phrase:
        return _first_words(of_phrase["what"], 6)
    rating = re.search(r"((?:\w+\s+){0,3}\w+)\s+(?:of|at|to|by)\s*$", before)
    if rating:
        return rating.group(1)
    state = re.match(r"\s+(?:were|was|are|is)?\s*(?P<word>[a-z]+)", after)
    if state and state["word"] not in _STOP_WORDS:
        return state["word"]
    # "... and men 45%": the word just before names the share.
    previous = re.search(r"([A-Za-z][A-Za-z'’-]*)\s*$", before)
    if previous and previous.group(1).lower() not in _STOP_WORDS:
        return previous.group(1)
    return _words_before(sentence, match.start(), 3) or "share"


def _first_words(text: str, limit: int) -> str:
    words = re.findall(r"[^\s,;:()]+", text.split(",")[0])
    return " ".join(words[:limit])


def _words_before(sentence: str, position: int, limit: int) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", sentence[:position])
    while words and words[-1].lower() in _STOP_WORDS:
        words.pop()
    return " ".join(words[-limit:])


def _tidy_label(label: str) -> str:
    return _ARTICLES.sub("", re.sub(r"\s+", " ", label).strip(" ,;:-"))


def _number(text: str) -> float:
    return float(text.replace(",", ""))
