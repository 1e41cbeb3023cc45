"""Chinese citations read, found in a memo, and resolved on a date (socins_cli.law.citation, socins_cli.law.names)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_helpers import copy_statutes, run
from socins_cli.law.citation import (
    CitationNotFoundError,
    CitationReader,
    article_reference,
    change_since,
    check_text,
    chinese_number,
    resolve,
)
from socins_cli.errors import ExitCode, InputError
from socins_cli.law.load import load_law
from socins_cli.law.names import name_key
from socins_cli.law.validate import validate

JUNE_2026 = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def reader(law):
    return CitationReader(law)


def to_chinese(n: int) -> str:
    """The way statutes write article numbers: 十, 十二, 二十, 一百零五, 一百二十."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + digits[rest // 10] + "十" + (digits[rest % 10] if rest % 10 else "")


@pytest.mark.parametrize("text,number", [
    ("十", 10), ("十二", 12), ("二十", 20), ("九十八", 98), ("一百", 100), ("一百零五", 105),
    ("一百二十", 120), ("一千零一", 1001), ("两百", 200), ("64", 64),
])
def test_chinese_numerals(text, number):
    assert chinese_number(text) == number


@given(st.integers(min_value=1, max_value=999))
def test_chinese_numerals_round_trip(n):
    assert chinese_number(to_chinese(n)) == n


@pytest.mark.parametrize("text", ["一一", "十十", "二零", "一百零", "九九", "百百", "一千千", "零一", "一百一十十"])
def test_malformed_chinese_numerals_are_refused_not_read_as_another_number(text):
    with pytest.raises(ValueError):
        chinese_number(text)


@pytest.mark.parametrize("text,number", [("一十", 10), ("一百十", 110), ("一千零一十", 1010), ("〇", 0), ("两千", 2000)])
def test_chinese_numerals_in_their_other_written_forms(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["社会保险法第一一条", "社会保险法第十十条", "社会保险法第十条第二二款"])
def test_sil_citation_with_a_malformed_numeral_is_bad_input_not_art_1_or_20(reader, text):
    """第一一条 once resolved to art. 1 and 第十十条 to art. 20, exit 0: a typo cited another article."""
    with pytest.raises(InputError) as err:
        reader.parse(text)
    assert err.value.exit_code == ExitCode.BAD_INPUT and err.value.value == text


def test_sil10_para0_is_bad_input_as_paragraphs_are_numbered_from_1(reader):
    with pytest.raises(InputError) as err:
        reader.parse("社会保险法第十条第零款")
    assert err.value.exit_code == ExitCode.BAD_INPUT and "numbered from 1" in err.value.allowed


def test_a_memo_citation_with_a_malformed_numeral_is_reported_and_the_others_still_read(law):
    records = list(check_text(law, "《社会保险法》第十条、第十十条和劳动法第一一条。社会保险法第十一条", JUNE_2026))
    assert [(r["citation"], r["ok"]) for r in records] == [
        ("《社会保险法》第十条", True), ("第十十条", False), ("劳动法第一一条", False), ("社会保险法第十一条", True)]
    assert "十十 is not a number" in records[1]["problem"]


