"""The law as it stands beside the law as reformed: each engine asked twice, and every difference named.

Each ``side_by_side_*`` takes the law and the reformed law (``reform.apply_reform``)
and returns ``{"reform": ..., "law": <result>, "reformed": <result>,
"differences": [...]}`` plus the command's own keys (``as_of``, ``person``).
A difference is ``{"field", "law", "reformed"}`` with what it is about
(``scheme``, ``category``, ``id``, ``date``). In the reformed result every
citation of a reform carries ``"proposal": true`` and ``"statute_text": false``:
the answer rests on a proposal, not on law.
"""

from __future__ import annotations

import copy
import datetime as _dt

from socins_cli.engines.reform import NOT_LAW, proposal_ids, reforms_in

#: What a scheme's entry says that can differ (notes follow the rule that decides).
SCHEME_FIELDS = ("status", "payers", "settled", "rule", "citations")
#: Retirement result keys that are not an answer: who and when was asked, and the prose.
RETIREMENT_SKIP = ("as_of", "person", "notes")
FINDING_FIELDS = ("categories", "settled", "citations", "in_force", "details")
CELL_FIELDS = ("status", "payers", "value", "settled", "citations")
CHANGE_FIELDS = ("changed", "status", "payers", "settled", "rule", "citations")


def reform_summary(reformed) -> dict:
    """The reform (or reforms) applied, for the top of every side-by-side result: always ``reforms``, the
    overlays in the order applied; one overlay's own fields beside it too (``id``, ``title`` …).

    Several overlays that add rules for one scheme are combined where each
    placed its rules (each scheme takes the first rule that holds), which
    may mix two proposals for one person: ``overlaps`` names them.
    """
    found = [r.as_dict() for r in reforms_in(reformed)]
    if not found:
        raise ValueError("the reformed law has no reform applied")
    if len(found) == 1:  # the overlay itself, and ``reforms`` as for several, so a script reads one shape
        return {**found[0], "reforms": found}
    out = {"reforms": found, "note": NOT_LAW}
    overlaps = overlapping_schemes(reformed)
    if overlaps:
        out["overlaps"] = overlaps
    return out


def overlapping_schemes(reformed) -> list[dict]:
    """``[{"scheme", "reforms"}]``: each scheme for which more than one applied overlay adds rules."""
    from socins_cli.engines.reform import ELIGIBILITY_RULES

    ids = [r.id for r in reforms_in(reformed)]
    by_scheme: dict[str, list[str]] = {}
    for rule in (reformed.data.get(ELIGIBILITY_RULES) or {}).get("rule", []):
        for rid in (i for i in ids if i in reformed.cited_instruments(rule.get("cite") or [])):
            found = by_scheme.setdefault(rule.get("scheme"), [])
            if rid not in found:
                found.append(rid)
    return [{"scheme": scheme, "reforms": sorted(rids, key=ids.index)}
            for scheme, rids in by_scheme.items() if len(rids) > 1]


def overlap_warnings(summary: dict) -> list[str]:
    """One line per set of overlays that change the same schemes: their answers are combined, not compared."""
    by_overlays: dict[tuple, list[str]] = {}
    for o in summary.get("overlaps", ()):
        by_overlays.setdefault(tuple(o["reforms"]), []).append(o["scheme"])
    return [f"{' and '.join(rids)} both change {', '.join(schemes)}: combined, each scheme takes the first rule "
            "that holds where each overlay placed its rules, which may mix the proposals for one person; ask them "
            "one at a time to compare" for rids, schemes in by_overlays.items()]


