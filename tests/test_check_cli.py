"""``socins check`` as a user runs it: formats, --explain, --quote, errors, and golden JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from socins_cli.cli.check import check_command
from socins_cli.errors import InputError
from socins_cli.engines.eligibility import SCHEMES

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def invoke():
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command("check")(check_command)
    app.command("noop", hidden=True)(lambda: None)  # keeps "check" a subcommand, as in socins
    runner = CliRunner()

    def run(*args, stdin=None):
        return runner.invoke(app, ["check", *args], input=stdin,
                             env={"COLUMNS": "200", "SOCINS_CACHE_DIR": "", "NO_COLOR": "1"})

    return run


def test_json_when_piped_is_the_contract_shape(invoke):
    result = invoke("--category", "flexible", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"as_of", "person", "schemes", "inequities", "warnings"}
    assert [s["scheme"] for s in data["schemes"]] == list(SCHEMES)
    pension = data["schemes"][0]
    assert pension == {**pension, "scheme": "employee-pension", "status": "voluntary", "settled": True,
                       "payers": ["individual"]}
    assert {"instrument": "sil", "version": "2018", "article": "10", "paragraph": 2} in pension["citations"]


def test_table_shows_status_payers_and_readable_citations(invoke):
    result = invoke("--category", "flexible", "--as-of", "2026-06-01", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "sil 2018 art. 10 para 2" in result.stdout
    assert "voluntary" in result.stdout and "not-eligible" in result.stdout
    assert "not settled" in result.stdout  # maternity for flexible workers


def test_explain_adds_the_trace_of_each_scheme(invoke):
    data = json.loads(invoke("--category", "resident", "--as-of", "2010-01-01", "--explain", "--format", "json").stdout)
    for s in data["schemes"]:
        assert s["trace"], s["scheme"]
        assert all(set(t) - {"addendum"} == {"rule", "cites", "citations", "applied", "why"} for t in s["trace"])
        # as every citation in JSON: an object naming instrument, version and article (contract)
        assert all({"instrument", "version", "article"} <= set(c) for t in s["trace"] for c in t["citations"])
    medical = data["schemes"][3]["trace"]
    assert any("not in force on 2010-01-01" in t["why"] and t["cites"] and not t["citations"] for t in medical)


def test_explain_says_each_failed_condition_once_and_the_retirement_clause_only_where_a_rule_tests_it(invoke, law):
    """A rule's alternatives that fail on one attribute are said as one clause naming every value it wanted
    (category is platform, not employee|part-time), in the order the rule lists them, never twice; the clause on
    the statutory retirement age appears only in the reason of a rule whose conditions test it."""
    data = json.loads(invoke("--category", "platform", "--relation", "incomplete", "--province", "tianjin",
                             "--industry", "food-delivery", "--platform", "美团", "--as-of", "2025-07-01",
                             "--explain", "--format", "json").stdout)
    traces = [t for s in data["schemes"] for t in s["trace"]]
    pension = next(t for t in traces if t["rule"] == "past-retirement-age.pension")
    assert pension["why"] == "category is platform, not employee|part-time; or relation is incomplete, not labor"
    rules = law.data.get("rules/eligibility") or {}
    whens = {x["id"]: x.get("when") for key in ("rule", "addendum") for x in rules.get(key, [])}
    for t in traces:
        clauses = t["why"].split("; or ")
        assert len(clauses) == len(set(clauses)), t
        heads = [c.rpartition(", not ")[0] for c in clauses if ", not " in c]
        assert len(heads) == len(set(heads)), t
        if "past the statutory retirement age" in t["why"]:
            assert "past_retirement_age" in json.dumps(whens[t["rule"]]), t["rule"]


def test_explain_table_marks_rules_applied_and_not(invoke):
    result = invoke("--category", "part-time", "--employers", "2", "--as-of", "2020-01-01", "--format", "table",
                    "--explain")
    assert "✓ work-injury.employee.several-employers" in result.stdout
    assert "✗ work-injury.employee.mandatory" not in result.stdout  # weighed after the match: never shown
    assert "✗ employee-pension.employee.mandatory" in result.stdout


def test_quote_prints_the_cited_text(invoke):
    data = json.loads(invoke("--category", "employee", "--as-of", "2020-01-01", "--quote", "--format", "json").stdout)
    first = data["schemes"][0]["citations"][0]
    assert first["text"] == "第十条 职工应当参加基本养老保险，由用人单位和职工共同缴纳基本养老保险费。"
    table = invoke("--category", "employee", "--as-of", "2020-01-01", "--quote", "--format", "table").stdout
    assert "职工应当参加基本养老保险" in table


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "jsonl"])
def test_other_formats_hold_one_row_per_scheme(invoke, fmt):
    result = invoke("--category", "employee", "--as-of", "2020-01-01", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        assert len(result.stdout.strip().splitlines()) == 1
    else:
        for scheme in SCHEMES:
            assert scheme in result.stdout


@pytest.mark.parametrize("fmt", ["markdown", "csv", "tsv"])
def test_every_format_names_the_findings_that_concern_the_person(invoke, fmt):
    """The table and JSON list a flexible worker's inequity findings: the memo (markdown) and the rows did not."""
    import json

    found = json.loads(invoke("--category", "flexible", "--as-of", "2026-06-01", "--format", "json").stdout)
    ids = [f["id"] for f in found["inequities"]]
    assert len(ids) >= 5
    out = invoke("--category", "flexible", "--as-of", "2026-06-01", "--format", fmt).stdout
    assert all(i in out for i in ids)
    if fmt != "markdown":
        header, first = out.splitlines()[:2]
        assert header.split("," if fmt == "csv" else "\t")[-1] == "inequities" and first.endswith(ids[-1])


