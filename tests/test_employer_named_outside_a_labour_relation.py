"""Labour Law art. 2 para 1: an employer named for a worker the options place outside a labour relation.

A flexible worker (其他灵活就业人员, sil art. 10 para 2) and a platform worker in an ``incomplete`` or ``civil``
relation have no employer who insures them. ``--employers`` 1 or more, or ``--waiver`` (an agreement with an
employer), says there is one: whether the worker is in a labour relation with it (与之形成劳动关系的劳动者,
ll art. 2 para 1), and so its employee, the options do not settle. The employee-scheme answers stay as the
category gives them, open, citing art. 2 para 1; they had been settled, the employer silently dropped.
"""

from __future__ import annotations

import pytest

from socins_cli import api

EMPLOYEE_SCHEMES = ("employee-pension", "employee-medical", "work-injury", "unemployment", "maternity")
NAMED = [
    dict(category="flexible", waiver=True),
    dict(category="flexible", employers=2),
    dict(category="platform", relation="civil", employers=1),
    dict(category="platform", relation="incomplete", waiver=True),
]


def _schemes(**person) -> dict:
    return {s["scheme"]: s for s in api.check(**person)["schemes"]}


def _cites_ll_2_1(entry: dict) -> bool:
    return any(c["instrument"] == "ll" and c.get("article") == "2" and c.get("paragraph") == 1
               for c in entry["citations"])


@pytest.mark.parametrize("person", NAMED, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_ll_2_1_an_employer_named_outside_a_labour_relation_leaves_the_employee_schemes_open(person):
    plain = {k: v for k, v in person.items() if k not in ("waiver", "employers")}
    before = _schemes(**plain, as_of="2026-06-01")
    after = _schemes(**person, as_of="2026-06-01")
    for scheme in EMPLOYEE_SCHEMES:
        assert after[scheme]["status"] == before[scheme]["status"]  # the answer stays the category's
        assert after[scheme]["payers"] == before[scheme]["payers"]
        assert after[scheme]["settled"] is False and _cites_ll_2_1(after[scheme]), scheme
        assert "labour relation" in after[scheme]["notes"]
    assert after["occupational-injury"] == before["occupational-injury"]  # the pilot asks no employer


def test_ll_2_1_no_employer_named_no_note():
    for person in (dict(category="flexible"), dict(category="flexible", employers=0),
                   dict(category="platform", relation="civil")):
        assert not any(_cites_ll_2_1(e) for e in _schemes(**person, as_of="2026-06-01").values())


def test_ll_2_1_a_worker_in_a_labour_relation_is_answered_as_an_employee_without_it():
    """An employee, a part-time worker with an employer and a platform worker in a labour relation already are
    one: their answers do not turn on the question."""
    for person in (dict(category="employee", waiver=True), dict(category="part-time", employers=1, waiver=True),
                   dict(category="platform", relation="labor", employers=1)):
        assert not any(_cites_ll_2_1(e) for e in _schemes(**person, as_of="2026-06-01").values())


def test_ll_2_1_before_the_labour_law_took_effect_it_is_not_cited():
    """The Labour Law is in force from 1995-01-01 (art. 107): on 1994-12-31 its art. 2 is not cited."""
    for scheme, entry in _schemes(category="flexible", waiver=True, as_of="1994-12-31").items():
        assert not _cites_ll_2_1(entry), scheme


@pytest.mark.parametrize("person", NAMED, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_msl_11_1_from_2027_the_resident_medical_duty_turns_on_the_same_fact(person):
    """msl art. 11 para 1 binds only those 未参加职工基本医疗保险: an employee of the employer named is in employee
    medical insurance (art. 10 para 1), so the duty to join the resident scheme is open too; before 2027 the
    Medical Security Law is not cited."""
    after = _schemes(**person, as_of="2027-06-01")["resident-medical"]
    assert after["status"] == "mandatory" and after["settled"] is False and _cites_ll_2_1(after)
    assert {("msl", "10", 1), ("msl", "11", 1)} <= {(c["instrument"], c.get("article"), c.get("paragraph"))
                                                     for c in after["citations"]}
    plain = {k: v for k, v in person.items() if k not in ("waiver", "employers")}
    assert _schemes(**plain, as_of="2027-06-01")["resident-medical"]["settled"] is True
    before = _schemes(**person, as_of="2026-12-31")["resident-medical"]
    assert not any(c["instrument"] == "msl" for c in before["citations"])
