"""Reform overlays (``--reform``): proposals laid over the law from a date, side by side with the law.

The two shipped overlays come from the papers (Gao, part 四; Han 2025, parts
三（二）and 三（三）); the error and parameter cases use small overlays written
here. A proposal must change nothing before its effective date, must never
touch the loaded law, and must be marked as not law wherever it decides.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json

import pytest

from cli_helpers import REPO, run
from socins_cli.engines import answers
from socins_cli.engines import eligibility
from socins_cli.engines import retirement
from socins_cli.law.load import load_law
from socins_cli.person import make_person
from socins_cli.engines.reform import NOT_LAW, ReformError, apply_reform, overlay, reforms_in
from socins_cli.engines.reform_sides import (
    side_by_side_check,
    side_by_side_compare,
    side_by_side_inequities,
    side_by_side_retirement,
    side_by_side_timeline,
)

GAO = REPO / "reforms" / "gao-platform-workers-as-employees.toml"
HAN = REPO / "reforms" / "han-flexible-workers-compulsory-insurance.toml"
AFTER = _dt.date(2028, 6, 1)
BEFORE = _dt.date(2027, 12, 31)


@pytest.fixture(scope="module")
def gao(law):
    return apply_reform(law, GAO)


@pytest.fixture(scope="module")
def han(law):
    return apply_reform(law, HAN)


def person(category, relation=None, on=AFTER, **extra):
    return make_person(category=category, relation=relation, as_of=on, **extra)


def diff_fields(result, scheme):
    return {d["field"]: d for d in result["differences"] if d.get("scheme") == scheme}


def minimal(**rule_or_parameter) -> dict:
    """A small overlay with one article; the caller adds rules, assignments or parameters."""
    raw = {"reform": {"id": "test-reform", "title_zh": "测试", "title_en": "Test", "effective": _dt.date(2030, 1, 1),
                      "summary": "A test overlay.", "source": {"paper": "han-2025", "part": "三（二）"},
                      "article": [{"number": "1", "paragraphs": ["测试。"]}]}}
    raw.update(rule_or_parameter)
    return raw


# -- the shipped examples -----------------------------------------------------------------------------

def test_gao_part4_platform_workers_insured_as_employees_from_effective(law, gao):
    result = side_by_side_check(law, gao, person("platform", "incomplete"))
    injury = diff_fields(result, "work-injury")
    assert injury["status"]["law"] == "not-eligible" and injury["status"]["reformed"] == "mandatory"
    assert injury["payers"]["reformed"] == ["government"]
    reformed = {s["scheme"]: s for s in result["reformed"]["schemes"]}
    assert reformed["employee-pension"]["payers"] == ["individual", "government"]
    cited = [c for c in reformed["work-injury"]["citations"] if c["instrument"] == "gao-platform-workers-as-employees"]
    assert cited and all(c["proposal"] is True and c["statute_text"] is False for c in cited)
    assert result["reform"]["note"] == NOT_LAW and result["reform"]["effective"] == "2028-01-01"
    gone = {d["id"] for d in result["differences"] if d["field"] == "inequity" and d["reformed"] == "absent"}
    assert {"work-injury-exclusion", "maternity-exclusion", "unemployment-exclusion"} <= gone


def test_gao_proposal_changes_nothing_before_its_date_nor_for_employees(law, gao):
    assert side_by_side_check(law, gao, person("platform", "civil", on=BEFORE))["differences"] == []
    assert side_by_side_check(law, gao, person("flexible"))["differences"] == []
    assert side_by_side_check(law, gao, person("platform", "labor"))["differences"] == []


def test_han_2025_part3_2_flexible_workers_compulsorily_in_maternity_insurance(law, han):
    result = side_by_side_check(law, han, person("flexible"))
    maternity = diff_fields(result, "maternity")
    assert maternity["status"]["law"] == "not-eligible" and maternity["status"]["reformed"] == "mandatory"
    assert maternity["rule"]["reformed"] == "maternity.flexible.han-compulsory"
    assert diff_fields(result, "resident-medical")["status"]["reformed"] == "not-eligible"
    platform = side_by_side_check(law, han, person("platform", "civil"))
    assert diff_fields(platform, "maternity")["payers"]["reformed"] == ["employer", "individual", "platform"]
    before = side_by_side_check(law, han, person("flexible", on=BEFORE))
    assert before["differences"] == []


def test_han_2025_replaced_rule_ends_the_day_before_effective(law, han):
    rules = han.data["rules/eligibility"]["rule"]
    ids = [r["id"] for r in rules]
    old = rules[ids.index("maternity.flexible.not-eligible-msl")]
    new = rules[ids.index("maternity.flexible.han-compulsory")]
    assert ids.index("maternity.flexible.han-compulsory") < ids.index("maternity.flexible.not-eligible-msl")
    assert all(w["to"] == BEFORE for w in old["when"])
    assert new["when"]["from"] == _dt.date(2028, 1, 1)
    # the law's own rule is as it was
    base = law.data["rules/eligibility"]["rule"]
    assert all("to" not in w for w in next(r for r in base if r["id"] == old["id"])["when"])


def test_inequities_side_by_side_findings_end_with_the_reform(law, han):
    after = side_by_side_inequities(law, han, AFTER)
    holds = {d["id"]: d for d in after["differences"] if d["field"] == "holds"}
    assert holds["maternity-exclusion"]["law"] is True and holds["maternity-exclusion"]["reformed"] is False
    before = side_by_side_inequities(law, han, BEFORE)
    assert not [d for d in before["differences"] if d["field"] == "holds"]
    span = {d["id"]: d for d in before["differences"] if d["field"] == "in_force"}
    assert span["maternity-exclusion"]["reformed"]["to"] == "2027-12-31"


def test_timeline_side_by_side_parts_on_the_effective_date(law, gao):
    p = make_person(category="platform", relation="civil")
    result = side_by_side_timeline(law, gao, p, _dt.date(2026, 1, 1), _dt.date(2029, 1, 1))
    assert result["differences"] and {d["date"] for d in result["differences"]} == {"2028-01-01"}
    early = side_by_side_timeline(law, gao, p, _dt.date(2026, 1, 1), BEFORE)
    assert early["differences"] == []


def test_compare_side_by_side_flags_cells_of_reformed_categories_only(law, han):
    cats = [{"category": "employee"}, {"category": "flexible"}]
    result = side_by_side_compare(law, han, cats, AFTER)
    touched = {d["category"] for d in result["differences"] if d["category"] is not None}
    assert touched == {"flexible"}
    assert side_by_side_compare(law, han, cats, BEFORE)["differences"] == []


def test_reform_articles_are_the_papers_own_words(gao, han, reference):
    """Each article of an example overlay is a passage of its paper (line breaks of the PDF extraction removed)."""
    papers = reference.parent / "scholarship"
    files = {"gao-ai-era": "gao-ai-era-social-security.txt", "han-2025": "han-2025-flexible-workers-social-insurance.txt"}
    for reformed in (gao, han):
        r = reforms_in(reformed)[0]
        text = (papers / files[r.source["paper"]]).read_text(encoding="utf-8")
        flat = "".join(line.strip() for line in text.splitlines())
        inst = reformed.instruments[r.id]
        assert inst.kind == "proposal" and inst.versions[0].confidence == "low"
        for article in inst.versions[0].articles:
            for para in article.paragraphs:
                assert para in flat, (r.id, article.number)


# -- the law is never touched -----------------------------------------------------------------------------

def test_applying_a_reform_leaves_the_law_and_its_compiled_rules_unchanged(law):
    snapshot = copy.deepcopy(law.data)
    instruments, parameters, dates = dict(law.instruments), dict(law.parameters), law.change_dates
    p = person("flexible")
    before = answers.check(law, p)
    compiled = eligibility.compiled(law)
    reformed = apply_reform(law, HAN)
    assert reformed is not law
    assert law.data == snapshot and law.instruments == instruments and law.parameters == parameters
    assert law.change_dates == dates and "han-flexible-workers-compulsory-insurance" not in law.instruments
    assert eligibility.compiled(law) is compiled and eligibility.compiled(reformed) is not compiled
    answers.check(reformed, p)
    assert answers.check(law, p) == before


def test_the_pickle_cache_of_the_law_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCINS_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SOCINS_NO_CACHE", raising=False)
    law = load_law()
    caches = list(tmp_path.iterdir())
    assert caches
    stamps = {c: c.stat().st_mtime_ns for c in caches}
    apply_reform(law, GAO)
    assert {c: c.stat().st_mtime_ns for c in tmp_path.iterdir()} == stamps
    assert "gao-platform-workers-as-employees" not in load_law().instruments


# -- parameters and retirement assignments -------------------------------------------------------------------

def test_parameter_overlay_applies_from_effective_and_not_before(law):
    raw = minimal(parameter={"minimum_contribution_years": {"values": [
        {"from": _dt.date(2030, 1, 1), "value": 15, "cite": ["test-reform:1"]}]}})
    reformed = overlay(law, raw, "test.toml")
    p = make_person(category="employee", sex="male", birth="1975-01")
    after = side_by_side_retirement(law, reformed, p, "2030-06-01")
    fields = {d["field"]: d for d in after["differences"]}
    assert fields["minimum_contribution_years"]["reformed"] == 15
    assert fields["minimum_contribution_years"]["law"] != 15
    assert side_by_side_retirement(law, reformed, p, "2029-06-01")["differences"] == []
    assert law.parameter("minimum_contribution_years").values[-1].value != 15


def test_parameter_value_before_effective_is_an_error(law):
    raw = minimal(parameter={"minimum_contribution_years": {"values": [
        {"from": _dt.date(2029, 1, 1), "value": 15, "cite": ["test-reform:1"]}]}})
    with pytest.raises(ReformError) as exc:
        overlay(law, raw, "test.toml")
    message = str(exc.value)
    assert "test.toml" in message and "parameter.minimum_contribution_years.values[0].from" in message
    assert "2029-01-01" in message and "2030-01-01" in message


def test_assignment_overlay_puts_flexible_women_on_another_track_from_effective(law):
    raw = minimal(assignment=[{"group": "flexible", "sex": "female", "rule": "test", "track": "female-50",
                               "cite": ["test-reform:1", "retire-2024:1"], "settled": False}])
    reformed = overlay(law, raw, "test.toml")
    p = make_person(category="flexible", sex="female", birth="1985-05")
    after = {d["field"]: d for d in side_by_side_retirement(law, reformed, p, "2030-06-01")["differences"]}
    assert after["track"]["law"] == "female-55" and after["track"]["reformed"] == "female-50"
    assert side_by_side_retirement(law, reformed, p, "2029-12-31")["differences"] == []
    assert retirement.retirement(law, p, "2030-06-01")["track"] == "female-55"


# -- errors: one line naming file, key, value and what is allowed ----------------------------------------------

def _rule(**extra):
    rule = {"id": "maternity.flexible.test", "scheme": "maternity", "when": {"category": ["flexible"]},
            "status": "mandatory", "payers": ["individual"], "cite": ["test-reform:1"]}
    rule.update(extra)
    return rule


def test_replacing_a_rule_that_does_not_exist_names_it(law):
    with pytest.raises(ReformError) as exc:
        overlay(law, minimal(rule=[_rule(replaces="maternity.no-such-rule")]), "test.toml")
    assert '"maternity.no-such-rule"' in str(exc.value) and "replaces" in str(exc.value)


@pytest.mark.parametrize("change, key", [
    ({"before": "work-injury.flexible.not-eligible"}, "before"),
    ({"cite": ["sil:53"]}, "cite"),
    ({"cite": ["test-reform:9"]}, "cite"),
    ({"status": "maybe"}, "status"),
    ({"when": {"category": ["flexible"], "from": _dt.date(2029, 1, 1)}}, "from"),
])
def test_a_bad_rule_is_an_error_naming_its_key(law, change, key):
    with pytest.raises(ReformError) as exc:
        overlay(law, minimal(rule=[_rule(**change)]), "test.toml")
    assert key in str(exc.value) and "\n" not in str(exc.value)


def test_unknown_keys_and_bad_dates_are_errors(law):
    with pytest.raises(ReformError, match="rules"):
        overlay(law, minimal(rules=[]), "test.toml")
    raw = minimal()
    raw["reform"]["effective"] = "2030-01-01"
    with pytest.raises(ReformError, match="reform.effective"):
        overlay(law, raw, "test.toml")
    raw = minimal()
    raw["reform"]["id"] = "sil"
    with pytest.raises(ReformError, match="reform.id"):
        overlay(law, raw, "test.toml")
    raw = minimal()
    raw["reform"]["source"] = {"paper": "unknown-paper"}
    with pytest.raises(ReformError, match="reform.source.paper"):
        overlay(law, raw, "test.toml")


def test_a_replaced_default_rule_needs_a_replacement_for_everyone(law):
    with pytest.raises(ReformError, match="default rule of maternity"):
        overlay(law, minimal(rule=[_rule(replaces="maternity.default.not-eligible")]), "test.toml")
    ok = overlay(law, minimal(rule=[_rule(replaces="maternity.default.not-eligible", when=None)]), "test.toml")
    maternity = [r for r in ok.data["rules/eligibility"]["rule"] if r["scheme"] == "maternity"]
    assert [r["id"] for r in maternity[-2:]] == ["maternity.flexible.test", "maternity.default.not-eligible"]
    assert maternity[-2]["when"] == {"from": _dt.date(2030, 1, 1)}
    assert maternity[-1]["when"] == {"to": _dt.date(2029, 12, 31)}


# -- the command line ---------------------------------------------------------------------------------------------

def test_cli_check_reform_json_shape():
    r = run("check", "--category", "platform", "--relation", "incomplete", "--as-of", "2028-06-01",
            "--reform", str(GAO), "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert set(out) == {"as_of", "person", "reform", "law", "reformed", "differences"}
    assert out["reform"]["id"] == "gao-platform-workers-as-employees" and out["reform"]["note"] == NOT_LAW
    assert out["reform"]["source"]["paper"] == "gao-ai-era"
    assert len(out["law"]["schemes"]) == len(out["reformed"]["schemes"]) == len(eligibility.SCHEMES)
    assert out["differences"] and all({"scheme", "field", "law", "reformed"} <= set(d) for d in out["differences"])


def test_the_reform_key_lists_its_overlays_in_one_shape_for_one_overlay_or_two():
    """One overlay had given its object alone and two {"reforms": [...]}: a script had to branch (audit36 F4)."""
    common = ("check", "--category", "flexible", "--as-of", "2030-06-01", "--format", "json")
    one = json.loads(run(*common, "--reform", "han-flexible-workers-compulsory-insurance").out)["reform"]
    two = json.loads(run(*common, "--reform", "han-flexible-workers-compulsory-insurance",
                         "--reform", "gao-income-based-eligibility").out)["reform"]
    assert [r["id"] for r in one["reforms"]] == ["han-flexible-workers-compulsory-insurance"]
    assert one["id"] == "han-flexible-workers-compulsory-insurance" and one["reforms"][0]["note"] == NOT_LAW
    assert [r["id"] for r in two["reforms"]] == ["han-flexible-workers-compulsory-insurance",
                                                 "gao-income-based-eligibility"]


@pytest.mark.parametrize("args", [
    ("retirement", "--sex", "female", "--birth", "1985-05", "--category", "flexible"),
    ("compare", "--category", "employee", "--category", "flexible"),
    ("inequities",),
    ("timeline", "--category", "flexible", "--from", "2027-01-01", "--to", "2029-01-01"),
])
def test_cli_other_commands_take_reform(args):
    r = run(*args, "--as-of", "2028-06-01", "--reform", str(HAN), "--format", "json") if args[0] != "timeline" \
        else run(*args, "--reform", str(HAN), "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert {"reform", "law", "reformed", "differences"} <= set(out)


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_cli_side_by_side_text_marks_differences(fmt):
    r = run("check", "--category", "flexible", "--as-of", "2028-06-01", "--reform", str(HAN), "--format", fmt)
    assert r.code == 0, r.err
    assert "maternity" in r.out
    if fmt == "csv":  # each row names the proposal its reformed cell applies: a CSV has no headline
        lines = r.out.splitlines()
        assert lines[0] == "scheme,law,reformed,differs,reform"
        assert all(line.endswith(',"han-flexible-workers-compulsory-insurance (proposal, not law)"') for line in lines[1:])
    else:
        assert "≠" in r.out and "NOT LAW" in r.out


def test_cli_reform_errors_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[reform]\nid = "x"\n', encoding="utf-8")
    for args in (("--reform", str(bad)), ("--reform", str(tmp_path / "missing.toml")),
                 ("--reform", str(GAO), "--input", "rows.csv")):
        r = run("check", "--category", "flexible", *args)
        assert r.code == 2 and r.err.count("\n") == 1 and "reform" in r.err, r.err
        assert "Traceback" not in r.err
    r = run("check", "--category", "flexible", "--reform", str(GAO), "--input", "rows.csv")
    assert "batch" in r.err


@pytest.mark.parametrize("command,args", [
    ("check", ("--category", "flexible", "--as-of", "2030-06-01")),
    ("retirement", ("--category", "flexible", "--sex", "female", "--birth", "1980-05", "--as-of", "2030-06-01")),
    ("compare", ("--category", "employee", "--category", "flexible", "--as-of", "2030-06-01")),
    ("inequities", ("--as-of", "2030-06-01")),
    ("timeline", ("--category", "flexible", "--from", "2029-01-01", "--to", "2030-06-01")),
])
def test_a_reform_answer_after_the_last_review_says_so_on_both_sides_as_an_answer_without_it(command, args):
    reform = ("--reform", "han-retirement-age-women-flexible-workers")
    out = json.loads(run(command, *args, *reform, "--format", "json").out)
    for side in ("law", "reformed"):
        assert any("last reviewed" in w for w in out[side]["warnings"]), side
    table = run(command, *args, *reform, "--format", "table")
    assert table.code == 0 and "last reviewed" in table.err


def test_the_retirement_reform_table_reads_as_words_not_python_values():
    r = run("retirement", "--category", "flexible", "--sex", "female", "--birth", "1980-05", "--as-of", "2030-06-01",
            "--reform", "han-retirement-age-women-flexible-workers", "--format", "table", env={"COLUMNS": "100"})
    assert r.code == 0, r.err
    assert "{'" not in r.out and not any(line.startswith(": ") for line in r.out.splitlines())
    assert "alternatives female-50 52y9m 2033-02 → —" in r.out


def test_an_unknown_top_level_key_in_an_overlay_is_named_with_its_file(tmp_path):
    """It had read "--foo is required", as if an option were missing."""
    path = tmp_path / "r.toml"
    path.write_text("foo = 1\n", encoding="utf-8")
    r = run("check", "--category", "employee", "--reform", str(path))
    assert r.code == 2 and r.err.startswith(f"socins: error: {path}: foo = 1: is not an overlay's key")


def test_retirement_reform_rows_keep_one_order_whatever_the_hash_seed():
    """The rows past the fixed ones had followed a set's order: csv, table and markdown changed from run to run."""
    args = ("retirement", "--sex", "female", "--birth", "1975-03", "--category", "flexible", "--as-of", "2030-06-01",
            "--reform", "han-retirement-age-women-flexible-workers", "--format", "csv")
    outs = {run(*args, env={"PYTHONHASHSEED": seed}).out for seed in ("0", "1", "2", "3")}
    assert len(outs) == 1
    fields = [line.split(",")[0] for line in outs.pop().splitlines()]
    assert "alternatives" in fields and "track_label" in fields


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_retirement_reform_text_says_why_the_reformed_answer_is_open(fmt):
    """办法 art. 1 against the overlay's date: the reformed age is reached before 2028-01-01, which JSON's notes call
    open; text had shown only 'settled no'. The notes where the sides differ are named by the side that says them."""
    args = ("retirement", "--category", "flexible", "--sex", "female", "--birth", "1975-06", "--as-of", "2030-06-01",
            "--reform", "han-retirement-age-women-flexible-workers")
    out = json.loads(run(*args, "--format", "json").out)
    open_note = next(n for n in out["reformed"]["notes"] if "before the overlay's date" in n and "retire from" in n)
    text = " ".join(run(*args, "--format", fmt, env={"COLUMNS": "400"}).out.split())
    assert "Note (reformed): " + " ".join(open_note.split()) in text
    assert "Note (law): The other reading" in text  # said by the law only: the overlay settles the track


