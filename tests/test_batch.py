"""The batch runner: one output per input row, in order, error records, CSV safety, agreement with single calls."""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import io

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from batch_helpers import (AGE_JOB, PLACE_JOB, csv_bytes, csv_records, jsonl_bytes, jsonl_records, run_bytes)
from socins_cli.batch.run import guarded, run_batch
from socins_cli.batch.resolve import A_ATTRIBUTES, Job, Resolver
from socins_cli.batch.write import DelimitedSink, JsonlSink, neutralise, quote
from socins_cli.errors import ExitCode, InputError
from socins_cli.person import ATTRIBUTES, make_person

ROWS = [
    {"person_id": "P1", "category": "employee", "province": "广东", "as_of": "2026-06-01"},
    {"person_id": "P2", "category": "flexible", "province": "beijing", "birth": "1990-13", "as_of": "2026-06-01"},
    {"person_id": "P3", "category": "resident", "province": "北京市", "as_of": "2015-01-01"},
    {"person_id": "P4", "category": "freelancer", "as_of": "2026-06-01"},
    {"person_id": "P5", "category": "employee", "province": "广东", "as_of": "2026-07-01"},
]


def single(job: Job, row: dict):
    """What one call gives for a row: the result, or the InputError."""
    attrs = {k: v for k, v in row.items() if k in ATTRIBUTES}
    try:
        return job.evaluate(make_person(**attrs, require_category=job.require_category))
    except InputError as err:
        return err


# -- one output per input, in order ------------------------------------------------

def test_every_row_yields_one_result_or_one_error_record_in_order():
    counts, out = run_bytes(jsonl_bytes(ROWS), PLACE_JOB)
    records = jsonl_records(out)
    assert [r["person_id"] for r in records] == ["P1", "P2", "P3", "P4", "P5"]
    assert (counts.rows, counts.failed) == (5, 2)
    assert records[1] == {"person_id": "P2", "line": 2,
                          "error": {"field": "birth", "value": "1990-13", "message": "month must be 01-12"}}
    assert records[3]["line"] == 4 and records[3]["error"]["field"] == "category"
    for row, record in zip(ROWS, records):
        expected = single(PLACE_JOB, row)
        if isinstance(expected, dict):
            assert record == {"person_id": row["person_id"], **expected}


def test_summary_line_and_exit_code():
    counts, _ = run_bytes(jsonl_bytes(ROWS), PLACE_JOB)
    assert counts.exit_code == ExitCode.BAD_INPUT
    assert counts.summary() == '2 of 5 rows failed; first: line 2: birth "1990-13": month must be 01-12'
    ok, _ = run_bytes(jsonl_bytes([ROWS[0]]), PLACE_JOB)
    assert ok.exit_code == ExitCode.OK and ok.summary() is None


def test_read_errors_keep_their_place_in_the_output():
    data = jsonl_bytes(ROWS[:1]) + b"{broken\n" + b"[1]\n" + jsonl_bytes(ROWS[2:3])
    counts, out = run_bytes(data, PLACE_JOB)
    records = jsonl_records(out)
    assert [r.get("line") for r in records] == [None, 2, 3, None]
    assert [r.get("person_id") for r in records] == ["P1", None, None, "P3"]
    assert counts.rows == 4 and counts.failed == 2


def test_empty_input_writes_nothing_in_jsonl_and_a_header_in_csv():
    counts, out = run_bytes(b"", PLACE_JOB)
    assert (counts.rows, out) == (0, b"")
    counts, out = run_bytes(b"person_id,category\r\n", PLACE_JOB, in_fmt="csv", out_fmt="csv")
    assert counts.rows == 0 and counts.exit_code == ExitCode.OK
    header = out.decode().split("\r\n")[0].split(",")
    assert header[:3] == ["person_id", "line", "error"] and header[-4:] == list(PLACE_JOB.columns)
    # a CSV with no header at all carries no column, not JSON Lines' "extra" (any keys a row may give)
    for data, first in ((b"", "line"), (b"\r\n\r\n", "line")):
        _, out = run_bytes(data, PLACE_JOB, in_fmt="csv", out_fmt="csv")
        assert out.decode().split("\r\n")[0].split(",")[:2] == [first, "error"]
    _, out = run_bytes(b"", PLACE_JOB, in_fmt="jsonl", out_fmt="csv")
    assert out.decode().split("\r\n")[0].split(",")[:3] == ["extra", "line", "error"]


