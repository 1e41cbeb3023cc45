"""Statutory retirement age and month, the flexible window and the minimum contribution years, as in force on a date.

The law is data. ``statutes/rules/retirement.toml`` says which track a person
follows on a date (the first matching assignment whose cited instruments are
in force); ``statutes/parameters/retirement.toml`` gives each track's ages,
first delayed cohort, step and cap with their articles. This module only
does month arithmetic on those numbers (办法 第一条: one month of delay per
``step`` birth months from the first cohort, at most ``cap``) and collects
the citations of every value it used.

An answer is worked out in two steps, each plain code: ``retirement_plan``
finds what does not depend on the birth month (the assignment in force, its
track's numbers, which parameter values are in force, the citations), and
``retirement_core`` does the month arithmetic of one birth under that plan.
Nothing is remembered between calls. A result depends on few things: the
category group, sex, birth month, female track and the interval of dates
over which the law is constant; ``retirement_key`` declares them (and
``plan_key`` the plan's part), so a batch may cache on them
(``socins_cli.batch``).
"""

from __future__ import annotations

import bisect
import datetime as _dt

import msgspec
from msgspec.structs import replace

from socins_cli.dates import Month, parse_date, today
from socins_cli.errors import DataError, InputError
from socins_cli.law.load import Law, instrument_of
from socins_cli.law.coverage import retirement_cited, source_warnings
from socins_cli.person import ATTRIBUTES, Person, make_person
from socins_cli.law.model import citation_label

RULES_FILE = "rules/retirement"
UNSET = "unset"

#: Columns of a flat (CSV/TSV) result row, in order.
FLAT_COLUMNS = (
    "as_of", "category", "relation", "sex", "birth", "female_track", "rule", "track", "original_age",
    "statutory_age", "statutory_age_years", "statutory_age_months", "delay_months", "retirement_month",
    "earliest_flexible_month", "latest_flexible_month", "minimum_contribution_years", "settled",
    "citations", "notes", "alternative_track", "alternative_statutory_age", "alternative_retirement_month",
    "alternative_earliest_flexible_month", "alternative_latest_flexible_month",
    "alternative_minimum_contribution_years", "warnings",
)


# -- the rules, read once per Law ----------------------------------------------------------------

class _Rules(msgspec.Struct, frozen=True):
    groups: dict            # "employee" / "platform/labor" -> group id
    default_category: str
    tracks: dict            # track id -> {original_age, first_cohort, step, cap, table, label}
    assignments: tuple      # raw assignment tables, in order
    window: dict
    minimum: str
    text: dict
    boundaries: tuple       # dates on which anything this engine reads may change


def _rules(law: Law) -> _Rules:
    raw = law.required(RULES_FILE, "is required by socins retirement")
    groups = {}
    for group, members in (raw.get("group") or {}).items():
        for member in members:
            groups[member] = group
    assignments = tuple(raw.get("assignment") or ())
    tracks = dict(raw.get("track") or {})
    window = dict(raw.get("window") or {})
    minimum = (raw.get("minimum") or {}).get("default", "minimum_contribution_years")
    return _Rules(
        groups=groups,
        default_category=raw.get("default_category", "employee"),
        tracks=tracks,
        assignments=assignments,
        window=window,
        minimum=minimum,
        text=dict(raw.get("text") or {}),
        boundaries=_boundaries(law, assignments, tracks, window, minimum),
    )


def _boundaries(law: Law, assignments: tuple, tracks: dict, window: dict, minimum: str) -> tuple:
    """The dates on which anything this engine reads may change, and no others.

    An answer reads the date asked about only through the instruments its
    rules and parameters cite (which version is in force, whether one is
    adopted but pending), the parameters' start dates and the assignments'
    ``until``. Between two of these dates every answer is the same, so a
    batch's keys share one interval; an instrument no retirement
    rule cites (a medical or injury text) does not split it.
    """
    names = {minimum, *window.values()}
    refs = []
    for track in tracks.values():
        names.update(track.get(k) for k in ("original_age", "first_cohort", "step", "cap"))
        if track.get("table"):
            refs.append(track["table"])
    for a in assignments:
        refs += a.get("cite", [])
        refs += [a["minimum_since"]] if a.get("minimum_since") else []
        names.add(a.get("minimum"))
    dates = {a["until"] for a in assignments if "until" in a}
    for name in sorted(n for n in names if n):
        param = law.parameter(name)
        dates.update(v.start for v in param.values)
        refs += [ref for v in param.values for ref in v.cite]
    for inst_id in {instrument_of(ref) for ref in refs}:
        for days in law.version_dates(inst_id):
            dates.update(d for d in days if d)
    return tuple(sorted(dates))


def validate_retirement(law: Law) -> list[str]:
    """What the assignments name that is not there: a track, a parameter, a text, an instrument (one line each)."""
    raw = law.data.get(RULES_FILE)
    if raw is None:
        return []
    file = f"statutes/{RULES_FILE}.toml"
    tracks, texts = raw.get("track") or {}, raw.get("text") or {}
    problems = []
    for i, a in enumerate(raw.get("assignment") or ()):
        named = [("track", a.get("track"), tracks, "a [track.ID]"), ("alternative", a.get("alternative"), tracks,
                                                                     "a [track.ID]"),
                 ("minimum_missing", a.get("minimum_missing"), texts, "a [text] key"),
                 ("minimum_note", a.get("minimum_note"), texts, "a [text] key"),
                 ("minimum", a.get("minimum"), law.parameters, "a parameter name"),
                 ("minimum_since", a.get("minimum_since") and instrument_of(a["minimum_since"]), law.instruments,
                  "an instrument reference")]
        for key, value, known, what in named:
            if value and value not in known:
                problems.append(str(DataError(file, f"assignment[{i}].{key}", value, f"expected {what}")))
    return problems


