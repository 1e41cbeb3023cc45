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
from socins_cli.engines.inequities import concerning, findings_for_category, findings_interval, spec_of
from socins_cli.person import ATTRIBUTES, make_person


def check_key(law, person) -> tuple:
    """What a result depends on: the attributes the rules read and the interval the date falls in.

    Two people with equal keys get equal ``schemes`` without ``explain``
    (their ``person`` and ``as_of`` fields still differ; a trace names the
    day), so a batch can cache on this key. It is ``check_key_a`` (category
    ... as_of) followed by ``check_key_b`` (sex): a batch computes the two
    halves once per distinct group of attributes.
    """
    return check_key_a(law, person) + check_key_b(law, person)


def check_key_a(law, person) -> tuple:
    """The half of ``check_key`` read from category, relation, province, industry, platform, employers, as_of."""
    return eligibility.scheme_key(law, person) + (spec_of(person), findings_interval(law, person.as_of))


def check_key_b(law, person) -> tuple:
    """The half of ``check_key`` read from sex, birth, female_track: the findings ask the person's sex."""
    return (person.sex,)


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
               inequities: bool = True, shared: bool = False) -> dict:
    """``check`` without its echo (``as_of``, ``person``): what a batch caches per key.

    ``shared`` returns the memoised scheme entries and findings themselves,
    for a caller that only reads them (a batch renders them, and finds an
    entry it has rendered before by identity); otherwise they are copies.
    """
    found = eligibility.answer_schemes(law, person, on, explain=explain, quote=quote, shared=shared)
    schemes = found["schemes"]
    return {
        "schemes": schemes,
        "inequities": _concerning(law, person, on, schemes, shared) if inequities else [],
        "warnings": found["warnings"],
    }


def _concerning(law, person, on: _dt.date, schemes: list[dict], shared: bool = False) -> list[dict]:
    """The findings on the person's category that their own scheme answers bear out."""
    found = findings_for_category(law, person if person.as_of == on else replace(person, as_of=on), shared)
    return concerning(law, found, schemes)


def check_row(law, row: dict, explain: bool = False) -> dict:
    """One batch row (the contract's attribute names as keys) checked; a bad field raises InputError."""
    fields = {k: row[k] for k in ATTRIBUTES if k in row}
    person = make_person(**fields, require_category=True)
    return check(law, person, explain=explain)
