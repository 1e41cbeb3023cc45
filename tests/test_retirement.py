"""Retirement: boundaries, properties, categories, errors, and the data the engine reads."""

from __future__ import annotations

import datetime as _dt
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socins_cli.dates import Month
from socins_cli.errors import InputError
from socins_cli.person import make_person
from socins_cli.engines.retirement import retirement, retirement_key, retirement_row

AFTER = _dt.date(2026, 6, 1)
BEFORE = _dt.date(2024, 6, 1)
REFORM_INSTRUMENTS = {"retire-2024", "retire-decision-2024"}
TRACKS = {"male": ("male", None), "female-55": ("female", "cadre"), "female-50": ("female", "worker")}
PARAM_SUFFIX = {"male": "male", "female-55": "female_55", "female-50": "female_50"}


def ask(law, as_of=AFTER, **attrs):
    attrs.setdefault("category", "employee")
    return retirement(law, make_person(as_of=as_of, **attrs))


def employee(law, track, birth, as_of=AFTER):
    sex, female_track = TRACKS[track]
    return ask(law, as_of=as_of, sex=sex, female_track=female_track, birth=birth)


def instruments(result) -> set[str]:
    return {c["instrument"] for c in result["citations"]}


def months(age: dict) -> int:
    return age["years"] * 12 + age["months"]


# -- boundaries (办法 第一条) ---------------------------------------------------------------------

def test_retire_2024_art1_last_unreformed_man_1964_12_retires_at_60(law):
    r = employee(law, "male", "1964-12")
    assert (r["statutory_age"], r["delay_months"], r["retirement_month"]) == ({"years": 60, "months": 0}, 0, "2024-12")
    assert any("Born before 1965-01" in n for n in r["notes"])


def test_retire_2024_art1_first_reformed_man_1965_01_retires_2025_02(law):
    r = employee(law, "male", "1965-01")
    assert (r["statutory_age"], r["delay_months"], r["retirement_month"]) == ({"years": 60, "months": 1}, 1, "2025-02")


def test_retire_2024_art1_male_cap_reached_by_1976_09(law):
    assert employee(law, "male", "1976-08")["statutory_age"] == {"years": 62, "months": 11}
    r = employee(law, "male", "1976-09")
    assert (r["statutory_age"], r["delay_months"], r["retirement_month"]) == ({"years": 63, "months": 0}, 36, "2039-09")
    assert employee(law, "male", "2000-01")["statutory_age"] == {"years": 63, "months": 0}


def test_retire_2024_art1_female_55_track_reaches_58_from_1981_09(law):
    assert employee(law, "female-55", "1969-12")["statutory_age"] == {"years": 55, "months": 0}
    assert employee(law, "female-55", "1970-01")["retirement_month"] == "2025-02"
    assert employee(law, "female-55", "1981-09")["statutory_age"] == {"years": 58, "months": 0}


def test_retire_2024_art1_female_50_track_reaches_55_from_1984_11(law):
    assert employee(law, "female-50", "1974-12")["statutory_age"] == {"years": 50, "months": 0}
    assert employee(law, "female-50", "1984-10")["statutory_age"] == {"years": 54, "months": 11}
    r = employee(law, "female-50", "1984-11")
    assert (r["statutory_age"], r["delay_months"], r["retirement_month"]) == ({"years": 55, "months": 0}, 60, "2039-11")
    assert employee(law, "female-50", "1990-05")["delay_months"] == 60


def test_retire_2024_art3_flexible_window_never_below_original_age(law):
    r = employee(law, "male", "1966-01")  # 60y4m: early may only go back 4 months
    assert (r["earliest_flexible_month"], r["retirement_month"], r["latest_flexible_month"]) == ("2026-01", "2026-05", "2029-05")
    r = employee(law, "male", "1980-01")  # 63y: early by the full 36 months
    assert (r["earliest_flexible_month"], r["latest_flexible_month"]) == ("2040-01", "2046-01")
    assert {"instrument": "retire-2024", "version": "2024", "article": "3"} in r["citations"]
    assert any("minimum contribution years are met" in n for n in r["notes"])
    assert any("所在单位与职工协商一致" in n for n in r["notes"])


