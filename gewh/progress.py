"""Progress of a refresh on the terminal: one bar per stage, the extraction bar advancing per document.

The flow reports every stage with `enter(...)` and every finished item with
`advance(...)` unconditionally; nothing is drawn unless the caller opened
`shown(True)` around the run (the CLI does so only when stdout is a terminal,
so logs and CI output carry just the summary).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


class _Bars:
    """The bars of the refresh under way; nothing is drawn while no `Progress` is attached (see `shown`)."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.current: TaskID | None = None
        self.counted = False

    def enter(self, stage: str, total: int | None) -> None:
        if self.progress is None:
            return
        self.finish()
        self.current = self.progress.add_task(stage, total=total, item="")
        self.counted = total is not None

    def advance(self, item: str, total: int | None) -> None:
        if self.progress is not None and self.current is not None:
            if total is not None:
                self.counted = True
            self.progress.update(self.current, advance=1, item=item, total=total)

    def finish(self) -> None:
        """Close the current bar at what was done (a stage without a total counts as one step)."""
        if self.progress is None or self.current is None:
            return
        done = self.progress.tasks[self.current].completed if self.counted else 1
        self.progress.update(self.current, total=done, completed=done, item="")
        self.current = None


# One per process: the refresh reports to it from inside the Prefect flow, which holds no handle on the CLI's display.
_bars = _Bars()


@contextmanager
def shown(enabled: bool, console: Console | None = None) -> Iterator[None]:
    """Draw the bars of the stages entered inside this block (when ``enabled``), on ``console`` (default stdout)."""
    if not enabled:
        yield
        return
    progress = Progress(
        SpinnerColumn(finished_text="[green]✓"),
        TextColumn("{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[item]}", style="dim"),
        console=console,
    )
    with progress:
        _bars.progress = progress
        try:
            yield
        finally:
            _bars.finish()
            _bars.progress = None


def enter(stage: str, total: int | None = None) -> None:
    """The refresh starts ``stage``; with ``total``, it will `advance` once per item (e.g. per document)."""
    _bars.enter(stage, total)


def advance(item: str, total: int | None = None) -> None:
    """One item of the current stage is done; ``item`` names it (shown beside the bar).  ``total`` gives the
    stage's number of items where only the stage itself learns it (dbt's nodes)."""
    _bars.advance(item, total)
