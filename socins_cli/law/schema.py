"""The shape of every statutes file, declared once: the loader builds from it and ``validate`` reports from it.

Each file is decoded into typed structs (msgspec), which check types,
required keys, unknown keys and allowed values in one pass and name the
key that fails. What a type cannot say (a parameter's value is a number,
or a ``YYYY-MM`` month) is checked right after,
here too. Engines check the meaning of their own rules (``validate.py``).

The structs mirror statutes/README.md: change both together.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import typing
from typing import Annotated, Literal, Optional, Union

import msgspec

from socins_cli.law.model import COMPLETENESS, CONFIDENCE

NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
Id = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
Completeness = Literal[COMPLETENESS]  # type: ignore[valid-type]
Confidence = Literal[CONFIDENCE]  # type: ignore[valid-type]
Cites = Union[str, list[str]]


class _Shape(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Every table of a statutes file: an unknown key is a typo, never silently ignored."""


class InstrumentMeta(_Shape):
    id: Id
    title_zh: NonEmpty
    title_en: NonEmpty
    kind: str = ""
    issuer: str = ""
    document_number: Optional[str] = None
    summary: Optional[str] = None
    short_names: list[NonEmpty] = []  # names a citation may use besides the titles (劳动争议司法解释（二）)


class AmendedByShape(_Shape):
    """The instrument that made a version (the amending decision), as far as it is known."""

    title_zh: NonEmpty
    adopted: Optional[_dt.date] = None
    document_number: Optional[str] = None
    note: Optional[str] = None


class ArticleShape(_Shape):
    number: NonEmpty
    paragraphs: Annotated[list[NonEmpty], msgspec.Meta(min_length=1)]
    sha256: Sha256
    label: str = ""
    chapter: Optional[str] = None
    section: Optional[str] = None  # 第一节 集体合同: a section (节) of the chapter
    note: Optional[str] = None
    reference_split: list[int] = []  # lines the reference copy broke mid-sentence, held as one paragraph
    ceased: Optional["CeasedShape"] = None  # provisions a later instrument ended, the version staying in force


class CeasedShape(_Shape):
    """``ceased = { from = DATE, by = "INSTRUMENT:ARTICLE", what = "…" }`` on an article."""

    by: NonEmpty
    what: NonEmpty
    from_: _dt.date = msgspec.field(name="from")


class FactShape(_Shape):
    id: NonEmpty
    text: NonEmpty
    kind: Literal["quotation", "paraphrase", "summary"] = "summary"
    source: Optional[str] = None
    confidence: Optional[Confidence] = None
    article: Optional[NonEmpty] = None  # the article a quotation is of, by its number in the version
    item: Optional[Annotated[int, msgspec.Meta(ge=1)]] = None  # and its item (项), where it is one


class VersionShape(_Shape):
    id: NonEmpty
    effective: _dt.date
    completeness: Completeness
    confidence: Confidence
    repealed: Optional[_dt.date] = None
    adopted: Optional[_dt.date] = None
    completeness_note: Optional[str] = None
    confidence_note: Optional[str] = None
    source: str = ""
    reference: Optional[str] = None
    date_certain: bool = True
    date_note: Optional[str] = None
    title_zh: Optional[str] = None
    note: Optional[str] = None
    amended_by: Optional[AmendedByShape] = None
    article: list[ArticleShape] = []
    fact: list[FactShape] = []
    table: list[dict] = []  # annex tables: each needs an ``id``; their columns are their own


class InstrumentFile(_Shape):
    """``<id>.toml`` at the top level: one instrument and its versions."""

    instrument: InstrumentMeta
    version: Annotated[list[VersionShape], msgspec.Meta(min_length=1)]


class ValueShape(_Shape):
    start: _dt.date = msgspec.field(name="from")
    value: Union[int, float, str]
    cite: Cites = []
    note: Optional[str] = None
    # the text sets a limit, not the value itself: 不得超过 (at-most), 不得低于 (at-least)
    bound: Optional[Literal["at-most", "at-least"]] = None
    # false: the text does not fix the value for everyone (可降至16%: a rate those above may lower to), so an
    # answer that shows it is not settled
    settled: bool = True


