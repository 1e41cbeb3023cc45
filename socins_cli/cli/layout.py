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

import io
import re
from typing import Iterable, Sequence, Union

import msgspec
from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from socins_cli.cli.linebreak import longest_unbreakable, text_width, wrap_spans

Cell = Union[str, Text]

#: A prose column narrower than this reads badly; below it the table turns into a list.
PROSE_MIN = 16
#: A list of short items (citation labels) keeps items up to this wide on one line each.
ITEM_MIN = 28


class PipeConsole(Console):
    """rich's console, except that a closed pipe (``| head``) reaches ``main()``, which ends with 0.

    rich itself exits 1 there, which for ``search`` would read as "nothing found".
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError()

    def _render_buffer(self, buffer) -> str:
        """rich's text, without the padding spaces it leaves at the ends of lines where nothing is coloured (a pipe):
        every table and list a command prints."""
        text = super()._render_buffer(buffer)
        return _TRAILING_SPACES.sub("\n", text) if plain(self) and " \n" in text else text


#: Spaces before a line's end, which a plain-text reader (diff, grep ' $') sees and a table never needs.
_TRAILING_SPACES = re.compile(r" +\n")


def make_console() -> Console:
    """The console every table goes to: width from the terminal or COLUMNS, colour only where it shows."""
    return PipeConsole(highlight=False)


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
    """A renderable that wraps by ``linebreak`` rules at whatever width it is given.

    ``narrowest`` caps how narrow it claims it can be: prose folds a long
    token if it must; words (``None``) never cut one and keep items up to
    ``ITEM_MIN`` wide on one line.
    """

    def __init__(self, text: Cell, narrowest: int | None = PROSE_MIN) -> None:
        self.text = as_text(text)
        self.narrowest = narrowest

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((text_width(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(_narrowest(self.text.plain, self.narrowest), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_text(self.text, options.max_width):
            line.end = "\n"
            line.no_wrap = True
            line.overflow = "fold"
            yield line


def _narrowest(text: str, cap: int | None) -> int:
    """How narrow a wrapping cell may be: prose ``cap`` wide (or its whole width if less); items whole."""
    widest = max((text_width(line) for line in text.split("\n")), default=0)
    if cap is not None:
        return min(widest, cap)
    return widest  # each line is one item (a citation label, an id): never cut; a table too narrow becomes a list


def print_prose(console: Console, text: Cell, style: str = "", hang: int = 0, indent: int = 0) -> None:
    """A paragraph wrapped to the console by the Chinese line-breaking rules.

    ``indent`` moves every line in; ``hang`` moves every line after the
    first in further, so a paragraph number or a label stands out of the
    text it heads (``(2) 无雇工…`` over its own text).
    """
    if console.width - indent - hang < PROSE_MIN:
        indent = hang = 0
    for k, line in enumerate(wrap_text(text, console.width - indent - hang)):
        if style:
            line.stylize(style)
        margin = indent + (hang if k else 0)
        if margin:
            line = Text(" " * margin) + line
        console.print(line, no_wrap=True, overflow="fold", crop=False)


class Column(msgspec.Struct, frozen=True):
    """A table column: keys are never wrapped or cut; ``words`` wrap between words only; prose wraps anywhere the rules allow."""

    header: str
    prose: bool = False
    words: bool = False
    optional: bool = False  # dropped, rather than turning the table into a list, when it does not fit

    @property
    def wraps(self) -> bool:
        return self.prose or self.words

    def cell(self, value: Cell):
        if self.prose:
            return Prose(value)
        if self.words:
            return Prose(value, narrowest=None)
        return as_text(value)


def _cell_min(cell: Cell, col: Column) -> int:
    text = as_text(cell).plain
    if col.wraps:
        return _narrowest(text, PROSE_MIN if col.prose else None)
    return max((text_width(line) for line in text.split("\n")), default=0)


def fit_table(console: Console, columns: Sequence[Column], rows: Iterable[Sequence[Cell]],
              show_lines: bool = False, boxed: bool = True, title: str | None = None,
              show_header: bool = True) -> list[str]:
    """Print ``rows`` as a table if every key fits whole at the console's width, else as a vertical list.

    Optional columns go first when space runs short (the list keeps them);
    returns the headers of the columns left out, for the caller to say
    their contents another way.
    """
    rows = [list(r) for r in rows]
    if title:
        print_prose(console, Text(title, style="bold"), hang=2)
    keep = list(range(len(columns)))
    table = _table([columns[i] for i in keep], rows, show_lines, boxed, console.width)
    while table is None:
        optional = [i for i in keep if columns[i].optional]
        if not optional:
            if not show_header and len(columns) == 2:
                field_list(console, rows)
            else:
                vertical_list(console, columns, rows)
            return []
        keep.remove(optional[-1])
        table = _table([columns[i] for i in keep], [[r[i] for i in keep] for r in rows], show_lines, boxed,
                       console.width)
    table.show_header = show_header
    console.print(table)  # the console leaves no padding at lines' ends in a pipe (PipeConsole._render_buffer)
    return [c.header for i, c in enumerate(columns) if i not in keep]


def field_list(console: Console, rows: Sequence[Sequence[Cell]]) -> None:
    """``(label, value)`` rows as ``label: value``, each further line of a value indented under it."""
    for label, value in rows:
        for k, part in enumerate(as_text(value).split("\n")):
            if k == 0:
                print_prose(console, as_text(label) + Text(": ") + part, hang=4)
            else:
                print_prose(console, part, indent=2, hang=2)


def _table(columns: Sequence[Column], rows: list[list[Cell]], show_lines: bool, boxed: bool, width: int):
    """The rich table, or None when its keys and narrowest prose do not fit in ``width``."""
    # A light frame: a rule under the header and a blank line between rows (show_lines) cost
    # two cells a column, where a full box costs three; on 80 columns that decides table or list.
    table = Table(show_lines=show_lines, header_style="bold", box=box.SIMPLE if boxed else None,
                  show_edge=False, pad_edge=False, padding=(0, 1 if boxed else 2, 0, 0))
    mins = []
    for i, col in enumerate(columns):
        widest = max([_cell_min(r[i], col) for r in rows] + [text_width(col.header)])
        mins.append(widest)
        table.add_column(col.header, min_width=widest, no_wrap=not col.wraps)
    padding = sum(table._get_padding_width(i) for i in range(len(columns)))
    if sum(mins) + padding + table._extra_width > width:
        return None
    for r in rows:
        table.add_row(*[col.cell(c) for col, c in zip(columns, r)])
    _narrow_wrapping_columns(table, columns, mins, width)
    return table


def _narrow_wrapping_columns(table: Table, columns: Sequence[Column], mins: list[int], width: int) -> None:
    """Fix the wrapping columns' widths where rich would print the table wider than ``width``.

    rich narrows the widest wrapping column towards the next widest and stops
    when two are equally wide; it then shrinks every column evenly, keys
    included, and the line is cut at the terminal's edge (an id loses its
    end). Where that would happen, the widest wrapping column gives up a cell
    at a time, never below its narrowest, until the table fits.
    """
    if _widest_line(table, width) <= width:
        return
    measuring = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    options = measuring.options.update_width(width)
    padding = [table._get_padding_width(i) for i in range(len(columns))]
    natural = [table._measure_column(measuring, options, column).maximum for column in table.columns]
    content = [max(w - p, least) for w, p, least in zip(natural, padding, mins)]
    wrapping = [i for i, col in enumerate(columns) if col.wraps]
    excess = sum(content) + sum(padding) + table._extra_width - width
    while excess > 0:
        shrinkable = [i for i in wrapping if content[i] > mins[i]]
        if not shrinkable:
            break
        content[max(shrinkable, key=lambda i: content[i])] -= 1
        excess -= 1
    for i in wrapping:
        table.columns[i].width = content[i]


def _widest_line(table: Table, width: int) -> int:
    """Cells in the widest line of ``table`` laid out for ``width``, before a terminal would cut it."""
    wide = Console(width=width + 1000, file=io.StringIO(), color_system=None, legacy_windows=False)
    with wide.capture() as captured:
        wide.print(table, width=width, crop=False)
    return max((text_width(line.rstrip()) for line in captured.get().splitlines()), default=0)


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
                lines = wrap_text(value, console.width - label_width) if col.wraps else value.split("\n")
                for k, line in enumerate(lines):
                    console.print((head if k == 0 else Text(" " * label_width)) + line, no_wrap=True, crop=False)
            else:
                console.print(Text(f"{col.header}:", style="bold"))
                for line in (wrap_text(value, console.width - 2) if col.wraps else value.split("\n")):
                    console.print(Text("  ") + line, no_wrap=True, crop=False)