def test_retire_2024_art3_no_window_for_a_retirement_month_before_2025(law):
    r = employee(law, "male", "1964-12")
    assert r["earliest_flexible_month"] is None and r["latest_flexible_month"] is None


def test_retire_2024_art2_minimum_contribution_years_by_retirement_year(law):
    assert employee(law, "male", "1968-12")["minimum_contribution_years"] == 15   # retires 2029-12
    assert employee(law, "male", "1969-01")["minimum_contribution_years"] == 15.5  # retires 2030-02
    assert employee(law, "male", "1990-01")["minimum_contribution_years"] == 20   # retires 2053
    r = employee(law, "male", "1960-01")  # reached 60 in 2020: sil art. 16
    assert r["minimum_contribution_years"] == 15
    assert {"instrument": "sil", "version": "2018", "article": "16", "paragraph": 1} in r["citations"]
    r = employee(law, "male", "1945-01")  # reached 60 in 2005, before the SIL: 国发〔1997〕26号
    assert r["minimum_contribution_years"] == 15
    assert "pension-1997" in instruments(r) and "sil" not in instruments(r)
    r = employee(law, "male", "1930-01")  # reached 60 in 1990: no encoded text states a minimum
    assert r["minimum_contribution_years"] is None
    assert any("No encoded text" in n for n in r["notes"])


# -- before the reform: the 1978 measures ---------------------------------------------------------

def test_retire_1978_workers_art1_before_2025_women_workers_retire_at_50(law):
    r = employee(law, "female-50", "1980-01", as_of=BEFORE)
    assert (r["rule"], r["statutory_age"], r["retirement_month"]) == ("1978", {"years": 50, "months": 0}, "2030-01")
    assert instruments(r) & REFORM_INSTRUMENTS == set()
    assert {"instrument": "retire-1978-workers", "version": "1978", "article": "1",
            "completeness": "partial", "confidence": "medium"} in r["citations"]
    assert r["minimum_contribution_years"] == 15  # sil art. 16, the only figure in force in 2024


def test_retire_1978_cadres_art4_before_2025_women_cadres_retire_at_55(law):
    r = employee(law, "female-55", "1972-03", as_of=BEFORE)
    assert (r["rule"], r["statutory_age"], r["retirement_month"]) == ("1978", {"years": 55, "months": 0}, "2027-03")
    assert "retire-1978-cadres" in instruments(r)


def test_decision_adopted_but_not_in_force_is_noted_not_cited(law):
    r = employee(law, "male", "1970-01", as_of=_dt.date(2024, 12, 31))
    assert r["rule"] == "1978" and r["statutory_age"] == {"years": 60, "months": 0}
    assert instruments(r) & REFORM_INSTRUMENTS == set()
    assert any("adopted on 2024-09-13" in n for n in r["notes"])
    assert not any("adopted on" in n for n in employee(law, "male", "1970-01", as_of=BEFORE)["notes"])


def test_retire_decision_2024_point5_ends_the_1978_ages_on_2025_01_01(law):
    assert employee(law, "male", "1970-01", as_of=_dt.date(2024, 12, 31))["retirement_month"] == "2030-01"
    r = employee(law, "male", "1970-01", as_of=_dt.date(2025, 1, 1))
    assert (r["rule"], r["retirement_month"]) == ("2024-reform", "2031-05")
    assert "retire-1978-workers" not in instruments(r)


# -- other categories -------------------------------------------------------------------------------

def test_mols_2001_20_part3_flexible_woman_before_reform_retires_at_55_settled(law):
    r = ask(law, as_of=BEFORE, category="flexible", sex="female", birth="1975-06")
    assert (r["rule"], r["track"], r["statutory_age"], r["retirement_month"]) == (
        "2001-flexible", "flexible-female", {"years": 55, "months": 0}, "2030-06")
    assert r["settled"] is True
    assert {"instrument": "flexible-pension-2001", "version": "2001", "article": "3", "paragraph": 2,
            "completeness": "partial", "confidence": "medium"} in r["citations"]
    assert instruments(r) & REFORM_INSTRUMENTS == set()


