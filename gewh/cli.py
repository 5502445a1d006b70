"""`gewh`: the command line of the warehouse."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import typer

from gewh.settings import Config, load_config

app = typer.Typer(help="UN gender-equality reports → DuckDB warehouse.", no_args_is_help=True, add_completion=False)

_RAW = typer.Option(None, "--raw", help="Folder of report PDFs, searched recursively (settings: refresh.raw).")
_WAREHOUSE = typer.Option(None, "--warehouse", help="Published DuckDB file (settings: refresh.warehouse).")
_TIMEOUT = typer.Option(
    None, "--timeout", help="Per-document extraction time limit, s (settings: refresh.timeout_seconds)."
)
_MEMORY = typer.Option(
    None, "--memory-mb", help="Per-document extraction memory limit, MB (settings: refresh.memory_limit_mb)."
)
_SETTINGS = typer.Option(None, "--settings", help="Settings file (default: gewh.toml in the repository).")


def _config(settings: Path | None, **flags) -> Config:
    try:
        return load_config(settings).override(**flags)
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc


@app.callback()
def main() -> None:
    """Refresh and inspect the gender-equality warehouse."""


@app.command()
def refresh(
    raw: Path | None = _RAW,
    warehouse: Path | None = _WAREHOUSE,
    full: bool = typer.Option(False, "--full", help="Re-extract every file, even unchanged ones."),
    timeout: float | None = _TIMEOUT,
    memory_mb: int | None = _MEMORY,
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
    settings: Path | None = _SETTINGS,
) -> None:
    """Extract new reports, rebuild the marts, check them, publish the warehouse and write its report.html.

    Shows a progress bar per stage (and per document while extracting) on a terminal; piped output gets only the summary.
    When nothing changed since the last publish, the run is recorded and ends without starting Prefect.
    """
    from gewh import progress
    from gewh.publish import RefreshAlreadyRunning
    from gewh.settings import RefreshSettings
    from gewh.uptodate import settle_if_up_to_date

    config = _config(
        settings,
        raw=raw,
        warehouse=warehouse,
        timeout_seconds=timeout,
        memory_limit_mb=memory_mb,
        workers=workers,
        dask_address=dask_address,
    )
    try:
        summary = settle_if_up_to_date(
            RefreshSettings(raw_dir=config.raw.resolve(), warehouse=config.warehouse.resolve(), full=full)
        )
        if summary is None:
            # Imported only when needed: importing Prefect and starting its API is most of a no-op's cost.
            from flows.refresh import refresh_on

            with progress.shown(sys.stdout.isatty()):
                summary = refresh_on(config.dask_address)(
                    raw_dir=config.raw,
                    warehouse=config.warehouse,
                    full=full,
                    timeout_seconds=config.timeout_seconds,
                    memory_limit_mb=config.memory_limit_mb,
                    workers=config.workers,
                )
    except RefreshAlreadyRunning as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=75) from exc
    summary.startup_seconds = summary.started_at.timestamp() - _process_started_at()
    typer.echo(summary.render())
    if not summary.ok:
        typer.echo(f"error: not published: {summary.reason}", err=True)
        raise typer.Exit(code=1)


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
    timeout: float | None = _TIMEOUT,
    memory_mb: int | None = _MEMORY,
    settings: Path | None = _SETTINGS,
    name: str = typer.Option("scheduled-refresh", help="Name of the Prefect deployment."),
) -> None:
    """Serve the refresh as a Prefect deployment on a cron schedule (runs until stopped).

    Uses the Prefect server at PREFECT_API_URL when set; otherwise starts a local one for as long as it runs.
    """
    from gewh.scheduling import prefect_api

    config = _config(
        settings, raw=raw, warehouse=warehouse, timeout_seconds=timeout, memory_limit_mb=memory_mb, cron=cron
    )
    with prefect_api() as api_url:
        # Imported only now: Prefect reads PREFECT_API_URL when the flow's client is first created.
        from flows.refresh import refresh as refresh_flow

        typer.echo(f"serving deployment refresh/{name} on cron '{config.cron}' (UTC) via {api_url}; Ctrl-C stops")
        if config.dask_address:
            # A served run loads the flow from its entry point, with the task runner it was declared with.
            typer.echo("note: scheduled runs extract on this machine; dask_address applies to `gewh refresh`", err=True)
        refresh_flow.serve(
            name=name,
            cron=config.cron,
            parameters={
                "raw_dir": str(config.raw),
                "warehouse": str(config.warehouse),
                "timeout_seconds": config.timeout_seconds,
                "memory_limit_mb": config.memory_limit_mb,
                "workers": config.workers,
            },
            print_starting_message=False,
        )


def _published(warehouse: Path | None, settings: Path | None) -> Path:
    return _config(settings, warehouse=warehouse).warehouse


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=code)


@app.command()
def status(
    warehouse: Path | None = _WAREHOUSE,
    runs: int = typer.Option(5, "--runs", min=1, help="How many of the latest refresh runs to list."),
    settings: Path | None = _SETTINGS,
) -> None:
    """Last refresh runs, reports and documents by status, failed files with their errors, quality flags."""
    from gewh.display import make_console, print_table
    from gewh.query import WarehouseNotFound
    from gewh.status import warehouse_status

    try:
        state = warehouse_status(_published(warehouse, settings), runs=runs)
    except WarehouseNotFound as exc:
        raise _fail(str(exc), code=2) from exc
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
    file: Path | None = typer.Option(None, "--file", "-f", help="Read the SQL from this file (e.g. analyses/*.sql)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write every row to this .csv or .parquet file."),
    max_rows: int = typer.Option(100, "--max-rows", min=1, help="Rows to print (without --out)."),
    warehouse: Path | None = _WAREHOUSE,
    settings: Path | None = _SETTINGS,
) -> None:
    """Run SQL on the published warehouse, read-only: print a table, or write CSV/Parquet with --out."""
    import duckdb

    from gewh.display import count, make_console, print_table
    from gewh.query import WarehouseNotFound, read_sql, run_query

    try:
        result = run_query(_published(warehouse, settings), read_sql(sql, file), out=out, max_rows=max_rows)
    except WarehouseNotFound as exc:
        raise _fail(str(exc), code=2) from exc
    except (OSError, ValueError) as exc:
        raise _fail(str(exc), code=2) from exc
    except duckdb.Error as exc:
        raise _fail(str(exc)) from exc
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
    settings: Path | None = _SETTINGS,
) -> None:
    """Write every mart to Parquet and CSV (<out>/parquet/<mart>.parquet, <out>/csv/<mart>.csv) for BI tools."""
    from gewh.export import export_marts
    from gewh.query import WarehouseNotFound

    published = _published(warehouse, settings)
    target = out or published.with_name("export")
    try:
        exported = export_marts(published, target, tuple(formats))
    except WarehouseNotFound as exc:
        raise _fail(str(exc), code=2) from exc
    except ValueError as exc:
        raise _fail(str(exc), code=2) from exc
    for mart in exported:
        typer.echo(f"{mart.mart}: {mart.rows} rows")
    typer.echo(f"exported {len(exported)} marts ({', '.join(formats)}) to {target}")


@app.command()
def docs(
    warehouse: Path | None = _WAREHOUSE,
    settings: Path | None = _SETTINGS,
) -> None:
    """Build the dbt docs (models, columns, lineage, exposures) and the Great Expectations Data Docs; print where."""
    from gewh.docs import build_docs

    try:
        built = build_docs(_published(warehouse, settings))
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
        None, "--out", "-o", help="HTML file to write (default: report.html beside the warehouse)."
    ),
    warehouse: Path | None = _WAREHOUSE,
    settings: Path | None = _SETTINGS,
) -> None:
    """Write the HTML report of the published warehouse again (every publish writes it)."""
    from gewh.query import WarehouseNotFound
    from gewh.report import write_report

    try:
        written = write_report(_published(warehouse, settings), out)
    except WarehouseNotFound as exc:
        raise _fail(str(exc), code=2) from exc
    typer.echo(f"report: {written}")
