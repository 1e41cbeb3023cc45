"""Inequity findings: where the encoded law treats a worker category worse than an employee.

A finding is data (``statutes/findings/inequities.toml``): the categories it
concerns, its summary, its evidence and a ``derive`` block saying which
engine result to compare. This module evaluates those blocks generically on
a date (eligibility statuses or payers, a ratio of two parameters, the
retirement engine's ages, or the texts alone) and reports a finding only on
the dates its difference exists and its required texts are in force. It
knows no instrument, scheme rule or rate: the data does.

``inequities`` lists the findings on a date, ``compare`` puts categories
side by side scheme by scheme, ``findings_for`` gives ``socins check`` the
findings that concern one person, ``validate_findings`` checks the file.
Nothing is remembered between calls (a ``Day`` shares the engines'
answers within one); ``findings_key`` declares what a category's findings
depend on, for a batch to cache on.
"""

from __future__ import annotations

import bisect
import datetime as _dt

import msgspec

from socins_cli.law import vocabulary
from socins_cli.law.load import instrument_of
from socins_cli.dates import Month, parse_date, today
from socins_cli.errors import DataError, InputError
from socins_cli.person import CATEGORIES, RELATIONS, Person, make_person, normalise_field

FINDINGS_FILE = "findings/inequities"
DERIVE_KINDS = ("status", "payers", "parameter-ratio", "retirement", "evidence")
#: Topic rows ``compare`` adds after the schemes, in order.
COMPARE_TOPICS = ("retirement-age", "contribution-rate")
HOLDS_WHEN = ("greater", "less", "differs")
FINDING_KEYS = {"id", "scheme", "schemes", "categories", "compared_with", "summary_zh", "summary_en", "derive",
                "for_category", "require", "evidence", "category_require", "context", "papers", "settled", "open",
                "parts", "earlier_summaries"}
#: Keys of a finding's ``[[finding.earlier_summaries]]`` entry.
EARLIER_SUMMARY_KEYS = {"before", "summary_zh", "summary_en", "open"}
#: Keys of a finding's ``[[finding.parts]]`` entry and of its ``ends_when``.
PART_KEYS = {"id", "summary_en", "ends_when", "since"}
ENDS_WHEN_KEYS = {"parameter", "value"}
_ONE_DAY = _dt.timedelta(days=1)


# -- category specs --------------------------------------------------------------------------------

def parse_spec(spec: str) -> dict:
    """``"platform:incomplete"`` as ``{"category": "platform", "relation": "incomplete"}``; checked against the contract's ids."""
    text = str(spec).strip()
    category, _, relation = text.partition(":")
    try:  # the ids, or the Chinese labels check accepts (灵活就业人员), read as make_person reads them
        category = normalise_field("category", category.strip() or None)
    except InputError:
        category = None
    if category is None:
        raise InputError("category", spec, "expected one of " + "|".join(CATEGORIES)
                         + " (platform:labor|platform:incomplete|platform:civil for a platform relation)")
    relation = normalise_field("relation", relation.strip() or None)
    if relation is not None and category != "platform":
        raise InputError("relation", relation, f"applies only to category platform, not {category}")
    return {"category": category, "relation": relation}


def spec_of(person: Person) -> str | None:
    """The spec naming a person's category: ``flexible``, ``platform:incomplete``."""
    if person.category is None:
        return None
    return f"{person.category}:{person.relation}" if person.relation else person.category


def _spec_matches(wanted: str, spec: str) -> bool:
    """``platform`` matches every platform relation; ``platform:civil`` only itself."""
    return spec == wanted or (":" not in wanted and spec.split(":", 1)[0] == wanted)


# -- the data, read once per Law ---------------------------------------------------------------------

class Finding(msgspec.Struct, frozen=True):
    id: str
    scheme: str
    schemes: tuple[str, ...]
    categories: tuple[str, ...]
    compared_with: str
    summary_zh: str
    summary_en: str
    derive: dict
    for_category: dict | None
    require: tuple[str, ...]
    evidence: tuple[str, ...]
    category_require: dict
    context: tuple[str, ...]
    papers: tuple[dict, ...]
    settled: bool
    open: str | None
    parts: tuple[dict, ...] = ()
    earlier_summaries: tuple[dict, ...] = ()  # {before (instrument id or date), summary_zh, summary_en}, earliest first

    def summaries(self, law, on: _dt.date) -> tuple[str, str]:
        """(zh, en) as the finding reads on ``on``: a summary that names a later instrument is not yet the claim.

        Each earlier summary holds on the dates before the instrument it
        names as ``before`` first took effect (the first such, in order).
        """
        earlier = self._earlier(law, on)
        if earlier is not None:
            return earlier["summary_zh"], earlier["summary_en"]
        return self.summary_zh, self.summary_en

    def open_on(self, law, on: _dt.date) -> str | None:
        """The ``open`` note as it reads on ``on``: an earlier summary's own, where it gives one."""
        earlier = self._earlier(law, on)
        return earlier.get("open", self.open) if earlier is not None else self.open

    def _earlier(self, law, on: _dt.date) -> dict | None:
        for earlier in self.earlier_summaries:
            if on < summary_change_day(law, earlier):
                return earlier
        return None


