"""Tables and prose that fit the terminal without cutting what matters.

Two kinds of column: *keys* (scheme ids, statuses, dates, citation labels,
choice lists) are never cut or wrapped mid-word, and *prose* (notes,
summaries, article text) wraps by the Chinese line-breaking rules of
``linebreak``. When a table cannot hold every key whole beside a readable
prose column, it is printed as a vertical list instead, one record after
another, so nothing is lost on a narrow terminal. Imported only when
something is printed for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence, Union

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from socins_cli.cli.linebreak import longest_unbreakable, text_width, wrap_spans

Cell = Union[str, Text]

#: A prose column narrower than this reads badly; below it the table turns into a list.
PROSE_MIN = 16


def make_console() -> Console:
    """The console every table goes to: width from the terminal or COLUMNS, colour only where it shows."""
    return Console(highlight=False)


def plain(console: Console) -> bool:
    """True when colour and emphasis will not show (a pipe, NO_COLOR, a dumb terminal)."""
    return console.no_color or console.color_system is None


def as_text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))


def wrap_text(text: Cell, width: int) -> list[Text]:
    """A (styled) text as lines of at most ``width`` cells, by the Chinese line-breaking rules."""
    text = as_text(text)
    return [text[s:e] if e > s else Text("") for s, e in wrap_spans(text.plain, width)]


class Prose:
    """A renderable that wraps by ``linebreak`` rules at whatever width it is given."""

    def __init__(self, text: Cell, style: str = "") -> None:
        self.text = as_text(text)
        if style:
            self.text.stylize(style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((text_width(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(longest_unbreakable(self.text.plain), PROSE_MIN), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_text(self.text, options.max_width):
            line.end = "\n"
            line.no_wrap = True
            line.overflow = "fold"
            yield line


def print_prose(console: Console, text: Cell, style: str = "", indent: int = 0) -> None:
    """A paragraph wrapped to the console by the Chinese line-breaking rules."""
    for line in wrap_text(Text(" " * indent) + as_text(text) if indent else text, console.width):
        if style:
            line.stylize(style)
        console.print(line, no_wrap=True, overflow="fold", crop=False)


@dataclass(frozen=True)
class Column:
    """A table column: a key is never cut; prose wraps."""

    header: str
    prose: bool = False


def _cell_min(cell: Cell, prose: bool) -> int:
    text = as_text(cell).plain
    if prose:
        return min(longest_unbreakable(text), PROSE_MIN)
    return max((text_width(line) for line in text.split("\n")), default=0)


def fit_table(console: Console, columns: Sequence[Column], rows: Iterable[Sequence[Cell]],
              show_lines: bool = False, boxed: bool = True, title: str | None = None) -> None:
    """Print ``rows`` as a table if every key fits whole at the console's width, else as a vertical list."""
    rows = [list(r) for r in rows]
    table = Table(show_lines=show_lines, header_style="bold", **({} if boxed else {"box": None}))
    mins = []
    for i, col in enumerate(columns):
        widest = max([_cell_min(r[i], col.prose) for r in rows] + [text_width(col.header)])
        mins.append(widest)
        if col.prose:
            table.add_column(col.header, min_width=min(widest, PROSE_MIN))
        else:
            table.add_column(col.header, no_wrap=True, min_width=widest)
    padding = sum(table._get_padding_width(i) for i in range(len(columns)))
    needed = sum(mins) + padding + table._extra_width
    if title:
        console.print(Text(title, style="bold"))
    if needed > console.width:
        vertical_list(console, columns, rows)
        return
    for r in rows:
        table.add_row(*[Prose(c) if col.prose else as_text(c) for col, c in zip(columns, r)])
    console.print(table)


def vertical_list(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> None:
    """Each record as ``header: value`` lines, a blank line between records: a table for a narrow screen."""
    label_width = max(text_width(c.header) for c in columns) + 2
    for n, r in enumerate(rows):
        if n:
            console.print()
        for col, cell in zip(columns, r):
            value = as_text(cell)
            if not value.plain.strip():
                continue
            fits_beside = console.width - label_width >= max(
                (text_width(line) for line in value.plain.split("\n")), default=0) or col.prose
            head = Text(f"{col.header}:".ljust(label_width), style="bold")
            if fits_beside and console.width - label_width >= PROSE_MIN // 2:
                lines = wrap_text(value, console.width - label_width) if col.prose else value.split("\n")
                for k, line in enumerate(lines):
                    console.print((head if k == 0 else Text(" " * label_width)) + line, no_wrap=True, crop=False)
            else:
                console.print(Text(f"{col.header}:", style="bold"))
                for line in (wrap_text(value, console.width - 2) if col.prose else value.split("\n")):
                    console.print(Text("  ") + line, no_wrap=True, crop=False)
