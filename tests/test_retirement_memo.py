"""Retirement memos: what is shared within a law interval must not change any answer."""

from __future__ import annotations

import dataclasses

import pytest

from socins_cli import retirement as engine
from socins_cli.errors import InputError
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
    engine._STATE.clear()
    forward = [answer(law, p) for p in persons]
    engine._STATE.clear()
    backward = [answer(law, p) for p in reversed(persons)][::-1]
    assert forward == backward
    for i in range(0, len(persons), 7):  # every seventh, each with nothing memoised
        engine._STATE.clear()
        assert answer(law, persons[i]) == forward[i]


def test_a_required_female_track_is_asked_for_every_time(law):
    person = make_person(category="employee", sex="female", birth="1970-01", as_of="2024-06-30")
    for _ in range(2):
        with pytest.raises(InputError, match="female_track"):
            engine.retirement(law, person)


def test_boundaries_hold_every_date_on_which_what_the_engine_reads_changes(law):
    rules, _ = engine._state(law)
    bounds = set(rules.boundaries)
    assert {v.start for p in law.parameters.values() for v in p.values} <= bounds
    for inst in law.instruments.values():
        for v in inst.versions:
            assert {d for d in (v.adopted, v.effective, v.repealed) if d} <= bounds
    assert {a["until"] for a in rules.assignments if "until" in a} <= bounds


def test_each_law_has_its_own_memo(law):
    """A law with another cap answers from its own numbers, after and before the shipped law is asked."""
    name = "retirement_delay_cap_male"
    param = law.parameter(name)
    values = tuple(dataclasses.replace(v, value=24) for v in param.values)
    other = dataclasses.replace(law, parameters={**law.parameters, name: dataclasses.replace(param, values=values)})
    person = make_person(category="employee", sex="male", birth="1990-06", as_of="2026-06-01")
    assert engine.retirement(law, person)["delay_months"] == 36
    assert engine.retirement(other, person)["delay_months"] == 24
    assert engine.retirement(law, person)["delay_months"] == 36