def _rules_of(law: Law) -> _Rules:
    """The retirement rules of ``law``, read once per Law object (the law keeps them)."""
    return law.view("retirement", _rules)


# -- public calls ----------------------------------------------------------------------------------

def retirement_key(person: Person, law: Law) -> tuple:
    """What the answer depends on: group, whether the category was defaulted, sex, birth, track, law interval."""
    rules = _rules_of(law)
    return _key(rules, person, person.as_of or today())


def retirement_key_a(person: Person, law: Law) -> tuple:
    """The half of the key read from category, relation and as_of: (group, defaulted, law interval)."""
    group, defaulted, interval = _group_part(_rules_of(law), person, person.as_of or today())
    return (group, defaulted, interval)


def retirement_key_b(person: Person) -> tuple:
    """The half of the key read from sex, birth and female_track."""
    return (person.sex, person.birth, person.female_track)


def plan_key(person: Person, law: Law) -> tuple:
    """What ``retirement_plan`` depends on: the key without the birth month."""
    group, defaulted, interval = _group_part(_rules_of(law), person, person.as_of or today())
    return (group, defaulted, person.sex, person.female_track, interval)


def _group_part(rules: _Rules, person: Person, on: _dt.date) -> tuple:
    category = person.category
    defaulted = category is None
    if defaulted:
        category = rules.default_category
    member = f"{category}/{person.relation}" if person.relation else category
    group = rules.groups.get(member, rules.groups.get(category))
    return group, defaulted, bisect.bisect_right(rules.boundaries, on)


def _key(rules: _Rules, person: Person, on: _dt.date) -> tuple:
    group, defaulted, interval = _group_part(rules, person, on)
    return (group, defaulted, person.sex, person.birth, person.female_track, interval)


def retirement(law: Law, person: Person, as_of: _dt.date | str | None = None) -> dict:
    """The retirement answer for one person as the law stands on ``as_of`` (default: the person's, else today).

    The returned dict is JSON-ready (see CONTRACT.md); worked out afresh at
    every call.
    """
    on = parse_date(as_of, "as_of") if as_of is not None else (person.as_of or today())
    if on != person.as_of:
        person = replace(person, as_of=on)
    out = {"as_of": on.isoformat(), "person": person.as_dict()}
    out.update(retirement_core(law, person))
    lines = source_warnings(law, retirement_cited(out))  # the partial sources it rests on, as check's warnings say
    if lines:
        out["warnings"] = lines
    return out


def _asked_on(person: Person) -> _dt.date:
    """The date a person is asked about, once the attributes an answer needs are there."""
    on = person.as_of or today()
    if person.sex is None:
        raise InputError("sex", None, "is required: male|female")
    _require_birth(person.birth)
    if person.birth.index > Month.index_of(on):
        raise InputError("birth", str(person.birth), f"must not be after as_of {on.isoformat()}")
    return on


def _require_birth(birth: Month | None) -> None:
    if birth is None:
        raise InputError("birth", None, "is required: YYYY-MM")


def retirement_core(law: Law, person: Person, plan: _Plan | None = None) -> dict:
    """The answer without its echo (``as_of``, ``person``), on the person's as_of.

    ``plan`` is ``retirement_plan(law, person)`` when the caller has it
    already (a batch holds one per ``plan_key``); the answer is the same.
    """
    _asked_on(person)
    if plan is None:
        plan = retirement_plan(law, person)
    if plan.require is not None:
        raise InputError(*plan.require)
    if plan.core is not None:
        return plan.core
    return _for_birth(plan, person.birth)


def retirement_plan(law: Law, person: Person) -> _Plan:
    """What the answer is for everyone of this person's group, sex and female track on their date, whatever their birth."""
    on = person.as_of or today()
    rules = _rules_of(law)
    group, defaulted, _ = _group_part(rules, person, on)
    return _make_plan(law, rules, group, defaulted, person.sex, person.female_track, on)


def statutory_track(law: Law, person: Person, on: _dt.date) -> _Track | None:
    """The track ``retirement_plan`` would answer the person on (the same for every birth of one ``plan_key``),
    chosen alone, without its citations and notes (a tenth of its time); None where no rule gives a track or a
    rule needs an attribute not given."""
    return statutory_tracks(law, person, on)[0]


def statutory_tracks(law: Law, person: Person, on: _dt.date) -> tuple:
    """(``statutory_track``, the ``OtherReading`` the answer lists in ``alternatives`` or None, the ``Superseded``
    law's tracks where a proposal assigns the track or None), chosen together; ``months_of`` reads them for a birth."""
    rules = _rules_of(law)
    group, _, _ = _group_part(rules, person, on)
    a = _choose(law, rules, group, person.sex, person.female_track, on, _Answer())
    track, other = _tracks_of_assignment(law, rules, a, on)
    superseded = None
    if track is not None and a.get("proposal_from"):
        law_tracks = _tracks_of_assignment(law, rules, _choose(law, rules, group, person.sex, person.female_track,
                                                               on, _Answer(), skip=a), on)
        superseded = Superseded(*law_tracks, a["proposal_from"]) if law_tracks[0] is not None else None
    return track, other, superseded


