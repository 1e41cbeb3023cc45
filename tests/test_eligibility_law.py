"""Legal outcomes of ``socins check``, one test per outcome, named after the article it rests on.

Each test fixes a person and a date (on both sides of the date that matters)
and asserts status, payers, settled and the citations: instrument, version,
article, paragraph.
"""

from __future__ import annotations

import pytest

from eligibility_support import (FLEXIBLE, PEOPLE, cites, contribution_regulation, instruments, part_time_definition,
                                 run, schemes)

PLATFORM_FLEX = ({"category": "platform", "relation": "incomplete"}, {"category": "platform", "relation": "civil"})
# A part-time worker among flexible workers is one outside an employer (sil 10 para 2: 未在用人单位参加…的非全日制从业人员).
ALL_FLEX = tuple({"category": c, **({"employers": 0} if c == "part-time" else {})} for c in FLEXIBLE) + PLATFORM_FLEX


# -- before the Social Insurance Law -----------------------------------------------------

@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_sil_art98_before_2011_07_01_sil_is_never_cited_and_nothing_is_settled(law, who):
    result = run(law, "2011-06-30", **PEOPLE[who])
    for entry in result["schemes"]:
        assert "sil" not in instruments(entry), entry
        assert entry["settled"] is False, entry


@pytest.mark.parametrize("who", ["resident", "flexible"])
def test_sil_art98_before_2011_schemes_without_earlier_law_say_so(law, who):
    entry = schemes(law, "2011-06-30", **PEOPLE[who])["employee-medical"]
    assert entry["status"] == "not-eligible"
    assert entry["citations"] == []
    assert entry["settled"] is False
    assert "2011-07-01" in entry["notes"] and "encodes no earlier" in entry["notes"]


@pytest.mark.parametrize("who", [{"category": "flexible"}, {"category": "self-employed"},
                                 {"category": "platform", "relation": "civil"}])