@pytest.mark.parametrize("text,expected", [
    ("社会保险法第十条第二款", ("sil", "10", 2, None, None)),
    ("《社会保险法》第十条第二款", ("sil", "10", 2, None, None)),
    ("中华人民共和国社会保险法第10条", ("sil", "10", None, None, None)),
    ("《中华人民共和国社会保险法》第六十四条第一款", ("sil", "64", 1, None, None)),
    ("《社会保险法》的第六十四条", ("sil", "64", None, None, None)),
    ("社会保险法 第 64 条", ("sil", "64", None, None, None)),
    ("社会保险法第６４条", ("sil", "64", None, None, None)),  # full-width digits
    ("sil 第十条", ("sil", "10", None, None, None)),
    ("SIL第10条第2款", ("sil", "10", 2, None, None)),
    ("工伤保险条例第十四条第（一）项", ("wiir", "14", None, 1, None)),
    ("工伤保险条例第十四条第一项", ("wiir", "14", None, 1, None)),
    ("失业保险条例第五条", ("uir", "5", None, None, None)),
    ("工会法第三条", ("tul", "3", None, None, None)),
    ("《实施〈社会保险法〉若干规定》第九条", ("sil-provisions-2011", "9", None, None, None)),
    ("社会保险法（2010年原文）第六十四条", ("sil", "64", None, None, "2010")),
    ("《中华人民共和国社会保险法（2018年修正）》第六十四条", ("sil", "64", None, None, "2018")),
    ("社会保险法第一百二十条", ("sil", "120", None, None, None)),
    ("社会保险法第十条之一", ("sil", "10之1", None, None, None)),
])
def test_parse_citation_forms(reader, text, expected):
    c = reader.parse(text)
    assert (c.instrument, c.article, c.paragraph, c.item, c.version) == expected


@pytest.mark.parametrize("text", [
    "", "社会保险法", "第十条", "社会福利法第一条", "社会保险法第十条其他", "社会保险法第二款", "sil10x",
])
def test_unreadable_citation_is_bad_input(reader, text):
    with pytest.raises(InputError) as err:
        reader.parse(text)
    assert err.value.exit_code == ExitCode.BAD_INPUT


def test_pinned_year_no_version_has_does_not_resolve(reader):
    with pytest.raises(CitationNotFoundError):
        reader.parse("社会保险法（2014年修正）第十条")


def test_sil10_para2_on_2026_06_01_is_the_2018_text(law, reader):
    r = resolve(law, reader.parse("社会保险法第十条第二款"), JUNE_2026)
    assert (r["instrument"], r["version"], r["article"], r["paragraph"]) == ("sil", "2018", "10", 2)
    assert r["cited_text"] == law.version("sil", "2018").article("10").paragraph_lines(2)[0]
    assert r["cited_text"].startswith("无雇工的个体工商户")


def test_sil64_as_of_2015_is_the_2010_text(law, reader):
    r = resolve(law, reader.parse("社会保险法第六十四条"), dt.date(2015, 1, 1))
    assert r["version"] == "2010" and r["in_force"]["to"] == "2018-12-28"


def test_sil120_does_not_exist_exit_1_naming_no_version(law, reader):
    with pytest.raises(CitationNotFoundError) as err:
        resolve(law, reader.parse("社会保险法第一百二十条"), JUNE_2026)
    assert err.value.exit_code == ExitCode.NOT_FOUND
    assert "no version holds article 120" in str(err.value)


def test_sil10_para4_does_not_exist(law, reader):
    with pytest.raises(CitationNotFoundError) as err:
        resolve(law, reader.parse("社会保险法第十条第四款"), JUNE_2026)
    assert "3 paragraphs" in str(err.value)


def test_sil_before_2011_07_01_is_not_in_force(law, reader):
    with pytest.raises(CitationNotFoundError) as err:
        resolve(law, reader.parse("社会保险法第十条"), dt.date(2011, 6, 30))
    assert "not in force on 2011-06-30" in str(err.value) and "2011-07-01" in str(err.value)


def test_wiir14_item1_is_its_first_item(law, reader):
    r = resolve(law, reader.parse("工伤保险条例第十四条第（一）项"), JUNE_2026)
    assert r["item"] == 1 and r["cited_text"].startswith("(一)在工作时间和工作场所内")


def test_wiir14_item8_does_not_exist(law, reader):
    with pytest.raises(CitationNotFoundError):
        resolve(law, reader.parse("工伤保险条例第十四条第八项"), JUNE_2026)


def test_pinned_2010_citation_resolves_to_2010_on_any_date(law, reader):
    r = resolve(law, reader.parse("社会保险法（2010年原文）第六十四条"), JUNE_2026)
    assert r["version"] == "2010" and r["pinned"] is True


