"""cite, history, list groups and show's new arguments through the real command line.

Golden outputs live in ``tests/golden/<command>-<case>.<format>``; regenerate
them on purpose with ``SOCINS_UPDATE_GOLDEN=1 pytest tests/test_cite_history_cli.py``
and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from cli_helpers import copy_statutes, run

GOLDEN = Path(__file__).resolve().parent / "golden"
MEMO = "examples/citations-memo.md"
JUNE_2026 = ("--as-of", "2026-06-01")


def _golden(name: str, out: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("SOCINS_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


# -- cite TEXT --------------------------------------------------------------------------

def test_cite_sil10_para2_on_2026_06_01_prints_the_2018_paragraph():
    r = run("cite", "社会保险法第十条第二款", *JUNE_2026, "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert (out["instrument"], out["version"], out["article"], out["paragraph"]) == ("sil", "2018", "10", 2)
    assert out["cited_text"] == ("无雇工的个体工商户、未在用人单位参加基本养老保险的非全日制从业人员以及其他灵活就业人员"
                                 "可以参加基本养老保险，由个人缴纳基本养老保险费。")


def test_cite_in_traditional_characters_reads_as_in_simplified_and_echoes_what_was_typed():
    r = run("cite", "社會保險法第十條第二款", *JUNE_2026, "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert (out["citation"], out["instrument"], out["article"], out["paragraph"]) == ("社會保險法第十條第二款", "sil", "10", 2)
    assert out["cited_text"].startswith("无雇工的个体工商户")  # the text as held, in simplified characters
    assert run("cite", "勞動合同法第九百條", *JUNE_2026).code == 1


@pytest.mark.parametrize("text", ["《社会保险费征缴条例》第十二条第三款", "社会保险费征缴条例第十二条第三款"])
def test_cite_the_contribution_regulation_without_interim_in_its_name(text):
    """社会保险费征缴条例 (without 暂行) is how the regulation is commonly cited."""
    r = run("cite", text, *JUNE_2026, "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert (out["instrument"], out["version"], out["cited_text"]) == ("sicr", "2019", "社会保险费不得减免。")
    memo = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl", stdin=f"依据{text}。\n")
    assert json.loads(memo.out)["label"] == "sicr 2019 art. 12 para 3"


def test_cite_into_a_summary_only_version_says_its_text_is_not_held_and_names_the_fact():
    """wiir 2003 is held as facts only; art. 14(六) is quoted as fact #art-14-6: 'has no article 14' was false."""
    r = run("cite", "工伤保险条例第十四条第（六）项", "--as-of", "2005-01-01")
    assert r.code == 1 and r.err.count("\n") == 1
    assert "summary-only" in r.err and "not held" in r.err and "#art-14-6" in r.err
    assert "has no article" not in r.err


def test_cite_plain_prints_the_verbatim_paragraph_only():
    r = run("cite", "《中华人民共和国社会保险法》第10条第2款", *JUNE_2026, "--plain")
    assert r.code == 0 and r.err == ""
    assert r.out == ("无雇工的个体工商户、未在用人单位参加基本养老保险的非全日制从业人员以及其他灵活就业人员"
                     "可以参加基本养老保险，由个人缴纳基本养老保险费。\n")


def test_cite_sil120_exits_1_saying_no_version_has_it():
    r = run("cite", "社会保险法第一百二十条", *JUNE_2026)
    assert r.code == 1 and r.out == ""
    assert r.err.count("\n") == 1 and "no version holds article 120" in r.err


def test_cite_msl_before_2027_exits_1_naming_when_it_applies():
    r = run("cite", "医疗保障法第一条", *JUNE_2026)
    assert r.code == 1 and "not in force on 2026-06-01" in r.err and "2027-01-01" in r.err


@pytest.mark.parametrize("text", ["社会保险法", "第十条", "社会福利法第一条", "not a citation"])
def test_cite_unreadable_exits_2_in_one_line(text):
    r = run("cite", text)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("socins: error: ") and r.err.count("\n") == 1 and "Traceback" not in r.err


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_cite_golden(fmt):
    r = run("cite", "社会保险法第三十条第（二）项", *JUNE_2026, "--format", fmt)
    assert r.code == 0, r.err
    _golden(f"cite-sil-30-2.{fmt}", r.out)


# -- a pinned version not in force on --as-of -----------------------------------------------

LCL_2012_57 = "《中华人民共和国劳动合同法》（2012年修正）第五十七条"


@pytest.mark.parametrize("fmt", ["json", "table", "markdown", "csv", "plain"])
def test_cite_of_a_version_not_yet_in_force_prints_it_and_warns(fmt):
    """lcl 2012 is in force from 2013-07-01: on 2010-01-01 the user still gets the text they named, with a warning."""
    args = ["--plain"] if fmt == "plain" else ["--format", fmt]
    r = run("cite", LCL_2012_57, "--as-of", "2010-01-01", *args)
    assert r.code == 0, r.err
    assert "二百万元" in r.out  # the 2012 wording, as pinned
    warning = [line for line in r.err.splitlines() if "warning" in line]
    assert len(warning) == 1 and r.err.count("\n") == 1
    assert "lcl 2012" in warning[0] and "not in force on 2010-01-01" in warning[0] and "2007" in warning[0]


