"""Past the statutory retirement age: a worker's answers are open (sil arts. 16 and 27, lcl art. 44 (二), 办法 arts. 2, 6).

Whether a person is past it is read from sex, track and birth with the
category and the date (``socins retirement``'s month), so like the age it is
read from both halves of a batch row: every path must give each row what
one ``socins check`` gives that person.
"""

from __future__ import annotations

import datetime
import itertools
import json

import msgspec
import pytest

from cli_helpers import run
from socins_cli import api
from socins_cli.dates import Month
from socins_cli.engines.eligibility import past_retirement_age, retirement_change_days
from socins_cli.person import make_person


def scheme(result: dict, name: str) -> dict:
    return next(s for s in result["schemes"] if s["scheme"] == name)


def cites(entry: dict) -> set:
    return {f"{c['instrument']}:{c['article']}" for c in entry["citations"]}


def test_sil_27_a_man_of_76_in_employment_is_answered_open_with_the_texts_that_speak_of_retirement():
    """sil 16 para 1 (按月领取基本养老金), sil 27 (退休后不再缴纳基本医疗保险费), lcl 44 (二) (劳动合同终止),
    办法 art. 2 (延长缴费) and art. 6 (工伤保障): the answer is for a person in employment, and open."""
    result = api.check(category="employee", sex="male", birth="1950-01", as_of="2026-06-01")
    pension, medical = scheme(result, "employee-pension"), scheme(result, "employee-medical")
    assert pension["settled"] is False and {"sil:16", "lcl:44", "retire-2024:2"} <= cites(pension)
    assert medical["settled"] is False and "sil:27" in cites(medical)
    assert scheme(result, "unemployment")["settled"] is False and "lcl:44" in cites(scheme(result, "unemployment"))
    injury = scheme(result, "work-injury")
    assert (injury["status"], injury["payers"], injury["settled"]) == ("mandatory", ["employer"], False)
    assert "retire-2024:6" in cites(injury)


@pytest.mark.parametrize("person", [
    {"category": "flexible", "sex": "female", "birth": "1955-01"},
    {"category": "self-employed", "sex": "male", "birth": "1950-01"},
    {"category": "part-time", "employers": 0, "sex": "male", "birth": "1950-01"},
    {"category": "part-time", "sex": "male", "birth": "1950-01"},
    {"category": "platform", "relation": "incomplete", "sex": "male", "birth": "1950-01"},
])
def test_sil_16_and_27_one_who_may_join_alone_past_the_retirement_age_is_answered_open(person):
    """sil 16 and 27 speak of every member (参加基本养老保险的个人, 参加职工基本医疗保险的个人), those who join
    alone too: past the statutory retirement age their answer is open and cites them, as an employee's is."""
    result = api.check(**person, as_of="2026-06-01")
    pension, medical = scheme(result, "employee-pension"), scheme(result, "employee-medical")
    assert (pension["status"], pension["settled"]) == ("voluntary", False) and "sil:16" in cites(pension)
    assert (medical["status"], medical["settled"]) == ("voluntary", False) and "sil:27" in cites(medical)
    young = api.check(**{**person, "birth": "1990-01"}, as_of="2026-06-01")
    assert "sil:16" not in cites(scheme(young, "employee-pension")) and "sil:27" not in cites(scheme(young, "employee-medical"))


