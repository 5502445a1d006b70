"""How fast the refresh is, measured honestly on this machine: `python benchmarks/run.py` (or `make benchmark`).

1. extraction: bare pdfplumber (open + extract_text + extract_tables on every page) against the
   project's extraction of the same reference PDFs (characters from pdfium, and before that from
   pdfplumber), on one core and on 1 and 2 worker processes, interleaved in rounds so that all see the
   same machine load; where pdfplumber's time goes and what skipping the table finder on pages without
   rules saves;
2. a full refresh of the reference corpus (`../shared/corpus/reconstructed` + `../shared/corpus/pdf`)
   with the time per stage, Prefect's start-up included;
3. a no-op refresh and one-new-file refreshes (the build started from the published warehouse, and with
   `--full-rebuild` as before), as fractions of the full one, and the fixed cost of a refresh that does work;
4. full refreshes of N generated scorecard and evaluation PDFs (the project's fixture generators),
   to show how time grows with N; at N = 500, one report added (incrementally and with
   `--full-rebuild`) and nothing new, as fractions of the full refresh;
5. peak memory of every refresh (the refresh process, its largest extraction child, the whole tree).

Refreshes are timed in wall-clock and CPU seconds (the refresh process and the children it waited for:
Prefect's API and dbt, not the extraction processes, which a forkserver starts).

Results go to benchmarks/results/latest.json and latest.md; generated corpora and warehouses to
benchmarks/work/ (not versioned; the generated PDFs are reused by the next run).  This module runs
again as the main module of every extraction child, so everything heavy is imported inside functions.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # samples: the project's PDF generators, when run without an install

SHARED_CORPUS = REPO.parent / "shared" / "corpus"
WORK = REPO / "benchmarks" / "work"
RESULTS = REPO / "benchmarks" / "results"

# Issue 17's targets.
TARGETS = {
    # Project extraction's pages per CPU second against bare pdfplumber's, one core (records identical:
    # benchmarks/pdfium_compare.py checks that).
    "one_core_cpu_ratio": 3.0,
    # The project's extraction on two worker processes against one.
    "two_process_ratio": 1.9,
    # A refresh adding one report to a warehouse of `ADD_ONE_AT`, and one with nothing new, against the full refresh.
    "add_one_fraction": 0.10,
    "noop_fraction": 0.02,
    # Start-up + dbt + checks of a refresh that adds one small document.
    "fixed_cost_s": 15.0,
    "growth_exponent": 1.05,
    "memory_growth": 1.25,
}
ADD_ONE_AT = 500
# Refreshes adding one report, measured this many times in a row (each adds another report) and their median
# reported: one refresh of 10 to 20 s moves by a quarter with the machine's load, which a full refresh averages out.
ADDS_MEASURED = 3
# Countries whose names no other country name contains, so every generated report is a distinct report.
COUNTRIES = [
    "Albania",
    "Armenia",
    "Azerbaijan",
    "Bangladesh",
    "Belarus",
    "Bhutan",
    "Botswana",
    "Burundi",
    "Cambodia",
    "Cameroon",
    "Chile",
    "Colombia",
    "Ecuador",
    "Egypt",
    "Ethiopia",
    "Georgia",
    "Ghana",
    "Guatemala",
    "Haiti",
    "Honduras",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kyrgyzstan",
    "Lebanon",
    "Liberia",
    "Madagascar",
    "Malawi",
    "Mauritania",
    "Mongolia",
    "Morocco",
    "Mozambique",
    "Myanmar",
    "Namibia",
    "Nepal",
    "Nicaragua",
    "Pakistan",
    "Panama",
    "Paraguay",
    "Peru",
    "Rwanda",
    "Senegal",
    "Serbia",
    "Tajikistan",
    "Tunisia",
    "Uganda",
    "Ukraine",
    "Uruguay",
    "Uzbekistan",
    "Zambia",
    "Zimbabwe",
]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- the machine -------------------------------------------------------------------------------


def describe_machine() -> dict:
    import psutil

    cpu_model = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    versions: dict[str, str | None] = {}
    for package in (
        "pdfplumber",
        "pdfminer.six",
        "prefect",
        "prefect-dask",
        "distributed",
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
        "great_expectations",
    ):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    # Outside a git checkout (an unpacked archive) there is no commit to report: git fails, and the output is empty.
    git_head = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git_head, cwd=REPO, capture_output=True, text=True, check=False).stdout
    return {
        "cpu": cpu_model,
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": versions,
        "commit": commit.strip() or None,
        "load_average_at_start": load(),
    }


# --- 1. extraction -----------------------------------------------------------------------------


def reference_pdfs() -> list[Path]:
    files = sorted((SHARED_CORPUS / "reconstructed").glob("*.pdf")) + sorted((SHARED_CORPUS / "pdf").glob("*.pdf"))
    if not files:
        sys.exit(f"reference corpus not found under {SHARED_CORPUS}")
    return files


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def largest_first(files: list[Path]) -> list[Path]:
    return sorted(files, key=lambda f: f.stat().st_size, reverse=True)


def bare_pdfplumber(path: Path) -> int:
    """The baseline: open, then extract_text and extract_tables on every page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return len(pdf.pages)


def bare_pdfplumber_collected_per_page(path: Path) -> int:
    """The baseline read as the project's reader reads pages (extract/document/pdf.py): each page let go once read,
    automatic garbage collection paused and the young generation collected after each page.  Says how much of the
    project's ratio that policy accounts for (it is not a target's baseline)."""
    import pdfplumber

    from extract.document.pdf import PAUSED_COLLECTION

    with pdfplumber.open(path) as pdf, PAUSED_COLLECTION.paused():
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            PAUSED_COLLECTION.page_read(page)
        return len(pdf.pages)


