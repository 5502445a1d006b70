"""`gewh`: the command line of the warehouse."""

from __future__ import annotations

from pathlib import Path

import typer

from gewh.settings import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE

app = typer.Typer(help="UN gender-equality reports → DuckDB warehouse.", no_args_is_help=True, add_completion=False)


@app.callback()
def main() -> None:
    """Refresh and inspect the gender-equality warehouse."""


@app.command()
def refresh(
    raw: Path = typer.Option(DEFAULT_RAW_DIR, "--raw", help="Folder of report PDFs (searched recursively)."),
    warehouse: Path = typer.Option(DEFAULT_WAREHOUSE, "--warehouse", help="Published DuckDB file to build."),
    full: bool = typer.Option(False, "--full", help="Re-extract every file, even unchanged ones."),
    timeout: float = typer.Option(300.0, help="Per-document extraction time limit, seconds."),
    memory_mb: int = typer.Option(4096, help="Per-document extraction memory limit, MB."),
) -> None:
    """Extract new reports, rebuild the marts, check them and publish the warehouse."""
    from flows.refresh import refresh as refresh_flow
    from gewh.publish import RefreshAlreadyRunning

    try:
        summary = refresh_flow(raw_dir=raw, warehouse=warehouse, full=full, timeout_seconds=timeout, memory_limit_mb=memory_mb)
    except RefreshAlreadyRunning as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=75) from exc
    typer.echo(summary.render())
    if not summary.ok:
        typer.echo(f"error: not published: {summary.reason}", err=True)
        raise typer.Exit(code=1)
