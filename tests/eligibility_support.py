"""Helpers for the eligibility tests: run a check and read it scheme by scheme."""

from __future__ import annotations

from socins_cli.engines.answers import check
from socins_cli.person import make_person

FLEXIBLE = ("self-employed", "part-time", "flexible")

#: Each category the contract knows, platform split by relation; platform workers placed in the
#: first pilot (北京, 外卖, 美团) so that the occupational-injury pilot can reach them.
PEOPLE = {
    "employee": {"category": "employee"},
    "civil-servant": {"category": "civil-servant"},
    "self-employed": {"category": "self-employed"},
    "part-time": {"category": "part-time"},
    "flexible": {"category": "flexible"},
    "platform-labor": {"category": "platform", "relation": "labor", "province": "beijing",
                       "industry": "food-delivery", "platform": "美团"},
    "platform-incomplete": {"category": "platform", "relation": "incomplete", "province": "beijing",
                            "industry": "food-delivery", "platform": "美团"},
    "platform-civil": {"category": "platform", "relation": "civil", "province": "beijing",
                       "industry": "food-delivery", "platform": "美团"},
    "resident": {"category": "resident"},
}


def run(law, as_of: str, explain: bool = False, **attrs) -> dict:
    return check(law, make_person(as_of=as_of, **attrs), explain=explain)


def schemes(law, as_of: str, **attrs) -> dict:
    """The check result as {scheme id: entry}."""
    return {s["scheme"]: s for s in run(law, as_of, **attrs)["schemes"]}


def cites(entry: dict) -> set:
    """Citations as compact strings: ``sil@2018:10:2``, ``oi-pilot-2021@2021#who-pays``."""
    out = set()
    for c in entry["citations"]:
        ref = f"{c['instrument']}@{c['version']}"
        if "article" in c and "fact" not in c and "table" not in c:
            ref += f":{c['article']}"
            if "paragraph" in c:
                ref += f":{c['paragraph']}"
        if "fact" in c:
            ref += f"#{c['fact']}"
        out.add(ref)
    return out


def instruments(entry: dict) -> set:
    return {c["instrument"] for c in entry["citations"]}


def part_time_definition(category, version: str) -> set:
    """A part-time worker's answers also cite the Labour Contract Law's definition of 非全日制用工 (art. 68)."""
    return {f"lcl@{version}:68"} if category == "part-time" else set()


def contribution_regulation(day: str, scheme: str = "employee-pension") -> set:
    """An answer with an employer's contribution duty also cites the contribution regulation from 2019-03-24.

    Its 1999 text is not held, so the 2019 revision is cited from its date only;
    work injury reaches it through wiir art. 3.
    """
    if day < "2019-03-24":
        return set()
    if scheme == "work-injury":
        return {"wiir@2010:3", "sicr@2019:4:1", "sicr@2019:10:1"}
    return {"sicr@2019:2:1", "sicr@2019:4:1", "sicr@2019:10:1"}