def project_one_core(path: Path) -> None:
    """The project's extraction (document model, classification, parser) in this process."""
    from extract.pipeline import extract_file

    extract_file(path)


def project_one_core_pdfplumber_chars(path: Path) -> None:
    """The same on pdfplumber's characters for every page (where the project's characters came from before issue
    17)."""
    from pdfium_compare import characters_from

    from extract.document.pdf import PDFPLUMBER

    with characters_from(PDFPLUMBER):
        project_one_core(path)


def project_isolated(path: Path) -> None:
    """As the refresh extracts one document: in an isolated child process with time and memory limits."""
    from gewh.refresh.isolation import ExtractionFailure, extract_in_child

    result = extract_in_child(path, 600, 4096)
    if isinstance(result, ExtractionFailure):
        raise RuntimeError(f"extraction failed: {result.reason}")


def project_workers(files: list[Path], workers: int) -> None:
    """As the refresh extracts a corpus: ``workers`` isolated child processes at a time, largest file first."""
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(project_isolated, largest_first(files)))


def bare_two_processes(files: list[Path]) -> None:
    """Bare pdfplumber on two processes: what this machine's two cores give at best."""
    import multiprocessing

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        list(pool.map(bare_pdfplumber, largest_first(files)))


# One document at a time, in this process (so its CPU time is theirs): compared file by file, each file's modes in turn.
ONE_CORE = {
    "bare_pdfplumber_1_core": bare_pdfplumber,
    "bare_pdfplumber_1_core_collected_per_page": bare_pdfplumber_collected_per_page,
    "project_1_core": project_one_core,
    "project_1_core_pdfplumber_chars": project_one_core_pdfplumber_chars,
}
# The project's worker processes, the whole corpus at once: one and two workers run back to back, in
# pairs, so that the ratio of two to one compares runs seconds apart, not minutes.
WORKER_PAIR = {
    "project_1_worker_process": lambda files: project_workers(files, 1),
    "project_2_worker_processes": lambda files: project_workers(files, 2),
}
WORKER_PAIRS_PER_ROUND = 3
# Bare pdfplumber on the machine's two cores, once a round: what two processes give at best.
PARALLEL = {"bare_pdfplumber_2_processes": bare_two_processes}


def measure_extraction(files: list[Path], rounds: int) -> dict:
    """Each round: the one-core modes interleaved file by file, then pairs of the worker-process modes, then
    bare pdfplumber on two processes, each on the whole corpus.

    Modes take turns starting (per file, per pair, per round) so that a busy spell of the machine does
    not always hit the same one; ratios are taken within a round (within a pair for two workers against
    one), and their median reported.
    """
    pages = sum(page_count(f) for f in files)
    project_isolated(min(files, key=lambda f: f.stat().st_size))  # imports and the forkserver start: not measured
    project_one_core(min(files, key=lambda f: f.stat().st_size))
    runs: dict[str, list[dict]] = {mode: [] for mode in [*ONE_CORE, *WORKER_PAIR, *PARALLEL]}

    def run_on_corpus(mode: str, run, round_no: int, **label) -> None:
        log(f"extraction round {round_no + 1}/{rounds}: {mode}")
        before = load()
        started = time.perf_counter()
        run(files)
        elapsed = time.perf_counter() - started
        runs[mode].append(
            {
                "round": round_no + 1,
                **label,
                "wall_s": round(elapsed, 2),
                "pages_per_s": round(pages / elapsed, 2),
                "load_before": before,
                "load_after": load(),
            }
        )

    for round_no in range(rounds):
        log(f"extraction round {round_no + 1}/{rounds}: one core, file by file")
        before = load()
        wall = dict.fromkeys(ONE_CORE, 0.0)
        cpu = dict.fromkeys(ONE_CORE, 0.0)
        names = list(ONE_CORE)
        for index, path in enumerate(files):
            turn = (index + round_no) % len(names)
            for mode in names[turn:] + names[:turn]:
                started, started_cpu = time.perf_counter(), time.process_time()
                ONE_CORE[mode](path)
                wall[mode] += time.perf_counter() - started
                cpu[mode] += time.process_time() - started_cpu
        after = load()
        for mode in ONE_CORE:
            runs[mode].append(
                {
                    "round": round_no + 1,
                    "wall_s": round(wall[mode], 2),
                    "cpu_s": round(cpu[mode], 2),
                    "pages_per_s": round(pages / wall[mode], 2),
                    "load_before": before,
                    "load_after": after,
                }
            )
        for pair in range(WORKER_PAIRS_PER_ROUND):
            names = list(WORKER_PAIR) if (round_no + pair) % 2 == 0 else list(reversed(WORKER_PAIR))
            for mode in names:
                run_on_corpus(mode, WORKER_PAIR[mode], round_no, pair=pair + 1)
        for mode, run in PARALLEL.items():
            run_on_corpus(mode, run, round_no)

    def per_round(mode: str, key: str) -> list[float]:
        """The mode's figure in each round: the median of its runs there (a worker mode runs once a pair)."""
        return [
            statistics.median(r[key] for r in runs[mode] if r["round"] == round_no + 1) for round_no in range(rounds)
        ]

    def ratio(mode: str, key: str = "wall_s", base: str = "bare_pdfplumber_1_core") -> float:
        pairs = zip(per_round(base, key), per_round(mode, key), strict=True)
        return round(statistics.median(b / r for b, r in pairs), 3)

    one_worker, two_workers = (runs[mode] for mode in WORKER_PAIR)
    two_to_one_per_pair = [one["wall_s"] / two["wall_s"] for one, two in zip(one_worker, two_workers, strict=True)]

    return {
        "files": [f.name for f in files],
        "pages": pages,
        "rounds": rounds,
        "runs": runs,
        "summary": {
            mode: {"pages_per_s_median": round(statistics.median(r["pages_per_s"] for r in rs), 2)}
            for mode, rs in runs.items()
        },
        "ratios_to_bare_1_core": {
            "project_1_core_wall": ratio("project_1_core"),
            "project_1_core_cpu": ratio("project_1_core", "cpu_s"),
            "project_1_core_pdfplumber_chars_cpu": ratio("project_1_core_pdfplumber_chars", "cpu_s"),
            "bare_pdfplumber_1_core_collected_per_page_cpu": ratio(
                "bare_pdfplumber_1_core_collected_per_page", "cpu_s"
            ),
            "project_1_core_cpu_to_bare_collected_per_page": ratio(
                "project_1_core", "cpu_s", base="bare_pdfplumber_1_core_collected_per_page"
            ),
            "project_1_worker_process_wall": ratio("project_1_worker_process"),
            "project_2_worker_processes_wall": ratio("project_2_worker_processes"),
            "bare_pdfplumber_2_processes_wall": ratio("bare_pdfplumber_2_processes"),
        },
        "two_processes_to_one": {
            "project_wall": round(statistics.median(two_to_one_per_pair), 3),
            "bare_pdfplumber_wall": ratio("bare_pdfplumber_2_processes"),
        },
        "project_two_processes_to_one_per_pair": [round(r, 3) for r in two_to_one_per_pair],
    }


