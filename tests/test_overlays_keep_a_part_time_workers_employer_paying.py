"""A part-time worker with an employer keeps the employer paying where an overlay binds them to a scheme the law
leaves them out of.

Under the law such a worker is not in unemployment or maternity insurance (open), so an overlay binding them must
say who pays, and binds one with an employer (非全日制用工 is work for a 用人单位, Labour Contract Law art. 68) as the
law binds 职工: sil art. 44 (用人单位和职工……共同缴纳), msl art. 14 para 1 (生育保险费由用人单位缴纳，职工不缴纳). Neither paper
moves an employer's share onto the worker or the state: Han 三（三） proposes the state's subsidy for 无用人单位的灵活就业
人员, and Gao's income test says nothing of who pays. A note must not call the worker one without an employer. (Pension
and medical insurance the law lets them join paying alone, open; Gao's income overlay keeps that payer.)
"""

from __future__ import annotations

import datetime as _dt

import pytest

from socins_cli.engines import answers
from socins_cli.engines.reform import apply_reform, locate, shipped
from socins_cli.person import make_person

AS_OF = _dt.date(2030, 6, 1)
IDS = sorted(raw["reform"]["id"] for _, raw in shipped())
SCHEMES = ("work-injury", "unemployment", "maternity")


@pytest.fixture(scope="module")
def reformed(law):
    return {rid: apply_reform(law, locate(rid)) for rid in IDS}


@pytest.mark.parametrize("rid", IDS)
@pytest.mark.parametrize("who", [{"employers": 1}, {"employers": 2, "income": 6000}, {"employers": 1, "income": 500}],
                         ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_lcl_68_part_time_worker_with_an_employer_keeps_the_employer_paying(reformed, rid, who):
    person = make_person(category="part-time", **who, as_of=AS_OF)
    for s in answers.check(reformed[rid], person)["schemes"]:
        if s["scheme"] in SCHEMES and s["status"] == "mandatory":
            assert "employer" in s["payers"], (rid, s["scheme"], s["rule"], s["payers"])
            assert s["payers"] != ["individual", "government"], (rid, s["scheme"], s["rule"])
            assert "who has no employer" not in (s.get("notes") or ""), (rid, s["scheme"], s["rule"])


def test_gao_income_maternity_msl_14_1_employer_pays_for_a_part_time_worker_with_one(reformed):
    person = make_person(category="part-time", employers=1, as_of=AS_OF)
    found = {s["scheme"]: s for s in answers.check(reformed["gao-income-based-eligibility"], person)["schemes"]}
    assert (found["maternity"]["status"], found["maternity"]["payers"]) == ("mandatory", ["employer"])
    assert ("msl", "14", 1) in {(c["instrument"], c["article"], c.get("paragraph")) for c in found["maternity"]["citations"]}
    assert found["unemployment"]["payers"] == ["employer", "individual"]
    alone = make_person(category="part-time", employers=0, as_of=AS_OF)
    found = {s["scheme"]: s for s in answers.check(reformed["gao-income-based-eligibility"], alone)["schemes"]}
    assert found["maternity"]["payers"] == ["individual"]  # outside an employer: the worker, as the overlay shows it


def test_han_3_3_state_subsidy_is_for_flexible_workers_without_an_employer(reformed):
    """Han 三（三）: 对于无用人单位的灵活就业人员……政府应通过降低其缴费基数或参保费率、增加财政补贴等方式: a part-time worker with an
    employer is bound (强制纳入) with the employer paying as for 职工 (sil 10 para 1, msl 10 para 1), not subsidised."""
    law = reformed["han-flexible-workers-compulsory-insurance"]
    with_one = {s["scheme"]: s for s in answers.check(law, make_person(category="part-time", employers=1, as_of=AS_OF))["schemes"]}
    alone = {s["scheme"]: s for s in answers.check(law, make_person(category="part-time", employers=0, as_of=AS_OF))["schemes"]}
    for scheme, cited in (("employee-pension", ("sil", "10", 1)), ("employee-medical", ("msl", "10", 1))):
        assert (with_one[scheme]["status"], with_one[scheme]["payers"]) == ("mandatory", ["employer", "individual"])
        assert cited in {(c["instrument"], c["article"], c.get("paragraph")) for c in with_one[scheme]["citations"]}
        assert alone[scheme]["payers"] == ["individual", "government"]
    assert with_one["maternity"]["payers"] == ["employer"] and alone["maternity"]["payers"] == ["individual", "government"]
