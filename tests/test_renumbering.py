"""diff and history across three versions and an amendment that renumbers articles.

The fixture is built in a temporary statutes folder from the bodies of sil
2010 arts. 1-5 and 10 (so its wording is statute wording), rearranged as an
amendment would: version B inserts an article at 2 (every later number moves
up by one) and changes the words of the old art. 4; version C changes only
punctuation in one article. It is a test instrument, not law.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from socins_cli.law.diff import diff_versions, match_articles
from socins_cli.errors import NotInForceError
from socins_cli.law.history import article_history
from socins_cli.law.load import load_law
from socins_cli.law.validate import article_hash, validate

NUMERALS = "一二三四五六七八九十"


def _body(law, number: str) -> list[str]:
    art = law.version("sil", "2010").article(number)
    first = art.paragraphs[0][len(art.label):].lstrip()
    return [first, *art.paragraphs[1:]]


def _articles(bodies: list[list[str]]) -> str:
    out = []
    for i, body in enumerate(bodies, start=1):
        label = f"第{NUMERALS[i - 1]}条"
        paragraphs = [f"{label} {body[0]}", *body[1:]]
        lines = ",\n  ".join('"' + p + '"' for p in paragraphs)
        out.append(f'[[version.article]]\nnumber = "{i}"\nlabel = "{label}"\nparagraphs = [\n  {lines},\n]\n'
                   f'sha256 = "{article_hash(paragraphs)}"\n')
    return "\n".join(out)


@pytest.fixture(scope="module")
def renumbered(law, tmp_path_factory) -> Path:
    b = {n: _body(law, n) for n in ("1", "2", "3", "4", "5", "10")}
    old4_amended = [b["4"][0].replace("用人单位和个人", "用人单位和职工"), *b["4"][1:]]
    v2_bodies = [b["1"], b["10"], b["2"], b["3"], old4_amended, b["5"]]
    v3_bodies = [*v2_bodies]
    v3_bodies[3] = [v2_bodies[3][0].replace("，", ",", 1), *v2_bodies[3][1:]]
    versions = [("a", "2001-01-01", "2005-01-01", [b["1"], b["2"], b["3"], b["4"], b["5"]]),
                ("b", "2005-01-01", "2010-01-01", v2_bodies),
                ("c", "2010-01-01", None, v3_bodies)]
    text = ('[instrument]\nid = "renum"\ntitle_zh = "测试用重新编号文件"\ntitle_en = "Renumbering fixture"\n'
            'kind = "law"\nissuer = "test"\n')
    for vid, effective, repealed, bodies in versions:
        text += (f'\n[[version]]\nid = "{vid}"\neffective = {effective}\n' + (f"repealed = {repealed}\n" if repealed else "")
                 + 'completeness = "whole"\nconfidence = "high"\nsource = "test fixture"\n\n' + _articles(bodies))
    root = tmp_path_factory.mktemp("renum") / "statutes"
    root.mkdir()
    (root / "renum.toml").write_text(text, encoding="utf-8")
    partial = ('[instrument]\nid = "partial"\ntitle_zh = "测试用部分文本"\ntitle_en = "Partial fixture"\nkind = "law"\n'
               'issuer = "test"\n\n[[version]]\nid = "a"\neffective = 2001-01-01\nrepealed = 2005-01-01\n'
               'completeness = "partial"\ncompleteness_note = "arts. 1-2 only"\nconfidence = "high"\nsource = "test"\n\n'
               + _articles([b["1"], b["2"]])
               + '\n[[version]]\nid = "b"\neffective = 2005-01-01\ncompleteness = "whole"\nconfidence = "high"\n'
               'source = "test"\n\n' + _articles([b["1"], b["2"], b["3"]]))
    (root / "partial.toml").write_text(partial, encoding="utf-8")
    removal = ('[instrument]\nid = "removal"\ntitle_zh = "测试用删除条文"\ntitle_en = "Removal fixture"\nkind = "law"\n'
               'issuer = "test"\n')
    for vid, effective, repealed, bodies in (("x", "2001-01-01", "2005-01-01", [b["1"], b["2"], b["3"]]),
                                             ("y", "2005-01-01", "2010-01-01", [b["1"], b["3"]]),
                                             ("z", "2010-01-01", None, [b["1"], b["3"], b["10"]])):
        removal += (f'\n[[version]]\nid = "{vid}"\neffective = {effective}\n' + (f"repealed = {repealed}\n" if repealed else "")
                    + 'completeness = "whole"\nconfidence = "high"\nsource = "test"\n\n' + _articles(bodies))
    (root / "removal.toml").write_text(removal, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fixture_law(renumbered):
    """The fixture's instruments alone: no rules, so no command could answer from it, but its texts load."""
    return load_law(renumbered, use_cache=False, checked=False)