def _tracks_of_assignment(law: Law, rules: _Rules, a: dict | None, on: _dt.date) -> tuple:
    """(the assignment's track, its ``OtherReading`` or None); Nones where it gives no track."""
    if a is None or a.get("require") or not a.get("track"):
        return None, None
    other = None
    if a.get("alternative"):
        alt, _, _, start, _ = _alternative_of(law, rules, a, on)
        other = OtherReading(alt, start)
    return _track(law, rules, a["track"], on), other


def month_on_track(track: _Track | None, birth: Month) -> int | None:
    """The statutory retirement month (``Month.index``) of a birth on a track, as ``retirement_core`` gives it."""
    if track is None:
        return None
    born = birth.index
    return born + track.original_months + track.delay_at(born)


class OtherReading(msgspec.Struct, frozen=True):
    """The other track an assignment names (``alternative``) where the texts leave the track open, and the
    day from which it is a reading (``alternative_from``: a month before it was governed by the text then in force)."""

    track: _Track
    start: _dt.date | None = None


class Superseded(msgspec.Struct, frozen=True):
    """The law's own tracks where a proposal (a reform overlay) assigns the track from a date (``proposal_from``).

    A proposal that lowers the age can give a month before its own date; the
    proposal does not say how it treats that person (``months_of``).
    """

    track: _Track
    other: OtherReading | None
    start: _dt.date


def months_of(tracks: tuple, birth: Month) -> tuple | None:
    """(the month past the statutory age on every reading, the month on another reading or None) for a birth, from
    ``statutory_tracks``; None where there is no month.

    Under a proposal whose month for this birth falls before the proposal's
    date and differs from the law's: the law's answer where the law's month
    too falls before that date (the proposal does not reach back); otherwise
    the law's month, with the proposal's date as the other reading (she may
    retire from it, or keeps the law's age: ``_for_birth`` says it is open).
    """
    track, other, superseded = tracks
    month = month_on_track(track, birth)
    if month is None:
        return None
    if superseded is not None:
        start = Month.index_of(superseded.start)
        law_month = month_on_track(superseded.track, birth)
        if month < start and law_month != month:
            if law_month < start:
                return law_month, month_on_other_reading(superseded.other, birth)
            return law_month, start
    return month, month_on_other_reading(other, birth)


def month_on_other_reading(other: OtherReading | None, birth: Month) -> int | None:
    """The retirement month of a birth on the other reading, as ``retirement_core`` lists it in ``alternatives``
    (None where there is none, or where that month falls before the reading starts)."""
    if other is None:
        return None
    month = month_on_track(other.track, birth)
    if other.start is not None and Month.from_index(month).first_day() < other.start:
        return None
    return month


def retirement_row(law: Law, row: dict) -> dict:
    """One batch row (attribute names of the contract as keys) normalised and answered; InputError if bad.

    Keys that are not person attributes are ignored here; the batch writer
    carries them into the output row.
    """
    fields = {k: row[k] for k in ATTRIBUTES if k in row}
    return retirement(law, make_person(**fields))


def flatten(result: dict, label=citation_label) -> dict:
    """A result as one flat row for CSV/TSV (columns ``FLAT_COLUMNS``); ``label(citation)`` writes a citation."""
    person = result.get("person", {})
    age = result.get("statutory_age")
    original = result.get("original_age")
    flat = {
        "as_of": result.get("as_of"),
        "category": person.get("category"),
        "relation": person.get("relation"),
        "sex": person.get("sex"),
        "birth": person.get("birth"),
        "female_track": person.get("female_track"),
        "rule": result.get("rule"),
        "track": result.get("track"),
        "original_age": original["years"] if original else None,
        "statutory_age": format_age(age) if age else None,
        "statutory_age_years": age["years"] if age else None,
        "statutory_age_months": age["months"] if age else None,
        "delay_months": result.get("delay_months"),
        "retirement_month": result.get("retirement_month"),
        "earliest_flexible_month": result.get("earliest_flexible_month"),
        "latest_flexible_month": result.get("latest_flexible_month"),
        "minimum_contribution_years": result.get("minimum_contribution_years"),
        "settled": result.get("settled"),
        "citations": [label(c) for c in result.get("citations", [])],
        "notes": result.get("notes", []),
    }
    # the other reading's track, age and month (a female cadre's, say), blank for the many with none
    others = result.get("alternatives")
    flat.update(_alternative_columns(others) if others else _NO_ALTERNATIVE)
    flat["warnings"] = result.get("warnings")  # what stderr says of the answer (a date after the last review), as check's
    return flat


def _alternative_columns(others: list) -> dict:
    """The ``alternative_*`` columns of the other readings ``others`` (a list of one, in the data as it stands)."""
    return {
        "alternative_track": [a["track"] for a in others],
        "alternative_statutory_age": [format_age(a["statutory_age"]) for a in others],
        "alternative_retirement_month": [a["retirement_month"] for a in others],
        # the other reading's window and minimum, as JSON's alternatives give them (blank where it has none)
        **{f"alternative_{k}": _alternative_cells(others, k) for k in (
            "earliest_flexible_month", "latest_flexible_month", "minimum_contribution_years")},
    }


