"""``socins inequities`` and ``socins compare`` run in-process on a local Typer app with the two commands."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from socins_cli.cli.inequities import FINDING_COLUMNS, compare_command, inequities_command
from socins_cli.errors import InputError

app = typer.Typer()
app.command("inequities")(inequities_command)
app.command("compare")(compare_command)


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("SOCINS_NO_CACHE", "1")


def run(*args):
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_inequities_json_on_2026_06_01_lists_the_nine_findings_in_order():
    out = json.loads(run("inequities", "--as-of", "2026-06-01", "--format", "json").stdout)
    assert out["as_of"] == "2026-06-01"
    assert [f["id"] for f in out["inequities"]] == [
        "pension-obligation", "work-injury-exclusion", "unemployment-exclusion", "maternity-exclusion",
        "contribution-burden", "retirement-age", "who-pays", "definitions", "registration-hukou"]
    for f in out["inequities"]:
        assert set(f) >= {"id", "scheme", "categories", "compared_with", "summary", "summary_en", "citations",
                          "settled", "in_force"}


def test_inequities_is_json_when_piped():
    out = run("inequities", "--as-of", "2026-06-01", "--scheme", "unemployment").stdout
    assert [f["id"] for f in json.loads(out)["inequities"]] == ["unemployment-exclusion"]


def test_inequities_quote_adds_each_cited_articles_text(law):
    out = json.loads(run("inequities", "--as-of", "2026-06-01", "--scheme", "work-injury", "--quote",
                         "--format", "json").stdout)
    sil33 = next(c for c in out["inequities"][0]["citations"] if c["instrument"] == "sil" and c["article"] == "33")
    assert sil33["text"] == law.version("sil", sil33["version"]).article("33").text


def test_inequities_markdown_is_a_memo_table_with_footnoted_citations():
    out = run("inequities", "--as-of", "2026-06-01", "--format", "markdown", "--quote").stdout
    assert "| # | finding | scheme / topic | categories | holds | settled | evidence | scholarship |" in out
    assert "[^1]: 《中华人民共和国社会保险法（2018年修正）》" in out
    assert "    > 第十条 职工应当参加基本养老保险" in out or "    > 无雇工的个体工商户" in out
    assert "韩君玲 (Han Junling). 数字时代灵活就业人员社会保险权益的法律保障" in out
    assert "Computed: pension_contribution_rate_flexible 0.2 / pension_contribution_rate_employee 0.08 = 2.5" in out
    # sil 2018's first day is the database's metadata (date_certain false): the footnote marks it, as show does;
    # the 2019 plan's part 三 is a paraphrase, less sure than its notice's verbatim part 一
    assert "socins: sil 2018 art. 10 para 1; this version in force from 2018-12-29?" in out
    assert "confidence medium-high, this fact's source: confidence medium" in out
    # every footnote used is defined, and every definition is used
    used = set(re.findall(r"\[\^(\d+)\](?!:)", out))
    defined = set(re.findall(r"^\[\^(\d+)\]:", out, flags=re.M))
    assert used == defined and used


def test_inequities_footnotes_head_a_revised_regulation_with_its_original_order_and_the_revising_one():
    """wiir 2010: 国务院令第375号 made the 2003 text, 国务院令第586号 revised it (the reference header); sicr 2019:
    revised by 《国务院关于修改部分行政法规的决定》, whose order number no source states."""
    out = run("inequities", "--as-of", "2026-06-01", "--format", "markdown").stdout
    assert "《工伤保险条例（2010年修订）》（国务院令第375号公布，根据国务院令第586号修订）" in out
    assert "（国务院令第375号）" not in out
    assert "《社会保险费征缴暂行条例（2019年修订）》（国务院令第259号公布，根据《国务院关于修改部分行政法规的决定》修订）" in out
    assert "《失业保险条例》（国务院令第258号）" in out  # an unrevised regulation: its own order


def test_inequities_csv_has_one_row_per_finding():
    out = run("inequities", "--as-of", "2010-06-01", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(FINDING_COLUMNS)
    assert {r["id"] for r in rows} == {"contribution-burden", "retirement-age"}


def test_inequities_table_prints_each_finding():
    out = run("inequities", "--as-of", "2026-06-01", "--format", "table", "--category", "flexible").stdout
    assert "pension-obligation" in out and "registration-hukou" in out


def test_compare_json_matrix_employee_against_platform_relations():
    out = json.loads(run("compare", "--category", "employee", "--category", "platform:incomplete",
                         "--category", "platform", "--relation", "civil", "--province", "guangdong",
                         "--industry", "food-delivery", "--platform", "美团", "--as-of", "2026-06-01",
                         "--format", "json").stdout)
    assert out["categories"] == ["employee", "platform:incomplete", "platform:civil"]
    rows = {r["scheme"]: r for r in out["rows"]}
    assert [c["status"] for c in rows["occupational-injury"]["by_category"]] == ["not-eligible", "pilot", "pilot"]
    assert rows["unemployment"]["differs"] and rows["unemployment"]["findings"] == ["unemployment-exclusion"]
    assert {"retirement-age", "contribution-rate"} <= set(rows)


def test_compare_markdown_flags_differences():
    out = run("compare", "--category", "employee", "--category", "flexible", "--as-of", "2026-06-01",
              "--format", "markdown").stdout
    assert "| scheme | employee | flexible | findings |" in out
    assert "| **≠ work-injury** | mandatory (employer) | not-eligible | work-injury-exclusion |" in out
    assert "| public-sector-pension | not-eligible | not-eligible |  |" in out


def test_compare_csv_has_one_row_per_scheme_and_category():
    out = run("compare", "--category", "employee", "--category", "flexible", "--as-of", "2026-06-01",
              "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * 11
    rate = [r for r in rows if r["scheme"] == "contribution-rate"]
    assert [r["value"] for r in rate] == ["individual 8%, employer 16% [open]", "individual 20%"]


def test_compare_rejects_a_relation_without_a_platform_category():
    with pytest.raises(InputError, match="relation"):
        run("compare", "--category", "employee", "--category", "flexible", "--relation", "civil")


def test_compare_rejects_an_unknown_category():
    with pytest.raises(InputError, match="category"):
        run("compare", "--category", "gig")


def test_core_modules_import_neither_typer_nor_rich():
    code = ("import sys, socins_cli.engines.inequities, socins_cli.engines.compare, socins_cli.engines.findings_validation; "
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_compare_and_inequities_take_the_chinese_category_labels_check_takes():
    """灵活就业人员 (sil art. 10 para 2's words) is the flexible category in check; so in compare and inequities."""
    compared = json.loads(run("compare", "--category", "灵活就业人员", "--category", "employee", "--as-of", "2026-06-01",
                              "--format", "json").stdout)
    assert compared["categories"] == ["flexible", "employee"]
    by_label = json.loads(run("inequities", "--category", "灵活就业人员", "--as-of", "2026-06-01", "--format", "json").stdout)
    by_id = json.loads(run("inequities", "--category", "flexible", "--as-of", "2026-06-01", "--format", "json").stdout)
    assert by_label == by_id and by_id["inequities"]
