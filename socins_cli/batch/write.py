"""Writing batch results: JSON Lines, CSV and TSV, in buffered chunks.

JSON Lines: one object per input row. A result is the single-call result
(``socins check --format json``) with the row's carried columns in front; an
error record is ``{...carried, "line": 7, "error": {"field": "birth",
"value": "1990-13", "message": "month must be 01-12"}}``.

CSV and TSV: the columns are the carried columns (in input order), ``line``
(the row's first line in the input), ``error`` (empty for a result), the
normalised attributes (``category`` ... ``as_of``), then the job's result
columns (see ``socins_cli.batch.jobs``). Lists are joined with ``"; "``,
citations written ``sil 2018 art. 10 para 2``. Lines end with CRLF (RFC 4180);
``bom=True`` writes UTF-8 with a byte-order mark so that Excel reads it as UTF-8.

Spreadsheet safety (OWASP, "CSV Injection"): in CSV and TSV output every cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
single quote ``'`` in front, so that Excel, LibreOffice and Google Sheets show
it as text instead of running it as a formula. This applies to every cell,
carried columns included: a carried value ``-5`` is written ``'-5``.
JSON Lines and Parquet output are left as they are.

A carried column whose name is also an output column (``line``, ``error``,
an attribute, a result field) is written as ``input.<name>``.
"""

from __future__ import annotations

import codecs
import sys
from typing import BinaryIO

import orjson

from socins_cli.errors import InputError
from socins_cli.formats import neutralise
from socins_cli.person import ATTRIBUTES

#: Output is joined and written in chunks of about this size: under glibc's 128 KiB mmap threshold, so
#: a chunk's memory comes from the heap and is reused (larger ones were mapped and unmapped each time,
#: and every page faulted afresh: a third of a second of system time per 100,000 retirement rows).
_CHUNK_BYTES = 1 << 16
OUTPUT_FORMATS = ("jsonl", "csv", "tsv", "parquet")


def open_output(path: str) -> BinaryIO:
    """``--output`` opened for writing, or the InputError that says why it cannot be."""
    try:
        return open(path, "wb")
    except OSError as exc:
        raise output_error(path, exc) from None


def output_error(path: str, exc: OSError) -> InputError:
    return InputError("output", path, f"cannot be written: {exc.strerror or exc}")


def _plain_list(value) -> bool:
    """A list or tuple whose cell is its values joined as text (else it is written as JSON)."""
    return isinstance(value, (list, tuple)) and all(v is None or isinstance(v, (str, int, float)) for v in value)


def line_end(delimiter: str) -> str:
    """CSV's records end CRLF (RFC 4180); TSV's LF, as ``cut`` and ``awk`` read lines (a CR would stay in the last cell)."""
    return "\n" if delimiter == "\t" else "\r\n"


