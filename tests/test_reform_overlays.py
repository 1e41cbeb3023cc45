"""Every shipped reform overlay: what it changes, what it ends, and how overlays combine.

The expectations are written from the papers, not from socins's output: each
overlay ends the findings its proposal is about and leaves every other —
registration and hukou limits stay under every proposal that does not touch
them (Han 三（二）–（三）, Gao 四（二）–（四） change who must join and who pays,
not who registers). Each overlay changes nothing before its date, and two
overlays that touch different schemes give the same answers in either order.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import os
import re
from pathlib import Path

import pytest

from cli_helpers import REPO, run
from socins_cli.engines import answers
from socins_cli.engines import retirement
from socins_cli.errors import InputError
from socins_cli.engines.inequities import holds_only_as_open, inequities
from socins_cli.person import make_person
from socins_cli.engines.reform import ReformError, apply_reform, apply_reforms, locate, read_overlay, reforms_in, shipped
from socins_cli.engines.reform_effect import describe, effect
from socins_cli.engines.reform_sides import side_by_side_check, side_by_side_inequities

AS_OF = _dt.date(2030, 6, 1)
EVE = _dt.date(2027, 12, 31)  # the day before every shipped overlay's illustrative date
FINDINGS = ("pension-obligation", "work-injury-exclusion", "unemployment-exclusion", "maternity-exclusion",
            "contribution-burden", "retirement-age", "who-pays", "definitions", "registration-hukou")
PLATFORM_OUT = "no longer for platform:incomplete, platform:civil"

#: overlay id -> {finding: (effect, how)} for the findings it changes; every other finding is left.
EXPECTED = {
    # Gao 四（二）: platform workers insured as employees, the government paying the employer's share.
    "gao-platform-workers-as-employees": {
        f: ("narrows", PLATFORM_OUT) for f in ("pension-obligation", "work-injury-exclusion", "unemployment-exclusion",
                                                "maternity-exclusion", "contribution-burden", "who-pays")},
    # Han 三（二）–（三）: the five schemes compulsory; the state or the platform pays beside the worker.
    "han-flexible-workers-compulsory-insurance": {
        f: ("removes", "ends for every category") for f in ("pension-obligation", "work-injury-exclusion",
                                                             "unemployment-exclusion", "maternity-exclusion",
                                                             "contribution-burden", "who-pays")},
    # Han 三（四）第一: women in flexible employment retire as women workers do.
    # Read as the 50 track, which the paper's 女职工乃至男职工 does not settle: it ends only as the overlay is read.
    "han-retirement-age-women-flexible-workers": {"retirement-age": (
        "removes", "ends as the overlay is read; open: it holds as reformed only because the overlay's answers are "
                   "not settled (their notes say what the paper leaves open)")},
    # Han 三（二）, last sentence: unemployment insurance above an income threshold only.
    "han-unemployment-income-threshold": {
        "unemployment-exclusion": ("narrows", "ends where monthly income is at least 5000 yuan")},
    # Han 三（四）第三: no waiting period: one part of registration-hukou, not registration or hukou.
    "han-medical-benefits-without-waiting-periods": {
        "registration-hukou": ("narrows", "part ended: waiting-period")},
    # 2025 draft MSL art. 13 para 2 as reported: maternity with employee medical insurance.
    "msl-draft-maternity-flexible-workers": {"maternity-exclusion": ("removes", "ends for every category")},
    # Gao 四（二）: periodic income, not a contract, decides who must join.
    "gao-income-based-eligibility": {
        f: ("removes", "ends for every category") for f in ("pension-obligation", "work-injury-exclusion",
                                                             "unemployment-exclusion", "maternity-exclusion")},
    # Gao 四（三）: the state contributes for platform work.
    "gao-state-as-contributor": {f: ("narrows", PLATFORM_OUT) for f in ("contribution-burden", "who-pays")},
    # Gao 四（四）: a national pension; its pension side only (the rest cannot be expressed).
    "gao-national-pension": {"contribution-burden": ("removes", "ends for every category"),
                             "pension-obligation": ("narrows", "no longer in employee-pension"),
                             "who-pays": ("narrows", "no longer in employee-pension")},
}
IDS = sorted(EXPECTED)


@pytest.fixture(scope="module")
def reformed(law):
    return {rid: apply_reform(law, locate(rid)) for rid in IDS}


def test_socins_reforms_lists_every_shipped_overlay_at_least_nine():
    r = run("reforms", "--format", "json")
    assert r.code == 0, r.err
    listed = json.loads(r.out)["reforms"]
    assert sorted(x["id"] for x in listed) == IDS
    for x in listed:
        assert x["title"] and x["source"]["paper"] in ("han-2025", "gao-ai-era") and x["source"]["part"]
        assert x["effective"] == "2028-01-01" and x["touches"]


@pytest.mark.parametrize("rid", IDS)
def test_each_overlay_ends_exactly_the_findings_its_proposal_addresses(law, rid):
    found = effect(law, locate(rid), AS_OF)["findings"]
    got = {f["finding"]: (f["effect"], f["how"].split(", as the overlay answers")[0]) for f in found
           if f["effect"] != "leaves"}
    assert got == EXPECTED[rid]
    left = {f["finding"] for f in found if f["effect"] == "leaves"}
    assert left == set(FINDINGS) - set(EXPECTED[rid])


def test_a_finding_removed_only_as_the_overlay_answers_open_is_said_to_be_open(law):
    """Han 三（三）only asks that the state lower the base or rate and subsidise (政府应通过降低其缴费基数或参保费率、
    增加财政补贴等方式); the overlay adds the government as a payer and sets no rate, and its answers are open:
    the contribution burden ends only as the overlay answers, which the effect says."""
    found = {f["finding"]: f for f in effect(law, locate("han-flexible-workers-compulsory-insurance"),
                                             AS_OF)["findings"]}
    burden = found["contribution-burden"]
    assert burden["effect"] == "removes" and burden["settled"] is False and "open for" in burden["how"]
    ages = {f["finding"]: f for f in effect(law, locate("han-retirement-age-women-flexible-workers"),
                                            AS_OF)["findings"]}["retirement-age"]
    assert ages["effect"] == "removes" and ages["settled"] is False


def test_a_narrowing_resting_on_open_answers_is_said_to_be_open(law):
    """Han 三（二）names no threshold (the 5000 yuan is the overlay's illustration, its rules not settled): the
    narrowing is open, as a removal resting on open answers is; a narrowing by categories names only those gone."""
    found = {f["finding"]: f for f in effect(law, locate("han-unemployment-income-threshold"), AS_OF)["findings"]}
    assert found["unemployment-exclusion"]["effect"] == "narrows" and found["unemployment-exclusion"]["settled"] is False
    found = {f["finding"]: f for f in effect(law, locate("gao-state-as-contributor"), AS_OF)["findings"]}
    burden = found["contribution-burden"]
    assert burden["settled"] is False and burden["how"].split("open for ")[1].startswith(
        "platform:incomplete, platform:civil:")


def test_the_effect_on_a_date_before_an_overlay_applies_says_it_is_not_in_effect(law):
    found = effect(law, locate("gao-state-as-contributor"), AS_OF.replace(year=2026))["findings"]
    assert found and all(f["effect"] == "leaves" and "not in effect on" in f["how"] for f in found)


@pytest.mark.parametrize("rid", [r for r in IDS if r != "han-medical-benefits-without-waiting-periods"])
def test_registration_hukou_sil_58_stays_whole_under_proposals_that_do_not_touch_registration(reformed, rid):
    """sil art. 58 para 2 (flexible workers register themselves) holds whatever they must join or who pays."""
    held = {f["id"]: f for f in inequities(reformed[rid], AS_OF)["inequities"]}["registration-hukou"]
    assert held["categories"] == ["self-employed", "part-time", "flexible", "platform:incomplete", "platform:civil"]
    assert [p["id"] for p in held["details"]["parts"]] == ["registration", "hukou", "waiting-period"]


def test_waiting_period_part_ends_under_han_3_4_3_while_registration_and_hukou_hold(reformed):
    held = {f["id"]: f for f in inequities(reformed["han-medical-benefits-without-waiting-periods"],
                                           AS_OF)["inequities"]}["registration-hukou"]
    assert [p["id"] for p in held["details"]["parts"]] == ["registration", "hukou"]
    ended = held["details"]["parts_ended"]
    assert [p["id"] for p in ended] == ["waiting-period"]
    assert ended[0]["ended_by"]["value"] == 0
    assert ended[0]["ended_by"]["citations"][0]["instrument"] == "han-medical-benefits-without-waiting-periods"


def test_who_pays_sil_10_holds_where_the_worker_pays_alone_and_not_where_the_state_or_platform_pays(law, reformed):
    """sil art. 10 para 2: a flexible worker pays alone; under Gao the government, under Han the state or platform, pays too."""
    def who_pays(which):
        found = {f["id"]: f for f in inequities(which, AS_OF)["inequities"]}
        return found.get("who-pays", {}).get("categories")

    assert who_pays(law) == ["self-employed", "part-time", "flexible", "platform:incomplete", "platform:civil"]
    assert who_pays(reformed["gao-platform-workers-as-employees"]) == ["self-employed", "part-time", "flexible"]
    assert who_pays(reformed["han-flexible-workers-compulsory-insurance"]) is None


@pytest.mark.parametrize("rid,who", [
    ("gao-platform-workers-as-employees", {"category": "platform", "relation": "civil"}),
    ("han-flexible-workers-compulsory-insurance", {"category": "flexible"}),
    ("han-flexible-workers-compulsory-insurance", {"category": "platform", "relation": "incomplete"}),
    ("gao-income-based-eligibility", {"category": "flexible"}),
    ("gao-income-based-eligibility", {"category": "part-time", "employers": 1}),
    ("gao-income-based-eligibility", {"category": "platform", "relation": "incomplete"}),
    ("gao-income-based-eligibility", {"category": "resident", "income": 3000}),
    ("gao-national-pension", {"category": "self-employed"}),
    ("gao-national-pension", {"category": "platform", "relation": "civil"}),
])
def test_sil_10_para1_a_worker_made_to_join_employee_pension_is_outside_the_resident_pension_as_an_employee_is(
        law, reformed, rid, who):
    """Gao 四（二）, Han 三（二）: insured in employee pension like an employee, the worker gets an employee's resident
    pension answer (not eligible, sil art. 10 para 1), not the voluntary one resting on art. 10 para 2 (可以参加)."""
    def pensions(which, attrs):
        found = {s["scheme"]: s for s in answers.check(which, make_person(**attrs, as_of=AS_OF))["schemes"]}
        return found["employee-pension"], found["resident-pension"]

    assert pensions(law, who)[1]["status"] == "voluntary"
    employee_pension, resident_pension = pensions(reformed[rid], who)
    assert employee_pension["status"] == "mandatory"
    assert resident_pension["status"] == pensions(law, {"category": "employee"})[1]["status"] == "not-eligible"
    assert {"instrument": "sil", "version": "2018", "article": "10", "paragraph": 1} in resident_pension["citations"]
    assert resident_pension["citations"][0]["instrument"] == rid


@pytest.mark.parametrize("rid", IDS)
def test_an_overlay_changes_nothing_before_its_date(law, reformed, rid):
    result = side_by_side_inequities(law, reformed[rid], EVE)
    # a finding the reform ends still holds that day; only its span (it ends the day before) may differ
    assert {d["field"] for d in result["differences"]} <= {"in_force"}
    for p in PEOPLE:
        person = make_person(**p, as_of=EVE)
        assert side_by_side_check(law, reformed[rid], person)["differences"] == [], (rid, p)
        if p.get("sex") == "female":
            assert retirement.retirement(reformed[rid], person, EVE) == retirement.retirement(law, person, EVE)


@pytest.mark.parametrize("rid", IDS)
def test_a_side_by_side_before_the_overlay_date_says_why_it_shows_no_difference(law, reformed, rid):
    (start,) = (r.effective for r in reforms_in(reformed[rid]))
    person = make_person(category="flexible", sex="female", birth="1980-05", as_of=EVE)
    (note,) = side_by_side_check(law, reformed[rid], person)["notes"]
    assert start.isoformat() in note and EVE.isoformat() in note
    assert "notes" not in side_by_side_check(law, reformed[rid], make_person(category="flexible", as_of=AS_OF))
    assert "notes" not in side_by_side_inequities(law, reformed[rid], start)


PEOPLE = [
    {"category": "employee"},
    {"category": "flexible", "sex": "female", "birth": "1980-05"},
    {"category": "self-employed", "income": 9000},
    {"category": "part-time", "employers": 1, "income": 100},
    {"category": "platform", "relation": "incomplete", "province": "guangdong", "industry": "food-delivery",
     "platform": "美团", "income": 6000},
    {"category": "platform", "relation": "civil", "sex": "female", "birth": "1976-01"},
    {"category": "resident", "income": 3000},
    {"category": "resident"},
]


def _disjoint_pairs():
    touched = {rid: set(describe(locate(rid))["touches"]) for rid in IDS}
    schemes = {rid: {t for t in ts if not t.startswith("parameter ")} for rid, ts in touched.items()}
    return [(a, b) for a, b in itertools.combinations(IDS, 2)
            if not schemes[a] & schemes[b] and not touched[a] & touched[b]]


def test_some_overlays_touch_different_rules():
    assert ("han-retirement-age-women-flexible-workers", "msl-draft-maternity-flexible-workers") in _disjoint_pairs()
    assert len(_disjoint_pairs()) >= 8


@pytest.mark.parametrize("pair", _disjoint_pairs(), ids=lambda p: " + ".join(p))
def test_overlays_that_touch_different_rules_commute(law, pair):
    ab, ba = apply_reforms(law, list(pair)), apply_reforms(law, list(reversed(pair)))
    for p in PEOPLE:
        person = make_person(**p, as_of=AS_OF)
        assert answers.check(ab, person)["schemes"] == answers.check(ba, person)["schemes"], p
        if p.get("sex") == "female":
            assert retirement.retirement(ab, person) == retirement.retirement(ba, person)
    assert inequities(ab, AS_OF) == inequities(ba, AS_OF)


def test_two_overlays_combined_give_both_changes(law):
    both = apply_reforms(law, ["han-retirement-age-women-flexible-workers", "msl-draft-maternity-flexible-workers"])
    by_id = {f["id"]: f for f in inequities(both, AS_OF)["inequities"]}
    found = set(by_id)
    # the ages aligned, it holds only because the overlay's reading is open (女职工乃至男职工)
    assert holds_only_as_open(by_id["retirement-age"]) and "maternity-exclusion" not in found
    assert {"pension-obligation", "registration-hukou", "who-pays"} <= found


def test_two_overlays_replacing_the_same_rule_differently_are_refused_in_one_line():
    r = run("check", "--category", "flexible", "--as-of", "2030-06-01", "--format", "json",
            "--reform", "han-flexible-workers-compulsory-insurance", "--reform", "msl-draft-maternity-flexible-workers")
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and "maternity.flexible.not-eligible-msl" in r.err
    assert "cannot be combined" in r.err


def test_the_same_overlay_twice_is_refused(law):
    """Said as what it is (given twice), not as an id clash with the law."""
    with pytest.raises(ReformError, match="is given twice"):
        apply_reforms(law, ["gao-national-pension", "gao-national-pension"])


# -- Han 三（四）第一: retirement --------------------------------------------------------------------

def test_han_3_4_1_a_woman_in_flexible_employment_retires_at_women_workers_age_from_the_overlay_date():
    args = ("retirement", "--category", "flexible", "--sex", "female", "--birth", "1980-05", "--format", "json")
    worker = json.loads(run(*args[:1], "--category", "employee", "--sex", "female", "--female-track", "worker",
                            "--birth", "1980-05", "--as-of", "2030-06-01", "--format", "json").out)
    after = json.loads(run(*args, "--as-of", "2030-06-01", "--reform", "han-retirement-age-women").out)
    assert after["law"]["track"] == "female-55" and after["law"]["statutory_age"] == {"years": 57, "months": 8}
    assert after["reformed"]["track"] == "female-50"
    assert after["reformed"]["statutory_age"] == worker["statutory_age"] == {"years": 52, "months": 9}
    assert after["reformed"]["retirement_month"] == worker["retirement_month"] == "2033-02"
    before = json.loads(run(*args, "--as-of", "2027-06-01", "--reform", "han-retirement-age-women").out)
    assert before["differences"] == [] and before["reformed"]["track"] == "female-55"


def test_han_3_4_1_check_gives_a_woman_in_flexible_employment_women_workers_age_from_the_overlay_date():
    args = ("check", "--reform", "han-retirement", "--category", "flexible", "--sex", "female", "--birth", "1980-05",
            "--format", "json")
    r = run(*args, "--as-of", "2030-06-01")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    assert got["retirement"]["law"]["statutory_age"] == {"years": 57, "months": 8}
    assert got["retirement"]["reformed"]["statutory_age"] == {"years": 52, "months": 9}
    assert got["retirement"]["reformed"]["track"] == "female-50"
    found = {(d["scheme"], d["field"], d.get("id")) for d in got["differences"]}
    assert ("retirement-age", "statutory_age", None) in found
    assert ("retirement-age", "inequity", "retirement-age") in found
    before = json.loads(run(*args, "--as-of", "2027-12-31").out)
    assert before["differences"] == [] and before["retirement"]["reformed"]["track"] == "female-55"


@pytest.mark.parametrize("employers", [0, 1, 2])
def test_han_2_1_a_part_time_woman_her_employer_does_not_insure_is_a_flexible_worker_for_the_retirement_overlay(
        employers):
    """Han 二（一）: 「未在用人单位参加职工基本养老保险和职工基本医疗保险的非全日制从业人员，在《社会保险法》中被归入灵活就业人员的类型中」.
    The law leaves a part-time worker's pension to herself, employer or not (sil art. 10 para 2: voluntary, paid by
    the individual), so she has not joined employee pension through an employer: Han's 女性灵活就业人员 of 三（四）第一,
    whom the overlay moves to the women workers' track, whether or not she has an employer."""
    check = json.loads(run("check", "--category", "part-time", "--employers", str(employers), "--as-of", "2029-06-01",
                           "--format", "json").out)
    pension = next(s for s in check["schemes"] if s["scheme"] == "employee-pension")
    assert (pension["status"], pension["payers"]) == ("voluntary", ["individual"])
    r = json.loads(run("retirement", "--category", "part-time", "--employers", str(employers), "--sex", "female",
                       "--birth", "1979-01", "--as-of", "2029-06-01", "--format", "json",
                       "--reform", "han-retirement-age-women-flexible-workers").out)
    assert r["law"]["track"] == "female-55" and r["reformed"]["track"] == "female-50"
    assert r["reformed"]["settled"] is False