class ParameterShape(_Shape):
    values: Annotated[list[ValueShape], msgspec.Meta(min_length=1)]
    description: str = ""
    unit: str = ""


class ParametersFile(_Shape):
    """``parameters/*.toml``: dated values."""

    parameter: Annotated[dict[str, ParameterShape], msgspec.Meta(min_length=1)]


Rows = Annotated[list[dict], msgspec.Meta(min_length=1)]


class EligibilityRulesFile(_Shape):
    """``rules/eligibility.toml``: its rules are checked one by one by the eligibility engine."""

    unmatched: dict
    rule: Rows
    addendum: list[dict] = []  # citations and a note added to a decided answer (see the file's header)


class RetirementRulesFile(_Shape):
    """``rules/retirement.toml``: its tracks and assignments are checked by the retirement engine."""

    default_category: NonEmpty
    group: dict
    track: Annotated[dict, msgspec.Meta(min_length=1)]
    window: dict
    minimum: dict
    text: dict
    assignment: Rows


class FindingsFile(_Shape):
    """``findings/*.toml``: checked finding by finding by the inequities engine."""

    finding: Rows
    paper: dict = {}
    topic: dict = {}
    asked_as: dict = {}
    text: dict = {}  # notes the engine adds to a finding, by name


class TableFile(_Shape):
    """``tables/*.toml``: a coverage table that rules name."""

    table: dict
    row: Rows


class SchemeShape(_Shape):
    id: Id
    name_zh: NonEmpty


class AnswerWords(_Shape):
    statuses: Annotated[list[Id], msgspec.Meta(min_length=1)]
    payers: Annotated[list[Id], msgspec.Meta(min_length=1)]


class FindingWords(_Shape):
    compared: Id
    topics: list[Id]


class VocabularyFile(_Shape):
    """``corpus/vocabulary.toml``: the schemes (in output order), statuses, payers, compared category and topics."""

    scheme: Annotated[list[SchemeShape], msgspec.Meta(min_length=1)]
    answer: AnswerWords
    findings: FindingWords


#: Which shape a file must have, by its path relative to the statutes folder (without ``.toml``).
FOLDER_SHAPES = {"parameters": ParametersFile, "findings": FindingsFile, "tables": TableFile}
FILE_SHAPES = {"rules/eligibility": EligibilityRulesFile, "rules/retirement": RetirementRulesFile,
               "corpus/vocabulary": VocabularyFile}

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class SchemaProblem(Exception):
    """One thing wrong with one file: ``key``, ``value`` and what is allowed, as DataError takes them."""

    def __init__(self, key: str, value: object, allowed: str):
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}: {allowed}")


#: The files a subfolder holds where it holds named ones (statutes/README.md); parameters/ and tables/ take any name.
NAMED_FILES = {"rules": ("eligibility", "retirement"), "corpus": ("vocabulary", "review", "instrument-groups"),
               "findings": ("inequities",)}


def unread_file_problem(rel: str) -> SchemaProblem | None:
    """Why a file of a statutes folder is one socins would not read (another name in rules/, a folder within a
    subfolder), or None: it is refused rather than skipped, so that a rule added there is never silently unused."""
    parts = rel[: -len(".toml")].split("/")
    if len(parts) > 2:
        return SchemaProblem("(file)", None, f"is in a folder within {parts[0]}/, which socins does not read; "
                                             f"expected {parts[0]}/NAME.toml")
    names = NAMED_FILES.get(parts[0]) if len(parts) == 2 else None
    if names is not None and parts[1] not in names:
        return SchemaProblem("(file)", None, f"is not a file socins reads; {parts[0]}/ holds "
                                             + ", ".join(f"{n}.toml" for n in names))
    return None


def shape_of(rel: str):
    """The struct a file at ``rel`` (``sil.toml``, ``parameters/retirement.toml``) must decode into, or None."""
    stem = rel[: -len(".toml")]
    if "/" not in stem:
        return InstrumentFile
    return FILE_SHAPES.get(stem) or FOLDER_SHAPES.get(stem.split("/", 1)[0])


