"""The engines as batch jobs: ``check_job(law)`` and ``retirement_job(law)``.

A job is the engine's answer without its echo (``check_core``,
``retirement_core``), its key in two halves (what a result depends on
besides the person echo: ``key_a`` from category ... as_of, ``key_b`` from
sex, female_track, birth) and the flat columns of CSV/Parquet output. The
flat columns leave out the echo: the batch writer puts the normalised
attributes (``category`` ... ``as_of``) in front of them.

This is where caching lives. The engines are plain functions that remember
nothing; each declares what its answer depends on (``eligibility.scheme_key``,
``inequities.findings_key``, ``retirement.plan_key``, ``retirement_key``).
The batch caches whole answers per key (``batch_resolve.Resolver``), and
here, within one run, the parts many keys share: one scheme's answer (a
platform worker's pension reads fewer attributes than the whole check, and
fewer days of the law), a category's findings (which take the scheme
answers they compare from the same cache), a retirement plan (all births
of one group, sex and track), and a check answer by the numbers of its
scheme answers and findings (one object per distinct answer). Each cache
is bounded (``Bounded``), so memory stays flat.

check: per scheme ``<scheme>.status``, ``.payers``, ``.settled``,
``.citations``, ``.rule``, ``.notes``; then ``inequities`` (finding ids) and
``warnings``. retirement: the engine's own flat columns (``FLAT_COLUMNS``, ``warnings`` last)
without the echo. Lists are joined with ``"; "``; citations read
``sil 2018 art. 10 para 2``.
"""

from __future__ import annotations

import itertools
import operator

import orjson

from socins_cli.batch.resolve import Job
from socins_cli.law import vocabulary
from socins_cli.batch.write import cell_text
from socins_cli.law.model import citation_label, listed_citations
from socins_cli.person import ATTRIBUTES

_ECHO = ("as_of", "person")
_PER_SCHEME = ("status", "payers", "settled", "citations", "rule", "notes")


class Bounded:
    """A run's cache of answers by an engine's declared key, of at most ``size`` entries.

    Full, it starts afresh: the answers are found again by the engine, and
    memory stops growing. ``get(key, make)`` is ``make()``'s value for ``key``;
    a hot loop may look in ``found`` itself and ``put`` what it did not find.
    """

    __slots__ = ("size", "found")

    def __init__(self, size: int):
        self.size = size
        self.found: dict = {}

    def get(self, key, make):
        value = self.found.get(key, _MISSING)
        return self.put(key, make()) if value is _MISSING else value

    def put(self, key, value):
        """Keep ``value`` for ``key``; returns it."""
        if len(self.found) >= self.size:
            self.found.clear()
        self.found[key] = value
        return value


_MISSING = object()


def _review_line(law):
    """``as_of -> the line a single answer adds for a date after the corpus's last review, or None``.

    The batch keys on whether a row's date is after that day, so its rows say
    what ``socins check`` and ``socins retirement`` say of one person.
    """
    from socins_cli.law.coverage import review_date, review_warning

    reviewed = review_date(law)
    return lambda on: None if reviewed is None or on <= reviewed else review_warning(law, on)


def _with_review(answer: dict, line: str | None) -> dict:
    """``answer`` with the review line at the end of its warnings (a copy: cached answers are shared)."""
    if line is None:
        return answer
    held = answer.get("warnings") or []
    return {**answer, "warnings": held if line in held else [*held, line]}


