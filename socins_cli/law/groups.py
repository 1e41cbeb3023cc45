"""Which rank of law an instrument is (law, administrative regulation, …), from ``statutes/corpus/instrument-groups.toml``.

The groups and the rules that place an instrument in one are data: an
instrument's ``kind`` alone does not say it (a 决定 of the NPC Standing
Committee is law, one of the State Council a normative document), so a rule
may also test the issuer and the title. The first rule that holds decides.
"""

from __future__ import annotations

from socins_cli.errors import DataError
from socins_cli.law.load import Law
from socins_cli.law.model import Instrument

GROUPS_FILE = "corpus/instrument-groups"
_RULE_TESTS = ("kind", "issuer", "issuer_prefix", "title_contains")


def groups(law: Law) -> list[dict]:
    """The groups in the order the file lists them: ``{"id", "label", "label_zh"}``."""
    return list((law.data.get(GROUPS_FILE) or {}).get("group", []))


def group_of(law: Law, inst: Instrument) -> dict | None:
    """The group whose first matching rule places ``inst``; None when the file is absent or no rule matches."""
    body = law.data.get(GROUPS_FILE) or {}
    by_id = {g.get("id"): g for g in body.get("group", [])}
    for rule in body.get("rule", []):
        if _holds(rule, inst):
            return by_id.get(rule.get("group"))
    return None


def _holds(rule: dict, inst: Instrument) -> bool:
    if "kind" in rule and inst.kind not in rule["kind"]:
        return False
    if "issuer" in rule and inst.issuer not in rule["issuer"]:
        return False
    if "issuer_prefix" in rule and not inst.issuer.startswith(rule["issuer_prefix"]):
        return False
    return "title_contains" not in rule or rule["title_contains"] in inst.title_zh


def validate_groups(law: Law) -> list[str]:
    """Problem lines: unknown keys, a rule naming no group, an instrument no rule places."""
    body = law.data.get(GROUPS_FILE)
    if body is None:
        return []
    file = f"statutes/{GROUPS_FILE}.toml"
    problems = []
    ids = set()
    for i, g in enumerate(body.get("group", [])):
        for key in ("id", "label", "label_zh"):
            if not isinstance(g.get(key), str):
                problems.append(str(DataError(file, f"group[{i}].{key}", g.get(key), "is required (a string)")))
        if not isinstance(g.get("law", True), bool):
            problems.append(str(DataError(file, f"group[{i}].law", g.get("law"), "expected true or false")))
        ids.add(g.get("id"))
    for i, rule in enumerate(body.get("rule", [])):
        for key in rule:
            if key != "group" and key not in _RULE_TESTS:
                problems.append(str(DataError(file, f"rule[{i}].{key}", rule[key],
                                              "expected group or a test: " + ", ".join(_RULE_TESTS))))
        if rule.get("group") not in ids:
            problems.append(str(DataError(file, f"rule[{i}].group", rule.get("group"),
                                          "expected a group id: " + ", ".join(sorted(i for i in ids if i)))))
    for inst_id in sorted(law.instruments):
        if not problems and group_of(law, law.instruments[inst_id]) is None:
            problems.append(str(DataError(file, "rule", inst_id, "no rule places this instrument; end with a rule without tests")))
    return problems