@pytest.mark.parametrize("person", [
    {"category": "flexible", "sex": "male", "birth": "1970-01"},
    {"category": "self-employed", "sex": "female", "birth": "1980-01"},  # past it on the 50 reading only
    {"category": "part-time", "employers": 1, "sex": "female", "birth": "1980-01"},  # the same, with an employer
    {"category": "platform", "relation": "civil", "sex": "male", "birth": "1970-01"},
])
def test_retire_2024_art2_past_the_age_from_2030_one_who_joins_alone_is_not_told_15_years_suffice(person):
    """办法 art. 2 raises the minimum years from 2030 (附件4: 2031年 16年; 2032年 16年+6个月): the answer cites it
    beside sil art. 16 for every member, as ``socins retirement`` gives the figure, and never before 2025."""
    as_of = "2032-09-01"
    pension = scheme(api.check(**person, as_of=as_of), "employee-pension")
    assert {"sil:16", "retire-2024:2"} <= cites(pension) and pension["settled"] is False
    assert "rising by six months a year from 2030-01-01" in pension["notes"]
    old = {**person, "birth": "1950-01" if person["sex"] == "male" else "1955-01"}
    before = scheme(api.check(**old, as_of="2024-06-01"), "employee-pension")
    assert "sil:16" in cites(before) and not any(c.startswith("retire-2024") for c in cites(before))


def test_before_the_statutory_month_and_without_sex_or_birth_the_answer_is_the_workers():
    young = api.check(category="employee", sex="male", birth="1990-01", as_of="2026-06-01")
    unknown = api.check(category="employee", birth="1968-01", as_of="2026-06-01")  # past a woman's age, not a man's
    no_birth = api.check(category="employee", sex="male", as_of="2026-06-01")
    for result in (young, unknown, no_birth):
        assert all("sil:27" not in cites(s) and "lcl:44" not in cites(s) for s in result["schemes"])
        assert scheme(result, "employee-pension")["settled"] is True


def test_the_month_is_the_retirement_commands():
    """A woman worker born 1975-03 retires in 2025-05 (办法 附件3: 50岁2个月): past it from that month, not before."""
    month = api.retirement(sex="female", female_track="worker", birth="1975-03", as_of="2026-06-01")
    assert month["retirement_month"] == "2025-05"
    person = make_person(category="employee", sex="female", female_track="worker", birth="1975-03", as_of="2026-06-01")
    assert past_retirement_age(api.load(None, None), person, make_person(as_of="2025-04-30").as_of) is False
    assert past_retirement_age(api.load(None, None), person, make_person(as_of="2025-05-01").as_of) is True


def test_a_timeline_changes_on_the_first_day_of_the_statutory_retirement_month():
    r = run("timeline", "--category", "employee", "--sex", "female", "--female-track", "worker", "--birth", "1975-03",
            "--from", "2024-06-01", "--to", "2026-06-01", "--format", "json")
    assert r.code == 0, r.err
    medical = next(s for s in json.loads(r.out)["schemes"] if s["scheme"] == "employee-medical")
    assert [(c["date"], c["settled"]) for c in medical["changes"]][-1] == ("2025-05-01", False)
    person = make_person(category="employee", sex="female", female_track="worker", birth="1975-03")
    law = api.load(None, None)
    assert [d.isoformat() for d in retirement_change_days(law, person, make_person(as_of="2024-06-01").as_of,
                                                          make_person(as_of="2026-06-01").as_of)] == ["2025-05-01"]


def test_sil_16_and_27_past_the_age_only_on_the_other_reading_of_a_womans_track_is_open_and_says_so():
    """A woman in flexible employment is answered on the 55 track; the 50 track is the other reading
    (``alternatives``). From the month the other reading gives, her employee pension and medical answers are
    open and cite sil 16 and 27, and say it is the other reading; before it they are settled."""
    reading = api.retirement(category="flexible", sex="female", birth="1976-03", as_of="2026-06-01")
    (other,) = reading["alternatives"]
    assert other["retirement_month"] < reading["retirement_month"]
    month = other["retirement_month"]
    day_before = Month.parse(month, "month").first_day() - datetime.timedelta(days=1)
    earlier = api.check(category="flexible", sex="female", birth="1976-03", as_of=day_before.isoformat())
    later = api.check(category="flexible", sex="female", birth="1976-03", as_of=f"{month}-01")
    for name, article in (("employee-pension", "sil:16"), ("employee-medical", "sil:27")):
        assert scheme(earlier, name)["settled"] is True and article not in cites(scheme(earlier, name))
        entry = scheme(later, name)
        assert (entry["status"], entry["settled"]) == ("voluntary", False) and article in cites(entry)
        assert "other reading" in entry["notes"]
    days = retirement_change_days(api.load(None, None), make_person(category="flexible", sex="female", birth="1976-03"),
                                  make_person(as_of="2026-06-01").as_of, make_person(as_of="2027-06-01").as_of)
    assert [d.isoformat() for d in days] == [f"{month}-01"]
    # the timeline changes on both months: the other reading's, then the one socins answers on (retire-2024 1)
    main = Month.parse(reading["retirement_month"], "month").first_day()
    changes = api.timeline(category="flexible", sex="female", birth="1976-03", start="2026-01-01",
                           end=(main + datetime.timedelta(days=40)).isoformat())
    pension = next(s for s in changes["schemes"] if s["scheme"] == "employee-pension")["changes"]
    assert {f"{month}-01", main.isoformat()} <= {c["date"] for c in pension}


