"""Inequity findings: each rests on real articles, holds only between its dates, and follows the encoded data."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from socins_cli.engines import answers

from socins_cli.engines import eligibility
from socins_cli.engines import inequities as ineq
from socins_cli.engines.compare import compare
from socins_cli.errors import InputError
from socins_cli.engines.findings_validation import citation_problem, validate_findings
from socins_cli.law.load import load_law
from socins_cli.person import make_person

D = dt.date
NINE = {"pension-obligation", "work-injury-exclusion", "unemployment-exclusion", "maternity-exclusion",
        "contribution-burden", "retirement-age", "who-pays", "definitions", "registration-hukou"}
SWEEP = [D(1998, 6, 1), D(2002, 6, 1), D(2006, 1, 1), D(2008, 6, 1), D(2011, 6, 30), D(2011, 7, 1),
         D(2015, 1, 1), D(2019, 4, 30), D(2019, 5, 1), D(2021, 8, 1), D(2024, 12, 31), D(2025, 1, 1),
         D(2025, 7, 1), D(2026, 6, 1), D(2027, 1, 1), D(2031, 1, 1)]


def findings(law, on, **kw):
    return {f["id"]: f for f in ineq.inequities(law, on, **kw)["inequities"]}


def cited(f, side=None):
    return [c for c in f["citations"] if side is None or c["side"] == side]


# -- the data ---------------------------------------------------------------------------------------

def test_findings_file_validates(law):
    assert validate_findings(law) == []


def test_every_evidence_reference_points_at_a_real_article_paragraph_or_fact(law):
    raw = law.data[ineq.FINDINGS_FILE]
    refs = [r for f in raw["finding"] for key in ("require", "evidence", "context") for r in f.get(key, [])]
    refs += [r for f in raw["finding"] if f["derive"]["kind"] == "evidence"
             for key in ("category", "compared") for r in f["derive"].get(key, [])]
    assert refs
    for ref in refs:
        assert citation_problem(law, ref) is None, ref


@pytest.mark.parametrize("on", SWEEP)
def test_every_reported_citation_exists_in_the_version_in_force_that_day(law, on):
    for f in findings(law, on).values():
        for c in f["citations"]:
            version = law.version(c["instrument"], c["version"])
            assert version.in_force_on(on), (f["id"], c)
            if "article" in c and "fact" not in c and "table" not in c:  # a fact's or table's names it for show
                art = version.article(c["article"])
                assert art is not None, (f["id"], c)
                if "paragraph" in c:
                    assert 1 <= c["paragraph"] <= len(art.paragraphs)
            if "fact" in c:
                assert version.fact(c["fact"]) is not None
                assert c["statute_text"] is False
            assert c["side"] in ("category", "compared_with", "evidence")


def _problems_after(law, tmp_path, *edits: tuple[str, str]) -> list[str]:
    """``validate_findings`` on a copy of the statutes whose findings file has each (old, new) edit made once."""
    root = _copy_statutes(law, tmp_path)
    path = root / "findings" / "inequities.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return validate_findings(load_law(root, use_cache=False, checked=False))


def test_validation_names_unknown_kind_parameter_and_citation(law, tmp_path):
    problems = "\n".join(_problems_after(
        law, tmp_path, ('kind = "payers"', 'kind = "vibes"'),
        ('denominator = "pension_contribution_rate_employee"', 'denominator = "no_such_rate"'),
        ('require = ["sil:33"]', 'require = ["sil:333"]')))
    assert 'kind = "vibes"' in problems
    assert "no_such_rate" in problems and "no such parameter" in problems
    assert "sil:333" in problems


def test_validation_names_a_bad_earlier_summary(law, tmp_path):
    problems = _problems_after(law, tmp_path, ('before = "maternity-merger-2019"', 'before = "no-such-notice"'),
                               ('before = "platform-guidance-2021"', 'before = "platform-guidance-2021"\nwhen = 1'))
    assert any("earlier_summaries[0].before" in p and "no-such-notice" in p for p in problems), problems
    assert any("earlier_summaries[0].when" in p and "unknown key" in p for p in problems), problems


def test_validation_orders_dated_earlier_summaries_with_the_instruments(law, tmp_path):
    """An earlier summary may stop on a day of its own (a later step of an instrument in force); the days still run
    earliest first, and a quoted date is no instrument id."""
    problems = _problems_after(law, tmp_path / "early", ("before = 2027-01-01", "before = 2021-01-01"))
    assert any("earliest first" in p for p in problems), problems
    problems = _problems_after(law, tmp_path / "quoted", ("before = 2027-01-01", 'before = "2027-01-01"'))
    assert any(".before" in p and "2027-01-01" in p and "or a date" in p for p in problems), problems
    assert _problems_after(law, tmp_path / "as-shipped") == []


def test_validation_names_a_bad_part_since_and_an_empty_earlier_open(law, tmp_path):
    problems = _problems_after(law, tmp_path, ('since = "hukou-2025"', 'since = "no-such-notice"'),
                               ('open = "Only the registration duty rests on statute text (sil art. 58). Waiting',
                                'open = "" # (sil art. 58). Waiting'))
    assert any("parts[1].since" in p and "no-such-notice" in p for p in problems), problems
    assert any("earlier_summaries[0].open" in p for p in problems), problems


def test_validation_names_a_bad_asked_as(law, tmp_path):
    problems = _problems_after(law, tmp_path, ("part-time = { employers = 0 }",
                                               "part-time = { employers = -1 }\ngig = { employers = 0 }"))
    assert any("asked_as.part-time" in p and "employers" in p for p in problems), problems
    assert any("asked_as.gig" in p and "expected a category" in p for p in problems), problems


def test_sil_10_para_2_findings_ask_about_a_part_time_worker_outside_an_employer(law):
    """The unemployment and work-injury exclusions hold, settled, for part-time workers outside an employer (sil 44
    and 33: 职工 only; Han 二（一）counts 未在用人单位参加……的非全日制从业人员 among flexible workers), though one
    whose employers are not given is an open case in ``check``; one with an employer is insured by it for work
    injury (sil-provisions-2011 art. 9, 职工(包括非全日制从业人员)), and that person's check carries no exclusion."""
    found = {f["id"]: f for f in ineq.inequities(law, dt.date(2026, 6, 1))["inequities"]}
    for exclusion in ("unemployment-exclusion", "work-injury-exclusion"):
        assert "part-time" in found[exclusion]["categories"] and found[exclusion]["settled"] is True
    assert {"self-employed", "flexible"} <= set(found["work-injury-exclusion"]["categories"])
    employed = answers.check(law, make_person(category="part-time", employers=1, as_of="2026-06-01"))
    assert "work-injury-exclusion" not in {f["id"] for f in employed["inequities"]}


