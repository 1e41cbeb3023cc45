"""Batch output people choose: ``--brief`` rows and ``--fields a,b,c``.

A full check row is 8-11 KB of JSON (every scheme's notes and citations as
objects, every finding's prose); a census of 300,000 people is then 3 GB.
A ``Projection`` keeps what was asked for and writes JSON Lines, CSV or TSV
itself. The row path, and each worker of the parallel one, hands it the
answers (``AnswerSink``: each distinct answer parsed and shaped once); full
JSON Lines written to it (``Projection.write``) are parsed back row by row,
to the same bytes (but ``line``, which full JSON Lines give error records only, while brief CSV rows,
like the full CSV's, give it every row: parsed back, an answered row's ``line`` is blank):

``--brief`` (check): per scheme its status, settled, payers and citations
as the compact references the statutes use and ``socins cite``-style tools
resolve (``sil@2018:10:2``: instrument, version, article, paragraph;
``#fact``, ``/table``; the version left out, ``sil:10:2``, where it is the
one in force on the row's ``as_of``), plus the finding ids, the carried columns and
``as_of``, and ``partial_sources``, the cited sources that are partial,
summary-only or of less than high confidence (what the full row's
``warnings`` say in prose): no notes, no prose. About 1.1 KB a row against 8 KB.

``--fields``: exactly the fields named, in that order, as JSON Lines keys or
CSV columns. A field is a carried input column (``person_id``), a top-level
result field (``as_of``, ``retirement_month``, ``line``, ``error``), a
dotted path into the result (``person.category``, ``statutory_age.years``),
or for check a scheme field ``<scheme>.<status|settled|payers|citations|rule|notes>``
(a scheme id from ``statutes/corpus/vocabulary.toml``, then ``.status``). With a header (CSV, TSV,
Parquet) a name that is none of these, and not a column of the header, is refused (exit 2) with the
allowed names. JSON Lines have no header: there any other name is a carried column, null where a row
lacks it, unless it is a dotted path under a result field (``<scheme>.colour``: refused). A person
attribute (``category``) is read, not carried: it gives the normalised value, as ``person.category``
and the full CSV's column do. A name that starts with ``-`` (an option given where a value was due)
is refused.
A failed row keeps its place: its result fields are empty and ``line`` and
``error`` say why, if asked for; the summary on stderr counts it either way.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

import orjson

from socins_cli.law import vocabulary
from socins_cli.batch.write import JsonlSink, cell_text, error_object, line_end, quote
from socins_cli.errors import InputError
from socins_cli.formats import neutralise
from socins_cli.law.model import citation_label, is_part, listed_citations
from socins_cli.person import ATTRIBUTES

SCHEME_FIELDS = ("status", "settled", "payers", "citations", "rule", "notes")
BRIEF_SCHEME_FIELDS = ("status", "settled", "payers", "citations")
ROW_FIELDS = ("line", "error")
RESULT_FIELDS = {
    "check": ("as_of", "person", "schemes", "inequities", "warnings"),
    "retirement": ("as_of", "person", "rule", "track", "track_label", "original_age", "statutory_age",
                   "statutory_age.years", "statutory_age.months", "original_age.years", "original_age.months",
                   "delay_months", "retirement_month", "earliest_flexible_month", "latest_flexible_month",
                   "minimum_contribution_years", "settled", "notes", "citations", "alternatives", "warnings"),
}


def parse_fields(text: str | None) -> list[str] | None:
    """``a,b,c`` as a list of names (spaces ignored); ``None`` when not given."""
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise InputError("fields", text, f"expected comma-separated field names, e.g. person_id,{vocabulary.SCHEMES[0]}.status")
    return names


def known_fields(job_name: str) -> list[str]:
    """Every result field a job's rows can be asked for (carried input columns come on top)."""
    names = list(ROW_FIELDS) + list(RESULT_FIELDS[job_name]) + [f"person.{a}" for a in ATTRIBUTES]
    names += [a for a in ATTRIBUTES if a not in names]  # an attribute's normalised value, as person.<attribute>
    if job_name == "check":
        names += [f"{s}.{f}" for s in vocabulary.SCHEMES for f in SCHEME_FIELDS]
    return names


