"""show, search, diff, list, validate through the real command line."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from cli_helpers import REPO, copy_statutes, run
from socins_cli.law.validate import article_hash

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """Chinese numerals up to 999 (第五十七条 → 57)."""
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += current * 100
            current = 0
    return total + current


def reference_article(path: Path, number: int) -> str:
    """The article's lines as the reference file prints them, joined by a newline."""
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    head = re.compile(r"^第([一二三四五六七八九十百]+)条 ")
    out, inside = [], False
    for line in lines:
        m = head.match(line)
        if m:
            if inside:
                break
            inside = cn_number(m.group(1)) == number
        elif line.startswith("#"):
            if inside:
                break
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("version,file", [("2010", "social-insurance-law-2010.md"), ("2018", "social-insurance-law-2018.md")])
@pytest.mark.parametrize("article", ["10", "12", "23", "33", "44", "53", "57", "64", "66"])
def test_show_sil_article_equals_reference(reference, version, file, article):
    r = run("show", "sil", article, "--version", version, "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert shown["text"] == reference_article(reference / file, int(article))
    assert "\n".join(shown["paragraphs"]) == shown["text"]
    assert shown["instrument"] == "sil" and shown["version"] == version and shown["article"] == article


def test_show_sil_64_as_of_2019_is_the_2018_text_in_force():
    r = run("show", "sil", "64", "--as-of", "2019-06-01", "--format", "json")
    shown = json.loads(r.out)
    assert shown["version"] == "2018"
    assert shown["in_force"] == {"from": "2018-12-29", "to": None}


def test_show_sil_64_as_of_2015_is_the_2010_text_with_its_last_day():
    shown = json.loads(run("show", "sil", "64", "--as-of", "2015-01-01", "-f", "json").out)
    assert shown["version"] == "2010"
    assert shown["in_force"] == {"from": "2011-07-01", "to": "2018-12-28"}


def test_show_before_sil_took_effect_exits_2_naming_versions():
    r = run("show", "sil", "10", "--as-of", "2011-06-30")
    assert r.code == 2
    assert r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err
    assert "2011-07-01" in lines[0] and "version 2010" in lines[0] and "version 2018" in lines[0]


def test_show_missing_article_exits_2_naming_what_exists():
    r = run("show", "sil", "99", "--version", "2018")
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1
    assert "1-98" in r.err


def test_show_retire_2024_annex4_gives_the_table_a_retirement_citation_names():
    # 附件4 提高最低缴费年限情况表: 2030年 15年+6个月
    r = run("show", "retire-2024", "annex-4", "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert (shown["table"], shown["title"], shown["cells"]) == ("annex-4", "提高最低缴费年限情况表", ["year", "minimum_text"])
    by_year = {row["year"]: row["minimum_text"] for row in shown["rows"]}
    assert (len(by_year), by_year[2029], by_year[2030], by_year[2039]) == (15, "15年", "15年+6个月", "20年")
    tsv = run("show", "retire-2024", "annex-1", "--plain").out.splitlines()
    assert tsv[0] == "birth\tnew_age_text\tretirement_month\tdelay_months"
    assert tsv[1] == "1965-01\t60岁1个月\t2025-02\t1"


def test_show_annex1_as_a_table_is_rows_under_the_annex_headers_not_markdown():
    # 附件1 男职工延迟法定退休年龄对照表: 1965年1月 → 60岁1个月, 2025年2月, 1
    lines = run("show", "retire-2024", "annex-1", "--format", "table", env={"COLUMNS": "100"}).out.splitlines()
    assert "男职工延迟法定退休年龄对照表" in lines[0] and not any(line.startswith(("**", "|")) for line in lines)
    header = next(i for i, line in enumerate(lines) if line.startswith("出生时间"))
    assert lines[header].split() == ["出生时间", "改革后法定退休年龄", "改革后退休时间", "延迟月数"]
    assert lines[header + 2].split() == ["1965-01", "60岁1个月", "2025-02", "1"]
    assert lines[-1].startswith("Rows as socins holds them")
    fact = run("show", "oi-pilot-2025", "#who-pays", "--format", "table").out
    assert "Not statute text" in fact and "> " not in fact


def test_retire_decision_2024_5_ends_the_1978_ages_show_and_cite_say_so_from_2025():
    # 五 「……《国务院关于工人退休、退职的暂行办法》中有关退休年龄的规定不再施行。」 (the measures stay in force)
    before = run("show", "retire-1978-workers", "1", "--as-of", "2024-12-31", "--format", "json")
    after = run("show", "retire-1978-workers", "1", "--as-of", "2025-01-01", "--format", "json")
    assert json.loads(after.out)["ceased"] == {"from": "2025-01-01", "by": "retire-decision-2024:5",
                                                "what": "有关退休年龄的规定"}
    assert "no longer apply" not in before.err and "no longer apply from 2025-01-01" in after.err
    cited = run("cite", "国务院关于工人退休、退职的暂行办法第一条", "--as-of", "2026-01-01", "--format", "json")
    assert cited.code == 0 and json.loads(cited.out)["ceased_on_as_of"] is True and "no longer apply" in cited.err
    cadres = json.loads(run("cite", "国务院关于安置老弱病残干部的暂行办法第四条", "--as-of", "2024-06-01", "--format", "json").out)
    assert "ceased_on_as_of" not in cadres and cadres["ceased"]["from"] == "2025-01-01"


def test_show_a_fact_marks_it_as_not_statute_text():
    r = run("show", "oi-pilot-2025", "#who-pays", "--format", "json")
    assert r.code == 0, r.err
    shown = json.loads(r.out)
    assert (shown["fact"], shown["statute_text"]) == ("who-pays", False)
    assert "具有本市网约车运营资质的其他平台企业" in shown["text"]
    assert json.loads(run("show", "oi-pilot-2025", "who-pays", "--format", "json").out) == shown
    md = run("show", "oi-pilot-2025", "#who-pays", "--format", "markdown").out
    assert "Not statute text" in md


def test_show_unknown_table_names_the_tables_and_a_table_has_no_paragraphs():
    r = run("show", "retire-2024", "annex-9")
    assert r.code == 2 and "tables annex-1, annex-2, annex-3, annex-4" in r.err
    r = run("show", "retire-2024", "annex-2", "-p", "1")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "paragraph" in r.err


def test_every_table_or_fact_a_retirement_or_check_answer_cites_can_be_shown():
    from socins_cli import api

    answers = [api.retirement(sex="male", birth="1970-03", as_of="2026-06-01"),
               api.check(category="platform", relation="civil", province="guangdong", industry="food-delivery",
                         platform="美团", as_of="2025-08-01")]
    cited = []
    for a in answers:
        cited += a.get("citations", [])
        for s in a.get("schemes", ()):
            cited += s["citations"]
    parts = [c for c in cited if "table" in c or "fact" in c]
    assert any("table" in c for c in parts) and any("fact" in c for c in parts)
    # The contract: every citation has instrument, version and article (a string) and its text through `show`;
    # a table's or a fact's article is the name `show` takes for it.
    assert all(isinstance(c.get("article"), str) for c in cited)
    for c in parts:
        assert c["article"] == (c.get("table") or "#" + c["fact"])
        shown = api.show(instrument=c["instrument"], version=c["version"], article=c["article"])
        assert shown.get("table", shown.get("fact")) == c.get("table", c.get("fact"))


@pytest.mark.parametrize(
    "args,field",
    [
        (("show", "nosuch", "1"), "instrument"),
        (("show", "sil", "10", "--as-of", "2019-13-01"), "as_of"),
        (("show", "sil", "10", "--version", "1999"), "version"),
        (("show", "sil", "10", "--version", "2018", "--as-of", "2019-01-01"), "version"),
        (("diff", "sil", "2010", "2099"), "to"),
        (("search", "x", "--instrument", "nosuch"), "instrument"),
        (("list", "--format", "xml"), "format"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, field):
    r = run(*args)
    assert r.code == 2, (r.code, r.err)
    assert "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert r.err.startswith("socins: error: ") and field in r.err


def amended_articles(reference: Path) -> set[str]:
    """Articles the reference's change table lists (### 第五十七条 第3款 …)."""
    text = (reference / "social-insurance-law-2010-changed-articles.md").read_text(encoding="utf-8")
    return {str(cn_number(m)) for m in re.findall(r"^### 第([一二三四五六七八九十百]+)条", text, re.M)}


def test_diff_sil_2010_2018_substantive_lists_exactly_the_amended_articles(reference):
    r = run("diff", "sil", "2010", "2018", "--substantive", "--format", "json")
    assert r.code == 0
    changes = json.loads(r.out)["changes"]
    assert {c["article"] for c in changes} == amended_articles(reference)
    assert all(c["kind"] == "modified" and c["substantive"] for c in changes)


def test_diff_sil_without_substantive_lists_colon_only_changes_as_not_substantive(reference):
    changes = json.loads(run("diff", "sil", "2010", "2018", "-f", "json").out)["changes"]
    punctuation_only = {c["article"] for c in changes if not c["substantive"]}
    # the reference index names the 2010 copy's half-width colons (arts. 30 … 89); art. 30 has one in 2018 too
    assert {"37", "38", "39", "43", "45", "51", "55", "56", "79", "89"} <= punctuation_only
    assert not punctuation_only & amended_articles(reference)
    for c in changes:
        assert c["before"] != c["after"]


def test_diff_by_dates_picks_the_versions_in_force():
    by_date = json.loads(run("diff", "sil", "2015-01-01", "2020-01-01", "-f", "json").out)
    by_id = json.loads(run("diff", "sil", "2010", "2018", "-f", "json").out)
    assert (by_date["from"], by_date["to"]) == ("2010", "2018")
    assert by_date["changes"] == by_id["changes"]


def test_diff_markdown_marks_deletions_and_insertions():
    r = run("diff", "sil", "2010", "2018", "--substantive", "--format", "markdown")
    assert "~~工商行政~~**市场监督**管理部门" in r.out


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}])
def test_diff_sil_57_plain_table_marks_the_deletion_and_insertion_in_the_text(env):
    # Piped (no colour), the 2018 amendment of sil art. 57 para 3 must not read "工商行政市场监督管理部门".
    r = run("diff", "sil", "2010", "2018", "--substantive", "-f", "table", env={"COLUMNS": "120", **env})
    assert r.code == 0
    assert "[-工商行政-]{+市场监督+}管理部门" in r.out
    assert "工商行政市场监督" not in r.out


def test_diff_on_a_colour_terminal_marks_by_colour_alone():
    r = run("diff", "sil", "2010", "2018", "--substantive", "-f", "table", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in r.out and "[-工商行政-]" not in r.out


def test_diff_sil_57_csv_carries_a_marked_text_beside_before_and_after():
    rows = list(csv.DictReader(io.StringIO(run("diff", "sil", "2010", "2018", "--substantive", "-f", "csv").out)))
    art57 = next(r for r in rows if r["article"] == "57")
    assert "[-工商行政-]{+市场监督+}管理部门" in art57["marked"]
    assert "市场监督管理部门" in art57["after"] and "工商行政管理部门" in art57["before"]


def test_diff_marks_a_whole_added_or_removed_text():
    from socins_cli.law.diff import inline_marked

    assert inline_marked(None, "新条文") == "{+新条文+}"
    assert inline_marked("旧条文", None) == "[-旧条文-]"


def test_search_flexible_workers_finds_sil_10_12_23():
    r = run("search", "灵活就业人员", "--instrument", "sil", "--format", "jsonl")
    assert r.code == 0
    hits = [json.loads(l) for l in r.out.splitlines()]
    assert {"10", "12", "23"} <= {h["article"] for h in hits if h["instrument"] == "sil"}
    for h in hits:
        assert "灵活就业人员" in h["snippet"]
        assert set(h) >= {"instrument", "version", "article", "paragraph", "snippet"}


def test_search_half_width_comma_matches_full_width_text():
    # sil art. 10 para 1 reads "…基本养老保险，由用人单位…" with a full-width comma
    r = run("search", "基本养老保险,由用人单位", "--instrument", "sil", "-f", "jsonl")
    assert r.code == 0
    assert any(json.loads(l)["article"] == "10" for l in r.out.splitlines())


def test_search_as_of_2015_searches_the_2010_text():
    hits = [json.loads(l) for l in run("search", "工商行政管理部门", "-i", "sil", "--as-of", "2015-01-01", "-f", "jsonl").out.splitlines()]
    assert hits and {h["version"] for h in hits} == {"2010"}


def test_search_gives_a_paragraph_once_with_every_occurrence_marked():
    """mpil art. 25 para 1 says 随军未就业 twice: it had come back as two hits, the same paragraph listed twice."""
    r = run("search", "随军未就业", "-i", "mpil", "--as-of", "2026-06-01", "--format", "jsonl")
    hits = [json.loads(line) for line in r.out.splitlines()]
    places = [(h["article"], h["paragraph"]) for h in hits]
    assert r.code == 0 and len(places) == len(set(places))
    (para,) = [h for h in hits if (h["article"], h["paragraph"]) == ("25", 1)]
    assert para["matches"] == 2 and [para["snippet"][a:b] for a, b in para["marks"]] == ["随军未就业"] * 2
    assert (para["match_start"], para["match_end"]) == tuple(para["marks"][0])
    whole = json.loads(run("search", "随军未就业", "-i", "mpil", "--as-of", "2026-06-01", "--format", "json").out)
    assert whole["hits"] == hits
    rows = list(csv.DictReader(io.StringIO(run("search", "随军未就业", "-i", "mpil", "--as-of", "2026-06-01",
                                                "--format", "csv").out)))
    assert [(row["article"], row["paragraph"], row["matches"]) for row in rows][:3] == [("2", "2", "1"), ("25", "1", "2"),
                                                                                        ("25", "2", "1")]
    table = run("search", "随军未就业", "-i", "mpil", "--as-of", "2026-06-01", "--format", "table").out
    assert table.count("art. 25 para 1") == 1


def test_search_nothing_found_exits_1():
    r = run("search", "这段文字不在任何法律中", "-f", "jsonl")
    assert r.code == 1 and r.out == ""


def test_list_shows_every_instrument_with_dates(law):
    rows = [json.loads(l) for l in run("list", "--format", "jsonl").out.splitlines()]
    assert {r["instrument"] for r in rows} == set(law.instruments)
    sil = {r["version"]: r for r in rows if r["instrument"] == "sil"}
    assert sil["2010"]["effective"] == "2011-07-01" and sil["2010"]["repealed"] == "2018-12-29"


def test_validate_shipped_statutes_exit_0():
    r = run("validate", "--format", "table")
    assert r.code == 0, r.err
    assert r.out.startswith("ok:")
    assert json.loads(run("validate").out)["ok"] is True


def test_validate_one_changed_character_exits_3_naming_the_article(tmp_path):
    dest = copy_statutes(tmp_path)
    sil = dest / "sil.toml"
    text = sil.read_text(encoding="utf-8")
    sil.write_text(text.replace("职工应当参加基本养老保险", "职工可以参加基本养老保险", 1), encoding="utf-8")
    r = run("validate", str(dest))
    assert r.code == 3
    assert "sil.toml" in r.err and "article[10]" in r.err and "sha256" in r.err


def test_validate_broken_toml_exits_3(tmp_path):
    dest = copy_statutes(tmp_path)
    (dest / "sil.toml").write_text("[instrument\nid = ", encoding="utf-8")
    r = run("validate", str(dest))
    assert r.code == 3 and "sil.toml" in r.err and "Traceback" not in r.err


def test_validate_version_dates_out_of_order_exits_3(tmp_path):
    dest = copy_statutes(tmp_path)
    sil = dest / "sil.toml"
    sil.write_text(sil.read_text(encoding="utf-8").replace("repealed = 2018-12-29", "repealed = 2010-01-01", 1),
                   encoding="utf-8")
    r = run("validate", str(dest))
    assert r.code == 3 and "repealed" in r.err


def test_pinned_hashes_are_hashes_of_the_text(law):
    for inst in law.instruments.values():
        for v in inst.versions:
            for art in v.articles:
                assert art.sha256 == article_hash(art.paragraphs), (inst.id, v.id, art.number)


def test_closed_pipe_ends_quietly():
    import subprocess
    import sys

    proc = subprocess.run(
        f'"{sys.executable}" -m socins_cli search 的 --all-versions --format jsonl | head -1',
        shell=True, capture_output=True, text=True, cwd=REPO,
    )
    assert proc.stdout.count("\n") == 1
    assert proc.stderr == ""


def test_search_simplified_query_finds_maternity_merger_2019_held_in_traditional_characters():
    # maternity-merger-2019 item-2 is held as published: 生育保險基金并入職工基本醫療保險基金
    r = run("search", "生育保险基金并入", "--all-versions", "--format", "jsonl")
    assert r.code == 0
    hits = [json.loads(line) for line in r.out.splitlines()]
    merger = [h for h in hits if h["instrument"] == "maternity-merger-2019"]
    assert merger
    assert "生育保險基金并入" in merger[0]["snippet"]  # the text as held, not converted
    assert merger[0]["match"] == "生育保險基金并入"


def test_search_traditional_query_finds_sil_10_held_in_simplified_characters():
    r = run("search", "靈活就業人員", "--instrument", "sil", "--format", "jsonl")
    hits = [json.loads(line) for line in r.out.splitlines()]
    assert {"10", "12", "23"} <= {h["article"] for h in hits}
    assert all(h["match"] == "灵活就业人员" for h in hits)


def test_only_search_loads_the_character_form_converter():
    import subprocess
    import sys

    def imported(*args):
        return subprocess.run([sys.executable, "-X", "importtime", "-m", "socins_cli", *args], capture_output=True,
                              text=True, cwd=REPO).stderr

    assert "opencc" not in imported("show", "sil", "10", "--format", "json")
    assert "opencc" in imported("search", "灵活就业", "--instrument", "sil", "--format", "json")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_diff_from_the_unheld_wiir_2003_text_never_reads_added_as_established_in_plain_text(fmt):
    """wiir 2003 is held as a summary only: its lacking art. 1 proves nothing, so no format says "added"."""
    result = run("diff", "wiir", "2003", "2010", "--format", fmt)
    assert result.code == 0, result.err
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert rows and {r["kind"] for r in rows} == {"unknown"} and {r["established"] for r in rows} == {"false"}
    else:
        assert "unknown (not established: wiir 2003 is summary-only)" in result.out
        assert not re.search(r"added", result.out)


def test_list_marks_the_inferred_date_itself_the_start_of_sil_2018_and_so_the_end_of_sil_2010():
    """sil art. 98 fixes 2011-07-01 (certain); the 2018 text's start, 2018-12-29, comes from database metadata."""
    r = run("list", "--format", "table", env={"COLUMNS": "120"})
    assert r.code == 0, r.err
    rows = [line.split() for line in r.out.splitlines() if "2011-07-01" in line and "2018-12-29" in line]
    assert rows and "2011-07-01" in rows[0] and "2018-12-29?" in rows[0]
    shown = run("show", "sil", "--format", "table", env={"COLUMNS": "120"}).out
    assert "2010: Adopted 2010-10-28 and in force from 2011-07-01" in shown  # the date note, at a terminal too
    assert "Dates:" in run("show", "sil", "--format", "markdown").out


# -- show numbers paragraphs (款), not lines: items belong to the paragraph before them -------------

LCL_38_PARA_2 = ("用人单位以暴力、威胁或者非法限制人身自由的手段强迫劳动者劳动的，或者用人单位违章指挥、强令冒险作业危及"
                 "劳动者人身安全的，劳动者可以立即解除劳动合同，不需事先告知用人单位。")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_show_lcl_38_delimited_numbers_the_two_paragraphs_with_the_items_in_the_first(fmt):
    r = run("show", "lcl", "38", "--version", "2012", "--format", fmt)
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out), delimiter="," if fmt == "csv" else "\t"))
    assert [row["paragraph"] for row in rows] == ["1", "2"]
    assert rows[0]["text"].split("\n")[1].startswith("（一）") and rows[0]["text"].endswith("其他情形。")
    assert rows[1]["text"] == LCL_38_PARA_2