@pytest.mark.parametrize("person", [
    {"category": "part-time", "employers": 1},  # sil 10 ¶2: whether the employer must insure them is open
    {"category": "part-time", "employers": 2},
    {"category": "flexible", "employers": 1},  # named an employer: every employee-scheme answer is open
    {"category": "part-time"},  # employers not given: unemployment and work injury open
])
def test_sil_10_para_2_a_settled_finding_is_open_for_a_person_whose_own_answers_bear_it_out_only_as_open(law, person):
    """The findings speak of part-time workers outside an employer (未在用人单位参加……的非全日制从业人员): for one
    whose own answer on a finding's schemes is open, ``check`` marks the finding open and says why, and never
    reports it settled beside an open answer that says the opposite may hold."""
    result = answers.check(law, make_person(**person, as_of="2026-06-01"))
    schemes = {s["scheme"]: s for s in result["schemes"]}
    by_id = {f.id: f for f in ineq.findings_data(law).findings}
    reported = [f for f in result["inequities"] if by_id[f["id"]].derive.get("kind") in ("status", "payers")]
    assert reported
    for f in reported:
        own = [schemes[s] for s in by_id[f["id"]].derive["schemes"]]
        if f["settled"]:
            assert any(a["settled"] for a in own), f["id"]
        elif "note" in f:
            assert not any(a["settled"] for a in own) and "Open for this person" in f["note"]
    opened = {f["id"] for f in reported if "note" in f}
    assert "unemployment-exclusion" in opened
    outside = answers.check(law, make_person(category="part-time", employers=0, as_of="2026-06-01"))
    assert all("note" not in f for f in outside["inequities"])
    assert {f["id"]: f["settled"] for f in outside["inequities"]}["unemployment-exclusion"] is True


# -- the nine findings on 2026-06-01 ----------------------------------------------------------------

def test_all_nine_findings_hold_on_2026_06_01_with_evidence_on_both_sides(law):
    found = findings(law, D(2026, 6, 1))
    assert set(found) == NINE
    for f in found.values():
        assert f["compared_with"] == "employee"
        assert {"flexible", "self-employed"} <= set(f["categories"])
        assert cited(f, "category") and cited(f, "compared_with"), f["id"]
        assert f["summary"] and f["summary_en"]


def test_sil_2018_arts_10_and_23_flexible_workers_may_join_where_employees_must(law):
    f = findings(law, D(2026, 6, 1))["pension-obligation"]
    assert f["scheme"] == "employee-pension" and "employee-medical" in f["schemes"]
    by = f["details"]["by_category"]["flexible"]
    for scheme in ("employee-pension", "employee-medical"):
        assert (by[scheme]["status"], by[scheme]["compared_status"]) == ("voluntary", "mandatory")
    assert {("sil", "10", 2), ("sil", "23", 2)} <= {(c["instrument"], c.get("article"), c.get("paragraph"))
                                                   for c in cited(f, "category")}
    assert {("sil", "10", 1), ("sil", "23", 1)} <= {(c["instrument"], c.get("article"), c.get("paragraph"))
                                                   for c in cited(f, "compared_with")}


