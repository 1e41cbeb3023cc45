"""Reform overlays: a proposal laid over the law from a stated date, and never mistaken for law.

A reform overlay is a TOML file in the statutes format (see ``reforms/`` and
the section "Reform overlays" of ``statutes/README.md``):

- ``[reform]``: ``id``, ``title_zh``, ``title_en``, ``effective`` (a TOML date),
  ``summary``, ``source`` (the paper: ``paper`` = a key of the ``[paper.*]``
  tables of ``statutes/findings/inequities.toml``, or ``authors`` and
  ``title_zh``/``title_en`` for another; ``part`` says where it argues the
  point), optional ``note``, and optional ``[[reform.article]]`` entries
  (``number``, ``label``, ``paragraphs``: the proposal's own words; ``note``).
- ``[[rule]]``: eligibility rules in the format of
  ``statutes/rules/eligibility.toml``, plus optionally ``replaces = "rule-id"``
  (that rule stops applying the day before ``effective``; the new one takes
  its place) or ``before = "rule-id"`` (weighed just before it); by default a
  new rule is weighed first in its scheme. Every new rule applies only from
  ``effective``: its ``when`` tables get ``from = effective``.
- ``[[assignment]]``: retirement-track assignments in the format of
  ``statutes/rules/retirement.toml``, weighed before the law's own.
- ``[parameter.NAME]``: ``values`` dated on or after ``effective``; from
  ``effective`` on they replace the law's values of that parameter (the
  law's values dated from then on are dropped, so the reformed law answers
  for dates from ``effective``; before it, the law as it stands is the law
  as reformed). A new parameter also needs ``description`` and ``unit``.

The reform becomes a pseudo-instrument of kind ``proposal`` (version
``proposal``, completeness ``whole``, confidence ``low``) in force from
``effective``, so rules can cite its articles (``REFORM-ID:1``). Every new
rule, assignment and parameter value must cite it: that keeps each answer
that rests on the proposal marked as such, and keeps the proposal silent on
any date before it takes effect, whatever date a computation looks ahead to.

``apply_reform(law, path)`` returns a new ``Law``; the law it is given (often
the cached one) is never changed. ``apply_reforms(law, refs)`` applies several
in order (a path or a shipped overlay's id, ``reforms/``); each records what it
replaced and set, so a later one that replaces the same rule, sets the same
parameter or assigns the same retirement group differently is refused. A bad overlay is the user's input: it raises
``ReformError`` (exit 2), one line naming the file, key, value and what is
allowed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from socins_cli.errors import InputError, SocinsError
from socins_cli.law.load import Law, Parameter, ParameterValue
from socins_cli.law.model import Article, Instrument, Version
from socins_cli.law.schema import parameter_value_problem

ELIGIBILITY_RULES = "rules/eligibility"
RETIREMENT_RULES = "rules/retirement"
FINDINGS = "findings/inequities"
#: Where an applied reform's description is kept in ``Law.data``.
DATA_PREFIX = "reforms/"
KIND = "proposal"
VERSION_ID = "proposal"
NOT_LAW = "a proposal, not law"

TOP_KEYS = {"reform", "rule", "assignment", "parameter"}
REFORM_KEYS = {"id", "title_zh", "title_en", "effective", "summary", "source", "note", "article"}
SOURCE_KEYS = {"paper", "part", "authors", "title_zh", "title_en", "year"}
ARTICLE_KEYS = {"number", "label", "paragraphs", "note"}
PLACEMENT_KEYS = {"replaces", "before"}
ASSIGNMENT_KEYS = {"group", "sex", "female_track", "rule", "track", "alternative", "minimum", "cite",
                   "settled", "note", "open"}
VALUE_KEYS = {"from", "value", "cite", "note"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ONE_DAY = _dt.timedelta(days=1)


class ReformError(InputError):
    """A reform overlay is malformed: names the file, key, value and what is allowed (exit 2).

    ``line`` passes on a problem already formatted that way (the eligibility
    rule validator's, which the overlay's rules share with the statutes).
    """

    def __init__(self, file: str, key: str, value: object, allowed: str, line: str | None = None):
        self.file, self.key, self.field, self.value, self.allowed = file, key, key, value, allowed
        shown = "" if value is None else f" = {_show(value)}"  # a whole file (too deep, not UTF-8) has no value to show
        SocinsError.__init__(self, line or f"{file}: {key}{shown}: {allowed}")

    def __reduce__(self):
        return (self.__class__, (self.file, self.key, self.value, self.allowed, str(self)))


def _show(value: object) -> str:
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, _dt.date):
        return value.isoformat()
    return repr(value)


@dataclass(frozen=True, slots=True)
class Reform:
    """What a reform is and where it comes from: printed beside every side-by-side result."""

    id: str
    title_zh: str
    title_en: str
    effective: _dt.date
    summary: str
    source: dict
    file: str
    note: str | None = None

    def as_dict(self) -> dict:
        out = {"id": self.id, "title": self.title_en, "title_zh": self.title_zh,
               "effective": self.effective.isoformat(), "summary": self.summary, "source": dict(self.source),
               "note": NOT_LAW}
        if self.note:
            out["reform_note"] = self.note
        return out

    def source_label(self) -> str:
        return paper_label(self.source)


def paper_label(s: dict) -> str:
    """``韩君玲 (Han Junling), 《…》 (2025), 三（二）…``: a paper as a reader cites it (``n.d.`` for no year)."""
    who = "; ".join(s.get("authors", ())) or s.get("paper", "")
    year = s.get("year") or "n.d."
    part = f", {s['part']}" if s.get("part") else ""
    title = f", 《{s['title_zh']}》" if s.get("title_zh") else ""
    return f"{who}{title} ({year}){part}"


def reforms_in(law: Law) -> list[Reform]:
    """The reforms applied to ``law``, in the order they were applied (none for the law as it stands)."""
    return [body["reform"] for key, body in law.data.items()
            if key.startswith(DATA_PREFIX) and isinstance(body.get("reform"), Reform)]


def proposal_ids(law: Law) -> set[str]:
    return {r.id for r in reforms_in(law)}


# -- reading the overlay ---------------------------------------------------------------------------

def read_overlay(path) -> dict:
    """The overlay's TOML; an unreadable, malformed, too deeply nested or wrongly dated file is bad input (exit 2)."""
    from socins_cli.law.tomlread import TomlProblem, parse

    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError("reform", str(path), "no such file; expected a reform overlay (TOML), e.g. reforms/*.toml") from None
    except IsADirectoryError:
        raise InputError("reform", str(path), "is a folder; expected a reform overlay file (TOML)") from None
    except OSError as exc:
        raise InputError("reform", str(path), f"cannot be read ({exc.strerror})") from None
    try:
        return parse(data)
    except TomlProblem as exc:
        raise ReformError(str(path), exc.key, exc.value, exc.allowed) from None


