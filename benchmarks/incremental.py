"""What a refresh that adds one report costs against a full one: `python benchmarks/incremental.py [--sizes 50 500]`.

For each N: `gewh refresh` of N generated reports into an empty folder (full: extraction of every report, every
model built), then one more report (the build starts from the published warehouse and rebuilds the changed
report's rows), then nothing new (settled before Prefect starts), then `--full-rebuild` with nothing new (every
model built in an empty file: the dbt stage to compare with the incremental one).  Each is one run in its own
process, timed in wall-clock and CPU seconds (the process and every child it waited for: Prefect's API and
dbt's, not the extraction processes, which a forkserver starts).  Then the dbt build alone, in full and from the copy, on the same staging file,
with dbt's node counts.  Results go to benchmarks/results/incremental.json and incremental.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

# benchmarks/run.py, beside this file (the script's folder is on the path), which puts the repository there too.
from run import (
    WORK,
    children_cpu_seconds,
    describe_machine,
    fresh_dir,
    load,
    log,
    refresh_command,
    run_refresh,
    synthetic_pool,
    write_results,
)


def timed_refresh(raw: Path, warehouse: Path, *flags: str) -> dict:
    """`run_refresh` (benchmarks/run.py): its wall-clock and CPU seconds, stages and outcome."""
    run = run_refresh(raw, warehouse, None, extra_flags=list(flags))
    return {key: run[key] for key in ("wall_s", "cpu_s", "stage_s", "outcome", "build", "documents")}


def timed_dbt_build(staging_db: Path, published: Path | None, work: Path) -> dict:
    """The dbt stage alone: a build in an empty file, or (``published``) from a copy of it."""
    from gewh.refresh.transform import build_version, dbt_build, new_build, start_build

    build_db = new_build(work, "gender_equality.duckdb")
    if published is not None:
        start_build(build_db, published, build_version(), full_rebuild=False)
    cpu_before, started = children_cpu_seconds(), time.perf_counter()
    outcome = dbt_build(staging_db, build_db, work)
    wall, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu_before
    if not outcome.success:
        raise RuntimeError(outcome.failure_reason)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "models_built": outcome.models_built,
        "tests_passed": outcome.tests_passed,
    }


def measure(size: int, reports: list[Path]) -> dict:
    folder = fresh_dir(WORK / "incremental" / f"n{size}")
    raw = fresh_dir(folder / "raw")
    warehouse = folder / "warehouse" / "gender_equality.duckdb"
    for path in reports[:size]:
        shutil.copyfile(path, raw / path.name)
    log(f"N={size}: full refresh")
    runs = {"full": timed_refresh(raw, warehouse)}
    published_before = folder / "published-before.duckdb"
    shutil.copyfile(warehouse, published_before)
    added = reports[size]
    shutil.copyfile(added, raw / added.name)
    log(f"N={size}: one report added")
    runs["add_one"] = timed_refresh(raw, warehouse)
    log(f"N={size}: nothing new")
    runs["no_op"] = timed_refresh(raw, warehouse)
    log(f"N={size}: --full-rebuild, nothing new")
    runs["full_rebuild"] = timed_refresh(raw, warehouse, "--full-rebuild")
    staging_db = warehouse.with_name("gender_equality.staging.duckdb")
    log(f"N={size}: dbt alone, in full and from the warehouse published before the report was added")
    dbt = {
        "full": timed_dbt_build(staging_db, None, folder / "dbt-full"),
        "from_published": timed_dbt_build(staging_db, published_before, folder / "dbt-incremental"),
    }
    full = runs["full"]
    return {
        "size": size,
        "runs": runs,
        "dbt_alone": dbt,
        "fractions_of_full": {
            name: {measure: round(run[measure] / full[measure], 3) for measure in ("wall_s", "cpu_s")}
            for name, run in runs.items()
            if name != "full"
        },
    }


def markdown(results: dict) -> str:
    machine = results["machine"]
    refreshes = [
        [
            measured["size"],
            name,
            run["wall_s"],
            run["cpu_s"],
            f"{measured['fractions_of_full'].get(name, {}).get('wall_s', 1.0):.1%}",
            f"{measured['fractions_of_full'].get(name, {}).get('cpu_s', 1.0):.1%}",
            run["stage_s"].get("dbt", "–"),
            run["build"] or "–",
            run["outcome"],
        ]
        for measured in results["sizes"]
        for name, run in measured["runs"].items()
    ]
    dbt_alone = [
        [measured["size"], name, run["wall_s"], run["cpu_s"], run["models_built"], run["tests_passed"]]
        for measured in results["sizes"]
        for name, run in measured["dbt_alone"].items()
    ]
    lines = [
        "# Incremental refresh: one report added against a full refresh",
        "",
        f"Run {results['started_at']}, commit `{machine['commit']}`, command `{results['command']}`; "
        f"{machine['cpu']}, {machine['logical_cores']} logical cores, {machine['memory_gb']} GB RAM, "
        f"{machine['os']}, Python {machine['python']}; load average at start {machine['load_average_at_start']}, "
        f"at end {results['load_average_at_end']}. One run each: a shared machine's load moves wall-clock times, "
        "CPU seconds less so. CPU seconds count the refresh and the children it waits for, not the extraction "
        "processes (children of a forkserver the refresh does not wait for): a full refresh's CPU seconds are "
        "an underestimate, and so the fractions of it overestimates.",
        "",
        *table(["N", "run", "wall s", "CPU s", "wall / full", "CPU / full", "dbt s", "build", "outcome"], refreshes),
        "",
        "The dbt build alone on the staging file after the report was added: in an empty file, and from a copy "
        "of the warehouse published before it.",
        "",
        *table(["N", "build", "wall s", "CPU s", "models built", "tests passed"], dbt_alone),
    ]
    return "\n".join(lines) + "\n"


def table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table's lines."""
    return [
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * len(header),
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50], help="reports in the warehouse (default 50)")
    args = parser.parse_args()
    results: dict = {
        "command": " ".join(["python benchmarks/incremental.py", *sys.argv[1:]]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(),
        "refresh_command": refresh_command(),
    }
    reports = synthetic_pool(max(args.sizes) + 1)
    results["sizes"] = [measure(size, reports) for size in sorted(args.sizes)]
    results["load_average_at_end"] = load()
    write_results("incremental", results, markdown(results))


if __name__ == "__main__":
    main()