def test_province_by_chinese_name(invoke):
    data = json.loads(invoke("--category", "platform", "--relation", "civil", "--province", "广东省", "--industry",
                             "ride-hailing", "--platform", "曹操出行", "--as-of", "2023-01-01").stdout)
    assert data["person"]["province"] == "guangdong"
    assert data["schemes"][-1]["status"] == "pilot"


@pytest.mark.parametrize("written, pid", [("粤", "guangdong"), ("廣東省", "guangdong"), ("沪", "shanghai"),
                                          ("黔", "guizhou"), ("內蒙古自治區", "neimenggu"), ("陝", "shaanxi"),
                                          ("晋", "shanxi"), ("新疆生產建設兵團", "bingtuan")])
def test_province_by_its_abbreviation_or_traditional_name(written, pid):
    """简称 (粤 for 广东) and traditional characters read as the province they name; 陕 and 晋 stay apart."""
    from socins_cli.person import normalise_province

    assert normalise_province(written) == pid


def test_every_province_abbreviation_names_one_province_and_no_full_name_is_shadowed():
    from socins_cli.person import _PROVINCE_ABBREVIATIONS, PROVINCES, normalise_province

    assert set(_PROVINCE_ABBREVIATIONS.values()) == set(PROVINCES) - {"bingtuan"}
    assert all(normalise_province(name) == pid for pid, name in PROVINCES.items())


@pytest.mark.parametrize("args,field", [
    (("--category", "platform", "--relation", "civil", "--province", "atlantis"), "province"),
    (("--category", "flexible", "--as-of", "2020-13-01"), "as_of"),
    (("--category", "robot",), "category"),
    (("--category", "platform",), "relation"),
    ((), "category"),
])
def test_bad_input_is_an_input_error_naming_the_field(invoke, args, field):
    result = invoke(*args)
    assert isinstance(result.exception, InputError), result.output
    assert result.exception.field == field
    if field == "province":
        assert "beijing" in str(result.exception) and "guangdong" in str(result.exception)


def test_input_batch_gives_one_record_per_row_in_order(invoke):
    rows = ('{"person_id": "a", "category": "flexible", "as_of": "2026-06-01"}\n'
            '{"person_id": "b", "category": "robot"}\n'
            '{"person_id": "c", "category": "resident", "as_of": "2027-01-01"}\n')
    result = invoke("--input", "-", "--format", "jsonl", stdin=rows)
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["person_id"] for r in records] == ["a", "b", "c"]
    assert records[1]["error"]["field"] == "category" and records[1]["line"] == 2
    assert records[2]["schemes"][4]["status"] == "mandatory"  # resident medical under msl art. 11


GOLDEN_CASES = {
    "check-platform-civil-beijing-2023": ("--category", "platform", "--relation", "civil", "--province", "beijing",
                                          "--industry", "food-delivery", "--platform", "美团", "--as-of", "2023-01-01"),
    "check-flexible-2027": ("--category", "flexible", "--as-of", "2027-01-01"),
    "check-employee-2010": ("--category", "employee", "--as-of", "2010-06-01", "--explain"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_json(invoke, name):
    """Byte-for-byte JSON; regenerate on purpose with SOCINS_UPDATE_GOLDEN=1 and review the diff."""
    result = invoke(*GOLDEN_CASES[name], "--format", "json")
    assert result.exit_code == 0, result.output
    path = GOLDEN / f"{name}.json"
    if os.environ.get("SOCINS_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")