def apply_reform(law: Law, path) -> Law:
    """A new Law: ``law`` with the overlay at ``path`` applied from its effective date (``law`` is untouched)."""
    return overlay(law, read_overlay(path), str(path))


def apply_reforms(law: Law, refs) -> Law:
    """``law`` with each overlay applied in the order given (a path or a shipped overlay's id).

    Each is applied over the law as the ones before left it; two that
    replace the same rule, set the same parameter or assign the same
    retirement group differently cannot be combined (``ReformError``).
    """
    seen: dict = {}
    for ref in refs:
        path = locate(ref)
        if path.resolve() in seen:
            raise ReformError(str(path), "reform", str(ref), f"is given twice (as {seen[path.resolve()]!s} before); "
                                                              "give each overlay once")
        seen[path.resolve()] = ref
        law = apply_reform(law, path)
    return law


# -- the shipped overlays ----------------------------------------------------------------------------

def reforms_dir() -> Path:
    """The overlays shipped with socins: inside the package when installed from a wheel, beside it in a checkout."""
    here = Path(__file__).resolve().parents[1]  # the package folder
    packaged = here / "reforms"
    return packaged if packaged.is_dir() else here.parent / "reforms"


def shipped() -> list[tuple[Path, dict]]:
    """Every shipped overlay as (file, parsed TOML), by file name."""
    folder = reforms_dir()
    return [(p, read_overlay(p)) for p in sorted(folder.glob("*.toml"))] if folder.is_dir() else []


