"""What an article says in which version: ``show``, ``search`` and ``list``.

Full- and half-width forms of a mark are folded to one form before
comparing, character by character, so a hit's position in the folded text
is its position in the verbatim text too.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from functools import lru_cache
from itertools import groupby

from socins_cli.errors import InputError, NotInForceError
from socins_cli.law.load import Law, describe_versions, unheld_caveat, version_spans
from socins_cli.law.model import Instrument, Version, article_label

SNIPPET_CONTEXT = 24


@lru_cache(maxsize=4096)
def fold_char(c: str) -> str:
    """One character's width-neutral form: ``，`` and ``,`` both become ``,``; ``　`` becomes a space."""
    folded = unicodedata.normalize("NFKC", c)
    return folded if len(folded) == 1 else c


def fold(text: str) -> str:
    """Width-fold every character, keeping the length (so positions carry over)."""
    return "".join(fold_char(c) for c in text)


def version_meta(version: Version) -> dict:
    out = {
        "in_force": version.in_force,
        "completeness": version.completeness,
        "confidence": version.confidence,
    }
    if version.note:
        out["version_note"] = version.note
    if version.completeness_note:
        out["completeness_note"] = version.completeness_note
    if version.confidence_note:
        out["confidence_note"] = version.confidence_note
    if not version.date_certain:
        out["date_certain"] = False
    if not version.end_certain:  # its last day is the day before the next version's inferred start
        out["end_certain"] = False
    if version.date_note:  # how the dates were found: the start's, or the end's where that is the uncertain one
        out["date_note"] = version.date_note
    return out


def ceased_warning(result: dict, on: _dt.date) -> str | None:
    """The line saying that provisions of a shown article no longer apply on ``on``, though its version is in force."""
    ceased = result.get("ceased")
    if not ceased or on.isoformat() < ceased["from"]:
        return None
    return (f"{result['instrument']} {result['version']} {article_label(result['article'])}: {ceased['what']} no longer apply "
            f"from {ceased['from']} ({ceased['by'].replace(':', ' art. ', 1)}); the text is given as enacted")


def named_version_on(inst: Instrument, v: Version, as_of: _dt.date, named_by: str) -> dict:
    """Whether a version named (pinned by a citation, asked for by ``show --version``) is in force on ``as_of``;
    if not, the version that is and a warning.

    The named text is still given (it was asked for), but a reader must not
    take it for the law of that day.
    """
    if v.in_force_on(as_of):
        return {"in_force_on_as_of": True}
    current = inst.version_on(as_of)
    first, last = v.marked_span  # ``?`` on an inferred day
    when = f"from {first}" + (f" to {last}" if last else "")
    that_day = (f"the version in force that day is {current.id}" if current is not None
                else f"no version of {inst.id} is in force that day")
    return {"in_force_on_as_of": False, "as_of_version": current.id if current else None,
            "warning": f"{inst.id} {v.id}, {named_by}, is not in force on {as_of.isoformat()} "
                       f"(it is in force {when}); {that_day}; the text given is {v.id}'s"}


def gap_warning(version: Version) -> str | None:
    """The one line that makes a partial or low-confidence text visible, or None for a whole, high-confidence one."""
    if not version.is_gapped:
        return None
    parts = [f"{version.instrument} {version.id}:"]
    if version.completeness != "whole":
        parts.append(f"{version.completeness} text ({version.completeness_note or 'not the whole instrument'});")
    parts.append(f"confidence {version.confidence}")
    return " ".join(parts)


def pick_version(law: Law, instrument_id: str, version: str | None, as_of: _dt.date | None) -> Version:
    if version is not None and as_of is not None:
        raise InputError("version", version, "give either --version or --as-of, not both")
    if version is not None:
        return law.version(instrument_id, version)
    on = as_of or _dt.date.today()
    try:
        return law.version_on(instrument_id, on)
    except NotInForceError as exc:  # say how to read a text anyway: show gives any version asked for by id
        inst = law.instrument(instrument_id)
        upcoming = [v for v in inst.versions if v.effective > on]
        hint = (f"to read it before it takes effect: --version {upcoming[0].id}" if upcoming
                else f"to read its last text: --version {inst.versions[-1].id}") if inst.versions else ""
        raise NotInForceError(exc.field, exc.value, f"{exc.allowed}; {hint}" if hint else exc.allowed) from None