def check_job(law) -> Job:
    from socins_cli.engines import answers, eligibility, inequities, retirement

    schemes = vocabulary.of(law).schemes
    # Each distinct scheme answer, and each category's findings, gets a serial number for the run (never
    # reused, unlike an id): a key met anew whose schemes and findings were all met before, under other
    # keys, is the answer assembled then (11,357 check keys in a million generated rows share 733 answers).
    serial = itertools.count()
    decided = Bounded(1 << 14)  # one scheme's (serial, answer) by eligibility.scheme_key
    # Thousands of scheme keys share a few dozen distinct answers: one object each, so the sinks render
    # (and flatten) an answer they have met before by identity.
    distinct = Bounded(1 << 12)
    findings = Bounded(1 << 12)  # a category's (serial, findings) by inequities.findings_key
    assembled = Bounded(1 << 12)  # the answer by the serials of its scheme answers and findings
    review = _review_line(law)

    def retirement_key_a(person) -> tuple:
        """What the statutory retirement month depends on among the A attributes: group and law interval."""
        return retirement.retirement_key_a(person, law)

    tracks = Bounded(1 << 12)  # the retirement tracks by retirement.plan_key: who is past the statutory month

    def tracks_of(law, person, on):
        """``retirement.statutory_tracks``, kept by ``retirement.plan_key`` (the same for every birth of one)."""
        key = retirement.plan_key(person, law)  # person.as_of is on: the batch asks on each row's own date
        found = tracks.found.get(key, _MISSING)
        if found is _MISSING:
            found = tracks.put(key, retirement.statutory_tracks(law, person, on))
        return found

    def retirement_months(law, person, on) -> tuple | None:
        """``eligibility.retirement_months`` with the run's tracks."""
        return eligibility.retirement_months(law, person, on, tracks_of)

    def decide(person) -> list[tuple]:
        """Each scheme's (serial, ``answer_scheme``) for the person on their as_of, from the cache."""
        on = person.as_of
        out = []
        for scheme, key in zip(schemes, eligibility.scheme_keys(law, person, retirement_months)):
            entry = decided.found.get(key)
            if entry is None:
                answer = eligibility.answer_scheme(law, person, scheme, on)
                content = (orjson.dumps(answer[0]), *answer[1])  # the entry and the Citations it rests on
                entry = decided.put(key, distinct.get(content, lambda: (next(serial), answer)))
            out.append(entry)
        return out

    def scheme_entries(person) -> list[dict]:
        """The scheme entries the findings compare (theirs, the compared category's), from the same cache."""
        return [answer[0] for _, answer in decide(person)]

    def evaluate(person) -> dict:
        """``answers.check_core`` on the person's as_of, each scheme's answer and the findings from the caches."""
        decided_here = decide(person)
        serials = [s for s, _ in decided_here]
        found = findings.get(inequities.findings_key(law, person),
                             lambda: (next(serial), inequities.findings_for_category(law, person, scheme_entries)))
        serials.append(found[0])
        line = review(person.as_of)  # its date is in key_a (the line names it)
        return assembled.get((*serials, line), lambda: _with_review(answers.assemble(
            law, eligibility.schemes_answer(law, [answer for _, answer in decided_here]), found[1]), line))

    undated = Bounded(1 << 12)  # eligibility.undated_key and the category's spec, by the A attributes but the date
    # the A attributes but the date: every attribute but key_b's (sex), the retirement ones and as_of, so an
    # attribute added to the person is in the key without being named here
    undated_attributes = operator.attrgetter(*(a for a in ATTRIBUTES if a not in ("sex", "birth", "female_track",
                                                                                    "as_of")))

    def key_a(person) -> tuple:
        """``answers.check_key`` but the findings' sex: what the A attributes (category ... as_of) decide.

        The part the date plays no role in is worked out once per combination of the other A attributes (a
        file asks about a few dates, each of them for the same kinds of people), the date's intervals per row.
        """
        others = undated_attributes(person)
        head = undated.found.get(others)
        if head is None:
            head = undated.put(others, (*eligibility.undated_key(law, person), inequities.spec_of(person)))
        on = person.as_of
        return (*head, eligibility.interval_index(law, on), inequities.findings_interval(law, on), review(on))

    columns = tuple(f"{s}.{f}" for s in schemes for f in _PER_SCHEME) + ("inequities", "warnings")

    seen: dict = {}  # id(entry) -> (entry, its cells): batches share scheme entries between results

    def scheme_cells(s: dict) -> tuple:
        found = seen.get(id(s))
        if found is None or found[0] is not s:  # the entry itself is held, so its id is not reused
            if len(seen) >= 4096:
                seen.clear()
            sid = s["scheme"]
            payers = s.get("payers")
            # Lists as the text of their cell, joined once per entry: every result sharing it shares the text.
            values = (s.get("status"), None if payers is None else cell_text(payers), s.get("settled"),
                      "; ".join(citation_label(c) for c in listed_citations(s)),
                      s.get("rule"), s.get("notes"))
            found = seen[id(s)] = (s, tuple((f"{sid}.{f}", v) for f, v in zip(_PER_SCHEME, values)))
        return found[1]

    def flatten(data: dict) -> dict:
        """Flat cells; an entry's cells are worked out once while it lives (read them, do not change them)."""
        flat = {}
        for s in data.get("schemes", ()):
            flat.update(scheme_cells(s))
        flat["inequities"] = [i.get("id") for i in data.get("inequities", ())]
        flat["warnings"] = data.get("warnings")
        return flat

    return Job(
        name="check",
        evaluate=evaluate,  # the echo is the batch's to write; the cached entries are only read (rendered)
        key_a=key_a,
        key_b=lambda person: (person.sex,),  # the findings ask the person's sex
        columns=columns,
        flatten=flatten,
        # partial_sources: a brief row's own (``batch_fields.brief``), so a carried column of that name is
        # ``input.partial_sources`` in every output, as in the brief row it would be overwritten
        output_keys=("as_of", "person", "schemes", "inequities", "warnings", "partial_sources"),
        echo_keys=_ECHO,
        require_category=True,
        column_types={f"{s}.settled": "bool" for s in schemes},
        shares_answers=True,  # one object per distinct answer (``assembled``)
        ages=lambda person: eligibility.ages_tested(law, person),  # a resident's pension from 16 (key_b is sex alone)
        retirement_key=lambda person: (retirement_key_a(person) if eligibility.retirement_tested(law, person)
                                       else None),
        retirement_months=lambda person: retirement_months(law, person, person.as_of),
    )