def decode(rel: str, raw: dict):
    """``raw`` (a parsed file) as its typed shape; ``raw`` itself where the path has no declared shape."""
    shape = shape_of(rel)
    if shape is None:
        return raw
    try:
        typed = msgspec.convert(raw, shape, builtin_types=(_dt.date,))
    except msgspec.ValidationError as exc:
        raise _problem(shape, raw, str(exc)) from None
    if isinstance(typed, ParametersFile):
        _check_values(typed)
    return typed


def problems_of(rel: str, raw: dict) -> list[SchemaProblem]:
    """Every problem of one file, not only the first that ``decode`` raises: what ``validate`` lists.

    msgspec stops at the first mismatch, so a file that fails is decoded
    again part by part (each table's keys, each array item, each dict
    value), and every part that fails on its own is named. Where a part
    cannot be split further (a union, a value), its own first problem stands.
    """
    shape = shape_of(rel)
    if shape is None:
        return []
    try:
        decode(rel, raw)
        return []
    except SchemaProblem as first:
        found = _parts_problems(shape, raw, [])
        return found or [first]


def _parts_problems(t, raw, steps: list) -> list[SchemaProblem]:
    """The problems of ``raw`` as a ``t``, each found by decoding the smallest part that fails."""
    t = _bare(t)
    try:
        msgspec.convert(raw, t, builtin_types=(_dt.date,))
    except msgspec.ValidationError as exc:
        here = _problem_at(t, raw, str(exc), steps)
    else:
        return []
    found: list[SchemaProblem] = []
    if _is_struct(t) and isinstance(raw, dict):
        found = _struct_problems(t, raw, steps)
    elif typing.get_origin(t) is list and isinstance(raw, list):
        (item,) = typing.get_args(t) or (None,)
        for i, value in enumerate(raw if item is not None else ()):
            found += _parts_problems(item, value, [*steps, str(i)])
    elif typing.get_origin(t) is dict and isinstance(raw, dict):
        value_type = typing.get_args(t)[-1] if typing.get_args(t) else None
        for name, value in raw.items() if value_type is not None else ():
            found += _parts_problems(value_type, value, [*steps, name])
    return found or [here]


def _struct_problems(t, raw: dict, steps: list) -> list[SchemaProblem]:
    """``_parts_problems`` of a table read as the struct ``t``: keys it lacks, keys it must have, each field's own."""
    found: list[SchemaProblem] = []
    fields = {f.encode_name: f for f in msgspec.structs.fields(t)}
    for name in raw:
        if name not in fields:
            known = "|".join(sorted(fields))
            found.append(SchemaProblem(_key([*steps, name]), _walk(raw, [name]),
                                       f"is not a key here; expected one of {known}"))
    for name, f in fields.items():
        if name in raw:
            found += _parts_problems(f.type, raw[name], [*steps, name])
        elif f.required:
            found.append(SchemaProblem(_key([*steps, name]), None, "is required"))
    return found


def _problem_at(t, raw, text: str, steps: list) -> SchemaProblem:
    """``_problem`` for a part found at ``steps`` of its file: the key is named from the file's top."""
    p = _problem(t, raw, text)
    inner = p.key if p.key != "(file)" else ""
    key = _key(steps) + (("" if inner.startswith("[") else ".") + inner if inner and steps else inner)
    return SchemaProblem(key or "(file)", p.value, p.allowed)


def _key(steps: list) -> str:
    return "".join(f"[{s}]" if s.isdigit() else f".{s}" for s in steps).lstrip(".")


#: By a parameter's unit: the least and the most its number may be, and the step it moves in. A value outside
#: is a slip (or a hostile file) the engines must never compute with: an age of -60, a rate of NaN, 2^66.
_UNIT_RANGES = {
    "year": (0, 120, 1 / 12),  # ages and contribution years, in whole months (15.5 years)
    "month": (0, 1440, 1),  # months of delay or of a window (a calendar month is written "YYYY-MM")
    "months": (0, 1440, 1),
    "share": (0, 1, None),
    "share of the local average wage": (0, 10, None),
    "yuan a month": (0, 10 ** 9, None),
}
#: A unit not listed: any number from 0 to this.
_ANY_NUMBER = 10 ** 12


