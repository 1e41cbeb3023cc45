"""Where a person's attributes are normalised: CLI options and batch rows alike.

Every engine takes a ``Person``; a bad attribute raises an ``InputError``
naming the field, the value and what is allowed, before any law is read.
"""

from __future__ import annotations

import datetime as _dt

import msgspec

from socins_cli.dates import Month, parse_date, today
from socins_cli.errors import InputError

CATEGORIES = ("employee", "civil-servant", "self-employed", "part-time", "flexible", "platform", "resident")
RELATIONS = ("labor", "incomplete", "civil")
SEXES = ("male", "female")
FEMALE_TRACKS = ("worker", "cadre")
INDUSTRIES = ("ride-hailing", "food-delivery", "instant-delivery", "intra-city-freight", "other")

#: Chinese labels accepted for categories (spreadsheets from Chinese users).
CATEGORY_LABELS = {
    "职工": "employee",
    "公务员": "civil-servant",
    "个体工商户": "self-employed",
    "无雇工的个体工商户": "self-employed",
    "非全日制从业人员": "part-time",
    "灵活就业人员": "flexible",
    "其他灵活就业人员": "flexible",
    "新就业形态劳动者": "platform",
    "平台劳动者": "platform",
    "城乡居民": "resident",
}
SEX_LABELS = {"男": "male", "女": "female", "m": "male", "f": "female"}
RELATION_LABELS = {"劳动关系": "labor", "不完全符合确立劳动关系情形": "incomplete", "民事关系": "civil"}
INDUSTRY_LABELS = {"出行": "ride-hailing", "网约车": "ride-hailing", "外卖": "food-delivery",
                   "即时配送": "instant-delivery", "同城货运": "intra-city-freight"}

#: Provincial-level divisions: pinyin id -> Chinese name.
PROVINCES = {
    "beijing": "北京", "tianjin": "天津", "hebei": "河北", "shanxi": "山西", "neimenggu": "内蒙古",
    "liaoning": "辽宁", "jilin": "吉林", "heilongjiang": "黑龙江", "shanghai": "上海", "jiangsu": "江苏",
    "zhejiang": "浙江", "anhui": "安徽", "fujian": "福建", "jiangxi": "江西", "shandong": "山东",
    "henan": "河南", "hubei": "湖北", "hunan": "湖南", "guangdong": "广东", "guangxi": "广西",
    "hainan": "海南", "chongqing": "重庆", "sichuan": "四川", "guizhou": "贵州", "yunnan": "云南",
    "xizang": "西藏", "shaanxi": "陕西", "gansu": "甘肃", "qinghai": "青海", "ningxia": "宁夏",
    "xinjiang": "新疆", "bingtuan": "新疆生产建设兵团",
}
_PROVINCE_BY_NAME = {name: pid for pid, name in PROVINCES.items()}
_PROVINCE_SUFFIXES = ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区",
                      "自治區", "壯族自治區", "回族自治區", "維吾爾自治區")  # and in traditional characters