def test_show_lcl_38_json_paragraphs_are_the_paragraphs_cite_and_search_number():
    show = json.loads(run("show", "lcl", "38", "--version", "2012", "--format", "json").out)
    assert len(show["paragraphs"]) == 2 and show["paragraphs"][1] == LCL_38_PARA_2
    assert "\n".join(show["paragraphs"]) == show["text"]
    cited = json.loads(run("cite", "劳动合同法第三十八条第二款", "--as-of", "2026-06-01", "--format", "json").out)
    assert cited["paragraph_text"] == show["paragraphs"][1] == cited["paragraphs"][1]
    hit = json.loads(run("search", "不需事先告知用人单位", "-i", "lcl", "--as-of", "2026-06-01", "--format", "jsonl").out)
    assert show["paragraphs"][hit["paragraph"] - 1].endswith(hit["match"] + "。")


def test_show_ll_73_table_numbers_four_paragraphs_and_no_item():
    r = run("show", "ll", "73", "--as-of", "2026-06-01", "--format", "table")
    assert r.code == 0, r.err
    assert re.findall(r"^\((\d+)\) ", r.out, re.M) == ["1", "2", "3", "4"]
    assert re.search(r"^\s+（一）退休；$", r.out, re.M)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "table", "markdown"])
def test_show_paragraph_option_gives_only_that_paragraph_in_every_format(fmt):
    r = run("show", "lcl", "38", "-p", "2", "--version", "2012", "--format", fmt)
    assert r.code == 0, r.err
    assert "不需事先告知用人单位" in r.out and "（一）" not in r.out and "第三十八条 用人单位有下列情形" not in r.out


