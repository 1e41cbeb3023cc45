"""The row path of a batch: every input row yields exactly one output row or one error record, in input order.

``run_batch(rows, job, out, fmt)`` streams rows (from ``batch_read``) through
a job (``batch_resolve.Job``: an engine's answer and its key, in two halves)
into a sink (``batch_write``), holding nothing but bounded caches: memory
stops growing once they are full, however long the input. It returns
``BatchCounts``. ``answer_rows`` is its loop, which the parallel path runs
on each block of the file and the Parquet path falls back to for text output.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable

from socins_cli.batch.read import attribute_of
from socins_cli.batch.resolve import A_ATTRIBUTES, A_CORE, A_FREE, B_ATTRIBUTES, B_CORE, B_FREE, ByType, Job, Resolver
from socins_cli.batch.write import DelimitedSink, JsonlSink
from socins_cli.errors import DataError, ExitCode, InputError, RowFailure, kept, one_line
from socins_cli.person import ATTRIBUTES

_ABSENT = object()  # a key no row has: row.get(_ABSENT) is None
_PROGRESS_EVERY = 8192
CACHE_BYTES = 32 << 20  # rendered results held per process


@dataclass
class BatchCounts:
    rows: int = 0
    failed: int = 0
    first_error: tuple[int, InputError] | None = None
    bytes_done: int = 0  # input bytes whose rows are answered (the parallel path; one process counts Source.consumed)

    @property
    def exit_code(self) -> int:
        return ExitCode.BAD_INPUT if self.failed else ExitCode.OK

    def summary(self) -> str | None:
        """``12 of 100000 rows failed; first: line 7: birth "1990-13": month must be 01-12``, or None.

        One line, as the single command's error: the value it echoes has its
        line breaks and control characters escaped (``errors.one_line``).
        """
        if not self.failed:
            return None
        line, err = self.first_error
        return one_line(f"{self.failed} of {self.rows} rows failed; first: line {line}: {err}")


class _Plan:
    """How one set of column names maps onto attributes and carried columns."""

    __slots__ = ("a_names", "b_names", "carried", "carried_out", "error", "get_a", "get_b", "get_free_a",
                 "get_free_b", "given_a", "given_b")

    def __init__(self, keys: tuple, reserved: frozenset):
        found: dict[str, str] = {}
        self.carried = []
        self.error = None
        for key in keys:
            attr = attribute_of(key)
            if attr is None:
                out = key if key not in reserved else f"input.{key}"
                self.carried.append((key, out))
            elif attr in found:
                self.error = InputError(attr, [found[attr], key], "is given twice: keep one of these columns")
            else:
                found[attr] = key
        self.carried_out = [out for _, out in self.carried]
        self.a_names = tuple(found.get(a, _ABSENT) for a in A_ATTRIBUTES)
        self.b_names = tuple(found.get(b, _ABSENT) for b in B_ATTRIBUTES)
        # The core attributes the row gives, and a getter of their values (itemgetter: a tenth of a map over
        # row.get); a getter of each free attribute (None when the row has no such column).
        self.given_a = tuple(a for a in A_CORE if a in found)
        self.given_b = tuple(b for b in B_CORE if b in found)
        self.get_a = _getter([found[a] for a in self.given_a])
        self.get_b = _getter([found[b] for b in self.given_b])
        self.get_free_a = _one(found.get(A_FREE))
        self.get_free_b = _one(found.get(B_FREE))


def _getter(keys: list) -> Callable[[dict], tuple]:
    """``row -> tuple of row[key] for keys``."""
    if len(keys) > 1:
        return operator.itemgetter(*keys)
    if keys:
        key = keys[0]
        return lambda row: (row[key],)
    return lambda row: ()


def _one(key: str | None) -> Callable[[dict], object]:
    """``row -> row[key]``, or None for every row when the rows have no such column."""
    return operator.itemgetter(key) if key is not None else _none


def _none(row: dict) -> None:
    return None


def reserved_names(job: Job) -> frozenset:
    """Output names a carried column may not take (it becomes ``input.<name>``)."""
    return frozenset({"line", "error", "extra", *ATTRIBUTES, *job.output_keys, *job.echo_keys, *job.columns})


def make_sink(fmt: str, out: BinaryIO, job: Job, bom: bool = False):
    if fmt in ("jsonl", "json"):
        row_sink = getattr(out, "row_sink", None)  # a projection (--brief, --fields) takes the answers themselves
        if row_sink is not None:
            return row_sink(job)
        return JsonlSink(out, job.echo_keys)
    if fmt in ("csv", "tsv"):
        return DelimitedSink(out, job.columns, job.flatten, "\t" if fmt == "tsv" else ",", bom)
    raise InputError("format", fmt, "expected jsonl, csv or tsv for streamed output (parquet needs --output FILE)")


def run_batch(
    rows: Iterable,
    job: Job,
    out: BinaryIO,
    fmt: str = "jsonl",
    *,
    bom: bool = False,
    default_as_of=None,
    progress: Callable[[int], None] | None = None,
    cache_bytes: int = CACHE_BYTES,
    sink=None,
) -> BatchCounts:
    """Write one result or one error record per ``(line, row)`` of ``rows``, in order.

    ``rows`` yields ``(line, dict)`` or ``(line, InputError)``; a reader with a
    ``columns`` attribute (CSV) fixes the carried columns of CSV output,
    otherwise the first row does and later strangers go to an ``extra`` column.
    """
    sink = sink if sink is not None else make_sink(fmt, out, job, bom)
    resolver = Resolver(job, sink.render, default_as_of, cache_bytes)
    reserved = reserved_names(job)
    counts = BatchCounts()
    stream = iter(rows)
    try:
        first = fix_carried(rows, stream, sink, reserved, counts)
        if first is not None:
            answer_rows(itertools.chain((first,), stream), resolver, sink, reserved, counts, progress)
    except KeyboardInterrupt:
        try:
            sink.close()  # keep the rows already answered: the output is a prefix
        except Exception:
            pass
        raise
    sink.close()
    if progress is not None:
        progress(counts.rows)
    return counts


def fix_carried(rows, stream, sink, reserved: frozenset, counts: BatchCounts):
    """Fix the sink's carried columns (the reader's header, else the first row's); returns that first row.

    Error records met before it wait (up to 1024), as their columns are not known yet.
    """
    columns = getattr(rows, "columns", None)
    pending = []
    first = None
    for line, row in stream:
        if row.__class__ is dict or columns is not None or len(pending) >= 1024:
            first = (line, row)
            break
        pending.append((line, row))
        columns = getattr(rows, "columns", None)
    columns = getattr(rows, "columns", columns)
    if columns is not None:
        sink.set_carried(_Plan(tuple(columns), reserved).carried_out)
    elif first is not None and first[1].__class__ is dict:
        sink.set_carried(_Plan(tuple(first[1]), reserved).carried_out, extra=True)
    else:  # no row; a CSV with no header at all has no columns to carry, JSON Lines may have any
        sink.set_carried([], extra=not hasattr(rows, "columns"))
    for line, err in pending:
        _fail_unread(counts, sink, line, err, reserved)
    return first


def _fail_unread(counts: BatchCounts, sink, line: int, err: InputError, reserved: frozenset) -> None:
    """A row the reader could not take: its error record carries the cells that were read (``err.cells``), if any."""
    cells = getattr(err, "cells", None)
    _fail(counts, sink, line, cells, None if cells is None else _Plan(tuple(cells), reserved), err)


def _fail(counts: BatchCounts, sink, line: int, row, plan, err: InputError) -> None:
    kept(err)  # it may be kept as the first error: not with the frames (and rows) of its raise
    counts.rows += 1
    counts.failed += 1
    if counts.first_error is None:
        counts.first_error = (line, err)
    sink.error(line, row, plan, err)


def _new_plan(plans: dict, keys: tuple, reserved: frozenset, given) -> tuple:
    """The plan of a row giving these columns, and its getters, kept for the rows after it (a bounded table)."""
    if len(plans) >= 1024:
        plans.clear()
    plan = _Plan(keys, reserved)
    found = plans[keys] = (plan, plan.get_a, given(plan.given_a), plan.get_b, given(plan.given_b),
                           plan.get_free_a, plan.get_free_b)
    return found


def answer_rows(rows, resolver: Resolver, sink, reserved: frozenset, counts: BatchCounts, progress) -> None:
    """The hot loop: a row whose parts and result are cached costs a few look-ups and one splice.

    Anything off the common path (a bad value, a birth after as_of, a key
    not yet answered, an engine error) goes through ``resolver.parts`` and
    ``resolver.rendered``, which give the exact error a single call gives.
    """
    plans: dict[tuple, tuple] = {}
    core_a, core_b, part_a, part_b = resolver.core_a, resolver.core_b, resolver.part_a, resolver.part_b
    results = resolver.results
    given = resolver.given
    key_of = resolver.key_of
    move_to_end = results.move_to_end
    # Recency matters only once the cache may evict: till half full, a hit skips the LRU's bookkeeping.
    recency = resolver.held * 2 > resolver.cache_bytes
    ok = sink.ok
    for line, row in rows:
        if progress is not None and not (counts.rows + 1) % _PROGRESS_EVERY:
            progress(counts.rows + 1)
        if row.__class__ is not dict:
            _fail_unread(counts, sink, line, row, reserved)
            continue
        keys = tuple(row)
        found = plans.get(keys) or _new_plan(plans, keys, reserved, given)
        plan, get_a, given_a, get_b, given_b, free_a, free_b = found
        if plan.error is not None:
            _fail(counts, sink, line, row, plan, plan.error)
            continue
        try:
            raw = get_a(row)
            core = core_a(given_a, raw)
            if core.__class__ is ByType:  # values that are not text: 2, 2.0 and true share the LRU's entry
                core = core.of(raw)
            raw = free_a(row)
            a = core.parts.get(raw) or part_a(core, raw)
            raw = get_b(row)
            core = core_b(given_b, raw)
            if core.__class__ is ByType:
                core = core.of(raw)
            raw = free_b(row)
            b = core.parts.get(raw) or part_b(core, raw)
            valid = b.month <= a.month  # birth not after as_of
        except Exception:
            valid = False
        try:
            if not valid:  # a bad value somewhere: the careful way gives the error one call gives
                a, b = resolver.parts(tuple(map(row.get, plan.a_names)), tuple(map(row.get, plan.b_names)))
            key = (a.code, b.code) if a.plain else key_of(a, b)  # with what a rule reads from both halves
            rendered = results.get(key)
            if rendered is None or rendered.__class__ is InputError:
                rendered = resolver.rendered(a, b)  # answered now, or the key's error raised
                recency = resolver.held * 2 > resolver.cache_bytes
            elif recency:
                move_to_end(key)
        except InputError as err:
            _fail(counts, sink, line, row, plan, err)
            continue
        except DataError:
            raise
        except Exception as exc:  # an engine bug must not swallow the rows after it
            _fail(counts, sink, line, row, plan,
                  RowFailure(f"internal error ({type(exc).__name__}: {exc}); please report it"))
            continue
        counts.rows += 1
        ok(line, row, plan, a, b, rendered)
