"""The rule file and the pilot coverage table: schema, citations, and the law quoted beside each rule."""

from __future__ import annotations

import re
import shutil

import pytest

from socins_cli.engines.eligibility import SCHEMES, validate_rules
from socins_cli.law.load import default_statutes_dir, load_law

RULES = default_statutes_dir() / "rules" / "eligibility.toml"
TABLE = default_statutes_dir() / "tables" / "occupational-injury-pilot.toml"


def test_shipped_rules_and_tables_validate(law):
    assert validate_rules(law) == []


def test_every_scheme_has_rules_ending_in_an_unconditional_default(law):
    rules = law.data["rules/eligibility"]["rule"]
    for scheme in SCHEMES:
        own = [r for r in rules if r["scheme"] == scheme]
        assert len(own) >= 2, scheme
        assert "when" not in own[-1] and own[-1]["cite"], scheme
        assert all("when" in r for r in own[:-1]), scheme


def test_rules_of_a_scheme_are_contiguous_in_the_file(law):
    order = [r["scheme"] for r in law.data["rules/eligibility"]["rule"]]
    collapsed = [s for i, s in enumerate(order) if i == 0 or order[i - 1] != s]
    assert collapsed == list(SCHEMES)


def _quotes(path):
    text = path.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    # a quotation may run over several comment lines
    joined = re.sub(r"\n#\s*", "", comments)
    for quote in re.findall(r"「([^」]+)」", joined):
        for piece in quote.split("……"):
            if piece:
                yield piece


def _corpus(law) -> str:
    parts = []
    for inst in law.instruments.values():
        for v in inst.versions:
            parts += [a.text for a in v.articles] + [f.text for f in v.facts]
    return "\n".join(parts)


@pytest.mark.parametrize("path", [RULES, TABLE], ids=["rules", "table"])
def test_the_law_quoted_in_comments_is_verbatim(law, path):
    corpus = _corpus(law)
    quotes = list(_quotes(path))
    assert len(quotes) >= (40 if path == RULES else 1)
    missing = [q for q in quotes if q not in corpus]
    assert missing == []


def test_every_rule_has_the_law_it_encodes_above_it():
    """The comment block right above each rule quotes the law (「…」) or points back to a quotation."""
    lines = RULES.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.strip() != "[[rule]]":
            continue
        block = []
        j = i - 1
        while j >= 0 and lines[j].lstrip().startswith("#"):
            block.append(lines[j])
            j -= 1
        text = " ".join(block)
        assert "「" in text or "(as above)" in text or "(as under" in text, (i + 1, block)


def test_the_pilot_table_holds_the_sources_provinces_industries_and_platforms(law):
    rows = law.data["tables/occupational-injury-pilot"]["row"]
    first = [r for r in rows if str(r["from"]) == "2022-07-01"]
    later = [r for r in rows if str(r["from"]) == "2025-07-01"]
    assert {r["province"] for r in first} == {"beijing", "shanghai", "jiangsu", "guangdong", "hainan", "chongqing",
                                              "sichuan"}
    assert {r["province"] for r in later} == {r["province"] for r in first} | {
        "tianjin", "hebei", "liaoning", "zhejiang", "anhui", "fujian", "shandong", "hubei", "guangxi", "ningxia"}
    assert all(set(r["industries"]) == {"ride-hailing", "food-delivery", "instant-delivery", "intra-city-freight"}
               for r in first)
    assert all(str(r["to"]) == "2025-06-30" for r in first) and all("to" not in r for r in later)
    assert {p for r in first for p in r["platforms"]} == {"曹操出行", "美团", "饿了么", "达达", "闪送", "货拉拉", "快狗打车"}
    for province in {r["province"] for r in later}:
        assert {p for r in later if r["province"] == province for p in r["platforms"]} == {
            "曹操出行", "美团", "饿了么", "达达", "闪送", "货拉拉", "快狗打车", "滴滴出行", "顺丰同城", "滴滴货运", "满帮省省"}
    assert all(any(s.startswith("oi-pilot-2021#") for s in r["source"]) for r in first)