@pytest.mark.parametrize("version", ["2007", "2012"])
@pytest.mark.parametrize("article,section", [("51", "第一节 集体合同"), ("57", "第二节 劳务派遣"),
                                             ("72", "第三节 非全日制用工")])
def test_show_lcl_chapter_5_names_its_chapter_and_section(version, article, section):
    out = json.loads(run("show", "lcl", article, "--version", version, "--format", "json").out)
    assert (out["chapter"], out["section"]) == ("第五章 特别规定", section)


# -- error lines that name the field, the value and what is allowed, plainly ------------------------------

def _one_error_line(r) -> str:
    assert r.code == 2 and r.out == "" and "Traceback" not in r.err, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_show_an_article_the_version_lacks_names_where_it_is_apart_from_the_list_of_versions():
    line = _one_error_line(run("show", "tul", "58", "--as-of", "2021-12-31"))
    assert 'article "58": tul 2009 (in force on 2021-12-31) has articles 1-57;' in line
    assert "article 58 is only in version 2021;" in line
    assert line.endswith("tul's versions: 1992 (1992-04-03 to 2001-10-26), 2001 (2001-10-27 to 2009-08-26), "
                         "2009 (2009-08-27 to 2021-12-31?), 2021 (from 2022-01-01?)")  # 2021's start inferred
    asked = _one_error_line(run("show", "sil", "99", "--version", "2018"))
    assert "sil 2018 has articles 1-98;" in asked and "no version of sil has article 99;" in asked


