"""Statutory retirement age and month, the flexible window and the minimum contribution years, as in force on a date.

The law is data. ``statutes/rules/retirement.toml`` says which track a person
follows on a date (the first matching assignment whose cited instruments are
in force); ``statutes/parameters/retirement.toml`` gives each track's ages,
first delayed cohort, step and cap with their articles. This module only
does month arithmetic on those numbers (办法 第一条: one month of delay per
``step`` birth months from the first cohort, at most ``cap``) and collects
the citations of every value it used.

A result depends on few things: the category group, sex, birth month,
female track and the interval of dates over which the law is constant.
``retirement_key`` names them, so batches answer each distinct key once.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from dataclasses import dataclass, field

from msgspec.structs import replace

from socins_cli.dates import Month, parse_date, today
from socins_cli.errors import DataError, InputError
from socins_cli.law.load import Law, instrument_of
from socins_cli.person import ATTRIBUTES, Person, make_person
from socins_cli.law.model import citation_label

RULES_FILE = "rules/retirement"
UNSET = "unset"

#: Columns of a flat (CSV/TSV) result row, in order.
FLAT_COLUMNS = (
    "as_of", "category", "relation", "sex", "birth", "female_track", "rule", "track", "original_age",
    "statutory_age", "statutory_age_years", "statutory_age_months", "delay_months", "retirement_month",
    "earliest_flexible_month", "latest_flexible_month", "minimum_contribution_years", "settled",
    "citations", "notes",
)


# -- the rules, read once per Law ----------------------------------------------------------------

#: Bound of each memo below: a few intervals times a few names or attribute combinations fill far less.
_MAX_MEMO = 4096


@dataclass(frozen=True, slots=True)
class _Memo:
    """What the answers of one law share within an interval of ``boundaries``, filled as keys are answered."""

    plans: dict = field(default_factory=dict)    # key without birth -> _Plan
    entries: dict = field(default_factory=dict)  # (parameter, interval) -> (values, starts, value per segment)


@dataclass(frozen=True, slots=True)
class _Rules:
    groups: dict            # "employee" / "platform/labor" -> group id
    default_category: str
    tracks: dict            # track id -> {original_age, first_cohort, step, cap, table, label}
    assignments: tuple      # raw assignment tables, in order
    window: dict
    minimum: str
    text: dict
    boundaries: tuple       # dates on which anything this engine reads may change
    memo: _Memo             # what the answers share within one interval of boundaries


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
        memo=_Memo(),
    )


def _boundaries(law: Law, assignments: tuple, tracks: dict, window: dict, minimum: str) -> tuple:
    """The dates on which anything this engine reads may change, and no others.

    An answer reads the date asked about only through the instruments its
    rules and parameters cite (which version is in force, whether one is
    adopted but pending), the parameters' start dates and the assignments'
    ``until``. Between two of these dates every answer is the same, so the
    memos and a batch's keys share one interval; an instrument no retirement
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
        names.add(a.get("minimum"))
    dates = {a["until"] for a in assignments if "until" in a}
    for name in sorted(n for n in names if n):
        param = law.parameter(name)
        dates.update(v.start for v in param.values)
        refs += [ref for v in param.values for ref in v.cite]
    for inst_id in {instrument_of(ref) for ref in refs}:
        inst = law.instruments.get(inst_id)
        for v in inst.versions if inst is not None else ():
            dates.update(d for d in (v.adopted, v.effective, v.repealed) if d)
    return tuple(sorted(dates))


def _remember(memo: dict, key, value):
    if len(memo) >= _MAX_MEMO:
        memo.clear()
    memo[key] = value
    return value


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

    The returned dict is JSON-ready (see CONTRACT.md); its nested values are
    shared with the cache, so treat it as read-only.
    """
    on = parse_date(as_of, "as_of") if as_of is not None else (person.as_of or today())
    if on != person.as_of:
        person = replace(person, as_of=on)
    out = {"as_of": on.isoformat(), "person": person.as_dict()}
    out.update(retirement_core(law, person))
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


def retirement_core(law: Law, person: Person) -> dict:
    """The answer without its echo (``as_of``, ``person``), on the person's as_of: what a batch caches per key."""
    on = _asked_on(person)
    rules = _rules_of(law)
    return _answer(law, rules, _key(rules, person, on), on)