# -- deliberately broken copies ----------------------------------------------------------------

@pytest.fixture
def broken(tmp_path):
    """A copy of the statutes with one replacement made in one file; returns the problems found."""
    root = tmp_path / "statutes"
    shutil.copytree(default_statutes_dir(), root)

    def make(relative: str, old: str, new: str, count: int = 1):
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return validate_rules(load_law(root, use_cache=False, checked=False))

    return make


RULE_FILE = "rules/eligibility.toml"
FIRST_RULE = 'id = "employee-pension.employee.mandatory"'


@pytest.mark.parametrize("old,new,expected", [
    ('status = "voluntary"', 'status = "maybe"', 'status = "maybe": expected one of mandatory|voluntary|pilot|not-eligible'),
    ('cite = ["sil:10:1", "sil:12:1", "sil:12:2"]', 'cite = ["sil:10:1", "sil:999"]', 'cite = "sil:999"'),
    ('cite = ["sil:10:1", "sil:12:1", "sil:12:2"]', 'cite = ["sil:10:9"]', "article 10 has 3 paragraph(s)"),
    ('cite = ["sil:10:1", "sil:12:1", "sil:12:2"]', 'cite = ["nosuchlaw:1"]', "no instrument nosuchlaw"),
    ('payers = ["employer", "individual"]', 'payers = ["individual", "employer"]', "in the order employer"),
    ('payers = ["employer", "individual"]', 'payers = ["boss"]', 'expected a list of employer|individual'),
    ('when = [{ category = ["employee"] },', 'when = [{ category = ["employe"] },', 'category = ["employe"]'),
    ('when = [{ category = ["employee"] },', 'when = [{ job = ["employee"] },', 'when[0].job'),
    ('covered_by = "occupational-injury-pilot", from = 2025-07-01', 'covered_by = "no-such-table", from = 2025-07-01',
     'covered_by = "no-such-table"'),
    ('id = "unemployment.default.not-eligible"', 'id = "unemployment.employee.mandatory"', "rule ids must be unique"),
    ('scheme = "maternity"\nstatus = "not-eligible"\ncite = ["sil:53", "sil:54:1"]',
     'scheme = "maternity"\nwhen = { category = ["resident"] }\nstatus = "not-eligible"\ncite = ["sil:53", "sil:54:1"]',
     "must hold for everyone"),
    ('scheme = "occupational-injury"\nstatus = "not-eligible"\ncite = ["sil:33"]',
     'scheme = "maternity"\nstatus = "not-eligible"\ncite = ["sil:33"]', "expected the id to start with its scheme"),
    ('settled = false\nnote = "Open: the law leaves', 'settled = "no"\nnote = "Open: the law leaves',
     'settled = "no": expected true or false'),
    ('when = [{ category = ["employee"] },', 'when = [{ category = ["employee"], employers = { min = -1 } },',
     "employers"),
])
def test_validate_rules_reports_a_broken_rule(broken, old, new, expected):
    problems = broken(RULE_FILE, old, new)
    assert any(expected in p and p.startswith("statutes/rules/eligibility.toml: ") for p in problems), problems


def test_validate_rules_reports_a_scheme_without_rules(broken):
    text = (default_statutes_dir() / RULE_FILE).read_text(encoding="utf-8")
    start = text.index("# ===", text.index("# unemployment"))
    section = text[text.index("[[rule]]", start):text.index("# ===", text.index("# maternity") - 200)]
    problems = broken(RULE_FILE, section, "")
    assert any("scheme unemployment has no rules" in p for p in problems), problems