#: The one-character abbreviations (简称) tables and plates use, the second forms (蜀, 黔, 滇, 秦, 陇) included.
_PROVINCE_ABBREVIATIONS = {
    "京": "beijing", "津": "tianjin", "冀": "hebei", "晋": "shanxi", "蒙": "neimenggu", "辽": "liaoning",
    "吉": "jilin", "黑": "heilongjiang", "沪": "shanghai", "苏": "jiangsu", "浙": "zhejiang", "皖": "anhui",
    "闽": "fujian", "赣": "jiangxi", "鲁": "shandong", "豫": "henan", "鄂": "hubei", "湘": "hunan",
    "粤": "guangdong", "桂": "guangxi", "琼": "hainan", "渝": "chongqing", "川": "sichuan", "蜀": "sichuan",
    "贵": "guizhou", "黔": "guizhou", "云": "yunnan", "滇": "yunnan", "藏": "xizang", "陕": "shaanxi",
    "秦": "shaanxi", "甘": "gansu", "陇": "gansu", "青": "qinghai", "宁": "ningxia", "新": "xinjiang",
}
#: Names written in traditional characters, where they differ (a table from Hong Kong or Taiwan, say).
_PROVINCE_TRADITIONAL = {
    "內蒙古": "neimenggu", "遼寧": "liaoning", "黑龍江": "heilongjiang", "江蘇": "jiangsu", "山東": "shandong",
    "廣東": "guangdong", "廣西": "guangxi", "重慶": "chongqing", "貴州": "guizhou", "雲南": "yunnan",
    "陝西": "shaanxi", "甘肅": "gansu", "寧夏": "ningxia", "新疆生產建設兵團": "bingtuan",
    "遼": "liaoning", "滬": "shanghai", "蘇": "jiangsu", "閩": "fujian", "贛": "jiangxi", "魯": "shandong",
    "粵": "guangdong", "瓊": "hainan", "貴": "guizhou", "雲": "yunnan", "陝": "shaanxi",
    "隴": "gansu", "寧": "ningxia",
}
_PROVINCE_BY_NAME.update({"内蒙古自治区": "neimenggu", "广西壮族自治区": "guangxi", "宁夏回族自治区": "ningxia",
                          "新疆维吾尔自治区": "xinjiang", "西藏自治区": "xizang", "兵团": "bingtuan",
                          "inner-mongolia": "neimenggu", "tibet": "xizang"})
_PROVINCE_BY_NAME.update(_PROVINCE_ABBREVIATIONS)
_PROVINCE_BY_NAME.update(_PROVINCE_TRADITIONAL)

#: The attribute names of the contract, in output order.
ATTRIBUTES = ("category", "relation", "sex", "birth", "female_track", "province", "industry",
              "platform", "employers", "income", "waiver", "as_of")


class Person(msgspec.Struct, frozen=True, gc=False):
    category: str | None = None
    relation: str | None = None
    sex: str | None = None
    birth: Month | None = None
    female_track: str | None = None
    province: str | None = None
    industry: str | None = None
    platform: str | None = None
    employers: int | None = None
    income: int | float | None = None  # monthly yuan: a reform overlay's rules may test it
    #: the employee agreed with the employer to forgo social insurance or take cash instead
    waiver: bool | None = None
    as_of: _dt.date | None = None

    def as_dict(self) -> dict:
        """The normalised input, JSON-ready, without unset attributes."""
        out = {}
        for key in ATTRIBUTES:  # not dataclasses.asdict: it would turn a Month into a dict
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, (Month, _dt.date)):
                value = str(value) if isinstance(value, Month) else value.isoformat()
            out[key] = value
        return out


