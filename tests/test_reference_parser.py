"""The reference-text parser on small texts laid out like the reference files."""

from __future__ import annotations

import pytest

from refparse import reference_parser as rp

SAMPLE = """---
title_zh: 某法
source:
  - first copy
  - second copy
completeness: whole (arts. 1-3)
confidence: medium-high — single mirror
---

Collector's notes (not statute text):
- a note that must stay outside every article

## 第一章 总 则

第一条 第一句， "引号" 与 \\ 原样。

第二款。

## 第二章 待遇

第二条 下列情形:

（一）甲；

(二)乙。

前款以外。

Collector's note: after the article.

第一百零三条 本法自2011年7月1日起施行。

附件：1. 对照表

出生时间 | 年龄

1965年1月 | 60岁1个月
"""


@pytest.mark.parametrize(
    "numeral,value",
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("九十八", 98), ("一百", 100),
     ("一百零三", 103), ("一百一十", 110), ("12", 12)],
)
def test_cn_to_int(numeral, value):
    assert rp.cn_to_int(numeral) == value


def test_header_values_and_lists():
    ref = rp.parse_text(SAMPLE)
    assert ref.header["title_zh"] == "某法"
    assert ref.header["source"] == ["first copy", "second copy"]
    assert rp.confidence_level(ref.header["confidence"]) == "medium-high"


def test_articles_paragraphs_and_chapters():
    ref = rp.parse_text(SAMPLE)
    assert ref.numbers() == ["1", "2", "103"]
    a1, a2, a103 = ref.articles
    assert a1.paragraphs == ('第一条 第一句， "引号" 与 \\ 原样。', "第二款。")
    assert a1.chapter == "第一章 总 则" and a1.label == "第一条"
    assert a2.paragraphs == ("第二条 下列情形:", "（一）甲；", "(二)乙。", "前款以外。")
    assert a2.chapter == "第二章 待遇"
    # a note between articles ends the article, not the chapter
    assert a103.label == "第一百零三条" and a103.chapter == "第二章 待遇"


def test_collectors_text_stays_outside_articles():
    ref = rp.parse_text(SAMPLE)
    loose = [text for _, text in ref.loose]
    assert "Collector's notes (not statute text):" in loose
    assert "Collector's note: after the article." in loose
    assert loose[-3:] == ["附件：1. 对照表", "出生时间 | 年龄", "1965年1月 | 60岁1个月"]
    assert ref.articles[-1].paragraphs == ("第一百零三条 本法自2011年7月1日起施行。",)
    assert not any("Collector" in p or p.startswith("- ") for a in ref.articles for p in a.paragraphs)


def test_table_row_ends_an_article():
    ref = rp.parse_text("第一条 甲。\n\n年份 | 年限\n\n2025年 | 15年\n")
    assert ref.articles[0].paragraphs == ("第一条 甲。",)
    assert [t for _, t in ref.loose] == ["年份 | 年限", "2025年 | 15年"]


def test_duplicate_article_numbers_are_an_error():
    ref = rp.parse_text("第一条 甲。\n\n第一条 乙。\n")
    with pytest.raises(ValueError, match="twice"):
        ref.by_number()


@pytest.mark.parametrize(
    "line,level",
    [("high — x", "high"), ("medium-high for quoted part", "medium-high"), ("low/medium", "low"),
     ("medium (facts agree)", "medium"), ("medium-low", "medium-low")],
)
def test_confidence_level(line, level):
    assert rp.confidence_level(line) == level


def test_contains_consecutive():
    assert rp.contains_consecutive(["a", "b", "c"], ["b", "c"])
    assert not rp.contains_consecutive(["a", "b", "c"], ["a", "c"])


def test_a_section_heading_keeps_its_chapter_and_names_the_section():
    """劳动合同法 第五章 特别规定 has 第一节…第三节 under it: its articles are in the chapter and the section."""
    text = ("---\ntitle_zh: 某法\nsource: s\ncompleteness: whole\nconfidence: high\n---\n\n"
            "## 第五章 特别规定\n\n### 第一节 集体合同\n\n第五十一条 甲。\n\n### 第二节 劳务派遣\n\n第五十七条 乙。\n\n"
            "## 第六章 监督检查\n\n第七十三条 丙。\n")
    ref = rp.parse_text(text)
    assert [(a.number, a.chapter, a.section) for a in ref.articles] == [
        ("51", "第五章 特别规定", "第一节 集体合同"), ("57", "第五章 特别规定", "第二节 劳务派遣"),
        ("73", "第六章 监督检查", None)]