def measure_pdfplumber_breakdown(files: list[Path]) -> dict:
    """Where bare pdfplumber spends its time, per page: parsing objects, text, and the table finder.

    On pages without drawn rules (no rects or lines) the finder cannot find a ruled table; the project
    skips it there, so its cost on those pages is what the skip saves.
    """
    import pdfplumber

    seconds = {
        "parse_objects": 0.0,
        "extract_text": 0.0,
        "tables_on_ruled_pages": 0.0,
        "tables_on_pages_without_rules": 0.0,
    }
    ruled_pages = unruled_pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                started = time.process_time()
                _ = page.objects  # pdfplumber parses a page when its objects are first read
                parsed = time.process_time()
                page.extract_text()
                texted = time.process_time()
                page.extract_tables()
                tabled = time.process_time()
                seconds["parse_objects"] += parsed - started
                seconds["extract_text"] += texted - parsed
                if page.rects or page.lines:
                    ruled_pages += 1
                    seconds["tables_on_ruled_pages"] += tabled - texted
                else:
                    unruled_pages += 1
                    seconds["tables_on_pages_without_rules"] += tabled - texted
    total = sum(seconds.values())
    return {
        "cpu_seconds": {k: round(v, 2) for k, v in seconds.items()},
        "share": {k: round(v / total, 4) for k, v in seconds.items()},
        "pages_with_rules": ruled_pages,
        "pages_without_rules": unruled_pages,
    }


# --- 2–5. refreshes ----------------------------------------------------------------------------


class TreeMemory:
    """Peak resident memory of a process and its descendants, sampled every 0.2 s, overall and per refresh stage.

    The stage of each sample is the one the refresh's writer lock file names ("pid N, stage S since T").
    """

    def __init__(self, pid: int, lock_file: Path):
        self.pid = pid
        self.lock_file = lock_file
        self.peak_tree = self.peak_main = self.peak_extraction = 0
        self.peak_main_by_stage: dict[str, int] = {}
        self.peak_tree_by_stage: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _stage(self) -> str:
        """The stage this refresh's lock names; the file may still name an earlier run's last stage."""
        try:
            found = re.search(r"pid (\d+), stage (\S+)", self.lock_file.read_text())
        except OSError:
            return "starting"
        return found.group(2) if found and int(found.group(1)) == self.pid else "starting"

    def _sample(self) -> None:
        import psutil

        try:
            main = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                tree = [main, *main.children(recursive=True)]
                total = main_rss = 0
                for process in tree:
                    try:
                        rss = process.memory_info().rss
                        command = " ".join(process.cmdline())
                    except psutil.NoSuchProcess:
                        continue
                    total += rss
                    if process.pid == self.pid:
                        main_rss = rss
                    elif "forkserver" in command or "gewh.refresh.isolation" in command:
                        self.peak_extraction = max(self.peak_extraction, rss)
                stage = self._stage()
                self.peak_main = max(self.peak_main, main_rss)
                self.peak_tree = max(self.peak_tree, total)
                self.peak_main_by_stage[stage] = max(self.peak_main_by_stage.get(stage, 0), main_rss)
                self.peak_tree_by_stage[stage] = max(self.peak_tree_by_stage.get(stage, 0), total)
            except psutil.NoSuchProcess:
                return
            self._stop.wait(0.2)

    def as_dict(self) -> dict:
        mb = 2**20
        return {
            "refresh_process_mb": round(self.peak_main / mb),
            "largest_extraction_process_mb": round(self.peak_extraction / mb),
            "process_tree_mb": round(self.peak_tree / mb),
            "refresh_process_mb_by_stage": {k: round(v / mb) for k, v in self.peak_main_by_stage.items()},
            "process_tree_mb_by_stage": {k: round(v / mb) for k, v in self.peak_tree_by_stage.items()},
        }


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def refresh_command() -> list[str]:
    gewh = Path(sys.executable).with_name("gewh")
    return [str(gewh)] if gewh.exists() else [sys.executable, "-m", "flows.refresh"]


