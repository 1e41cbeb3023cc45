"""A citation may give the document number in brackets after the title, as lawyers cite an SPC interpretation or a
State Council regulation: 《……解释（二）》（法释〔2025〕12号）第十九条. It had exited 2 alone and, in a memo, been dropped
without a word. The number is checked against the ones recorded (the instrument's own, and the amending decision's,
which pins the version it made): a number that is neither is a problem, never ignored."""

from __future__ import annotations

import pytest

from socins_cli import api
from socins_cli.errors import InputError

SPC = "《最高人民法院关于审理劳动争议案件适用法律问题的解释（二）》"


@pytest.mark.parametrize("citation, expected", [
    (SPC + "（法释〔2025〕12号）第十九条", ("spc-labour-ii", "2025", "19")),
    ("《社会保险经办条例》（国务院令第765号）第六条", ("sihr", "2023", "6")),
    ("《社会保险经办条例》（国务院令第 765 号）第六条", ("sihr", "2023", "6")),
    # 国务院令第586号 made the 2010 text (wiir 2010 amended_by): it pins that version whatever the date
    ("《工伤保险条例》（国务院令第586号）第十四条", ("wiir", "2010", "14")),
])
def test_a_document_number_after_the_title_is_read(citation, expected):
    found = api.cite(citation=citation, as_of="2026-01-01")
    assert (found["instrument"], found["version"], found["article"]) == expected


def test_a_document_number_that_is_not_the_instruments_is_said_so():
    with pytest.raises(InputError) as err:
        api.cite(citation="《社会保险经办条例》（国务院令第766号）第六条", as_of="2026-01-01")
    assert err.value.field == "document_number" and "国务院令第765号" in err.value.allowed


def test_a_document_number_of_another_version_than_the_year_pinned_is_said_so():
    with pytest.raises(InputError) as err:
        api.cite(citation="《工伤保险条例》（2003年）（国务院令第586号）第二条", as_of="2026-01-01")
    assert "made version 2010 of wiir" in err.value.allowed


def test_a_memo_keeps_a_citation_with_a_document_number_and_flags_a_wrong_one():
    memo = (f"依据{SPC}（法释〔2025〕12号）第十九条第一款之规定，及《社会保险经办条例》（国务院令第766号）第六条。")
    rows = api.cite(memo=memo, as_of="2026-01-01")["citations"]
    assert len(rows) == 2
    assert rows[0]["ok"] and (rows[0]["instrument"], rows[0]["article"], rows[0].get("paragraph")) == ("spc-labour-ii", "19", 1)
    assert not rows[1]["ok"] and "国务院令第765号" in rows[1]["problem"]


@pytest.mark.parametrize("citation", ["《劳动合同法》第三十八条第一款（三）项", "劳动合同法第三十八条（三）项"])
def test_an_item_in_brackets_without_its_di_is_read(citation):
    """lcl art. 38 para 1 item (三) (未依法为劳动者缴纳社会保险费的), written （三）项 as lawyers also write it: it had exited 2
    alone, and a memo had silently cited the whole paragraph instead."""
    found = api.cite(citation=citation, as_of="2026-01-01")
    assert (found["instrument"], found["article"], found.get("paragraph"), found.get("item")) == ("lcl", "38", 1, 3)
    rows = api.cite(memo=f"依据{citation}，用人单位应当支付经济补偿。", as_of="2026-01-01")["citations"]
    assert [(r["article"], r.get("item"), r["ok"]) for r in rows] == [("38", 3, True)]


def test_show_of_a_citation_pinning_a_version_with_as_of_gives_the_pinned_text_and_says_so():
    """show 《工会法》（2021年修正）第二条 --as-of 2021-06-01 had said 'give either --version or --as-of, not both' of a
    --version never given; it now does what cite does: the pinned text, with the version in force that day named."""
    shown = api.show(instrument="《工会法》（2021年修正）第二条", as_of="2021-06-01")
    assert (shown["version"], shown["in_force_on_as_of"], shown["as_of_version"]) == ("2021", False, "2009")
    assert "the version the citation names" in shown["warning"]
    with pytest.raises(InputError):  # both given by the caller is still one too many
        api.show(instrument="tul", article="2", version="2021", as_of="2021-06-01")
