"""socins timeline: changes come on the days the law changes, and agree with check on each day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_helpers import run
from socins_cli.engines.answers import check
from socins_cli.engines.eligibility import SCHEMES
from socins_cli.person import make_person
from socins_cli.engines.timeline import timeline


def _rider(as_of="2027-06-01"):
    return make_person(category="platform", relation="incomplete", province="guangdong",
                       industry="food-delivery", platform="美团", as_of=as_of)


def test_oi_pilot_2021_start_date_occupational_injury_becomes_pilot_on_2022_07_01(law):
    result = timeline(law, _rider(), dt.date(2020, 1, 1), dt.date(2027, 6, 1))
    oi = next(s for s in result["schemes"] if s["scheme"] == "occupational-injury")["changes"]
    statuses = [(c["date"], c["status"]) for c in oi]
    assert statuses[0] == ("2020-01-01", "not-eligible")
    assert ("2022-07-01", "pilot") in statuses
    pilot = next(c for c in oi if c["date"] == "2022-07-01")
    assert pilot["payers"] == ["platform"]


def test_sil_2018_amendment_changes_citations_on_2018_12_29_only(law):
    person = make_person(category="employee", as_of="2020-01-01")
    result = timeline(law, person, dt.date(2018, 1, 1), dt.date(2020, 1, 1))
    pension = next(s for s in result["schemes"] if s["scheme"] == "employee-pension")["changes"]
    assert [c["date"] for c in pension] == ["2018-01-01", "2018-12-29", "2019-03-24"]  # then the 2019 sicr
    assert pension[1]["changed"] == ["citations"]
    assert {c["version"] for c in pension[0]["citations"] if c["instrument"] == "sil"} == {"2010"}
    assert {c["version"] for c in pension[1]["citations"] if c["instrument"] == "sil"} == {"2018"}


@pytest.mark.parametrize("category", ["employee", "flexible", "resident", "civil-servant", "part-time"])
def test_timeline_agrees_with_check_on_every_change_date(law, category):
    person = make_person(category=category, as_of="2028-01-01")
    result = timeline(law, person, dt.date(2009, 1, 1), dt.date(2028, 1, 1))
    assert [s["scheme"] for s in result["schemes"]] == list(SCHEMES)
    for s in result["schemes"]:
        assert s["changes"][0]["date"] == "2009-01-01"
        for c in s["changes"]:
            day = dt.date.fromisoformat(c["date"])
            assert dt.date(2009, 1, 1) <= day <= dt.date(2028, 1, 1)
            expected = next(x for x in check(law, person, as_of=day, inequities=False)["schemes"]
                            if x["scheme"] == s["scheme"])
            assert (c["status"], c["payers"], c["citations"]) == (
                expected["status"], expected["payers"], expected["citations"])
            if day < dt.date(2011, 7, 1):
                assert all(x["instrument"] != "sil" for x in c["citations"])


def test_timeline_cli_jsonl_rows_in_date_order():
    r = run("timeline", "--from", "2018-01-01", "--to", "2020-01-01", "--category", "employee", "-f", "jsonl")
    assert r.code == 0, r.err
    rows = [json.loads(l) for l in r.out.splitlines()]
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates) and dates[0] == "2018-01-01"
    # The contract's citation objects, as in --format json (sil 2010 -> 2018 on 2018-12-29, one row per scheme).
    cited = [c for row in rows for c in row["citations"]]
    assert cited and all(isinstance(c, dict) and {"instrument", "version"} <= set(c) for c in cited)
    assert {"sil"} <= {c["instrument"] for row in rows if row["date"] == "2018-12-29" for c in row["citations"]}


def test_timeline_to_before_from_is_an_error():
    r = run("timeline", "--from", "2020-01-01", "--to", "2019-01-01", "--category", "employee")
    assert r.code == 2 and "to" in r.err and len(r.err.strip().splitlines()) == 1