def test_fixture_is_valid_statutes_data(renumbered):
    _, problems = validate(renumbered)
    assert [p for p in problems if p.startswith(("renum.toml", "partial.toml", "removal.toml"))] == []


def test_diff_a_b_reports_insertion_and_renumbering_not_modifications(fixture_law):
    changes = diff_versions(fixture_law, "renum", "a", "b")["changes"]
    summary = [(c["article"], c["kind"], c.get("article_after"), c["substantive"]) for c in changes]
    assert summary == [
        ("2", "renumbered", "3", False),
        ("3", "renumbered", "4", False),
        ("4", "renumbered", "5", True),
        ("5", "renumbered", "6", False),
        ("2", "added", None, True),
    ]


def test_diff_substantive_keeps_the_insertion_and_the_amended_article(fixture_law):
    changes = diff_versions(fixture_law, "renum", "a", "b", substantive_only=True)["changes"]
    assert [(c["article"], c["kind"]) for c in changes] == [("4", "renumbered"), ("2", "added")]


def test_diff_a_c_across_three_versions_by_dates(fixture_law):
    result = diff_versions(fixture_law, "RENUM", "2003-06-01", "2020-01-01")
    assert (result["instrument"], result["from"], result["to"]) == ("renum", "a", "c")
    kinds = {(c["article"], c["kind"]) for c in result["changes"]}
    assert ("3", "renumbered") in kinds and ("2", "added") in kinds


def test_diff_b_c_punctuation_only(fixture_law):
    changes = diff_versions(fixture_law, "renum", "b", "c")["changes"]
    assert [(c["article"], c["kind"], c["substantive"]) for c in changes] == [("4", "modified", False)]


def test_match_articles_pairs_same_numbers_when_nothing_moves(law):
    pairs = match_articles(law.version("sil", "2010"), law.version("sil", "2018"))
    assert all(a is not None and b is not None and a.number == b.number for a, b in pairs)
    assert len(pairs) == 98


def test_history_follows_an_article_across_renumbering(fixture_law):
    h = article_history(fixture_law, "renum", "5", as_of=dt.date(2020, 1, 1))
    rows = [(r["version"], r["article"], r["change"], r["substantive"]) for r in h["versions"]]
    assert rows == [("a", "4", "earliest", False), ("b", "5", "renumbered", True), ("c", "5", "unchanged", False)]
    assert h["versions"][1]["renumbered_from"] == "4"
    assert h["changed_in"] == ["b"] and h["substantive_in"] == ["b"]


def test_history_of_an_inserted_article_starts_where_it_was_added(fixture_law):
    h = article_history(fixture_law, "renum", "2", as_of=dt.date(2020, 1, 1))
    assert [(r["version"], r["change"]) for r in h["versions"]] == [("a", "absent"), ("b", "added"), ("c", "unchanged")]


def test_history_of_an_article_no_version_holds_exits_2(fixture_law):
    with pytest.raises(NotInForceError):
        article_history(fixture_law, "renum", "99")


def test_diff_from_a_partial_text_does_not_establish_additions(fixture_law):
    result = diff_versions(fixture_law, "partial", "a", "b")
    assert [(c["article"], c["kind"], c.get("established")) for c in result["changes"]] == [("3", "added", False)]
    assert "partial" in result["warnings"][0] and "'added' is not established" in result["warnings"][0]


