"""Eligibility: which schemes a person must or may join on a date, evaluated from ``statutes/rules``.

The law lives in ``statutes/rules/eligibility.toml`` (ordered decision tables,
one per scheme) and in coverage tables under ``statutes/tables/``. This module
knows the contract's vocabulary (scheme ids, statuses, payers) and how to
weigh a rule; it knows no instrument. A rule is weighed in two steps: is
every instrument it cites in force that day (so a rule citing an unpinned
``sil:10:2`` follows the text in force, and a rule never speaks before its
law does), and does its ``when`` hold (a date window and attribute tests, or
any one of a list of such tables). The first rule that holds decides the
scheme; when none does, the file's ``[unmatched]`` entry answers, unsettled.
The scheme's addenda are weighed next: each that holds adds its citations
and note to that answer, never another status or payers (an agreement to
forgo insurance leaves the employee bound, and says why).

The rules are compiled once per law (``compiled``: data derived from the
law, not answers). An answer is worked out afresh at every call; what it
depends on is declared (``scheme_key``: the attributes a scheme's rules
read and the interval of dates on which the law is constant), and a batch
caches on that key (``socins_cli.batch.jobs``), never this module.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re

import msgspec

from socins_cli.engines import retirement
from socins_cli.law import vocabulary
from socins_cli.dates import Month
from socins_cli.errors import DataError
from socins_cli.law.load import instrument_of
from socins_cli.law.model import CONFIDENCE, is_part, listed_citations
from socins_cli.person import CATEGORIES, FEMALE_TRACKS, INDUSTRIES, PROVINCES, RELATIONS, SEXES

RULES_FILE = "rules/eligibility"
TABLES_DIR = "tables/"

#: The vocabulary's words this module is still asked for by name (``eligibility.SCHEMES``); see ``vocabulary``.
_VOCABULARY_NAMES = ("SCHEMES", "SCHEME_NAMES", "STATUSES", "PAYERS")


def __getattr__(name: str):
    if name in _VOCABULARY_NAMES:
        return getattr(vocabulary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RULE_KEYS = {"id", "scheme", "when", "status", "payers", "cite", "settled", "note", "wording"}
WHEN_KEYS = {"category", "relation", "employers", "income", "waiver", "age", "birthday_month", "past_retirement_age",
             "province", "industry", "covered_by", "province_in", "industry_in", "platform_in", "unknown", "from", "to"}
UNMATCHED_KEYS = {"id", "status", "settled", "note"}
ADDENDUM_KEYS = {"id", "schemes", "when", "status", "payers", "cite", "settled", "note"}
ROW_KEYS = {"province", "industries", "platforms", "from", "to", "source", "confidence", "note"}
TABLE_KEYS = {"id", "title_zh", "title_en", "note", "industry_names", "platform_aliases"}
#: Attributes a rule may say are unknown (not given).
PERSON_KEYS = ("category", "relation", "province", "industry", "platform", "employers", "income", "waiver", "birth")
#: What the rules read, in key order: the person's attributes, then ``retirement`` (whether past the statutory
#: retirement age, worked out from sex, track, birth and category by the retirement engine).
_READ_ORDER = (*PERSON_KEYS, "retirement")
#: Read from both a person's birth (and sex) and the date asked about: a batch keys them itself (``Job.ages``).
_BOTH_HALVES = frozenset({"birth", "retirement"})
_RULE_ID = r"^[a-z0-9-]+(\.[a-z0-9-]+)+$"  # compiled by ``re`` when first checked: only validation checks it
_ONE_DAY = _dt.timedelta(days=1)


# -- compiled form -------------------------------------------------------------

class Row(msgspec.Struct, frozen=True):
    """One line of a coverage table: a province, the industries and platforms covered, the days."""

    province: str
    industries: frozenset
    platforms: frozenset
    start: _dt.date | None
    end: _dt.date | None  # last day covered, inclusive
    source: tuple[str, ...]
    confidence: str
    note: str

    def in_force(self, on: _dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


class Table(msgspec.Struct, frozen=True):
    id: str
    rows: tuple[Row, ...]
    aliases: dict  # normalised alias -> platform name

    def platform_name(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self.aliases.get(_alias_key(name), name)

    def covering_row(self, person, on: _dt.date) -> Row | None:
        platform = self.platform_name(person.platform)
        for row in self.rows:
            if (row.in_force(on) and row.province == person.province
                    and person.industry in row.industries and platform in row.platforms):
                return row
        return None

    def values_on(self, field: str, on: _dt.date) -> set:
        found: set = set()
        for row in self.rows:
            if row.in_force(on):
                found |= {row.province} if field == "province" else set(getattr(row, field))
        return found


class Rule(msgspec.Struct, frozen=True):
    id: str
    scheme: str
    when: tuple  # alternatives: the rule applies when any one of these tables of tests holds
    status: str
    payers: tuple[str, ...]
    cite: tuple[str, ...]
    settled: bool
    note: str
    #: pinned citations of held text quoted for a version in force whose text is not held (``wiir@2010:2:1``
    #: for the 2003 regulation): given in the entry's ``wording``, marked ``stands_in``, apart from its
    #: citations (a version is never cited before it took effect), and never what makes the rule hold
    wording: tuple[str, ...] = ()
    #: the categories some alternative of ``when`` admits; None where one admits every category
    categories: frozenset | None = None
    #: no citation of the rule resolves before this day: the latest first day in force of the instruments it cites
    resting_from: _dt.date = _dt.date.min


class Addendum(msgspec.Struct, frozen=True):
    """What the law adds to a scheme's answer without changing it (an agreement to forgo insurance is void).

    It holds when its citations are in force and its ``when`` holds, and the
    decided answer has one of ``statuses`` (any when empty) and every one of
    ``payers``; then its citations and note are added to that answer.
    """

    id: str
    schemes: tuple[str, ...]
    when: tuple
    statuses: tuple[str, ...]
    payers: tuple[str, ...]
    cite: tuple[str, ...]
    settled: bool
    note: str
    categories: frozenset | None = None  # as a Rule's
    resting_from: _dt.date = _dt.date.min  # as a Rule's


class Compiled(msgspec.Struct):
    law: object
    schemes: tuple  # the vocabulary's scheme ids, in output order
    by_scheme: dict  # scheme -> tuple[Rule, ...]
    addenda: dict  # scheme -> tuple[Addendum, ...]
    tables: dict  # id -> Table
    unmatched: dict
    boundaries: tuple  # sorted dates on which some answer may change
    scheme_boundaries: dict  # scheme -> the sorted dates on which its answer may change (``_scheme_change_days``)
    reads: tuple  # person attributes the rules read
    reads_by_category: dict  # category -> the attributes read by the rules a person of that category can meet
    scheme_reads: dict  # (scheme, category) -> the attributes that scheme's rules read for that category
    named: dict  # (attribute, value) or ("platform", table id, name) -> the rule lists and table rows naming it
    ages: tuple  # the ages in months at which some ``age`` test changes its answer, sorted (16 years: 192)


def compiled(law) -> Compiled:
    """The rules of ``law``, compiled once per Law object (the law keeps them)."""
    return law.view("eligibility", _compile)


def _compile(law) -> Compiled:
    raw = law.required(RULES_FILE, "the eligibility rules are missing")
    try:
        return _compile_raw(law, raw)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DataError(f"statutes/{RULES_FILE}.toml", "rule", str(exc),
                        "malformed eligibility rules or coverage table; run socins validate") from None


def _rule_of(first_days: dict, body: dict) -> Rule:
    when = _alternatives(body.get("when"))
    cite = tuple(body.get("cite", ()))
    return Rule(
        id=body["id"],
        scheme=body["scheme"],
        when=when,
        status=body["status"],
        payers=tuple(body.get("payers", ())),
        cite=cite,
        settled=body.get("settled", True),
        note=body.get("note", ""),
        wording=tuple(body.get("wording", ())),
        categories=_categories_admitted(when),
        resting_from=_resting_from(first_days, cite),
    )


def _addendum_of(first_days: dict, body: dict) -> Addendum:
    when = _alternatives(body.get("when"))
    cite = tuple(body.get("cite", ()))
    return Addendum(
        id=body["id"],
        schemes=tuple(body["schemes"]),
        when=when,
        statuses=tuple(body.get("status", ())),
        payers=tuple(body.get("payers", ())),
        cite=cite,
        settled=body.get("settled", True),
        note=body.get("note", ""),
        categories=_categories_admitted(when),
        resting_from=_resting_from(first_days, cite),
    )


def _first_days(law) -> dict:
    """Each instrument's first day in force (``Law.version_dates``: no instrument is decoded for it)."""
    return {inst_id: min(effective for _adopted, effective, _repealed in dates)
            for inst_id in law.instruments if (dates := law.version_dates(inst_id))}


