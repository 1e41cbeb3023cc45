"""A Parquet row refused on its employers (or relation, waiver) gets its own error, not that of a row beside it
that is also refused on a female track for a man: the columnar path grouped such rows by their A attributes alone
and gave the group the error of its first row, so 'female_track "cadre": applies only to sex female' came out for
a man with no track at all, or for a woman; and a row failing both ways named employers where make_person (and
the streamed path, and a single call) names the female track."""

from __future__ import annotations

import datetime as _dt

import pytest

from batch_helpers import PLACE_JOB
from socins_cli.errors import InputError
from socins_cli.person import ATTRIBUTES, make_person

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from socins_cli.batch.arrow import run_parquet  # noqa: E402  (needs pyarrow)

DAY = _dt.date(2026, 6, 1)
ROWS = [
    {"person_id": "man-track-no-employer", "category": "employee", "sex": "male", "female_track": "cadre",
     "employers": "0"},
    {"person_id": "man-no-employer", "category": "employee", "sex": "male", "employers": "0"},
    {"person_id": "woman-no-employer", "category": "employee", "sex": "female", "female_track": "cadre",
     "employers": "0"},
    {"person_id": "civil-man-worker-no-employer", "category": "civil-servant", "sex": "male",
     "female_track": "worker", "employers": "0"},
    {"person_id": "platform-no-relation-man-track", "category": "platform", "sex": "male", "female_track": "worker"},
]


def single_call_error(row: dict) -> str:
    values = {k: v for k, v in row.items() if k in ATTRIBUTES}
    values["as_of"] = DAY
    with pytest.raises(InputError) as err:
        make_person(**values, require_category=True)
    return str(err.value)


@pytest.mark.parametrize("order", [1, -1])
def test_each_row_refused_on_employers_or_track_gets_its_own_error(tmp_path, order):
    rows = ROWS[::order]
    names = ["person_id", *ATTRIBUTES]
    pq.write_table(pa.table({n: pa.array([r.get(n) for r in rows], pa.string()) for n in names}),
                   tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    counts = run_parquet(PLACE_JOB, str(tmp_path / "in.parquet"), str(out), "parquet", default_as_of=DAY)
    got = pq.read_table(out).to_pylist()
    assert counts.failed == len(rows)
    assert {r["person_id"]: r["error"] for r in got} == {r["person_id"]: single_call_error(r) for r in rows}
    assert str(counts.first_error[1]) == single_call_error(rows[0])