# -- Han 三（二）: unemployment above an income threshold -----------------------------------------------

@pytest.mark.parametrize("spec,income,status", [
    ({"category": "flexible"}, "5000", "mandatory"),
    ({"category": "flexible"}, "12000.50", "mandatory"),
    ({"category": "flexible"}, "4999.99", "not-eligible"),
    ({"category": "flexible"}, None, "not-eligible"),
    ({"category": "self-employed"}, "0", "not-eligible"),
    ({"category": "platform", "relation": "civil"}, "8000", "mandatory"),
    ({"category": "employee"}, "1000", "mandatory"),
])
def test_han_3_2_sil_44_a_flexible_worker_above_the_threshold_must_join_unemployment_insurance(spec, income, status):
    args = [f"--{k}={v}" for k, v in spec.items()] + ([f"--income={income}"] if income is not None else [])
    r = run("check", *args, "--as-of", "2030-06-01", "--format", "json", "--reform", "han-unemployment-income-threshold")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    unemployment = {s["scheme"]: s for s in got["reformed"]["schemes"]}["unemployment"]
    assert unemployment["status"] == status
    findings = {f["id"] for f in got["reformed"]["inequities"]}
    if spec["category"] != "employee":
        assert ("unemployment-exclusion" in findings) == (status == "not-eligible")
    if income is None and spec["category"] != "employee":  # what decides under the proposal is not given: open
        assert unemployment["settled"] is False and "--income" in unemployment["notes"]
        assert any(d["scheme"] == "unemployment" for d in got["differences"])