def retirement_form(law: Law, person: Person, hole: str = "@@{}@@"):
    """The answer as a form with holes and this birth's figures: ``(form key, figures, make)``, or None.

    Answers under one track differ by birth only in figures that month
    arithmetic gives (ages, delays, months, the year of retirement); which
    notes, citations and parameter values they carry is the same for every
    birth of one form. ``make()`` is the answer with ``hole.format(name)`` in
    place of each figure, equal for every person with this form key, so a
    batch renders it once and fills each birth's figures into its text
    (``retirement_core(law, person)`` is the answer so filled,
    ``tests/test_retirement_form.py``). None when the answer has no month in
    it (no track applies); the InputErrors are ``retirement_core``'s.
    """
    former = retirement_former(law, person, hole)
    return None if former is None else former(person.birth)


def retirement_former(law: Law, person: Person, hole: str = "@@{}@@"):
    """``retirement_form`` for every birth with this person's other attributes: ``birth -> (key, figures, make)``.

    What the birth does not decide (the plan of the person's group, sex,
    track and law interval) is found once; the function does only the month
    arithmetic of a birth (``_shape``). It checks only that there is a
    birth: one after as_of is its caller's to refuse (a batch does so per
    row). None, and the InputErrors, as ``retirement_form`` gives them for
    this person.
    """
    on = _asked_on(person)
    rules = _rules_of(law)
    key = _key(rules, person, on)
    plan = _plan(law, rules, key, on)
    if plan.require is not None:
        raise InputError(*plan.require)
    if plan.core is not None:
        return None
    head, interval = key[:3] + key[4:], key[5]

    def form_of(birth: Month | None):
        _require_birth(birth)
        form, figures = _shape(law, rules, plan, birth, on, interval)
        before, segment, _, i, _, j, _ = form
        return ((head, before, segment, i, j), figures,
                lambda: _compose(law, rules, plan, form, {name: hole.format(name) for name in figures}, on))

    return form_of


def retirement_row(law: Law, row: dict) -> dict:
    """One batch row (attribute names of the contract as keys) normalised and answered; InputError if bad.

    Keys that are not person attributes are ignored here; the batch writer
    carries them into the output row.
    """
    fields = {k: row[k] for k in ATTRIBUTES if k in row}
    return retirement(law, make_person(**fields))


def flatten(result: dict) -> dict:
    """A result as one flat row for CSV/TSV (columns ``FLAT_COLUMNS``)."""
    person = result.get("person", {})
    age = result.get("statutory_age")
    original = result.get("original_age")
    return {
        "as_of": result.get("as_of"),
        **{k: person.get(k) for k in ("category", "relation", "sex", "birth", "female_track")},
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
        "citations": [citation_label(c) for c in result.get("citations", [])],
        "notes": result.get("notes", []),
    }


def format_age(age: dict) -> str:
    return f"{age['years']}y{age['months']}m"


def age_text(months: int) -> str:
    """An age as the annex tables print it: ``60岁1个月``, ``63岁``."""
    years, rest = divmod(months, 12)
    return f"{years}岁{rest}个月" if rest else f"{years}岁"



# -- the computation ---------------------------------------------------------------------------------
#
# An answer has two parts. What depends only on the attributes other than birth and on the interval of
# ``boundaries`` the date falls in (the assignment, its notes and citations, each track's numbers,
# which parameter values are in force) is a ``_Plan``, built once and shared by every birth month; the
# month arithmetic, and the notes and citations that follow from the retirement month, are done per key.

class _Answer:
    """Citations and notes gathered while answering, in order, without repeats."""

    def __init__(self, refs=(), notes=()):
        self.refs: list[str] = list(refs)
        self.notes: list[str] = list(notes)

    def cite(self, refs) -> None:
        for ref in refs:
            if ref not in self.refs:
                self.refs.append(ref)

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


_UNKNOWN = object()


def _table(law: Law, rules: _Rules, name: str, interval: int) -> tuple:
    """A parameter's values, their start dates, and the value found for each segment between starts (lazily)."""
    key = (name, interval)
    table = rules.memo.entries.get(key)
    if table is None:
        values = law.parameter(name).values
        starts = sorted({v.start for v in values})
        table = _remember(rules.memo.entries, key, (values, starts, [None] + [_UNKNOWN] * len(starts)))
    return table


