"""Figures an evaluation states in its narrative: office budgets and delivery,
programme budgets, and the facts it gives about its context and method.

Everything here works sentence by sentence on the paragraphs of
`extract.text.paragraphs`, so a figure remembers the page (or text line) of the
sentence that states it, and a sentence cut by a page break names both pages.
The patterns describe how evaluation reports phrase these figures, not the
figures of any one report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from extract.reports.evaluation.records import BudgetStatement, KeyFigure, ProgrammeStatement
from extract.text.amounts import Amount, find_amounts
from extract.text.paragraphs import Paragraph
from extract.text.sentences import sentence_spans

_YEAR = r"(?:19|20)\d\d"
_PERCENT = r"(?P<value>\d+(?:\.\d+)?)\s*(?:%|per\s?cent|percent)"
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}


@dataclass(frozen=True)
class Sentence:
    text: str
    source_page: int
    source_page_last: int
    before: str = ""  # the text leading up to it: the previous paragraph and its own paragraph so far


def sentences(paragraphs: list[Paragraph]) -> Iterator[Sentence]:
    previous = ""
    for paragraph in paragraphs:
        for start, end in sentence_spans(paragraph.text):
            first, last = paragraph.anchors_between(start, end)
            yield Sentence(paragraph.text[start:end], first, last, f"{previous} {paragraph.text[:start]}")
        previous = paragraph.text


# --- Office budget and delivery -------------------------------------------------------------

_SHARE_PHRASE = re.compile(
    r"allocated to|(?:'s|’s)?\s+share\b|managing\s+(?:a\s+total\s+of\s+)?(?:US)?\$|managed by|of which\s+\S+\s+(?:manages|receives)",
    re.IGNORECASE,
)
_PERIOD_NOUN = re.compile(
    r"Strategic Note|country programme|Country Programme Document|\bCPD\b|programme period|\bperiod\b|cycle",
    re.IGNORECASE,
)
_TOTAL_BUDGET = re.compile(
    r"\b(?:total|overall)\b[^.]{0,60}?\b(?:budget|financial projection|resources)\b", re.IGNORECASE
)
_ANNUAL_BUDGET = re.compile(r"\bannual\s+budget\b", re.IGNORECASE)
_DELIVERED = re.compile(
    r"\b(?:delivered|spent|expended|expenditures?\s+(?:of|was|were|amounted\s+to|reached))\b", re.IGNORECASE
)
_DELIVERY_RATE = re.compile(
    rf"\b(?:delivery|execution|implementation|expenditure)\s+rate\s+(?:of\s+|was\s+|at\s+)?(?:about\s+|around\s+)?{_PERCENT}",
    re.IGNORECASE,
)
_AMOUNT_BUDGET = re.compile(r"^\s*(?:total\s+)?budget\b", re.IGNORECASE)
_SINCE_YEAR = re.compile(rf"\bsince\s+(?P<year>{_YEAR})\b", re.IGNORECASE)
_IN_YEAR_AFTER = re.compile(rf"^\s*(?:in|for)\s+(?P<year>{_YEAR})\b", re.IGNORECASE)


def budget_statements(items: list[Sentence], period: tuple[int | None, int | None]) -> list[BudgetStatement]:
    """The office's budget for the evaluated period and for single years, as stated in the narrative."""
    statements: list[BudgetStatement] = []
    for sentence in items:
        text = sentence.text
        if _SHARE_PHRASE.search(text):
            continue
        if _ANNUAL_BUDGET.search(text):
            statements.extend(_annual_statements(sentence))
        elif _TOTAL_BUDGET.search(text) and (_PERIOD_NOUN.search(text) or _DELIVERED.search(text)):
            statement = _period_statement(sentence, period)
            if statement:
                statements.append(statement)
        else:
            statement = _amount_budget_statement(sentence, period)
            if statement:
                statements.append(statement)
    return statements


