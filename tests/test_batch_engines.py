"""Batch runs of the real engines agree, row by row, with their single calls (JSONL, CSV and Parquet)."""

from __future__ import annotations

import random

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from batch_helpers import csv_bytes, csv_records, jsonl_bytes, jsonl_records, run_bytes
from socins_cli.batch.jobs import check_job, citation_label, retirement_job
from socins_cli.batch.write import cell_text, neutralise
from socins_cli.engines.answers import check_row
from socins_cli.errors import InputError
from socins_cli.person import ATTRIBUTES
from socins_cli.engines.retirement import retirement_row

COLUMNS = ["person_id", *ATTRIBUTES]


def mixed_rows(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        category = rnd.choice(["employee", "flexible", "platform", "resident", "self-employed", "part-time",
                               "civil-servant", "职工"])
        sex = rnd.choice(["male", "female"])
        row = {"person_id": f"P{i}", "category": category, "sex": sex,
               "birth": f"{rnd.randint(1955, 2004)}-{rnd.randint(1, 12):02d}",
               "province": rnd.choice(["guangdong", "广东", "beijing", "上海市", "sichuan", "xizang"]),
               "as_of": rnd.choice(["2011-06-30", "2015-03-01", "2022-07-01", "2025-07-01", "2026-06-01"])}
        if category == "platform":
            row["relation"] = rnd.choice(["labor", "incomplete", "civil"])
            row["industry"] = rnd.choice(["food-delivery", "ride-hailing", "instant-delivery"])
            row["platform"] = rnd.choice(["美团", "饿了么", "滴滴出行", "闪送"])
        if sex == "female" and category in ("employee", "职工", "civil-servant"):
            row["female_track"] = rnd.choice(["worker", "cadre"])
        if category == "part-time":
            row["employers"] = rnd.choice(["1", "2"])
        if i % 13 == 5:
            row[rnd.choice(["birth", "as_of", "province", "category", "sex"])] = rnd.choice(
                ["1990-13", "2025-02-30", "atlantis", "freelancer", "x"])
        rows.append(row)
    return rows


def single(engine, law, row):
    try:
        return engine(law, {k: v for k, v in row.items() if k in ATTRIBUTES})
    except InputError as err:
        return err


@pytest.fixture(scope="module", params=["check", "retirement"])
def engine(request, law):
    if request.param == "check":
        return check_job(law), check_row
    return retirement_job(law), retirement_row


def test_batch_jsonl_and_csv_agree_with_single_calls(law, engine):
    job, call = engine
    rows = mixed_rows(300)
    counts, out = run_bytes(jsonl_bytes(rows), job)
    records = jsonl_records(out)
    _, csv_out = run_bytes(csv_bytes(rows, COLUMNS), job, in_fmt="csv", out_fmt="csv")
    flats = csv_records(csv_out)
    assert len(records) == len(flats) == len(rows) == counts.rows
    failures = 0
    for line, (row, record, flat) in enumerate(zip(rows, records, flats), start=1):
        expected = single(call, law, row)
        assert record["person_id"] == flat["person_id"] == row["person_id"]
        if isinstance(expected, InputError):
            failures += 1
            assert record["line"] == line and record["error"]["message"] == expected.allowed
            assert flat["error"] == neutralise(str(expected)) and flat["line"] == str(line + 1)
            continue
        assert record == {"person_id": row["person_id"], **expected}
        want = job.flatten({k: v for k, v in expected.items() if k not in job.echo_keys})
        for column in job.columns:
            assert flat[column] == neutralise(cell_text(want.get(column))), column
        for attr in ATTRIBUTES:
            assert flat[attr] == neutralise(cell_text(expected["person"].get(attr))), attr
    assert counts.failed == failures > 0


def test_a_check_answer_many_keys_share_is_one_object_rendered_once(law):
    """Keys met anew whose scheme answers and findings were met before give the answer assembled then
    (``check_job``), and the resolver renders that object once: fewer renderings than keys, none twice."""
    import io

    from socins_cli.batch.resolve import Resolver
    from socins_cli.batch.rows import BatchCounts, answer_rows, reserved_names
    from socins_cli.batch.write import JsonlSink

    job = check_job(law)
    sink = JsonlSink(io.BytesIO(), job.echo_keys)
    rendered = []
    plain_render = sink.render

    def render(data):
        rendered.append(data)
        return plain_render(data)

    resolver = Resolver(job, render)
    rows = [(n, row) for n, row in enumerate(mixed_rows(600, seed=5), 1)]
    answer_rows(rows, resolver, sink, reserved_names(job), BatchCounts(), None)
    assert len({id(d) for d in rendered}) == len(rendered)
    assert 0 < len(rendered) < resolver.misses


def test_every_result_field_has_a_flat_column(law, engine):
    """Nothing of a result is dropped from CSV: each flattened key is a column, or part of the echo."""
    job, call = engine
    for row in mixed_rows(200, seed=3):
        result = single(call, law, row)
        if isinstance(result, InputError):
            continue
        flat = job.flatten({k: v for k, v in result.items() if k not in job.echo_keys})
        assert set(k for k, v in flat.items() if v not in (None, [], "")) <= set(job.columns) | set(ATTRIBUTES)
        assert set(result) <= set(job.output_keys)


def test_check_csv_citation_cells_read_like_the_contract(law):
    job = check_job(law)
    rows = [{"person_id": "P1", "category": "flexible", "as_of": "2026-06-01"}]
    _, out = run_bytes(jsonl_bytes(rows), job, out_fmt="csv")
    [flat] = csv_records(out)
    assert "sil 2018 art. 10 para 2" in flat["employee-pension.citations"].split("; ")
    assert citation_label({"instrument": "sil", "version": "2018", "article": "10", "paragraph": 2}) == \
        "sil 2018 art. 10 para 2"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=40))
