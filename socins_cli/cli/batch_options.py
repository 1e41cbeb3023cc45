"""Batch mode for ``socins check --input`` and ``socins retirement --input``.

``run_batch_command(...)`` is what a command calls when ``--input`` is given:
it loads the law, runs the job over the rows, shows a progress bar on a
terminal (unless ``quiet``), prints the one-line failure summary on stderr,
and returns the exit code: 0, 2 when any row failed, 0 quietly when stdout
closes early (``| head``), 130 on Ctrl-C. The options below are typer
parameters a command can declare as they are.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

__all__ = ["run_batch_command", "InputOption", "InputFormatOption", "OutputOption", "EncodingOption",
           "BomOption", "QuietOption", "WorkersOption", "FieldsOption", "BriefOption"]

InputOption = typer.Option(None, "--input", help="Batch: a JSON Lines, CSV, TSV or Parquet file of person rows, or - for stdin.")
InputFormatOption = typer.Option(None, "--input-format", help="jsonl, csv, tsv or parquet (default: from the extension, else sniffed).")
OutputOption = typer.Option(None, "--output", "-o", help="Batch: write to this file instead of stdout (needed for Parquet).")
EncodingOption = typer.Option("auto", "--encoding", help="auto, utf-8 or gb18030: encoding of CSV/JSONL input (auto: BOM, else UTF-8 if it decodes, else whichever fails on fewer bytes).")
BomOption = typer.Option(False, "--bom", help="Write CSV/TSV as UTF-8 with a byte-order mark, so Excel reads it as UTF-8.")
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bar.")
FieldsOption = typer.Option(
    None, "--fields", metavar="FIELDS",
    help="Batch: only these fields, in this order, as JSON Lines keys or CSV columns: carried columns (person_id), "
         "as_of, line, error, person.category and the other attributes, and the job's own fields: for check "
         "SCHEME.status, .payers, .settled, .citations (SCHEME a scheme id as socins check lists them) and "
         "inequities; for retirement retirement_month, statutory_age.years, minimum_contribution_years and the "
         "other keys of its JSON.")
BriefOption = typer.Option(
    False, "--brief",
    help="Batch: a compact row (about 1.4 KB): per scheme status, settled, payers and citations as references "
         "(sil:10:2), the finding ids and the partial sources; no notes, no prose.")
WorkersOption = typer.Option("0", "--workers", metavar="N", help="Batch: processes answering a JSON Lines file into JSON Lines (or rows of --fields, or check's --brief rows), each writing its blocks to the output (0: one per usable core, at most 4, for a file of 3 MiB or more; 1: none, best on a machine already busy). The output is the same.")


def _worker_count(given: int | str) -> int:
    """``--workers`` as a count, or the InputError naming it (the parser's own words were not socins's)."""
    from socins_cli.errors import InputError

    if isinstance(given, int) and given >= 0:
        return given
    text = str(given).strip()
    if not (text.isascii() and text.isdigit()):
        raise InputError("workers", given, "expected a whole number, 0 or more (0: one per usable core)")
    return int(text)


def _default_workers(given: int | str) -> bool:
    """Whether ``--workers`` reads as its default, 0 (``00`` too, as a batch reads it)."""
    from socins_cli.errors import InputError

    try:
        return _worker_count(given) == 0
    except InputError:  # not a count at all: given, and refused for one person as any other count is
        return False


def run_batch_command(
    job_name: str,
    input: str,
    input_format: Optional[str] = None,
    output_format: Optional[str] = None,
    encoding: str = "auto",
    bom: bool = False,
    quiet: bool = False,
    output: Optional[str] = None,
    workers: int | str = 0,
    as_of: Optional[str] = None,
    law=None,
    fields: Optional[str] = None,
    brief: bool = False,
) -> int:
    """Run ``check`` or ``retirement`` over ``input``; the exit code (see the module docstring).

    ``output_format`` ``None``/``table``/``json`` mean JSON Lines (or the
    ``output`` file's extension); ``as_of`` is the date for rows without one.
    ``fields`` (``a,b,c``) or ``brief`` send the rows through a
    ``batch_fields.Projection``.
    """
    from socins_cli.batch import run as batch
    from socins_cli.batch.jobs import make_job
    from socins_cli.cli.progress import terminal_progress
    from socins_cli.dates import parse_date
    from socins_cli.law.load import load_law

    workers = _worker_count(workers)
    law = law if law is not None else load_law()
    job = make_job(job_name, law)
    default_as_of = parse_date(as_of, "as_of") if as_of else None
    fmt = None if output_format in (None, "table", "json") else output_format
    state = {}

    def on_source(source) -> None:
        if not quiet:
            state["update"], state["stop"] = terminal_progress(f"socins {job_name}", source)

    def progress(rows: int) -> None:
        update = state.get("update")
        if update is not None:
            update(rows)

    projected = _projection_format(fields, brief, fmt, output)

    def run() -> int:
        target = None
        try:
            if projected is None:
                counts = batch.run_file(job, input, input_format, fmt, encoding=encoding, bom=bom, output=output,
                                        default_as_of=default_as_of, progress=progress, on_source=on_source,
                                        workers=workers)
            else:
                from socins_cli.batch.fields import Projection, parse_fields

                from socins_cli.batch.write import open_output

                target = open_output(output) if output is not None else None
                sink = Projection(target or sys.stdout.buffer, job_name, projected, fields=parse_fields(fields),
                                  brief_rows=brief, bom=bom, law=law)
                counts = batch.run_file(job, input, input_format, "jsonl", encoding=encoding, out=sink,
                                        default_as_of=default_as_of, progress=progress, on_source=on_source,
                                        workers=workers)
                sink.close()
        finally:
            if target is not None:
                target.close()
            stop = state.get("stop")
            if stop is not None:
                stop()
        summary = counts.summary()
        if summary:
            sys.stderr.write(f"socins: {summary}\n")
        return int(counts.exit_code)

    return batch.guarded(run)


def _projection_format(fields: Optional[str], brief: bool, fmt: Optional[str], output: Optional[str]) -> Optional[str]:
    """The format a ``--fields``/``--brief`` projection writes, or None when neither is asked for."""
    from socins_cli.errors import InputError

    if fields is None and not brief:
        return None
    if fields is not None and brief:
        raise InputError("brief", "--brief", "cannot be combined with --fields: choose the fields, or the brief row")
    wanted = fmt or (output.rsplit(".", 1)[-1].lower() if output and "." in output else "jsonl")
    if wanted not in ("jsonl", "csv", "tsv"):
        raise InputError("format", wanted, "--fields and --brief write jsonl, csv or tsv")
    return wanted


def one_person_only(input: Optional[str], **options) -> None:
    """A person's options (``--category`` …) with ``--input``: the rows give those, so say so instead of ignoring them.

    ``--as-of`` is not among them: it is the date of rows that give none.
    """
    from socins_cli.errors import InputError

    if input is None:
        return
    for name, value in options.items():
        if value not in (None, False):
            raise InputError(name, value, "is a column of the rows with --input, not an option; give it in the input "
                                          "(or leave --input out to ask about one person)")


def not_for_batches(input: Optional[str], **options) -> None:
    """An option that shapes one person's answer (``--explain``, ``--quote``) with ``--input``: refused, not ignored;
    a batch row is the answer alone, and a column of that name is carried, not read."""
    from socins_cli.errors import InputError

    for name, value in options.items():
        if input is not None and value:
            raise InputError(name, value, "is not available with --input: a batch row gives the answer without it; "
                                          "ask about one person (leave --input out) to have it")


def batch_only(fields: Optional[str], brief: bool, output: Optional[str] = None, input_format: Optional[str] = None,
               encoding: str = "auto", bom: bool = False, workers: int | str = "0") -> None:
    """Options that shape batch rows or their files, given for one person: refused, not ignored (``--output``
    had left no file and printed the answer)."""
    from socins_cli.errors import InputError

    if fields is not None or brief:
        raise InputError("fields" if fields is not None else "brief", fields or "--brief",
                         "applies to batch rows (--input FILE); for one person use --format json and pick the fields")
    given = {"output": output, "input_format": input_format, "encoding": None if encoding == "auto" else encoding,
             "bom": bom or None, "workers": None if _default_workers(workers) else workers}
    for name, value in given.items():
        if value is not None:
            raise InputError(name, "--bom" if value is True else value,
                             "applies to batches (--input FILE), not to one person's answer"
                             + ("; it goes to stdout (redirect it: > FILE)" if name == "output" else ""))