def locate(ref) -> Path:
    """A path to an overlay file, or a shipped overlay named by its id (or a prefix only one id has)."""
    p = Path(ref)
    try:
        is_file = p.is_file()
    except OSError:  # a name too long for a file (ENAMETOOLONG) is no file: looked up as a shipped id, then refused
        is_file = False
    if is_file or p.suffix == ".toml" or "/" in str(ref):
        return p
    found = [(path, raw) for path, raw in shipped() if _raw_id(raw) == ref or path.stem == ref]
    if not found:
        found = [(path, raw) for path, raw in shipped() if _raw_id(raw).startswith(str(ref))]
    if len(found) == 1:
        return found[0][0]
    ids = ", ".join(_raw_id(raw) for _, raw in (found or shipped()))
    if found:
        raise InputError("reform", str(ref), f"names more than one shipped overlay ({ids}); give the whole id")
    raise InputError("reform", str(ref), f"no such file or shipped overlay; expected a path or one of {ids}")


def _raw_id(raw: dict) -> str:
    meta = raw.get("reform")
    return str(meta.get("id", "")) if isinstance(meta, dict) else ""


def overlay(law: Law, raw: dict, file: str) -> Law:
    """Apply an already parsed overlay (``file`` names it in errors)."""
    for key in raw:
        if key not in TOP_KEYS:
            raise ReformError(file, key, raw[key], "is not an overlay's key: expected only [reform], [[rule]], "
                                                   "[[assignment]] and [parameter.NAME]")
    reform, instrument = _reform(law, raw.get("reform"), file)
    instruments = {**law.instruments, reform.id: instrument}
    staged = Law(root=law.root, instruments=instruments, parameters=law.parameters, data=law.data,
                 files={**law.files, reform.id: file}, change_dates=law.change_dates)
    staged.parameters = _parameters(staged, reform, raw.get("parameter"), file)
    _parameter_conflicts(law, raw.get("parameter"), staged, reform, file)
    data = dict(law.data)
    replaced: dict[str, dict] = {}
    if raw.get("rule") is not None:
        data[ELIGIBILITY_RULES] = _rules(law, staged, reform, raw["rule"], file, replaced)
    if raw.get("assignment") is not None:
        data[RETIREMENT_RULES] = _assignments(law, staged, reform, raw["assignment"], file)
    data[DATA_PREFIX + reform.id] = {"reform": reform, "effective": reform.effective, "replaced": replaced,
                                     "parameters": tuple(raw.get("parameter") or ())}
    staged.data = data
    staged.change_dates = _change_dates(staged)
    # Citations resolved while the overlay was checked were filed under the old change dates' intervals,
    # in which the reform's date was not yet a boundary: kept, they would let it speak the day before.
    staged.resolved.clear()
    return staged


def _change_dates(law: Law) -> tuple:
    """As ``law.build_law`` computes them: every version's dates and every parameter value's start."""
    dates = set()
    for inst in law.instruments.values():
        for v in inst.versions:
            dates.add(v.effective)
            if v.repealed:
                dates.add(v.repealed)
    for p in law.parameters.values():
        dates.update(v.start for v in p.values)
    return tuple(sorted(dates))


# -- [reform]: the proposal as a pseudo-instrument ---------------------------------------------------

def _reform(law: Law, meta, file: str) -> tuple[Reform, Instrument]:
    if not isinstance(meta, dict):
        raise ReformError(file, "reform", meta, "every overlay needs a [reform] table (id, title_zh, title_en, "
                                                "effective, summary, source)")
    for key in meta:
        if key not in REFORM_KEYS:
            raise ReformError(file, f"reform.{key}", meta[key], "expected one of " + ", ".join(sorted(REFORM_KEYS)))
    rid = _text(meta, "id", file, "reform")
    if not _ID_RE.match(rid):
        raise ReformError(file, "reform.id", rid, "expected a lower-case id of letters, digits and -")
    if rid in law.instruments:
        raise ReformError(file, "reform.id", rid, "is already the id of an instrument of the law; choose another")
    effective = meta.get("effective")
    if not isinstance(effective, _dt.date) or isinstance(effective, _dt.datetime):
        raise ReformError(file, "reform.effective", effective, "expected a TOML date (YYYY-MM-DD, unquoted)")
    first = law.change_dates[0] if law.change_dates else None
    if first is not None and effective < first:
        raise ReformError(file, "reform.effective", effective,
                          f"must not be before the earliest date of the encoded law ({first.isoformat()})")
    title_zh = _text(meta, "title_zh", file, "reform")
    title_en = _text(meta, "title_en", file, "reform")
    summary = _text(meta, "summary", file, "reform")
    note = meta.get("note")
    if note is not None and not isinstance(note, str):
        raise ReformError(file, "reform.note", note, "expected a string")
    source = paper_source(law, meta.get("source"), file)
    reform = Reform(id=rid, title_zh=title_zh, title_en=title_en, effective=effective, summary=summary,
                    source=source, file=file, note=note)
    articles = _articles(meta.get("article"), file)
    version = Version(
        instrument=rid, id=VERSION_ID, effective=effective, repealed=None,
        completeness="whole", confidence="low",
        completeness_note="whole: the proposal's own words as the overlay quotes them",
        confidence_note=f"low: {NOT_LAW}; an overlay applied with --reform",
        source=reform.source_label(), reference=None, date_certain=False,
        date_note="the date the overlay states; a proposal has no date in force", title_zh=title_zh,
        note=note, articles=articles,
    )
    instrument = Instrument(id=rid, title_zh=title_zh, title_en=title_en, kind=KIND,
                            issuer="; ".join(source.get("authors", ())), versions=(version,), summary=summary)
    return reform, instrument


