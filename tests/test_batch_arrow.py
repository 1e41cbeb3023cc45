"""The columnar Parquet path gives, row for row, what the streamed path gives for the same Parquet file."""

from __future__ import annotations

import datetime as _dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batch_helpers import AGE_JOB, PLACE_JOB, csv_records
from socins_cli.batch.resolve import Job
from socins_cli.batch.write import cell_text, neutralise
from socins_cli.errors import InputError
from socins_cli.person import ATTRIBUTES, NORMALISE_ORDER, make_person, normalise_field

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from socins_cli.batch import arrow as batch_arrow  # noqa: E402  (needs pyarrow)
from socins_cli.batch.arrow import run_parquet  # noqa: E402

DAY = _dt.date(2026, 6, 1)

#: One row of every kind of fault, each next to good rows.
BAD_ROWS = [
    {"person_id": "ok1", "category": "employee", "province": "广东", "as_of": "2026-06-01"},
    {"person_id": "bad-value", "category": "flexible", "birth": "1990-13", "as_of": "2026-06-01"},
    {"person_id": "bad-date", "category": "employee", "as_of": "2025-02-30"},
    {"person_id": "bad-province", "category": "resident", "province": "atlantis"},
    {"person_id": "bad-employers", "category": "part-time", "employers": "-1"},
    {"person_id": "bad-sex", "category": "employee", "sex": "x", "birth": "1980-01"},
    {"person_id": "birth-after-as-of", "category": "employee", "birth": "2031-01", "as_of": "2026-06-01"},
    {"person_id": "relation-not-platform", "category": "employee", "relation": "labor"},
    {"person_id": "platform-no-relation", "category": "platform", "industry": "外卖"},
    {"person_id": "track-with-male", "category": "employee", "sex": "male", "female_track": "cadre"},
    {"person_id": "no-category", "province": "beijing", "as_of": "2026-06-01"},
    {"person_id": "two-faults", "category": "freelancer", "sex": "x", "birth": "2031-01"},
    {"person_id": "ok2", "category": "platform", "relation": "劳动关系", "industry": "外卖", "platform": " 美团 ",
     "sex": "female", "birth": "1990-05", "province": "广东省"},
    {"person_id": "ok3", "category": "职工", "sex": "女", "female_track": "干部", "birth": "1975-03"},
]
NAMES = ["person_id", *ATTRIBUTES]


def write(rows, path, names=NAMES, types=None, row_group_size=None):
    types = types or {}
    arrays = {n: pa.array([r.get(n) for r in rows], types.get(n, pa.string())) for n in names}
    pq.write_table(pa.table(arrays), path, row_group_size=row_group_size)
    return path


def columnar(job, path, tmp_path, **kw):
    """(counts, the output rows as dicts) of the columnar path."""
    out = tmp_path / "out.parquet"
    counts = run_parquet(job, str(path), str(out), "parquet", default_as_of=DAY, **kw)
    return counts, pq.read_table(out).to_pylist()


def streamed(job, path, tmp_path):
    """(counts, the CSV records) of the streamed path over the same Parquet file."""
    out = tmp_path / "out.csv"
    counts = run_parquet(job, str(path), str(out), "csv", default_as_of=DAY)
    return counts, csv_records(out.read_bytes())


def assert_agree(job, path, tmp_path, **kw):
    """The columnar output equals the streamed CSV output row for row: results, errors, lines, counts."""
    counts, got = columnar(job, path, tmp_path, **kw)
    want_counts, flats = streamed(job, path, tmp_path)
    assert (counts.rows, counts.failed) == (want_counts.rows, want_counts.failed)
    if want_counts.first_error is not None:
        assert counts.first_error[0] == want_counts.first_error[0]
        assert str(counts.first_error[1]) == str(want_counts.first_error[1])
    assert len(got) == len(flats)
    for line, (row, flat) in enumerate(zip(got, flats), start=1):
        assert row["line"] == line
        if flat["error"]:
            assert neutralise(row["error"]) == flat["error"], line
            assert all(row[c] is None for c in (*ATTRIBUTES, *job.columns)), line  # null echo on errors
            continue
        assert row["error"] is None, (line, row["error"])
        for column in (*ATTRIBUTES, *job.columns):
            value = row[column]
            if isinstance(value, float) and value.is_integer():  # a float column (15.5 years), written 15 in CSV
                value = int(value)
            assert neutralise(cell_text(value)) == flat[column], (line, column)
    return counts, got