def test_property_shuffled_mixed_rows_agree_with_single_calls(law, seed, n):
    job = check_job(law)
    rows = mixed_rows(n, seed)
    _, out = run_bytes(jsonl_bytes(rows), job)
    records = jsonl_records(out)
    assert len(records) == n
    for row, record in zip(rows, records):
        expected = single(check_row, law, row)
        if isinstance(expected, InputError):
            assert record["error"]["field"] == expected.field
        else:
            assert record == {"person_id": row["person_id"], **expected}


def test_parquet_columnar_path_agrees_with_the_streamed_path(law, engine, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from socins_cli.batch.run import run_file

    job, call = engine
    rows = mixed_rows(400, seed=11)
    table = pa.table({c: [r.get(c) for r in rows] for c in COLUMNS})
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(table, src)
    counts = run_file(job, str(src), output=str(dst), default_as_of=None)
    out = pq.read_table(dst).to_pylist()
    _, csv_out = run_bytes(csv_bytes(rows, COLUMNS), job, in_fmt="csv", out_fmt="csv")
    flats = csv_records(csv_out)
    assert len(out) == len(rows) == counts.rows
    assert counts.failed == sum(1 for f in flats if f["error"])
    for line, (row, got, flat) in enumerate(zip(rows, out, flats), start=1):
        assert got["person_id"] == row["person_id"] and got["line"] == line
        if flat["error"]:
            assert neutralise(got["error"]) == flat["error"]
            continue
        assert got["error"] is None
        for column in (*ATTRIBUTES, *job.columns):
            if job.column_types.get(column) == "float" and got[column] is not None:
                assert got[column] == float(flat[column]), column  # typed: 15.0 for the text 15
                continue
            assert neutralise(cell_text(got[column])) == flat[column], column


def test_parquet_output_needs_parquet_input(law, tmp_path):
    pytest.importorskip("pyarrow")
    from socins_cli.batch.run import run_file

    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl_bytes(mixed_rows(3)))
    with pytest.raises(InputError):
        run_file(check_job(law), str(src), output=str(tmp_path / "out.parquet"))


def test_key_halves_read_only_their_own_attributes_and_name_the_answer(law, engine):
    """``key_a`` sees only category ... as_of, ``key_b`` only sex, female_track, birth (a half person lacks
    the rest: reading it raises), and people with equal halves get equal answers."""
    from socins_cli.batch.resolve import A_ATTRIBUTES, B_ATTRIBUTES, _person
    from socins_cli.engines.eligibility import age_band, past_retirement_age
    from socins_cli.person import make_person

    job, _ = engine
    answers: dict = {}
    for row in mixed_rows(400, seed=11):
        try:
            person = make_person(**{k: v for k, v in row.items() if k in ATTRIBUTES}, require_category=True)
        except InputError:
            continue
        half_a = _person({k: getattr(person, k) for k in A_ATTRIBUTES}, {})
        half_b = _person({}, {k: getattr(person, k) for k in B_ATTRIBUTES})
        key = (job.key_a(half_a), job.key_b(half_b))
        assert key == job.key(person)
        if job.ages is not None and job.ages(half_a):  # the age needs both halves: the batch adds its band
            key += (age_band(law, person.birth, person.as_of),)
        if job.retirement_key is not None and job.retirement_key(half_a) is not None:  # so does the retirement age
            key += (past_retirement_age(law, person, person.as_of),)
        try:
            answer = job.evaluate(person)
        except InputError as err:
            answer = str(err)
        assert answers.setdefault(key, answer) == answer, key
    assert len(answers) > 50


