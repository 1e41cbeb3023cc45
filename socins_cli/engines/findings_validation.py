"""Checks of the inequity findings file, for ``socins validate``.

One line per problem (``file: key = value: what is allowed``): unknown keys
and derive kinds, scheme ids, categories, parameters, papers, and every
citation, which some version of its instrument must hold.
"""

from __future__ import annotations

import datetime as _dt

from socins_cli.law import vocabulary
from socins_cli.errors import DataError, InputError
from socins_cli.engines.eligibility import RULES_FILE as ELIGIBILITY_RULES
from socins_cli.engines.inequities import (
    COMPARE_TOPICS, DERIVE_KINDS, EARLIER_SUMMARY_KEYS, ENDS_WHEN_KEYS, FINDING_KEYS, FINDINGS_FILE, HOLDS_WHEN,
    PART_KEYS, PERSON_ATTRS, Finding, finding_from, parse_spec, summary_change_day,
)
from socins_cli.person import CATEGORIES, SEXES, make_person


def validate_findings(law) -> list[str]:
    """Every problem in the findings file, one line each: unknown kinds, scheme ids, categories, parameters, citations."""
    raw = law.data.get(FINDINGS_FILE)
    file = f"statutes/{FINDINGS_FILE}.toml"
    if raw is None:  # a folder of texts alone needs none; one with eligibility rules does: check reads both
        return [str(DataError(file, "(file)", None, "the inequity findings are missing; check, compare and inequities "
                                                   f"answer from them beside {ELIGIBILITY_RULES}.toml"))
                ] if ELIGIBILITY_RULES in law.data else []
    problems: list[str] = []

    def bad(key, value, allowed):
        shown = f'"{value}"' if isinstance(value, str) else repr(value)
        problems.append(f"{file}: {key} = {shown}: {allowed}")

    try:
        words = vocabulary.of(law)
    except DataError as exc:
        return [str(exc)]
    papers = raw.get("paper", {})
    _check_papers(papers, bad)
    seen: set = set()
    ids = []
    for i, body in enumerate(raw.get("finding", [])):
        fid = body.get("id")
        where = f"finding[{fid or i}]"
        _check_finding_keys(body, where, fid in seen, bad)
        seen.add(fid)
        ids.append(fid)
        f = finding_from(body, words.compared)
        _check_finding_words(f, where, words, bad)
        problems += [f"{file}: {where}.derive: {p}" for p in _derive_problems(law, f, words.schemes, words.statuses)]
        _check_for_category(f, where, words, bad)
        _check_sources(law, f, where, papers, bad)
        _check_parts(law, body.get("parts") or [], where, bad)
        _check_earlier_summaries(law, body.get("earlier_summaries") or [], where, bad)
    for name, topic in raw.get("topic", {}).items():
        _check_topic(law, name, topic, words, ids, bad)
    _check_asked_as(raw.get("asked_as", {}), bad)
    return problems


def _check_asked_as(asked_as: dict, bad) -> None:
    """``[asked_as]`` gives a category of the contract attributes a person may have, with values they accept."""
    for category, attrs in asked_as.items():
        where = f"asked_as.{category}"
        if category not in CATEGORIES:
            bad(where, category, "expected a category of " + "|".join(CATEGORIES))
            continue
        if not isinstance(attrs, dict):
            bad(where, attrs, "expected a table of person attributes")
            continue
        try:
            make_person(category=category, **attrs)
        except (InputError, TypeError) as exc:
            bad(where, attrs, f"is not a person's attributes ({exc})")


def _check_papers(papers: dict, bad) -> None:
    """A paper cited as evidence names its authors, title, file, and its year or why that is not known."""
    for key, p in papers.items():
        for need in ("authors", "title_zh", "file"):
            if not p.get(need):
                bad(f"paper.{key}.{need}", None, "is required")
        if "year" not in p and "year_note" not in p:
            bad(f"paper.{key}.year", None, "give the year, or year_note saying why it is not known")