def test_sil_16_lcl_44_a_woman_in_employment_past_the_age_on_every_track_is_past_it_without_a_track_given():
    """retirement.toml requires a woman in employment's track (worker, 50; cadre, 55): given none, one past the
    month of both tracks is past the statutory retirement age whichever is hers (sil 16 para 1, lcl 44 (二), as
    with a track); past the first month only, it turns on the track: open, and the note says to give it."""
    law = api.load(None, None)
    months = {track: api.retirement(category="employee", sex="female", birth="1972-01", female_track=track,
                                    as_of="2026-06-01")["retirement_month"] for track in ("worker", "cadre")}
    assert months["worker"] < "2026-06" < months["cadre"]
    both = api.check(category="employee", sex="female", birth="1960-01", as_of="2026-06-01")
    as_worker = api.check(category="employee", sex="female", birth="1960-01", female_track="worker", as_of="2026-06-01")
    one = api.check(category="employee", sex="female", birth="1972-01", as_of="2026-06-01")
    young = api.check(category="employee", sex="female", birth="1990-01", as_of="2026-06-01")
    for name, article in (("employee-pension", "sil:16"), ("employee-pension", "lcl:44"),
                          ("employee-medical", "sil:27"), ("unemployment", "lcl:44"), ("work-injury", "retire-2024:6")):
        assert scheme(both, name) == scheme(as_worker, name)
        assert scheme(both, name)["settled"] is False and article in cites(scheme(both, name))
        entry = scheme(one, name)
        assert entry["settled"] is False and article in cites(entry) and "no female track was given" in entry["notes"]
        assert scheme(young, name)["settled"] is True and article not in cites(scheme(young, name))
    person = make_person(category="employee", sex="female", birth="1972-01")
    days = retirement_change_days(law, person, make_person(as_of="2026-06-01").as_of,
                                  make_person(as_of="2028-06-01").as_of)
    assert [d.isoformat() for d in days] == [f"{months['cadre']}-01"]
    # before 2025 too: the 1978 worker's 50 (2010-01) and cadre's 55 (2015-01) each change the answer
    changes = api.timeline(category="employee", sex="female", birth="1960-01", start="2009-09-01", end="2016-01-01")
    pension = next(s for s in changes["schemes"] if s["scheme"] == "employee-pension")["changes"]
    assert {"2010-01-01", "2015-01-01"} <= {c["date"] for c in pension}


def test_an_other_reading_that_would_end_before_it_applies_is_no_reading_for_the_age():
    """办法 art. 1 从2025年1月1日起: the 50 track would put a woman born 1972-03 at 50 in 2022, under the 2001
    notice's 55; that is no reading (``alternatives`` is empty), so she is not past the age on any reading."""
    reading = api.retirement(category="flexible", sex="female", birth="1972-03", as_of="2026-06-01")
    assert reading["alternatives"] == [] and reading["retirement_month"] > "2026-06"
    result = api.check(category="flexible", sex="female", birth="1972-03", as_of="2026-06-01")
    assert scheme(result, "employee-pension")["settled"] is True


