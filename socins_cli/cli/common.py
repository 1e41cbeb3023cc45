"""Options and output plumbing shared by every command (typer only; rich stays lazy)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from socins_cli.errors import InputError

ALL_FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")


def format_option(allowed: tuple[str, ...] = ALL_FORMATS, stream: bool = False, piped: Optional[str] = None):
    """``--format`` offering exactly the formats the command accepts, so help never promises one it refuses.

    ``stream``: the command writes JSON Lines when piped (``resolve_format(..., stream=True)``), and says so.
    ``piped``: what it writes when piped, where that depends on its other options (``cite --file``).
    """
    piped = piped or ("JSON Lines" if stream else "JSON")
    return typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=completer(allowed),
                        help=f"One of {', '.join(allowed)} (default: table on a terminal, {piped} when piped).")


def completer(values: tuple[str, ...]):
    """Shell completion for an option with a fixed list of values."""
    return lambda incomplete: [v for v in values if v.startswith(incomplete)]


FormatOption = format_option()
StreamFormatOption = format_option(stream=True)  # list, search: one record a line when piped
AsOfOption = typer.Option(None, "--as-of", help="The law in force on this date, YYYY-MM-DD (default: today).")
IncomeOption = typer.Option(
    None, "--income", metavar="YUAN",
    help="Monthly income in yuan (0 or more): only a reform overlay's rules test it (socins reforms).")


def shown_in(fmt: str, formats: tuple[str, ...], **flags: bool) -> None:
    """Options that add to an answer what only some formats show (``--explain``'s trace, ``--quote``'s text):
    with another format they are refused, not dropped in silence."""
    for name, given in flags.items():
        if given and fmt not in formats:
            raise InputError(name, f"--{name}", f"shows in {', '.join(formats)} only; {fmt} would leave it out")


def resolve_format(fmt: Optional[str], allowed: tuple[str, ...], stream: bool = False) -> str:
    """The output format: as asked, else a table on a terminal, else JSON (JSON Lines for streams)."""
    if fmt is None:
        if sys.stdout.isatty():
            return "table"
        return "jsonl" if stream else "json"
    fmt = fmt.lower()
    if fmt not in allowed:
        raise InputError("format", fmt, "expected one of " + "|".join(allowed))
    return fmt


def as_of_date(value: Optional[str]):
    from socins_cli.dates import parse_date, today

    return today() if value is None else parse_date(value, "as_of")


def warn(message: str) -> None:
    """A warning line on stderr; stdout carries data only."""
    from socins_cli.errors import one_line

    sys.stderr.write(f"socins: warning: {one_line(message)}\n")


def get_law():
    from socins_cli.law.load import load_law

    return load_law()


def echo_warnings(result: dict) -> None:
    """A result's ``warnings`` onto stderr, in every format (JSON carries them as a field too)."""
    for line in result.get("warnings", ()):
        warn(line)
