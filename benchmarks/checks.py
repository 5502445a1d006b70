"""What the refresh's checks cost in Great Expectations, and the same checks in DuckDB SQL.

    .venv/bin/python benchmarks/checks.py            # 5 rounds; Data Docs after 50 stored refreshes
    .venv/bin/python benchmarks/checks.py --quick    # 2 rounds; after 10

The warehouse is the one `gewh demo` publishes (the project's generated samples), built into
benchmarks/work/checks-base once, and a damaged copy of it (rows changed so that most suites find something,
blocking failures and warnings alike), so that the verdicts compared are not all "passed".  In one process:

- importing Great Expectations (the first thing this process does), and in fresh processes, importing it bare
  and after the refresh flow's own modules (what a refresh pays);
- `per_suite_checkpoints`: the checks as the refresh ran them before issue 17 (a copy of that loop below: a
  checkpoint and a run id per suite, then every stored result drawn into Data Docs again);
- `run_checks`: the checks as the refresh runs them now (`gewh.refresh.validate.run_checks`);
- `duckdb_sql`: every expectation of every suite as one DuckDB query counting the rows that violate it, on the
  suite's own query (generated from the suites' declarations: `violations_query`); verdicts only, nothing stored
  or drawn.

The three are interleaved in rounds, each GX run on a fresh results and Data Docs folder; then both GX ways once
more on a folder already holding the results and pages of `--history` earlier refreshes (Data Docs keep every
refresh's results), and the verdicts (success and unexpected count of every expectation) of the three ways are
compared on both warehouses.  CPU seconds are those of this process (DuckDB's threads included); wall seconds
are given with the load average, the machine being shared.  Writes benchmarks/results/checks.json and .md.
"""

from __future__ import annotations

import time

_CPU, _WALL = time.process_time(), time.perf_counter()
import great_expectations  # noqa: E402 (the import is the first measurement)

GX_IMPORT = {"cpu_s": round(time.process_time() - _CPU, 2), "wall_s": round(time.perf_counter() - _WALL, 2)}

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import duckdb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from expectations.suites import SuiteSpec, all_suites  # noqa: E402
from gewh.refresh import validate  # noqa: E402
from gewh.refresh.data_docs import escape_stored_values, finish_data_docs  # noqa: E402

WORK = ROOT / "benchmarks" / "work" / "checks"
RESULTS = ROOT / "benchmarks" / "results"
Verdicts = dict[tuple[str, str, str], tuple[bool, int]]


# --- the warehouses ----------------------------------------------------------------------------------------------


def base_warehouse() -> Path:
    folder = ROOT / "benchmarks" / "work" / "checks-base"
    warehouse = folder / "gender_equality.duckdb"
    if not warehouse.exists():
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [str(Path(sys.executable).with_name("gewh")), "demo", "--folder", str(folder)], check=True, env=env
        )
    return warehouse


def staging_of(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name.removesuffix(".duckdb") + ".staging.duckdb")