def test_show_a_version_without_article_text_says_it_holds_none():
    line = _one_error_line(run("show", "wiir", "1", "--version", "2003"))
    assert "wiir 2003 holds no article text (summary-only; see its facts #original-not-held, #art-14-6, #art-16-1)" in line
    assert "has articles none" not in line


def test_diff_names_the_positional_side_it_could_not_read():
    line = _one_error_line(run("diff", "sil", "2010-01-01", "2018"))
    assert line.startswith('socins: error: from "2010-01-01": sil is not in force that day')
    assert "as_of" not in line
    line = _one_error_line(run("diff", "sil", "2010", "2011-01-01"))
    assert line.startswith('socins: error: to "2011-01-01": sil is not in force that day')


def test_show_of_a_law_not_yet_in_force_suggests_reading_the_version_asked_for():
    line = _one_error_line(run("show", "msl", "1", "--as-of", "2026-12-06"))
    assert 'as_of "2026-12-06": msl is not in force that day' in line
    assert line.endswith("to read it before it takes effect: --version 2026")
    assert run("show", "msl", "1", "--version", "2026").code == 0
    before = _one_error_line(run("show", "sil", "10", "--as-of", "2011-06-30"))
    assert before.endswith("to read it before it takes effect: --version 2010")


def test_show_of_a_version_not_in_force_today_warns_in_one_line_and_json_says_so():
    """sil 2010 ended on 2018-12-28: shown by --version, its text comes with the one warning line cite gives for a
    pinned version, and the JSON says it is not the law today and names the version that is."""
    r = run("show", "sil", "10", "--version", "2010", "--format", "json")
    got = json.loads(r.out)
    assert r.code == 0 and (got["in_force_on_as_of"], got["as_of_version"]) == (False, "2018")
    assert r.err.count("\n") == 1 and r.err.startswith("socins: warning: sil 2010, the version asked for, is not in "
                                                        "force on ") and "the version in force that day is 2018" in r.err
    assert got["warning"] in r.err
    for fmt in ("table", "markdown", "csv"):
        assert run("show", "sil", "10", "--version", "2010", "--format", fmt).err == r.err
    assert run("show", "sil", "10", "--version", "2010", "--plain").err == r.err
    current = run("show", "sil", "10", "--version", "2018", "--format", "json")
    assert json.loads(current.out)["in_force_on_as_of"] is True and current.err == ""
    assert "in_force_on_as_of" not in json.loads(run("show", "sil", "10", "--format", "json").out)