def test_retire_2024_art1_flexible_woman_after_reform_is_open_with_the_50_track_alternative(law):
    r = ask(law, category="self-employed", sex="female", birth="1975-06")
    cadre = employee(law, "female-55", "1975-06")
    worker = employee(law, "female-50", "1975-06")
    assert r["settled"] is False
    assert (r["track"], r["statutory_age"], r["retirement_month"]) == ("female-55", cadre["statutory_age"], cadre["retirement_month"])
    [alt] = r["alternatives"]
    assert (alt["track"], alt["statutory_age"], alt["retirement_month"]) == (
        "female-50", worker["statutory_age"], worker["retirement_month"])
    tables = {c.get("table") for c in r["citations"]}
    assert {"annex-2", "annex-3"} <= tables and "flexible-pension-2001" in instruments(r)
    assert any(worker["retirement_month"] in n and "other reading" in n for n in r["notes"])
    assert any(n.startswith("Open:") for n in r["notes"])


def test_retire_2024_art1_flexible_man_after_reform_follows_the_male_track(law):
    for category, relation in (("flexible", None), ("part-time", None), ("platform", "incomplete"), ("platform", "civil")):
        r = ask(law, category=category, relation=relation, sex="male", birth="1970-06")
        assert (r["track"], r["retirement_month"]) == ("male", employee(law, "male", "1970-06")["retirement_month"])


@pytest.mark.parametrize("track,table,before,first,last,after", [
    ("male", "annex-1", "1964-12", "1965-01", "1976-12", "1977-01"),
    ("female-55", "annex-2", "1969-12", "1970-01", "1981-12", "1982-01"),
    ("female-50", "annex-3", "1974-12", "1975-01", "1984-12", "1985-01"),
])
def test_retire_2024_annexes_1_to_3_are_cited_only_for_the_births_they_list(law, track, table, before, first, last, after):
    # 附件1 opens with 1965年1月 and closes with 1976年12月 (63岁); 附件2 1970年1月–1981年12月; 附件3 1975年1月–1984年12月.
    def tables(birth):
        return {c["table"] for c in employee(law, track, birth)["citations"] if "table" in c}

    assert table in tables(first) and table in tables(last)
    assert table not in tables(before) and table not in tables(after)
    for birth in (before, after):  # the age still rests on the decision and the 办法
        assert {"retire-decision-2024", "retire-2024"} <= instruments(employee(law, track, birth))


def test_retire_2024_art3_flexible_man_late_window_needs_an_employer_so_is_open(law):
    # 办法 art. 3: 「所在单位与职工协商一致的，可以弹性延迟退休」 — a flexible worker has no 所在单位.
    r = ask(law, category="flexible", sex="male", birth="1970-06")
    assert r["latest_flexible_month"] is not None and r["settled"] is False
    assert any(n.startswith("Open (the late window)") and "所在单位" in n for n in r["notes"])
    assert employee(law, "male", "1970-06")["settled"] is True


def test_platform_worker_in_a_labour_relation_is_answered_as_an_employee(law):
    r = ask(law, category="platform", relation="labor", sex="female", female_track="worker", birth="1980-01")
    e = employee(law, "female-50", "1980-01")
    assert (r["rule"], r["track"], r["retirement_month"], r["settled"]) == (e["rule"], e["track"], e["retirement_month"], True)


def test_sil_10_para3_civil_servants_after_reform_are_flagged_open(law):
    r = ask(law, category="civil-servant", sex="female", birth="1975-06")
    assert (r["track"], r["settled"]) == ("female-55", False)
    assert {"instrument": "sil", "version": "2018", "article": "10", "paragraph": 3} in r["citations"]
    assert ask(law, category="civil-servant", sex="male", birth="1975-06")["settled"] is False


