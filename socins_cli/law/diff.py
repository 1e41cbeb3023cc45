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

from socins_cli.errors import InputError, NotInForceError
from socins_cli.law.load import Law
from socins_cli.law.model import Article, Version
from socins_cli.law.text import fold, version_meta

_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_side(law: Law, instrument: str, ref: str, field: str) -> Version:
    """A version id (``2010``) or a date (``2015-01-01``: the version in force that day)."""
    if _DATE_LIKE.match(ref):
        from socins_cli.dates import parse_date

        try:
            return law.version_on(instrument, parse_date(ref, field))
        except NotInForceError as exc:  # named as the argument given (from, to), not as --as-of
            raise NotInForceError(field, ref, exc.allowed) from None
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


def count_words(result: dict) -> str:
    """``3 change(s)``, or where some cannot be told (a text not held), how many are known and how many not."""
    changes = result["changes"]
    unknown = sum(c["kind"] == "unknown" for c in changes)
    if not unknown:
        return f"{len(changes)} change(s)"
    return f"{len(changes) - unknown} change(s) established, {unknown} article(s) whose change is unknown"


def kind_text(result: dict, change: dict) -> str:
    """The change's kind as plain text says it: ``added``, or ``added (not established: 2003 is summary-only)``.

    An article a partial text lacks may still be in that version, so a table
    or a pipe must not read "added" or "removed" as a fact where JSON says
    ``"established": false``.
    """
    if change.get("established", True):
        return change["kind"]
    if "likeness" in change:  # a renumbering paired as the likeliest match, not as the same words
        return f"{change['kind']} (not established: the likeliest match, {change['likeness']:.0%} alike)"
    side = result["from"] if change["before"] is None else result["to"]
    held = result.get("completeness", {}).get(side, "not whole")
    return f"{change['kind']} (not established: {result['instrument']} {side} is {held})"


def diff_versions(law: Law, instrument: str, before_ref: str, after_ref: str, substantive_only: bool = False) -> dict:
    inst = law.instrument(instrument)
    before = resolve_side(law, inst.id, before_ref, "from")
    after = resolve_side(law, inst.id, after_ref, "to")
    changes = list(_changes(before, after))
    if substantive_only:
        changes = [c for c in changes if c["substantive"]]
    warnings = []
    for side, kind in ((before, "added"), (after, "removed")):
        if side.completeness != "whole":
            # An article a partial text lacks may still be in the law: its absence proves nothing. A version
            # holding no article text at all (summary-only) tells nothing of any article: what became of each
            # is unknown, as ``history`` says.
            unheld = not any(art.paragraphs for art in side.articles)
            for c in changes:
                if c["kind"] == kind:
                    c["established"] = False
                    if unheld:
                        c.update(kind="unknown", substantive=None)
            held = side.completeness_note or "not held whole"
            warnings.append(f"{inst.id} {side.id} holds no article text ({held}): what changed in each article is "
                            "unknown" if unheld else
                            f"{inst.id} {side.id} is {side.completeness} ({held}): an article it lacks may still be in "
                            f"that version, so '{kind}' is not established")
    loose = [c for c in changes if "likeness" in c]
    if loose:
        warnings.append(f"{len(loose)} renumbering(s) of {inst.id} {before.id} → {after.id} pair articles less than "
                        f"{SAME_PROVISION:.0%} alike, in the whole and in the opening paragraph, as the likeliest "
                        "match, not as the same provision ("
                        + ", ".join(f"art. {c['article']} → {c['article_after']}" for c in loose)
                        + "): not established")
    out = {
        "instrument": inst.id,
        "from": before.id,
        "to": after.id,
        "from_in_force": version_meta(before)["in_force"],
        "to_in_force": version_meta(after)["in_force"],
        "completeness": {before.id: before.completeness, after.id: after.completeness},
        "changes": changes,
    }
    for side, version in (("from", before), ("to", after)):  # false where a day is inferred, as ``show`` marks it
        if not version.date_certain:
            out[f"{side}_date_certain"] = False
        if not version.end_certain:
            out[f"{side}_end_certain"] = False
    if warnings:
        out["warnings"] = warnings
    return out


#: Two articles are the same provision when their bodies share at least this share of character pairs (Dice).
SAME_PROVISION = 0.5


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset([text])


def _dice(x: frozenset[str], y: frozenset[str]) -> float:
    return 2 * len(x & y) / (len(x) + len(y))


