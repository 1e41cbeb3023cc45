"""``socins compare``: categories side by side, scheme by scheme, then retirement age and contribution rate.

Each cell is an engine's answer for that category (eligibility for the
schemes, the retirement engine for the age, the encoded rates for the
contribution); a row ``differs`` when the cells differ, and names the
inequity findings (``socins_cli.engines.inequities``) that explain the difference on
that date.
"""

from __future__ import annotations

import datetime as _dt

from socins_cli.law import vocabulary
from socins_cli.dates import parse_date, today
from socins_cli.errors import InputError
from socins_cli.engines.inequities import PERSON_ATTRS, findings_data, FindingsData, Day, evaluate, param_entry, parse_spec, spec_of
from socins_cli.person import make_person


def compare(law, categories: list[dict], as_of: _dt.date | str | None = None) -> dict:
    """Categories side by side on ``as_of``: one row per scheme, then retirement age and contribution rate.

    Each entry of ``categories`` holds person attributes (``category`` and,
    for platform workers, ``relation``; optionally province, industry,
    platform, employers, sex, birth, female_track). A row ``differs`` when
    the categories' answers differ; its ``findings`` name the findings that
    explain the difference on that date.
    """
    on = parse_date(as_of, "as_of") if as_of is not None else today()
    data = findings_data(law)
    if not categories:
        raise InputError("category", None, "give at least one --category to compare")
    people, notes = _people(data, categories, on)
    labels = [label for label, _ in people]
    days = [Day(law, on, {k: getattr(p, k) for k in PERSON_ATTRS}) for _, p in people]
    held = _held_findings(data, people, days)
    rows = []
    for scheme in vocabulary.of(law).schemes:
        cells = []
        for (label, person), day in zip(people, days):
            r = day.scheme(label, scheme)
            cells.append({"category": label, "status": r["status"], "payers": r["payers"],
                          "settled": r.get("settled", True), "citations": r["citations"], "notes": r.get("notes", "")})
        differs = len({(c["status"], tuple(sorted(c["payers"]))) for c in cells}) > 1
        rows.append(_row(data, scheme, cells, differs, held))
    rows.append(_retirement_row(data, people, days, held))
    rows.append(_contribution_row(law, data, people, days, held))
    linked = sorted({i for r in rows for i in r["findings"]}, key=[f.id for f in data.findings].index)
    by_id = {f.id: f for f in data.findings}
    out = {
        "as_of": on.isoformat(),
        "categories": labels,
        "people": [p.as_dict() for _, p in people],
        "rows": rows,
        "findings": [{"id": i, "scheme": by_id[i].scheme, **_summaries(law, by_id[i], on), "categories": held[i]}
                     for i in linked],
    }
    if notes:
        out["notes"] = notes
    return out


def _people(data: FindingsData, categories: list[dict], on: _dt.date) -> tuple[list, list]:
    """(label, person) of each compared category, and notes on what was assumed where the options did not say."""
    people, notes = [], []
    for attrs in categories:
        attrs = dict(attrs)
        spec = attrs.get("category") or ""
        if ":" in str(spec):
            parsed = parse_spec(spec)
            if attrs.get("relation") and attrs["relation"] != parsed["relation"]:
                raise InputError("relation", attrs["relation"], f"contradicts the category spec {spec}")
            attrs.update(parsed)
        attrs.pop("as_of", None)
        person = make_person(**attrs, as_of=on, require_category=True)
        assumed = {k: v for k, v in data.asked_as.get(person.category, {}).items() if getattr(person, k) is None}
        if assumed:  # as the findings ask the category (a part-time worker outside an employer): said, and echoed
            person = make_person(**{**attrs, **assumed}, as_of=on, require_category=True)
            notes.append(_assumed_note(spec_of(person), assumed))
        people.append((spec_of(person), person))
    return people, notes


def _assumed_note(label: str, assumed: dict) -> str:
    """What a compared category was taken to be where the options did not say (the findings' ``[asked_as]``)."""
    given = ", ".join(f"{k} {v}" for k, v in assumed.items())
    options = " ".join(f"--{k.replace('_', '-')}" for k in assumed)
    return (f"{label}: {', '.join(assumed)} not given; compared with {given}, as the findings ask the category "
            f"([asked_as] in statutes/findings/inequities.toml); give {options} to compare another.")


def _held_findings(data: FindingsData, people, days) -> dict:
    """finding id -> the compared categories it holds for on that date (with their own attributes)."""
    held: dict = {}
    for f in data.findings:
        for (label, _), day in zip(people, days):
            if label in f.categories and evaluate(f, day, [label]) is not None:
                held.setdefault(f.id, [])
                if label not in held[f.id]:
                    held[f.id].append(label)
    return held


def _row(data: FindingsData, scheme: str, cells: list, differs: bool, held: dict, notes: list | None = None) -> dict:
    """One matrix row; a difference links the findings on this scheme or topic that hold for a compared category
    against the category the finding compares it with (the employee): a self-employed person beside a resident
    differs, but no finding speaks of that pair. The scheme that narrows a finding (the pilot) is the finding's
    among its own categories too: it speaks of which of them the pilot reaches."""
    ids = []
    if differs:
        labels = {c["category"] for c in cells}
        for f in data.findings:
            narrowing = scheme == f.derive.get("narrowed_by")
            on_row = scheme == f.scheme or scheme in f.schemes or narrowing
            if on_row and (narrowing or f.compared_with in labels) and labels & set(held.get(f.id, ())):
                ids.append(f.id)
    row = {"scheme": scheme, "by_category": cells, "differs": differs, "findings": ids}
    if notes:
        row["notes"] = notes
    return row


