"""How long `gewh refresh` takes to start its flow, Prefect's API included, and what overlapping the two saves.

    .venv/bin/python benchmarks/prefect_startup.py              # 3 rounds, quiet and loaded (about 15 minutes)
    .venv/bin/python benchmarks/prefect_startup.py --rounds 1   # a smoke run

Each measurement is one `gewh refresh` (gewh.cli's app, run by `python -c` so that one variant can be patched)
of a one-report raw folder into a new warehouse, with no PREFECT_API_URL; its start-up ends when its flow takes the
writer lock (the lock file names a stage), i.e. what the refresh prints as "start-up": process start, imports,
Prefect's API, the flow run's creation.  The refresh is then killed (its server goes with it).  Measured:

- wall seconds to that moment, seen from outside, and the "ready in" the refresh printed;
- CPU seconds of the refresh and of the server it started, by then (both ways the start-up costs the machine);

for each way the API comes about, on a warm Python (the packages in the OS file cache):

- `first`: an empty PREFECT_HOME, as a fresh clone's first refresh (the database is created and migrated);
- `cold`: the first start on a copy of a used PREFECT_HOME (new files; a start just after boot would also read
  the packages from disk, which this shared machine cannot reproduce without emptying everyone's file cache);
- `warm`: a PREFECT_HOME started before;
- `sequential`: as warm, but the flow is imported only once the server answers (the order before the overlap);
  `sequential` − `warm` is what starting the server before importing Prefect and the flow saves;
- `reused`: a `gewh serve` server of the warehouse is running (this process stands for that serve: it starts the
  full server and writes the serve file); the refresh uses it and starts none;

quiet (whatever else runs on the machine: the load average is recorded) and loaded (two busy loops, one per core
of a 2-core machine, killed afterwards).  Rounds interleave the modes; figures are medians.  Writes
benchmarks/results/prefect_startup.json and .md; homes and warehouses go to benchmarks/work/prefect-startup/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gewh.prefect_api import advertised, prefect_api  # noqa: E402
from gewh.settings import Settings, apply_offline_environment  # noqa: E402

WORK = ROOT / "benchmarks" / "work" / "prefect-startup"
RESULTS = ROOT / "benchmarks" / "results"
MODES = ("first", "cold", "warm", "sequential")

# `gewh refresh RAW WAREHOUSE`; with "sequential", prefect_api waits for the server before its block begins, so
# the CLI imports the flow only once the server answers, as it did before the overlap.
DRIVER = """
import sys
from gewh import prefect_api
if sys.argv[1] == "sequential":
    waiting = prefect_api.prefect_api
    prefect_api.prefect_api = lambda *args, wait=True, **kwargs: waiting(*args, **kwargs)