def summary_change_day(law, earlier: dict) -> _dt.date:
    """The day an earlier summary stops holding: its ``before`` instrument's first effective day, or ``before``
    itself where it is a date (a step an instrument in force sets for a later day, as a rule answers it)."""
    before = earlier["before"]
    return before if isinstance(before, _dt.date) else law.instrument(before).versions[0].effective


class FindingsData(msgspec.Struct):
    law: object
    vocabulary: vocabulary.Vocabulary  # the compared category and the topics a finding may name
    findings: tuple[Finding, ...]
    papers: dict
    topics: dict
    boundaries: tuple
    asked_as: dict = {}  # category -> the attributes it is asked about with (``[asked_as]``), where not given
    text: dict = {}  # notes the engine adds (``[text]``)


def findings_data(law) -> FindingsData:
    """The findings of ``law``, read once per Law object (the law keeps them)."""
    return law.view("inequities", _read_findings)


def _read_findings(law) -> FindingsData:
    raw = law.required(FINDINGS_FILE, "the inequity findings are missing")
    words = vocabulary.of(law)
    findings = tuple(finding_from(body, words.compared) for body in raw.get("finding", []))
    # a summary that changes on a day of its own (``before`` a date) is a day on which the findings change
    own_days = {e["before"] for f in findings for e in f.earlier_summaries if isinstance(e["before"], _dt.date)}
    return FindingsData(law=law, vocabulary=words, findings=findings, papers=dict(raw.get("paper", {})),
                        topics=dict(raw.get("topic", {})), boundaries=tuple(sorted({*_boundaries(law), *own_days})),
                        asked_as={k: dict(v) for k, v in raw.get("asked_as", {}).items()},
                        text=dict(raw.get("text", {})))


def finding_from(body: dict, compared: str) -> Finding:
    scheme = body.get("scheme", "")
    return Finding(
        id=body.get("id", ""),
        scheme=scheme,
        schemes=tuple(body.get("schemes") or (scheme,)),
        categories=tuple(body.get("categories", ())),
        compared_with=body.get("compared_with", compared),
        summary_zh=body.get("summary_zh", ""),
        summary_en=body.get("summary_en", ""),
        derive=dict(body.get("derive", {})),
        for_category=body.get("for_category"),
        require=tuple(body.get("require", ())),
        evidence=tuple(body.get("evidence", ())),
        category_require=dict(body.get("category_require", {})),
        context=tuple(body.get("context", ())),
        papers=tuple(body.get("papers", ())),
        settled=body.get("settled", True),
        open=body.get("open"),
        parts=tuple(body.get("parts", ())),
        earlier_summaries=tuple(body.get("earlier_summaries", ())),
    )


def _boundaries(law) -> tuple:
    """Every date on which something a finding reads may change: versions, parameters, rule and table dates."""
    dates = set(law.change_dates)
    try:
        from socins_cli.engines import eligibility

        dates.update(eligibility.compiled(law).boundaries)
    except (ImportError, DataError):
        pass
    for day in law.dates_in_data(skip="findings/"):
        dates.add(day)
        dates.add(day + _ONE_DAY)  # an inclusive "to" ends the day after
    return tuple(sorted(dates))


# -- asking the engines, once per date and person within one call ----------------------------------

PERSON_ATTRS = ("sex", "birth", "female_track", "province", "industry", "platform", "employers", "income")


class Day:
    """The engines' answers on one date for the people a comparison needs, each asked once.

    A Day lives for one call (``inequities``, ``compare``, one person's
    findings): the findings of that call share its answers, and nothing is
    kept once the call returns. ``schemes(person)``, when given, is each
    scheme's entry for a person on their ``as_of`` as
    ``eligibility.answer_schemes`` gives them, from a caller that keeps
    answers (a batch); the entries are only read.
    """

    def __init__(self, law, on: _dt.date, attrs: dict | None = None, schemes=None):
        self.law = law
        self.on = on
        data = findings_data(law)
        self.compared = data.vocabulary.compared
        self.asked_as = data.asked_as
        self.attrs = {k: v for k, v in (attrs or {}).items() if k in PERSON_ATTRS and v is not None}
        self.schemes = schemes
        self.checks: dict = {}
        self.retirements: dict = {}

    def person(self, spec: str, **extra) -> Person:
        fields = dict(self.attrs)
        fields.update(parse_spec(spec))
        for name, value in self.asked_as.get(fields["category"], {}).items():
            fields.setdefault(name, value)
        if fields["category"] == self.compared:
            for k in ("industry", "platform", "employers"):
                fields.pop(k, None)
        fields.update(extra)
        if fields.get("sex") == "male":
            fields.pop("female_track", None)
        return make_person(**fields, as_of=self.on)

    def check(self, spec: str) -> dict:
        person = self.person(spec)
        found = self.checks.get(person)
        if found is None:
            if self.schemes is not None:
                entries = self.schemes(person)
            else:
                from socins_cli.engines import eligibility

                entries = eligibility.answer_schemes(self.law, person, self.on)["schemes"]
            found = self.checks[person] = {s["scheme"]: s for s in entries}
        return found

    def seed(self, spec: str, check_result: dict) -> None:
        """Reuse a check already made for this person (``socins check``)."""
        self.checks[self.person(spec)] = {s["scheme"]: s for s in check_result["schemes"]}

    def scheme(self, spec: str, scheme: str) -> dict:
        return self.check(spec)[scheme]

    def retire(self, spec: str, sex: str, cohort_age: int, **extra) -> dict | None:
        """The retirement engine's answer, or None where it gives none (a required attribute it lacks)."""
        birth = self.attrs.get("birth")
        if birth is None:
            birth = Month.of(self.on) + (-12 * int(cohort_age))
        try:
            person = self.person(spec, sex=sex, birth=birth, **extra)
        except InputError:
            return None
        if person not in self.retirements:
            from socins_cli.engines import retirement

            try:
                self.retirements[person] = retirement.retirement(self.law, person, self.on)
            except InputError:
                self.retirements[person] = None
        return self.retirements[person]