ROWS = [{"id": i, "category": category, **({"sex": sex} if sex else {}), **({"birth": birth} if birth else {}),
         **({"female_track": "worker"} if sex == "female" and category == "employee" and i % 2 else {}),
         "as_of": as_of}
        for i, (category, sex, birth, as_of) in enumerate(itertools.product(
            ["employee", "civil-servant", "flexible", "part-time", "resident"], [None, "male", "female"],
            [None, "1950-01", "1964-12", "1965-01", "1975-03", "1976-03", "1990-06"],
            ["2012-01-01", "2024-12-31", "2025-05-01", "2026-06-01", "2026-12-01"]))]


def single(row: dict):
    try:
        result = api.check(**{k: v for k, v in row.items() if k != "id"})
    except Exception:
        return None
    return [(s["status"], s["settled"]) for s in result["schemes"]]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_every_batch_row_is_answered_as_one_call_answers_its_person(tmp_path, fmt):
    expected = [single(row) for row in ROWS]
    assert any(e and not e[0][1] for e in expected) and any(e and e[0][1] for e in expected)
    fields = ["id", "error"] + [f"{s}.{f}" for s in ("employee-pension", "resident-pension", "public-sector-pension",
                                                     "employee-medical", "resident-medical", "work-injury",
                                                     "unemployment", "maternity", "occupational-injury")
                                for f in ("status", "settled")]
    if fmt == "jsonl":
        source = tmp_path / "in.jsonl"
        source.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
        r = run("check", "--input", str(source), "--fields", ",".join(fields), "--format", "jsonl")
        got = [json.loads(line) for line in r.out.splitlines()]
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        columns = {k: [row.get(k) for row in ROWS] for k in ("id", "category", "sex", "female_track", "birth", "as_of")}
        pq.write_table(pa.table(columns), tmp_path / "in.parquet")
        r = run("check", "--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out.parquet"), "--quiet")
        got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert r.code in (0, 2), r.err
    answered = [None if row["error"] else [(row[f"{s}.status"], row[f"{s}.settled"]) for s in
                                           dict.fromkeys(f.rsplit(".", 1)[0] for f in fields[2:])] for row in got]
    assert [row["id"] for row in got] == [row["id"] for row in ROWS]
    assert answered == expected


def test_the_month_read_from_the_track_alone_is_the_retirement_answers_month():
    """``eligibility.retirement_month_index`` (the track chosen without citations or notes) against
    ``retirement_core``'s month, over categories, sexes, tracks, births and dates either side of the reforms."""
    from socins_cli.dates import Month
    from socins_cli.engines import retirement
    from socins_cli.engines.eligibility import retirement_month_index, retirement_months
    from socins_cli.errors import InputError

    law = api.load(None, None)
    compared = other_readings = 0
    for category, sex, track, year, month, as_of in itertools.product(
            ["employee", "flexible", "civil-servant", "self-employed", "resident", None], ["male", "female", None],
            [None, "worker", "cadre"], range(1935, 2006, 7), [1, 12], ["2010-06-01", "2024-12-31", "2026-06-01"]):
        if sex != "female" and track:
            continue
        try:
            person = make_person(category=category, sex=sex, female_track=track, birth=f"{year}-{month:02d}",
                                 as_of=as_of)
        except InputError:
            continue
        try:
            answer = retirement.retirement_core(law, person).get("retirement_month")
        except InputError:
            answer = None
        expected = None if answer is None else Month.parse(answer, "retirement_month").index
        if sex is None:  # the retirement answer needs the sex; past the age whatever it is: the latest month
            on_each = [retirement_months(law, msgspec.structs.replace(person, sex=s), person.as_of)
                       for s in ("male", "female")]
            if None not in on_each:
                assert retirement_months(law, person, person.as_of) == (max(m[0] for m in on_each), None), person
                compared += 1
                continue
        if answer is None and sex == "female" and track is None:  # a track is required: past on every track
            on_each = [retirement_months(law, msgspec.structs.replace(person, female_track=t), person.as_of)
                       for t in ("worker", "cadre")]
            if None not in on_each:
                latest, earliest = max(m[0] for m in on_each), min(m[0] for m in on_each)
                assert retirement_months(law, person, person.as_of) == (latest, earliest if earliest < latest
                                                                        else None), person
                compared += 1
                continue
        assert retirement_month_index(law, person, person.as_of) == expected, person
        if expected is not None:
            others = [Month.parse(a["retirement_month"], "retirement_month").index
                      for a in retirement.retirement_core(law, person)["alternatives"]]
            assert retirement_months(law, person, person.as_of) == (expected, others[0] if others else None), person
            other_readings += bool(others)
        compared += 1
    assert compared > 1000 and other_readings > 20


