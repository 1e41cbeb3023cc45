"""The body of labour and social-insurance law around the Social Insurance Law, as legal situations.

Labour Law (ll), Labour Contract Law (lcl), the contribution and handling
regulations (sicr, sihr), SPC Interpretation II (spc-labour-ii), the
work-injury regulation's two texts (wiir), and what they add to answers:
an agreement to forgo insurance, part-time work, registration.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_helpers import run
from eligibility_support import cites, schemes
from socins_cli.law.diff import diff_versions
from socins_cli.errors import InputError
from socins_cli.person import make_person
from socins_cli.engines.timeline import timeline

EMPLOYEE_SCHEMES = ("employee-pension", "employee-medical", "work-injury", "unemployment", "maternity")


def substantive(law, instrument, before, after) -> list[str]:
    return [c["article"] for c in diff_versions(law, instrument, before, after)["changes"] if c["substantive"]]


# -- versions and their dates ---------------------------------------------------------------------

@pytest.mark.parametrize("instrument,before,after,articles", [
    ("ll", "1994", "2009", ["92"]),
    ("ll", "2009", "2018", ["15", "69", "94"]),
    ("ll", "2000-01-01", "2010-01-01", ["92"]),            # dates in force of 1994 and 2009
    ("ll", "2010-01-01", "2019-01-01", ["15", "69", "94"]),
    ("lcl", "2007", "2012", ["57", "63", "66", "92"]),
    ("lcl", "2010-01-01", "2014-01-01", ["57", "63", "66", "92"]),
    ("tul", "2001", "2009", ["51"]),
])
def test_amended_articles_are_exactly_those_the_amending_decisions_changed(law, instrument, before, after, articles):
    assert substantive(law, instrument, before, after) == articles


@pytest.mark.parametrize("instrument,before,after,article,paragraphs", [
    ("lcl", "2007", "2012", "57", [1, 2]),   # one 款 became 款1 with items (一)-(四) and 款2 (依法申请行政许可)
    ("lcl", "2007", "2012", "41", [1, 2]),   # colons in 可以裁减人员: and 应当优先留用下列人员:
    ("tul", "2009", "2021", "42", [1, 2]),   # item (二) of 款1, and 企业、事业单位、社会组织 in 款2
])
def test_paragraphs_changed_counts_kuan_as_show_numbers_them_not_item_lines(law, instrument, before, after, article,
                                                                             paragraphs):
    change = next(c for c in diff_versions(law, instrument, before, after)["changes"] if c["article"] == article)
    assert change["paragraphs_changed"] == paragraphs
    newer = law.version(instrument, after).article(change.get("article_after", article))
    assert max(paragraphs) <= newer.paragraph_count


def test_ll_2009_to_2018_copy_differences_are_not_amendments(law):
    """The LawRefBook 2018 copy breaks arts. 37 and 89 mid-sentence: held as one paragraph, like 2009."""
    changes = diff_versions(law, "ll", "2009", "2018")["changes"]
    assert [c["article"] for c in changes] == ["15", "69", "94"]
    for number in ("37", "89"):
        assert law.version("ll", "2018").article(number).paragraphs == law.version("ll", "2009").article(number).paragraphs
        assert len(law.version("ll", "2018").article(number).paragraphs) == 1


def test_ll_art107_in_force_1995_01_01_so_not_cited_in_1994(law):
    assert law.version("ll", "1994").effective == dt.date(1995, 1, 1)
    assert law.resolve("ll:72", dt.date(1994, 12, 31)) is None
    assert law.resolve("ll:72", dt.date(1995, 1, 1)).version == "1994"


@pytest.mark.parametrize("day,version", [("2013-06-30", "2007"), ("2013-07-01", "2012"), ("2007-12-31", None)])
def test_lcl_2012_amendment_in_force_2013_07_01_and_the_law_from_2008_01_01(law, day, version):
    cit = law.resolve("lcl:68", dt.date.fromisoformat(day))
    assert (cit.version if cit else None) == version


def test_wiir_2_revision_in_force_2011_01_01_not_on_2010_12_31():
    before = run("show", "wiir", "2", "--as-of", "2010-12-31", "--format", "json")
    assert before.code != 0 and "中华人民共和国境内的企业" not in before.out
    assert "2003" in before.err and "2010" in before.err
    after = run("show", "wiir", "2", "--as-of", "2011-01-01", "--format", "json")
    assert after.code == 0 and json.loads(after.out)["version"] == "2010"


def test_sicr_1999_original_not_held_so_no_article_of_it_is_cited_before_2019(law):
    original = law.version("sicr", "1999")
    assert original.completeness == "summary-only" and not original.articles
    assert original.fact("original-not-held") is not None
    assert law.resolve("sicr:12:3", dt.date(2015, 1, 1)) is None
    assert law.resolve("sicr:12:3", dt.date(2019, 3, 24)).version == "2019"


def test_spc_interpretation_ii_is_a_judicial_interpretation_in_force_2025_09_01_with_its_art19_conflict_noted(law):
    inst = law.instrument("spc-labour-ii")
    assert inst.kind == "judicial-interpretation" and inst.document_number == "法释〔2025〕12号"
    version = inst.versions[0]
    assert version.effective == dt.date(2025, 9, 1) and "2025年9月1日" in version.article("21").text
    art19 = version.article("19")
    assert "第一款" in art19.paragraphs[0] and "第一款" in art19.note and "doubtful" in art19.note


# -- work injury between 2004 and 2010 -------------------------------------------------------------

def test_wiir_2003_employee_on_2010_06_01_bound_to_work_injury_insurance_on_the_revisions_wording(law):
    entry = schemes(law, "2010-06-01", category="employee")["work-injury"]
    assert (entry["status"], entry["payers"], entry["settled"]) == ("mandatory", ["employer"], False)
    assert cites(entry) == {"wiir@2003#original-not-held"}  # the 2010 text, in force from 2011, is not cited
    assert entry["wording"] == [
        {"instrument": "wiir", "version": "2010", "article": "2", "paragraph": 1, "stands_in": "2003"}]
    assert "not hold" in entry["notes"] and "2011-01-01" in entry["notes"]


@pytest.mark.parametrize("day,rule", [
    ("1994-12-31", "unmatched.no-law-encoded"),
    ("1995-01-01", "work-injury.employee.labour-law-before-sil"),  # ll 72, 70, 73 (三) 因工伤残
    ("2003-12-31", "work-injury.employee.labour-law-before-sil"),
    ("2004-01-01", "work-injury.employee.original-regulation"),
    ("2010-12-31", "work-injury.employee.original-regulation"),
    ("2011-01-01", "work-injury.employee.before-sil"),
    ("2011-07-01", "work-injury.employee.mandatory"),
])
def test_wiir_2_employee_work_injury_follows_the_regulation_in_force(law, day, rule):
    assert schemes(law, day, category="employee")["work-injury"]["rule"] == rule


def test_wiir_65_civil_servant_before_2011_unit_pays_on_the_revisions_wording(law):
    entry = schemes(law, "2008-01-01", category="civil-servant")["work-injury"]
    assert (entry["status"], entry["settled"]) == ("not-eligible", False)
    assert cites(entry) == {"wiir@2003#original-not-held"}
    assert [(c["version"], c["article"], c["stands_in"]) for c in entry["wording"]] == [("2010", "65", "2003")]


# -- an agreement to forgo insurance (waiver) ------------------------------------------------------

def test_spc_ii_art19_check_waiver_keeps_pension_mandatory_and_cites_art19_on_2026_06_01():
    result = run("check", "--category", "employee", "--waiver", "--as-of", "2026-06-01", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["person"]["waiver"] is True
    pension = next(s for s in data["schemes"] if s["scheme"] == "employee-pension")
    assert (pension["status"], pension["payers"]) == ("mandatory", ["employer", "individual"])
    assert {"instrument": "spc-labour-ii", "version": "2025", "article": "19", "paragraph": 1,
            "confidence": "medium"} in pension["citations"]
    assert "void" in pension["notes"]


def test_lcl_38_and_46_give_an_unpaid_employee_termination_with_compensation_from_2008(law):
    """劳动合同法 art. 38 para 1 item (三): the worker may end the contract where the employer 未依法为劳动者缴纳社会保险费;
    art. 46 item (一): economic compensation is then owed. In force 2008-01-01, long before SPC Interpretation II
    repeated it. Not for a part-time worker, to whom art. 71 gives no compensation (不向劳动者支付经济补偿)."""
    for day, cited in (("2007-12-31", False), ("2008-01-01", True), ("2026-06-01", True)):
        got = schemes(law, day, category="employee", waiver=True)
        for scheme in EMPLOYEE_SCHEMES:
            entry = got[scheme]
            if "employer" not in entry["payers"]:  # before 2011 the Labour Law alone names no payer (art. 72)
                assert day < "2011-07-01" and "lcl@2007:38:1" not in cites(entry)
                continue
            assert ({"lcl@2007:38:1", "lcl@2007:46:1"} <= cites(entry) or
                    {"lcl@2012:38:1", "lcl@2012:46:1"} <= cites(entry)) is cited, (day, scheme)
            assert ("art. 38 para 1 item (三)" in entry["notes"]) is cited
    part_time = schemes(law, "2026-06-01", category="part-time", employers=1, waiver=True)
    assert all("lcl@2012:46:1" not in cites(entry) for entry in part_time.values())


def test_spc_ii_art19_para2_says_cash_taken_instead_is_reclaimable_once_the_arrears_are_paid(law):
    """Art. 19 para 2: 用人单位依法补缴社会保险费后，请求劳动者返还已支付的社会保险费补偿的，人民法院依法予以支持 — the
    "cash instead" the --waiver option names. From 2025-09-01 only."""
    for day, cited in (("2026-06-01", True), ("2025-08-31", False)):
        got = schemes(law, day, category="employee", waiver=True)
        for scheme in EMPLOYEE_SCHEMES:
            entry = got[scheme]
            assert ("spc-labour-ii@2025:19:2" in cites(entry)) is cited, (day, scheme)
            assert ("art. 19 para 2" in entry["notes"]) is cited


def test_spc_ii_art19_not_cited_on_2025_08_31_but_the_statutory_duty_is(law):
    got = schemes(law, "2025-08-31", category="employee", waiver=True)
    for scheme in EMPLOYEE_SCHEMES:
        entry = got[scheme]
        assert entry["status"] == "mandatory" and "employer" in entry["payers"], scheme
        assert "spc-labour-ii" not in {c["instrument"] for c in entry["citations"]}, scheme
        assert {"sil@2018:60:1", "ll@2018:72"} <= cites(entry), scheme
    assert {"sicr@2019:2:1", "sicr@2019:4:1", "sicr@2019:12:3"} <= cites(got["employee-pension"])
    assert {"wiir@2010:3", "sicr@2019:12:3"} <= cites(got["work-injury"])
    assert "sicr" not in {c["instrument"] for c in got["maternity"]["citations"]}  # sicr art. 2: not maternity


@pytest.mark.parametrize("day,expected", [
    ("2015-01-01", {"sil@2010:60:1", "ll@2009:72"}),        # sil in force; the 1999 regulation's text not held
    ("2008-01-01", {"ll@1994:72", "ll@1994:70", "ll@1994:73"}),  # before sil: the labour law alone
])
def test_ll_72_sil_60_waiver_does_not_end_the_duty_before_2019(law, day, expected):
    entry = schemes(law, day, category="employee", waiver=True)["employee-pension"]
    assert entry["status"] == "mandatory"
    added = {c for c in cites(entry) if c.split("@")[0] in ("ll", "sil", "sicr", "spc-labour-ii")
             and not c.startswith("sil@2010:1")}
    assert added == expected


@pytest.mark.parametrize("day", ["1996-06-01", "2010-06-01"])
def test_ll_72_before_2011_a_waiver_does_not_end_the_duty_whoever_pays(law, day):
    """必须依法参加社会保险 binds employer and worker to join whether or not art. 72 tells who pays: the note stays
    on every mandatory scheme, including those answered with no payer (medical, maternity)."""
    for scheme, entry in schemes(law, day, category="employee", waiver=True).items():
        if entry["status"] == "mandatory":
            assert "does not end the duty" in entry["notes"], (scheme, entry["payers"])


def test_ll_2_civil_servants_waiver_cites_no_labour_law_and_no_labour_dispute_interpretation(law):
    # ll 2: 「…企业、个体经济组织…和与之形成劳动关系的劳动者，适用本法。」 — not 公务员; the SPC interpretation is on 劳动争议.
    for scheme, entry in schemes(law, "2026-06-01", category="civil-servant", waiver=True).items():
        assert not {"ll", "spc-labour-ii"} & {c["instrument"] for c in entry["citations"]}, scheme
    medical = schemes(law, "2026-06-01", category="civil-servant", waiver=True)["employee-medical"]
    assert {"sil@2018:60:1", "sicr@2019:12:3"} <= cites(medical)  # the employer's duty to pay stays
    platform = schemes(law, "2026-06-01", category="platform", relation="labor", waiver=True)["employee-pension"]
    assert {"ll@2018:72", "spc-labour-ii@2025:19:1"} <= cites(platform)


@pytest.mark.parametrize("category", ["employee", "civil-servant", "flexible", "part-time"])
def test_waiver_never_changes_a_status_or_payers(law, category):
    for day in ("2009-01-01", "2016-01-01", "2026-06-01"):
        plain = schemes(law, day, category=category)
        waived = schemes(law, day, category=category, waiver=True)
        for scheme, entry in plain.items():
            assert (waived[scheme]["status"], waived[scheme]["payers"]) == (entry["status"], entry["payers"])


def test_spc_ii_art19_timeline_shows_each_text_on_the_day_it_comes_into_force(law):
    person = make_person(category="employee", waiver=True, as_of="2026-12-31")
    result = timeline(law, person, dt.date(2018, 1, 1), dt.date(2026, 12, 31))
    pension = next(s for s in result["schemes"] if s["scheme"] == "employee-pension")
    days = [c["date"] for c in pension["changes"]]
    assert {"2019-03-24", "2025-09-01"} <= set(days)


def test_wiir_timeline_for_an_employee_shows_2004_and_2011_boundaries(law):
    person = make_person(category="employee", as_of="2012-01-01")
    result = timeline(law, person, dt.date(2003, 1, 1), dt.date(2012, 1, 1))
    work_injury = next(s for s in result["schemes"] if s["scheme"] == "work-injury")
    assert {"2004-01-01", "2011-01-01", "2011-07-01"} <= {c["date"] for c in work_injury["changes"]}


@pytest.mark.parametrize("value,expected", [("true", True), ("是", True), ("no", False), ("", None), (None, None)])
def test_waiver_values(value, expected):
    assert make_person(category="employee", waiver=value).waiver is expected


def test_waiver_bad_value_names_field_value_and_what_is_allowed():
    with pytest.raises(InputError) as err:
        make_person(category="employee", waiver="maybe")
    assert (err.value.field, err.value.value) == ("waiver", "maybe") and "true|false" in str(err.value)


def test_waiver_batch_column(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("category,waiver,as_of\nemployee,true,2026-06-01\nemployee,,2026-06-01\nemployee,maybe,2026-06-01\n",
                    encoding="utf-8")
    result = run("check", "--input", str(path), "--format", "jsonl")
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 2 and 'waiver "maybe"' in result.err  # a bad row: exit 2, the rest answered
    assert rows[0]["person"]["waiver"] is True and "waiver" not in rows[1]["person"]
    art19 = [{c["instrument"] for c in r["schemes"][0]["citations"]} for r in rows[:2]]
    assert "spc-labour-ii" in art19[0] and "spc-labour-ii" not in art19[1]
    assert rows[2]["error"]["field"] == "waiver"


# -- part-time work and registration ---------------------------------------------------------------

def test_lcl_68_part_time_answers_cite_the_definition_from_2008(law):
    assert "lcl@2012:68" in cites(schemes(law, "2020-01-01", category="part-time")["employee-pension"])
    assert "lcl" not in {c["instrument"] for s in schemes(law, "2007-06-01", category="part-time").values()
                         for c in s["citations"]}
    assert "lcl" not in {c["instrument"] for s in schemes(law, "2020-01-01", category="flexible").values()
                         for c in s["citations"]}


def test_sihr_6_registration_hukou_finding_cites_the_handling_regulation_from_2023_12_01():
    def registration(day):
        out = run("inequities", "--category", "flexible", "--as-of", day, "--format", "json")
        finding = next(f for f in json.loads(out.out)["inequities"] if f["id"] == "registration-hukou")
        return {(c["instrument"], c.get("article"), c.get("paragraph")) for c in finding["citations"]}

    assert {("sihr", "6", 1), ("sihr", "6", 2)} <= registration("2024-01-01")
    assert not any(i == "sihr" for i, _, _ in registration("2023-11-30"))


# -- the State Council's opinions held in part -----------------------------------------------------

@pytest.mark.parametrize("day,cited", [("2014-12-30", False), ("2014-12-31", True)])
def test_guofa_2014_8_coverage_sentence_cited_for_a_flexible_worker_from_2014_12_31_and_left_open(law, day, cited):
    entry = schemes(law, day, category="flexible")["resident-pension"]
    assert (entry["status"], entry["settled"]) == ("voluntary", False)
    assert ("resident-pension-2014@2014:coverage" in cites(entry)) is cited
    if cited:
        assert "not covered" in entry["notes"] and "medium-low" in entry["notes"]


@pytest.mark.parametrize("day,cited", [("2016-01-11", False), ("2016-01-12", True)])
def test_guofa_2016_3_coverage_as_reported_cited_for_a_flexible_worker_and_marked_not_statute_text(law, day, cited):
    entry = schemes(law, day, category="flexible")["resident-medical"]
    assert entry["settled"] is False
    fact = [c for c in entry["citations"] if c["instrument"] == "resident-medical-2016"]
    assert bool(fact) is cited
    if cited:
        assert fact == [{"instrument": "resident-medical-2016", "version": "2016", "article": "#coverage-renmin",
                         "fact": "coverage-renmin",
                         "statute_text": False, "fact_confidence": "medium-low",  # 人民网's report
                         "completeness": "partial", "confidence": "medium"}]


def test_guofa_2015_2_civil_servant_pension_before_2014_10_01_has_no_payers(law):
    before = schemes(law, "2014-09-30", category="civil-servant")["public-sector-pension"]
    after = schemes(law, "2014-10-01", category="civil-servant")["public-sector-pension"]
    assert (before["payers"], after["payers"]) == ([], ["employer", "individual"])
    assert "public-pension-2015@2015:1" in cites(after) and after["settled"] is False


@pytest.mark.parametrize("fmt", ["csv", "markdown", "table"])
def test_wiir_2003_the_revisions_wording_shows_in_plain_formats_labelled_as_wording_not_as_a_citation(fmt):
    """JSON keeps the 2010 wording apart (``wording``); a plain format lists it after the citations, labelled as
    the wording of version 2010 quoted for version 2003, so the note that speaks of it points at something shown."""
    r = run("check", "--category", "employee", "--as-of", "2008-06-01", "--format", fmt)
    assert r.code == 0, r.err
    assert "wording of version 2010, quoted for version 2003" in " ".join(r.out.split())