def test_every_kind_of_bad_row_gets_the_streamed_paths_error_and_line(tmp_path):
    path = write(BAD_ROWS, tmp_path / "in.parquet")
    counts, got = assert_agree(PLACE_JOB, path, tmp_path)
    by_id = {r["person_id"]: r for r in got}
    assert counts.failed == len(BAD_ROWS) - 3
    assert by_id["bad-value"]["error"] == 'birth "1990-13": month must be 01-12'
    assert by_id["birth-after-as-of"]["error"] == 'birth "2031-01": must not be after as_of 2026-06-01'
    assert by_id["relation-not-platform"]["error"].startswith('relation "labor": applies only to category platform')
    assert by_id["track-with-male"]["error"] == 'female_track "cadre": applies only to sex female'
    assert by_id["no-category"]["error"].startswith("category is required; one of employee")
    assert by_id["two-faults"]["error"].startswith('category "freelancer"')  # make_person's first fault
    assert counts.first_error[0] == 2
    for row in got:
        if row["error"] is not None:
            assert make_person_error(row) == row["error"]


def make_person_error(row: dict) -> str:
    source = next(r for r in BAD_ROWS if r["person_id"] == row["person_id"])
    values = {k: v for k, v in source.items() if k in ATTRIBUTES}
    values["as_of"] = values.get("as_of") or DAY
    with pytest.raises(InputError) as err:
        make_person(**values, require_category=True)
    return str(err.value)


def test_echo_is_the_normalised_attributes_and_null_on_error_rows(tmp_path):
    path = write(BAD_ROWS, tmp_path / "in.parquet")
    _, got = columnar(AGE_JOB, path, tmp_path)
    by_id = {r["person_id"]: r for r in got}
    ok = by_id["ok2"]
    assert (ok["category"], ok["relation"], ok["industry"], ok["platform"], ok["province"]) == \
        ("platform", "labor", "food-delivery", "美团", "guangdong")
    assert (ok["sex"], ok["birth"], ok["as_of"]) == ("female", "1990-05", "2026-06-01")  # as_of: the default
    assert by_id["ok3"]["female_track"] == "cadre" and by_id["ok3"]["category"] == "employee"
    assert all(by_id["bad-sex"][a] is None for a in ATTRIBUTES)
    schema = pq.read_schema(tmp_path / "out.parquet")  # Parquet keeps the dictionaries of texts
    assert all(pa.types.is_dictionary(schema.field(a).type) for a in ATTRIBUTES if a not in ("employers", "income", "waiver"))  # numbers stored plain
    assert schema.field("employers").type == pa.int64()