def _day(days: dict, law, on: _dt.date, attrs: dict | None = None) -> Day:
    """The call's Day for ``on`` (``days``: the call's own, by date): a span walks many dates, many findings share one."""
    found = days.get(on)
    if found is None:
        found = days[on] = Day(law, on, attrs)
    return found


# -- citations ---------------------------------------------------------------------------------------

def _resolve(law, ref: str, on: _dt.date):
    """The citation on ``on``, or None when its instrument (or pinned version) is not in force or lacks it that day,
    or when a later text has ended provisions of the article by then (its ``ceased``: the 1978 retirement ages from
    2025-01-01). A finding cites no such article then, whichever of its provisions ended (``ceased.what``): the
    findings cite the 1978 articles for their ages, which the 2024 measures restate as 原法定退休年龄."""
    try:
        cit = law.resolve(ref, on)
    except DataError:
        return None
    if cit is None:
        return None
    version = law.version(cit.instrument, cit.version)
    if not version.in_force_on(on):
        return None
    art = version.article(cit.article) if cit.article is not None else None
    if art is not None and art.ceased and on >= _dt.date.fromisoformat(str(art.ceased["from"])):
        return None
    return cit


def _all_resolve(law, refs, on) -> bool:
    return all(_resolve(law, r, on) is not None for r in refs)


def _is_summary(c: dict) -> bool:
    """A citation that is not statute text: a fact, or anything from a summary-only source."""
    return "fact" in c or c.get("completeness") == "summary-only"


def _cite_key(c: dict) -> tuple:
    return tuple((k, c[k]) for k in ("instrument", "version", "article", "paragraph", "fact", "table") if k in c)


class _Citations:
    """Citations of a result, deduplicated per side, in the order first met; category-side ones name their categories."""

    def __init__(self):
        self._items: dict = {}

    def add(self, side: str, cits, category: str | None = None) -> None:
        """Add to a side; evidence already cited on either side is not repeated as evidence."""
        for c in cits:
            if side == "evidence" and any((s, _cite_key(c)) in self._items for s in ("category", "compared_with")):
                continue
            key = (side, _cite_key(c))
            entry = self._items.get(key)
            if entry is None:
                entry = dict(c)
                entry["side"] = side
                if category is not None:
                    entry["categories"] = []
                self._items[key] = entry
            if category is not None and category not in entry.setdefault("categories", []):
                entry["categories"].append(category)

    def ordered(self) -> list[dict]:
        order = {"category": 0, "compared_with": 1, "evidence": 2}
        return sorted(self._items.values(), key=lambda c: order.get(c["side"], 3))


def param_entry(law, name: str, on: _dt.date) -> dict | None:
    """A parameter's value on ``on`` with its from-date, note and resolved citations; None before its first value."""
    entry = law.parameter(name).entry_on(on)
    if entry is None:
        return None
    cits = [c for c in (_resolve(law, r, on) for r in entry.cite) if c is not None]
    if len(cits) < len(entry.cite):
        return None  # a value only stands while the texts it rests on are in force
    out = {"parameter": name, "value": entry.value, "from": entry.start.isoformat(),
           "unit": law.parameter(name).unit, "citations": [c.as_dict() for c in cits]}
    if entry.note:
        out["note"] = entry.note
    if entry.bound:
        out["bound"] = entry.bound
    if not entry.settled:
        out["settled"] = False
    return out


# -- derive kinds ------------------------------------------------------------------------------------

class _Derived(msgspec.Struct):
    """One category's side of a finding on one date."""

    category_citations: list
    compared_citations: list
    details: dict
    settled: bool = True
    notes: list = msgspec.field(default_factory=list)  # (topic, text): merged across categories
    shared: dict = msgspec.field(default_factory=dict)  # details that do not depend on the category
    evidence_citations: list = msgspec.field(default_factory=list)


