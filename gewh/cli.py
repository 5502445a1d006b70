"""`gewh`: the command line of the warehouse."""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gewh.heap import freeze_at_exit, importing
from gewh.settings import DEFAULT_WAREHOUSE, Settings, apply_offline_environment, load_settings

if TYPE_CHECKING:
    from gewh.prefect_api import LocalServer
    from gewh.refresh.summary import RefreshSummary

app = typer.Typer(help="UN gender-equality reports → DuckDB warehouse.", no_args_is_help=True, add_completion=False)

_RAW = typer.Option(None, "--raw", help="Folder of report PDFs, searched recursively (settings: refresh.raw).")
_WAREHOUSE = typer.Option(None, "--warehouse", help="Published DuckDB file (settings: refresh.warehouse).")
_CPU = typer.Option(
    None, "--cpu-seconds", help="Per-document extraction CPU time limit, s (settings: refresh.cpu_limit_seconds)."
)
_TIMEOUT = typer.Option(
    None,
    "--timeout",
    help="Per-document wall-clock backstop, s, for a hung extraction (settings: refresh.timeout_seconds).",
)
_MEMORY = typer.Option(
    None, "--memory-mb", help="Per-document extraction memory limit, MB (settings: refresh.memory_limit_mb)."
)
_SETTINGS = typer.Option(None, "--settings", help="Settings file (default: gewh.toml in the repository).")


def _settings(settings_file: Path | None, **flags) -> Settings:
    try:
        return load_settings(settings_file).override(**flags)
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"gewh {version('gender-equality-warehouse')}")
        raise typer.Exit()