def _resting_from(first_days: dict, cite: tuple) -> _dt.date:
    """The latest of the days on which the instruments ``cite`` names first take effect (``first_days``; ``date.max``
    for one not in the law): before it some citation cannot resolve, so the rule cannot hold."""
    return max((first_days.get(instrument_of(ref), _dt.date.max) for ref in cite), default=_dt.date.min)


def _categories_admitted(alternatives: tuple) -> frozenset | None:
    """The categories for which some alternative's ``category`` test holds; None where one has no such test."""
    if any("category" not in when for when in alternatives):
        return None
    return frozenset(c for when in alternatives for c in when["category"])


def _compile_tables(law) -> dict:
    """The coverage tables under statutes/tables, by id."""
    tables = {}
    for key, body in law.data.items():
        if key.startswith(TABLES_DIR) and "row" in body:
            table = _compile_table(body)
            tables[table.id] = table
    return tables


def _change_days(law, scheme_days: dict, tables: dict) -> set:
    """The days on which an answer may change: the law's own, every scheme's (``_scheme_change_days``), and the
    edges of every coverage-table row's window."""
    days = set(law.change_dates)
    for own in scheme_days.values():
        days.update(own)
    for table in tables.values():
        for row in table.rows:
            days |= _window_edges(row.start, row.end)
    return days


#: The tests of a ``when`` table that read a coverage table (by its id).
_TABLE_TESTS = ("covered_by", "province_in", "industry_in", "platform_in")


def _scheme_change_days(law, rules: tuple, addenda: tuple, table_days: dict) -> tuple:
    """The days on which one scheme's answer may change: fewer than the law's, only what its rules read.

    A scheme's answer reads the date asked about through its rules' and
    addenda's citations and pinned wordings (which version of the
    instrument is in force), their ``from``/``to`` windows, the coverage
    tables they test (their rows' windows and sources: ``table_days``) and
    the parameters their income tests name. Between two of these days the
    answer is the same, so a batch keys it on the interval: an instrument
    the scheme never cites (the Labour Contract Law for a resident's medical
    insurance) does not split it.
    """
    days: set = set()
    refs: set = set()
    used: set = set()
    for rule in (*rules, *addenda):
        refs.update(rule.cite)
        refs.update(getattr(rule, "wording", ()))
        for when in rule.when:
            days |= _window_edges(when.get("from"), when.get("to"))
            used.update(when[k] for k in _TABLE_TESTS if when.get(k))
            for bound in (when.get("income") or {}).values():
                if isinstance(bound, str):
                    days.update(v.start for v in law.parameter(bound).values)
    for table_id in used:
        days |= table_days[table_id]
    return tuple(sorted(days | _version_days(law, refs)))


def _every_schemes_change_days(law, schemes: set, by_scheme: dict, addenda: dict, tables: dict) -> dict:
    """``_scheme_change_days`` of each scheme, each coverage table's days worked out once for all."""
    table_days = {table_id: _table_days(law, table) for table_id, table in tables.items()}
    return {s: _scheme_change_days(law, tuple(by_scheme.get(s, ())), tuple(addenda.get(s, ())), table_days)
            for s in schemes}


def _table_days(law, table: Table) -> set:
    """The days on which what a coverage table says may change: its rows' windows, and when the versions of the
    instruments its rows cite as their sources change."""
    days = _version_days(law, [ref for row in table.rows for ref in row.source])
    for row in table.rows:
        days |= _window_edges(row.start, row.end)
    return days


def _version_days(law, refs) -> set:
    """The days on which a version of an instrument ``refs`` cite takes effect or ends (``Law.version_dates``)."""
    return {day for inst_id in {instrument_of(ref) for ref in refs}
            for _adopted, effective, repealed in law.version_dates(inst_id) for day in (effective, repealed) if day}


def _compile_raw(law, raw: dict) -> Compiled:
    schemes = vocabulary.of(law).schemes
    by_scheme: dict[str, list[Rule]] = {s: [] for s in schemes}
    reads = {"category"}
    reads_by_category = {c: {"category"} for c in CATEGORIES}
    scheme_reads = {(s, c): {"category"} for s in schemes for c in CATEGORIES}
    first_days = _first_days(law)
    for body in raw.get("rule", []):
        rule = _rule_of(first_days, body)
        by_scheme.setdefault(rule.scheme, []).append(rule)
        _note_reads(rule.scheme, rule.when, reads, reads_by_category, scheme_reads)
    addenda: dict[str, list[Addendum]] = {s: [] for s in schemes}
    for body in raw.get("addendum", []):
        addendum = _addendum_of(first_days, body)
        for scheme in addendum.schemes:
            addenda.setdefault(scheme, []).append(addendum)
            _note_reads(scheme, addendum.when, reads, reads_by_category, scheme_reads)
    tables = _compile_tables(law)
    scheme_days = _every_schemes_change_days(law, {*schemes, *by_scheme, *addenda}, by_scheme, addenda, tables)
    named = _named_places([*by_scheme.values(), *addenda.values()], tables)
    return Compiled(
        law=law,
        schemes=schemes,
        by_scheme={s: tuple(rs) for s, rs in by_scheme.items()},
        addenda={s: tuple(a) for s, a in addenda.items()},
        tables=tables,
        unmatched=dict(raw.get("unmatched", {})),
        boundaries=tuple(sorted(_change_days(law, scheme_days, tables))),
        scheme_boundaries=scheme_days,
        reads=tuple(k for k in _READ_ORDER if k in reads),
        reads_by_category={c: tuple(k for k in _READ_ORDER if k in found) for c, found in reads_by_category.items()},
        scheme_reads={sc: tuple(k for k in _READ_ORDER if k in found) for sc, found in scheme_reads.items()},
        named=named,
        ages=_ages_tested([*by_scheme.values(), *addenda.values()]),
    )


def _ages_tested(rule_lists: list) -> tuple:
    """Each age (in months) at which an ``age = {min, max}`` or ``birthday_month`` test of some rule or addendum
    starts or stops holding."""
    ages = set()
    for rules in rule_lists:
        for rule in rules:
            for when in rule.when:
                bounds = when.get("age") or {}
                if "min" in bounds:
                    ages.add(12 * bounds["min"])
                if "max" in bounds:
                    ages.add(12 * (bounds["max"] + 1))
                if "birthday_month" in when:  # the month of that birthday, and the month after it
                    ages |= {12 * when["birthday_month"], 12 * when["birthday_month"] + 1}
    return tuple(sorted(ages))


def age_band(law, birth, on: _dt.date):
    """Which interval between the ages the rules test the person is in on ``on`` (None when birth is not given).

    The age counts by months, as the birth is a month: a person is 16 from
    the first day of the month of their 16th birthday (``age_in_months``).
    """
    if birth is None:
        return None
    return bisect.bisect_right(compiled(law).ages, age_in_months(birth, on))


def ages_tested(law, person) -> tuple:
    """The ages (months) at which the answer of a person of this category may change, as its rules test the age."""
    comp = compiled(law)
    return comp.ages if "birth" in comp.reads_by_category.get(person.category, comp.reads) else ()


def age_in_months(birth, on: _dt.date) -> int:
    """Whole months from the birth month to the month of ``on``: 192 from the month of the 16th birthday."""
    return Month.index_of(on) - birth.index