#: The ``alternative_*`` columns of an answer with no other reading: all blank.
_NO_ALTERNATIVE = dict.fromkeys(c for c in FLAT_COLUMNS if c.startswith("alternative_"))


def _alternative_cells(others, key: str) -> list[str] | None:
    """One text per other reading of ``key`` (``""`` where it has none); None when none has a value."""
    values = [a.get(key) for a in others]
    if all(v is None for v in values):
        return None
    return ["" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in values]


def format_age(age: dict) -> str:
    return f"{age['years']}y{age['months']}m"


def age_text(months: int) -> str:
    """An age as the annex tables print it: ``60岁1个月``, ``63岁``."""
    years, rest = divmod(months, 12)
    return f"{years}岁{rest}个月" if rest else f"{years}岁"



# -- the computation ---------------------------------------------------------------------------------
#
# An answer has two parts. What depends only on the attributes other than birth and on the date asked
# about (the assignment, its notes and citations, each track's numbers, which parameter values are in
# force) is a ``_Plan`` (``_make_plan``); the month arithmetic of one birth, and the notes and citations
# that follow from the retirement month, are ``_for_birth``.

class _Answer:
    """Citations and notes gathered while answering, in order, without repeats."""

    def __init__(self, refs=(), notes=()):
        self.refs: dict[str, None] = dict.fromkeys(refs)  # a dict keeps the order and each once
        self.notes: list[str] = list(notes)
        self.pending: list[dict] = []  # instruments adopted but not yet in force that an assignment needs

    def cite(self, refs) -> None:
        self.refs.update(dict.fromkeys(refs))

    def note(self, text: str | None) -> None:
        if text and text not in self.notes:
            self.notes.append(text)


def _resolve_all(law: Law, refs, on: _dt.date) -> list[dict]:
    out = []
    for ref in dict.fromkeys(refs):
        c = law.resolve(ref, on)
        if c is not None:
            out.append(c.as_dict())
    return out


def _in_force(law: Law, refs, on: _dt.date) -> bool:
    return all(law.resolve(ref, on) is not None for ref in refs)


def _values_in_force(law: Law, name: str | None, on: _dt.date) -> tuple:
    """A parameter's values whose cited instruments are in force on ``on``, in the data's order.

    A value citing an instrument not yet (or no longer) in force on the date
    asked about is not the law that day, whatever date it is read for.
    """
    if not name:
        return ()
    return tuple(v for v in law.parameter(name).values if _in_force(law, v.cite, on))


def _value_at(values: tuple, key_date: _dt.date):
    """The value for ``key_date`` among ``values`` (values apply from their start date); None before the first."""
    for value in reversed(values):
        if value.start <= key_date:
            return value
    return None


def _matches(a: dict, group, sex, female_track) -> bool:
    if a.get("group") not in (None, group):
        return False
    sexes = a.get("sex")
    if sexes is not None and sex not in ([sexes] if isinstance(sexes, str) else sexes):
        return False
    tracks = a.get("female_track")
    if tracks is not None and (female_track or UNSET) not in tracks:
        return False
    return True


def _pending(law: Law, refs, on: _dt.date) -> list[dict]:
    """Instruments cited by ``refs`` that are adopted by ``on`` but not yet in force."""
    out = []
    for inst_id in dict.fromkeys(instrument_of(ref) for ref in refs):  # in citation order, not a set's
        inst = law.instruments.get(inst_id)
        if inst is None or inst.version_on(on) is not None:
            continue
        for v in inst.versions:
            if v.adopted and v.adopted <= on < v.effective:
                out.append({"title": inst.title_zh, "instrument": inst.id,
                            "adopted": v.adopted.isoformat(), "effective": v.effective.isoformat()})
    return out


def _choose(law: Law, rules: _Rules, group, sex, female_track, on: _dt.date, ans: _Answer,
            skip: dict | None = None) -> dict | None:
    """The first matching assignment in force (it may ``require`` an attribute instead of answering); ``skip``: the
    one a proposal adds, to find the law's own."""
    for a in rules.assignments:
        if a is skip or not _matches(a, group, sex, female_track):
            continue
        if "until" in a and on >= a["until"]:
            continue
        cites = a.get("cite", [])
        if not _in_force(law, cites, on):
            for p in _pending(law, cites, on):
                ans.note(rules.text.get("pending", "").format(**p))
                ans.pending.append(p)
            continue
        return a
    return None


