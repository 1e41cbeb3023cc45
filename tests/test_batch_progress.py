"""The batch progress bar: bytes answered of the file's size, rows, rows/s, time left; right with workers."""

from __future__ import annotations

import io

from cli_helpers import REPO
from socins_cli.batch import run as batch
from socins_cli.batch.jobs import make_job
from socins_cli.cli.progress import terminal_progress
from socins_cli.law.load import load_law


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeSource:
    size = 2_000_000
    consumed = 0


def test_bar_shows_percent_bytes_rows_rate_and_time_left_for_a_file():
    screen, source = Terminal(), FakeSource()
    update, stop = terminal_progress("socins check", source, stream=screen)
    source.consumed = 1_000_000
    update(12_345)
    stop()
    shown = screen.getvalue()
    for part in ("50%", "1.0/2.0 MB", "12,345 rows", "/s", "ETA"):
        assert part in shown, (part, shown)


def test_bar_for_a_pipe_shows_rows_and_rate_without_a_percentage():
    screen = Terminal()
    update, stop = terminal_progress("socins check", None, stream=screen)
    update(7)
    stop()
    assert "7 rows" in screen.getvalue() and "%" not in screen.getvalue()


def test_with_workers_the_bytes_done_grow_with_the_answered_blocks(tmp_path):
    rows = (REPO / "examples" / "people.jsonl").read_bytes()
    path = tmp_path / "many.jsonl"
    path.write_bytes(rows * 80)  # about 3 MiB: several blocks, so the workers share them out
    seen = []
    holder = {}

    def progress(n: int) -> None:
        seen.append((n, holder["source"].consumed))

    with open(tmp_path / "out.jsonl", "wb") as out:
        counts = batch.run_file(make_job("check", load_law()), str(path), out=out, workers=2, progress=progress,
                                on_source=lambda s: holder.update(source=s))
    assert counts.rows == 300 * 80
    done = [b for _, b in seen]
    assert done == sorted(done)
    assert 0 < done[0] < path.stat().st_size  # not full from the start
    assert done[-1] == path.stat().st_size
