"""What each reform overlay would do to the inequity findings: which it removes, narrows or leaves.

``socins reforms`` lists the shipped overlays (``describe``) and, with
``--effect``, asks the findings on one date under the law and under each
overlay (``effect``). A finding is

- *removed* when it holds under the law and not under the overlay (open,
  ``"settled": false``, where the overlay's own answers on its schemes are
  not settled for a category: it ends only as the overlay answers them);
- *narrowed* when it holds under both but for fewer categories, fewer
  schemes within a category, or fewer of its parts (``[[finding.parts]]``) —
  or when it ends only for people whose income reaches a bound the overlay's
  rules test (the findings are first asked without an income, as
  ``socins inequities`` asks them, then at that bound);
- *left* otherwise (its evidence or settledness may still change), and on a
  date before the overlay takes effect, which ``how`` says;
- *added* when it holds only under the overlay.

Everything here is read from the findings' own results: no overlay or
finding is named in code.
"""

from __future__ import annotations

import datetime as _dt

from socins_cli.engines.reform import ELIGIBILITY_RULES, apply_reform, paper_source, read_overlay, reforms_in

REMOVES, NARROWS, LEAVES, ADDS = "removes", "narrows", "leaves", "adds"
#: Where ``how`` goes on to say for whom an effect is open (``open_for``): a table shows what comes before it.
OPEN_FOR = ", as the overlay answers; open for "


def describe(path, raw: dict | None = None, law=None) -> dict:
    """One overlay as ``socins reforms`` lists it: id, titles, source, date, and what it touches.

    With ``law``, the source is the paper as ``check --reform`` cites it (its
    authors, title and year from the findings' ``[paper.*]``), not a key alone.
    """
    raw = read_overlay(path) if raw is None else raw
    meta = raw.get("reform") or {}
    source = meta.get("source") or {}
    effective = meta.get("effective")
    if law is not None and isinstance(source, dict):
        source = paper_source(law, source, str(path))
    return {
        "id": meta.get("id"),
        "title": meta.get("title_en"),
        "title_zh": meta.get("title_zh"),
        "source": {k: source[k] for k in ("paper", "part", "kind", "authors", "title_zh", "title_en", "year",
                                          "year_note") if k in source},
        "effective": effective.isoformat() if isinstance(effective, _dt.date) else effective,
        "touches": touches(raw),
        "file": str(path),
    }


def touches(raw: dict) -> list[str]:
    """What an overlay changes: the schemes its rules decide, the retirement groups it assigns, its parameters."""
    out = []
    for rule in raw.get("rule") or []:
        scheme = rule.get("scheme") if isinstance(rule, dict) else None
        if scheme and scheme not in out:
            out.append(scheme)
    for a in raw.get("assignment") or []:
        if isinstance(a, dict):
            label = "retirement (" + "/".join(str(a[k]) for k in ("group", "sex") if a.get(k)) + ")"
            if label not in out:
                out.append(label)
    for name in raw.get("parameter") or {}:
        out.append(f"parameter {name}")
    return out


def income_bounds(reformed, on: _dt.date) -> list:
    """The lower income bounds the applied overlays' rules test on ``on`` (the incomes from which they reach people)."""
    from socins_cli.engines.eligibility import income_bound

    ids = {r.id for r in reforms_in(reformed)}
    found = []
    for rule in (reformed.data.get(ELIGIBILITY_RULES) or {}).get("rule", []):
        if not ids & reformed.cited_instruments(rule.get("cite") or []):
            continue
        when = rule.get("when")
        for w in [when] if isinstance(when, dict) else (when or []):
            bound = (w.get("income") or {}).get("min")
            value = income_bound(reformed, bound, on) if bound is not None else None
            if value is not None and value not in found:
                found.append(value)
    return sorted(found)


def effect(law, path, as_of: _dt.date) -> dict:
    """The findings on ``as_of`` under the law and under the overlay at ``path``, each classified."""
    from socins_cli.engines.inequities import inequities

    reformed = apply_reform(law, path)
    reform = reforms_in(reformed)[-1]
    before = _by_id(inequities(law, as_of))
    if as_of < reform.effective:  # nothing to weigh: say so, rather than "leaves" as if the paper left it
        return {"reform": reform.id, "effective": reform.effective.isoformat(), "as_of": as_of.isoformat(),
                "findings": [{"finding": fid, "effect": LEAVES, "how": f"not in effect on {as_of.isoformat()} "
                              f"(from {reform.effective.isoformat()}): ask --as-of {reform.effective.isoformat()} or later"}
                             for fid in before]}
    after = _by_id(inequities(reformed, as_of))
    probes = {income: _by_id(inequities(reformed, as_of, income=income)) for income in income_bounds(reformed, as_of)}
    rows = [_classify(reformed, as_of, fid, fa, after.get(fid), probes) for fid, fa in before.items()]
    rows += [{"finding": fid, "effect": ADDS, "how": "holds only as reformed"} for fid in after if fid not in before]
    return {"reform": reform.id, "effective": reform.effective.isoformat(), "as_of": as_of.isoformat(),
            "findings": rows}