class _Track(msgspec.Struct, frozen=True):
    """One track's numbers in force on a date: original age, first delayed cohort, step and cap."""

    track: str
    label: str
    original_months: int
    first_cohort: Month | None
    first_index: int | None       # the first cohort's ``Month.index``
    step: int | None
    cap: int | None
    refs: tuple
    delay_from: _dt.date | None = None  # the day the first cohort's value applies from (办法 art. 1: 2025-01-01)

    def delay_at(self, born: int) -> int:
        """办法 第一条: one month of delay per ``step`` birth months from the first cohort, at most ``cap``.

        ``born`` is the birth month's index (``Month.index``).
        """
        if self.first_index is None or born < self.first_index:
            return 0
        return min((born - self.first_index) // self.step + 1, self.cap)


def _track(law: Law, rules: _Rules, track_id: str, on: _dt.date) -> _Track:
    track = rules.tracks.get(track_id)
    if track is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", "track", track_id, "no such track")
    original = _value_at(_values_in_force(law, track.get("original_age"), on), on)
    if original is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", f"track.{track_id}.original_age",
                        track.get("original_age"), f"has no value in force on {on.isoformat()}")
    refs = list(original.cite)
    first = _value_at(_values_in_force(law, track.get("first_cohort"), on), on)
    first_cohort = step = cap = None
    if first is not None:
        step = _value_at(_values_in_force(law, track.get("step"), on), on)
        cap = _value_at(_values_in_force(law, track.get("cap"), on), on)
        if step is None or cap is None:
            raise DataError(f"statutes/{RULES_FILE}.toml", f"track.{track_id}", track_id,
                            "a first cohort needs a step and a cap in force on the same day")
        first_cohort = Month.parse(first.value, "first_cohort")
        refs += [*first.cite, *step.cite, *cap.cite]
        if track.get("table"):
            refs.append(track["table"])
    return _Track(track=track_id, label=track.get("label", track_id), original_months=round(original.value * 12),
                  first_cohort=first_cohort, first_index=None if first_cohort is None else first_cohort.index,
                  step=None if step is None else step.value,
                  cap=None if cap is None else cap.value, refs=tuple(refs),
                  delay_from=None if first is None else first.start)


class _Plan(msgspec.Struct, frozen=True):
    """A person's answer as far as it does not depend on birth (``retirement_plan``)."""

    core: dict | None = None       # the whole answer, when there is no track (so no month) in it
    require: tuple | None = None   # InputError arguments, when the rule needs an attribute not given
    rule: str = "none"
    settled: bool = False
    track: _Track | None = None
    alternative: _Track | None = None
    alternative_citation: str | None = None
    alternative_citations: tuple = ()
    refs: tuple = ()               # the rule's and the track's citations, in order
    unlisted_refs: tuple = ()      # the same without the annex tables, for a birth the tables do not list
    listed: tuple | None = None    # (first, last) birth index the track's annex table lists; None: no such table
    alternative_unlisted: tuple = ()   # the alternative's (citation, citations, refs) for a birth its table lacks
    alternative_listed: tuple | None = None
    notes: tuple = ()              # the notes that come before those naming a month
    open: tuple = ()               # (question, note) the texts leave open, each noted where it arises
    open_at: int = 0               # where in ``notes`` the open questions' notes go
    alternative_from: _dt.date | None = None  # the alternative is a reading only for a retirement from this day
    alternative_from_of: tuple = ()  # (title, instrument) of the text that starts it
    first_rule_day: _dt.date | None = None  # the first day an encoded text gave this person an age at all
    pending: tuple = ()            # (effective date, instrument) adopted, not yet in force, that would answer
    minimum: tuple = ()            # the minimum contribution years' values in force on the date asked about
    minimum_missing: str | None = None  # the assignment's own note where no value applies (``minimum_missing``)
    minimum_since: _dt.date | None = None  # no minimum for a pension age reached before this day (``minimum_since``)
    minimum_note: str | None = None  # the assignment's note on how the minimum is read, where one applies
    window: bool = False           # whether the flexible window is in force on the date asked about
    early: tuple = ()              # the flexible window's values in force (early and late), when it is
    late: tuple = ()
    sources: dict = msgspec.field(default_factory=dict)  # every reference the answer may cite -> its citation, or None
    text: dict = msgspec.field(default_factory=dict)  # the rules' texts of notes (``[text]``)
    proposal_from: _dt.date | None = None  # a proposal assigns the track from this day (a reform overlay's date)
    superseded: _Plan | None = None  # the law's own plan then: for a month the proposal gives before its date