@pytest.mark.parametrize("text,version", [
    ("社会保险法(2010)第六十四条", "2010"),  # 年 left out, as notes often write it
    ("《社会保险法》（2018修正）第六十四条", "2018"),
    ("社会保险法（2018年12月29日修正）第六十四条", "2018"),
])
def test_a_version_pinned_without_年_resolves_as_with_it(law, reader, text, version):
    r = resolve(law, reader.parse(text), JUNE_2026)
    assert (r["version"], r["article"], r["pinned"]) == (version, "64", True)


@pytest.mark.parametrize("text,instrument,version,article", [
    # the amendment's full date and its ordinal, as the consolidated text's own heading gives them
    ("《中华人民共和国劳动法》（2018年12月29日第二次修正）第七十二条", "ll", "2018", "72"),
    ("《中华人民共和国劳动法》（2009年8月27日第一次修正）第九十二条", "ll", "2009", "92"),
    ("《中华人民共和国工会法》（2021年12月24日第三次修正）第二条", "tul", "2021", "2"),
])
def test_a_pin_with_the_amendments_full_date_and_ordinal_is_read_alone_and_in_a_memo(law, reader, text, instrument,
                                                                                    version, article):
    r = resolve(law, reader.parse(text), JUNE_2026)
    assert (r["instrument"], r["version"], r["article"], r["pinned"]) == (instrument, version, article, True)
    # in a memo it had been dropped without a word: the name read alone, its 第N条 cut off by the bracket
    found = [c for _, _, c in reader.find(f"依据{text}之规定。")]
    assert [(c.instrument, c.version, c.article) for c in found] == [(instrument, version, article)]


@pytest.mark.parametrize("text,rest", [
    ("劳动合同法第三十八条第一款第三项规定", "规定"),
    ("社会保险法第十条第二款的规定", "的规定"),
    ("社会保险法第十条第二款。", "。"),
])
def test_words_after_one_citation_are_named_in_the_error_not_blamed_on_the_instruments_name(reader, text, rest):
    with pytest.raises(InputError) as caught:
        reader.parse(text)
    message = str(caught.value)
    assert f"「{rest}」 after it is no part of a citation" in message and "title or short name" not in message
    with pytest.raises(InputError):
        reader.parse("社会保险法(20101)第十条")  # five digits are no year


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_article_of_every_version_resolves_from_its_chinese_citation(law, reader, data):
    """Property: for any instrument and numbered article, 《TITLE》第N条 on a day its version is in force gives that article."""
    candidates = [(i, v, a) for i in law.instruments.values() if i.title_zh
                  for v in i.versions for a in v.articles if a.number.isdigit()
                  and len(law.names().get(name_key(i.title_zh), ())) == 1]
    assert {"sil", "tul", "wiir", "uir", "msl"} <= {i.id for i, _, _ in candidates}
    inst, version, art = data.draw(st.sampled_from(candidates))
    numeral = data.draw(st.sampled_from([to_chinese(int(art.number)), art.number]))
    r = resolve(law, reader.parse(f"《{inst.title_zh}》第{numeral}条"), version.effective)
    assert (r["instrument"], r["version"], r["article"], r["text"]) == (inst.id, version.id, art.number, art.text)


@pytest.mark.parametrize("text,expected", [
    ("64", ("64", None)), ("第六十四条", ("64", None)), ("第64条第一款", ("64", 1)),
    ("preamble", ("preamble", None)), ("2.1", ("2.1", None)),
])
def test_article_reference(text, expected):
    assert article_reference(text) == expected


# -- finding citations in a memo -------------------------------------------------------

MEMO = """# 备忘录

根据《中华人民共和国社会保险法》第十条第二款、第十二条，灵活就业人员可以参加基本养老保险。
《广东省工伤保险条例》第十条是地方性法规，不是国家的工伤保险条例。
另见《工伤保险条例》第十四条第（一）项和第十五条。
《社会保险法》第六十四条，民法典第五百条。
社会保险法（2010年原文）第六十四条第一款及第二款。
《劳动合同法实施条例》第三条与本备忘录无关。
社会保险法第一百二十条并不存在。
"""


