"""Parquet in and out (the optional extra ``socins[arrow]``: pyarrow, imported only here).

Parquet to Parquet is columnar: the work per row is done by pyarrow kernels,
and Python only sees each distinct value of a column, each distinct
combination of normalised values and each distinct key. For each record batch:

1. every attribute column is dictionary-encoded (read so from the file when
   it can be) and each distinct raw value is normalised once
   (``person.normalise_field``, remembered across batches), so a row becomes
   one small code per attribute;
2. rows are grouped by their normalised A attributes and by their B ones
   (see ``batch_resolve``). Each distinct combination is cross-checked as
   ``make_person`` does (category with relation, sex with female track) and
   keyed once: ``Job.key_a`` of a person with only its A attributes,
   ``Job.key_b`` of one with only its B ones (remembered across batches).
   The one check across the groups, birth not after as_of, compares two
   month-number columns. The rows that fail are grouped by what decides
   their error (the first refused value, else the failed cross-check) and
   each group gets the error one ``make_person`` call on the raw values of
   one of its rows raises: messages equal the streamed path's;
3. valid rows are grouped by their key, the pair of their halves; each
   distinct pair is answered once (the job's answer, flattened: ``_Flat``);
   pairs with equal answers share one answer number (thousands of check
   keys have a few dozen answers), and each answer is kept once as one
   code per result column (each column's values are kept once), within a
   byte budget;
4. the attribute and result columns are dictionary arrays built by
   ``take`` from those per-value and per-answer codes, ``error`` from the
   messages of the groups. The batch is written as one row group, on a
   thread of its own while the next batch is answered (pyarrow encodes and
   compresses without the GIL). The kernels are called through pyarrow's
   registry (``_Kernels``), without importing ``pyarrow.compute``.

Output columns: the carried columns as they came (renamed ``input.<name>``
where they clash), ``line`` (the row's 1-based number in the file),
``error`` (null for a result), the normalised attributes, and the job's
result columns (``batch_jobs``), typed (``settled`` is boolean, ages are
integers); attributes and results are dictionary-encoded. On an error row
the attribute and result columns are null. Rows with equal keys share one
outcome, an engine error included. Memory stays flat: batches have a fixed
size (small row groups of the input are joined), every cache is bounded,
and Arrow allocates from jemalloc, which gives back what a batch freed.

Parquet input with JSON Lines, CSV or TSV output streams the rows through
the ordinary runner. Parquet output needs Parquet input and ``--output``.

What this path shares with the row path: the job (``batch_jobs``: the
engines' declared keys, in the same two halves, and the run's caches of
scheme answers, findings and retirement plans) and its flattening
(``Job.flatten``, typed by ``_Flat``). What it keeps apart earns its lines:
100,000 rows Parquet to Parquet take 0.84 s of processor time for check and
0.60 s for retirement here, against 1.15 s and 0.88 s for the same rows
from JSON Lines through the row path to JSON Lines (one worker; one run,
minimum of five).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import operator
import sys
import threading
from array import array

from socins_cli.batch.read import attribute_of, refuse_names_twice
from socins_cli.batch.resolve import A_ATTRIBUTES, B_ATTRIBUTES
from socins_cli.batch.write import cell_text, open_output, output_error
from socins_cli.dates import Month, today
from socins_cli.errors import DataError, InputError, RowFailure, kept
from socins_cli.person import (ATTRIBUTES, NORMALISE_ORDER, Person, employers_contradict, make_person,
                               normalise_field, relation_contradicts, waiver_contradicts)

_BATCH_ROWS = 1 << 16  # rows per record batch and per row group: memory is a few of these, whatever the file
_VALUES_KEPT = 1 << 16  # distinct raw values remembered per attribute
_COMBINATIONS_KEPT = 1 << 16  # distinct normalised A (B) combinations remembered, with their keys
_WHOLE_DICTIONARY_BYTES = 1 << 16  # a result column whose values take more has a dictionary per batch
_ANSWERS_SEEN = 1 << 12  # engine answer objects remembered by identity
_YOUNG_COLLECTION = 20_000  # allocations between two collections of the youngest generation while answering
_NO_MONTH = 1 << 30
_UNSEEN = object()


def _pyarrow():
    """(pyarrow, its compute functions as ``_Kernels``, pyarrow.parquet)."""
    global _KERNELS
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
        from pyarrow import _compute
    except ImportError:
        raise InputError("format", "parquet", "needs pyarrow: install socins[arrow]") from None
    if _KERNELS is None:
        _KERNELS = _Kernels(_compute)
    return pa, _KERNELS, pq


_KERNELS = None


class _Kernels:
    """The compute functions this path calls, straight from pyarrow's registry: ``add(x, y)`` is its "add".

    ``pyarrow.compute`` writes a Python wrapper, docstring and all, for each
    of its hundreds of functions when imported, which costs a Parquet run
    27 ms of start-up here (the floor does not pay it), and array methods
    such as ``take`` or ``cast`` import it: so this path calls neither.
    """

    def __init__(self, compute):
        self._compute = compute
        self._call = compute.call_function

    def __getattr__(self, name: str):
        call, function = self._call, name.rstrip("_")  # and_ is "and"

        def kernel(*args):
            return call(function, list(args))

        setattr(self, name, kernel)
        return kernel

    def cast(self, values, target):
        return self._call("cast", [values], self._compute.CastOptions.safe(target))

    def fill_null(self, values, fill):
        return self._call("coalesce", [values, fill])

    def index_in(self, values, value_set):
        return self._call("index_in", [values], self._compute.SetLookupOptions(value_set))

    def is_in(self, values, value_set):
        return self._call("is_in", [values], self._compute.SetLookupOptions(value_set))


def open_parquet(path: str, read_dictionary=None):
    _, _, pq = _pyarrow()
    try:
        pf = pq.ParquetFile(path, read_dictionary=read_dictionary)
    except FileNotFoundError:
        raise InputError("input", path, "cannot be read: no such file") from None
    except Exception as exc:  # pyarrow raises ArrowInvalid and friends for a bad file
        raise InputError("input", path, f"is not a readable Parquet file: {exc}") from None
    refuse_names_twice(pf.schema_arrow.names, "column")  # as a CSV header naming one twice
    return pf


class ParquetRows:
    """Parquet rows as ``(line, dict)`` for the streamed runner; ``columns`` is the schema's names."""

    def __init__(self, pf, batch_rows: int = 1 << 16):
        import pyarrow as pa

        self.pf = pf
        self.columns = list(pf.schema_arrow.names)
        self.batch_rows = batch_rows
        # Binary columns come out as bytes, which text output would write as Python's b'…': their text instead,
        # UTF-8 where it decodes, else with the bytes that do not as \xNN (as error records show them).
        self.binary = [f.name for f in pf.schema_arrow if _is_binary(pa, f.type)]
        for f in pf.schema_arrow:
            twice = _field_named_twice(pa, f.type)
            if twice is not None:
                raise InputError("input", f.name, f"is a struct column whose fields share the name {twice!r}: its "
                                                  "rows cannot be carried as objects; write it as Parquet "
                                                  "(--output FILE.parquet) or rename the fields")

    def __iter__(self):
        line = 0
        binary = self.binary
        for batch in self.pf.iter_batches(batch_size=self.batch_rows):
            for row in batch.to_pylist():
                line += 1
                for name in binary:
                    value = row[name]
                    if value is not None:
                        row[name] = _as_text(value)
                yield line, row