def test_several_record_batches_keep_order_and_line_numbers(tmp_path):
    rows = [dict(r, person_id=f"{r['person_id']}-{i}") for i in range(7) for r in BAD_ROWS]
    path = write(rows, tmp_path / "in.parquet", row_group_size=9)
    counts, got = assert_agree(AGE_JOB, path, tmp_path, batch_rows=5)
    assert [r["person_id"] for r in got] == [r["person_id"] for r in rows]
    assert [r["line"] for r in got] == list(range(1, len(rows) + 1))
    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_row_groups == -(-len(rows) // 5)
    assert counts.first_error[0] == 2


def test_dictionary_typed_null_typed_and_all_null_attribute_columns(tmp_path):
    rows = BAD_ROWS * 3
    table = pa.table({
        "person_id": pa.array([r["person_id"] for r in rows]),
        "category": pa.array([r.get("category") for r in rows]).dictionary_encode(),
        "province": pa.array([r.get("province") for r in rows], pa.large_string()),
        "sex": pa.array([r.get("sex") for r in rows]).dictionary_encode(),
        "birth": pa.array([r.get("birth") for r in rows]),
        "relation": pa.array([r.get("relation") for r in rows]),
        "industry": pa.nulls(len(rows)),  # type null
        "platform": pa.array([None] * len(rows), pa.string()),  # all null
    })
    path = tmp_path / "in.parquet"
    pq.write_table(table, path)
    assert_agree(PLACE_JOB, path, tmp_path)
    assert_agree(AGE_JOB, path, tmp_path)


def test_typed_attribute_columns_agree_with_the_streamed_path(tmp_path):
    """Dates, integers and lists reach ``normalise_field`` as the streamed path gives them to ``make_person``."""
    rows = [
        {"person_id": "a", "category": "part-time", "employers": 2, "as_of": _dt.date(2026, 1, 31)},
        {"person_id": "b", "category": "part-time", "employers": -3, "as_of": _dt.date(2015, 1, 1)},
        {"person_id": "c", "category": "employee", "employers": None, "as_of": None},
    ]
    path = write(rows, tmp_path / "in.parquet", names=["person_id", "category", "employers", "as_of"],
                 types={"employers": pa.int64(), "as_of": pa.date32()})
    counts, got = assert_agree(PLACE_JOB, path, tmp_path)
    assert got[0]["employers"] == 2 and got[0]["as_of"] == "2026-01-31" and got[1]["error"].startswith("employers -3")
    nested = tmp_path / "nested.parquet"
    pq.write_table(pa.table({"category": pa.array([["employee"], None, ["x", "y"]], pa.list_(pa.string())),
                             "as_of": ["2026-06-01"] * 3}), nested)
    counts, got = assert_agree(PLACE_JOB, nested, tmp_path)
    assert counts.failed == 3 and got[0]["error"].startswith("category")


def test_date_typed_birth_and_timestamp_as_of_are_their_month_and_their_day(tmp_path):
    """A Parquet file written from a data frame types its dates: a birth date is its month, a timestamp its day."""
    rows = [
        {"person_id": "a", "category": "flexible", "sex": "female", "birth": _dt.date(1975, 3, 15),
         "as_of": _dt.datetime(2026, 6, 1, 12, 30)},
        {"person_id": "b", "category": "employee", "sex": "male", "birth": _dt.date(1970, 5, 1),
         "as_of": _dt.datetime(2024, 1, 1)},
        {"person_id": "c", "category": "employee", "sex": "male", "birth": _dt.date(1899, 12, 31),
         "as_of": _dt.datetime(2024, 1, 1)},
        {"person_id": "d", "category": "employee", "sex": "male", "birth": _dt.date(2030, 1, 1),
         "as_of": _dt.datetime(2026, 6, 1)},
    ]
    path = write(rows, tmp_path / "in.parquet", names=["person_id", "category", "sex", "birth", "as_of"],
                 types={"birth": pa.date32(), "as_of": pa.timestamp("us")})
    counts, got = assert_agree(AGE_JOB, path, tmp_path)
    assert [(r["birth"], r["as_of"]) for r in got[:2]] == [("1975-03", "2026-06-01"), ("1970-05", "2024-01-01")]
    assert got[0]["answer"] == "female/1975/flexible"
    assert got[2]["error"] == 'birth "1899-12-31": year must be 1900 or later'
    assert got[3]["error"].startswith('birth "2030-01": must not be after as_of 2026-06-01')
    assert counts.failed == 2


def test_a_utc_timestamp_is_read_as_its_day_in_china(tmp_path):
    """A birth at 07:00 on 2001-07-01 in Beijing, stored in UTC (as Spark writes timestamps), reads 2001-06-30T23:00Z:
    its month is July, as the law counts it where it runs; a UTC as_of of 2025-12-31T20:00Z is 2026-01-01 there, in
    the 2024 reform. A timestamp without a time zone keeps the day written."""
    utc = _dt.timezone.utc
    rows = [{"person_id": "u", "category": "employee", "sex": "male",
             "birth": _dt.datetime(2001, 6, 30, 23, 0, tzinfo=utc), "as_of": _dt.datetime(2025, 12, 31, 20, 0, tzinfo=utc)},
            {"person_id": "n", "category": "employee", "sex": "male",
             "birth": _dt.datetime(2001, 6, 30, 23, 0), "as_of": _dt.datetime(2025, 12, 31, 20, 0)}]
    path = write(rows, tmp_path / "in.parquet", names=["person_id", "category", "sex", "birth", "as_of"],
                 types={"birth": pa.timestamp("us", tz="UTC"), "as_of": pa.timestamp("us", tz="UTC")})
    _, got = assert_agree(AGE_JOB, path, tmp_path)
    assert (got[0]["birth"], got[0]["as_of"]) == ("2001-07", "2026-01-01")
    path = write(rows[1:], tmp_path / "naive.parquet", names=["person_id", "category", "sex", "birth", "as_of"],
                 types={"birth": pa.timestamp("us"), "as_of": pa.timestamp("us")})
    _, got = assert_agree(AGE_JOB, path, tmp_path)
    assert (got[0]["birth"], got[0]["as_of"]) == ("2001-06", "2025-12-31")


def test_a_zoned_timestamp_past_the_calendar_is_the_dates_own_error_and_the_api_reads_china_time_too():
    """9999-12-31T20:00Z is past the last day Python's calendar holds in China time: the date's own check refuses
    it (no internal error). ``api.retirement`` reads a zoned birth as the Parquet path does, in China time."""
    from socins_cli import api
    from socins_cli.dates import parse_date

    utc = _dt.timezone.utc
    with pytest.raises(InputError, match="expected a date from 1900-01-01"):
        parse_date(_dt.datetime(9999, 12, 31, 20, tzinfo=utc))
    got = api.retirement(sex="male", category="employee", as_of="2026-06-01",
                         birth=_dt.datetime(1965, 5, 31, 20, tzinfo=utc))  # 1965-06-01 04:00 in Beijing
    assert (got["person"]["birth"], got["retirement_month"]) == ("1965-06", "2025-08")  # 附件1: 1965年6月, 2025年8月


def test_carried_columns_keep_their_type_and_clashing_names_are_renamed(tmp_path):
    table = pa.table({"error": pa.array([1, 2], pa.int32()), "category": ["employee", "bogus"],
                      "as_of": ["2026-06-01", "2026-06-01"], "note": [None, "x"]})
    pq.write_table(table, tmp_path / "in.parquet")
    _, got = columnar(PLACE_JOB, tmp_path / "in.parquet", tmp_path)
    schema = pq.read_schema(tmp_path / "out.parquet")
    assert schema.names[:4] == ["input.error", "note", "line", "error"]
    assert schema.field("input.error").type == pa.int32()
    assert [r["input.error"] for r in got] == [1, 2] and got[1]["error"].startswith("category")


def test_typed_result_columns(tmp_path):
    path = write(BAD_ROWS, tmp_path / "in.parquet")
    _, got = columnar(AGE_JOB, path, tmp_path)
    schema = pq.read_schema(tmp_path / "out.parquet")
    assert schema.field("decade").type == pa.int64() and pa.types.is_dictionary(schema.field("answer").type)
    ok = next(r for r in got if r["person_id"] == "ok2")
    assert ok["decade"] == 1990 and ok["answer"] == "female/1990/platform"
    _, got = columnar(PLACE_JOB, path, tmp_path)
    ok = next(r for r in got if r["person_id"] == "ok1")
    assert ok["settled"] is True and ok["flags"] == "employee; x"


def test_engine_errors_and_bugs_fail_the_rows_of_their_key_only(tmp_path):
    def evaluate(person):
        if person.category == "resident":
            raise KeyError("boom")
        if person.sex == "female":
            raise InputError("sex", person.sex, "is not answered here")
        return PLACE_JOB.evaluate(person)

    def key_a(person):
        if person.category == "self-employed":
            raise InputError("category", person.category, "has no key")
        return PLACE_JOB.key_a(person)

    job = Job("buggy", evaluate, key_a, lambda p: p.sex, PLACE_JOB.columns, PLACE_JOB.flatten,
              PLACE_JOB.output_keys, require_category=True, column_types=PLACE_JOB.column_types)
    rows = [{"person_id": str(i), "category": c, "sex": s, "as_of": "2026-06-01"}
            for i, (c, s) in enumerate([("employee", "male"), ("resident", "male"), ("employee", "female"),
                                        ("self-employed", None), ("employee", "male"), ("resident", None)])]
    path = write(rows, tmp_path / "in.parquet")
    counts, got = assert_agree(job, path, tmp_path)
    assert [r["error"] is None for r in got] == [True, False, False, False, True, False]
    assert "internal error (KeyError" in got[1]["error"] and got[2]["error"].startswith('sex "female"')
    assert got[3]["error"].startswith('category "self-employed": has no key')
    assert counts.failed == 4 and counts.first_error[0] == 2


def test_bounded_caches_forget_and_answers_stay_right(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_arrow, "_COMBINATIONS_KEPT", 2)
    monkeypatch.setattr(batch_arrow, "_VALUES_KEPT", 3)
    monkeypatch.setattr(batch_arrow, "_WHOLE_DICTIONARY_BYTES", 8)  # every result column: a dictionary per batch
    rows = [{"person_id": str(i), "category": ("employee", "flexible", "resident")[i % 3],
             "sex": ("male", "female")[i % 2], "birth": f"{1950 + i % 40}-0{1 + i % 9}",
             "province": ("广东", "beijing", "上海市")[i % 3], "as_of": "2026-06-01"} for i in range(120)]
    path = write(rows, tmp_path / "in.parquet")
    assert_agree(AGE_JOB, path, tmp_path, batch_rows=16)
    assert_agree(PLACE_JOB, path, tmp_path, batch_rows=16)


def test_a_tiny_result_budget_forgets_between_batches(tmp_path):
    rows = [{"category": "employee", "sex": "male", "birth": f"{1950 + i}-01", "as_of": "2026-06-01"}
            for i in range(40)] * 2
    path = write(rows, tmp_path / "in.parquet")
    pf = batch_arrow.open_parquet(str(path))
    engine = batch_arrow._Columnar(AGE_JOB, pf, DAY, cache_bytes=1)
    from socins_cli.batch.run import BatchCounts

    counts = BatchCounts()
    tables = [engine.answer(batch, counts) for batch in pf.iter_batches(batch_size=40)]
    assert engine.results.misses == 80  # forgotten before the second batch
    assert tables[0].column("answer").to_pylist() == tables[1].column("answer").to_pylist()


def _shared_answers_job(flattened: list, fresh: bool = False):
    """A job with a key per birth year but two answers (before and after 1970), each handed out as one
    object, or as a fresh dict each time when ``fresh``."""
    shared = {"early": {"answer": "early", "decade": 1960}, "late": {"answer": "late", "decade": None}}

    def evaluate(person) -> dict:
        found = shared["early" if person.birth.year < 1970 else "late"]
        return dict(found) if fresh else found

    def flatten(data: dict) -> dict:
        flattened.append(data["answer"])
        return dict(data)

    return Job(name="shared", evaluate=evaluate, key_a=lambda p: p.category, key_b=lambda p: (p.birth.year,),
               columns=("answer", "decade"), flatten=flatten, output_keys=("as_of", "person", "answer", "decade"),
               column_types={"decade": "int"}, shares_answers=not fresh)


def test_keys_with_one_answer_object_share_one_answer_and_are_flattened_once(tmp_path):
    rows = [{"category": "employee", "sex": "male", "birth": f"{1950 + i}-01", "as_of": "2026-06-01"}
            for i in range(40)]
    path = write(rows, tmp_path / "in.parquet")
    flattened: list = []
    job = _shared_answers_job(flattened)
    pf = batch_arrow.open_parquet(str(path))
    engine = batch_arrow._Columnar(job, pf, DAY)
    from socins_cli.batch.run import BatchCounts

    table = engine.answer(next(pf.iter_batches()), BatchCounts())
    assert engine.results.misses == 40 and sorted(flattened) == ["early", "late"]
    assert len(engine.results.numbered) == 2
    assert table.column("answer").to_pylist() == ["early"] * 20 + ["late"] * 20
    assert table.column("decade").to_pylist() == [1960] * 20 + [None] * 20
    assert_agree(_shared_answers_job([]), path, tmp_path)


def test_keys_with_equal_answers_share_one_answer_number(tmp_path):
    rows = [{"category": "employee", "sex": "male", "birth": f"{1950 + i}-01", "as_of": "2026-06-01"}
            for i in range(40)]
    path = write(rows, tmp_path / "in.parquet")
    flattened: list = []
    pf = batch_arrow.open_parquet(str(path))
    engine = batch_arrow._Columnar(_shared_answers_job(flattened, fresh=True), pf, DAY)
    from socins_cli.batch.run import BatchCounts

    table = engine.answer(next(pf.iter_batches()), BatchCounts())
    assert len(flattened) == 40 and len(engine.results.answers) == 40 and len(engine.results.numbered) == 2
    assert table.column("answer").to_pylist() == ["early"] * 20 + ["late"] * 20
    assert_agree(_shared_answers_job([], fresh=True), path, tmp_path)


# -- normalise_field: make_person's own normalisers, one field at a time -----------------

VALUES = {
    "category": ["employee", "职工", "Resident ", "bogus", "", None, 3],
    "relation": ["labor", "劳动关系", "x", None],
    "sex": ["male", "女", "F", "x", None],
    "female_track": ["worker", "干部", "x", None],
    "industry": ["外卖", "food-delivery", "space", None],
    "province": ["guangdong", "北京市", "广西壮族自治区", "atlantis", "", None],
    "birth": ["1960-01", "1990-1", "1990-13", "1899-12", "x", "", None],
    "as_of": ["2026-06-01", "2026-13-01", "2025-02-30", _dt.date(2020, 1, 1), "x"],
    "employers": ["0", " 2 ", 3, "-1", "many", "", None],
    "platform": [" 美团 ", "", None, 7],
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(VALUES)).flatmap(lambda f: st.tuples(st.just(f), st.sampled_from(VALUES[f]))))
def test_normalise_field_is_make_persons_normalisation(field_value):
    field, value = field_value
    alongside = {}
    if field == "relation":  # a relation given needs its category (a cross-check, made after normalising)
        try:
            alongside = {"category": "platform"} if normalise_field(field, value) is not None else {}
        except InputError:
            pass
    try:
        expected = getattr(make_person(**alongside, **{field: value}), field)
    except InputError as err:
        with pytest.raises(InputError) as got:
            normalise_field(field, value)
        assert str(got.value) == str(err)
        return
    assert normalise_field(field, value) == expected


