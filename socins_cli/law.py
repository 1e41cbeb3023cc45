"""Where the law is loaded: the only reader of ``statutes/``.

``load_law()`` parses every TOML file once, builds frozen values, and keeps
them in a pickle cache keyed by the files' names, sizes and modification
times, so a single command does not re-parse the corpus. Everything
downstream asks the ``Law`` questions with a date.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import os
import pickle
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from socins_cli import __version__
from socins_cli.errors import DataError, InputError, NotInForceError
from socins_cli.model import (
    COMPLETENESS,
    CONFIDENCE,
    Article,
    Citation,
    Fact,
    Instrument,
    Version,
)

#: Bump when the in-memory shape changes, so old caches are not reused.
CACHE_FORMAT = 1

_CITE_RE = re.compile(
    r"^(?P<instrument>[a-z0-9][a-z0-9-]*)(?:@(?P<version>[A-Za-z0-9.-]+))?"
    r"(?:(?::(?P<article>[A-Za-z0-9.-]+)(?::(?P<paragraph>\d+))?)"
    r"|(?:#(?P<fact>[A-Za-z0-9._-]+))"
    r"|(?:/(?P<table>[A-Za-z0-9._-]+)))?$"
)


def default_statutes_dir() -> Path:
    """The statutes shipped with socins: inside the package when installed from a wheel, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "statutes"
    if packaged.is_dir():
        return packaged
    return here.parent / "statutes"


@dataclass(frozen=True, slots=True)
class ParameterValue:
    start: _dt.date
    value: object
    cite: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
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


@dataclass(slots=True)
class Law:
    """The whole encoded corpus, answering questions "as in force on date D"."""

    root: str
    instruments: dict[str, Instrument]
    parameters: dict[str, Parameter]
    #: every other file (rules, tables, findings), raw, keyed by relative path without ``.toml``
    data: dict[str, dict]
    files: dict[str, str] = field(default_factory=dict)  # instrument id -> file it came from
    change_dates: tuple[_dt.date, ...] = ()
    #: resolved citations by (reference, interval between change dates): which version is in force is constant there
    resolved: dict = field(default_factory=dict, repr=False, compare=False)
    #: name key -> instrument ids (``socins_cli.names``), built on first use
    name_index: dict | None = field(default=None, repr=False, compare=False)

    # -- instruments -------------------------------------------------------
    def instrument(self, instrument_id: str) -> Instrument:
        """An instrument by its id, its id in another case, or a Chinese title or short name (社会保险法)."""
        try:
            return self.instruments[instrument_id]
        except KeyError:
            pass
        found = self.instruments.get(instrument_id.strip().lower())
        if found is not None:
            return found
        ids = self.names().get(_name_key(instrument_id), ())
        if len(ids) == 1:
            return self.instruments[ids[0]]
        if len(ids) > 1:
            raise InputError("instrument", instrument_id, "names more than one instrument: " + ", ".join(ids))
        raise InputError(
            "instrument", instrument_id,
            "expected one of " + ", ".join(sorted(self.instruments)) + ", or a Chinese title or short name",
        )

    def names(self) -> dict[str, tuple[str, ...]]:
        """Every name an instrument is cited by (name key -> ids); see ``socins_cli.names``."""
        if self.name_index is None:
            from socins_cli.names import build_name_index

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
        m = _CITE_RE.match(ref)
        if not m:
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
        if m["fact"] and version.fact(m["fact"]) is None:
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
    from socins_cli.names import name_key

    return name_key(text)


def describe_versions(inst: Instrument) -> str:
    parts = []
    for v in inst.versions:
        span = f"from {v.effective.isoformat()}"
        if v.repealed:
            span += f" to {(v.repealed - _dt.timedelta(days=1)).isoformat()}"
        parts.append(f"version {v.id} ({span})")
    return "; ".join(parts) if parts else "no versions"


# -- loading -----------------------------------------------------------------

def load_law(root: str | os.PathLike | None = None, use_cache: bool = True) -> Law:
    """Load the statutes folder (default: the shipped one), from the cache when it is current."""
    root_path = Path(root) if root is not None else default_statutes_dir()
    if not root_path.is_dir():
        raise DataError(str(root_path), "path", str(root_path), "expected a statutes folder")
    files = _toml_files(root_path)
    signature = _signature(root_path, files)
    cache_file = _cache_path(root_path) if use_cache else None
    if cache_file is not None:
        try:
            with open(cache_file, "rb") as fh:
                if pickle.load(fh) == signature:
                    return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
    law = build_law(root_path, files)
    if cache_file is not None:
        _write_cache(cache_file, signature, law)
    return law


#: The subfolders of a statutes folder (statutes/README.md); nothing else in it, or under it, is read.
SUBFOLDERS = ("parameters", "rules", "tables", "findings", "corpus")


