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
from dataclasses import dataclass, replace

from socins_cli.dates import Month, parse_date, today
from socins_cli.errors import DataError, InputError
from socins_cli.law import Law
from socins_cli.person import ATTRIBUTES, Person, make_person
from socins_cli.model import citation_label

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


def _rules(law: Law) -> _Rules:
    raw = law.data.get(RULES_FILE)
    if raw is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", "(file)", None, "is required by socins retirement")
    groups = {}
    for group, members in (raw.get("group") or {}).items():
        for member in members:
            groups[member] = group
    assignments = tuple(raw.get("assignment") or ())
    dates = set(law.change_dates)
    for inst in law.instruments.values():
        dates.update(v.adopted for v in inst.versions if v.adopted)
    dates.update(a["until"] for a in assignments if "until" in a)
    return _Rules(
        groups=groups,
        default_category=raw.get("default_category", "employee"),
        tracks=dict(raw.get("track") or {}),
        assignments=assignments,
        window=dict(raw.get("window") or {}),
        minimum=(raw.get("minimum") or {}).get("default", "minimum_contribution_years"),
        text=dict(raw.get("text") or {}),
        boundaries=tuple(sorted(dates)),
    )


#: id(law) -> (law, rules, answers). The law is held so its id cannot be reused while cached.
_STATE: dict[int, tuple[Law, _Rules, dict]] = {}
_MAX_LAWS = 4
_MAX_ANSWERS = 200_000


def _state(law: Law) -> tuple[_Rules, dict]:
    entry = _STATE.get(id(law))
    if entry is None or entry[0] is not law:
        if len(_STATE) >= _MAX_LAWS:
            _STATE.clear()
        entry = (law, _rules(law), {})
        _STATE[id(law)] = entry
    return entry[1], entry[2]


# -- public calls ----------------------------------------------------------------------------------

def retirement_key(person: Person, law: Law) -> tuple:
    """What the answer depends on: group, whether the category was defaulted, sex, birth, track, law interval."""
    rules, _ = _state(law)
    category = person.category
    defaulted = category is None
    if defaulted:
        category = rules.default_category
    member = f"{category}/{person.relation}" if person.relation else category
    group = rules.groups.get(member, rules.groups.get(category))
    on = person.as_of or today()
    interval = bisect.bisect_right(rules.boundaries, on)
    return (group, defaulted, person.sex, person.birth, person.female_track, interval)


def retirement(law: Law, person: Person, as_of: _dt.date | str | None = None) -> dict:
    """The retirement answer for one person as the law stands on ``as_of`` (default: the person's, else today).

    The returned dict is JSON-ready (see CONTRACT.md); its nested values are
    shared with the cache, so treat it as read-only.
    """
    on = parse_date(as_of, "as_of") if as_of is not None else (person.as_of or today())
    if on != person.as_of:
        person = replace(person, as_of=on)
    if person.sex is None:
        raise InputError("sex", None, "is required: male|female")
    if person.birth is None:
        raise InputError("birth", None, "is required: YYYY-MM")
    if person.birth > Month.of(on):
        raise InputError("birth", str(person.birth), f"must not be after as_of {on.isoformat()}")
    key = retirement_key(person, law)
    rules, answers = _state(law)
    core = answers.get(key)
    if core is None:
        core = _answer(law, rules, key, on)
        if len(answers) >= _MAX_ANSWERS:
            answers.clear()
        answers[key] = core
    out = {"as_of": on.isoformat(), "person": person.as_dict()}
    out.update(core)
    return out


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

class _Answer:
    """Citations and notes gathered while answering, in order, without repeats."""

    def __init__(self, law: Law, on: _dt.date):
        self.law, self.on = law, on
        self.refs: list[str] = []
        self.notes: list[str] = []

    def cite(self, refs) -> None:
        for ref in refs:
            if ref not in self.refs:
                self.refs.append(ref)

    def note(self, text: str | None) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def citations(self) -> list[dict]:
        return _resolve_all(self.law, self.refs, self.on)


def _resolve_all(law: Law, refs, on: _dt.date) -> list[dict]:
    out = []
    for ref in dict.fromkeys(refs):
        c = law.resolve(ref, on)
        if c is not None:
            out.append(c.as_dict())
    return out


def _in_force(law: Law, refs, on: _dt.date) -> bool:
    return all(law.resolve(ref, on) is not None for ref in refs)


def _entry(law: Law, name: str | None, key_date: _dt.date, on: _dt.date):
    """The parameter value for ``key_date`` among those whose cited instruments are in force on ``on``.

    Values apply from their start date; a value citing an instrument not yet
    (or no longer) in force on the date asked about is not the law that day.
    """
    if not name:
        return None
    for value in reversed(law.parameter(name).values):
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
    for inst_id in dict.fromkeys(law.cited_instruments(refs)):
        inst = law.instruments.get(inst_id)
        if inst is None or inst.version_on(on) is not None:
            continue
        for v in inst.versions:
            if v.adopted and v.adopted <= on < v.effective:
                out.append({"title": inst.title_zh, "instrument": inst.id,
                            "adopted": v.adopted.isoformat(), "effective": v.effective.isoformat()})
    return out


def _choose(law: Law, rules: _Rules, group, sex, female_track, on: _dt.date, ans: _Answer) -> dict | None:
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
        if a.get("require"):
            raise InputError(a["require"], None, a.get("require_note", "is required"))
        return a
    return None