def _is_binary(pa, kind) -> bool:
    """A column holding bytes: binary itself (views too), dictionary-encoded, or within a list, struct or map."""
    if _any_of(pa, kind, "is_binary", "is_large_binary", "is_fixed_size_binary", "is_binary_view"):
        return True
    return any(_is_binary(pa, inner) for inner in _inner_types(pa, kind))


def _field_named_twice(pa, kind) -> str | None:
    """The first name two fields of a struct within ``kind`` share, or None (no row of it becomes a dict)."""
    if pa.types.is_struct(kind):
        names = [kind.field(i).name for i in range(kind.num_fields)]
        twice = next((n for n in names if names.count(n) > 1), None)
        if twice is not None:
            return twice
    return next((n for n in (_field_named_twice(pa, t) for t in _inner_types(pa, kind)) if n is not None), None)


def _inner_types(pa, kind) -> list:
    """The types a nested type holds (a dictionary's values, a map's keys and items, a list's values, a struct's
    fields); none for a plain type."""
    if pa.types.is_dictionary(kind):
        return [kind.value_type]
    if pa.types.is_map(kind):
        return [kind.key_type, kind.item_type]
    if _any_of(pa, kind, "is_list", "is_large_list", "is_fixed_size_list", "is_list_view", "is_large_list_view"):
        return [kind.value_type]
    if pa.types.is_struct(kind):
        return [kind.field(i).type for i in range(kind.num_fields)]
    return []


def _any_of(pa, kind, *tests: str) -> bool:
    """Whether ``kind`` passes any of these ``pyarrow.types`` tests (those this pyarrow has: views are newer)."""
    return any(getattr(pa.types, test, _never)(kind) for test in tests)


def _never(kind) -> bool:
    return False


def _as_text(value):
    """A cell with its bytes as text (UTF-8 where they decode, else ``\\xNN``), within lists, structs and maps."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, tuple):  # a map's (key, value) pair
        return tuple(_as_text(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    return value


def _column_types(pa, job):
    kinds = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "string": pa.string()}
    declared = getattr(job, "column_types", None) or {}
    return [kinds[declared.get(c, "string")] for c in job.columns]


def _internal(exc: Exception) -> InputError:
    """An engine bug as the row's error, worded as the streamed path words it."""
    return RowFailure(f"internal error ({type(exc).__name__}: {exc}); please report it")


def _echo_value(value):
    """A normalised attribute as ``Person.as_dict()`` shows it; None for no value or a refused one."""
    if value is None or isinstance(value, InputError):
        return None
    if value.__class__ is Month:
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _month(value, otherwise: int) -> int:
    if value.__class__ is Month:
        return value.index
    if isinstance(value, _dt.date):
        return value.year * 12 + value.month - 1
    return otherwise


class _Raised:
    """A key half whose computation raised: every row of a key holding it fails with ``error``."""

    __slots__ = ("error",)

    def __init__(self, error: InputError):
        self.error = error


class _Keys:
    """The key half of each distinct normalised combination of one group's attributes, numbered.

    ``id_of(values)`` is a small int naming the key (equal keys, equal
    numbers), or -1 when a value was refused or the combination fails a
    cross-check; ``key[i]`` is that key (a pair is answered with a row's
    own attributes: ``_People``). All is forgotten at once when full,
    between batches only, so numbers stay valid within one.
    """

    def __init__(self, names: tuple[str, ...], refuse, key_of, ages_of=None, retire_of=None):
        self.names = names
        self.refuse = refuse  # kwargs -> whether make_person refuses the combination
        self.key_of = key_of  # Person -> the job's key half
        self.ages_of = ages_of  # Person -> the ages (months) at which its answer changes (``Job.ages``), or None
        self.retire_of = retire_of  # Person -> what its retirement month depends on (``Job.retirement_key``), or None
        self.clear()

    def clear(self) -> None:
        self.memo: dict = {}
        self.ids: dict = {}
        self.key: list = []
        self.ages: list = []  # per id: the ages its answer changes at (empty: the age does not matter)
        self.retire: list = []  # per id: ``Job.retirement_key`` of its people, or None (the rules do not ask)

    def trim(self) -> bool:
        """Forget all when full; whether it did (the ids named are gone)."""
        if len(self.memo) > _COMBINATIONS_KEPT:
            self.clear()
            return True
        return False

    def id_of(self, values: tuple) -> int:
        found = self.memo.get(values)
        if found is None:
            found = self.memo[values] = self._number(values)
        return found

    def _number(self, values: tuple) -> int:
        if any(isinstance(v, InputError) for v in values):
            return -1
        kwargs = dict(zip(self.names, values))
        if self.refuse(kwargs):
            return -1
        try:
            person = Person(**kwargs)
            key = self.key_of(person)
        except DataError:
            raise
        except InputError as err:  # the streamed path reports it for rows make_person accepts
            key = _Raised(kept(err))
        except Exception as exc:  # an engine bug fails its rows, not the run
            key = _Raised(_internal(exc))
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.key)
            self.key.append(key)
            # Equal keys name the same category, so the same ages (check's: a resident's 16).
            self.ages.append(tuple(self.ages_of(person)) if self.ages_of is not None and key.__class__ is not _Raised
                             else ())
            self.retire.append(self.retire_of(person) if self.retire_of is not None and key.__class__ is not _Raised
                               else None)
        return found


