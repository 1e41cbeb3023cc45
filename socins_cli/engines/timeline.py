"""``socins timeline``: how one person's schemes change over a span of dates.

The law is constant between the dates on which a version, a parameter, a
rule's window or a pilot row begins or ends (``eligibility.compiled(law).
boundaries``), and a person's answer between the months in which they reach
an age a rule tests or the statutory retirement age
(``eligibility.age_change_days``, ``retirement_change_days``), so the person is
checked once at the start and once on each such date inside the span; a
scheme is reported on the days its status, payers, settledness or citations
differ from the day before.
"""

from __future__ import annotations

import datetime as _dt
from msgspec.structs import replace

from socins_cli.engines import eligibility

from socins_cli.law import vocabulary
from socins_cli.errors import InputError
from socins_cli.law.load import Law
from socins_cli.person import Person

WATCHED = ("status", "payers", "settled", "citations")


def timeline(law: Law, person: Person, start: _dt.date, end: _dt.date) -> dict:
    if end < start:
        raise InputError("to", end.isoformat(), f"must not be before --from {start.isoformat()}")
    if person.birth is not None and person.birth.first_day() > end:
        raise InputError("birth", str(person.birth), f"must not be after --to {end.isoformat()}")
    days = sorted({start, *(d for d in eligibility.compiled(law).boundaries if start < d <= end),
                   *eligibility.age_change_days(law, person.birth, start, end),  # the ages the rules test
                   *eligibility.retirement_change_days(law, person, start, end)})  # and the retirement month
    schemes = vocabulary.of(law).schemes
    changes: dict[str, list] = {s: [] for s in schemes}
    previous: dict[str, dict] = {}
    for day in days:
        result = eligibility.answer_schemes(law, replace(person, as_of=day), day)
        for entry in result["schemes"]:
            scheme = entry["scheme"]
            before = previous.get(scheme)
            changed = [k for k in WATCHED if before is None or before[k] != entry[k]]
            if changed:
                changes[scheme].append({
                    "date": day.isoformat(),
                    "changed": changed if before is not None else ["start"],
                    "status": entry["status"],
                    "payers": entry["payers"],
                    "settled": entry["settled"],
                    "citations": entry["citations"],
                    "rule": entry.get("rule"),
                    "notes": entry.get("notes"),
                })
            previous[scheme] = entry
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "person": replace(person, as_of=None).as_dict(),
        "schemes": [{"scheme": s, "changes": changes[s]} for s in schemes],
    }


def change_rows(result: dict):
    """One flat row per change, in date order: for tables, CSV and JSON Lines."""
    rows = [
        {"date": c["date"], "scheme": s["scheme"], **{k: c[k] for k in ("changed", "status", "payers", "settled")},
         "citations": c["citations"], "rule": c["rule"]}
        for s in result["schemes"]
        for c in s["changes"]
    ]
    rows.sort(key=lambda r: r["date"])
    return rows


def _unversioned(citations) -> list:
    return [{k: v for k, v in c.items() if k not in ("version", "completeness", "confidence")} for c in citations]


def fold_version_changes(rows: list[dict]) -> list[dict]:
    """A day on which schemes only move to a new version of the same articles, as one row for that day.

    On 2018-12-29 every scheme's citations move from sil 2010 to sil 2018
    with the same status, payers and articles: nine rows that say one thing.
    They become one row: ``scheme`` lists the schemes, ``changed`` is
    ``["version"]`` and ``citations`` says ``sil 2010 → 2018``. A change in
    any article, status or payer keeps its own row.
    """
    previous: dict = {}  # scheme -> its citations before this row
    folded: dict = {}  # date -> the folded row
    out = []
    for r in rows:
        before = previous.get(r["scheme"])
        previous[r["scheme"]] = r["citations"]
        if r["changed"] == ["citations"] and before is not None and _unversioned(before) == _unversioned(r["citations"]):
            moves = sorted({f"{b['instrument']} {b['version']} → {a['version']}"
                            for b, a in zip(before, r["citations"]) if b["version"] != a["version"]})
            row = folded.get(r["date"])
            if row is None:
                row = folded[r["date"]] = {"date": r["date"], "scheme": [], "changed": ["version"], "status": None,
                                           "payers": [], "settled": None, "citations": [], "rule": None}
                out.append(row)
            row["scheme"].append(r["scheme"])
            row["citations"] += [m for m in moves if m not in row["citations"]]
            continue
        out.append(r)
    return out