def show(
    law: Law,
    instrument: str,
    article: str,
    version: str | None = None,
    as_of: _dt.date | None = None,
    paragraph: int | None = None,
) -> dict:
    """An article exactly as enacted in one version, with the days that version is in force."""
    v = pick_version(law, instrument, version, as_of)
    art = v.article(str(article))
    if art is None:
        held = _table_or_fact(law, v, str(article))
        if held is not None:
            if paragraph is not None:
                raise InputError("paragraph", paragraph, f"{article} is a table or fact, which has no paragraphs")
            return held
        raise NotInForceError("article", str(article), _lacks_article(
            law, v, str(article), None if version is not None else (as_of or _dt.date.today())))
    inst = law.instrument(instrument)
    out = {
        "instrument": inst.id,
        "version": v.id,
        "article": art.number,
        "label": art.label,
        "title_zh": v.title_zh or inst.title_zh,
        "title_en": inst.title_en,
    }
    if inst.is_draft:  # its in_force days are those it was before the house: it never bound anyone
        out["draft"] = True
    if art.chapter:
        out["chapter"] = art.chapter
    if art.section:
        out["section"] = art.section
    out["text"] = art.text
    out["paragraphs"] = list(art.paragraph_texts())  # 款, items with their paragraph: as -p, cite and search count
    if paragraph is not None:
        if not 1 <= paragraph <= art.paragraph_count:
            count = art.paragraph_count
            raise InputError("paragraph", paragraph, f"{inst.id} {v.id} {article_label(art.number)} has "
                                                     + ("1 paragraph" if count == 1 else f"paragraphs 1-{count}"))
        out["paragraph"] = paragraph
        out["paragraph_text"] = "\n".join(art.paragraph_lines(paragraph))
    out.update(version_meta(v))
    if art.ceased:
        out["ceased"] = dict(art.ceased)
    out["sha256"] = art.sha256
    if art.note:
        out["note"] = art.note
    out["source"] = v.source
    return out


def _lacks_article(law: Law, v: Version, article: str, on: _dt.date | None) -> str:
    """What ``v`` holds, where ``article`` is instead, and every version's days: the error of a missing article."""
    inst = law.instrument(v.instrument)
    which = f"{inst.id} {v.id}" + (f" ({inst.standing_on(on)})" if on else "")
    facts = ", ".join("#" + f.id for f in v.facts)
    if v.articles:
        held = f"has articles {_ranges(', '.join(a.number for a in v.articles))}"
        held += f"; tables {', '.join(v.tables)}" if v.tables else ""
        held += f"; facts {facts}" if facts else ""
    else:
        held = f"holds no article text ({v.completeness}" + (f"; see its facts {facts})" if facts else ")")
        held += f"; tables {', '.join(v.tables)}" if v.tables else ""
    holding = [x.id for x in inst.versions if x.article(article) is not None]
    if not holding:
        caveat = unheld_caveat(inst.versions)
        where = (f"no text socins holds of {inst.id} has article {article}{caveat}" if caveat
                 else f"no version of {inst.id} has article {article}")
    elif len(holding) == 1:
        where = f"article {article} is only in version {holding[0]}"
    else:
        where = f"article {article} is in versions {', '.join(holding)}"
    return f"{which} {held}; {where}; {version_spans(inst)}"


def _table_or_fact(law: Law, v: Version, name: str) -> dict | None:
    """An annex table (``annex-4``) or a fact (``who-pays``, ``#who-pays``) of the version, as ``show`` gives it.

    Citations name tables and facts as well as articles; ``show`` gives what
    they point at. A table's rows are as socins holds them (months as
    YYYY-MM), ``cells`` naming the field under each printed column; a fact is
    a source's words or a summary of them, never statute text.
    """
    inst = law.instrument(v.instrument)
    head = {"instrument": inst.id, "version": v.id, "title_zh": v.title_zh or inst.title_zh, "title_en": inst.title_en}
    if inst.is_draft:  # its in_force days are those it was before the house: it never bound anyone
        head["draft"] = True
    table = v.tables.get(name)
    if table is not None:
        out = {**head, "table": name, "title": table.get("title", "")}
        if table.get("heading"):
            out["heading"] = table["heading"]
        out["columns"] = list(table.get("columns", ()))
        out["cells"] = list(table.get("cells", ()))
        out["rows"] = [dict(r) for r in table.get("rows", ())]
        out.update(version_meta(v))
        out["source"] = v.source
        return out
    fact = v.fact(name[1:] if name.startswith("#") else name)
    if fact is None:
        return None
    out = {**head, "fact": fact.id, "kind": fact.kind, "text": fact.text, "statute_text": False,
           "fact_source": fact.source, "fact_confidence": fact.confidence}
    out.update(version_meta(v))
    out["source"] = v.source
    return out