def _period_statement(sentence: Sentence, period: tuple[int | None, int | None]) -> BudgetStatement | None:
    amounts = find_amounts(sentence.text, require_currency=False)
    if not amounts:
        return None
    delivered = next((a for a in amounts if _DELIVERED.search(sentence.text[max(0, a.start - 40) : a.start])), None)
    budget = next((a for a in amounts if a is not delivered), None)
    rate = _DELIVERY_RATE.search(sentence.text)
    return BudgetStatement(
        scope="period",
        period_start=period[0],
        period_end=period[1],
        budget_usd=budget.value if budget else None,
        budget_tolerance_usd=budget.tolerance if budget else None,
        delivered_usd=delivered.value if delivered else None,
        delivered_tolerance_usd=delivered.tolerance if delivered else None,
        stated_delivery_rate=_share(rate.group("value")) if rate else None,
        stated_delivery_rate_tolerance=_share_tolerance(rate.group("value")) if rate else None,
        sentence=sentence.text,
        source_page=sentence.source_page,
        source_page_last=sentence.source_page_last,
    )


def _amount_budget_statement(sentence: Sentence, period: tuple[int | None, int | None]) -> BudgetStatement | None:
    """A figure caption such as "US$ 8M budget including core and non-core resources"."""
    amounts = find_amounts(sentence.text, require_currency=True)
    if len(amounts) != 1 or not _AMOUNT_BUDGET.match(sentence.text[amounts[0].end :]):
        return None
    if re.search(_YEAR, sentence.text[amounts[0].end : amounts[0].end + 30]):
        return None
    amount = amounts[0]
    return BudgetStatement(
        "period",
        period[0],
        period[1],
        amount.value,
        amount.tolerance,
        None,
        None,
        None,
        None,
        sentence.text,
        sentence.source_page,
        sentence.source_page_last,
    )


def _annual_statements(sentence: Sentence) -> list[BudgetStatement]:
    """Annual budgets: "decreased since 2016, from US$1.93 million to US$1.62 million in 2020"."""
    text = sentence.text
    out = []
    amounts = find_amounts(text, require_currency=False)
    since = _SINCE_YEAR.search(text)
    for index, amount in enumerate(amounts):
        year = _year_after(text, amount) or _year_before(text, amount)
        if year is None and since and index == 0 and re.search(r"\bfrom\s*$", text[: amount.start]):
            year = int(since.group("year"))
        if year is None:
            continue
        out.append(
            BudgetStatement(
                "year",
                year,
                year,
                amount.value,
                amount.tolerance,
                None,
                None,
                None,
                None,
                text,
                sentence.source_page,
                sentence.source_page_last,
            )
        )
    return out


def _year_after(text: str, amount: Amount) -> int | None:
    match = _IN_YEAR_AFTER.match(text[amount.end :])
    return int(match.group("year")) if match else None


def _year_before(text: str, amount: Amount) -> int | None:
    match = re.search(
        rf"\b(?:in|for)\s+(?P<year>{_YEAR})\b[^.;]{{0,40}}\b(?:was|were|of|amounted to|reached)\s*$",
        text[: amount.start],
    )
    return int(match.group("year")) if match else None


# --- Programme budgets stated in the narrative --------------------------------------------------

_PROGRAMME_TOTAL = re.compile(r"\btotal\b[^.]{0,30}$|\bbudget\s+of\s*$", re.IGNORECASE)
_PROGRAMME_SHARE_BEFORE = re.compile(r"(?:share|managing(?:\s+a\s+total\s+of)?|allocated)\W{0,3}$", re.IGNORECASE)
_PROGRAMME_SHARE_AFTER = re.compile(
    r"^\W{0,3}(?:\(\w+\)\s*)?(?:allocated|managed|for\s+\w+(?:\s\w+)?'?s?\s+share)", re.IGNORECASE
)


def programme_statements(items: list[Sentence], project_names: list[str]) -> list[ProgrammeStatement]:
    """Sentences giving a programme's total budget and the entity's share of it.

    The programme is named in the sentence or just before it (a wrapped
    paragraph may put it in the previous one); the statement is tied to the
    portfolio project whose full name appears there.
    """
    out = []
    for sentence in items:
        if not _SHARE_PHRASE.search(sentence.text):
            continue
        amounts = find_amounts(sentence.text, require_currency=False)
        total = share = None
        for amount in amounts:
            before = sentence.text[max(0, amount.start - 40) : amount.start]
            after = sentence.text[amount.end : amount.end + 40]
            if _PROGRAMME_SHARE_BEFORE.search(before) or _PROGRAMME_SHARE_AFTER.search(after):
                share = share or amount
            elif _PROGRAMME_TOTAL.search(before):
                total = total or amount
        if total is None and share is None:
            continue
        window = f"{sentence.before} {sentence.text}"
        out.append(
            ProgrammeStatement(
                project_name=_named_project(window, project_names),
                total_usd=total.value if total else None,
                total_tolerance_usd=total.tolerance if total else None,
                entity_share_usd=share.value if share else None,
                entity_share_tolerance_usd=share.tolerance if share else None,
                sentence=sentence.text,
                source_page=sentence.source_page,
                source_page_last=sentence.source_page_last,
            )
        )
    return out