@pytest.mark.parametrize("as_of", [BEFORE, AFTER])
def test_retire_1978_cadres_4_a_civil_servant_is_no_worker_whatever_track_is_given(law, as_of):
    """sil 10 para 3 (公务员和参照公务员法管理的工作人员) and retire-1978-cadres 4 (党政机关…的干部, 女年满五十五周岁):
    the 50 of the workers measures (art. 1) is for the 工人 of those organs; nothing makes a 公务员 one, so
    --female-track worker does not move a civil servant to the 50 track, and the answer says it is not read."""
    worker = ask(law, as_of=as_of, category="civil-servant", sex="female", female_track="worker", birth="1976-03")
    unset = ask(law, as_of=as_of, category="civil-servant", sex="female", birth="1976-03")
    assert worker["track"] == unset["track"] == "female-55"
    assert worker["retirement_month"] == unset["retirement_month"] and worker["settled"] is False
    assert any("female_track (worker) does not change the answer" in n for n in worker["notes"])


def test_sil_10_para_3_a_civil_servant_has_minimum_contribution_years_only_within_the_2015_reforms_scheme(law):
    """国发〔1997〕26号 (个人缴费年限累计满15年) is a decision on 企业职工; sil 10 para 3 leaves the pension of 公务员 to
    the State Council, whose reform (from 2014-10-01 as socins dates it) puts them into a contributory scheme: no
    minimum before it, on the date asked or for a pension age reached before it; after it 职工's years are read
    (sil 16), the same whatever the date asked, and the answer says it is a reading."""
    for as_of in (_dt.date(2010, 1, 1), _dt.date(2012, 1, 1)):
        r = ask(law, as_of=as_of, category="civil-servant", sex="male", birth="1955-05")
        assert r["minimum_contribution_years"] is None and r["statutory_age"]["years"] == 60
        assert not {c["instrument"] for c in r["citations"]} & {"pension-1997", "sil"}
        assert any("civil servant" in n and "minimum contribution" in n for n in r["notes"])
    early = ask(law, as_of=_dt.date(2016, 1, 1), category="civil-servant", sex="male", birth="1953-05")  # 2013-05
    assert early["minimum_contribution_years"] is None
    answers = [ask(law, as_of=d, category="civil-servant", sex="male", birth="1960-02")
               for d in (_dt.date(2019, 6, 1), BEFORE, AFTER)]
    assert [a["minimum_contribution_years"] for a in answers] == [15, 15, 15]
    assert all(any(n.startswith("Read for a civil servant") for n in a["notes"]) for a in answers)
    assert all({"instrument": "sil", "version": "2018", "article": "16", "paragraph": 1} in a["citations"]
               for a in answers)
    employee = ask(law, as_of=_dt.date(2012, 1, 1), category="employee", sex="male", birth="1955-05")
    assert employee["minimum_contribution_years"] == 15


def test_retire_1978_civil_servants_before_reform(law):
    man = ask(law, as_of=BEFORE, category="civil-servant", sex="male", birth="1970-01")
    assert (man["statutory_age"]["years"], man["settled"]) == (60, True)
    cadre = ask(law, as_of=BEFORE, category="civil-servant", sex="female", female_track="cadre", birth="1970-01")
    assert (cadre["statutory_age"]["years"], cadre["settled"]) == (55, True)
    unknown = ask(law, as_of=BEFORE, category="civil-servant", sex="female", birth="1970-01")
    assert (unknown["statutory_age"]["years"], unknown["settled"]) == (55, False)


def test_sil_21_para2_residents_have_no_statutory_retirement_age_in_the_texts(law):
    r = ask(law, category="resident", sex="male", birth="1960-01")
    assert r["settled"] is False and r["statutory_age"] is None and r["retirement_month"] is None
    assert {"instrument": "sil", "version": "2018", "article": "21", "paragraph": 2} in r["citations"]
    assert r["notes"]


def test_no_text_before_2001_for_flexible_workers_says_so(law):
    r = ask(law, as_of=_dt.date(1999, 1, 1), category="flexible", sex="female", birth="1950-01")
    assert (r["rule"], r["statutory_age"], r["settled"], r["citations"]) == ("none", None, False, [])
    assert r["notes"]