@app.callback()
def main(
    _version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Refresh and inspect the gender-equality warehouse."""
    # Before any command imports Prefect, dbt or Great Expectations (they read it when first imported).
    apply_offline_environment()
    freeze_at_exit()


@app.command()
def refresh(
    raw: Path | None = _RAW,
    warehouse: Path | None = _WAREHOUSE,
    full: bool = typer.Option(False, "--full", help="Re-extract every file, even unchanged ones."),
    full_rebuild: bool = typer.Option(
        False,
        "--full-rebuild",
        help="Build every mart from staging in an empty file, not from a copy of the published warehouse.",
    ),
    cpu_limit_seconds: float | None = _CPU,
    timeout_seconds: float | None = _TIMEOUT,
    memory_limit_mb: int | None = _MEMORY,
    workers: int | None = typer.Option(
        None,
        "--workers",
        help="Documents extracted at once, one process each (settings: refresh.workers; default: one per core).",
    ),
    dask_address: str | None = typer.Option(
        None,
        "--dask-address",
        help="Extract on this Dask scheduler, e.g. tcp://host:8786 (settings: refresh.dask_address).",
    ),
    settings_file: Path | None = _SETTINGS,
) -> None:
    """Extract new reports, rebuild the marts, check them, publish the warehouse and write its report.html.

    Shows a progress bar per stage (and per document while extracting) on a terminal; piped output gets only the summary.
    When nothing changed since the last publish, the run is recorded and ends without waiting for Prefect.
    Whatever stops a run (Prefect not starting, a full disk, an error, SIGINT, SIGTERM), it is recorded with a
    one-line reason, printed as one line naming the log file that holds the traceback.
    """
    settings = _settings(
        settings_file,
        raw=raw,
        warehouse=warehouse,
        full=full,
        full_rebuild=full_rebuild,
        cpu_limit_seconds=cpu_limit_seconds,
        timeout_seconds=timeout_seconds,
        memory_limit_mb=memory_limit_mb,
        workers=workers,
        dask_address=dask_address,
    )
    _refresh(settings)


def _refresh(settings: Settings) -> None:
    """Refresh as `gewh refresh` does: print the summary; exit unless published (or already up to date)."""
    from gewh.prefect_api import early_server
    from gewh.refresh.discover import raw_folder_problem

    problem = raw_folder_problem(settings.raw)
    if problem:
        # Before Prefect starts (seconds, or minutes on a busy machine) for a mistyped path or an empty folder.
        raise _fail(problem, code=2)
    # Started before the check that may settle the run (its imports and hashing, a second), which then runs while
    # the server starts; a run the check settles stops it unused and unannounced.
    server = early_server("api", settings.serve_file.resolve())
    try:
        _refresh_run(settings, server)
    finally:
        if server is not None:
            server.stop()


def _refresh_run(settings: Settings, server: LocalServer | None) -> None:
    from gewh.refresh.failure import exit_status, sigterm_raises
    from gewh.refresh.publish import RefreshAlreadyRunning
    from gewh.refresh.run import RefreshNotPublished, record_death
    from gewh.refresh.summary import RefreshSummary
    from gewh.refresh.uptodate import settle_if_up_to_date

    resolved = settings.override(raw=settings.raw.resolve(), warehouse=settings.warehouse.resolve())
    # Recorded in the run history if the refresh dies before its flow records a run of its own.
    begun = RefreshSummary.begin()
    try:
        with sigterm_raises():
            summary = settle_if_up_to_date(resolved) or _run_flow(settings, server)
    except RefreshAlreadyRunning as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=75) from exc
    except RefreshNotPublished as exc:
        summary = exc.summary
    except BaseException as exc:  # noqa: BLE001 - whatever stopped it, SIGINT included: recorded, one line, log file
        raise _fail(record_death(resolved, exc, begun), code=exit_status(exc)) from None
    summary.startup_seconds = summary.started_at.timestamp() - _process_started_at()
    typer.echo(summary.render())
    if not summary.ok:
        typer.echo(f"error: not published: {summary.reason}", err=True)
        raise typer.Exit(code=1)
    if summary.retry_next_run:
        # Published, but not all that the folder holds: a scheduler sees a status other than plain success.
        typer.echo(
            f"warning: published without {len(summary.retry_next_run)} document(s) that failed transiently; "
            "the next refresh tries them again",
            err=True,
        )
        raise typer.Exit(code=3)


@app.command()
def demo(
    folder: Path = typer.Option(
        DEFAULT_WAREHOUSE.parent / "samples",
        "--folder",
        help="Where the sample reports (FOLDER/raw) and their warehouse (FOLDER/gender_equality.duckdb) go.",
    ),
) -> None:
    """Generate sample reports (scorecards of six countries over the years, evaluations, an inventory) and refresh
    them into a warehouse of their own, with its report.html: the warehouse of your reports (raw/) is not touched.

    The samples are written the same every time, so running it again finds the warehouse up to date.
    """
    from gewh.analyst.report import report_path
    from samples.corpus import write_sample_corpus

    raw = folder.resolve() / "raw"
    written = write_sample_corpus(raw)
    typer.echo(f"sample reports: {len(written)} generated PDFs in {raw}")
    warehouse = raw.with_name(DEFAULT_WAREHOUSE.name)
    # gewh.toml's limits apply; its raw folder and warehouse stay the user's own.
    settings = _settings(None)
    _refresh(settings.override(raw=raw, warehouse=warehouse))
    # The command as the user can type it: `make demo` runs it from .venv/bin, which is not on their PATH.
    program = Path(sys.argv[0])
    gewh = str(program.resolve()) if program.name == "gewh" else "gewh"
    typer.echo(
        f"\nopen the report: {report_path(warehouse)}\n"
        f'query the samples: {gewh} query --warehouse {warehouse} "select * from marts.dim_reports"\n'
        f"your own reports: put them into {settings.raw} and run `make refresh` (or `{gewh} refresh`)"
    )


def _run_flow(settings: Settings, server: LocalServer | None) -> RefreshSummary:
    from gewh import progress
    from gewh.prefect_api import prefect_api
    from gewh.refresh.failure import prefect_run_errors_quiet

    with prefect_api("api", typer.echo, settings.serve_file.resolve(), wait=False, early=server) as api:
        # Imported while the server starts, on the other core (Prefect and the flow's modules: 1.5 to 3 s of CPU),
        # and not before: Prefect reads PREFECT_API_URL, set by now, when first imported.
        with importing():
            from flows.refresh.flow import refresh_on

            # And what Prefect would import only when the flow first runs: its engines, FastAPI's encoder of the
            # parameters (0.3 s of CPU, while the process would otherwise wait for the server).
            for module in ("prefect.flow_engine", "prefect.task_engine", "fastapi.encoders"):
                importlib.import_module(module)

        api.wait_until_ready()
        with progress.shown(sys.stdout.isatty()), prefect_run_errors_quiet(), api.flow_runs():
            return refresh_on(settings.dask_address)(
                raw=settings.raw,
                warehouse=settings.warehouse,
                full=settings.full,
                full_rebuild=settings.full_rebuild,
                cpu_limit_seconds=settings.cpu_limit_seconds,
                timeout_seconds=settings.timeout_seconds,
                memory_limit_mb=settings.memory_limit_mb,
                workers=settings.workers,
            )


def _process_started_at() -> float:
    """When this process started (epoch seconds).

    psutil's create_time adds the start offset to a boot time rounded to whole seconds; /proc/uptime
    gives the time since boot to 10 ms, so on Linux the start-up shown is right to the tenth.
    """
    import psutil

    try:
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        # Field 22 of /proc/self/stat, counted after the parenthesised command name (which may hold spaces).
        start_ticks = int(Path("/proc/self/stat").read_text().rpartition(")")[2].split()[19])
    except (OSError, ValueError, IndexError):
        return psutil.Process().create_time()
    return time.time() - (uptime - start_ticks / os.sysconf("SC_CLK_TCK"))


@app.command()
def serve(
    cron: str | None = typer.Option(None, "--cron", help="Cron schedule, UTC (settings: schedule.cron)."),
    raw: Path | None = _RAW,
    warehouse: Path | None = _WAREHOUSE,
    cpu_limit_seconds: float | None = _CPU,
    timeout_seconds: float | None = _TIMEOUT,
    memory_limit_mb: int | None = _MEMORY,
    settings_file: Path | None = _SETTINGS,
    name: str = typer.Option("scheduled-refresh", help="Name of the Prefect deployment."),
) -> None:
    """Serve the refresh as a Prefect deployment on a cron schedule (runs until stopped).

    Uses the Prefect server at PREFECT_API_URL when set; otherwise starts a local one for as long as it runs, which
    a `gewh refresh` of the same warehouse uses meanwhile.  One serve per warehouse: a second one exits (status 75).
    Runs missed while no serve ran are not replayed (gewh/schedule.py).
    """
    from gewh.prefect_api import advertised, prefect_api, serving
    from gewh.schedule import drop_runs_left_scheduled

    settings = _settings(
        settings_file,
        raw=raw,
        warehouse=warehouse,
        cpu_limit_seconds=cpu_limit_seconds,
        timeout_seconds=timeout_seconds,
        memory_limit_mb=memory_limit_mb,
        cron=cron,
    )
    # Resolved as `gewh refresh` resolves it (and the runner may change the working folder).
    serve_file = settings.serve_file.resolve()
    running = serving(serve_file)
    if running is not None:
        raise _fail(
            f"gewh serve already runs for {settings.warehouse} (pid {running.pid}, Prefect server at "
            f"{running.api_url.removesuffix('/api')}); stop it first",
            code=75,
        )
    with prefect_api("full", typer.echo, wait=False) as api, ExitStack() as advertising:
        # Imported while the server starts, not before: Prefect reads PREFECT_API_URL when first imported.
        from flows.refresh.flow import refresh as refresh_flow

        api.wait_until_ready()
        api_url = api.url
        deployment = f"{refresh_flow.name}/{name}"
        if api.started_here:
            advertising.enter_context(advertised(serve_file, api_url, settings.file_mode))
        typer.echo(
            f"serving deployment {deployment} on cron '{settings.cron}' (UTC) via {api_url}; "
            f"runs and logs at {api_url.removesuffix('/api')}; Ctrl-C stops"
        )
        dropped = drop_runs_left_scheduled(deployment)
        if dropped:
            typer.echo(
                f"dropped {dropped} run(s) of {deployment} that an earlier serve, stopped outright, left scheduled "
                "(missed runs are not replayed)"
            )
        if settings.dask_address:
            # A served run loads the flow from its entry point, with the task runner it was declared with.
            typer.echo("note: scheduled runs extract on this machine; dask_address applies to `gewh refresh`", err=True)
        refresh_flow.serve(
            name=name,
            cron=settings.cron,
            parameters={
                "raw": str(settings.raw),
                "warehouse": str(settings.warehouse),
                "cpu_limit_seconds": settings.cpu_limit_seconds,
                "timeout_seconds": settings.timeout_seconds,
                "memory_limit_mb": settings.memory_limit_mb,
                "workers": settings.workers,
                "print_headline": True,
            },
            print_starting_message=False,
        )


def _published(warehouse: Path | None, settings_file: Path | None) -> Path:
    return _settings(settings_file, warehouse=warehouse).warehouse


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=code)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """An analyst command's failure as one line: no published warehouse or a usage mistake (exit 2), or what
    DuckDB says about the file or the SQL (exit 1), never a traceback."""
    import duckdb

    try:
        yield
    except (OSError, ValueError) as exc:  # WarehouseNotFound is a FileNotFoundError
        raise _fail(str(exc), code=2) from exc
    except duckdb.Error as exc:
        raise _fail(str(exc)) from exc


@app.command()
def status(
    warehouse: Path | None = _WAREHOUSE,
    runs: int = typer.Option(5, "--runs", min=1, help="How many of the latest refresh runs to list."),
    settings_file: Path | None = _SETTINGS,
) -> None:
    """Last refresh runs, reports and documents by status, failed files with their errors, quality flags."""
    from gewh.analyst.display import make_console, print_table
    from gewh.analyst.status import warehouse_status

    with _one_line_errors():
        state = warehouse_status(_published(warehouse, settings_file), runs=runs)
    console = make_console()
    console.print(f"warehouse: {state.warehouse} (published {state.published_at:%Y-%m-%d %H:%M} UTC)")
    for section in state.sections:
        console.print()
        if section.rows:
            print_table(console, section.columns, section.rows, title=section.title)
        if section.note:
            console.print(f"{section.title}: {section.note}" if not section.rows else section.note, style="italic")


@app.command()
def query(
    sql: str | None = typer.Argument(None, help='The SQL to run, e.g. "select * from marts.dim_reports".'),
    file: Path | None = typer.Option(
        None, "--file", "-f", help="Read the SQL from this file (e.g. dbt_project/analyses/*.sql)."
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write every row to this .csv or .parquet file."),
    max_rows: int = typer.Option(100, "--max-rows", min=1, help="Rows to print (without --out)."),
    warehouse: Path | None = _WAREHOUSE,
    settings_file: Path | None = _SETTINGS,
) -> None:
    """Run SQL on the published warehouse, read-only: print a table, or write CSV/Parquet with --out."""
    from gewh.analyst.display import count, make_console, print_table
    from gewh.analyst.query import read_sql, run_query

    with _one_line_errors():
        result = run_query(_published(warehouse, settings_file), read_sql(sql, file), out=out, max_rows=max_rows)
    if result.out:
        typer.echo(f"wrote {count(result.row_count, 'row')} to {result.out}")
        return
    console = make_console()
    print_table(console, result.columns, result.rows)
    if result.truncated:
        console.print(f"{len(result.rows)} of {count(result.row_count, 'row')} (use --out for all)", style="italic")
    else:
        console.print(count(result.row_count, "row"), style="italic")


@app.command()
def export(
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Folder to write into (default: export/ beside the warehouse)."
    ),
    formats: list[str] = typer.Option(["parquet", "csv"], "--format", help="parquet and/or csv (repeat the option)."),
    warehouse: Path | None = _WAREHOUSE,
    settings_file: Path | None = _SETTINGS,
) -> None:
    """Write every mart to Parquet and CSV (<out>/parquet/<mart>.parquet, <out>/csv/<mart>.csv) for BI tools."""
    from gewh.analyst.export import export_marts

    published = _published(warehouse, settings_file)
    target = out or published.with_name("export")
    with _one_line_errors():
        exported = export_marts(published, target, tuple(formats))
    for mart in exported:
        typer.echo(f"{mart.mart}: {mart.rows} rows")
    typer.echo(f"exported {len(exported)} marts ({', '.join(formats)}) to {target}")


@app.command()
def docs(
    warehouse: Path | None = _WAREHOUSE,
    settings_file: Path | None = _SETTINGS,
) -> None:
    """Build the dbt docs (models, columns, lineage, exposures) and the Great Expectations Data Docs; print where."""
    from gewh.analyst.docs import build_docs

    try:
        built = build_docs(_published(warehouse, settings_file), announce=typer.echo)
    except RuntimeError as exc:
        raise _fail(str(exc)) from exc
    catalog = "" if built.with_catalog else " (no published warehouse yet: without column types and row counts)"
    typer.echo(f"dbt docs: {built.dbt_docs}{catalog}")
    if built.data_docs:
        typer.echo(f"data docs: {built.data_docs}")
    else:
        typer.echo("data docs: none yet (a refresh writes them)")


@app.command()
def report(
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Index page to write (default: report.html beside the warehouse); country pages go to the folder "
        "of its name (report/).",
    ),
    warehouse: Path | None = _WAREHOUSE,
    settings_file: Path | None = _SETTINGS,
) -> None:
    """Write the HTML report of the published warehouse again: the index comparing countries and one page per
    country (every publish writes them; only pages whose rows changed are redrawn)."""
    from gewh.analyst.display import count
    from gewh.analyst.report import write_report_pages

    with _one_line_errors():
        written = write_report_pages(_published(warehouse, settings_file), out)
    typer.echo(f"report: {written.index} ({count(written.pages, 'country page')}, {len(written.redrawn)} redrawn)")