def _make_plan(law: Law, rules: _Rules, group, defaulted: bool, sex, female_track, on: _dt.date,
               skip: dict | None = None) -> _Plan:
    ans = _Answer()
    text = rules.text
    if defaulted:
        ans.note(text.get("category_default"))
    a = _choose(law, rules, group, sex, female_track, on, ans, skip)
    if a is not None and a.get("require"):
        return _Plan(require=(a["require"], None, a.get("require_note", "is required")))
    result = {
        "rule": "none", "track": None, "track_label": None, "original_age": None, "statutory_age": None,
        "delay_months": None, "retirement_month": None, "earliest_flexible_month": None,
        "latest_flexible_month": None, "minimum_contribution_years": None, "settled": False,
    }
    if a is None:
        ans.note(text.get("no_rule", "").format(group=group))
        return _Plan(core=_finish(law, result, ans, on))
    result["rule"] = a.get("rule", "none")
    result["settled"] = bool(a.get("settled", False))
    ans.cite(a.get("cite", []))
    open_at = len(ans.notes)
    ans.note(a.get("note"))
    if female_track and a.get("female_track") is None:
        ans.note(text.get("ignored", "").format(field="female_track", value=female_track))
    if not a.get("track"):
        return _Plan(core=_finish(law, result, ans, on))

    t = _track(law, rules, a["track"], on)
    ans.cite(t.refs)
    minimum, since_day = _minimum_of(law, rules, a, on)
    window = _value_at(_values_in_force(law, rules.window.get("early_max_months"), on), on) is not None
    early = _values_in_force(law, rules.window.get("early_max_months"), on) if window else ()
    late = _values_in_force(law, rules.window.get("late_max_months"), on) if window else ()
    alt, cited, alt_citations, alt_from, alt_from_of = _alternative_of(law, rules, a, on)
    # Every reference the answer may cite, resolved on the date asked about: the birth picks among them.
    refs = [*ans.refs, *(r for v in (*minimum, *early, *late) for r in v.cite), *(alt.refs if alt else ())]
    sources = {}
    for ref in dict.fromkeys(refs):
        c = law.resolve(ref, on)
        sources[ref] = None if c is None else c.as_dict()
    listed, unlisted = _births_listed(law, ans.refs, on)
    alt_listed, alt_refs = _births_listed(law, alt.refs, on) if alt else (None, ())
    # For a birth the alternative's table lacks: the note names its first other reference instead.
    alt_unlisted = (alt_refs[0], tuple(_resolve_all(law, alt_refs, on)), alt_refs) if alt_listed is not None else ()
    superseded = None
    if a.get("proposal_from"):  # the law's own plan, for a month the proposal gives before its date
        superseded = _make_plan(law, rules, group, defaulted, sex, female_track, on, skip=a)
        superseded = superseded if superseded.track is not None else None
    return _Plan(rule=result["rule"], settled=result["settled"], track=t, alternative=alt,
                 alternative_citation=cited, alternative_citations=alt_citations, refs=tuple(ans.refs),
                 unlisted_refs=unlisted, listed=listed, alternative_listed=alt_listed,
                 alternative_unlisted=alt_unlisted,
                 notes=tuple(ans.notes), open=_open_of(a), open_at=open_at, alternative_from=alt_from,
                 alternative_from_of=alt_from_of, pending=_pending_dates(ans.pending), minimum=minimum,
                 minimum_missing=text.get(a.get("minimum_missing")), minimum_since=since_day,
                 minimum_note=text.get(a.get("minimum_note")), window=window,
                 early=early, late=late, sources=sources, text=text,
                 first_rule_day=_first_rule_day(law, rules, group, sex, female_track, on),
                 proposal_from=a.get("proposal_from") if superseded else None, superseded=superseded)


def _minimum_of(law: Law, rules: _Rules, a: dict, on: _dt.date) -> tuple:
    """(the minimum years' values in force on ``on``, the day from which a pension age may have them or None).

    ``minimum_since`` names the text that sets up the scheme the years are
    counted in (a civil servant's, 国发〔2015〕2号): before it is in force
    there are no years to count, and a pension age reached before it took
    effect has none.
    """
    minimum = _values_in_force(law, a.get("minimum", rules.minimum), on)
    since = a.get("minimum_since")
    if not since:
        return minimum, None
    return (minimum if _in_force(law, [since], on) else ()), law.instrument(instrument_of(since)).versions[0].effective


def _first_rule_day(law: Law, rules: _Rules, group, sex, female_track, on: _dt.date) -> _dt.date | None:
    """The first day (up to ``on``) on which an assignment gives this person a track: before it no encoded text set
    an age, so a retirement month before it is not one the texts held then decided (a man born 1917-03, 1977-03)."""
    for day in rules.boundaries:
        if day > on:
            break
        a = _choose(law, rules, group, sex, female_track, day, _Answer())
        if a is not None and a.get("track"):
            return day
    return None


def _pending_dates(pending: list[dict]) -> tuple:
    """(effective date, instrument) of each text adopted but not yet in force, the soonest first."""
    return tuple(sorted({(_dt.date.fromisoformat(p["effective"]), p["instrument"]) for p in pending}))


def _alternative_of(law: Law, rules: _Rules, a: dict, on: _dt.date) -> tuple:
    """An assignment's other track: (track, the reference its note names, its citations, the day from which
    it is a reading, (title, id) of the text that sets that day); Nones and empties when it has none."""
    if not a.get("alternative"):
        return None, None, (), None, ()
    alt = _track(law, rules, a["alternative"], on)
    cited = next((r for r in alt.refs if "/" in r), alt.refs[0])
    start, start_of = None, ()
    if a.get("alternative_from"):
        inst = law.instruments.get(a["alternative_from"])
        if inst is None:
            raise DataError(f"statutes/{RULES_FILE}.toml", "assignment.alternative_from", a["alternative_from"],
                            "is not an instrument id")
        start, start_of = min(v.effective for v in inst.versions), (inst.title_zh, inst.id)
    return alt, cited, tuple(_resolve_all(law, alt.refs, on)), start, start_of


OPEN_QUESTIONS = ("alternative", "early-window", "late-window", "track")


def _open_of(a: dict) -> tuple:
    """An assignment's ``open`` list as (question, note) pairs; a question the engine cannot tell is a data error."""
    out = []
    for q in a.get("open", ()):
        question = q.get("question") if isinstance(q, dict) else None
        if question not in OPEN_QUESTIONS or not q.get("note"):
            raise DataError(f"statutes/{RULES_FILE}.toml", "assignment.open", question,
                            f"expected a question of {', '.join(OPEN_QUESTIONS)} and its note")
        out.append((question, q["note"]))
    return tuple(out)


def _finish(law: Law, result: dict, ans: _Answer, on: _dt.date) -> dict:
    result["alternatives"] = []
    result["citations"] = _resolve_all(law, ans.refs, on)
    result["notes"] = ans.notes
    return result