@pytest.mark.parametrize("birth,minimum", [("1940-03", None), ("1945-03", 15)])
def test_mols_2001_20_part3_a_flexible_workers_minimum_years_before_2025_do_not_change_when_asked_after(
        law, birth, minimum):
    """A flexible worker's pension age reached in 2000 or 2005: 20号 part 三 (from 2001-12-22) gives 15 years, and
    nothing for 2000; asked from 2025 the answer is the same, never 国发〔1997〕26号's, which is for 企业职工."""
    before, after = (ask(law, as_of=day, category="flexible", sex="male", birth=birth) for day in (BEFORE, AFTER))
    assert before["minimum_contribution_years"] == after["minimum_contribution_years"] == minimum
    assert "pension-1997" not in instruments(before) | instruments(after)


@pytest.mark.parametrize("birth,year,minimum", [("1969-01", 2030, 15.5), ("1970-01", 2031, 16), ("1990-01", 2053, 20)])
def test_retire_2024_art2_annex4_a_flexible_workers_minimum_years_rise_as_an_employees(law, birth, year, minimum):
    r = ask(law, category="flexible", sex="male", birth=birth)
    assert (int(r["retirement_month"][:4]), r["minimum_contribution_years"]) == (year, minimum)
    assert {"retire-2024:2", "retire-2024:annex-4"} <= {f"{c['instrument']}:{c['article']}" for c in r["citations"]}


@pytest.mark.parametrize("birth,earliest,early_minimum", [("1972-01", "2032-01", 16.5), ("1970-01", "2030-01", 15.5)])
def test_retire_2024_art3_annex4_retiring_early_needs_the_minimum_years_of_the_year_one_retires_in(
        law, birth, earliest, early_minimum):
    """办法 art. 3: 职工达到最低缴费年限，可以自愿选择弹性提前退休; 附件4 gives 当年最低缴费年限 year by year, so the
    earliest month's year has its own figure where it differs from the statutory month's."""
    r = employee(law, "male", birth)
    assert r["earliest_flexible_month"] == earliest
    said = [n for n in r["notes"] if n.startswith("Retiring at the earliest flexible month")]
    assert said == [f"Retiring at the earliest flexible month ({earliest}) needs the minimum contribution years of "
                    f"{earliest[:4]}, {early_minimum}, not the {r['minimum_contribution_years']} of the statutory "
                    "month's year (附件4 gives each year's figure)."]
    same_year = employee(law, "male", "1966-01")  # statutory 2026-05, earliest 2025-01: both years 15
    assert not any(n.startswith("Retiring at the earliest") for n in same_year["notes"])


def test_category_defaults_to_employee_with_a_note(law):
    r = retirement(law, make_person(sex="male", birth="1970-06", as_of=AFTER))
    assert r["retirement_month"] == employee(law, "male", "1970-06")["retirement_month"]
    assert any("No category given" in n for n in r["notes"])


# -- errors ---------------------------------------------------------------------------------------

def test_birth_month_13_is_an_input_error_naming_birth(law):
    with pytest.raises(InputError) as exc:
        retirement_row(law, {"sex": "male", "birth": "1970-13"})
    assert exc.value.field == "birth"


def test_man_with_a_female_track_is_an_input_error(law):
    with pytest.raises(InputError) as exc:
        retirement_row(law, {"sex": "male", "female_track": "cadre", "birth": "1970-01"})
    assert exc.value.field == "female_track"


def test_birth_after_as_of_is_an_input_error(law):
    with pytest.raises(InputError) as exc:
        retirement_row(law, {"sex": "male", "birth": "2030-01", "as_of": "2026-06-01"})
    assert exc.value.field == "birth"
    person = make_person(sex="male", birth="2025-01", as_of="2026-06-01")
    with pytest.raises(InputError):
        retirement(law, person, as_of="2024-06-01")


def test_woman_employee_without_female_track_is_an_input_error_naming_the_choices(law):
    for as_of in (BEFORE, AFTER):
        with pytest.raises(InputError) as exc:
            ask(law, as_of=as_of, sex="female", birth="1980-01")
        assert exc.value.field == "female_track"
        assert "worker" in exc.value.allowed and "cadre" in exc.value.allowed


