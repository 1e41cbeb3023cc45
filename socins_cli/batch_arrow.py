"""Parquet in and out (the optional extra ``socins[arrow]``: pyarrow, imported only here).

Parquet to Parquet is columnar. For each record batch:

1. every attribute column is dictionary-encoded (pyarrow's hash kernels);
2. rows are grouped by their A attributes and by their B attributes (see
   ``batch_resolve``) and each distinct group is normalised once, through
   the same bounded caches as the streamed path: a row is valid when both
   its groups are;
3. valid rows are grouped by the raw values of the attributes the job's key
   has been seen to read (learned from the first person of each group; when
   a person reads one more attribute the batch is grouped again); each
   distinct combination is keyed and answered once, from the result cache;
4. the answers are broadcast back to the rows as dictionary-encoded columns,
   and the batch is written as one row group.

Output columns: the carried columns as they came (renamed ``input.<name>``
where they clash), ``line`` (the row's 1-based number in the file),
``error`` (null for a result), the normalised attributes, and the job's
result columns (``batch_jobs``), typed (``settled`` is boolean, ages are
integers). Rows with equal keys share one outcome, an engine error included.

Parquet input with JSON Lines, CSV or TSV output streams the rows through
the ordinary runner. Parquet output needs Parquet input and ``--output``.
"""

from __future__ import annotations

from socins_cli.batch_read import attribute_of
from socins_cli.batch_resolve import A_ATTRIBUTES, B_ATTRIBUTES, PartA, PartB, Resolver
from socins_cli.batch_write import Interner, cell_text
from socins_cli.errors import InputError
from socins_cli.person import ATTRIBUTES

_BATCH_ROWS = 1 << 16
_B_ECHO = ("sex", "birth", "female_track")


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("format", "parquet", "needs pyarrow: install socins[arrow]") from None
    return pa, pc, pq


def open_parquet(path: str):
    _, _, pq = _pyarrow()
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise InputError("input", path, "cannot be read: no such file") from None
    except Exception as exc:  # pyarrow raises ArrowInvalid and friends for a bad file
        raise InputError("input", path, f"is not a readable Parquet file: {exc}") from None


class ParquetRows:
    """Parquet rows as ``(line, dict)`` for the streamed runner; ``columns`` is the schema's names."""

    def __init__(self, pf, batch_rows: int = 1 << 16):
        self.pf = pf
        self.columns = list(pf.schema_arrow.names)
        self.batch_rows = batch_rows

    def __iter__(self):
        line = 0
        for batch in self.pf.iter_batches(batch_size=self.batch_rows):
            for row in batch.to_pylist():
                line += 1
                yield line, row


def _column_types(pa, job):
    kinds = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "string": pa.string()}
    declared = getattr(job, "column_types", None) or {}
    return [kinds[declared.get(c, "string")] for c in job.columns]


def _typed(value, kind):
    """A flat value as the column's type: lists and objects become text as in CSV."""
    if value is None:
        return None
    if kind == "string":
        return cell_text(value)
    if kind == "float":
        return float(value)
    return value