def _classify(reformed, as_of: _dt.date, fid: str, fa: dict, fb: dict | None, probes: dict) -> dict:
    """One finding that holds under the law: removed, narrowed or left by the overlay (``probes``: the findings
    as reformed at each income bound its rules test), open where the overlay's answers it rests on are."""
    from socins_cli.engines.inequities import Day, holds_only_as_open

    if fb is None:
        return _open_where_unsettled({"finding": fid, "effect": REMOVES, "how": "ends for every category"},
                                     Day(reformed, as_of), fid, fa["categories"], "such as a rate or who pays")
    if holds_only_as_open(fb) and not holds_only_as_open(fa):
        return {"finding": fid, "effect": REMOVES, "settled": False,
                "how": "ends as the overlay is read; open: it holds as reformed only because the overlay's "
                       "answers are not settled (their notes say what the paper leaves open)"}
    how, income, probed = narrowing(fa, fb), None, fb
    for bound, found in probes.items():
        if how:
            break
        income, probed = bound, found.get(fid)
        if probed is None:
            how = f"ends where monthly income is at least {income:g} yuan"
        elif narrowing(fa, probed):
            how = narrowing(fa, probed) + f" where monthly income is at least {income:g} yuan"
    if not how:
        return {"finding": fid, "effect": LEAVES, "how": ""}
    # open where the overlay's answers are, for the categories it no longer holds for (else all)
    gone = [c for c in fa["categories"] if probed is None or c not in probed["categories"]]
    return _open_where_unsettled({"finding": fid, "effect": NARROWS, "how": how},
                                 Day(reformed, as_of, {"income": income} if income else None), fid,
                                 gone or fa["categories"], "such as a threshold, a rate or who pays")


def _open_where_unsettled(row: dict, day, fid: str, categories: list, such_as: str) -> dict:
    """``row`` marked open (``settled: false``, and ``how`` says for whom) where the overlay's answers on the
    finding's schemes are not settled for one of ``categories``."""
    unsettled = open_as_reformed(day, fid, categories)
    if unsettled:
        row.update(settled=False, open_for=unsettled, how=row["how"] + OPEN_FOR + ", ".join(unsettled)
                   + f": the overlay's answers there are not settled (their notes say what the paper leaves open, "
                     f"{such_as})")
    return row


def open_as_reformed(day, fid: str, categories: list) -> list[str]:
    """The categories whose answers on a finding's schemes, as reformed (``day``: an inequities ``Day`` of the
    reformed law), are not settled: the finding ends there only as the overlay answers them (a payer added, no
    rate set), which leaves it open."""
    from socins_cli.engines.inequities import findings_data
    from socins_cli.errors import InputError

    data = findings_data(day.law)
    f = next((f for f in data.findings if f.id == fid), None)
    if f is None:
        return []
    schemes = {f.scheme, *f.schemes, data.topics.get(f.scheme, {}).get("scheme")}
    out = []
    for label in categories:
        try:
            entries = day.check(label)
        except InputError:
            continue
        if any(not entries[s].get("settled", True) for s in schemes if s in entries):
            out.append(label)
    return out


def _by_id(result: dict) -> dict:
    return {f["id"]: f for f in result["inequities"]}


def narrowing(before: dict, after: dict) -> str:
    """How a finding that holds on both sides is narrower as reformed ("" when it is not)."""
    gone = [c for c in before["categories"] if c not in after["categories"]]
    if gone:
        return "no longer for " + ", ".join(gone)
    pairs_a = _category_schemes(before)
    pairs_b = _category_schemes(after)
    if pairs_b < pairs_a:
        schemes = sorted({s for _, s in pairs_a - pairs_b})
        return "no longer in " + ", ".join(schemes)
    parts_a = {p["id"] for p in before.get("details", {}).get("parts", [])}
    parts_b = {p["id"] for p in after.get("details", {}).get("parts", [])}
    if parts_b < parts_a:
        return "part ended: " + ", ".join(sorted(parts_a - parts_b))
    return ""


def _category_schemes(finding: dict) -> set:
    by_category = finding.get("details", {}).get("by_category", {})
    return {(c, s) for c, detail in by_category.items() for s in detail if s != "narrowed_by"}


def effects(law, paths, as_of: _dt.date) -> list[dict]:
    """``effect`` for each overlay, with its description."""
    return [{**describe(p, law=law), **effect(law, p, as_of)} for p in paths]


#: What every listing of the overlays says of them.
NOTE = "proposals, not law"


def listing(law, as_of: _dt.date, with_effect: bool = False) -> dict:
    """What ``socins reforms`` prints as JSON: the shipped overlays, and with ``with_effect`` what each does to the
    findings on ``as_of``; the command, the API and the MCP tool all answer from it."""
    from socins_cli.engines.reform import shipped

    found = shipped()
    if with_effect:
        return {"as_of": as_of.isoformat(), "note": NOTE, "reforms": effects(law, [p for p, _ in found], as_of)}
    return {"note": NOTE, "reforms": [describe(p, raw, law) for p, raw in found]}