@pytest.mark.parametrize("fid,scheme,article,regulation", [
    ("work-injury-exclusion", "work-injury", "33", "wiir"),
    ("unemployment-exclusion", "unemployment", "44", "uir"),
])
def test_sil_arts_33_and_44_and_their_regulations_art2_exclude_flexible_workers(law, fid, scheme, article, regulation):
    f = findings(law, D(2026, 6, 1))[fid]
    assert f["scheme"] == scheme
    assert f["details"]["by_category"]["flexible"][scheme]["status"] == "not-eligible"
    instruments = {(c["instrument"], c.get("article")) for c in f["citations"]}
    assert ("sil", article) in instruments and (regulation, "2") in instruments


def test_sil_art33_exclusion_is_narrowed_by_the_pilot_only_for_platform_workers(law):
    f = findings(law, D(2026, 6, 1))["work-injury-exclusion"]
    coverage = f["details"]["narrowing_coverage"][0]
    assert "guangdong" in coverage["provinces"] and coverage["province_since"]["guangdong"] == "2022-07-01"
    assert coverage["province_since"]["zhejiang"] == "2025-07-01"
    person = make_person(category="platform", relation="incomplete", province="guangdong",
                         industry="food-delivery", platform="美团", as_of="2026-06-01")
    result = compare(law, [{"category": "flexible"}, person.as_dict()], D(2026, 6, 1))
    row = next(r for r in result["rows"] if r["scheme"] == "occupational-injury")
    assert [c["status"] for c in row["by_category"]] == ["not-eligible", "pilot"]
    assert "work-injury-exclusion" in row["findings"]
    before_pilot = findings(law, D(2022, 6, 30))["work-injury-exclusion"]["details"]
    assert "narrowing_coverage" not in before_pilot


def test_sil_art53_maternity_exclusion_cites_the_2019_merger_and_from_2027_the_medical_security_law(law):
    f = findings(law, D(2026, 6, 1))["maternity-exclusion"]
    assert ("maternity-merger-2019", "item-1") in {(c["instrument"], c.get("article")) for c in f["citations"]}
    assert "msl" not in {c["instrument"] for c in f["citations"]}
    later = findings(law, D(2027, 6, 1))["maternity-exclusion"]
    assert ("msl", "14") in {(c["instrument"], c.get("article")) for c in later["citations"]}


@pytest.mark.parametrize("fid,instrument,named", [
    ("maternity-exclusion", "maternity-merger-2019", "2019 merger"),
    ("work-injury-exclusion", "oi-pilot-2021", "occupational-injury pilot"),
    ("definitions", "platform-guidance-2021", "2021 guidance"),
    ("retirement-age", "retire-2024", "2024 retirement reform"),
    ("registration-hukou", "hukou-2025", "hukou"),
    ("contribution-burden", "rate-cut-2019", "between 60% and 300%"),  # 国办发〔2019〕13号 part 三 (summary)
    ("pension-obligation", "msl", "Medical Security Law art. 11"),  # from 2027 outside employee medical: residents'
])
def test_a_summary_names_an_instrument_only_once_it_has_taken_effect(law, fid, instrument, named):
    """国办发〔2019〕10号, the 2022 pilot, 人社部发〔2021〕56号, the 2024 办法, the 2025 hukou notice: before each
    took effect the finding's summary is the claim without it, in both languages; from that day, with it."""
    start = law.instrument(instrument).versions[0].effective
    before, on = findings(law, start - dt.timedelta(days=1))[fid], findings(law, start)[fid]
    assert named not in before["summary_en"] and named in on["summary_en"]
    assert before["summary"] != on["summary"]
    for day, shown in ((start - dt.timedelta(days=1), before), (start, on)):  # compare names it as inequities does
        linked = compare(law, [{"category": "employee"}, {"category": "flexible"}], day)["findings"]
        for entry in (f for f in linked if f["id"] == fid):
            assert (entry["summary"], entry["summary_en"]) == (shown["summary"], shown["summary_en"])


def test_registration_hukou_rests_partly_on_summaries_and_is_not_settled(law):
    f = findings(law, D(2026, 6, 1))["registration-hukou"]
    assert f["settled"] is False
    facts = [c for c in f["citations"] if "fact" in c]
    assert facts and all(c["statute_text"] is False for c in facts)
    assert ("sil", "58", 2) in {(c["instrument"], c.get("article"), c.get("paragraph")) for c in cited(f, "category")}
    assert not any("hukou-2025" == c["instrument"] for c in findings(law, D(2024, 6, 1))["registration-hukou"]["citations"])