def run_refresh(
    raw: Path,
    warehouse: Path,
    workers: int | None,
    flow_only: bool = False,
    extra_flags: Sequence[str] = (),
    checkout: Path = REPO,
) -> dict:
    """`gewh refresh` in its own process, as a user runs it; the summary it prints gives the stage times.

    ``flow_only``: call the refresh flow itself, as a run of the `gewh serve` deployment does (no check
    before Prefect starts, no command line).  ``extra_flags``: more options of `gewh refresh`.  ``checkout``: the
    working tree whose code runs (another commit's, to compare with this one), with this checkout's packages.
    """
    if flow_only:
        call = f"refresh(raw={str(raw)!r}, warehouse={str(warehouse)!r}, workers={workers!r}).render()"
        command = [sys.executable, "-c", f"from flows.refresh.flow import refresh; print({call})"]
    else:
        command = [*refresh_command(), "refresh", "--raw", str(raw), "--warehouse", str(warehouse)]
        if workers:
            command += ["--workers", str(workers)]
        command += extra_flags
    before, cpu_before = load(), children_cpu_seconds()
    started, launched_at = time.perf_counter(), time.time()
    environment = {**os.environ, "PYTHONPATH": str(checkout)} if checkout != REPO else None
    process = subprocess.Popen(
        command, cwd=checkout, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    from gewh.settings import Settings

    with TreeMemory(process.pid, Settings(warehouse=warehouse).lock_file) as memory:
        out, err = process.communicate()
    wall, exited_at, cpu = time.perf_counter() - started, time.time(), children_cpu_seconds() - cpu_before
    if process.returncode != 0:
        raise RuntimeError(f"refresh failed ({process.returncode}):\n{out[-3000:]}\n{err[-3000:]}")
    stages = {
        name: float(seconds) for name, seconds in re.findall(r"([\w-]+) ([\d.]+)", _line(out, "seconds per stage:"))
    }
    stages.pop("start-up", None)
    run_started_at, run_finished_at = last_run_times(warehouse)
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "startup_s": round(run_started_at - launched_at, 1),
        "flow_s": round(run_finished_at - run_started_at, 1),
        "shutdown_s": round(exited_at - run_finished_at, 1),
        "stage_s": stages,
        "documents": _line(out, "documents:"),
        "build": _line(out, "build:"),
        "outcome": "published" if "published:" in out else _line(out, "up to date:") or "not published",
        "peak_memory": memory.as_dict(),
        "load_before": before,
        "load_after": load(),
    }


def last_run_times(warehouse: Path) -> tuple[float, float]:
    """When the newest run in the staging run history started and finished (epoch seconds, to the microsecond)."""
    import duckdb

    from gewh.settings import Settings

    staging_db = Settings(warehouse=warehouse).staging_db
    con = duckdb.connect(str(staging_db), read_only=True)
    try:
        newest = con.execute(
            "select started_at, finished_at from refresh_runs order by started_at desc limit 1"
        ).fetchone()
    finally:
        con.close()
    if newest is None:
        raise RuntimeError(f"no refresh run recorded in {staging_db}")
    started, finished = newest
    return started.timestamp(), finished.timestamp()


def _line(output: str, prefix: str) -> str:
    return next((line[len(prefix) :].strip() for line in output.splitlines() if line.startswith(prefix)), "")


def write_results(name: str, results: dict, text: str, folder: Path = RESULTS) -> None:
    """``results`` to ``folder``/``name``.json, ``text`` (their Markdown) to ``name``.md and the terminal."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    (folder / f"{name}.md").write_text(text)
    log(f"wrote {folder / name}.md and {name}.json")
    print(text)


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def measure_reference_refreshes(files: list[Path], workers: int | None) -> dict:
    base = WORK / "reference"
    raw = fresh_dir(base / "raw")
    for path in files:
        shutil.copy(path, raw / path.name)
    warehouse = fresh_dir(base / "warehouse") / "gender_equality.duckdb"
    log("full refresh of the reference corpus")
    full = run_refresh(raw, warehouse, workers)
    full["extract_pages_per_s"] = round(sum(page_count(path) for path in files) / full["stage_s"]["extract"], 2)
    log("no-op refresh")
    noop = run_refresh(raw, warehouse, workers)
    log("no-op run of the flow itself on a running Prefect server, as a scheduled run (twice: the first warms it up)")
    from gewh.prefect_api import prefect_api
    from gewh.settings import apply_offline_environment

    # The project's offline Prefect environment, for the server and the flow processes started here.
    apply_offline_environment()

    with prefect_api("full"):
        run_refresh(raw, warehouse, workers, flow_only=True)
        scheduled_noop = run_refresh(raw, warehouse, workers, flow_only=True)
    one_new_each = []
    for number, year in enumerate(range(2023, 2023 + ADDS_MEASURED), start=1):
        new_scorecard(raw, year)
        log(f"refresh with one new file ({number}/{ADDS_MEASURED})")
        one_new_each.append(run_refresh(raw, warehouse, workers))
    one_new = median_run(one_new_each)
    new_scorecard(raw, 2023 + ADDS_MEASURED)
    log("refresh with one more new file, --full-rebuild (every model built and tested, as before issue 17)")
    one_new_full_rebuild = run_refresh(raw, warehouse, workers, extra_flags=["--full-rebuild"])
    return {
        "full": full,
        "noop": noop,
        "scheduled_noop": scheduled_noop,
        "one_new_file": one_new,
        "one_new_file_each": one_new_each,
        "one_new_file_full_rebuild": one_new_full_rebuild,
        "fractions_of_full": {
            "noop_wall": round(noop["wall_s"] / full["wall_s"], 3),
            "scheduled_noop_in_flow": round(scheduled_noop["flow_s"] / full["flow_s"], 3),
            "one_new_file_wall": round(one_new["wall_s"] / full["wall_s"], 3),
            "one_new_file_in_flow": round(one_new["flow_s"] / full["flow_s"], 3),
            "one_new_file_full_rebuild_wall": round(one_new_full_rebuild["wall_s"] / full["wall_s"], 3),
        },
        "fixed_cost_s": {
            "one_new_file": statistics.median(fixed_cost(run) for run in one_new_each),
            "one_new_file_each": [fixed_cost(run) for run in one_new_each],
            "one_new_file_full_rebuild": fixed_cost(one_new_full_rebuild),
        },
    }


def fixed_cost(run: dict) -> float:
    """What a refresh that does work pays whatever its documents: start-up, dbt and the checks."""
    return round(run["startup_s"] + run["stage_s"].get("dbt", 0.0) + run["stage_s"].get("expectations", 0.0), 1)


def median_run(runs: list[dict]) -> dict:
    """Of an odd number of refreshes, the one of median wall-clock time."""
    return sorted(runs, key=lambda run: run["wall_s"])[len(runs) // 2]


def new_scorecard(raw: Path, year: int) -> Path:
    """A later year's scorecard for a country already in the reference corpus, as it would arrive."""
    from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec

    return build_scorecard_pdf(
        synthetic_spec("Kazakhstan", year, year_columns=5, seed=year),
        raw / f"unct-swap-scorecard-kazakhstan-{year}.pdf",
    )