def _check_finding_keys(body: dict, where: str, id_seen: bool, bad) -> None:
    """Only known keys, the required ones present, and an id no other finding has."""
    for key in sorted(set(body) - FINDING_KEYS):
        bad(f"{where}.{key}", key, "unknown key; allowed: " + ", ".join(sorted(FINDING_KEYS)))
    for need in ("id", "scheme", "categories", "summary_zh", "summary_en", "derive"):
        if not body.get(need):
            bad(f"{where}.{need}", None, "is required")
    if id_seen:
        bad(f"{where}.id", body.get("id"), "finding ids must be unique")


def _check_finding_words(f: Finding, where: str, words, bad) -> None:
    """The finding's schemes or topics and its compared category are the vocabulary's; its categories parse."""
    allowed = words.schemes + words.topics
    for s in (f.scheme,) + f.schemes:
        if s not in allowed:
            bad(f"{where}.scheme", s, "expected a scheme id or a topic: " + "|".join(allowed))
    if f.compared_with != words.compared:
        bad(f"{where}.compared_with", f.compared_with, f"expected {words.compared}")
    for spec in f.categories + tuple(f.category_require):
        try:
            parsed = parse_spec(spec)
        except InputError as exc:
            bad(f"{where}.categories", spec, exc.allowed)
            continue
        if parsed["category"] == "platform" and parsed["relation"] is None:
            bad(f"{where}.categories", spec, "a platform category needs its relation: platform:labor|incomplete|civil")
    for spec in f.category_require:
        if spec not in f.categories:
            bad(f"{where}.category_require", spec, "names a category the finding does not list")


def _check_for_category(f: Finding, where: str, words, bad) -> None:
    """A ``for_category`` narrowing names a scheme, statuses and payers of the vocabulary."""
    fc = f.for_category
    if not fc:
        return
    if fc.get("scheme") not in words.schemes:
        bad(f"{where}.for_category.scheme", fc.get("scheme"), "expected one of " + "|".join(words.schemes))
    for s in fc.get("status", []):
        if s not in words.statuses:
            bad(f"{where}.for_category.status", s, "expected one of " + "|".join(words.statuses))
    for p in fc.get("payers", []):
        if p not in words.payers:
            bad(f"{where}.for_category.payers", p, "expected one of " + "|".join(words.payers))


def _check_sources(law, f: Finding, where: str, papers: dict, bad) -> None:
    """Every citation resolves, every paper is listed, and an unsettled finding says what is open."""
    refs = [("require", r) for r in f.require] + [("evidence", r) for r in f.evidence] \
        + [("context", r) for r in f.context] + [("category_require", r) for v in f.category_require.values() for r in v]
    for key, ref in refs:
        problem = citation_problem(law, ref)
        if problem:
            bad(f"{where}.{key}", ref, problem)
    for ref in f.papers:
        k = ref.get("key") if isinstance(ref, dict) else ref
        if k not in papers:
            bad(f"{where}.papers", k, "no such [paper." + str(k) + "]")
    if not f.settled and not f.open:
        bad(f"{where}.open", None, "required when settled is false: say what is open and why")


def _entries(items: list, where: str, shape: str, allowed: set, bad):
    """``(path, entry)`` of each table in an array of a finding's tables, its unknown keys reported."""
    for j, entry in enumerate(items):
        path = f"{where}[{j}]"
        if not isinstance(entry, dict):
            bad(path, entry, "expected " + shape)
            continue
        for key in sorted(set(entry) - allowed):
            bad(f"{path}.{key}", key, "unknown key; allowed: " + ", ".join(sorted(allowed)))
        yield path, entry


