"""A person's answers as ``socins check`` gives them: every scheme, and the inequity findings that concern them.

Two engines meet here and nowhere else: ``eligibility`` weighs the rules
scheme by scheme, ``inequities`` derives the findings (asking eligibility
for the people it compares). Neither imports this module, so the data
flows one way: rules → scheme answers → findings → this answer.
"""

from __future__ import annotations

import datetime as _dt
from msgspec.structs import replace

from socins_cli.engines import eligibility
from socins_cli.engines.inequities import concerning, findings_for_category, findings_key
from socins_cli.person import ATTRIBUTES, make_person


def check_key(law, person) -> tuple:
    """What a result depends on: the attributes the rules read and the date intervals, as the two engines declare them.

    Two people with equal keys get equal ``schemes`` and ``inequities``
    without ``explain`` (their ``person`` and ``as_of`` fields still differ;
    a trace names the day), so a batch may cache on this key.
    """
    return eligibility.schemes_key(law, person) + findings_key(law, person)


def check(law, person, as_of: _dt.date | None = None, explain: bool = False, quote: bool = False,
          inequities: bool = True) -> dict:
    """Every scheme of the vocabulary for ``person`` on ``as_of`` (default: the person's as_of), JSON-ready.

    ``inequities`` lists the findings that concern the person's category on
    that date (``socins inequities``).
    """
    on = as_of or person.as_of or _dt.date.today()
    return {"as_of": on.isoformat(), "person": person.as_dict(),
            **check_core(law, person, on, explain=explain, quote=quote, inequities=inequities)}


def check_core(law, person, on: _dt.date, explain: bool = False, quote: bool = False,
               inequities: bool = True) -> dict:
    """``check`` without its echo (``as_of``, ``person``): each scheme weighed, then the findings on the category."""
    found = eligibility.answer_schemes(law, person, on, explain=explain, quote=quote)
    findings = findings_for_category(law, person if person.as_of == on else replace(person, as_of=on)) \
        if inequities else []
    return assemble(law, found, findings)


def assemble(law, found: dict, findings: list[dict]) -> dict:
    """The answer from ``eligibility.schemes_answer`` and the category's findings: those the person's own answers bear out."""
    return {"schemes": found["schemes"], "inequities": concerning(law, findings, found["schemes"]) if findings else [],
            "warnings": found["warnings"]}


def check_row(law, row: dict, explain: bool = False) -> dict:
    """One batch row (the contract's attribute names as keys) checked; a bad field raises InputError."""
    fields = {k: row[k] for k in ATTRIBUTES if k in row}
    person = make_person(**fields, require_category=True)
    return check(law, person, explain=explain)