def test_definitions_take_in_platform_relations_only_once_the_2021_guidance_is_in_force(law):
    before = findings(law, D(2021, 7, 15))["definitions"]
    after = findings(law, D(2021, 7, 16))["definitions"]
    assert not any(c.startswith("platform") for c in before["categories"])
    assert {"platform:incomplete", "platform:civil"} <= set(after["categories"])
    assert "platform-guidance-2021" in {c["instrument"] for c in cited(after, "category")}


# -- contribution burden ------------------------------------------------------------------------------

def test_guofa_2005_38_part3_flexible_rate_against_guofa_1997_26_employee_rate(law):
    on = D(2026, 6, 1)
    f = findings(law, on)["contribution-burden"]
    d = f["details"]
    assert d["ratio"] == pytest.approx(law.value(d["numerator"]["parameter"], on)
                                       / law.value(d["denominator"]["parameter"], on))
    assert d["ratio"] == pytest.approx(2.5)  # 20% alone against the employee's 8%
    assert ("pension-2005", "3", 1) in {(c["instrument"], c.get("article"), c.get("paragraph"))
                                        for c in cited(f, "category")}
    assert "pension-1997" in {c["instrument"] for c in cited(f, "compared_with")}


def test_sil_defines_neither_flexible_workers_nor_the_employees_it_binds_as_the_definitions_finding_says(law):
    """Han 二（一）: 加之对职工的概念亦未明确定义; the summary had named only the missing definition of flexible work."""
    f = findings(law, D(2026, 6, 1))["definitions"]
    assert "nor 职工" in f["summary_en"] and "也没有定义职工" in f["summary"]
    sil = law.version_on("sil", D(2026, 6, 1))
    assert not [a.number for a in sil.articles if "所称职工" in a.text or "职工是指" in a.text]


def test_guobanfa_2019_13_part3_base_is_cited_as_sure_as_its_summary_and_said_to_state_no_start(law):
    """Part 三 is held as a paraphrase of medium confidence (part 一 is medium-high): its citation had given only the
    version's medium-high, and the summary had dated the 60%-300% base from 2019-05-01 without a word."""
    f = findings(law, D(2019, 5, 1))["contribution-burden"]
    base, = [c for c in f["citations"] if c.get("fact") == "flexible-base-60-300"]
    assert base["statute_text"] is False and base["fact_confidence"] == "medium"
    assert base["confidence"] == law.version("rate-cut-2019", "2019").confidence == "medium-high"  # as show says
    assert "states no start date" in f["summary_en"] and "未载明起始日期" in f["summary"]


def test_guobanfa_2019_13_part1_employer_rate_16_only_from_2019_05_01(law):
    def employer(on):
        f = findings(law, on)["contribution-burden"]
        rate = next(e for e in f["details"]["context_parameters"] if e["parameter"] == "pension_contribution_rate_employer")
        return rate["value"], "rate-cut-2019" in {c["instrument"] for c in f["citations"]}

    assert employer(D(2019, 4, 30)) == (0.20, False)
    assert employer(D(2019, 5, 1)) == (0.16, True)


def test_contribution_burden_follows_the_encoded_rates(law, tmp_path):
    root = _copy_statutes(law, tmp_path)
    path = root / "parameters" / "contributions.toml"
    text = path.read_text(encoding="utf-8")
    flexible_line = re.compile(r'(\{ from = 2006-01-01, value = )0\.20(, cite = \["pension-2005:3:1"\], note = "缴费比例为20%)')
    assert flexible_line.search(text)
    path.write_text(flexible_line.sub(r"\g<1>0.16\2", text), encoding="utf-8")
    changed = load_law(root, use_cache=False, checked=False)
    on = D(2026, 6, 1)
    ratio = findings(changed, on)["contribution-burden"]["details"]["ratio"]
    assert ratio == pytest.approx(0.16 / law.value("pension_contribution_rate_employee", on))
    assert ratio != findings(law, on)["contribution-burden"]["details"]["ratio"]

    path.write_text(flexible_line.sub(r"\g<1>0.08\2", text), encoding="utf-8")
    equal = load_law(root, use_cache=False, checked=False)
    assert "contribution-burden" not in findings(equal, on)  # no longer a heavier burden: no finding


# -- dates --------------------------------------------------------------------------------------------

def test_no_finding_cites_sil_before_2011_07_01(law):
    for on in (D(2006, 1, 1), D(2008, 6, 1), D(2011, 6, 30)):
        for f in findings(law, on).values():
            assert "sil" not in {c["instrument"] for c in f["citations"]}, (on, f["id"])
    assert "pension-obligation" not in findings(law, D(2011, 6, 30))
    assert "pension-obligation" in findings(law, D(2011, 7, 1))


def test_nothing_holds_before_the_earliest_encoded_texts(law):
    assert findings(law, D(1998, 6, 1)) == {}