def test_history_skips_a_partial_text_that_lacks_the_article(fixture_law):
    h = article_history(fixture_law, "partial", "3")
    # a holds only part of its text: whether b added art. 3 or changed it cannot be told
    assert [(r["version"], r["change"]) for r in h["versions"]] == [("a", "not-held"), ("b", "unknown")]
    assert h["changed_in"] == [] and h["unknown_in"] == ["b"]


def test_history_agrees_with_diff_for_every_sil_article(law):
    """Property: an article's history marks 2018 changed exactly when diff 2010→2018 lists it, as substantively."""
    changed = {c["article"]: c["substantive"] for c in diff_versions(law, "sil", "2010", "2018")["changes"]}
    for art in law.version("sil", "2018").articles:
        latest = article_history(law, "sil", art.number)["versions"][-1]
        assert latest["changed"] == (art.number in changed), art.number
        assert latest["substantive"] == changed.get(art.number, False), art.number


def test_diff_is_symmetric_in_what_it_pairs(fixture_law, law):
    """Property: diff B→A pairs the same articles as A→B, with added and removed exchanged."""
    for f, inst, a, b in ((fixture_law, "renum", "a", "b"), (fixture_law, "renum", "a", "c"), (law, "sil", "2010", "2018")):
        forward = {(c["article"], c.get("article_after", c["article"])): c["kind"]
                   for c in diff_versions(f, inst, a, b)["changes"]}
        backward = {(c.get("article_after", c["article"]), c["article"]): c["kind"]
                    for c in diff_versions(f, inst, b, a)["changes"]}
        swap = {"added": "removed", "removed": "added"}
        assert {k: swap.get(v, v) for k, v in backward.items()} == forward


def test_history_of_a_removed_article_does_not_pick_up_its_number_reused(fixture_law):
    h = article_history(fixture_law, "removal", "2", as_of=dt.date(2003, 1, 1))
    assert [(r["version"], r["article"], r["change"]) for r in h["versions"]] == [
        ("x", "2", "earliest"), ("y", None, "removed"), ("z", None, "absent")]


def test_history_read_forward_from_an_early_version(fixture_law):
    h = article_history(fixture_law, "renum", "2", as_of=dt.date(2003, 1, 1))
    assert [(r["version"], r["article"], r["change"]) for r in h["versions"]] == [
        ("a", "2", "earliest"), ("b", "3", "renumbered"), ("c", "3", "unchanged")]


# -- tul 1992 -> 2001: articles moved out of order pair with themselves, not with their old numbers --------

TUL_1992_TO_2001_MOVED = {"16": "19", "18": "20", "19": "21", "20": "28", "22": "29"}


def test_diff_tul_1992_2001_pairs_articles_moved_out_of_order_by_their_text(law):
    """1992 art. 20 is 2001 art. 28 word for word; 16, 18, 19 and 22 moved and were reworded."""
    changes = diff_versions(law, "tul", "1992", "2001")["changes"]
    moved = {c["article"]: c.get("article_after") for c in changes if c["article"] in TUL_1992_TO_2001_MOVED
             and c["kind"] != "added"}
    assert moved == TUL_1992_TO_2001_MOVED
    added = {c["article"] for c in changes if c["kind"] == "added"}
    assert not added & set(TUL_1992_TO_2001_MOVED.values())
    art20 = next(c for c in changes if c["article"] == "20" and c["kind"] != "added")
    assert (art20["kind"], art20["substantive"]) == ("renumbered", False)


def test_history_tul_29_goes_back_to_1992_art_20(law):
    rows = article_history(law, "tul", "29", dt.date(2026, 6, 1))["versions"]
    assert [(r["version"], r["article"], r["change"]) for r in rows] == [
        ("1992", "20", "earliest"), ("2001", "28", "renumbered"), ("2009", "28", "unchanged"),
        ("2021", "29", "renumbered")]


# -- a renumbering that leaves the words alone says so, apart from one that also changes punctuation ------

