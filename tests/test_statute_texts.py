"""Legal text of particular articles, read against the reference texts (never copied into the test)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from refparse import reference_parser

SIL_2010 = "social-insurance-law-2010.md"
SIL_2018 = "social-insurance-law-2018.md"
SIL_CHANGED = "social-insurance-law-2010-changed-articles.md"


def _ref_article(reference, file, number):
    return reference_parser.parse_file(reference / file).article(number)


def test_sil_2018_art10_para2_text(law, reference):
    expected = _ref_article(reference, SIL_2018, "10").paragraphs[1]
    cite = law.resolve("sil:10:2", dt.date(2024, 1, 1))
    assert (cite.version, cite.article, cite.paragraph) == ("2018", "10", 2)
    text = law.version("sil", cite.version).article("10").paragraphs[cite.paragraph - 1]
    assert text == expected
    # the paragraph that lets flexible workers join the employee pension scheme, paying alone
    assert "其他灵活就业人员可以参加基本养老保险" in text and "由个人缴纳基本养老保险费" in text


def test_sil_2010_art10_para2_text(law, reference):
    expected = _ref_article(reference, SIL_2010, "10").paragraphs[1]
    assert law.resolve("sil:10:2", dt.date(2015, 6, 1)).version == "2010"
    assert law.version("sil", "2010").article("10").paragraphs[1] == expected


def test_sil_2010_vs_2018_art57_para3_differs_in_regulator(law):
    old = law.version("sil", "2010").article("57").paragraphs[2]
    new = law.version("sil", "2018").article("57").paragraphs[2]
    assert old.startswith("工商行政管理部门") and new.startswith("市场监督管理部门")
    assert old.removeprefix("工商行政管理部门") == new.removeprefix("市场监督管理部门")
    assert law.resolve("sil:57:3", dt.date(2018, 12, 28)).version == "2010"
    assert law.resolve("sil:57:3", dt.date(2018, 12, 29)).version == "2018"


def _comparison_sections(path):
    """``### 第N条 第K款`` sections of the comparison file: {(N, K): {"2010": text, "2018": text}}."""
    sections: dict = {}
    key = expect = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        m = re.match(r"^### (第(.+)条) 第(\d+)款$", line)
        if m:
            key = (str(reference_parser.cn_to_int(m.group(2))), int(m.group(3)))
            sections[key] = {}
            continue
        if line.startswith("#"):
            key = None
            continue
        if key is None or not line.strip():
            continue
        if line.startswith("2010年文本"):
            expect = "2010"
        elif line.startswith("2018年修正文本"):
            expect = "2018"
        elif expect:
            sections[key][expect] = line
            expect = None
    return sections


def test_sil_2010_vs_2018_changed_articles_match_comparison_file(law, reference):
    """Arts. 57 para 3, 64 paras 1 and 3, 66 in both versions, as the comparison file gives them."""
    sections = _comparison_sections(reference / SIL_CHANGED)
    assert set(sections) == {("57", 3), ("64", 1), ("64", 3), ("66", 1)}
    for (number, para), texts in sections.items():
        assert set(texts) == {"2010", "2018"}, (number, para)
        for vid, text in texts.items():
            assert law.version("sil", vid).article(number).paragraphs[para - 1] == text, (vid, number, para)


def test_sil_2010_vs_2018_only_arts_57_64_66_differ_in_wording(law, reference):
    """Besides the articles the comparison file names, 2010 and 2018 differ only in the colons it lists."""
    changed = {n for n, _ in _comparison_sections(reference / SIL_CHANGED)}
    header = reference_parser.parse_file(reference / SIL_2010).header["format_note"]
    colon_list = re.search(r'half-width ":" in arts\. ([0-9, and]+)', header).group(1)
    colon_arts = set(re.findall(r"\d+", colon_list))
    old, new = law.version("sil", "2010"), law.version("sil", "2018")
    assert [a.number for a in old.articles] == [a.number for a in new.articles]

    def wording(text):
        return text.replace(":", "：").replace(",", "，")

    differ = {a.number for a, b in zip(old.articles, new.articles) if a.text != b.text}
    differ_in_wording = {a.number for a, b in zip(old.articles, new.articles) if wording(a.text) != wording(b.text)}
    assert differ_in_wording == changed
    assert differ - changed <= colon_arts


