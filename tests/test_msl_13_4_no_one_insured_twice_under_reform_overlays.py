"""msl art. 13 para 4 (参保人员不得重复参加基本医疗保险) under every shipped overlay.

An overlay that binds a person to employee medical insurance must not leave the same person bound to (or
free to join) resident medical insurance on the same day; nor may one bound to employee pension insurance be
left in the resident pension (sil art. 10 para 1, as the overlays' own headers read it). Han 三（二）
(强制纳入) reaches a part-time worker with an employer too, whose resident-medical answer under the law
(resident-medical.part-time-employed.mandatory-msl-open) rests on their not being in employee medical insurance.
"""

from __future__ import annotations

import datetime as _dt

import pytest

from socins_cli.engines import answers
from socins_cli.engines.reform import apply_reform, locate, shipped
from socins_cli.person import make_person

AS_OF = _dt.date(2030, 6, 1)
IDS = sorted(raw["reform"]["id"] for _, raw in shipped())
PEOPLE = [
    {"category": "flexible"},
    {"category": "flexible", "income": 6000},
    {"category": "self-employed"},
    {"category": "part-time"},
    {"category": "part-time", "employers": 0},
    {"category": "part-time", "employers": 1},
    {"category": "part-time", "employers": 2, "income": 6000},
    {"category": "platform", "relation": "incomplete", "province": "guangdong", "industry": "food-delivery"},
    {"category": "platform", "relation": "civil"},
    {"category": "platform", "relation": "labor"},
    {"category": "resident", "income": 3000},
    {"category": "employee"},
    {"category": "civil-servant"},
]


@pytest.fixture(scope="module")
def reformed(law):
    return {rid: apply_reform(law, locate(rid)) for rid in IDS}


@pytest.mark.parametrize("rid", IDS)
@pytest.mark.parametrize("who", PEOPLE, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_msl_13_4_mandatory_employee_medical_leaves_no_resident_medical(reformed, rid, who):
    found = {s["scheme"]: s for s in answers.check(reformed[rid], make_person(**who, as_of=AS_OF))["schemes"]}
    if found["employee-medical"]["status"] == "mandatory":
        assert found["resident-medical"]["status"] == "not-eligible", (rid, who, found["resident-medical"]["rule"])
    if found["employee-pension"]["status"] == "mandatory":
        assert found["resident-pension"]["status"] == "not-eligible", (rid, who, found["resident-pension"]["rule"])


def test_han_3_2_a_part_time_worker_with_an_employer_is_outside_the_resident_scheme(reformed):
    person = make_person(category="part-time", employers=1, as_of=AS_OF)
    found = {s["scheme"]: s for s in answers.check(reformed["han-flexible-workers-compulsory-insurance"], person)["schemes"]}
    assert found["employee-medical"]["status"] == "mandatory"
    resident = found["resident-medical"]
    assert (resident["status"], resident["settled"]) == ("not-eligible", False)
    cited = {(c["instrument"], c["article"], c.get("paragraph")) for c in resident["citations"]}
    assert ("msl", "13", 4) in cited and ("msl", "11", 1) in cited
    assert resident["citations"][0]["instrument"] == "han-flexible-workers-compulsory-insurance"