@pytest.mark.parametrize("fid,start", [("contribution-burden", D(2006, 1, 1)), ("retirement-age", D(2001, 12, 22)),
                                       ("work-injury-exclusion", D(2011, 7, 1))])
def test_a_finding_holds_from_its_first_date_and_not_the_day_before(law, fid, start):
    assert fid not in findings(law, start - dt.timedelta(days=1))
    assert fid in findings(law, start)
    assert findings(law, D(2026, 6, 1))[fid]["in_force"]["from"] == start.isoformat()


@pytest.mark.parametrize("on", [D(2008, 6, 1), D(2019, 5, 1), D(2026, 6, 1), D(2031, 1, 1)])
def test_in_force_span_is_where_the_finding_holds(law, on):
    for fid, f in findings(law, on).items():
        start = f["in_force"]["from"]
        assert start is not None and D.fromisoformat(start) <= on
        assert fid in findings(law, D.fromisoformat(start))
        assert fid not in findings(law, D.fromisoformat(start) - dt.timedelta(days=1))
        end = f["in_force"]["to"]
        if end is not None:
            assert fid in findings(law, D.fromisoformat(end))
            assert fid not in findings(law, D.fromisoformat(end) + dt.timedelta(days=1))


# -- retirement ---------------------------------------------------------------------------------------

def test_mols_2001_20_part3_women_in_flexible_employment_55_against_women_workers_50(law):
    f = findings(law, D(2016, 6, 1))["retirement-age"]
    by = f["details"]["by_category"]["flexible"]
    assert by["category"]["statutory_age"] == {"years": 55, "months": 0}
    assert by["compared_with"]["statutory_age"] == {"years": 50, "months": 0}
    assert f["settled"] is True
    assert "flexible-pension-2001" in {c["instrument"] for c in cited(f, "category")}
    assert "retire-1978-workers" in {c["instrument"] for c in f["citations"]}


def test_retire_2024_art1_leaves_the_flexible_womans_track_open(law):
    f = findings(law, D(2026, 6, 1))["retirement-age"]
    assert f["settled"] is False
    assert f["notes"]
    assert "retire-2024" in {c["instrument"] for c in cited(f, "category")}


# -- compare and check -------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", ["flexible", "employee", "platform:incomplete", "resident"])
@pytest.mark.parametrize("on", [D(2010, 1, 1), D(2019, 5, 1), D(2026, 6, 1)])
def test_compare_a_category_with_itself_shows_no_difference(law, spec, on):
    result = compare(law, [{"category": spec, "province": "guangdong"}, {"category": spec, "province": "guangdong"}], on)
    assert len(result["rows"]) == len(eligibility.SCHEMES) + 2
    assert not any(r["differs"] for r in result["rows"])
    assert not any(r["findings"] for r in result["rows"])


def test_compare_employee_and_flexible_flags_each_difference_with_its_finding(law):
    result = compare(law, [{"category": "employee"}, {"category": "flexible"}], D(2026, 6, 1))
    rows = {r["scheme"]: r for r in result["rows"]}
    for scheme, fid in [("employee-pension", "pension-obligation"), ("work-injury", "work-injury-exclusion"),
                        ("unemployment", "unemployment-exclusion"), ("maternity", "maternity-exclusion"),
                        ("retirement-age", "retirement-age"), ("contribution-rate", "contribution-burden")]:
        assert rows[scheme]["differs"] and fid in rows[scheme]["findings"], scheme
    assert not rows["public-sector-pension"]["differs"]
    rates = [c["value"] for c in rows["contribution-rate"]["by_category"]]
    assert rates[0]["individual"] == law.value("pension_contribution_rate_employee", D(2026, 6, 1))
    assert rates[1]["individual"] == law.value("pension_contribution_rate_flexible", D(2026, 6, 1))


def test_findings_for_check_concern_the_person_only(law):
    flexible_man = make_person(category="flexible", sex="male", as_of="2026-06-01")
    ids = {f["id"] for f in ineq.findings_for(law, flexible_man, answers.check(law, flexible_man))}
    assert "retirement-age" not in ids and "pension-obligation" in ids
    woman = make_person(category="self-employed", sex="female", birth="1972-03", as_of="2026-06-01")
    found = ineq.findings_for(law, woman, answers.check(law, woman))
    assert "retirement-age" in {f["id"] for f in found}
    assert all(set(f) >= {"id", "scheme", "compared_with", "summary", "citations"} for f in found)
    employee = make_person(category="employee", as_of="2026-06-01")
    assert ineq.findings_for(law, employee, answers.check(law, employee)) == []