@pytest.mark.parametrize(
    "inst,vid,number",
    [("sil", "2010", "98"), ("msl", "2026", "56")],
    ids=["sil_2010_art98", "msl_2026_art56"],
)
def test_commencement_article_matches_version_effective(law, inst, vid, number):
    """本法自Y年M月D日起施行 gives the first day in force."""
    text = law.version(inst, vid).article(number).text
    m = re.search(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行", text)
    assert m, text
    assert law.version(inst, vid).effective == dt.date(*map(int, m.groups()))


def test_sil_2018_art98_keeps_the_2011_commencement_while_the_2018_text_starts_later(law):
    v = law.version("sil", "2018")
    assert "2011年7月1日" in v.article("98").text
    assert v.effective == law.version("sil", "2010").repealed
    assert v.date_certain is False and v.date_note


def test_wiir_2010_art67_keeps_the_original_date_while_order_586_puts_the_revision_in_force_2011_01_01(law):
    v = law.version("wiir", "2010")
    assert "2004年1月1日" in v.article("67").text
    assert v.effective == dt.date(2011, 1, 1) and "586" in v.date_note
    original = law.version("wiir", "2003")
    assert (original.effective, original.repealed) == (dt.date(2004, 1, 1), dt.date(2011, 1, 1))
    assert original.completeness == "summary-only" and not original.articles


def test_tul_2021_art58_commences_on_promulgation_of_1992_so_2021_date_is_from_metadata(law):
    v = law.version("tul", "2021")
    assert "本法自公布之日起施行" in v.article("58").text
    assert v.date_certain is False and "metadata" in v.date_note


def test_uir_1999_art33_in_force_on_promulgation(law):
    v = law.version("uir", "1999")
    assert "本条例自发布之日起施行" in v.article("33").text
    assert v.effective == dt.date(1999, 1, 22) and v.date_certain


def test_sil_2018_art30_list_items_are_paragraphs_of_the_article(law, reference):
    """（一）…（四） stay inside art. 30, each as its own line, before the article's second 款."""
    art = law.version("sil", "2018").article("30")
    assert art.paragraphs == _ref_article(reference, SIL_2018, "30").paragraphs
    assert [p[:3] for p in art.paragraphs[1:5]] == ["（一）", "（二）", "（三）", "（四）"]
    assert len(art.paragraphs) == 6


#: The versions whose amending decision the reference texts name (headers or INDEX), and that decision's
#: name as the reference writes it; tul 2021's amendment is dated there but its decision is not named.
AMENDED_BY = {
    ("ll", "2009"): ("全国人民代表大会常务委员会关于修改部分法律的决定", "2009-08-27"),
    ("ll", "2018"): ("关于修改〈中华人民共和国劳动法〉等七部法律的决定", "2018-12-29"),
    ("lcl", "2012"): ("关于修改〈中华人民共和国劳动合同法〉的决定", "2012-12-28"),
    ("tul", "2001"): ("关于修改〈中华人民共和国工会法〉的决定", "2001-10-27"),
    ("tul", "2009"): ("全国人民代表大会常务委员会关于修改部分法律的决定", "2009-08-27"),
}


def test_amending_decisions_of_the_labour_law_contract_law_and_trade_union_law(law):
    for inst in ("ll", "lcl", "tul"):
        for v in law.instrument(inst).versions:
            expected = AMENDED_BY.get((inst, v.id))
            got = (v.amended_by["title_zh"], v.amended_by.get("adopted")) if v.amended_by else None
            assert got == expected, (inst, v.id, got)


def test_every_amending_decision_is_named_as_the_reference_names_it(law, reference):
    """A decision's name is copied from the reference (the version's own file or INDEX), never made up."""
    index = (reference / "INDEX.md").read_text(encoding="utf-8")
    for inst, vid in AMENDED_BY:
        v = law.version(inst, vid)
        own = (reference / v.reference).read_text(encoding="utf-8")
        assert v.amended_by["title_zh"] in own + index, (inst, vid)