class _Results:
    """Each key pair's answer, numbered, and the result columns of a batch's rows from those numbers.

    ``answers`` files them under the pair of key ids (``ia << 40 | ib << 8 | band``: ids
    name keys, so one pair of ids is one key). An answer is one code per
    result column (0 is no value; a code names a value kept once per
    column), kept column by column, so that a column of rows is a ``take``
    from its codes; answer 0 has no value anywhere (the slot of the rows
    that failed). Keys with equal answers share one number: thousands of
    check keys have a few dozen answers, and the codes of each are worked
    out once (``numbered``, by the values; ``_seen``, by the engine's own
    answer object when it hands the same one out again:
    ``Job.shares_answers``). A pair whose rows fail maps to its InputError
    instead. Within ``budget`` bytes; when over, all is forgotten at once,
    between batches only, so numbers and codes stay valid within one.
    """

    def __init__(self, pa, pc, types: list, budget: int, by_identity: bool = True):
        self.pa, self.pc = pa, pc
        self.by_identity = by_identity
        self.types = types
        self.budget = budget
        self.misses = 0
        self.clear()

    def clear(self) -> None:
        width = len(self.types)
        self._index = range(width)
        self.answers: dict = {}
        self.numbered: dict = {}  # an answer's typed column values (a tuple) -> its number
        self._seen: dict = {}  # id(engine answer) -> (that answer, its number): held, so the id stays its own
        self.codes = [{None: 0} for _ in range(width)]
        self.values = [[None] for _ in range(width)]
        self.page_bytes = [0] * width  # what a Parquet dictionary page of all of a column's values takes
        self.store = [array("i", [0]) for _ in range(width)]
        self.held = 0
        self._arrays = None  # per column: (codes of every answer, whole-run dictionary indices, dictionary, share)

    def trim(self) -> None:
        if self.held > self.budget:
            self.clear()

    def seen(self, result) -> int | None:
        """The number of an engine answer met before as this very object, else None."""
        found = self._seen.get(id(result))
        return found[1] if found is not None and found[0] is result else None

    def keep(self, key, result, values: tuple) -> int:
        """File a pair's result (the engine's answer and its typed column values); its answer number."""
        number = self.numbered.get(values)
        if number is None:
            for i, codes, store, value in zip(self._index, self.codes, self.store, values):
                code = codes.get(value)
                if code is None:
                    code = self._add(i, value)
                store.append(code)
            number = self.numbered[values] = len(self.store[0]) - 1
            self._arrays = None
        if self.by_identity:
            if len(self._seen) >= _ANSWERS_SEEN:
                self._seen.clear()
            self._seen[id(result)] = (result, number)
        self.answers[key] = number
        self.held += 200 + 4 * len(values)
        return number

    def share(self, key, number: int) -> int:
        """File a pair whose engine answer was met before (``seen``) under that answer's number."""
        self.answers[key] = number
        self.held += 200 + 4 * len(self.store)
        return number

    def _add(self, i: int, value) -> int:
        kept = self.values[i]
        code = self.codes[i][value] = len(kept)
        kept.append(value)
        self.page_bytes[i] += len(value.encode()) + 4 if value.__class__ is str else 8
        self.held += sys.getsizeof(value) + 120  # the value, its table entry and list slot
        return code

    def fail(self, key, err: InputError) -> InputError:
        self.answers[key] = err
        self.held += 400
        return err

    def columns(self, numbers, group) -> list:
        """Each result column of a batch whose rows have the answers ``numbers`` at ``group`` (Int32Arrays).

        A column with few values takes its dictionary whole (every value
        it has had this run); one with many gets a dictionary of the values
        of this batch, so a row group's dictionary page stays small. Either
        way each value is there once and no null (a null value is a null
        index): Parquet writes such a dictionary as it is, where a long one
        full of repeats would make it fall back to plain pages. Columns whose
        indices are equal share one array (a scheme's ``rule`` and ``notes``
        often do: codes are numbered in the order values first come).
        """
        pa, pc = self.pa, self.pc
        if self._arrays is None:
            self._arrays = self._whole()
        slot = None
        taken: dict = {}
        out = []
        for codes, whole, dictionary, same in self._arrays:
            if not whole:  # many values: this batch's only
                kept, kind = dictionary
                codes, shown = self._compact(pc.take(codes, numbers), kept)
                dictionary = pa.array(shown, kind)
                same = ("batch", codes.buffers()[1].slice(4 * codes.offset, 4 * len(codes)).to_pybytes())
                rows = group
            else:
                if slot is None:
                    slot = pc.take(numbers, group)
                rows = slot
            found = taken.get(same)
            if found is None:
                found = taken[same] = _dictionary_indices(pa, pc, codes, rows)
            out.append(pa.DictionaryArray.from_arrays(found, dictionary, safe=False))
        return out

    def _compact(self, codes, kept: list):
        """(codes into a dictionary of the values ``codes`` name, that dictionary): code 0 stays 0, no value."""
        pa, pc = self.pa, self.pc
        encoded = pc.dictionary_encode(codes)
        shown, remap = [], []
        for code in encoded.dictionary.to_pylist():
            remap.append(len(shown) + 1 if code else 0)
            if code:
                shown.append(kept[code])
        return pc.take(pa.array(remap, pa.int32()), encoded.indices), shown

    def _whole(self) -> list:
        """Per column: its codes of every answer, whether it takes the whole-run dictionary (few values), and that."""
        pa = self.pa
        arrays, seen = [], {}
        count = len(self.store[0])
        for i, (store, values, kind, size) in enumerate(zip(self.store, self.values, self.types, self.page_bytes)):
            raw = store.tobytes()
            codes = pa.Array.from_buffers(pa.int32(), count, [None, pa.py_buffer(raw)])
            if size > _WHOLE_DICTIONARY_BYTES:
                arrays.append((codes, False, (values, kind), None))
            else:
                arrays.append((codes, True, pa.array(values[1:], kind), ("run", seen.setdefault(raw, i))))
        return arrays


def _dictionary_indices(pa, pc, codes, rows, keep=None):
    """Dictionary indices from ``codes`` (0 for no value, else index + 1; no nulls) at ``rows``: the code less
    one, null where it is 0 or ``keep`` is false.

    Arrow's take is several times slower from values with nulls (it
    gathers their validity bit by bit), so the codes are taken as they are
    and the nulls made from a comparison (-1 lies under them: a value
    under a null is no value, which Arrow and Parquet leave unread).
    """
    taken = pc.take(codes, rows)
    valid = pc.not_equal(taken, pa.scalar(0, pa.int32()))
    if keep is not None:
        valid = pc.and_(valid, keep)
    indices = pc.subtract(taken, pa.scalar(1, pa.int32()))
    if not valid.false_count:
        return indices
    if valid.offset != indices.offset:  # kernels give fresh arrays (offset 0): this is only in case
        return pc.if_else(valid, indices, pa.scalar(None, pa.int32()))
    return pa.Array.from_buffers(pa.int32(), len(indices), [valid.buffers()[1], indices.buffers()[1]],
                                 offset=indices.offset)


