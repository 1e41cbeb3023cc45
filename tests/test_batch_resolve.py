"""The resolver's shortcuts give what one ``make_person`` call and one key call give."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from socins_cli.batch_resolve import A_ATTRIBUTES, B_ATTRIBUTES, Job, PartA, PartB, Resolver
from socins_cli.errors import InputError
from socins_cli.person import make_person

VALUES = {
    "category": ["employee", "platform", "flexible", "职工", "bogus", "", None],
    "relation": ["labor", "civil", "劳动关系", "x", None],
    "province": ["guangdong", "北京", "广西壮族自治区", "atlantis", None],
    "industry": ["food-delivery", "外卖", "space", None],
    "platform": ["美团", "=x", "", None],
    "employers": ["0", "2", "-1", "many", 3, None],
    "as_of": ["2026-06-01", "2010-01-01", "2026-13-01", "", None],
    "sex": ["male", "female", "女", "x", None],
    "female_track": ["worker", "cadre", "干部", "x", None],
    "birth": ["1960-01", "1990-12", "2030-05", "1990-13", "1899-01", None],
}
raw_rows = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in VALUES.items()})


def _job(key=lambda p: (p.category,), require_category=False):
    return Job("t", lambda p: {"as_of": p.as_of.isoformat(), "person": p.as_dict()}, key, (), dict,
               require_category=require_category)


@settings(max_examples=400, deadline=None)
@given(raw_rows, st.booleans())
def test_split_normalisation_equals_one_make_person_call(row, require_category):
    """The A/B split is sound: same person, and an error exactly when one call errs (the same error when one part fails)."""
    resolver = Resolver(_job(require_category=require_category), dict)
    a_raw = tuple(row[k] for k in A_ATTRIBUTES)
    b_raw = tuple(row[k] for k in B_ATTRIBUTES)
    values = dict(row)
    values["as_of"] = resolver._as_of(values["as_of"])
    try:
        person = make_person(**values, require_category=require_category)
        whole = None
    except InputError as err:
        person, whole = None, err
    parts = []
    for make, raw in ((resolver._part_a, a_raw), (resolver._part_b, b_raw)):
        try:
            parts.append(make(raw))
        except InputError as err:
            parts.append(err)
    a, b = parts
    if whole is None:
        assert isinstance(a, PartA) and isinstance(b, PartB)
        assert resolver.person(a, b) == person
        assert resolver.echo(a, b) == person.as_dict()
        assert list(resolver.echo(a, b)) == list(person.as_dict())
    else:
        assert not (isinstance(a, PartA) and isinstance(b, PartB))
        if isinstance(a, PartA) != isinstance(b, PartB):  # exactly one part failed
            failed = b if isinstance(a, PartA) else a
            assert str(failed) == str(whole)
        try:
            resolver.parts(a_raw, b_raw)
            raise AssertionError("parts() accepted a row make_person refuses")
        except InputError as err:
            assert str(err) == str(whole)


def _branching_key(person):
    """Reads different attributes on different paths, as rule engines do."""
    if person.category == "platform":
        return ("p", person.relation, person.province, person.as_of.year)
    if person.category == "employee":
        return ("e", person.sex, person.birth, person.female_track)
    return ("o", person.category)


def test_memoised_keys_equal_direct_key_calls():
    resolver = Resolver(_job(key=_branching_key), dict)
    choices = [VALUES[k] for k in ("category", "relation", "sex", "birth", "province")]
    seen = 0
    for _ in range(2):
        for cat, rel, sex, birth, prov in itertools.product(*choices):
            a_raw = (cat, rel, prov, None, None, None, "2026-06-01")
            b_raw = (sex, None, birth, "2026-06-01")
            try:
                a, b = resolver.parts(a_raw, b_raw)
            except InputError:
                continue
            assert resolver.key_of(a, b) == _branching_key(resolver.person(a, b))
            seen += 1
    assert seen > 100
    assert resolver.root is not None  # the employee path reads B attributes: those keys come from the trie