def _retirement_row(data: FindingsData, people, days, held) -> dict:
    topic = data.topics.get("retirement-age", {})
    notes = []
    cells = []
    default_sex = topic.get("sex", "female")
    defaulted_track = []
    for (label, person), day in zip(people, days):
        sex = person.sex or default_sex
        cohort = topic["cohort_age"]
        r = day.retire(label, sex, cohort)
        assumed = False
        if r is None and sex == "female" and person.female_track is None and topic.get("female_track"):
            # the engine needs an employed woman's track (worker or cadre): compare on the data's default
            r = day.retire(label, sex, cohort, female_track=topic["female_track"])
            assumed = r is not None
            if assumed:
                defaulted_track.append(label)
        if r is None:
            cells.append({"category": label, "status": None, "payers": [], "value": None, "settled": False,
                          "citations": [], "notes": "The retirement engine gives no age for this person."})
            continue
        cells.append({
            "category": label, "status": None, "payers": [],
            "value": r.get("statutory_age"),
            "original_age": r.get("original_age"),
            "retirement_month": r.get("retirement_month"),
            "birth": r["person"].get("birth"),
            "sex": sex,
            # a track the options did not give is an assumption, not the law's answer: said, and not settled
            "settled": r.get("settled", True) and not assumed,
            "citations": r.get("citations", []),
            "notes": " ".join(([f"Not settled: no --female-track given, compared on the {topic['female_track']} "
                                "track; the other track's age differs."] if assumed else []) + r.get("notes", [])),
        })
    if any(p.sex is None for _, p in people):
        notes.append(f"Sex not given: compared as {default_sex}, where the texts differ.")
    if any(p.birth is None for _, p in people):
        notes.append(f"Birth not given: compared for the cohort that turns {topic['cohort_age']} "
                     "in the month asked about.")
    if defaulted_track:
        notes.append(f"No --female-track given: {', '.join(dict.fromkeys(defaulted_track))} compared on the "
                     f"{topic['female_track']} track.")
    values = {None if c["value"] is None else (c["value"]["years"], c["value"]["months"]) for c in cells}
    differs = len(values) > 1
    return _row(data, "retirement-age", cells, differs, held, notes)


def _contribution_row(law, data: FindingsData, people, days, held) -> dict:
    topic = data.topics.get("contribution-rate", {})
    scheme = topic["scheme"]  # validate requires it: the scheme whose answer says which rates apply
    own_scheme = topic.get("scheme_by_category", {})  # a category whose pension is another scheme's (civil servants)
    owns = [own_scheme.get(label.split(":", 1)[0], scheme) for label, _ in people]
    cells = []
    for (label, _), day, own in zip(people, days, owns):
        r = day.scheme(label, own)
        value, bounds, cits, notes, rates_settled = None, {}, [], [], True
        # a rate entry is for the topic's scheme unless it names another (a civil servant's public-sector pension)
        rate = next((rate for rate in topic.get("rate", []) if rate.get("scheme", scheme) == own
                     and sorted(rate.get("payers", [])) == sorted(r["payers"])), None)
        if rate is not None:
            value, bounds, cits, notes, rates_settled = _rates(law, rate, day.on, notes)
        elif r["payers"]:  # payers no rate entry names (a government share an overlay adds): who pays, not how much
            notes.append(f"No rate is encoded for these payers ({', '.join(r['payers'])}): the {own} answer says "
                         "who pays, not how much.")
        if own != scheme:
            value, note = _other_scheme_rates(own, value)
            notes[:0] = [note] if note else []
        if not cits:  # no encoded rate in force for these payers: the cell rests on the answer that names them
            cits = list(r.get("citations", []))
        cells.append({"category": label, "status": r["status"], "payers": r["payers"], "value": value,
                      **({"bounds": bounds} if bounds else {}),
                      "settled": r.get("settled", True) and own == scheme and rates_settled, "citations": cits,
                      "notes": " ".join(notes)})
    # The row differs where the answers that decide the rates do (status, payers), as every row does, or where the
    # rates encoded do; a rate not encoded is not known to differ.
    differs = (len({(c["status"], tuple(sorted(c["payers"]))) for c in cells}) > 1
               or len({repr((c["value"], c.get("bounds"))) for c, own in zip(cells, owns) if own == scheme}) > 1)
    return _row(data, "contribution-rate", cells, differs, held)


def _other_scheme_rates(own: str, value: dict | None) -> tuple:
    """(value, note or None) of a cell whose pension is another scheme's (a civil servant's): which rates the texts
    held give on the date, none being no value."""
    missing = [who for who in ("individual", "employer") if (value or {}).get(who) is None]
    if len(missing) == 2:
        return None, f"The {own} answer: its rates are not encoded for this date."
    return value, f"The {own} answer: its {missing[0]} rate is not encoded." if missing else None


def _rates(law, rate: dict, on, notes: list) -> tuple:
    """(value, bounds, citations, notes, settled) of one contribution-rate entry's parameters on ``on``: not settled
    where the text does not fix a rate for everyone (the 2019 plan's 16%, which provinces above it may lower to)."""
    value, bounds, cits, settled = {}, {}, [], True
    for who in ("individual", "employer"):
        if not rate.get(who):
            continue
        e = param_entry(law, rate[who], on)
        value[who] = None if e is None else e["value"]
        if e is None:
            continue
        if e.get("bound"):
            bounds[who] = e["bound"]  # the text sets a limit (不得超过, 不得低于), not the rate
        cits += [c for c in e["citations"] if c not in cits]
        if e.get("note"):
            notes.append(f"{who}: {e['note']}")
        settled = settled and e.get("settled", True)
    return value, bounds, cits, notes, settled


def _summaries(law, f, on) -> dict:
    zh, en = f.summaries(law, on)
    return {"summary": zh, "summary_en": en}
