"""``socins timeline``: how one person's schemes change over a span of dates.

The law is constant between the dates on which a version, a parameter, a
rule's window or a pilot row begins or ends (``eligibility.compiled(law).
boundaries``), so the person is checked once at the start and once on each
such date inside the span; a scheme is reported on the days its status,
payers, settledness or citations differ from the day before.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from socins_cli import eligibility
from socins_cli.errors import InputError
from socins_cli.law import Law
from socins_cli.person import Person

WATCHED = ("status", "payers", "settled", "citations")


def timeline(law: Law, person: Person, start: _dt.date, end: _dt.date) -> dict:
    if end < start:
        raise InputError("to", end.isoformat(), f"must not be before --from {start.isoformat()}")
    if person.birth is not None and person.birth.first_day() > end:
        raise InputError("birth", str(person.birth), f"must not be after --to {end.isoformat()}")
    days = [start] + [d for d in eligibility.compiled(law).boundaries if start < d <= end]
    changes: dict[str, list] = {s: [] for s in eligibility.SCHEMES}
    previous: dict[str, dict] = {}
    for day in days:
        result = eligibility.check(law, replace(person, as_of=day), inequities=False)
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
        "schemes": [{"scheme": s, "changes": changes[s]} for s in eligibility.SCHEMES],
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