def generate_report(index: int, folder: Path) -> Path:
    """Report number ``index`` of the synthetic corpus: even numbers scorecards, odd numbers evaluations."""
    from samples.evaluation_pdf import build_evaluation_pdf
    from samples.evaluation_pdf import synthetic_spec as evaluation_spec
    from samples.scorecard_pdf import build_scorecard_pdf
    from samples.scorecard_pdf import synthetic_spec as scorecard_spec

    folder.mkdir(parents=True, exist_ok=True)
    serial, country = divmod(index // 2, len(COUNTRIES))
    name = COUNTRIES[country]
    if index % 2 == 0:
        path = folder / f"{index:05d}-scorecard-{name.lower()}-{2019 + serial}.pdf"
        if not path.exists():
            build_scorecard_pdf(scorecard_spec(name, 2019 + serial, year_columns=3, seed=index), path)
    else:
        path = folder / f"{index:05d}-evaluation-{name.lower()}-{2010 + serial}.pdf"
        if not path.exists():
            build_evaluation_pdf(evaluation_spec(name, 2010 + serial, 2014 + serial, seed=index), path)
    return path


def synthetic_pool(size: int) -> list[Path]:
    """The first ``size`` generated reports, built in parallel once and reused by later runs."""
    import multiprocessing

    pool_dir = WORK / "synthetic" / "pool"
    log(f"generating {size} synthetic reports into {pool_dir} (kept for later runs)")
    with ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(generate_report, range(size), [pool_dir] * size, chunksize=8))


def measure_scaling(sizes: list[int], workers: int | None) -> dict:
    # Reports beyond the largest corpus: those added to the warehouse of `ADD_ONE_AT`.
    reports = synthetic_pool(max(sizes) + ADDS_MEASURED + 1)
    runs, add_one = {}, {}
    for size in sizes:
        raw = fresh_dir(WORK / "synthetic" / f"n{size}" / "raw")
        for path in reports[:size]:
            os.link(path, raw / path.name)
        warehouse = fresh_dir(WORK / "synthetic" / f"n{size}" / "warehouse") / "gender_equality.duckdb"
        log(f"full refresh of {size} synthetic reports")
        run = run_refresh(raw, warehouse, workers)
        run["pages"] = sum(page_count(path) for path in reports[:size])
        run["extract_pages_per_s"] = round(run["pages"] / run["stage_s"]["extract"], 2)
        run["seconds_per_document"] = {
            "wall": round(run["wall_s"] / size, 3),
            "extract": round(run["stage_s"].get("extract", 0.0) / size, 3),
        }
        runs[str(size)] = run
        if size == ADD_ONE_AT:
            add_one = measure_add_one(raw, warehouse, run, reports[max(sizes) :], workers)
    return {"runs": runs, "growth_exponent": growth_exponents(sizes, runs), "add_one": add_one}


def measure_add_one(raw: Path, warehouse: Path, full: dict, new_reports: list[Path], workers: int | None) -> dict:
    """After the full refresh of N reports: one report added (`ADDS_MEASURED` times, another each time; the median
    run reported), nothing new, and one more added with --full-rebuild."""
    size = len(list(raw.iterdir()))
    adds = []
    for number, report in enumerate(new_reports[:ADDS_MEASURED], start=1):
        os.link(report, raw / report.name)
        log(f"N={size + number - 1}: one report added ({number}/{ADDS_MEASURED})")
        adds.append(run_refresh(raw, warehouse, workers))
    runs = {"add_one": median_run(adds)}
    log(f"N={size + ADDS_MEASURED}: nothing new")
    runs["no_op"] = run_refresh(raw, warehouse, workers)
    report = new_reports[ADDS_MEASURED]
    os.link(report, raw / report.name)
    log(f"N={size + ADDS_MEASURED}: one more report added, --full-rebuild")
    runs["add_one_full_rebuild"] = run_refresh(raw, warehouse, workers, extra_flags=["--full-rebuild"])

    def fractions(run: dict) -> dict[str, float]:
        return {measure: round(run[measure] / full[measure], 3) for measure in ("wall_s", "cpu_s")}

    return {
        "size": size,
        "runs": runs,
        "add_one_each": adds,
        "fractions_of_full": {name: fractions(run) for name, run in runs.items()},
        "add_one_fractions_each": [fractions(run) for run in adds],
    }


