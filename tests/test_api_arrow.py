"""``api.check_arrow`` / ``retirement_arrow`` answer record batches as ``--input x.parquet --output y.parquet`` does,
and ``examples/dask_parquet.py`` gives the same answers on a two-worker Dask cluster."""

from __future__ import annotations

import random
import sys

import pytest

from cli_helpers import REPO, run

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install 'socins[arrow]'")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed: pip install 'socins[arrow]'")

from socins_cli import api  # noqa: E402

AS_OF = "2026-06-01"


def people(n: int, seed: int = 17) -> "pa.Table":
    """Mixed rows: every category, relations, Chinese and pinyin provinces, several dates, bad rows among them."""
    rng = random.Random(seed)
    categories = ["employee", "flexible", "platform", "self-employed", "part-time", "resident", "civil-servant",
                  "灵活就业人员", "employe"]
    rows = []
    for i in range(n):
        category = rng.choice(categories)
        rows.append({
            "person_id": i,
            "category": category,
            "relation": rng.choice(["labor", "incomplete", "civil"]) if category == "platform" else None,
            "sex": rng.choice(["male", "female", "女"]),
            "birth": f"{rng.randint(1958, 2001)}-{rng.choice(range(1, 14)):02d}",
            "province": rng.choice(["guangdong", "广东", "beijing", "上海市", None]),
            "industry": rng.choice(["food-delivery", "ride-hailing", None]),
            "employers": rng.choice([None, 0, 1, 2]),
            "as_of": rng.choice(["2026-06-01", "2024-01-01", "2011-07-01", None]),
        })
    return pa.Table.from_pylist(rows)


def cli_parquet(tmp_path, job: str, table) -> "pa.Table":
    source, target = tmp_path / f"{job}-in.parquet", tmp_path / f"{job}-out.parquet"
    pq.write_table(table, source)
    done = run(job, "--input", str(source), "--output", str(target), "--as-of", AS_OF, "--quiet")
    assert done.code in (0, 2), done.err
    return pq.read_table(target)


@pytest.mark.parametrize("job", ["check", "retirement"])
def test_arrow_functions_answer_as_the_parquet_output(tmp_path, job):
    table = people(1500)
    expected = cli_parquet(tmp_path, job, table)
    answer = api.check_arrow if job == "check" else api.retirement_arrow
    batch = table.combine_chunks().to_batches()[0]
    got = answer(batch, as_of=AS_OF)
    assert isinstance(got, pa.RecordBatch)
    assert got.schema == expected.schema.remove_metadata()
    assert got.to_pylist() == expected.to_pylist()
    # a table in, a table out; line numbers carry on across its batches and from first_line
    pieces = pa.Table.from_batches(table.to_batches(max_chunksize=400))
    whole = answer(pieces, as_of=AS_OF, first_line=1)
    assert isinstance(whole, pa.Table) and whole.to_pylist() == expected.to_pylist()
    shifted = answer(table.slice(1000).combine_chunks().to_batches()[0], as_of=AS_OF, first_line=1001)
    assert shifted.to_pylist() == expected.slice(1000).to_pylist()


def test_a_bad_row_is_an_error_value_not_an_exception():
    batch = pa.RecordBatch.from_pylist([{"category": "employe", "birth": "1990-13"},
                                        {"category": "flexible", "sex": "female", "birth": "1975-03"}])
    got = api.check_arrow(batch, as_of=AS_OF).to_pylist()
    assert got[0]["error"] == 'category "employe": expected one of ' \
        "employee|civil-servant|self-employed|part-time|flexible|platform|resident"
    assert got[0]["employee-pension.status"] is None
    assert got[1]["error"] is None
    # sil art. 10 para 2: a flexible worker may join the employee pension, paying alone
    assert got[1]["employee-pension.status"] == "voluntary" and got[1]["employee-pension.payers"] == "individual"


def test_retirement_arrow_follows_the_2024_reform_annex_2_for_a_woman_on_the_55_track():
    batch = pa.RecordBatch.from_pylist([{"sex": "female", "birth": "1975-03", "category": "flexible"}])
    row = api.retirement_arrow(batch, as_of=AS_OF).to_pylist()[0]
    assert (row["statutory_age_years"], row["statutory_age_months"], row["retirement_month"]) == (56, 4, "2031-07")
    assert row["settled"] is False  # the texts do not say which track a woman in flexible employment follows


def test_no_rows_give_the_answer_columns():
    empty = people(3).schema.empty_table()
    got = api.check_arrow(empty, as_of=AS_OF)
    assert got.num_rows == 0 and "employee-pension.status" in got.schema.names


def test_something_else_than_arrow_data_is_an_input_error():
    from socins_cli.errors import InputError

    with pytest.raises(InputError) as raised:
        api.check_arrow([{"category": "employee"}])
    assert raised.value.field == "batch"


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # dask's own call into pandas 3
def test_dask_example_on_a_two_worker_cluster_equals_the_single_process_parquet_output(tmp_path):
    pytest.importorskip("dask.dataframe", reason="dask is not installed: pip install 'socins[dask]'")
    distributed = pytest.importorskip("distributed", reason="distributed is not installed: pip install 'socins[dask]'")
    sys.path.insert(0, str(REPO / "examples"))
    try:
        import dask_parquet
    finally:
        sys.path.remove(str(REPO / "examples"))

    table = people(4000, seed=3)
    source = tmp_path / "people"
    source.mkdir()
    for i in range(4):  # a partitioned dataset: one part file per partition
        pq.write_table(table.slice(i * 1000, 1000), source / f"part.{i}.parquet")
    expected = {job: cli_parquet(tmp_path, job, table) for job in ("check", "retirement")}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        for job in ("check", "retirement"):
            dask_parquet.run(str(source), str(tmp_path / f"answers-{job}"), job, AS_OF, client)
    for job in ("check", "retirement"):
        parts = sorted((tmp_path / f"answers-{job}").glob("*.parquet"))
        assert len(parts) == 4
        got = pa.concat_tables([pq.read_table(p) for p in parts]).sort_by("line")
        assert got.column_names == expected[job].column_names
        assert got.to_pylist() == expected[job].to_pylist()