def _derive_schemes(f: Finding, spec: str, day: Day, what: str) -> _Derived | None:
    """Status or payers of C against the employee's, scheme by scheme; holds where one scheme differs as the data asks."""
    d = f.derive
    schemes = d.get("schemes") or list(f.schemes)
    mine, theirs, details, notes = [], [], {}, []
    settled = True
    for scheme in schemes:
        a = day.scheme(spec, scheme)
        b = day.scheme(f.compared_with, scheme)
        if what == "status":
            differs = a["status"] != b["status"]
        else:
            differs = sorted(a["payers"]) != sorted(b["payers"])
        if not differs:
            continue
        if d.get("category_status") and a["status"] not in d["category_status"]:
            continue
        if d.get("compared_status") and b["status"] not in d["compared_status"]:
            continue
        if d.get("category_payers") is not None and sorted(a["payers"]) != sorted(d["category_payers"]):
            continue
        details[scheme] = {"status": a["status"], "payers": a["payers"],
                           "compared_status": b["status"], "compared_payers": b["payers"]}
        mine += a["citations"]
        theirs += b["citations"]
        for topic, r in ((scheme, a), (f"{scheme}, {f.compared_with}", b)):
            if not r.get("settled", True):
                settled = False
                if r.get("notes"):
                    notes.append((topic, r["notes"]))
    if not details:
        return None
    narrowed = d.get("narrowed_by")
    if narrowed:
        n = day.scheme(spec, narrowed)
        details["narrowed_by"] = {"scheme": narrowed, "status": n["status"], "payers": n["payers"],
                                  "settled": n.get("settled", True), "notes": n.get("notes", ""),
                                  "citations": n["citations"]}
    return _Derived(mine, theirs, details, settled, notes)


def _derive_status(f, spec, day):
    return _derive_schemes(f, spec, day, "status")


def _derive_payers(f, spec, day):
    return _derive_schemes(f, spec, day, "payers")


def _derive_ratio(f: Finding, spec: str, day: Day) -> _Derived | None:
    """numerator / denominator on the date; the numerator is the category's, the denominator the employee's."""
    d = f.derive
    law = day.law
    num = param_entry(law, d["numerator"], day.on)
    den = param_entry(law, d["denominator"], day.on)
    if num is None or den is None or not den["value"]:
        return None
    ratio = num["value"] / den["value"]
    holds_when = d.get("holds_when", "greater")
    if not {"greater": ratio > 1, "less": ratio < 1, "differs": ratio != 1}[holds_when]:
        return None
    context = [e for e in (param_entry(law, n, day.on) for n in d.get("context_parameters", ())) if e]
    shared = {"ratio": round(ratio, 4), "numerator": num, "denominator": den, "context_parameters": context}
    notes = [(e["parameter"], e["note"]) for e in (num, den) if e.get("note")]
    # context values are shown with all their sources; only statute text among them counts as evidence
    evidence = [c for e in context for c in e["citations"] if not _is_summary(c)]
    return _Derived(num["citations"], den["citations"], {}, True, notes, shared, evidence)


def _age_months(result: dict | None) -> int | None:
    age = (result or {}).get("statutory_age")
    return None if age is None else age["years"] * 12 + age["months"]


def _derive_retirement(f: Finding, spec: str, day: Day) -> _Derived | None:
    """The retirement engine for C against the employee, same sex and birth; holds where ages differ or the answer is open."""
    d = f.derive
    sex = d.get("sex", "female")
    if day.attrs.get("sex") not in (None, sex):
        return None
    cohort = d["cohort_age"]
    mine = day.retire(spec, sex, cohort)
    theirs = day.retire(f.compared_with, sex, cohort, **d.get("compared_person", {}))
    a, b = _age_months(mine), _age_months(theirs)
    if a is None or b is None:
        return None
    settled = mine.get("settled", True) and theirs.get("settled", True)
    if a == b and settled:
        return None
    details = {"differs": a != b}  # false: it holds only because an answer is open (reforms --effect reads it)
    notes = []
    for key, topic, r in (("category", "retirement", mine), ("compared_with", f"retirement, {f.compared_with}", theirs)):
        details[key] = {k: r.get(k) for k in ("rule", "track", "original_age", "statutory_age", "delay_months",
                                              "retirement_month", "settled", "notes")}
        details[key]["birth"] = r["person"].get("birth")
        if r.get("alternatives"):
            details[key]["alternatives"] = [{k: alt.get(k) for k in ("track", "statutory_age", "retirement_month")}
                                            for alt in r["alternatives"]]
        if not r.get("settled", True):
            # the engine's first note is the one its rule gives: what the texts leave open
            first = (r.get("notes") or ["the retirement answer is not settled"])[0]
            notes.append((topic, first))
    return _Derived(mine["citations"], theirs["citations"], details, settled, notes)


def holds_only_as_open(finding: dict) -> bool:
    """Whether a finding (as ``inequities`` gives it) holds for no category by a difference, only because an answer
    is open: its details' ``differs`` false for every category (the retirement ages equal, one answer not settled)."""
    found = [d.get("differs") for d in finding.get("details", {}).get("by_category", {}).values()]
    return bool(found) and all(v is False for v in found)