def _track(law: Law, rules: _Rules, track_id: str, birth: Month, on: _dt.date) -> dict:
    """Original age, delay and statutory age on one track: month arithmetic on the parameters."""
    track = rules.tracks.get(track_id)
    if track is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", "track", track_id, "no such track")
    original = _entry(law, track.get("original_age"), on, on)
    if original is None:
        raise DataError(f"statutes/{RULES_FILE}.toml", f"track.{track_id}.original_age",
                        track.get("original_age"), f"has no value in force on {on.isoformat()}")
    refs = list(original.cite)
    first = _entry(law, track.get("first_cohort"), on, on)
    delay, first_cohort = 0, None
    if first is not None:
        step = _entry(law, track.get("step"), on, on)
        cap = _entry(law, track.get("cap"), on, on)
        if step is None or cap is None:
            raise DataError(f"statutes/{RULES_FILE}.toml", f"track.{track_id}", track_id,
                            "a first cohort needs a step and a cap in force on the same day")
        first_cohort = Month.parse(first.value, "first_cohort")
        if birth >= first_cohort:
            delay = min((birth - first_cohort) // step.value + 1, cap.value)
        refs += [*first.cite, *step.cite, *cap.cite]
        if track.get("table"):
            refs.append(track["table"])
    original_months = original.value * 12
    age_months = original_months + delay
    return {
        "track": track_id,
        "label": track.get("label", track_id),
        "original_months": original_months,
        "age_months": age_months,
        "delay": delay,
        "first_cohort": first_cohort,
        "retirement": birth + age_months,
        "refs": refs,
    }


def _age(months: int) -> dict:
    return {"years": months // 12, "months": months % 12}


def _answer(law: Law, rules: _Rules, key: tuple, on: _dt.date) -> dict:
    group, defaulted, sex, birth, female_track, _ = key
    ans = _Answer(law, on)
    text = rules.text
    if defaulted:
        ans.note(text.get("category_default"))
    a = _choose(law, rules, group, sex, female_track, on, ans)
    result = {
        "rule": "none", "track": None, "track_label": None, "original_age": None, "statutory_age": None,
        "delay_months": None, "retirement_month": None, "earliest_flexible_month": None,
        "latest_flexible_month": None, "minimum_contribution_years": None, "settled": False,
    }
    if a is None:
        ans.note(text.get("no_rule", "").format(group=group))
        return _finish(result, ans, [])
    result["rule"] = a.get("rule", "none")
    result["settled"] = bool(a.get("settled", False))
    ans.cite(a.get("cite", []))
    ans.note(a.get("note"))
    if female_track and a.get("female_track") is None:
        ans.note(text.get("ignored", "").format(field="female_track", value=female_track))
    if not a.get("track"):
        return _finish(result, ans, [])

    t = _track(law, rules, a["track"], birth, on)
    ans.cite(t["refs"])
    retire = t["retirement"]
    result.update({
        "track": t["track"], "track_label": t["label"], "original_age": _age(t["original_months"]),
        "statutory_age": _age(t["age_months"]), "delay_months": t["delay"], "retirement_month": str(retire),
    })
    if t["first_cohort"] is not None:
        ans.note(text.get("reform_exceptions"))
        if birth < t["first_cohort"]:
            ans.note(text.get("before_first_cohort", "").format(first_cohort=t["first_cohort"]))

    minimum = _entry(law, a.get("minimum", rules.minimum), retire.first_day(), on)
    if minimum is None:
        ans.note(text.get("minimum_missing", "").format(year=retire.year))
    else:
        result["minimum_contribution_years"] = minimum.value
        ans.cite(minimum.cite)
        ans.note(text.get("minimum_year", "").format(year=retire.year))

    _window(law, rules, t, result, ans, on)

    alternatives = []
    if a.get("alternative"):
        alt = _track(law, rules, a["alternative"], birth, on)
        ans.cite(alt["refs"])
        cited = next((r for r in alt["refs"] if "/" in r), alt["refs"][0])
        ans.note(text.get("alternative", "").format(
            label=alt["label"], citation=cited, age=age_text(alt["age_months"]), delay=alt["delay"],
            month=alt["retirement"]))
        alternatives.append({
            "track": alt["track"], "track_label": alt["label"], "original_age": _age(alt["original_months"]),
            "statutory_age": _age(alt["age_months"]), "delay_months": alt["delay"],
            "retirement_month": str(alt["retirement"]),
            "citations": _resolve_all(law, alt["refs"], on),
        })
    return _finish(result, ans, alternatives)


def _window(law: Law, rules: _Rules, t: dict, result: dict, ans: _Answer, on: _dt.date) -> None:
    """办法 第三条: early down to max(original age, statutory − early), late up to statutory + late."""
    text = rules.text
    early_name, late_name = rules.window.get("early_max_months"), rules.window.get("late_max_months")
    if _entry(law, early_name, on, on) is None:
        ans.note(text.get("no_window"))
        return
    at_retirement = t["retirement"].first_day()
    early = _entry(law, early_name, at_retirement, on)
    late = _entry(law, late_name, at_retirement, on)
    if early is None or late is None:
        ans.note(text.get("window_before_reform", "").format(month=t["retirement"]))
        return
    birth = t["retirement"] + (-t["age_months"])
    earliest = birth + max(t["original_months"], t["age_months"] - early.value)
    latest = t["retirement"] + late.value
    result["earliest_flexible_month"] = str(earliest)
    result["latest_flexible_month"] = str(latest)
    ans.cite([*early.cite, *late.cite])
    ans.note(text.get("early_window", "").format(earliest=earliest, early=early.value,
                                                 original=t["original_months"] // 12))
    ans.note(text.get("late_window", "").format(latest=latest, late=late.value))


def _finish(result: dict, ans: _Answer, alternatives: list) -> dict:
    result["alternatives"] = alternatives
    result["citations"] = ans.citations()
    result["notes"] = ans.notes
    return result