def test_filters_by_category_and_scheme(law):
    platform = findings(law, D(2026, 6, 1), category="platform:civil")
    assert platform and all(f["categories"] == ["platform:civil"] for f in platform.values())
    assert set(findings(law, D(2026, 6, 1), scheme="work-injury")) == {"work-injury-exclusion"}
    assert set(findings(law, D(2026, 6, 1), scheme="employee-medical")) == {"pension-obligation", "who-pays"}
    with pytest.raises(InputError):
        ineq.inequities(law, D(2026, 6, 1), scheme="pensions")
    with pytest.raises(InputError):
        ineq.inequities(law, D(2026, 6, 1), category="freelancer")


def _copy_statutes(law, tmp_path):
    root = tmp_path / "statutes"
    shutil.copytree(law.root, root)
    return root


def test_findings_for_answers_from_its_cache_unchanged_by_a_callers_edits(law):
    person = make_person(category="part-time", sex="female", birth="1975-05", as_of="2026-06-01")
    first = ineq.findings_for(law, person, answers.check(law, person))
    for f in first:
        for c in f["citations"]:
            c["text"] = "edited"
    again = ineq.findings_for(law, person, answers.check(law, person))
    assert [f["id"] for f in again] == [f["id"] for f in first]
    assert not any("text" in c for f in again for c in f["citations"])


def test_socins_validate_reports_a_broken_finding(law, tmp_path):
    from socins_cli.law.validate import validate

    root = _copy_statutes(law, tmp_path)
    path = root / "findings" / "inequities.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('{ key = "gao-ai-era"', '{ key = "gao-2099"', 1),
                    encoding="utf-8")
    _, problems = validate(root)
    assert any("gao-2099" in p and "inequities.toml" in p for p in problems)


def test_guidance_2021_platform_worker_in_a_labour_relation_is_compared_as_an_employee(law):
    result = compare(law, [{"category": "employee"}, {"category": "platform:labor"}], D(2026, 6, 1))
    assert not [r["scheme"] for r in result["rows"] if r["differs"]]
    assert "No --female-track given" in " ".join(next(r for r in result["rows"] if r["scheme"] == "retirement-age")["notes"])


def test_retirement_comparison_cohort_comes_from_the_data_and_is_validated(tmp_path):
    """The cohort compared when no birth is given is data (findings file), not a default in code."""
    import shutil

    from socins_cli.law.load import load_law
    from socins_cli.law.validate import validate

    dest = tmp_path / "statutes"
    shutil.copytree(Path(__file__).resolve().parent.parent / "statutes", dest)
    findings = dest / "findings" / "inequities.toml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(", cohort_age = 50 }", " }").replace("cohort_age = 50 ", "# cohort removed "),
                        encoding="utf-8")
    _, problems = validate(dest)
    assert any("cohort_age" in p and "topic.retirement-age" in p for p in problems)
    assert any("cohort_age" in p and "retirement" in p for p in problems if "topic." not in p)
    assert load_law(dest, use_cache=False, checked=False)  # the data still loads; validate names what is missing


def test_rate_cut_2019_part_3_the_60_300_base_the_summary_names_is_cited_marked_not_statute_text(law):
    """From 2019-05-01 contribution-burden's summary names the 60%-300% base (国办发〔2019〕13号 part 三, held as a
    summary): the fact is cited beside it, not statute text; before that day the summary and the fact are absent."""
    def base_cited(on):
        f = findings(law, on)["contribution-burden"]
        return f, [c for c in f["citations"] if c.get("fact") == "flexible-base-60-300"]

    f, cited = base_cited(dt.date(2020, 6, 1))
    assert "60%至300%" in f["summary"] and cited and cited[0]["statute_text"] is False
    f, cited = base_cited(dt.date(2019, 4, 30))
    assert "60%至300%" not in f["summary"] and not cited


def test_no_finding_context_speaks_of_an_instrument_not_yet_adopted_on_the_day_it_is_shown(law):
    """Context facts name the instrument they rest on as ``(instrument ID)``; on the day shown it must exist.

    The maternity finding showed, from the draft's first reading (2025-06-24), a comparison of the draft with
    the Medical Security Law adopted only on 2026-08-28.
    """
    named = re.compile(r"\(instrument ([a-z0-9-]+)\)")
    days = sorted({d + dt.timedelta(days=k) for inst in law.instruments.values() for v in inst.versions
                   for d in (v.adopted, v.effective) if d for k in (-1, 0, 1)} | set(SWEEP))
    for on in days:
        for finding in findings(law, on).values():
            for c in finding.get("details", {}).get("context", ()):
                if "fact" not in c:
                    continue
                fact = law.version(c["instrument"], c["version"]).fact(c["fact"])
                for ref in named.findall(fact.source + " " + fact.text):
                    first = min(v.adopted or v.effective for v in law.instruments[ref].versions)
                    assert first <= on, (on, finding["id"], c["fact"], ref)