def _found(reader, text):
    return [(line, c.label()) for line, _, c in reader.find(text)]


def test_memo_citations_are_found_with_their_lines(reader):
    assert _found(reader, MEMO) == [
        (3, "sil art. 10 para 2"),
        (3, "sil art. 12"),
        (5, "wiir art. 14 item 1"),
        (5, "wiir art. 15"),
        (6, "sil art. 64"),
        (7, "sil 2010 art. 64 para 1"),
        (7, "sil 2010 art. 64 para 2"),
        (9, "sil art. 120"),
    ]


@pytest.mark.parametrize("text,labels", [
    ("依照社会保险法第十条第二、三款的规定", ["sil art. 10 para 2", "sil art. 10 para 3"]),
    ("《工伤保险条例》第十四条第（一）、（二）、（三）项", ["wiir art. 14 item 1", "wiir art. 14 item 2",
                                                         "wiir art. 14 item 3"]),
    ("工伤保险条例第十四条第一、二项和第十五条", ["wiir art. 14 item 1", "wiir art. 14 item 2", "wiir art. 15"]),
    ("社会保险法第十条第二款、第三款", ["sil art. 10 para 2", "sil art. 10 para 3"]),
    ("《社会保险法》第十、十二条，第十四条", ["sil art. 10", "sil art. 12", "sil art. 14"]),
])
def test_a_list_of_paragraphs_or_items_written_once_cites_each(reader, text, labels):
    """第二、三款 is 第二款 and 第三款: each is checked (it used to be read as the whole article, the rest lost)."""
    assert [label for _, label in _found(reader, text)] == labels


@pytest.mark.parametrize("text,labels", [
    ("《工伤保险条例》第十四条规定了情形。该条例第十六条又规定了例外。", ["wiir art. 14", "wiir art. 16"]),
    ("社会保险法第十条。该法第十二条第二、三款。", ["sil art. 10", "sil art. 12 para 2", "sil art. 12 para 3"]),
    ("社会保险法第十条。上述法律第十二条。", ["sil art. 10", "sil art. 12"]),
    ("《社会保险法》第十条，《工伤保险条例》第二条，该法第三条。", ["sil art. 10", "wiir art. 2", "sil art. 3"]),
])
def test_an_instrument_named_again_as_该条例_or_该法_is_the_one_of_that_kind_named_last(reader, text, labels):
    """该条例第十六条 cites art. 16 of the 条例 named before it (it was skipped, unchecked)."""
    assert [label for _, label in _found(reader, text)] == labels


@pytest.mark.parametrize("text,labels", [
    ("根据《工伤保险条例》的规定，该条例第十六条不认定为工伤。", ["wiir art. 16"]),
    ("《社会保险法》规定，该法第十条第二款。", ["sil art. 10 para 2"]),
    ("《社会保险法》第十条，《工伤保险条例》规定，该条例第二条。", ["sil art. 10", "wiir art. 2"]),
])
def test_该条例_after_a_title_named_without_an_article_is_that_title(reader, text, labels):
    """根据《工伤保险条例》的规定，该条例第十六条: the 条例 is named, though with no article; it had been said
    that none was."""
    assert [label for _, label in _found(reader, text)] == labels


def test_该法_after_a_title_pinned_to_a_version_is_that_version_and_to_one_it_lacks_says_so(reader):
    (cited,) = [c for _, _, c in reader.find("《社会保险法》（2010年）规定，该法第十条。")]
    assert (cited.instrument, cited.version, cited.article) == ("sil", "2010", "10")
    (problem,) = [c for _, _, c in reader.find("《社会保险法》（1999年）规定，该法第十条。")]
    assert isinstance(problem, InputError) and "sil has no version of 1999" in problem.allowed