def _choice(field: str, value, allowed: tuple[str, ...], labels: dict | None = None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text == "":
        return None
    key = text.lower()
    if key in allowed:
        return key
    if labels and text in labels:
        return labels[text]
    if labels and key in labels:
        return labels[key]
    raise InputError(field, value, "expected one of " + "|".join(allowed))


def normalise_province(value) -> str | None:
    """A pinyin id, a Chinese name (with or without 省/市/自治区; simplified or traditional) or its 简称, as the pinyin id."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if text.lower() in PROVINCES:
        return text.lower()
    if text in _PROVINCE_BY_NAME:
        return _PROVINCE_BY_NAME[text]
    for suffix in _PROVINCE_SUFFIXES:
        if text.endswith(suffix) and text[: -len(suffix)] in _PROVINCE_BY_NAME:
            return _PROVINCE_BY_NAME[text[: -len(suffix)]]
    raise InputError("province", value, "expected a pinyin id or Chinese name (or its 简称, 粤): " + ", ".join(PROVINCES))


def _birth(value) -> Month | None:
    return None if value in (None, "") else Month.parse(value, "birth")


def _as_of(value) -> _dt.date:
    return today() if value in (None, "") else parse_date(value, "as_of")


#: The most employers a person is taken to have: any count a rule tests is far below it, and a larger number
#: (2**64 and up) could not be written back in a JSON answer.
MOST_EMPLOYERS = 1_000_000


def _employers(value) -> int | None:
    if value in (None, ""):
        return None
    allowed = f"expected a whole number of employers, 0 to {MOST_EMPLOYERS:,}"
    if isinstance(value, bool):
        raise InputError("employers", value, allowed)
    try:
        employers = int(str(value).strip())
    except ValueError:
        try:  # 2.0: a whole number as a spreadsheet or pandas writes an integer column with gaps
            number = float(str(value).strip())
        except ValueError:
            raise InputError("employers", value, allowed) from None
        if not number.is_integer():
            raise InputError("employers", value, allowed) from None
        employers = int(number)
    if not 0 <= employers <= MOST_EMPLOYERS:
        raise InputError("employers", value, allowed)
    return employers


def _income(value) -> int | float | None:
    """Monthly income in yuan: a number, 0 or more (whole numbers stay whole, so echoes read 8000 not 8000.0)."""
    if value in (None, ""):
        return None
    allowed = "expected monthly income in yuan: a number, 0 or more"
    if isinstance(value, bool):
        raise InputError("income", value, allowed)
    try:
        number = float(str(value).strip())
    except ValueError:
        raise InputError("income", value, allowed) from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        raise InputError("income", value, allowed)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number
WAIVER_VALUES = {"true": True, "yes": True, "1": True, "是": True, "有": True,
                 "false": False, "no": False, "0": False, "否": False, "无": False}


def _waiver(value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "":
        return None
    if text not in WAIVER_VALUES:
        raise InputError("waiver", value, "expected true|false (also yes|no, 1|0, 是|否)")
    return WAIVER_VALUES[text]


#: Characters a name may not hold: controls (an escape colours a table), format characters (bidi overrides) and
#: line or paragraph separators.
_UNPRINTED = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _holds_unprinted(name: str) -> bool:
    import unicodedata  # only for a name that is not all printable (an ideographic space is not, and is allowed)

    return any(unicodedata.category(c) in _UNPRINTED for c in name)


def _platform(value) -> str | None:
    """The platform enterprise's name as given; a line break or control character (an escape that would colour
    a piped table) is bad input, as it is in a batch's CSV."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):  # a JSON list or object is no name
        raise InputError("platform", value, "expected a platform enterprise's name, as text")
    name = str(value).strip()
    if not name.isprintable() and _holds_unprinted(name):
        raise InputError("platform", value, "expected a name without line breaks or control characters")
    return name


_NORMALISERS = {
    "category": lambda value: _choice("category", value, CATEGORIES, CATEGORY_LABELS),
    "relation": lambda value: _choice("relation", value, RELATIONS, RELATION_LABELS),
    "sex": lambda value: _choice("sex", value, SEXES, SEX_LABELS),
    "female_track": lambda value: _choice("female_track", value, FEMALE_TRACKS, {"工人": "worker", "干部": "cadre"}),
    "industry": lambda value: _choice("industry", value, INDUSTRIES, INDUSTRY_LABELS),
    "province": normalise_province,
    "birth": _birth,
    "as_of": _as_of,
    "employers": _employers,
    "income": _income,
    "waiver": _waiver,
    "platform": _platform,
}
#: Categories that work for an employer by definition (CONTRACT: 职工 in a labour relation with a 用人单位; civil
#: servants with their organ): ``employers`` 0 contradicts them.
_EMPLOYED = ("employee", "civil-servant")
#: Categories with no employer: ``employers`` 1 or more, or a waiver (agreed with an employer), contradicts them.
_WITHOUT_EMPLOYER = {"self-employed": "无雇工的个体工商户 (their own business, no employer)",
                     "resident": "城乡居民 without employment"}


