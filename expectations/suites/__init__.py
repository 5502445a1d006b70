"""Expectation suites, one module per area; each lists `SUITES`.

A `SuiteSpec` validates one DataFrame: the result of ``query`` against the
freshly built warehouse (with the staging database attached as ``staging``).
GX's SQL datasource fails on DuckDB, so every suite validates a pandas frame
read from DuckDB instead.

One home per rule: structural rules on one table (not null, unique, accepted
values, relationships, ranges) are dbt tests in the models' YAML; the suites
hold what spans tables and the publish gate.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    # The table the query's rows stand for: the data asset Data Docs name beside the suite.
    asset: str
    query: str
    expectations: Callable[[], list]
    description: str = ""


def consistency_suite(name: str, area: str, checks_mart: str, description: str) -> SuiteSpec:
    """The publish gate on an area's consistency mart (the columns of its `int_<area>__checks` model).

    The checks model's `severity` column is the policy: a disagreement that is `critical` stops the publish,
    any other is reported as a warning.  Every disagreement must also be a flag in `fct_quality_flags`.

    Only the checks that do not agree are validated: a check that agrees has no disagreement and needs no flag,
    so it passes all three expectations whatever it holds.  The verdicts are those of validating every check, and
    the frames follow the disagreements rather than the checks: for 2,000 generated reports, 11,194 rows of
    163,195 (a scorecard holds about eight checks per indicator).
    """
    query = f"""
        select
            checks.check_id,
            case when checks.severity = 'critical' then checks.disagreement end as blocking_disagreement,
            case when checks.severity <> 'critical' then checks.disagreement end as disagreement,
            checks.agrees or exists (
                select 1 from marts.fct_quality_flags as flags
                where flags.area = '{area}'
                  and flags.report_id = checks.report_id
                  and flags."check" = checks."check"
                  and flags.subject = checks.subject
            ) as accounted_for
        from marts.{checks_mart} as checks
        where checks.agrees is distinct from true
    """
    return SuiteSpec(
        name=name,
        asset=f"marts.{checks_mart}",
        description=description,
        query=query,
        expectations=_consistency_expectations,
    )


def _consistency_expectations() -> list:
    # Imported here: importing the package (gewh.refresh.validate does at start-up) must not load GX.
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column="accounted_for", value_set=[True]),
        gx.expectations.ExpectColumnValuesToBeNull(column="blocking_disagreement"),
        gx.expectations.ExpectColumnValuesToBeNull(column="disagreement", severity=FailureSeverity.WARNING),
    ]


def all_suites() -> list[SuiteSpec]:
    suites: list[SuiteSpec] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        suites.extend(getattr(module, "SUITES", []))
    names = [s.name for s in suites]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"expectation suites declared twice: {sorted(duplicates)}")
    return suites