def _derive_evidence(f: Finding, spec: str, day: Day) -> _Derived | None:
    """The texts alone: the category's articles against the employee's, holding while all of them are in force."""
    sides = []
    for key in ("category", "compared"):
        cits = [_resolve(day.law, r, day.on) for r in f.derive.get(key, ())]
        if any(c is None for c in cits):
            return None
        sides.append([c.as_dict() for c in cits])
    return _Derived(sides[0], sides[1], {})


DERIVERS = {
    "status": _derive_status,
    "payers": _derive_payers,
    "parameter-ratio": _derive_ratio,
    "retirement": _derive_retirement,
    "evidence": _derive_evidence,
}


# -- one finding on one date -------------------------------------------------------------------------

def _category_counts(f: Finding, spec: str, day: Day) -> bool:
    """Whether C is within the finding on this date: its own required texts and the eligibility filter."""
    if not _all_resolve(day.law, f.category_require.get(spec, ()), day.on):
        return False
    fc = f.for_category
    if fc:
        r = day.scheme(spec, fc["scheme"])
        if fc.get("status") and r["status"] not in fc["status"]:
            return False
        if "payers" in fc and sorted(r["payers"]) != sorted(fc["payers"]):
            return False
    return True


def evaluate(f: Finding, day: Day, specs=None, with_details: bool = True) -> dict | None:
    """The finding as it holds on ``day.on`` for ``specs`` (default: all its categories), or None where it does not.

    It holds while the texts it requires are in force and its derivation
    (status, payers, a parameter ratio, retirement ages, texts) shows the
    difference for at least one of its categories; the answer gathers the
    citations on both sides, the evidence, and what is open. Without
    ``with_details`` its ``details`` hold only what the derivation found, not
    the context texts, coverage and parts that ``_add_details`` adds (a
    check's list of findings reads none of them).
    """
    law = day.law
    if not _all_resolve(law, f.require, day.on):
        return None
    held = _held_categories(f, day, specs)
    if not held:
        return None
    cits = _Citations()
    settled, notes, details, by_category = _weigh_held(law, f, held, day.on, cits)
    if not _add_evidence(law, f, held, day.on, cits, notes):
        settled = False
    _note_openness(law, f, day.on, notes)
    if with_details:
        _add_details(law, f, day.on, details, by_category)
    return {
        "categories": [spec for spec, _ in held],
        "citations": cits.ordered(),
        "settled": settled,
        "notes": notes,
        "details": details,
    }


def _held_categories(f: Finding, day: Day, specs) -> list[tuple[str, _Derived]]:
    """The finding's categories (those asked for) for which its derivation shows the difference on the day."""
    held: list[tuple[str, _Derived]] = []
    for spec in f.categories:
        if specs is not None and not any(_spec_matches(w, spec) for w in specs):
            continue
        if not _category_counts(f, spec, day):
            continue
        derived = DERIVERS[f.derive.get("kind")](f, spec, day)
        if derived is not None:
            held.append((spec, derived))
    return held


def _weigh_held(law, f: Finding, held: list, on: _dt.date, cits: _Citations) -> tuple[bool, list, dict, dict]:
    """Both sides' citations of each held category; whether all are settled, the notes, the shared and per-category details."""
    settled = f.settled
    merged: dict = {}  # note text -> (topic, the categories it is said of)
    details: dict = {}
    by_category = {}
    for spec, dv in held:
        cits.add("category", dv.category_citations, spec)
        own = [_resolve(law, r, on) for r in f.category_require.get(spec, ())]
        cits.add("category", [c.as_dict() for c in own if c is not None], spec)
        cits.add("compared_with", dv.compared_citations)
        settled = settled and dv.settled
        for topic, text in dv.notes:
            merged.setdefault(text, (topic, []))[1].append(spec)
        details.update(dv.shared)
        if dv.details:
            by_category[spec] = dv.details
    notes = [_note(topic, specs, text, len(held)) for text, (topic, specs) in merged.items()]
    return settled, notes, details, by_category


def _add_evidence(law, f: Finding, held: list, on: _dt.date, cits: _Citations, notes: list) -> bool:
    """Add the evidence citations; False (the finding is open) where part of it is not statute text."""
    for _, dv in held:
        cits.add("evidence", dv.evidence_citations)
    evidence = [c.as_dict() for c in (_resolve(law, r, on) for r in f.evidence) if c is not None]
    cits.add("evidence", evidence)
    summary_only = sorted({_ref_text(c) for c in evidence if _is_summary(c)})
    if summary_only:
        notes.append("Part of the evidence is not statute text (summary, paraphrase or news): "
                     + ", ".join(summary_only) + ".")
        return False
    return True


def _note_openness(law, f: Finding, on: _dt.date, notes: list) -> None:
    """What the data says is open (as it reads on ``on``) comes first."""
    text = f.open_on(law, on)
    if text:
        notes.insert(0, text)
    if not f.settled and not text:
        notes.insert(0, "The finding is marked open in the data.")