@pytest.mark.parametrize("text, expected", [
    # a name closed by brackets is of the kind before them: the draft is a 法, a version's title too
    ("《社会保险法》第十条。《医疗保障法（草案）》规定，该法第十二条。", ("msl-draft-2025", "12")),
    ("《劳动法》第三条。《社会保险法（2010年原文）》规定，该法第十条。", ("sil", "10")),
])
def test_该法_after_a_bracketed_name_is_that_instrument_not_a_law_named_before(reader, text, expected):
    cited = [c for _, _, c in reader.find(text)][-1]
    assert not isinstance(cited, InputError) and (cited.instrument, cited.article) == expected


def test_该法_after_a_named_law_whose_pin_fails_says_so_rather_than_citing_the_law_before(reader):
    """《社会保险法》（1999年）第十条 is a problem (no such version); 该法 after it cites nothing: it is not 劳动法's."""
    found = [c for _, _, c in reader.find("《劳动法》第三条。《社会保险法》（1999年）第十条，该法第十二条。")]
    assert isinstance(found[-1], InputError) and "sil has no version of 1999" in found[-1].allowed


@pytest.mark.parametrize("text, before", [
    ("根据《工伤保险条例》和《广东省工伤保险条例》，该条例第十条。", []),
    ("《工伤保险条例》第二条。《广东省工伤保险条例》规定，该条例第十条。", ["wiir art. 2"]),
    ("《工伤保险条例》第二条。广东省工伤保险条例第十条规定，该条例第十二条。", ["wiir art. 2"]),
    ("《社会保险法》第十条。《安全生产法》规定，该法第十条。", ["sil art. 10"]),
    ("《社会保险法》第十条与《民法典》第一千一百六十五条，该法第十二条。", ["sil art. 10"]),
    ("劳动争议司法解释（二）第十九条与劳动争议司法解释（一）第三十二条，该解释第二条另有规定。",
     ["spc-labour-ii art. 19"]),
])
def test_该条例_after_an_instrument_socins_does_not_hold_is_passed_over_as_a_citation_of_it_is(reader, text, before):
    """The 条例 named last is the province's (the 法 the Civil Code, the 解释 the first interpretation), which socins
    does not hold: 该条例 is neither read as the national instrument named before it (a wrong citation, ok) nor
    reported (the memo is right), as a citation of that instrument itself is passed over."""
    assert [label for _, label in _found(reader, text)] == before
    assert not any(isinstance(c, InputError) for _, _, c in reader.find(text))


@pytest.mark.parametrize("text,labels", [
    # 同法 is 该法: the law named last (it was not read, the provision left unchecked)
    ("《社会保险法》第十条。同法第十二条第二款另有规定。", ["sil art. 10", "sil art. 12 para 2"]),
    ("《工伤保险条例》第十四条，同条例第十六条。", ["wiir art. 14", "wiir art. 16"]),
    # 该条 / 同条: the article cited last; 该款: its paragraph
    ("社会保险法第十条规定了职工，该条第二款规定了灵活就业人员。", ["sil art. 10", "sil art. 10 para 2"]),
    ("《工伤保险条例》第十四条，同条第（一）、（二）项。", ["wiir art. 14", "wiir art. 14 item 1", "wiir art. 14 item 2"]),
    ("《社会保险法》第十条第二款。该款的第一项。", ["sil art. 10 para 2", "sil art. 10 para 2 item 1"]),
    ("《社会保险法》第十条，该条第二款至第三款。", ["sil art. 10", "sil art. 10 para 2", "sil art. 10 para 3"]),
    # a range's second end without its 第 is the range, not its first end alone
    ("《社会保险法》第十条至十二条。", ["sil art. 10", "sil art. 11", "sil art. 12"]),
    ("《社会保险法》第十条第一款至三款", ["sil art. 10 para 1", "sil art. 10 para 2", "sil art. 10 para 3"]),
    ("《工伤保险条例》第十四条第（一）项至（三）项", ["wiir art. 14 item 1", "wiir art. 14 item 2",
                                                     "wiir art. 14 item 3"]),
    # a span written once
    ("《社会保险法》第十至十二条", ["sil art. 10", "sil art. 11", "sil art. 12"]),
    ("《社会保险法》第十条第二至三款", ["sil art. 10 para 2", "sil art. 10 para 3"]),
    ("《工伤保险条例》第十四条第（一）至（三）项", ["wiir art. 14 item 1", "wiir art. 14 item 2", "wiir art. 14 item 3"]),
])
def test_同法_该条_and_a_range_end_without_第_cite_what_they_name(reader, text, labels):
    assert [label for _, label in _found(reader, text)] == labels