class _Columnar:
    """The Parquet-to-Parquet path for one file (see the module docstring)."""

    def __init__(self, job, pf, default_as_of=None):
        self.pa, self.pc, self.pq = _pyarrow()
        pa = self.pa
        self.job = job
        self.types = _column_types(pa, job)
        kinds = [getattr(job, "column_types", {}).get(c, "string") for c in job.columns]
        self.kinds = kinds
        self.intern = Interner()
        self.resolver = Resolver(job, self._render, default_as_of)
        names = list(pf.schema_arrow.names)
        from socins_cli.batch import reserved_names

        reserved = reserved_names(job)
        self.attr_index: dict[str, int] = {}
        self.carried: list[tuple[int, str]] = []
        for i, name in enumerate(names):
            attr = attribute_of(name)
            if attr is None:
                self.carried.append((i, name if name not in reserved else f"input.{name}"))
            elif attr in self.attr_index:
                raise InputError("header", name, f"names the same column as {names[self.attr_index[attr]]!r}: "
                                                 "each column may appear once")
            else:
                self.attr_index[attr] = i
        fields = [pa.field(out, pf.schema_arrow.field(i).type) for i, out in self.carried]
        fields += [pa.field("line", pa.int64()), pa.field("error", pa.string())]
        fields += [pa.field(a, pa.dictionary(pa.int32(), pa.int64() if a == "employers" else pa.string()))
                   for a in ATTRIBUTES]
        fields += [pa.field(c, pa.dictionary(pa.int32(), t)) for c, t in zip(job.columns, self.types)]
        self.schema = pa.schema(fields)
        self.reads: set[str] = set()
        self.memo: dict = {}
        self.line = 0
        self._arange = None

    def _render(self, data: dict) -> tuple[tuple, int]:
        flat = self.job.flatten(data)
        values, cost = [], 64
        for column, kind in zip(self.job.columns, self.kinds):
            value = _typed(flat.get(column), kind)
            if value.__class__ is str:
                value, paid = self.intern(value)
                cost += paid
            values.append(value)
        return tuple(values), cost + 8 * len(values)

    # -- grouping ----------------------------------------------------------------
    def _encode(self, batch) -> dict:
        pa = self.pa
        out = {}
        for attr, i in self.attr_index.items():
            col = batch.column(i)
            if pa.types.is_dictionary(col.type):
                col = col.cast(col.type.value_type)
            enc = col.dictionary_encode(null_encoding="encode")
            out[attr] = (enc.indices, enc.dictionary)
        return out

    def _code(self, enc: dict, attrs, n: int):
        """One int64 per row naming its combination of ``attrs`` (a mixed-radix number)."""
        pa, pc = self.pa, self.pc
        code, card = None, 1
        for attr in attrs:
            if attr not in enc:
                continue
            idx, dic = enc[attr]
            k = max(1, len(dic))
            idx = idx.cast(pa.int64())
            if code is None:
                code, card = idx, k
                continue
            if card * k >= 1 << 62:
                code = pc.dictionary_encode(code).indices.cast(pa.int64())
                card = len(pc.unique(code))
            code = pc.add(pc.multiply(code, k), idx)
            card *= k
        if code is None:
            code = pa.nulls(n, pa.int64()).fill_null(0)
        return code

    def _groups(self, code):
        """(per-row group index, first row of each group, each group's code)."""
        pc = self.pc
        enc = pc.dictionary_encode(code)
        firsts = pc.index_in(enc.dictionary, value_set=code)
        return enc.indices, firsts, enc.dictionary

    @staticmethod
    def _raw(enc: dict, attrs, rows) -> list[tuple]:
        """The raw values of ``attrs`` at ``rows`` (an Int32Array), as tuples."""
        columns = []
        for attr in attrs:
            if attr in enc:
                idx, dic = enc[attr]
                columns.append(dic.take(idx.take(rows)).to_pylist())
            else:
                columns.append([None] * len(rows))
        return list(zip(*columns)) if columns else [()] * len(rows)

    def _parts(self, make, raws):
        parts = []
        for raw in raws:
            try:
                try:
                    parts.append(make(raw))
                except TypeError:
                    parts.append(make.__wrapped__(raw))
            except InputError as err:
                parts.append(err)
        return parts

    # -- one batch ---------------------------------------------------------------
    def answer(self, batch, counts):
        pa, pc = self.pa, self.pc
        n = batch.num_rows
        enc = self._encode(batch)
        resolver = self.resolver
        inv_a, first_a, _ = self._groups(self._code(enc, A_ATTRIBUTES, n))
        inv_b, first_b, _ = self._groups(self._code(enc, B_ATTRIBUTES, n))
        raw_a = self._raw(enc, A_ATTRIBUTES, first_a)
        raw_b = self._raw(enc, B_ATTRIBUTES, first_b)
        parts_a = self._parts(resolver.part_a, raw_a)
        parts_b = self._parts(resolver.part_b, raw_b)
        ok_a = pa.array([p.__class__ is PartA for p in parts_a]).take(inv_a)
        ok_b = pa.array([p.__class__ is PartB for p in parts_b]).take(inv_b)
        valid = pc.and_(ok_a, ok_b)

        # Invalid rows: the failing part's error, or one full call when both fail.
        errors = pa.nulls(n, pa.string())
        bad_rows = pc.indices_nonzero(pc.invert(valid))
        first_bad = None
        if len(bad_rows):
            messages = []
            for r, ia, ib in zip(bad_rows.to_pylist(), inv_a.take(bad_rows).to_pylist(),
                                 inv_b.take(bad_rows).to_pylist()):
                pa_, pb_ = parts_a[ia], parts_b[ib]
                if pa_.__class__ is not PartA and pb_.__class__ is not PartB:
                    err = resolver.canonical_error(raw_a[ia], raw_b[ib], pa_)
                else:
                    err = pa_ if pa_.__class__ is not PartA else pb_
                messages.append(str(err))
                if first_bad is None:
                    first_bad = (self.line + r + 1, err)
            errors = pc.replace_with_mask(errors, pc.invert(valid), pa.array(messages, pa.string()))

        # Valid rows grouped by the normalised values of what the key reads; each group keyed and answered once.
        normalised: dict = {}
        inv_a_list = inv_b_list = None
        while True:
            attrs = [a for a in ATTRIBUTES if a in self.reads]
            for attr in attrs:
                if attr not in normalised:
                    normalised[attr] = self._normalised(attr, parts_a, parts_b, inv_a, inv_b)
            code = pc.if_else(valid, self._code(normalised, attrs, n), -1)
            inv, first, codes = self._groups(code)
            if inv_a_list is None:
                inv_a_list, inv_b_list = inv_a.to_pylist(), inv_b.to_pylist()
            restart = False
            group_result, group_error = [], []
            for row, group_code in zip(first.to_pylist(), codes.to_pylist()):
                if group_code == -1:
                    group_result.append(None)
                    group_error.append(None)
                    continue
                a, b = parts_a[inv_a_list[row]], parts_b[inv_b_list[row]]
                memo_key = tuple(a.kwargs[x] if x in a.kwargs else b.kwargs[x] for x in attrs)
                try:
                    key = self.memo.get(memo_key)
                    if key is None:
                        key, read = resolver.key_with_reads(a, b)
                        if not read <= self.reads:
                            self.reads |= read
                            self.memo.clear()
                            restart = True
                            break
                        if len(self.memo) >= 1 << 18:
                            self.memo.clear()
                        self.memo[memo_key] = key
                    group_result.append(resolver.result_of(key, a, b))
                    group_error.append(None)
                except InputError as err:
                    group_result.append(None)
                    group_error.append(err)
            if not restart:
                break

        # Engine errors of a group apply to its rows.
        failed = len(bad_rows)
        if any(e is not None for e in group_error):
            per_row = pa.array([str(e) if e is not None else None for e in group_error], pa.string()).take(inv)
            errors = pc.if_else(valid, per_row, errors)
            group_rows = pc.indices_nonzero(pc.is_valid(per_row))
            failed += len(group_rows)
            first_group = int(group_rows[0].as_py()) if len(group_rows) else None
            if first_group is not None and (first_bad is None or self.line + first_group + 1 < first_bad[0]):
                err = group_error[inv[first_group].as_py()]
                first_bad = (self.line + first_group + 1, err)
        counts.rows += n
        counts.failed += failed
        if first_bad is not None and counts.first_error is None:
            counts.first_error = first_bad

        # Broadcast: each distinct result once in the batch's dictionaries.
        local: dict[int, int] = {}
        distinct: list[tuple] = []
        slots = []
        for res in group_result:
            if res is None:
                slots.append(None)
                continue
            i = local.get(id(res))
            if i is None:
                i = local[id(res)] = len(distinct)
                distinct.append(res)
            slots.append(i)
        row_slot = pa.array(slots, pa.int32()).take(inv)
        columns = [batch.column(i) for i, _ in self.carried]
        columns.append(pc.add(self._range(n), self.line + 1))
        columns.append(errors)
        columns += self._echo(parts_a, parts_b, inv_a, inv_b, valid)
        by_column = list(zip(*distinct)) if distinct else [()] * len(self.job.columns)
        for values, kind in zip(by_column, self.types):
            columns.append(self._dictionary(values, row_slot, kind))
        self.line += n
        return pa.Table.from_arrays(columns, schema=self.schema)

    def _normalised(self, attr: str, parts_a, parts_b, inv_a, inv_b):
        """(per-row codes, distinct values) of an attribute's normalised value (``广东`` and ``guangdong`` alike)."""
        pa = self.pa
        parts, inv = (parts_a, inv_a) if attr in A_ATTRIBUTES else (parts_b, inv_b)
        seen: dict = {}
        codes = []
        for p in parts:
            value = p.kwargs.get(attr) if p.__class__ in (PartA, PartB) else None
            codes.append(seen.setdefault(value, len(seen)))
        return pa.array(codes, pa.int32()).take(inv), list(seen)

    def _range(self, n: int):
        if self._arange is None or len(self._arange) < n:
            self._arange = self.pa.array(range(max(n, _BATCH_ROWS)), self.pa.int64())
        return self._arange.slice(0, n)

    def _echo(self, parts_a, parts_b, inv_a, inv_b, valid) -> list:
        """The normalised attribute columns, null on error rows."""
        pa, pc = self.pa, self.pc
        idx_a = pc.if_else(valid, inv_a, pa.scalar(None, pa.int32()))
        idx_b = pc.if_else(valid, inv_b, pa.scalar(None, pa.int32()))
        out = []
        for attr in ATTRIBUTES:
            if attr in _B_ECHO:
                values = [p.echo.get(attr) if p.__class__ is PartB else None for p in parts_b]
                idx = idx_b
            else:
                values = [(p.head.get(attr) if attr in p.head else p.tail.get(attr)) if p.__class__ is PartA
                          else None for p in parts_a]
                idx = idx_a
            out.append(self._dictionary(values, idx, pa.int64() if attr == "employers" else pa.string()))
        return out

    def _dictionary(self, values, indices, kind):
        """A dictionary column of ``values`` (one per group) taken at ``indices``.

        The dictionary keeps each value once and no null (a null value is a
        null index): Parquet writes such a dictionary as it is, where a long
        one full of repeats would make it fall back to plain pages.
        """
        pa = self.pa
        seen: dict = {}
        remap, kept = [], []
        for v in values:
            if v is None:
                remap.append(None)
                continue
            i = seen.get(v)
            if i is None:
                i = seen[v] = len(kept)
                kept.append(v)
            remap.append(i)
        if len(kept) < len(values):
            indices = pa.array(remap, pa.int32()).take(indices)
        return pa.DictionaryArray.from_arrays(indices, pa.array(kept, kind))


