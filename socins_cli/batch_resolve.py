"""From a row's raw attributes to its person echo and its (cached) result.

Why it is fast:

* A person's attributes fall into two groups that ``make_person`` checks
  separately (it cross-checks category with relation, sex with female
  track, birth with as-of, and nothing across the groups;
  ``tests/test_batch_resolve.py`` proves the split gives the same person and
  the same errors as one call):

    A = category, relation, province, industry, platform, employers, as_of
    B = sex, female_track, birth, as_of

  Each group is normalised once per distinct raw tuple (bounded LRU caches),
  and raw tuples with equal normalised values (``广东``, ``guangdong``) share
  one part, with what was learned about it.

* The result is cached on the job's key function, never on the full row,
  and the key function itself is memoised by the attributes it *reads*: it
  is run once on a recording person, and the attributes it read, in order,
  with their values, become a path in a small trie ending in the key. A
  later person whose values follow an existing path gets its key without
  calling the engine. When a path reads no B attribute, the key is stored
  on the A part and the row costs two cache look-ups. When most look-ups
  miss (every person takes a new path: dates all different, say), learning
  costs more than it saves and the key is called per row instead.

* The result's per-row echo (``as_of``, ``person``) is rebuilt from the two
  parts, so the cached part is rendered (serialised) once per key.

What a job must keep: its key names everything its result depends on besides
the echo (equal keys, equal results), and it is a deterministic function of
the person's attributes, read while it runs. Caches are bounded: memory stays
flat however long the input.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Hashable
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import orjson

from socins_cli.batch_write import cell_text, neutralise
from socins_cli.dates import today
from socins_cli.errors import InputError, SocinsError
from socins_cli.person import ATTRIBUTES, Person, make_person

A_ATTRIBUTES = ("category", "relation", "province", "industry", "platform", "employers", "as_of")
B_ATTRIBUTES = ("sex", "female_track", "birth", "as_of")
_A_SET = frozenset(A_ATTRIBUTES)
_ATTRIBUTE_SET = frozenset(ATTRIBUTES)
# The person echo keeps Person.as_dict()'s order: A head, B, A tail.
_HEAD = ("category", "relation")
_B_ORDER = ("sex", "birth", "female_track")
_TAIL = ("province", "industry", "platform", "employers", "as_of")

_UNKNOWN = object()
_PER_ROW = object()
_WINDOW = 1 << 15  # trie look-ups between checks that it still pays


@dataclass(frozen=True)
class Job:
    """What the batch runner needs from an engine.

    ``evaluate(person)`` is the single-call result (a dict); ``key(person)``
    a hashable naming everything the result depends on besides the echo;
    ``echo_keys`` the result's top-level keys rebuilt per row (``as_of``,
    ``person``); ``output_keys`` every top-level key it may have; ``columns``
    and ``flatten`` its CSV/Parquet columns.
    """

    name: str
    evaluate: Callable[[Person], dict]
    key: Callable[[Person], Hashable]
    columns: tuple[str, ...]
    flatten: Callable[[dict], dict]
    output_keys: tuple[str, ...] = ()
    echo_keys: tuple[str, ...] = ("as_of", "person")
    require_category: bool = False
    column_types: dict = field(default_factory=dict)  # column -> bool|int|float (default string), for Parquet


class _ReadRecorder(Person):
    """A Person that notes which attributes are read, in order, to learn what a key depends on."""

    __slots__ = ("_read",)

    def __getattribute__(self, name):
        if name in _ATTRIBUTE_SET:
            object.__getattribute__(self, "_read").setdefault(name, None)
        return object.__getattribute__(self, name)


def _echo(person: Person) -> dict:
    """``person.as_dict()`` without ``dataclasses.asdict`` (a tenth of the time): set fields, months and dates as text."""
    out = {}
    for name in ATTRIBUTES:
        value = getattr(person, name)
        if value is not None:
            out[name] = value.isoformat() if name == "as_of" else str(value) if name == "birth" else value
    return out


_SET = object.__setattr__
_NEW = object.__new__
_FAST_PERSON = not hasattr(Person, "__post_init__")


def _person(a: dict, b: dict) -> Person:
    """``Person(**a, **b)`` for values ``make_person`` already normalised, without the dataclass __init__ (slow here)."""
    if not _FAST_PERSON:
        return Person(**a, **b)
    person = _NEW(Person)
    for name, value in a.items():
        _SET(person, name, value)
    for name, value in b.items():
        _SET(person, name, value)
    return person


def _cells(echo: dict, names: tuple[str, ...]) -> tuple[str, ...]:
    """CSV cells of normalised attributes, neutralised (a platform name is free text)."""
    return tuple(neutralise(cell_text(echo.get(name))) for name in names)


def _json_fragment(echo: dict, names: tuple[str, ...]) -> bytes:
    """``"k":v,"k2":v2`` for the names present, without braces."""
    present = {k: echo[k] for k in names if k in echo}
    return orjson.dumps(present)[1:-1] if present else b""


@dataclass(eq=False, slots=True)
class PartA:
    """The normalised A attributes of a raw tuple, their echo, and the key when it is theirs alone."""

    kwargs: dict
    as_of: str
    head: dict
    tail: dict
    cells_head: tuple
    cells_tail: tuple
    json_pre: bytes  # "as_of":"D","person":{ + head fields and a comma
    json_post: bytes  # tail fields + }
    key: object = _UNKNOWN
    memo: object = None  # the sink's own rendering of these attributes
    node: object = None  # where a trie walk leaves this part's attributes (for ``generation``)
    generation: int = -1


@dataclass(eq=False, slots=True)
class PartB:
    kwargs: dict
    echo: dict
    cells: tuple
    json: bytes  # fields and a comma, or nothing
    memo: object = None


class _Node:
    __slots__ = ("attr", "in_a", "children")

    def __init__(self, attr: str):
        self.attr = attr
        self.in_a = attr in _A_SET
        self.children: dict = {}


class _Leaf:
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key


class _Inconsistent(Exception):
    """The key function read differently for equal values: it is not deterministic; stop memoising it."""


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
    cache_bytes: int = 64 << 20
    part_cache_size: int = 1 << 15
    trie_size: int = 1 << 17
    results: OrderedDict = field(default_factory=OrderedDict)
    costs: dict = field(default_factory=dict)
    held: int = 0
    part_a: Callable = None
    part_b: Callable = None
    _a_values: dict = field(default_factory=dict)
    _b_values: dict = field(default_factory=dict)
    generation: int = 0
    misses: int = 0
    root: object = None
    nodes: int = 0
    learned: int = 0
    walks: int = 0
    memoise_keys: bool = True

    def __post_init__(self):
        if self.default_as_of is None:
            self.default_as_of = today()
        self.part_a = lru_cache(self.part_cache_size * 2)(self._part_a)
        self.part_b = lru_cache(self.part_cache_size * 2)(self._part_b)

    # -- normalisation -------------------------------------------------------
    def _as_of(self, raw):
        return self.default_as_of if raw is None or raw == "" else raw

    def _shared(self, table: dict, value: tuple, build):
        """One part per normalised value (``广东`` and ``guangdong`` share theirs, and its learned key)."""
        found = table.get(value)
        if found is None:
            if len(table) >= self.part_cache_size:
                table.clear()
            found = table[value] = build()
        return found

    def _part_a(self, raw: tuple) -> PartA:
        values = dict(zip(A_ATTRIBUTES, raw))
        values["as_of"] = self._as_of(values["as_of"])
        p = make_person(**values, require_category=self.job.require_category)
        return self._shared(self._a_values, tuple(getattr(p, n) for n in A_ATTRIBUTES), lambda: self._build_a(p))

    def _build_a(self, p: Person) -> PartA:
        echo = _echo(p)
        as_of = p.as_of.isoformat()
        head = _json_fragment(echo, _HEAD)
        return PartA(
            kwargs={name: getattr(p, name) for name in A_ATTRIBUTES},
            as_of=as_of,
            head={k: echo[k] for k in _HEAD if k in echo},
            tail={k: echo[k] for k in _TAIL if k in echo},
            cells_head=_cells(echo, _HEAD),
            cells_tail=_cells(echo, _TAIL),
            json_pre=b'"as_of":' + orjson.dumps(as_of) + b',"person":{' + (head + b"," if head else b""),
            json_post=_json_fragment(echo, _TAIL) + b"}",
        )

    def _part_b(self, raw: tuple) -> PartB:
        values = dict(zip(B_ATTRIBUTES, raw))
        values["as_of"] = self._as_of(values["as_of"])
        p = make_person(**values)
        return self._shared(self._b_values, tuple(getattr(p, n) for n in _B_ORDER), lambda: self._build_b(p))

    def _build_b(self, p: Person) -> PartB:
        echo = _echo(p)
        fragment = _json_fragment(echo, _B_ORDER)
        return PartB(
            kwargs={name: getattr(p, name) for name in _B_ORDER},
            echo={k: echo[k] for k in _B_ORDER if k in echo},
            cells=_cells(echo, _B_ORDER),
            json=fragment + b"," if fragment else b"",
        )

    def parts(self, a_raw: tuple, b_raw: tuple) -> tuple[PartA, PartB]:
        """Both parts, or the InputError one ``make_person`` call on the whole row raises."""
        try:
            try:
                return self.part_a(a_raw), self.part_b(b_raw)
            except TypeError:  # an unhashable value (a JSON list or object): no caching
                return self._part_a(a_raw), self._part_b(b_raw)
        except InputError as err:
            raise self.canonical_error(a_raw, b_raw, err) from None

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
        return {**a.head, **b.echo, **a.tail}

    # -- keys ------------------------------------------------------------------
    def key_of(self, a: PartA, b: PartB):
        """The job's key for this person: stored on the A part, found in the trie, or computed."""
        key = a.key
        if key is not _UNKNOWN and key is not _PER_ROW:
            return key
        if key is _UNKNOWN:
            return self._learn(a, b)
        if not self.memoise_keys:
            return self.job.key(self.person(a, b))
        self.walks += 1
        ak, bk = a.kwargs, b.kwargs
        if a.generation == self.generation:
            node = a.node
        else:  # walk the A attributes once per A part and trie generation
            node = self.root
            while node.__class__ is _Node and node.in_a:
                node = node.children.get(ak[node.attr])
            if node is not None:
                a.node, a.generation = node, self.generation
        while node.__class__ is _Node:
            node = node.children.get(ak[node.attr] if node.in_a else bk[node.attr])
        if node is None:
            self.learned += 1
            if self.walks >= _WINDOW:
                if self.learned * 4 > self.walks:
                    # Most people take a new path (say, as_of dates all different): learning costs more
                    # than it saves, so stop memoising and call the key.
                    self.memoise_keys, self.root, self.nodes = False, None, 0
                self.walks = self.learned = 0
            return self._learn(a, b)
        return node.key

    def _learn(self, a: PartA, b: PartB):
        """Run the key on a recording person: what it read decides where the key is kept."""
        person = self.person(a, b)
        recorder = _ReadRecorder(**a.kwargs, **b.kwargs)
        object.__setattr__(recorder, "_read", {})
        try:
            self.job.key(recorder)
            read = list(object.__getattribute__(recorder, "_read"))
        except SocinsError:
            raise
        except Exception:  # it wants a plain Person: no memo for keys read from B
            read = list(ATTRIBUTES)
            self.memoise_keys = False
        key = self.job.key(person)
        hash(key)
        if _A_SET.issuperset(read):
            if a.key is _UNKNOWN:
                a.key = key
            return key
        a.key = _PER_ROW
        if self.memoise_keys:
            values = [a.kwargs[n] if n in _A_SET else b.kwargs[n] for n in read]
            try:
                self._insert(read, values, key)
            except _Inconsistent:
                self.memoise_keys, self.root, self.nodes = False, None, 0
        return key

    def key_with_reads(self, a: PartA, b: PartB) -> tuple[object, frozenset]:
        """The key and the attributes it read (all of them when that cannot be recorded)."""
        recorder = _ReadRecorder(**a.kwargs, **b.kwargs)
        object.__setattr__(recorder, "_read", {})
        try:
            self.job.key(recorder)
            read = frozenset(object.__getattribute__(recorder, "_read"))
        except SocinsError:
            raise
        except Exception:
            read = _ATTRIBUTE_SET
        key = self.job.key(self.person(a, b))
        hash(key)
        return key, read

    def result_of(self, key, a: PartA, b: PartB):
        """The rendered result for a key already computed (from the cache, or evaluated now)."""
        found = self.results.get(key)
        if found is None:
            return self._evaluate(key, a, b)
        self.results.move_to_end(key)
        return found

    def _insert(self, attrs: list, values: list, key) -> None:
        if self.nodes >= self.trie_size:
            self.root, self.nodes = None, 0
            self.generation += 1
        if not attrs:
            if self.root is not None and (self.root.__class__ is not _Leaf or self.root.key != key):
                raise _Inconsistent
            self.root = _Leaf(key)
            return
        if self.root is None:
            self.root = _Node(attrs[0])
        node = self.root
        last = len(attrs) - 1
        for i, attr in enumerate(attrs):
            if node.__class__ is not _Node or node.attr != attr:
                raise _Inconsistent
            child = node.children.get(values[i])
            if child is None:
                child = _Leaf(key) if i == last else _Node(attrs[i + 1])
                node.children[values[i]] = child
                self.nodes += 1
            node = child
        if node.__class__ is not _Leaf or node.key != key:
            raise _Inconsistent

    # -- results ---------------------------------------------------------------
    def rendered(self, a: PartA, b: PartB):
        """The rendered result of this person, from the cache when its key was seen."""
        key = self.key_of(a, b)
        found = self.results.get(key)
        if found is None:
            return self._evaluate(key, a, b)
        self.results.move_to_end(key)
        return found

    def _evaluate(self, key, a: PartA, b: PartB):
        self.misses += 1
        result = self.job.evaluate(self.person(a, b))
        echo = self.job.echo_keys
        rendered, cost = self.render({k: v for k, v in result.items() if k not in echo})
        results, costs = self.results, self.costs
        self.held += cost
        while self.held > self.cache_bytes and results:
            old, _ = results.popitem(last=False)
            self.held -= costs.pop(old)
        results[key] = rendered
        costs[key] = cost
        return rendered
