"""Where the law is loaded: the only reader of ``statutes/``.

``load_law()`` parses every TOML file once, builds frozen values, validates
them, and keeps them in a data-only cache keyed by the content of every file
(``socins_cli.law.law_cache``), so a single command neither re-parses nor
re-checks the corpus. Everything downstream asks the ``Law`` questions with
a date.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import gc
import importlib
import os
from collections.abc import MutableMapping
from pathlib import Path

import msgspec

from socins_cli import __version__
from socins_cli.errors import DataError, InputError, InvalidStatutes, NotInForceError
from socins_cli.law.model import (
    Article,
    Citation,
    Fact,
    Instrument,
    Version,
)

_LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
_INSTRUMENT_CHARS = _LOWER_DIGITS + "-"
_VERSION_CHARS = _INSTRUMENT_CHARS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ."  # an article number's too
_NAME_CHARS = _VERSION_CHARS + "_"  # a fact's or a table's id


def _made_of(text: str, chars: str) -> bool:
    """Non-empty and nothing but ``chars``."""
    return bool(text) and not text.strip(chars)


def parse_cite(ref: str) -> dict | None:
    """``INSTRUMENT[@VERSION][:ARTICLE[:PARAGRAPH]|#FACT|/TABLE]`` as its parts (None where absent), or None.

    String tests, not a pattern: compiling the pattern this replaces cost
    every command ~0.25 ms. What it accepts is what that pattern matched,
    a single newline at the end included (tests/test_parsers_keep_their_patterns.py keeps
    them the same).
    """
    if ref.endswith("\n"):
        ref = ref[:-1]
    cut = len(ref)
    for mark in ":#/":
        at = ref.find(mark)
        if 0 <= at < cut:
            cut = at
    head, tail = ref[:cut], ref[cut:]
    instrument, at_sign, version = head.partition("@")
    if not _made_of(instrument, _INSTRUMENT_CHARS) or instrument[0] == "-":
        return None
    if at_sign and not _made_of(version, _VERSION_CHARS):
        return None
    parts = {"instrument": instrument, "version": version or None, "article": None, "paragraph": None,
             "fact": None, "table": None}
    if not tail:
        return parts
    mark, body = tail[0], tail[1:]
    if mark == ":":
        article, colon, paragraph = body.partition(":")
        if not _made_of(article, _VERSION_CHARS) or (colon and not (paragraph and paragraph.isdecimal())):
            return None
        parts["article"], parts["paragraph"] = article, paragraph or None
    elif _made_of(body, _NAME_CHARS):
        parts["fact" if mark == "#" else "table"] = body
    else:
        return None
    return parts


def default_statutes_dir() -> Path:
    """The statutes shipped with socins: inside the package when installed from a wheel, beside it in a checkout."""
    here = Path(__file__).resolve().parents[1]  # the package folder
    packaged = here / "statutes"
    if packaged.is_dir():
        return packaged
    return here.parent / "statutes"


class ParameterValue(msgspec.Struct, frozen=True):
    start: _dt.date
    value: object
    cite: tuple[str, ...]
    note: str | None = None
    bound: str | None = None  # "at-most" or "at-least": the value is a limit the text sets (schema.ValueShape)
    settled: bool = True  # False: the text does not fix the value for everyone (schema.ValueShape)


class Parameter(msgspec.Struct, frozen=True):
    """A dated value, OpenFisca-style: the value on D is the latest starting on or before D."""

    name: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]
    file: str

    def entry_on(self, on: _dt.date) -> ParameterValue | None:
        found = None
        for v in self.values:
            if v.start <= on:
                found = v
            else:
                break
        return found


def instrument_of(ref: str) -> str:
    """The instrument id a citation names: ``sil@2010:10:2`` -> ``sil``."""
    return ref.split(":", 1)[0].split("#", 1)[0].split("/", 1)[0].split("@", 1)[0]


class Law:
    """The whole encoded corpus, answering questions "as in force on date D".

    A plain class, not a struct: ``views`` belongs to this object alone, so no
    copy of a Law may carry it over.
    """

    __slots__ = ("root", "instruments", "parameters", "data", "files", "change_dates", "resolved", "name_index",
                 "views", "data_temporal")

    def __init__(self, root: str, instruments: dict[str, Instrument], parameters: dict[str, Parameter],
                 data: dict[str, dict], files: dict[str, str] | None = None,
                 change_dates: tuple[_dt.date, ...] = (), resolved: dict | None = None,
                 name_index: dict | None = None, data_temporal: list | None = None):
        self.root = root
        self.instruments = instruments  # a LazyInstruments when read from the cache
        self.parameters = parameters
        #: every other file (rules, tables, findings), raw, keyed by relative path without ``.toml``
        self.data = data
        self.files = {} if files is None else files  # instrument id -> file it came from
        self.change_dates = change_dates
        #: resolved citations by (reference, interval between change dates): which version is in force is constant there
        self.resolved = {} if resolved is None else resolved
        #: name key -> instrument ids (``socins_cli.law.names``), built on first use
        self.name_index = name_index
        #: what each engine compiles from this law, by engine name (see ``view``); never copied to another Law
        self.views: dict = {}
        #: where the dates, datetimes and times sit in ``data`` when the cache listed them (``_temporal_paths``)
        self.data_temporal = data_temporal

    # -- instruments -------------------------------------------------------
    def instrument(self, instrument_id: str) -> Instrument:
        """An instrument by its id, its id in another case, or a Chinese title or short name (社会保险法)."""
        try:
            return self.instruments[instrument_id]
        except (KeyError, TypeError):  # TypeError: a list, say, which no id is
            pass
        if not isinstance(instrument_id, str):
            raise InputError("instrument", instrument_id, "expected text: an instrument id such as sil, "
                                                          "or a Chinese title or short name")
        found = self.instruments.get(instrument_id.strip().lower())
        if found is not None:
            return found
        ids = self.names().get(_name_key(instrument_id), ())
        if not ids and not instrument_id.isascii():  # written in traditional characters (社會保險法), as cite reads it
            from socins_cli.law.chinese_forms import simplified

            ids = self.names().get(_name_key(simplified(instrument_id)), ())
        if len(ids) == 1:
            return self.instruments[ids[0]]
        if len(ids) > 1:
            raise InputError("instrument", instrument_id, "names more than one instrument: " + ", ".join(ids))
        raise InputError(
            "instrument", instrument_id,
            "expected one of " + ", ".join(sorted(self.instruments)) + ", or a Chinese title or short name",
        )

    def view(self, name: str, build):
        """``build(self)``, once per Law object: an engine's indexed rules live and die with the law they index.

        Built with the garbage collector paused: what it makes lives as long as the law, as a decoded instrument does.
        """
        found = self.views.get(name)
        if found is None:
            found = self.views[name] = _without_collecting(build, self)
        return found

    def dates_in_data(self, skip: str) -> set[_dt.date]:
        """Every date (not a datetime) in the data files whose names do not start with ``skip``.

        A law read from the cache is told where they sit (the cache lists
        them to restore them), sparing a walk of every rule and table.
        """
        found = set()
        for kind, name, *keys in self.data_temporal if self.data_temporal is not None else _temporal_paths(self.data):
            if kind == "date" and not name.startswith(skip):
                value = self.data[name]
                for key in keys:
                    value = value[key]
                found.add(value)
        return found

    def required(self, name: str, allowed: str) -> dict:
        """The data file ``name`` (``rules/eligibility``) an engine cannot answer without; its absence a DataError."""
        raw = self.data.get(name)
        if raw is None:
            raise DataError(f"statutes/{name}.toml", "(file)", None, allowed)
        return raw

    def names(self) -> dict[str, tuple[str, ...]]:
        """Every name an instrument is cited by (name key -> ids); see ``socins_cli.law.names``."""
        if self.name_index is None:
            from socins_cli.law.names import build_name_index

            self.name_index = build_name_index(self.instruments)
        return self.name_index

    def version(self, instrument_id: str, version_id: str) -> Version:
        inst = self.instrument(instrument_id)
        v = inst.version(version_id)
        if v is None:
            raise NotInForceError("version", version_id, f"{instrument_id} has {describe_versions(inst)}")
        return v

    def version_on(self, instrument_id: str, on: _dt.date) -> Version:
        inst = self.instrument(instrument_id)
        v = inst.version_on(on)
        if v is None:
            raise NotInForceError(
                "as_of", on.isoformat(), f"{instrument_id} is not in force that day; it has {describe_versions(inst)}"
            )
        return v

    def version_dates(self, instrument_id: str) -> tuple[tuple[_dt.date | None, _dt.date, _dt.date | None], ...]:
        """Each version's (adopted, effective, repealed) days; () for an instrument not in the law.

        A law read from the cache answers from the index stored beside the
        instruments, without decoding their texts: an engine that needs only
        the days on which versions change (``eligibility._scheme_change_days``)
        then spares a command the instruments it never quotes or resolves.
        """
        index = getattr(self.instruments, "version_dates", None)
        if index is not None and instrument_id in index:
            return index[instrument_id]
        inst = self.instruments.get(instrument_id)
        return () if inst is None else _dates_of(inst)

    def in_force(self, instrument_id: str, on: _dt.date) -> bool:
        inst = self.instruments.get(instrument_id)
        return inst is not None and inst.version_on(on) is not None

    # -- citations ---------------------------------------------------------
    def resolve(self, ref: str, on: _dt.date | None = None) -> Citation | None:
        """Resolve ``sil:10:2`` (or ``sil@2010:10:2``, ``oi-pilot-2021#provinces``, ``retire-2024/annex-1``).

        Unpinned references resolve to the version in force on ``on``; the
        result is None when the instrument is not in force that day, or when
        an article is asked of a version whose text is not held
        (summary-only), so a rule citing it cannot apply. A reference to something the version
        lacks raises DataError: the data is wrong, not the date.
        """
        if on is not None:
            key = (ref, bisect.bisect_right(self.change_dates, on))
            try:
                return self.resolved[key]
            except KeyError:
                found = self._resolve(ref, on)
                if len(self.resolved) < 65536:
                    self.resolved[key] = found
                return found
        return self._resolve(ref, on)

    def _resolve(self, ref: str, on: _dt.date | None) -> Citation | None:
        m = parse_cite(ref)
        if m is None:
            raise DataError("statutes", "cite", ref, "expected INSTRUMENT[@VERSION][:ARTICLE[:PARAGRAPH]|#FACT|/TABLE]")
        inst = self.instruments.get(m["instrument"])
        if inst is None:
            raise DataError("statutes", "cite", ref, "no such instrument")
        if m["version"]:
            version = inst.version(m["version"])
            if version is None:
                raise DataError("statutes", "cite", ref, f"no such version; {describe_versions(inst)}")
        else:
            if on is None:
                raise ValueError("an unpinned citation needs a date")
            version = inst.version_on(on)
            if version is None or (m["article"] and version.completeness == "summary-only"):
                return None
        article = paragraph = None
        if m["article"]:
            art = version.article(m["article"])
            if art is None:
                raise DataError("statutes", "cite", ref, f"{inst.id} {version.id} has no article {m['article']}")
            article = art.number
            if m["paragraph"]:
                paragraph = int(m["paragraph"])
                if not 1 <= paragraph <= art.paragraph_count:
                    raise DataError(
                        "statutes", "cite", ref, f"article {art.number} has {art.paragraph_count} paragraph(s)"
                    )
        fact = version.fact(m["fact"]) if m["fact"] else None
        if m["fact"] and fact is None:
            raise DataError("statutes", "cite", ref, f"{inst.id} {version.id} has no fact {m['fact']}")
        if m["table"] and m["table"] not in version.tables:
            raise DataError("statutes", "cite", ref, f"{inst.id} {version.id} has no table {m['table']}")
        return Citation(
            instrument=inst.id,
            version=version.id,
            article=article,
            paragraph=paragraph,
            fact=m["fact"],
            table=m["table"],
            completeness=version.completeness,
            confidence=version.confidence,
            # a fact is as sure as its own source (a paraphrase beside a verbatim part: medium, not medium-high)
            fact_confidence=fact.confidence if fact is not None else None,
            draft=inst.is_draft,
        )

    def cited_instruments(self, refs) -> set[str]:
        return {instrument_of(r) for r in refs}

    # -- parameters --------------------------------------------------------
    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise DataError("statutes/parameters", "parameter", name, "no such parameter") from None

    def value(self, name: str, on: _dt.date):
        """The parameter's value on ``on`` (None before its first value)."""
        entry = self.parameter(name).entry_on(on)
        return None if entry is None else entry.value


def _name_key(text: str) -> str:
    from socins_cli.law.names import name_key

    return name_key(text)


def _dates_of(inst: Instrument) -> tuple:
    return tuple((v.adopted, v.effective, v.repealed) for v in inst.versions)


def describe_versions(inst: Instrument) -> str:
    parts = []
    for v in inst.versions:
        first, last = v.marked_span
        parts.append(f"version {v.id} (from {first}" + (f" to {last})" if last else ")"))
    return "; ".join(parts) if parts else "no versions"


def unheld_caveat(versions) -> str:
    """What to add to "no version holds …" where a version is held only in part: a provision not found may yet exist."""
    partial = [v.id for v in versions if v.completeness != "whole"]
    if not partial:
        return ""
    return f" (version(s) {', '.join(partial)} held only in part: the text not held may have it)"


def version_spans(inst: Instrument) -> str:
    """``tul's versions: 1992 (1992-04-03 to 2001-10-26), …, 2021 (from 2022-01-01)``: every version and its days."""
    parts = []
    for v in inst.versions:
        first, last = v.marked_span
        parts.append(f"{v.id} ({first} to {last})" if last else f"{v.id} (from {first})")
    return f"{inst.id}'s versions: " + ", ".join(parts)


# -- loading -----------------------------------------------------------------

#: Bump when the cached shape changes; the code files below are hashed into the key as well.
CACHE_FORMAT = 8

#: Validation run before a freshly built law is answered from or cached ("module:function", returning problem lines).
VALIDATOR = "socins_cli.law.validate:law_problems"


def statutes_dir(root: str | os.PathLike | None = None) -> Path:
    """The folder to answer from: ``root``, else ``$SOCINS_STATUTES``, else the shipped statutes."""
    if root is not None:
        return Path(root)
    chosen = os.environ.get("SOCINS_STATUTES")
    return Path(chosen) if chosen else default_statutes_dir()


def load_law(root: str | os.PathLike | None = None, use_cache: bool = True, checked: bool = True) -> Law:
    """Load a statutes folder (default: ``statutes_dir()``), from the cache when it holds exactly these files.

    A law built afresh is validated first (``checked``): no command answers
    from data ``socins validate`` rejects, and the check costs nothing on
    the calls the cache then serves. The cache is keyed by the bytes of
    every file; while the files' status still matches the stamp stored with
    the key (``law_cache.stamp``), the bytes are not read again to compute it.
    """
    root_path = statutes_dir(root)
    paths = corpus_paths(root_path)
    cache_file = None
    if use_cache:
        from socins_cli.law import law_cache

        cache_file = law_cache.cache_file(str(root_path.resolve()))
    if cache_file is None:
        return _built(root_path, read_files(paths), checked)
    stamp = law_cache.stamp(_key_files(paths), _key_salt())  # before the bytes are read: see stamp()
    entry = law_cache.read_entry(cache_file)
    if entry is not None and stamp != law_cache.NO_STAMP and entry[1] == stamp:
        law = _decode(entry[2], str(root_path))
        if law is not None:
            return law
    contents = read_files(paths)
    key = law_cache.content_key(_key_parts(contents))
    if entry is not None and entry[0] == key:
        law = _decode(entry[2], str(root_path))
        if law is not None:
            if stamp != entry[1]:  # the same bytes, touched or copied: stamp them as they stand now
                law_cache.write(cache_file, key, entry[2], stamp)
            return law
    law = _built(root_path, contents, checked)
    law_cache.write(cache_file, key, _encode(law), stamp)
    return law


def _built(root: Path, contents: dict[str, bytes], checked: bool) -> Law:
    """The law built from ``contents`` and, if ``checked``, validated: a problem raises InvalidStatutes, naming
    the folder where it is not the shipped one (its files are named within it: rules/eligibility.toml)."""
    try:
        return _built_here(root, contents, checked)
    except DataError as exc:
        if root.resolve() == default_statutes_dir().resolve() or str(root) in str(exc):
            raise
        raise InvalidStatutes(f"{exc} (in the statutes folder {root})") from None


def _built_here(root: Path, contents: dict[str, bytes], checked: bool) -> Law:
    if not any("/" not in name for name in contents):  # named as ``socins validate`` names it, not by a missing file
        raise DataError(str(root), "path", str(root), "expected a statutes folder, with instrument files (*.toml) "
                                                      "at its top level; none found")
    law = build_law(root, contents)
    if checked:
        module_name, func_name = VALIDATOR.split(":")
        problems = getattr(importlib.import_module(module_name), func_name)(law)
        if problems:
            more = f" (and {len(problems) - 1} more problem(s); run socins validate)" if len(problems) > 1 else ""
            raise InvalidStatutes(problems[0] + more)
        law.resolved.clear()  # validation resolved every citation; answers start from an empty memo
    return law


#: The subfolders of a statutes folder (statutes/README.md); no other folder in it is read.
SUBFOLDERS = ("parameters", "rules", "tables", "findings", "corpus")


def read_corpus(root: Path) -> dict[str, bytes]:
    """The ``.toml`` files of a statutes folder (``corpus_paths``), by relative path, as bytes."""
    return read_files(corpus_paths(root))


def corpus_paths(root: Path) -> dict[str, Path]:
    """The ``.toml`` files at the top of ``root`` and under its known subfolders, by relative path.

    Any other folder beside them is not the law's and is not read. Symbolic
    links are followed, but a folder met twice (a loop) and a path that
    cannot be read are DataErrors naming it: the folder cannot be answered
    from, whatever else it holds.
    """
    if not root.is_dir():
        raise DataError(str(root), "path", str(root), "expected a statutes folder")
    found: dict[str, Path] = {}
    seen: set[tuple[int, int]] = set()
    top = str(root)  # paths as text while walking, a Path only for each file found: every command walks this
    cut = len(os.path.join(top, ""))
    stack = [top]
    while stack:
        here = stack.pop()
        try:
            st = os.stat(here)
            if (st.st_dev, st.st_ino) in seen:
                raise DataError(here, "path", here, "is a symbolic link loop; expected files and folders")
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            raise DataError(here, "path", here, f"cannot be read ({exc.strerror or exc})") from None
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir()
            except OSError as exc:
                raise DataError(path, "path", path, f"cannot be read ({exc.strerror or exc})") from None
            if is_dir:
                if entry.name.endswith(".toml"):
                    raise DataError(path, "path", path, "is a folder; a name ending in .toml must be a file")
                if here != top or entry.name in SUBFOLDERS:
                    stack.append(path)
            elif entry.name.endswith(".toml"):
                found[path[cut:].replace(os.sep, "/")] = Path(path)
    return dict(sorted(found.items()))


def read_files(paths: dict[str, Path]) -> dict[str, bytes]:
    """The bytes of each file; one that cannot be read is a DataError naming it."""
    found = {}
    for rel, path in paths.items():
        try:
            with open(path, "rb") as fh:
                found[rel] = fh.read()
        except OSError as exc:
            reason = "is a symbolic link loop" if os.path.islink(path) else f"cannot be read ({exc.strerror or exc})"
            raise DataError(str(path), "path", str(path), reason) from None
    return found


def _key_salt() -> bytes:
    return f"{CACHE_FORMAT}|{__version__}".encode()


def _key_files(paths: dict[str, Path]):
    """Every file whose bytes ``_key_parts`` hashes, by the name it hashes them under."""
    here = Path(__file__).parent
    for module in _CODE_FILES:
        yield module, here / module
    for rel, path in paths.items():
        yield "statutes/" + rel, path


def _key_parts(contents: dict[str, bytes]):
    """What the cache must match: format, version, the code that shapes the law, every statutes file's bytes."""
    yield "format", _key_salt()
    here = Path(__file__).parent
    for module in _CODE_FILES:
        try:
            yield module, (here / module).read_bytes()
        except OSError:
            yield module, b""
    for rel, data in contents.items():
        yield "statutes/" + rel, data


#: The modules whose code decides what a cached law holds or whether it passed validation.
_CODE_FILES = ("load.py", "model.py", "law_cache.py", "tomlread.py", "schema.py", "validate.py")


def _encode(law: Law) -> bytes:
    """The law as JSON: each model object a row of its fields in declaration order, dates as ISO strings.

    Inside free-form data (rules, tables, findings) a date cannot be told from
    a string, so where each one sits is listed beside the data. Each
    instrument is a JSON document of its own after the rest (``_decode`` reads
    one only when a command asks for it: ``show sil 10`` needs one of them);
    the first 4 bytes give the length of the rest's document. Beside each
    instrument's length stand its versions' days (``Law.version_dates``).
    """
    import orjson

    rows = [orjson.dumps(_instrument_row(inst)) for inst in law.instruments.values()]
    head = orjson.dumps({
        "instruments": [[inst_id, len(row), _dates_of(inst)]
                        for (inst_id, inst), row in zip(law.instruments.items(), rows)],
        "parameters": [_row(p) for p in law.parameters.values()],
        "data": law.data,
        "data_dates": _temporal_paths(law.data),
        "files": law.files,
        "change_dates": law.change_dates,
    })
    return b"".join([len(head).to_bytes(4, "little"), head, *rows])


def _row(obj):
    """A model object as a list of its fields (nested objects as rows); a version's tables keep their dates' places."""
    if isinstance(obj, msgspec.Struct):
        out = [_row(getattr(obj, name)) for name in obj.__struct_fields__]
        if isinstance(obj, Version):
            out.append(_temporal_paths(obj.tables))
        return out
    if isinstance(obj, tuple):
        return [_row(v) for v in obj]
    return obj


_VERSIONS = Instrument.__struct_fields__.index("versions")
_ARTICLES = Version.__struct_fields__.index("articles")


def _instrument_row(inst: Instrument) -> list:
    """``_row(inst)``, but an article the version before holds unchanged (the same in every field) is written as
    its index there: about a third of all articles, which ``_decode`` then builds once and shares."""
    row = _row(inst)
    before: dict[str, tuple[int, Article]] = {}
    for version, version_row in zip(inst.versions, row[_VERSIONS]):
        version_row[_ARTICLES] = [
            before[art.number][0] if art.number in before and before[art.number][1] == art else art_row
            for art, art_row in zip(version.articles, version_row[_ARTICLES])
        ]
        before = {art.number: (i, art) for i, art in enumerate(version.articles)}
    return row


_TEMPORAL = {_dt.datetime: "datetime", _dt.date: "date", _dt.time: "time"}


def _temporal_paths(node, path=()) -> list:
    """``[[kind, key, key, ...], ...]``: where the dates, datetimes and times sit in free-form data."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            found += _temporal_paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _temporal_paths(v, (*path, i))
    elif type(node) in _TEMPORAL:
        found.append([_TEMPORAL[type(node)], *path])
    return found


def _restore_temporal(node, paths) -> None:
    for kind, *keys in paths:
        parent = node
        for k in keys[:-1]:
            parent = parent[k]
        parent[keys[-1]] = getattr(_dt, kind).fromisoformat(parent[keys[-1]])


def _date(text):
    return None if text is None else _dt.date.fromisoformat(text)


def _article(r) -> Article:
    return Article(r[0], r[1], tuple(r[2]), *r[3:])


def _version(r, before: tuple[Article, ...]) -> Version:
    """A version's row; an article written as an index is that article of the version ``before`` it."""
    *fields, table_dates = r
    values = dict(zip(Version.__struct_fields__, fields))
    for name in ("effective", "repealed", "adopted"):
        values[name] = _date(values[name])
    values["articles"] = tuple(before[a] if type(a) is int else _article(a) for a in values["articles"])
    values["facts"] = tuple(Fact(*f) for f in values["facts"])
    _restore_temporal(values["tables"], table_dates)
    return Version(**values)


def _instrument(r) -> Instrument:
    values = dict(zip(Instrument.__struct_fields__, r))
    versions = []
    for v in values["versions"]:
        versions.append(_version(v, versions[-1].articles if versions else ()))
    values["versions"] = tuple(versions)
    values["short_names"] = tuple(values["short_names"])
    return Instrument(**values)


def _parameter(r) -> Parameter:
    values = dict(zip(Parameter.__struct_fields__, r))
    values["values"] = tuple(ParameterValue(_date(v[0]), v[1], tuple(v[2]), *v[3:]) for v in values["values"])
    return Parameter(**values)


class LazyInstruments(MutableMapping):
    """The instruments of a cached law, each decoded from its JSON row when first asked for.

    Any other mapping would do for ``Law.instruments``; this one spares a
    command the instruments it never reads. Rows come from a payload whose
    checksum has been verified, so decoding one cannot meet damage; each is
    a view into that payload (``law_cache.read_entry``), not a copy.
    """

    __slots__ = ("_items", "version_dates")

    def __init__(self, rows: dict, version_dates: dict):
        self._items = rows  # id -> Instrument, or a memoryview of its row's bytes until first asked for
        #: id -> each version's (adopted, effective, repealed), as the cache's index gives them (``Law.version_dates``)
        self.version_dates = version_dates

    def __getitem__(self, inst_id: str) -> Instrument:
        found = self._items[inst_id]
        if type(found) is memoryview:
            found = self._items[inst_id] = _without_collecting(_decoded_instrument, found)
        return found

    def __setitem__(self, inst_id: str, instrument: Instrument) -> None:
        self._items[inst_id] = instrument
        self.version_dates.pop(inst_id, None)  # the index spoke of the instrument replaced

    def __delitem__(self, inst_id: str) -> None:
        del self._items[inst_id]
        self.version_dates.pop(inst_id, None)

    def __contains__(self, inst_id) -> bool:
        return inst_id in self._items

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"LazyInstruments({sorted(self._items)})"


def _without_collecting(build, *args):
    """``build(*args)`` with the garbage collector paused: decoding the law or building an engine's view of it
    makes thousands of objects that last, and a collection every 700 of them would only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build(*args)
    finally:
        if enabled:
            gc.enable()


def _decoded_instrument(row) -> Instrument:
    import orjson

    return _instrument(orjson.loads(row))


def _decode(payload, root: str) -> Law | None:
    """The cached law, or None when the payload is not the shape ``_encode`` writes (never a partial law)."""
    return _without_collecting(_decoded_law, payload, root)


def _decoded_law(payload, root: str) -> Law | None:
    import orjson

    try:
        payload = memoryview(payload)  # rows are views into it, not copies
        end = 4 + int.from_bytes(payload[:4], "little")
        doc = orjson.loads(payload[4:end])
        rows, version_dates = {}, {}
        for inst_id, size, dates in doc["instruments"]:
            rows[inst_id] = payload[end:end + size]
            version_dates[inst_id] = tuple((_date(a), _dt.date.fromisoformat(e), _date(r)) for a, e, r in dates)
            end += size
        if end != len(payload) or not all(type(i) is str for i in rows):
            return None
        parameters = {p.name: p for p in map(_parameter, doc["parameters"])}
        data = doc["data"]
        _restore_temporal(data, doc["data_dates"])
        return Law(root=root, instruments=LazyInstruments(rows, version_dates), parameters=parameters, data=data,
                   files=doc["files"], change_dates=tuple(map(_dt.date.fromisoformat, doc["change_dates"])),
                   data_temporal=doc["data_dates"])
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError):
        return None


def read_toml(root: Path, rel: str, data: bytes | None = None) -> dict:
    """A statutes file's TOML (``data``: its bytes when already read); a file that does not parse is a DataError."""
    from socins_cli.law.tomlread import TomlProblem, parse

    if data is None:
        try:
            data = (root / rel).read_bytes()
        except OSError as exc:
            raise DataError(rel, "path", str(root / rel), f"cannot be read ({exc.strerror or exc})") from None
    try:
        return parse(data)
    except TomlProblem as exc:
        raise DataError(rel, exc.key, exc.value, exc.allowed) from None


def build_law(root: Path, contents: dict[str, bytes] | None = None, problems: list[str] | None = None) -> Law:
    """Parse every file into its declared shape (``socins_cli.law.schema``): instruments at the top level,
    parameters and other data in subfolders. Not yet validated as a whole (``validate.law_problems``).

    A file that does not fit its shape raises DataError; with ``problems``
    given, its line is added there instead and the other files still load,
    so ``validate`` names every such file at once.
    """
    from socins_cli.law.schema import SchemaProblem, decode, problems_of, unread_file_problem

    root = Path(root)
    if contents is None:
        contents = read_corpus(root)
    instruments: dict[str, Instrument] = {}
    sources: dict[str, str] = {}
    parameters: dict[str, Parameter] = {}
    data: dict[str, dict] = {}
    for rel, data_bytes in contents.items():
        try:
            unread = unread_file_problem(rel)
            if unread is not None:
                raise DataError(rel, unread.key, unread.value, unread.allowed)
            raw = read_toml(root, rel, data_bytes)
            try:
                typed = decode(rel, raw)
            except SchemaProblem as exc:
                if problems is not None:  # validate: every problem of the file, not only the first
                    problems += [str(DataError(rel, p.key, p.value, p.allowed)) for p in problems_of(rel, raw)]
                    continue
                raise DataError(rel, exc.key, exc.value, exc.allowed) from None
            if "/" not in rel:
                inst = _build_instrument(typed, rel)
                if inst.id in instruments:
                    raise DataError(rel, "instrument.id", inst.id, f"must be unique; also in {sources[inst.id]}")
                instruments[inst.id] = inst
                sources[inst.id] = rel
            elif rel.startswith("parameters/"):
                for name, body in typed.parameter.items():
                    if name in parameters:
                        raise DataError(rel, f"parameter.{name}", name,
                                        f"must be unique; also in {parameters[name].file}")
                    parameters[name] = _build_parameter(name, body, rel)
            else:
                data[rel[: -len(".toml")]] = raw
        except DataError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
    dates = set()
    for inst in instruments.values():
        for v in inst.versions:
            dates.add(v.effective)
            if v.repealed:
                dates.add(v.repealed)
    for p in parameters.values():
        dates.update(v.start for v in p.values)
    return Law(
        root=str(root),
        instruments=instruments,
        parameters=parameters,
        data=data,
        files=sources,
        change_dates=tuple(sorted(dates)),
    )


def _build_instrument(shape, file: str) -> Instrument:
    """The model's Instrument from a decoded ``schema.InstrumentFile``."""
    meta = shape.instrument
    versions = []
    for i, rv in enumerate(shape.version):
        tables = {}
        for j, rt in enumerate(rv.table):
            if not isinstance(rt.get("id"), str) or not rt["id"]:
                raise DataError(file, f"version[{i}].table[{j}].id", rt.get("id"), "is required: a non-empty string")
            tables[rt["id"]] = rt
        versions.append(
            Version(
                instrument=meta.id,
                id=rv.id,
                effective=rv.effective,
                repealed=rv.repealed,
                adopted=rv.adopted,
                completeness=rv.completeness,
                confidence=rv.confidence,
                completeness_note=rv.completeness_note,
                confidence_note=rv.confidence_note,
                source=rv.source,
                reference=rv.reference,
                date_certain=rv.date_certain,
                date_note=rv.date_note,
                title_zh=rv.title_zh,
                note=rv.note,
                articles=tuple(
                    Article(number=a.number, label=a.label, paragraphs=tuple(a.paragraphs), sha256=a.sha256,
                            chapter=a.chapter, section=a.section, note=a.note,
                            ceased=None if a.ceased is None else {"from": a.ceased.from_.isoformat(),
                                                                  "by": a.ceased.by, "what": a.ceased.what})
                    for a in rv.article
                ),
                facts=tuple(
                    Fact(id=f.id, text=f.text, kind=f.kind,
                         source=rv.source if f.source is None else f.source,
                         confidence=rv.confidence if f.confidence is None else f.confidence,
                         article=f.article, item=f.item)
                    for f in rv.fact
                ),
                tables=tables,
                amended_by=_amended_by(rv.amended_by),
            )
        )
    versions.sort(key=lambda v: v.effective)
    # A version ends the day the next starts: where that start is inferred, so is its last day.
    versions = [msgspec.structs.replace(v, end_certain=False)
                if after.date_certain is False and v.repealed == after.effective else v
                for v, after in zip(versions, versions[1:])] + versions[-1:]
    return Instrument(
        id=meta.id,
        title_zh=meta.title_zh,
        title_en=meta.title_en,
        kind=meta.kind,
        issuer=meta.issuer,
        document_number=meta.document_number,
        summary=meta.summary,
        versions=tuple(versions),
        short_names=tuple(meta.short_names),
    )


def _amended_by(shape) -> dict | None:
    """The amending instrument of a version, kept as plain values (dates as ISO strings) for output."""
    if shape is None:
        return None
    out = {"title_zh": shape.title_zh}
    if shape.adopted is not None:
        out["adopted"] = shape.adopted.isoformat()
    for optional in ("document_number", "note"):
        if getattr(shape, optional) is not None:
            out[optional] = getattr(shape, optional)
    return out


def _build_parameter(name: str, shape, file: str) -> Parameter:
    """The model's Parameter from a decoded ``schema.ParameterShape``; its dates must ascend."""
    values = tuple(
        ParameterValue(start=v.start, value=v.value, cite=(v.cite,) if isinstance(v.cite, str) else tuple(v.cite),
                       note=v.note, bound=v.bound, settled=v.settled)
        for v in shape.values
    )
    for a, b in zip(values, values[1:]):
        if not a.start < b.start:
            raise DataError(file, f"parameter.{name}.values", b.start.isoformat(), "dates must ascend strictly")
    return Parameter(name=name, description=shape.description, unit=shape.unit, values=values, file=file)
