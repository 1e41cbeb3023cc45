"""Chinese citations: 《中华人民共和国社会保险法》第十条第二款, read, found in a text, and resolved on a date.

A citation names an instrument (its full title, a short name such as
社会保险法, or, when read alone, its id), then 第N条 and optionally 第N款 and
第N项, in Chinese or Arabic numerals; title quotes 《》 are optional. A year
in brackets after the name (《社会保险法》（2018年修正）) pins a version.
Instrument names come from the data (``socins_cli.law.names``), never from here.

In a longer text (a memo), a bare 第N条 / 第N款 / 第N项 is read as citing
the instrument named just before only when nothing but connectives (、 和 及
与 或 至 以及 …) stands between them: 《社会保险法》第十条、第十二条 cites two
articles of that law, while 《社会保险法》第十条，民法典第五百条 cites one. A
range (第三条至第五条, 第（一）项至第（七）项; 至, 到, —, ～) cites what lies
between its ends too. A
name inside a longer title (《广东省工伤保险条例》, 《劳动合同法实施条例》) is not
a citation of the national instrument.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import unicodedata
from typing import NamedTuple

from socins_cli.errors import ExitCode, InputError, NotInForceError
from socins_cli.law.load import Law, describe_versions, unheld_caveat
from socins_cli.law.model import Article, Version
from socins_cli.law.names import STATE_NAME, TITLE_QUOTES, name_key

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"[0-9]+|[零〇一二两三四五六七八九十百千]+"
_CN_ORDINAL = "一二三四五六七八九十"



def _reference_patterns(group: str) -> tuple[str, str, str]:
    """第N条(之M), 第N款, 第N项, with each number in ``group`` — ``(`` to capture it, ``(?:`` not to.

    They run over width-folded text, so （ is ( and ２ is 2. Pattern strings
    are compiled on first use (``re`` caches them): ``show sil 10`` need not pay.
    """
    between = rf"(?:{_LIST_MARK}|{_SPAN_MARK})"
    article = rf"第\s*{group}{_NUM})(?:{between}(?:{_NUM}))*\s*条(?:\s*之\s*{group}[{_CN_ORDINAL}]+))?"
    # 第二、三款, 第十至十二条 and 第(一)、(二)项 name several; the group captures the first (``_ref_lists`` reads
    # them all)
    paragraph = rf"第\s*{group}{_NUM})(?:{between}(?:{_NUM}))*\s*款"
    # 第(三)项, 第三项, and (三)项 as lawyers also write it (the bracket stands for 第)
    item = rf"(?:第\s*\(?|\()\s*{group}{_NUM})\s*\)?(?:{between}\(?\s*(?:{_NUM})\s*\)?)*\s*项"
    return article, paragraph, item


#: Between the numbers of a list of paragraphs or items written once (第二、三款).
_LIST_MARK = r"\s*[、,]\s*"
#: Between the two ends of a span written once (第十至十二条): every number from the first to the last.
_SPAN_MARK = r"\s*[至到]\s*"


_ARTICLE, _PARAGRAPH, _ITEM = _reference_patterns("(")
_REF_PARTS = rf"(?:{_ARTICLE})?\s*(?:{_PARAGRAPH})?\s*(?:{_ITEM})?"
_A, _P, _I = _reference_patterns("(?:")
#: Any 第N条[第N款][第N项], 第N款[第N项] or 第N项, without groups (``_ref_parts`` reads it).
_REF = rf"(?:{_A}(?:\s*{_P})?(?:\s*{_I})?|{_P}(?:\s*{_I})?|{_I})"
_PIN = r"\(\s*(\d{4})\s*(?:年[^()]{0,16}|[^()\d年][^()]{0,7})?\)"  # （2018年修正）, （2010年）, and without 年: (2010), （2018修正）
#: A document number in brackets after a title: 《……解释（二）》（法释〔2025〕12号）, 《社会保险经办条例》（国务院令第765号）.
_DOCNO = r"\(\s*(?P<docno>[^()]{0,16}[〔\[]?\d{4}[〕\]]\s*\d+\s*号|[^()]{0,8}令\s*第?\s*\d+\s*号)\s*\)"

#: What a 同 ends that is no "the same" (合同法, the Contract Law, not held; 共同, 不同, 相同, 连同, 如同, 会同, 协同).
_NOT_SAME = "合共不相连如会协陪"
#: 该条例第十六条, 上述法律第五条, 同法第五条: the instrument named last, if its name ends with the kind named (条例,
#: 法 …).
_ANAPHOR = rf"(?:该|上述|(?<![{_NOT_SAME}])同)(?:法律|法|条例|办法|规定|解释|决定|意见|通知)"
#: 该条第二款, 同条第三款, 该款第一项: a paragraph or item of the article (or paragraph) cited last.
_SAME_PROVISION = rf"(?:该|(?<![{_NOT_SAME}])同)[条款]"
#: The key ``find`` keeps the article cited last under, beside the kinds of instrument named last.
_LAST_ARTICLE = "条"
#: The kinds of instrument an anaphor names (该条例 …), as their names end.
_KINDS = ("法", "条例", "办法", "规定", "解释", "决定", "意见", "通知")
#: Brackets that close a name: a version (社会保险法（2018年修正）) or a draft (医疗保障法（草案）), not its kind.
_TRAILING_BRACKETS = re.compile(r"(?:\s*[(（][^()（）]*[)）])+$")
#: A title in book-title marks, encoded or not (《广东省工伤保险条例》): it names an instrument of its kind.
_TITLE = re.compile(r"《([^《》\n]+)》")
#: An instrument of some kind cited by article (民法典第一千一百六十五条, 劳动争议司法解释（一）第三十二条), in
#: folded text: where no encoded name is read there, 该法 / 该解释 after it refers to an instrument socins does not hold.
_KIND_CITED = re.compile(r"(?:法典|法|条例|办法|规定|解释|决定|意见|通知)(?:\([^()]{1,12}\))*(?=第[^第条款项]{1,8}条)")
#: What 该法 / 该条例 refers to when the instrument named last is one socins does not hold: it cites nothing that
#: can be checked, and like a citation of that instrument is passed over, neither read as another nor reported.
_NOT_HELD = object()
#: What may stand between a citation and a bare 第N条 that cites the same instrument.
_CONNECTIVES = r"(?:[、,和及与或至到()~\-—–―]|以及|或者|的规定|规定)*"
#: In such a gap, makes the two a range (第三条至第五条): what lies between is cited too.
_RANGE_MARKS = r"[至到~\-—–―]"
#: The most provisions a range is read as naming; a longer one (a typo, most likely) is not expanded: it is one
#: problem record, saying so, and none of it is checked.
_RANGE_LIMIT = 200
#: Ends a sentence (after width folding): a bare 第N条 never reaches back across one.
_SENTENCE_END = r"[。!?;]|\n\s*\n"
#: A name right after one of these is part of a local instrument's title (广东省工伤保险条例).
_PLACE_SUFFIXES = frozenset("省市区县州盟旗")


def _name_unheld_before(unheld: list, m, named: dict) -> None:
    """Take the unheld instruments before match ``m`` as the last of their kinds (《广东省工伤保险条例》, 民法典第…条),
    and drop those within it (an encoded name's own end: 社会保险法第…条)."""
    while unheld and unheld[0][0] <= m.start():
        named.update(dict.fromkeys(unheld.pop(0)[1], _NOT_HELD))
    while unheld and unheld[0][0] <= m.end():
        unheld.pop(0)


def _kinds_of(name: str) -> list[str]:
    """The kinds (法, 条例 …) a name is of, read from its end once closing brackets are dropped (a 法典 is a 法)."""
    bare = _TRAILING_BRACKETS.sub("", name)
    return ["法"] if bare.endswith("法典") else [k for k in _KINDS if bare.endswith(k)]


class CitationNotFoundError(NotInForceError):
    """The citation reads well but what it cites does not exist in the version in force (exit 1)."""

    exit_code = ExitCode.NOT_FOUND


class RangeError(InputError):
    """A range that cannot be read as the provisions it names: its ends the wrong way round, or more of them than
    ``_RANGE_LIMIT``. ``first`` is its first end where that was cited apart before the range was seen: the range
    is then one problem, its ends not reported beside it."""

    def __init__(self, field: str, value: object, allowed: str, first=None):
        super().__init__(field, value, allowed)
        self.first = first


#: Why a range the wrong way round is not read.
_REVERSED = "a range runs from the lower number to the higher (第五十六条至第五十八条); not read, so nothing in it is checked"


def _range_problem(written: str, lo: int, hi: int, first=None) -> RangeError | None:
    """Why a range from ``lo`` to ``hi`` is not read as the provisions between them, or None where it is."""
    if hi < lo:
        return RangeError("citation", written, _REVERSED, first)
    if hi - lo + 1 > _RANGE_LIMIT:
        return RangeError("citation", written, f"a range of {hi - lo + 1} provisions is longer than the "
                                               f"{_RANGE_LIMIT} socins expands; not expanded, so nothing in it is "
                                               "checked: cite it in parts", first)
    return None


def chinese_number(text: str) -> int:
    """第一百二十条 → 120, 第10条 → 10: Arabic digits, or Chinese numerals below ten thousand.

    Only a numeral written as numbers are written is read: 一一, 十十 or 二零
    would otherwise silently become 1, 20 or 0 and cite another article, so
    they raise ValueError.
    """
    if text.isdigit():
        try:
            return int(text)
        except ValueError:  # ², or more digits than Python reads (4,300): named by its start, not Python's words
            raise ValueError(text if len(text) <= 20 else f"{text[:20]}…({len(text):,} digits)") from None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            raise ValueError(text)
    value = total + current
    written = re.sub(r"(^|[^一二三四五六七八九])十", r"\1一十", text.replace("〇", "零").replace("两", "二"))
    if written != _written_number(value):
        raise ValueError(text)
    return value


def _item_hint(item: int, paragraph: int | None, art) -> str:
    """项 read as an item that is not there: where the article has a paragraph of that number, say a paragraph is 款.

    Taiwan's usage names a paragraph 項 (第十條第二項), so the reader may have meant 第二款.
    """
    if paragraph is not None or item > art.paragraph_count:
        return ""
    number = _written_number(item)
    return f"; 项 (項) is an item, a paragraph is 款: 第{number[1:] if number.startswith('一十') else number}款?"


def _written_number(n: int) -> str:
    """``n`` (below ten thousand) as statutes write it, with 一十 for 十: 一百零五, 一千零一十, 一十二."""
    if n == 0:
        return "零"
    out, zero, started = "", False, False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit:
            out += ("零" if zero else "") + "零一二三四五六七八九"[digit] + unit
            zero, started = False, True
        elif started:
            zero = True
    return out


class ChineseCitation(NamedTuple):
    """One citation as read: which instrument, article, paragraph (款) and item (项); ``version`` when pinned.

    ``start`` and ``end`` are its offsets in the text it was found in.
    """

    text: str
    instrument: str
    article: str
    paragraph: int | None = None
    item: int | None = None
    version: str | None = None
    start: int = 0
    end: int = 0

    def label(self, version: str | None = None) -> str:
        """``sil 2018 art. 10 para 2``: the version pinned, else ``version`` (the one it resolved to) if given."""
        shown = self.version or version
        parts = [self.instrument] + ([shown] if shown else []) + [f"art. {self.article}"]
        if self.paragraph is not None:
            parts.append(f"para {self.paragraph}")
        if self.item is not None:
            parts.append(f"item {self.item}")
        return " ".join(parts)


def _ref_parts(ref: str) -> tuple[str | None, int | None, int | None]:
    """``第十条第二款第三项`` → ("10", 2, 3); ``第十条之一`` → ("10之1", None, None), which no version holds."""
    m = re.fullmatch(_REF_PARTS, ref.strip())
    if m is None:
        raise InputError("citation", ref.strip(), "expected 第N条, 第N款 or 第N项 (brackets only around an item's "
                                                  "number: 第（一）项)")
    art, sub, para, item = m.groups()
    try:
        article = None
        if art:
            article = str(chinese_number(art)) + (f"之{chinese_number(sub)}" if sub else "")
        numbers = (article, int(chinese_number(para)) if para else None, int(chinese_number(item)) if item else None)
    except ValueError as exc:
        raise InputError("citation", ref.strip(), f"{exc} is not a number as statutes write one (e.g. 十一, 一百零五, 11)") from None
    if (article or "").split("之")[0] == "0" or 0 in numbers[1:]:
        raise InputError("citation", ref.strip(), "articles, paragraphs and items are numbered from 1 (第一条)")
    return numbers


def _ref_lists(ref: str) -> tuple[list[int], list[int], list[int]]:
    """The articles, paragraphs and items a reference names: ``第十条第二、三款`` → ([10], [2, 3], []).

    Call it on a reference ``_ref_parts`` has read (its numbers are read the same way).
    """
    lists = []
    for unit in ("条", "款", "项"):
        m = re.search(rf"第([^第条款项]*?)\s*{unit}", ref)
        lists.append(_listed_numbers(m.group(1)) if m else [])
    return lists[0], lists[1], lists[2]


def _listed_numbers(written: str) -> list[int]:
    """``十、十二`` → [10, 12]; ``十至十二`` → [10, 11, 12]; a span the wrong way round, or longer than
    ``_RANGE_LIMIT``, is a RangeError (never read as its two ends alone)."""
    numbers: list[int] = []
    for member in re.split(_LIST_MARK, written.strip()):
        ends = [chinese_number(n.strip("() ")) for n in re.split(_SPAN_MARK, member) if n.strip("() ")]
        if len(ends) == 2:
            problem = _range_problem(written.strip(), ends[0], ends[1])
            if problem is not None:
                raise problem
            ends = list(range(ends[0], ends[1] + 1))
        numbers += ends
    return numbers


def _each_listed(first: ChineseCitation, ref: str) -> list[ChineseCitation]:
    """A citation of 第十、十二条, 第二、三款 or 第(一)、(二)项 as the citations it names, each written as the whole list."""
    articles, paragraphs, items = _ref_lists(ref)
    if len(articles) < 2 and len(paragraphs) < 2 and len(items) < 2:
        return [first]
    return [first._replace(article=str(a) if len(articles) > 1 else first.article, paragraph=p, item=i)
            for a in articles or [None] for p in paragraphs or [first.paragraph] for i in items or [first.item]]


def article_reference(text: str) -> tuple[str, int | None]:
    """An article as ``show`` and ``history`` take it: ``64``, ``６４``, ``第六十四条``, ``第64条第一款`` → ("64", 1).

    Anything else (``preamble``, ``2.1``) is an article number as encoded, returned as given.
    """
    folded = name_key(_read_simplified(text))  # 第十條 as 第十条
    if re.fullmatch(rf"(?:{_ARTICLE})\s*(?:{_PARAGRAPH})?", folded):
        try:
            article, paragraph, _ = _ref_parts(folded)
            several = any(len(numbers) > 1 for numbers in _ref_lists(folded)[:2])
        except InputError as exc:
            raise InputError("article", text, exc.allowed) from None
        if several:
            raise InputError("article", text, "names several articles or paragraphs (第二、三款): give one, e.g. "
                                              "第十条第二款")
        return article, paragraph
    if text.strip().isdecimal():  # digits of either width, read as cite and --as-of read them: １０ as 10
        # digit by digit, not int(): a number longer than Python writes out (4,300 digits) is an article no
        # version holds, said so as of any other, not a ValueError
        return "".join(str(unicodedata.decimal(c)) for c in text.strip()).lstrip("0") or "0", None
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千]+", folded):  # 十 as 第十条: no article is numbered in words
        try:
            return str(chinese_number(folded)), None
        except ValueError:
            raise InputError("article", text, f"{folded} is not a number as statutes write one (e.g. 十一, 一百零五, "
                                              "11)") from None
    if re.fullmatch(rf"(?:{_ARTICLE})\s*(?:{_PARAGRAPH})?\s*(?:{_ITEM})", folded):
        raise InputError("article", text, "takes an article or a paragraph (第七十二条第一款), not an item: "
                                          "socins cite reads 第N项")
    return text.strip(), None


def show_arguments(law: Law, instrument: str, article: str | None, paragraph: int | None, version: str | None):
    """``show``'s arguments as ids: (instrument id, article number, paragraph, version).

    The instrument may be named as ``Law.instrument`` accepts; the article as
    ``article_reference`` reads it; and a whole citation (社会保险法第十条第二款,
    社会保险法（2010年原文）第十条) may stand in the instrument's place with no article.
    """
    pinned = None
    if article is None:
        try:
            return law.instrument(instrument).id, None, paragraph, version
        except InputError as not_a_name:
            try:
                cited = CitationReader(law).parse(instrument)
            except InputError:
                raise not_a_name from None
        instrument, number, cited_paragraph, pinned = cited.instrument, cited.article, cited.paragraph, cited.version
    else:
        number, cited_paragraph = article_reference(article)
    if cited_paragraph is not None and paragraph is not None and cited_paragraph != paragraph:
        raise InputError("paragraph", paragraph, f"the article names paragraph {cited_paragraph}; give one or the other")
    if pinned is not None and version is not None and pinned != version:
        raise InputError("version", version, f"the citation names version {pinned}; give one or the other")
    return (law.instrument(instrument).id, number, cited_paragraph if cited_paragraph is not None else paragraph,
            version or pinned)


class _Folded:
    """A text width-folded and without title quotes, with each character's offset in the original."""

    __slots__ = ("text", "offsets")

    def __init__(self, original: str):
        chars, self.offsets = [], []
        for i, c in enumerate(original):
            if c in TITLE_QUOTES:
                continue
            chars.append(name_key(c) or c)  # whitespace folds to nothing; keep it as it is
            self.offsets.append(i)
        self.text = "".join(chars)

    def original(self, pos: int, original: str) -> int:
        return self.offsets[pos] if pos < len(self.offsets) else len(original)


def _document_key(number: str) -> str:
    """A document number as compared: no spaces, square brackets as 〔〕 (国发[2005]38号 is 国发〔2005〕38号)."""
    return re.sub(r"\s+", "", number).replace("[", "〔").replace("]", "〕").replace("第", "")


def _made_by_number(inst, docno: str) -> str | None:
    """Which text of ``inst`` the document number ``docno`` made: "" for the instrument's own number (every version
    bears it), a version's id for the decision that amended it into that version; None where no number is recorded
    to check it against. A number recorded for neither is a CitationNotFoundError naming the ones recorded."""
    recorded = [(inst.document_number, "")] if inst.document_number else []
    recorded += [(v.amended_by["document_number"], v.id) for v in inst.versions
                 if (v.amended_by or {}).get("document_number")]
    if not recorded:
        return None
    wanted = _document_key(docno)
    found = next((made for number, made in recorded if _document_key(number) == wanted), None)
    if found is None:
        named = ", ".join(number + (f" (version {made})" if made else "") for number, made in recorded)
        raise CitationNotFoundError("document_number", docno.strip(),
                                    f"is not {inst.id}'s document number; socins records {named}")
    return found


class CitationReader:
    """Reads citations against one law: built once, it holds the pattern of every instrument name."""

    def __init__(self, law: Law):
        self.law = law
        self.names = law.names()
        #: a version's own title pins that version: 中华人民共和国社会保险法（2018年修正）
        self.version_titles = {}
        for inst in law.instruments.values():
            for v in inst.versions:
                key = name_key(v.title_zh or inst.title_zh)
                if key != name_key(inst.title_zh):
                    self.version_titles[key] = v.id
                    self.version_titles[key.replace(STATE_NAME, "")] = v.id
        alternatives = "|".join(re.escape(k) for k in sorted(self.names, key=len, reverse=True))
        self.named = re.compile(rf"(?P<name>{alternatives})(?:\s*{_PIN})?(?:\s*{_DOCNO})?\s*(?:的\s*)?(?P<ref>{_REF})?")
        self.anything = re.compile(
            rf"(?P<name>{alternatives})(?:\s*(?P<pin>{_PIN}))?(?:\s*{_DOCNO})?\s*(?:的\s*)?(?P<ref>{_REF})?"
            rf"|(?P<anaphor>{_ANAPHOR})\s*(?:的\s*)?(?P<aref>{_REF})"
            rf"|(?P<same>{_SAME_PROVISION})\s*(?:的\s*)?(?P<sref>{_P}(?:\s*{_I})?|{_I})|(?P<bare>{_REF})"
            # a range's second end written without its 第 (第十条至十二条)
            rf"|{_RANGE_MARKS}\s*(?P<tail>(?:{_NUM})\s*[条款]|\(?\s*(?:{_NUM})\s*\)?\s*项)"
        )

    # -- one citation ------------------------------------------------------------
    def _unread_rest(self, folded: str) -> str:
        """Why a single citation was not read: words after a citation that was (社会保险法第十条的规定), or no
        instrument's name at the start."""
        head = self.named.match(folded)
        if head is not None and head["ref"] and head.end() < len(folded):
            return (f"read as far as 「{folded[:head.end()]}」; 「{folded[head.end():]}」 after it is no part of a "
                    "citation: give one citation alone (e.g. 社会保险法第十条第二款, a version as （2018年修正）), "
                    "or find the citations in a text with --file")
        return ("expected an encoded instrument's title or short name (e.g. 社会保险法) followed by 第N条, "
                "optionally 第N款 and 第N项; see 'socins list'")

    def parse(self, text: str) -> ChineseCitation:
        """Exactly one citation, as ``socins cite`` reads it; anything else is an InputError (exit 2)."""
        folded = _Folded(text).text.strip()
        if not folded:
            raise InputError("citation", text, "expected e.g. 社会保险法第十条第二款")
        m = self.named.fullmatch(folded)
        if m is None:
            m = re.fullmatch(rf"(?P<name>[A-Za-z][A-Za-z0-9-]*)\s*(?:{_PIN})?\s*(?P<ref>{_REF})?", folded)
        if m is None and not text.isascii():
            # Written in traditional characters (社會保險法第十條): read in simplified ones, as search does.
            from socins_cli.law.chinese_forms import simplified

            plain = simplified(text)
            if plain != text:
                return self.parse(plain)._replace(text=text.strip())
        if m is None:
            found = [c for _, _, c in self.find(text)]
            several = [c for c in found if isinstance(c, ChineseCitation)]
            ranges = [c for c in found if isinstance(c, RangeError)]
            if ranges:  # 社会保险法第十条至第八条: why the range is not read
                raise InputError("citation", text, ranges[0].allowed)
            if len(several) > 1:
                raise self._several(text, several)
            raise InputError("citation", text, self._unread_rest(folded))
        instrument = self.law.instrument(m["name"]).id  # a name that is no instrument's says so first
        if not m["ref"]:
            raise InputError("citation", text, "expected an article after the instrument's name, e.g. 第十条")
        try:
            article, paragraph, item = _ref_parts(m["ref"])
        except InputError as exc:
            raise InputError("citation", text, exc.allowed) from None
        if article is None:
            raise InputError("citation", text, "expected 第N条 before 第N款 or 第N项")
        pin = self._pin(instrument, m["name"], m.group(2), m.groupdict().get("docno"))
        cited = ChineseCitation(text.strip(), instrument, article, paragraph, item, pin, 0, len(text))
        try:
            several = _each_listed(cited, m["ref"])
        except RangeError as exc:  # 社会保险法第十至八条
            raise InputError("citation", text, exc.allowed) from None
        if len(several) > 1:
            raise self._several(text, several)
        return cited

    @staticmethod
    def _several(text: str, several: list) -> InputError:
        return InputError(
            "citation", text,
            f"names {len(several)} provisions (a range or a list: {', '.join(c.label() for c in several[:4])}"
            f"{', …' if len(several) > 4 else ''}); cite prints one: give one of them, or check them all "
            f"with: echo '{text.strip()}' | socins cite --file -",
        )

    def _pin(self, instrument: str, name: str, year: str | None, docno: str | None = None) -> str | None:
        """The version a citation pins, by a version's own title, a year in brackets or the document number of the
        decision that made it; None when unpinned. A document number that is not the instrument's is an error."""
        pinned = self.version_titles.get(name_key(name))
        inst = self.law.instruments[instrument]
        if pinned is None and year is not None:
            pinned = next((v.id for v in inst.versions if v.id == year or (v.title_zh and f"{year}年" in v.title_zh)),
                          None)
            if pinned is None:
                raise CitationNotFoundError("version", year,
                                            f"{instrument} has no version of {year}; it has {describe_versions(inst)}")
        if docno is None:
            return pinned
        made = _made_by_number(inst, docno)
        if made and pinned and made != pinned:  # "" (the instrument's own number) pins no version
            raise CitationNotFoundError("document_number", docno.strip(), f"made version {made} of {instrument}, "
                                        f"not the version {pinned} the citation names")
        return pinned or made or None

    # -- every citation in a text -----------------------------------------------
    def find(self, text: str):
        """Every citation of an encoded instrument in ``text``, in order: (line number, written, citation or problem).

        A problem (a pinned year no version has, a name two instruments share)
        comes back as an ``InputError`` in place of the citation, so one bad
        citation does not hide the others. A range that cannot be read (the
        wrong way round, or too long) is one problem: its first end, found
        as a citation before the range was seen, is not reported beside it.
        """
        held = None  # each event waits for the next, which may be the problem of a range it opens
        for event in self._find(text):
            found = event[2]
            if held is not None and not (isinstance(found, RangeError) and found.first is held[2]):
                yield held
            held = event
        if held is not None:
            yield held

    def _find(self, text: str):
        """``find``'s events, a range's first end among them: each reference in turn, read as citing what."""
        written_as, text = text, _read_simplified(text)  # one character for one: positions carry over
        folded = _Folded(text)
        context: ChineseCitation | None = None
        named: dict = {}  # the kind of a name (法, 条例 …) -> (instrument, pinned version) named last, its error,
        # or _NOT_HELD
        unheld = self._unheld(text, folded)
        for m in self.anything.finditer(folded.text):
            first = folded.original(m.start(), text)
            start = first - 1 if first and text[first - 1] == "《" else first  # the citation as written opens with 《
            end = folded.original(m.end() - 1, text) + 1
            line = text.count("\n", 0, start) + 1
            written = written_as[start:end].strip()
            _name_unheld_before(unheld, m, named)
            if m["name"] or m["anaphor"]:  # 社会保险法第十条, or 该条例第十六条 (the 条例 named last)
                context = yield from self._cited_by_name(m, text, folded, (line, written, start, end), named)
            elif m["same"]:  # 该条第二款: the article cited last
                context = yield from self._same_provision(m, named, (line, written, start, end))
            else:  # a bare 第N条, or a range's second end: of the instrument cited just before, or of none
                context = yield from self._cited_bare(m, context, folded, (text, written_as), (line, written, start),
                                                      named)

    def _cited_bare(self, m, context, folded: _Folded, texts: tuple, where: tuple, named: dict):
        """Yield what a bare 第N条 (or a range's second end, 至五条) cites as read with the citation before it, and
        what a range cites between its ends, or the problem; return the last citation (or None)."""
        text, written_as = texts
        line, written, start = where
        ref = m["bare"] or "第" + m["tail"]
        try:
            found, is_range = self._continues(context, folded, m, text, ref)
        except InputError as exc:
            named[_LAST_ARTICLE] = exc
            yield line, written, exc
            return None
        try:
            listed = _each_listed(found, ref) if found is not None else []
            between = _between(context, found, written_as) if is_range else []
        except RangeError as exc:  # the wrong way round, or too long: one problem, said, and no end read apart
            named[_LAST_ARTICLE] = exc
            yield line, exc.value, exc
            return found
        # a 第N条 read with no instrument is some other's: 该条 after it is not the one cited before
        named[_LAST_ARTICLE] = _NOT_HELD if found is None else found
        if found is None and context is not None and m["bare"] and _opens_a_clause(text, start):
            # 《劳动合同法》第六十八条…；第七十二条: read with no instrument, said rather than dropped
            yield line, written, InputError("citation", written, "cites no instrument it can be read with: "
                                            f"words stand between it and {context.text} (name the instrument, or "
                                            "write 该法 / 该条例)")
        for cited in between:
            yield line, cited.text, cited
        if is_range:  # the range's end is written as the whole range too, as those between it are: a bare 第五条
            # would read as a citation written on its own
            written = written_as[context.start:found.end].strip()
        for cited in listed:
            named[_LAST_ARTICLE] = cited
            yield line, written, cited
        return listed[-1] if listed else None

    def _unheld(self, text: str, folded: _Folded) -> list:
        """Instruments socins does not hold, named in 《》 or cited by article: (folded position, kinds), in order.

        A 该法 or 该条例 after one refers to it, not to an encoded instrument named earlier.
        """
        unheld = [(bisect.bisect_left(folded.offsets, t.end()), _kinds_of(t[1])) for t in _TITLE.finditer(text)
                  if name_key(t[1]) not in self.names]
        # cited by article, it is also what 该条第二款 after it refers to
        unheld += [(k.end(), [*_kinds_of(k[0]), _LAST_ARTICLE]) for k in _KIND_CITED.finditer(folded.text)]
        return sorted(unheld, key=lambda event: event[0])

    def _cited_by_name(self, m, text: str, folded: _Folded, where: tuple, named: dict):
        """Yield what a name (or 该条例) and its reference cite, or the problem; return the last citation (or None).

        ``named`` keeps, by kind (法, 条例 …), the instrument (and pinned version) a name of that kind named
        last, with or without an article, for 该条例 and 该法.
        """
        line, written, start, end = where
        try:
            cited = (self._named(m, text, folded, written, start, end) if m["name"]
                     else self._anaphor(named, m["anaphor"], m["aref"], written, start, end))
        except InputError as exc:  # said, and the others still read
            yield line, written, exc
            named[_LAST_ARTICLE] = exc  # 该条第二款 after it cites nothing either
            if m["name"]:  # a 该法 after it cites nothing either: said, not passed to a 法 named earlier
                named.update(dict.fromkeys(_kinds_of(m["name"]), exc))
            return None
        if cited is None and (m["ref"] or m["aref"]):  # an article of an instrument not read: 该条 is not another's
            named[_LAST_ARTICLE] = _NOT_HELD
        try:
            listed = _each_listed(cited, m["ref"] or m["aref"]) if cited is not None else []
        except RangeError as exc:  # 《社会保险法》第十至八条: one problem, said; the instrument is still named
            named[_LAST_ARTICLE], listed = exc, []
            yield line, written, exc
        for cited in listed:
            named[_LAST_ARTICLE] = cited
            yield line, written, cited
        if m["name"]:  # 根据《工伤保险条例》的规定，该条例第十六条: a title named without an article names it too
            found = (cited.instrument, cited.version) if cited is not None else self._named_alone(m, text, folded)
            # None: the name is part of a longer title (广东省工伤保险条例), an instrument socins does not hold
            named.update(dict.fromkeys(_kinds_of(m["name"]), _NOT_HELD if found is None else found))
        return cited

    def _named_alone(self, m, text: str, folded: _Folded) -> tuple | None:
        """The instrument (and the version it pins) a name without an article names; None where the name is
        part of a longer title (实施《社会保险法》若干规定) or names more than one instrument; the InputError
        where it pins a version the instrument does not have."""
        first = folded.original(m.start(), text)
        ids = self.names[m["name"]]
        if len(ids) != 1 or not self._stands_alone(text, first, folded.original(m.end("name") - 1, text) + 1):
            return None
        try:
            return ids[0], self._pin(ids[0], m["name"], m.group("pin") and re.search(r"\d{4}", m["pin"]).group(),
                                     m["docno"])
        except InputError as exc:  # a 该法 after it says why it cites nothing
            return exc

    def _named(self, m, text: str, folded: _Folded, written: str, start: int, end: int) -> ChineseCitation | None:
        """The citation an instrument's name and its reference make, or None where the name is part of a longer
        title or cites no article; a name two instruments share, or no 第N条, is an InputError."""
        first = folded.original(m.start(), text)
        if not m["ref"] or not self._stands_alone(text, first, folded.original(m.end("name") - 1, text) + 1):
            return None
        ids = self.names[m["name"]]
        if len(ids) > 1:
            raise InputError("instrument", m["name"], "names more than one instrument: " + ", ".join(ids))
        article, paragraph, item = _ref_parts(m["ref"])
        if article is None:
            raise InputError("citation", written, "expected 第N条 before 第N款 or 第N项")
        pin = self._pin(ids[0], m["name"], m.group("pin") and re.search(r"\d{4}", m["pin"]).group(), m["docno"])
        return ChineseCitation(written, ids[0], article, paragraph, item, pin, start, end)

    @staticmethod
    def _anaphor(named: dict, anaphor: str, ref: str, written: str, start: int, end: int) -> ChineseCitation | None:
        """该条例第十六条: the article of the 条例 named last (the 法 for 该法 …); None where the reference has no
        article, or the 条例 named last is one socins does not hold (passed over, as a citation of it is). Where
        no instrument of that kind was named before, an InputError: reported, not dropped."""
        kind = anaphor[2:] if anaphor.startswith("上述") else anaphor[1:]
        found = named.get("法" if kind == "法律" else kind)
        if found is None:
            raise InputError("citation", written, f"{anaphor} refers to a {kind} named before it, and none is")
        if found is _NOT_HELD:
            return None
        if isinstance(found, InputError):
            raise InputError("citation", written, f"{anaphor} refers to the {kind} named before it, which "
                                                  f"cites nothing: {found.allowed}")
        article, paragraph, item = _ref_parts(ref)
        if article is None:
            return None
        instrument, version = found
        return ChineseCitation(written, instrument, article, paragraph, item, version, start, end)

    def _continues(self, context, folded: _Folded, m, text: str, ref: str) -> tuple[ChineseCitation | None, bool]:
        """A bare 第N条/款/项 (``ref``) read as citing the instrument (and article) cited just before, or None; and
        whether the two make a range (至, 到, —, ~ between them, or before a second end written without 第)."""
        if context is None:
            return None, False
        gap_start = bisect.bisect_left(folded.offsets, context.end)
        gap = folded.text[gap_start:m.start()]
        original_gap = text[context.end:folded.original(m.start(), text)]
        if re.search(_SENTENCE_END, gap) or any(q in original_gap for q in TITLE_QUOTES):
            return None, False
        if not re.fullmatch(_CONNECTIVES, "".join(gap.split())):
            return None, False
        article, paragraph, item = _ref_parts(ref)
        start = folded.original(m.start("bare" if m["bare"] else "tail"), text)
        end = folded.original(m.end() - 1, text) + 1
        written = text[start:end].strip()
        if article is None:
            article = context.article
            if paragraph is None:  # 第N项 alone: an item of the paragraph cited before
                paragraph = context.paragraph
        found = ChineseCitation(written, context.instrument, article, paragraph, item, context.version, start, end)
        return found, m["tail"] is not None or re.search(_RANGE_MARKS, gap) is not None

    @staticmethod
    def _same_provision(m, named: dict, where: tuple):
        """Yield what 该条第二款 (同条第二款, 该款第一项) cites in the article (or paragraph) cited last, or the
        problem; return the last citation (or None). Nothing where that article is of an instrument not read."""
        line, written, start, end = where
        same, last = m["same"], named.get(_LAST_ARTICLE)
        try:
            if last is None:
                raise InputError("citation", written, f"{same} refers to an article cited before it, and none is")
            if isinstance(last, InputError):
                raise InputError("citation", written, f"{same} refers to the article cited before it, which "
                                                      f"cites nothing: {last.allowed}")
            if last is _NOT_HELD:
                return None
            _, paragraph, item = _ref_parts(m["sref"])
            if same.endswith("款"):  # 该款第一项
                if paragraph is not None:
                    raise InputError("citation", written, f"{same} is followed by an item (第N项), not a 款")
                if last.paragraph is None:
                    raise InputError("citation", written, f"{same} refers to the paragraph cited before it, and "
                                                          f"{last.label()} names none")
                paragraph = last.paragraph
            cited = ChineseCitation(written, last.instrument, last.article, paragraph, item, last.version, start, end)
            listed = _each_listed(cited, m["sref"])  # 该条第二至五款; one the wrong way round is a problem
        except InputError as exc:
            named[_LAST_ARTICLE] = exc
            yield line, written, exc
            return None
        for cited in listed:
            yield line, written, cited
        named[_LAST_ARTICLE] = cited
        return cited

    @staticmethod
    def _stands_alone(text: str, start: int, end: int) -> bool:
        """False where the name is part of a longer title: 《广东省工伤保险条例》, 《劳动合同法实施条例》, 某省社会保险法…"""
        opened, closed = text.rfind("《", 0, start), text.rfind("》", 0, start)
        if opened > closed:  # inside 《…》: the title must be exactly the name
            if text[start - 1] != "《":
                return False
            close = text.find("》", start)
            if 0 <= close < end:  # 《社会保险法》（2010年原文）: a version's name, its bracket after the quotes
                return re.fullmatch(r"\s*[(（]\s*[0-9０-９]{4}\s*年[^()（）]{0,16}[)）]\s*", text[close + 1:end]) is not None
            rest = text[end:].lstrip()
            return rest.startswith("》")
        return start == 0 or text[start - 1] not in _PLACE_SUFFIXES


def _opens_a_clause(text: str, start: int) -> bool:
    """Whether a bare 第N条 at ``start`` stands after punctuation or at a line's start, not after a name socins
    does not know (民法典第五百条) or a closing title mark (《民法典》第五百条): a citation whose instrument is unsaid."""
    before = text[:start].rstrip(" \t\u3000")
    return not before or before[-1] == "\n" or (unicodedata.category(before[-1]).startswith("P")
                                                 and before[-1] not in "》〉)）]】")

def _reversed(first: ChineseCitation, last: ChineseCitation) -> bool:
    """Whether a range's second end comes before its first (articles, else paragraphs, else items)."""
    if first.article != last.article:
        return first.article.isdigit() and last.article.isdigit() and int(last.article) < int(first.article)
    for a, b in ((first.paragraph, last.paragraph), (first.item, last.item)):
        if a is not None and b is not None and a != b:
            return b < a
    return False


def _between(first: ChineseCitation, last: ChineseCitation, text: str) -> list[ChineseCitation]:
    """What a range 第三条至第五条 (or 第（一）项至第（七）项, 第一款至第三款) cites between its two ends.

    Articles between two articles are cited whole; items or paragraphs are
    counted within the article (and paragraph) the range opens in. Each is
    written as the whole range, as the memo has it. An article numbered 之N
    gives nothing between. Ends the wrong way round (第五十八条至第五十六条)
    or more than ``_RANGE_LIMIT`` provisions are a RangeError, so that a
    memo's slip is said, never read as its two ends alone.
    """
    written = text[first.start:last.end].strip()
    if _reversed(first, last):
        raise RangeError("citation", written, _REVERSED, first)

    def cite(article: str, paragraph: int | None = None, item: int | None = None) -> ChineseCitation:
        return ChineseCitation(written, first.instrument, article, paragraph, item, first.version, first.start, last.end)

    if first.article != last.article:
        if not (first.article.isdigit() and last.article.isdigit()):
            return []
        lo, hi, make = int(first.article), int(last.article), lambda n: cite(str(n))
    elif first.item is not None and last.item is not None and first.paragraph == last.paragraph:
        lo, hi, make = first.item, last.item, lambda n: cite(first.article, first.paragraph, n)
    elif first.item is None and last.item is None and first.paragraph is not None and last.paragraph is not None:
        lo, hi, make = first.paragraph, last.paragraph, lambda n: cite(first.article, n)
    else:
        return []
    problem = _range_problem(written, lo, hi, first)
    if problem is not None:
        raise problem
    return [make(n) for n in range(lo + 1, hi)]


# -- resolving ---------------------------------------------------------------------

def item_lines(art: Article, paragraph: int) -> tuple[str, ...]:
    """The item lines (（一）…) of one paragraph (款): every line of it after its first (``Article.paragraph_of_line``)."""
    return art.paragraph_lines(paragraph)[1:]


def _how_many(count: int, noun: str) -> str:
    """A count in words: ``no items``, ``1 paragraph``, ``3 paragraphs``."""
    return f"no {noun}s" if count == 0 else f"1 {noun}" if count == 1 else f"{count} {noun}s"


def resolve(law: Law, citation: ChineseCitation, as_of: _dt.date) -> dict:
    """The cited article, paragraph or item in the version in force on ``as_of`` (or the version pinned).

    Raises CitationNotFoundError (exit 1) when that version lacks it, naming
    the versions that have it.
    """
    from socins_cli.law.text import ceased_warning, named_version_on, show

    inst = law.instrument(citation.instrument)
    if citation.version is not None:
        v = law.version(inst.id, citation.version)
    else:
        v = inst.version_on(as_of)
        if v is None:
            raise CitationNotFoundError(
                "citation", citation.text, f"{inst.id} is not in force on {as_of.isoformat()}; it has {describe_versions(inst)}"
            )
    which = f"{inst.id} {v.id} " + ("(pinned)" if citation.version else f"({inst.standing_on(as_of)})")
    art = v.article(citation.article)
    if art is None:
        raise CitationNotFoundError("citation", citation.text, _no_article(inst, v, citation.article, which))
    paragraph = citation.paragraph
    if paragraph is not None and not 1 <= paragraph <= art.paragraph_count:
        raise CitationNotFoundError(
            "citation", citation.text,
            f"{inst.id} {v.id} art. {art.number} has {_how_many(art.paragraph_count, 'paragraph')}; "
            + _holders(inst.versions, lambda x: _has_paragraph(x, citation.article, paragraph),
                       f"art. {citation.article} para {paragraph}"),
        )
    item_text = None
    if citation.item is not None:
        if paragraph is None:
            with_items = [p for p in range(1, art.paragraph_count + 1) if item_lines(art, p)]
            if len(with_items) > 1:
                raise InputError("citation", citation.text,
                                 f"art. {art.number} has items in paragraphs {', '.join(map(str, with_items))}; "
                                 "cite 第N款第M项")
            paragraph_of_items = with_items[0] if with_items else 1
        else:
            paragraph_of_items = paragraph
        items = item_lines(art, paragraph_of_items)
        if not 1 <= citation.item <= len(items):
            raise CitationNotFoundError(
                "citation", citation.text,
                f"{inst.id} {v.id} art. {art.number} para {paragraph_of_items} has {_how_many(len(items), 'item')}"
                + _item_hint(citation.item, paragraph, art),
            )
        item_text = items[citation.item - 1]
        paragraph = paragraph_of_items
    out = {"citation": citation.text, "as_of": as_of.isoformat()}
    out.update(show(law, inst.id, art.number, version=v.id, paragraph=paragraph))
    if citation.version is not None:
        out.update(pinned=True, **named_version_on(inst, v, as_of, "pinned by the citation"))
    if item_text is not None:
        out["item"] = citation.item
        out["item_text"] = item_text
    out["cited_text"] = item_text or out.get("paragraph_text") or out["text"]
    ceased = ceased_warning(out, as_of)
    if ceased:  # provisions ended by a later text while the version stays in force (the 1978 retirement ages)
        out["ceased_on_as_of"] = True
        out["warning"] = f"{out['warning']}; {ceased}" if out.get("warning") else ceased
    return out


def _no_article(inst, v: Version, article: str, which: str) -> str:
    """Why ``v`` gives no text of ``article``: it lacks it, or (held only in part) its text is not held."""
    holders = _holders(inst.versions, lambda x: x.article(article) is not None, f"article {article}")
    if v.completeness == "whole":
        return f"{which} has no article {article}; {holders}"
    # The version's text is held only in part: its silence says nothing, and a fact may quote the provision.
    facts = [f"#{f.id}" for f in v.facts if f.id == f"art-{article}" or f.id.startswith(f"art-{article}-")]
    held = (f"held for it, not statute text: {', '.join(facts)} (socins show {inst.id} '{facts[0]}' "
            f"--version {v.id}); ") if facts else ""
    return (f"{which} is {v.completeness}: its text of article {article} is not held "
            f"({v.completeness_note or 'not held whole'}); {held}{holders}")


def _has_paragraph(v: Version, article: str, paragraph: int) -> bool:
    art = v.article(article)
    return art is not None and 1 <= paragraph <= art.paragraph_count


def _holders(versions, holds, what: str) -> str:
    found = [f"{v.id} (from {v.effective.isoformat()})" for v in versions if holds(v)]
    if found:
        return f"{what} is in version(s) {', '.join(found)}"
    caveat = unheld_caveat(versions)
    return f"no text socins holds has {what}{caveat}" if caveat else f"no version holds {what}"


# -- checking a text's citations ---------------------------------------------------

def check_text(law: Law, text: str, as_of: _dt.date, since: _dt.date | None = None):
    """One record per citation found in ``text``: where it is, what it resolves to on ``as_of``, and
    (with ``since``) what became of the provision it named on that day.

    A record is ``ok`` when it resolves, the version it pins (if any) is in
    force on ``as_of``, and, with ``since``, the provision it names is unchanged.
    """
    for line, written, found in CitationReader(law).find(text):
        record = {"line": line, "citation": written}
        if isinstance(found, InputError):
            record.update(resolved=False, problem=found.allowed, ok=False)
        else:
            record.update(_check_one(law, found, as_of, since))
        yield record


def check_memo(law: Law, text: str, as_of: _dt.date, since: _dt.date | None = None, file=None) -> dict:
    """What ``socins cite --file`` prints as JSON: every citation in a memo's ``text`` checked (``check_text``) and
    each outcome counted; ``file`` says where the text was read (None: it was given as text)."""
    records = list(check_text(law, text, as_of, since))
    return {"file": file, "as_of": as_of.isoformat(), "since": since.isoformat() if since else None,
            "citations": records, "summary": memo_summary(records)}


def memo_summary(records: list[dict]) -> dict:
    """How many of a memo's citations are ok, do not resolve or changed: the JSON's ``summary`` and the table's last line."""
    return {
        "citations": len(records),
        "ok": sum(1 for r in records if r["ok"]),
        "unresolved": sum(1 for r in records if not r["resolved"]),
        "changed": sum(1 for r in records if r.get("changed")),
        "changed_substantively": sum(1 for r in records if r.get("changed") and r.get("substantive")),
    }


def read_memo(file, stream=None) -> str:
    """A memo's UTF-8 text (a byte-order mark dropped), from ``stream`` (bytes, such as stdin) or else the file;
    one that cannot be read is bad input naming ``file``."""
    try:
        if stream is not None:
            return stream.read().decode("utf-8-sig")
        with open(file, encoding="utf-8-sig") as fh:
            return fh.read()
    except UnicodeDecodeError:
        raise InputError("file", file, "expected UTF-8 text") from None
    except OSError as exc:
        raise InputError("file", file, f"cannot be read ({exc.strerror or exc})") from None


def _check_one(law: Law, found: ChineseCitation, as_of: _dt.date, since: _dt.date | None) -> dict:
    record = {"instrument": found.instrument, "article": found.article}
    for key in ("paragraph", "item", "version"):
        if getattr(found, key) is not None:
            record["pinned_version" if key == "version" else key] = getattr(found, key)
    try:
        resolved = resolve(law, found, as_of)
    except InputError as exc:  # CitationNotFoundError included: it does not resolve that day
        now = law.instrument(found.instrument).version_on(as_of) if found.version is None else None
        if since is not None and now is not None and isinstance(exc, CitationNotFoundError):
            fate = change_since(law, found, since, now)
            if fate["change"] in ("renumbered", "removed"):  # where the provision went, though its number fails now
                record.update(fate)
        record.update(resolved=False, problem=exc.allowed, ok=False)
        return record
    record.update(resolved=True, version=resolved["version"], label=found.label(resolved["version"]))
    record["in_force"] = resolved["in_force"]
    for mark in ("date_certain", "end_certain"):  # false where a day is inferred (its ``?``), as ``show`` gives it
        if mark in resolved:
            record[mark] = resolved[mark]
    # how far the text cited is held and trusted, and what the data says of it (a doubtful phrase), as ``cite`` gives it
    record.update(completeness=resolved["completeness"], confidence=resolved["confidence"])
    if resolved.get("note"):
        record["note"] = resolved["note"]
    if "in_force_on_as_of" in resolved:
        record["in_force_on_as_of"] = resolved["in_force_on_as_of"]
    if resolved.get("in_force_on_as_of") is False:
        record.update(as_of_version=resolved["as_of_version"], problem=resolved["warning"])
    if since is not None:
        record.update(change_since(law, found, since, law.version(found.instrument, resolved["version"])))
    # changed, not established (null), or pinned to a version not in force that day: not ok
    record["ok"] = record.get("changed", False) is False and record.get("in_force_on_as_of", True)
    return record


def change_since(law: Law, citation: ChineseCitation, since: _dt.date, now: Version) -> dict:
    """What became of the provision a citation named on ``since``: where it is in ``now``, and whether its text changed.

    The provision is the article the citation's number named in the version
    in force on ``since``, followed to ``now`` as ``history`` follows it
    (``history.provision_chain``). Under another number now, it is
    ``renumbered``: ``now_article`` names its number, ``text_changed`` whether
    more than the number changed, and the citation counts as changed (its
    number names another provision now). Gone, it is ``removed``. A citation
    of a paragraph (款) is changed when that paragraph's words are;
    ``article_changed`` says whether the article's text changed. A citation
    pinned to a version does not drift. Where the version in force on
    ``since`` is held only in part and lacks the article, the change is
    ``not-held``: ``changed`` is null and ``established`` false.
    """
    out = {"since": since.isoformat()}
    if citation.version is not None:
        return {**out, "since_version": citation.version, "changed": False, "change": "pinned"}
    inst = law.instrument(citation.instrument)
    then = inst.version_on(since)
    out["since_version"] = then.id if then else None
    old = then.article(citation.article) if then else None
    if then is not None and old is None and then.completeness != "whole":
        # The text held of that version lacks the article, but the version may have had it: that it was
        # added is not established (as diff's "established": false and history's not-held say).
        from socins_cli.law.history import quoted_facts, quoted_words

        quoted = quoted_facts(then, citation.article)
        heard = "".join(f"; a secondary source quotes its {quoted_words(q)} (fact {q['fact']}, not statute text)"
                        for q in quoted)
        return {**out, "changed": None, "change": "not-held", "established": False,
                "problem": f"{then.instrument} {then.id} is {then.completeness} "
                           f"({then.completeness_note or 'not held whole'}): its art. {citation.article} is not held, "
                           f"so whether the text changed since {since.isoformat()} is not established{heard}",
                **({"quoted": quoted} if quoted else {})}
    if then is None or old is None:
        return {**out, "changed": True, "change": "added", "substantive": True}
    if then is now:
        return {**out, "changed": False, "change": "none"}
    from socins_cli.law.history import provision_chain

    first, last = inst.versions.index(then), inst.versions.index(now)
    chain = provision_chain(inst.versions, first, citation.article)
    new = chain[last]
    if new is None:
        return {**out, "changed": True, "change": "removed", "substantive": True, "now_article": None}
    out.update(_provision_change(old, new, citation))
    loose = _loosest_step(chain[min(first, last):max(first, last) + 1])
    if loose is not None:  # followed through a rewrite as the likeliest match: where it went is not established
        out.update(established=False, likeness=loose)
    return out


def _loosest_step(chain: list) -> float | None:
    """How alike the least alike renumbering step in a provision's chain is, where too unlike to establish."""
    from socins_cli.law.diff import loose_renumbering

    steps = [loose_renumbering(a, b) for a, b in zip(chain, chain[1:]) if a is not None and b is not None]
    loose = [x for x in steps if x is not None]
    return min(loose) if loose else None


def _provision_change(old: Article, new: Article, citation: ChineseCitation) -> dict:
    """How the cited provision (``old`` then, ``new`` now) changed: the article's text, or the cited paragraph's."""
    from socins_cli.law.diff import body_lines, changed_substantively, skeleton, text_changed

    differs, substantive = text_changed(old, new), changed_substantively(old, new)
    change: dict = {}
    p = citation.paragraph
    if p is not None:
        def lines(art: Article) -> list[str] | None:
            """The cited paragraph's lines, or the cited item's alone (its lead-in's colon is not the item): an
            item is one line after its paragraph's lead-in (``Article.paragraph_of_line``), as the corpus holds them."""
            if p > art.paragraph_count:
                return None
            body = body_lines(art)
            cited = [body[i] for i, number in enumerate(art.paragraph_of_line()) if number == p]
            if citation.item is not None:
                return cited[citation.item:citation.item + 1] or None
            return cited

        before, after = lines(old), lines(new)
        change["article_changed"] = differs
        if differs:
            change["article_substantive"] = substantive
        differs = before != after
        substantive = before is None or after is None or skeleton("\n".join(before)) != skeleton("\n".join(after))
    if new.number != old.number:
        return {**change, "changed": True, "change": "renumbered", "now_article": new.number,
                "text_changed": differs, "substantive": bool(differs and substantive)}
    if not differs:
        return {**change, "changed": False, "change": "none"}
    if p is not None and before is None:  # the article had no such paragraph then (lcl 2007 art. 57 had one)
        return {**change, "changed": True, "change": "added", "substantive": True}
    return {**change, "changed": True, "change": "modified", "substantive": substantive}


#: The traditional forms of the marks a citation is written with (條 an article, 項 an item): a text without
#: either holds no citation written in traditional characters and is read as it is, without loading OpenCC
#: (~19 ms, which ``show sil 第十条`` or a memo in simplified characters should not pay).
_TRADITIONAL_MARKS = ("條", "項")


def _read_simplified(text: str) -> str:
    """``text`` with traditional characters read as simplified (社會保險法第十條), as ``cite`` reads one citation."""
    if text.isascii() or not any(mark in text for mark in _TRADITIONAL_MARKS):
        return text
    from socins_cli.law.chinese_forms import simplified

    return simplified(text)