def _labels(citations) -> list:
    return [citation_label(c) if isinstance(c, dict) else c for c in citations or ()]


def citation_ref(c: dict, in_force: str | None = None) -> str:
    """A citation as the statutes write one: ``sil@2018:10:2``, ``hukou-2025@2025#notice``, ``retire-2024@2024/annex-3``.

    Where the cited version is ``in_force`` (the one in force on the row's
    ``as_of``) the version is left out, ``sil:10:2``, as the statutes' own
    unpinned references are read: the version in force on the date.
    """
    ref = c["instrument"] if c["version"] == in_force else f"{c['instrument']}@{c['version']}"
    if "article" in c and not is_part(c):
        ref += f":{c['article']}" + (f":{c['paragraph']}" if "paragraph" in c else "")
    if "fact" in c:
        ref += f"#{c['fact']}"
    if "table" in c:
        ref += f"/{c['table']}"
    return ref


def brief(record: dict, in_force=None) -> dict:
    """A check row without notes or prose: per scheme status, settled, payers and citations.

    ``in_force(instrument, as_of)`` names the version in force that day, so
    that citations of it are written unpinned (``sil:10:2``).
    """
    if "error" in record:
        return record
    as_of = record.get("as_of")

    def ref(c: dict) -> str:
        return citation_ref(c, in_force(c["instrument"], as_of) if in_force and as_of else None)

    out = {k: v for k, v in record.items() if k not in RESULT_FIELDS["check"]}
    out["as_of"] = record.get("as_of")
    out["schemes"] = {s["scheme"]: _brief_scheme(s, ref) for s in record.get("schemes", ())}
    out["inequities"] = [i.get("id") for i in record.get("inequities", ())]
    gapped = {f"{c['instrument']}@{c['version']}" for s in record.get("schemes", ()) for c in s.get("citations", ())
              if "completeness" in c or "confidence" in c}
    if gapped:  # the warnings' facts without their prose: which cited sources are partial or summary-only
        out["partial_sources"] = sorted(gapped)
    return out


def brief_answer(answer: dict) -> dict:
    """A check answer with only what ``brief`` reads: the schemes' brief fields and the findings' ids.

    A full answer parsed back is some 40 KB of Python objects (every note and
    finding's prose); a batch holds one per distinct answer, per worker.
    """
    slim = {k: v for k, v in answer.items() if k not in RESULT_FIELDS["check"]}
    slim["schemes"] = [{k: s[k] for k in ("scheme", *BRIEF_SCHEME_FIELDS) if k in s} for s in answer.get("schemes", ())]
    slim["inequities"] = [{"id": i.get("id")} for i in answer.get("inequities", ())]
    return slim


def _brief_scheme(s: dict, ref) -> dict:
    """One scheme, briefly: the contract's status, settled, payers and citations, every one always there."""
    return {"status": s.get("status"), "settled": s.get("settled"), "payers": s.get("payers") or [],
            "citations": [ref(c) for c in s.get("citations", ())]}


def _is_carried(key: str) -> bool:
    """Whether a key of a check row (full or brief) is a carried input column."""
    return key not in RESULT_FIELDS["check"] and key not in ROW_FIELDS and key != "partial_sources"


def brief_columns(carried=(), extra: bool = False) -> list[str]:
    """CSV columns of a brief row: carried columns (``extra`` for the others, as in the full CSV), line, error,
    as_of, then scheme by scheme."""
    return list(carried) + (["extra"] if extra else []) + ["line", "error", "as_of"] + [
        f"{s}.{f}" for s in vocabulary.SCHEMES for f in BRIEF_SCHEME_FIELDS] + ["inequities", "partial_sources"]