def _entry(law: Law, rules: _Rules, name: str | None, key_date: _dt.date, on: _dt.date, interval: int):
    """The parameter value for ``key_date`` among those whose cited instruments are in force on ``on``.

    Values apply from their start date; a value citing an instrument not yet
    (or no longer) in force on the date asked about is not the law that day.
    Which are in force is the same throughout the interval of ``on``, and the
    value for a key date changes only at a start date, so each segment between
    start dates is looked up once per interval. Returns (segment, value); the
    segment names the value within the interval.
    """
    if not name:
        return 0, None
    values, starts, found = _table(law, rules, name, interval)
    i = bisect.bisect_right(starts, key_date)
    value = found[i]
    if value is _UNKNOWN:
        value = found[i] = _latest(law, values, starts[i - 1], on)
    return i, value


def _latest(law: Law, values, key_date: _dt.date, on: _dt.date):
    for value in reversed(values):
        if value.start <= key_date and _in_force(law, value.cite, on):
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


def _choose(law: Law, rules: _Rules, group, sex, female_track, on: _dt.date, ans: _Answer) -> dict | None:
    """The first matching assignment in force (it may ``require`` an attribute instead of answering)."""
    for a in rules.assignments:
        if not _matches(a, group, sex, female_track):
            continue
        if "until" in a and on >= a["until"]:
            continue
        cites = a.get("cite", [])
        if not _in_force(law, cites, on):
            for p in _pending(law, cites, on):
                ans.note(rules.text.get("pending", "").format(**p))
            continue
        return a
    return None


@dataclass(frozen=True, slots=True)
class _Track:
    """One track's numbers in force on a date: original age, first delayed cohort, step and cap."""

    track: str
    label: str
    original_months: int
    first_cohort: Month | None
    step: int | None
    cap: int | None
    refs: tuple

    def delay_at(self, born: int) -> int:
        """办法 第一条: one month of delay per ``step`` birth months from the first cohort, at most ``cap``.

        ``born`` is the birth month's index (``Month.index``).
        """
        if self.first_cohort is None or born < self.first_cohort.index:
            return 0
        return min((born - self.first_cohort.index) // self.step + 1, self.cap)


def _track(law: Law, rules: _Rules, track_id: str, on: _dt.date, interval: int) -> _Track:
    track = rules.tracks.get(track_id)
    if track is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", "track", track_id, "no such track")
    original = _entry(law, rules, track.get("original_age"), on, on, interval)[1]
    if original is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", f"track.{track_id}.original_age",
                        track.get("original_age"), f"has no value in force on {on.isoformat()}")
    refs = list(original.cite)
    first = _entry(law, rules, track.get("first_cohort"), on, on, interval)[1]
    first_cohort = step = cap = None
    if first is not None:
        step = _entry(law, rules, track.get("step"), on, on, interval)[1]
        cap = _entry(law, rules, track.get("cap"), on, on, interval)[1]
        if step is None or cap is None:
            raise DataError(f"statutes/{RULES_FILE}.toml", f"track.{track_id}", track_id,
                            "a first cohort needs a step and a cap in force on the same day")
        first_cohort = Month.parse(first.value, "first_cohort")
        refs += [*first.cite, *step.cite, *cap.cite]
        if track.get("table"):
            refs.append(track["table"])
    return _Track(track=track_id, label=track.get("label", track_id), original_months=original.value * 12,
                  first_cohort=first_cohort, step=None if step is None else step.value,
                  cap=None if cap is None else cap.value, refs=tuple(refs))


@dataclass(frozen=True, slots=True)
class _Plan:
    """A key's answer as far as it does not depend on birth."""

    core: dict | None = None       # the whole answer, when there is no track (so no month) in it
    require: tuple | None = None   # InputError arguments, when the rule needs an attribute not given
    rule: str = "none"
    settled: bool = False
    track: _Track | None = None
    alternative: _Track | None = None
    alternative_citation: str | None = None
    alternative_citations: tuple = ()
    refs: tuple = ()               # the rule's and the track's citations, in order
    notes: tuple = ()              # the notes that come before those naming a month
    minimum: str | None = None
    window: bool = False           # whether the flexible window is in force on the date asked about
    #: (minimum segment, window segments) -> the answer's citations
    citations: dict = field(default_factory=dict)
    #: the parameter values that apply at a retirement month (``_at_retirement``), per span of months
    #: between their start dates: (month indexes at which a span starts, span -> values)
    at: list = field(default_factory=list)


def _plan(law: Law, rules: _Rules, key: tuple, on: _dt.date) -> _Plan:
    group, defaulted, sex, _, female_track, interval = key
    plan_key = (group, defaulted, sex, female_track, interval)
    plan = rules.memo.plans.get(plan_key)
    if plan is None:
        plan = _remember(rules.memo.plans, plan_key,
                         _make_plan(law, rules, group, defaulted, sex, female_track, on, interval))
    return plan