def test_rows_without_as_of_take_the_default_date():
    rows = [{"category": "employee"}, {"category": "employee", "as_of": ""}]
    _, out = run_bytes(jsonl_bytes(rows), PLACE_JOB, default_as_of=_dt.date(2019, 5, 1))
    assert [r["as_of"] for r in jsonl_records(out)] == ["2019-05-01", "2019-05-01"]


def test_a_column_named_like_an_output_field_is_carried_as_input_name():
    _, out = run_bytes(jsonl_bytes([{"line": "L9", "answer": 1, "category": "employee"}]), PLACE_JOB)
    [record] = jsonl_records(out)
    assert record["input.line"] == "L9" and record["input.answer"] == 1
    assert record["answer"].startswith("employee/")


def test_an_attribute_given_twice_in_a_row_is_an_error_record():
    _, out = run_bytes(b'{"as_of": "2026-01-01", "As-Of": "2026-01-02", "category": "employee"}\n', PLACE_JOB)
    [record] = jsonl_records(out)
    assert record["error"]["field"] == "as_of" and "twice" in record["error"]["message"]


def test_an_unhashable_attribute_value_is_an_error_record_not_a_crash():
    _, out = run_bytes(b'{"category": ["employee"]}\n{"category": "employee"}\n', PLACE_JOB)
    records = jsonl_records(out)
    assert records[0]["error"]["field"] == "category" and "error" not in records[1]


def test_an_engine_bug_is_an_error_record_and_the_run_goes_on():
    def evaluate(person):
        if person.category == "resident":
            raise KeyError("boom")
        return PLACE_JOB.evaluate(person)

    job = Job("buggy", evaluate, PLACE_JOB.key_a, PLACE_JOB.key_b, PLACE_JOB.columns, PLACE_JOB.flatten,
              PLACE_JOB.output_keys, require_category=True)
    counts, out = run_bytes(jsonl_bytes(ROWS), job)
    records = jsonl_records(out)
    assert len(records) == 5 and "internal error" in records[2]["error"]["message"]


# -- CSV and TSV -------------------------------------------------------------------

def test_csv_output_columns_error_column_and_agreement_with_single_calls():
    columns = ["person_id", "category", "province", "birth", "as_of"]
    _, out = run_bytes(csv_bytes(ROWS, columns), PLACE_JOB, in_fmt="csv", out_fmt="csv")
    records = csv_records(out)
    assert [r["person_id"] for r in records] == ["P1", "P2", "P3", "P4", "P5"]
    assert [r["line"] for r in records] == ["2", "3", "4", "5", "6"]
    assert records[1]["error"] == 'birth "1990-13": month must be 01-12' and records[1]["answer"] == ""
    assert records[0]["province"] == "guangdong" and records[0]["category"] == "employee"
    result = single(PLACE_JOB, ROWS[0])
    assert records[0]["answer"] == result["answer"] and records[0]["flags"] == "employee; x"
    assert records[0]["settled"] == "true"
    assert records[0]["notes"] == "'" + result["notes"]  # a formula-like cell is neutralised


def test_csv_injection_is_neutralised_in_every_cell():
    rows = [{"person_id": "=HYPERLINK(\"http://x\")", "note": "+1", "other": "-2", "at": "@SUM(A1)",
             "tab": "\tx", "cr": "\rx", "category": "platform", "relation": "civil", "platform": "=evil()",
             "as_of": "2026-06-01"}]
    columns = list(rows[0])
    _, out = run_bytes(csv_bytes(rows, columns), PLACE_JOB, in_fmt="csv", out_fmt="csv")
    [record] = csv_records(out)
    for column in ("person_id", "note", "other", "at", "tab", "cr", "platform"):
        assert record[column] == "'" + rows[0][column], column
    for cell in record.values():
        assert not cell or cell[0] not in "=+-@\t\r"


def test_jsonl_output_is_not_neutralised():
    _, out = run_bytes(jsonl_bytes([{"person_id": "=1+1", "category": "employee"}]), PLACE_JOB)
    assert jsonl_records(out)[0]["person_id"] == "=1+1"