class _Flat:
    """A person's answer as the typed values of the job's result columns.

    Most text columns only ever hold text or nothing, so the values of
    those are checked at once (a C-level pass over them) and only the
    columns that have held something else (lists, numbers) are converted
    one by one.
    """

    def __init__(self, job):
        self.job = job
        self.columns = tuple(job.columns)
        kinds = [getattr(job, "column_types", {}).get(c, "string") for c in job.columns]
        self.kinds = kinds
        self._floats = [i for i, kind in enumerate(kinds) if kind == "float"]
        self._mixed: list[int] = []  # text columns that have held something other than text or None
        self._plain = [i for i, kind in enumerate(kinds) if kind == "string"]  # the others
        self._pick_plain = _picker(self._plain)

    def values(self, result: dict) -> tuple:
        """An engine answer as the values of the job's columns, typed as its ``column_types`` say (lists and
        objects as text)."""
        job = self.job
        echo = job.echo_keys
        if not result.keys().isdisjoint(echo):
            result = {k: v for k, v in result.items() if k not in echo}
        out = list(map(job.flatten(result).get, self.columns))
        if not _TEXT_OR_NONE.issuperset(map(type, self._pick_plain(out))):
            self._learn(out)
        for i in self._mixed:
            value = out[i]
            if value is not None and value.__class__ is not str:
                try:
                    out[i] = "; ".join(value) if value.__class__ is list else cell_text(value)
                except TypeError:  # not all texts: as cell_text joins them
                    out[i] = cell_text(value)
        for i in self._floats:
            if out[i] is not None:
                out[i] = float(out[i])
        return tuple(out)

    def _learn(self, out: list) -> None:
        """Move the text columns whose value in ``out`` is neither text nor None to those converted one by one."""
        mixed = [i for i in self._plain if type(out[i]) not in _TEXT_OR_NONE]
        self._mixed = sorted(self._mixed + mixed)
        self._plain = [i for i in self._plain if i not in mixed]
        self._pick_plain = _picker(self._plain)


_TEXT_OR_NONE = frozenset((str, type(None)))


def _picker(indices: list):
    """A function of a list giving the tuple of its items at ``indices``."""
    if len(indices) > 1:
        return operator.itemgetter(*indices)
    return lambda values: tuple(values[i] for i in indices)