def test_validate_rules_reports_a_citation_never_in_force_during_the_rule(broken):
    problems = broken(RULE_FILE, 'cite = ["ll:72", "pension-1997:passage:1", "ll:70", "ll:73"]', 'cite = ["msl:10:1"]')
    assert any('cite = "msl:10:1": never in force' in p for p in problems), problems


@pytest.mark.parametrize("old,new,expected", [
    ('province = "beijing"', 'province = "atlantis"', 'province = "atlantis": expected a province id'),
    ('industries = ["ride-hailing", "food-delivery", "instant-delivery", "intra-city-freight"]',
     'industries = ["rickshaw"]', "industries"),
    ('source = ["oi-pilot-2025:1:2"]', 'source = ["oi-pilot-2025:9"]', "has no article 9"),
    ('source = ["oi-pilot-2025:1:2"]', 'source = []', "expected a list of citations"),
    ('confidence = "medium-high"', 'confidence = "sure"', 'confidence = "sure"'),
    ('from = 2022-07-01\nto = 2025-06-30', 'from = 2022-07-01\nto = 2021-06-30', "must not be before from"),
])
def test_validate_rules_reports_a_broken_coverage_row(broken, old, new, expected):
    problems = broken("tables/occupational-injury-pilot.toml", old, new)
    assert any(expected in p and p.startswith("statutes/tables/occupational-injury-pilot.toml: ") for p in problems), \
        problems


def test_socins_validate_runs_the_rule_checks(tmp_path):
    from socins_cli.law.validate import validate

    root = tmp_path / "statutes"
    shutil.copytree(default_statutes_dir(), root)
    path = root / RULE_FILE
    path.write_text(path.read_text(encoding="utf-8").replace('status = "pilot"', 'status = "trial"', 1),
                    encoding="utf-8")
    _, problems = validate(root)
    assert any('status = "trial"' in p for p in problems), problems


@pytest.mark.parametrize("old,new,expected", [
    ('status = ["mandatory"]\ncite = ["ll:72"]',
     'status = ["sure"]\ncite = ["ll:72"]', 'addendum[waiver.labour-law].status'),
    ('cite = ["ll:72"]', 'cite = ["ll:999"]', 'addendum[waiver.labour-law].cite = "ll:999"'),
    ('cite = ["ll:72"]', 'cite = []', 'an addendum must cite what it adds'),
    ('when = { waiver = true }\nstatus = ["mandatory"]\npayers = ["employer"]\ncite = ["sil:60:1"]',
     'when = { waiver = "yes" }\nstatus = ["mandatory"]\npayers = ["employer"]\ncite = ["sil:60:1"]',
     'waiver = "yes": expected true or false'),
    ('id = "waiver.sil-duty-to-pay"', 'id = "waiver.labour-law"', "rule ids must be unique"),
    ('cite = ["wiir@2003#original-not-held"]\nwording = ["wiir@2010:2:1"]',
     'cite = ["wiir@2003#original-not-held"]\nwording = ["wiir:2:1"]', "expected a list of pinned citations"),
    ('cite = ["wiir@2003#original-not-held"]\nwording = ["wiir@2010:2:1"]',
     'cite = ["wiir@2003#original-not-held"]\nwording = ["sil@2010:33"]', "expected an instrument the rule also cites"),
])
def test_validate_rules_reports_a_broken_addendum_or_wording(broken, old, new, expected):
    problems = broken(RULE_FILE, old, new)
    assert any(expected in p and p.startswith("statutes/rules/eligibility.toml: ") for p in problems), problems


def test_validate_reports_an_instrument_kind_outside_the_vocabulary(tmp_path):
    from socins_cli.law.validate import validate

    root = tmp_path / "statutes"
    shutil.copytree(default_statutes_dir(), root)
    path = root / "spc-labour-ii.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "judicial-interpretation"', 'kind = "ruling"'),
                    encoding="utf-8")
    _, problems = validate(root)
    assert any('spc-labour-ii.toml: instrument.kind = "ruling": expected one of' in p for p in problems), problems