def _age(months: int) -> dict:
    return {"years": months // 12, "months": months % 12}


def _month_text(index: int) -> str:
    """``str(Month.from_index(index))``: ``2031-07``."""
    return "%04d-%02d" % (index // 12, index % 12 + 1)


def _births_listed(law: Law, refs, on: _dt.date) -> tuple:
    """(the first and last birth month, as indexes, that the annex tables among ``refs`` list, or None when
    none lists births; ``refs`` without those tables).

    An annex table is the law's statement for the births it lists, and is
    cited for those only: a man born 1964-12 is not in 附件1, which opens with
    1965年1月, nor one born 1977-01, after it closes at the age of 63.
    """
    spans, kept = [], []
    for ref in refs:
        c = law.resolve(ref, on) if "/" in ref else None
        births = [] if c is None or c.table is None else [
            row["birth"] for row in law.version(c.instrument, c.version).tables[c.table].get("rows", ()) if "birth" in row]
        if births:
            spans.append((Month.parse(births[0], "birth").index, Month.parse(births[-1], "birth").index))
        else:
            kept.append(ref)
    if not spans:
        return None, tuple(refs)
    return (max(lo for lo, _ in spans), min(hi for _, hi in spans)), tuple(kept)


def _for_birth(plan: _Plan, birth: Month) -> dict:
    """The answer of a plan for one birth month: the month arithmetic, then what follows from the retirement month.

    Months are counted as indexes (``Month.index``). The parameter values
    that apply are those in force at the retirement date (its first day).
    """
    text = plan.text
    t = plan.track
    born = birth.index
    delay = t.delay_at(born)
    age_months = t.original_months + delay
    retire = born + age_months
    month = _month_text(retire)
    day = _dt.date(retire // 12, retire % 12 + 1, 1)
    result = {
        "rule": plan.rule, "track": t.track, "track_label": t.label, "original_age": _age(t.original_months),
        "statutory_age": _age(age_months), "delay_months": delay, "retirement_month": month,
        "earliest_flexible_month": None, "latest_flexible_month": None, "minimum_contribution_years": None,
        "settled": plan.settled,
    }
    listed = plan.listed is None or plan.listed[0] <= born <= plan.listed[1]
    ans = _Answer(refs=plan.refs if listed else plan.unlisted_refs, notes=plan.notes)
    if t.first_cohort is not None:
        ans.note(text.get("reform_exceptions"))
        if born < t.first_index:
            ans.note(text.get("before_first_cohort", "").format(first_cohort=t.first_cohort))
        if day < t.delay_from:  # a month the texts before the reform governed: answered on the law of the date asked
            ans.note(text.get("month_before_delay", "").format(month=month, start=t.delay_from.isoformat()))

    minimum = _value_at(plan.minimum, day) if plan.minimum_since is None or day >= plan.minimum_since else None
    if minimum is None:
        ans.note((plan.minimum_missing or text.get("minimum_missing", "")).format(year=retire // 12))
    else:
        result["minimum_contribution_years"] = minimum.value
        ans.note(text.get("minimum_year", "").format(year=retire // 12))
        ans.note(plan.minimum_note)
        ans.cite(minimum.cite)

    _flexible_window(plan, born, age_months, day, result, ans)
    result["alternatives"] = _alternatives(text, plan, born, ans)
    if plan.open:
        _open_questions(plan, result, ans)
    if plan.first_rule_day is not None and day < plan.first_rule_day:
        result["settled"] = False
        ans.note(text.get("before_any_rule", "").format(month=month, first=plan.first_rule_day.isoformat()))
    if plan.pending and day >= plan.pending[0][0]:
        # An adopted text takes effect by the retirement month: the answer of the date asked about is not what
        # will apply then (the 1978 age of a man born 1965-01, asked on 2024-12-31, is superseded on 2025-01-01).
        result["settled"] = False
        effective, instrument = plan.pending[0]
        ans.note(text.get("pending_by_retirement", "").format(month=month, instrument=instrument,
                                                            effective=effective.isoformat()))
    if plan.superseded is not None:
        law_answer = _before_the_proposal(plan, birth, month, result, ans)
        if law_answer is not None:
            return law_answer
    sources = plan.sources
    result["citations"] = [sources[r] for r in ans.refs if sources[r] is not None]
    result["notes"] = ans.notes
    return result


def _flexible_window(plan: _Plan, born: int, age_months: int, day: _dt.date, result: dict, ans: _Answer) -> None:
    """办法 art. 2 and 3's earliest and latest months, where the window is in force by the retirement month."""
    text = plan.text
    early, late = _value_at(plan.early, day), _value_at(plan.late, day)
    if not plan.window:
        ans.note(text.get("no_window"))
    elif early is None or late is None:
        ans.note(text.get("window_before_reform", "").format(month=result["retirement_month"]))
    else:
        original = plan.track.original_months
        earliest, latest = _window_months(born, age_months, original, early.value, late.value)
        result["earliest_flexible_month"] = earliest
        result["latest_flexible_month"] = latest
        ans.note(text.get("early_window", "").format(earliest=earliest, early=early.value, original=original // 12))
        _early_minimum(plan, earliest, result, ans)
        ans.note(text.get("late_window", "").format(latest=latest, late=late.value))
        ans.cite([*early.cite, *late.cite])


def _early_minimum(plan: _Plan, earliest: str, result: dict, ans: _Answer) -> None:
    """The minimum years of the earliest flexible month's year, where they differ from the statutory month's: one
    retiring early meets the figure of the year they retire in (办法 art. 3, 附件4's 当年最低缴费年限)."""
    statutory = result["minimum_contribution_years"]
    day = _dt.date(int(earliest[:4]), int(earliest[5:7]), 1)
    if statutory is None or (plan.minimum_since is not None and day < plan.minimum_since):
        return
    early = _value_at(plan.minimum, day)
    if early is not None and early.value != statutory:
        ans.note(plan.text.get("early_minimum", "").format(earliest=earliest, year=day.year,
                                                           early_minimum=early.value, minimum=statutory))


def _before_the_proposal(plan: _Plan, birth: Month, month: str, result: dict, ans: _Answer) -> dict | None:
    """A month a proposal gives before its own date: the law's answer where the law's month is before that date
    too (the proposal does not reach back); otherwise open, where the law's month differs (the proposal does not
    say whether the person may retire from its date or keeps the law's age). None: answer as the proposal does.
    An earliest flexible month before that date is said to be the proposal's too."""
    start = plan.proposal_from.isoformat()
    earliest = result["earliest_flexible_month"]
    if earliest is not None and earliest < start[:7]:
        result["settled"] = False
        ans.note(plan.text.get("proposal_window_before_its_date", "").format(earliest=earliest, start=start))
    if month >= start[:7]:
        return None
    law_answer = _for_birth(plan.superseded, birth)
    law_month = law_answer["retirement_month"]
    if law_month == month:
        return None
    if law_month < start[:7]:
        note = plan.text.get("proposal_not_reaching", "").format(law_month=law_month, start=start)
        return {**law_answer, "notes": [*law_answer["notes"], note]}
    result["settled"] = False
    ans.note(plan.text.get("proposal_before_its_date", "").format(month=month, start=start, law_month=law_month))
    return None


def _open_questions(plan: _Plan, result: dict, ans: _Answer) -> None:
    """The notes of the questions the texts leave open that arise for this birth; settled when none does.

    An assignment's ``open`` list names them: ``alternative`` arises when the
    other reading gives an answer, ``early-window`` and ``late-window`` when
    that window is given (a retirement before the windows apply has none to question),
    ``track`` for every birth (the track itself is a reading: a proposal's
    words that name more than one).
    """
    arising = {"alternative": bool(result["alternatives"]),
               "early-window": result["earliest_flexible_month"] is not None,
               "late-window": result["latest_flexible_month"] is not None, "track": True}
    notes = [note for question, note in plan.open if arising.get(question, True)]
    ans.notes[plan.open_at:plan.open_at] = notes
    if not notes:
        result["settled"] = True


def _alternatives(text: dict, plan: _Plan, born: int, ans: _Answer) -> list[dict]:
    """The track the person may choose instead (a female cadre's worker track), worked out for the same birth.

    With ``alternative_from`` (an instrument), the other reading is one only
    for a retirement month from the day that instrument applies: before it,
    the text then in force governed that month.
    """
    alt = plan.alternative
    if alt is None:
        return []
    delay = alt.delay_at(born)
    age_months = alt.original_months + delay
    retire = born + age_months
    month = _month_text(retire)
    if plan.alternative_from is not None and _dt.date(retire // 12, retire % 12 + 1, 1) < plan.alternative_from:
        title, instrument = plan.alternative_from_of
        ans.note(text.get("alternative_before", "").format(
            label=alt.label, age=age_text(age_months), month=month, title=title, instrument=instrument,
            effective=plan.alternative_from.isoformat()))
        return []
    span = plan.alternative_listed
    if span is None or span[0] <= born <= span[1]:
        citation, citations, refs = plan.alternative_citation, plan.alternative_citations, alt.refs
    else:  # a birth the alternative's annex table does not list: the table is not cited
        citation, citations, refs = plan.alternative_unlisted
    ans.note(text.get("alternative", "").format(label=alt.label, citation=citation,
                                                age=age_text(age_months), delay=delay, month=month))
    ans.cite(refs)
    earliest, latest, minimum = _window_and_minimum(plan, born, age_months, alt.original_months)
    return [{
        "track": alt.track, "track_label": alt.label, "original_age": _age(alt.original_months),
        "statutory_age": _age(age_months), "delay_months": delay, "retirement_month": month,
        "earliest_flexible_month": earliest, "latest_flexible_month": latest,
        "minimum_contribution_years": None if minimum is None else minimum.value,
        "citations": list(citations),
    }]


def _window_and_minimum(plan: _Plan, born: int, age_months: int, original_months: int) -> tuple:
    """(earliest, latest flexible month or None, the minimum years' value or None) of a retirement at ``age_months``.

    As for the answer itself: 办法 art. 3's window from the values in force at the retirement month, never
    below the original age, and art. 2's minimum for that year (附件4).
    """
    retire = born + age_months
    day = _dt.date(retire // 12, retire % 12 + 1, 1)
    minimum = _value_at(plan.minimum, day)
    early, late = _value_at(plan.early, day), _value_at(plan.late, day)
    if not plan.window or early is None or late is None:
        return None, None, minimum
    return (*_window_months(born, age_months, original_months, early.value, late.value), minimum)


def _window_months(born: int, age_months: int, original_months: int, early: int, late: int) -> tuple[str, str]:
    """办法 第三条: early down to max(original age, statutory − early), late up to statutory + late (as months)."""
    return _month_text(born + max(original_months, age_months - early)), _month_text(born + age_months + late)
