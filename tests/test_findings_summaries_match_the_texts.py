"""The findings' summaries say no more than the texts held: what no encoded text holds is not called a summary,
and a rule attributed to an article keeps that article's conditions."""

from __future__ import annotations

import datetime as dt

import pytest

from socins_cli.engines import inequities as ineq

D = dt.date


def finding(law, on, fid):
    return {f["id"]: f for f in ineq.inequities(law, on)["inequities"]}[fid]


@pytest.mark.parametrize("on", [D(2011, 7, 1), D(2021, 8, 1), D(2024, 12, 31), D(2025, 7, 1), D(2026, 12, 31)])
def test_registration_hukou_waiting_periods_are_not_said_to_rest_on_summaries(law, on):
    """No encoded text, summary or otherwise, speaks of medical waiting periods (the open note: local rules that no
    encoded text holds; Han 三（四）第三: 一些地方有关……等待期规定). Before msl art. 13 para 3 (2027-01-01) the summary must
    not say the encoded texts hold summaries on them; hukou limits (hukou-2025, from 2025-01-07) may."""
    f = finding(law, on, "registration-hukou")
    assert "no encoded text holds" in " ".join(f["notes"])
    assert "等待期，编码的文本只有摘要性材料" not in f["summary"] and "等待期由地方规定，编码的文本未收录" in f["summary"]
    assert "medical waiting periods, the encoded texts hold only summaries" not in f["summary_en"]
    assert "medical waiting periods are set by local rules that no encoded text holds" in f["summary_en"]


def test_msl_art11_residents_duty_keeps_its_condition_on_other_state_cover(law):
    """msl art. 11 para 1: 未参加职工基本医疗保险且未享有国家其他医疗保障的公民应当参加城乡居民基本医疗保险 — the summary of
    pension-obligation from 2027-01-01 names the article, so it keeps both conditions."""
    f = finding(law, D(2027, 1, 1), "pension-obligation")
    assert "未参加职工基本医疗保险且未享有国家其他医疗保障的，依医疗保障法第十一条" in f["summary"]
    assert "other state medical security" in f["summary_en"] and "Medical Security Law art. 11" in f["summary_en"]


@pytest.mark.parametrize("on, says", [(D(2025, 7, 1), "部分省份、行业和平台企业"), (D(2026, 12, 31), "部分省份、行业和平台企业"),
                                      (D(2027, 1, 1), "出行、即时配送和同城货运三个行业")])
def test_work_injury_exclusion_follows_oi_pilot_2025_part_1_2026_rollout(law, on, says):
    """oi-pilot-2025 part 一: 2026年，推动职业伤害保障试点在全国31个省份和新疆生产建设兵团实施；将出行、即时配送和同城货运三个
    行业的平台企业总体纳入. From 2027-01-01, when socins answers the pilot for every province and platform of the three
    industries, the finding no longer says the pilot narrows the gap only in some provinces and platforms."""
    f = finding(law, on, "work-injury-exclusion")
    assert says in f["summary"]
    assert ("provinces, industries and platforms" in f["summary_en"]) == (on < D(2027, 1, 1))


@pytest.mark.parametrize("on", [D(2012, 1, 1), D(2020, 1, 1), D(2026, 6, 1)])
def test_contribution_burden_does_not_give_the_employer_the_rest_of_the_flexible_rate(law, on):
    """国发〔2005〕38号 三 sets the flexible worker's 20% and Han 二（三）第二 compares it with the employee's own 8% only; the
    employer's rate is its own (20% of the wage bill, 16% from the 2019 cut), not 20% less 8%: the summary had said
    其余由用人单位缴纳 (the rest being the employer's)."""
    employer = law.value("pension_contribution_rate_employer", on)
    rest = law.value("pension_contribution_rate_flexible", on) - law.value("pension_contribution_rate_employee", on)
    assert employer != rest
    f = finding(law, on, "contribution-burden")
    assert "其余由用人单位缴纳" not in f["summary"] and "the rest being the employer" not in f["summary_en"]
    assert "用人单位另按其费率缴费" in f["summary"]


@pytest.mark.parametrize("on", [D(2026, 12, 31), D(2027, 1, 1)])
def test_maternity_exclusion_names_msl_14_2_promise_only_once_in_force(law, on):
    """msl art. 14 para 2 (国家完善生育保险制度，推进扩大生育保险覆盖范围), cited as the finding's evidence from 2027-01-01, promises
    to widen cover without naming whom: the summary says so from that day, and not before (the law takes effect then)."""
    f = finding(law, on, "maternity-exclusion")
    said = "推进扩大生育保险覆盖范围" in f["summary"]
    assert said == (on >= D(2027, 1, 1))
    assert ("art. 14 para 2" in f["summary_en"]) == said