def test_bom_is_written_on_request_and_chinese_survives():
    rows = [{"person_id": "张三", "category": "职工", "province": "广东省", "as_of": "2026-06-01"}]
    _, out = run_bytes(jsonl_bytes(rows), PLACE_JOB, out_fmt="csv", bom=True)
    assert out.startswith(b"\xef\xbb\xbf")
    [record] = csv_records(out)
    assert record["person_id"] == "张三" and record["province"] == "guangdong"
    _, plain = run_bytes(jsonl_bytes(rows), PLACE_JOB, out_fmt="csv")
    assert not plain.startswith(b"\xef\xbb\xbf")


def test_gb18030_csv_input_is_read_and_answered():
    rows = [{"person_id": "李四", "category": "灵活就业人员", "province": "北京", "as_of": "2026-06-01"}]
    data = csv_bytes(rows, list(rows[0]), encoding="gb18030")
    _, out = run_bytes(data, PLACE_JOB, in_fmt="csv", out_fmt="jsonl")
    [record] = jsonl_records(out)
    assert record["person_id"] == "李四" and record["person"]["province"] == "beijing"
    assert record["person"]["category"] == "flexible"


def test_tsv_output():
    _, out = run_bytes(jsonl_bytes(ROWS[:1]), PLACE_JOB, out_fmt="tsv")
    [record] = csv_records(out, delimiter="\t")
    assert record["person_id"] == "P1" and record["answer"] == single(PLACE_JOB, ROWS[0])["answer"]


def test_jsonl_to_csv_carries_unforeseen_columns_in_extra():
    rows = [{"person_id": "P1", "category": "employee"}, {"person_id": "P2", "team": "A", "category": "employee"}]
    _, out = run_bytes(jsonl_bytes(rows), PLACE_JOB, out_fmt="csv")
    records = csv_records(out)
    assert records[0]["extra"] == "" and orjson.loads(records[1]["extra"]) == {"team": "A"}


@given(st.text(max_size=12), st.sampled_from([",", "\t"]))
def test_quote_matches_the_csv_module(cell, delimiter):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerow([cell, "x"])  # as the sink ends lines
    assert quote(cell, delimiter) + delimiter + "x\r\n" == buf.getvalue()


def test_neutralise_follows_owasp():
    assert [neutralise(c) for c in ("=1", "+1", "-1", "@a", "\t1", "\r1", "a=1", "")] == [
        "'=1", "'+1", "'-1", "'@a", "'\t1", "'\r1", "a=1", ""]


# -- keys read from both attribute groups, and the caches -----------------------------

def test_a_key_that_reads_sex_and_birth_gives_each_person_their_own_result():
    rows = [{"category": c, "sex": s, "birth": f"{y}-0{m}", "as_of": "2026-06-01"}
            for c in ("employee", "flexible") for s in ("male", "female") for y in (1960, 1961, 1990)
            for m in (1, 2)]
    _, out = run_bytes(jsonl_bytes(rows * 3), AGE_JOB)
    for row, record in zip(rows * 3, jsonl_records(out)):
        assert record == single(AGE_JOB, row)


def test_result_cache_stays_within_its_byte_budget():
    resolver = Resolver(AGE_JOB, lambda data: (orjson.dumps(data), 1000), cache_bytes=4096)
    for year in range(1950, 2000):
        a, b = resolver.parts(tuple({"category": "employee", "as_of": "2026-06-01"}.get(k) for k in A_ATTRIBUTES),
                              ("male", None, f"{year}-01", "2026-06-01"))
        resolver.rendered(a, b)
    assert resolver.held <= 4096 and len(resolver.results) == 4 and resolver.misses == 50


