"""``socins validate``: is a statutes folder fit to answer from?

Checks the schema (``socins_cli.law.schema``, by loading every file into it),
the pinned text hashes, the ordering of version dates, and that every
citation in parameters, rules, tables and findings resolves to an article
(and paragraph) that exists. Engines contribute their own checks through
``ENGINE_VALIDATORS``. One line per problem: ``file: key = value: what is
allowed``. ``load_law`` runs the same checks (``law_problems``) before it
answers from, or caches, a law it built.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib
from pathlib import Path

from socins_cli.errors import DataError
from socins_cli.law.load import Law, build_law, statutes_dir
from socins_cli.law.model import KINDS

#: ``module:function`` pairs taking a Law and returning problem lines.
ENGINE_VALIDATORS = (
    "socins_cli.law.coverage:validate_review",
    "socins_cli.engines.eligibility:validate_rules",
    "socins_cli.engines.retirement:validate_retirement",
    "socins_cli.engines.findings_validation:validate_findings",
    "socins_cli.law.groups:validate_groups",
    "socins_cli.law.names:validate_names",
)


def article_hash(paragraphs) -> str:
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()


def validate(root: str | Path | None = None) -> tuple[Law | None, list[str]]:
    """Load ``root`` (default: ``statutes_dir()``) afresh, never from the cache, and return every problem found."""
    root_path = statutes_dir(root)
    if root_path.is_dir() and not any(p.suffix == ".toml" and p.is_file() for p in root_path.iterdir()):
        return None, [f"{root_path}: path = \"{root_path}\": expected a statutes folder, with instrument files "
                      "(*.toml) at its top level; none found"]
    problems: list[str] = []
    try:
        law = build_law(root_path, problems=problems)
    except DataError as exc:  # the folder itself cannot be read
        return None, [str(exc)]
    if problems:  # files that do not fit their shape: checking the rest would only echo them
        return None, problems
    return law, law_problems(law)


def report(law: Law | None, problems: list[str]) -> dict:
    """What ``socins validate --format json`` prints of ``validate``'s answer: the verdict, every problem, and what
    a folder that loaded holds; the command and the API both say it so."""
    summary: dict = {"ok": not problems, "problems": problems}
    if law is not None:
        summary["instruments"] = len(law.instruments)
        summary["articles"] = sum(len(v.articles) for i in law.instruments.values() for v in i.versions)
    return summary


def law_problems(law: Law) -> list[str]:
    """Every problem of a built law, one line each: what ``load_law`` refuses to answer from."""
    problems: list[str] = []
    problems += _check_instruments(law)
    problems += _check_parameters(law)
    problems += _check_ceased(law)
    for spec in ENGINE_VALIDATORS:
        module_name, func_name = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        func = getattr(module, func_name, None)
        if func is not None:
            try:
                problems += list(func(law))
            except DataError as exc:
                problems.append(str(exc))
            except (TypeError, AttributeError, KeyError, ValueError, IndexError) as exc:
                # data of a shape the schema let through but the engine cannot read: a problem, not a crash
                problems.append(f"{law.root}: ({module_name}) = {type(exc).__name__}: {exc}: "
                                "the data has a shape this engine cannot read")
    return problems


def _check_instruments(law: Law) -> list[str]:
    """Each instrument: a known kind, and versions with unique ids that follow one another without overlap."""
    problems = []
    for inst_id in sorted(law.instruments):
        inst = law.instruments[inst_id]
        file = law.files.get(inst_id, inst_id)
        if inst.kind not in KINDS:
            problems.append(f"{file}: instrument.kind = \"{inst.kind}\": expected one of {'|'.join(KINDS)}")
        seen_versions = set()
        previous = None
        for v in inst.versions:
            where = f"version[{v.id}]"
            if v.id in seen_versions:
                problems.append(f"{file}: {where}.id = \"{v.id}\": version ids must be unique")
            seen_versions.add(v.id)
            problems += _version_dates(file, where, v, previous)
            previous = v
            problems += _version_contents(file, where, v)
    return problems


def _version_dates(file: str, where: str, v, previous) -> list[str]:
    """Adopted, effective and repealed in order, and in force only after the version before it ends."""
    problems = []
    if v.repealed is not None and not v.effective < v.repealed:
        problems.append(
            f"{file}: {where}.repealed = {v.repealed}: must be after effective {v.effective}"
        )
    if v.adopted is not None and v.adopted > v.effective:
        problems.append(f"{file}: {where}.adopted = {v.adopted}: must not be after effective {v.effective}")
    if previous is not None and (previous.repealed is None or previous.repealed > v.effective):
        problems.append(
            f"{file}: {where}.effective = {v.effective}: overlaps version {previous.id}; "
            f"set {previous.id}'s repealed on or before {v.effective}"
        )
    return problems


def _version_contents(file: str, where: str, v) -> list[str]:
    """What a version holds: article text only where the source is more than a summary, notes where it is partial
    or its date inferred, unique article numbers with the pinned hash of their text, unique fact ids."""
    problems = []
    if v.completeness == "summary-only" and v.articles:
        problems.append(f"{file}: {where}.article: a summary-only version holds facts, never article text")
    if v.completeness != "whole" and not v.completeness_note:
        problems.append(f"{file}: {where}.completeness_note: required when completeness is {v.completeness}")
    if not v.date_certain and not v.date_note:
        problems.append(f"{file}: {where}.date_note: required when date_certain is false")
    numbers = set()
    for art in v.articles:
        key = f"{where}.article[{art.number}]"
        if art.number in numbers:
            problems.append(f"{file}: {key}.number = \"{art.number}\": article numbers must be unique")
        numbers.add(art.number)
        actual = article_hash(art.paragraphs)
        if actual != art.sha256:
            problems.append(
                f"{file}: {key}.sha256 = \"{art.sha256[:12]}…\": the text hashes to {actual[:12]}…; "
                "the text or the pinned hash was changed"
            )
    facts = set()
    for fact in v.facts:
        if fact.id in facts:
            problems.append(f"{file}: {where}.fact[{fact.id}].id: fact ids must be unique")
        facts.add(fact.id)
    return problems


def _check_ceased(law: Law) -> list[str]:
    """An article's ``ceased`` names a text in force on the day the provisions stop, within the article's version."""
    problems = []
    for inst_id in sorted(law.instruments):
        for v in law.instruments[inst_id].versions:
            for art in v.articles:
                if art.ceased is None:
                    continue
                where = f"{law.files.get(inst_id, inst_id)}: version[{v.id}].article[{art.number}].ceased"
                day = _dt.date.fromisoformat(art.ceased["from"])
                if not v.in_force_on(day):
                    problems.append(f"{where}.from = {day}: must fall while version {v.id} is in force")
                try:
                    if law.resolve(art.ceased["by"], day) is None:
                        problems.append(f"{where}.by = \"{art.ceased['by']}\": not in force on {day}")
                except DataError as exc:
                    problems.append(f"{where}.by = \"{art.ceased['by']}\": {exc.allowed}")
    return problems


def _check_parameters(law: Law) -> list[str]:
    problems = []
    for name in sorted(law.parameters):
        param = law.parameters[name]
        for entry in param.values:
            for ref in entry.cite:
                try:
                    if law.resolve(ref, entry.start) is None:
                        problems.append(
                            f"{param.file}: parameter.{name}.values[{entry.start}].cite = \"{ref}\": "
                            f"not in force on {entry.start}"
                        )
                except DataError as exc:
                    problems.append(f"{param.file}: parameter.{name}.values[{entry.start}].cite = \"{ref}\": {exc.allowed}")
    return problems