def growth_exponents(sizes: list[int], runs: dict) -> dict:
    """Slope of log(time) against log(N), least squares over the sizes: 1 is linear, below 1 better."""
    if len(sizes) < 2:
        return {}
    xs = [math.log(n) for n in sizes]

    def slope(values: list[float]) -> float:
        ys = [math.log(v) for v in values]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs), 3)

    return {
        "wall": slope([runs[str(n)]["wall_s"] for n in sizes]),
        "cpu": slope([runs[str(n)]["cpu_s"] for n in sizes]),
        "in_flow": slope([runs[str(n)]["flow_s"] for n in sizes]),
        "extract": slope([runs[str(n)]["stage_s"]["extract"] for n in sizes]),
    }


# --- verdicts and the report -------------------------------------------------------------------


def verdicts(results: dict) -> list[dict]:
    """Each of issue 17's targets: the figure measured, with the figure before where this run measured it too."""
    rows = []

    def add(target: str, measured: str, met: bool | None) -> None:
        rows.append({"target": target, "measured": measured, "met": met})

    extraction = results.get("extraction")
    if extraction:
        r, two = extraction["ratios_to_bare_1_core"], extraction["two_processes_to_one"]
        add(
            f"project extraction ≥ {TARGETS['one_core_cpu_ratio']}× bare pdfplumber's pages per CPU second on one core",
            f"{r['project_1_core_cpu']}× in CPU time ({r['project_1_core_wall']}× wall-clock); the same reader on "
            f"pdfplumber's characters, in the same rounds: {r['project_1_core_pdfplumber_chars_cpu']}×; against bare "
            "pdfplumber reading pages as the project's reader does (each let go once read, one garbage collection "
            f"per page; itself {r['bare_pdfplumber_1_core_collected_per_page_cpu']}× bare pdfplumber): "
            f"{r['project_1_core_cpu_to_bare_collected_per_page']}×",
            r["project_1_core_cpu"] >= TARGETS["one_core_cpu_ratio"],
        )
        add(
            f"project extraction on two worker processes ≥ {TARGETS['two_process_ratio']}× one worker process",
            f"{two['project_wall']}× wall-clock (bare pdfplumber on two processes against one core: "
            f"{two['bare_pdfplumber_wall']}×)",
            two["project_wall"] >= TARGETS["two_process_ratio"],
        )
    add_one = (results.get("scaling") or {}).get("add_one")
    if add_one:
        f = add_one["fractions_of_full"]
        add(
            f"a refresh adding 1 report to {add_one['size']} ≤ {TARGETS['add_one_fraction']:.0%} of the full refresh",
            f"{f['add_one']['wall_s']:.1%} of its wall-clock time ({f['add_one']['cpu_s']:.1%} of its CPU seconds), "
            f"the median of {len(add_one['add_one_fractions_each'])} reports added one after another: "
            + ", ".join(f"{each['wall_s']:.1%}" for each in add_one["add_one_fractions_each"])
            + f"; before, one more report with `--full-rebuild`: {f['add_one_full_rebuild']['wall_s']:.1%} "
            f"({f['add_one_full_rebuild']['cpu_s']:.1%})",
            f["add_one"]["wall_s"] <= TARGETS["add_one_fraction"],
        )
        add(
            f"a no-op refresh of {add_one['size']} reports ≤ {TARGETS['noop_fraction']:.0%} of the full refresh",
            f"{f['no_op']['wall_s']:.1%} of its wall-clock time ({f['no_op']['cpu_s']:.1%} of its CPU seconds)",
            f["no_op"]["wall_s"] <= TARGETS["noop_fraction"],
        )
    refreshes = results.get("reference_refreshes")
    if refreshes:
        cost, new = refreshes["fixed_cost_s"], refreshes["one_new_file"]
        add(
            f"fixed cost of a refresh that does work (start-up + dbt + checks, one small document) ≤ "
            f"{TARGETS['fixed_cost_s']:.0f} s",
            f"{cost['one_new_file']} s, the median of {len(cost['one_new_file_each'])} new documents one after "
            f"another: {', '.join(f'{each} s' for each in cost['one_new_file_each'])} (the run of median wall-clock "
            f"time: start-up {new['startup_s']}, dbt {new['stage_s'].get('dbt', '–')}, checks "
            f"{new['stage_s'].get('expectations', '–')}; the whole refresh {new['wall_s']} s); before, "
            f"another new document with `--full-rebuild`: {cost['one_new_file_full_rebuild']} s",
            cost["one_new_file"] <= TARGETS["fixed_cost_s"],
        )
    scaling = results.get("scaling")
    if scaling and scaling["growth_exponent"]:
        g = scaling["growth_exponent"]
        sizes = sorted(int(n) for n in scaling["runs"])
        add(
            f"time linear in N up to N={sizes[-1]} (exponent ≤ {TARGETS['growth_exponent']})",
            f"exponent {g['wall']} wall-clock, {g['cpu']} CPU (without the extraction processes), {g['in_flow']} "
            f"in the flow, {g['extract']} extraction",
            g["wall"] <= TARGETS["growth_exponent"],
        )
        first, last = scaling["runs"][str(sizes[0])]["peak_memory"], scaling["runs"][str(sizes[-1])]["peak_memory"]
        in_flight_first, in_flight_last = documents_in_flight_mb(first), documents_in_flight_mb(last)
        growth = max(
            in_flight_last["refresh_process"] / max(in_flight_first["refresh_process"], 1),
            in_flight_last["process_tree"] / max(in_flight_first["process_tree"], 1),
            last["largest_extraction_process_mb"] / max(first["largest_extraction_process_mb"], 1),
        )
        add(
            f"memory flat with N while documents are processed (extract and stage; N={sizes[-1]} ≤ "
            f"{TARGETS['memory_growth']}× N={sizes[0]})",
            f"refresh process {in_flight_first['refresh_process']} → {in_flight_last['refresh_process']} MB, "
            f"process tree {in_flight_first['process_tree']} → {in_flight_last['process_tree']} MB, largest extraction "
            f"process {first['largest_extraction_process_mb']} → {last['largest_extraction_process_mb']} MB",
            growth <= TARGETS["memory_growth"],
        )
        whole = last["refresh_process_mb"] / max(first["refresh_process_mb"], 1)
        by_stage = last["refresh_process_mb_by_stage"]
        add(
            f"peak memory of the whole run (with checks and report over all marts; N={sizes[-1]} ≤ "
            f"{TARGETS['memory_growth']}× N={sizes[0]})",
            f"refresh process {first['refresh_process_mb']} → {last['refresh_process_mb']} MB "
            f"(peak stage at N={sizes[-1]}: {max(by_stage, key=by_stage.get)}), "
            f"process tree {first['process_tree_mb']} → {last['process_tree_mb']} MB",
            whole <= TARGETS["memory_growth"],
        )
    return rows