def run_parquet(job, input: str, output: str | None, out_fmt: str, *, out=None, bom: bool = False,
                default_as_of=None, progress=None, batch_rows: int = _BATCH_ROWS):
    """Parquet input: columnar to Parquet, streamed to JSON Lines / CSV / TSV."""
    from socins_cli.batch import BatchCounts, run_batch

    pf = open_parquet(input)
    if out_fmt != "parquet":
        rows = ParquetRows(pf)
        if output is not None:
            with open(output, "wb") as fh:
                return run_batch(rows, job, fh, out_fmt, bom=bom, default_as_of=default_as_of, progress=progress)
        import sys

        return run_batch(rows, job, out if out is not None else sys.stdout.buffer, out_fmt, bom=bom,
                         default_as_of=default_as_of, progress=progress)
    columnar = _Columnar(job, pf, default_as_of)
    counts = BatchCounts()
    _, _, pq = _pyarrow()
    dictionary_columns = [f.name for f in columnar.schema if columnar.pa.types.is_dictionary(f.type)]
    writer = pq.ParquetWriter(output, columnar.schema, compression="snappy", write_statistics=["line"],
                              use_dictionary=dictionary_columns)
    try:
        for batch in pf.iter_batches(batch_size=batch_rows):
            writer.write_table(columnar.answer(batch, counts))
            if progress is not None:
                progress(counts.rows)
    finally:
        writer.close()
    return counts
