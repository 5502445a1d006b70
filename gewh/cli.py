"""`gewh`: the command line of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from gewh.settings import Config, load_config

app = typer.Typer(help="UN gender-equality reports → DuckDB warehouse.", no_args_is_help=True, add_completion=False)

_RAW = typer.Option(None, "--raw", help="Folder of report PDFs, searched recursively (settings: refresh.raw).")
_WAREHOUSE = typer.Option(None, "--warehouse", help="Published DuckDB file (settings: refresh.warehouse).")
_TIMEOUT = typer.Option(None, "--timeout", help="Per-document extraction time limit, s (settings: refresh.timeout_seconds).")
_MEMORY = typer.Option(None, "--memory-mb", help="Per-document extraction memory limit, MB (settings: refresh.memory_limit_mb).")
_SETTINGS = typer.Option(None, "--settings", help="Settings file (default: gewh.toml in the repository).")


def _config(settings: Optional[Path], **flags) -> Config:
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
    raw: Optional[Path] = _RAW,
    warehouse: Optional[Path] = _WAREHOUSE,
    full: bool = typer.Option(False, "--full", help="Re-extract every file, even unchanged ones."),
    timeout: Optional[float] = _TIMEOUT,
    memory_mb: Optional[int] = _MEMORY,
    settings: Optional[Path] = _SETTINGS,
) -> None:
    """Extract new reports, rebuild the marts, check them and publish the warehouse."""
    from flows.refresh import refresh as refresh_flow
    from gewh.publish import RefreshAlreadyRunning

    config = _config(settings, raw=raw, warehouse=warehouse, timeout_seconds=timeout, memory_limit_mb=memory_mb)
    try:
        summary = refresh_flow(
            raw_dir=config.raw,
            warehouse=config.warehouse,
            full=full,
            timeout_seconds=config.timeout_seconds,
            memory_limit_mb=config.memory_limit_mb,
        )
    except RefreshAlreadyRunning as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=75) from exc
    typer.echo(summary.render())
    if not summary.ok:
        typer.echo(f"error: not published: {summary.reason}", err=True)
        raise typer.Exit(code=1)


@app.command()
def serve(
    cron: Optional[str] = typer.Option(None, "--cron", help="Cron schedule, UTC (settings: schedule.cron)."),
    raw: Optional[Path] = _RAW,
    warehouse: Optional[Path] = _WAREHOUSE,
    timeout: Optional[float] = _TIMEOUT,
    memory_mb: Optional[int] = _MEMORY,
    settings: Optional[Path] = _SETTINGS,
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
        refresh_flow.serve(
            name=name,
            cron=config.cron,
            parameters={
                "raw_dir": str(config.raw),
                "warehouse": str(config.warehouse),
                "timeout_seconds": config.timeout_seconds,
                "memory_limit_mb": config.memory_limit_mb,
            },
            print_starting_message=False,
        )