def _add_details(law, f: Finding, on: _dt.date, details: dict, by_category: dict) -> None:
    """Per-category figures, context texts, the narrowing scheme's coverage and the finding's parts."""
    if by_category:
        details["by_category"] = by_category
    context = [c.as_dict() for c in (_resolve(law, r, on) for r in f.context) if c is not None]
    if context:
        details["context"] = context
    coverage = _coverage(law, f, on)
    if coverage:
        details.setdefault("narrowing_coverage", coverage)
    if f.parts:
        details["parts"], ended = _parts(law, f, on)
        if ended:
            details["parts_ended"] = ended


def _parts(law, f: Finding, on: _dt.date) -> tuple[list, list]:
    """The finding's parts that hold on ``on``, and those ended: a part ends while its ``ends_when`` parameter has that value.

    The parameter need not be one of the law's: a reform overlay may add it
    (a proposal that ends one part of what a finding reports), and without
    it the part holds.
    """
    held, ended = [], []
    for part in f.parts:
        if part.get("since") and on < law.instrument(part["since"]).versions[0].effective:
            continue  # a part the texts speak of only from a later instrument is not yet part of the finding
        cond = part.get("ends_when") or {}
        entry = param_entry(law, cond["parameter"], on) if cond.get("parameter") in law.parameters else None
        if entry is not None and entry["value"] == cond.get("value"):
            ended.append({"id": part["id"], "summary_en": part.get("summary_en", ""), "ended_by": entry})
        else:
            held.append({"id": part["id"], "summary_en": part.get("summary_en", "")})
    return held, ended


def _note(topic: str, specs: list, text: str, n_held: int) -> str:
    """A note said of some categories names them; one said of all names only its topic."""
    who = "" if len(specs) == n_held else " (" + ", ".join(specs) + ")"
    return f"{topic}{who}: {text}"


def _ref_text(c: dict) -> str:
    if "fact" in c:
        return f"{c['instrument']}#{c['fact']}"
    out = f"{c['instrument']} {c['version']}"
    if "table" in c:
        out += f" table {c['table']}"
    elif "article" in c:
        out += f" art. {c['article']}"
    return out


def _coverage(law, f: Finding, on: _dt.date) -> list[dict]:
    """Where a narrowing scheme reaches on ``on``: the coverage tables its rules name, rows in force that day."""
    narrowed = f.derive.get("narrowed_by")
    if not narrowed:
        return []
    try:
        from socins_cli.engines import eligibility

        comp = eligibility.compiled(law)
    except (ImportError, DataError):
        return []
    out = []
    for t in _tables_named(comp, narrowed):
        reach = _table_reach(law, comp.tables[t], on)
        if reach is not None:
            out.append(reach)
    return out


def _tables_named(comp, scheme: str) -> list[str]:
    """The ids of the coverage tables the scheme's rules name, in the order they first do."""
    table_ids = []
    for rule in comp.by_scheme.get(scheme, ()):
        alternatives = rule.when if isinstance(rule.when, (list, tuple)) else (rule.when,)
        for when in alternatives:
            for key in ("covered_by", "province_in", "industry_in", "platform_in"):
                t = when.get(key)
                if t and t not in table_ids and t in comp.tables:
                    table_ids.append(t)
    return table_ids


def _row_sources(law, rows, on: _dt.date) -> list[dict]:
    """The citations of the rows' sources on ``on``, each once, in order."""
    sources = []
    for r in rows:
        for ref in r.source:
            c = _resolve(law, ref, on)
            if c is not None and c.as_dict() not in sources:
                sources.append(c.as_dict())
    return sources


def _table_reach(law, table, on: _dt.date) -> dict | None:
    """The provinces, industries and platforms a table covers on ``on``, since when, and its sources; None if none."""
    rows = [r for r in table.rows if r.in_force(on)]
    if not rows:
        return None
    sources = _row_sources(law, rows, on)
    starts = [r.start for r in rows if r.start is not None]
    provinces = {x.province for x in rows}
    since = {}
    for r in table.rows:  # the first day each province was covered, on or before ``on``
        if r.start is not None and r.start <= on and r.province in provinces:
            since[r.province] = min(since.get(r.province, r.start), r.start)
    return {
        "table": table.id,
        "provinces": sorted(provinces),
        "province_since": {p: d.isoformat() for p, d in sorted(since.items())},
        "industries": sorted({i for r in rows for i in r.industries}),
        "platforms": sorted({p for r in rows for p in r.platforms}),
        "rows_from": min(starts).isoformat() if starts else None,
        "citations": sources,
    }


# -- the span a finding holds over -------------------------------------------------------------------

def _holds(law, f: Finding, on: _dt.date, specs, days: dict, attrs: dict | None = None) -> bool:
    return evaluate(f, _day(days, law, on, attrs), specs) is not None


def _span(law, f: Finding, as_of: _dt.date, specs, days: dict, attrs: dict | None = None) -> dict:
    """The run of law-constant intervals around ``as_of`` on which the finding holds: ``{from, to}`` (to null while it holds)."""
    bounds = findings_data(law).boundaries
    i = bisect.bisect_right(bounds, as_of)  # as_of lies in [bounds[i-1], bounds[i])
    start = bounds[i - 1] if i > 0 else None
    j = i - 1
    while j >= 1 and _holds(law, f, bounds[j - 1], specs, days, attrs):
        start = bounds[j - 1]
        j -= 1
    end = None
    k = i
    while k < len(bounds):
        if not _holds(law, f, bounds[k], specs, days, attrs):
            end = bounds[k] - _ONE_DAY
            break
        k += 1
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


