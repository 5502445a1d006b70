"""How the report's cost grows with countries, and what a refresh that changes one country costs.

    .venv/bin/python benchmarks/report_pages.py            # N = 25, 50, 100, 200 countries
    .venv/bin/python benchmarks/report_pages.py --quick    # N = 25, 50

The base is the warehouse of `gewh demo` (the project's generated samples: 6 countries, 18 reports), built
into benchmarks/work/report-base once; samples/many_countries.py repeats its countries to N. For each N, in
one process: a full write (no page yet), a write with nothing changed, and a write after one country's
ratings changed. CPU seconds of this process (drawing is single-threaded), so other load on the machine
disturbs them little; the exponent of full-write time against N says how it grows (1 = linear).
Writes benchmarks/results/report_pages.json and .md.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gewh.analyst.report import write_report_pages  # noqa: E402
from samples.many_countries import country_name, many_countries  # noqa: E402

WORK = ROOT / "benchmarks" / "work" / "report-pages"
RESULTS = ROOT / "benchmarks" / "results"


def base_warehouse() -> Path:
    folder = ROOT / "benchmarks" / "work" / "report-base"
    warehouse = folder / "gender_equality.duckdb"
    if not warehouse.exists():
        subprocess.run([str(Path(sys.executable).with_name("gewh")), "demo", "--folder", str(folder)], check=True)
    return warehouse


def timed(write) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    written = write()
    return {
        "cpu_s": round(time.process_time() - cpu, 2),
        "wall_s": round(time.perf_counter() - wall, 2),
        "pages_redrawn": len(written.redrawn),
    }


def measure(base: Path, countries: int) -> dict:
    folder = WORK / f"n{countries}"
    shutil.rmtree(folder, ignore_errors=True)
    warehouse = folder / "gender_equality.duckdb"
    many_countries(base, warehouse, countries)
    full = timed(lambda: write_report_pages(warehouse))
    unchanged = timed(lambda: write_report_pages(warehouse))
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.rpt_indicator_rating_matrix set rating = 'Exceeds', rating_score = 3 where country = ?",
            [country_name(1)],
        )
    one_changed = timed(lambda: write_report_pages(warehouse))
    size = sum(page.stat().st_size for page in folder.rglob("*.html"))
    return {
        "countries": countries,
        "full": full,
        "nothing_changed": unchanged,
        "one_country_changed": one_changed,
        "html_mb": round(size / 2**20, 1),
    }


def exponent(runs: list[dict]) -> float:
    """Least-squares slope of log(full-write CPU s) against log(N)."""
    xs = [math.log(run["countries"]) for run in runs]
    ys = [math.log(run["full"]["cpu_s"]) for run in runs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def markdown(results: dict) -> str:
    lines = [
        "# Report pages: growth with countries",
        "",
        f"Measured {results['measured_at']} on {results['machine']} (CPU seconds of one process).",
        "",
        "| countries | full write CPU s | per country | nothing changed | one country changed (pages redrawn) | HTML MB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        lines.append(
            f"| {run['countries']} | {run['full']['cpu_s']} | {run['full']['cpu_s'] / run['countries']:.2f} "
            f"| {run['nothing_changed']['cpu_s']} | {run['one_country_changed']['cpu_s']} "
            f"({run['one_country_changed']['pages_redrawn']}) | {run['html_mb']} |"
        )
    lines += ["", f"Exponent of full-write time against countries: **{results['exponent']:.2f}** (1 = linear)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 25 and 50 only")
    sizes = [25, 50] if parser.parse_args().quick else [25, 50, 100, 200]
    base = base_warehouse()
    runs = [measure(base, n) for n in sizes]
    results = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "runs": runs,
        "exponent": exponent(runs),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report_pages.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "report_pages.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