def test_cite_json_says_whether_the_pinned_version_is_in_force_on_as_of():
    out = json.loads(run("cite", LCL_2012_57, "--as-of", "2010-01-01", "--format", "json").out)
    assert (out["version"], out["pinned"], out["in_force_on_as_of"], out["as_of_version"]) == ("2012", True, False, "2007")
    assert "not in force on 2010-01-01" in out["warning"]
    before = json.loads(run("cite", "《社会保险法》（2010年原文）第十条", "--as-of", "2010-01-01", "--format", "json").out)
    assert (before["in_force_on_as_of"], before["as_of_version"]) == (False, None)  # no version in force yet
    fine = run("cite", LCL_2012_57, "--as-of", "2014-01-01", "--format", "json")
    assert json.loads(fine.out)["in_force_on_as_of"] is True and "as_of_version" not in json.loads(fine.out)
    assert fine.err == ""
    unpinned = json.loads(run("cite", "劳动合同法第五十七条", "--as-of", "2010-01-01", "--format", "json").out)
    assert "in_force_on_as_of" not in unpinned and unpinned["version"] == "2007"


@pytest.mark.parametrize("command", ["history", "cite"])
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_version_taking_effect_after_as_of_is_never_said_in_force_now(command, fmt):
    """sil 2018 takes effect on 2018-12-29 (inferred): read as of 2015-01-01 it is not in force "– now" that day."""
    args = ["sil", "10"] if command == "history" else ["《社会保险法》（2018年修正）第十条"]
    r = run(command, *args, "--as-of", "2015-01-01", "--format", fmt, env={"COLUMNS": "200"})
    assert r.code == 0, r.err
    assert "2018-12-29? (not yet in force on 2015-01-01)" in r.out
    assert "now" not in r.out
    assert "2011-07-01 – 2018-12-28?" in run("history", "sil", "10", "--as-of", "2015-01-01", "--format", "table").out


def test_cite_memo_pinned_version_not_in_force_on_as_of_is_not_ok():
    r = run("cite", "--file", "-", "--as-of", "2015-01-01", "--format", "jsonl",
            stdin="《社会保险法》（2018年修正）第六十四条第一款；《社会保险法》（2010年原文）第十条。\n")
    first, second = (json.loads(line) for line in r.out.splitlines())
    assert (first["resolved"], first["in_force_on_as_of"], first["as_of_version"], first["ok"]) == (True, False, "2010", False)
    assert "not in force on 2015-01-01" in first["problem"]
    assert (second["in_force_on_as_of"], second["ok"]) == (True, True)
    assert r.code == 1
    table = run("cite", "--file", "-", "--as-of", "2015-01-01", "--format", "markdown",
                stdin="《社会保险法》（2018年修正）第六十四条第一款\n").out
    assert "not in force on 2015-01-01" in table and "| ok" not in table


# -- cite --file --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_cite_memo_golden(fmt):
    r = run("cite", "--file", "tests/data/memo-sil.md", "--since", "2015-01-01", *JUNE_2026, "--format", fmt)
    assert r.code == 1, r.err  # art. 120 does not resolve; arts. 57 and 64 changed in 2018
    _golden(f"cite-memo.{fmt}", r.out)


def test_cite_memo_finds_each_citation_with_its_line():
    r = run("cite", "--file", MEMO, *JUNE_2026, "--format", "jsonl")
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [(x["line"], x.get("label")) for x in records] == [
        (3, "sil 2018 art. 10 para 2"), (3, "sil 2018 art. 12 para 3"), (5, "sil 2018 art. 23 para 2"),
        (7, "sil 2018 art. 64 para 1"), *((9, f"wiir 2010 art. 14 item {n}") for n in range(1, 8)),
        (11, None),
    ]
    assert records[-1]["resolved"] is False and r.code == 1


def test_cite_memo_article_range_checks_every_article_in_it():
    """tul art. 4 changed in 2021: a range 第三条至第五条 that skipped it would hide the change."""
    r = run("cite", "--file", "-", "--since", "2015-01-01", *JUNE_2026, "--format", "jsonl",
            stdin="《工会法》第三条至第五条\n")
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [x["article"] for x in records] == ["3", "4", "5"]
    assert records[1]["citation"] == "《工会法》第三条至第五条" and records[1]["changed"] is True
    assert records[2]["citation"] == "《工会法》第三条至第五条"  # the end too, not a bare 第五条 that reads alone
    assert r.code == 1


@pytest.mark.parametrize("written", ["第十条至第十二条", "第十条到第十二条", "第十条—第十二条", "第10条～第12条"])
def test_cite_memo_reads_every_range_mark(written):
    r = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl", stdin=f"见《社会保险法》{written}。\n")
    assert [json.loads(line)["article"] for line in r.out.splitlines()] == ["10", "11", "12"]


@pytest.mark.parametrize("written", ["第五十八条至第五十六条", "第五十八至五十六条", "第十条第三款至第二款"])
def test_cite_memo_reversed_range_is_one_problem_not_its_ends_read_apart(written):
    """A range the wrong way round had come back as its first end, the problem, and its second end, each end ok."""
    r = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl", stdin=f"见《社会保险法》{written}。\n")
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [(x["citation"], x["ok"], x.get("article")) for x in records] == [(f"《社会保险法》{written}", False, None)]
    assert "lower number" in records[0]["problem"] and r.code == 1
    one = run("cite", f"社会保险法{written}", *JUNE_2026)
    assert one.code == 2 and "lower number" in one.err


