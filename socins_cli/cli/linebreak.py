"""Where a line of Chinese (or mixed) text may break, so that wrapped law still reads right.

Chinese breaks between any two characters, with the rules every typesetter
keeps (the kinsoku rules of GB/T 15834 and W3C's "Requirements for Chinese
Text Layout"): no line starts with closing punctuation (。，、；：）」 …), no
line ends with opening punctuation (（「《 …), a number stays with its unit
(``2021年``, ``8%``), a Latin word or id stays whole (a scheme id,
``sil@2018#10``), a paragraph number stays with its text (``(2) 用人单位…``)
and a citation label holds together (``sil 2018 art. 10 para 2``).
Pure Python and no rich, so the rules are testable on their own.
"""

from __future__ import annotations

import re
import unicodedata

#: May not start a line: closing brackets and quotes, stops, commas, colons, and the like.
NO_LINE_START = frozenset("。，、；：？！）」』》〉】〕〗”’…—·%％‰,.;:?!)]}>、")
#: May not end a line: opening brackets and quotes.
NO_LINE_END = frozenset("（「『《〈【〔〖“‘([{<")
#: Units a number keeps beside it.
UNITS = frozenset("年月日号岁周天时分秒%％‰元万亿倍个条款项次")
#: Characters that join into one Latin word or id.
_WORD = re.compile(r"[A-Za-z0-9_.@#/+\-]")
#: Before a space that must not break: a paragraph number "(2)", or a Latin word or number that a number follows.
_HELD_BEFORE = re.compile(r"(?:^|\s)\(\d+\)$")
#: After such a space: a citation word ("sil 2018 art. 10 para 2" is one unit).
_HELD_AFTER = re.compile(r"(?:art|arts|para|table)\b")


def cell_width(char: str) -> int:
    """Terminal cells a character takes: 2 for wide (CJK) forms, 0 for combining marks, else 1."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(cell_width(c) for c in text)


def may_break_before(text: str, i: int) -> bool:
    """Whether a line may end just before ``text[i]`` (``0 < i < len(text)``)."""
    prev, cur = text[i - 1], text[i]
    if cur == " " or cur == "\n":
        return False  # break after the space, not before it
    if cur in NO_LINE_START or prev in NO_LINE_END:
        return False
    if prev.isdigit() and (cur in UNITS or cur.isdigit()):
        return False
    if _WORD.match(prev) and _WORD.match(cur):
        return False
    if prev == " ":
        return space_breaks(text, i - 1)
    return cell_width(prev) == 2 or cell_width(cur) == 2


def space_breaks(text: str, i: int) -> bool:
    """Whether a line may break at the space ``text[i]``.

    Not after a paragraph number (``(2) 用人单位``), not between a word or
    number and the number after it (``sil 2018``, ``art. 3``, ``para 2``), not
    before a citation word (``2018 art.``): a citation label stays one unit.
    """
    before, after = text[max(0, i - 8):i], text[i + 1:i + 7]
    if _HELD_BEFORE.search(before):
        return False
    if after[:1].isdigit() and before[-1:] and (before[-1].isascii() and (before[-1].isalnum() or before[-1] == ".")):
        return False
    return not _HELD_AFTER.match(after)


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text`` wrapped to ``width`` cells; newlines always break.

    Greedy: each line takes as much as fits and ends at the last place the
    rules allow; a run with no such place (a long id) is folded where it must.
    Spaces at a line's ends are dropped.
    """
    width = max(width, 2)
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        spans.extend((offset + s, offset + e) for s, e in _wrap_paragraph(paragraph, width))
        offset += len(paragraph) + 1
    return spans


def _wrap_paragraph(text: str, width: int) -> list[tuple[int, int]]:
    n = len(text)
    spans = []
    start = 0
    while True:
        while start < n and text[start] == " ":
            start += 1
        if start >= n:
            return spans or [(0, 0)]
        used, i, last_ok = 0, start, None
        while i < n:
            w = cell_width(text[i])
            if used + w > width and i > start:
                break
            used += w
            i += 1
            if i < n and may_break_before(text, i):
                last_ok = i
            elif i < n and text[i] == " " and space_breaks(text, i):
                last_ok = i  # the space itself is dropped
        end = i if i >= n or last_ok is None else last_ok
        stop = end
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        spans.append((start, stop))
        start = end


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (see ``wrap_spans``)."""
    return [text[s:e] for s, e in wrap_spans(text, width)]


def longest_unbreakable(text: str) -> int:
    """Cells of the widest run the rules keep together: the narrowest a column of this text can be."""
    best = 0
    for line in text.split("\n"):
        start = 0
        for i in range(1, len(line) + 1):
            if i == len(line) or may_break_before(line, i):
                best = max(best, text_width(line[start:i].strip(" ")))
                start = i
    return best
