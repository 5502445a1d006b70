"""The warehouse's report: `report.html`, an index comparing countries, and one page per country in `report/`.

Written at every publish from the freshly published file (and by `gewh report`).
Pages need no network and run no script: CSS is inline, charts are inline SVG
(`gewh.analyst.charts`), and every chart has its numbers in a table beside it.

The index holds what compares countries (the latest rating of every indicator
as a countries × indicators matrix, rating changes counted by indicator,
delivery rates by evaluation, which reports each country has and how complete
each is), the quality flags summed up, and the runs.  Each country's page holds
its charts and full text.  A country page records a fingerprint of what it shows
(its rows, and the code and template that draw them) and is redrawn only when
that changes, so a refresh that adds one country's report redraws that page and
the index: writing grows with the countries that changed, and the index's
tables grow linearly with countries.  Report-shaped aggregates of one report are
dbt models (`marts.rpt_*`); this module selects from marts and arranges rows
for pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import matplotlib
from jinja2 import Environment, PackageLoader, select_autoescape

from gewh.analyst import charts
from gewh.analyst.display import cell
from gewh.analyst.query import read_only

REPORT_NAME = "report.html"
RUNS_SHOWN = 10
# The page of the reports whose country the report does not state.
NO_COUNTRY = "Country not stated"
# How much of a recommendation shows before "read all" (the rest opens in place, no script needed).
RECOMMENDATION_PREVIEW = 200
REPORT_KINDS = {
    "scorecard": "UNCT-SWAP Gender Equality Scorecard",
    "evaluation": "Evaluation",
    "source_inventory": "Gender data-source inventory",
}
_FINGERPRINT = re.compile(r'<meta name="gewh-page-fingerprint" content="([0-9a-f]{64})">')


def report_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(REPORT_NAME)


def country_pages_folder(report: Path) -> Path:
    """Where the country pages of the index ``report`` go: ``report.html`` → ``report/``."""
    return report.with_name(report.stem)


@dataclass
class ReportWritten:
    """What a write did: the index, how many country pages there are, and the slugs of those it redrew."""

    index: Path
    pages: int
    redrawn: list[str]


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Render the report of ``warehouse`` (read-only): index at ``out`` (default: beside it), country pages
    in the folder beside the index; each page replaced atomically, pages of countries gone removed."""
    return write_report_pages(warehouse, out).index


def write_report_pages(warehouse: Path, out: Path | None = None) -> ReportWritten:
    """`write_report`, saying which country pages it redrew (the others were already up to date).

    A few countries' rows at a time (`REPORTS_READ_TOGETHER` reports' or one country's, whichever is more): each
    country is drawn (when its fingerprint changed) and let go before the next batch is read, keeping of it only
    what the index compares, so memory follows a batch, not the warehouse.
    """
    out = Path(out) if out else report_path(warehouse)
    folder = country_pages_folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    environment = _environment()
    index_link = f"../{out.name}"
    redrawn, kept = [], set()
    compared = _Compared()
    with read_only(warehouse) as con:
        summary = _Summary(con)
        for country in _countries(con, summary.reports):
            page = folder / f"{country.slug}.html"
            fingerprint = country.fingerprint(index_link)
            if _stored_fingerprint(page) != fingerprint:
                context = country.context() | {"fingerprint": fingerprint, "index": index_link}
                _write_atomically(page, environment.get_template("country.html.j2").generate(**context))
                redrawn.append(country.slug)
            kept.add(page.name)
            compared.add(country)
    for stale in folder.glob("*.html"):
        # Only pages this module wrote (they carry a fingerprint): --out may point next to a folder of other pages.
        if stale.name not in kept and _stored_fingerprint(stale) is not None:
            stale.unlink()
    context = _index_context(summary, compared) | {
        "warehouse": Path(warehouse).resolve(),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "pages": folder.name,
    }
    _write_atomically(out, environment.get_template("index.html.j2").generate(**context))
    return ReportWritten(out, len(kept), redrawn)