def test_show_of_a_version_before_it_takes_effect_is_said_so_never_in_force_now(monkeypatch):
    """msl 2026 takes effect on 2027-01-01: shown by --version the day before, it is not the law, and its days read
    "from 2027-01-01 (not yet in force on …)", not "2027-01-01 – now"."""
    import datetime as dt

    import socins_cli.dates
    from socins_cli import api

    monkeypatch.setattr(socins_cli.dates, "today", lambda: dt.date(2026, 12, 31))
    got = api.show(instrument="msl", article="10", version="2026")
    assert (got["in_force_on_as_of"], got["as_of_version"]) == (False, None)
    assert "msl 2026, the version asked for, is not in force on 2026-12-31" in got["warning"]
    r = run("show", "msl", "10", "--version", "2026", "--format", "table")
    today = dt.date.today()
    if today < dt.date(2027, 1, 1):  # the command runs on the real day
        assert f"in force from 2027-01-01 (not yet in force on {today.isoformat()})" in " ".join(r.out.split())
        assert "now" not in r.out and "not in force on" in r.err
        markdown = run("show", "msl", "10", "--version", "2026", "--format", "markdown").out
        assert markdown.endswith(f"In force from 2027-01-01 (not yet in force on {today.isoformat()}).\n")
    else:
        assert "2027-01-01 – now" in r.out