@pytest.mark.parametrize("employers", [None, 1])
def test_compare_part_time_cells_are_the_check_answers_of_the_person_it_says_it_compared(law, employers):
    """sil 10 para 2 (未在用人单位参加…的非全日制从业人员): without --employers compare asks part-time as one outside
    an employer, as the findings do, and says so; its cells are then check's for that person."""
    on = D(2020, 6, 1)
    given = {} if employers is None else {"employers": employers}
    result = compare(law, [{"category": "part-time", **given}, {"category": "employee"}], on)
    (person, _) = result["people"]
    assert person["employers"] == (0 if employers is None else employers)
    assert bool(result.get("notes")) == (employers is None)
    checked = {s["scheme"]: s for s in answers.check(law, make_person(**person))["schemes"]}
    for row in result["rows"][:-2]:
        cell = row["by_category"][0]
        entry = checked[row["scheme"]]
        assert (cell["status"], cell["payers"], cell["settled"]) == (entry["status"], entry["payers"], entry["settled"])


@pytest.mark.parametrize("on, hukou", [(D(2015, 6, 1), False), (D(2024, 6, 1), False), (D(2025, 1, 7), True)])
def test_sil_58_registration_hukou_speaks_of_the_2025_notice_only_from_its_date(law, on, hukou):
    """sil 58 holds from 2011; the hukou limits are known only from the NHSA notice of 2025-01-07 (hukou-2025)."""
    f = findings(law, on)["registration-hukou"]
    assert ("hukou" in [p["id"] for p in f["details"]["parts"]]) == hukou
    notes = " ".join(f["notes"])
    assert ("2025" in notes) == hukou and ("经办条例" in notes) == (on >= D(2023, 12, 1))


def test_compare_does_not_call_a_womans_age_on_a_track_she_was_not_given_settled(law):
    """办法 art. 1 delays 原法定退休年龄为五十周岁 and 五十五周岁的女职工 from different ages: without a track,
    compare assumes the worker's and says so; with one, the answer is the law's."""
    def cell(**given):
        result = compare(law, [{"category": "employee", "sex": "female", "birth": "1975-01", **given}], D(2026, 6, 1))
        return result["rows"][-2]["by_category"][0]
    assumed, given = cell(), cell(female_track="worker")
    assert assumed["value"] == given["value"] == {"years": 50, "months": 1}
    assert (assumed["settled"], given["settled"]) == (False, True)
    assert assumed["notes"].startswith("Not settled: no --female-track given")


def test_retire_decision_2024_5_a_finding_no_longer_cites_the_1978_ages_once_they_ceased(law):
    """Point 五: from 2025-01-01 《国务院关于工人退休、退职的暂行办法》中有关退休年龄的规定不再施行. The
    retirement-age finding cites the 1978 workers' age (art. 1) before that day, and the 2024 measures after it."""
    def cites(on):
        return {f"{c['instrument']}:{c.get('article')}" for c in cited(findings(law, on)["retirement-age"])}

    assert "retire-1978-workers:1" in cites(dt.date(2024, 12, 31))
    later = cites(dt.date(2025, 8, 1))
    assert "retire-1978-workers:1" not in later and "retire-2024:annex-3" in later


def test_sil_10_para_3_compare_a_civil_servant_before_the_2015_reform_differs_from_an_employee_on_contributions(law):
    """Before the public-sector reform no scheme existed to join (not-eligible) while an employee pays 8% and the
    employer 20%: the contribution-rate row differs, though the civil servant's rate is not encoded."""
    row = next(r for r in compare(law, [{"category": "civil-servant"}, {"category": "employee"}],
                                  D(2011, 7, 1))["rows"] if r["scheme"] == "contribution-rate")
    assert [c["status"] for c in row["by_category"]] == ["not-eligible", "mandatory"] and row["differs"] is True


def test_compare_links_a_finding_only_to_a_pair_it_speaks_of(law):
    """The findings compare flexible workers with employees: a self-employed person beside a resident differs on
    employee pension, but no finding speaks of that pair; beside an employee the same row links them."""
    def linked(categories):
        rows = compare(law, [{"category": c} for c in categories], D(2019, 6, 1))["rows"]
        return next(r for r in rows if r["scheme"] == "employee-pension")

    apart = linked(["self-employed", "resident"])
    assert apart["differs"] is True and apart["findings"] == []
    assert "pension-obligation" in linked(["employee", "self-employed"])["findings"]