class _Columnar:
    """The Parquet-to-Parquet path for one file (see the module docstring)."""

    def __init__(self, job, source, default_as_of=None, cache_bytes: int = 64 << 20):
        """``source`` is the input's ``pyarrow.Schema``, or a ``ParquetFile`` (its schema is read)."""
        self.pa, self.pc, self.pq = _pyarrow()
        schema = getattr(source, "schema_arrow", source)
        pa = self.pa
        self.job = job
        self.types = _column_types(pa, job)
        self.flat = _Flat(job)
        self.default_as_of = default_as_of if default_as_of is not None else today()
        self.results = _Results(pa, self.pc, self.types, cache_bytes, job.shares_answers)
        self.values: dict[str, dict] = {attr: {} for attr in ATTRIBUTES}
        self._retirement_months: dict = {}  # (retirement key, sex, track, birth) -> ``Job.retirement_months``
        require = job.require_category

        def refuse_a(kw: dict) -> bool:
            category, relation = kw["category"], kw["relation"]
            return ((require and category is None) or relation_contradicts(category, relation)
                    or employers_contradict(category, relation, kw["employers"])
                    or waiver_contradicts(category, kw["waiver"], kw["employers"]))

        def refuse_b(kw: dict) -> bool:
            return kw["female_track"] is not None and kw["sex"] == "male"

        self.keys_a = _Keys(A_ATTRIBUTES, refuse_a, job.key_a, job.ages, job.retirement_key)
        self.keys_b = _Keys(B_ATTRIBUTES, refuse_b, job.key_b)
        names = list(schema.names)
        from socins_cli.batch.rows import reserved_names

        reserved = reserved_names(job)
        self.attr_index: dict[str, int] = {}
        self.carried: list[tuple[int, str]] = []
        for i, name in enumerate(names):  # no two name one column (``refuse_names_twice``, where the schema is read)
            attr = attribute_of(name)
            if attr is None:
                self.carried.append((i, name if name not in reserved else f"input.{name}"))
            else:
                self.attr_index[attr] = i
        fields = [pa.field(out, schema.field(i).type) for i, out in self.carried]
        fields += [pa.field("line", pa.int64()), pa.field("error", pa.string())]
        self.echo_types = {a: pa.int64() if a == "employers" else pa.float64() if a == "income" else pa.bool_() if a == "waiver" else pa.string()
                           for a in ATTRIBUTES}
        fields += [pa.field(a, pa.dictionary(pa.int32(), self.echo_types[a])) for a in ATTRIBUTES]
        fields += [pa.field(c, pa.dictionary(pa.int32(), t)) for c, t in zip(job.columns, self.types)]
        self.schema = pa.schema(fields)
        self.line = 0
        self._arange = None
        self._zero = None

    # -- per distinct value ------------------------------------------------------
    def _encode(self, column, n: int):
        """(an int32 code per row, the raw value of each code) of one input column; None for no column."""
        pa, pc = self.pa, self.pc
        if column is None or pa.types.is_null(column.type):
            return self._zeros(n), [None]
        if pa.types.is_dictionary(column.type) and len(column.dictionary) <= max(n // 2, 1024):
            indices, dictionary = column.indices, column.dictionary
        else:
            if pa.types.is_dictionary(column.type):  # a file-wide dictionary, long next to the batch
                column = pc.take(column.dictionary, column.indices)
            try:
                encoded = pc.dictionary_encode(column)
            except (pa.ArrowNotImplementedError, pa.ArrowTypeError):  # nested values: one code per row
                return pc.cast(self._range(n), pa.int32()), column.to_pylist()
            indices, dictionary = encoded.indices, encoded.dictionary
        values = dictionary.to_pylist()
        if _is_binary(pa, column.type):  # bytes are read as their text, as the streamed path reads them
            values = [_as_text(v) for v in values]
        indices = pc.cast(indices, pa.int32())
        if indices.null_count:
            indices = pc.fill_null(indices, pa.scalar(len(values), pa.int32()))
            values.append(None)
        return indices, values

    def _normalise(self, attr: str, raw: list) -> list:
        """``normalise_field`` of each distinct raw value (its InputError when refused), from the cache when seen."""
        cache = self.values[attr]
        out = []
        for value in raw:
            try:
                key = (value.__class__, value)
                found = cache.get(key, _UNSEEN)
            except TypeError:  # an unhashable value (a list)
                key, found = None, _UNSEEN
            if found is _UNSEEN:
                if attr == "as_of" and (value is None or value == ""):
                    value = self.default_as_of
                try:
                    found = normalise_field(attr, value)
                except InputError as err:
                    found = kept(err)
                except Exception as exc:  # as the streamed path reports a row it cannot read
                    found = _internal(exc)
                if key is not None:
                    if len(cache) >= _VALUES_KEPT:
                        cache.clear()
                    cache[key] = found
            out.append(found)
        return out

    # -- grouping ----------------------------------------------------------------
    def _combine(self, columns, cards):
        """(one int code per row naming its combination of ``columns``, the radices or None).

        The code is a mixed-radix number (radices given, so a code can be
        read back into its digits), renumbered when it would grow too long
        (radices None); None when every column is constant.
        """
        pa, pc = self.pa, self.pc
        code, card, readable = None, 1, True
        for column, k in zip(columns, cards):
            if k <= 1:
                continue
            if code is None:
                code, card = column, k
                continue
            if card * k >= 1 << 31:
                encoded = pc.dictionary_encode(code)
                code, card, readable = encoded.indices, len(encoded.dictionary), False
                if card * k >= 1 << 31:
                    code = pc.cast(code, pa.int64())
            code = pc.add(pc.multiply(code, pa.scalar(k, code.type)), pc.cast(column, code.type))
            card *= k
        return code, list(cards) if readable else None

    def _distinct(self, columns, cards, n: int):
        """(the group of each row, per column the code of each group) of rows grouped by ``columns``."""
        pa, pc = self.pa, self.pc
        code, radices = self._combine(columns, cards)
        if code is None:
            return self._zeros(n), [[0] if n else [] for _ in columns]
        encoded = pc.dictionary_encode(code)
        groups = encoded.dictionary
        if radices is None:
            first = pc.index_in(groups, value_set=code)
            return encoded.indices, [pc.take(column, first).to_pylist() for column in columns]
        digits = [None] * len(columns)
        for i in range(len(columns) - 1, -1, -1):  # read the mixed-radix numbers back, last digit first
            k = radices[i]
            if k <= 1:
                digits[i] = [0] * len(groups)
                continue
            rest = pc.divide(groups, pa.scalar(k, groups.type))
            digits[i] = pc.subtract(groups, pc.multiply(rest, pa.scalar(k, groups.type))).to_pylist()
            groups = rest
        return encoded.indices, digits

    def _key_ids(self, keys: _Keys, codes, distinct, n: int):
        """Each row's key id in ``keys`` (-1 when refused), one lookup per distinct combination."""
        names = keys.names
        group, digits = self._distinct([codes[a] for a in names], [len(distinct[a]) for a in names], n)
        combos = zip(*[[values[c] for c in column] for values, column in zip((distinct[a] for a in names), digits)])
        known, number = keys.memo.get, keys.id_of
        ids = []
        for combo in combos:
            found = known(combo)
            ids.append(number(combo) if found is None else found)
        return self.pc.take(self.pa.array(ids, self.pa.int32()), group)

    def _months(self, values: list, codes, otherwise: int):
        pa = self.pa
        return self.pc.take(pa.array([_month(v, otherwise) for v in values], pa.int32()), codes)

    # -- one batch ---------------------------------------------------------------
    def answer(self, batch, counts):
        pa, pc = self.pa, self.pc
        n = batch.num_rows
        if self.keys_a.trim() | self.keys_b.trim():
            self.results.clear()  # its answers are filed under key ids
        self.results.trim()
        raw, codes, distinct = {}, {}, {}
        for attr in ATTRIBUTES:
            i = self.attr_index.get(attr)
            entries, values = self._encode(batch.column(i) if i is not None else None, n)
            local: dict = {}
            remap = [local.setdefault(v, len(local)) for v in self._normalise(attr, values)]
            distinct[attr] = list(local)
            codes[attr] = pc.take(pa.array(remap, pa.int32()), entries) if len(local) > 1 else self._zeros(n)
            raw[attr] = (entries, values)

        # Checks per distinct combination, birth against as_of per row.
        key_a = self._key_ids(self.keys_a, codes, distinct, n)
        key_b = self._key_ids(self.keys_b, codes, distinct, n)
        zero = pa.scalar(0, pa.int32())
        births, days = self._months(distinct["birth"], codes["birth"], -1), self._months(distinct["as_of"], codes["as_of"],
                                                                                        _NO_MONTH)
        valid = pc.and_(pc.and_(pc.greater_equal(key_a, zero), pc.greater_equal(key_b, zero)),
                        pc.less_equal(births, days))
        errors = pa.nulls(n, pa.string())
        failed, first_error = 0, None
        if valid.false_count:
            errors, failed, first_error = self._input_errors(valid, key_a, key_b, codes, distinct, raw, n)

        # Valid rows by key pair (key ids name keys: one pair of ids, one key), with the age band where a rule
        # tests the age (``_age_bands``); each distinct pair answered once.
        pair = pc.add(pc.multiply(pc.cast(key_a, pa.int64()), pa.scalar(1 << 40, pa.int64())),
                      pc.multiply(pc.cast(key_b, pa.int64()), pa.scalar(1 << 8, pa.int64())))
        for extra in (self._age_bands(key_a, births, days), self._retirement_codes(key_a, days, codes, distinct, valid)):
            if extra is not None:
                pair = pc.add(pair, extra)
        pair = pc.if_else(valid, pair, pa.scalar(-1, pa.int64()))
        encoded = pc.dictionary_encode(pair)
        group = encoded.indices
        slots, engine_errors = self._slots(encoded.dictionary.to_pylist(),
                                           _People(self, encoded.dictionary, pair, codes, distinct))
        if any(e is not None for e in engine_errors):
            per_row = pc.take(pa.array([None if e is None else str(e) for e in engine_errors], pa.string()), group)
            errors = pc.coalesce(errors, per_row)
            rows = pc.indices_nonzero(pc.is_valid(per_row))
            failed += len(rows)
            first = rows[0].as_py()
            if first_error is None or self.line + first + 1 < first_error[0]:
                first_error = (self.line + first + 1, engine_errors[group[first].as_py()])
            valid = pc.and_(valid, pc.is_null(per_row))
        counts.rows += n
        counts.failed += failed
        if first_error is not None and counts.first_error is None:
            counts.first_error = first_error

        columns = [batch.column(i) for i, _ in self.carried]
        columns.append(pc.add(self._range(n), pa.scalar(self.line + 1, pa.int64())))
        columns.append(errors)
        keep = valid if failed else None
        for attr in ATTRIBUTES:
            columns.append(self._echo(attr, distinct[attr], codes[attr], keep))
        columns += self.results.columns(pa.array(slots, pa.int32()), group)
        self.line += n
        return pa.Table.from_arrays(columns, schema=self.schema)

    def _age_bands(self, key_a, births, days):
        """Each row's age band, for the rows whose A key's answer changes with the age (None when there are none).

        0 where the age does not matter, 1 without a birth, 2 + the number of
        ages reached (months from birth to as_of) otherwise: the low four bits
        of a row's pair (``Resolver.key_of`` in the streamed path).
        """
        pa, pc = self.pa, self.pc
        by_ages: dict = {}
        for i, ages in enumerate(self.keys_a.ages):
            if ages:
                by_ages.setdefault(ages, []).append(i)
        if not by_ages:
            return None
        age = pc.cast(pc.subtract(days, births), pa.int64())
        unknown = pc.less(births, pa.scalar(0, pa.int32()))
        bands = pa.nulls(len(key_a), pa.int64()).fill_null(0)
        for ages, ids in by_ages.items():
            if len(ages) > 13:
                raise DataError("statutes/rules", "age", len(ages), "at most 13 ages tested")
            reached = pa.scalar(2, pa.int64())
            for months in ages:
                reached = pc.add(reached, pc.cast(pc.greater_equal(age, pa.scalar(months, pa.int64())), pa.int64()))
            code = pc.if_else(unknown, pa.scalar(1, pa.int64()), reached)
            bands = pc.if_else(pc.is_in(key_a, value_set=pa.array(ids, pa.int32())), code, bands)
        return bands

    def _retirement_codes(self, key_a, days, codes: dict, distinct: dict, valid):
        """Whether each row is past the statutory retirement month, for rows whose rules ask (None when none do).

        In bits 4-6 of a row's pair: 0 where the rules do not ask, 1 where it
        cannot be told (no sex or birth), 2 not past, 3 past, 4 past only on
        the other reading (``eligibility.past_on``). The months are worked out
        once per distinct (A key's ``retirement_key``, sex, track, birth) of
        the batch, with a row of each as the streamed path does.
        """
        pa, pc = self.pa, self.pc
        retire = self.keys_a.retire
        ids = [i for i, r in enumerate(retire) if r is not None]
        if not ids:
            return None
        asks = pc.and_(pc.is_in(key_a, value_set=pa.array(ids, pa.int32())), valid)
        rows = pc.indices_nonzero(asks)
        if len(rows) == 0:
            return None
        numbers: dict = {}
        combo = pc.take(pa.array([-1 if r is None else numbers.setdefault(r, len(numbers)) for r in retire],
                                 pa.int64()), pc.take(key_a, rows))
        for attr in ("sex", "female_track", "birth"):
            combo = pc.add(pc.multiply(combo, pa.scalar(len(distinct[attr]), pa.int64())),
                           pc.cast(pc.take(codes[attr], rows), pa.int64()))
        encoded = pc.dictionary_encode(combo)
        first = pc.take(rows, pc.index_in(encoded.dictionary, value_set=combo))
        at_a = pc.take(key_a, first).to_pylist()
        at = {attr: pc.take(codes[attr], first).to_pylist() for attr in ATTRIBUTES}
        sexes, tracks, births = distinct["sex"], distinct["female_track"], distinct["birth"]
        months = []
        for i, (a, sex, track, birth) in enumerate(zip(at_a, at["sex"], at["female_track"], at["birth"])):
            # by retirement key and B values, kept across batches (bounded): most were met in an earlier batch
            memo = (retire[a], sexes[sex], tracks[track], births[birth])
            found = self._retirement_months.get(memo, _UNSEEN)
            if found is _UNSEEN:
                if len(self._retirement_months) >= _COMBINATIONS_KEPT:
                    self._retirement_months.clear()
                person = Person(**{attr: distinct[attr][at[attr][i]] for attr in ATTRIBUTES})
                found = self._retirement_months[memo] = self.job.retirement_months(person)
            months.append(found)
        month = pc.take(pa.array([-1 if m is None else m[0] for m in months], pa.int64()), encoded.indices)
        other = pc.take(pa.array([_NO_MONTH if m is None or m[1] is None else m[1] for m in months], pa.int64()),
                        encoded.indices)
        day = pc.cast(pc.take(days, rows), pa.int64())
        code = pc.if_else(pc.less(month, pa.scalar(0, pa.int64())), pa.scalar(1, pa.int64()),
                          pc.if_else(pc.greater_equal(day, month), pa.scalar(3, pa.int64()),
                                     pc.if_else(pc.greater_equal(day, other), pa.scalar(4, pa.int64()),
                                                pa.scalar(2, pa.int64()))))
        zeros = pa.nulls(len(key_a), pa.int64()).fill_null(0)
        return pc.replace_with_mask(zeros, asks, pc.multiply(code, pa.scalar(16, pa.int64())))

    def _slots(self, pairs: list, people: "_People") -> tuple[list, list]:
        """Each distinct key pair's result slot (answered once) and its engine error; a refused pair (-1) has none."""
        slots, engine_errors = [], []
        answers = self.results.answers
        for i, code in enumerate(pairs):
            found = None if code < 0 else answers.get(code)
            if found is None and code >= 0:
                found = self._answer(code, people, i)
            if found.__class__ is int:
                slots.append(found)
                engine_errors.append(None)
            else:  # refused rows (None) or an engine error
                slots.append(0)
                engine_errors.append(found)
        return slots, engine_errors

    def _input_errors(self, valid, key_a, key_b, codes, distinct, raw, n: int):
        """The error column of the refused rows, and (count, first error).

        A refused row's error is decided by its first refused value (in the
        order ``make_person`` normalises), else by its first failed
        cross-check: category with relation, employers or waiver, sex with
        female track, birth with as_of. Rows are grouped by that, and one ``make_person`` call on
        the raw values of a row of each group gives the group's error.
        """
        pa, pc = self.pa, self.pc
        bad = pc.invert(valid)
        rows = pc.indices_nonzero(bad)
        at = {attr: pc.take(codes[attr], rows) for attr in ATTRIBUTES}
        card = {attr: len(distinct[attr]) for attr in ATTRIBUTES}

        def combined(attrs, offset):
            """One number per combination of these attributes' codes, and the offset after all of them."""
            case, size = pa.scalar(0, pa.int64()), 1
            for attr in attrs:
                case = pc.add(pc.multiply(case, pa.scalar(card[attr], pa.int64())), pc.cast(at[attr], pa.int64()))
                size *= card[attr]
            return case, offset + size

        why, offset = combined(("birth", "as_of"), 0)
        # An A group fails on category with relation, employers or waiver: its error names the row's own value.
        # A row failing both halves is grouped by both: make_person reports a relation before a female track and
        # that before employers or waiver, so rows of one A group that differ in B may fail differently.
        a_failed = pc.less(pc.take(key_a, rows), pa.scalar(0, pa.int32()))
        b_failed = pc.less(pc.take(key_b, rows), pa.scalar(0, pa.int32()))
        a_attrs, b_attrs = ("category", "relation", "employers", "waiver"), ("sex", "female_track")
        both = pc.and_(a_failed, b_failed)
        for failed, attrs in ((b_failed, b_attrs), (a_failed, a_attrs), (both, a_attrs + b_attrs)):
            case, end = combined(attrs, offset)
            why = pc.if_else(failed, pc.add(case, pa.scalar(offset, pa.int64())), why)
            offset = end
        for attr in reversed(NORMALISE_ORDER):
            refused = [isinstance(v, InputError) for v in distinct[attr]]
            if any(refused):
                why = pc.if_else(pc.take(pa.array(refused, pa.bool_()), at[attr]),
                                 pc.add(pc.cast(at[attr], pa.int64()), pa.scalar(offset, pa.int64())), why)
            offset += card[attr]
        encoded = pc.dictionary_encode(why)
        group = encoded.indices
        examples = pc.take(rows, pc.index_in(encoded.dictionary, value_set=why))
        columns = [[values[c] for c in pc.take(entries, examples).to_pylist()] for entries, values in
                   (raw[attr] for attr in ATTRIBUTES)]
        found = [self._row_error(dict(zip(ATTRIBUTES, row))) for row in zip(*columns)]
        messages = pc.take(pa.array([str(e) for e in found], pa.string()), group)
        errors = pc.replace_with_mask(pa.nulls(n, pa.string()), bad, messages)
        return errors, len(rows), (self.line + rows[0].as_py() + 1, found[group[0].as_py()])

    def _row_error(self, values: dict) -> InputError:
        """What one ``make_person`` call on the row's raw values raises, as ``Resolver.canonical_error`` asks it."""
        if values["as_of"] is None or values["as_of"] == "":
            values["as_of"] = self.default_as_of
        try:
            make_person(**values, require_category=self.job.require_category)
        except InputError as err:
            return kept(err)
        except DataError:
            raise
        except Exception as exc:
            return _internal(exc)
        return _internal(RuntimeError("a row make_person accepts was refused"))

    def _answer(self, key: int, people: "_People", i: int):
        """The answer of key pair ``key`` (ids ``key >> 40`` and ``key >> 8 & 0xffffffff``, the age band in the low
        byte), evaluated and kept.

        Its number in ``results``, or the InputError its rows fail with. The
        person asked is a row of the pair (``people.of(i)``), as the streamed
        path asks its row: a key half need not name every attribute the
        engine reads (retirement's A key is the law's interval, not the day,
        and the engine refuses a birth after its person's as_of).
        """
        ia, ib = key >> 40, key >> 8 & 0xFFFFFFFF
        key_a, key_b = self.keys_a.key[ia], self.keys_b.key[ib]
        results = self.results
        if key_a.__class__ is _Raised:
            return results.fail(key, key_a.error)
        if key_b.__class__ is _Raised:
            return results.fail(key, key_b.error)
        results.misses += 1
        try:
            result = self.job.evaluate(people.of(i))
            number = results.seen(result)
            if number is not None:
                return results.share(key, number)
            values = self.flat.values(result)
        except InputError as err:
            return results.fail(key, kept(err))
        except DataError:
            raise
        except Exception as exc:  # an engine bug must not swallow the other rows (as in the streamed path)
            return results.fail(key, _internal(exc))
        return results.keep(key, result, values)

    # -- output --------------------------------------------------------------------
    def _zeros(self, n: int):
        if self._zero is None or len(self._zero) < n:
            pa = self.pa
            self._zero = self.pc.fill_null(pa.nulls(max(n, _BATCH_ROWS), pa.int32()), pa.scalar(0, pa.int32()))
        return self._zero.slice(0, n)

    def _range(self, n: int):
        if self._arange is None or len(self._arange) < n:
            self._arange = self.pa.array(range(max(n, _BATCH_ROWS)), self.pa.int64())
        return self._arange.slice(0, n)

    def _echo(self, attr: str, values: list, codes, keep):
        """An attribute's column: its distinct normalised values at the rows' codes, null where ``keep`` is false."""
        pa, pc = self.pa, self.pc
        shown, remap = [], []
        for value in values:
            value = _echo_value(value)
            remap.append(0 if value is None else len(shown) + 1)
            if value is not None:
                shown.append(value)
        indices = _dictionary_indices(pa, pc, pa.array(remap, pa.int32()), codes, keep)
        return pa.DictionaryArray.from_arrays(indices, pa.array(shown, self.echo_types[attr]), safe=False)


class _People:
    """The person of the first row of each distinct key pair of a batch, worked out when first asked."""

    def __init__(self, columnar: _Columnar, pairs, rows, codes: dict, distinct: dict):
        self.columnar, self.pairs, self.rows, self.codes, self.distinct = columnar, pairs, rows, codes, distinct
        self.at = None  # per attribute: (its name, its distinct values, the code of each pair's first row)

    def of(self, i: int) -> Person:
        """The person (normalised attributes) of the first row whose key pair is the ``i``-th distinct one."""
        if self.at is None:
            pc = self.columnar.pc
            first = pc.index_in(self.pairs, value_set=self.rows)
            # per attribute: its distinct values and the code of each pair's first row among them
            self.at = [(attr, self.distinct[attr], pc.take(self.codes[attr], first).to_pylist()) for attr in ATTRIBUTES]
        return Person(**{attr: values[codes[i]] for attr, values, codes in self.at})


def _settle_pandas_check(pa) -> None:
    """Have pyarrow look for pandas now and find none, unless it is imported already.

    Whenever pyarrow first builds an array or a scalar from Python values it
    imports pandas, if installed, to see whether they are pandas objects:
    0.2-0.25 s here, a fifth of a 300,000-row Parquet run. This path never
    hands it pandas objects, so pyarrow looks while ``import pandas`` fails.
    pyarrow keeps that answer only for such looks: its pandas conversions
    (``to_pandas``, ``from_pandas``) still import pandas when called, but
    until one is, a pandas object given to ``pyarrow.array`` is read as a
    plain sequence. So only ``run_parquet`` (the command line's process)
    does this; ``answer_batch``, the Python API's, leaves pyarrow as it is.
    """
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _NO_PANDAS)
    try:
        pa.array([], pa.int32())
    finally:
        sys.meta_path.remove(_NO_PANDAS)


