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
from collections.abc import Callable, Iterable
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
    """`write_report`, saying which country pages it redrew (the others were already up to date)."""
    out = Path(out) if out else report_path(warehouse)
    folder = country_pages_folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    with read_only(warehouse) as con:
        marts = _Marts(con)
    environment = _environment()
    countries = _countries(marts)
    redrawn = []
    for country in countries:
        page = folder / f"{country.slug}.html"
        index_link = f"../{out.name}"
        fingerprint = country.fingerprint(index_link)
        if _stored_fingerprint(page) != fingerprint:
            context = country.context() | {"fingerprint": fingerprint, "index": index_link}
            _write_atomically(page, environment.get_template("country.html.j2").generate(**context))
            redrawn.append(country.slug)
    kept = {f"{country.slug}.html" for country in countries}
    for stale in folder.glob("*.html"):
        # Only pages this module wrote (they carry a fingerprint): --out may point next to a folder of other pages.
        if stale.name not in kept and _stored_fingerprint(stale) is not None:
            stale.unlink()
    context = _index_context(marts, countries) | {
        "warehouse": Path(warehouse).resolve(),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "pages": folder.name,
    }
    _write_atomically(out, environment.get_template("index.html.j2").generate(**context))
    return ReportWritten(out, len(countries), redrawn)


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


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    relation = con.sql(sql)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def _grouped(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows by the value of ``key``, each group in the rows' order."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _usd(value: float | None) -> str:
    return "" if value is None else f"US${value:,.0f}"


class _Marts:
    """The mart rows the pages show, read once."""

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
        self.ratings = _rows(con, "select * from marts.rpt_indicator_rating_matrix order by all")
        self.evaluations = _rows(
            con,
            "select report_id, country, office, evaluation_type, period_start, period_end "
            "from marts.dim_evaluations order by country, period_start, report_id",
        )
        self.budget = _rows(
            con,
            "select * from marts.fct_budget_delivery order by report_id, scope = 'year', period_start, period_end",
        )
        self.donors = _rows(con, "select * from marts.rpt_donor_portfolio order by all")
        self.priorities = _rows(con, "select * from marts.rpt_recommendation_priority order by all")
        self.recommendations = _rows(
            con,
            "select report_id, rec_no, priority, timeframe, text, management_response "
            "from marts.fct_recommendations order by report_id, rec_no",
        )
        self.statuses = _rows(
            con,
            "select report_id, rec_no, action_no, status, status_date, management_response "
            "from marts.fct_recommendation_status order by report_id, rec_no, action_no nulls first",
        )
        self.sources = _rows(
            con,
            "select report_id, category, count(*) as sources, count(*) filter (where url_missing) as without_url "
            "from marts.dim_data_sources group by all order by all",
        )
        self.flags = _rows(
            con,
            'select severity, area, report_id, "check", subject, expected, found, source_page '
            "from marts.fct_quality_flags order by "
            "case severity when 'error' then 0 when 'warning' then 1 else 2 end, report_id, flag_id",
        )
        self.documents_by_status = _rows(
            con, "select status, count(*) as documents from marts.dim_documents group by status order by status"
        )
        self.failed_documents = _rows(
            con,
            "select source_path, error, error_page from marts.dim_documents where status = 'failed' order by source_path",
        )


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


def _countries(marts: _Marts) -> list[_Country]:
    """Every country with a report, by name (the reports that state none on a page of their own, last)."""

    def country_of(row: dict[str, Any]) -> str:
        return row["country"] or NO_COUNTRY

    country_of_report = {report["report_id"]: country_of(report) for report in marts.reports}

    def by_report(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        return _grouped(({**row, "_country": country_of_report.get(row["report_id"])} for row in rows), "_country")

    reports = _grouped(({**report, "_country": country_of(report)} for report in marts.reports), "_country")
    ratings, flags, sources = by_report(marts.ratings), by_report(marts.flags), by_report(marts.sources)
    evaluation_rows = {
        name: _grouped(rows, "report_id")
        for name, rows in (
            ("budget", marts.budget),
            ("donors", marts.donors),
            ("priorities", marts.priorities),
            ("recommendations", marts.recommendations),
            ("statuses", marts.statuses),
        )
    }
    evaluations = _grouped(({**e, "_country": country_of(e)} for e in marts.evaluations), "_country")
    names = sorted(reports, key=lambda name: (name == NO_COUNTRY, name))
    slugs: Counter[str] = Counter()
    countries = []
    for name in names:
        slug = _slug(name)
        slugs[slug] += 1
        if slugs[slug] > 1:  # two spellings that fold to one file name ("Côte d'Ivoire", "Cote d'Ivoire")
            slug = f"{slug}-{slugs[slug]}"
        rows = {
            "reports": reports[name],
            "ratings": ratings.get(name, []),
            "evaluations": [
                {
                    **evaluation,
                    **{part: rows.get(evaluation["report_id"], []) for part, rows in evaluation_rows.items()},
                }
                for evaluation in evaluations.get(name, [])
            ],
            "sources": sources.get(name, []),
            "flags": flags.get(name, []),
        }
        countries.append(_Country(name, slug, rows))
    return countries


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


def _index_context(marts: _Marts, countries: list[_Country]) -> dict[str, Any]:
    latest_run = marts.runs[0] if marts.runs else None
    quarantined = [report for report in marts.reports if report["status"] == "quarantined"]
    known_reports = {report["report_id"] for report in marts.reports}
    return {
        "runs": marts.runs,
        "latest": latest_run,
        "reports": marts.reports,
        "quarantined": quarantined,
        "countries": [_coverage(country) for country in countries],
        "matrices": _rating_matrices(countries),
        "changes_by_indicator": _changes_by_indicator(countries),
        "deliveries": _deliveries(countries),
        "flags": marts.flags,
        "flag_counts": _flag_counts(marts.flags),
        "flags_without_report": [flag for flag in marts.flags if flag["report_id"] not in known_reports],
        "documents_by_status": marts.documents_by_status,
        "failed_documents": marts.failed_documents,
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


def _rating_matrices(countries: list[_Country]) -> list[dict[str, Any]]:
    """Per framework edition, the latest rating of each indicator of each country assessed last under it."""
    rows_by_edition: dict[str, list[dict[str, Any]]] = defaultdict(list)
    indicators: dict[str, dict[str, tuple[int, str | None]]] = defaultdict(dict)
    for country in countries:
        if not country.rows["ratings"]:
            continue
        year, cells = _latest(country.rows["ratings"])
        for edition, edition_cells in _grouped(cells, "framework_edition").items():
            for row in edition_cells:
                indicators[edition][row["pi_code"]] = (row["dimension_no"], row["pi_name"])
            rows_by_edition[edition].append(
                {
                    "country": country.name,
                    "slug": country.slug,
                    "year": year,
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


def _changes_by_indicator(countries: list[_Country]) -> list[dict[str, Any]]:
    """How many countries' latest assessments improved, regressed or kept each indicator's rating."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    names: dict[tuple[str, str], tuple[int, str | None]] = {}
    for country in countries:
        if not country.rows["ratings"]:
            continue
        _, cells = _latest(country.rows["ratings"])
        for row in cells:
            key = (row["framework_edition"], row["pi_code"])
            names[key] = (row["dimension_no"], row["pi_name"])
            counts[key][row["change"] or "first"] += 1
    return [
        {"edition": edition, "code": code, "name": names[(edition, code)][1], **counts[(edition, code)]}
        for edition, code in sorted(counts, key=lambda key: (key[0], names[key][0], charts.code_order(key[1])))
    ]


def _deliveries(countries: list[_Country]) -> list[dict[str, Any]]:
    """Each evaluation's whole-period delivery (or its years', when it states no period figure)."""
    deliveries = []
    for country in countries:
        for evaluation in country.rows["evaluations"]:
            period = [row for row in evaluation["budget"] if row["scope"] == "period"]
            for row in period or evaluation["budget"] or [None]:
                deliveries.append({"country": country.name, "slug": country.slug, "evaluation": evaluation, "row": row})
    return deliveries


def _flag_counts(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counted = Counter((flag["severity"], flag["check"]) for flag in flags)
    reports = defaultdict(set)
    for flag in flags:
        reports[(flag["severity"], flag["check"])].add(flag["report_id"])
    order = {"error": 0, "warning": 1}
    return [
        {"severity": severity, "check": check, "flags": n, "reports": len(reports[(severity, check)])}
        for (severity, check), n in sorted(counted.items(), key=lambda item: (order.get(item[0][0], 2), item[0][1]))
    ]