def _text(d: dict, key: str, file: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReformError(file, f"{where}.{key}", value, "is required: a non-empty string")
    return value


def paper_source(law: Law, source, file: str) -> dict:
    """The paper the proposal comes from: a known key (its authors and title are filled in) or spelled out."""
    papers = (law.data.get(FINDINGS) or {}).get("paper", {})
    if not isinstance(source, dict):
        raise ReformError(file, "reform.source", source,
                          "expected a table naming the paper: { paper = KEY, part = \"...\" } with KEY one of "
                          + (", ".join(sorted(papers)) or "(none)") + ", or authors and title_zh for another paper")
    for key in source:
        if key not in SOURCE_KEYS:
            raise ReformError(file, f"reform.source.{key}", source[key],
                              "expected one of " + ", ".join(sorted(SOURCE_KEYS)))
    key = source.get("paper")
    if not isinstance(key, str) or not key:
        raise ReformError(file, "reform.source.paper", key, "is required: a short key naming the paper")
    known = papers.get(key, {})
    out = {"paper": key, "kind": "paper"}
    for field in ("authors", "title_zh", "title_en", "year"):
        value = source.get(field, known.get(field))
        if value is not None:
            out[field] = value
    if "year" not in out and known.get("year_note"):
        out["year_note"] = known["year_note"]
    if not known and not ({"authors", "title_zh"} <= set(source)):
        raise ReformError(file, "reform.source.paper", key,
                          "is not a [paper.*] key of statutes/findings/inequities.toml ("
                          + (", ".join(sorted(papers)) or "none") + "); give authors and title_zh for another paper")
    if not isinstance(out.get("authors", []), list) or not all(isinstance(a, str) for a in out.get("authors", [])):
        raise ReformError(file, "reform.source.authors", out.get("authors"), "expected a list of names")
    if source.get("part") is not None:
        out["part"] = str(source["part"])
    return out


def _articles(raw, file: str) -> tuple[Article, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ReformError(file, "reform.article", raw, "expected [[reform.article]] entries")
    out, seen = [], set()
    for i, ra in enumerate(raw):
        where = f"reform.article[{i}]"
        for key in ra:
            if key not in ARTICLE_KEYS:
                raise ReformError(file, f"{where}.{key}", ra[key], "expected one of " + ", ".join(sorted(ARTICLE_KEYS)))
        number = str(ra.get("number", ""))
        if not re.fullmatch(r"[A-Za-z0-9.-]+", number):
            raise ReformError(file, f"{where}.number", ra.get("number"), "expected a number such as \"1\"")
        if number in seen:
            raise ReformError(file, f"{where}.number", number, "article numbers must be unique")
        seen.add(number)
        paragraphs = ra.get("paragraphs")
        if not isinstance(paragraphs, list) or not paragraphs or not all(isinstance(p, str) and p for p in paragraphs):
            raise ReformError(file, f"{where}.paragraphs", paragraphs,
                              "expected a list of non-empty strings: the proposal's own words")
        out.append(Article(number=number, label=str(ra.get("label", "")), paragraphs=tuple(paragraphs),
                           sha256=hashlib.sha256("\n".join(paragraphs).encode()).hexdigest(), note=ra.get("note")))
    return tuple(out)


# -- citations -------------------------------------------------------------------------------------------

def _cites(value, file: str, where: str) -> list[str]:
    cites = [value] if isinstance(value, str) else value
    if not isinstance(cites, list) or not cites or not all(isinstance(c, str) for c in cites):
        raise ReformError(file, f"{where}.cite", value, "expected a list of citations such as [\"REFORM-ID:1\", \"sil:33\"]")
    return cites


def _check_cites(law: Law, reform: Reform, cites: list[str], on: _dt.date, file: str, where: str) -> None:
    """Each citation resolves on ``on``, and at least one is the reform itself."""
    from socins_cli.errors import DataError

    for ref in cites:
        try:
            found = law.resolve(ref, on)
        except DataError as exc:
            raise ReformError(file, f"{where}.cite", ref, exc.allowed) from None
        if found is None:
            raise ReformError(file, f"{where}.cite", ref, f"is not in force on {on.isoformat()}")
    _require_reform(law, reform, cites, file, where)


def _require_reform(law: Law, reform: Reform, cites: list[str], file: str, where: str) -> None:
    if reform.id not in law.cited_instruments(cites):
        raise ReformError(file, f"{where}.cite", cites,
                          f"must cite the reform itself ({reform.id}:N or {reform.id}), so that every answer "
                          "resting on it is marked as a proposal")


# -- [parameter.NAME] ---------------------------------------------------------------------------------

def _parameters(law: Law, reform: Reform, raw, file: str) -> dict:
    if raw is None:
        return law.parameters
    if not isinstance(raw, dict):
        raise ReformError(file, "parameter", raw, "expected [parameter.NAME] tables")
    out = dict(law.parameters)
    for name, body in raw.items():
        where = f"parameter.{name}"
        base = law.parameters.get(name)
        allowed = {"values"} if base is not None else {"description", "unit", "values"}
        if not isinstance(body, dict):
            raise ReformError(file, where, body, "expected a table with values = [...]")
        for key in body:
            if key not in allowed:
                hint = "" if base is None else f" ({name} is a parameter of the law: only its values change)"
                raise ReformError(file, f"{where}.{key}", body[key], "expected one of " + ", ".join(sorted(allowed)) + hint)
        if base is None:
            for key in ("description", "unit"):
                _text(body, key, file, where)
        unit = base.unit if base else body["unit"]
        values = _values(law, reform, body.get("values"), base, file, where, unit)
        kept = tuple(v for v in base.values if v.start < reform.effective) if base else ()
        out[name] = Parameter(name=name, description=base.description if base else body["description"],
                              unit=base.unit if base else body["unit"], values=kept + values,
                              file=base.file if base else file)
    return out


def _values(law: Law, reform: Reform, raw, base: Parameter | None, file: str, where: str, unit: str) -> tuple:
    if not isinstance(raw, list) or not raw:
        raise ReformError(file, f"{where}.values", raw, "expected a non-empty list of { from, value, cite }")
    out = []
    for i, rv in enumerate(raw):
        vw = f"{where}.values[{i}]"
        if not isinstance(rv, dict):
            raise ReformError(file, vw, rv, "expected { from = DATE, value = ..., cite = [...] }")
        for key in rv:
            if key not in VALUE_KEYS:
                raise ReformError(file, f"{vw}.{key}", rv[key], "expected one of " + ", ".join(sorted(VALUE_KEYS)))
        start = rv.get("from")
        if not isinstance(start, _dt.date) or isinstance(start, _dt.datetime):
            raise ReformError(file, f"{vw}.from", start, "expected a TOML date (YYYY-MM-DD, unquoted)")
        if start < reform.effective:
            raise ReformError(file, f"{vw}.from", start,
                              f"must be on or after the reform's effective date {reform.effective.isoformat()}")
        if out and not out[-1].start < start:
            raise ReformError(file, f"{vw}.from", start, "dates must ascend strictly")
        if "value" not in rv:
            raise ReformError(file, f"{vw}.value", None, "is required")
        value = rv["value"]
        if base is not None and base.values and not _same_kind(value, base.values[-1].value):
            raise ReformError(file, f"{vw}.value", value,
                              f"expected a value of the kind the law gives ({base.values[-1].value!r})")
        wrong = parameter_value_problem(unit, value)
        if wrong is not None:
            raise ReformError(file, f"{vw}.value", value, wrong)
        cites = _cites(rv.get("cite"), file, vw)
        _check_cites(law, reform, cites, start, file, vw)
        note = rv.get("note")
        if note is not None and not isinstance(note, str):
            raise ReformError(file, f"{vw}.note", note, "expected a string")
        out.append(ParameterValue(start=start, value=value, cite=tuple(cites), note=note))
    return tuple(out)


def _same_kind(a, b) -> bool:
    number = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, number) and isinstance(b, number):
        return True
    return type(a) is type(b)


# -- [[rule]]: eligibility --------------------------------------------------------------------------------

def _earlier(law: Law, key: str) -> dict:
    """What the overlays applied before recorded under ``key``: their replaced rules or parameters, by reform id."""
    return {name[len(DATA_PREFIX):]: body.get(key) or {} for name, body in law.data.items()
            if name.startswith(DATA_PREFIX) and isinstance(body, dict)}


def _parameter_conflicts(law: Law, raw, staged: Law, reform: Reform, file: str) -> None:
    """A parameter an earlier overlay set may be set again only to what it already is from this one's date on."""
    if not isinstance(raw, dict):
        return
    for rid, names in _earlier(law, "parameters").items():
        for name in raw:
            if name not in names:
                continue
            before, after = law.parameters[name], staged.parameters[name]
            days = sorted({v.start for v in (*before.values, *after.values) if v.start >= reform.effective})
            if any(_value_on(before, d) != _value_on(after, d) for d in days):
                raise ReformError(file, f"parameter.{name}", None,
                                  f"is already set by overlay {rid} to other values; overlays that set the same "
                                  "parameter differently cannot be combined")


def _value_on(param: Parameter, day: _dt.date):
    entry = param.entry_on(day)
    return None if entry is None else entry.value


def _same_replacement(a: dict, b: dict) -> bool:
    """Two replacing rules that say the same (their ids, citations, notes and dates aside)."""
    keep = ("scheme", "status", "payers", "settled")
    return all(a.get(k) == b.get(k) for k in keep) and _undated(a.get("when")) == _undated(b.get("when"))


def _undated(when) -> list:
    """A rule's ``when`` alternatives without their ``from``/``to``."""
    return [{k: v for k, v in w.items() if k not in ("from", "to")}
            for w in ([when] if isinstance(when, dict) else when or [{}])]


def _rules(base: Law, staged: Law, reform: Reform, raw, file: str, replaced_by: dict | None = None) -> dict:
    """The eligibility rules with the overlay's placed: replaced rules end the day before ``effective``."""
    from socins_cli.engines import eligibility

    if not isinstance(raw, list):
        raise ReformError(file, "rule", raw, "expected [[rule]] entries")
    table = base.data.get(ELIGIBILITY_RULES) or {}
    rules = list(table.get("rule", []))
    ids = [r.get("id") for r in rules]
    seen = set(ids)
    tables = eligibility.compiled(base).tables
    last_day = reform.effective - _ONE_DAY
    replaced: dict[str, str] = {}
    for i, body in enumerate(raw):
        if not isinstance(body, dict):
            raise ReformError(file, f"rule[{i}]", body, "expected a table in the format of statutes/rules/eligibility.toml")
        where = f"rule[{body['id']}]" if isinstance(body.get("id"), str) else f"rule[{i}]"
        rule = {k: v for k, v in body.items() if k not in PLACEMENT_KEYS}
        rule = _from_effective(rule, reform, file, where)
        try:
            problems = eligibility._validate_rule(staged, rule, where, file, tables, seen)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ReformError(file, where, str(exc), "malformed rule") from None
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ReformError(file, where, None, problems[0], line=problems[0] + more)
        _require_reform(staged, reform, rule.get("cite") or [], file, where)
        earlier = _replaced_before(base, body, rule, where, file)
        if earlier is not None:  # an earlier overlay replaced it with the same rule: weigh this one beside it
            rules.insert(_index(rules, earlier), rule)
            continue
        anchor = _anchor(rules, body, rule, where, file, replaced)
        if "replaces" in body:
            if replaced_by is not None:
                replaced_by[body["replaces"]] = rule
            k = _index(rules, anchor)
            if not rules[k].get("when") and body.get("when") is not None:
                raise ReformError(file, f"{where}.when", body.get("when"),
                                  f"{anchor} is the default rule of {rule['scheme']}: its replacement must hold "
                                  "for everyone (no when)")
            ended = _ending(rules[k], last_day)
            if ended is None:
                rules.pop(k)
                rules.insert(k, rule)
            else:
                rules[k] = ended
                rules.insert(k, rule)
        elif anchor is None:
            rules.append(rule)
        else:
            rules.insert(_index(rules, anchor), rule)
    return {**table, "rule": rules}


def _replaced_before(base: Law, body: dict, rule: dict, where: str, file: str) -> str | None:
    """The id of an earlier overlay's rule that replaced the same rule alike; an error when it did so differently."""
    target = body.get("replaces")
    if target is None:
        return None
    for rid, done in _earlier(base, "replaced").items():
        earlier = done.get(target)
        if earlier is None:
            continue
        if not _same_replacement(earlier, rule):
            raise ReformError(file, f"{where}.replaces", target,
                              f"is already replaced by {earlier['id']} of overlay {rid}, which says otherwise; "
                              "overlays that replace the same rule differently cannot be combined")
        return earlier["id"]
    return None


def _from_effective(rule: dict, reform: Reform, file: str, where: str) -> dict:
    """Every alternative of the rule's ``when`` starts no earlier than ``effective``."""
    when = rule.get("when")
    alternatives = [{}] if when is None else ([when] if isinstance(when, dict) else when)
    if not isinstance(alternatives, list) or not all(isinstance(w, dict) for w in alternatives):
        raise ReformError(file, f"{where}.when", when, "expected a table of attribute tests, or a list of them")
    out = []
    for j, w in enumerate(alternatives):
        for key in ("from", "to"):
            d = w.get(key)
            if isinstance(d, _dt.date) and d < reform.effective:
                raise ReformError(file, f"{where}.when.{key}", d, "a reform rule cannot apply before the reform's "
                                  f"effective date {reform.effective.isoformat()}")
        start = w.get("from") if isinstance(w.get("from"), _dt.date) else reform.effective
        out.append({**w, "from": start})
    return {**rule, "when": out[0] if len(out) == 1 and not isinstance(when, list) else out}


def _anchor(rules: list, body: dict, rule: dict, where: str, file: str, replaced: dict) -> str | None:
    """The id of the rule the new one is placed before (None: the end, only for a scheme with no rules yet)."""
    if "replaces" in body and "before" in body:
        raise ReformError(file, f"{where}.before", body["before"], "give replaces or before, not both")
    scheme = rule.get("scheme")
    for key in ("replaces", "before"):
        if key not in body:
            continue
        target = body[key]
        match = next((r for r in rules if r.get("id") == target), None)
        if match is None:
            raise ReformError(file, f"{where}.{key}", target, "no rule of the law has this id (see socins check --explain)")
        if match.get("scheme") != scheme:
            raise ReformError(file, f"{where}.{key}", target, f"is a rule of {match.get('scheme')}, not of {scheme}")
        if key == "replaces":
            if target in replaced:
                raise ReformError(file, f"{where}.replaces", target, f"is already replaced by {replaced[target]}")
            replaced[target] = rule["id"]
        return target
    first = next((r for r in rules if r.get("scheme") == scheme), None)
    return None if first is None else first["id"]


def _index(rules: list, rule_id: str) -> int:
    return next(i for i, r in enumerate(rules) if r.get("id") == rule_id)


def _ending(rule: dict, last_day: _dt.date) -> dict | None:
    """A copy of ``rule`` that stops after ``last_day`` (None when it would never apply)."""
    when = rule.get("when")
    alternatives = [{}] if when is None else ([when] if isinstance(when, dict) else when)
    kept = []
    for w in alternatives:
        start, end = w.get("from"), w.get("to")
        if start is not None and start > last_day:
            continue
        kept.append({**w, "to": min(end, last_day) if end is not None else last_day})
    if not kept:
        return None
    return {**rule, "when": kept[0] if len(kept) == 1 and not isinstance(when, list) else kept}


# -- [[assignment]]: retirement tracks ----------------------------------------------------------------

def _assignment_conflict(law: Law, reform: Reform, existing: list, a: dict, file: str, where: str) -> None:
    """An earlier overlay's assignment for the same people to another track cannot be combined with this one."""
    earlier = {r.id for r in reforms_in(law)} - {reform.id}
    same = ("group", "sex", "female_track")
    for e in existing:
        rid = next(iter(law.cited_instruments(e.get("cite") or []) & earlier), None)
        if rid is None or any(e.get(k) != a.get(k) for k in same):
            continue
        if (e.get("track"), e.get("alternative")) != (a.get("track"), a.get("alternative")):
            raise ReformError(file, f"{where}.track", a.get("track"),
                              f"overlay {rid} already assigns these people to {e.get('track')}; overlays that assign "
                              "the same people differently cannot be combined")


def _assignments(base: Law, staged: Law, reform: Reform, raw, file: str) -> dict:
    """The retirement table with the overlay's assignments weighed first (each cites the reform)."""
    if not isinstance(raw, list):
        raise ReformError(file, "assignment", raw, "expected [[assignment]] entries")
    table = base.data.get(RETIREMENT_RULES) or {}
    groups = set((table.get("group") or {}))
    tracks = set((table.get("track") or {}))
    new = []
    for i, a in enumerate(raw):
        where = f"assignment[{i}]"
        if not isinstance(a, dict):
            raise ReformError(file, where, a, "expected a table in the format of statutes/rules/retirement.toml")
        _check_assignment_people(a, groups, file, where)
        _check_assignment_answer(staged, a, tracks, file, where)
        cites = _cites(a.get("cite"), file, where)
        _check_cites(staged, reform, cites, reform.effective, file, where)
        _assignment_conflict(staged, reform, table.get("assignment") or [], a, file, where)
        # from the overlay's date: a month it gives before then is the proposal's open question (retirement._for_birth)
        new.append({"rule": reform.id, **a, "cite": cites, "proposal_from": reform.effective})
    return {**table, "assignment": new + list(table.get("assignment") or [])}


def _check_assignment_people(a: dict, groups: set, file: str, where: str) -> None:
    """Known keys, and who the assignment is for: a group of the table, sexes, female tracks."""
    for key in a:
        if key not in ASSIGNMENT_KEYS:
            raise ReformError(file, f"{where}.{key}", a[key], "expected one of " + ", ".join(sorted(ASSIGNMENT_KEYS)))
    if a.get("group") is not None and a["group"] not in groups:
        raise ReformError(file, f"{where}.group", a["group"], "expected one of " + ", ".join(sorted(groups)))
    sexes = a.get("sex")
    sexes = [sexes] if isinstance(sexes, str) else sexes
    if sexes is not None and (not isinstance(sexes, list) or not set(sexes) <= {"male", "female"}):
        raise ReformError(file, f"{where}.sex", a.get("sex"), "expected male, female or a list of them")
    ft = a.get("female_track")
    if ft is not None and (not isinstance(ft, list) or not set(ft) <= {"worker", "cadre", "unset"}):
        raise ReformError(file, f"{where}.female_track", ft, "expected a list of worker|cadre|unset")


def _check_assignment_answer(staged: Law, a: dict, tracks: set, file: str, where: str) -> None:
    """What the assignment gives: tracks of the table, a minimum-years parameter, settled, a note and rule text."""
    for key in ("track", "alternative"):
        if a.get(key) is not None and a[key] not in tracks:
            raise ReformError(file, f"{where}.{key}", a[key], "expected one of " + ", ".join(sorted(tracks)))
    if a.get("minimum") is not None and a["minimum"] not in staged.parameters:
        raise ReformError(file, f"{where}.minimum", a["minimum"], "expected the name of a parameter")
    if not isinstance(a.get("settled", False), bool):
        raise ReformError(file, f"{where}.settled", a.get("settled"), "expected true or false")
    for key in ("note", "rule"):
        if a.get(key) is not None and not isinstance(a[key], str):
            raise ReformError(file, f"{where}.{key}", a[key], "expected a string")
    _check_open(a.get("open", []), file, f"{where}.open")


def _check_open(raw, file: str, where: str) -> None:
    """What the assignment leaves open: ``[{question, note}]``, each question one the retirement engine can tell."""
    from socins_cli.engines.retirement import OPEN_QUESTIONS

    expected = f"expected a list of {{question = {'|'.join(OPEN_QUESTIONS)}, note = \"...\"}}"
    if not isinstance(raw, list):
        raise ReformError(file, where, raw, expected)
    for q in raw:
        if (not isinstance(q, dict) or set(q) != {"question", "note"} or q["question"] not in OPEN_QUESTIONS
                or not isinstance(q["note"], str) or not q["note"]):
            raise ReformError(file, where, q, expected)
