"""The engines remember nothing between calls: what they keep on a Law is compiled from its data, never answers.

A batch caches answers on the keys the engines declare (``socins_cli/batch/jobs.py``); here answering many
people leaves every engine's compiled view of the law exactly as it was, so the next answer is worked out
afresh from the rules.
"""

from __future__ import annotations

import copy

import msgspec

from socins_cli.engines import answers, eligibility, inequities, retirement
from socins_cli.errors import InputError
from socins_cli.law.load import load_law
from socins_cli.person import CATEGORIES, make_person

DATES = ("2010-06-30", "2019-12-31", "2025-06-30", "2026-06-01")


def _people():
    for on in DATES:
        for category in CATEGORIES:
            relation = "labor" if category == "platform" else None
            for sex, birth in (("male", "1966-05"), ("female", "1972-11")):
                yield make_person(category=category, relation=relation, sex=sex, birth=birth,
                                  province="guangdong", as_of=on)


def _snapshot(view) -> dict:
    """A view's fields as plain values (the Law it indexes left out: it is the same object)."""
    return {f.name: copy.deepcopy(getattr(view, f.name)) for f in msgspec.structs.fields(view) if f.name != "law"}


def test_answering_checks_and_retirements_leaves_the_compiled_law_as_it_was():
    law = load_law()
    views = (eligibility.compiled(law), inequities.findings_data(law), retirement._rules_of(law))
    before = [_snapshot(view) for view in views]
    names = set(law.views)
    for person in _people():
        answers.check(law, person)
        try:
            retirement.retirement(law, person)
        except InputError:
            pass
    assert set(law.views) == names  # no new view: nothing keyed by the people asked about
    assert [_snapshot(view) for view in views] == before


def test_an_answer_is_the_same_asked_first_or_after_many_others():
    law = load_law()
    people = list(_people())
    later = [answers.check(law, p) for p in people]
    for i in range(0, len(people), 9):
        assert answers.check(load_law(), people[i]) == later[i]