def match_articles(before: Version, after: Version) -> list[tuple[Article | None, Article | None]]:
    """Pair each article of ``before`` with the same provision in ``after`` (or None), in order.

    Articles are aligned in order by text similarity, not by number, so an
    amendment that inserts or deletes articles (and shifts every number after
    them) pairs each provision with itself under its new number. Within that
    alignment a same-numbered pair is preferred on ties; an article rewritten
    beyond recognition under its own number still pairs with it; and an
    article moved out of order pairs with the leftover most like it
    (``_pair_the_rest``) before any pairs by number.
    """
    olds, news = before.articles, after.articles
    weight = _similarity(olds, news)
    pairs = _aligned(weight, len(olds), len(news))
    taken = set(pairs.values())
    _pair_the_rest(olds, news, pairs, taken)
    out: list[tuple[Article | None, Article | None]] = [(a, news[pairs[i]] if i in pairs else None)
                                                        for i, a in enumerate(olds)]
    out += [(None, b) for j, b in enumerate(news) if j not in taken]
    return out


def _similarity(olds, news) -> list[list[float]]:
    """How alike each old article's body is to each new one's (0 below ``SAME_PROVISION``); same number breaks ties."""
    weight = [[0.0] * len(news) for _ in olds]
    new_grams = [_bigrams(skeleton(_body(b))) for b in news]
    for i, a in enumerate(olds):
        x = _bigrams(skeleton(_body(a)))
        for j, b in enumerate(news):
            sim = _dice(x, new_grams[j])
            if sim >= SAME_PROVISION:
                weight[i][j] = sim + (0.01 if a.number == b.number else 0.0)
    return weight


