"""The resolver's shortcuts give what one ``make_person`` call and one key call give."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from socins_cli.batch.resolve import A_ATTRIBUTES, B_ATTRIBUTES, Job, PartA, PartB, Resolver
from socins_cli.errors import InputError
from socins_cli.person import make_person

VALUES = {
    "category": ["employee", "platform", "flexible", "职工", "bogus", "", None],
    "relation": ["labor", "civil", "劳动关系", "x", None],
    "province": ["guangdong", "北京", "广西壮族自治区", "atlantis", None],
    "industry": ["food-delivery", "外卖", "space", None],
    "platform": ["美团", "=x", "", None],
    "employers": ["0", "2", "-1", "many", 3, None],
    "income": ["8000", "0", "5000.5", "-1", "lots", "nan", 12000, None],
    "waiver": ["true", "否", "maybe", "", True, None],
    "as_of": ["2026-06-01", "2010-01-01", "2026-13-01", "", None],
    "sex": ["male", "female", "女", "x", None],
    "female_track": ["worker", "cadre", "干部", "x", None],
    "birth": ["1960-01", "1990-12", "2030-05", "1990-13", "1899-01", None],
}
raw_rows = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in VALUES.items()})


def _job(require_category=False):
    return Job("t", lambda p: {"as_of": p.as_of.isoformat(), "person": p.as_dict()},
               lambda p: (p.category,), lambda p: (p.sex,), (), dict, require_category=require_category)


@settings(max_examples=600, deadline=None)
@given(raw_rows, st.booleans())
def test_split_normalisation_equals_one_make_person_call(row, require_category):
    """The A/B split is sound: the same person, or the same error, as one ``make_person`` call on the row."""
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
    try:
        a, b = resolver.parts(a_raw, b_raw)
    except InputError as err:
        assert whole is not None, f"parts() refused a row make_person accepts: {err}"
        assert str(err) == str(whole)
        return
    assert whole is None, f"parts() accepted a row make_person refuses: {whole}"
    assert isinstance(a, PartA) and isinstance(b, PartB)
    assert resolver.person(a, b) == person
    assert resolver.echo(a, b) == person.as_dict()
    assert list(resolver.echo(a, b)) == list(person.as_dict())
    # the spliced echo pieces are the bytes one dump of the echo gives (province and birth joined in place)
    spliced = b"{" + a.json_pre + b.json + a.json_province + a.json_post + b"}"
    assert spliced == orjson.dumps({"as_of": person.as_of.isoformat(), "person": person.as_dict()})


def test_a_birth_after_as_of_is_the_error_one_call_gives_though_both_parts_are_valid():
    resolver = Resolver(_job(), dict)
    a_raw = tuple({"category": "employee", "as_of": "2020-06-01"}.get(k) for k in A_ATTRIBUTES)
    try:
        resolver.parts(a_raw, ("male", None, "2020-07"))
    except InputError as err:
        assert (err.field, err.value) == ("birth", "2020-07") and "2020-06-01" in str(err)
    else:
        raise AssertionError("a birth after as_of was accepted")
    a, b = resolver.parts(a_raw, ("male", None, "2020-06"))  # the same month is allowed
    assert str(b.echo["birth"]) == "2020-06"


def test_a_key_half_that_reads_the_other_group_fails_loudly():
    """A job whose key_a reads a B attribute is a bug: the half person it gets has no such attribute."""
    job = Job("t", lambda p: {}, lambda p: (p.category, p.sex), lambda p: (), (), dict)
    resolver = Resolver(job, dict)
    try:
        resolver.parts(tuple({"category": "employee", "as_of": "2026-06-01"}.get(k) for k in A_ATTRIBUTES), ("male", None, None))
    except AttributeError as err:
        assert "sex" in str(err)
    else:
        raise AssertionError("key_a read sex unnoticed")


def test_parts_stay_bounded_and_right_when_their_cores_start_afresh():
    """Past its bound the resolver forgets every core; the parts built after are the same persons."""
    resolver = Resolver(_job(), dict, part_cache_size=4)
    a_raw = tuple({"category": "employee", "province": "guangdong", "as_of": "2026-06-01"}.get(k) for k in A_ATTRIBUTES)
    for year in range(1950, 2000):
        a, b = resolver.parts(a_raw, ("female", "worker", f"{year}-03"))
        assert resolver.person(a, b) == make_person(category="employee", province="guangdong", sex="female",
                                                    female_track="worker", birth=f"{year}-03", as_of="2026-06-01")
        assert resolver._parts <= 2 * 4
        assert sum(len(core.by_value) for core in resolver._cores_b.values()) <= 2 * 4