def test_sex_and_birth_are_required(law):
    with pytest.raises(InputError) as exc:
        retirement(law, make_person(birth="1970-01", as_of=AFTER))
    assert exc.value.field == "sex"
    with pytest.raises(InputError) as exc:
        retirement(law, make_person(sex="male", as_of=AFTER))
    assert exc.value.field == "birth"


def test_retirement_row_reads_contract_field_names_and_ignores_other_columns(law):
    r = retirement_row(law, {"person_id": "A7", "category": "职工", "sex": "女", "female_track": "干部",
                             "birth": "1972-05", "as_of": "2026-06-01"})
    assert r["retirement_month"] == employee(law, "female-55", "1972-05")["retirement_month"]
    assert r["person"]["category"] == "employee" and "person_id" not in r["person"]


# -- properties -----------------------------------------------------------------------------------

births = st.integers(Month(1940, 1).index, Month(2010, 12).index).map(Month.from_index)
after_dates = st.dates(_dt.date(2025, 1, 1), _dt.date(2060, 12, 31))
before_dates = st.dates(_dt.date(1979, 1, 1), _dt.date(2024, 12, 31))
tracks = st.sampled_from(sorted(TRACKS))


@settings(max_examples=300, deadline=None)
@given(track=tracks, a=births, b=births, on=after_dates)
def test_property_a_later_birth_never_retires_at_a_younger_statutory_age(law, track, a, b, on):
    a, b = min(a, b), max(a, b)
    if b > Month.of(on):
        return
    ra, rb = employee(law, track, a, on), employee(law, track, b, on)
    assert months(rb["statutory_age"]) >= months(ra["statutory_age"])
    assert rb["retirement_month"] >= ra["retirement_month"]


@settings(max_examples=300, deadline=None)
@given(track=tracks, birth=births, on=after_dates)
def test_property_delay_within_cap_and_month_arithmetic_holds(law, track, birth, on):
    if birth > Month.of(on):
        return
    r = employee(law, track, birth, on)
    cap = law.value(f"retirement_delay_cap_{PARAM_SUFFIX[track]}", on)
    assert 0 <= r["delay_months"] <= cap
    assert months(r["statutory_age"]) == months(r["original_age"]) + r["delay_months"]
    assert r["retirement_month"] == str(birth + months(r["statutory_age"]))


@settings(max_examples=300, deadline=None)
@given(track=tracks, birth=births, on=after_dates)
def test_property_earliest_flexible_month_never_before_the_original_age(law, track, birth, on):
    if birth > Month.of(on):
        return
    r = employee(law, track, birth, on)
    if r["earliest_flexible_month"] is None:
        assert r["retirement_month"] < "2025-01"
        return
    assert r["earliest_flexible_month"] >= str(birth + months(r["original_age"]))
    assert r["earliest_flexible_month"] <= r["retirement_month"] < r["latest_flexible_month"]
    assert Month.parse(r["latest_flexible_month"]) - Month.parse(r["retirement_month"]) == law.value(
        "retirement_flexible_late_max_months", on)


@settings(max_examples=300, deadline=None)
@given(track=tracks, birth=births, on=before_dates)
def test_property_before_2025_the_1978_ages_and_no_2024_citation(law, track, birth, on):
    if birth > Month.of(on):
        return
    r = employee(law, track, birth, on)
    assert r["rule"] == "1978" and r["delay_months"] == 0
    assert r["statutory_age"] == {"years": {"male": 60, "female-55": 55, "female-50": 50}[track], "months": 0}
    assert instruments(r) & REFORM_INSTRUMENTS == set()
    assert r["earliest_flexible_month"] is None and r["latest_flexible_month"] is None