def test_pension_1997_compare_shows_the_employer_rate_as_a_ceiling_and_the_employee_rate_as_a_floor(law):
    """国发〔1997〕26号: 企业缴费的比例,一般不得超过企业工资总额的20% and 个人缴费…1997年不得低于本人缴费工资的4%:
    limits, not rates. compare's cell says so (bounds, ≤ / ≥ in text); the 2019 cut to 16% is no limit of that kind
    (高于16%的,可降至16%: a province above it may lower to it), nor a rate fixed for everyone: not settled; the 8% the
    schedule ends at is the rate itself."""
    from socins_cli.cli.cells import cell_text

    def employee_cell(on):
        rows = compare(law, [{"category": "employee"}, {"category": "flexible"}], on)["rows"]
        return next(r for r in rows if r["scheme"] == "contribution-rate")["by_category"][0]

    early = employee_cell(D(1998, 6, 1))
    assert early["bounds"] == {"individual": "at-least", "employer": "at-most"}
    assert cell_text(early, "contribution-rate").startswith("individual ≥5%, employer ≤20%")
    assert employee_cell(D(2018, 6, 1))["bounds"] == {"employer": "at-most"}
    late = employee_cell(D(2020, 6, 1))
    assert "bounds" not in late and cell_text(late, "contribution-rate") == "individual 8%, employer 16% [open]"
    assert late["settled"] is False and employee_cell(D(2019, 4, 30))["settled"] is True


def test_rate_cut_2019_part_1_names_the_public_sector_unit_rate_for_a_civil_servant_from_2019_05_01(law):
    """国办发〔2019〕13号 一: 降低城镇职工基本养老保险(包括企业和机关事业单位基本养老保险…)单位缴费比例 … 可降至16%: the unit's
    rate of a civil servant's scheme too; the staff member's (国发〔2015〕2号 part 三) is not held, and the cell says so."""
    def civil_servant_cell(on):
        rows = compare(law, [{"category": "employee"}, {"category": "civil-servant"}], on)["rows"]
        return next(r for r in rows if r["scheme"] == "contribution-rate")["by_category"][1]

    before = civil_servant_cell(D(2019, 4, 30))
    assert before["value"] is None and "its rates are not encoded for this date" in before["notes"]
    after = civil_servant_cell(D(2019, 5, 1))
    assert after["value"] == {"employer": 0.16} and after["settled"] is False
    assert "its individual rate is not encoded" in after["notes"]
    assert {c["instrument"] for c in after["citations"]} == {"rate-cut-2019"}


def test_msl_13_3_waiting_periods_are_the_provinces_to_set_from_2027_and_not_cited_before(law):
    """msl art. 13 para 3 (基本医疗保险参保人员享受待遇的起始时间，由省、自治区、直辖市按照国家规定确定) is the text
    behind the local waiting periods: registration-hukou cites it from 2027-01-01, and says so, and not before."""
    before = findings(law, dt.date(2026, 12, 31))["registration-hukou"]
    after = findings(law, dt.date(2027, 1, 1))["registration-hukou"]
    assert ("msl", "13", 3) not in {(c["instrument"], c["article"], c.get("paragraph")) for c in cited(before)}
    assert ("msl", "13", 3) in {(c["instrument"], c["article"], c.get("paragraph")) for c in cited(after)}
    assert "no encoded text holds" in before["notes"][0] and "art. 13 para 3" not in before["summary_en"]
    assert "art. 13 para 3" in after["notes"][0] and "Medical Security Law art. 13 para 3" in after["summary_en"]


def test_sil_art98_before_2011_07_01_the_findings_on_sil_say_they_are_not_yet_stated(law):
    """On 2010-06-01 compare shows the unemployment difference (uir 1999 art. 2), yet the findings rest on sil (from
    2011-07-01): inequities says which are not yet stated, rather than leaving them out without a word."""
    from socins_cli.engines.inequities import inequities

    before = inequities(law, "2010-06-01")
    assert "unemployment-exclusion" not in {f["id"] for f in before["inequities"]}
    (line,) = before["warnings"]
    assert "unemployment-exclusion" in line and "sil from 2011-07-01" in line and "compare" in line
    assert "contribution-burden" not in line  # stated on that day, on the 1997 and 2005 decisions
    assert "warnings" not in inequities(law, "2011-07-01")


def test_the_not_yet_stated_line_names_only_the_findings_of_the_category_asked_for(law):
    from socins_cli.engines.inequities import inequities

    assert "warnings" not in inequities(law, "2010-06-01", category="civil-servant")  # no finding concerns them
    (line,) = inequities(law, "2010-06-01", category="platform")["warnings"]  # every relation of platform work
    assert "who-pays" in line


def test_the_scheme_filter_reads_an_id_in_any_case_as_categories_are_read(law):
    """``--scheme Work-Injury`` is work-injury, as ``--category EMPLOYEE`` is employee; an unknown id is still refused."""
    from socins_cli.engines.inequities import inequities

    exact = inequities(law, "2026-06-01", scheme="work-injury")["inequities"]
    assert exact and inequities(law, "2026-06-01", scheme=" Work-Injury ")["inequities"] == exact
    with pytest.raises(InputError) as refused:
        inequities(law, "2026-06-01", scheme="workinjury")
    assert refused.value.field == "scheme" and refused.value.value == "workinjury"
