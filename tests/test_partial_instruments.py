"""The partial and summary-only instruments, read against their reference texts.

Summary-only versions hold facts, never articles; every article is cut out of
its reference verbatim; every fact's text is the reference's own words; and the
facts that rules read (pilot provinces, industries, platforms, dates) carry the
values the quoted texts give. Expected values are read from the references or
from the articles, not typed here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from refparse import reference_parser
from socins_cli.law.model import CONFIDENCE

PARTIAL = (
    "platform-guidance-2021",
    "oi-pilot-2025",
    "pension-1997",
    "pension-2005",
    "flexible-opinion-2020",
    "maternity-merger-2019",
    "rate-cut-2019",
    "sil-provisions-2011",
)
SUMMARY_ONLY = ("oi-pilot-2021", "hukou-2025", "ltc-pilot-2020", "msl-draft-2025")
ALL = PARTIAL + SUMMARY_ONLY
FACT_KINDS = {"quotation", "paraphrase", "summary"}
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _only_version(law, inst_id):
    versions = law.instrument(inst_id).versions
    assert len(versions) == 1, f"{inst_id}: expected one version"
    return versions[0]


def _reference(reference, version):
    return reference_parser.parse_file(reference / version.reference)


def _reference_text(reference, version) -> str:
    return (reference / version.reference).read_text(encoding="utf-8")


def _cn_date(text: str) -> dt.date:
    m = CN_DATE.search(text)
    assert m, text
    return dt.date(*map(int, m.groups()))


# -- shape ---------------------------------------------------------------------

@pytest.mark.parametrize("inst_id", SUMMARY_ONLY)
def test_summary_only_version_holds_facts_and_no_articles(inst_id, law):
    v = _only_version(law, inst_id)
    assert v.completeness == "summary-only"
    assert v.articles == ()
    assert v.facts, f"{inst_id}: a summary-only version needs at least one fact"


@pytest.mark.parametrize("inst_id", PARTIAL)
def test_partial_version_holds_articles(inst_id, law):
    v = _only_version(law, inst_id)
    assert v.completeness == "partial"
    assert v.articles


@pytest.mark.parametrize("inst_id", ALL)
def test_articles_are_cut_verbatim_from_the_reference(inst_id, law, reference):
    """The text occurs in the reference's non-blank lines; where a line's wrapping was left out, the note says so."""
    v = _only_version(law, inst_id)
    ref = _reference(reference, v)
    lines = ref.body_lines()
    joined = "\n".join(lines)
    for a in v.articles:
        assert a.text in joined, f"{inst_id} {a.number}: not in {v.reference}"
        if not reference_parser.contains_consecutive(lines, list(a.paragraphs)):
            assert (a.note or "").startswith("Extraction:"), f"{inst_id} {a.number}: partial line without an Extraction note"
        for p in a.paragraphs:
            assert not p.startswith('"') and not p.endswith('"') and "[…" not in p, f"{inst_id} {a.number}: wrapping kept"


@pytest.mark.parametrize("inst_id", ALL)
def test_fact_texts_are_the_references_words(inst_id, law, reference):
    v = _only_version(law, inst_id)
    text = _reference_text(reference, v)
    ids = [f.id for f in v.facts]
    assert len(ids) == len(set(ids)), f"{inst_id}: fact ids repeat"
    for f in v.facts:
        assert f.text in text, f"{inst_id}#{f.id}: text is not as {v.reference} gives it"
        assert f.kind in FACT_KINDS and f.confidence in CONFIDENCE and f.source, f"{inst_id}#{f.id}"


@pytest.mark.parametrize("inst_id", ALL)
def test_header_lines_copied_and_confidence_mapped(inst_id, law, reference):
    v = _only_version(law, inst_id)
    header = _reference(reference, v).header
    source = header["source"]
    assert v.source == ("\n".join(source) if isinstance(source, list) else source)
    assert v.completeness_note == header["completeness"]
    assert v.confidence_note == header["confidence"]
    assert v.confidence == reference_parser.confidence_level(header["confidence"])


@pytest.mark.parametrize("inst_id", ALL)
def test_dates_say_how_they_were_chosen(inst_id, law):
    v = _only_version(law, inst_id)
    if not v.date_certain:
        assert v.date_note, f"{inst_id}: an uncertain date needs a date_note"
    number = law.instrument(inst_id).document_number or ""
    year = re.search(r"〔(\d{4})〕", number)
    if year:  # never in force before the year its document number bears
        assert v.effective.year >= int(year.group(1)), inst_id


# -- 2021 occupational-injury pilot ----------------------------------------------

def test_oi_pilot_2021_pilot_provinces_fact_names_the_seven_provinces(law, reference):
    v = _only_version(law, "oi-pilot-2021")
    quoted = re.search(r"在([^在]+?)7个省份启动", _reference_text(reference, v)).group(1)
    provinces = quoted.split("、")
    assert len(provinces) == 7
    fact = v.fact("pilot-provinces").text
    assert all(p in fact for p in provinces), fact


def test_oi_pilot_2021_pilot_platforms_and_industries_facts(law, reference):
    v = _only_version(law, "oi-pilot-2021")
    text = _reference_text(reference, v)
    platforms = re.search(r"涵盖([^涵]+?)7家平台企业", text).group(1).split("、")
    assert len(platforms) == 7
    assert all(p in v.fact("pilot-platforms").text for p in platforms)
    industries = re.search(r"的(出行、[^的]+?)这些行业", text).group(1).split("、")
    assert v.fact("pilot-industries").text.split("、") == industries and len(industries) == 4


def test_oi_pilot_2021_in_force_from_the_reported_pilot_start(law, reference):
    v = _only_version(law, "oi-pilot-2021")
    start = _cn_date(v.fact("report-chinanews-2025").text)
    assert v.effective == start and start.isoformat() in v.fact("start-date").text
    assert v.date_certain is False and "2021-12" in v.date_note
    assert law.resolve("oi-pilot-2021#pilot-provinces", start - dt.timedelta(days=1)) is None
    assert law.resolve("oi-pilot-2021#pilot-provinces", start).fact == "pilot-provinces"


# -- 2025 expansion --------------------------------------------------------------

def _oi_2025_part1(law) -> str:
    return _only_version(law, "oi-pilot-2025").article("1").text


def test_oi_pilot_2025_part1_in_force_from_its_first_step(law):
    v = _only_version(law, "oi-pilot-2025")
    assert v.effective == _cn_date(_oi_2025_part1(law))
    assert law.resolve("oi-pilot-2025:1:2", v.effective).paragraph == 2


def test_oi_pilot_2025_part1_added_provinces_match_the_expansion_fact(law):
    added = re.search(r"增加([^增]+?)等10个省份", _oi_2025_part1(law)).group(1).split("、")
    assert len(added) == 10
    fact = _only_version(law, "oi-pilot-2025").fact("expansion-provinces-2025").text
    original = _only_version(law, "oi-pilot-2021").fact("pilot-provinces").text.split(" ")[0].split("、")
    assert all(p in fact for p in added + original), fact
    assert "17" in fact and len(set(added) | set(original)) == 17


def test_oi_pilot_2025_part1_added_platforms_and_industries_match_the_facts(law):
    text = _oi_2025_part1(law)
    m = re.search(r"出行行业的(\w+?)、即时配送行业的(\w+?)、同城货运行业的(\w+?)和(\w+?)等规模较大", text)
    v = _only_version(law, "oi-pilot-2025")
    platforms = v.fact("expansion-platforms-2025").text
    assert all(p in platforms for p in m.groups()) and "11 platforms" in platforms
    industries = re.search(r"将(\w+)、(\w+)和(\w+)三个行业", text).groups()
    assert "、".join(industries) in v.fact("industries-2025").text
    assert "合并为新的即时配送行业" in text
    assert "全国31个省份" in text and "31 provinces" in v.fact("rollout-2026").text


def test_oi_pilot_2025_who_pays_and_2027_step_carry_their_own_sources(law):
    v = _only_version(law, "oi-pilot-2025")
    pays = v.fact("who-pays")
    assert "平台企业" in pays.text and "缴纳职业伤害保障费" in pays.text
    assert "京人社工发〔2025〕8号" in pays.source and "not the national notice" in pays.source
    step = v.fact("step-2027-jiangsu")
    assert "2027年" in step.text and "苏人社发〔2025〕31号" in step.source
    assert "2027年" in _oi_2025_part1(law) and not _oi_2025_part1(law).endswith("。")  # cut short, not completed


# -- pensions --------------------------------------------------------------------

def test_pension_2005_part3_keeps_the_duplicated_he_of_the_only_full_copy(law, reference):
    v = _only_version(law, "pension-2005")
    art = v.article("3")
    assert "个体工商户和和灵活就业人员" in art.text and "和和" in art.note
    assert "个体工商户和和灵活就业人员" in _reference_text(reference, v)
    assert "缴费比例为20%,其中8%记入个人账户" in art.text


def test_pension_1997_passage_keeps_rates_account_and_benefit_paragraphs(law):
    art = _only_version(law, "pension-1997").article("passage")
    assert len(art.paragraphs) == 3
    assert "最终达到本人缴费工资的8%" in art.paragraphs[0]
    assert art.paragraphs[1].startswith("按本人缴费工资11%")
    assert "个人缴费年限累计满15年的,退休后按月发给基本养老金" in art.paragraphs[2]


# -- rate cut 2019 ---------------------------------------------------------------

def test_rate_cut_2019_part1_employer_pension_rate_may_fall_to_16_percent(law, reference):
    v = _only_version(law, "rate-cut-2019")
    assert "可降至16%" in _reference_text(reference, v)  # half-width % as delivered
    part1 = v.article("1").text
    assert "可降至16%" in part1 and "16％" not in part1
    assert v.effective == _cn_date(part1)
    assert v.adopted == _cn_date("\n".join(v.article("notice").paragraphs[-3:]))
    base = v.fact("flexible-base-60-300")
    assert base.kind == "paraphrase" and "60%到300%" in base.text


# -- medical, maternity, long-term care ------------------------------------------

def test_maternity_merger_2019_items_keep_traditional_characters(law):
    v = _only_version(law, "maternity-merger-2019")
    assert "參加職工基本醫療保險的在職職工同步參加生育保險" in v.article("item-1").text
    assert "参加职工基本医疗保险的在职职工同步参加生育保险" in v.fact("fx361-summary").text
    assert "個人不繳納生育保險費" in v.article("item-2").text


def test_maternity_merger_2019_item2_wording_doubt_is_visible_where_it_is_held(law):
    """The held (二) speaks of 試點期間 and lacks the summary's 统筹层次一致: the article says so, not silently."""
    v = _only_version(law, "maternity-merger-2019")
    item, summary = v.article("item-2"), v.fact("fx361-summary").text
    assert "試點期間" in item.text and "统筹层次一致" in summary and "統籌層次一致" not in item.text
    assert "Doubtful wording" in item.note and "試點期間" in item.note and "统筹层次一致" in item.note


