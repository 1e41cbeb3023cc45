"""sil art. 16 and art. 27 past the statutory retirement age, under overlays that bind flexible workers.

The law answers a flexible worker past the statutory retirement age as open (addenda
past-retirement-age.pension-voluntary / .medical-voluntary: sil 16 ¶1-2, sil 27 — a member whose contributions
reached the required years pays no more medical contributions). An overlay that makes the same worker's
membership mandatory (Han 三（二） 强制纳入, Gao 四 二是 / 四是) changes who must join, not arts. 16 and 27: the
reformed answer for a 75-year-old must keep them and stay open, as it already does for a woman past the age only
on the other reading of her track (the *-other-reading addenda take mandatory answers).
"""

from __future__ import annotations

import datetime as _dt

import pytest

from socins_cli.engines import answers
from socins_cli.engines.reform import apply_reform, locate
from socins_cli.person import make_person

AS_OF = _dt.date(2030, 6, 1)


@pytest.mark.parametrize("rid, who, scheme, article", [
    ("han-flexible-workers-compulsory-insurance", {"category": "flexible"}, "employee-pension", "16"),
    ("han-flexible-workers-compulsory-insurance", {"category": "flexible"}, "employee-medical", "27"),
    ("han-flexible-workers-compulsory-insurance", {"category": "self-employed"}, "employee-medical", "27"),
    ("gao-income-based-eligibility", {"category": "part-time", "employers": 0}, "employee-medical", "27"),
    ("gao-national-pension", {"category": "flexible"}, "employee-pension", "16"),
    ("gao-platform-workers-as-employees", {"category": "platform", "relation": "civil"}, "employee-pension", "16"),
])
def test_sil_16_27_a_member_past_the_age_keeps_the_law_s_articles_under_a_mandatory_overlay(law, rid, who, scheme,
                                                                                           article):
    person = make_person(**who, sex="male", birth="1955-01", as_of=AS_OF)
    law_answer = next(s for s in answers.check(law, person)["schemes"] if s["scheme"] == scheme)
    assert ("sil", article) in {(c["instrument"], c["article"]) for c in law_answer["citations"]}
    reformed = apply_reform(law, locate(rid))
    entry = next(s for s in answers.check(reformed, person)["schemes"] if s["scheme"] == scheme)
    assert entry["status"] == "mandatory" and entry["settled"] is False
    assert ("sil", article) in {(c["instrument"], c["article"]) for c in entry["citations"]}, (rid, entry["rule"])
    assert f"sil art. {article}" in entry["notes"]