# -- public calls ------------------------------------------------------------------------------------

def _papers(data: FindingsData, f: Finding) -> list[dict]:
    out = []
    for ref in f.papers:
        key = ref["key"] if isinstance(ref, dict) else ref
        p = data.papers.get(key, {})
        entry = {"key": key, "authors": p.get("authors", []), "title": p.get("title_zh", ""),
                 "title_en": p.get("title_en", ""), "year": p.get("year")}
        if isinstance(ref, dict) and ref.get("part"):
            entry["part"] = ref["part"]
        if p.get("year_note"):
            entry["year_note"] = p["year_note"]
        out.append(entry)
    return out


def _scheme_filter(words: vocabulary.Vocabulary, scheme: str | None) -> str | None:
    """The scheme or topic id asked for, in any case and without surrounding spaces, as categories are read."""
    if scheme is None:
        return None
    allowed = words.schemes + words.topics
    found = scheme.strip().lower() if isinstance(scheme, str) else scheme
    if found not in allowed:
        raise InputError("scheme", scheme, "expected one of " + "|".join(allowed))
    return found


def inequities(law, as_of: _dt.date | str | None = None, category: str | None = None,
               scheme: str | None = None, income=None) -> dict:
    """The findings that hold on ``as_of``, each with its evidence on both sides and the span it holds over.

    ``income`` (monthly yuan) asks for people of that income in every
    category: only rules that test income (a reform's) make it matter.
    """
    on = parse_date(as_of, "as_of") if as_of is not None else today()
    data = findings_data(law)
    scheme = _scheme_filter(data.vocabulary, scheme)
    specs = None  # the employee is on the compared side of every finding: no filter
    if category is not None:
        parsed = parse_spec(category)
        if parsed["category"] != data.vocabulary.compared:
            specs = [parsed["category"] + (f":{parsed['relation']}" if parsed["relation"] else "")]
    days: dict = {}  # this call's Day per date: the spans of many findings walk the same dates
    out = []
    attrs = {"income": income} if income is not None else None
    day = _day(days, law, on, attrs)
    for f in data.findings:
        if scheme is not None and scheme not in (f.scheme, *f.schemes, f.derive.get("narrowed_by")):
            continue
        result = evaluate(f, day, specs)
        if result is None:
            continue
        summary, summary_en = f.summaries(law, on)
        entry = {
            "id": f.id,
            "scheme": f.scheme,
            "schemes": list(f.schemes),
            "categories": result["categories"],
            "compared_with": f.compared_with,
            "summary": summary,
            "summary_en": summary_en,
            "citations": result["citations"],
            "settled": result["settled"],
            "in_force": _span(law, f, on, specs, days, attrs),
            "notes": result["notes"],
            "details": result["details"],
            "papers": _papers(data, f),
        }
        out.append(entry)
    head = {"as_of": on.isoformat()} if income is None else {"as_of": on.isoformat(), "income": income}
    later = _stated_later(law, data, on, scheme, specs)
    return {**head, "inequities": out, **({"warnings": [later]} if later else {})}


def _stated_later(law, data: FindingsData, on: _dt.date, scheme: str | None, specs) -> str | None:
    """The line naming the findings asked for (``scheme``, the categories ``specs``) that rest on a text not yet
    in force on ``on`` (before the Social Insurance Law, most of them): their differences may exist then, under
    earlier texts, but they are not stated."""
    later: dict[str, list[str]] = {}
    for f in data.findings:
        if scheme is not None and scheme not in (f.scheme, *f.schemes, f.derive.get("narrowed_by")):
            continue
        if specs is not None and not any(_spec_matches(spec, c) for c in f.categories for spec in specs):
            continue
        for ref in f.require:
            inst_id = instrument_of(ref)
            versions = law.version_dates(inst_id)
            if versions and versions[0][1] > on:
                later.setdefault(f"{inst_id} from {versions[0][1].isoformat()}", []).append(f.id)
                break
    if not later:
        return None
    named = "; ".join(f"{', '.join(ids)} ({texts})" for texts, ids in later.items())
    return (f"not stated on {on.isoformat()}, as they rest on texts not yet in force: {named}; a difference "
            "between the categories under the texts then in force shows in socins compare")


def findings_for(law, person: Person, check_result: dict) -> list[dict]:
    """The findings that concern this person on their date, for ``socins check``'s ``inequities`` list."""
    spec = spec_of(person)
    data = findings_data(law)
    if spec is None or spec.split(":", 1)[0] == data.vocabulary.compared:
        return []
    on = parse_date(check_result.get("as_of") or person.as_of or today(), "as_of")
    day = Day(law, on, {k: getattr(person, k) for k in PERSON_ATTRS})
    day.seed(spec, check_result)
    return _findings(data, spec, day)