class _NoPandasFinder:
    """An import finder that refuses pandas (``sys.meta_path``): ``import pandas`` raises ModuleNotFoundError."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


_NO_PANDAS = _NoPandasFinder()


@contextlib.contextmanager
def _fewer_collections():
    """The cyclic garbage collector run less often while the keys met anew are answered.

    Answering allocates many small objects that live (the answers kept)
    and few cycles, and a young-generation collection every 700 of them
    scans them again and again: a twentieth of the answering time. Still a
    fixed threshold, so memory stays bounded.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], _YOUNG_COLLECTION), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _record_batches(pa, pf, rows: int):
    """The file's rows in record batches of ``rows`` (the last one shorter), however small its row groups."""
    pending, count = [], 0
    for batch in pf.iter_batches(batch_size=rows):
        if not pending and batch.num_rows == rows:
            yield batch
            continue
        pending.append(batch)
        count += batch.num_rows
        if count >= rows:
            whole = pa.concat_batches(pending)
            yield whole.slice(0, rows)
            count -= rows
            pending = [whole.slice(rows)] if count else []
    if count:
        yield pa.concat_batches(pending)


def _write_batches(pf, columnar, writer, counts, progress, batch_rows: int) -> None:
    """Answer batch after batch; the previous one is written, and the next one read, on a second thread."""
    from concurrent.futures import ThreadPoolExecutor

    batches = _record_batches(columnar.pa, pf, batch_rows)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="socins-parquet") as pool:
        pending = None
        reading = pool.submit(next, batches, None)
        try:
            while True:
                batch = reading.result()
                if batch is None:
                    break
                reading = pool.submit(next, batches, None)
                table = columnar.answer(batch, counts)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_table, table)
                if progress is not None:
                    progress(counts.rows)
        finally:
            if pending is not None:  # the rows answered are written, on Ctrl-C too: the output is a prefix
                pending.result()