def test_diff_marks_a_renumbering_that_leaves_the_text_unchanged(fixture_law):
    changes = diff_versions(fixture_law, "renum", "a", "b")["changes"]
    assert [(c["article"], c["kind"], c.get("text_changed")) for c in changes] == [
        ("2", "renumbered", False), ("3", "renumbered", False), ("4", "renumbered", True),
        ("5", "renumbered", False), ("2", "added", None)]
    # a -> c: old art. 3 is c's art. 4, whose punctuation c changed: renumbered and not unchanged
    across = {c["article"]: c for c in diff_versions(fixture_law, "renum", "a", "c")["changes"]}
    assert (across["3"]["text_changed"], across["3"]["substantive"]) == (True, False)


def test_history_rows_say_whether_a_renumbered_text_changed(law):
    rows = article_history(law, "tul", "29", dt.date(2026, 6, 1))["versions"]
    assert [(r["version"], r.get("text_changed")) for r in rows] == [
        ("1992", None), ("2001", False), ("2009", None), ("2021", False)]


def test_history_and_diff_tables_call_a_pure_renumbering_text_unchanged():
    from cli_helpers import run

    table = run("history", "tul", "29", "--as-of", "2026-06-01", "-f", "table").out
    assert "renumbered from art. 28, text unchanged" in table
    assert "punctuation/width only" not in table
    markdown = run("history", "tul", "29", "--as-of", "2026-06-01", "-f", "markdown").out
    assert "renumbered from art. 28, text unchanged" in markdown
    diff = run("diff", "tul", "2009", "2021", "-f", "table").out
    assert "art. 28 renumbered  (text unchanged)" in diff
    assert "| 28 | renumbered | no (text unchanged) |" in run("diff", "tul", "2009", "2021", "-f", "markdown").out


# -- the 2001 rewrite: a pair less than half alike is the likeliest match, not established ---------------

def test_tul_1992_art_7_is_only_most_like_2001_art_37_not_established(law):
    """1992 art. 7 (全民所有制和集体所有制企业事业单位的工会…参加本单位的民主管理) and 2001 art. 37 (本法第三十五条、
    第三十六条规定以外的其他企业、事业单位的工会委员会…) are of opposite scope, 41% alike: the pairing is reported as
    not established, where 1992 art. 20, moved word for word to art. 28, is established."""
    from cli_helpers import run

    result = diff_versions(law, "tul", "1992", "2001")
    changes = {c["article"]: c for c in result["changes"] if c["kind"] == "renumbered"}
    assert (changes["7"]["article_after"], changes["7"]["established"]) == ("37", False)
    assert changes["7"]["likeness"] < 0.5
    assert "established" not in changes["20"] and "likeness" not in changes["20"]
    # reworded, but their opening paragraphs carry over (工会帮助、指导职工…签订劳动合同): the same provisions
    assert not any("established" in changes[a] for a in ("16", "18", "19"))
    assert [a for a, c in changes.items() if c.get("established") is False] == ["7", "8"]
    assert any("art. 7 → 37" in w and "not established" in w for w in result["warnings"])
    assert "likeness" in run("diff", "tul", "1992", "2001", "-f", "csv").out.splitlines()[0]
    rows = article_history(law, "tul", "7", dt.date(2000, 1, 1))["versions"]
    assert [(r["version"], r["article"], r.get("established")) for r in rows][:2] == [
        ("1992", "7", None), ("2001", "37", False)]


def test_cite_since_2000_of_tul_art_7_says_where_it_went_is_not_established():
    from cli_helpers import run

    result = run("cite", "--file", "-", "--since", "2000-01-01", "--as-of", "2026-06-01", "-f", "json",
                 stdin="《工会法》第七条规定……\n《工会法》第二十条\n")
    art7, art20 = json.loads(result.out)["citations"]
    assert (art7["change"], art7["now_article"], art7["established"]) == ("renumbered", "38", False)
    assert "established" not in art20 and art20["now_article"] == "29"
    table = run("cite", "--file", "-", "--since", "2000-01-01", "--as-of", "2026-06-01", "-f", "table",
                stdin="《工会法》第七条规定……\n").out
    assert "where it went is not established" in " ".join(table.split())