def test_list_as_of_leaves_out_a_draft_which_is_never_in_force():
    """The 2025 draft medical security law (一审稿) was under deliberation from 2025-06-24, never law."""
    on_day = [json.loads(line)["instrument"] for line in run("list", "--as-of", "2025-07-01", "--format", "jsonl").out.splitlines()]
    every = [json.loads(line)["instrument"] for line in run("list", "--format", "jsonl").out.splitlines()]
    assert "msl-draft-2025" in every and "msl-draft-2025" not in on_day and "sil" in on_day


def test_show_and_history_read_an_instrument_and_article_in_traditional_characters_as_cite_does():
    """sil art. 10 para 2 written 社會保險法 第十條第二款."""
    shown = json.loads(run("show", "社會保險法", "第十條第二款", "--as-of", "2026-06-01", "--format", "json").out)
    assert (shown["instrument"], shown["article"], shown["paragraph"]) == ("sil", "10", 2)
    history = run("history", "勞動合同法", "第六十八條", "--format", "json")
    assert history.code == 0 and json.loads(history.out)["instrument"] == "lcl"


def test_a_draft_is_never_said_to_be_in_force():
    """msl-draft-2025's date_note: a draft has no legal force; its days are only the days it stood as a draft."""
    r = run("show", "msl-draft-2025", "10", "--as-of", "2025-12-01")
    assert r.code == 2 and "in force" not in r.err
    assert "msl-draft-2025 2025 (a draft on 2025-12-01, with no legal force)" in r.err
    assert "(in force on 2025-12-01)" in run("show", "sil", "99", "--as-of", "2025-12-01").err


def test_show_marks_a_draft_as_a_draft_beside_the_days_it_was_before_the_house():
    """msl-draft-2025 was never in force: its in_force days are those of its reading, and the JSON says it is a draft."""
    r = run("show", "msl-draft-2025", "#draft-flexible-maternity", "--version", "2025", "--format", "json")
    got = json.loads(r.out)
    assert r.code == 0 and got["draft"] is True and got["in_force"]["from"] == "2025-06-24"
    assert "draft" not in json.loads(run("show", "sil", "10", "--format", "json").out)


