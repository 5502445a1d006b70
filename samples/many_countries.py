"""A warehouse of many countries made from a published one, for the report's scale test and benchmark.

Refreshing a hundred countries' PDFs takes many minutes; the report reads only marts.  So the published
warehouse of a few countries is copied and every mart row of a country is repeated under new country
names ("Country 001", …), with the report ids and titles renamed to match, each copy's latest ratings
drawn afresh from a fixed seed (so the countries differ in the matrix and in their changes) and its
delivered amounts scaled.  The marts keep their columns and types as dbt built them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

RATINGS = ("Missing", "Approaches", "Meets", "Exceeds")


def country_name(number: int) -> str:
    return f"Country {number:03d}"


def _slug(country: str) -> str:
    return country.lower().replace(" ", "-")


def many_countries(published: Path, target: Path, countries: int, seed: int = 0) -> list[str]:
    """Copy ``published`` to ``target`` and add copies of its countries until it holds ``countries``.

    Copy ``n`` repeats the rows of the source's countries in turn (sorted by name). Returns the names added.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(published, target)
    con = duckdb.connect(str(target))
    try:
        sources = [
            country
            for (country,) in con.execute(
                "select distinct country from marts.dim_reports where country is not null order by 1"
            ).fetchall()
        ]
        if not sources:
            raise ValueError(f"{published} has no report with a country to copy")
        copies = [(country_name(n), sources[(n - 1) % len(sources)]) for n in range(1, countries - len(sources) + 1)]
        con.execute(
            "create temp table copies (copy_country varchar, copy_slug varchar, copy_source varchar, "
            "copy_source_slug varchar)"
        )
        con.executemany(
            "insert into copies values (?, ?, ?, ?)",
            [(name, _slug(name), source, _slug(source)) for name, source in copies],
        )
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_name <> 'refresh_runs'"
        ).fetchall()
        for (table,) in tables:
            _copy_rows(con, table, seed)
    finally:
        con.close()
    return [name for name, _ in copies]


# Text columns that name the country or its reports: renamed in each copy.
_NAMING = ("title", "office", "source_file", "source_path", "file_name")


def _copy_rows(con: duckdb.DuckDBPyConnection, table: str, seed: int) -> None:
    columns = {name: kind for name, kind, *_ in con.execute(f'describe marts."{table}"').fetchall()}
    if "country" in columns:
        rows = f'marts."{table}" as t join copies as c on c.copy_source = t.country'
    elif "report_id" in columns:
        rows = (
            f'marts."{table}" as t join (select report_id, country from marts.dim_reports) as r using (report_id) '
            "join copies as c on c.copy_source = r.country"
        )
    else:
        return
    expressions = {name: _renamed(name, kind) for name, kind in columns.items()}
    expressions |= _redrawn_ratings(columns, seed) | _scaled_delivery(columns)
    selected = ", ".join(f'{expression} as "{name}"' for name, expression in expressions.items())
    con.execute(f'insert into marts."{table}" select {selected} from (select t.*, c.* from {rows})')


def _renamed(name: str, kind: str) -> str:
    column = f'"{name}"'
    if name == "country":
        return "copy_country"
    if kind != "VARCHAR" or not (name.endswith("_id") or name in _NAMING):
        return column
    # Ids carry the country's slug ("scorecard-kenya-2022"), titles its name; other ids get the copy's slug.
    return (
        f"case when contains({column}, copy_source_slug) then replace({column}, copy_source_slug, copy_slug) "
        f"when contains({column}, copy_source) then replace({column}, copy_source, copy_country) "
        f"else {column} || '~' || copy_slug end"
    )


def _redrawn_ratings(columns: dict[str, str], seed: int) -> dict[str, str]:
    """Each copy's ratings drawn from (seed, country, indicator, year); the change follows from them."""
    if not {"rating", "rating_score", "previous_rating", "change", "score_change", "assessment_year"} <= set(columns):
        return {}

    def score(year: str) -> str:
        return f"(hash(concat_ws('/', {seed}, copy_slug, pi_code, {year})) % 4)::integer"

    new, old = score("assessment_year"), score("previous_assessment_year")
    names = "['" + "', '".join(RATINGS) + "']"
    compared = "(previous_rating is not null and change in ('improved', 'regressed', 'unchanged'))"
    return {
        "rating_score": new,
        "rating": f"{names}[{new} + 1]",
        "previous_rating": f"case when {compared} then {names}[{old} + 1] else previous_rating end",
        "score_change": f"case when {compared} then {new} - {old} else score_change end",
        "change": (
            f"case when not {compared} then change when {new} > {old} then 'improved' "
            f"when {new} < {old} then 'regressed' else 'unchanged' end"
        ),
    }


def _scaled_delivery(columns: dict[str, str]) -> dict[str, str]:
    """Delivered amounts of each copy scaled by 0.5-1.0 (by country), so delivery rates differ."""
    if not {"delivered_usd", "budget_usd", "delivery_rate"} <= set(columns):
        return {}
    factor = "(0.5 + (hash(copy_slug) % 50) / 100.0)"
    return {
        "delivered_usd": f"delivered_usd * {factor}",
        "delivery_rate": f"delivered_usd * {factor} / nullif(budget_usd, 0)",
    }