from gewh.cli import app
app(["refresh", "--raw", sys.argv[2], "--warehouse", sys.argv[3]])
"""


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def measure(mode: str, raw: Path, home: Path, serve: tuple[str, psutil.Process] | None = None) -> dict:
    """One refresh's start-up (see the module's docstring); with ``serve`` (the API URL and process of a running
    server), this process advertises that server as the `gewh serve` of the refresh's warehouse."""
    warehouse = WORK / "warehouses" / f"{mode}-{time.time_ns()}" / "gender_equality.duckdb"
    warehouse.parent.mkdir(parents=True)
    settings = Settings(warehouse=warehouse)
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    environment |= {"PREFECT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    serve_cpu = cpu_seconds(serve[1]) if serve else 0.0
    before = load()
    with advertised(settings.serve_file, serve[0], settings.file_mode) if serve else nullcontext():
        began = time.perf_counter()
        refresh = subprocess.Popen(
            [sys.executable, "-c", DRIVER, mode, str(raw), str(warehouse)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        process = psutil.Process(refresh.pid)
        while not (settings.lock_file.exists() and "stage " in settings.lock_file.read_text()):
            if refresh.poll() is not None:
                raise RuntimeError(f"{mode}: the refresh ended before its flow started: {refresh.communicate()[1]}")
            time.sleep(0.02)
        wall = time.perf_counter() - began
        servers = [child for child in process.children(recursive=True) if "prefect.server" in " ".join(child.cmdline())]
        own_cpu = cpu_seconds(process)
        server_cpu = cpu_seconds(serve[1]) - serve_cpu if serve else sum(cpu_seconds(server) for server in servers)
        refresh.kill()  # its server gets SIGKILL with it (gewh.lifetime)
        stdout, _ = refresh.communicate()
        psutil.wait_procs(servers, timeout=30)
    ready = re.search(r"ready in ([\d.]+) s", stdout)
    return {
        "mode": mode,
        "startup_wall_s": round(wall, 2),
        "server_ready_printed_s": float(ready[1]) if ready else None,
        "refresh_cpu_s": round(own_cpu, 2),
        "server_cpu_s": round(server_cpu, 2),
        "servers_started": len(servers),
        "first_line": stdout.splitlines()[0] if stdout else "",
        "load_before": before,
        "load_after": load(),
    }


def raw_folder() -> Path:
    from samples.scorecard_pdf import build_scorecard_pdf, synthetic_spec

    raw = WORK / "raw"
    if not raw.is_dir():
        raw.mkdir(parents=True)
        build_scorecard_pdf(synthetic_spec("Ghana", 2023, year_columns=2, seed=1, long_cells=False), raw / "ghana.pdf")
    return raw


def home_for(mode: str, index: int, used_home: Path) -> Path:
    if mode == "first":
        home = WORK / "homes" / f"first-{index}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        return home
    if mode == "cold":
        home = WORK / "homes" / f"cold-{index}"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(used_home, home)
        return home
    return used_home


@contextmanager
def busy_cores(count: int):
    """``count`` processes that only spin, one core each; killed when the block ends."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        time.sleep(2)
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def run_phase(label: str, rounds: int, raw: Path, used_home: Path) -> list[dict]:
    runs = []
    for index in range(rounds):
        # Each round starts with another mode, so that no mode always follows the same one.
        order = MODES[index % len(MODES) :] + MODES[: index % len(MODES)]
        for mode in order:
            log(f"{label}, round {index + 1}: {mode}")
            runs.append(measure(mode, raw, home_for(mode, index, used_home)) | {"load": label})
    # A full server on the used home, as `gewh serve` starts it, standing for a serve of each refresh's warehouse.
    os.environ["PREFECT_HOME"] = str(used_home)
    with prefect_api("full") as api:
        [server] = [
            child for child in psutil.Process().children() if "prefect.server.api.server:create_app" in child.cmdline()
        ]
        for index in range(rounds):
            log(f"{label}, round {index + 1}: reused")
            runs.append(measure("reused", raw, used_home, (api.url, server)) | {"load": label})
    return runs


def summary(runs: list[dict]) -> dict:
    table: dict = {}
    for label in ("quiet", "loaded"):
        for mode in (*MODES, "reused"):
            chosen = [run for run in runs if run["load"] == label and run["mode"] == mode]
            if not chosen:
                continue
            table[f"{label}/{mode}"] = {
                key: round(statistics.median(run[key] for run in chosen if run[key] is not None), 2)
                if any(run[key] is not None for run in chosen)
                else None
                for key in ("startup_wall_s", "server_ready_printed_s", "refresh_cpu_s", "server_cpu_s")
            } | {"n": len(chosen)}
    return table


def saving(runs: list[dict], label: str) -> dict:
    """What the overlap saves: sequential − warm, per round (each round measures both), as the median."""
    warm = [run for run in runs if run["load"] == label and run["mode"] == "warm"]
    sequential = [run for run in runs if run["load"] == label and run["mode"] == "sequential"]
    differences = [s["startup_wall_s"] - w["startup_wall_s"] for s, w in zip(sequential, warm, strict=True)]
    cpu = [
        (s["refresh_cpu_s"] + s["server_cpu_s"]) - (w["refresh_cpu_s"] + w["server_cpu_s"])
        for s, w in zip(sequential, warm, strict=True)
    ]
    return {
        "wall_s_per_round": [round(d, 2) for d in differences],
        "median_wall_s": round(statistics.median(differences), 2),
        "median_cpu_s": round(statistics.median(cpu), 2),
    }


def write_markdown(result: dict, path: Path) -> None:
    lines = [
        "# Prefect start-up of `gewh refresh`",
        "",
        f"Measured {result['measured_at']} on {result['machine']['cpus']} CPUs ({result['machine']['cpu_model']}), "
        f"{result['rounds']} round(s) per mode; `benchmarks/prefect_startup.py` (its docstring says how). Medians.",
        "",
        "start-up = process start → the flow takes the writer lock (what the refresh prints as start-up); "
        'ready = the "local Prefect server ready in" it printed (with the overlap, no sooner than the flow is '
        "imported); CPU by then.",
        "",
        "| load | mode | start-up wall s | server ready s | refresh CPU s | server CPU s | n |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, row in result["summary"].items():
        label, mode = key.split("/")
        ready = "–" if row["server_ready_printed_s"] is None else row["server_ready_printed_s"]
        lines.append(
            f"| {label} | {mode} | {row['startup_wall_s']} | {ready} | {row['refresh_cpu_s']} | "
            f"{row['server_cpu_s']} | {row['n']} |"
        )
    lines += ["", "What starting the server before importing Prefect and the flow saves (sequential − warm):", ""]
    for label, figures in result["overlap_saving"].items():
        lines.append(
            f"- {label}: {figures['median_wall_s']} s of wall time (per round: {figures['wall_s_per_round']}), "
            f"{figures['median_cpu_s']} s of CPU"
        )
    lines += ["", "The refresh's first line, and the Prefect servers it started, per mode:", ""]
    for mode in (*MODES, "reused"):
        chosen = [run for run in result["runs"] if run["mode"] == mode]
        lines.append(
            f"- {mode}: {sorted({run['first_line'] for run in chosen})}, "
            f"servers started: {sorted({run['servers_started'] for run in chosen})}"
        )
    lines += ["", "Load average (1, 5, 15 min) before each measurement:", ""]
    lines += [f"- {run['load']}/{run['mode']}: {run['load_before']}" for run in result["runs"]]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--busy-loops", type=int, default=2, help="busy loops for the loaded phase (one per core)")
    rounds = parser.parse_args().rounds
    busy = parser.parse_args().busy_loops
    apply_offline_environment()
    shutil.rmtree(WORK / "warehouses", ignore_errors=True)
    raw = raw_folder()
    used_home = WORK / "homes" / "used"
    if not used_home.exists():
        log("a first start, to make the used PREFECT_HOME that warm, cold and reused start from")
        used_home.mkdir(parents=True)
        measure("warm", raw, used_home)
    runs = run_phase("quiet", rounds, raw, used_home)
    with busy_cores(busy):
        runs += run_phase("loaded", rounds, raw, used_home)
    shutil.rmtree(WORK / "warehouses", ignore_errors=True)
    result = {
        "measured_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "machine": {
            "cpus": os.cpu_count(),
            "cpu_model": _cpu_model(),
            "python": platform.python_version(),
        },
        "rounds": rounds,
        "busy_loops_when_loaded": busy,
        "summary": summary(runs),
        "overlap_saving": {label: saving(runs, label) for label in ("quiet", "loaded")},
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "prefect_startup.json").write_text(json.dumps(result, indent=2) + "\n")
    write_markdown(result, RESULTS / "prefect_startup.md")
    print((RESULTS / "prefect_startup.md").read_text())


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


if __name__ == "__main__":
    main()