def test_a_findings_context_marks_the_draft_it_quotes_as_a_draft():
    """maternity-exclusion shows the Medical Security Law draft's reported content as context while it was before the
    house: a script walking citation objects must see that it is a draft, not law."""
    got = json.loads(run("inequities", "--as-of", "2026-01-01", "--scheme", "maternity", "--format", "json").out)
    (finding,) = [f for f in got["inequities"] if f["id"] == "maternity-exclusion"]
    drafts = [c for c in finding["details"]["context"] if c["instrument"] == "msl-draft-2025"]
    assert drafts and all(c.get("draft") is True for c in drafts)
    assert not any(c.get("draft") for c in finding["details"]["context"] if c["instrument"] != "msl-draft-2025")
    assert not any(c.get("draft") for c in finding["citations"])


def test_show_sil_十_is_article_10_as_第十条_is():
    """No article is numbered in words, so 十 is 第十条; it had said no version of sil has article 十 (audit L5)."""
    words = run("show", "sil", "十", "--as-of", "2026-06-01", "--format", "json")
    assert words.code == 0 and words.out == run("show", "sil", "第十条", "--as-of", "2026-06-01", "--format", "json").out
    bad = run("show", "sil", "一零七")
    assert bad.code == 2 and "is not a number as statutes write one" in bad.err


def test_show_history_and_diff_read_full_width_digits_as_cite_and_as_of_do():
    """show sil １０ had exited 2 (no article "１０") while cite 社会保险法第１０条 and --as-of ２０２６-０６-０１ read them."""
    june = ("--as-of", "2026-06-01", "--format", "json")
    assert run("show", "sil", "１０", *june).out == run("show", "sil", "10", *june).out
    assert run("show", "sil", "１０", *june).out == run("show", "sil", "10", "--as-of", "２０２６-０６-０１", "--format", "json").out
    assert run("history", "sil", "６４", *june).out == run("history", "sil", "64", *june).out
    pinned = run("show", "sil", "10", "--version", "２０１０", "--format", "json")
    assert pinned.code == 0 and json.loads(pinned.out)["version"] == "2010"
    wide = run("diff", "sil", "２０１０", "２０１８", "--format", "json")
    assert wide.code == 0 and wide.out == run("diff", "sil", "2010", "2018", "--format", "json").out


def test_list_gives_ll_2009_in_force_to_its_last_day_as_show_does_beside_the_day_it_ended():
    """ll 2009 was replaced on 2018-12-29: list's repealed is that day, its in_force.to the day before, as show's."""
    rows = json.loads(run("list", "--format", "json").out)["instruments"]
    ll_2009 = next(r for r in rows if (r["instrument"], r["version"]) == ("ll", "2009"))
    shown = json.loads(run("show", "ll", "92", "--version", "2009", "--format", "json").out)
    assert ll_2009["repealed"] == "2018-12-29" and ll_2009["in_force"] == shown["in_force"]
    assert shown["in_force"]["to"] == "2018-12-28"


@pytest.mark.parametrize("instrument,version,adopted,amended,decision", [
    # lcl 2012: "date_adopted: 2007-06-29; amended 2012-12-28 (…《关于修改〈中华人民共和国劳动合同法〉的决定》)" (reference header)
    ("lcl", "2012", "2007-06-29", "2012-12-28", "关于修改〈中华人民共和国劳动合同法〉的决定"),
    # wiir 2010: revised by 国务院令第586号, adopted 2010-12-08 (reference header)
    ("wiir", "2010", "2003-04-27", "2010-12-08", "国务院关于修改〈工伤保险条例〉的决定"),
    ("lcl", "2007", "2007-06-29", None, None),
])
def test_list_names_the_decision_that_amended_an_instrument_into_a_version_beside_its_own_adoption(
        instrument, version, adopted, amended, decision):
    rows = json.loads(run("list", "--format", "json").out)["instruments"]
    row = next(r for r in rows if (r["instrument"], r["version"]) == (instrument, version))
    assert (row["adopted"], row["amended"], row["amended_by"]) == (adopted, amended, decision)
    header = run("list", "--format", "csv").out.splitlines()[0].split(",")
    assert {"adopted", "amended", "amended_by"} <= set(header)


def test_show_an_article_of_a_partial_text_is_not_found_in_what_is_held_not_said_to_be_absent():
    """sil-provisions-2011 is held for art. 9 only (reference: 'provisions on 灵活就业 NOT FOUND'): art. 2 may exist."""
    done = run("show", "sil-provisions-2011", "2")
    assert done.code == 2 and done.err.count("\n") == 1
    assert "held only in part" in done.err and "no version of sil-provisions-2011 has article 2" not in done.err
    whole = run("show", "sil", "120")  # a whole text: its silence is the article's absence
    assert "no version of sil has article 120" in whole.err and "held only in part" not in whole.err