@settings(max_examples=200, deadline=None)
@given(birth=births, on=st.one_of(before_dates, after_dates))
def test_property_flexible_woman_is_open_only_where_retire_2024_art_1_reaches_her_retirement(law, birth, on):
    """办法 art. 1 changes ages 从2025年1月1日起: a retirement before then was 20号 part 三's (55), settled
    (unless before 20号 itself, 2001-12-22, when no encoded text set her age).

    Her track is open only if the 50 track's month is from 2025-01 (births from
    1975-01, 附件3's first); the late window only for a retirement from 2025-01;
    between the decision's adoption (2024-09-13) and 2025-01-01, an answer whose
    month is from 2025-01 is not what will apply then.
    """
    if birth > Month.of(on) or on < _dt.date(2001, 12, 22):
        return
    r = ask(law, as_of=on, category="flexible", sex="female", birth=str(birth))
    # a month before 20号 (2001-12-22) was decided by no text socins holds: open too
    assert r["settled"] is ((on < _dt.date(2024, 9, 13) or r["retirement_month"] < "2025-01")
                            and r["retirement_month"] >= "2002-01")
    assert bool(r["alternatives"]) is (on >= _dt.date(2025, 1, 1) and birth >= Month(1975, 1))


@settings(max_examples=300, deadline=None)
@given(track=tracks, birth=births, dates=st.lists(st.one_of(before_dates, after_dates), min_size=2, max_size=2))
def test_property_equal_keys_give_equal_answers(law, track, birth, dates):
    """The batch cache key names everything the answer reads besides the echoed input."""
    from socins_cli.engines.retirement import retirement_core

    if birth > Month.of(min(dates)):
        return
    sex, female_track = TRACKS[track]
    p, q = (make_person(category="employee", sex=sex, female_track=female_track, birth=str(birth), as_of=d)
            for d in dates)
    if retirement_key(p, law) == retirement_key(q, law):
        fresh = retirement_core(law, q)  # computed for q's own date
        cached = {k: v for k, v in retirement(law, p).items() if k not in ("as_of", "person", "warnings")}
        assert fresh == cached


# -- the data the engine reads --------------------------------------------------------------------

def test_retire_2024_art1_first_cohort_reaches_the_original_age_when_the_measures_take_effect(law):
    start = law.instrument("retire-2024").versions[0].effective
    for suffix in PARAM_SUFFIX.values():
        first = Month.parse(law.value(f"retirement_delay_first_cohort_{suffix}", start))
        original = law.value(f"retirement_original_age_{suffix}", start)
        assert first + original * 12 == Month.of(start)


def test_retire_decision_2024_point5_1978_ages_end_when_the_decision_takes_effect(law):
    effective = law.instrument("retire-decision-2024").versions[0].effective
    for suffix in PARAM_SUFFIX.values():
        param = law.parameter(f"retirement_original_age_{suffix}")
        first, second = param.values
        assert all(ref.startswith("retire-1978-") for ref in first.cite)
        assert second.start == effective and first.value == second.value
    for inst in ("retire-1978-workers", "retire-1978-cadres"):
        assert all(v.repealed is None for v in law.instrument(inst).versions)  # only the age provisions ceased


def test_every_citation_in_the_retirement_rules_resolves(law):
    rules = law.data["rules/retirement"]
    refs = {ref for a in rules["assignment"] for ref in a.get("cite", [])}
    refs |= {t["table"] for t in rules["track"].values() if "table" in t}
    for ref in sorted(refs):
        inst = law.instrument(ref.split(":")[0].split("/")[0])
        latest = inst.versions[-1]
        assert law.resolve(ref, latest.effective) is not None, ref
    for name in {t[k] for t in rules["track"].values() for k in ("original_age", "first_cohort", "step", "cap") if k in t}:
        assert law.parameter(name).values


RETIREMENT_INSTRUMENTS = {
    "retire-decision-2024": "retirement-age-decision-2024.md",
    "retire-2024": "retirement-age-decision-2024.md",
    "retire-1978-workers": "retirement-measures-1978.md",
    "retire-1978-cadres": "retirement-measures-1978.md",
    "retire-1978-approval": "retirement-measures-1978-npcsc-approval-resolutions.md",
    "flexible-pension-2001": "mols-2001-20-flexible-workers-pension.md",
}