@pytest.mark.parametrize("income", [None, "90000"])
def test_han_3_2_a_part_time_worker_whose_employers_are_not_given_is_asked_for_them_first(income):
    """sil 44 binds 职工: whether the part-time worker has an employer decides before any income threshold."""
    args = ["--category=part-time"] + ([f"--income={income}"] if income else [])
    r = run("check", *args, "--as-of", "2030-06-01", "--format", "json", "--reform", "han-unemployment-income-threshold")
    unemployment = {s["scheme"]: s for s in json.loads(r.out)["reformed"]["schemes"]}["unemployment"]
    assert unemployment["settled"] is False and "--employers" in unemployment["notes"]


def test_the_threshold_is_a_parameter_of_the_overlay_said_not_named_by_the_paper(reformed):
    param = reformed["han-unemployment-income-threshold"].parameter("han_unemployment_income_threshold")
    assert "NOT NAMED BY THE PAPER" in param.description
    assert param.values[0].value == 5000 and "Illustrative" in param.values[0].note


def test_gao_4_2_a_resident_with_periodic_income_must_join_employee_pension(reformed):
    law = reformed["gao-income-based-eligibility"]
    with_income = answers.check(law, make_person(category="resident", income=3000, as_of=AS_OF))
    without = answers.check(law, make_person(category="resident", as_of=AS_OF))
    status = lambda r, s: {x["scheme"]: x for x in r["schemes"]}[s]["status"]  # noqa: E731
    assert status(with_income, "employee-pension") == "mandatory"
    assert status(with_income, "resident-medical") == "not-eligible"
    assert status(without, "employee-pension") == "not-eligible"
    assert status(without, "resident-medical") == "mandatory"
    zero = answers.check(law, make_person(category="flexible", income=0, as_of=AS_OF))
    assert status(zero, "employee-pension") == "voluntary"  # no income given as 0: the law as it stands