def _check_earlier_summaries(law, earlier: list, where: str, bad) -> None:
    """Each earlier summary names an instrument (``before``) and says the claim in both languages, earliest first."""
    starts = []
    for ew, entry in _entries(earlier, f"{where}.earlier_summaries", "{ before = INSTRUMENT or DATE, summary_zh, summary_en }",
                              EARLIER_SUMMARY_KEYS, bad):
        for need in ("summary_zh", "summary_en"):
            if not isinstance(entry.get(need), str) or not entry[need]:
                bad(f"{ew}.{need}", entry.get(need), "is required: the claim as it reads before that instrument")
        if "open" in entry and (not isinstance(entry["open"], str) or not entry["open"]):
            bad(f"{ew}.open", entry["open"], "expected the open note as it reads before that instrument")
        before = entry.get("before")
        is_day = isinstance(before, _dt.date) and not isinstance(before, _dt.datetime)
        if not is_day and not (isinstance(before, str) and before in law.instruments):
            bad(f"{ew}.before", before, "expected an instrument id (see socins list) or a date (YYYY-MM-DD, unquoted)")
            continue
        starts.append(summary_change_day(law, entry))
    if starts != sorted(starts):
        bad(f"{where}.earlier_summaries", None, "list them by the day each stops holding (its instrument's first "
            "effective day, or its date), earliest first")


def _check_parts(law, parts: list, where: str, bad) -> None:
    """Each part of a finding has an id and, optionally, the parameter value on which it ends."""
    for pw, part in _entries(parts, f"{where}.parts", "{ id, summary_en, ends_when = { parameter, value } }",
                             PART_KEYS, bad):
        if not isinstance(part.get("id"), str) or not part["id"]:
            bad(f"{pw}.id", part.get("id"), "is required: a short id")
        if "since" in part and part["since"] not in law.instruments:
            bad(f"{pw}.since", part["since"], "expected an instrument id (the part holds from its first version)")
        ends = part.get("ends_when")
        if ends is not None and (not isinstance(ends, dict) or set(ends) != ENDS_WHEN_KEYS
                                 or not isinstance(ends.get("parameter"), str)):
            bad(f"{pw}.ends_when", ends, "expected { parameter = NAME, value = V } (the parameter may be a "
                                         "reform overlay's own)")


def _check_topic(law, name: str, topic: dict, words, ids: list, bad) -> None:
    """A topic row of ``compare``: one it knows, with its finding, scheme, rate parameters and defaults."""
    if name not in COMPARE_TOPICS or name not in words.topics:
        bad(f"topic.{name}", name, "expected one of " + "|".join(t for t in COMPARE_TOPICS if t in words.topics))
    _check_topic_schemes(name, topic, words, bad)
    if topic.get("finding") and topic["finding"] not in ids:
        bad(f"topic.{name}.finding", topic["finding"], "no such finding")
    for j, rate in enumerate(topic.get("rate", [])):
        if rate.get("scheme") and rate["scheme"] not in words.schemes:
            bad(f"topic.{name}.rate[{j}].scheme", rate["scheme"], "expected one of " + "|".join(words.schemes))
        for who in ("individual", "employer"):
            if rate.get(who) and rate[who] not in law.parameters:
                bad(f"topic.{name}.rate[{j}].{who}", rate[who], "no such parameter")
    if name == "retirement-age" and (not isinstance(topic.get("cohort_age"), int) or topic["cohort_age"] <= 0):
        bad(f"topic.{name}.cohort_age", topic.get("cohort_age"), "required: a whole number of years")
    if topic.get("sex") and topic["sex"] not in SEXES:
        bad(f"topic.{name}.sex", topic["sex"], "expected one of " + "|".join(SEXES))


def _check_topic_schemes(name: str, topic: dict, words, bad) -> None:
    """The contribution-rate row's scheme, and the scheme a category's pension is instead (civil servants')."""
    if name == "contribution-rate" and topic.get("scheme") not in words.schemes:
        bad(f"topic.{name}.scheme", topic.get("scheme"), "expected the scheme whose answer says which rates "
                                                         "apply: " + "|".join(words.schemes))
    for category, scheme in (topic.get("scheme_by_category") or {}).items():
        if category not in CATEGORIES or scheme not in words.schemes:
            bad(f"topic.{name}.scheme_by_category.{category}", scheme, "expected a category and the scheme of its "
                                                                      "pension: " + "|".join(words.schemes))


