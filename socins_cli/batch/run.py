"""Batch mode: every input row yields exactly one output row or one error record, in input order.

``run_batch(rows, job, out, fmt)`` (``batch_rows``) streams rows through a
job into a sink with bounded caches and returns ``BatchCounts``; the CLI
exits 2 when any row failed and prints ``counts.summary()`` on stderr.

``run_file`` is the same from a path (``-`` for stdin), picking the reader
from the format and the Parquet path (``batch_arrow``) when asked.
``guarded`` ends a closed pipe (``| head``) quietly and Ctrl-C with 130.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from typing import BinaryIO, Callable

from socins_cli.batch import parallel as batch_parallel
from socins_cli.batch.read import Source, format_of, read_rows
from socins_cli.batch.resolve import Job
from socins_cli.batch.rows import CACHE_BYTES, BatchCounts, make_sink, reserved_names, run_batch
from socins_cli.batch.write import OUTPUT_FORMATS, open_output
from socins_cli.dates import today
from socins_cli.errors import ExitCode, InputError
from socins_cli.formats import silence_stdout

__all__ = ["BatchCounts", "Job", "run_batch", "run_file", "guarded", "make_sink", "reserved_names", "OUTPUT_FORMATS"]

def run_file(
    job: Job,
    input: str = "-",
    input_format: str | None = None,
    output_format: str | None = None,
    encoding: str = "auto",
    bom: bool = False,
    out: BinaryIO | None = None,
    output: str | None = None,
    default_as_of=None,
    progress: Callable[[int], None] | None = None,
    on_source: Callable[[Source], None] | None = None,
    workers: int = 1,
) -> BatchCounts:
    """``run_batch`` over a file or stdin; Parquet in or out goes the columnar way.

    ``workers`` above 1 answers JSON Lines into JSON Lines, or into a
    projection (``--brief``, ``--fields``), on that many processes
    (``batch_parallel``; the output is the same) when the output is a file,
    a pipe or a terminal the workers can write to; 0 picks one per usable
    core.
    """
    _refuse_writing_what_is_read(input, output, out)
    out_fmt = _output_format(output_format, output)
    if out_fmt == "parquet" and output is None:
        raise InputError("output", "-", "Parquet output needs --output FILE.parquet")
    if input != "-" and format_of(input, input_format) == "parquet":
        from socins_cli.batch.arrow import run_parquet

        if on_source is not None:
            on_source(None)
        return run_parquet(job, input, output, out_fmt, out=out, bom=bom, default_as_of=default_as_of,
                           progress=progress)
    source = Source(input, encoding)
    try:
        fmt = format_of(input, input_format, source.head)
        if fmt == "parquet":
            raise InputError("input", input, "Parquet input must be a file (it is read from its footer), not stdin")
        if on_source is not None:
            on_source(source)
        if out_fmt == "parquet":
            raise InputError("format", "parquet", f"Parquet output needs Parquet input; this input is {fmt}")
        if workers == 0:
            workers = batch_parallel.default_workers(input)
        if fmt == "jsonl" and out_fmt == "jsonl" and workers > 1 and input != "-" and batch_parallel.suits(input) \
                and (output is not None or batch_parallel.descriptor(
                    batch_parallel.target_of(out if out is not None else sys.stdout.buffer)) is not None):
            return _run_parallel(job, source, output, out, workers, default_as_of, progress)
        rows = read_rows(source, fmt)
        if output is not None:
            with open_output(output) as fh:
                return run_batch(rows, job, fh, out_fmt, bom=bom, default_as_of=default_as_of, progress=progress)
        return run_batch(rows, job, out if out is not None else sys.stdout.buffer, out_fmt, bom=bom,
                         default_as_of=default_as_of, progress=progress)
    finally:
        source.close()


def _refuse_writing_what_is_read(input: str, output: str | None, out: BinaryIO | None) -> None:
    """An InputError where the output is the input file (``--output`` the same path, a link to it, or stdout
    appended to it): a batch would overwrite the rows it reads, or read its own answers back without end."""
    try:
        read = os.fstat(sys.stdin.fileno()) if input == "-" else os.stat(input)
    except (OSError, ValueError, AttributeError):  # no such input (said when it is opened), or no stdin
        return
    if not stat.S_ISREG(read.st_mode):
        return
    try:
        if output is not None:
            written, where = os.stat(output), output
        else:
            written, where = os.fstat((out if out is not None else sys.stdout).fileno()), "stdout"
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):  # a new file, or no descriptor
        return
    if os.path.samestat(read, written):
        read_from = "stdin" if input == "-" else input
        raise InputError("output", where, f"is the input file ({read_from}): writing there would overwrite the rows "
                                          "being read; write to another file")


def _run_parallel(job: Job, source: Source, output: str | None, out, workers: int, default_as_of, progress):
    counts = BatchCounts()
    on = default_as_of if default_as_of is not None else today()  # one day for every worker, even past midnight
    args = (job, source.path, source.encoding, source.how())
    if progress is not None:  # the workers read the file: the bar follows the blocks answered, not the reads
        shown = progress

        def progress(rows: int) -> None:
            source.consumed = counts.bytes_done
            shown(rows)

    if output is not None:
        with open_output(output) as fh:
            batch_parallel.run_jsonl_file(*args, fh, workers, on, progress, CACHE_BYTES, counts)
    else:
        target = out if out is not None else sys.stdout.buffer
        batch_parallel.run_jsonl_file(*args, target, workers, on, progress, CACHE_BYTES, counts)
        target.flush()
    if progress is not None:
        progress(counts.rows)
    return counts


def _output_format(explicit: str | None, output: str | None) -> str:
    if explicit in (None, "", "json", "jsonl"):
        if explicit is None and output is not None:
            ext = os.path.splitext(output)[1].lower().lstrip(".")
            fmt = {"parquet": "parquet", "pq": "parquet", "csv": "csv", "tsv": "tsv"}.get(ext)
            if fmt:
                return fmt
        return "jsonl"
    if explicit not in OUTPUT_FORMATS:
        raise InputError("format", explicit, "expected one of " + "|".join(OUTPUT_FORMATS) + " in batch mode "
                                             "(json and table give JSON Lines)")
    return explicit


def guarded(run: Callable[[], int], stderr=None) -> int:
    """Run ``run()`` for its exit code; a closed pipe ends quietly (0), Ctrl-C with 130 and one line."""
    try:
        return run()
    except BrokenPipeError:
        silence_stdout()
        return ExitCode.OK
    except KeyboardInterrupt:
        print("socins: interrupted", file=stderr or sys.stderr)
        return ExitCode.INTERRUPTED