# Each statement breaks what one or two expectations hold; the report text in a disagreement is markup on purpose.
DAMAGE = [
    # staging_documents.file_logged and dim_reports.staged_and_loaded: a staged document whose file is not logged
    "update staging.main.documents set sha256 = 'not-in-the-log' "
    "where document_id = (select min(document_id) from staging.main.documents where status = 'loaded')",
    # evaluation: a critical disagreement nobody flagged (blocking, not accounted for) and a flagged-less warning
    "update marts.fct_evaluation_checks set agrees = false, severity = 'critical', "
    "disagreement = 'benchmark: <b>stated 78%</b>, found 79%' "
    "where check_id = (select min(check_id) from marts.fct_evaluation_checks)",
    "update marts.fct_evaluation_checks set agrees = false, disagreement = 'benchmark: a warning' "
    "where check_id = (select max(check_id) from marts.fct_evaluation_checks where severity = 'warning')",
    # evaluation_budget_delivery: a rate that is not delivered / budget, a stated rate that differs, unflagged
    "update marts.fct_budget_delivery set delivery_rate = delivery_rate + 0.01 "
    "where budget_id = (select min(budget_id) from marts.fct_budget_delivery)",
    "update marts.fct_budget_delivery set stated_rate_differs = true "
    "where budget_id = (select max(budget_id) from marts.fct_budget_delivery)",
    # evaluation_portfolio: a project that ends before it starts, unflagged
    "update marts.fct_project_portfolio set start_year = 2030, end_year = 2020 "
    "where project_id = (select min(project_id) from marts.fct_project_portfolio)",
    # evaluation_recommendations: an action count that is not the actions'
    "update marts.fct_recommendations set n_actions = n_actions + 1 "
    "where recommendation_id = (select min(recommendation_id) from marts.fct_recommendations)",
    # sources: no category, no language, a malformed link, a link listed twice in one report
    "update marts.dim_data_sources set category = null "
    "where data_source_id = (select min(data_source_id) from marts.dim_data_sources)",
    "update marts.dim_data_sources set languages = [] "
    "where data_source_id = (select max(data_source_id) from marts.dim_data_sources)",
    "update marts.dim_data_sources set url = 'www.example.org/no scheme' "
    "where data_source_id = (select min(data_source_id) from marts.dim_data_sources where url is not null)",
    "update marts.dim_data_sources as d set url = (select max(url) from marts.dim_data_sources as o "
    "  where o.report_id = d.report_id and o.url like 'http%') "
    "where data_source_id = (select max(data_source_id) from marts.dim_data_sources where url like 'http%')",
    # scorecard: a warning-level disagreement that is flagged nowhere
    "update marts.fct_scorecard_consistency set agrees = false, disagreement = 'benchmark: 50% stated, 40% found' "
    "where check_id = (select min(check_id) from marts.fct_scorecard_consistency where severity <> 'critical')",
]


def damaged_copy(base: Path) -> Path:
    folder = WORK / "damaged"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    warehouse = folder / base.name
    shutil.copy(base, warehouse)
    shutil.copy(staging_of(base), staging_of(warehouse))
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"attach '{staging_of(warehouse)}' as staging")
        for statement in DAMAGE:
            con.execute(statement)
    return warehouse