def age_change_days(law, birth, start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """The days in (start, end] on which the person reaches an age some rule tests: when their answer may change."""
    if birth is None:
        return []
    days = (Month.from_index(birth.index + months).first_day() for months in compiled(law).ages)
    return [d for d in days if start < d <= end]


#: ``past_retirement_age`` of one who has not reached the statutory retirement month on the track ``socins
#: retirement`` answers on, but has on the other reading it lists where the texts leave the track open
#: (``alternatives``: a woman in flexible employment, 50 beside 55). A rule tests it as written.
ON_ANOTHER_READING = "on-another-reading"


def retirement_month_index(law, person, on: _dt.date, tracks_of=None) -> int | None:
    """The month index of the person's statutory retirement month as ``socins retirement`` answers on ``on``.

    None without sex or birth, or where the retirement engine gives no month
    (a category it has no age for, a rule that needs the female track).
    """
    months = retirement_months(law, person, on, tracks_of)
    return None if months is None else months[0]


def retirement_months(law, person, on: _dt.date, tracks_of=None) -> tuple | None:
    """(the statutory retirement month's index, the other reading's or None), as ``socins retirement`` answers on
    ``on`` (its ``retirement_month`` and its ``alternatives``); None when there is no month.

    ``tracks_of(law, person, on)`` is ``retirement.statutory_tracks`` or one
    that keeps its answers (a batch, by plan key): the months are the same.
    """
    if person.birth is None or person.birth.index > Month.index_of(on):
        return None
    tracks_of = tracks_of or retirement.statutory_tracks
    if person.sex is None:
        return _months_whatever_the_sex(law, person, on, tracks_of)
    tracks = tracks_of(law, person, on)
    if tracks[0] is None and person.sex == "female" and person.female_track is None:
        return _months_on_every_track(law, person, on, tracks_of)
    return retirement.months_of(tracks, person.birth)


def _months_on_every_track(law, person, on: _dt.date, tracks_of) -> tuple | None:
    """A woman whose track the rules need but who gave none (a woman in employment: worker or cadre): the month
    she is past the age on every track (the latest), and the earliest month of any track as the other reading.

    Past the latest she is past the statutory retirement age whichever track is hers; between the two it turns
    on the track (``ON_ANOTHER_READING``). None where a track gives no month.
    """
    months = [retirement_months(law, msgspec.structs.replace(person, female_track=track), on, tracks_of)
              for track in FEMALE_TRACKS]
    if any(m is None for m in months):
        return None
    latest = max(m[0] for m in months)
    earliest = min(m for pair in months for m in pair if m is not None)
    return latest, (earliest if earliest < latest else None)


def _months_whatever_the_sex(law, person, on: _dt.date, tracks_of) -> tuple | None:
    """A person who gave no sex: the month from which they are past the statutory retirement age whatever their sex
    (and a woman's track), with no other reading: before it the answer is not known (``_retired_fails`` says so).

    A man born 1940 is past every age any text sets; one born 1965 is past a woman's age and not yet a man's.
    """
    months = [retirement_months(law, msgspec.structs.replace(person, sex=sex), on, tracks_of) for sex in SEXES]
    if any(m is None for m in months):
        return None
    return max(m[0] for m in months), None


def past_on(months: tuple | None, at: int):
    """``past_retirement_age`` in month ``at`` for ``retirement_months``: True, ``ON_ANOTHER_READING``, False, or
    None."""
    if months is None:
        return None
    month, other = months
    if at >= month:
        return True
    return ON_ANOTHER_READING if other is not None and at >= other else False


def past_retirement_age(law, person, on: _dt.date):
    """Whether the person has reached the statutory retirement month on ``on``: True, False, or
    ``ON_ANOTHER_READING`` (only on the other reading of an open track); None when it cannot be told."""
    return past_on(retirement_months(law, person, on), Month.index_of(on))


def retirement_tested(law, person) -> bool:
    """Whether a rule a person of this category can meet tests whether they are past the statutory retirement age."""
    comp = compiled(law)
    return "retirement" in comp.reads_by_category.get(person.category, comp.reads)


def retirement_change_days(law, person, start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """The first day of the statutory retirement month inside (start, end], as the law of that day gives it."""
    if not retirement_tested(law, person):
        return []
    months = {m for day in (start, end) for m in (retirement_months(law, person, day) or ())} - {None}
    days = (Month.from_index(m).first_day() for m in months)
    # a month the law of that day still gives (the 1978 age asked about before 2025 may be delayed by then),
    # on the statutory track or the other reading
    return sorted(d for d in days
                  if start < d <= end and Month.index_of(d) in (retirement_months(law, person, d) or ()))


def _named_places(rule_lists: list, tables: dict) -> dict:
    """Where the rules name each province, industry and platform: the ``when`` lists and coverage-table rows.

    These attributes are only ever compared with the values the rules name
    (``_listed_fails``, ``covering_row``, ``_tables_fail``), so two values
    named in the same places (two provinces no rule or row names, say) get
    the same answer: ``_told_apart`` keys on the places, not the value.
    """
    named: dict = {}
    for rule in (rule for rules in rule_lists for rule in rules):
        for n, when in enumerate(rule.when):
            for attribute in ("province", "industry"):
                for value in when.get(attribute) or ():
                    named.setdefault((attribute, value), []).append((rule.id, n))
    for table in tables.values():
        for i, row in enumerate(table.rows):
            named.setdefault(("province", row.province), []).append((table.id, i))
            for industry in row.industries:
                named.setdefault(("industry", industry), []).append((table.id, i))
            for platform in row.platforms:
                named.setdefault(("platform", table.id, platform), []).append(i)
    return {key: tuple(places) for key, places in named.items()}


def _note_reads(scheme: str, alternatives, reads: set, reads_by_category: dict, scheme_reads: dict) -> None:
    """Record which person attributes a rule or addendum of ``scheme`` reads, overall and per category."""
    for when in alternatives:
        read = _attributes_read(when)
        reads |= read
        named = when.get("category")
        for category in reads_by_category if named is None else [c for c in named if c in reads_by_category]:
            reads_by_category[category] |= read
            scheme_reads.setdefault((scheme, category), {"category"}).update(read)


def _attributes_read(when: dict) -> set:
    """The person attributes one table of tests reads."""
    read = set()
    for key in when:
        if key in ("category", "relation", "employers", "income", "waiver", "province", "industry"):
            read.add(key)
        elif key in ("age", "birthday_month"):  # read from the birth (and the day asked about)
            read.add("birth")
        elif key == "past_retirement_age":  # read from sex, track and birth through the retirement engine
            read.add("retirement")
        elif key in ("covered_by", "province_in", "industry_in", "platform_in"):
            read |= {"province", "industry", "platform"}
        elif key == "unknown":
            read |= set(when[key])
    return read


def _alternatives(when) -> tuple:
    """``when`` is one table of tests, or a list of them meaning "any of these"; absent means everyone."""
    if when is None:
        return ({},)
    if isinstance(when, dict):
        return (dict(when),)
    return tuple(dict(w) for w in when)


def _window_edges(start, end) -> set:
    edges = set()
    if start is not None:
        edges.add(start)
    if end is not None:
        edges.add(end + _ONE_DAY)
    return edges


def _compile_table(body: dict) -> Table:
    meta = body.get("table", {})
    rows = tuple(
        Row(
            province=r["province"],
            industries=frozenset(r.get("industries", ())),
            platforms=frozenset(r.get("platforms", ())),
            start=r.get("from"),
            end=r.get("to"),
            source=tuple(r.get("source", ())),
            confidence=r.get("confidence", "high"),
            note=r.get("note", ""),
        )
        for r in body["row"]
    )
    aliases = {_alias_key(k): v for k, v in meta.get("platform_aliases", {}).items()}
    return Table(id=meta.get("id", ""), rows=rows, aliases=aliases)


#: What a platform's name may differ by from an alias besides case: whitespace (``split``) and these.
_ALIAS_IGNORED = str.maketrans("", "", "._-")


def _alias_key(name: str) -> str:
    """Lower case, without whitespace, dots, underscores or dashes (no pattern: its compiling cost ~0.06 ms a start)."""
    return "".join(str(name).split()).translate(_ALIAS_IGNORED).lower()


# -- evaluation ------------------------------------------------------------------
#
# One scheme's answer, top to bottom: ``answer_scheme`` takes the scheme's rules in order and weighs each
# (``_weigh``: are its citations in force that day, does one of its ``when`` tables hold); the first that
# holds gives the answer (``_outcome``), or ``[unmatched]`` does; then its addenda add citations and notes
# (``_add``). Nothing here remembers an answer: a batch caches answers by the keys below (``socins_cli.batch``).

def interval_index(law, on: _dt.date) -> int:
    """Which of the intervals between change dates ``on`` falls in: the law is constant within one."""
    return bisect.bisect_right(compiled(law).boundaries, on)


def schemes_key(law, person, age: bool = True) -> tuple:
    """What every scheme's answer depends on: the attributes the rules read and the interval the date falls in.

    Only what the rules a person of this category can meet read: an
    employee's answer does not depend on the province, a platform worker's
    does, but only on where the rules name it (``_told_apart``). A birth
    counts by the age band it gives on the person's date, and whether the
    person is past the statutory retirement age is read too where a rule
    tests it; ``age=False`` leaves both out, for a batch that keys them
    itself (``ages_tested``, ``retirement_tested``).
    """
    comp = compiled(law)
    if not age:
        return undated_key(law, person) + (interval_index(law, person.as_of),)
    reads = comp.reads_by_category.get(person.category, comp.reads)
    return (tuple(_told_apart(comp, k, getattr(person, k)) if k not in _BOTH_HALVES else _both_halves(comp, k, person)
                  for k in reads)
            + (interval_index(law, person.as_of),))


def undated_key(law, person) -> tuple:
    """``schemes_key(law, person, age=False)`` without the date's interval: what the attributes other than the
    date, birth and sex decide (a batch keeps it for each combination of them, whatever the date)."""
    comp = compiled(law)
    reads = comp.reads_by_category.get(person.category, comp.reads)
    return tuple(_told_apart(comp, k, getattr(person, k)) for k in reads if k not in _BOTH_HALVES)


def scheme_key(law, person, scheme: str) -> tuple:
    """What one scheme's answer (``answer_scheme`` without a trace) depends on: fewer attributes than all schemes read.

    A platform worker's pension does not depend on the province; the pilot
    does. The date counts by the interval between the scheme's own change
    days (``_scheme_change_days``). Two people with equal keys get equal
    answers for that scheme.
    """
    comp = compiled(law)
    return _scheme_key(comp, scheme, person, bisect.bisect_right(comp.scheme_boundaries[scheme], person.as_of))


def scheme_keys(law, person, months_of=retirement_months) -> list[tuple]:
    """``scheme_key`` of every scheme of the vocabulary, in its order (what a batch asks of each new person).

    Whether the person is past the statutory retirement age is worked out
    once for all of them, if some scheme's rules ask; ``months_of`` is how
    (``retirement_months``; a batch passes its own, which keeps each plan's tracks).
    """
    comp = compiled(law)
    on, bounds, category = person.as_of, comp.scheme_boundaries, person.category
    known: dict = {"months": lambda: months_of(law, person, person.as_of)}
    # what the rules tell of each attribute a scheme reads, worked out once for all the schemes reading it
    told = {k: _told_apart(comp, k, getattr(person, k)) if k not in _BOTH_HALVES else _both_halves(comp, k, person, known)
            for k in comp.reads_by_category.get(category, comp.reads)}
    return [(scheme, category, *[told[k] for k in comp.scheme_reads.get((scheme, category), comp.reads)],
             bisect.bisect_right(bounds[scheme], on)) for scheme in comp.schemes]


def _scheme_key(comp: Compiled, scheme: str, person, interval: int, known: dict | None = None) -> tuple:
    reads = comp.scheme_reads.get((scheme, person.category), comp.reads)
    # the birth counts by the age band it gives on the person's date, the rest as told apart
    return (scheme, person.category, *[_told_apart(comp, k, getattr(person, k)) if k not in _BOTH_HALVES
                                       else _both_halves(comp, k, person, known) for k in reads], interval)


def _both_halves(comp: Compiled, read: str, person, known: dict | None = None):
    """What a key reads from birth and date together: the age band, or whether past the retirement age.

    ``known`` keeps what was worked out for this person already (once per
    person, not once per scheme).
    """
    if read == "birth":
        return age_band(comp.law, person.birth, person.as_of)
    if known is None:
        return past_retirement_age(comp.law, person, person.as_of)
    if read not in known:
        known[read] = past_on(known["months"](), Month.index_of(person.as_of))
    return known[read]


def _told_apart(comp: Compiled, attribute: str, value):
    """What the rules can tell of an attribute's value, for a key.

    A province, industry or platform is only compared with the values the
    rules name, so it counts by the places that name it (``_named_places``):
    every province no rule or coverage row names is one key, and so is every
    unknown platform. Not given (None) stays apart: ``unknown`` tests it.
    Any other attribute is its value.
    """
    if value is None or attribute not in _NAMED_ATTRIBUTES:
        return value
    if attribute == "platform":  # each table has its own aliases
        return tuple(comp.named.get(("platform", t.id, t.platform_name(value)), ()) for t in comp.tables.values())
    return comp.named.get((attribute, value), ())


_NAMED_ATTRIBUTES = frozenset({"province", "industry", "platform"})


def answer_scheme(law, person, scheme: str, on: _dt.date, explain: bool = False) -> tuple[dict, list]:
    """One scheme's answer for ``person`` on ``on``: (its entry, the Citations it rests on).

    The first rule of ``scheme`` that holds on ``on`` decides; with
    ``explain``, the entry's ``trace`` lists every rule weighed up to it. The
    scheme's addenda that hold are then added to the answer (see ``Addendum``).
    """
    comp = compiled(law)
    trace = []
    entry = None
    for rule in comp.by_scheme.get(scheme, ()):
        applied, why, cited, row = _weigh(comp, rule, person, on, explain)
        if explain:
            trace.append(_traced(rule, cited, applied, why))
        if applied:
            entry = _outcome(comp, rule, cited, row, on)
            break
    if entry is None:
        u = comp.unmatched
        entry = {
            "scheme": scheme,
            "status": u.get("status", "not-eligible"),
            "settled": u.get("settled", False),
            "payers": [],
            "citations": [],
            "notes": u.get("note", "No encoded rule applies on this date."),
            "rule": u.get("id"),
            "_resolved": [],
        }
    for addendum in comp.addenda.get(scheme, ()):
        _add(comp, addendum, entry, person, on, trace if explain else None)
    if explain:
        entry["trace"] = trace
    return entry, entry.pop("_resolved")


def answer_schemes(law, person, on: _dt.date, explain: bool = False, quote: bool = False) -> dict:
    """Every scheme of the vocabulary for ``person`` on ``on``, and warnings on the sources that decide them."""
    answered = [answer_scheme(law, person, scheme, on, explain) for scheme in compiled(law).schemes]
    return schemes_answer(law, answered, quote)


def schemes_answer(law, answered: list, quote: bool = False) -> dict:
    """``{"schemes", "warnings"}`` from each scheme's ``answer_scheme``, in the vocabulary's order.

    ``quote`` adds each citation's words to the entries given (they are changed in place).
    """
    schemes = []
    sources: dict = {}
    for entry, resolved in answered:
        for cit in resolved:
            sources.setdefault((cit.instrument, cit.version), []).append(entry["scheme"])
        if quote:
            for c in listed_citations(entry):
                c["text"] = quote_text(law, c)
        schemes.append(entry)
    return {"schemes": schemes, "warnings": _warnings(law, sources)}


def _traced(rule, cited: list, applied: bool, why) -> dict:
    """One line of ``--explain``'s trace: the rule's references as written (``cites``) and, where all of them are in
    force on the date, the citations they resolve to (objects, as every citation in JSON; none otherwise)."""
    citations = [c.as_dict() for c in cited] if len(cited) == len(rule.cite) else []
    return {"rule": rule.id, "cites": list(rule.cite), "citations": citations, "applied": applied, "why": why}


def _add(comp: Compiled, addendum: Addendum, entry: dict, person, on, trace) -> None:
    """Add the addendum's citations and note to the decided ``entry`` when it holds for it.

    An addendum for another status, other payers or another category is not weighed (nor traced): it does
    not speak to this answer.
    """
    if addendum.statuses and entry["status"] not in addendum.statuses:
        return
    if addendum.categories is not None and person.category not in addendum.categories:
        return
    if not set(addendum.payers) <= set(entry["payers"]):
        return
    applied, why, cited, _ = _weigh(comp, addendum, person, on, trace is not None)
    if trace is not None:
        trace.append({**_traced(addendum, cited, applied, why), "addendum": True})
    if not applied:
        return
    for cit in cited:
        if cit not in entry["_resolved"]:
            entry["_resolved"].append(cit)
            entry["citations"].append(cit.as_dict())
    if addendum.note:
        entry["notes"] = f"{entry['notes']} {addendum.note}".strip()
    if not addendum.settled:
        entry["settled"] = False


def _weigh(comp: Compiled, rule: Rule, person, on, verbose: bool):
    """(applied, why, resolved citations, coverage row) for one rule (or addendum) on one day; ``why`` only when verbose.

    Without ``verbose`` a rule that does not apply needs no citations, so
    they are resolved last (``_weigh_briefly``): most rules fail on their
    tests, and resolving their citations would decode instruments for
    nothing. The answer is the same either way; only the trace of
    ``--explain`` shows the citations of a rule that does not apply.
    """
    if not verbose:
        return _weigh_briefly(comp, rule, person, on)
    cited = _cited(comp, rule, on)
    if cited.__class__ is str:
        return False, _not_resting(comp.law, cited, on), (), None
    reasons = []
    for when in rule.when:
        failed, row = _failed_alternative(comp, when, person, on)
        if failed is None:
            return True, _HOLDS, cited, row
        _say_once(reasons, failed)
    return False, "; or ".join(reasons), cited, None


def _weigh_briefly(comp: Compiled, rule: Rule, person, on):
    """``_weigh`` without reasons: what is quickly ruled out first (another category, a day before a cited
    instrument took effect), then the tests, then the citations of a rule whose tests hold."""
    if (rule.categories is not None and person.category not in rule.categories) or on < rule.resting_from:
        return False, _FAILED, (), None
    for when in rule.when:
        failed, row = _failed_alternative(comp, when, person, on, False)
        if failed is None:
            cited = _cited(comp, rule, on)
            return (False, _FAILED, (), None) if cited.__class__ is str else (True, _HOLDS, cited, row)
    return False, _FAILED, (), None


_FAILED = "does not apply"
_HOLDS = "every condition holds"


def _say_once(reasons: list, failed: str) -> None:
    """Add why one alternative fails to ``reasons``, each failed condition said once and in order: a clause on an
    attribute already said ("category is platform, not employee") takes the values wanted here as well
    ("category is platform, not employee|part-time")."""
    head, sep, wanted = failed.rpartition(", not ")
    for i, said in enumerate(reasons):
        said_head, said_sep, said_wanted = said.rpartition(", not ")
        if sep and said_sep and said_head == head:
            values = dict.fromkeys(said_wanted.split("|") + wanted.split("|"))
            reasons[i] = f"{head}, not {'|'.join(values)}"
            return
    if failed not in reasons:
        reasons.append(failed)


def _cited(comp: Compiled, rule: Rule, on):
    """The rule's citations resolved on ``on``, or the first one not in force then (a rule rests on all of them)."""
    found = []
    for ref in rule.cite:
        cit = _resolve(comp, ref, on)
        if cit is None:
            return ref
        found.append(cit)
    return tuple(found)


def _failed_alternative(comp: Compiled, when: dict, person, on, verbose: bool = True):
    """(why it fails or None, the coverage row it matched) for one table of tests."""
    start, end = when.get("from"), when.get("to")
    if start is not None and on < start:
        return (f"the rule applies from {start.isoformat()}" if verbose else _FAILED), None
    if end is not None and on > end:
        return (f"the rule applies until {end.isoformat()}" if verbose else _FAILED), None
    failed = _failed_test(comp, when, person, on, verbose)
    if failed:
        return failed, None
    table_id = when.get("covered_by")
    if table_id is None:
        return None, None
    row = comp.tables[table_id].covering_row(person, on)
    if row is None:
        if not verbose:
            return _FAILED, None
        return (f"no row of {table_id} covers province {person.province or '(not given)'}, industry "
                f"{person.industry or '(not given)'}, platform {person.platform or '(not given)'} "
                f"on {on.isoformat()}"), None
    return None, row


def _resolve(comp: Compiled, ref: str, on):
    """The citation on ``on``, or None; a pinned version must itself be in force for a rule to rest on it."""
    law = comp.law
    cit = law.resolve(ref, on)
    if cit is not None and "@" in ref and "@" in ref.split(":", 1)[0].split("#", 1)[0]:
        if not law.version(cit.instrument, cit.version).in_force_on(on):
            return None
    return cit


def _not_resting(law, ref: str, on) -> str:
    """Why a citation gives the rule nothing to rest on that day: not in force, or its text then not held."""
    inst_id = law.cited_instruments([ref]).pop()
    version = law.instruments[inst_id].version_on(on) if inst_id in law.instruments else None
    if version is not None and version.completeness == "summary-only" and "@" not in ref.split(":", 1)[0]:
        return f"{ref}: the text of {inst_id} in force on {on.isoformat()} (version {version.id}) is not held"
    return f"{ref} is not in force on {on.isoformat()}{_span(law, ref)}"


def _span(law, ref: str) -> str:
    inst_id = law.cited_instruments([ref]).pop()
    inst = law.instruments.get(inst_id)
    if inst is None or not inst.versions:
        return ""
    first = inst.versions[0].effective.isoformat()
    last = inst.versions[-1].repealed
    return f" (in force from {first}" + (f" until {(last - _ONE_DAY).isoformat()})" if last else ")")


def _failed_test(comp: Compiled, when: dict, person, on, verbose: bool = True) -> str | None:
    """Why the attribute tests fail, or None when they all hold: the first test that fails, in this order."""
    failed = _listed_fails(when, person, verbose) or _employers_fails(when.get("employers"), person.employers, verbose)
    if failed:
        return failed
    bounds = when.get("income")
    if bounds is not None:
        failed = _income_fails(comp.law, bounds, person.income, on, verbose)
        if failed:
            return failed
    return (_waiver_fails(when.get("waiver"), person.waiver, verbose)
            or _age_fails(when.get("age"), person.birth, on, verbose)
            or _birthday_month_fails(when.get("birthday_month"), person.birth, on, verbose)
            or _retired_fails(comp, when.get("past_retirement_age"), person, on, verbose)
            or _unknown_fails(when.get("unknown"), person, verbose)
            or _tables_fail(comp, when, person, on, verbose))


def _listed_fails(when: dict, person, verbose: bool) -> str | None:
    """Category, relation, province, industry: the person's value is one the rule lists."""
    for key in ("category", "relation", "province", "industry"):
        allowed = when.get(key)
        if allowed is not None and getattr(person, key) not in allowed:
            if not verbose:
                return _FAILED
            return f"{key} is {getattr(person, key) or 'not given'}, not {'|'.join(allowed)}"
    return None


def _employers_fails(bounds: dict | None, n, verbose: bool) -> str | None:
    """The number of employers is given and within the rule's bounds (both inclusive)."""
    return _count_fails("employers", bounds, n, "not given", verbose)


def _age_fails(bounds: dict | None, birth, on: _dt.date, verbose: bool) -> str | None:
    """The person's age in whole years on ``on`` is within the rule's bounds (both inclusive); a birth not given fails.

    Years count from the month of birth (``age_in_months``): a rule for those
    under 16 does not reach a person whose age is unknown, as an income test
    does not (``unknown = ["birth"]`` is how a rule speaks of them).
    """
    if bounds is None:
        return None
    years = None if birth is None else age_in_months(birth, on) // 12
    return _count_fails("age", bounds, years, "not known (no birth given)", verbose)


def _birthday_month_fails(years: int | None, birth, on: _dt.date, verbose: bool) -> str | None:
    """``on`` falls in the month of the person's birthday of ``years`` (a birth not given fails): the month in which
    an age counted from the birth month is reached, though the birthday itself may fall later in it."""
    if years is None:
        return None
    if birth is not None and age_in_months(birth, on) == 12 * years:
        return None
    if not verbose:
        return _FAILED
    return f"{on.isoformat()} is not in the month of the {years}th birthday" if birth else "birth is not given"


def _retired_fails(comp: Compiled, wanted: bool | None, person, on: _dt.date, verbose: bool) -> str | None:
    """Whether the person is past the statutory retirement age on ``on`` is what the rule asks (unknown fails it)."""
    if wanted is None:
        return None
    past = past_retirement_age(comp.law, person, on)
    if past is not None and past == wanted:
        return None
    if not verbose:
        return _FAILED
    if past is None:
        return "past the statutory retirement age is not known (give sex and birth)"
    if past is False and person.sex is None:  # past it whatever the sex only later: before, it turns on the sex
        return "past the statutory retirement age is not known (give sex): the ages differ by sex"
    return f"past the statutory retirement age is {_truth(past)}, not {_truth(wanted)}"


def _truth(value) -> str:
    """A rule value as written in ``statutes/rules``: true, false, or a word such as on-another-reading."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _count_fails(name: str, bounds: dict | None, n, unknown: str, verbose: bool) -> str | None:
    """A whole number is given and within ``{min, max}`` (both inclusive), or why not."""
    if bounds is None:
        return None
    lo, hi = bounds.get("min"), bounds.get("max")
    if n is not None and (lo is None or n >= lo) and (hi is None or n <= hi):
        return None
    if not verbose:
        return _FAILED
    need = " and ".join(x for x in (f"at least {lo}" if lo is not None else "",
                                    f"at most {hi}" if hi is not None else "") if x)
    return f"{name} is {unknown if n is None else n}, not {need}"


def _waiver_fails(waiver: bool | None, given, verbose: bool) -> str | None:
    """Whether the person agreed to forgo insurance is what the rule asks."""
    if waiver is None or bool(given) == waiver:
        return None
    if not verbose:
        return _FAILED
    return f"waiver is {'not given' if given is None else str(given).lower()}, not {str(waiver).lower()}"


def _unknown_fails(unknown: list | None, person, verbose: bool) -> str | None:
    """A rule for a person who does not say something: at least one of those attributes is not given."""
    if unknown is None or any(getattr(person, k) is None for k in unknown):
        return None
    if not verbose:
        return _FAILED
    given = " and ".join(unknown)
    return f"{given} {'is' if len(unknown) == 1 else 'are'} given; the rule is for a person without"


def _tables_fail(comp: Compiled, when: dict, person, on, verbose: bool) -> str | None:
    """The person's province, industry or platform is in the coverage table the rule names, on that day."""
    for key, attr, field in (("province_in", "province", "province"), ("industry_in", "industry", "industries"),
                             ("platform_in", "platform", "platforms")):
        table_id = when.get(key)
        if table_id is None:
            continue
        table = comp.tables[table_id]
        value = getattr(person, attr)
        if attr == "platform":
            value = table.platform_name(value)
        if value not in table.values_on(field, on):
            if not verbose:
                return _FAILED
            return f"{attr} {value or 'not given'} is not in {table_id} on {on.isoformat()}"
    return None


def income_bound(law, bound, on: _dt.date):
    """A bound of an ``income`` test: a number, or the name of a parameter read on ``on`` (None before its first value)."""
    if isinstance(bound, str):
        entry = law.parameter(bound).entry_on(on)
        return None if entry is None else entry.value
    return bound


def _income_fails(law, bounds: dict, income, on, verbose: bool) -> str | None:
    """Why an ``income = {min, max}`` test fails (min inclusive, max inclusive), or None when it holds.

    An income not given fails the test: a rule for people above a threshold
    does not reach a person whose income is unknown (``unknown = ["income"]``
    is how a rule speaks of them).
    """
    lo, hi = income_bound(law, bounds.get("min"), on), income_bound(law, bounds.get("max"), on)
    holds = income is not None
    if "min" in bounds:
        holds = holds and lo is not None and income >= lo
    if "max" in bounds:
        holds = holds and hi is not None and income <= hi
    if holds:
        return None
    if not verbose:
        return _FAILED
    need = " and ".join(x for x in (f"at least {lo}" if "min" in bounds else "",
                                    f"at most {hi}" if "max" in bounds else "") if x)
    return f"income is {'not given' if income is None else income}, not {need} (yuan a month)"


def _outcome(comp: Compiled, rule: Rule, cited, row, on) -> dict:
    """The scheme's entry from the deciding rule (and coverage row); a summary-only source unsettles it."""
    resolved = list(cited)
    notes = [rule.note] if rule.note else []
    if row is not None:
        for ref in row.source:
            cit = _resolve(comp, ref, on)
            if cit is not None and cit not in resolved:
                resolved.append(cit)
        if row.note:
            notes.append(row.note)
    settled = rule.settled
    summary = sorted({_ref_label(c) for c in resolved if c.completeness == "summary-only"})
    if summary:
        settled = False
        notes.append("Rests on a summary-only source, not statute text: " + ", ".join(summary) + ".")
    entry = {
        "scheme": rule.scheme,
        "status": rule.status,
        "settled": settled,
        "payers": list(rule.payers),
        "citations": [c.as_dict() for c in resolved],
        "notes": " ".join(notes),
        "rule": rule.id,
        "_resolved": resolved,
    }
    wording = []  # a later version's words, quoted beside the citations: a version is never cited before it applies
    for ref in rule.wording:
        cit = comp.law.resolve(ref)
        held_for = comp.law.instrument(cit.instrument).version_on(on)
        wording.append({**cit.as_dict(), "stands_in": held_for.id if held_for else None})
    if wording:
        entry["wording"] = wording
    return entry


def _ref_label(cit) -> str:
    if cit.fact:
        return f"{cit.instrument}#{cit.fact}"
    return cit.label()


def _warnings(law, sources: dict) -> list[str]:
    """A line per cited version that is partial or less than sure, from the version itself (a fact's own
    confidence is its citation's ``fact_confidence``, not what these lines say)."""
    out = []
    for (inst, ver), schemes in sources.items():
        version = law.version(inst, ver)
        if not version.is_gapped:
            continue
        names = ", ".join(dict.fromkeys(schemes))
        out.append(f"{inst} {ver} is {version.completeness} (confidence {version.confidence}); "
                   f"it decides or supports: {names}")
    return out


def quote_text(law, citation: dict) -> str:
    """The words a citation points at: the paragraph, the whole article, or the fact (not statute text)."""
    version = law.version(citation["instrument"], citation["version"])
    if "fact" in citation:
        fact = version.fact(citation["fact"])
        return fact.text if fact else ""
    if "article" in citation and not is_part(citation):
        art = version.article(citation["article"])
        if art is None:
            return ""
        if "paragraph" in citation:
            return "\n".join(art.paragraph_lines(citation["paragraph"]))
        return art.text
    return ""


# -- validation ------------------------------------------------------------------

def validate_rules(law) -> list[str]:
    """Every problem in the eligibility rules and coverage tables, one line each (file: key = value: allowed)."""
    problems: list[str] = []
    file = f"statutes/{RULES_FILE}.toml"
    raw = law.data.get(RULES_FILE)
    if raw is None:
        return [str(DataError(file, "(file)", None, "the eligibility rules are missing"))]
    try:
        vocab = vocabulary.of(law)
    except DataError as exc:
        return [str(exc)]
    statuses, schemes = vocab.statuses, vocab.schemes

    def bad(key, value, allowed, where=file):
        problems.append(str(DataError(where, key, value, allowed)))

    tables = _validated_tables(law, problems)
    for key in raw:
        if key not in ("rule", "unmatched", "addendum"):
            bad(key, None, "expected only [[rule]] and [[addendum]] entries and an [unmatched] table")
    _check_unmatched(raw.get("unmatched", {}), statuses, bad)
    seen_ids: set = set()
    last: dict = {}
    for i, rule in enumerate(raw.get("rule", [])):
        where = f"rule[{i}]" if not isinstance(rule.get("id"), str) else f"rule[{rule['id']}]"
        problems += _validate_rule(law, rule, where, file, tables, seen_ids)
        if rule.get("scheme") in schemes:
            last[rule["scheme"]] = (where, rule)
    for i, addendum in enumerate(raw.get("addendum", [])):
        where = f"addendum[{i}]" if not isinstance(addendum.get("id"), str) else f"addendum[{addendum['id']}]"
        problems += _validate_addendum(law, addendum, where, file, tables, seen_ids)
    _check_defaults(schemes, last, bad)
    return problems


def _validated_tables(law, problems: list) -> dict:
    """Every coverage table checked (its problems added to ``problems``); those sound enough to compile, by id."""
    tables = {}
    for key, body in law.data.items():
        if key.startswith(TABLES_DIR):
            problems += _validate_table(law, key, body)
            meta = body.get("table", {})
            if isinstance(meta, dict) and "id" in meta and isinstance(body.get("row"), list):
                try:
                    tables[meta["id"]] = _compile_table(body)
                except (KeyError, TypeError):
                    pass
    return tables


def _check_unmatched(unmatched: dict, statuses: tuple, bad) -> None:
    """The answer when no rule holds: known keys and a status of the vocabulary."""
    for key in unmatched:
        if key not in UNMATCHED_KEYS:
            bad(f"unmatched.{key}", unmatched[key], "expected one of " + ", ".join(sorted(UNMATCHED_KEYS)))
    if unmatched.get("status", "not-eligible") not in statuses:
        bad("unmatched.status", unmatched.get("status"), "expected " + "|".join(statuses))


def _check_defaults(schemes: tuple, last: dict, bad) -> None:
    """Every scheme of the vocabulary has rules, the last a default that holds for everyone and cites why."""
    for scheme in schemes:
        if scheme not in last:
            bad("rule", scheme, f"scheme {scheme} has no rules; each scheme needs at least its default rule")
            continue
        where, rule = last[scheme]
        if rule.get("when"):
            bad(f"{where}.when", rule.get("when"),
                f"the last rule of {scheme} is its default and must hold for everyone (no when)")
        if not rule.get("cite"):
            bad(f"{where}.cite", rule.get("cite"), f"the default rule of {scheme} must cite why")


def _validate_rule(law, rule: dict, where: str, file: str, tables: dict, seen_ids: set) -> list[str]:
    problems = []

    def bad(key, value, allowed):
        problems.append(str(DataError(file, f"{where}.{key}", value, allowed)))

    vocab = vocabulary.of(law)
    schemes, statuses, payers_allowed = vocab.schemes, vocab.statuses, vocab.payers
    rid = _validate_keys_and_id(rule, RULE_KEYS, f"{schemes[0]}.employee.mandatory", seen_ids, bad)
    if rid is not None and rule.get("scheme") in schemes and not rid.startswith(rule["scheme"] + "."):
        bad("id", rid, f"expected the id to start with its scheme ({rule['scheme']}.)")
    if rule.get("scheme") not in schemes:
        bad("scheme", rule.get("scheme"), "expected one of " + "|".join(schemes))
    if rule.get("status") not in statuses:
        bad("status", rule.get("status"), "expected one of " + "|".join(statuses))
    payers = rule.get("payers", [])
    if not isinstance(payers, list) or any(p not in payers_allowed for p in payers):
        bad("payers", payers, "expected a list of " + "|".join(payers_allowed))
    elif payers != sorted(set(payers), key=payers_allowed.index):
        bad("payers", payers, "expected each payer once, in the order " + ", ".join(payers_allowed))
    if rule.get("status") == "not-eligible" and payers:
        bad("payers", payers, "a not-eligible rule has no payers")
    start, end = _validate_body(law, rule, where, file, tables, bad, problems)
    if start is _BAD:
        return problems
    cite = rule.get("cite", [])
    wording = rule.get("wording", [])
    if not isinstance(wording, list) or not all(isinstance(c, str) and "@" in c.split(":", 1)[0] for c in wording):
        bad("wording", wording, "expected a list of pinned citations such as wiir@2010:2:1")
    else:
        for ref in wording:
            message = _citation_problem(law, ref, start, end)
            if message:
                bad("wording", ref, message)
            elif law.cited_instruments([ref]).isdisjoint(law.cited_instruments(cite)):
                bad("wording", ref, "expected an instrument the rule also cites (the version whose text is not held)")
    return problems


def _validate_addendum(law, addendum: dict, where: str, file: str, tables: dict, seen_ids: set) -> list[str]:
    problems = []

    def bad(key, value, allowed):
        problems.append(str(DataError(file, f"{where}.{key}", value, allowed)))

    _validate_keys_and_id(addendum, ADDENDUM_KEYS, "waiver.interpretation-ii", seen_ids, bad)
    vocab = vocabulary.of(law)
    schemes, statuses, payers_allowed = vocab.schemes, vocab.statuses, vocab.payers
    for key, words in (("schemes", schemes), ("status", statuses), ("payers", payers_allowed)):
        value = addendum.get(key, [])
        if not isinstance(value, list) or any(v not in words for v in value) or (key == "schemes" and not value):
            bad(key, value, "expected a list of " + "|".join(words))
    if not addendum.get("cite"):
        bad("cite", addendum.get("cite"), "an addendum must cite what it adds")
    _validate_body(law, addendum, where, file, tables, bad, problems)
    return problems


_BAD = object()


def _validate_keys_and_id(body: dict, keys: set, example: str, seen_ids: set, bad) -> str | None:
    """Unknown keys, and an id that is dotted, lower-case and unique among rules and addenda; the id if new."""
    for key in body:
        if key not in keys:
            bad(key, body[key], "expected one of " + ", ".join(sorted(keys)))
    bid = body.get("id")
    if not isinstance(bid, str) or not re.match(_RULE_ID, bid):
        bad("id", bid, f"expected a dotted lower-case id such as {example}")
    elif bid in seen_ids:
        bad("id", bid, "rule ids must be unique (rules and addenda alike)")
    else:
        seen_ids.add(bid)
        return bid
    return None


def _validate_body(law, body: dict, where: str, file: str, tables: dict, bad, problems: list) -> tuple:
    """What rules and addenda share: settled, note, the ``when`` tests and the citations in their window.

    Returns the window (start, end) the citations were checked in, or (_BAD, _BAD) when ``cite`` is malformed.
    """
    if not isinstance(body.get("settled", True), bool):
        bad("settled", body.get("settled"), "expected true or false")
    if not isinstance(body.get("note", ""), str):
        bad("note", body.get("note"), "expected a string")
    when = body.get("when", {})
    alternatives = [when] if isinstance(when, dict) else when
    if not isinstance(alternatives, list) or not alternatives or not all(isinstance(w, dict) for w in alternatives):
        bad("when", when, "expected a table of attribute tests, or a list of such tables (any of them)")
        alternatives = []
    for j, alt in enumerate(alternatives):
        problems += _validate_when(alt, where if isinstance(when, dict) else f"{where}.when[{j}]", file, tables,
                                   law)
    cite = body.get("cite", [])
    if not isinstance(cite, list) or not all(isinstance(c, str) for c in cite):
        bad("cite", cite, "expected a list of citation strings such as sil:10:2")
        return _BAD, _BAD
    start, end = _outer_window(alternatives)
    for ref in cite:
        message = _citation_problem(law, ref, start, end)
        if message:
            bad("cite", ref, message)
    return start, end


def _outer_window(alternatives) -> tuple:
    """The earliest start and latest end over the alternatives (None: unbounded)."""
    starts = [w.get("from") for w in alternatives]
    ends = [w.get("to") for w in alternatives]
    start = None if not starts or any(not isinstance(d, _dt.date) for d in starts) else min(starts)
    end = None if not ends or any(not isinstance(d, _dt.date) for d in ends) else max(ends)
    return start, end


def _validate_when(when: dict, where: str, file: str, tables: dict, law=None) -> list[str]:
    """Each attribute test of a rule's ``when`` names a known attribute, values it can take, tables that exist."""
    problems = []
    prefix = where if where.endswith("]") and ".when[" in where else f"{where}.when"

    def bad(key, value, allowed):
        problems.append(str(DataError(file, f"{prefix}.{key}", value, allowed)))

    for key, value in when.items():
        if key not in WHEN_KEYS:
            bad(key, value, "expected one of " + ", ".join(sorted(WHEN_KEYS)))
            continue
        for allowed in _when_test_problems(key, value, tables, law):
            bad(key, value, allowed)
    start, end = when.get("from"), when.get("to")
    if isinstance(start, _dt.date) and isinstance(end, _dt.date) and end < start:
        bad("to", end, f"must not be before from ({start})")
    return problems


def _when_test_problems(key: str, value, tables: dict, law) -> list[str]:
    """What is wrong with one attribute test (``key = value``), as what is allowed; empty when it is sound."""
    listed = {"category": CATEGORIES, "relation": RELATIONS, "province": tuple(PROVINCES), "industry": INDUSTRIES,
              "unknown": PERSON_KEYS}
    if key in listed:
        words = listed[key]
        if not isinstance(value, list) or not value or any(v not in words for v in value):
            return ["expected a non-empty list of " + "|".join(words)]
        return []
    if key in _VALUE_TESTS:
        holds, allowed = _VALUE_TESTS[key]
        return [] if holds(value) else [allowed]
    if key in ("employers", "age"):
        return [] if _bounds(value, _whole_number) else [f"expected {{min = N}} and/or {{max = N}}, whole numbers from "
                                                         f"0 to {_MOST:,}, min not above max"]
    if key == "income":
        return _income_problems(value, law)
    if key in ("covered_by", "province_in", "industry_in", "platform_in"):
        if value not in tables:
            return ["expected the id of a table in statutes/tables: " + (", ".join(sorted(tables)) or "none")]
        return []
    if key in ("from", "to") and (not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)):
        return ["expected a TOML date (YYYY-MM-DD, unquoted)"]
    return []


#: The most a whole-number test may name (employers, years of age): more is a slip, and no 64-bit integer.
_MOST = 10 ** 6


def _whole_number(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _MOST


#: Tests whose value is one of a few kinds: (does the value do, what is allowed).
_VALUE_TESTS = {
    "birthday_month": (_whole_number, "expected a whole number of years"),
    "waiver": (lambda v: isinstance(v, bool), "expected true or false"),
    "past_retirement_age": (lambda v: isinstance(v, bool) or v == ON_ANOTHER_READING,
                            f'expected true, false or "{ON_ANOTHER_READING}"'),
}


def _yuan_or_parameter(v) -> bool:
    return ((isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 10 ** 9)  # NaN fails too
            or (isinstance(v, str) and bool(v)))


def _bounds(value, sound) -> bool:
    """``{min = X}`` and/or ``{max = X}``, each bound ``sound``, and a range some value can meet (min not above max)."""
    if not (isinstance(value, dict) and value and set(value) <= {"min", "max"} and all(sound(v) for v in value.values())):
        return False
    lo, hi = value.get("min"), value.get("max")
    return not (isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi)


def _income_problems(value, law) -> list[str]:
    """An income test bounds monthly yuan by numbers or by parameters the law (or an overlay) holds."""
    if not _bounds(value, _yuan_or_parameter):
        return ["expected {min = X} and/or {max = X}: yuan a month (0 to 1,000,000,000) or a parameter name, "
                "min not above max"]
    return [f"{v} is not a parameter (an overlay's own [parameter.NAME] counts)"
            for v in value.values() if isinstance(v, str) and v not in law.parameters]


def _citation_problem(law, ref: str, start, end) -> str | None:
    """Does ``ref`` resolve on every day of [start, end] on which its instrument is in force, and on one at least?"""
    inst_id = law.cited_instruments([ref]).pop()
    inst = law.instruments.get(inst_id)
    if inst is None:
        return f"no instrument {inst_id} in statutes/ (yet)"
    days = [v.effective for v in inst.versions]
    if start is not None:
        days.append(start)
    days = [d for d in days if (start is None or d >= start) and (end is None or d <= end)]
    in_force = False
    try:
        if "@" in ref.split(":", 1)[0].split("#", 1)[0].split("/", 1)[0]:
            law.resolve(ref)
            return None
        for day in days:
            if law.resolve(ref, day) is not None:
                in_force = True
    except DataError as exc:
        return exc.allowed
    if not in_force:
        return "never in force within the rule's dates"
    return None


def _validate_table(law, key: str, body: dict) -> list[str]:
    """A coverage table: its [table] header, and rows each naming a province, industries, platforms, dates, sources."""
    problems = []
    file = f"statutes/{key}.toml"

    def bad(k, value, allowed):
        problems.append(str(DataError(file, k, value, allowed)))

    meta = body.get("table")
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
        bad("table.id", None, "every table file needs [table] with an id")
        return problems
    _check_table_header(meta, body, bad)
    rows = body.get("row", [])
    if not isinstance(rows, list) or not rows:
        bad("row", None, "expected at least one [[row]]")
        return problems
    for i, row in enumerate(rows):
        _check_table_row(law, row, f"row[{i}]", bad)
    return problems


def _check_table_header(meta: dict, body: dict, bad) -> None:
    for k in meta:
        if k not in TABLE_KEYS:
            bad(f"table.{k}", meta[k], "expected one of " + ", ".join(sorted(TABLE_KEYS)))
    names = meta.get("industry_names", {})
    if not isinstance(names, dict) or any(v not in INDUSTRIES for v in names.values()):
        bad("table.industry_names", names, "expected Chinese name = industry id (" + "|".join(INDUSTRIES) + ")")
    for k in body:
        if k not in ("table", "row"):
            bad(k, None, "expected only [table] and [[row]] entries")


def _check_table_row(law, row: dict, where: str, bad) -> None:
    """Who the row covers (province, industries, platforms), from when to when, and the sources that say so."""
    for k in row:
        if k not in ROW_KEYS:
            bad(f"{where}.{k}", row[k], "expected one of " + ", ".join(sorted(ROW_KEYS)))
    if row.get("province") not in PROVINCES:
        bad(f"{where}.province", row.get("province"), "expected a province id: " + ", ".join(PROVINCES))
    inds = row.get("industries", [])
    if not isinstance(inds, list) or not inds or any(v not in INDUSTRIES for v in inds):
        bad(f"{where}.industries", inds, "expected a non-empty list of " + "|".join(INDUSTRIES))
    plats = row.get("platforms", [])
    if not isinstance(plats, list) or not plats or not all(isinstance(p, str) and p.strip() == p and p for p in plats):
        bad(f"{where}.platforms", plats, "expected a non-empty list of platform names, exactly as the source gives them")
    start, end = _check_row_dates(row, where, bad)
    if row.get("confidence", "high") not in CONFIDENCE:
        bad(f"{where}.confidence", row.get("confidence"), "expected one of " + "|".join(CONFIDENCE))
    source = row.get("source", [])
    if not isinstance(source, list) or not source:
        bad(f"{where}.source", source, "expected a list of citations of the sources that say so")
        return
    for ref in source:
        message = _citation_problem(law, ref, start, end)
        if message:
            bad(f"{where}.source", ref, message)


def _check_row_dates(row: dict, where: str, bad) -> tuple:
    """A row's from (required) and to as TOML dates in order; returns them, each None where it is not a date."""
    start, end = row.get("from"), row.get("to")
    for k, v in (("from", start), ("to", end)):
        if v is not None and (not isinstance(v, _dt.date) or isinstance(v, _dt.datetime)):
            bad(f"{where}.{k}", v, "expected a TOML date (YYYY-MM-DD, unquoted)")
    if not isinstance(start, _dt.date):
        bad(f"{where}.from", start, "is required: the first day the row covers")
    elif isinstance(end, _dt.date) and end < start:
        bad(f"{where}.to", end, f"must not be before from ({start})")
    return (start if isinstance(start, _dt.date) else None), (end if isinstance(end, _dt.date) else None)
