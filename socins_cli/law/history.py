"""One article through every version of its instrument: ``socins history``.

The article is followed as a provision, not as a number: from the version
that holds it (the one in force on the date asked, else the latest), each
earlier and later version's article is the one ``diff.match_articles`` pairs
with it, so an article renumbered by an amendment keeps its history. A
version whose text socins holds only in part, and which lacks the article,
is marked ``not-held``: its silence says nothing about the law.
"""

from __future__ import annotations

import datetime as _dt

from socins_cli.law.diff import changed_substantively, loose_renumbering, match_articles, text_changed
from socins_cli.errors import NotInForceError
from socins_cli.law.load import Law, describe_versions
from socins_cli.law.model import Article, Version
from socins_cli.law.text import version_meta


def article_history(law: Law, instrument: str, article: str, as_of: _dt.date | None = None) -> dict:
    inst = law.instrument(instrument)
    versions = inst.versions
    on = as_of or _dt.date.today()
    anchor = _anchor(versions, article, on)
    if anchor is None:
        raise NotInForceError("article", article, f"no version of {inst.id} holds it; {describe_versions(inst)}")
    chain = provision_chain(versions, anchor, article)
    rows, previous, earlier_whole, earlier_unheld = [], None, False, False
    for i, (v, art) in enumerate(zip(versions, chain)):
        rows.append(_row(v, art, previous, earlier_whole, earlier_unheld))
        if art is None and v.completeness != "whole":
            _add_quoted(rows[-1], v, _nearest(chain, i))
        if art is not None or v.completeness == "whole":
            previous = art
            earlier_whole = True
        else:
            earlier_unheld = True
    loose = [r for r in rows if "likeness" in r]
    out = {
        "instrument": inst.id,
        "article": article,
        # the version whose numbering ``article`` is read in (a provision renumbered since is followed back)
        "read_in": versions[anchor].id,
        "title_zh": inst.title_zh,
        "title_en": inst.title_en,
        "versions": rows,
        "changed_in": [r["version"] for r in rows if r["changed"]],
        "substantive_in": [r["version"] for r in rows if r["substantive"]],
        # versions whose change cannot be told: the text before them is not held (wiir 2003)
        "unknown_in": [r["version"] for r in rows if r["change"] == "unknown"],
    }
    if loose:
        out["warnings"] = [f"{inst.id} {r['version']} art. {r['article']} is paired with art. {r['renumbered_from']} "
                           f"of the version before as the likeliest match ({r['likeness']:.0%} alike), not as "
                           "the same provision: not established" for r in loose]
    return out


def _nearest(chain: list, i: int) -> Article | None:
    """The provision's article in the version nearest to ``i`` that holds it (its number where ``i``'s is unknown)."""
    for distance in range(1, len(chain)):
        for j in (i - distance, i + distance):
            if 0 <= j < len(chain) and chain[j] is not None:
                return chain[j]
    return None


def _add_quoted(row: dict, v: Version, near: Article | None) -> None:
    quoted = quoted_facts(v, near.number) if near is not None else []
    if quoted:
        row["quoted"] = quoted


def quoted_words(q: dict) -> str:
    """One of ``quoted_facts`` in words: ``art. 14 item 6 「…」``."""
    return f"art. {q['article']}" + (f" item {q['item']}" if q.get("item") else "") + f" 「{q['text']}」"


def quoted_facts(v: Version, article: str) -> list[dict]:
    """What a version whose text is not held is quoted as saying in ``article``, from a secondary source: the
    facts that name that article (wiir 2003 art. 14 (六), 国法秘函〔2004〕373号). Never statute text."""
    return [{"fact": f.id, "kind": f.kind, "article": f.article, "item": f.item, "text": f.text, "source": f.source,
             "confidence": f.confidence, "statute_text": False} for f in v.facts if f.article == article]