def test_normalise_order_is_the_order_make_person_reports_faults_in():
    """With every field bad, make_person names the first of NORMALISE_ORDER; without it, the next."""
    assert sorted(NORMALISE_ORDER) == sorted(ATTRIBUTES) and NORMALISE_ORDER[-1] == "platform"  # never refused
    bad = {field: "x" for field in NORMALISE_ORDER if field != "platform"}
    reported = []
    while bad:
        with pytest.raises(InputError) as err:
            make_person(**bad)
        reported.append(err.value.field)
        del bad[err.value.field]
    assert reported == list(NORMALISE_ORDER[:-1])


def test_ctrl_c_keeps_the_batches_already_answered(tmp_path):
    def evaluate(person):
        if person.category == "resident":
            raise KeyboardInterrupt
        return PLACE_JOB.evaluate(person)

    job = Job("stopped", evaluate, PLACE_JOB.key_a, PLACE_JOB.key_b, PLACE_JOB.columns, PLACE_JOB.flatten,
              PLACE_JOB.output_keys, require_category=True, column_types=PLACE_JOB.column_types)
    rows = [{"person_id": str(i), "category": "employee" if i < 10 else "resident", "as_of": "2026-06-01"}
            for i in range(15)]
    path = write(rows, tmp_path / "in.parquet")
    with pytest.raises(KeyboardInterrupt):
        run_parquet(job, str(path), str(tmp_path / "out.parquet"), "parquet", batch_rows=4)
    written = pq.read_table(tmp_path / "out.parquet").to_pylist()  # a readable file: the first two batches
    assert [r["person_id"] for r in written] == [str(i) for i in range(8)] and all(r["error"] is None for r in written)