#: Engines kept for ``answer_batch``, per thread (an engine is not shared: its caches change as it answers),
#: by (job, law, input schema, default date).
_THREAD = threading.local()
_ENGINES_KEPT = 8


def answer_batch(job_name: str, law, data, default_as_of=None, first_line: int = 1):
    """One Arrow record batch (or table) answered as the Parquet output answers it: the same kind back.

    The columnar core above, without files: ``line`` counts from
    ``first_line``; the engine (and its caches) is kept for the next batch
    of the same schema, so a map over many batches answers each key once.
    """
    from socins_cli.batch.rows import BatchCounts
    from socins_cli.batch.jobs import make_job

    pa, pc, _ = _pyarrow()
    if isinstance(data, pa.Table):
        out, line = [], first_line
        for batch in data.to_batches():
            out.append(answer_batch(job_name, law, batch, default_as_of, line))
            line += batch.num_rows
        if not out:  # no rows: the answer's columns all the same
            out.append(answer_batch(job_name, law, pa.RecordBatch.from_pylist([], schema=data.schema),
                                    default_as_of, line))
        return pa.Table.from_batches(out)
    if not isinstance(data, pa.RecordBatch):
        raise InputError("batch", type(data).__name__, "expected a pyarrow.RecordBatch or pyarrow.Table")
    refuse_names_twice(data.schema.names, "column")
    day = default_as_of if default_as_of is not None else today()
    engines = getattr(_THREAD, "engines", None)
    if engines is None:
        engines = _THREAD.engines = {}
    key = (job_name, id(law), data.schema, day)
    engine = engines.get(key)
    if engine is None or engine[0] is not law:
        if len(engines) >= _ENGINES_KEPT:
            engines.clear()
        engine = engines[key] = (law, _Columnar(make_job(job_name, law), data.schema, day))
    columnar = engine[1]
    columnar.line = first_line - 1
    table = columnar.answer(data, BatchCounts())
    # As the Parquet file reads back: dictionaries of text stay dictionaries, those of numbers and booleans
    # are their values (Parquet keeps only the former's Arrow type).
    columns, fields = [], []
    for field, column in zip(table.schema, table.columns):
        column = column.combine_chunks()
        if pa.types.is_dictionary(field.type) and not pa.types.is_string(field.type.value_type):
            column = pc.take(column.dictionary, column.indices)
            field = field.with_type(field.type.value_type)
        columns.append(column)
        fields.append(field)
    return pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields))