def parameter_value_problem(unit: str, value) -> str | None:
    """What is wrong with a parameter's value for its unit (the law's and an overlay's alike), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return None if _MONTH.match(value) else 'expected a number, or a month as "YYYY-MM"'
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return "expected a finite number"
    lo, hi, step = _UNIT_RANGES.get(unit, (0, _ANY_NUMBER, None))
    if not lo <= value <= hi:
        return f"expected a number from {lo} to {hi:,} ({unit or 'no unit'})"
    if step is not None and abs(value / step - round(value / step)) > 0.01:  # 15.3333 years: 184 months
        return "expected whole months (a year's value in twelfths: 15.5, 15.3333)" if step < 1 else \
            "expected a whole number"
    return None


def _check_values(params: ParametersFile) -> None:
    """A parameter's value is a number its unit allows, or a calendar month written ``YYYY-MM`` (the first birth
    month delayed)."""
    for name, param in params.parameter.items():
        for i, entry in enumerate(param.values):
            wrong = parameter_value_problem(param.unit, entry.value)
            if wrong is not None:
                raise SchemaProblem(f"parameter.{name}.values[{i}].value", entry.value, wrong)


_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|'[^']*')\]")


def _problem(shape, raw: dict, text: str) -> SchemaProblem:
    """msgspec's message as ``key = value: allowed``, the allowed keys or values spelled out."""
    m = _AT.match(text)
    message, path = m["message"], m["path"] or ""
    steps = [s[0] or s[1].strip("'") for s in _STEP.findall(path)]
    value, here = _walk(raw, steps), _type_at(shape, steps)
    key = _key(steps)
    missing = re.match(r"Object missing required field `(.+)`", message)
    unknown = re.match(r"Object contains unknown field `(.+)`", message)
    if missing:
        return SchemaProblem(_join(key, missing[1]), None, "is required")
    if unknown:
        field = unknown[1]
        known = "|".join(sorted(f.encode_name for f in msgspec.structs.fields(here))) if _is_struct(here) else ""
        return SchemaProblem(_join(key, field), _walk(raw, [*steps, field]),
                             "is not a key here" + (f"; expected one of {known}" if known else ""))
    allowed = message[0].lower() + message[1:]
    if message.startswith("Invalid enum value"):
        choices = _literal_choices(here)
        allowed = "expected one of " + "|".join(choices) if choices else allowed
    allowed = allowed.replace("`", "").replace("expected object", "expected a table").replace("expected array", "expected an array")
    return SchemaProblem(key or "(file)", value, allowed)


def _join(key: str, field: str) -> str:
    return f"{key}.{field}" if key else field


def _walk(raw, steps):
    node = raw
    for step in steps:
        try:
            node = node[int(step)] if isinstance(node, list) else node[step]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return node if isinstance(node, (str, int, float, bool, _dt.date)) else None


def _is_struct(t) -> bool:
    return isinstance(t, type) and issubclass(t, msgspec.Struct)


def _bare(t):
    """``t`` without Annotated and Optional wrappers."""
    while True:
        origin = typing.get_origin(t)
        if origin is Annotated:
            t = typing.get_args(t)[0]
        elif origin is Union:
            args = [a for a in typing.get_args(t) if a is not type(None)]
            if len(args) != 1:
                return t
            t = args[0]
        else:
            return t


def _type_at(shape, steps):
    t = shape
    for step in steps:
        t = _bare(t)
        if _is_struct(t):
            fields = {f.encode_name: f.type for f in msgspec.structs.fields(t)}
            t = fields.get(step)
        elif typing.get_origin(t) in (list, dict):
            t = typing.get_args(t)[-1]
        else:
            return None
    return _bare(t)


def _literal_choices(t) -> tuple:
    return typing.get_args(t) if typing.get_origin(t) is Literal else ()