@pytest.mark.parametrize("text, before", [
    # the Contract Law (合同法) is not held: its 同 is no 同法; nor is the 同 of 连同, 如同, 会同
    ("《社会保险法》第十条。合同法第五十二条规定了无效合同。", ["sil art. 10"]),
    ("《社会保险法》第十条，连同条例第五条一并适用。", ["sil art. 10"]),
    ("《社会保险法》第十条，会同法律顾问第二款意见。", ["sil art. 10"]),
    ("《社会保险法》第十条。《中华人民共和国合同法》第五十二条。", ["sil art. 10"]),
    # 该条 after an article of an instrument socins does not hold is that one's: passed over, not sil art. 10's
    ("《社会保险法》第十条与《民法典》第一千一百六十五条，该条第二款。", ["sil art. 10"]),
    ("《社会保险法》第十条与某省规章第五条，同条第二款。", ["sil art. 10"]),
])
def test_同法_and_该条_never_borrow_a_provision_another_instrument_stands_between(reader, text, before):
    assert [label for _, label in _found(reader, text)] == before
    assert not any(isinstance(c, InputError) for _, _, c in reader.find(text))


@pytest.mark.parametrize("text, says", [
    ("该条第二款规定。", "该条 refers to an article cited before it, and none is"),
    ("《社会保险法》第十条，该款第一项。", "该款 refers to the paragraph cited before it, and sil art. 10 names none"),
    ("《社会保险法》（1999年）第十条，该条第二款。", "which cites nothing: sil has no version of 1999"),
])
def test_该条_with_nothing_to_refer_to_is_reported_not_dropped(reader, text, says):
    found = [c for _, _, c in reader.find(text)]
    assert isinstance(found[-1], InputError) and says in found[-1].allowed


def test_a_name_inside_a_longer_title_names_nothing_for_该法(reader):
    """实施《社会保险法》若干规定 is another instrument's title: 该法 after it has no 法 to refer to."""
    found = [c for _, _, c in reader.find("实施《社会保险法》若干规定，该法第十条。")]
    assert len(found) == 1 and isinstance(found[0], InputError) and "named before it, and none is" in found[0].allowed


@pytest.mark.parametrize("text", ["社会保险法第十条。该条例第二条。", "该条例第十六条。"])
def test_an_anaphor_with_no_instrument_of_its_kind_before_it_is_reported_not_dropped(reader, text):
    found = [c for _, _, c in reader.find(text)]
    assert any(isinstance(c, InputError) and "refers to a 条例 named before it" in c.allowed for c in found)


def test_cite_of_a_paragraph_list_names_each_and_says_how_to_check_them(reader):
    with pytest.raises(InputError) as err:
        reader.parse("社会保险法第十条第二、三款")
    assert err.value.exit_code == ExitCode.BAD_INPUT
    assert "names 2 provisions" in err.value.allowed and "sil art. 10 para 3" in err.value.allowed
    with pytest.raises(InputError):
        article_reference("第十条第二、三款")  # show takes one paragraph