# --- the checks as DuckDB SQL ------------------------------------------------------------------------------------


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _column(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def violations_query(spec: SuiteSpec, kind: str, kwargs: dict) -> str:
    """One query over the suite's rows: (rows violating the expectation, rows it counts over), as GX counts them.

    Map expectations skip nulls (except the null checks themselves); compound uniqueness counts every row of a
    duplicated combination, rows ignored as GX's ``ignore_row_if`` says.
    """
    frame = f"with frame as ({spec.query})\n"
    if kind == "expect_compound_columns_to_be_unique":
        columns = [_column(c) for c in kwargs["column_list"]]
        ignore = kwargs.get("ignore_row_if", "all_values_are_missing")
        if ignore == "any_value_is_missing":
            kept = " and ".join(f"{c} is not null" for c in columns)
        elif ignore == "all_values_are_missing":
            kept = "not (" + " and ".join(f"{c} is null" for c in columns) + ")"
        else:
            kept = "true"
        return (
            frame + f", kept as (select {', '.join(columns)} from frame where {kept})\n"
            f"select coalesce((select sum(n) from (select count(*) as n from kept group by {', '.join(columns)} having count(*) > 1)), 0),"
            " (select count(*) from kept)"
        )
    column = _column(kwargs["column"])
    if kind == "expect_column_values_to_be_null":
        return frame + f"select count({column}), count(*) from frame"
    if kind == "expect_column_values_to_not_be_null":
        return frame + f"select count(*) - count({column}), count(*) from frame"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in kwargs["value_set"])
        violates = f"{column} not in ({values})"
    elif kind == "expect_column_values_to_be_between":
        bounds = []
        if kwargs.get("min_value") is not None:
            bounds.append(f"{column} {'<=' if kwargs.get('strict_min') else '<'} {_literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            bounds.append(f"{column} {'>=' if kwargs.get('strict_max') else '>'} {_literal(kwargs['max_value'])}")
        violates = " or ".join(bounds)
    elif kind == "expect_column_values_to_match_regex":
        violates = f"not regexp_matches({column}::varchar, {_literal(kwargs['regex'])})"
    else:
        raise ValueError(f"{spec.name}: no SQL for {kind} (add it to violations_query)")
    return frame + f"select count(*) filter (where {column} is not null and ({violates})), count({column}) from frame"


def _key(suite: str, kind: str, kwargs: dict) -> tuple[str, str, str]:
    shown = {k: v for k, v in kwargs.items() if k in ("column", "column_list")}
    return suite, kind, json.dumps(shown, sort_keys=True)


def sql_checks(warehouse: Path) -> Verdicts:
    """Every expectation as one DuckDB query: its verdict (with ``mostly``) and its count of violating rows."""
    verdicts: Verdicts = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{staging_of(warehouse)}' as staging (read_only)")
        for spec in all_suites():
            for expectation in spec.expectations():
                config = expectation.configuration
                kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
                row = con.sql(violations_query(spec, config.type, kwargs)).fetchone()
                assert row is not None
                unexpected, counted = int(row[0]), int(row[1])
                mostly = kwargs.get("mostly")
                if mostly is None:
                    success = unexpected == 0
                else:
                    success = counted == 0 or (counted - unexpected) / counted >= mostly
                verdicts[_key(spec.name, config.type, kwargs)] = (success, unexpected)
    return verdicts


def stored_verdicts(results_dir: Path) -> Verdicts:
    """The verdicts of the GX results stored in ``results_dir`` (one run's)."""
    verdicts: Verdicts = {}
    for path in sorted(results_dir.rglob("*.json")):
        stored = json.loads(path.read_text(encoding="utf-8"))
        suite = stored["suite_name"]
        for outcome in stored["results"]:
            config = outcome["expectation_config"]
            kwargs = {k: v for k, v in config["kwargs"].items() if k != "batch_id"}
            unexpected = (outcome.get("result") or {}).get("unexpected_count") or 0
            verdicts[_key(suite, config["type"], kwargs)] = (outcome["success"], int(unexpected))
    return verdicts


# --- the checks as the refresh ran them before: a checkpoint per suite ---------------------------------------------


def per_suite_checkpoints(warehouse: Path, docs: Path, results: Path, run_name: str, phases: dict) -> None:
    """The loop `run_checks` ran before issue 17 (one checkpoint, one run id per suite; then every stored result
    drawn again into Data Docs), timed by phase into ``phases``."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    docs.mkdir(parents=True, exist_ok=True)
    results.mkdir(parents=True, exist_ok=True)
    with timed(phases, "context"):
        locked = validate.locked_context(docs, results)
        context = locked.__enter__()
    try:
        with timed(phases, "context"):
            try:
                datasource = context.data_sources.get("warehouse")
            except (KeyError, ValueError, LookupError):
                datasource = context.data_sources.add_pandas(name="warehouse")
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            con.execute(f"attach if not exists '{staging_of(warehouse)}' as staging (read_only)")
            for spec in all_suites():
                with timed(phases, "validation"):
                    frame = con.sql(spec.query).df()
                with timed(phases, "definitions"):
                    batch_definition = datasource.get_asset(spec.asset).get_batch_definition("whole_frame")
                    suite = context.suites.add_or_update(
                        gx.ExpectationSuite(name=spec.name, expectations=spec.expectations())
                    )
                    definition = context.validation_definitions.add_or_update(
                        gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
                    )
                    checkpoint = context.checkpoints.add_or_update(
                        gx.Checkpoint(
                            name=f"{spec.name}_checkpoint",
                            validation_definitions=[definition],
                            actions=[],
                            result_format={"result_format": "COMPLETE", "partial_unexpected_count": 20},
                        )
                    )
                with timed(phases, "validation"):
                    checkpoint.run(
                        batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=f"refresh {run_name}")
                    )
        finally:
            con.close()
        with timed(phases, "docs"):
            escape_stored_values(results)
            context.build_data_docs(site_names=["local_site"])
            finish_data_docs(docs, results)
    finally:
        locked.__exit__(None, None, None)


# --- timing ------------------------------------------------------------------------------------------------------


@contextmanager
def timed(phases: dict, phase: str) -> Iterator[None]:
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        yield
    finally:
        spent = phases.setdefault(phase, {"cpu_s": 0.0, "wall_s": 0.0})
        spent["cpu_s"] += time.process_time() - cpu
        spent["wall_s"] += time.perf_counter() - wall


@contextmanager
def phases_of_run_checks(phases: dict) -> Iterator[None]:
    """Time `run_checks` by phase: entering the context, writing the suites and their definitions (where
    `validate._definitions` does it), Data Docs; what is left is validation (reading the frames included)."""
    original_context, original_docs = validate.locked_context, validate.render_data_docs
    original_definitions = getattr(validate, "_definitions", None)

    @contextmanager
    def locked_context(*args: Any, **kwargs: Any) -> Iterator[Any]:
        manager = original_context(*args, **kwargs)
        with timed(phases, "context"):
            context = manager.__enter__()
        try:
            yield context
        finally:
            manager.__exit__(None, None, None)

    def render_data_docs(*args: Any, **kwargs: Any) -> Any:
        with timed(phases, "docs"):
            return original_docs(*args, **kwargs)

    def definitions(*args: Any, **kwargs: Any) -> Any:
        assert original_definitions is not None
        with timed(phases, "definitions"):
            return original_definitions(*args, **kwargs)

    validate.locked_context, validate.render_data_docs = locked_context, render_data_docs
    if original_definitions is not None:
        validate._definitions = definitions
    try:
        yield
    finally:
        validate.locked_context, validate.render_data_docs = original_context, original_docs
        if original_definitions is not None:
            validate._definitions = original_definitions


def measure(way: str, warehouse: Path, folder: Path, run_name: str) -> dict:
    """One run of ``way``; its phases, total and (GX ways) the folder of its results."""
    phases: dict[str, dict[str, float]] = {}
    docs, results = folder / "data_docs", folder / "gx_validations"
    cpu, wall = time.process_time(), time.perf_counter()
    if way == "per_suite_checkpoints":
        per_suite_checkpoints(warehouse, docs, results, run_name, phases)
    elif way == "run_checks":
        with phases_of_run_checks(phases):
            validate.run_checks(warehouse, staging_of(warehouse), docs, results, run_name)
    else:
        sql_checks(warehouse)
    total = {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}
    if way == "run_checks":
        known = {k: sum(p[k] for p in phases.values()) for k in ("cpu_s", "wall_s")}
        rest = "validation" if "definitions" in phases else "definitions+validation"
        phases[rest] = {k: total[k] - known[k] for k in total}
    return {"total": total, "phases": phases}


def median_run(runs: list[dict]) -> dict:
    def med(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    phases = sorted({phase for run in runs for phase in run["phases"]})
    return {
        "total": {k: med([run["total"][k] for run in runs]) for k in ("cpu_s", "wall_s")},
        "phases": {
            phase: {k: med([run["phases"].get(phase, {}).get(k, 0.0) for run in runs]) for k in ("cpu_s", "wall_s")}
            for phase in phases
        },
        "rounds": len(runs),
    }


def validation_only(warehouse: Path, rounds: int) -> dict:
    """GX validation alone (suites and definitions written, frames read), in interleaved variants: every row with
    COMPLETE results (what the refresh does), every row with BASIC results, and one report's share of each suite's
    rows with COMPLETE results (about what validating only one changed report's rows would leave to check)."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    folder = WORK / "validation-only"
    docs, results = folder / "data_docs", folder / "gx_validations"
    docs.mkdir(parents=True)
    results.mkdir(parents=True)
    suites = all_suites()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{staging_of(warehouse)}' as staging (read_only)")
        frames = [con.sql(spec.query).df() for spec in suites]
        row = con.sql("select count(*) from marts.dim_reports").fetchone()
    reports = int(row[0]) if row else 1
    variants: dict[str, tuple[list, Any]] = {
        "all rows, COMPLETE": (frames, validate.RESULT_FORMAT),
        "all rows, BASIC": (frames, "BASIC"),
        "one report's share of rows, COMPLETE": (
            [frame.head(max(1, len(frame) // reports)) for frame in frames],
            validate.RESULT_FORMAT,
        ),
    }
    spent: dict[str, list[float]] = {name: [] for name in variants}
    with validate.locked_context(docs, results) as context:
        definitions = validate._definitions(gx, context, suites)
        for number in range(rounds):
            names = list(variants)
            for name in names[number % len(names) :] + names[: number % len(names)]:
                used, result_format = variants[name]
                run_id = RunIdentifier(run_name=f"variant {number}")
                cpu = time.process_time()
                for definition, frame in zip(definitions, used, strict=True):
                    definition.run(batch_parameters={"dataframe": frame}, result_format=result_format, run_id=run_id)
                spent[name].append(time.process_time() - cpu)
    return {
        name: {"cpu_s": round(statistics.median(times), 3), "rows": sum(len(frame) for frame in variants[name][0])}
        for name, times in spent.items()
    }


def import_in_fresh_process(before: str) -> dict:
    """CPU and wall seconds of `import great_expectations` in a new interpreter, after running ``before``."""
    code = (
        f"{before}\nimport time\nc, w = time.process_time(), time.perf_counter()\nimport great_expectations\n"
        "print(time.process_time() - c, time.perf_counter() - w)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout.split()
    return {"cpu_s": round(float(out[-2]), 2), "wall_s": round(float(out[-1]), 2)}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- the run -----------------------------------------------------------------------------------------------------

WAYS = ("per_suite_checkpoints", "run_checks", "duckdb_sql")


def fill_history(warehouse: Path, folder: Path, refreshes: int) -> None:
    """Results and Data Docs of ``refreshes`` earlier refreshes, as `run_checks` leaves them."""
    for number in range(refreshes):
        validate.run_checks(
            warehouse, staging_of(warehouse), folder / "data_docs", folder / "gx_validations", f"history-{number:03d}"
        )


def severities() -> dict[tuple[str, str, str], str]:
    """Each expectation's declared severity (critical stops the publish; warning and info are reported)."""
    return {
        _key(spec.name, e.configuration.type, e.configuration.kwargs): str(e.severity.value)
        for spec in all_suites()
        for e in spec.expectations()
    }


def compare(name: str, warehouse: Path, gx_folders: dict[str, Path]) -> dict:
    sql, severity = sql_checks(warehouse), severities()
    ways = {way: stored_verdicts(folder / "gx_validations") for way, folder in gx_folders.items()}
    differences = {
        way: sorted(
            f"{key}: GX {verdicts.get(key)}, SQL {sql.get(key)}"
            for key in set(verdicts) | set(sql)
            if verdicts.get(key) != sql.get(key)
        )
        for way, verdicts in ways.items()
    }
    return {
        "warehouse": name,
        "expectations": len(sql),
        "failed_in_sql": sorted(
            f"{key[0]}: {key[1]} {key[2]} ({count} rows, {severity[key]})" for key, (ok, count) in sql.items() if not ok
        ),
        "identical": all(not found for found in differences.values()),
        "differences": differences,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds, a history of 10 refreshes")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--history", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 5)
    history = args.history if args.history is not None else (10 if args.quick else 50)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)

    base = base_warehouse()
    shutil.rmtree(WORK, ignore_errors=True)
    damaged = damaged_copy(base)
    load_before = load()

    runs: dict[str, list[dict]] = {way: [] for way in WAYS}
    for number in range(rounds):
        # Each round starts with another way, so that none always runs first (caches, the machine's other load).
        order = WAYS[number % len(WAYS) :] + WAYS[: number % len(WAYS)]
        for way in order:
            runs[way].append(measure(way, base, WORK / f"{way}-{number}", f"bench-{number}"))

    # The verdicts: the last round's stored results of both GX ways against SQL, on the base and the damaged copy.
    verdicts = [compare("demo", base, {way: WORK / f"{way}-{rounds - 1}" for way in WAYS[:2]})]
    damaged_folders = {way: WORK / f"damaged-{way}" for way in WAYS[:2]}
    for way, folder in damaged_folders.items():
        measure(way, damaged, folder, "damaged")
    verdicts.append(compare("demo, damaged", damaged, damaged_folders))

    # Data Docs keep every refresh: both ways again on a site that holds `history` earlier refreshes.
    grown = WORK / "history"
    cpu = time.process_time()
    fill_history(base, grown, history)
    fill_cpu = time.process_time() - cpu
    with_history: dict[str, list[dict]] = {way: [] for way in WAYS[:2]}
    for number in range(2):
        for way in WAYS[:2] if number % 2 == 0 else WAYS[1::-1]:
            folder = WORK / f"history-{way}-{number}"
            shutil.copytree(grown, folder)
            with_history[way].append(measure(way, base, folder, f"after-history-{number}"))

    validation_variants = validation_only(base, max(rounds, 3))

    results = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "great_expectations": great_expectations.__version__,
        "load_average": {"before": load_before, "after": load()},
        "suites": len(all_suites()),
        "expectations": verdicts[0]["expectations"],
        "rows_checked": rows_checked(base),
        "gx_import": {
            "this_process": GX_IMPORT,
            "fresh_process": import_in_fresh_process(""),
            "after_the_refresh_flow": import_in_fresh_process("import flows.refresh.flow"),
        },
        "ways": {way: median_run(found) for way, found in runs.items()},
        "history": {
            "earlier_refreshes": history,
            "filling_cpu_s_per_refresh": round(fill_cpu / max(history, 1), 3),
            "ways": {way: median_run(found) for way, found in with_history.items()},
        },
        "validation_only": validation_variants,
        "verdicts": verdicts,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "checks.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "checks.md").write_text(markdown(results))
    print(markdown(results))


def rows_checked(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{staging_of(warehouse)}' as staging (read_only)")
        counted = [con.sql(f"select count(*) from ({spec.query})").fetchone() for spec in all_suites()]
    return sum(int(row[0]) for row in counted if row is not None)


def _row(name: str, run: dict, phases: list[str]) -> str:
    cells = [f"{run['phases'].get(p, {}).get('cpu_s', 0.0):.2f}" if p in run["phases"] else "–" for p in phases]
    return f"| {name} | {' | '.join(cells)} | **{run['total']['cpu_s']:.2f}** | {run['total']['wall_s']:.2f} |"


def markdown(results: dict) -> str:
    ways, history = results["ways"], results["history"]
    phases = ["context", "definitions", "validation", "definitions+validation", "docs"]
    header = "| way | " + " | ".join(f"{p} CPU s" for p in phases) + " | total CPU s | total wall s |"
    rule = "|---|" + "---:|" * (len(phases) + 2)
    imports = results["gx_import"]
    lines = [
        "# Checks: Great Expectations against the same checks in DuckDB SQL",
        "",
        f"Measured {results['measured_at']} on {results['machine']}, Great Expectations {results['great_expectations']}; "
        f"load average {results['load_average']['before']} before, {results['load_average']['after']} after. "
        f"`gewh demo`'s warehouse: {results['suites']} suites, {results['expectations']} expectations, "
        f"{results['rows_checked']} rows read by the suites' queries. Medians of {ways['run_checks']['rounds']} interleaved rounds; "
        "each GX run on an empty results and Data Docs folder.",
        "",
        "## Importing Great Expectations",
        "",
        "| where | CPU s | wall s |",
        "|---|---:|---:|",
        f"| this process, first thing | {imports['this_process']['cpu_s']} | {imports['this_process']['wall_s']} |",
        f"| a fresh interpreter | {imports['fresh_process']['cpu_s']} | {imports['fresh_process']['wall_s']} |",
        f"| after the refresh flow's modules (what a refresh pays) | {imports['after_the_refresh_flow']['cpu_s']} "
        f"| {imports['after_the_refresh_flow']['wall_s']} |",
        "",
        "## One refresh's checks, the import aside",
        "",
        header,
        rule,
    ]
    lines += [_row(way, run, phases) for way, run in ways.items()]
    lines += [
        "",
        f"## After {history['earlier_refreshes']} earlier refreshes (Data Docs list every refresh's results)",
        "",
        header,
        rule,
    ]
    lines += [_row(way, run, phases) for way, run in history["ways"].items()]
    lines += [
        "",
        "## Validation alone, by rows and result format",
        "",
        "| variant | rows | CPU s |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {variant['rows']} | {variant['cpu_s']:.3f} |"
        for name, variant in results["validation_only"].items()
    ]
    lines += ["", "## Verdicts", ""]
    for found in results["verdicts"]:
        same = "identical" if found["identical"] else "DIFFERENT"
        lines.append(
            f"- {found['warehouse']}: {found['expectations']} expectations, verdicts and unexpected counts of "
            f"GX (both ways) and SQL **{same}**; failed: {len(found['failed_in_sql'])}"
        )
        lines += [f"  - {failed}" for failed in found["failed_in_sql"]]
        for way, differences in found["differences"].items():
            lines += [f"  - differs ({way}): {difference}" for difference in differences]
    return "\n".join(lines + reading(results)) + "\n"


def reading(results: dict) -> list[str]:
    """What the figures say: the fixed cost that is left, and what it buys over the SQL."""
    ways, history, imports = results["ways"], results["history"], results["gx_import"]
    gx_run, sql = ways["run_checks"]["total"]["cpu_s"], ways["duckdb_sql"]["total"]["cpu_s"]
    paid = imports["after_the_refresh_flow"]["cpu_s"] + gx_run
    before = history["ways"]["per_suite_checkpoints"]["phases"]["docs"]["cpu_s"]
    after = history["ways"]["run_checks"]["phases"]["docs"]["cpu_s"]
    return [
        "",
        "## Reading",
        "",
        f"- A refresh pays {paid:.1f} CPU s for its checks in GX ({imports['after_the_refresh_flow']['cpu_s']} s of "
        f"it importing the library, {gx_run:.2f} s running), against {sql:.2f} s for the same verdicts in DuckDB SQL.",
        f"- Drawing Data Docs after {history['earlier_refreshes']} stored refreshes: {before:.2f} s redrawing every "
        f"page, {after:.2f} s drawing the run's pages, the suites' and the index (GX's index still reads every "
        "stored result).",
        "- What the rest buys over the SQL, which gives a verdict and a count per expectation and keeps nothing: "
        "the suites declared once as GX expectations with their severities; every refresh's results stored with "
        "their unexpected values and counts (the refresh summary's failure details come from them); and Data Docs, "
        "a browsable record of every suite and every refresh's results, offline.",
    ]


if __name__ == "__main__":
    main()
