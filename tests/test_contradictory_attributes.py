"""Contradictory attributes are bad input (CONTRACT, exit 2): one line naming the field, the value and what is allowed.

A category's own definition (CONTRACT's table) decides: an ``employee`` is 职工 in a labour relation with an
employer (用人单位), so ``employers 0`` contradicts it, as it does a civil servant's and a platform worker's in
a labour relation; a ``waiver`` is an agreement with an employer, which 无雇工的个体工商户 (``self-employed``)
and 城乡居民 without employment (``resident``) do not have, so one contradicts them, as ``employers`` 1 or more does.
"""

from __future__ import annotations

import json

import pytest

from cli_helpers import run
from socins_cli import api
from socins_cli.errors import InputError

CONTRADICTIONS = [
    (["--category", "employee", "--employers", "0"], "employers", '"0"'),
    (["--category", "civil-servant", "--employers", "0"], "employers", '"0"'),
    (["--category", "platform", "--relation", "labor", "--employers", "0"], "employers", '"0"'),
    (["--category", "resident", "--waiver"], "waiver", "true"),
    (["--category", "self-employed", "--waiver"], "waiver", "true"),
    (["--category", "self-employed", "--employers", "1"], "employers", '"1"'),
    (["--category", "resident", "--employers", "2"], "employers", '"2"'),
    (["--category", "part-time", "--employers", "0", "--waiver"], "waiver", "true"),  # an employer, and none
    (["--category", "flexible", "--employers", "0", "--waiver"], "waiver", "true"),
]
#: Not contradictions: the same values where the category allows them.
CONSISTENT = [
    ["--category", "part-time", "--employers", "0"],  # outside an employer (sil art. 10 para 2)
    ["--category", "flexible", "--employers", "0"],
    ["--category", "platform", "--relation", "incomplete", "--employers", "0"],
    ["--category", "employee", "--employers", "2"],
    ["--category", "employee", "--waiver"],  # the waiver addenda answer it (ll 72, sil 60 para 1)
    ["--category", "flexible", "--waiver"],  # a worker an employer calls flexible may still have agreed one
    ["--category", "self-employed", "--employers", "0"],
    ["--category", "resident", "--employers", "0"],
]


@pytest.mark.parametrize("args, field, shown", CONTRADICTIONS)
@pytest.mark.parametrize("command", ["check", "retirement", "timeline"])
def test_a_contradiction_is_one_error_line_and_exit_2(command, args, field, shown):
    extra = {"check": ["--as-of", "2026-06-01"], "retirement": ["--sex", "male", "--birth", "1980-01"],
             "timeline": ["--from", "2020-01-01", "--to", "2026-06-01"]}[command]
    r = run(command, *args, *extra, "--format", "json")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"socins: error: {field} {shown}: ") and r.err.count("\n") == 1, r.err
    assert "Traceback" not in r.err


@pytest.mark.parametrize("args", CONSISTENT)
def test_the_same_values_stand_where_the_category_allows_them(args):
    r = run("check", *args, "--as-of", "2026-06-01", "--format", "json")
    assert r.code == 0, r.err


def test_a_batch_row_with_a_contradiction_is_its_own_error_record_and_the_rest_are_answered():
    rows = [{"id": "a", "category": "employee", "employers": 0},
            {"id": "b", "category": "employee", "employers": 1},
            {"id": "c", "category": "resident", "waiver": "是"},
            {"id": "d", "category": "resident"}]
    r = run("check", "--input", "-", "--format", "jsonl", "--brief", "--as-of", "2026-06-01",
            stdin="".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    assert r.code == 2
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [rec["id"] for rec in records] == ["a", "b", "c", "d"]
    assert records[0]["error"]["field"] == "employers" and records[0]["error"]["value"] == 0
    assert records[2]["error"]["field"] == "waiver" and records[2]["error"]["value"] == "是"
    assert "error" not in records[1] and "error" not in records[3]


def test_the_api_raises_the_input_error_naming_the_field():
    with pytest.raises(InputError) as raised:
        api.check(category="civil-servant", employers=0)
    assert raised.value.field == "employers"
    with pytest.raises(InputError) as raised:
        api.check(category="self-employed", waiver=True)
    assert raised.value.field == "waiver"


def test_parquet_rows_with_a_contradiction_get_the_error_one_call_gives(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = {"id": ["a", "b", "c", "d"], "category": ["employee", "resident", "employee", "platform"],
            "relation": [None, None, None, "labor"], "employers": [0, None, 1, 0],
            "waiver": [None, True, None, None], "as_of": ["2026-06-01"] * 4}
    pq.write_table(pa.table(rows), tmp_path / "in.parquet")
    r = run("check", "--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out.parquet"), "--quiet")
    assert r.code == 2
    errors = pq.read_table(tmp_path / "out.parquet").column("error").to_pylist()
    expected = []
    for i in range(4):
        person = {k: rows[k][i] for k in ("category", "relation", "employers", "waiver", "as_of")}
        try:
            api.check(**{k: v for k, v in person.items() if v is not None})
            expected.append(None)
        except InputError as err:
            expected.append(str(err))
    assert errors == expected and errors[2] is None and errors[0].startswith("employers 0: ")


def test_a_relation_without_a_category_is_refused_where_retirement_defaults_the_category():
    """retirement answers for an employee when no category is given: a platform relation beside it contradicts that."""
    r = run("retirement", "--sex", "male", "--birth", "1970-05", "--relation", "labor", "--format", "json")
    assert r.code == 2 and r.err.startswith('socins: error: relation "labor": applies only to category platform')


def test_a_persons_options_with_input_are_refused_not_ignored():
    """The rows give the person; --category beside --input had been ignored without a word (--as-of is the default date)."""
    rows = '{"person_id": "N1", "category": "employee"}\n'
    r = run("check", "--input", "-", "--category", "flexible", "--format", "jsonl", stdin=rows)
    assert r.code == 2 and r.err.startswith('socins: error: category "flexible": is a column of the rows')
    r = run("check", "--input", "-", "--as-of", "2020-01-01", "--format", "jsonl", stdin=rows)
    assert r.code == 0 and json.loads(r.out)["as_of"] == "2020-01-01"