def lookup(record: dict, name: str, job_name: str):
    """The value of field ``name`` in a full result row (``None`` where the row has none)."""
    if name in record:
        value = record[name]
        return _error_text(value) if name == "error" and isinstance(value, dict) else value
    if name in ATTRIBUTES:  # read as the person, never carried: the normalised value, as the full CSV's column
        return (record.get("person") or {}).get(name)
    head, _, rest = name.partition(".")
    if job_name == "check" and rest in SCHEME_FIELDS:
        for s in record.get("schemes", ()):
            if s.get("scheme") == head:
                if rest == "citations":  # the full CSV's cell: quoted wording too (``listed_citations``)
                    return _labels(listed_citations(s))
                return s.get(rest)
        return None
    value = record
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class Projection:
    """A binary sink for the engines' JSON Lines that writes only what was asked for.

    ``fmt`` is the format written to ``out``: ``jsonl``, ``csv`` or ``tsv``.
    Exactly one of ``fields`` and ``brief_rows`` is given.
    """

    def __init__(self, out: BinaryIO, job_name: str, fmt: str, fields: list[str] | None = None,
                 brief_rows: bool = False, bom: bool = False, law=None):
        self.out = out
        self.in_force = _in_force(law) if law is not None else None
        self.job_name = job_name
        self.fmt = fmt
        self.fields = fields
        self.brief = brief_rows
        self.bom = bom
        self.pending = b""
        self.columns: list[str] | None = None
        self.carried: list[str] | None = None  # the carried columns as the full CSV fixes them (``set_carried``)
        self.extra = True  # whether they come from a first row (JSON Lines), not from a header
        self.text = io.StringIO()
        delimiter = "\t" if fmt == "tsv" else ","
        self.writer = csv.writer(self.text, delimiter=delimiter, lineterminator=line_end(delimiter))

    # -- the file-like side the engines write to --
    def write(self, data) -> int:
        data = bytes(data)
        lines = (self.pending + data).split(b"\n")
        self.pending = lines.pop()
        chunk = [self._row(orjson.loads(line)) for line in lines if line.strip()]
        if chunk:
            self.out.write(b"".join(chunk))
        return len(data)

    def flush(self) -> None:
        self.out.flush()

    def row_sink(self, job) -> "AnswerSink":
        """The sink the row path writes to in place of JSON Lines: see ``AnswerSink``."""
        return AnswerSink(self, job)

    def close(self) -> None:
        if self.pending.strip():
            self.out.write(self._row(orjson.loads(self.pending)))
            self.pending = b""
        if self.columns is None and self.fmt != "jsonl":  # no rows at all: still a header, as the full CSV writes
            if self.fields is not None:
                self.columns = list(self.fields)
            else:
                self.columns = brief_columns(self.carried or (), self.extra and self.carried is not None)
            self.out.write(self._header())
        self.out.flush()

    def set_carried(self, columns, extra: bool = False) -> None:
        """The carried columns: the input's header's, else (``extra``) the first readable row's, the others in ``extra``.

        The row path says so before any row (as it tells the full CSV); a
        row that cannot be read does not decide them.
        """
        if self.carried is None:
            self.carried, self.extra = list(columns), extra

    # -- rows --
    def _first(self, record: dict) -> None:
        if self.carried is None:  # parsed back from JSON Lines: the first record's, the others in extra
            self.set_carried([k for k in record if _is_carried(k)], extra=True)
        if self.fields is not None:
            self.columns = self._checked_fields()
        else:
            self.columns = brief_columns(self.carried, self.extra)
        if self.fmt != "jsonl":
            self.out.write(self._header())

    def _checked_fields(self) -> list[str]:
        """The fields asked for, or the InputError naming those that are no field (see the module docstring)."""
        allowed = known_fields(self.job_name)
        options = [f for f in self.fields if f.startswith("-")]
        if options:
            raise InputError("fields", ",".join(options), "an option, not a field name: --fields takes "
                             "comma-separated names, e.g. person_id,person.category")
        if not self.extra:  # a header names every column there is
            carried = self.carried
            unknown = [f for f in self.fields if f not in allowed and f not in carried]
        else:
            carried = []
            heads = {name.split(".")[0] for name in allowed if "." in name}
            unknown = [f for f in self.fields if f not in allowed and f.split(".")[0] in heads]
        if unknown:
            raise InputError("fields", ",".join(unknown), "unknown; allowed: " + ", ".join(carried + allowed))
        return list(self.fields)

    def _header(self) -> bytes:
        head = b"\xef\xbb\xbf" if self.bom else b""
        return head + self._csv_line(self.columns)

    def _row(self, record: dict) -> bytes:
        if self.columns is None:
            self._first(record)
        if self.brief:
            row = brief(record, self.in_force)
            if self.fmt == "jsonl":
                return orjson.dumps(row) + b"\n"
            return self._csv_line(self._brief_cells(row, record))
        values = {name: lookup(record, name, self.job_name) for name in self.columns}
        if self.fmt == "jsonl":
            return orjson.dumps(values, default=str) + b"\n"
        return self._csv_line([_cell(values[c]) for c in self.columns])

    def _brief_cells(self, row: dict, record: dict, columns: list[str] | None = None) -> list[str]:
        """A brief row's CSV cells, scheme by scheme (the columns of ``brief_columns``, or those of them given)."""
        schemes = row.get("schemes", {})
        cells = []
        for column in self.columns if columns is None else columns:
            scheme, _, field = column.partition(".")
            entry = schemes.get(scheme) if field else None
            if entry is not None:
                value = entry.get(field)
                cells.append("; ".join(value) if isinstance(value, list) else cell_text(value))
            elif column == "extra" and self.extra:  # carried columns the header lacks, as the full CSV writes them
                others = {k: v for k, v in row.items() if k not in self.columns and _is_carried(k)}
                cells.append(cell_text(others) if others else "")
            else:
                # lookup writes an error record's error as the full CSV does: its message text, not JSON
                cells.append(_cell(lookup(row if column in row else record, column, "check")))
        return cells

    def _csv_line(self, cells: list[str]) -> bytes:
        self.text.seek(0)
        self.text.truncate()
        self.writer.writerow([neutralise(c) for c in cells])
        return self.text.getvalue().encode("utf-8")