def test_uir_1999_arts_2_and_32_before_2011_flexible_workers_have_no_way_into_unemployment_insurance(law, who):
    # uir 2 「城镇企业事业单位、城镇企业事业单位职工…缴纳失业保险费」; 32 extends it only to 有雇工的城镇个体工商户及其雇工 etc.
    entry = schemes(law, "2010-06-01", **who)["unemployment"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert cites(entry) == {"uir@1999:2:1", "uir@1999:32"}
    before_uir = schemes(law, "1998-06-01", **who)["unemployment"]
    assert before_uir["citations"] == [] and "encodes no earlier" in before_uir["notes"]


def test_sil_art98_from_2011_07_01_the_law_answers(law):
    entry = schemes(law, "2011-07-01", category="employee")["employee-medical"]
    assert entry["status"] == "mandatory" and entry["settled"] is True
    assert cites(entry) == {"sil@2010:23:1"}


def test_wiir_art2_before_2011_employee_work_injury_from_the_regulation_only(law):
    entry = schemes(law, "2011-06-30", category="employee")["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], False)
    assert cites(entry) == {"wiir@2010:2:1"}


def test_uir_art2_art6_before_2011_employee_unemployment_from_the_regulation_only(law):
    entry = schemes(law, "2011-06-30", category="employee")["unemployment"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer", "individual"], False)
    assert cites(entry) == {"uir@1999:2:1", "uir@1999:6"}


def test_guofa_2005_38_part3_before_2011_flexible_workers_were_to_join_paying_alone(law):
    entry = schemes(law, "2011-06-30", category="flexible")["employee-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["individual"], False)
    assert cites(entry) == {"pension-2005@2005:3"}
    after = schemes(law, "2011-07-01", category="flexible")["employee-pension"]
    assert (after["status"], after["settled"]) == ("voluntary", True)


def test_laoshebufa_2001_20_part3_before_2006_flexible_pension_regulated_once_joined(law):
    entry = schemes(law, "2005-12-31", category="self-employed")["employee-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("voluntary", ["individual"], False)
    assert cites(entry) == {"flexible-pension-2001@2001:3:1"}


# -- pension ----------------------------------------------------------------------------

@pytest.mark.parametrize("day,version", [("2011-07-01", "2010"), ("2018-12-28", "2010"),
                                         ("2018-12-29", "2018"), ("2030-01-01", "2018")])
def test_sil_art10_para1_employee_pension_is_mandatory_shared(law, day, version):
    entry = schemes(law, day, category="employee")["employee-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer", "individual"], True)
    assert cites(entry) == {f"sil@{version}:10:1", f"sil@{version}:12:1", f"sil@{version}:12:2"} | contribution_regulation(day)


@pytest.mark.parametrize("who", [{"category": "employee"}, {"category": "platform", "relation": "labor"}])
@pytest.mark.parametrize("day,expected", [
    ("2012-06-01", {"sil@2010:10:1", "sil@2010:20:1", "sil@2010:22:1"}),
    ("2026-06-01", {"sil@2018:10:1", "resident-pension-2014@2014:coverage"}),
])
def test_sil_art10_para1_an_employees_resident_pension_rests_on_para_1_not_the_civil_servants_para_3(law, who, day,
                                                                                                     expected):
    """职工应当参加基本养老保险 (para 1) puts an employee in employee pension, and from 2014 the State Council's opinion
    admits to the resident pension only those 不属于职工基本养老保险制度覆盖范围; para 3 speaks of civil servants."""
    entry = schemes(law, day, **who)["resident-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("not-eligible", [], day >= "2014-12-31")
    assert cites(entry) == expected
    if day < "2014-12-31":  # arts. 20 and 22 set up the schemes without saying who may join them: open till 2014
        assert "Open" in entry["notes"] and "2014 opinion" in entry["notes"]


@pytest.mark.parametrize("day,expected", [
    ("2012-06-01", {"sil@2010:10:3", "sil@2010:20:1", "sil@2010:22:1"}),
    ("2026-06-01", {"sil@2018:10:3", "resident-pension-2014@2014:coverage"}),
])
def test_sil_art10_para3_a_civil_servants_resident_pension_rests_on_para_3_not_the_employees_para_1(law, day, expected):
    """公务员和参照公务员法管理的工作人员养老保险的办法由国务院规定 (para 3): a civil servant's answer never cites para 1."""
    entry = schemes(law, day, category="civil-servant")["resident-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("not-eligible", [], day >= "2014-12-31")
    assert cites(entry) == expected


def provinces_may(category: str) -> set:
    """sicr 3 para 4 (from 2019-03-24): a province may bring 城镇个体工商户 into pension and medical collection, so a
    self-employed person's answer cites it (and art. 4 para 1) and is open."""
    return {"sicr@2019:3:4", "sicr@2019:4:1"} if category == "self-employed" else set()


@pytest.mark.parametrize("category", FLEXIBLE)
def test_sil_2018_art10_para2_flexible_pension_is_voluntary_paid_alone(law, category):
    entry = schemes(law, "2026-06-01", category=category)["employee-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("voluntary", ["individual"], not provinces_may(category))
    assert cites(entry) == {"sil@2018:10:2", "sil@2018:12:3"} | part_time_definition(category, "2012") | provinces_may(category)


@pytest.mark.parametrize("category", FLEXIBLE)
def test_sil_2010_art10_para2_flexible_pension_is_voluntary_paid_alone(law, category):
    entry = schemes(law, "2015-01-01", category=category)["employee-pension"]
    assert (entry["status"], entry["payers"]) == ("voluntary", ["individual"])
    assert cites(entry) == {"sil@2010:10:2", "sil@2010:12:3"} | part_time_definition(category, "2012")


def test_sil_art10_para3_civil_servant_pension_is_the_state_councils_and_unsettled(law):
    """办法由国务院规定 delegates and binds no one to join: before the State Council's reform there is no scheme."""
    got = schemes(law, "2014-09-30", category="civil-servant")
    public = got["public-sector-pension"]
    assert (public["status"], public["payers"], public["settled"]) == ("not-eligible", [], False)
    assert cites(public) == {"sil@2010:10:3"}
    employee = got["employee-pension"]
    assert (employee["status"], employee["settled"]) == ("not-eligible", True)
    assert cites(employee) == {"sil@2010:10:3"}


def test_guofa_2015_2_part_1_unit_and_staff_contribute_but_scope_and_date_stay_open(law):
    """The 2015 reform (part 一 held) names who pays; its part 二 and its in-force date were not found."""
    public = schemes(law, "2020-01-01", category="civil-servant")["public-sector-pension"]
    assert (public["status"], public["payers"], public["settled"]) == ("mandatory", ["employer", "individual"], False)
    assert cites(public) == {"sil@2018:10:3", "public-pension-2015@2015:1"}
    assert "二" in public["notes"] and "2014-10-01" in public["notes"]


@pytest.mark.parametrize("category", ["employee", "self-employed", "flexible", "resident"])
def test_sil_art10_para3_public_sector_pension_only_for_civil_servants(law, category):
    entry = schemes(law, "2020-01-01", category=category)["public-sector-pension"]
    assert entry["status"] == "not-eligible"
    assert cites(entry) == {"sil@2018:10:3"}


def test_sil_art20_para2_resident_pension_individual_collective_government(law):
    entry = schemes(law, "2020-01-01", category="resident")["resident-pension"]
    assert (entry["status"], entry["payers"], entry["settled"]) == (
        "voluntary", ["individual", "government", "collective"], True)
    assert {"sil@2018:20:2", "sil@2018:22:1"} <= cites(entry)


@pytest.mark.parametrize("who", ALL_FLEX)
def test_sil_art20_22_flexible_workers_in_resident_pension_left_open(law, who):
    entry = schemes(law, "2020-01-01", **who)["resident-pension"]
    assert (entry["status"], entry["settled"]) == ("voluntary", False)
    assert "sil@2018:10:2" in cites(entry)


@pytest.mark.parametrize("category", ["employee", "civil-servant"])
def test_sil_art10_employees_and_civil_servants_not_in_resident_pension(law, category):
    entry = schemes(law, "2020-01-01", category=category)["resident-pension"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", True)


@pytest.mark.parametrize("day,integrated", [("2016-01-11", False), ("2016-01-12", True), ("2026-12-31", True)])
def test_sil_art24_25_a_residents_medical_cites_the_2016_merger_from_its_date(law, day, integrated):
    """sil arts. 24-25 set up two schemes; 国发〔2016〕3号 merges them (建立統一的城鄉居民基本醫療保險制度, preamble para 2),
    covering every resident outside employee medical insurance by 人民网's report: cited from 2016-01-12, as for a
    flexible worker on the same day."""
    entry = schemes(law, day, category="resident")["resident-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("voluntary", ["individual", "government"], True)
    merger = {"resident-medical-2016@2016:preamble:2", "resident-medical-2016@2016#coverage-renmin"}
    assert merger <= cites(entry) if integrated else not (merger & cites(entry))
    flexible = schemes(law, day, category="flexible")["resident-medical"]
    assert ("resident-medical-2016@2016#coverage-renmin" in cites(flexible)) == integrated


def test_sil_art10_residents_have_no_path_into_employee_pension(law):
    entry = schemes(law, "2020-01-01", category="resident")["employee-pension"]
    assert (entry["status"], entry["payers"]) == ("not-eligible", [])
    assert cites(entry) == {"sil@2018:10:1", "sil@2018:10:2"}


# -- medical ---------------------------------------------------------------------------

def test_sil_art23_para1_employee_medical_mandatory_shared_until_2026(law):
    entry = schemes(law, "2026-12-31", category="employee")["employee-medical"]
    assert (entry["status"], entry["payers"]) == ("mandatory", ["employer", "individual"])
    assert cites(entry) == {"sil@2018:23:1"} | contribution_regulation("2026-12-31")


def test_msl_art10_para1_employee_medical_mandatory_shared_from_2027_with_sil_art23_para1_still_in_force(law):
    entry = schemes(law, "2027-01-01", category="employee")["employee-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer", "individual"], True)
    assert cites(entry) == {"msl@2026:10:1", "sil@2018:23:1"} | contribution_regulation("2027-01-01")


@pytest.mark.parametrize("category", FLEXIBLE)
def test_sil_art23_para2_flexible_medical_voluntary_paid_alone(law, category):
    entry = schemes(law, "2026-12-31", category=category)["employee-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("voluntary", ["individual"], not provinces_may(category))
    assert cites(entry) == {"sil@2018:23:2"} | part_time_definition(category, "2012") | provinces_may(category)


@pytest.mark.parametrize("category", FLEXIBLE)
def test_msl_art10_para2_flexible_medical_encouraged_still_voluntary_paid_alone_by_sil_art23_para2_through_msl_art2(
        law, category):
    entry = schemes(law, "2027-01-01", category=category)["employee-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("voluntary", ["individual"], not provinces_may(category))
    # msl 10 ¶2 is silent on who pays; msl 2 sends that question to sil 23 ¶2 (由个人按照国家规定缴纳)
    assert cites(entry) == {"msl@2026:10:2", "msl@2026:2", "sil@2018:23:2"} | part_time_definition(category, "2012") | provinces_may(category)


def test_sil_art25_resident_medical_voluntary_individual_and_government_before_2027(law):
    entry = schemes(law, "2026-12-31", category="resident")["resident-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("voluntary", ["individual", "government"], True)
    assert "sil@2018:25:2" in cites(entry)


def test_sil_art25_resident_medical_note_names_the_2016_opinion_as_held_in_part(law):
    """The note said the 2016 merger was 'not encoded' though resident-medical-2016 is in the corpus."""
    assert "resident-medical-2016" in law.instruments
    entry = schemes(law, "2026-12-31", category="resident")["resident-medical"]
    assert "not encoded" not in entry["notes"] and "国发〔2016〕3号" in entry["notes"]


def test_msl_art11_para1_resident_medical_mandatory_from_2027(law):
    entry = schemes(law, "2027-01-01", category="resident")["resident-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["individual", "government"], True)
    assert cites(entry) == {"msl@2026:11:1", "msl@2026:11:2"}


@pytest.mark.parametrize("who", ALL_FLEX)
def test_msl_art11_para1_flexible_outside_employee_medical_must_join_resident_medical(law, who):
    before = schemes(law, "2026-12-31", **who)["resident-medical"]
    assert (before["status"], before["settled"]) == ("voluntary", False)
    after = schemes(law, "2027-01-01", **who)["resident-medical"]
    assert (after["status"], after["payers"], after["settled"]) == ("mandatory", ["individual", "government"], True)
    assert {"msl@2026:11:1", "msl@2026:13:4"} <= cites(after)


def test_hukou_2025_nhsa_notice_flexible_resident_medical_cited_as_summary(law):
    before = schemes(law, "2025-01-06", category="flexible")["resident-medical"]
    after = schemes(law, "2025-01-07", category="flexible")["resident-medical"]
    assert "hukou-2025" not in instruments(before)
    assert "hukou-2025@2025#nhsa-notice-2025-fafayan" in cites(after)
    assert after["settled"] is False and "summary-only" in after["notes"]


@pytest.mark.parametrize("category", ["employee", "civil-servant"])
def test_msl_art13_para4_no_one_in_both_medical_schemes(law, category):
    entry = schemes(law, "2027-01-01", category=category)["resident-medical"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", True)
    assert "msl@2026:13:4" in cites(entry)


@pytest.mark.parametrize("day,refs,settled", [
    ("2015-01-01", {"sil@2010:23:1"}, False),  # 职工 read to include them; the 1999 contribution regulation not held
    ("2020-01-01", {"sil@2018:23:1", "sicr@2019:3:2"}, True),  # sicr 3 ¶2: 国家机关及其工作人员 in the scope
    # msl 11: 国家其他医疗保障 may take its place; msl 2: sil 23 ¶1 applies where the MSL is silent, as for employees
    ("2027-01-01", {"msl@2026:10:1", "msl@2026:2", "msl@2026:11:1", "sil@2018:23:1", "sicr@2019:3:2"}, False),
])
def test_sil_art23_sicr_art3_civil_servant_medical_is_mandatory(law, day, refs, settled):
    entry = schemes(law, day, category="civil-servant")["employee-medical"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer", "individual"], settled)
    assert cites(entry) == refs | contribution_regulation(day)


def test_sil_art23_residents_have_no_path_into_employee_medical(law):
    assert schemes(law, "2020-01-01", category="resident")["employee-medical"]["status"] == "not-eligible"
    entry = schemes(law, "2027-01-01", category="resident")["employee-medical"]
    assert entry["status"] == "not-eligible" and "msl@2026:11:1" in cites(entry)


# -- work injury -----------------------------------------------------------------------

@pytest.mark.parametrize("day,version", [("2011-07-01", "2010"), ("2018-12-29", "2018")])
def test_sil_art33_employee_work_injury_employer_alone_pays(law, day, version):
    entry = schemes(law, day, category="employee")["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], True)
    assert cites(entry) == {f"sil@{version}:33", "wiir@2010:2:1"}


@pytest.mark.parametrize("who", ALL_FLEX)
def test_sil_art33_flexible_workers_have_no_path_into_work_injury(law, who):
    entry = schemes(law, "2020-01-01", **who)["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("not-eligible", [], True)
    assert "sil@2018:33" in cites(entry)


def test_sil_provisions_2011_art9_part_time_several_employers_each_employer_pays(law):
    entry = schemes(law, "2012-01-01", category="part-time", employers=2)["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], True)
    assert cites(entry) == {"sil@2010:33", "sil-provisions-2011@2011:9", "lcl@2007:68", "lcl@2007:69:2"}
    assert "each employer" in entry["notes"]


def test_sil_provisions_2011_art9_applies_from_2011_07_01_as_han_dates_it(law):
    """令13号 in force 2011-07-01 (Han part 二（三）, 2011年7月1日起施行): each of two employers pays from that day."""
    entry = schemes(law, "2011-07-01", category="part-time", employers=2)["work-injury"]
    assert "sil-provisions-2011@2011:9" in cites(entry)
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], True)
    assert "sil-provisions-2011" not in instruments(schemes(law, "2011-06-30", category="part-time", employers=2)[
        "work-injury"])


@pytest.mark.parametrize("employers", [1, 2])
def test_sil_44_part_time_worker_with_an_employer_is_open_for_unemployment(
        law, employers):
    for day in ("2011-07-01", "2012-01-01"):
        entry = schemes(law, day, category="part-time", employers=employers)["unemployment"]
        assert (entry["status"], entry["settled"]) == ("not-eligible", False), day
        assert "outside an employer" not in entry["notes"].split("as for")[0], day


def test_sil_provisions_2011_art9_part_time_one_employer_open(law):
    entry = schemes(law, "2020-01-01", category="part-time", employers=1)["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], False)
    assert cites(entry) == {"sil@2018:33", "wiir@2010:2:1", "lcl@2012:68"} | contribution_regulation("2020-01-01", "work-injury")


@pytest.mark.parametrize("employers", [None, 0])
def test_sil_art33_part_time_without_employer_has_no_work_injury(law, employers):
    entry = schemes(law, "2020-01-01", category="part-time", employers=employers)["work-injury"]
    assert entry["status"] == "not-eligible"
    # lcl 68: 非全日制用工 is work for a 用人单位; not knowing whether there is one leaves the answer open.
    assert entry["settled"] is (employers == 0)


@pytest.mark.parametrize("scheme,duty", [("work-injury", "sil@2018:33"), ("unemployment", "sil@2018:44")])
def test_lcl_art68_part_time_worker_whose_employers_are_not_given_is_open(law, scheme, duty):
    entry = schemes(law, "2020-01-01", category="part-time")[scheme]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert {duty, "lcl@2012:68"} <= cites(entry)
    assert "--employers" in entry["notes"]


@pytest.mark.parametrize("day,version", [("2005-06-01", "1994"), ("2011-06-30", "2009")])
def test_ll_art72_before_2011_employee_medical_and_maternity_are_mandatory_and_open(law, day, version):
    found = schemes(law, day, category="employee")
    medical, maternity = found["employee-medical"], found["maternity"]
    # 按照保险类型确定资金来源 (art. 72): the fund's sources are each type's, so the article names no payer of either
    for entry in (medical, maternity):
        assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", [], False)
        assert cites(entry) == {f"ll@{version}:72", f"ll@{version}:70", f"ll@{version}:73"}
        assert "no payer is given" in entry["notes"]
    assert "按照保险类型确定资金来源" in medical["notes"]
    before = schemes(law, "1994-12-31", category="employee")["employee-medical"]
    assert (before["status"], before["citations"]) == ("not-eligible", [])


def test_sil_provisions_2011_art9_employee_with_several_employers(law):
    entry = schemes(law, "2020-01-01", category="employee", employers=3)["work-injury"]
    assert (entry["status"], entry["payers"]) == ("mandatory", ["employer"])
    assert "sil-provisions-2011@2011:9" in cites(entry)
    single = schemes(law, "2020-01-01", category="employee", employers=1)["work-injury"]
    assert "sil-provisions-2011" not in instruments(single)


def test_wiir_art65_civil_servant_work_injury_paid_by_the_unit(law):
    entry = schemes(law, "2020-01-01", category="civil-servant")["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("not-eligible", [], True)
    assert cites(entry) == {"wiir@2010:65"}
    before = schemes(law, "2011-06-30", category="civil-servant")["work-injury"]
    assert before["settled"] is False


# -- unemployment ----------------------------------------------------------------------

def test_sil_art44_employee_unemployment_shared(law):
    entry = schemes(law, "2020-01-01", category="employee")["unemployment"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer", "individual"], True)
    # uir 6: 农民合同制工人本人不缴纳失业保险费 (按照国家规定 in art. 44), cited beside it
    assert cites(entry) == {"sil@2018:44", "uir@1999:6"} | contribution_regulation("2020-01-01")


@pytest.mark.parametrize("who", ALL_FLEX)
def test_sil_art44_uir_art2_flexible_workers_have_no_path_into_unemployment(law, who):
    entry = schemes(law, "2020-01-01", **who)["unemployment"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", True)
    assert cites(entry) == {"sil@2018:44", "uir@1999:2:1"} | part_time_definition(who.get("category"), "2012")


def test_uir_art2_civil_servant_unemployment_not_covered_but_open(law):
    entry = schemes(law, "2020-01-01", category="civil-servant")["unemployment"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert "uir@1999:2:1" in cites(entry)


# -- maternity -------------------------------------------------------------------------

def test_sil_art53_employee_maternity_employer_alone_before_the_merger(law):
    entry = schemes(law, "2019-03-24", category="employee")["maternity"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], True)
    assert cites(entry) == {"sil@2018:53"}


def test_guobanfa_2019_10_item1_maternity_merged_with_employee_medical(law):
    entry = schemes(law, "2019-03-25", category="employee")["maternity"]
    assert (entry["status"], entry["payers"]) == ("mandatory", ["employer"])
    assert cites(entry) == {"sil@2018:53", "maternity-merger-2019@2019:item-1", "maternity-merger-2019@2019:item-2"}


def test_msl_art14_para1_employee_maternity_from_2027(law):
    entry = schemes(law, "2027-01-01", category="employee")["maternity"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], True)
    assert cites(entry) == {"msl@2026:14:1", "sil@2018:53"}


@pytest.mark.parametrize("day,refs", [
    ("2026-12-31", {"sil@2018:53"}),
    # msl 14 ¶1 binds 职工; for all it leaves unsaid, sil 53 still applies (msl art. 2)
    ("2027-01-01", {"msl@2026:14:1", "msl@2026:2", "sil@2018:53"}),
])
def test_msl_art14_para1_and_art2_civil_servant_maternity_read_as_bound_and_open(law, day, refs):
    entry = schemes(law, day, category="civil-servant")["maternity"]
    assert (entry["status"], entry["payers"]) == ("mandatory", ["employer"])
    assert refs <= cites(entry) and ("msl@2026:2" in cites(entry)) == (day >= "2027-01-01")


@pytest.mark.parametrize("day", ["2011-07-01", "2019-03-25", "2026-12-31", "2027-01-01"])
@pytest.mark.parametrize("who", ALL_FLEX)
def test_sil_art53_msl_art14_flexible_maternity_not_eligible_and_open(law, day, who):
    entry = schemes(law, day, **who)["maternity"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("not-eligible", [], False)
    expected = "msl@2026:14:2" if day >= "2027-01-01" else ("sil@2018:53" if day >= "2018-12-29" else "sil@2010:53")
    assert expected in cites(entry)
    assert "职工" in entry["notes"]


def test_sil_art54_resident_maternity_not_eligible_spouse_benefit_noted(law):
    entry = schemes(law, "2020-01-01", category="resident")["maternity"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", True)
    assert "sil@2018:54:1" in cites(entry) and "未就业配偶" in entry["notes"]


# -- platform workers ------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2015-01-01", "2023-01-01", "2027-06-01"])
def test_platform_guidance_2021_passage1_labor_relation_is_an_employee(law, day):
    platform = run(law, day, **PEOPLE["platform-labor"])["schemes"]
    employee = run(law, day, category="employee")["schemes"]
    for p, e in zip(platform, employee):
        if p["scheme"] == "occupational-injury":
            continue
        assert (p["status"], p["payers"], p["citations"]) == (e["status"], e["payers"], e["citations"])


def test_platform_guidance_2021_passage2_incomplete_relation_cited_from_its_date(law):
    before = schemes(law, "2021-07-15", category="platform", relation="incomplete")["employee-pension"]
    after = schemes(law, "2021-07-16", category="platform", relation="incomplete")["employee-pension"]
    assert "platform-guidance-2021" not in instruments(before)
    assert {"sil@2018:10:2", "platform-guidance-2021@2021:passage-2"} <= cites(after)
    assert (after["status"], after["payers"]) == (before["status"], before["payers"]) == ("voluntary", ["individual"])


def test_platform_guidance_2021_partial_source_raises_a_warning(law):
    result = run(law, "2023-01-01", category="platform", relation="incomplete")
    assert any(w.startswith("platform-guidance-2021 ") and "medium-low" in w for w in result["warnings"])


# -- occupational injury pilot ---------------------------------------------------------

BJ_MEITUAN = {"category": "platform", "relation": "civil", "province": "beijing", "industry": "food-delivery",
              "platform": "美团"}


def test_oi_pilot_2021_starts_2022_07_01_in_beijing_for_meituan_food_delivery(law):
    before = schemes(law, "2022-06-30", **BJ_MEITUAN)["occupational-injury"]
    assert (before["status"], before["settled"]) == ("not-eligible", True)
    assert "oi-pilot-2021" not in instruments(before)
    after = run(law, "2022-07-01", **BJ_MEITUAN)
    entry = {s["scheme"]: s for s in after["schemes"]}["occupational-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("pilot", ["platform"], False)
    assert {"oi-pilot-2021@2021#who-pays", "oi-pilot-2021@2021#pilot-provinces"} <= cites(entry)
    assert all(c.get("statute_text") is False for c in entry["citations"])
    assert any(w.startswith("oi-pilot-2021 ") and "summary-only" in w for w in after["warnings"])


@pytest.mark.parametrize("change", [{"province": "henan"}, {"industry": "other"}, {"platform": "美团外卖"}])
def test_oi_pilot_2021_outside_the_provinces_industries_or_platforms(law, change):
    entry = schemes(law, "2023-01-01", **{**BJ_MEITUAN, **change})["occupational-injury"]
    assert (entry["status"], entry["payers"]) == ("not-eligible", [])
    assert entry["rule"] == "occupational-injury.platform.outside-2022"


@pytest.mark.parametrize("missing", ["province", "industry", "platform"])
def test_oi_pilot_2021_needs_province_industry_platform(law, missing):
    who = {k: v for k, v in BJ_MEITUAN.items() if k != missing}
    entry = schemes(law, "2023-01-01", **who)["occupational-injury"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert "--province" in entry["notes"]


def test_oi_pilot_2025_part1_tianjin_and_didi_added_from_2025_07_01(law):
    who = {"category": "platform", "relation": "incomplete", "province": "天津", "industry": "ride-hailing",
           "platform": "滴滴出行"}
    before = schemes(law, "2025-06-30", **who)["occupational-injury"]
    assert before["status"] == "not-eligible"
    after = schemes(law, "2025-07-01", **who)["occupational-injury"]
    assert (after["status"], after["payers"]) == ("pilot", ["platform"])
    assert "oi-pilot-2025@2025:1:2" in cites(after)
    assert "oi-pilot-2021" not in instruments(after)
    # part 一 names the province and the platform; who pays only a news report on the notice does
    assert after["settled"] is False and "oi-pilot-2025@2025#who-pays-national-report" in cites(after)


@pytest.mark.parametrize("province,beijing_notice", [("beijing", True), ("zhejiang", False), ("guangdong", False)])
def test_oi_pilot_2025_beijings_implementing_notice_is_cited_for_who_pays_in_beijing_only(law, province, beijing_notice):
    # 京人社工发〔2025〕8号: 「…为在本平台注册并在本市接单的新就业形态人员缴纳职业伤害保障费」 — 本市, Beijing.
    who = {"category": "platform", "relation": "civil", "province": province, "industry": "ride-hailing",
           "platform": "滴滴出行"}
    entry = schemes(law, "2025-07-01", **who)["occupational-injury"]
    assert (entry["status"], entry["payers"]) == ("pilot", ["platform"])
    assert "oi-pilot-2025@2025#who-pays-national-report" in cites(entry)
    assert ("oi-pilot-2025@2025#who-pays" in cites(entry)) is beijing_notice


def test_oi_pilot_2025_part1_original_platforms_in_added_provinces_rest_on_the_2021_summary(law):
    who = {"category": "platform", "relation": "civil", "province": "zhejiang", "industry": "instant-delivery",
           "platform": "达达"}
    entry = schemes(law, "2025-07-01", **who)["occupational-injury"]
    assert (entry["status"], entry["settled"]) == ("pilot", False)
    assert "oi-pilot-2021@2021#pilot-platforms" in cites(entry)


def test_oi_pilot_2025_part1_added_platforms_reach_the_original_provinces(law):
    who = {"category": "platform", "relation": "civil", "province": "guangdong", "industry": "intra-city-freight",
           "platform": "满帮省省"}
    assert schemes(law, "2025-06-30", **who)["occupational-injury"]["status"] == "not-eligible"
    assert schemes(law, "2025-07-01", **who)["occupational-injury"]["status"] == "pilot"


def test_oi_pilot_2025_part1_food_delivery_merged_into_instant_delivery(law):
    for day in ("2025-06-30", "2025-07-01"):
        assert schemes(law, day, **BJ_MEITUAN)["occupational-injury"]["status"] == "pilot"
    who = {"category": "platform", "relation": "civil", "province": "fujian", "industry": "food-delivery",
           "platform": "顺丰同城"}
    assert schemes(law, "2025-07-01", **who)["occupational-injury"]["status"] == "pilot"


def test_oi_pilot_2025_part1_2026_nationwide_rollout_has_no_date_so_unsettled(law):
    who = {"category": "platform", "relation": "civil", "province": "henan", "industry": "ride-hailing",
           "platform": "滴滴出行"}
    late_2025 = schemes(law, "2025-12-31", **who)["occupational-injury"]
    assert late_2025["rule"] == "occupational-injury.platform.outside-2025"
    entry = schemes(law, "2026-01-01", **who)["occupational-injury"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert "oi-pilot-2025@2025#rollout-2026" in cites(entry)
    assert "2026" in entry["notes"]


BJ_OTHER_RIDE_HAILING = {"category": "platform", "relation": "incomplete", "province": "beijing",
                         "industry": "ride-hailing", "platform": "高德打车"}


def test_oi_pilot_2025_beijing_notice_other_licensed_ride_hailing_platforms_are_open_from_2025_07_01(law):
    # 京人社工发〔2025〕8号: 「将出行行业具有本市网约车运营资质的其他平台企业…同步纳入职业伤害保障试点范围」
    before = schemes(law, "2025-06-30", **BJ_OTHER_RIDE_HAILING)["occupational-injury"]
    assert before["rule"] == "occupational-injury.platform.outside-2022"
    assert "oi-pilot-2025" not in instruments(before)
    for day in ("2025-07-01", "2026-06-01"):
        entry = schemes(law, day, **BJ_OTHER_RIDE_HAILING)["occupational-injury"]
        assert (entry["status"], entry["payers"], entry["settled"]) == ("pilot", ["platform"], False)
        assert cites(entry) == {"oi-pilot-2025@2025#who-pays"}
        assert "本市网约车运营资质" in entry["notes"]


@pytest.mark.parametrize("change", [{"province": "shanghai"}, {"industry": "instant-delivery"}])
def test_oi_pilot_2025_beijing_notice_reaches_only_beijing_ride_hailing(law, change):
    entry = schemes(law, "2025-08-01", **{**BJ_OTHER_RIDE_HAILING, **change})["occupational-injury"]
    assert (entry["status"], entry["rule"]) == ("not-eligible", "occupational-injury.platform.outside-2025")


def test_oi_pilot_labor_relation_is_left_open(law):
    entry = schemes(law, "2023-01-01", **PEOPLE["platform-labor"])["occupational-injury"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert "sil@2018:33" in cites(entry)


def test_oi_pilot_platform_matched_by_pinyin_of_its_exact_name(law):
    entry = schemes(law, "2023-01-01", **{**BJ_MEITUAN, "platform": "Meituan"})["occupational-injury"]
    assert entry["status"] == "pilot"


@pytest.mark.parametrize("category", ["employee", "civil-servant", "self-employed", "flexible", "resident"])
def test_oi_pilot_only_platform_workers_ever_join(law, category):
    for day in ("2023-01-01", "2026-06-01"):
        entry = schemes(law, day, category=category, province="beijing", industry="food-delivery", platform="美团")
        assert entry["occupational-injury"]["status"] == "not-eligible"


@pytest.mark.parametrize("day", ["2015-06-01", "2020-06-01"])
def test_sil_art53_a_part_time_worker_with_an_employer_is_answered_as_such_for_maternity_open(law, day):
    """sil 53 binds 职工; whether an employer must insure a part-time worker for maternity no encoded text says:
    the answer is open and speaks of a worker with an employer, not of one outside it."""
    entry = schemes(law, day, category="part-time", employers=1)["maternity"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert entry["rule"] != "maternity.flexible.not-eligible" and "outside an employer" not in entry["notes"].split(".")[0]


@pytest.mark.parametrize("who", [{"category": "employee"}, {"category": "civil-servant"},
                                 {"category": "part-time", "employers": 1}])
def test_wiir_2010_arts_2_and_65_before_2011_07_01_an_open_work_injury_answer_says_what_is_open(law, who):
    """From 2011-01-01 the revised Regulation answers alone (before the Social Insurance Law): open, as every answer
    then, and the note says why, not only what the Regulation says."""
    entry = schemes(law, "2011-03-01", **who)["work-injury"]
    assert entry["settled"] is False and "wiir" in instruments(entry)
    assert "Open" in entry["notes"] and "not held" in entry["notes"]


@pytest.mark.parametrize("attrs", [
    {"province": "tianjin", "industry": "instant-delivery"},  # tianjin: one of the ten added from 2025-07-01
    {"province": "guangdong", "industry": "food-delivery"},
    {},
])
def test_oi_pilot_2025_part_1_a_rider_whose_coverage_turns_on_what_is_not_given_is_open_citing_the_expansion(
        law, attrs):
    """增加天津、河北……等10个省份: from 2025-07-01 the pilot's reach is the 2021 list and the 2025 expansion, so an
    answer left open for want of --platform (or --province) cites both, and the note asks for what is missing."""
    entry = schemes(law, "2026-06-01", category="platform", relation="incomplete", **attrs)["occupational-injury"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert "oi-pilot-2025@2025:1:2" in cites(entry) and "give the ones missing" in entry["notes"]
    before = schemes(law, "2024-06-01", category="platform", relation="incomplete")["occupational-injury"]
    assert "oi-pilot-2025" not in instruments(before)


def test_oi_pilot_2025_part_1_in_2026_a_rider_outside_the_17_provinces_turns_on_the_industry_not_given(law):
    """2026年,推动职业伤害保障试点在全国31个省份……实施;将出行、即时配送和同城货运三个行业的平台企业总体纳入: in 2026 a
    Hunan rider's answer turns on the industry, so without it the answer asks for it rather than saying 'outside'."""
    entry = schemes(law, "2026-06-01", category="platform", relation="incomplete", province="hunan")["occupational-injury"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert "give the ones missing" in entry["notes"] and "oi-pilot-2025@2025:1:2" in cites(entry)
    given = schemes(law, "2026-06-01", category="platform", relation="incomplete", province="hunan",
                    industry="ride-hailing")["occupational-injury"]
    assert "oi-pilot-2025@2025#rollout-2026" in cites(given)


def test_sil_art23_para2_and_art53_stay_cited_for_a_flexible_worker_while_in_force(law):
    """From 2025-01-07 the resident-medical note still rests on sil 23 para 2 (a flexible worker may join employee
    medical insurance), and from 2027-01-01 the Medical Security Law leaves sil 53 to apply (msl art. 2), as
    employees' maternity answers cite it: both had been dropped on those days (audit42 F7)."""
    medical = schemes(law, "2025-01-07", category="flexible")["resident-medical"]
    assert "sil@2018:23:2" in cites(medical) and "sil art. 23 para 2" in medical["notes"]
    maternity = schemes(law, "2027-01-01", category="flexible")["maternity"]
    employee = schemes(law, "2027-01-01", category="employee")["maternity"]
    assert "sil@2018:53" in cites(maternity) and "sil@2018:53" in cites(employee)


@pytest.mark.parametrize("category", ["employee", "civil-servant"])
@pytest.mark.parametrize("day,speaks_of_pilot", [("2015-07-01", False), ("2022-06-30", False), ("2022-07-01", True)])
def test_sil_art33_wiir_art65_occupational_injury_notes_speak_of_the_pilot_only_once_it_has_started(
        law, category, day, speaks_of_pilot):
    """The pilot notice (2021-12) started the pilot on 2022-07-01: a 2015 answer had described it (audit42 F6)."""
    entry = schemes(law, day, category=category)["occupational-injury"]
    assert entry["status"] == "not-eligible" and entry["settled"] is True
    assert ("pilot" in entry["notes"]) is speaks_of_pilot


@pytest.mark.parametrize("who", [{"category": "employee"}, {"category": "platform", "relation": "labor"}])
def test_sil_24_25_set_up_the_resident_medical_schemes_without_saying_who_may_join_so_an_employee_is_open_until_2016(
        law, who):
    """sil arts. 24 (新型农村合作医疗) and 25 (城镇居民基本医疗保险) set the schemes up; neither says who may join them.
    An employee's not-eligible rests on art. 23 para 1 alone until the 2016 opinion's coverage rule (覆盖除职工基本
    医疗保险应参保人员以外的其他所有城乡居民, as 人民网 reports it) is cited, from 2016-01-12."""
    before = schemes(law, "2015-06-01", **who)["resident-medical"]
    assert (before["status"], before["settled"]) == ("not-eligible", False)
    assert {"sil@2018:23:1", "sil@2018:24:1", "sil@2018:25:1"} <= cites(before) or \
        {"sil@2010:23:1", "sil@2010:24:1", "sil@2010:25:1"} <= cites(before)
    after = schemes(law, "2016-01-12", **who)["resident-medical"]
    assert (after["status"], after["settled"]) == ("not-eligible", True)
    assert "resident-medical-2016@2016#coverage-renmin" in cites(after)
    assert "覆盖除职工基本医疗保险应参保人员以外的其他所有城乡居民" in after["notes"]


def test_sil_53_a_part_time_worker_with_an_employer_keeps_the_part_time_maternity_rule_after_the_2019_merger(law):
    """人社部令第13号 art. 9 (职工(包括非全日制从业人员)) stays cited for a part-time worker with an employer after the
    2019 merger (which enrols 在职职工 with employee medical insurance) and under the Medical Security Law, whose art.
    14 para 1 binds 职工 as sil art. 53 does; the flexible workers' rules are for a part-time worker with none."""
    for day, rule, extra in (("2019-03-25", "maternity.part-time.with-employer-open", "maternity-merger-2019@2019:item-1"),
                             ("2027-06-01", "maternity.part-time.with-employer-open-msl", "msl@2026:14:1")):
        entry = schemes(law, day, category="part-time", employers=1)["maternity"]
        assert (entry["rule"], entry["status"], entry["settled"]) == (rule, "not-eligible", False)
        assert {"sil-provisions-2011@2011:9", extra} <= cites(entry) and "flexible worker" not in entry["notes"]
    none = schemes(law, "2027-06-01", category="part-time", employers=0)["maternity"]
    assert none["rule"] == "maternity.flexible.not-eligible-msl"
    unknown = schemes(law, "2027-06-01", category="part-time")["maternity"]
    assert unknown["rule"] == "maternity.part-time.employers-not-given-msl" and "msl@2026:14:1" in cites(unknown)