def test_ltc_pilot_2020_points_to_msl_55_without_copying_it(law, reference):
    v = _only_version(law, "ltc-pilot-2020")
    art55 = next(ln for ln in _reference(reference, v).body_lines() if ln.startswith("第五十五条"))
    assert all(art55 not in f.text for f in v.facts)
    assert any("msl:55" in f.source for f in v.facts)
    if "msl" not in law.instruments:
        pytest.skip("instrument msl is not encoded yet")
    cite = law.resolve("msl:55", dt.date(2027, 1, 1))
    assert law.version("msl", cite.version).article("55").text == art55


def test_msl_draft_2025_was_never_law(law):
    inst = law.instrument("msl-draft-2025")
    v = _only_version(law, "msl-draft-2025")
    assert inst.kind == "draft" and "no legal force" in v.date_note
    assert v.repealed == dt.date(2026, 8, 28) and v.effective < v.repealed
    assert not v.in_force_on(v.repealed)
    if "msl" in law.instruments:
        adopted = {x.adopted for x in law.instrument("msl").versions if x.adopted}
        assert not adopted or v.repealed in adopted


# -- the rest --------------------------------------------------------------------

def test_platform_guidance_2021_date_conflict_recorded_and_later_date_kept(law, reference):
    v = _only_version(law, "platform-guidance-2021")
    reported = re.findall(r"(\d{4})年(\d{1,2})月", _reference(reference, v).header["date_adopted"])
    assert len(reported) >= 2
    for y, m in reported:
        assert f"{y}年{m}月" in v.date_note
    latest = max(dt.date(int(y), int(m), 1) for y, m in reported)
    assert v.effective >= latest and not v.date_certain


def test_flexible_opinion_2020_preamble_para2_holds_the_definition(law):
    v = _only_version(law, "flexible-opinion-2020")
    definition = re.search(r'"([^"]+)"', v.fact("definition-flexible-employment").text).group(1)
    assert v.article("preamble").paragraphs[1].startswith(definition)


def test_sil_provisions_2011_art9_each_employer_pays_work_injury_insurance(law):
    art = _only_version(law, "sil-provisions-2011").article("9")
    assert art.chapter == "第三章" and art.label == "第九条"
    assert "各用人单位应当分别为职工缴纳工伤保险费" in art.text


def test_hukou_2025_scope_conflict_kept_as_low_confidence_facts(law):
    v = _only_version(law, "hukou-2025")
    assert v.confidence == "low"
    assert "户籍限制" in v.fact("nhsa-notice-2025-fafayan").text
    assert "推动" in v.fact("scope-conflict").text
