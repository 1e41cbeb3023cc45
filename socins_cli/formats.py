"""Where output is formatted: JSON, JSON Lines, CSV/TSV and markdown, record by record.

Formats know no law: they turn plain dicts and lists into text. Rich tables
live in ``socins_cli.cli.render`` so that this module stays importable
without the CLI.
"""

from __future__ import annotations

import io
import os
import sys
from typing import IO, Iterable, Sequence

import orjson

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")

#: OWASP CSV-injection rule: a cell starting with one of these is read as a formula by spreadsheets.
_FORMULA_START = frozenset("=+-@\t\r")


def neutralise(cell: str) -> str:
    """OWASP's CSV-injection rule: a cell a spreadsheet would read as a formula starts with ``'``."""
    if cell and cell[0] in _FORMULA_START:
        return "'" + cell
    return cell


def neutralise_cell(value: object) -> str:
    """Any value as a CSV cell a spreadsheet will show as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


def dumps_json(obj, pretty: bool = True) -> bytes:
    option = orjson.OPT_NON_STR_KEYS
    if pretty:
        option |= orjson.OPT_INDENT_2
    return orjson.dumps(obj, option=option)


def write_json(obj, out: IO[bytes] | None = None, pretty: bool = True) -> None:
    out = out or sys.stdout.buffer
    out.write(dumps_json(obj, pretty) + b"\n")
    out.flush()


def write_jsonl(records: Iterable[dict], out: IO[bytes] | None = None) -> int:
    out = out or sys.stdout.buffer
    n = 0
    for rec in records:
        out.write(orjson.dumps(rec, option=orjson.OPT_NON_STR_KEYS) + b"\n")
        n += 1
    out.flush()
    return n


#: The delimiter of each delimited output format.
DELIMITERS = {"csv": ",", "tsv": "\t"}


def write_delimited(
    records: Iterable[dict],
    columns: Sequence[str],
    out: IO[str] | None = None,
    delimiter: str = ",",
) -> int:
    """CSV or TSV with a header; lists are joined by ``; ``, every cell neutralised."""
    import csv  # here, not above: a JSON answer need not import it

    out = out or sys.stdout
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for rec in records:
        writer.writerow([neutralise_cell(_flat(rec.get(c))) for c in columns])
        n += 1
    out.flush()
    return n


def _flat(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return value


def markdown_escape(text: object) -> str:
    return str("" if text is None else text).replace("|", "\\|").replace("\n", "<br>")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    buf.write("| " + " | ".join(markdown_escape(h) for h in headers) + " |\n")
    buf.write("|" + "|".join(" --- " for _ in headers) + "|\n")
    for row in rows:
        buf.write("| " + " | ".join(markdown_escape(c) for c in row) + " |\n")
    return buf.getvalue()


def markdown_quote(texts: Iterable[str]) -> str:
    """Texts quoted in Markdown, each of their lines a paragraph of its own.

    Markdown runs lines given one after another into one paragraph, so a
    blank ``>`` line stands between the lines of a text (a 款's items) and a
    blank line between texts (the 款 of an article).
    """
    return "\n\n".join("> " + text.replace("\n", "\n>\n> ") for text in texts)


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail (Python docs, SIGPIPE note)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