def mark_proposals(reformed, result):
    """A copy of ``result`` in which every citation of a reform says it is a proposal, not statute text."""
    ids = proposal_ids(reformed)
    out = copy.deepcopy(result)

    def walk(node):
        if isinstance(node, dict):
            if node.get("instrument") in ids and "version" in node:
                node["proposal"] = True
                node["statute_text"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(out)
    return out


def _wrap(reformed, before: dict, after: dict, differences: list, retirement=None, **head) -> dict:
    out = {**head, "reform": reform_summary(reformed), "law": before, "reformed": after,
           "differences": differences}
    if retirement is not None:
        out["retirement"] = retirement
    early = _before_the_reform(reformed, head.get("to") or head.get("as_of"), "--to" if "to" in head else "--as-of")
    if early:
        out["notes"] = [early]
    return out


def _before_the_reform(reformed, last: str | None, option: str) -> str | None:
    """Why a side-by-side asked before the overlay's date shows no difference: the proposal is not yet "in force"."""
    start = min(r.effective for r in reforms_in(reformed))
    if not last or last >= start.isoformat():
        return None
    return (f"The overlay applies from {start.isoformat()}, after {last}: on the dates asked both sides are the "
            f"law as it stands. Ask with {option} {start.isoformat()} or later to see the proposal's effect.")


# -- check ---------------------------------------------------------------------------------------------

def side_by_side_check(law, reformed, person, explain: bool = False, quote: bool = False) -> dict:
    from socins_cli.engines.answers import check
    from socins_cli.engines.inequities import finding_states

    before = check(law, person, explain=explain, quote=quote)
    after = mark_proposals(reformed, check(reformed, person, explain=explain, quote=quote))
    differences = []
    for a, b in zip(before["schemes"], after["schemes"]):
        for field in SCHEME_FIELDS:
            if _plain(a.get(field)) != _plain(b.get(field)):
                differences.append({"scheme": a["scheme"], "field": field, "law": a.get(field),
                                    "reformed": b.get(field)})
    differences += _finding_presence(before["inequities"], after["inequities"],
                                     [finding_states(side, person) for side in (law, reformed)])
    extra = {}
    ages = _retirement_sides(law, reformed, person)
    if ages is not None:
        extra["retirement"] = ages
        differences += [{"scheme": "retirement-age", "field": f, "law": ages["law"].get(f),
                         "reformed": ages["reformed"].get(f)} for f in ages["differs"]]
    return _wrap(reformed, before, after, differences, as_of=before["as_of"], person=before["person"], **extra)


#: What ``check --reform`` shows of the retirement answer when the person gives sex and birth.
CHECK_RETIREMENT_FIELDS = ("track", "statutory_age", "retirement_month", "settled")


def _retirement_sides(law, reformed, person) -> dict | None:
    """The retirement age on both sides for a person who gives sex and birth (None otherwise, or where none is given)."""
    from socins_cli.errors import InputError

    if person.sex is None or person.birth is None:
        return None
    try:
        both = side_by_side_retirement(law, reformed, person)
    except InputError:  # the engine needs more (a woman employee's track): check does not ask for it
        return None
    sides = {side: {f: both[side].get(f) for f in CHECK_RETIREMENT_FIELDS} for side in ("law", "reformed")}
    sides["differs"] = [f for f in CHECK_RETIREMENT_FIELDS if sides["law"][f] != sides["reformed"][f]]
    if any(c.get("proposal") for c in both["reformed"].get("citations", ())):
        sides["reformed"]["proposal"] = True  # the reformed answer rests on the overlay (★ in tables)
    return sides


def _finding_presence(before: list, after: list, states: list) -> list:
    """Findings that hold on one side only, or only because an answer is open on one side (``open``: the values
    are equal, as a retirement age the overlay aligns is), or hold on both with other parts or another settledness
    (``states``: ``inequities.finding_states`` of each side)."""
    a = {f["id"]: f for f in before}
    b = {f["id"]: f for f in after}
    out = []
    for fid in [*a, *(i for i in b if i not in a)]:
        fa, fb = a.get(fid), b.get(fid)
        held = [side.get(fid, (False, ())) for side in states]
        presence = [("absent" if f is None else "open" if state[0] else "holds") for f, state in zip((fa, fb), held)]
        if presence[0] != presence[1]:
            out.append({"scheme": (fa or fb)["scheme"], "field": "inequity", "id": fid,
                        "law": presence[0], "reformed": presence[1]})
        elif held[0][1] != held[1][1]:  # a part the reform ends (the waiting period): narrowed, as inequities says
            out.append({"scheme": fa["scheme"], "field": "inequity parts", "id": fid,
                        "law": list(held[0][1]), "reformed": list(held[1][1])})
        elif fa.get("settled") != fb.get("settled"):
            out.append({"scheme": fa["scheme"], "field": "inequity settled", "id": fid,
                        "law": fa.get("settled"), "reformed": fb.get("settled")})
    return out


def _plain(value):
    """A value without the proposal marks, so that marking alone is never a difference."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        marks = ("proposal", "statute_text") if value.get("proposal") is True else ()
        return {k: _plain(v) for k, v in value.items() if k not in marks}
    return value


# -- retirement ----------------------------------------------------------------------------------------

def side_by_side_retirement(law, reformed, person, as_of=None) -> dict:
    """The retirement answer on both laws.

    The engine looks ahead (the minimum contribution years of the year the
    person will retire), but only at values whose texts are in force on the
    date asked about. Before the reform takes effect the law as reformed is
    the law as it stands, and it answers: the reformed law has dropped the
    law's values dated from ``effective`` on, which that look-ahead would need.
    """
    from socins_cli.dates import parse_date, today
    from socins_cli.engines.retirement import retirement

    before = retirement(law, person, as_of)
    on = parse_date(before["as_of"], "as_of") if before.get("as_of") else today()
    in_force = on >= min(r.effective for r in reforms_in(reformed))
    after = mark_proposals(reformed, retirement(reformed if in_force else law, person, as_of))
    differences = [{"field": k, "law": before.get(k), "reformed": after.get(k)}
                   for k in dict.fromkeys([*before, *after])
                   if k not in RETIREMENT_SKIP and _plain(before.get(k)) != _plain(after.get(k))]
    return _wrap(reformed, before, after, differences, as_of=before["as_of"], person=before["person"])


# -- inequities ----------------------------------------------------------------------------------------

def side_by_side_inequities(law, reformed, as_of=None, category: str | None = None,
                            scheme: str | None = None, income=None) -> dict:
    """Findings that hold on one side only (field ``holds``), and what changed in those on both.

    ``in_force`` can differ before the reform's date: a finding the reform
    ends still holds on that day in both, but in the reformed law it ends
    the day before the reform takes effect.
    """
    from socins_cli.engines.inequities import inequities

    before = inequities(law, as_of, category=category, scheme=scheme, income=income)
    after = mark_proposals(reformed, inequities(reformed, as_of, category=category, scheme=scheme, income=income))
    a = {f["id"]: f for f in before["inequities"]}
    b = {f["id"]: f for f in after["inequities"]}
    differences = []
    for fid in [*a, *(i for i in b if i not in a)]:
        fa, fb = a.get(fid), b.get(fid)
        if fa is None or fb is None:
            differences.append({"id": fid, "scheme": (fa or fb)["scheme"], "field": "holds",
                                "law": fa is not None, "reformed": fb is not None})
            continue
        for field in FINDING_FIELDS:
            if _plain(fa.get(field)) != _plain(fb.get(field)):
                differences.append({"id": fid, "scheme": fa["scheme"], "field": field,
                                    "law": fa.get(field), "reformed": fb.get(field)})
    head = {"as_of": before["as_of"]} if income is None else {"as_of": before["as_of"], "income": income}
    return _wrap(reformed, before, after, differences, **head)


# -- compare -------------------------------------------------------------------------------------------

def side_by_side_compare(law, reformed, categories: list[dict], as_of=None) -> dict:
    from socins_cli.engines.compare import compare

    before = compare(law, categories, as_of)
    after = mark_proposals(reformed, compare(reformed, categories, as_of))
    differences = []
    for ra, rb in zip(before["rows"], after["rows"]):
        for ca, cb in zip(ra["by_category"], rb["by_category"]):
            for field in CELL_FIELDS:
                if field in ca or field in cb:
                    if _plain(ca.get(field)) != _plain(cb.get(field)):
                        differences.append({"scheme": ra["scheme"], "category": ca["category"], "field": field,
                                            "law": ca.get(field), "reformed": cb.get(field)})
        for field in ("differs", "findings"):
            if ra[field] != rb[field]:
                differences.append({"scheme": ra["scheme"], "category": None, "field": field,
                                    "law": ra[field], "reformed": rb[field]})
    return _wrap(reformed, before, after, differences, as_of=before["as_of"], categories=before["categories"])


# -- timeline ------------------------------------------------------------------------------------------

def side_by_side_timeline(law, reformed, person, start: _dt.date, end: _dt.date) -> dict:
    """Each scheme's changes on both sides; a difference is a date on which the two timelines part."""
    from socins_cli.engines.timeline import timeline

    before = timeline(law, person, start, end)
    after = mark_proposals(reformed, timeline(reformed, person, start, end))
    differences = []
    for sa, sb in zip(before["schemes"], after["schemes"]):
        a = {c["date"]: c for c in sa["changes"]}
        b = {c["date"]: c for c in sb["changes"]}
        for day in sorted(set(a) | set(b)):
            ca, cb = a.get(day), b.get(day)
            if _change(ca) != _change(cb):
                differences.append({"scheme": sa["scheme"], "date": day, "field": "change",
                                    "law": ca, "reformed": cb})
    return _wrap(reformed, before, after, differences, **{"from": before["from"], "to": before["to"]},
                 person=before["person"])


def _change(c: dict | None):
    return None if c is None else {k: _plain(c.get(k)) for k in CHANGE_FIELDS}