@pytest.mark.parametrize("instrument", sorted(RETIREMENT_INSTRUMENTS))
def test_retirement_instrument_articles_are_verbatim_runs_of_reference_lines(law, reference, instrument):
    text = (reference / RETIREMENT_INSTRUMENTS[instrument]).read_text(encoding="utf-8")
    body = [ln for ln in text.split("---", 2)[2].split("\n") if ln.strip()]
    version = law.instrument(instrument).versions[0]
    assert version.reference == RETIREMENT_INSTRUMENTS[instrument]
    for art in version.articles:
        n = len(art.paragraphs)
        assert any(body[i:i + n] == list(art.paragraphs) for i in range(len(body))), (instrument, art.number)
        assert art.sha256 == hashlib.sha256(art.text.encode("utf-8")).hexdigest()
        if art.label:
            assert art.paragraphs[0].startswith(art.label)


def test_retire_2024_holds_preamble_and_articles_1_to_9_and_the_decision_points_1_to_5(law):
    assert [a.number for a in law.version("retire-2024", "2024").articles] == ["preamble", *map(str, range(1, 10))]
    decision = law.version("retire-decision-2024", "2024")
    assert [(a.number, a.label) for a in decision.articles] == [
        ("preamble", ""), ("1", "一、"), ("2", "二、"), ("3", "三、"), ("4", "四、"), ("5", "五、")]


@pytest.mark.parametrize("birth", ["1975-01", "1978-03", "1981-09", "1984-11", "1990-06"])
def test_retire_2024_art_2_3_the_other_reading_has_the_window_and_minimum_of_the_50_track(law, birth):
    """办法 arts. 2–3 and 附件4 give the 50 track's window and minimum years as for a woman worker of that birth."""
    flexible = ask(law, as_of="2026-06-01", category="flexible", sex="female", birth=birth)
    worker = ask(law, as_of="2026-06-01", category="employee", sex="female", female_track="worker", birth=birth)
    (other,) = flexible["alternatives"]
    fields = ("statutory_age", "retirement_month", "earliest_flexible_month", "latest_flexible_month",
              "minimum_contribution_years")
    assert {f: other[f] for f in fields} == {f: worker[f] for f in fields}


@pytest.mark.parametrize("category,sex,birth", [("employee", "male", "1960-01"), ("flexible", "female", "1960-03")])
def test_retire_2024_art1_a_retirement_month_before_2025_says_the_texts_then_in_force_gave_its_age(law, category,
                                                                                                     sex, birth):
    """办法 art. 1 从2025年1月1日起: asked about in 2026, a month of 2015-2020 is answered on the law in force then
    (the age the 办法 keeps as original, art. 3), and the answer says that month was governed by the earlier texts;
    a month from 2025 carries no such note."""
    before = ask(law, category=category, sex=sex, birth=birth)
    assert before["retirement_month"] < "2025-01"
    assert any(n.startswith(f"The statutory retirement month {before['retirement_month']} falls before 2025-01-01")
               for n in before["notes"])
    after = ask(law, category=category, sex=sex, birth="1970-03")
    assert after["retirement_month"] >= "2025-01" and not any("falls before 2025-01-01, from which" in n
                                                             for n in after["notes"])


def test_validate_names_what_a_retirement_assignment_names_that_is_not_there(tmp_path):
    """A [text] key, a track or an instrument an assignment names must exist: a typo would fall back silently."""
    import shutil
    from pathlib import Path

    from socins_cli.law.validate import validate

    root = tmp_path / "statutes"
    shutil.copytree(Path(__file__).resolve().parents[1] / "statutes", root)
    rules = root / "rules" / "retirement.toml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace('minimum_missing = "minimum_missing_civil_servant"', 'minimum_missing = "minimum_missing_civil"', 1)
    rules.write_text(text.replace('alternative = "female-50"', 'alternative = "female-5O"', 1), encoding="utf-8")
    _, problems = validate(root)
    assert any("minimum_missing" in p and "minimum_missing_civil" in p for p in problems), problems
    assert any("alternative" in p and "female-5O" in p for p in problems), problems