# -- income: the attribute ---------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["-1", "abc", "nan", "inf", "1e999"])
def test_a_bad_income_is_one_line_naming_the_field(bad):
    r = run("check", "--category", "flexible", f"--income={bad}", "--format", "json")
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and "income" in r.err and "0 or more" in r.err


def test_income_is_read_into_the_batch_key_only_where_rules_test_it(law, reformed):
    threshold = reformed["han-unemployment-income-threshold"]

    def key(which, **attrs):
        return answers.check_key(which, make_person(as_of=AS_OF, **attrs))

    assert key(law, category="flexible", income=100) == key(law, category="flexible", income=9000)
    assert key(threshold, category="flexible", income=100) != key(threshold, category="flexible", income=9000)
    assert key(threshold, category="employee", income=100) == key(threshold, category="employee", income=9000)


def test_a_batch_under_the_income_threshold_answers_each_income_as_one_call_does(reformed):
    """The batch keeps what the attributes other than the date decide once per combination of them: income is
    among them where an overlay's rule tests it (Han's threshold), so rows alike but for income, on the same and on
    other days, each get the answer ``check`` gives them alone."""
    from batch_helpers import jsonl_bytes, jsonl_records, run_bytes
    from socins_cli.batch.jobs import check_job

    threshold = reformed["han-unemployment-income-threshold"]
    rows = [{"person_id": f"P{i}", "category": "flexible", "income": income, "as_of": day}
            for i, (day, income) in enumerate(itertools.product(["2027-12-31", "2030-06-01", "2031-01-01"],
                                                                   [100, 9000, 100, None]))]
    _, out = run_bytes(jsonl_bytes(rows), check_job(threshold))
    records = jsonl_records(out)
    assert len(records) == len(rows)
    for row, record in zip(rows, records):
        alone = answers.check_row(threshold, {k: v for k, v in row.items() if k != "person_id" and v is not None})
        for part in ("as_of", "person", "schemes", "inequities"):  # (warnings: the batch adds the review line)
            assert record[part] == alone[part], (row, part)
    assert len({json.dumps(r["schemes"]) for r in records if r["as_of"] == "2030-06-01"}) == 3