def provision_chain(versions: tuple[Version, ...], anchor: int, article: str) -> list[Article | None]:
    """The provision that is ``article`` in ``versions[anchor]``, in every version (None where it is not).

    Each neighbour's article is the one ``diff.match_articles`` pairs with it,
    so the chain follows a renumbered provision; ``cite --since`` follows a
    cited provision the same way.
    """
    chain: list[Article | None] = [None] * len(versions)
    chain[anchor] = versions[anchor].article(article)
    for i in range(anchor - 1, -1, -1):
        chain[i] = _counterpart(versions[i], versions[i + 1], _last_known(chain, versions, i + 1, 1), backwards=True)
    for i in range(anchor + 1, len(versions)):
        chain[i] = _counterpart(versions[i - 1], versions[i], _last_known(chain, versions, i - 1, -1), backwards=False)
    return chain


def _anchor(versions: tuple[Version, ...], article: str, on: _dt.date) -> int | None:
    """The version the article number is read in: the one in force on ``on`` if it holds it, else the latest that does."""
    for i, v in enumerate(versions):
        if v.in_force_on(on) and v.article(article) is not None:
            return i
    holding = [i for i, v in enumerate(versions) if v.article(article) is not None]
    return holding[-1] if holding else None


def _last_known(chain: list, versions: tuple[Version, ...], start: int, step: int) -> Article | None:
    """The nearest article found so far, looking from ``start`` towards the anchor.

    A version held only in part that lacks the article is looked past; a
    whole version that lacks it ends the provision (a later article under
    the same number is another provision).
    """
    i = start
    while 0 <= i < len(chain):
        if chain[i] is not None:
            return chain[i]
        if versions[i].completeness == "whole":
            return None
        i += step
    return None


def _counterpart(before: Version, after: Version, known: Article | None, backwards: bool) -> Article | None:
    """The article of the version being read that is the same provision as ``known`` in its neighbour."""
    if known is None:
        return None
    this, other = (before, after) if backwards else (after, before)
    if other.article(known.number) is not known:  # the neighbour does not hold it: match by number
        return this.article(known.number)
    for old, new in match_articles(before, after):
        if (new if backwards else old) is known:
            return old if backwards else new
    return None


#: Changes that cannot be told: this version's text is not held, or the text before it is not.
_UNTOLD = ("not-held", "unknown")


def _row(v: Version, art: Article | None, previous: Article | None, earlier_whole: bool,
         earlier_unheld: bool = False) -> dict:
    row = {"version": v.id, "title_zh": v.title_zh}
    row.update(version_meta(v))
    row["article"] = art.number if art else None
    if art is not None:
        row["label"] = art.label
        row["text"] = art.text
        row["paragraphs"] = list(art.paragraph_texts())  # 款, as show gives them
    change, substantive = _change(v, art, previous, earlier_whole, earlier_unheld)
    row["change"] = change
    if change in _UNTOLD:  # null, as diff's ``substantive`` and ``cite --since``'s ``changed`` say it: not told
        row["changed"] = row["substantive"] = None
    else:
        row["changed"] = change not in ("earliest", "unchanged", "absent")
        row["substantive"] = bool(substantive)
    if change in ("modified", "renumbered"):
        row["before"] = previous.text
        if change == "renumbered":
            row["renumbered_from"] = previous.number
            row["text_changed"] = text_changed(previous, art)  # False: only the heading's number changed
            loose = loose_renumbering(previous, art)
            if loose is not None:  # the likeliest match, not the same provision for certain
                row.update(established=False, likeness=loose)
    if v.amended_by:  # the decision that made this version: it changed the article only where ``change`` says so
        row["amended_by"] = v.amended_by
    return row


def _change(v: Version, art: Article | None, previous: Article | None, earlier_whole: bool,
            earlier_unheld: bool = False) -> tuple[str, bool]:
    """What the version did to the article, and whether it changed its substance.

    ``earlier_whole``: an earlier version is held (whole, or holding the
    article), so an article missing from it and present here was added here.
    ``earlier_unheld``: an earlier version is in force before this one but its
    text is not held, so what this one changed cannot be told (``unknown``).
    """
    if art is None:
        if v.completeness != "whole":
            return "not-held", False
        return ("removed", True) if previous is not None else ("absent", False)
    if previous is None:
        if earlier_whole:
            return "added", True
        return ("unknown", False) if earlier_unheld else ("earliest", False)
    if previous.number != art.number:
        return "renumbered", changed_substantively(previous, art)
    if previous.text == art.text:
        return "unchanged", False
    return "modified", changed_substantively(previous, art)