def test_a_parquet_run_does_not_import_pandas_where_it_is_installed(tmp_path):
    """pyarrow imports pandas (~0.25 s) the first time it builds an array from Python values; the run needs none."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("pandas") is None:
        pytest.skip("pandas is not installed here: nothing to keep from being imported")
    path = write(BAD_ROWS, tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    script = (
        "import sys\n"
        "from socins_cli.cli import app\n"
        f"sys.argv = ['socins', 'check', '--input', {str(path)!r}, '--output', {str(out)!r}, '--as-of', '2026-06-01']\n"
        "try:\n    app.main()\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)\n"
        "import pandas, pyarrow\n"  # pyarrow's pandas conversions still find pandas afterwards
        "print(pyarrow.Table.from_pandas(pandas.DataFrame({'a': [1]})).to_pandas()['a'].tolist())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n")[:2] == ["False", "[1]"], done.stderr
    assert len(pq.read_table(out)) == len(BAD_ROWS)


def test_a_key_pair_is_answered_with_the_attributes_of_a_row_that_has_it(law, tmp_path):
    """Retirement's A key is the law's interval, not the day: row b (born after row a's as_of, before its own)
    must not be checked against row a's date, and no row's attributes may leak into another's answer."""
    from socins_cli.batch.jobs import check_job, retirement_job

    rows = [{"person_id": "a", "category": "employee", "sex": "male", "birth": "1960-01", "as_of": "2006-04-27"},
            {"person_id": "b", "category": "employee", "sex": "male", "birth": "2007-05", "as_of": "2008-09-02"},
            {"person_id": "c", "category": "employee", "sex": "female", "female_track": "worker", "birth": "2008-01",
             "as_of": "2008-12-31"}]
    path = write(rows, tmp_path / "in.parquet")
    counts, got = assert_agree(retirement_job(law), path, tmp_path)
    assert counts.failed == 0 and got[1]["retirement_month"] == "2067-05"
    counts, got = assert_agree(check_job(law), path, tmp_path)
    assert counts.failed == 0


def test_a_binary_column_is_carried_into_text_output_as_its_text_not_a_python_repr(tmp_path):
    """b"ok" had been written as b'ok' in CSV and JSON Lines; bytes that are not UTF-8 show as \\xNN."""
    path = tmp_path / "bin.parquet"
    pq.write_table(pa.table({"person_id": ["a", "b"], "category": ["employee"] * 2, "as_of": ["2026-06-01"] * 2,
                             "blob": pa.array([b"ok", b"\xff\xfe"], pa.binary())}), path)
    rows = [row for _, row in batch_arrow.ParquetRows(pq.ParquetFile(path))]
    assert [r["blob"] for r in rows] == ["ok", "\\xff\\xfe"]
    coded = tmp_path / "dict.parquet"  # dictionary-encoded bytes too
    pq.write_table(pa.table({"person_id": pa.array([b"id1", b"id2"], pa.binary()).dictionary_encode()}), coded)
    assert [r["person_id"] for _, r in batch_arrow.ParquetRows(pq.ParquetFile(coded))] == ["id1", "id2"]


def test_bytes_within_a_list_struct_or_map_column_are_carried_as_text_too(tmp_path):
    """A list<binary> cell had still been written b'x' (review 38 L5): bytes nested in a cell are text as well."""
    path = tmp_path / "nested.parquet"
    pq.write_table(pa.table({
        "person_id": ["a"],
        "tags": pa.array([[b"x", b"\xff"]], pa.list_(pa.binary())),
        "meta": pa.array([{"k": b"v", "n": 1}], pa.struct([("k", pa.binary()), ("n", pa.int64())])),
        "pairs": pa.array([[(b"key", b"val")]], pa.map_(pa.binary(), pa.binary())),
        "plain": pa.array([["s"]], pa.list_(pa.string())),
    }), path)
    (_, row), = batch_arrow.ParquetRows(pq.ParquetFile(path))
    assert row["tags"] == ["x", "\\xff"] and row["meta"] == {"k": "v", "n": 1}
    assert row["pairs"] == [("key", "val")] and row["plain"] == ["s"]


def test_bytes_in_view_columns_and_binary_attributes_are_read_as_text_both_ways(tmp_path, law):
    """binary_view and list_view<binary> had still been written b'…', and a binary category column had failed
    every row on the way from Parquet to Parquet (``category b'employee'``) while CSV output read it (review 40)."""
    from socins_cli.batch.jobs import check_job

    path = tmp_path / "views.parquet"
    pq.write_table(pa.table({
        "person_id": ["a", "b"],
        "category": pa.array([b"employee", b"flexible"], pa.binary()),
        "as_of": ["2026-06-01"] * 2,
        "tag": pa.array([b"x", b"y"], pa.binary_view()),
        "tags": pa.array([[b"x"], [b"\xff"]], pa.list_view(pa.binary())),
    }), path)
    rows = [row for _, row in batch_arrow.ParquetRows(pq.ParquetFile(path))]
    assert [(r["tag"], r["tags"]) for r in rows] == [("x", ["x"]), ("y", ["\\xff"])]
    out = tmp_path / "out.parquet"
    counts = batch_arrow.run_parquet(check_job(law), str(path), str(out), "parquet")
    answered = pq.read_table(out).to_pylist()
    assert counts.failed == 0 and [r["category"] for r in answered] == ["employee", "flexible"]
    assert answered[0]["employee-pension.status"] == "mandatory" and answered[1]["employee-pension.status"] == "voluntary"


def test_a_struct_column_whose_fields_share_a_name_is_refused_in_one_line_not_a_traceback(tmp_path):
    """pyarrow cannot make such a row a dict: the run had crashed (ValueError, exit 1), every row lost (review 40)."""
    path = tmp_path / "twice.parquet"
    kind = pa.struct([("f", pa.string()), ("f", pa.string())])
    pq.write_table(pa.table({"person_id": ["a"], "category": ["employee"],
                             "nested": pa.StructArray.from_arrays([pa.array(["x"]), pa.array(["y"])],
                                                                  fields=list(kind))}), path)
    with pytest.raises(InputError) as refused:
        batch_arrow.ParquetRows(pq.ParquetFile(path))
    assert refused.value.field == "input" and refused.value.value == "nested" and "'f'" in str(refused.value)


@pytest.mark.parametrize("names", [["person_id", "sex", "birth", "sex"], ["person_id", "as_of", "birth", "as-of"]])
@pytest.mark.parametrize("out", [("--format", "jsonl"), ("--output", "out.parquet")])
def test_a_parquet_file_naming_one_column_twice_is_refused_as_a_csv_header_is(tmp_path, names, out):
    """pyarrow reads two columns of one name (or ``as_of`` and ``as-of``, which name one attribute) and a row
    dict keeps the last: a man answered as a woman. Refused in one line, exit 2, as a CSV header naming one twice."""
    from cli_helpers import run

    values = {"person_id": "A1", "sex": "male", "birth": "1970-01", "as_of": "2026-06-01", "as-of": "2020-01-01"}
    cells = [values[n] for n in names[:3]] + ["female" if names[3] == "sex" else values[names[3]]]
    table = pa.Table.from_arrays([pa.array([cell]) for cell in cells], names=names)
    path = tmp_path / "people.parquet"
    pq.write_table(table, path)
    args = out if out[0] == "--format" else ("--output", str(tmp_path / out[1]))
    r = run("retirement", "--input", str(path), *args)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    again = "is given twice" if names[3] == names[1] else f"names the same column as {names[1]!r}"
    assert f'column "{names[3]}": {again}: each column may appear once' in r.err
    with pytest.raises(InputError, match="each column may appear once"):
        from socins_cli import api

        api.retirement_arrow(table)