def _derive_problems(law, f: Finding, schemes, statuses) -> list[str]:
    """What is wrong with a finding's ``derive`` block, by its kind."""
    kind = f.derive.get("kind")
    if kind not in DERIVE_KINDS:
        return [f'kind = "{kind}": expected one of ' + "|".join(DERIVE_KINDS)]
    check = _DERIVE_CHECKS.get(kind)
    return check(law, f, schemes, statuses) if check else []


def _answer_derive_problems(law, f: Finding, schemes, statuses) -> list[str]:
    """A status or payers comparison names schemes, statuses and payers of the vocabulary."""
    d = f.derive
    out = []
    for s in list(d.get("schemes") or f.schemes) + ([d["narrowed_by"]] if d.get("narrowed_by") else []):
        if s not in schemes:
            out.append(f'scheme "{s}": expected one of ' + "|".join(schemes))
    for key in ("category_status", "compared_status"):
        for s in d.get(key, []):
            if s not in statuses:
                out.append(f'{key} "{s}": expected one of ' + "|".join(statuses))
    payers = vocabulary.of(law).payers
    for p in d.get("category_payers") or []:
        if p not in payers:
            out.append(f'category_payers "{p}": expected one of ' + "|".join(payers))
    return out


def _ratio_derive_problems(law, f: Finding, schemes, statuses) -> list[str]:
    """A parameter ratio names parameters the law holds and how the ratio makes the finding hold."""
    d = f.derive
    out = []
    for key in ("numerator", "denominator"):
        if d.get(key) not in law.parameters:
            out.append(f'{key} "{d.get(key)}": no such parameter')
    for name in d.get("context_parameters", []):
        if name not in law.parameters:
            out.append(f'context_parameters "{name}": no such parameter')
    if d.get("holds_when", "greater") not in HOLDS_WHEN:
        out.append(f'holds_when "{d.get("holds_when")}": expected one of ' + "|".join(HOLDS_WHEN))
    return out


def _evidence_derive_problems(law, f: Finding, schemes, statuses) -> list[str]:
    """An evidence finding's citations on either side resolve."""
    out = []
    for key in ("category", "compared"):
        for ref in f.derive.get(key, ()):
            problem = citation_problem(law, ref)
            if problem:
                out.append(f'{key} "{ref}": {problem}')
    return out


def _retirement_derive_problems(law, f: Finding, schemes, statuses) -> list[str]:
    """A retirement comparison names its cohort, sex and the compared person's attributes."""
    d = f.derive
    out = []
    if not isinstance(d.get("cohort_age"), int) or d["cohort_age"] <= 0:
        out.append(f'cohort_age {d.get("cohort_age")!r}: required, a whole number of years (the cohort compared when no birth is given)')
    if d.get("sex", "female") not in SEXES:
        out.append(f'sex "{d.get("sex")}": expected one of ' + "|".join(SEXES))
    for key in d.get("compared_person", {}):
        if key not in PERSON_ATTRS:
            out.append(f'compared_person.{key}: expected person attributes ' + ", ".join(PERSON_ATTRS))
    return out


_DERIVE_CHECKS = {"status": _answer_derive_problems, "payers": _answer_derive_problems,
                  "parameter-ratio": _ratio_derive_problems, "evidence": _evidence_derive_problems,
                  "retirement": _retirement_derive_problems}


def citation_problem(law, ref: str) -> str | None:
    """Why ``ref`` points at nothing real, or None: some version of its instrument must hold the article, paragraph or fact."""
    from socins_cli.law.load import parse_cite

    m = parse_cite(ref)
    if m is None:
        return "expected INSTRUMENT[@VERSION][:ARTICLE[:PARAGRAPH]|#FACT|/TABLE]"
    inst = law.instruments.get(m["instrument"])
    if inst is None:
        return "no such instrument"
    versions = [inst.version(m["version"])] if m["version"] else list(inst.versions)
    if versions == [None]:
        return "no such version"
    errors = []
    for v in versions:
        try:
            law.resolve(f"{inst.id}@{v.id}{ref[len(m['instrument']) + (len(m['version']) + 1 if m['version'] else 0):]}")
            return None
        except DataError as exc:
            errors.append(exc.allowed)
    return errors[-1] if errors else "no version holds it"