def documents_in_flight_mb(peak_memory: dict) -> dict[str, int]:
    """Peak memory while documents are extracted and staged (the part that must not grow with the corpus)."""
    return {
        who: max(peak_memory[f"{who}_mb_by_stage"].get(stage, 0) for stage in ("extract", "stage"))
        for who in ("refresh_process", "process_tree")
    }


def markdown(results: dict) -> str:
    m = results["machine"]
    out = [
        "# Benchmark results",
        "",
        f"Run {results['started_at']} → {results['finished_at']} ({results['duration_min']} min), "
        f"commit `{m['commit']}`, command `{results['command']}`.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['logical_cores']} logical cores ({m['physical_cores']} physical), {m['memory_gb']} GB RAM",
        f"- {m['os']}, Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        f"- load average (1/5/15 min) at start {m['load_average_at_start']}, at end {results['load_average_at_end']}: "
        "other work on the machine shares the cores, so wall-clock figures are compared only within one run, "
        "interleaved, as ratios.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    for row in results["verdicts"]:
        out.append(f"| {row['target']} | {row['measured']} | {'yes' if row['met'] else 'no'} |")
    extraction = results.get("extraction")
    if extraction:
        out += [
            "",
            f"## 1. Extraction: {len(extraction['files'])} reference PDFs, {extraction['pages']} pages, "
            f"{extraction['rounds']} interleaved round(s)",
            "",
            "| mode | pages/s (median) | wall s per run (one a round; worker modes one a pair, "
            f"{WORKER_PAIRS_PER_ROUND} pairs a round) | CPU s per round (in-process modes) |",
            "| --- | --- | --- | --- |",
        ]
        for mode, runs in extraction["runs"].items():
            out.append(
                f"| {mode} | {extraction['summary'][mode]['pages_per_s_median']} | "
                f"{', '.join(str(r['wall_s']) for r in runs)} | {', '.join(str(r.get('cpu_s') or '–') for r in runs)} |"
            )
        out += [
            "",
            "Ratios to bare pdfplumber on one core (median of per-round ratios): "
            + ", ".join(f"{k} {v}×" for k, v in extraction["ratios_to_bare_1_core"].items())
            + ". Two processes against one: "
            + ", ".join(f"{k} {v}×" for k, v in extraction["two_processes_to_one"].items())
            + " (the project's two worker processes against its one, the median of "
            f"{len(extraction['project_two_processes_to_one_per_pair'])} pairs run back to back: "
            + ", ".join(f"{r}×" for r in extraction["project_two_processes_to_one_per_pair"])
            + "; bare pdfplumber's two against its one core, per round).",
        ]
        b = extraction.get("breakdown")
        if b:
            out += [
                "",
                f"Where bare pdfplumber's CPU time goes ({b['pages_with_rules']} pages with drawn rules, "
                f"{b['pages_without_rules']} without): "
                + ", ".join(f"{k} {v} s ({b['share'][k]:.1%})" for k, v in b["cpu_seconds"].items())
                + ". The project runs the table finder only on pages with rules, so the skip saves the "
                f"'tables_on_pages_without_rules' share: {b['share']['tables_on_pages_without_rules']:.1%}.",
            ]
    refreshes = results.get("reference_refreshes")
    if refreshes:
        out += [
            "",
            "## 2–3. Refreshes of the reference corpus",
            "",
            _refresh_table(
                [
                    ("full", refreshes["full"]),
                    ("no-op", refreshes["noop"]),
                    ("no-op of a scheduled run (the flow on a running Prefect server)", refreshes["scheduled_noop"]),
                    *(
                        (f"one new file ({number}/{len(refreshes['one_new_file_each'])})", run)
                        for number, run in enumerate(refreshes["one_new_file_each"], start=1)
                    ),
                    ("one more new file, --full-rebuild", refreshes["one_new_file_full_rebuild"]),
                ]
            ),
        ]
        out += [
            "",
            f"Extraction inside the full refresh: {refreshes['full']['extract_pages_per_s']} pages/s "
            "(Prefect task per document, isolated child process, staging in batches as documents finish).",
            "",
            "Fractions of the full refresh: "
            + ", ".join(f"{k} {v:.1%}" for k, v in refreshes["fractions_of_full"].items())
            + ". Fixed cost (start-up + dbt + checks): "
            + ", ".join(f"{k} {v} s" for k, v in refreshes["fixed_cost_s"].items())
            + ".",
        ]
    scaling = results.get("scaling")
    if scaling:
        out += [
            "",
            "## 4. Synthetic corpora (generated scorecards and evaluations, half each)",
            "",
            _refresh_table([(f"N={n} ({run['pages']} pages)", run) for n, run in scaling["runs"].items()]),
            "",
            "Seconds per document: "
            + "; ".join(
                f"N={n}: {run['seconds_per_document']['wall']} total, {run['seconds_per_document']['extract']} extract "
                f"({run['extract_pages_per_s']} pages/s)"
                for n, run in scaling["runs"].items()
            )
            + f". Growth exponents (log time / log N): {scaling['growth_exponent']}.",
        ]
        add_one = scaling.get("add_one")
        if add_one:
            n = add_one["size"]
            out += [
                "",
                f"After the full refresh of N={n}: one report added (the build starts from the published warehouse), "
                f"{len(add_one['add_one_each'])} times, another report each time (add_one: the run of median "
                "wall-clock time), nothing new, and one more report added with `--full-rebuild` (every model built "
                "and tested):",
                "",
                _refresh_table(
                    [
                        *(
                            (f"N={n + number - 1}, add_one ({number}/{len(add_one['add_one_each'])})", run)
                            for number, run in enumerate(add_one["add_one_each"], start=1)
                        ),
                        *(
                            (f"N={n + len(add_one['add_one_each'])}, {name}", run)
                            for name, run in add_one["runs"].items()
                            if name != "add_one"
                        ),
                    ]
                ),
                "",
                "Fractions of the full refresh (wall-clock, CPU): "
                + ", ".join(f"{k} {v['wall_s']:.1%}, {v['cpu_s']:.1%}" for k, v in add_one["fractions_of_full"].items())
                + ".",
            ]
    out += [
        "",
        "## 5. Peak memory",
        "",
        "Resident set size sampled every 0.2 s: the refresh process, the largest single extraction process, and "
        "the whole process tree (Prefect's API server, dbt and extraction children included; shared pages "
        "are counted once per process). See the 'peak MB' columns above. Peak MB of the refresh process / the "
        "process tree in each stage:",
        "",
    ]
    stages = ["starting", "discover", "extract", "stage", "dbt", "expectations", "publish", "report"]
    out += ["| run | " + " | ".join(stages) + " |", "| --- " * (len(stages) + 1) + "|"]
    memory_rows = [("reference, full", refreshes["full"])] if refreshes else []
    memory_rows += [(f"N={n}", run) for n, run in (scaling or {}).get("runs", {}).items()]
    for label, run in memory_rows:
        mem = run["peak_memory"]
        out.append(
            f"| {label} | "
            + " | ".join(
                f"{mem['refresh_process_mb_by_stage'].get(s, '–')} / {mem['process_tree_mb_by_stage'].get(s, '–')}"
                for s in stages
            )
            + " |"
        )
    out.append("")
    return "\n".join(out)


def _refresh_table(rows: list[tuple[str, dict]]) -> str:
    stages = ["discover", "extract", "stage", "dbt", "expectations", "publish", "report"]
    lines = [
        "| run | wall s | CPU s | start-up s | "
        + " | ".join(f"{s} s" for s in stages)
        + " | exit s | peak MB (refresh / largest extraction / tree) | outcome |",
        "| --- " * (len(stages) + 7) + "|",
    ]
    for label, run in rows:
        mem = run["peak_memory"]
        lines.append(
            f"| {label} | {run['wall_s']} | {run.get('cpu_s', '–')} | {run['startup_s']} | "
            + " | ".join(str(run["stage_s"].get(s, "–")) for s in stages)
            + f" | {run['shutdown_s']} | {mem['refresh_process_mb']} / {mem['largest_extraction_process_mb']} / "
            f"{mem['process_tree_mb']} | {run['outcome']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one extraction round and N=50 only (a smoke run)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved extraction rounds (default 3)")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[50, 200, 500, 2000],
        help="synthetic corpus sizes (default 50 200 500 2000)",
    )
    parser.add_argument("--workers", type=int, default=None, help="refresh --workers (default: one per core)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where latest.json and latest.md go")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.sizes = 1, [50]  # no add-one runs: they are measured at N = ADD_ONE_AT
    started = time.perf_counter()
    results: dict = {
        "command": " ".join(["python benchmarks/run.py", *sys.argv[1:]]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(),
        "targets": TARGETS,
    }
    files = reference_pdfs()
    results["extraction"] = measure_extraction(files, args.rounds)
    log("pdfplumber breakdown")
    results["extraction"]["breakdown"] = measure_pdfplumber_breakdown(files)
    results["reference_refreshes"] = measure_reference_refreshes(files, args.workers)
    results["scaling"] = measure_scaling(sorted(args.sizes), args.workers)
    results["verdicts"] = verdicts(results)
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["duration_min"] = round((time.perf_counter() - started) / 60, 1)
    results["load_average_at_end"] = load()
    write_results("latest", results, markdown(results), args.out)


if __name__ == "__main__":
    main()