def test_a_batch_row_echoes_income_and_refuses_a_bad_one(tmp_path):
    rows = tmp_path / "people.csv"
    rows.write_text("category,income,as_of\nflexible,8000,2030-06-01\nflexible,-5,2030-06-01\n", encoding="utf-8")
    r = run("check", "--input", str(rows), "--format", "jsonl")
    assert r.code == 2 and "line 3: income" in r.err  # some rows failed: exit 2, the rest answered
    first, second = (json.loads(line) for line in r.out.splitlines())
    assert first["person"]["income"] == 8000
    assert second["error"]["field"] == "income" and second["error"]["value"] == "-5"


def test_unknown_reform_id_lists_the_shipped_ones():
    r = run("check", "--category", "flexible", "--reform", "no-such-proposal")
    assert r.code == 2 and r.err.count("\n") == 1 and "gao-national-pension" in r.err


def test_overlays_are_found_beside_the_package_as_in_the_wheel():
    """pyproject ships reforms/ inside the package as it ships statutes/."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"reforms" = "socins_cli/reforms"' in text
    assert [p.name for p, _ in shipped()] == sorted(p.name for p in (REPO / "reforms").glob("*.toml"))


# -- the papers' own words -----------------------------------------------------------------------------

def _scholarship():
    """The papers, beside the reference texts (``SOCINS_REFERENCE_DIR``'s parent when it is set)."""
    texts = os.environ.get("SOCINS_REFERENCE_DIR")
    folder = (Path(texts).parent if texts else REPO.parent / "shared" / "reference") / "scholarship"
    if not folder.is_dir():
        if os.environ.get("SOCINS_REQUIRE_REFERENCE"):
            pytest.fail(f"the papers are required (SOCINS_REQUIRE_REFERENCE) but {folder} is missing")
        pytest.skip("the papers (../shared/reference/scholarship) are not present")
    return {p.stem: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in folder.glob("*.txt")}


@pytest.mark.parametrize("rid", IDS)
def test_each_overlay_quotes_its_paper_word_for_word(rid):
    papers = _scholarship()
    raw = read_overlay(locate(rid))
    key = raw["reform"]["source"]["paper"]
    text = next(t for stem, t in papers.items() if stem.startswith(key.split("-")[0]))
    for article in raw["reform"]["article"]:
        for paragraph in article["paragraphs"]:
            assert re.sub(r"\s+", "", paragraph) in text, (rid, article["number"])


def test_findings_cite_han_where_the_paper_makes_their_claim(law):
    """who-pays had cited Gao 三 其次 (hidden employers: who the payer is, not that a flexible worker pays alone) and
    Han's remedy part only; Han states the rule in 二（二） and its weight in 二（三）第二. Han's medical-rate point
    (二（三）第二) is named in contribution-burden's note as not shown by any text held (audit41 F1, F3, F9, F10)."""
    han = next(t for stem, t in _scholarship().items() if stem.startswith("han"))
    found = {f["id"]: f for f in inequities(law, _dt.date(2026, 6, 1))["inequities"]}
    parts = [(p["key"], p["part"]) for p in found["who-pays"]["papers"]]
    assert ("han-2025", "二（二）灵活就业人员参加社会保险的非强制性") in parts and all(k == "han-2025" for k, _ in parts)
    assert "灵活就业人员参加社会保险的非强制性" in han and "由于灵活就业人员无用人单位，个人承担的保险缴费比例高于职工个人缴费的比例" in han
    quoted = "国家层面无统一规定，而是由各地根据实际情况自行确定，其缴费比例普遍高于职工"
    assert quoted in han and any(quoted in note for note in found["contribution-burden"]["notes"])
    assert any(p["part"].startswith("三（四）第一") for p in found["retirement-age"]["papers"])


def test_reforms_lists_each_overlays_paper_by_author_title_and_year():
    """`socins reforms` had named the paper by its key alone (gao-ai-era), where check --reform cites it in full."""
    listed = json.loads(run("reforms", "--format", "json").out)["reforms"]
    han = next(r for r in listed if r["id"] == "han-retirement-age-women-flexible-workers")["source"]
    assert han["authors"] == ["韩君玲 (Han Junling)"] and han["year"] == 2025 and han["title_zh"]
    gao = next(r for r in listed if r["id"] == "gao-national-pension")["source"]
    assert "year" not in gao and gao["year_note"]
    assert "韩君玲 (Han Junling), 《" in run("reforms", "--format", "csv").out


@pytest.mark.parametrize("rid", IDS)
def test_each_overlay_says_its_date_is_illustrative_and_reads_each_rule_in_a_note(rid):
    raw = read_overlay(locate(rid))
    assert "illustrate" in raw["reform"]["note"]
    for rule in raw.get("rule", []) + raw.get("assignment", []):
        assert rule["note"].startswith(("Proposal (", "Direction of the 2025 draft")), rule.get("id")
        assert "not law" in rule["note"]


def test_reforms_effect_table_in_the_readme_is_the_command_output_whole():
    r = run("reforms", "--effect", "--as-of", "2030-06-01", "--format", "markdown")
    assert r.code == 0, r.err
    assert r.out.strip() in (REPO / "README.md").read_text(encoding="utf-8")


def test_make_person_takes_income_as_a_number():
    assert make_person(category="flexible", income="8000").income == 8000
    assert make_person(category="flexible", income=" 5000.5 ").income == 5000.5
    with pytest.raises(InputError):
        make_person(category="flexible", income=True)


# -- combining: what two overlays may not both decide ----------------------------------------------------

def _small(rid: str, **body) -> dict:
    raw = {"reform": {"id": rid, "title_zh": "测试", "title_en": "Test", "effective": _dt.date(2030, 1, 1),
                      "summary": "A test overlay.", "source": {"paper": "han-2025", "part": "三（二）"},
                      "article": [{"number": "1", "paragraphs": ["测试。"]}]}}
    raw.update(body)
    return raw


def _threshold(rid: str, value: int) -> dict:
    return {"han_unemployment_income_threshold": {"values": [
        {"from": _dt.date(2030, 1, 1), "value": value, "cite": [f"{rid}:1"]}]}}


def test_two_overlays_setting_one_parameter_differently_are_refused(law):
    from socins_cli.engines.reform import overlay

    first = apply_reform(law, locate("han-unemployment-income-threshold"))
    same = overlay(first, _small("same-threshold", parameter=_threshold("same-threshold", 5000)), "same.toml")
    assert same.parameter("han_unemployment_income_threshold").values[-1].value == 5000
    with pytest.raises(ReformError, match="already set by overlay han-unemployment-income-threshold"):
        overlay(first, _small("other-threshold", parameter=_threshold("other-threshold", 8000)), "other.toml")


def test_two_overlays_assigning_women_in_flexible_employment_differently_are_refused(law):
    from socins_cli.engines.reform import overlay

    first = apply_reform(law, locate("han-retirement-age-women-flexible-workers"))
    assignment = {"group": "flexible", "sex": "female", "track": "male", "settled": False, "note": "test",
                  "cite": ["men-age:1", "retire-2024:1"]}
    with pytest.raises(ReformError, match="already assigns these people to female-50"):
        overlay(first, _small("men-age", assignment=[assignment]), "men.toml")


def test_han_3_2_unemployment_is_mandatory_exactly_from_the_threshold_property(reformed):
    """sil art. 44 as the overlay reads Han 三（二）: bound iff income >= the threshold, for every worker category."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    law = reformed["han-unemployment-income-threshold"]
    threshold = law.parameter("han_unemployment_income_threshold").entry_on(AS_OF).value
    # a part-time worker outside an employer (one whose employers are not given is asked for them first)
    specs = st.sampled_from([("self-employed", None, None), ("part-time", None, 0), ("flexible", None, None),
                             ("platform", "incomplete", None), ("platform", "civil", None)])

    @settings(max_examples=200, deadline=None)
    @given(specs, st.one_of(st.integers(0, 20000), st.floats(0, 20000, allow_nan=False)))
    def bound_iff_above(spec, income):
        person = make_person(category=spec[0], relation=spec[1], employers=spec[2], income=income, as_of=AS_OF)
        status = {s["scheme"]: s for s in answers.check(law, person, inequities=False)["schemes"]}["unemployment"]
        assert (status["status"] == "mandatory") == (person.income >= threshold)

    bound_iff_above()


def test_reforms_effect_before_every_overlay_date_leaves_every_finding():
    r = run("reforms", "--effect", "--as-of", "2027-12-31", "--format", "json")
    assert r.code == 0, r.err
    for item in json.loads(r.out)["reforms"]:
        assert {f["effect"] for f in item["findings"]} == {"leaves"}, item["id"]
        assert sorted(f["finding"] for f in item["findings"]) == sorted(FINDINGS)


def _reformed_entry(reformed, rid: str, scheme: str, **person) -> dict:
    result = answers.check(reformed[rid], make_person(**person, as_of="2028-06-01"))
    return next(s for s in result["schemes"] if s["scheme"] == scheme)


@pytest.mark.parametrize("employers, rule", [(1, "work-injury.part-time.one-employer"),
                                             (2, "work-injury.employee.several-employers")])
def test_gao_income_leaves_a_part_time_workers_employers_paying_for_work_injury(reformed, employers, rule):
    """sil-provisions-2011 art. 9 (各用人单位应当分别为职工缴纳工伤保险费): the proposal (everyone with income joins)
    does not move the employers' duty onto the worker; a part-time worker outside an employer is the overlay's."""
    entry = _reformed_entry(reformed, "gao-income-based-eligibility", "work-injury", category="part-time",
                            employers=employers)
    assert (entry["status"], entry["payers"], entry["rule"]) == ("mandatory", ["employer"], rule)
    outside = _reformed_entry(reformed, "gao-income-based-eligibility", "work-injury", category="part-time",
                              employers=0)
    assert (outside["status"], outside["rule"]) == ("mandatory", "work-injury.income.gao-income-eligibility")


@pytest.mark.parametrize("rid, extra", [("han-flexible-workers-compulsory-insurance", {}),
                                        ("han-unemployment-income-threshold", {"income": 6000})])
def test_han_binds_a_part_time_worker_with_an_employer_to_unemployment_insurance_too(reformed, rid, extra):
    """Han 三（二）: 消除职工和灵活就业人员参加社会保险的身份区别 — the law's open answer for a part-time worker with an
    employer (unemployment.part-time.with-employer-open) must not survive the proposal that ends the exclusion."""
    entry = _reformed_entry(reformed, rid, "unemployment", category="part-time", employers=1, **extra)
    assert (entry["status"], entry["payers"]) == ("mandatory", ["employer", "individual"])
    assert entry["settled"] is False


def test_two_overlays_that_change_one_scheme_are_named_as_overlapping_on_stderr_and_in_json():
    """Combined, Gao's platform workers as employees and Han's compulsory insurance both decide a platform worker's
    schemes: the answer may mix the two papers' payers, so socins says which schemes they both change."""
    r = run("check", "--category", "platform", "--relation", "incomplete", "--as-of", "2028-06-01",
            "--reform", "gao-platform-workers-as-employees", "--reform", "han-flexible-workers-compulsory-insurance",
            "--format", "json")
    assert r.code == 0, r.err
    overlaps = json.loads(r.out)["reform"]["overlaps"]
    assert {"scheme": "work-injury", "reforms": ["gao-platform-workers-as-employees",
                                                "han-flexible-workers-compulsory-insurance"]} in overlaps
    assert "both change" in r.err and "ask them one at a time" in r.err
    apart = run("check", "--category", "flexible", "--as-of", "2028-06-01", "--reform",
                "han-retirement-age-women-flexible-workers", "--reform", "gao-state-as-contributor", "--format", "json")
    assert "overlaps" not in json.loads(apart.out)["reform"] and "both change" not in apart.err


def test_a_contribution_rate_cell_with_no_encoded_rate_rests_on_the_answer_that_names_its_payers():
    """Gao 四 三是 (the state shares the employer's part for platform work) gives no rates: the reformed cell has no
    value, and it must still say it rests on the proposal (★, the proposal's citation), not look like law."""
    r = run("compare", "--category", "employee", "--category", "platform:incomplete", "--as-of", "2030-06-01",
            "--reform", "gao-state-as-contributor", "--format", "json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)["reformed"]["rows"]
    cell = next(c for row in rows if row["scheme"] == "contribution-rate" for c in row["by_category"]
                if c["category"] == "platform:incomplete")
    assert cell["value"] is None and any(c.get("proposal") for c in cell["citations"])


@pytest.mark.parametrize("fmt", ["markdown", "table"])
def test_compare_with_a_reform_keeps_each_sides_differences_findings_and_notes_in_text(fmt):
    """The JSON holds each side's rows that differ between categories, their findings and the notes (the
    employers-0 assumption); a table or markdown with --reform had shown only the law-against-reformed changes."""
    args = ("compare", "--category", "employee", "--category", "part-time", "--as-of", "2028-06-01",
            "--reform", "han-flexible-workers-compulsory-insurance")
    r = run(*args, "--format", fmt)
    assert r.code == 0, r.err
    text = " ".join(r.out.split())
    data = json.loads(run(*args, "--format", "json").out)
    law_rows = [row for row in data["law"]["rows"] if row["differs"]]
    assert law_rows and "Categories differ (law): " + law_rows[0]["scheme"] + " (" + ", ".join(
        law_rows[0]["findings"]) + ")" in text
    assert "Categories differ (reformed): " in text
    assert "employers not given; compared with employers 0" in text


@pytest.mark.parametrize("rid, scheme", [("han-flexible-workers-compulsory-insurance", "resident-pension"),
                                         ("han-flexible-workers-compulsory-insurance", "resident-medical"),
                                         ("gao-income-based-eligibility", "resident-medical"),
                                         ("gao-income-based-eligibility", "resident-pension"),
                                         ("gao-national-pension", "resident-pension")])
def test_a_resident_scheme_left_by_an_overlay_is_open_as_the_papers_say_nothing_of_it(rid, scheme):
    """Neither paper speaks of the resident schemes: that joining the employee schemes leaves them is a reading,
    open as gao-platform-workers-as-employees already said."""
    r = run("check", "--category", "flexible", "--as-of", "2028-06-01", "--reform", rid, "--format", "json")
    entry = next(s for s in json.loads(r.out)["reformed"]["schemes"] if s["scheme"] == scheme)
    assert entry["status"] == "not-eligible" and entry["settled"] is False and "socins's reading" in entry["notes"]


@pytest.mark.parametrize("rid", IDS)
def test_gao_4_2_4_4_a_reformed_resident_pension_answer_never_rests_on_employee_pension_being_optional(reformed, rid):
    """Where an overlay makes a person join employee pension (Gao 四 二是 任何人只要取得收入就应依法参保, 四 四是
    国民年金, Han 三（二） 强制纳入), the reformed resident-pension answer must not keep the law's reason that the
    person need not join it (sil art. 10 para 2 可以参加): the reformed answer would contradict itself."""
    people = [{"category": c} for c in ("self-employed", "part-time", "flexible")] + [
        {"category": "part-time", "employers": 1}, {"category": "resident", "income": 3000},
        {"category": "platform", "relation": "incomplete"}, {"category": "platform", "relation": "civil"}]
    for who in people:
        found = {s["scheme"]: s for s in answers.check(reformed[rid], make_person(**who, as_of=AS_OF))["schemes"]}
        if found["employee-pension"]["status"] != "mandatory":
            continue
        notes = found["resident-pension"]["notes"]
        assert "need not join employee pension" not in notes, (who, notes)
        assert "may join employee pension (sil art. 10 para 2)" not in notes, (who, notes)


def test_a_contribution_cell_whose_payers_no_rate_names_says_so():
    """gao-state-as-contributor adds the government as a payer and sets no rate (the paper names no figure): the
    cell had been an open dash with empty notes."""
    r = run("compare", "--category", "employee", "--category", "platform:civil", "--as-of", "2028-06-01",
            "--reform", "gao-state-as-contributor", "--format", "json")
    row = next(x for x in json.loads(r.out)["reformed"]["rows"] if x["scheme"] == "contribution-rate")
    cell = next(c for c in row["by_category"] if c["category"] == "platform:civil")
    assert cell["value"] is None and cell["settled"] is False
    assert cell["notes"].startswith("No rate is encoded for these payers (individual, government)")


def test_check_markdown_marks_the_reformed_age_resting_on_the_proposal_and_an_inequity_held_only_as_open():
    """The legend says ★ marks an answer resting on the proposal: the retirement row had none; the finding that
    holds only because the overlay's reading is open reads 'open', as the differences say."""
    r = run("check", "--category", "flexible", "--sex", "female", "--birth", "1980-05", "--as-of", "2030-06-01",
            "--reform", "han-retirement-age-women-flexible-workers", "--format", "markdown")
    assert r.code == 0, r.err
    assert "| ≠ retirement age | 57y8m (2038-01, female-55) [open] | 52y9m (2033-02, female-50) [open] ★ |" in r.out
    assert "| ≠ inequity retirement-age | holds | open |" in r.out


@pytest.mark.parametrize("rid", ["gao-platform-workers-as-employees", "han-flexible-workers-compulsory-insurance"])
def test_work_injury_insurance_beside_the_pilot_under_an_overlay_says_the_overlap_is_open(rid):
    """Neither paper says whether the occupational-injury pilot still applies once a rider must join work-injury
    insurance: both answers are given, and the work-injury one says the overlap is open."""
    r = run("check", "--category", "platform", "--relation", "incomplete", "--province", "guangdong", "--industry",
            "food-delivery", "--platform", "美团", "--as-of", "2028-06-01", "--reform", rid, "--format", "json")
    schemes = {s["scheme"]: s for s in json.loads(r.out)["reformed"]["schemes"]}
    assert schemes["work-injury"]["status"] == "mandatory" and schemes["occupational-injury"]["status"] == "pilot"
    assert schemes["work-injury"]["settled"] is False and "the overlap open" in schemes["work-injury"]["notes"]


def test_check_with_the_waiting_period_overlay_shows_the_part_it_ends_as_inequities_does():
    """Han 三（四）第三: the overlay ends the waiting-period part of registration-hukou; inequities and reforms
    --effect said so, check showed no difference."""
    args = ("--as-of", "2028-06-01", "--reform", "han-medical-benefits-without-waiting-periods", "--format", "json")
    checked = json.loads(run("check", "--category", "flexible", *args).out)
    assert {"scheme": "registration", "field": "inequity parts", "id": "registration-hukou",
            "law": ["registration", "hukou", "waiting-period"], "reformed": ["registration", "hukou"]} \
        in checked["differences"]
    listed = json.loads(run("inequities", "--category", "flexible", *args).out)
    assert [d["id"] for d in listed["differences"]] == ["registration-hukou"]