def test_a_bare_article_opening_a_new_clause_is_said_to_cite_no_instrument_not_dropped(reader):
    """《劳动合同法》第六十八条…；第七十二条第一款: the second names no instrument it can be read with; a
    pre-filing check says so (a problem record), as it does for 该法 with nothing named before."""
    for text in ("《社会保险法》第十条。第十二条另有规定。", "《劳动合同法》第六十八条规定了非全日制用工；第七十二条第一款规定小时计酬标准。"):
        found = list(reader.find(text))
        assert len(found) == 2 and isinstance(found[1][2], InputError), text
        assert "cites no instrument" in found[1][2].allowed


@pytest.mark.parametrize("text", [
    "《社会保险法》第十条，民法典第五百条。",             # another instrument named between
    "《社会保险法》第十条和《民法典》第五百条。",          # a title between
    "《社会保险法》第十条规定的人员，另见第十二条。",        # more than connectives between
])
def test_bare_article_is_not_attributed_across_other_words(reader, text):
    assert _found(reader, text) == [(1, "sil art. 10")]


@pytest.mark.parametrize("text", [
    "《广东省工伤保险条例》第十条", "广东省工伤保险条例第十条", "《劳动合同法实施条例》第三条",
    "《社会保险法实施细则》第三条", "《社会保险法第十条释义》",
])
def test_a_name_inside_a_longer_title_is_not_a_citation(reader, text):
    assert _found(reader, text) == []


def test_check_text_reports_resolution_and_changes_since(law):
    records = list(check_text(law, MEMO, JUNE_2026, since=dt.date(2015, 1, 1)))
    by_label = {r.get("label") or r["citation"]: r for r in records}
    assert by_label["sil 2018 art. 10 para 2"]["ok"] is True
    assert by_label["sil 2018 art. 10 para 2"]["change"] == "none"
    sil64 = by_label["sil 2018 art. 64"]
    assert sil64["changed"] is True and sil64["substantive"] is True and sil64["since_version"] == "2010"
    assert sil64["ok"] is False
    assert by_label["sil 2010 art. 64 para 1"]["change"] == "pinned"
    missing = [r for r in records if not r["resolved"]]
    assert [r["citation"] for r in missing] == ["社会保险法第一百二十条"]
    assert "no version holds article 120" in missing[0]["problem"]


def test_sil57_changed_since_2015_substantively_sil37_in_punctuation_only(law, reader):
    sil57 = change_since(law, reader.parse("社会保险法第五十七条第三款"), dt.date(2015, 1, 1), law.version("sil", "2018"))
    assert sil57["changed"] and sil57["substantive"] and sil57["article_changed"]
    sil64_2 = change_since(law, reader.parse("社会保险法第六十四条第二款"), dt.date(2015, 1, 1), law.version("sil", "2018"))
    assert (sil64_2["changed"], sil64_2["change"], sil64_2["article_changed"]) == (False, "none", True)
    sil37 = change_since(law, reader.parse("社会保险法第三十七条"), dt.date(2015, 1, 1), law.version("sil", "2018"))
    assert sil37["changed"] is True and sil37["substantive"] is False


# -- names from the data ------------------------------------------------------------------

def test_short_names_from_the_instrument_file_are_read(tmp_path):
    dest = copy_statutes(tmp_path)
    uir = dest / "uir.toml"
    text = uir.read_text(encoding="utf-8")
    uir.write_text(text.replace('title_zh = "失业保险条例"\n', 'title_zh = "失业保险条例"\nshort_names = ["失业条例"]\n', 1),
                   encoding="utf-8")
    law = load_law(dest, use_cache=False)
    assert law.instrument("失业条例").id == "uir"
    c = CitationReader(law).parse("《失业条例》第五条")
    assert (c.instrument, c.article) == ("uir", "5")