def _toml_files(root: Path) -> list[tuple[str, os.stat_result]]:
    """The instrument files at the top of ``root`` and the data files in its known subfolders, no deeper."""
    found = []
    for folder in (root, *(root / name for name in SUBFOLDERS)):
        if folder is not root and not folder.is_dir():
            continue
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.endswith(".toml") and entry.is_file():
                    found.append((Path(entry.path).relative_to(root).as_posix(), entry.stat()))
    found.sort()
    return found


_CODE_FILES = (__file__, str(Path(__file__).with_name("model.py")))


def _signature(root: Path, files) -> str:
    """What the cache must match exactly: format, version, folder, and every file's size and mtime."""
    parts = [f"{CACHE_FORMAT}|{__version__}|{root.resolve()}"]
    # The pickle holds instances of these modules' classes: a changed class must not meet an old cache.
    for module_file in _CODE_FILES:
        st = os.stat(module_file)
        parts.append(f"{module_file}:{st.st_size}:{st.st_mtime_ns}")
    parts += [f"{rel}:{st.st_size}:{st.st_mtime_ns}" for rel, st in files]
    return "|".join(parts)


def _cache_dir() -> Path | None:
    if os.environ.get("SOCINS_NO_CACHE"):
        return None
    base = os.environ.get("SOCINS_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "socins" if xdg else Path.home() / ".cache" / "socins"


def _cache_path(root: Path) -> Path | None:
    """One cache file per statutes folder; its first record says which files it was built from."""
    d = _cache_dir()
    return None if d is None else d / f"law-{zlib.crc32(str(root.resolve()).encode()):08x}.pickle"


def _write_cache(path: Path, signature: str, law: Law) -> None:
    """Best effort: a read-only home only costs speed, never an answer."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(signature, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(law, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def read_toml(root: Path, rel: str) -> dict:
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python < 3.11
        import tomli as tomllib
    try:
        with open(root / rel, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(rel, "(file)", str(exc), "expected valid TOML") from None
    except UnicodeDecodeError as exc:
        raise DataError(rel, "(file)", str(exc), "expected UTF-8") from None


def build_law(root: Path, files=None) -> Law:
    """Parse every file: instruments at the top level, parameters and other data in subfolders."""
    if files is None:
        files = _toml_files(root)
    instruments: dict[str, Instrument] = {}
    sources: dict[str, str] = {}
    parameters: dict[str, Parameter] = {}
    data: dict[str, dict] = {}
    for rel, _ in files:
        raw = read_toml(root, rel)
        if "/" not in rel:
            inst = _build_instrument(raw, rel)
            if inst.id in instruments:
                raise DataError(rel, "instrument.id", inst.id, f"must be unique; also in {sources[inst.id]}")
            instruments[inst.id] = inst
            sources[inst.id] = rel
        elif rel.startswith("parameters/"):
            for name, body in (raw.get("parameter") or {}).items():
                if name in parameters:
                    raise DataError(rel, f"parameter.{name}", name, f"must be unique; also in {parameters[name].file}")
                parameters[name] = _build_parameter(name, body, rel)
        else:
            data[rel[: -len(".toml")]] = raw
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


def _req(d: dict, key: str, file: str, where: str, kind=str):
    if key not in d:
        raise DataError(file, f"{where}.{key}", None, "is required")
    value = d[key]
    if kind is _dt.date:
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise DataError(file, f"{where}.{key}", value, "expected a TOML date (YYYY-MM-DD, unquoted)")
    elif not isinstance(value, kind):
        raise DataError(file, f"{where}.{key}", value, f"expected {kind.__name__}")
    return value


def _opt_date(d: dict, key: str, file: str, where: str):
    if key not in d:
        return None
    return _req(d, key, file, where, _dt.date)


def _build_instrument(raw: dict, file: str) -> Instrument:
    meta = raw.get("instrument")
    if not isinstance(meta, dict):
        raise DataError(file, "instrument", None, "every top-level file needs an [instrument] table")
    inst_id = _req(meta, "id", file, "instrument")
    versions = []
    raw_versions = raw.get("version") or []
    if not raw_versions:
        raise DataError(file, "version", None, "at least one [[version]] is required")
    for i, rv in enumerate(raw_versions):
        where = f"version[{i}]"
        vid = str(_req(rv, "id", file, where))
        completeness = _req(rv, "completeness", file, where)
        if completeness not in COMPLETENESS:
            raise DataError(file, f"{where}.completeness", completeness, "expected " + "|".join(COMPLETENESS))
        confidence = _req(rv, "confidence", file, where)
        if confidence not in CONFIDENCE:
            raise DataError(file, f"{where}.confidence", confidence, "expected " + "|".join(CONFIDENCE))
        articles = []
        for j, ra in enumerate(rv.get("article") or []):
            aw = f"{where}.article[{j}]"
            paragraphs = _req(ra, "paragraphs", file, aw, list)
            if not paragraphs or not all(isinstance(p, str) and p for p in paragraphs):
                raise DataError(file, f"{aw}.paragraphs", paragraphs, "expected a list of non-empty strings")
            articles.append(
                Article(
                    number=str(_req(ra, "number", file, aw)),
                    label=ra.get("label", ""),
                    paragraphs=tuple(paragraphs),
                    sha256=_req(ra, "sha256", file, aw),
                    chapter=ra.get("chapter"),
                    note=ra.get("note"),
                )
            )
        facts = []
        for j, rf in enumerate(rv.get("fact") or []):
            fw = f"{where}.fact[{j}]"
            facts.append(
                Fact(
                    id=_req(rf, "id", file, fw),
                    text=_req(rf, "text", file, fw),
                    kind=rf.get("kind", "summary"),
                    source=rf.get("source", rv.get("source", "")),
                    confidence=rf.get("confidence", confidence),
                )
            )
        tables = {}
        for j, rt in enumerate(rv.get("table") or []):
            tables[_req(rt, "id", file, f"{where}.table[{j}]")] = rt
        versions.append(
            Version(
                instrument=inst_id,
                id=vid,
                effective=_req(rv, "effective", file, where, _dt.date),
                repealed=_opt_date(rv, "repealed", file, where),
                adopted=_opt_date(rv, "adopted", file, where),
                completeness=completeness,
                confidence=confidence,
                completeness_note=rv.get("completeness_note"),
                confidence_note=rv.get("confidence_note"),
                source=rv.get("source", ""),
                reference=rv.get("reference"),
                date_certain=rv.get("date_certain", True),
                date_note=rv.get("date_note"),
                title_zh=rv.get("title_zh"),
                note=rv.get("note"),
                articles=tuple(articles),
                facts=tuple(facts),
                tables=tables,
                amended_by=_amended_by(rv, file, where),
            )
        )
    versions.sort(key=lambda v: v.effective)
    return Instrument(
        id=inst_id,
        title_zh=_req(meta, "title_zh", file, "instrument"),
        title_en=_req(meta, "title_en", file, "instrument"),
        kind=meta.get("kind", ""),
        issuer=meta.get("issuer", ""),
        document_number=meta.get("document_number"),
        summary=meta.get("summary"),
        versions=tuple(versions),
        short_names=_short_names(meta, file),
    )


def _short_names(meta: dict, file: str) -> tuple[str, ...]:
    names = meta.get("short_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise DataError(file, "instrument.short_names", names, "expected a list of non-empty strings")
    return tuple(names)


_AMENDED_BY_KEYS = {"title_zh", "adopted", "document_number", "note"}


def _amended_by(rv: dict, file: str, where: str) -> dict | None:
    """The amending instrument of a version, kept as plain values (dates as ISO strings) for output."""
    raw = rv.get("amended_by")
    if raw is None:
        return None
    key = f"{where}.amended_by"
    if not isinstance(raw, dict):
        raise DataError(file, key, raw, "expected a table with title_zh (and optional adopted, document_number, note)")
    unknown = sorted(set(raw) - _AMENDED_BY_KEYS)
    if unknown:
        raise DataError(file, f"{key}.{unknown[0]}", raw[unknown[0]], "expected one of " + ", ".join(sorted(_AMENDED_BY_KEYS)))
    out = {"title_zh": _req(raw, "title_zh", file, key)}
    if "adopted" in raw:
        out["adopted"] = _req(raw, "adopted", file, key, _dt.date).isoformat()
    for optional in ("document_number", "note"):
        if optional in raw:
            out[optional] = _req(raw, optional, file, key)
    return out


def _build_parameter(name: str, body: dict, file: str) -> Parameter:
    where = f"parameter.{name}"
    values = []
    for i, rv in enumerate(_req(body, "values", file, where, list)):
        start = _req(rv, "from", file, f"{where}.values[{i}]", _dt.date)
        if "value" not in rv:
            raise DataError(file, f"{where}.values[{i}].value", None, "is required")
        cite = rv.get("cite", [])
        if isinstance(cite, str):
            cite = [cite]
        values.append(ParameterValue(start=start, value=rv["value"], cite=tuple(cite), note=rv.get("note")))
    for a, b in zip(values, values[1:]):
        if not a.start < b.start:
            raise DataError(file, f"{where}.values", b.start.isoformat(), "dates must ascend strictly")
    return Parameter(
        name=name,
        description=body.get("description", ""),
        unit=body.get("unit", ""),
        values=tuple(values),
        file=file,
    )
