"""Recommendation-tracking CSV → `RecommendationStatusUpdate` records.

Evaluation-use systems (UN Women GATE, UNDP ERC) track each recommendation,
and often each key action, after the report: management response, then an
implementation status at dates.  Analysts export or type those into a CSV (the
format is in docs/recommendation_status_csv.md); this reads one such file.
It only reads the file it is given, like every other reader in `extract`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from extract.document.errors import ExtractionError
from extract.document.text import read_text_file
from extract.reports.evaluation.records import RecommendationStatusUpdate

REQUIRED_COLUMNS = ("report_id", "rec_no", "status")
OPTIONAL_COLUMNS = ("action_no", "status_date", "management_response", "comment", "reported_by")
STATUSES = ("not started", "initiated", "ongoing", "completed", "overdue", "no longer applicable")
MANAGEMENT_RESPONSES = ("accepted", "partially accepted", "rejected")
# A reason quotes this many of a wrong header's column names: enough to recognise the file, short enough to read.
_HEADER_SHOWN = 10


def not_a_status_csv(path: Path) -> str | None:
    """Why ``path`` is not a recommendation-status CSV (no text, or a header without the required columns), None
    when it is one: the reason a CSV in the raw folder is skipped."""
    try:
        rows = _rows(path)
    except ExtractionError as error:
        return error.reason
    return _header_problem(rows[0])


def read_recommendation_status_csv(path: Path) -> list[RecommendationStatusUpdate]:
    """Every row of a recommendation-status CSV, or `ExtractionError` naming the first bad line."""
    name = path.name
    rows = _rows(path)
    problem = _header_problem(rows[0])
    if problem:
        raise ExtractionError(name, problem, page=1)
    header = [_column(column) for column in rows[0]]
    updates = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header)}
        updates.append(_update(values, name, line_no))
    return updates


def _rows(path: Path) -> list[list[str]]:
    """The CSV's rows, at least the header (the file holds text that is not only whitespace)."""
    return list(csv.reader(io.StringIO(read_text_file(path), newline="")))


def _header_problem(header: list[str]) -> str | None:
    names = [_column(name) for name in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if not missing:
        return None
    found = ", ".join(repr(name) for name in header[:_HEADER_SHOWN]) + (", …" if len(header) > _HEADER_SHOWN else "")
    return (
        f"not a recommendation-status CSV: its header lacks column(s) {', '.join(missing)}"
        f" (expected {', '.join(REQUIRED_COLUMNS)}, optionally {', '.join(OPTIONAL_COLUMNS)};"
        f" found {found or 'an empty first line'})"
    )


def _update(values: dict[str, str], name: str, line_no: int) -> RecommendationStatusUpdate:
    def fail(reason: str) -> ExtractionError:
        return ExtractionError(name, f"line {line_no}: {reason}", page=line_no)

    if not values.get("report_id"):
        raise fail("report_id is empty")
    rec_no = _integer(values.get("rec_no"))
    if rec_no is None or rec_no < 1:
        raise fail(f"rec_no must be a positive whole number, got {values.get('rec_no')!r}")
    action_text = values.get("action_no") or ""
    action_no = _integer(action_text)
    if action_text and (action_no is None or action_no < 1):
        raise fail(f"action_no must be empty or a positive whole number, got {action_text!r}")
    status = _vocabulary(values.get("status"))
    if status not in STATUSES:
        raise fail(f"status must be one of {', '.join(STATUSES)}; got {values.get('status')!r}")
    response = _vocabulary(values.get("management_response")) or None
    if response is not None and response not in MANAGEMENT_RESPONSES:
        raise fail(f"management_response must be empty or one of {', '.join(MANAGEMENT_RESPONSES)}")
    status_date = values.get("status_date") or None
    if status_date is not None:
        try:
            status_date = date.fromisoformat(status_date).isoformat()
        except ValueError as exc:
            raise fail(f"status_date must be an ISO date (YYYY-MM-DD), got {status_date!r}") from exc
    return RecommendationStatusUpdate(
        report_id=values["report_id"],
        rec_no=rec_no,
        action_no=action_no,
        status=status,
        status_date=status_date,
        management_response=response,
        comment=values.get("comment") or None,
        reported_by=values.get("reported_by") or None,
        source_file=name,
        source_page=line_no,
    )


def _column(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lower())


def _vocabulary(value: str | None) -> str:
    return re.sub(r"[\s_-]+", " ", (value or "").strip().lower())


def _integer(value: str | None) -> int | None:
    """A whole number written in ASCII digits; Python's int() would also take "1_0" (10) and "٣" (3)."""
    value = (value or "").strip()
    return int(value) if re.fullmatch(r"[0-9]+", value) else None