class AnswerSink:
    """A Projection's sink on the row path: each distinct answer parsed and shaped once, not each row.

    The batch renders an answer once per key (``batch_resolve.Resolver``)
    and splices it with each row's carried columns and echo. Here the
    rendering is the JSON Lines answer parsed back once (equal answers share
    one parse), and a brief answer is shaped once per answer and ``as_of``
    (the day decides which citations are written unpinned); a row then costs
    its carried columns and a few byte pieces. The rows are those
    ``Projection.write`` would make from the full JSON Lines, byte for byte.

    The rows go to ``out`` (the projection's own output unless ``write_to``
    says otherwise: a worker of the parallel path writes its block where it
    is told). The projection fixes its columns, and writes a CSV header, on
    the first row; a worker forked after that row shares them.
    """

    def __init__(self, projection: Projection, job):
        self.projection = projection
        self.out = projection.out
        self.jsonl = JsonlSink(None, job.echo_keys)  # its rendering only: the piece it would write
        self.slim = projection.brief  # brief rows read no notes or prose: the answers held keep none
        fields = projection.fields or ()
        self.needs_person = any(name.split(".", 1)[0] == "person" or name in ATTRIBUTES for name in fields)
        # An answer's line is the row's: full JSON Lines give it to error records only, the full CSV to every row,
        # and so do brief rows in each.
        self.needs_line = "line" in fields or (projection.brief and projection.fmt != "jsonl")
        self.buffer: list[bytes] = []
        self.pending = 0
        self._parsed: dict = {}  # rendered answer -> its one parse
        self._tails: dict = {}  # (id(answer), as_of) -> (answer, brief tail as JSON, as CSV)
        self._prefix: list[str] | None = None  # the carried columns of CSV brief rows
        self._plain_prefix = True
        self._ways: dict = {}  # input plan -> how its rows are written (``_way``)

    def set_carried(self, columns, extra: bool = False) -> None:
        """The carried columns as the full CSV has them (the header's, else the first readable row's)."""
        self.projection.set_carried(columns, extra)

    def write_to(self, out) -> None:
        """Write the rows from here on to ``out`` (a binary file, or a parallel worker's held output)."""
        self.out = out

    def render(self, data: dict) -> tuple[dict, int]:
        return self._parse(*self.jsonl.render(data))

    def _parse(self, pieces: tuple, cost: int) -> tuple[dict, int]:
        text = b"".join(pieces)
        answer = self._parsed.get(text)
        if answer is None:
            if len(self._parsed) >= 1024:
                self._parsed.clear()
            answer = orjson.loads(b"{" + (text[1:] if text[:1] == b"," else text))
            self._parsed[text] = answer = brief_answer(answer) if self.slim else answer
        return answer, cost + len(text)

    def ok(self, line: int, row: dict, plan, a, b, answer: dict) -> None:
        way = self._ways.get(plan)
        if way is None:
            way = self._way(line, plan, row, a, b, answer)
        if way is _GENERAL:
            carried = {out: _as_written(row[key]) for key, out in plan.carried}
            return self._emit(self._record(carried, a, b, answer, line))
        tail = self._tail(a.as_of, answer)
        buffer = self.buffer
        if way is _CSV:
            projection = self.projection
            carried = {out: _as_written(row[key]) for key, out in plan.carried}
            d = projection.writer.dialect.delimiter
            cells = [quote(neutralise(c), d) for c in projection._brief_cells(carried, carried, self._prefix)]
            buffer.append((d.join(cells) + d if cells else "").encode("utf-8") + b"%d" % line + tail[2])
        else:  # a brief JSON Lines row: its carried columns as ``orjson.dumps`` of them writes them, then the tail
            buffer.append(b"{")
            dumps = orjson.dumps
            for key, name in way:
                buffer += (name, dumps(row[key], default=str), b",")
            buffer.append(tail[1])
        self.pending += 1
        if self.pending >= 256:
            self.flush()

    def _way(self, line: int, plan, row: dict, a, b, answer: dict):
        """How the rows of one input plan are written, once the projection's columns are fixed by the first row.

        ``_GENERAL``: as from the full JSON Lines (``--fields``, or carried
        columns that could be read as result fields); ``_CSV``: a brief CSV
        row from its shaped tail; else the JSON pieces of the carried column
        names (a brief JSON Lines row).
        """
        projection = self.projection
        carried = {out: _as_written(row[key]) for key, out in plan.carried}
        if projection.columns is None:
            projection._first(self._record(carried, a, b, answer, line))
        if self._prefix is None:  # the columns are fixed by the first row, which may have been a failed one
            # The brief cells of a carried column are its own unless its name could be read as a result field
            # (a dotted one; one named partial_sources is carried as input.partial_sources: ``Job.output_keys``).
            self._prefix = projection.columns[:len(projection.columns) - len(brief_columns())]
            self._plain_prefix = not any("." in c for c in self._prefix)
        if not projection.brief or (projection.fmt != "jsonl" and not (
                self._plain_prefix and not any("." in c for c in carried))):
            way = _GENERAL
        elif projection.fmt != "jsonl":
            way = _CSV
        else:
            way = self.jsonl.carried_names(plan)  # as a full row writes them
        if len(self._ways) >= 1024:
            self._ways.clear()
        self._ways[plan] = way
        return way

    def _record(self, carried: dict, a, b, answer: dict, line: int) -> dict:
        """The row as ``orjson.loads`` gives it back from the full JSON Lines (the echo only where asked for),
        with its line where ``--fields`` asks for it."""
        if self.needs_line:
            carried = {**carried, "line": line}
        if self.needs_person:
            echo = orjson.loads(b"{" + a.json_pre + b.json + a.json_province + a.json_post + b"}")
            return {**carried, **{k: echo[k] for k in self.jsonl.echo_keys}, **answer}
        return {**carried, "as_of": a.as_of, **answer}

    def _tail(self, as_of: str, answer: dict) -> tuple:
        """A brief answer without the carried columns: as JSON after its ``{`` with the line's end, and as the end
        of a CSV line from the delimiter after its ``line`` cell (the row's own, written by ``ok``)."""
        key = (id(answer), as_of)
        found = self._tails.get(key)
        if found is None or found[0] is not answer:  # the answer itself is held, so its id is not reused
            if len(self._tails) >= 4096:
                self._tails.clear()
            record = {"as_of": as_of, **answer}
            shaped = brief(record, self.projection.in_force)
            cells = None
            if self.projection.fmt != "jsonl":  # joined as csv.writer joins them (``quote``), the line's end too
                d = self.projection.writer.dialect.delimiter
                columns = brief_columns()  # the row's own cells (carried columns, then line) are ``ok``'s to write
                cells = self.projection._brief_cells(shaped, record, columns[columns.index("line") + 1:])
                cells = (d + d.join(quote(neutralise(c), d) for c in cells) + line_end(d)).encode("utf-8")
            found = self._tails[key] = (answer, orjson.dumps(shaped)[1:] + b"\n", cells)
        return found

    def error(self, line: int, row: dict | None, plan, err: InputError) -> None:
        carried = {out: row[key] for key, out in plan.carried} if plan is not None else {}
        record = {**carried, "line": line, "error": error_object(err)}
        self._emit(orjson.loads(orjson.dumps(record, default=str)))

    def _emit(self, record: dict) -> None:
        self.buffer.append(self.projection._row(record))
        self.pending += 1
        if self.pending >= 256:
            self.flush()

    def flush(self) -> None:
        if self.buffer and getattr(self.out, "keeps_pieces", False):  # a parallel worker's output: held, unjoined
            self.out.keep(self.buffer)
            self.buffer = []
        elif self.buffer:
            data = b"".join(self.buffer)
            self.buffer.clear()
            self.out.write(data)
        self.pending = 0

    def close(self) -> None:
        self.flush()
        self.projection.out.flush()


#: How an input plan's rows are written (``AnswerSink._way``), besides a brief JSON Lines row's column names.
_GENERAL, _CSV = "general", "csv"


def _as_written(value):
    """A carried value as the JSON Lines give it back (text as it is; anything else through JSON)."""
    if value.__class__ is str:
        return value
    return orjson.loads(orjson.dumps(value, default=str))


def _in_force(law):
    """``(instrument, "YYYY-MM-DD") -> version id`` in force that day (None if none), remembered."""
    import datetime as _dt

    memo: dict = {}

    def version(instrument: str, as_of: str):
        key = (instrument, as_of)
        if key not in memo:
            inst = law.instruments.get(instrument)
            found = inst.version_on(_dt.date.fromisoformat(as_of)) if inst is not None else None
            memo[key] = found.id if found is not None else None
        return memo[key]

    return version


def _error_text(error: dict) -> str:
    """An error record's error in one line, as the summary on stderr says it."""
    return InputError(error.get("field", ""), error.get("value"), error.get("message", "")).describe(
        error.get("field", ""))


def _cell(value) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        if "instrument" in value[0]:
            value = _labels(value)
        elif "id" in value[0]:  # findings: their ids
            value = [v.get("id") for v in value]
    return cell_text(value)