def _aligned(weight: list[list[float]], n_old: int, n_new: int) -> dict[int, int]:
    """The heaviest order-keeping alignment (a weighted longest common subsequence): old index -> new index."""
    best = [[0.0] * (n_new + 1) for _ in range(n_old + 1)]
    for i in range(n_old - 1, -1, -1):
        for j in range(n_new - 1, -1, -1):
            take = best[i + 1][j + 1] + weight[i][j] if weight[i][j] else 0.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    pairs: dict[int, int] = {}
    i = j = 0
    while i < n_old and j < n_new:
        if weight[i][j] and best[i][j] == best[i + 1][j + 1] + weight[i][j]:
            pairs[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


#: An article the in-order alignment leaves over pairs with the likeliest leftover of the other version
#: when their bodies share at least this share of character pairs: a provision moved out of order and reworded.
MOVED_PROVISION = 0.4


def _pair_the_rest(olds, news, pairs: dict, taken: set) -> None:
    """Articles left over pair as moved provisions, most alike first; then with their own number (rewritten in place).

    An amendment that reorders articles (tul 1992 art. 20 is 2001 art. 28,
    word for word) crosses the in-order alignment. Among the leftovers, the
    pairs most alike are taken first, an unchanged body above all, so a moved
    article is not paired with an unrelated one that happens to share its number.
    """
    left = [i for i in range(len(olds)) if i not in pairs]
    free = [j for j in range(len(news)) if j not in taken]
    new_grams = {j: (_bigrams(skeleton(_body(news[j]))), _bigrams(skeleton(body_lines(news[j])[0]))) for j in free}
    candidates = []
    for i in left:
        x, x_first = _bigrams(skeleton(_body(olds[i]))), _bigrams(skeleton(body_lines(olds[i])[0]))
        for j in free:
            y, y_first = new_grams[j]
            sim = _dice(x, y)
            if sim >= MOVED_PROVISION:
                # An article split in two pairs with the part that keeps its opening paragraph.
                score = sim + _dice(x_first, y_first)
                candidates.append((-score, olds[i].number != news[j].number, i, j))
    for _, _, i, j in sorted(candidates):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    number_of_new = {b.number: j for j, b in enumerate(news)}
    for i in left:
        j = number_of_new.get(olds[i].number)
        if i not in pairs and j is not None and j not in taken:
            pairs[i] = j
            taken.add(j)


def _changes(before: Version, after: Version):
    for old, new in match_articles(before, after):
        if old is None:
            yield _change(new.number, "added", None, new)
        elif new is None:
            yield _change(old.number, "removed", old, None)
        elif old.number != new.number:
            change = {**_change(old.number, "renumbered", old, new), "article_after": new.number,
                      "text_changed": text_changed(old, new)}
            loose = loose_renumbering(old, new)
            if loose is not None:
                change.update(established=False, likeness=loose)
            yield change
        elif old.text != new.text:
            yield _change(old.number, "modified", old, new)


def _change(number: str, kind: str, old: Article | None, new: Article | None) -> dict:
    before = old.text if old else None
    after = new.text if new else None
    substantive = True if old is None or new is None else changed_substantively(old, new)
    out = {"article": number, "kind": kind, "substantive": substantive, "before": before, "after": after}
    if old and new:
        olds, news = body_paragraphs(old), body_paragraphs(new)
        out["paragraphs_changed"] = [
            i + 1
            for i in range(max(len(olds), len(news)))
            if (olds[i] if i < len(olds) else None) != (news[i] if i < len(news) else None)
        ]
    return out


def likeness(old: Article, new: Article) -> float:
    """The share of character pairs two articles' bodies have in common (Dice): 1.0 for the same words."""
    return _dice(_bigrams(skeleton(_body(old))), _bigrams(skeleton(_body(new))))


def loose_renumbering(old: Article, new: Article) -> float | None:
    """How alike a renumbered pair is, where too unlike to establish it as one provision: neither the whole
    nor its opening paragraph at least ``SAME_PROVISION`` alike; else None.

    Such a pair is only the likeliest match among the articles left over
    (``_pair_the_rest``): in the 2001 rewrite of the Trade Union Law, 1992
    art. 7 (the unions of state and collective enterprises) is most like 2001
    art. 37 (those of the other enterprises), 41% alike, a provision of
    another scope. ``diff``, ``history`` and ``cite --since`` report it as
    not established.
    """
    if old.number == new.number:
        return None
    alike = likeness(old, new)
    opening = _dice(_bigrams(skeleton(body_lines(old)[0])), _bigrams(skeleton(body_lines(new)[0])))
    return round(alike, 2) if max(alike, opening) < SAME_PROVISION else None


def text_changed(old: Article, new: Article) -> bool:
    """True unless the two bodies are the same text character for character: a pure renumbering is False."""
    return _body(old) != _body(new)


def weight_words(change: dict) -> str:
    """How much a change changed, as a reader says it: substantive, punctuation/width only, or (a renumbering
    that leaves every word and mark alone) text unchanged."""
    if change.get("substantive"):
        return "substantive"
    if change.get("substantive") is None:
        return "unknown"
    return "text unchanged" if change.get("text_changed") is False else "punctuation/width only"


def changed_substantively(old: Article, new: Article) -> bool:
    """True unless the bodies differ only in punctuation, whitespace or width (the heading's number aside)."""
    return skeleton(_body(old)) != skeleton(_body(new))


def body_lines(art: Article) -> list[str]:
    """The lines with the heading taken off the first, so a renumbered article's first line can compare equal."""
    lines = list(art.paragraphs)
    if art.label and lines and lines[0].startswith(art.label):
        lines[0] = lines[0][len(art.label):].lstrip()
    return lines


def body_paragraphs(art: Article) -> list[str]:
    """The paragraphs (款, their item lines joined to them) as ``show --paragraph`` numbers them, the heading taken
    off the first: what ``paragraphs_changed`` counts."""
    lines, numbers = body_lines(art), art.paragraph_of_line()
    out: list[list[str]] = []
    for line, number in zip(lines, numbers):
        if number > len(out):
            out.append([])
        out[-1].append(line)
    return ["\n".join(p) for p in out]


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


def inline_marked(before: str | None, after: str | None, marks=WORD_DIFF_MARKS, by_line: bool = False) -> str:
    """One text with every deletion and insertion marked, for a reader without colour.

    Without marks, the deleted and inserted words of a modified article run
    together into a text the law never held (``工商行政市场监督管理部门``);
    with them it reads ``[-工商行政-]{+市场监督+}管理部门``.
    """
    (del_open, del_close), (ins_open, ins_close) = marks

    def mark(text: str, opening: str, closing: str) -> str:
        if not by_line:
            return f"{opening}{text}{closing}"
        return "\n".join(f"{opening}{line}{closing}" if line else "" for line in text.split("\n"))

    if before is None:
        return mark(after, ins_open, ins_close)
    if after is None:
        return mark(before, del_open, del_close)
    out = []
    for op, text in inline_ops(before, after):
        if op == "equal":
            out.append(text)
        elif op == "delete":
            out.append(mark(text, del_open, del_close))
        else:
            out.append(mark(text, ins_open, ins_close))
    return "".join(out)


def inline_markdown(before: str | None, after: str | None) -> str:
    """``~~deleted~~`` and ``**inserted**`` inline, for a memo; each line's marks closed on it, as Markdown's
    emphasis does not run on into the next paragraph (lcl 2012 art. 57 inserts items whole)."""
    return inline_marked(before, after, MARKDOWN_MARKS, by_line=True)