def test_public_pension_2015_a_civil_servant_past_the_retirement_age_is_answered_with_what_the_decision_says_of_the_retired():
    """一(四) 对改革前已退休人员,保持现有待遇: the answer cites it and says what is not held, from the retirement month on."""
    past = api.check(category="civil-servant", sex="male", birth="1960-01", as_of="2022-01-01")
    young = api.check(category="civil-servant", sex="male", birth="1980-01", as_of="2022-01-01")
    assert "保持现有待遇" in scheme(past, "public-sector-pension")["notes"]
    assert "保持现有待遇" not in scheme(young, "public-sector-pension")["notes"]
    assert "retire-1978-cadres:4" in cites(scheme(past, "public-sector-pension"))  # the age it rests on, before 2025
    later = api.check(category="civil-servant", sex="male", birth="1960-01", as_of="2026-06-01")
    assert "retire-2024:1" in cites(scheme(later, "public-sector-pension"))


def test_retire_1978_workers_1_before_the_sil_an_employee_past_the_age_is_open_for_pension_too():
    """1978 workers measures art. 1 (工人…应该退休), cadres measures art. 4 (干部…都可以退休): before sil 16 and
    lcl 44 stand together (2011-07-01), a man of 60 in employment is open for employee pension as he is for work
    injury and unemployment, citing the 1978 measures; a man of 50 is not."""
    old = api.check(category="employee", sex="male", birth="1950-01", as_of="2010-06-01")
    pension = scheme(old, "employee-pension")
    assert pension["settled"] is False and {"retire-1978-workers:1", "retire-1978-cadres:4"} <= cites(pension)
    young = scheme(api.check(category="employee", sex="male", birth="1960-01", as_of="2010-06-01"), "employee-pension")
    assert "retire-1978-workers:1" not in cites(young) and "应该退休" not in young["notes"]
    later = scheme(api.check(category="employee", sex="male", birth="1950-01", as_of="2011-07-01"), "employee-pension")
    assert "retire-1978-workers:1" not in cites(later) and {"sil:16", "lcl:44"} <= cites(later)


def test_sil_16_no_sex_given_past_every_age_any_text_sets_is_past_the_age():
    """决定 一: the highest age is 63 (men); a person born 1940 is past it whatever the sex, and had been answered
    "mandatory, settled" for want of --sex. One born 1968 is past a woman's age, not a man's: not known."""
    old = api.check(category="employee", birth="1940-01", as_of="2026-06-01")
    pension = next(s for s in old["schemes"] if s["scheme"] == "employee-pension")
    assert pension["settled"] is False
    assert ("sil", "16", 1) in {(c["instrument"], c["article"], c.get("paragraph")) for c in pension["citations"]}
    assert old == api.check(category="employee", sex="male", birth="1940-01", as_of="2026-06-01") | {
        "person": old["person"]}
    younger = api.check(category="employee", birth="1968-01", as_of="2026-06-01", explain=True)
    pension = next(s for s in younger["schemes"] if s["scheme"] == "employee-pension")
    assert pension["settled"] is True
    assert "not known (give sex)" in json.dumps(younger, ensure_ascii=False)
