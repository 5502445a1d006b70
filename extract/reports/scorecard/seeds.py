"""The dbt seeds that carry the framework editions into the warehouse, written from the same data files the
parser reads (`frameworks/*.toml`), so the two can never disagree.

Run ``python -m extract.reports.scorecard.seeds`` (or ``make seeds``) after editing a framework file; a test
fails while the committed seeds differ from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from extract.reports.scorecard.template import COMMON_RATINGS, EDITIONS

SEEDS = Path(__file__).resolve().parents[3] / "dbt_project" / "seeds"


def seed_tables() -> dict[str, list[dict[str, object]]]:
    """Each seed's rows by seed name, in a stable order."""
    editions: list[dict[str, object]] = []
    dimensions: list[dict[str, object]] = []
    indicators: list[dict[str, object]] = []
    scales: list[dict[str, object]] = []
    crosswalk: list[dict[str, object]] = []
    for edition in EDITIONS.values():
        editions.append(
            {
                "framework_edition": edition.key,
                "edition_name": edition.name,
                "indicators_complete": edition.indicators_complete,
                # The count every report should rate, known only where the whole list is held.
                "indicator_count": len(edition.indicators) if edition.indicators_complete else None,
            }
        )
        by_number = {dimension.number: dimension for dimension in edition.dimensions}
        dimensions.extend(
            {"framework_edition": edition.key, "dimension_no": d.number, "dimension_name": d.name}
            for d in edition.dimensions
        )
        indicators.extend(
            {
                "framework_edition": edition.key,
                "pi_code": pi.code,
                "pi_name": pi.name,
                "pi_statement": pi.statement,
                "dimension_no": pi.dimension_no,
                "dimension_name": by_number[pi.dimension_no].name,
            }
            for pi in edition.indicators
        )
        scales.extend(
            {
                "framework_edition": edition.key,
                "framework_rating": rating.name,
                "framework_score": rating.score,
                "rating": rating.common,
                "rating_score": COMMON_RATINGS.index(rating.common) if rating.common else None,
            }
            for rating in edition.ratings
        )
        crosswalk.extend(
            {"from_edition": from_edition, "from_code": from_code, "to_edition": edition.key, "to_code": to_code}
            for from_edition, from_code, to_code in edition.crosswalk
        )
    return {
        "framework_editions": editions,
        "framework_dimensions": dimensions,
        "performance_indicators": indicators,
        "framework_rating_scales": scales,
        "indicator_crosswalk": crosswalk,
    }


COLUMNS: dict[str, tuple[str, ...]] = {
    "framework_editions": ("framework_edition", "edition_name", "indicators_complete", "indicator_count"),
    "framework_dimensions": ("framework_edition", "dimension_no", "dimension_name"),
    "performance_indicators": (
        "framework_edition",
        "pi_code",
        "pi_name",
        "pi_statement",
        "dimension_no",
        "dimension_name",
    ),
    "framework_rating_scales": ("framework_edition", "framework_rating", "framework_score", "rating", "rating_score"),
    "indicator_crosswalk": ("from_edition", "from_code", "to_edition", "to_code"),
}


def seed_csv(name: str) -> str:
    """Seed ``name`` as the CSV text dbt loads (an empty cell is NULL)."""
    lines = [",".join(COLUMNS[name])]
    for row in seed_tables()[name]:
        lines.append(",".join(_cell(row[column]) for column in COLUMNS[name]))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


def main() -> int:
    for name in COLUMNS:
        (SEEDS / f"{name}.csv").write_text(seed_csv(name), encoding="utf-8", newline="")
        print(f"wrote {SEEDS / (name + '.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
