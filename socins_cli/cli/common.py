"""Options and output plumbing shared by every command (typer only; rich stays lazy)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from socins_cli.errors import InputError

FORMAT_HELP = "table|json|jsonl|csv|tsv|markdown (default: table on a terminal, JSON when piped)"

FormatOption = typer.Option(None, "--format", "-f", help=FORMAT_HELP, metavar="FORMAT")
AsOfOption = typer.Option(None, "--as-of", help="The law in force on this date, YYYY-MM-DD (default: today).")


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
    from socins_cli.law import load_law

    return load_law()
