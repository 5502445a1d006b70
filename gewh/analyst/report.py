"""`warehouse/report.html`: what the warehouse holds and what changed, as one self-contained page.

Written at every publish from the freshly published file (and by `gewh report`).
The page needs no network and runs no script: CSS is inline, charts are inline
SVG (`gewh.analyst.charts`), and every chart has its numbers in a table beside it.
Report-shaped aggregates are dbt models (`marts.rpt_*`); this module only
selects from marts.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from gewh.analyst import charts
from gewh.analyst.display import cell
from gewh.analyst.query import read_only

REPORT_NAME = "report.html"
RUNS_SHOWN = 10


def report_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(REPORT_NAME)


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Render the report of ``warehouse`` (read-only) to ``out`` (default: beside it), replacing it atomically.

    The page is written as it is rendered and each chart is drawn as it is written, so memory holds the
    marts' rows and one chart, not the whole page (tens of MB with hundreds of reports).
    """
    out = Path(out) if out else report_path(warehouse)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with partial.open("w", encoding="utf-8") as page:
        page.writelines(_rendered_chunks(warehouse))
    os.replace(partial, out)
    return out


def publish_report(warehouse: Path) -> tuple[Path | None, str]:
    """Write the report beside a just-published warehouse: ``(path, "")``, or ``(None, why)`` when it failed.

    A failure is returned, not raised: the warehouse is already published and
    stays so; the refresh summary says the report is missing and why.
    """
    try:
        return write_report(warehouse), ""
    except Exception as exc:  # noqa: BLE001  (whatever breaks here, the publish before it stands)
        return None, f"{type(exc).__name__}: {exc}"


class _Chart:
    """A chart drawn only when the template writes it out."""

    def __init__(self, draw: Callable[..., str], *arguments: Any):
        self._draw, self._arguments = draw, arguments

    def __str__(self) -> str:
        return self._draw(*self._arguments)


def _rendered_chunks(warehouse: Path) -> Iterator[str]:
    with read_only(warehouse) as con:
        context = _context(con)
    context["warehouse"] = Path(warehouse).resolve()
    context["generated_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    environment = Environment(
        loader=PackageLoader("gewh.analyst", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cell"] = cell
    environment.filters["usd"] = _usd
    environment.filters["percent"] = lambda value: "" if value is None else f"{value:.1%}"
    return environment.get_template("report.html.j2").generate(**context)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    relation = con.sql(sql)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows by the value of ``key``, each group in the rows' order."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _usd(value: float | None) -> str:
    return "" if value is None else f"US${value:,.0f}"


def _context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    runs = _rows(con, f"select * from marts.refresh_runs order by started_at desc limit {RUNS_SHOWN}")
    for run in runs:
        run["rows_per_mart"] = json.loads(run["rows_per_mart"]) if run["rows_per_mart"] else {}
    matrix = _rows(con, "select * from marts.rpt_indicator_rating_matrix")
    reports = _rows(
        con,
        "select report_id, report_type, country, title, report_year, source_file, status, is_published, "
        "quarantine_reasons, completeness from marts.dim_reports order by report_type, country, report_id",
    )
    parts = _grouped(
        _rows(con, "select report_id, part, found, expected from marts.fct_report_completeness order by all"),
        "report_id",
    )
    for report in reports:
        report["parts"] = parts.get(report["report_id"], [])
    return {
        "runs": runs,
        "reports": reports,
        "quarantined": [report for report in reports if report["status"] == "quarantined"],
        "documents_by_status": _rows(
            con, "select status, count(*) as documents from marts.dim_documents group by status order by status"
        ),
        "failed_documents": _rows(
            con,
            "select source_path, error, error_page from marts.dim_documents "
            "where status = 'failed' order by source_path",
        ),
        "scorecards": _scorecards(matrix),
        "evaluations": _evaluations(con),
        "flags": _rows(
            con,
            'select severity, area, report_id, "check", subject, expected, found, source_page '
            "from marts.fct_quality_flags order by "
            "case severity when 'error' then 0 when 'warning' then 1 else 2 end, report_id, flag_id",
        ),
    }


def _scorecards(matrix: list[dict]) -> list[dict]:
    """Per country: the heatmap, and the changes between its latest two loaded assessments."""
    countries = []
    by_country = _grouped(matrix, "country")
    for index, country in enumerate(sorted(by_country)):
        cells = by_country[country]
        latest = max(row["assessment_year"] for row in cells)
        latest_cells = [row for row in cells if row["assessment_year"] == latest]
        compared = [row for row in latest_cells if row["previous_assessment_year"] is not None]
        previous = max((row["previous_assessment_year"] for row in compared), default=None)
        changed = sorted(
            (row for row in compared if row["change"] in ("improved", "regressed")),
            key=lambda row: (row["change"] != "regressed", row["dimension_no"], row["pi_code"]),
        )
        countries.append(
            {
                "country": country,
                "years": sorted({row["assessment_year"] for row in cells}),
                "latest_year": latest,
                "previous_year": previous,
                "heatmap": _Chart(charts.rating_heatmap, f"heatmap-{index}", country, cells),
                "changes_chart": (
                    _Chart(charts.rating_changes, f"changes-{index}", country, latest, previous, compared)
                    if compared
                    else None
                ),
                "changed": changed,
                "counts": {
                    change: sum(row["change"] == change for row in compared)
                    for change in ("improved", "regressed", "unchanged")
                },
                "ratings": sorted(latest_cells, key=lambda row: (row["dimension_no"], row["pi_code"])),
            }
        )
    return countries


def _evaluations(con: duckdb.DuckDBPyConnection) -> list[dict]:
    reports = _rows(
        con,
        "select report_id, country, office, evaluation_type, period_start, period_end "
        "from marts.dim_evaluations order by country, period_start, report_id",
    )
    budget = _rows(
        con, "select * from marts.fct_budget_delivery order by report_id, scope = 'year', period_start, period_end"
    )
    donors = _rows(con, "select * from marts.rpt_donor_portfolio")
    priorities = _rows(con, "select * from marts.rpt_recommendation_priority")
    recommendations = _rows(
        con,
        "select report_id, rec_no, priority, timeframe, text, management_response "
        "from marts.fct_recommendations order by report_id, rec_no",
    )
    tables = {
        name: _grouped(table, "report_id")
        for name, table in (
            ("budget", budget),
            ("donors", donors),
            ("priorities", priorities),
            ("recommendations", recommendations),
        )
    }
    evaluations = []
    for index, report in enumerate(reports):
        title = f"{report['office'] or report['country']} {report['period_start']}–{report['period_end']}"
        rows = {name: table.get(report["report_id"], []) for name, table in tables.items()}
        evaluations.append(
            {
                **report,
                "heading": title,
                **rows,
                "budget_chart": (
                    _Chart(charts.budget_delivery, f"budget-{index}", title, rows["budget"]) if rows["budget"] else None
                ),
                "donor_chart": (
                    _Chart(charts.donor_portfolio, f"donors-{index}", title, rows["donors"]) if rows["donors"] else None
                ),
                "priority_chart": (
                    _Chart(charts.recommendations_by_priority, f"priority-{index}", title, rows["priorities"])
                    if rows["priorities"]
                    else None
                ),
            }
        )
    return evaluations
