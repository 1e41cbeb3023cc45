"""The batch progress bar on a terminal (rich): the core batch takes any ``progress(rows)`` callable."""

from __future__ import annotations

import sys

from socins_cli.batch.read import Source


def terminal_progress(label: str, source: Source | None = None, stream=None):
    """A rich progress bar on stderr, or None off a terminal.

    For a file of known size: bytes answered of its size as a bar and %,
    rows, rows/s and the time left; for a pipe, rows, rows/s and the time
    so far. Returns ``(update, stop)``; rich is imported only here.
    """
    stream = stream or sys.stderr
    if not stream.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    total = source.size if source is not None else None
    counted = TextColumn("{task.fields[rows]:,} rows {task.fields[rate]:,.0f}/s")
    if total:  # the bar takes what the figures leave, so 80 columns hold them all
        columns = (TextColumn("[bold]{task.description}"), BarColumn(bar_width=None), TaskProgressColumn(),
                   DownloadColumn(), counted, TextColumn("ETA"), TimeRemainingColumn())
    else:
        columns = (TextColumn("[bold]{task.description}"), counted, TimeElapsedColumn())
    progress = Progress(*columns, console=Console(file=stream), transient=True, expand=bool(total))
    task = progress.add_task(label, total=total or None, rows=0, rate=0.0)
    progress.start()

    def update(rows: int) -> None:
        elapsed = progress.tasks[0].elapsed or 1e-9
        done = source.consumed if source is not None and total else None
        progress.update(task, completed=done, rows=rows, rate=rows / elapsed)

    return update, progress.stop
