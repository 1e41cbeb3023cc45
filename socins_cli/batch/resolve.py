"""From a row's raw attributes to its person echo and its (cached) result.

Why it is fast:

* A person's attributes fall into two groups that ``make_person`` checks
  separately (it cross-checks category with relation, sex with female
  track, and nothing across the groups; ``tests/test_batch_resolve.py``
  proves the split gives the same person, or the same error, as one call):

    A = category, relation, province, industry, platform, employers, income, waiver, as_of
    B = sex, female_track, birth

  The one check between them, birth not after as_of, is made per row on
  two integers. Each attribute's raw value is normalised once per run
  (``person.normalise_field``). Within a group one attribute is checked
  against nothing (province in A, birth in B): the rest, the group's core,
  is cross-checked once per distinct set of raw values (a bounded LRU,
  keyed on which columns the row gives and their values), and a row's part
  hangs off its core by the free attribute's raw value. Raw values with
  equal normalised values (``广东``, ``guangdong``) share one core or part.
  A raw value that is not text is keyed by its type too: JSON's ``2``,
  ``2.0`` and ``true`` compare equal in Python, and one call accepts
  ``employers: 2`` alone (the LRU's entry for such values is a ``ByType``).

* A job's key comes in the same two halves: ``key_a`` reads only A
  attributes, ``key_b`` only B ones (``tests/test_batch_engines.py`` checks
  both engines' halves). Each half is computed once per part and numbered,
  so a row's key is a pair of small ints already at hand, and the result is
  cached on that pair, never on the full row. An engine's InputError for a
  key is cached too: equal keys, equal outcomes. The one thing read from
  both halves, the age a rule tests (a resident's pension from 16) and
  whether a person is past the statutory retirement age, join the pair
  (``Resolver.key_of``, ``Job.ages``, ``Job.retirement_key``).

* The result's per-row echo (``as_of``, ``person``) is spliced in from the
  two parts, so the cached part is rendered (serialised) once per key, and
  once per answer object when the job hands one object out for many keys
  (``Job.shares_answers``: 4,507 check keys in 100,000 generated rows, 627 answers).

* What many keys share is held once: a rendered answer equal to one held
  already is that one, a part points at its core and its province's echo
  piece, and parts are keyed on one copy of each raw text
  (``tests/test_batch_memory.py``).

What a job must keep: equal keys, equal results besides the echo. Every
cache is bounded, so memory stops growing once they are full.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Hashable
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

import orjson

from socins_cli.batch.write import ECHO_B, ECHO_HEAD, ECHO_TAIL, echo_of
from socins_cli.dates import LATEST_YEAR, Month, today
from socins_cli.errors import InputError, fresh, kept
from socins_cli.person import ATTRIBUTES, Person, make_person, normalise_field

A_ATTRIBUTES = ("category", "relation", "province", "industry", "platform", "employers", "income", "waiver", "as_of")
B_ATTRIBUTES = ("sex", "female_track", "birth")
# The person echo keeps Person.as_dict()'s order: A head (ECHO_HEAD), B (ECHO_B), A tail (ECHO_TAIL).
_LAST_DAY = _dt.date(LATEST_YEAR, 12, 31)  # the last day socins answers about: no birth is after it
#: Distinct answers held for sharing, beyond the result cache's budget (a check run renders about 90).
_MAX_SHARED = 1024
_SHARED_COST = 160  # what a cached key costs whose rendered answer another key holds: its key and entries
_MISSING = object()


def _raw_key(value):
    """A raw value as a cache key: text as it is, anything else with its type (``2 == 2.0 == True`` in Python)."""
    return value if value.__class__ is str else (value.__class__, value)


def _text_only(values: tuple) -> bool:
    """Whether every raw value is text or absent: such tuples are equal only when their values are the same."""
    return all(v is None or v.__class__ is str for v in values)


@dataclass(eq=False, slots=True)
class ByType:
    """The LRU's entry for raw core values that are not all text: their cores by the values' types.

    The LRU finds it by the values alone, which cannot tell ``2`` from
    ``2.0`` or ``true``; ``of(values)`` then picks the core of the row's own
    types (text rows never meet one: the hot path pays one class check).
    """

    build: Callable  # raw values -> Core
    cores: dict = field(default_factory=dict)

    def of(self, values: tuple) -> Core:
        types = tuple(map(type, values))
        core = self.cores.get(types)
        if core is None:
            core = self.cores[types] = self.build(values)
        return core


@dataclass(frozen=True)
class Job:
    """What the batch runner needs from an engine.

    ``evaluate(person)`` is the result (a dict; its echo keys, if any, are
    dropped: the batch writes its own); ``key_a(person)``
    and ``key_b(person)`` are hashables naming everything the result depends
    on besides the echo, the first read from A attributes only, the second
    from B ones only; ``echo_keys`` the result's top-level keys rebuilt per
    row (``as_of``, ``person``); ``output_keys`` every top-level key it may
    have (a brief row's too: a carried column takes none of them);
    ``columns`` and ``flatten`` its CSV/Parquet columns.
    """

    name: str
    evaluate: Callable[[Person], dict]
    key_a: Callable[[Person], Hashable]
    key_b: Callable[[Person], Hashable]
    columns: tuple[str, ...]
    flatten: Callable[[dict], dict]
    output_keys: tuple[str, ...] = ()
    echo_keys: tuple[str, ...] = ("as_of", "person")
    require_category: bool = False
    column_types: dict = field(default_factory=dict)  # column -> bool|int|float (default string), for Parquet
    #: ``evaluate`` hands out one object for equal answers (check's are assembled once each): the batch
    #: renders and flattens such an object once, found by identity. A job whose answers are each its own
    #: (retirement's: every birth has its figures) says False, and nothing is held for it.
    shares_answers: bool = False
    #: ``ages(person)``: for a person's A attributes, the ages (in months, sorted) at which the answer may
    #: change because a rule tests the age (check's resident pension: 16), else empty. The age needs both
    #: halves (birth and as_of), so the batch adds its band to the pair of codes (``Resolver.key_of``).
    ages: Callable[[Person], tuple] | None = None
    #: ``retirement_key(person)``: for a person's A attributes whose rules test whether they are past the
    #: statutory retirement age, what the retirement month depends on among them (group, law interval), else
    #: None; ``retirement_months(person)`` is ``eligibility.retirement_months`` for a whole person (that month's
    #: index and the other reading's, or None when it cannot be told). Like the age, it is read from both
    #: halves: the batch adds whether each is past to the pair of codes (``Resolver.key_of``).
    retirement_key: Callable[[Person], Hashable] | None = None
    retirement_months: Callable[[Person], tuple | None] | None = None

    def key(self, person: Person) -> tuple:
        """The whole key of one person, as a batch computes it from the two parts."""
        return (self.key_a(person), self.key_b(person))


def _echo(person: Person) -> dict:
    """``person.as_dict()`` without ``dataclasses.asdict`` (a tenth of the time): set fields, months and dates as text."""
    out = {}
    for name in ATTRIBUTES:
        value = getattr(person, name)
        if value is not None:
            out[name] = value.isoformat() if name == "as_of" else str(value) if name == "birth" else value
    return out


def _person(a: dict, b: dict) -> Person:
    """``Person(**a, **b)`` for values ``make_person`` already normalised (a struct: its constructor is fast).

    A half person (one dict empty) is a namespace of the one group's
    attributes, so a key half that reads the other group's fails loudly.
    """
    return Person(**a, **b) if a and b else SimpleNamespace(**a, **b)


def _json_fragment(echo: dict, names: tuple[str, ...]) -> bytes:
    """``"k":v,"k2":v2`` for the names present, without braces."""
    present = {k: echo[k] for k in names if k in echo}
    return orjson.dumps(present)[1:-1] if present else b""


@dataclass(eq=False, slots=True)
class PartA:
    """The normalised A attributes of a raw tuple, their JSON echo pieces, and their half of the key."""

    core: Core  # the other A attributes, shared by the parts of every province
    province: object  # normalised, or None
    as_of: str
    json_pre: bytes  # "as_of":"D","person":{ + head fields and a comma
    json_province: bytes  # "province":"P", or nothing (shared by every part of that province)
    json_post: bytes  # the rest of the tail fields + }
    month: int  # as_of's month index: a birth after it is an error
    code: int = 0  # the job's key_a as an int, never reused in a run: ``(a.code, b.code)`` names a result
    memo: object = None  # the sink's own rendering of these attributes
    ages: tuple | None = None  # the ages (months) at which these attributes' answer changes (``Job.ages``), or None
    retire: object = None  # what the retirement month depends on among these attributes (``Job.retirement_key``)
    plain: bool = True  # neither: the pair of codes names the result

    @property
    def kwargs(self) -> dict:
        """The normalised A attributes (built when asked: only a key met anew needs them)."""
        return {**self.core.kwargs, A_FREE: self.province}

    def echo(self) -> dict:
        """These attributes as the ``person`` echo gives them (set ones only, dates as text)."""
        return echo_of(self.kwargs)


@dataclass(eq=False, slots=True)
class PartB:
    kwargs: dict
    echo: dict
    json: bytes  # fields and a comma, or nothing
    month: int  # birth's month index, or -1 without a birth
    code: int = 0  # the job's key_b as an int
    memo: object = None
    retire: dict | None = None  # an A part's ``retire`` -> this person's ``retirement_months`` (or None)


#: Each group has one attribute ``make_person`` checks against nothing else (``FREE``): province in A,
#: birth in B (its one cross-check, against as_of, is made per row). The rest of a group (its core) is
#: cross-checked once per distinct set of values; its parts hang off it by the free attribute's raw value.
#: Rows repeat few cores (about 700 A cores in a million rows, against 34,000 raw A tuples), so a part
#: costs a few dict look-ups and joins of bytes, never a ``make_person`` call.
A_FREE, B_FREE = "province", "birth"
A_CORE = tuple(n for n in A_ATTRIBUTES if n != A_FREE)  # as_of stays last
B_CORE = tuple(n for n in B_ATTRIBUTES if n != B_FREE)


@dataclass(eq=False, slots=True)
class Core:
    """A group's cross-checked attributes without the free one, and the parts built on them."""

    kwargs: dict  # normalised core attributes
    pieces: tuple  # the JSON echo pieces the parts are joined from
    month: int = -1  # A: as_of's month index
    parts: dict = field(default_factory=dict)  # raw free value -> part
    by_value: dict = field(default_factory=dict)  # normalised free value -> part (``广东``, ``guangdong``)
    memo: object = None  # the sink's own rendering of the core's attributes


@dataclass(slots=True)
class Resolver:
    """Memoised normalisation, keying and evaluation for one run.

    ``render(data)`` turns a result without its echo into what the sink
    writes (byte pieces for JSONL, text pieces for CSV) and the memory the
    cached value holds; the rendered value is cached, least recently used out
    first, within ``cache_bytes``.
    Rows without ``as_of`` take ``default_as_of`` (the day the run starts).
    """

    job: Job
    render: Callable[[dict], object]
    default_as_of: _dt.date | None = None
    cache_bytes: int = 32 << 20
    part_cache_size: int = 1 << 14
    results: OrderedDict = field(default_factory=OrderedDict)
    _shared_results: dict = field(default_factory=dict)  # a rendered answer -> the one copy the cache holds
    _by_answer: dict = field(default_factory=dict)  # id(a job's answer) -> (the answer, its rendering)
    costs: dict = field(default_factory=dict)
    held: int = 0
    misses: int = 0
    core_a: Callable = None  # (given, raw core values) -> Core (or ByType), memoised
    core_b: Callable = None
    _cores_a: dict = field(default_factory=dict)
    _cores_b: dict = field(default_factory=dict)
    _parts: int = 0
    _fields: dict = field(default_factory=lambda: {name: {} for name in ATTRIBUTES})
    _codes_a: dict = field(default_factory=dict)
    _codes_b: dict = field(default_factory=dict)
    _next_code: int = 0
    _given: dict = field(default_factory=dict)
    _given_names: list = field(default_factory=list)
    _province_texts: dict = field(default_factory=dict)  # normalised province -> its echo piece
    _raw_texts: dict = field(default_factory=dict)  # raw free value -> the one copy parts are keyed on

    def __post_init__(self):
        if self.default_as_of is None:
            self.default_as_of = today()
        self.core_a = lru_cache(self.part_cache_size)(self._core_a_given)
        self.core_b = lru_cache(self.part_cache_size)(self._core_b_given)

    def given(self, names: tuple) -> int:
        """A number for a set of attributes a row gives, for ``core_a(given, values)`` (few sets occur)."""
        found = self._given.get(names)
        if found is None:
            found = self._given[names] = len(self._given)
            self._given_names.append(names)
        return found

    def _core_a_given(self, given: int, values: tuple) -> Core | ByType:
        """The A core of a row that gives the core attributes numbered ``given`` with these values.

        Values that are not all text get a ``ByType``, whose ``of(values)`` is the core.
        """
        if not _text_only(values):
            return ByType(lambda values: self._core_a(self._in_order(given, values, A_CORE)))
        return self._core_a(self._in_order(given, values, A_CORE))

    def _core_b_given(self, given: int, values: tuple) -> Core | ByType:
        if not _text_only(values):
            return ByType(lambda values: self._core_b(self._in_order(given, values, B_CORE)))
        return self._core_b(self._in_order(given, values, B_CORE))

    def _in_order(self, given: int, values: tuple, names: tuple) -> tuple:
        """A row's raw values of the attributes numbered ``given``, in ``names`` order (None where not given)."""
        raw = dict(zip(self._given_names[given], values))
        return tuple(raw.get(name) for name in names)

    # -- normalisation -------------------------------------------------------
    def _as_of(self, raw):
        return self.default_as_of if raw is None or raw == "" else raw

    def _normalised(self, names: tuple, raw: tuple) -> tuple:
        """Each attribute normalised on its own, from a per-attribute cache of raw values (few per column)."""
        out = []
        for name, value in zip(names, raw):
            cache = self._fields[name]
            key = _raw_key(value)
            try:
                found = cache.get(key, _MISSING)
            except TypeError:  # unhashable (a JSON list or object): normalise_field says why it is wrong
                found = _MISSING
                cache = None
            if found is _MISSING:
                try:
                    found = normalise_field(name, value)
                except InputError as err:
                    found = kept(err)
                if cache is not None:
                    if len(cache) >= self.part_cache_size:
                        cache.clear()
                    cache[key] = found
            if found.__class__ is InputError:
                raise fresh(found)  # a copy: the cached one keeps no frames (and the rows they hold)
            out.append(found)
        return tuple(out)

    def _shared(self, table: dict, values: tuple, build):
        """One core per normalised value (``职工`` and ``employee`` share theirs, and its parts)."""
        found = table.get(values)
        if found is None:
            if len(table) >= self.part_cache_size:
                table.clear()
            found = table[values] = build()
        return found

    def _core_a(self, raw: tuple) -> Core:
        values = self._normalised(A_CORE, raw[:-1] + (self._as_of(raw[-1]),))
        return self._shared(self._cores_a, values, lambda: self._build_core_a(
            make_person(**dict(zip(A_CORE, values)), require_category=self.job.require_category)))

    def _build_core_a(self, p: Person) -> Core:
        echo = _echo(p)
        as_of = p.as_of.isoformat()
        head = _json_fragment(echo, ECHO_HEAD)
        rest = _json_fragment(echo, ECHO_TAIL)  # the tail after province (unset here), as_of at least
        pre = b'"as_of":' + orjson.dumps(as_of) + b',"person":{' + (head + b"," if head else b"")
        return Core(kwargs={name: getattr(p, name) for name in A_CORE}, pieces=(as_of, pre, rest + b"}"),
                    month=Month.index_of(p.as_of))

    def _core_b(self, raw: tuple) -> Core:
        values = self._normalised(B_CORE, raw)
        return self._shared(self._cores_b, values, lambda: self._build_core_b(
            make_person(**dict(zip(B_CORE, values)), as_of=_LAST_DAY)))

    def _build_core_b(self, p: Person) -> Core:
        echo = _echo(p)
        free = ECHO_B.index(B_FREE)  # the echo puts birth between sex and female_track
        return Core(kwargs={name: getattr(p, name) for name in B_CORE},
                    pieces=(_json_fragment(echo, ECHO_B[:free]), _json_fragment(echo, ECHO_B[free + 1:])))

    def part_a(self, core: Core, raw) -> PartA:
        """The part of an A core with this raw province."""
        return self._part(core, raw, A_FREE, self._build_a)

    def part_b(self, core: Core, raw) -> PartB:
        """The part of a B core with this raw birth."""
        return self._part(core, raw, B_FREE, self._build_b)

    def _part(self, core: Core, raw, free: str, build):
        """The part of ``core`` with this raw free value; an unhashable one (a JSON list) is found by its normalised value only."""
        key = raw if raw is None else _raw_key(raw)
        try:
            part = core.parts.get(key)
        except TypeError:
            part = key = None
        if part is None:
            (value,) = self._normalised((free,), (raw,))
            part = core.by_value.get(value)
            if part is None:
                part = core.by_value[value] = build(core, value)
                self._held_part()
            # One copy of each raw text across the cores (a row's own string would be held per core).
            if key is not None:
                texts = self._raw_texts
                if len(texts) >= self.part_cache_size:
                    texts.clear()
                key = texts.setdefault(key, key)
                core.parts[key] = part
        return part

    def _build_a(self, core: Core, province) -> PartA:
        as_of, pre, post = core.pieces
        text = b""
        if province is not None:
            text = self._province_texts.get(province)
            if text is None:
                text = self._province_texts[province] = b'"province":' + orjson.dumps(province) + b","
        part = PartA(core=core, province=province, as_of=as_of, json_pre=pre, json_province=text, json_post=post,
                     month=core.month)
        half = _person(part.kwargs, {})
        part.code = self._code(self._codes_a, self.job.key_a(half))
        if self.job.ages is not None:
            part.ages = self.job.ages(half) or None
        if self.job.retirement_key is not None:
            part.retire = self.job.retirement_key(half)
        part.plain = part.ages is None and part.retire is None
        return part

    def _build_b(self, core: Core, birth) -> PartB:
        kwargs = {name: birth if name == B_FREE else core.kwargs[name] for name in B_ATTRIBUTES}
        values = echo_of(kwargs)
        echo = {k: values[k] for k in ECHO_B if k in values}  # the echo's order, not the group's
        sex, track = core.pieces
        text = b",".join(f for f in (sex, _json_fragment(echo, (B_FREE,)), track) if f)
        return PartB(kwargs=kwargs, echo=echo, json=text + b"," if text else b"",
                     month=birth.index if birth is not None else -1,
                     code=self._code(self._codes_b, self.job.key_b(_person({}, kwargs))))

    def _held_part(self) -> None:
        """Bound the parts: past ``part_cache_size`` per group (counted together), every core starts afresh."""
        self._parts += 1
        if self._parts > 2 * self.part_cache_size:
            self._parts = 0
            self.core_a.cache_clear()
            self.core_b.cache_clear()
            self._cores_a.clear()
            self._cores_b.clear()
            self._raw_texts.clear()

    def _code(self, codes: dict, key) -> int:
        """An int per distinct key half, so a result is found by two ints (keys of tuples hash slowly).

        Codes are never reused in a run: a key forgotten (the table is
        bounded) and met again gets a new code, and its old results age out.
        """
        code = codes.get(key)
        if code is None:
            if len(codes) >= self.part_cache_size * 4:
                codes.clear()
            code = codes[key] = self._next_code
            self._next_code += 1
        return code

    def parts(self, a_raw: tuple, b_raw: tuple) -> tuple[PartA, PartB]:
        """Both parts, or the InputError one ``make_person`` call on the whole row raises.

        ``a_raw`` and ``b_raw`` are the raw values in ``A_ATTRIBUTES`` and
        ``B_ATTRIBUTES`` order (None where the row gives none).
        """
        a_core = tuple(v for n, v in zip(A_ATTRIBUTES, a_raw) if n != A_FREE)
        b_core = tuple(v for n, v in zip(B_ATTRIBUTES, b_raw) if n != B_FREE)
        province, birth = a_raw[A_ATTRIBUTES.index(A_FREE)], b_raw[B_ATTRIBUTES.index(B_FREE)]
        try:
            a = self.part_a(self._core(self.core_a, self._core_a, A_CORE, a_core), province)
            b = self.part_b(self._core(self.core_b, self._core_b, B_CORE, b_core), birth)
        except InputError as err:
            raise self.canonical_error(a_raw, b_raw, err) from None
        if b.month > a.month:
            raise self.canonical_error(a_raw, b_raw, InputError("birth", b.echo["birth"], "is after as_of"))
        return a, b

    def _core(self, lru, build, names: tuple, raw: tuple) -> Core:
        """A core from the LRU (by type where values are not text), or normalised afresh for unhashable values."""
        try:
            core = lru(self.given(names), raw)
        except TypeError:
            return build(raw)
        return core.of(raw) if core.__class__ is ByType else core

    def canonical_error(self, a_raw: tuple, b_raw: tuple, fallback: InputError) -> InputError:
        """The error a single call would report first (rows with several bad fields)."""
        values = dict(zip(A_ATTRIBUTES, a_raw))
        values.update(zip(B_ATTRIBUTES, b_raw))
        values["as_of"] = self._as_of(values["as_of"])
        try:
            make_person(**values, require_category=self.job.require_category)
        except InputError as err:
            return err
        except TypeError:
            pass
        return fallback

    def person(self, a: PartA, b: PartB) -> Person:
        return _person(a.kwargs, b.kwargs)

    def echo(self, a: PartA, b: PartB) -> dict:
        """The ``person`` echo as ``Person.as_dict()`` gives it, without building a Person."""
        head = a.echo()
        return {**{k: head[k] for k in ECHO_HEAD if k in head}, **b.echo,
                **{k: head[k] for k in ECHO_TAIL if k in head}}

    # -- results ---------------------------------------------------------------
    def rendered(self, a: PartA, b: PartB):
        """The rendered result of this person, from the cache when its key was seen (an InputError is raised)."""
        key = self.key_of(a, b)
        found = self.results.get(key)
        if found is None:
            found = self._evaluate(key, a, b)
        else:
            self.results.move_to_end(key)
        if found.__class__ is InputError:
            raise fresh(found)  # a copy: the cached one keeps no frames (and the rows they hold)
        return found

    def key_of(self, a: PartA, b: PartB) -> tuple:
        """What names a row's result: the codes of its two parts, and what a rule reads from both halves.

        Those are the age band where a rule tests the age (the months from
        birth to as_of; -1 without a birth, as no age test holds) and whether
        the person is past the statutory retirement month and the other
        reading's (``eligibility.retirement_months``; None when it cannot be
        told), the months worked out once per B part and A part's ``retire``.
        """
        key = (a.code, b.code)
        if a.ages is not None:
            key += (bisect.bisect_right(a.ages, a.month - b.month) if b.month >= 0 else -1,)
        if a.retire is not None:
            memo = b.retire if b.retire is not None else self._retire_memo(b)
            months = memo.get(a.retire, _MISSING)
            if months is _MISSING:
                months = memo[a.retire] = self.job.retirement_months(self.person(a, b))
            # past the statutory month, and past the other reading's (``eligibility.past_on`` tells them so)
            key += (None if months is None else
                    (a.month >= months[0], months[1] is not None and a.month >= months[1]),)
        return key

    @staticmethod
    def _retire_memo(b: PartB) -> dict:
        b.retire = {}
        return b.retire

    def _evaluate(self, key: tuple, a: PartA, b: PartB):
        """Evaluate, render and cache one key's result, or the InputError the engine raised for it."""
        self.misses += 1
        try:
            result = self.job.evaluate(self.person(a, b))
            held = self._by_answer.get(id(result))
            if held is not None and held[0] is result:
                # An answer the job shares between keys: rendered once, and held once whatever the sink makes of it.
                rendered, cost = held[1], _SHARED_COST
            else:
                rendered, cost = self._render(result)
        except InputError as err:  # equal keys, equal outcomes: the error too
            rendered, cost = kept(err), 256
        results, costs = self.results, self.costs
        self.held += cost
        while self.held > self.cache_bytes and results:
            old, _ = results.popitem(last=False)
            self.held -= costs.pop(old)
        results[key] = rendered
        costs[key] = cost
        return rendered

    def _render(self, result: dict) -> tuple:
        """The sink's rendering of a result met anew, and its cost; an equal rendering held already is that one."""
        answer = result
        echo = self.job.echo_keys
        if not result.keys().isdisjoint(echo):  # the echo is the batch's to write
            result = {k: v for k, v in result.items() if k not in echo}
        rendered, cost = self.render(result)
        if rendered.__class__ is tuple:
            # Many keys share one answer (11,357 check keys in a million generated rows render 475): hold it once.
            shared = self._shared_results.get(rendered)
            if shared is None:
                if len(self._shared_results) >= _MAX_SHARED:
                    self._shared_results.clear()
                self._shared_results[rendered] = rendered
            else:
                rendered, cost = shared, _SHARED_COST
        if self.job.shares_answers:
            if len(self._by_answer) >= _MAX_SHARED:
                self._by_answer.clear()
            self._by_answer[id(answer)] = (answer, rendered)  # holds the answer: its id stays its own
        return rendered, cost
