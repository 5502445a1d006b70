"""The fixed cost of a refresh that does work, this checkout against another: `python benchmarks/fixed_cost.py OTHER`.

OTHER is another working tree of the repository (`git worktree add ../before <commit>`), run with this checkout's
packages.  For each checkout, a warehouse of the three reconstructed reference PDFs (../shared/corpus/reconstructed,
not measured); then, in interleaved rounds, each gets the same new small document (a later year's generated
scorecard) and `gewh refresh` adds it: the build starts from the published warehouse.  The fixed cost is what such a
refresh pays whatever its documents: start-up, dbt and the checks (issue 17's target: 15 s on a quiet 2-core
machine).  Medians over the rounds; results to benchmarks/results/fixed_cost.{json,md}.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

# benchmarks/run.py, beside this file (the script's folder is on the path), which puts the repository there too.
from run import (
    REPO,
    SHARED_CORPUS,
    WORK,
    describe_machine,
    fixed_cost,
    fresh_dir,
    load,
    log,
    new_scorecard,
    run_refresh,
    write_results,
)

MEASURES = ("fixed_cost_s", "wall_s", "cpu_s", "startup_s", "dbt_s", "expectations_s")


def commit_of(checkout: Path) -> str:
    head = ["git", "log", "-1", "--format=%h %s"]
    return subprocess.run(head, cwd=checkout, capture_output=True, text=True, check=True).stdout.strip()[:100]


def measured(run: dict) -> dict:
    return {
        "fixed_cost_s": fixed_cost(run),
        "wall_s": run["wall_s"],
        "cpu_s": run["cpu_s"],
        "startup_s": run["startup_s"],
        "dbt_s": run["stage_s"].get("dbt"),
        "expectations_s": run["stage_s"].get("expectations"),
        "build": run["build"],
        "load_before": run["load_before"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="another working tree of this repository (the figure before)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    checkouts = {"before": args.other.resolve(), "after": REPO}
    results: dict = {
        "command": " ".join(["python benchmarks/fixed_cost.py", *sys.argv[1:]]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(),
        "commits": {name: commit_of(checkout) for name, checkout in checkouts.items()},
        "rounds": {name: [] for name in checkouts},
    }
    folders = {}
    for name, checkout in checkouts.items():
        folder = fresh_dir(WORK / "fixed-cost" / name)
        raw = fresh_dir(folder / "raw")
        for path in sorted((SHARED_CORPUS / "reconstructed").glob("*.pdf")):
            shutil.copyfile(path, raw / path.name)
        log(f"{name}: the reference warehouse (not measured)")
        run_refresh(raw, folder / "warehouse" / "gender_equality.duckdb", None, checkout=checkout)
        folders[name] = folder
    for round_no in range(args.rounds):
        # Each round starts with the other checkout, so that neither always meets the same spell of load.
        order = list(checkouts) if round_no % 2 == 0 else list(reversed(checkouts))
        for name in order:
            folder = folders[name]
            new_scorecard(folder / "raw", 2023 + round_no)
            log(f"round {round_no + 1}/{args.rounds}: {name} adds one document")
            run = run_refresh(
                folder / "raw", folder / "warehouse" / "gender_equality.duckdb", None, checkout=checkouts[name]
            )
            results["rounds"][name].append(measured(run))
    results["medians"] = {
        name: {key: round(statistics.median(r[key] for r in rounds), 2) for key in MEASURES}
        for name, rounds in results["rounds"].items()
    }
    results["load_average_at_end"] = load()
    write_results("fixed_cost", results, markdown(results))


def markdown(results: dict) -> str:
    machine = results["machine"]
    lines = [
        "# Fixed cost of a refresh that adds one small document",
        "",
        f"Run {results['started_at']}, command `{results['command']}`; {machine['cpu']}, {machine['logical_cores']} "
        f"logical cores, Python {machine['python']}; load average at start {machine['load_average_at_start']}, at "
        f"end {results['load_average_at_end']}. Before: `{results['commits']['before']}`. After: "
        f"`{results['commits']['after']}`. Fixed cost = start-up + dbt + checks (seconds, wall-clock); CPU seconds "
        "count the refresh and the children it waited for. Medians of interleaved rounds:",
        "",
        "| checkout | " + " | ".join(MEASURES) + " | rounds |",
        "|" + " --- |" * (len(MEASURES) + 2),
    ]
    for name, medians in results["medians"].items():
        rounds = "; ".join(str(r["fixed_cost_s"]) for r in results["rounds"][name])
        lines.append(f"| {name} | " + " | ".join(str(medians[key]) for key in MEASURES) + f" | {rounds} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