def _make_plan(law: Law, rules: _Rules, group, defaulted: bool, sex, female_track, on: _dt.date,
               interval: int) -> _Plan:
    ans = _Answer()
    text = rules.text
    if defaulted:
        ans.note(text.get("category_default"))
    a = _choose(law, rules, group, sex, female_track, on, ans)
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
    ans.note(a.get("note"))
    if female_track and a.get("female_track") is None:
        ans.note(text.get("ignored", "").format(field="female_track", value=female_track))
    if not a.get("track"):
        return _Plan(core=_finish(law, result, ans, on))

    t = _track(law, rules, a["track"], on, interval)
    ans.cite(t.refs)
    minimum = a.get("minimum", rules.minimum)
    if minimum:
        _table(law, rules, minimum, interval)  # a missing parameter is a DataError whatever the birth
    window = _entry(law, rules, rules.window.get("early_max_months"), on, on, interval)[1] is not None
    alt = cited = None
    alt_citations = ()
    if a.get("alternative"):
        alt = _track(law, rules, a["alternative"], on, interval)
        cited = next((r for r in alt.refs if "/" in r), alt.refs[0])
        alt_citations = tuple(_resolve_all(law, alt.refs, on))
    return _Plan(rule=result["rule"], settled=result["settled"], track=t, alternative=alt,
                 alternative_citation=cited, alternative_citations=alt_citations, refs=tuple(ans.refs),
                 notes=tuple(ans.notes), minimum=minimum, window=window)


def _finish(law: Law, result: dict, ans: _Answer, on: _dt.date) -> dict:
    result["alternatives"] = []
    result["citations"] = _resolve_all(law, ans.refs, on)
    result["notes"] = ans.notes
    return result