def _named_project(window: str, project_names: list[str]) -> str | None:
    haystack = _comparable(window)
    named = [name for name in project_names if _comparable(name) and _comparable(name) in haystack]
    return max(named, key=len) if named else None


def _comparable(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# --- Key figures about context and method --------------------------------------------------------


# A figure a pattern reads: (figure, value or None when the text is no number, unit, year).
_FigureRow = tuple[str, float | None, str, int | None]


@dataclass(frozen=True)
class _Pattern:
    """How one kind of figure is phrased; ``emit`` turns a match into (figure, value, unit, year) tuples."""

    regex: re.Pattern[str]
    emit: Callable[[re.Match[str], str], list[_FigureRow]]


def _one(figure: str, unit: str, group: str = "value") -> Callable[[re.Match[str], str], list[_FigureRow]]:
    def emit(match: re.Match[str], sentence: str) -> list[_FigureRow]:
        return [(figure, _number(match.group(group)), unit, _year_of(match, sentence))]

    return emit


def _by_sex(figure: str, unit: str) -> Callable[[re.Match[str], str], list[_FigureRow]]:
    def emit(match: re.Match[str], sentence: str) -> list[_FigureRow]:
        rows: list[_FigureRow] = [(figure, _number(match.group("value")), unit, None)]
        if match.group("women"):
            rows.append((f"{figure}: women", _number(match.group("women")), unit, None))
        if match.group("men"):
            rows.append((f"{figure}: men", _number(match.group("men")), unit, None))
        return rows

    return emit


def _rank(match: re.Match[str], sentence: str) -> list:
    index = _index_name(sentence)
    if index is None:
        return []
    name, year = index
    rows = [(f"rank: {name}", float(match.group("value")), f"rank of {match.group('of')}", year)]
    after = sentence[match.end() :]
    for sub, position in re.findall(r"([A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)*)\s+\((\d{1,3})\)", after):
        rows.append((f"rank: {name} – {sub}", float(position), "rank", year))
    return rows


def _index_name(sentence: str) -> tuple[str, int | None] | None:
    found = re.search(
        rf"(?:(?P<before>{_YEAR})\s+)?(?P<name>(?:[A-Z][\w-]*\s+){{1,3}}Index)(?:\s+(?:in\s+)?(?P<after>{_YEAR}))?",
        sentence,
    )
    if not found:
        return None
    year = found.group("before") or found.group("after")
    return found.group("name"), int(year) if year else None


# A change in headcount ("reduced from 15 to 6 in 2018", "increased to 16"), or a count ("8 personnel in 2018").
_PERSONNEL = re.compile(
    rf"\b(?:reduced|increased|decreased|grew|rose|fell|dropped|expanded|went)\b(?:\s+[a-z]+){{0,2}}?\s+"
    rf"(?:from\s+(?P<from>\d+)\s+(?:personnel\s+)?(?:in\s+(?P<from_year>{_YEAR})\s+)?)?to\s+(?P<to>\d+)(?:\s+personnel)?(?:\s+(?:based\s+)?in\s+(?P<year>{_YEAR}))?"
    rf"|(?P<count>\d+)\s+(?:programme\s+)?personnel(?:\s+based\s+in\s+(?P<place>[A-Z][a-z]+))?(?:\s+in\s+(?P<year2>{_YEAR}))?"
)
_STARTED_PERIOD = re.compile(rf"\b(?:initiated|started|began)\b[^.]*?(?P<start>{_YEAR})\s*[–-]\s*{_YEAR}")


def _personnel_counts(sentence: str, country: str | None) -> list[_FigureRow]:
    """Personnel counts by year: "reduced from 15 to 6 in 2018, but in 2020 the personnel increased to 16"."""
    if not re.search(r"\bpersonnel\b", sentence, re.IGNORECASE):
        return []
    rows: list[_FigureRow] = []
    for match in _PERSONNEL.finditer(sentence):
        if match.group("to"):
            year = match.group("year") or _clause_year(sentence[: match.start()]) or _context_year(sentence)
            if match.group("from"):
                from_year = match.group("from_year")
                rows.append(("personnel", float(match.group("from")), "people", int(from_year) if from_year else None))
            rows.append(("personnel", float(match.group("to")), "people", int(year) if year else None))
            continue
        place = match.group("place")
        figure = "personnel" if place in (None, country) else f"personnel based in {place}"
        started = _STARTED_PERIOD.search(sentence[: match.start()])
        year = match.group("year2") or (started.group("start") if started else None)
        rows.append((figure, float(match.group("count")), "people", int(year) if year else None))
    return rows


def _clause_year(text_before: str) -> str | None:
    clause = re.split(r"[,;]", text_before)[-1]
    found = re.findall(rf"\bin\s+({_YEAR})\b", clause)
    return found[-1] if found else None


def _context_year(sentence: str) -> str | None:
    """The year a sentence is about when it says so up front ("In 2018, …", "With the 2018 transformation …")."""
    match = re.match(rf"^(?:In|By|With the|Since)\s+(?P<year>{_YEAR})\b", sentence)
    return match.group("year") if match else None


def _projects(match: re.Match[str], sentence: str) -> list:
    count = _number(match.group("value"))
    return [("projects in portfolio", count, "projects", None)] if count else []


def _ratio_by_sex(match: re.Match[str], sentence: str) -> list:
    first, second = float(match.group("first")), float(match.group("second"))
    men, women = (first, second) if match.group("order").lower().startswith("male") else (second, first)
    return [
        ("interviewees: men (share)", men, "percent", None),
        ("interviewees: women (share)", women, "percent", None),
    ]


_NUMBER_WORD = "|".join(_NUMBER_WORDS)
_SEX_SPLIT = r"(?:\s*\((?P<women>\d+)\s+women\s+and\s+(?P<men>\d+)\s+m[ae]n\))?"

_PATTERNS: list[_Pattern] = [
    _Pattern(
        re.compile(r"population of (?P<value>\d+(?:\.\d+)?\s*(?:million|billion))", re.IGNORECASE),
        _one("population", "people"),
    ),
    _Pattern(
        re.compile(
            r"\b(?:rank(?:ed|s)?\s+(?:at\s+)?|\bat\s+)(?P<value>\d{1,3})(?:st|nd|rd|th)?\s+(?:of|out of)\s+(?:the\s+assessed\s+)?(?P<of>\d{2,3})\s+countries",
            re.IGNORECASE,
        ),
        _rank,
    ),
    _Pattern(
        re.compile(rf"{_PERCENT} of the population are women", re.IGNORECASE),
        _one("population share: women", "percent"),
    ),
    _Pattern(
        re.compile(rf"population are women and {_PERCENT} are men", re.IGNORECASE),
        _one("population share: men", "percent"),
    ),
    _Pattern(re.compile(rf"{_PERCENT} reside in cities", re.IGNORECASE), _one("population share: urban", "percent")),
    _Pattern(
        re.compile(
            rf"women parliamentarians[^.]*?(?:reaching|represents|at)\s+{_PERCENT}(?:\s+in\s+(?P<year>{_YEAR}))?",
            re.IGNORECASE,
        ),
        _one("women parliamentarians (share)", "percent"),
    ),
    _Pattern(
        re.compile(r"(?P<value>\d+)\s+women parliamentarians", re.IGNORECASE), _one("women parliamentarians", "people")
    ),
    _Pattern(
        re.compile(rf"{_PERCENT} of women (?:of working age )?are employed", re.IGNORECASE),
        _one("employment rate: women", "percent"),
    ),
    _Pattern(
        re.compile(rf"employed compared (?:with|to) {_PERCENT} of men", re.IGNORECASE),
        _one("employment rate: men", "percent"),
    ),
    _Pattern(
        re.compile(rf"poverty (?:level|rate)[^.]{{0,30}}?\bis\s+{_PERCENT}", re.IGNORECASE),
        _one("poverty rate", "percent"),
    ),
    _Pattern(
        re.compile(rf"less than {_PERCENT}(?: of| in) senior management", re.IGNORECASE),
        _one("women in senior management (share, upper bound)", "percent"),
    ),
    _Pattern(
        re.compile(
            rf"{_PERCENT} of women (?:have )?experienced (?:different forms of |physical )?violence", re.IGNORECASE
        ),
        _one("women who experienced violence (share)", "percent"),
    ),
    _Pattern(
        re.compile(
            r"(?:review of|reviewed)\s+(?:more than\s+|over\s+)?(?P<value>\d+)\s+(?:documents|resources)|(?P<value2>\d+)\s+documents reviewed",
            re.IGNORECASE,
        ),
        lambda m, s: [("documents reviewed", _number(m.group("value") or m.group("value2")), "documents", None)],
    ),
    _Pattern(
        re.compile(
            rf"interviews with (?P<value>\d+) (?:key informants|stakeholders|people|persons|respondents|internal and external stakeholders){_SEX_SPLIT}",
            re.IGNORECASE,
        ),
        _by_sex("interviewees", "people"),
    ),
    _Pattern(
        re.compile(
            rf"(?:interviews|focus group discussions)[^.]{{0,80}}?\bwith (?P<value>\d+) (?:internal and external )?(?:stakeholders|people|persons|respondents){_SEX_SPLIT}",
            re.IGNORECASE,
        ),
        _by_sex("interviewees", "people"),
    ),
    _Pattern(
        re.compile(
            r"(?P<value>\d+) interviews were (?:held|conducted)|(?P<value2>\d+) stakeholders interviewed", re.IGNORECASE
        ),
        lambda m, s: [("interviewees", _number(m.group("value") or m.group("value2")), "people", None)],
    ),
    _Pattern(
        re.compile(r"(?P<first>\d+):(?P<second>\d+) (?P<order>male/female|female/male) ratio", re.IGNORECASE),
        _ratio_by_sex,
    ),
    _Pattern(re.compile(r"sample size was (?P<value>\d+)", re.IGNORECASE), _one("survey sample", "people")),
    _Pattern(
        re.compile(rf"responses were received (?:only )?from (?P<value>\d+)[^(.]*{_SEX_SPLIT}", re.IGNORECASE),
        _by_sex("survey respondents", "people"),
    ),
    _Pattern(
        re.compile(
            rf"{_PERCENT} response rate|response rate (?:of|was) {_PERCENT.replace('value', 'value2')}", re.IGNORECASE
        ),
        lambda m, s: [("survey response rate", _number(m.group("value") or m.group("value2")), "percent", None)],
    ),
    _Pattern(
        re.compile(rf"\b(?:the|its|to)\s+(?P<value>\d+|{_NUMBER_WORD})\s+projects\b", re.IGNORECASE),
        _projects,
    ),
]


def key_figures(items: list[Sentence], country: str | None) -> list[KeyFigure]:
    out = []
    for sentence in items:
        rows = [
            row
            for pattern in _PATTERNS
            for match in pattern.regex.finditer(sentence.text)
            for row in pattern.emit(match, sentence.text)
        ]
        rows += _personnel_counts(sentence.text, country)
        for figure, value, unit, year in rows:
            if value is not None:
                out.append(
                    KeyFigure(figure, value, unit, year, sentence.text, sentence.source_page, sentence.source_page_last)
                )
    return out


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip().lower()
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    scale = 1.0
    for word, factor in (("billion", 1e9), ("million", 1e6)):
        if text.endswith(word):
            text, scale = text[: -len(word)].strip(), factor
    try:
        return round(float(text) * scale, 4)
    except ValueError:
        return None


def _year_of(match: re.Match[str], sentence: str) -> int | None:
    named = match.groupdict().get("year")
    if named:
        return int(named)
    after = re.match(rf"^\s+in\s+(?P<year>{_YEAR})\b", sentence[match.end() :])
    return int(after.group("year")) if after else None


def _share(percent: str) -> float:
    return round(float(percent) / 100, 6)


def _share_tolerance(percent: str) -> float:
    decimals = len(percent.split(".")[1]) if "." in percent else 0
    return round(0.5 * 10**-decimals / 100, 8)