def describe_instrument(law: Law, instrument: str, version: str | None = None, as_of=None) -> dict:
    """An instrument's metadata, its versions, and the articles and facts a version holds."""
    inst = law.instrument(instrument)
    v = pick_version(law, instrument, version, as_of) if (version or as_of) else inst.versions[-1]
    return {
        "instrument": inst.id,
        "title_zh": inst.title_zh,
        "title_en": inst.title_en,
        "kind": inst.kind,
        **({"draft": True} if inst.is_draft else {}),  # its versions' days are those it was before the house
        "issuer": inst.issuer,
        "document_number": inst.document_number,
        "versions": [_version_row(inst, x) for x in inst.versions],
        "version": v.id,
        "articles": [{"article": a.number, "label": a.label} for a in v.articles],
        "facts": [
            {"fact": f.id, "kind": f.kind, "text": f.text, "source": f.source, "confidence": f.confidence,
             "statute_text": False}
            for f in v.facts
        ],
        **version_meta(v),
    }


def _version_row(inst: Instrument, v: Version) -> dict:
    return {
        "instrument": inst.id,
        "version": v.id,
        "title_zh": v.title_zh or inst.title_zh,
        "title_en": inst.title_en,
        "adopted": v.adopted.isoformat() if v.adopted else None,  # the instrument's own adoption, for every version
        # the decision that amended the instrument into this version, and its date, where the data records them
        "amended": (v.amended_by or {}).get("adopted"),  # ISO already (``load._amended_by``)
        "amended_by": (v.amended_by or {}).get("title_zh"),
        "effective": v.effective.isoformat(),
        # the first day it no longer applies (replaced by the next version, or repealed); in_force.to is the last
        # day it does, as show gives it
        "repealed": v.repealed.isoformat() if v.repealed else None,
        "in_force": v.in_force,
        "date_certain": v.date_certain,
        "end_certain": v.end_certain,  # false where the next version starts on an inferred date
        "date_note": v.date_note or None,
        "completeness": v.completeness,
        "confidence": v.confidence,
        "articles": sum(a.number not in FRONT_MATTER for a in v.articles),
        "front_matter": [a.number for a in v.articles if a.number in FRONT_MATTER],
        "facts": len(v.facts),
    }


#: Parts held under an article's name that are not articles: a preamble, a covering notice. ``list`` counts
#: the articles without them (the 2024 measures have nine articles and a preamble) and names them apart.
FRONT_MATTER = frozenset({"preamble", "notice"})


def list_instruments(law: Law, as_of: _dt.date | None = None):
    """One row per version (only those in force on ``as_of`` when given: never a draft), instruments in id order.

    Each row also names the instrument's group (its rank of law, from
    ``statutes/corpus``) and how many versions socins holds of it.
    """
    from socins_cli.law.groups import group_of

    for inst_id in sorted(law.instruments):
        inst = law.instruments[inst_id]
        group = group_of(law, inst) or {}
        if as_of is not None and group.get("law") is False:
            continue  # a draft is never in force, whatever the dates of its deliberation
        for v in inst.versions:
            if as_of is None or v.in_force_on(as_of):
                yield {**_version_row(inst, v), "kind": inst.kind, "group": group.get("id"),
                       "group_label": group.get("label"), "versions": len(inst.versions)}


def instrument_groups(law: Law, rows: list[dict]) -> list[dict]:
    """The groups that ``rows`` (from ``list_instruments``) fall in, in the data's order, each with its instruments."""
    from socins_cli.law.groups import groups

    out = []
    for group in groups(law) + [{"id": None, "label": "ungrouped", "label_zh": ""}]:
        ids = list(dict.fromkeys(r["instrument"] for r in rows if r["group"] == group["id"]))
        if ids:
            counts = {i: len(law.instruments[i].versions) for i in ids}
            out.append({"group": group["id"], "label": group["label"], "label_zh": group["label_zh"],
                        "instruments": [{"instrument": i, "versions": counts[i]} for i in ids]})
    return out


def search(
    law: Law,
    query: str,
    instrument: str | None = None,
    as_of: _dt.date | None = None,
    all_versions: bool = False,
):
    """Every paragraph (款) containing ``query``, in the versions in force on ``as_of``: one hit each.

    Full- and half-width forms, and traditional and simplified characters,
    match each other; the snippet shows the text as held. A paragraph that
    holds the query more than once is one hit, not one per occurrence (the
    same paragraph listed twice reads as two provisions): ``matches`` counts
    them and ``marks`` gives each one's place in the snippet, so a terminal
    can highlight them all; ``match_start``/``match_end`` are the first's.
    """
    from socins_cli.law.chinese_forms import simplified

    if not query.strip():
        raise InputError("query", query, "expected some text to search for")
    needle = simplified(fold(query))
    instruments = [law.instrument(instrument)] if instrument else [law.instruments[i] for i in sorted(law.instruments)]
    on = as_of or _dt.date.today()
    for inst in instruments:
        for v in inst.versions:
            if not all_versions and not v.in_force_on(on):
                continue
            for art in v.articles:
                for p_number, lines in groupby(zip(art.paragraphs, art.paragraph_of_line()), key=lambda x: x[1]):
                    found = [(line, spans) for line, _ in lines if (spans := _occurrences(line, needle))]
                    if found:
                        yield _hit(inst.id, v, art.number, p_number, found)