def publish_report(warehouse: Path) -> tuple[Path | None, str]:
    """Write the report beside a just-published warehouse: ``(path, "")``, or ``(None, why)`` when it failed.

    A failure is returned, not raised: the warehouse is already published and
    stays so; the refresh summary says the report is missing and why.
    """
    try:
        return write_report(warehouse), ""
    except Exception as exc:  # noqa: BLE001  (whatever breaks here, the publish before it stands)
        return None, f"{type(exc).__name__}: {exc}"


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the page as it is rendered (each chart drawn as it is written, so memory holds one chart)."""
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8") as page:
        page.writelines(chunks)
    os.replace(partial, path)


def _stored_fingerprint(page: Path) -> str | None:
    try:
        with page.open(encoding="utf-8") as existing:
            head = existing.read(2048)
    except FileNotFoundError:
        return None
    found = _FINGERPRINT.search(head)
    return found.group(1) if found else None


@cache
def _drawing_version() -> str:
    """What draws a page besides its rows: this module, the charts, the templates and matplotlib's version."""
    here = Path(__file__).parent
    digest = hashlib.sha256(matplotlib.__version__.encode())
    for source in sorted([Path(__file__), here / "charts.py", *(here / "templates").glob("*.j2")]):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("gewh.analyst", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cell"] = cell
    environment.filters["usd"] = _usd
    environment.filters["percent"] = lambda value: "" if value is None else f"{value:.1%}"
    environment.globals |= {"rating_colours": charts.RATING_COLOURS, "delivered_colour": charts.DELIVERED_COLOUR}
    return environment


class _Chart:
    """A chart drawn only when the template writes it out."""

    def __init__(self, draw: Callable[..., str], *arguments: Any):
        self._draw, self._arguments = draw, arguments

    def __str__(self) -> str:
        return self._draw(*self._arguments)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    result = con.execute(sql, parameters)
    columns = [column[0] for column in result.description or []]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def _grouped(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows by the value of ``key``, each group in the rows' order."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _usd(value: float | None) -> str:
    return "" if value is None else f"US${value:,.0f}"


class _Summary:
    """What the index shows of the whole warehouse, read once: the runs, every report with its completeness, the
    documents, and the quality flags counted (each country's own rows are read with its page: `_countries`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.runs = _rows(con, f"select * from marts.refresh_runs order by started_at desc limit {RUNS_SHOWN}")
        for run in self.runs:
            run["rows_per_mart"] = json.loads(run["rows_per_mart"]) if run["rows_per_mart"] else {}
        self.reports = _rows(
            con,
            "select r.report_id, r.report_type, r.country, r.title, r.report_year, r.period_start, r.period_end, "
            "r.framework_edition, r.source_file, r.status, r.is_published, r.quarantine_reasons, r.completeness, "
            "e.evaluation_type from marts.dim_reports as r "
            "left join marts.dim_evaluations as e on e.report_id = r.report_id "
            "order by r.country, r.report_type, r.report_year, r.report_id",
        )
        parts = _grouped(
            _rows(con, "select report_id, part, found, expected from marts.fct_report_completeness order by all"),
            "report_id",
        )
        for report in self.reports:
            report["name"] = _report_name(report)
            report["parts"] = parts.get(report["report_id"], [])
        self.flag_counts = _rows(
            con,
            'select severity, "check", count(*) as flags, count(distinct report_id) as reports '
            f'from marts.fct_quality_flags group by severity, "check" order by {_SEVERITY_ORDER}, "check", severity',
        )
        self.flags_without_report = _rows(
            con,
            'select severity, area, report_id, "check", subject, expected, found, source_page '
            "from marts.fct_quality_flags as flags "
            "where not exists (select 1 from marts.dim_reports as r where r.report_id = flags.report_id) "
            f"order by {_SEVERITY_ORDER}, report_id, flag_id",
        )
        self.documents_by_status = _rows(
            con, "select status, count(*) as documents from marts.dim_documents group by status order by status"
        )
        self.failed_documents = _rows(
            con,
            "select source_path, error, error_page from marts.dim_documents where status = 'failed' order by source_path",
        )


# Errors first, then warnings, then the rest.
_SEVERITY_ORDER = "case severity when 'error' then 0 when 'warning' then 1 else 2 end"
# The rows of a batch of countries (`_countries`), by their reports ($reports: the ids of the batch's reports in
# dim_reports) or their evaluations ($evaluations: those of the batch's rows of dim_evaluations).  Each part has
# an order of all its rows, so that a country's rows, taken from the batch's in order, come in the same order
# whichever countries are read with it.
_OF_REPORTS = "list_contains($reports, report_id)"
_OF_EVALUATIONS = "list_contains($evaluations, report_id)"
_COUNTRY_ROWS = {
    "ratings": f"select * from marts.rpt_indicator_rating_matrix where {_OF_REPORTS} order by all",
    "flags": 'select severity, area, report_id, "check", subject, expected, found, source_page '
    f"from marts.fct_quality_flags where {_OF_REPORTS} order by {_SEVERITY_ORDER}, report_id, flag_id",
    "sources": "select report_id, category, count(*) as sources, count(*) filter (where url_missing) as without_url "
    f"from marts.dim_data_sources where {_OF_REPORTS} group by all order by all",
}
# A batch's evaluations, by the country they state, where the page's name is $countries' (those that state none,
# or an empty one, go on the page $no_country names).
_EVALUATIONS = (
    "select report_id, country, office, evaluation_type, period_start, period_end from marts.dim_evaluations "
    "where list_contains($countries, coalesce(nullif(country, ''), $no_country)) "
    "order by country, period_start, report_id"
)
# The rows of a country's evaluations, by evaluation (report_id).
_EVALUATION_ROWS = {
    "budget": f"select * from marts.fct_budget_delivery where {_OF_EVALUATIONS} "
    "order by report_id, scope = 'year', period_start, period_end",
    "donors": f"select * from marts.rpt_donor_portfolio where {_OF_EVALUATIONS} order by all",
    "priorities": f"select * from marts.rpt_recommendation_priority where {_OF_EVALUATIONS} order by all",
    "recommendations": "select report_id, rec_no, priority, timeframe, text, management_response "
    f"from marts.fct_recommendations where {_OF_EVALUATIONS} order by report_id, rec_no",
    "statuses": "select report_id, rec_no, action_no, status, status_date, management_response "
    f"from marts.fct_recommendation_status where {_OF_EVALUATIONS} order by report_id, rec_no, action_no nulls first",
}
# Countries are read in batches of at least this many reports (a country's reports are never split): a query per
# part and batch rather than per part and country (a query costs about 2 ms whatever it reads: 466 of them were 0.8
# of the report's 1.2 s with 51 countries), while memory follows a batch's rows, not the warehouse's.
REPORTS_READ_TOGETHER = 64


def _report_name(report: dict[str, Any]) -> str:
    """What a reader calls the report: its kind and its year or period (the id is for SQL)."""
    kind = REPORT_KINDS.get(report["report_type"], report["report_type"].replace("_", " ").capitalize())
    if report["report_type"] == "evaluation" and report["evaluation_type"]:
        kind = report["evaluation_type"]
    start, end = report["period_start"], report["period_end"]
    if start and end and start != end:
        return f"{kind} {start}–{end}"
    year = report["report_year"] or start
    return f"{kind} {year}" if year else kind


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "country"


@dataclass
class _Country:
    """One country's page: its name, file name, and the rows it shows."""

    name: str
    slug: str
    rows: dict[str, Any]

    def fingerprint(self, index_link: str) -> str:
        content = json.dumps([self.name, index_link, self.rows], default=str, sort_keys=True)
        return hashlib.sha256(f"{_drawing_version()}\n{content}".encode()).hexdigest()

    def context(self) -> dict[str, Any]:
        ratings = self.rows["ratings"]
        return {
            "country": self.name,
            "reports": self.rows["reports"],
            "scorecard": _scorecard(self.name, ratings) if ratings else None,
            "evaluations": [
                _evaluation(index, evaluation) for index, evaluation in enumerate(self.rows["evaluations"])
            ],
            "sources": self.rows["sources"],
            "flags": self.rows["flags"],
        }


def _country_name(report: dict[str, Any]) -> str:
    return report["country"] or NO_COUNTRY


def _page_names(names: Iterable[str]) -> list[tuple[str, str]]:
    """Each country's name and its page's file name, by name (the reports that state no country last); two
    spellings that fold to one file name ("Côte d'Ivoire", "Cote d'Ivoire") get distinct ones."""
    slugs: Counter[str] = Counter()
    pages = []
    for name in sorted(set(names), key=lambda name: (name == NO_COUNTRY, name)):
        slug = _slug(name)
        slugs[slug] += 1
        pages.append((name, slug if slugs[slug] == 1 else f"{slug}-{slugs[slug]}"))
    return pages


def _countries(con: duckdb.DuckDBPyConnection, reports: list[dict[str, Any]]) -> Iterator[_Country]:
    """Every country with a report, in page order, each with its rows read from ``con`` with those of the next
    countries, `REPORTS_READ_TOGETHER` reports' at a time."""
    reports_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in reports:
        reports_of[_country_name(report)].append(report)
    batch: list[tuple[str, str]] = []
    in_batch = 0
    for page in _page_names(reports_of):
        batch.append(page)
        in_batch += len(reports_of[page[0]])
        if in_batch >= REPORTS_READ_TOGETHER:
            yield from _read_countries(con, batch, reports_of)
            batch, in_batch = [], 0
    if batch:
        yield from _read_countries(con, batch, reports_of)


def _read_countries(
    con: duckdb.DuckDBPyConnection, pages: list[tuple[str, str]], reports_of: dict[str, list[dict[str, Any]]]
) -> Iterator[_Country]:
    """The countries of ``pages`` (name, page name) with their rows, read together: a query per part."""
    country_of = {report["report_id"]: name for name, _ in pages for report in reports_of[name]}
    of_country: dict[str, dict[str, list[dict[str, Any]]]] = {name: defaultdict(list) for name, _ in pages}
    for part, sql in _COUNTRY_ROWS.items():
        for row in _rows_of_ids(con, sql, "reports", country_of):
            of_country[country_of[row["report_id"]]][part].append(row)
    evaluations = _rows(con, _EVALUATIONS, {"countries": list(of_country), "no_country": NO_COUNTRY})
    of_evaluation = {
        part: _grouped(_rows_of_ids(con, sql, "evaluations", [row["report_id"] for row in evaluations]), "report_id")
        for part, sql in _EVALUATION_ROWS.items()
    }
    for evaluation in evaluations:
        rows = {part: by_report.get(evaluation["report_id"], []) for part, by_report in of_evaluation.items()}
        of_country[evaluation["country"] or NO_COUNTRY]["evaluations"].append(evaluation | rows)
    for name, slug in pages:
        rows = of_country[name]
        yield _Country(name, slug, {"reports": reports_of[name], **{part: rows[part] for part in _PARTS}})


# A country's parts, each a list (empty when it has no rows there).
_PARTS = (*_COUNTRY_ROWS, "evaluations")


def _rows_of_ids(con: duckdb.DuckDBPyConnection, sql: str, parameter: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The rows ``sql`` selects for the report ids ``ids`` (its list parameter ``parameter``); none without ids."""
    listed = list(ids)
    return _rows(con, sql, {parameter: listed}) if listed else []


def _latest(ratings: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    """A country's latest assessment year and its ratings."""
    latest = max(row["assessment_year"] for row in ratings)
    return latest, [row for row in ratings if row["assessment_year"] == latest]


def _scorecard(country: str, cells: list[dict[str, Any]]) -> dict[str, Any]:
    """The heatmap, and the changes between the country's latest two loaded assessments."""
    latest, latest_cells = _latest(cells)
    compared = [row for row in latest_cells if row["previous_assessment_year"] is not None]
    previous = max((row["previous_assessment_year"] for row in compared), default=None)
    changed = sorted(
        (row for row in compared if row["change"] in ("improved", "regressed")),
        key=lambda row: (row["change"] != "regressed", row["dimension_no"], charts.code_order(row["pi_code"])),
    )
    return {
        "years": sorted({row["assessment_year"] for row in cells}),
        "latest_year": latest,
        "previous_year": previous,
        "heatmap": _Chart(charts.rating_heatmap, "heatmap", country, cells),
        "changes_chart": (
            _Chart(charts.rating_changes, "changes", country, latest, previous, compared) if compared else None
        ),
        "changed": changed,
        "counts": {
            change: sum(row["change"] == change for row in compared)
            for change in ("improved", "regressed", "unchanged")
        },
        "ratings": sorted(latest_cells, key=lambda row: (row["dimension_no"], charts.code_order(row["pi_code"]))),
    }


def _evaluation(index: int, evaluation: dict[str, Any]) -> dict[str, Any]:
    title = f"{evaluation['office'] or evaluation['country']} {evaluation['period_start']}–{evaluation['period_end']}"
    # The timeframe as rpt_recommendation_priority labels it ("Immediately", "2021–2023"), the chart's legend.
    labels = {
        rec_no: group["timeframe_label"] for group in evaluation["priorities"] for rec_no in group["rec_nos"] or []
    }
    statuses = _grouped(evaluation["statuses"], "rec_no")
    recommendations = [
        {
            **recommendation,
            "timeframe_label": labels.get(recommendation["rec_no"], recommendation["timeframe"]),
            "preview": _preview(recommendation["text"] or ""),
            **_statuses(statuses.get(recommendation["rec_no"], [])),
        }
        for recommendation in evaluation["recommendations"]
    ]
    return {
        **evaluation,
        "heading": title,
        "recommendations": recommendations,
        "budget_chart": (
            _Chart(charts.budget_delivery, f"budget-{index}", title, evaluation["budget"])
            if evaluation["budget"]
            else None
        ),
        "donor_chart": (
            _Chart(charts.donor_portfolio, f"donors-{index}", title, evaluation["donors"])
            if evaluation["donors"]
            else None
        ),
        "priority_chart": (
            _Chart(charts.recommendations_by_priority, f"priority-{index}", title, evaluation["priorities"])
            if evaluation["priorities"]
            else None
        ),
    }


def _statuses(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A recommendation's own status updates, and its actions' statuses counted ("3 completed, 2 not reported")."""
    actions = Counter(row["status"] for row in rows if row["action_no"] is not None)
    return {
        "statuses": [row for row in rows if row["action_no"] is None],
        "responses": [row["management_response"] for row in rows if row["management_response"]],
        "action_statuses": ", ".join(f"{n} {status}" for status, n in sorted(actions.items())),
    }


def _preview(text: str) -> str | None:
    """The start of a long recommendation, cut at a word (None when the text is short enough to show whole)."""
    if len(text) <= RECOMMENDATION_PREVIEW:
        return None
    return text[:RECOMMENDATION_PREVIEW].rsplit(" ", 1)[0] + " …"


@dataclass
class _LatestAssessment:
    """A country's latest assessment year and its ratings, as the index compares them."""

    country: str
    slug: str
    year: int
    cells: list[dict[str, Any]]


class _Compared:
    """What the index compares across countries, kept of each country's rows as its page is written: coverage,
    the latest assessment's ratings, and each evaluation's delivery."""

    def __init__(self) -> None:
        self.coverage: list[dict[str, Any]] = []
        self.latest_ratings: list[_LatestAssessment] = []
        self.deliveries: list[dict[str, Any]] = []

    def add(self, country: _Country) -> None:
        self.coverage.append(_coverage(country))
        if country.rows["ratings"]:
            year, cells = _latest(country.rows["ratings"])
            self.latest_ratings.append(_LatestAssessment(country.name, country.slug, year, cells))
        self.deliveries.extend(_deliveries(country))


def _index_context(summary: _Summary, compared: _Compared) -> dict[str, Any]:
    return {
        "runs": summary.runs,
        "latest": summary.runs[0] if summary.runs else None,
        "reports": summary.reports,
        "quarantined": [report for report in summary.reports if report["status"] == "quarantined"],
        "countries": compared.coverage,
        "matrices": _rating_matrices(compared.latest_ratings),
        "changes_by_indicator": _changes_by_indicator(compared.latest_ratings),
        "deliveries": compared.deliveries,
        "flag_total": sum(row["flags"] for row in summary.flag_counts),
        "flag_counts": summary.flag_counts,
        "flags_without_report": summary.flags_without_report,
        "documents_by_status": summary.documents_by_status,
        "failed_documents": summary.failed_documents,
    }


def _coverage(country: _Country) -> dict[str, Any]:
    """Which reports a country has and how complete they are, for the index's countries table."""
    reports = country.rows["reports"]
    by_type = _grouped(reports, "report_type")
    severities = Counter(flag["severity"] for flag in country.rows["flags"])
    completeness = [report["completeness"] for report in reports if report["completeness"] is not None]
    return {
        "name": country.name,
        "slug": country.slug,
        "scorecards": sorted({r["report_year"] for r in by_type.get("scorecard", []) if r["report_year"]}),
        "evaluations": [r["name"] for r in by_type.get("evaluation", [])],
        "inventories": len(by_type.get("source_inventory", [])),
        "other_reports": [r["name"] for t, rs in by_type.items() if t not in REPORT_KINDS for r in rs],
        "lowest_completeness": min(completeness, default=None),
        "quarantined": sum(report["status"] == "quarantined" for report in reports),
        "errors": severities["error"],
        "warnings": severities["warning"],
    }


def _rating_matrices(latest: list[_LatestAssessment]) -> list[dict[str, Any]]:
    """Per framework edition, the latest rating of each indicator of each country assessed last under it."""
    rows_by_edition: dict[str, list[dict[str, Any]]] = defaultdict(list)
    indicators: dict[str, dict[str, tuple[int, str | None]]] = defaultdict(dict)
    for assessment in latest:
        for edition, edition_cells in _grouped(assessment.cells, "framework_edition").items():
            for row in edition_cells:
                indicators[edition][row["pi_code"]] = (row["dimension_no"], row["pi_name"])
            rows_by_edition[edition].append(
                {
                    "country": assessment.country,
                    "slug": assessment.slug,
                    "year": assessment.year,
                    "cells": {row["pi_code"]: row for row in edition_cells},
                }
            )
    return [
        {
            "edition": edition,
            "indicators": [
                {"code": code, "dimension_no": dimension, "name": name}
                for code, (dimension, name) in sorted(
                    indicators[edition].items(), key=lambda item: (item[1][0], charts.code_order(item[0]))
                )
            ],
            "rows": rows,
        }
        for edition, rows in sorted(rows_by_edition.items())
    ]


def _changes_by_indicator(latest: list[_LatestAssessment]) -> list[dict[str, Any]]:
    """How many countries' latest assessments improved, regressed or kept each indicator's rating."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    names: dict[tuple[str, str], tuple[int, str | None]] = {}
    for assessment in latest:
        for row in assessment.cells:
            key = (row["framework_edition"], row["pi_code"])
            names[key] = (row["dimension_no"], row["pi_name"])
            counts[key][row["change"] or "first"] += 1
    return [
        {"edition": edition, "code": code, "name": names[(edition, code)][1], **counts[(edition, code)]}
        for edition, code in sorted(counts, key=lambda key: (key[0], names[key][0], charts.code_order(key[1])))
    ]


def _deliveries(country: _Country) -> list[dict[str, Any]]:
    """Each of the country's evaluations' whole-period delivery (or its years', when it states no period figure)."""
    deliveries = []
    for evaluation in country.rows["evaluations"]:
        period = [row for row in evaluation["budget"] if row["scope"] == "period"]
        heading = {key: evaluation[key] for key in ("office", "period_start", "period_end")}
        for row in period or evaluation["budget"] or [None]:
            deliveries.append({"country": country.name, "slug": country.slug, "evaluation": heading, "row": row})
    return deliveries
