"""String tests that replaced patterns (compiled at every start) accept exactly what the patterns matched.

Each pattern stays here, as the definition its string tests must keep to.
"""

from __future__ import annotations

import random
import re

import pytest

from socins_cli.dates import Month, parse_date
from socins_cli.engines.eligibility import _alias_key
from socins_cli.errors import InputError
from socins_cli.law.load import parse_cite

PATTERN = re.compile(
    r"^(?P<instrument>[a-z0-9][a-z0-9-]*)(?:@(?P<version>[A-Za-z0-9.-]+))?"
    r"(?:(?::(?P<article>[A-Za-z0-9.-]+)(?::(?P<paragraph>\d+))?)"
    r"|(?:#(?P<fact>[A-Za-z0-9._-]+))"
    r"|(?:/(?P<table>[A-Za-z0-9._-]+)))?$"
)

#: Each kind of character the pattern tells apart, and some it does not allow anywhere.
ALPHABET = ["a", "z", "0", "9", "-", "A", "Z", ".", "_", "@", ":", "#", "/", "\n", " ", "é", "٣", "２", "社"]


def _expected(ref: str):
    m = PATTERN.match(ref)
    return None if m is None else m.groupdict()


@pytest.mark.parametrize("ref", [
    "sil", "sil:10", "sil:10:2", "sil@2018:10:2", "sil@2010", "oi-pilot-2021#provinces", "retire-2024/annex-1",
    "sil:10:2\n", "sil\n", "sil\n\n", "-sil", "sil@", "sil:", "sil:10:", "sil:10:x", "sil#", "sil/", "sil#a/b",
    "sil:10:٣", "sil:10:2:3", "Sil", "sil@v1@v2", "", "\n", "sil:10#f", "sil@2018.1-a:3.1-b:12",
])
def test_parse_cite_matches_the_pattern_on_known_forms(ref):
    assert parse_cite(ref) == _expected(ref)


def test_parse_cite_matches_the_pattern_on_random_strings():
    rng = random.Random(18)
    for _ in range(30000):
        ref = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 9)))
        if rng.random() < 0.5:  # most random strings fail early: start half of them as a real citation does
            ref = rng.choice(["sil", "sil@2018", "oi-2021"]) + ref
        assert parse_cite(ref) == _expected(ref), repr(ref)


DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _shape_error(parse, text: str) -> bool:
    try:
        parse(text)
    except InputError as exc:
        return "expected a" in str(exc)
    return False


def test_dates_and_months_are_read_as_their_patterns_read_them():
    rng = random.Random(18)
    for _ in range(20000):
        text = "".join(rng.choice("0123456789-٣２a \n") for _ in range(rng.randint(0, 11)))
        for pattern, parse in ((DATE, parse_date), (MONTH, Month.parse)):
            assert _shape_error(parse, text) == (pattern.match(text.strip()) is None), repr(text)
    assert parse_date("２０２６-０６-０１").isoformat() == "2026-06-01"  # \d is any decimal digit, as before
    assert Month.parse("2026-6") == Month(2026, 6)


def test_platform_alias_keys_drop_what_the_pattern_dropped():
    rng = random.Random(18)
    for _ in range(20000):
        name = "".join(rng.choice(" \t\n\u3000\xa0\u2028\x1c._-aBc美团Ｘ") for _ in range(rng.randint(0, 8)))
        assert _alias_key(name) == re.sub(r"[\s._-]+", "", name).lower(), repr(name)