def test_show_tul_2009_marks_its_last_day_inferred_as_list_does():
    """tul 2021's in-force date is not in its text (flk metadata: 2022-01-01), so tul 2009's last day is inferred too."""
    done = run("show", "tul", "3", "--as-of", "2021-12-28", "--format", "json")
    shown = json.loads(done.out)
    assert shown["version"] == "2009" and shown["in_force"]["to"] == "2021-12-31" and shown["end_certain"] is False
    table = run("show", "tul", "3", "--as-of", "2021-12-28", "--format", "table").out
    assert "2009-08-27 – 2021-12-31?" in table
    assert "from 2011-07-01?" in run("show", "sil-provisions-2011", "9", "--as-of", "2011-06-30").err
    assert "end_certain" not in json.loads(run("show", "sil", "10", "--format", "json").out)
    listed = {(r["instrument"], r["version"]): r for r in json.loads(run("list", "--format", "json").out)["instruments"]}
    assert listed[("tul", "2009")]["end_certain"] is False and listed[("tul", "2001")]["end_certain"] is True


def test_diff_and_a_memo_record_mark_tul_2009s_inferred_end_and_2021s_inferred_start_as_show_does():
    """diff JSON's from_in_force/to_in_force and cite --file records had carried the days without their marks."""
    diffed = json.loads(run("diff", "tul", "2009", "2021", "--format", "json").out)
    assert diffed["from_in_force"]["to"] == "2021-12-31" and diffed["from_end_certain"] is False
    assert diffed["to_in_force"]["from"] == "2022-01-01" and diffed["to_date_certain"] is False
    assert "to_end_certain" not in diffed and "from_date_certain" not in diffed
    sil = json.loads(run("diff", "sil", "2010", "2018", "--format", "json").out)  # 2018's start: flk metadata only
    assert (sil["from_end_certain"], sil["to_date_certain"]) == (False, False)
    plain = json.loads(run("diff", "tul", "1992", "2001", "--format", "json").out)
    assert not [key for key in plain if key.endswith("_certain")]
    memo = run("cite", "--file", "-", "--as-of", "2015-01-01", "--format", "json", stdin="《工会法》第十条\n")
    record, = json.loads(memo.out)["citations"]
    assert record["version"] == "2009" and record["end_certain"] is False and "date_certain" not in record
    pinned = run("cite", "《社会保险法》（2010年）第十条", "--as-of", "2023-01-01")
    assert "(it is in force from 2011-07-01 to 2018-12-28?)" in pinned.err  # the warning line marks it too


def test_a_part_named_not_numbered_is_labelled_by_its_name_as_check_labels_it():
    """国办发〔2019〕10号 is cited by its parts (item-1, item-2, preamble): ``search`` and ``history`` name them as
    ``check`` does (``maternity-merger-2019 2019 item-1``), not as an article (``art. item-1``)."""
    checked = run("check", "--category", "employee", "--as-of", "2020-06-01", "--format", "table")
    assert "maternity-merger-2019 2019 item-1" in checked.out
    found = run("search", "生育保险", "--instrument", "maternity-merger-2019", "--format", "table")
    assert found.code == 0 and "maternity-merger-2019 2019 item-1 para 1" in found.out
    history = run("history", "maternity-merger-2019", "item-2", "--format", "table")
    assert history.code == 0 and "(maternity-merger-2019) item-2" in " ".join(history.out.split())
    for out in (checked.out, found.out, history.out):
        assert "art. item" not in out and "art. preamble" not in out
    numbered = run("search", "灵活就业人员", "--instrument", "sil", "--format", "table")
    assert "sil 2018 art. 10 para 2" in numbered.out


@pytest.mark.parametrize("args, message", [
    (("show", "sil", "10", "--plain", "--format", "json"), 'plain "--plain": prints the text alone; it does not go with --format json'),
    (("show", "sil", "--plain"), 'plain "--plain": prints an article\'s text: name the article'),
])
def test_an_option_that_would_change_nothing_is_refused_not_ignored(args, message):
    """``--plain --format json`` had printed plain text, and ``show sil --plain`` the overview."""
    r = run(*args)
    assert r.code == 2 and not r.out and r.err.startswith(f"socins: error: {message}"), r


def test_search_every_version_says_a_date_changes_nothing_and_show_plain_still_answers_alone():
    alone = run("search", "灵活就业", "--all-versions", "--format", "json")
    dated = run("search", "灵活就业", "--all-versions", "--as-of", "2015-01-01", "--format", "json")
    assert alone.code == dated.code == 0 and dated.out == alone.out
    assert "socins: warning: --as-of 2015-01-01 changes nothing with --all-versions" in dated.err
    plain = run("show", "sil", "10", "--plain")
    assert plain.code == 0 and plain.out.startswith("第十条 ")
