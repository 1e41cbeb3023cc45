"""Retirement answers are the same whatever was asked before, and within one law interval whatever the date."""

from __future__ import annotations

import bisect
import datetime as dt

import pytest
from msgspec.structs import replace

from socins_cli.engines import retirement as engine
from socins_cli.errors import InputError
from socins_cli.law.load import Law, instrument_of
from socins_cli.person import make_person

DATES = ("1998-06-01", "2001-12-22", "2011-06-30", "2011-07-01", "2024-12-31", "2025-01-01", "2026-06-01",
         "2030-01-01")
CATEGORIES = (("employee", None), ("platform", "civil"), ("civil-servant", None), ("flexible", None),
              ("resident", None), (None, None))
BIRTHS = ("1950-01", "1964-12", "1965-01", "1969-12", "1970-01", "1974-12", "1975-01", "1976-09", "1990-06")


def people():
    for on in DATES:
        for category, relation in CATEGORIES:
            for sex, track in (("male", None), ("female", None), ("female", "worker"), ("female", "cadre")):
                for birth in BIRTHS:
                    if birth[:4] <= on[:4]:
                        yield make_person(category=category, relation=relation, sex=sex, birth=birth,
                                          female_track=track, as_of=on)


def answer(law, person):
    try:
        return engine.retirement(law, person)
    except InputError as exc:
        return str(exc)


def test_answers_do_not_depend_on_which_keys_were_answered_before(law):
    persons = list(people())
    law.views.clear()
    forward = [answer(law, p) for p in persons]
    law.views.clear()
    backward = [answer(law, p) for p in reversed(persons)][::-1]
    assert forward == backward
    for i in range(0, len(persons), 7):  # every seventh, each with nothing memoised
        law.views.clear()
        assert answer(law, persons[i]) == forward[i]


def test_a_required_female_track_is_asked_for_every_time(law):
    person = make_person(category="employee", sex="female", birth="1970-01", as_of="2024-06-30")
    for _ in range(2):
        with pytest.raises(InputError, match="female_track"):
            engine.retirement(law, person)


def test_boundaries_hold_every_date_on_which_what_the_engine_reads_changes(law):
    rules = engine._rules_of(law)
    bounds = set(rules.boundaries)
    names = {rules.minimum, *rules.window.values(), *(a["minimum"] for a in rules.assignments if a.get("minimum"))}
    names |= {t[k] for t in rules.tracks.values() for k in ("original_age", "first_cohort", "step", "cap") if k in t}
    assert {v.start for name in names for v in law.parameter(name).values} <= bounds
    cited = {instrument_of(ref) for a in rules.assignments for ref in a.get("cite", [])}
    cited |= {instrument_of(ref) for name in names for v in law.parameter(name).values for ref in v.cite}
    assert {"retire-2024", "retire-decision-2024", "sil"} <= cited
    for inst_id in cited:
        for v in law.instruments[inst_id].versions:
            assert {d for d in (v.adopted, v.effective, v.repealed) if d} <= bounds
    assert {a["until"] for a in rules.assignments if "until" in a} <= bounds


def test_dates_in_one_interval_give_one_answer_whatever_else_changes_between_them(law):
    """Instruments retirement does not read (medical, injury texts) do not split an interval; no answer tells.

    Every date on which any instrument or parameter of the whole law changes,
    and the day before it, is asked; those in one interval must agree.
    """
    rules = engine._rules_of(law)
    days = {dt.date(2026, 11, 23)}
    for inst in law.instruments.values():
        for v in inst.versions:
            for d in (v.adopted, v.effective, v.repealed):
                if d:
                    days |= {d, d - dt.timedelta(days=1)}
    days |= {v.start for p in law.parameters.values() for v in p.values}
    by_interval = {}
    for day in sorted(days):
        by_interval.setdefault(bisect.bisect_right(rules.boundaries, day), []).append(day)
    assert max(len(group) for group in by_interval.values()) > 2  # the relevance cut merges something
    persons = [make_person(category=c, relation=r, sex=s, female_track=t, birth=b)
               for c, r in CATEGORIES for s, t in (("male", None), ("female", "worker"), ("female", "cadre"))
               for b in ("1950-01", "1966-05", "1976-09")]
    for group in by_interval.values():
        seen = {}
        for day in group:
            law.views.clear()  # each day answered afresh: a memo must not hide a difference
            for i, person in enumerate(persons):
                if person.birth.year <= day.year:
                    got = _without_as_of(answer(law, replace(person, as_of=day)))
                    assert seen.setdefault(i, (day, got))[1] == got, (person, seen[i][0], day)


def _without_as_of(result):
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if k != "as_of" and k != "person"}
    return result


def test_each_law_answers_from_its_own_numbers(law):
    """A law with another cap answers from its own numbers, after and before the shipped law is asked."""
    name = "retirement_delay_cap_male"
    param = law.parameter(name)
    values = tuple(replace(v, value=24) for v in param.values)
    other = Law(root=law.root, instruments=law.instruments, parameters={**law.parameters, name: replace(param, values=values)},
                data=law.data, files=law.files, change_dates=law.change_dates)
    person = make_person(category="employee", sex="male", birth="1990-06", as_of="2026-06-01")
    assert engine.retirement(law, person)["delay_months"] == 36
    assert engine.retirement(other, person)["delay_months"] == 24
    assert engine.retirement(law, person)["delay_months"] == 36