def _age(months: int) -> dict:
    return {"years": months // 12, "months": months % 12}


def _answer(law: Law, rules: _Rules, key: tuple, on: _dt.date) -> dict:
    plan = _plan(law, rules, key, on)
    if plan.require is not None:
        raise InputError(*plan.require)
    if plan.core is not None:
        return plan.core
    form, values = _shape(law, rules, plan, key[3], on, key[5])
    return _compose(law, rules, plan, form, values, on)


def _shape(law: Law, rules: _Rules, plan: _Plan, birth: Month, on: _dt.date, interval: int) -> tuple:
    """The month arithmetic of one birth under a plan: (form, values).

    ``values`` are every figure of the answer that follows from the birth
    month (ages, delays, months, the year of retirement); ``form`` is the
    rest of what the birth decides (whether it is before the first delayed
    cohort, which parameter values apply at the retirement date) as
    ``(before_first_cohort, minimum segment, minimum, early segment, early,
    late segment, late)``. ``_compose`` reads the birth only through these.
    Months are counted as indexes (``Month.index``) here: this runs once per
    distinct birth of a batch.
    """
    t = plan.track
    born = birth.index
    delay = t.delay_at(born)
    age_months = t.original_months + delay
    retire = born + age_months
    if not plan.at:
        plan.at[:] = (_retirement_spans(law, rules, plan, interval), {})
    spans, found = plan.at
    span = bisect.bisect_right(spans, retire)
    at = found.get(span)
    if at is None:
        at = found[span] = _at_retirement(law, rules, plan, retire, on, interval)
    segment, minimum, i, early, j, late = at
    values = {"delay": delay, "age_years": age_months // 12, "age_months": age_months % 12,
              "month": _month_text(retire), "year": retire // 12}
    if early is not None and late is not None:
        # 办法 第三条: early down to max(original age, statutory − early), late up to statutory + late.
        values["earliest"] = _month_text(born + max(t.original_months, age_months - early.value))
        values["latest"] = _month_text(retire + late.value)
    alt = plan.alternative
    if alt is not None:
        alt_delay = alt.delay_at(born)
        alt_age = alt.original_months + alt_delay
        values.update(alt_delay=alt_delay, alt_years=alt_age // 12, alt_months=alt_age % 12,
                      alt_age=age_text(alt_age), alt_month=_month_text(born + alt_age))
    before = t.first_cohort is not None and born < t.first_cohort.index
    return (before, segment, minimum, i, early, j, late), values


def _month_text(index: int) -> str:
    """``str(Month.from_index(index))`` without building the Month (remembered: few months occur)."""
    text = _MONTH_TEXTS.get(index)
    if text is None:
        text = _remember(_MONTH_TEXTS, index, f"{index // 12:04d}-{index % 12 + 1:02d}")
    return text


_MONTH_TEXTS: dict = {}


def _retirement_spans(law: Law, rules: _Rules, plan: _Plan, interval: int) -> list:
    """Month indexes from which a parameter read at the retirement date may change (its start dates).

    A retirement date is the first of its month: a start on the first of a
    month applies from that month, a later start from the next.
    """
    names = (plan.minimum, *((rules.window.get("early_max_months"), rules.window.get("late_max_months"))
                              if plan.window else ()))
    starts = {d for name in names if name for d in _table(law, rules, name, interval)[1]}
    return sorted({_first_month_from(d) for d in starts})


def _first_month_from(day: _dt.date) -> int:
    """The index of the first month whose first day is on or after ``day``."""
    return Month.index_of(day) + (day.day > 1)


def _at_retirement(law: Law, rules: _Rules, plan: _Plan, retire: int, on: _dt.date, interval: int) -> tuple:
    """(minimum segment, minimum, early segment, early, late segment, late) for a retirement month index."""
    day = _dt.date(retire // 12, retire % 12 + 1, 1)
    segment, minimum = _entry(law, rules, plan.minimum, day, on, interval)
    i = j = early = late = None
    if plan.window:
        i, early = _entry(law, rules, rules.window.get("early_max_months"), day, on, interval)
        j, late = _entry(law, rules, rules.window.get("late_max_months"), day, on, interval)
    return segment, minimum, i, early, j, late


def _compose(law: Law, rules: _Rules, plan: _Plan, form: tuple, values: dict, on: _dt.date) -> dict:
    """The answer of a plan for a birth of this form with these figures (see ``_shape``)."""
    before, segment, minimum, i, early, j, late = form
    text = rules.text
    t = plan.track
    month = values["month"]
    result = {
        "rule": plan.rule, "track": t.track, "track_label": t.label, "original_age": _age(t.original_months),
        "statutory_age": {"years": values["age_years"], "months": values["age_months"]},
        "delay_months": values["delay"], "retirement_month": month,
        "earliest_flexible_month": None, "latest_flexible_month": None, "minimum_contribution_years": None,
        "settled": plan.settled,
    }
    ans = _Answer(notes=plan.notes)
    if t.first_cohort is not None:
        ans.note(text.get("reform_exceptions"))
        if before:
            ans.note(text.get("before_first_cohort", "").format(first_cohort=t.first_cohort))

    if minimum is None:
        segment = None
        ans.note(text.get("minimum_missing", "").format(year=values["year"]))
    else:
        result["minimum_contribution_years"] = minimum.value
        ans.note(text.get("minimum_year", "").format(year=values["year"]))

    window = None
    if not plan.window:
        ans.note(text.get("no_window"))
    elif early is None or late is None:
        ans.note(text.get("window_before_reform", "").format(month=month))
    else:
        window = (i, j)
        earliest, latest = values["earliest"], values["latest"]
        result["earliest_flexible_month"] = earliest
        result["latest_flexible_month"] = latest
        ans.note(text.get("early_window", "").format(earliest=earliest, early=early.value,
                                                     original=t.original_months // 12))
        ans.note(text.get("late_window", "").format(latest=latest, late=late.value))

    alternatives = []
    alt = plan.alternative
    if alt is not None:
        ans.note(text.get("alternative", "").format(
            label=alt.label, citation=plan.alternative_citation, age=values["alt_age"],
            delay=values["alt_delay"], month=values["alt_month"]))
        alternatives.append({
            "track": alt.track, "track_label": alt.label, "original_age": _age(alt.original_months),
            "statutory_age": {"years": values["alt_years"], "months": values["alt_months"]},
            "delay_months": values["alt_delay"], "retirement_month": values["alt_month"],
            "citations": list(plan.alternative_citations),
        })

    # The citations follow from the plan and the parameter values used: resolved once per combination.
    citations = plan.citations.get((segment, window))
    if citations is None:
        refs = _Answer(refs=plan.refs)
        if minimum is not None:
            refs.cite(minimum.cite)
        if window is not None:
            refs.cite([*early.cite, *late.cite])
        if alt is not None:
            refs.cite(alt.refs)
        citations = plan.citations[(segment, window)] = _resolve_all(law, refs.refs, on)
    result["alternatives"] = alternatives
    result["citations"] = list(citations)
    result["notes"] = ans.notes
    return result