def test_check_reform_text_gives_the_reformed_note_of_a_scheme_that_differs():
    """Gao's income overlay binds a part-time worker with an employer to maternity insurance with the employer paying
    (msl art. 14 para 1), open: the reason is in the note, which text now shows beside the law's."""
    args = ("check", "--category", "part-time", "--employers", "1", "--as-of", "2030-06-01", "--reform",
            "gao-income-based-eligibility")
    text = " ".join(run(*args, "--format", "table", env={"COLUMNS": "400"}).out.split())
    assert "Note (reformed): maternity: Proposal (Gao), not law" in text
    assert "Note (law): maternity: Open:" in text
    assert "Note (reformed): public-sector-pension" not in text  # a scheme that does not differ


def test_a_reformed_pension_note_does_not_send_the_reader_to_alternatives_the_reformed_retirement_lacks():
    """Han's overlay puts her on the 50 track (办法 art. 1, annex 3), reached before the overlay's date: the reformed
    retirement lists no alternatives and says in its notes that the month is open, which the pension note points to."""
    args = ("--category", "flexible", "--sex", "female", "--birth", "1975-06", "--as-of", "2030-06-01", "--reform",
            "han-retirement-age-women-flexible-workers", "--format", "json")
    retired = json.loads(run("retirement", *args).out)["reformed"]
    assert retired["alternatives"] == [] and any("before the overlay's date" in n for n in retired["notes"])
    pension = next(s for s in json.loads(run("check", *args).out)["reformed"]["schemes"]
                   if s["scheme"] == "employee-pension")
    assert "other reading" in pension["notes"] and "where a reform overlay leaves the month open, in its notes" in pension["notes"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_inequities_reform_text_names_the_part_a_proposal_ends(fmt):
    """Han's equal benefits end the finding's waiting-period part (medical_waiting_period_months_flexible = 0): text had
    said only 'details changed (see JSON)'."""
    r = run("inequities", "--as-of", "2030-06-01", "--reform", "han-medical-benefits-without-waiting-periods",
            "--format", fmt, env={"COLUMNS": "400"})
    text = " ".join(r.out.split())
    assert "registration-hukou: details parts − waiting-period" in text
    assert "waiting-period (ended: medical_waiting_period_months_flexible = 0 months from 2028-01-01)" in text
    assert "{'" not in r.out and "changed (see JSON)" not in r.out