def relation_contradicts(category, relation) -> bool:
    """Whether the relation contradicts the category (normalised values): only platform workers have one, and must."""
    return (relation is not None and category != "platform") or (category == "platform" and relation is None)


def employers_contradict(category, relation, employers) -> bool:
    """Whether the number of employers contradicts the category (normalised values): none for a category
    that works for an employer, one or more for a category that has none."""
    if employers is None:
        return False
    if employers == 0:
        return category in _EMPLOYED or (category == "platform" and relation == "labor")
    return category in _WITHOUT_EMPLOYER


def waiver_contradicts(category, waiver, employers) -> bool:
    """Whether a waiver (an agreement with an employer) contradicts a category without one, or ``employers`` 0
    (normalised values)."""
    return bool(waiver) and (category in _WITHOUT_EMPLOYER or employers == 0)


#: The order ``make_person`` normalises in: with several bad fields, the first of these is reported.
NORMALISE_ORDER = tuple(_NORMALISERS)


def normalise_field(field: str, value):
    """One attribute as ``make_person`` normalises it (an InputError when it is not allowed).

    Cross-checks between attributes are ``make_person``'s alone; batch
    readers normalise each distinct value of a column once with this.
    """
    return _NORMALISERS[field](value)


def make_person(
    category=None,
    relation=None,
    sex=None,
    birth=None,
    female_track=None,
    province=None,
    industry=None,
    platform=None,
    employers=None,
    as_of=None,
    income=None,
    waiver=None,
    *,
    require_category: bool = False,
) -> Person:
    """Normalise and cross-check attributes; contradictions are InputErrors."""
    n = _NORMALISERS
    category = n["category"](category)
    relation = n["relation"](relation)
    sex = n["sex"](sex)
    female_track = n["female_track"](female_track)
    industry = n["industry"](industry)
    province = n["province"](province)
    birth_month = n["birth"](birth)
    as_of_date = n["as_of"](as_of)
    employers_n = n["employers"](employers)
    income_yuan = n["income"](income)
    waiver_given = n["waiver"](waiver)
    platform_name = n["platform"](platform)

    if require_category and category is None:
        raise InputError("category", None, "is required: " + "|".join(CATEGORIES))
    if relation_contradicts(category, relation):
        if relation is None:
            raise InputError("relation", None, "category platform needs relation labor|incomplete|civil")
        raise InputError("relation", relation, f"applies only to category platform, not {category}" if category
                         else "applies only to category platform: give --category platform (column category)")
    if female_track is not None and sex == "male":
        raise InputError("female_track", female_track, "applies only to sex female")
    if employers_contradict(category, relation, employers_n):
        if employers_n:
            raise InputError("employers", employers, f"must be 0 for category {category}, who has no employer; "
                                                     "leave it out for " + _WITHOUT_EMPLOYER[category])
        who = f"category {category}" + (" in a labour relation" if category == "platform" else "")
        raise InputError("employers", employers, f"must be 1 or more for {who}, who works for an employer "
                                                 "(用人单位); leave it out, or give another category")
    if waiver_contradicts(category, waiver_given, employers_n):
        if category not in _WITHOUT_EMPLOYER:
            raise InputError("waiver", waiver, "is an agreement with an employer, and employers is 0: "
                                               "leave one of them out")
        raise InputError("waiver", waiver, f"is an agreement with an employer, and category {category} has "
                                           "none; leave it out for " + _WITHOUT_EMPLOYER[category])
    if birth_month is not None and birth_month > Month.of(as_of_date):
        raise InputError("birth", str(birth_month), f"must not be after as_of {as_of_date.isoformat()}")
    return Person(
        category=category,
        relation=relation,
        sex=sex,
        birth=birth_month,
        female_track=female_track,
        province=province,
        industry=industry,
        platform=platform_name,
        employers=employers_n,
        income=income_yuan,
        waiver=waiver_given,
        as_of=as_of_date,
    )
