"""Reading batch rows: JSON Lines and CSV/TSV, streamed, each with its 1-based line number.

Readers yield ``(line, row)`` pairs where ``row`` is a dict (column -> value)
or, for a row that cannot be read, an ``InputError`` naming the line's
problem, so the runner writes an error record and goes on.

Encoding (``encoding="auto"``, the default):
  1. a UTF-8 byte-order mark means UTF-8 (the mark is dropped);
  2. a UTF-16 mark is refused with a clear error (save the sheet as "CSV UTF-8");
  3. otherwise the first bytes that are not plain ASCII decide, looked for in
     the first MiB: valid UTF-8 means UTF-8, and so does UTF-8 with a few
     stray bytes among many characters that decode (at least
     ``_UTF8_EVIDENCE`` for each undecodable run: one damaged line must not
     make every Chinese row of a UTF-8 file fail); else GB18030 (a
     superset of GBK and GB2312, which is what Chinese Excel writes; read as
     UTF-8 it yields an undecodable run for nearly every character) where it
     has fewer undecodable runs than UTF-8, UTF-8 on a tie (a stray byte
     before a little Chinese must not turn 美团 into 缇庡洟). A file whose
     first MiB is plain ASCII is read as UTF-8.
A line that does not decode in the chosen encoding becomes an error record
for its row (naming the column, with the bytes shown as ``\\xNN``), never a
crash. CRLF and LF line ends are both accepted.

Defined outcomes (each tested in ``tests/test_batch_read.py``):
  - blank line (empty or spaces only), JSONL or CSV: skipped, not a row; line
    numbers still count it;
  - JSONL line that is not valid JSON (including a truncated last line): error record;
  - JSONL line that is JSON but not an object: error record;
  - JSONL object giving one key twice: error record (a JSON reader keeps
    the last value; CSV refuses such a header);
  - CSV record whose cell count differs from the header's, or with broken
    quoting (an unclosed quote at the end of the file): error record;
  - invalid bytes for the encoding: error record;
  - header only, or an empty file: no rows (exit 0);
  - a column named twice in the header, or an undecodable header: an
    ``InputError`` for the whole file before any row.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import os
import sys
from typing import BinaryIO, Iterator

import orjson

from socins_cli.errors import InputError, one_line
from socins_cli.person import ATTRIBUTES

INPUT_FORMATS = ("jsonl", "csv", "tsv", "parquet")
ENCODINGS = ("auto", "utf-8", "gb18030")
_FORMAT_ALIASES = {"json": "jsonl", "ndjson": "jsonl", "jsonl": "jsonl", "csv": "csv", "tsv": "tsv",
                   "tab": "tsv", "parquet": "parquet", "pq": "parquet"}
_ATTRIBUTE_SET = frozenset(ATTRIBUTES)
_ASCII_PREFIX_LIMIT = 1 << 20
_UTF8_EVIDENCE = 8  # decoded non-ASCII characters per undecodable run for a head to count as UTF-8
_CHUNK = 1 << 16

def attribute_of(column: str) -> str | None:
    """The contract attribute a column names (``As-Of`` and ``as_of`` alike), or None if it is carried."""
    name = column.strip().lower().replace("-", "_") if isinstance(column, str) else None
    return name if name in _ATTRIBUTE_SET else None


def format_of(path: str, explicit: str | None = None, head: bytes = b"") -> str:
    """The input format: explicit, else the file extension, else sniffed from the first bytes."""
    if explicit:
        fmt = _FORMAT_ALIASES.get(explicit.lower())
        if fmt is None:
            raise InputError("input_format", explicit, "expected one of " + "|".join(INPUT_FORMATS))
        return fmt
    ext = os.path.splitext(path)[1].lower().lstrip(".") if path != "-" else ""
    if ext in _FORMAT_ALIASES:
        return _FORMAT_ALIASES[ext]
    return sniff_format(head)


def sniff_format(head: bytes) -> str:
    """``PAR1`` is Parquet, a first ``{`` JSON Lines, a tab before any comma TSV, anything else CSV."""
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith((b"{", b"[")):
        return "jsonl"
    first = text.split(b"\n", 1)[0]
    if b"\t" in first and b"," not in first:
        return "tsv"
    return "csv"


class Source:
    """A binary input (a path or ``-`` for stdin) with its sniffed head replayed in front.

    ``consumed`` counts the bytes handed on, for the progress bar; ``size`` is
    the file's size when known.
    """

    def __init__(self, path: str, encoding: str = "auto", stdin: BinaryIO | None = None):
        if encoding not in ENCODINGS:
            raise InputError("encoding", encoding, "expected one of " + "|".join(ENCODINGS))
        self.path = path
        if path == "-":
            self._raw = stdin if stdin is not None else sys.stdin.buffer
            self.size = None
        else:
            try:
                self._raw = open(path, "rb")
            except OSError as exc:
                raise InputError("input", path, f"cannot be read: {exc.strerror or exc}") from None
            try:
                self.size = os.fstat(self._raw.fileno()).st_size
            except OSError:
                self.size = None
        self.head, at_end = self._read_head()
        self.requested_encoding = encoding
        self.encoding = detect_encoding(self.head, at_end) if encoding == "auto" else encoding
        self.consumed = 0

    def _read_head(self) -> tuple[bytes, bool]:
        """The first bytes up to the first chunk that is not plain ASCII (at most 1 MiB), and whether that is all."""
        parts, total, at_end, cut = [], 0, False, False
        read = getattr(self._raw, "read1", self._raw.read)  # what a pipe has now, not 64 KiB of waiting
        while total < _ASCII_PREFIX_LIMIT:
            chunk = read(_CHUNK)
            if not chunk:
                at_end = True
                break
            parts.append(chunk)
            total += len(chunk)
            if cut or not chunk[:-3].isascii():
                break
            # Non-ASCII only in its last bytes: a character the chunk may cut. Read on, so it is whole.
            cut = not chunk.isascii()
        return b"".join(parts), at_end

    def lines(self) -> BinaryIO:
        """The whole input as a buffered binary stream (iterate it for lines)."""
        return io.BufferedReader(_Replay(self), buffer_size=_CHUNK)

    def how(self) -> str:
        if self.requested_encoding == "auto":
            return f"read as {self.encoding}, detected from its first bytes"
        return f"read as {self.encoding}, as asked"

    def close(self) -> None:
        if self.path != "-":
            self._raw.close()


class _Replay(io.RawIOBase):
    """The sniffed head, then the rest of the stream."""

    def __init__(self, source: Source):
        self._source = source
        self._head = memoryview(source.head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            raw = self._source._raw
            n = raw.readinto1(buffer) if hasattr(raw, "readinto1") else raw.readinto(buffer)
        self._source.consumed += n or 0
        return n


def detect_encoding(head: bytes, complete: bool = False) -> str:
    """See the module docstring: BOM, then UTF-8 if the first non-ASCII bytes decode (or nearly all do), else GB18030."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("encoding", "UTF-16", "is not supported: save the sheet as CSV UTF-8 (or pass a UTF-8/GB18030 file)")
    text = _decoded(head, "utf-8", complete)
    bad = text.count("\ufffd")  # one per undecodable run
    if not bad:
        return "utf-8"
    decoded = len(text) - len(text.encode("ascii", "ignore")) - bad  # characters beyond ASCII that decode
    if decoded >= _UTF8_EVIDENCE * bad:
        return "utf-8"
    # Little UTF-8 evidence either way. GB18030 is chosen where it reads the bytes cleanly (UTF-8 read as
    # GB18030 seldom fails, so that proves little, but a GB18030 file read as UTF-8 fails at nearly every
    # character); where it does not either, the bytes are stray ones, and UTF-8 keeps the rows that decode.
    return "gb18030" if _decoded(head, "gb18030", complete).count("\ufffd") < bad else "utf-8"


def _decoded(head: bytes, encoding: str, complete: bool) -> str:
    """``head`` decoded, each undecodable run as U+FFFD; a character cut by the end of a sniffed chunk (not
    ``complete``) is left out, in either encoding, so it is evidence for neither."""
    return codecs.getincrementaldecoder(encoding)("replace").decode(head, final=complete)


def _codec(encoding: str) -> str:
    return "utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding


def refuse_names_twice(names, field: str) -> None:
    """A CSV header or a Parquet schema naming one column twice (``sex`` twice, or ``as_of`` and ``as-of``) is
    refused: which of the two a row means cannot be told, and a reader would keep one silently."""
    seen: dict[str, str] = {}
    for name in names:
        ident = attribute_of(name) or name
        if ident in seen:
            again = "is given twice" if seen[ident] == name else f"names the same column as {seen[ident]!r}"
            raise InputError(field, name, f"{again}: each column may appear once")
        seen[ident] = name


def _preview(raw, limit: int = 60) -> str:
    """The start of a line or cell, as an error shows it: an undecodable byte as ``\\xff`` (an error record is
    JSON, which cannot carry the surrogate standing in for it)."""
    text = raw.decode("utf-8", "backslashreplace") if isinstance(raw, bytes) else str(raw)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate no decoding made (an escape written in JSON)
            text = text.encode("utf-8", "backslashreplace").decode("ascii")
    text = text.rstrip("\r\n")
    return text if len(text) <= limit else text[:limit] + "…"


def _encoding_error(encoding: str, how: str) -> str:
    hint = "gb18030" if _codec(encoding) == "utf-8" else "utf-8"
    return f"is not valid {_codec(encoding).upper()} ({how}); try --encoding {hint}"


# -- JSON Lines ----------------------------------------------------------------

#: Levels of arrays and objects a row's values may nest (the JSON writer stops at 254).
_MAX_DEPTH = 200


def _too_deep(value) -> bool:
    """Whether ``value`` nests arrays and objects more than ``_MAX_DEPTH`` deep (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


_INT64_MIN, _UINT64_MAX = -(1 << 63), (1 << 64) - 1


def _big_integers(raw: bytes, codec: str) -> list[tuple[str, str]]:
    """(key, JSON text) of each top-level value of a JSON object line that holds an integer beyond 64 bits.

    orjson reads such an integer as a float (123456789012345678901234567890
    becomes 1.2345678901234568e+29): a carried column would come out
    changed, an attribute's error would show another number. The standard
    library reads it exactly; only a row holding a float, array or object is
    read again.
    """
    import json

    return [(key, _json_text(value)) for key, value in json.loads(raw.decode(codec)).items()
            if _holds_big_integer(value)]


def _may_be_a_big_integer(value) -> bool:
    """Whether orjson may have read ``value`` from an integer beyond 64 bits: a float that large, or an array or
    object (walked only if so). An ordinary float (an income of 8000.5) is not read again."""
    kind = value.__class__
    return (kind is float and abs(value) >= _BIG) or kind is list or kind is dict


_BIG = float(1 << 63)


def _holds_big_integer(value) -> bool:
    """Whether ``value`` is, or nests, an integer beyond 64 bits (walked without recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item.__class__ is int and not _INT64_MIN <= item <= _UINT64_MAX:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class _Pairs(list):
    """A JSON object as its (key, value) pairs in order, duplicates kept."""


def _as_written(value):
    """A value of ``_given_twice``'s parse as plain JSON data (its objects as dicts, the last of a key's values)."""
    if isinstance(value, _Pairs):
        return {k: _as_written(v) for k, v in value}
    if isinstance(value, list):
        return [_as_written(v) for v in value]
    return value


def _json_text(value) -> str:
    """A value as JSON text (the standard library's, which writes integers of any size)."""
    import json

    return json.dumps(_as_written(value), ensure_ascii=False)


class _JsonText:
    """A value shown as its JSON text, unquoted (``null``, ``123…``): an error's value no record could carry."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _given_twice(raw: bytes, codec: str) -> tuple | None:
    """(key, first value, second value) of the first key a JSON object line gives twice (not a nested object's).

    The first value is the error's value, as written (the string "1" and the
    number 1 stay apart in the record and the message), or its JSON text,
    shown bare, where it cannot be carried as itself (null, which an error
    reads as "no value"; an integer beyond 64 bits); the second is its JSON
    text, for the message.
    """
    import json

    pairs = json.loads(raw.decode(codec), object_pairs_hook=_Pairs)
    seen = {}
    for key, value in pairs:
        if key in seen:
            first = _as_written(seen[key])
            if first is None or not _carried(first):
                first = _JsonText(_json_text(first))
            return key, first, _json_text(value)
        seen[key] = value
    return None


def _carried(value) -> bool:
    """Whether a record can carry ``value`` as itself (orjson writes no integer beyond 64 bits)."""
    try:
        orjson.dumps(value)
    except TypeError:
        return False
    return True


def read_jsonl(source: Source) -> Iterator[tuple[int, dict | InputError]]:
    """One JSON object per line; see the module docstring for blank and bad lines."""
    return parse_jsonl(source.lines(), source.encoding, source.how())


def parse_jsonl(lines, encoding: str, how: str, first_line: int = 1) -> Iterator[tuple[int, dict | InputError]]:
    """``read_jsonl`` over raw lines (each with its line end) that start at line ``first_line`` of the input."""
    loads = orjson.loads
    codec = _codec(encoding)
    utf8 = codec == "utf-8"
    line = first_line - 1
    for raw in lines:
        line += 1
        if line == 1 and raw.startswith(codecs.BOM_UTF8) and utf8:
            raw = raw[3:]
        try:
            obj = loads(raw if utf8 else raw.decode(codec))
        except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
            if raw.strip():  # a blank line is skipped (its number still counts)
                yield line, _unreadable(raw, codec, encoding, how, exc)
            continue
        if type(obj) is not dict:
            yield line, _not_an_object(obj, raw)
            continue
        # What a row can hide is looked for only where a cheap sign says it may be there: a key given twice
        # needs more colons than keys; deep nesting or an integer beyond 64 bits (which orjson reads as a
        # float), a value that is not a string, so a key's colon not followed by a quote (``":"``: a quote
        # inside a string is escaped, so the bytes are only found between a key and a string value).
        colons = raw.count(b":")
        if colons > len(obj) or raw.count(b'":"') < colons:
            err = _object_error(obj, raw, codec, colons)
            if err is not None:
                yield line, err
                continue
        yield line, obj


def _unreadable(raw: bytes, codec: str, encoding: str, how: str, exc: Exception) -> InputError:
    """The error of a line that is not JSON, or not in the file's encoding."""
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return InputError("row", _preview(raw.decode(codec, "backslashreplace")), _encoding_error(encoding, how))
    return InputError("row", _preview(raw), f"expected one JSON object per line: {exc}")


def _not_an_object(obj, raw: bytes) -> InputError:
    kind = {list: "an array", str: "a string", int: "a number", float: "a number",
            bool: "true/false", type(None): "null"}.get(type(obj), "a value")
    return InputError("row", _preview(raw), f"expected a JSON object, found {kind}")


def _object_error(obj: dict, raw: bytes, codec: str, colons: int) -> InputError | None:
    """The error of a JSON object line that nests too deep, gives a key twice or holds an integer beyond 64 bits
    (which orjson read as another number), or None; its record carries the cells orjson read unchanged."""
    if len(raw) > 2 * _MAX_DEPTH and raw.count(b"[") + raw.count(b"{") > _MAX_DEPTH and _too_deep(obj):
        err = InputError("row", _preview(raw.decode(codec, "backslashreplace")),
                         f"nests values more than {_MAX_DEPTH} deep: socins writes at most {_MAX_DEPTH}")
        err.cells = {k: v for k, v in obj.items() if not isinstance(v, (list, dict))}
        return err
    big = _big_integers(raw, codec) if any(map(_may_be_a_big_integer, obj.values())) else []
    # A key given twice reaches the dict once, with its last value: the line is read again for its pairs.
    twice = _given_twice(raw, codec) if colons > len(obj) else None
    if twice:
        key, first, again = twice
        err = InputError(key, first, f"given again as {again} in this row: each key may appear once")
    elif big:
        key, text = big[0]
        err = InputError(key, _JsonText(_preview(text)), "is an integer beyond 64 bits, which socins cannot "
                         "carry exactly: give it as a string")
    else:
        return None
    changed = {k for k, _ in big}
    err.cells = {k: v for k, v in obj.items() if k not in changed} if changed else obj  # none as orjson changed it
    return err


# -- CSV / TSV -----------------------------------------------------------------

class DelimitedReader:
    """CSV or TSV rows as dicts keyed by the header; ``columns`` is the header once read."""

    def __init__(self, source: Source, delimiter: str = ","):
        self.source = source
        self.delimiter = delimiter
        self.columns: list[str] | None = None
        self._bad_lines: set[int] = set()
        self._odd_lines: set[int] = set()  # lines holding a NUL or a byte-order mark

    def _text_lines(self) -> Iterator[str]:
        codec = _codec(self.source.encoding)
        bad = self._bad_lines
        n = 0
        for raw in self.source.lines():
            n += 1
            if n == 1 and codec == "utf-8" and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                bad.add(n)
                yield raw.decode(codec, "surrogateescape")
                continue
            if "\x00" in text or "\ufeff" in text:
                self._odd_lines.add(n)
            yield text

    def _odd(self, record: list[str], names: list[str] | None) -> InputError:
        """A cell holding NUL or U+FEFF: a copy-paste or concatenation accident that must not pass as data."""
        for i, cell in enumerate(record):
            if "\x00" in cell or "\ufeff" in cell:
                field = names[i] if names and i < len(names) else "header" if names is None else "row"
                return InputError(field, _preview(one_line(cell)),
                                  "holds a NUL or byte-order mark (U+FEFF) character; expected plain text")
        return InputError("row", "", "holds a NUL or byte-order mark (U+FEFF) character; expected plain text")

    def _undecodable(self, record: list[str], names: list[str] | None) -> InputError:
        codec = _codec(self.source.encoding)
        for i, cell in enumerate(record):
            if any("\udc80" <= ch <= "\udcff" for ch in cell):
                shown = cell.encode(codec, "surrogateescape").decode(codec, "backslashreplace")
                field = names[i] if names and i < len(names) else "header" if names is None else "row"
                return InputError(field, _preview(shown), _encoding_error(self.source.encoding, self.source.how()))
        return InputError("row", "", _encoding_error(self.source.encoding, self.source.how()))

    def _header(self, record: list[str]) -> list[str]:
        refuse_names_twice(record, "header")
        return list(record)

    def _marked_error(self, record: list, names, start: int, last: int) -> InputError | None:
        """The error of a record over a line marked undecodable or odd, or None; the marks on its lines are spent."""
        bad = self._bad_lines
        if bad and any(start <= n <= last for n in bad):
            bad.difference_update(range(start, last + 1))
            return self._undecodable(record, names)
        odd = self._odd_lines
        if odd and any(start <= n <= last for n in odd):
            odd.difference_update(range(start, last + 1))
            return self._odd(record, names)
        return None

    def __iter__(self) -> Iterator[tuple[int, dict | InputError]]:
        kind = "TSV" if self.delimiter == "\t" else "CSV"
        lines = _Relined(self._text_lines())
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        bad = self._bad_lines
        names = None
        width = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield self._malformed(exc, lines, names is None, kind)
                continue
            start, last = lines.span()
            if not record or (len(record) == 1 and not record[0].strip()):
                bad.discard(start)
                continue
            if names is not None and last > start and self._ran_on(record, names, width):
                # (whatever else is wrong on those lines: each line after the first is read again as its own)
                yield start, self._open_quote(lines, kind)
                continue
            err = self._marked_error(record, names, start, last)
            if err is not None:
                if names is None:
                    raise err
                if len(record) == width:  # its error record carries the cells that read cleanly (``cells``)
                    err.cells = {n: c for n, c in zip(names, record) if _clean(c)}
                yield start, err
                continue
            if names is None:
                names = self.columns = self._header(record)
                width = len(names)
                continue
            if len(record) != width:
                yield start, InputError("row", _preview(self.delimiter.join(record)),
                                        f"has {len(record)} cells; the header has {width}")
                continue
            yield start, dict(zip(names, record))

    def _malformed(self, exc: csv.Error, lines: "_Relined", at_header: bool, kind: str) -> tuple[int, InputError]:
        """(line, error) of a record ``csv`` could not read; at the header, the whole file's error (raised)."""
        start, last = lines.span()
        if at_header:
            raise InputError("header", f"line {start}", f"is not well-formed {kind}: {_csv_problem(exc)}") from None
        if last > start:  # a quote left open took the lines after it: only its own line is bad
            return start, self._open_quote(lines, kind)
        self._bad_lines.discard(start)
        return start, InputError("row", f"line {start}", f"is not well-formed {kind}: {_csv_problem(exc)}")

    @staticmethod
    def _ran_on(record: list, names: list, width: int) -> bool:
        """Whether a record over several lines is a quote left open: a cell over lines is CSV, but not a record
        of the wrong width, nor a line break in a person attribute (no value of one holds one)."""
        return len(record) != width or any(("\n" in cell or "\r" in cell) and attribute_of(name) is not None
                                           for name, cell in zip(names, record))

    def _open_quote(self, lines: _Relined, kind: str) -> InputError:
        """The error of a record's first line whose quote ran on over the next lines; those are read again.

        A quoted cell may hold line breaks, but one that leaves the record
        malformed (no closing quote, the wrong number of cells, a line break
        in a person attribute) took rows that are rows of their own: each
        line after the first yields its own row or error, as every input row must.
        """
        first, start = lines.first_line(), lines.span_start()
        lines.read_again_after_first()
        self._bad_lines.discard(start)
        self._odd_lines.discard(start)
        return InputError("row", _preview(first), f"is not well-formed {kind}: a quote opened on line {start} is not "
                                                   "closed on it; the lines after it are read on their own")


class _Relined:
    """Text lines for ``csv.reader`` that remember which lines the last record took, and can read them again."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self._number = 0
        self._again: collections.deque = collections.deque()
        self._taken: list[tuple[int, str]] = []  # (line number, text) read since the last record
        self._record: list[tuple[int, str]] = []  # the lines of the last record

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._again:
            item = self._again.popleft()
        else:
            item = (self._number + 1, next(self._lines))
            self._number += 1
        self._taken.append(item)
        return item[1]

    def span(self) -> tuple[int, int]:
        """The first and last line numbers of the record just read (``csv.reader`` reads no further)."""
        self._record, self._taken = self._taken, []
        if not self._record:
            return self._number + 1, self._number
        return self._record[0][0], self._record[-1][0]

    def first_line(self) -> str:
        return self._record[0][1] if self._record else ""

    def span_start(self) -> int:
        return self._record[0][0] if self._record else self._number + 1

    def read_again_after_first(self) -> None:
        """Hand the record's lines after its first to the reader again, before any line not yet read."""
        self._again.extendleft(reversed(self._record[1:]))
        self._record = self._record[:1]


#: The ``csv`` module's messages, said in the terms of the file the user holds.
_CSV_PROBLEMS = (
    ("new-line character seen in unquoted field",
     "a carriage return inside a cell that is not quoted; quote the cell, or save the file with LF or CRLF line ends"),
    ("unexpected end of data", "the file ends inside a quoted cell (a quote left open)"),
    ("expected after", 'a quote ends a quoted cell but no delimiter follows it (a quote inside a quoted cell is written "")'),
    ("field larger than field limit", "a cell longer than 131,072 characters (a quote left open?)"),
)


def _csv_problem(exc: Exception) -> str:
    """What a ``csv.Error`` means for the file, or its own words where no plainer ones are known."""
    text = str(exc)
    return next((plain for marker, plain in _CSV_PROBLEMS if marker in text), text)


def _clean(cell: str) -> bool:
    """Whether a cell read as text: no undecodable bytes (surrogate escapes), no NUL, no byte-order mark."""
    return "\x00" not in cell and "\ufeff" not in cell and not any("\udc80" <= ch <= "\udcff" for ch in cell)


def read_rows(source: Source, fmt: str):
    """The reader for ``fmt`` (``jsonl``, ``csv`` or ``tsv``) over ``source``."""
    if fmt == "jsonl":
        return read_jsonl(source)
    if fmt in ("csv", "tsv"):
        return DelimitedReader(source, "\t" if fmt == "tsv" else ",")
    raise InputError("input_format", fmt, "expected jsonl, csv or tsv for a streamed read")
