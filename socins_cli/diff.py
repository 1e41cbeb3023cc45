"""Article-level differences between two versions of an instrument.

A change is *substantive* unless the two texts differ only in punctuation,
whitespace or full-/half-width forms: the 2010 and 2018 copies of the Social
Insurance Law differ in colon forms that are copy artefacts, not amendments
(reference INDEX, "Conflicts and variants").
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from socins_cli.errors import InputError
from socins_cli.law import Law
from socins_cli.model import Article, Version
from socins_cli.text import fold, version_meta

_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_side(law: Law, instrument: str, ref: str, field: str) -> Version:
    """A version id (``2010``) or a date (``2015-01-01``: the version in force that day)."""
    if _DATE_LIKE.match(ref):
        from socins_cli.dates import parse_date

        return law.version_on(instrument, parse_date(ref, field))
    inst = law.instrument(instrument)
    v = inst.version(ref)
    if v is None:
        raise InputError(field, ref, "expected a version id (" + ", ".join(x.id for x in inst.versions) + ") or a date YYYY-MM-DD")
    return v


def skeleton(text: str) -> str:
    """The text without punctuation, whitespace or width differences: what substance compares."""
    return "".join(
        c for c in fold(text) if not unicodedata.category(c).startswith(("P", "Z", "C")) and not c.isspace()
    )


def _body(art: Article) -> str:
    """The article without its own heading, so a renumbered article compares equal."""
    text = art.text
    if art.label and text.startswith(art.label):
        text = text[len(art.label):].lstrip()
    return text


def diff_versions(law: Law, instrument: str, before_ref: str, after_ref: str, substantive_only: bool = False) -> dict:
    before = resolve_side(law, instrument, before_ref, "from")
    after = resolve_side(law, instrument, after_ref, "to")
    changes = list(_changes(before, after))
    if substantive_only:
        changes = [c for c in changes if c["substantive"]]
    return {
        "instrument": instrument,
        "from": before.id,
        "to": after.id,
        "from_in_force": version_meta(before)["in_force"],
        "to_in_force": version_meta(after)["in_force"],
        "completeness": {before.id: before.completeness, after.id: after.completeness},
        "changes": changes,
    }


def _changes(before: Version, after: Version):
    b_arts = {a.number: a for a in before.articles}
    a_arts = {a.number: a for a in after.articles}
    removed = [n for n in b_arts if n not in a_arts]
    added = [n for n in a_arts if n not in b_arts]
    # An article that vanished under one number and reappears, same body, under another was renumbered.
    renumbered = {}
    for old in removed:
        for new in added:
            if new not in renumbered.values() and skeleton(_body(b_arts[old])) == skeleton(_body(a_arts[new])):
                renumbered[old] = new
                break
    order = list(b_arts) + [n for n in a_arts if n not in b_arts]
    for number in order:
        if number in b_arts and number in a_arts:
            old, new = b_arts[number], a_arts[number]
            if old.text != new.text:
                yield _change(number, "modified", old, new)
        elif number in renumbered:
            yield {**_change(number, "renumbered", b_arts[number], a_arts[renumbered[number]]),
                   "article_after": renumbered[number]}
        elif number in b_arts:
            yield _change(number, "removed", b_arts[number], None)
        elif number not in renumbered.values():
            yield _change(number, "added", None, a_arts[number])


def _change(number: str, kind: str, old: Article | None, new: Article | None) -> dict:
    before = old.text if old else None
    after = new.text if new else None
    if kind == "modified":
        substantive = skeleton(before) != skeleton(after)
    elif kind == "renumbered":
        substantive = skeleton(_body(old)) != skeleton(_body(new))
    else:
        substantive = True
    out = {"article": number, "kind": kind, "substantive": substantive, "before": before, "after": after}
    if old and new:
        out["paragraphs_changed"] = [
            i + 1
            for i in range(max(len(old.paragraphs), len(new.paragraphs)))
            if (old.paragraphs[i] if i < len(old.paragraphs) else None)
            != (new.paragraphs[i] if i < len(new.paragraphs) else None)
        ]
    return out


def inline_ops(before: str, after: str):
    """Character-level edit script: (op, text) with op in equal|delete|insert, for a reader's inline diff."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield "equal", before[i1:i2]
        else:
            if i2 > i1:
                yield "delete", before[i1:i2]
            if j2 > j1:
                yield "insert", after[j1:j2]


#: git's word-diff convention (``git diff --word-diff=plain``): deletions and insertions marked in the text itself.
WORD_DIFF_MARKS = (("[-", "-]"), ("{+", "+}"))
MARKDOWN_MARKS = (("~~", "~~"), ("**", "**"))


def inline_marked(before: str | None, after: str | None, marks=WORD_DIFF_MARKS) -> str:
    """One text with every deletion and insertion marked, for a reader without colour.

    Without marks, the deleted and inserted words of a modified article run
    together into a text the law never held (``工商行政市场监督管理部门``);
    with them it reads ``[-工商行政-]{+市场监督+}管理部门``.
    """
    (del_open, del_close), (ins_open, ins_close) = marks
    if before is None:
        return f"{ins_open}{after}{ins_close}"
    if after is None:
        return f"{del_open}{before}{del_close}"
    out = []
    for op, text in inline_ops(before, after):
        if op == "equal":
            out.append(text)
        elif op == "delete":
            out.append(f"{del_open}{text}{del_close}")
        else:
            out.append(f"{ins_open}{text}{ins_close}")
    return "".join(out)


def inline_markdown(before: str | None, after: str | None) -> str:
    """``~~deleted~~`` and ``**inserted**`` inline, for a memo."""
    return inline_marked(before, after, MARKDOWN_MARKS)