def cell_text(value) -> str:
    """A value as CSV text: ``true``/``false``, lists of plain values joined by ``"; "``, objects as JSON."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        try:
            return "; ".join(value)  # texts, as most lists are (notes, citations): as the line below joins them
        except TypeError:
            pass
        if _plain_list(value):
            return "; ".join(cell_text(v) for v in value)
        return orjson.dumps(value, default=str).decode()
    if isinstance(value, dict):
        return orjson.dumps(value, default=str).decode()
    return str(value)


class Interner:
    """Shares equal pieces of rendered results (one scheme's entry is the same for many keys).

    ``piece, cost = interner(piece)``: the cost is what a cached result pays
    for holding the piece: a pointer when the table holds it, its size when
    the table is full (``budget`` bytes), so cache budgets stay true.
    """

    def __init__(self, budget: int = 16 << 20):
        self.table: dict = {}
        self.used = 0
        self.budget = budget

    def __call__(self, piece):
        found = self.table.get(piece)
        if found is not None:
            return found, 8
        size = sys.getsizeof(piece)
        if self.used + size <= self.budget:
            self.table[piece] = piece
            self.used += size
            return piece, 8
        return piece, size + 8


def error_object(err: InputError) -> dict:
    return {"field": err.field, "value": err.value, "message": err.allowed}


class JsonlSink:
    """Results as JSON Lines; the cached part of a result and the echo parts are spliced in as bytes."""

    def __init__(self, out: BinaryIO, echo_keys: tuple[str, ...], chunk_rows: int = 64):
        self.out = out
        self.chunk_rows = chunk_rows
        self.buffer: list[bytes] = []
        self.pending = 0
        self.echo_keys = tuple(echo_keys)
        if self.echo_keys != ("as_of", "person"):  # every job's echo: the row's date and person, from its parts
            raise ValueError(f"unsupported echo keys {echo_keys!r}")
        self._plans: dict = {}

    def set_carried(self, columns, extra: bool = False) -> None:
        """JSON Lines carries every column as it comes: nothing to fix."""

    def write_to(self, out) -> None:
        """Write the rows from here on to ``out`` (a binary file, or a parallel worker's held output)."""
        self.out = out

    def render(self, data: dict) -> tuple[tuple, int]:
        """The result without its echo as one byte piece (starting with a comma), and its cache cost.

        The batch renders each distinct answer once (``batch_resolve``): an
        answer its job shares between keys is one object, rendered once.
        """
        piece = b"," + orjson.dumps(data, default=str)[1:-1] + b"}\n"
        return (piece,), 64 + sys.getsizeof(piece)

    def carried_names(self, plan) -> tuple:
        """``(input key, its JSON name and colon)`` of each carried column of an input plan, worked out once."""
        found = self._plans.get(plan)
        if found is None:
            if len(self._plans) >= 1024:
                self._plans.clear()
            found = self._plans[plan] = tuple((key, orjson.dumps(out) + b":") for key, out in plan.carried)
        return found

    def ok(self, line: int, row: dict, plan, a, b, rendered: tuple) -> None:
        """One result row: ``{`` carried columns, the echo from the parts, the cached result's pieces."""
        buffer = self.buffer
        buffer.append(b"{")
        dumps = orjson.dumps
        carried = self._plans.get(plan)
        for key, name in carried if carried is not None else self.carried_names(plan):
            buffer += (name, dumps(row[key], default=str), b",")
        buffer += (a.json_pre, b.json, a.json_province, a.json_post)
        buffer += rendered
        self.pending += 1
        if self.pending >= self.chunk_rows:
            self.flush()

    def error(self, line: int, row: dict | None, plan, err: InputError) -> None:
        carried = {out: row[key] for key, out in plan.carried} if plan is not None else {}
        record = {**carried, "line": line, "error": error_object(err)}
        self.buffer.append(orjson.dumps(record, default=str, option=orjson.OPT_APPEND_NEWLINE))
        self.pending += 1
        if self.pending >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if self.buffer and getattr(self.out, "keeps_pieces", False):  # a parallel worker's output: held, unjoined
            self.out.keep(self.buffer)
            self.buffer = []
            self.pending = 0
        elif self.buffer:
            data = b"".join(self.buffer)
            self.buffer.clear()
            if self.pending:
                # Chunks of about _CHUNK_BYTES: larger joins cost fresh pages from the allocator.
                self.chunk_rows = max(16, min(4096, _CHUNK_BYTES * self.pending // len(data)))
            self.pending = 0
            self.out.write(data)

    def close(self) -> None:
        self.flush()
        self.out.flush()


def cells(echo: dict, names: tuple[str, ...]) -> tuple[str, ...]:
    """CSV cells of normalised attributes, neutralised (a platform name is free text)."""
    return tuple(neutralise(cell_text(echo.get(name))) for name in names)


#: The attribute columns around the B attributes (sex, birth, female_track), in output order.
ECHO_HEAD = ("category", "relation")
ECHO_B = ("sex", "birth", "female_track")
ECHO_TAIL_REST = ("industry", "platform", "employers", "income", "waiver", "as_of")
ECHO_TAIL = ("province",) + ECHO_TAIL_REST  # a part's province, then its core's cells (``DelimitedSink._attributes``)


def echo_of(values: dict) -> dict:
    """Normalised attribute values as the echo shows them: set ones only, months and dates as text."""
    return {name: value.isoformat() if name == "as_of" else str(value) if name == "birth" else value
            for name, value in values.items() if value is not None}


def quote(cell: str, delimiter: str = ",") -> str:
    """A cell as ``csv.writer`` writes it (QUOTE_MINIMAL, excel dialect): quoted only when it must be."""
    if delimiter in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


class DelimitedSink:
    """Results as CSV or TSV with every cell neutralised (see the module docstring).

    Rows are assembled as text: the result's cells are quoted and joined once
    per key, the attribute cells once per distinct attribute group, and only
    the carried cells and the line number per row (``csv.writer`` takes about
    100 µs for a 4 KB row of Chinese text; the splice takes a few).
    """

    def __init__(self, out: BinaryIO, columns: tuple[str, ...], flatten, delimiter: str = ",",
                 bom: bool = False, chunk_rows: int = 64):
        self.out = out
        self.bom = bom
        self.delimiter = delimiter
        self.end = line_end(delimiter)
        self.columns = tuple(columns)
        self.flatten = flatten
        self.chunk_rows = chunk_rows
        self.buffer: list[str] = []
        self.carried: list[str] | None = None
        self.extra = False
        self._plans: dict = {}
        self._province_cells: dict = {}  # normalised province -> its cell, with the delimiter in front
        self._empty_result = delimiter * (len(ATTRIBUTES) + len(self.columns))
        self.intern = Interner()
        self.pending = 0
        # Cells of one scheme (``scheme.x``) are one piece, shared by the keys with that scheme's answer;
        # neighbouring cells that belong to no scheme (a retirement answer's) are one piece too.
        self._groups: list[list[str]] = []
        last = object()
        for column in self.columns:
            prefix = column.split(".", 1)[0] if "." in column else ""
            if prefix == last:
                self._groups[-1].append(column)
            else:
                self._groups.append([column])
            last = prefix

    def _join(self, cells) -> str:
        d = self.delimiter
        return d.join(quote(c, d) for c in cells)

    def set_carried(self, columns, extra: bool = False) -> None:
        """Fix the carried columns and write the header; ``extra`` adds a JSON column for the others."""
        if self.carried is not None:
            return
        self.carried = list(columns)
        self.extra = extra
        names = self.carried + (["extra"] if extra else []) + ["line", "error", *ATTRIBUTES, *self.columns]
        if self.bom:
            self.out.write(codecs.BOM_UTF8)
        self.buffer.append(self._join(neutralise(n) for n in names) + self.end)

    def render(self, data: dict) -> tuple[tuple, int]:
        """The result's cells, quoted, each with the delimiter in front, as shared pieces; and the cache cost.

        Cells of one scheme (columns ``scheme.x``) make one piece: equal entries are shared between keys.
        Neighbouring cells of no scheme make one piece.
        """
        flat, d = self.flatten(data), self.delimiter
        pieces, cost = [], 64
        for group in self._groups:
            cells = []
            for column in group:
                value = flat.get(column)
                cells.append(d if value is None else d + quote(neutralise(cell_text(value)), d))  # None: an empty cell
            piece, paid = self.intern("".join(cells))
            pieces.append(piece)
            cost += paid + 8
        return tuple(pieces), cost

    def _mapping(self, plan):
        """For a plan: the input key of each header column (None if absent), and the keys for ``extra``."""
        found = self._plans.get(plan)
        if found is None:
            by_out = {out: key for key, out in plan.carried}
            header = set(self.carried)
            found = ([by_out.get(c) for c in self.carried],
                     [(key, out) for key, out in plan.carried if out not in header])
            if len(self._plans) >= 1024:
                self._plans.clear()
            self._plans[plan] = found
        return found

    def _carried(self, row: dict | None, plan) -> str:
        """The carried cells, each followed by the delimiter."""
        d = self.delimiter
        if plan is None:
            return d * (len(self.carried) + self.extra)
        keys, others = self._mapping(plan)
        text = "".join([(quote(neutralise(cell_text(row[k])), d) if k is not None else "") + d for k in keys])
        if self.extra:
            text += (quote(neutralise(cell_text({out: row[key] for key, out in others})), d) if others else "") + d
        return text

    def _attributes(self, a, b) -> str:
        """``category ... as_of`` cells, joined; memoised on the parts, from cells made once per core and province."""
        d = self.delimiter
        am = a.memo
        if am is None:  # the core's cells and the province's, each made once and shared by every part
            core = a.core
            cm = core.memo
            if cm is None:
                echo = echo_of(core.kwargs)
                cm = core.memo = (self._join(cells(echo, ECHO_HEAD)) + d, d + self._join(cells(echo, ECHO_TAIL_REST)))
            province = self._province_cells.get(a.province)
            if province is None:
                province = self._province_cells[a.province] = d + quote(neutralise(cell_text(a.province)), d)
            am = a.memo = (cm[0], province, cm[1])
        bm = b.memo
        if bm is None:
            bm = b.memo = self._join(cells(b.echo, ECHO_B))
        return am[0] + bm + am[1] + am[2]

    def ok(self, line: int, row: dict, plan, a, b, rendered: tuple) -> None:
        d = self.delimiter
        buffer = self.buffer
        buffer.append(f"{self._carried(row, plan)}{line}{d}{d}{self._attributes(a, b)}")
        buffer += rendered
        buffer.append(self.end)
        self.pending += 1
        if self.pending >= self.chunk_rows:
            self.flush()

    def error(self, line: int, row: dict | None, plan, err: InputError) -> None:
        d = self.delimiter
        message = quote(neutralise(str(err)), d)
        self.buffer.append(f"{self._carried(row, plan)}{line}{d}{message}{self._empty_result}{self.end}")
        self.pending += 1
        if self.pending >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            rows = max(1, self.pending)
            data = "".join(self.buffer).encode("utf-8")
            self.buffer.clear()
            self.pending = 0
            # Chunks of about 256 KiB: large joins cost fresh pages from the allocator.
            self.chunk_rows = max(16, min(4096, _CHUNK_BYTES * rows // max(1, len(data))))
            self.out.write(data)

    def close(self) -> None:
        if self.carried is None:
            self.set_carried([])
        self.flush()
        self.out.flush()