def retirement_job(law) -> Job:
    from socins_cli.engines import retirement as engine
    from socins_cli.law.coverage import retirement_cited, source_warnings

    echo_columns = {"as_of", "category", "relation", "sex", "birth", "female_track"}
    columns = tuple(c for c in engine.FLAT_COLUMNS if c not in echo_columns)

    plans = Bounded(1 << 12)  # what every birth of one group, sex and track shares, by retirement.plan_key
    review = _review_line(law)
    labels = Bounded(1 << 12)  # id(citation) -> (citation, label): a plan's answers share its citations

    def label(citation: dict) -> str:
        found = labels.found.get(id(citation))
        if found is None or found[0] is not citation:
            found = labels.put(id(citation), (citation, citation_label(citation)))  # held: its id stays its own
        return found[1]

    def flatten(data: dict) -> dict:
        return engine.flatten(data, label)

    # The partial-source lines by the citation objects an answer holds: a plan's answers share its citations (one
    # object each while the plan lives), so their ids name them; the objects are held, so an id stays their own.
    gapped = Bounded(1 << 12)

    def with_sources(answer: dict) -> dict:
        """``answer`` with the lines on the partial sources it cites, as ``api.retirement`` gives them."""
        cited = answer["citations"]
        for other in answer.get("alternatives") or ():
            cited = [*cited, *other.get("citations", ())]
        key = tuple(map(id, cited))
        found = gapped.found.get(key)
        if found is None or not all(map(operator.is_, found[0], cited)):
            found = gapped.put(key, (cited, source_warnings(law, retirement_cited(answer))))
        return {**answer, "warnings": found[1]} if found[1] else answer

    def evaluate(person) -> dict:
        """``retirement_core`` (the echo is the batch's to write), with the person's plan from the cache."""
        key = engine.plan_key(person, law)
        plan = plans.found.get(key)
        if plan is None:
            plan = plans.put(key, engine.retirement_plan(law, person))
        return _with_review(with_sources(engine.retirement_core(law, person, plan)), review(person.as_of))

    return Job(
        name="retirement",
        evaluate=evaluate,
        key_a=lambda person: (*engine.retirement_key_a(person, law), review(person.as_of)),
        key_b=engine.retirement_key_b,
        columns=columns,
        flatten=flatten,
        output_keys=("as_of", "person", "rule", "track", "track_label", "original_age", "statutory_age",
                     "delay_months", "retirement_month", "earliest_flexible_month", "latest_flexible_month",
                     "minimum_contribution_years", "settled", "notes", "citations", "alternatives", "warnings"),
        echo_keys=_ECHO,
        require_category=False,
        column_types={"original_age": "int", "statutory_age_years": "int", "statutory_age_months": "int",
                      "delay_months": "int", "minimum_contribution_years": "float", "settled": "bool"},
    )


JOBS = {"check": check_job, "retirement": retirement_job}


def make_job(name: str, law) -> Job:
    return JOBS[name](law)
