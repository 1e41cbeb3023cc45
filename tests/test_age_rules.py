"""Rules that test the age (``age = {min, max}``): the resident pension from 16 (国发〔2014〕8号, 年满16周岁).

The age is the one thing a key reads from both halves of a batch row (the
birth and the date asked about), so a batch adds the age band to its key:
every path must give each row what one ``socins check`` gives that person.
"""

from __future__ import annotations

import itertools
import json

import pytest

from cli_helpers import run
from socins_cli import api
from socins_cli.engines.eligibility import age_band, age_change_days, ages_tested, compiled
from socins_cli.person import make_person

DATES = ["2014-12-30", "2014-12-31", "2020-05-31", "2026-06-01", "2026-06-30"]
BIRTHS = [None, "1998-12", "2004-06", "2004-07", "2010-05", "2010-06", "2010-07", "2015-01"]
PEOPLE = [{"category": "resident"}, {"category": "flexible"}, {"category": "platform", "relation": "civil"},
          {"category": "employee"}]


def rows():
    for i, (person, as_of, birth) in enumerate(itertools.product(PEOPLE, DATES, BIRTHS)):
        row = {"id": i, **person, "as_of": as_of}
        if birth is not None:
            row["birth"] = birth
        yield row


def single(row: dict) -> dict | None:
    """resident-pension's (status, rule, settled) from one call, or None where the call refuses the row (a birth after
    as_of)."""
    fields = {k: v for k, v in row.items() if k != "id"}
    try:
        answer = api.check(**fields)
    except Exception:
        return None
    entry = next(s for s in answer["schemes"] if s["scheme"] == "resident-pension")
    return entry["status"], entry["rule"], entry["settled"]


def test_the_age_a_rule_tests_is_16_years_and_only_the_categories_it_names_read_it(law):
    assert compiled(law).ages == (16 * 12, 16 * 12 + 1)  # from the month of the 16th birthday, and after it
    assert ages_tested(law, make_person(category="resident")) == (192, 193)
    # an employee's answers read the age too (ll 15: one under 16 is one employers may not recruit)
    assert ages_tested(law, make_person(category="employee")) == (192, 193)
    assert ages_tested(law, make_person(category="civil-servant")) == ()


def test_an_age_counts_from_the_month_of_birth(law):
    """16 from the first day of the month of the 16th birthday (a birth is a month, not a day)."""
    born = make_person(birth="2010-06", as_of="2026-06-01")
    assert age_band(law, born.birth, born.as_of) == 1
    assert age_band(law, born.birth, make_person(as_of="2026-05-31").as_of) == 0
    assert age_band(law, None, born.as_of) is None
    assert [d.isoformat() for d in age_change_days(law, born.birth, born.as_of.replace(year=2020), born.as_of)] \
        == ["2026-06-01"]


@pytest.mark.parametrize("as_of,status,settled", [
    ("2026-05-31", "not-eligible", True), ("2026-06-01", "voluntary", False), ("2026-06-30", "voluntary", False),
    ("2026-07-01", "voluntary", True),
])
def test_resident_pension_2014_in_the_month_of_the_16th_birthday_the_day_decides_so_the_answer_is_open(
        as_of, status, settled):
    """年满16周岁 is reached on the birthday; a birth given as 2010-06 may fall on any day of June 2026, so within
    that month the answer (the one from the birthday on) is open, and from July settled."""
    entry = next(s for s in api.check(category="resident", birth="2010-06", as_of=as_of)["schemes"]
                 if s["scheme"] == "resident-pension")
    assert (entry["status"], entry["settled"]) == (status, settled)
    assert ("falls in the month of the 16th birthday" in entry["notes"]) == (not settled)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_every_batch_row_is_answered_as_one_call_answers_its_person(tmp_path, fmt):
    people = list(rows())
    expected = [single(row) for row in people]
    assert ("not-eligible", "resident-pension.under-16.not-eligible", True) in expected
    assert ("voluntary", "resident-pension.resident.voluntary", True) in expected
    assert ("voluntary", "resident-pension.resident.voluntary", False) in expected  # in the month of the birthday
    if fmt == "jsonl":
        source = tmp_path / "in.jsonl"
        source.write_text("".join(json.dumps(row) + "\n" for row in people), encoding="utf-8")
        r = run("check", "--input", str(source), "--fields", "id,error,resident-pension.status,resident-pension.rule,"
                "resident-pension.settled",
                "--format", "jsonl")
        got = [json.loads(line) for line in r.out.splitlines()]
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        columns = {k: [row.get(k) for row in people] for k in ("id", "category", "relation", "birth", "as_of")}
        pq.write_table(pa.table(columns), tmp_path / "in.parquet")
        r = run("check", "--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out.parquet"), "--quiet")
        got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert r.code == 2  # births after as_of are refused, as one call refuses them
    assert [row["id"] for row in got] == [row["id"] for row in people]
    answered = [None if row["error"] else (row["resident-pension.status"], row["resident-pension.rule"],
                                           row["resident-pension.settled"]) for row in got]
    assert answered == expected


def test_explain_says_why_an_age_test_fails():
    r = run("check", "--category", "resident", "--as-of", "2026-06-01", "--explain", "--format", "json")
    trace = next(s for s in json.loads(r.out)["schemes"] if s["scheme"] == "resident-pension")["trace"]
    under_16 = next(t for t in trace if t["rule"] == "resident-pension.under-16.not-eligible")
    assert not under_16["applied"] and "age is not known (no birth given)" in under_16["why"]


def test_an_age_test_with_a_bad_bound_is_refused_by_validate(tmp_path):
    from cli_helpers import copy_statutes

    statutes = copy_statutes(tmp_path)
    rules = statutes / "rules" / "eligibility.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("age = { max = 15 }", "age = { max = -1 }", 1), encoding="utf-8")
    r = run("validate", "--statutes", str(statutes))
    assert r.code == 3 and "age" in r.err + r.out


@pytest.mark.parametrize("old,new,field", [
    ("birthday_month = 16, from = 2014-12-31 },\n  { category = [\"platform\"]", "birthday_month = -16, from = 2014-12-31 },\n  { category = [\"platform\"]", "birthday_month"),
    ('past_retirement_age = "on-another-reading" },', 'past_retirement_age = "maybe" },', "past_retirement_age"),
])
def test_a_birthday_month_or_reading_test_of_the_wrong_kind_is_refused_by_validate(tmp_path, old, new, field):
    from cli_helpers import copy_statutes

    statutes = copy_statutes(tmp_path)
    rules = statutes / "rules" / "eligibility.toml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    r = run("validate", "--statutes", str(statutes))
    assert r.code == 3 and field in r.err + r.out