def findings_key(law, person: Person) -> tuple:
    """What ``findings_for_category`` depends on: category (with relation), sex, the findings' date interval,
    and income where the rules a person of that category meets test it (a reform's)."""
    return (spec_of(person), person.sex, _income_read(law, person), findings_interval(law, person.as_of))


def _income_read(law, person: Person):
    """The person's income if some rule their category meets tests it, else None (the findings do not depend on it)."""
    if person.income is None:
        return None
    from socins_cli.engines import eligibility

    reads = eligibility.compiled(law).reads_by_category.get(person.category, ())
    return person.income if "income" in reads else None


def findings_interval(law, on: _dt.date | None) -> int:
    """Which interval between the findings' change dates ``on`` (default today) falls in."""
    return bisect.bisect_right(findings_data(law).boundaries, on or today())


def findings_for_category(law, person: Person, schemes=None) -> list[dict]:
    """The findings that concern the person's category (and sex) on their date: ``socins check``'s list.

    Each finding is evaluated for the category as ``socins inequities``
    evaluates it, at the start of the interval on which nothing a finding
    reads changes: so the answer is the same for every person with one
    ``findings_key``, which a batch caches on. ``schemes`` is the batch's
    source of scheme answers (see ``Day``).
    """
    asked = _category_day(law, person, schemes)
    return [] if asked is None else _findings(*asked)


def finding_states(law, person: Person) -> dict[str, tuple]:
    """For each of ``findings_for_category``'s findings, as ``check --reform`` weighs a side: (whether it holds only
    because an answer is open, ``holds_only_as_open``; the ids of its parts that hold, ``[[finding.parts]]``). The
    check's entries carry neither: a reform that ends a part (a waiting period) narrows the finding there too."""
    asked = _category_day(law, person)
    if asked is None:
        return {}
    data, spec, day = asked
    states = {}
    for f in data.findings:
        result = evaluate(f, day, [spec]) if spec in f.categories else None
        if result is not None:
            parts = tuple(p["id"] for p in result.get("details", {}).get("parts", ()))
            states[f.id] = (holds_only_as_open(result), parts)
    return states


def _category_day(law, person: Person, schemes=None) -> tuple | None:
    """(findings data, the person's category spec, the ``Day`` its findings are asked on), or None where the
    category has no findings (none given, or the category the findings compare with)."""
    spec = spec_of(person)
    data = findings_data(law)
    if spec is None or spec.split(":", 1)[0] == data.vocabulary.compared:
        return None
    interval = findings_interval(law, person.as_of)
    anchor = data.boundaries[interval - 1] if interval else (person.as_of or today())
    return data, spec, Day(law, anchor, {"sex": person.sex, "income": _income_read(law, person)}, schemes)


def concerning(law, found: list[dict], own: list[dict]) -> list[dict]:
    """The category's findings less those the person's own answers contradict, open where they bear them out only so.

    A finding is evaluated for the category (its default member); a person
    may differ from that member where a rule reads more than the category
    (a part-time worker with two employers is bound to insurance against
    work injury, sil-provisions-2011 art. 9). A status or payers finding concerns the
    person only where their own answer for one of its schemes is what the
    finding says of the category; and where each such answer is open (a
    part-time worker with an employer: whether the employer must insure
    them), a settled finding is open for them too, with a note saying why.
    """
    data = findings_data(law)
    by_id = {f.id: f for f in data.findings}
    answers = {entry["scheme"]: entry for entry in own}
    out = []
    for found_here in found:
        bearing = _bearing_out(by_id[found_here["id"]], answers)
        if bearing is None or (bearing and (not found_here["settled"] or any(a["settled"] for a in bearing))):
            out.append(found_here)
        elif bearing:
            schemes = ", ".join(a["scheme"] for a in bearing)
            out.append({**found_here, "settled": False,
                        "note": data.text.get("open_for_person", "").format(schemes=schemes)})
    return out


def _bearing_out(f: Finding, answers: dict) -> list[dict] | None:
    """The person's answers that are what a status or payers finding says of the category (empty: none is);
    None where the finding tests neither, or a scheme it reads is not answered."""
    d = f.derive
    wanted_status, wanted_payers = d.get("category_status"), d.get("category_payers")
    if d.get("kind") not in ("status", "payers") or (not wanted_status and wanted_payers is None):
        return None
    bearing = []
    for scheme in d.get("schemes") or list(f.schemes):
        a = answers.get(scheme)
        if a is None:
            return None
        if wanted_status and a["status"] not in wanted_status:
            continue
        if wanted_payers is not None and sorted(a["payers"]) != sorted(wanted_payers):
            continue
        bearing.append(a)
    return bearing


def _findings(data: FindingsData, spec: str, day: Day) -> list[dict]:
    out = []
    for f in data.findings:
        if spec not in f.categories:
            continue
        result = evaluate(f, day, [spec], with_details=False)
        if result is None:
            continue
        summary, summary_en = f.summaries(day.law, day.on)
        out.append({
            "id": f.id,
            "scheme": f.scheme,
            "compared_with": f.compared_with,
            "summary": summary,
            "summary_en": summary_en,
            "settled": result["settled"],
            "citations": result["citations"],
        })
    return out