@pytest.mark.parametrize("written, count", [("第1条至第201条", 201), ("第一至二百零五条", 205), ("第1款至第250款", 250)])
def test_cite_memo_range_longer_than_the_limit_is_one_problem_naming_it_never_its_ends(written, count):
    """第1条至第201条 names 201 articles, more than the 200 a range is expanded to: it had been cut to its two ends
    (or, written once, read as them), with no word that arts. 2-200 went unchecked."""
    r = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl", stdin=f"《社会保险法》第十条、{written}。\n"
            if "款" in written else f"《社会保险法》{written}。\n")
    records = [json.loads(line) for line in r.out.splitlines()]
    (problem,) = [x for x in records if not x["ok"]]
    assert problem["citation"].endswith(written) and problem["resolved"] is False and r.code == 1
    assert f"a range of {count} provisions is longer than the 200 socins expands; not expanded" in problem["problem"]
    assert len(records) == (2 if "款" in written else 1)
    assert len(run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl",
                   stdin="《社会保险法》第1条至第200条。\n").out.splitlines()) == 200  # 200 are expanded


def test_cite_memo_reads_citations_in_traditional_characters_as_one_cite_does():
    """sil 10 para 2 as 社會保險法第十條第二款: the memo keeps its own characters."""
    r = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl", stdin="依照社會保險法第十條第二款、第十二條。\n")
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [(x["citation"], x["label"]) for x in records] == [
        ("社會保險法第十條第二款", "sil 2018 art. 10 para 2"), ("第十二條", "sil 2018 art. 12")]
    assert r.code == 0


def test_cite_memo_paragraph_range_and_lists_stay_as_written():
    r = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl",
            stdin="《社会保险法》第十条第一款至第三款；《社会保险法》第十条、第十二条。\n")
    labels = [json.loads(line)["label"] for line in r.out.splitlines()]
    assert labels == ["sil 2018 art. 10 para 1", "sil 2018 art. 10 para 2", "sil 2018 art. 10 para 3",
                      "sil 2018 art. 10", "sil 2018 art. 12"]


@pytest.mark.parametrize("text", ["社会保险法第十条至第十二条", "社会保险法第十条—第十二条",
                                  "《社会保险法》第十条第二款、第二十三条第二款"])
def test_cite_of_several_provisions_says_so_in_one_line_and_how_to_check_them_all(text):
    r = run("cite", text, *JUNE_2026)
    assert r.code == 2 and r.err.count("\n") == 1
    assert "provisions" in r.err and "--file -" in r.err and "sil art. 10" in r.err