def test_a_key_met_often_stays_cached_while_the_cache_evicts_others():
    """Once the cache may evict, hits keep their recency: a hot key between streams of new ones is answered once."""
    evaluated = []
    job = dataclasses.replace(AGE_JOB, evaluate=lambda p: evaluated.append(p.birth.year) or AGE_JOB.evaluate(p))
    hot = {"category": "employee", "sex": "male", "birth": "1960-01", "as_of": "2026-06-01"}
    rows = [r for year in range(1961, 2001) for r in (hot, {**hot, "birth": f"{year}-01"})]
    sample = {k: v for k, v in AGE_JOB.evaluate(make_person(**hot)).items() if k not in AGE_JOB.echo_keys}
    cost = JsonlSink(io.BytesIO(), AGE_JOB.echo_keys).render(sample)[1]
    _, out = run_bytes(jsonl_bytes(rows), job, cache_bytes=3 * cost + cost // 2)  # room for three results
    assert len(jsonl_records(out)) == len(rows)
    assert evaluated.count(1960) == 1 and len(evaluated) == 41


# -- interruption and closed pipes --------------------------------------------------

def test_ctrl_c_keeps_the_rows_already_answered():
    def rows():
        yield 1, dict(ROWS[0])
        yield 2, dict(ROWS[2])
        raise KeyboardInterrupt

    out = io.BytesIO()
    with pytest.raises(KeyboardInterrupt):
        run_batch(rows(), PLACE_JOB, out, "jsonl")
    assert [r["person_id"] for r in jsonl_records(out.getvalue())] == ["P1", "P3"]


def test_guarded_maps_closed_pipe_to_quiet_success_and_ctrl_c_to_130(monkeypatch):
    monkeypatch.setattr("socins_cli.batch.run.silence_stdout", lambda: None)

    def closed():
        raise BrokenPipeError

    def interrupted():
        raise KeyboardInterrupt

    err = io.StringIO()
    assert guarded(closed, stderr=err) == 0 and err.getvalue() == ""
    assert guarded(interrupted, stderr=err) == 130 and err.getvalue() == "socins: interrupted\n"
    assert guarded(lambda: 2) == 2


# -- property: random rows, valid and invalid mixed ----------------------------------

def _attr_values():
    junk = st.sampled_from(["", " ", "1990-13", "x", "广东", "=1+1", "male", "2026-02-30", "-1", "3"])
    return {
        "category": st.one_of(st.sampled_from(["employee", "flexible", "platform", "resident", "职工", "self-employed"]), junk),
        "relation": st.one_of(st.none(), st.sampled_from(["labor", "civil", "incomplete"]), junk),
        "sex": st.one_of(st.none(), st.sampled_from(["male", "female", "女"]), junk),
        "birth": st.one_of(st.none(), st.sampled_from(["1960-01", "1975-06", "1990-12", "2030-01"]), junk),
        "female_track": st.one_of(st.none(), st.sampled_from(["worker", "cadre"]), junk),
        "province": st.one_of(st.none(), st.sampled_from(["guangdong", "北京", "上海市", "sichuan"]), junk),
        "as_of": st.one_of(st.sampled_from(["2010-01-01", "2020-05-05", "2026-06-01"]), junk),
    }


random_rows = st.lists(st.fixed_dictionaries({"person_id": st.text(max_size=6)},
                                             optional=_attr_values()), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_rows, st.sampled_from([PLACE_JOB, AGE_JOB]))
def test_property_random_rows_are_never_lost_reordered_or_changed(rows, job):
    counts, out = run_bytes(jsonl_bytes(rows), job)
    records = jsonl_records(out)
    assert counts.rows == len(records) == len(rows)
    _, csv_out = run_bytes(jsonl_bytes(rows), job, out_fmt="csv")
    csv_rows = csv_records(csv_out)
    assert len(csv_rows) == len(rows)
    for i, (row, record, flat) in enumerate(zip(rows, records, csv_rows), start=1):
        assert record["person_id"] == row["person_id"] and flat["person_id"] == neutralise(row["person_id"])
        expected = single(job, row)
        if isinstance(expected, InputError):
            assert record == {"person_id": row["person_id"], "line": i,
                              "error": {"field": expected.field, "value": expected.value,
                                        "message": expected.allowed}}
            assert flat["error"] == neutralise(str(expected))
        else:
            assert record == {"person_id": row["person_id"], **expected}
            assert flat["error"] == ""
            want = job.flatten({k: v for k, v in expected.items() if k not in job.echo_keys})
            for column in job.columns:
                from socins_cli.batch.write import cell_text

                assert flat[column] == neutralise(cell_text(want.get(column))), column