def test_a_name_two_instruments_share_names_neither(tmp_path):
    dest = copy_statutes(tmp_path)
    for name in ("uir.toml", "wiir.toml"):
        f = dest / name
        head, rest = f.read_text(encoding="utf-8").split("\n[[version]]", 1)
        f.write_text(head.replace("[instrument]\n", '[instrument]\nshort_names = ["保险条例"]\n', 1)
                     + "\n[[version]]" + rest, encoding="utf-8")
    law = load_law(dest, use_cache=False, checked=False)  # validate refuses it; the lookup must still say why
    with pytest.raises(InputError, match="more than one instrument: uir, wiir"):
        law.instrument("保险条例")
    records = list(check_text(law, "《保险条例》第五条", JUNE_2026))
    assert records[0]["resolved"] is False and "uir, wiir" in records[0]["problem"]
    _, problems = validate(dest)
    assert any('"保险条例": names more than one instrument (uir, wiir)' in p for p in problems)


def test_ids_in_any_case_and_titles_name_instruments(law):
    assert law.instrument("SIL").id == "sil"
    assert law.instrument("《中华人民共和国社会保险法》").id == "sil"
    assert law.instrument("社会保险法").id == "sil"
    assert law.instrument("中华人民共和国社会保险法（2018年修正）").id == "sil"
    with pytest.raises(InputError, match="Chinese title or short name"):
        law.instrument("社会福利法")


def test_spc_interpretation_ii_art19_is_cited_by_the_short_name_lawyers_use(law):
    """法释〔2025〕12号 is cited as 劳动争议司法解释（二）; its art. 19 is in force from 2025-09-01."""
    assert law.instrument("劳动争议司法解释（二）").id == "spc-labour-ii"
    found = run("cite", "劳动争议司法解释（二）第十九条", "--as-of", "2026-06-01", "--plain")
    assert found.code == 0 and found.out.startswith("第十九条 用人单位与劳动者约定或者劳动者向用人单位承诺无需缴纳社会保险费的")
    assert run("cite", "劳动争议司法解释（二）第十九条", "--as-of", "2025-08-31").code == 1


@pytest.mark.parametrize("text, label", [
    ("《社会保险法》（2010年原文）第十条", "sil 2010 art. 10"),
    ("见《社会保险法》（2018年修正）第六十四条第一款。", "sil 2018 art. 64 para 1"),
    ("《中华人民共和国劳动合同法》（2012年修正）第五十七条", "lcl 2012 art. 57"),
])
def test_a_memo_citation_pinned_by_a_bracket_after_the_title_quotes_is_found(reader, text, label):
    """The version's bracket outside 《》 is how such citations are usually written: skipping them hid them."""
    assert _found(reader, text) == [(1, label)]


def test_a_bracket_after_a_longer_title_does_not_make_it_the_national_instrument(reader):
    assert _found(reader, "《广东省社会保险法》（2018年修正）第十条") == []


@pytest.mark.parametrize("text", ["《社会保险法》第十条至（十二）条。", "《社会保险法》第十条第一款至（二）款。"])
def test_a_range_end_in_brackets_is_read_as_far_as_it_goes_never_a_crash(reader, text):
    """至（十二）条 had raised AttributeError (a traceback, exit 1): brackets stand around an item's number only."""
    found = [c for _, _, c in reader.find(text)]
    assert found and found[0].article == "10"
    with pytest.raises(InputError):
        reader.parse(text.rstrip("。"))


def test_an_item_past_the_paragraphs_items_names_how_many_it_has_in_words():
    """sil art. 10 para 2 lists no items (（一）...); lcl art. 38 para 1 lists six: the error says so plainly."""
    none = run("cite", "社会保险法第十条第二款第一项")
    assert none.code == 1 and none.err.strip().endswith("sil 2018 art. 10 para 2 has no items"), none.err
    six = run("cite", "劳动合同法第三十八条第一款第九项")
    assert six.code == 1 and six.err.strip().endswith("art. 38 para 1 has 6 items"), six.err


def test_a_paragraph_past_the_articles_is_counted_in_words():
    """sil art. 98 (本法自2011年7月1日起施行。) is one paragraph: the error says 1 paragraph, not 1 paragraph(s)."""
    r = run("cite", "社会保险法第九十八条第二款")
    assert r.code == 1 and "sil 2018 art. 98 has 1 paragraph; " in r.err, r.err