def test_cite_memo_all_resolving_and_unchanged_exits_0(tmp_path):
    memo = tmp_path / "memo.md"
    memo.write_text("依据《社会保险法》第十条第二款和第二十三条，灵活就业人员可以参加。\n", encoding="utf-8")
    r = run("cite", "--file", str(memo), "--since", "2019-01-01", *JUNE_2026, "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["summary"] == {"citations": 2, "ok": 2, "unresolved": 0, "changed": 0, "changed_substantively": 0}


def test_cite_memo_sil64_changed_since_2015_exits_1(tmp_path):
    memo = tmp_path / "memo.md"
    memo.write_text("见《社会保险法》第六十四条。\n", encoding="utf-8")
    r = run("cite", "--file", str(memo), "--since", "2015-01-01", *JUNE_2026, "--format", "jsonl")
    record = json.loads(r.out)
    assert r.code == 1
    assert (record["changed"], record["change"], record["substantive"], record["since_version"]) == (True, "modified", True, "2010")


def test_cite_memo_lcl57_para2_since_2010_was_added_not_modified():
    """劳动合同法 2007 art. 57 has one paragraph; the 2012 amendment added the second (经营劳务派遣业务，应当向劳动
    行政部门依法申请行政许可…). A memo citing 第五十七条第二款, checked since 2010, cites a paragraph added since,
    not one modified; 第一款 was modified."""
    r = run("cite", "--file", "-", "--since", "2010-01-01", *JUNE_2026, "--format", "jsonl",
            stdin="劳动合同法第五十七条第二款\n劳动合同法第五十七条第一款\n")
    second, first = (json.loads(line) for line in r.out.splitlines())
    assert (second["since_version"], second["change"], second["changed"], second["substantive"]) == (
        "2007", "added", True, True)
    assert (first["change"], first["changed"]) == ("modified", True)
    table = run("cite", "--file", "-", "--since", "2010-01-01", *JUNE_2026, "--format", "table",
                stdin="劳动合同法第五十七条第二款\n")
    assert "changed since 2010-01-01: added" in table.out


@pytest.mark.parametrize("cited,since_version", [("《社会保险费征缴暂行条例》第十二条第三款", "1999"),
                                                  ("《工伤保险条例》第十四条", "2003")])
def test_cite_memo_since_an_unheld_text_says_the_change_is_not_established(cited, since_version):
    """sicr 1999 and wiir 2003 are summary-only: their silence does not make the article added."""
    since = {"1999": "2015-01-01", "2003": "2005-01-01"}[since_version]
    r = run("cite", "--file", "-", "--since", since, *JUNE_2026, "--format", "jsonl", stdin=cited + "\n")
    record = json.loads(r.out)
    assert record["since_version"] == since_version
    assert (record["change"], record["established"], record["changed"], record["ok"]) == ("not-held", False, None, False)
    assert "substantive" not in record and "not established" in record["problem"]
    assert r.code == 1
    table = run("cite", "--file", "-", "--since", since, *JUNE_2026, "--format", "markdown", stdin=cited + "\n")
    assert "not established" in table.out and "added" not in table.out


def _since_2015(cited: str, fmt: str = "jsonl"):
    return run("cite", "--file", "-", "--since", "2015-01-01", *JUNE_2026, "--format", fmt, stdin=cited + "\n")


@pytest.mark.parametrize("cited", ["《工会法》第二十八条", "《工会法》第二十八条第二款"])
def test_cite_memo_since_follows_the_cited_provision_to_its_new_number(cited):
    """A 2015 memo's 工会法第二十八条 is 2009 art. 28 (劳动争议调解), now art. 29 word for word."""
    r = _since_2015(cited)
    record = json.loads(r.out)
    assert (record["since_version"], record["change"], record["now_article"], record["text_changed"]) == (
        "2009", "renumbered", "29", False)
    assert (record["changed"], record["substantive"], record["ok"]) == (True, False, False)  # the number is stale
    assert "was_article" not in record and r.code == 1
    status = _since_2015(cited, "markdown").out
    assert "the provision cited (tul 2009 art. 28) is now art. 29, text unchanged" in status
    assert "was art. 27" not in status


def test_cite_memo_since_a_renumbered_and_amended_provision_is_substantive():
    """2009 art. 27 is 2021 art. 28, amended: the report is about that provision, not 2021 art. 27."""
    record = json.loads(_since_2015("《工会法》第二十七条").out)
    assert (record["change"], record["now_article"], record["text_changed"]) == ("renumbered", "28", True)
    assert record["substantive"] is True


def test_cite_memo_since_agrees_with_history_on_where_every_provision_went(law):
    """For each 2009 article of the Trade Union Law, --since names the 2021 article history pairs it with."""
    from socins_cli.law.citation import check_text
    from socins_cli.law.history import article_history
    import datetime as dt

    since, on = dt.date(2015, 1, 1), dt.date(2026, 6, 1)
    memo = "\n".join(f"《工会法》第{n}条" for n in range(1, 58))
    for record in check_text(law, memo, on, since):
        rows = article_history(law, "tul", record["article"], since)["versions"]
        now = next(r for r in rows if r["version"] == "2021")
        expected = record.get("now_article", record["article"]) if record["change"] != "removed" else None
        assert now["article"] == expected, record
        if now["article"] == record["article"]:
            assert record["change"] in ("none", "modified")


def test_cite_memo_from_stdin_and_bad_file():
    r = run("cite", "--file", "-", *JUNE_2026, "--format", "jsonl", stdin="《工伤保险条例》第十四条\n")
    assert r.code == 0 and json.loads(r.out)["label"] == "wiir 2010 art. 14"
    r = run("cite", "--file", "no/such/memo.md")
    assert r.code == 2 and "file" in r.err and r.err.count("\n") == 1


# -- history --------------------------------------------------------------------------------

def test_history_sil64_shows_both_versions_and_marks_the_2018_change():
    r = run("history", "sil", "64", "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    rows = [(v["version"], v["in_force"]["from"], v["change"], v["substantive"]) for v in out["versions"]]
    assert rows == [("2010", "2011-07-01", "earliest", False), ("2018", "2018-12-29", "modified", True)]
    assert out["changed_in"] == ["2018"]
    assert "关于修改〈中华人民共和国社会保险法〉的决定" in out["versions"][1]["amended_by"]["title_zh"]


def test_history_tul51_names_the_version_its_number_is_read_in():
    """工会法第五十一条 today (2021 text) is the 2001-2009 art. 50 (阻挠职工依法参加和组织工会…); on 2005-01-01 art. 51
    is the 2001 text's own (治安管理处罚条例 in 2001, 治安管理处罚法 from 2009): which provision the number names
    depends on the version it is read in, and the headline and JSON say which."""
    now = json.loads(run("history", "tul", "51", "--as-of", "2026-06-01", "--format", "json").out)
    then = json.loads(run("history", "tul", "51", "--as-of", "2005-01-01", "--format", "json").out)
    assert (now["read_in"], then["read_in"]) == ("2021", "2001")
    assert "2009" in then["changed_in"] and "2009" not in now["changed_in"]
    table = run("history", "tul", "51", "--as-of", "2005-01-01", "--format", "table")
    assert "art. 51 (as numbered in tul 2001)" in table.out.splitlines()[0]


def test_history_sil10_unchanged_in_2018():
    out = json.loads(run("history", "社会保险法", "第十条", "-f", "json").out)
    assert [v["change"] for v in out["versions"]] == ["earliest", "unchanged"] and out["changed_in"] == []


def test_history_of_wiir_14_cannot_tell_what_2010_changed_as_the_2003_text_is_not_held():
    """wiir 2003 (in force 2004-01-01 to 2010-12-31) is held as a version without text; its art. 14(六) read
    受到机动车事故伤害的 (a quotation only): the 2010 article is not the earliest, and what it changed is unknown."""
    out = json.loads(run("history", "wiir", "14", "--format", "json").out)
    assert [v["change"] for v in out["versions"]] == ["not-held", "unknown"]
    assert out["changed_in"] == [] and out["unknown_in"] == ["2010"]
    table = run("history", "wiir", "14", "--format", "markdown").out
    assert "unknown in 2010 (the text before is not held)" in table.splitlines()[0]


def test_wiir_2003_art14_item6_as_quoted_elsewhere_is_shown_where_its_text_is_not_held_never_as_statute_text():
    """The 2003 text is not held, but 国法秘函〔2004〕373号 quotes its art. 14(六) (受到机动车事故伤害的, against
    2010's 受到非本人主要责任的交通事故…): history and a memo check point to the quotation, marked not statute text."""
    out = json.loads(run("history", "wiir", "14", "--format", "json").out)
    quoted = out["versions"][0]["quoted"]
    assert [(q["fact"], q["article"], q["item"], q["statute_text"]) for q in quoted] == [("art-14-6", "14", 6, False)]
    assert "受到机动车事故伤害的" in quoted[0]["text"] and "受到机动车事故伤害的" not in out["versions"][1]["text"]
    table = run("history", "wiir", "14", "--format", "table").out
    assert "quoted by a secondary source, not statute text: art. 14 item 6" in table.replace("\n", "")
    assert "summary-only version" in table
    assert "quoted" not in json.loads(run("history", "wiir", "15", "--format", "json").out)["versions"][0]
    memo = run("cite", "--file", "-", "--since", "2010-01-01", "--as-of", "2026-06-01", "--format", "json",
               stdin="《工伤保险条例》第十四条第（六）项。\n")
    record = json.loads(memo.out)["citations"][0]
    assert (record["change"], record["ok"]) == ("not-held", False) and record["quoted"][0]["fact"] == "art-14-6"
    assert "a secondary source quotes its art. 14 item 6" in record["problem"]


def test_diff_from_the_wiir_2003_text_not_held_says_each_articles_change_is_unknown_not_added():
    """The 2010 text revises 国务院令第375号 (arts. 14 and 16 read otherwise in 2003): no article was added in
    2010 as far as the texts tell, so diff says what history says, unknown, and never "added"."""
    out = json.loads(run("diff", "wiir", "2003", "2010", "--format", "json").out)
    assert out["changes"] and {(c["kind"], c["substantive"], c["established"]) for c in out["changes"]} == {
        ("unknown", None, False)}
    assert out["changes"][13]["article"] == "14"
    table = run("diff", "wiir", "2003", "2010", "--format", "markdown").out
    assert "| 14 | unknown (not established: wiir 2003 is summary-only) | unknown |" in table
    # the headline counts none as established, never "67 change(s)"
    assert f"(0 change(s) established, {len(out['changes'])} article(s) whose change is unknown)" in table
    plain = run("diff", "wiir", "2003", "2010", "--format", "table").out
    assert "0 change(s) established" in plain and f"→ 2010, {len(out['changes'])} change(s)" not in plain


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_history_golden(fmt):
    r = run("history", "sil", "57", *JUNE_2026, "--format", fmt)
    assert r.code == 0, r.err
    _golden(f"history-sil-57.{fmt}", r.out)


def _quoted_paragraphs(markdown: str) -> list[list[str]]:
    """The paragraphs a Markdown reader sees in each quotation: lines given one after another run together."""
    quotes, paragraph = [], None
    for line in markdown.splitlines() + [""]:
        if line.startswith(">") and line.strip("> "):
            paragraph = (paragraph or "") + line[2:]
            continue
        if paragraph is not None:
            quotes.append(paragraph)
        paragraph = None
    return quotes


def test_history_markdown_keeps_each_paragraph_apart_as_show_does():
    """sil 57 has three paragraphs (款): consecutive ``> `` lines had run them into one in Markdown."""
    history = run("history", "社会保险法", "第五十七条", "--format", "markdown").out
    shown = run("show", "sil", "57", "--version", "2010", "--format", "markdown").out
    first = history.split("**2010**", 1)[1].split("**2018**", 1)[0]
    assert _quoted_paragraphs(first) == _quoted_paragraphs(shown) and len(_quoted_paragraphs(first)) == 3
    assert "\n>\n> 用人单位的社会保险登记事项" in history


def test_history_markdown_closes_a_mark_on_each_line_so_no_emphasis_spans_paragraphs():
    """lcl 2012 art. 57 inserts items whole: an insertion running across lines is marked on each of them."""
    history = run("history", "lcl", "57", "--format", "markdown").out
    changed = history.split("**2012**", 1)[1]
    paragraphs = _quoted_paragraphs(changed)
    assert "**（二）有与开展业务相适应的固定的经营场所和设施；**" in paragraphs
    assert all(p.count("**") % 2 == 0 and p.count("~~") % 2 == 0 for p in paragraphs)


def test_cite_markdown_keeps_each_paragraph_apart():
    out = run("cite", "社会保险法第五十七条", *JUNE_2026, "--format", "markdown").out
    assert len(_quoted_paragraphs(out)) == 3


def test_history_table_marks_deletions_and_insertions_without_colour():
    r = run("history", "sil", "57", "--format", "table")
    assert "[-工商行政-]{+市场监督+}" in r.out


def test_history_of_a_missing_article_exits_2():
    r = run("history", "sil", "120")
    assert r.code == 2 and "no version of sil holds it" in r.err


# -- list groups ----------------------------------------------------------------------------

def test_list_json_keeps_its_fields_and_adds_group_and_versions(law):
    out = json.loads(run("list", "--format", "json").out)
    row = next(r for r in out["instruments"] if r["instrument"] == "sil" and r["version"] == "2018")
    for key in ("instrument", "version", "title_zh", "effective", "repealed", "date_certain", "completeness",
                "confidence", "articles", "facts", "title_en", "adopted"):
        assert key in row
    assert (row["group"], row["versions"], row["kind"]) == ("law", 2, "law")
    grouped = {g["group"]: [i["instrument"] for i in g["instruments"]] for g in out["groups"]}
    assert sum(len(v) for v in grouped.values()) == len(law.instruments)
    assert {"sil", "tul", "msl"} <= set(grouped["law"])
    assert {"uir", "wiir"} <= set(grouped["administrative-regulation"])
    assert grouped["draft"] == ["msl-draft-2025"]
    assert {"oi-pilot-2021", "oi-pilot-2025", "ltc-pilot-2020"} == set(grouped["pilot-notice"])


def test_list_table_heads_each_group_with_its_counts():
    r = run("list", "--format", "table")
    assert r.code == 0
    assert "law 法律及有关法律问题的决定:" in r.out and "pilot notice 试点文件: 3 instrument(s), 3 version(s)" in r.out
    assert "sil (2)" in r.out and "uir (1)" in r.out


def test_validate_flags_an_unknown_group(tmp_path):
    dest = copy_statutes(tmp_path)
    f = dest / "corpus" / "instrument-groups.toml"
    f.write_text(f.read_text(encoding="utf-8").replace('group = "draft"\nkind', 'group = "drafts"\nkind'), encoding="utf-8")
    r = run("validate", str(dest), "--format", "table")
    assert r.code == 3 and 'rule[0].group = "drafts"' in r.err


# -- show's new arguments ---------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("sil", "第十条"), ("SIL", "10"), ("社会保险法", "10"), ("《中华人民共和国社会保险法》", "第10条"), ("社会保险法第十条",),
])
def test_show_accepts_chinese_articles_titles_and_ids_in_any_case(args):
    r = run("show", *args, *JUNE_2026, "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert (out["instrument"], out["version"], out["article"]) == ("sil", "2018", "10")


def test_show_plain_prints_the_verbatim_text_only(law):
    r = run("show", "sil", "64", "--as-of", "2015-01-01", "--plain")
    assert r.code == 0 and r.out == law.version("sil", "2010").article("64").text + "\n"
    r = run("show", "社会保险法", "第十条第三款", "--plain")
    assert r.out == "公务员和参照公务员法管理的工作人员养老保险的办法由国务院规定。\n"


def test_show_a_pinned_citation_shows_that_version():
    out = json.loads(run("show", "社会保险法（2010年原文）第六十四条", "--format", "json").out)
    assert (out["version"], out["article"]) == ("2010", "64")


def test_show_paragraph_given_twice_differently_exits_2():
    r = run("show", "sil", "第十条第二款", "-p", "3")
    assert r.code == 2 and "paragraph" in r.err


def test_search_and_diff_take_chinese_names():
    r = run("search", "灵活就业人员", "--instrument", "社会保险法", "--format", "jsonl")
    assert r.code == 0 and {json.loads(l)["instrument"] for l in r.out.splitlines()} == {"sil"}
    out = json.loads(run("diff", "《中华人民共和国社会保险法》", "2010", "2018", "--substantive", "-f", "json").out)
    assert out["instrument"] == "sil" and [c["article"] for c in out["changes"]] == ["57", "64", "66"]


def test_history_table_piped_has_no_trailing_spaces_and_keeps_the_marks():
    """README: piped tables carry no colour and no trailing spaces; the change marks stay in the text."""
    r = run("history", "sil", "64", "--format", "table", env={"COLUMNS": "80"})
    assert r.code == 0, r.err
    assert [line for line in r.out.splitlines() if line != line.rstrip()] == []
    assert "{+" in r.out and "[-" in r.out and "\x1b[" not in r.out


@pytest.mark.parametrize("args", [
    ["cite", "社会保险法第十条第二款", "--as-of", "2026-06-01"],
    ["cite", "--file", str(Path(__file__).resolve().parent.parent / "examples" / "citations-memo.md"),
     "--as-of", "2026-06-01", "--since", "2015-01-01"],
])
def test_cite_tables_piped_have_no_trailing_spaces(args):
    """README: piped tables carry no colour and no trailing spaces (cite's had 35, rich's padding)."""
    r = run(*args, "--format", "table", env={"COLUMNS": "80"})
    assert r.out and [line for line in r.out.splitlines() if line != line.rstrip()] == []
    assert "\x1b[" not in r.out


@pytest.mark.parametrize("instrument, article, on, version, decision", [
    ("ll", "92", "2026-06-01", "2009", "全国人民代表大会常务委员会关于修改部分法律的决定"),
    ("lcl", "57", "2026-06-01", "2012", "关于修改〈中华人民共和国劳动合同法〉的决定"),
    ("tul", "51", "2015-01-01", "2009", "全国人民代表大会常务委员会关于修改部分法律的决定"),  # 2009 art. 51 (now 52)
])
def test_history_names_the_amending_decision_beyond_sil(instrument, article, on, version, decision):
    out = json.loads(run("history", instrument, article, "--as-of", on, "-f", "json").out)
    row = next(v for v in out["versions"] if v["version"] == version)
    assert row["changed"] and row["amended_by"]["title_zh"] == decision
    table = run("history", instrument, article, "--as-of", on, "-f", "table").out
    assert "amended by " + decision in table


@pytest.mark.parametrize("instrument, article, version, decision", [
    ("ll", "92", "2018", "关于修改〈中华人民共和国劳动法〉等七部法律的决定 (2018-12-29)"),
    ("tul", "51", "2009", "全国人民代表大会常务委员会关于修改部分法律的决定 (2009-08-27)"),
])
def test_history_never_says_a_decision_amended_an_article_it_left_unchanged(instrument, article, version, decision):
    """ll 2018 and tul 2009 left these articles as they were: the decision made the version, not the change."""
    out = json.loads(run("history", instrument, article, "-f", "json").out)
    row = next(v for v in out["versions"] if v["version"] == version)
    # the JSON names the decision that amended the instrument into this version; ``change`` says what it did here
    assert row["change"] == "unchanged" and row["amended_by"]["title_zh"] in decision
    table = run("history", instrument, article, "-f", "table").out
    assert f"version made by {decision}, article unchanged" in table and "amended by " + decision not in table
    markdown = run("history", instrument, article, "-f", "markdown").out
    assert f"| version made by {decision}, article unchanged |" in markdown
    csv_rows = list(csv.DictReader(io.StringIO(run("history", instrument, article, "-f", "csv").out)))
    row = next(r for r in csv_rows if r["version"] == version)
    assert (row["change"], row["amended_by"]) == ("unchanged", decision.rsplit(" (", 1)[0])


def test_history_of_a_paragraph_says_it_follows_the_whole_article():
    """sil 10 para 2 asked: history is kept per article, and the 款 asked is said, not dropped unseen."""
    r = run("history", "sil", "第十条第二款", "--format", "json")
    assert r.code == 0 and json.loads(r.out)["article"] == "10"
    assert "paragraph 2" in r.err and len(r.err.strip().splitlines()) == 1
    assert run("history", "sil", "10", "--format", "json").err == ""


@pytest.mark.parametrize("fmt", ["markdown", "table"])
def test_cite_keeps_the_articles_note_in_every_format(fmt):
    """spc-labour-ii art. 19: the sources differ on 第一款 in its second sentence; show prints that note, and a cite
    of the same article must not drop it in a format meant for reading."""
    r = run("cite", "《最高人民法院关于审理劳动争议案件适用法律问题的解释（二）》第十九条第一款", "--format", fmt)
    assert r.code == 0, r.err
    assert '"第一款"' in r.out and "doubtful" in r.out


def test_a_missing_item_that_could_be_a_paragraph_says_a_paragraph_is_kuan():
    """第十條第二項: in Taiwan's usage 項 is a paragraph; here it reads as an item (项), which sil art. 10 lacks."""
    r = run("cite", "《社會保險法》第十條第二項", "--as-of", "2026-06-01")
    assert r.code == 1 and r.err.rstrip().endswith("a paragraph is 款: 第二款?")
    assert "款" not in run("cite", "《社会保险法》第十条第五项", "--as-of", "2026-06-01").err  # art. 10 has 3 paragraphs


@pytest.mark.parametrize("instrument,version,text", [
    ("retire-2024", "2024", "retirement-age-decision-2024.md"),
    ("spc-labour-ii", "2025", "spc-labour-dispute-interpretation-2-2025.md"),
])
def test_list_counts_the_articles_of_the_text_and_names_its_preamble_apart(reference, instrument, version, text):
    """The 2024 measures have nine articles (第一条 … 第九条) and SPC II twenty-one, as their texts read;
    ``list`` had counted the preamble held beside them as one more."""
    import re

    body = (reference / text).read_text(encoding="utf-8")
    if instrument == "retire-2024":  # the measures follow the decision in one file
        body = body[body.index("\n国务院关于渐进式延迟法定退休年龄的办法\n"):]
    numbered = {m for m in re.findall(r"^第([一二三四五六七八九十]+)条", body, re.MULTILINE)}
    out = json.loads(run("list", "--format", "json").out)
    row = next(r for r in out["instruments"] if r["instrument"] == instrument and r["version"] == version)
    assert row["articles"] == len(numbered) and row["front_matter"] == ["preamble"]


@pytest.mark.parametrize("written,cited", [
    ("征缴条例第三条", ("sicr", "3")),             # 《社会保险费征缴暂行条例》 as practitioners shorten it
    ("《经办条例》第六条", ("sihr", "6")),          # 《社会保险经办条例》
    ("劳动争议司法解释二第十九条", ("spc-labour-ii", "19")),
])
def test_cite_reads_the_short_names_practitioners_use(written, cited):
    r = run("cite", written, "--as-of", "2026-06-01", "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert (out["instrument"], out["article"]) == cited


@pytest.mark.parametrize("written", ["劳动法第零条", "劳动法第七十二条第零款", "社会保险法第十条第一款第零项"])
def test_a_zero_article_paragraph_or_item_is_bad_input_not_a_missing_article(written):
    r = run("cite", written, "--as-of", "2026-06-01")
    assert r.code == 2 and "numbered from 1" in r.err and "Traceback" not in r.err


def test_a_paragraph_past_the_last_names_the_version_and_counts_in_words():
    r = run("show", "ll", "72", "--paragraph", "3", "--as-of", "2026-06-01")
    assert r.code == 2 and r.err.strip().endswith("ll 2018 art. 72 has 1 paragraph")


def test_cite_since_an_item_is_unchanged_when_only_its_paragraphs_lead_in_changed():
    """lcl 38 para 1 item (三) 未依法为劳动者缴纳社会保险费的 reads the same in 2007 and 2012; only the lead-in's
    colon (劳动者可以解除劳动合同：) changed width: the item is unchanged, the paragraph changed in punctuation."""
    r = run("cite", "--file", "-", "--as-of", "2026-06-01", "--since", "2012-01-01", "--format", "jsonl",
            stdin="《劳动合同法》第三十八条第一款第三项。《劳动合同法》第三十八条第一款。\n")
    item, paragraph = [json.loads(line) for line in r.out.splitlines()]
    assert (item["change"], item["changed"], item["article_changed"], item["ok"]) == ("none", False, True, True)
    assert (paragraph["change"], paragraph["substantive"]) == ("modified", False)


def test_show_given_an_item_says_it_takes_an_article_or_paragraph_and_points_to_cite():
    r = run("show", "ll", "第七十二条第二项")
    assert r.code == 2 and "not an item" in r.err and "socins cite" in r.err and "no version" not in r.err


@pytest.mark.parametrize("text, as_of, instrument, version, article, paragraph", [
    ("社保法第十条第二款", "2026-06-01", "sil", "2018", "10", 2),
    ("《社保法》第六十条", "2015-01-01", "sil", "2010", "60", None),
    ("医保法第十条", "2027-06-01", "msl", "2026", "10", None),
])
def test_cite_reads_the_short_names_the_laws_are_commonly_cited_by(text, as_of, instrument, version, article,
                                                                   paragraph):
    r = run("cite", text, "--as-of", as_of, "--format", "json")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    assert (got["instrument"], got["version"], got["article"], got.get("paragraph")) == (
        instrument, version, article, paragraph)


def test_cite_says_a_name_that_is_no_instrument_names_none():
    """``cite foo`` had said an article was missing after "the instrument's name"."""
    r = run("cite", "foo")
    assert r.code == 2 and r.err.startswith('socins: error: instrument "foo": expected one of ') and "sil" in r.err
    r = run("cite", "sil")  # an instrument without an article still says that
    assert r.code == 2 and "expected an article after the instrument's name" in r.err


@pytest.mark.parametrize("as_of", ["2025-07-01", "2027-06-01"])
def test_cite_reads_the_medical_security_draft_by_its_short_name_never_the_law(as_of):
    """《医疗保障法（草案）》 names the 2025 draft (msl-draft-2025), whose article text is not held: exit 1 saying so,
    not a parse error, and never the Medical Security Law that later took its title."""
    r = run("cite", "《医疗保障法（草案）》第十条", "--as-of", as_of)
    assert r.code == 1, r.err
    assert "msl-draft-2025" in r.err and "msl 2026" not in r.err
    assert ("no legal force" in r.err) if as_of < "2026-08-28" else ("not in force on 2027-06-01" in r.err)


def test_search_says_a_draft_whose_text_is_not_held_is_a_draft_not_in_force():
    """On 2026-06-01 the Medical Security Law draft (msl-draft-2025, summary only) was before the house: the warning
    names it apart, with no legal force, and the JSON keeps it out of ``not_held`` (the versions in force)."""
    r = run("search", "缴费比例为20%", "--as-of", "2026-06-01", "--format", "json")
    got = json.loads(r.out)
    assert "msl-draft-2025 2025" in got["drafts_not_held"] and "msl-draft-2025 2025" not in got["not_held"]
    assert "oi-pilot-2021 2021" in got["not_held"]
    law_line, draft_line = [line for line in r.err.splitlines() if "not searched" in line]
    assert "msl-draft-2025" not in law_line and "in force on 2026-06-01" in law_line
    assert "msl-draft-2025 2025 (a draft on 2026-06-01, with no legal force" in draft_line


def _json(*argv) -> dict:
    done = run(*argv, "--format", "json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def test_history_sicr_8_says_null_not_unchanged_where_the_1999_text_is_not_held():
    """sicr 2019 art. 8: the 1999 original is not held (INDEX: excerpts only), so whether 2019 changed it is not told."""
    rows = {r["version"]: r for r in _json("history", "sicr", "8")["versions"]}
    assert rows["1999"]["change"] == "not-held" and rows["2019"]["change"] == "unknown"
    for row in rows.values():
        assert row["changed"] is None and row["substantive"] is None
    pairs = {c["article"]: c for c in _json("diff", "sicr", "1999", "2019")["changes"]}
    assert pairs["8"]["kind"] == "unknown" and pairs["8"]["substantive"] is None


def test_cite_memo_says_the_doubt_on_spc_ii_art_19_para_1_as_one_cite_does():
    """spc-labour-ii art. 19 para 1: the held copy reads 第三十八条第一款第三项, four web quotations omit 第一款 (INDEX)."""
    memo = "依据《最高人民法院关于审理劳动争议案件适用法律问题的解释（二）》第十九条第一款。\n依据社会保险法第十条。\n"
    done = run("cite", "--file", "-", *JUNE_2026, "--format", "json", stdin=memo)
    assert done.code == 0, done.err
    spc, sil = json.loads(done.out)["citations"]
    single = json.loads(run("cite", "最高人民法院关于审理劳动争议案件适用法律问题的解释（二）第十九条第一款", *JUNE_2026,
                            "--format", "json").out)
    assert (spc["completeness"], spc["confidence"], spc["note"]) == (single["completeness"], single["confidence"],
                                                                      single["note"])
    assert "第一款" in spc["note"] and spc["confidence"] != "high"
    assert (sil["completeness"], sil["confidence"]) == ("whole", "high") and "note" not in sil
    warned = [line for line in done.err.splitlines() if line.startswith("socins: warning:")]
    assert len(warned) == 2 and all("spc-labour-ii 2025" in line for line in warned), done.err


@pytest.mark.parametrize("width", ["50", "80", "120"])
def test_cite_memo_table_wraps_by_the_chinese_rules(width):
    """《工伤保险条例》第十四条第（一）项至第（七）项 had been cut before its ）, a line starting 「）项」."""
    memo = Path(__file__).resolve().parent.parent / "examples" / "citations-memo.md"
    done = run("cite", "--file", str(memo), "--since", "2015-01-01", *JUNE_2026, "--format", "table",
               env={"COLUMNS": width})
    from socins_cli.cli.linebreak import text_width

    lines = done.out.splitlines()
    assert len(lines) > 5 and all(text_width(line) <= int(width) for line in lines)
    assert not [line for line in lines if line.strip() and line.strip()[0] in "）」》。，、；：)"]