def _occurrences(line: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` (folded and simplified) stands in ``line``, as (start, end) offsets, none overlapping."""
    from socins_cli.law.chinese_forms import simplified

    hay, spans = simplified(fold(line)), []
    start = hay.find(needle)
    while start != -1:
        spans.append((start, start + len(needle)))
        start = hay.find(needle, start + len(needle))
    return spans


def unsearched(law: Law, instrument: str | None, as_of: _dt.date | None,
               all_versions: bool = False) -> tuple[list[str], list[str]]:
    """The versions current on ``as_of`` (every version, with ``all_versions``) whose text socins does not hold at
    all: a search cannot find their words.

    Two lists: those with legal force, and drafts or proposals (never in force, so said apart).
    """
    on = as_of or _dt.date.today()
    instruments = [law.instrument(instrument)] if instrument else [law.instruments[i] for i in sorted(law.instruments)]
    unheld = [(inst, v) for inst in instruments for v in inst.versions
              if (all_versions or v.in_force_on(on)) and not any(art.paragraphs for art in v.articles)]
    laws = [f"{inst.id} {v.id}" for inst, v in unheld if inst.has_legal_force]
    drafts = [f"{inst.id} {v.id}" for inst, v in unheld if not inst.has_legal_force]
    return laws, drafts


def count_hidden_hits(law: Law, query: str, instrument: str | None, as_of: _dt.date | None) -> int:
    """Hits in versions not in force on ``as_of``: a hint that ``--all-versions`` finds more."""
    on = as_of or _dt.date.today()
    return sum(
        1
        for hit in search(law, query, instrument, all_versions=True)
        if not law.version(hit["instrument"], hit["version"]).in_force_on(on)
    )


def _hit(instrument: str, v: Version, article: str, paragraph: int, found: list[tuple[str, list]]) -> dict:
    """One paragraph's hit: ``found`` is each of its lines that holds the query, with the occurrences in it."""
    snippet, marks = _snippet(found)
    line, spans = found[0]
    hit = {
        "instrument": instrument,
        "version": v.id,
        "article": article,
        "paragraph": paragraph,
        "snippet": snippet,
        "match": line[spans[0][0]:spans[0][1]],
        "match_start": marks[0][0],
        "match_end": marks[0][1],
        "matches": len(marks),
        "marks": [list(m) for m in marks],
        "in_force": v.in_force,
    }
    if v.is_gapped:
        hit["completeness"] = v.completeness
        hit["confidence"] = v.confidence
    return hit


def _snippet(found: list[tuple[str, list]]) -> tuple[str, list[tuple[int, int]]]:
    """The words around every occurrence, as held, and each occurrence's (start, end) in them.

    Each occurrence is shown with ``SNIPPET_CONTEXT`` characters either side,
    windows that meet made one; ``…`` stands where text is left out, and
    between two windows (text left out, or a line's end).
    """
    snippet, marks, cut = "", [], False
    for line, spans in found:
        for lo, hi, inside in _windows(spans, len(line)):
            if lo > 0 or snippet:
                snippet += "…"
            offset = len(snippet) - lo
            snippet += line[lo:hi]
            marks += [(start + offset, end + offset) for start, end in inside]
            cut = hi < len(line)  # the last window stops short of its line's end
    return snippet + ("…" if cut else ""), marks


def _windows(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int, list]]:
    """(lo, hi, the spans inside) for the text shown around ``spans`` in a line of ``length`` characters."""
    windows: list[tuple[int, int, list]] = []
    for start, end in spans:
        lo, hi = max(0, start - SNIPPET_CONTEXT), min(length, end + SNIPPET_CONTEXT)
        if windows and lo <= windows[-1][1]:  # meets the window before: one window
            lo = windows[-1][0]
            windows[-1] = (lo, hi, windows[-1][2] + [(start, end)])
        else:
            windows.append((lo, hi, [(start, end)]))
    return windows


def _ranges(numbers: str) -> str:
    """``1, 2, 3, 5`` as ``1-3, 5`` so an error line stays one short line."""
    items = [n.strip() for n in numbers.split(",")]
    if not all(i.isdigit() for i in items):
        return numbers
    nums = [int(i) for i in items]
    out, start, prev = [], nums[0], nums[0]
    for n in nums[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if start != prev else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)