def test_retirement_plan_is_found_once_per_plan_key_and_a_missing_birth_stays_an_error(law, monkeypatch):
    """A batch asks the engine for a plan once per group, sex and track (``plan_key``), then does each birth's
    arithmetic; a row of the same group and sex without a birth still gets the single call's error."""
    from socins_cli.engines import retirement as engine

    made = []
    plan = engine.retirement_plan

    def counted(law, person):
        made.append(person)
        return plan(law, person)

    monkeypatch.setattr(engine, "retirement_plan", counted)
    rows = [{"person_id": f"P{i}", "category": "flexible", "sex": "female", "as_of": "2026-06-01",
             "birth": f"{1960 + i // 12}-{i % 12 + 1:02d}"} for i in range(240)]
    rows.insert(100, {"person_id": "nobirth", "category": "flexible", "sex": "female", "as_of": "2026-06-01"})
    _, out = run_bytes(jsonl_bytes(rows), retirement_job(law))
    records = jsonl_records(out)
    assert len(made) == 1
    monkeypatch.undo()
    for row, record in zip(rows, records):
        expected = single(retirement_row, law, row)
        if isinstance(expected, InputError):
            assert row["person_id"] == "nobirth" and record["error"]["field"] == "birth"
            assert record["error"]["message"] == expected.allowed
        else:
            assert record == {"person_id": row["person_id"], **expected}


@pytest.mark.parametrize("name", ["check", "retirement"])
def test_a_row_dated_after_the_last_review_says_so_as_a_single_answer_does(law, name):
    """A date after statutes/corpus/review.toml's day gets the same warning in a batch row as from ``socins check``."""
    import datetime as dt

    from socins_cli import api
    from socins_cli.law.coverage import review_date

    reviewed = review_date(law)
    after, before = (reviewed + dt.timedelta(days=1)).isoformat(), reviewed.isoformat()
    person = {"category": "flexible", "sex": "female", "birth": "1975-03"}
    rows = [{"person_id": "late", **person, "as_of": after}, {"person_id": "early", **person, "as_of": before}]
    job = check_job(law) if name == "check" else retirement_job(law)
    _, out = run_bytes(jsonl_bytes(rows), job)
    for row, record in zip(rows, jsonl_records(out)):
        expected = getattr(api, name)(law=law, **{k: v for k, v in row.items() if k != "person_id"})
        if name == "retirement":  # the batch echoes every attribute; retirement's own echo only its own
            record.pop("person"), expected.pop("person")
        assert record == {"person_id": row["person_id"], **expected}
        said = any("last reviewed" in w for w in record.get("warnings", []))
        assert said is (row["as_of"] == after)


#: JSON values Python holds equal (2 == 2.0, 0 == False, 1 == True) that one call treats differently.
EQUAL_BUT_NOT_ALIKE = [("employers", [2.0, 2, 2.0]), ("employers", [0, False, 0]), ("employers", [1, True, 1.0]),
                       ("income", [1, True, 1.0]), ("waiver", [True, 1, 1.0]), ("platform", [1, True, 1.0]),
                       ("province", [1, True]), ("birth", [0, False])]


@pytest.mark.parametrize("field, values", EQUAL_BUT_NOT_ALIKE)
def test_json_values_that_compare_equal_each_get_their_own_single_call_outcome(law, engine, field, values):
    """The caches key a value by its type too: the first row's ``2.0`` must not answer a later row's ``2``."""
    job, call = engine
    base = {"category": "part-time", "sex": "female", "birth": "1980-05", "as_of": "2020-01-01"}
    rows = [{"person_id": f"P{i}", **base, field: value} for i, value in enumerate(values * 2)]
    _, out = run_bytes(jsonl_bytes(rows), job)
    for line, (row, record) in enumerate(zip(rows, out.splitlines()), start=1):
        expected = single(call, law, row)
        if isinstance(expected, InputError):
            expected = {"line": line, "error": {"field": expected.field, "value": expected.value,
                                                "message": expected.allowed}}
        # compared as bytes: a record's true and 1 are equal in Python
        assert record == orjson.dumps({"person_id": row["person_id"], **expected}), row


def test_retirement_csv_rows_carry_the_answers_warnings_as_check_rows_do(law):
    """A date after the corpus's last review is said in the JSON answer's ``warnings``: CSV has them too."""
    job = retirement_job(law)
    row = {"person_id": "P1", "sex": "male", "birth": "1980-01", "as_of": "2099-01-01"}
    from socins_cli import api

    expected = api.retirement(**{k: v for k, v in row.items() if k in ATTRIBUTES}, law=law)
    assert expected.get("warnings"), expected
    _, out = run_bytes(jsonl_bytes([row]), job, out_fmt="csv")
    [flat] = csv_records(out)
    assert list(flat)[-1] == "warnings" and flat["warnings"] == "; ".join(expected["warnings"])