def run_parquet(job, input: str, output: str | None, out_fmt: str, *, out=None, bom: bool = False,
                default_as_of=None, progress=None, batch_rows: int = _BATCH_ROWS):
    """Parquet input: columnar to Parquet, streamed to JSON Lines / CSV / TSV."""
    from socins_cli.batch.rows import BatchCounts, run_batch

    pf = open_parquet(input)
    if out_fmt != "parquet":
        rows = ParquetRows(pf)
        if output is not None:
            with open_output(output) as fh:
                return run_batch(rows, job, fh, out_fmt, bom=bom, default_as_of=default_as_of, progress=progress)
        return run_batch(rows, job, out if out is not None else sys.stdout.buffer, out_fmt, bom=bom,
                         default_as_of=default_as_of, progress=progress)
    columnar = _Columnar(job, pf.schema_arrow, default_as_of)
    pa = columnar.pa
    _settle_pandas_check(pa)
    # Text attribute columns come as the file's dictionary pages: no strings built, no hashing.
    text = [f.name for f in pf.schema_arrow if attribute_of(f.name) is not None
            and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]
    counts = BatchCounts()
    _, _, pq = _pyarrow()
    dictionary_columns = [f.name for f in columnar.schema if pa.types.is_dictionary(f.type)]
    previous = pa.default_memory_pool()
    try:  # mimalloc (pyarrow's default) keeps what each batch freed: peak memory would grow with the file
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, AttributeError, pa.ArrowException):  # a build without jemalloc
        pass
    try:
        pf = open_parquet(input, read_dictionary=text or None)  # the reader takes the pool set when it opens
        try:
            writer = pq.ParquetWriter(output, columnar.schema, compression="snappy", write_statistics=["line"],
                                      use_dictionary=dictionary_columns)
        except OSError as exc:  # pyarrow's FileNotFoundError, PermissionError, ArrowIOError
            raise output_error(output, exc) from None
        try:
            with _fewer_collections():
                _write_batches(pf, columnar, writer, counts, progress, batch_rows)
        finally:
            writer.close()
    finally:
        pa.set_memory_pool(previous)
    return counts
