"""Han 三（四）第一 as an overlay: a woman whose new age falls before the overlay's date is not answered as settled.

From 2028-01-01 (an illustrative date) the overlay puts a woman in flexible
employment on the women workers' track. Born 1976-01 she reaches that track's
age in 2026-08, before the overlay exists, while under the law (the 55 track)
she reaches hers in 2032-08. The paper does not say what becomes of her, so
the reformed answer keeps the track's figures but is open, with a note.
The retirement engine says so (an overlay's assignment applies from its
date), so every command that asks it agrees: compare's cell, and the months
``check`` and ``timeline`` weigh (past the age on every reading from the
law's month, on another reading from the overlay's date).
"""

from __future__ import annotations

import json

from cli_helpers import run

OVERLAY = "han-retirement-age-women-flexible-workers"


def retirement(birth: str) -> dict:
    r = run("retirement", "--category", "flexible", "--sex", "female", "--birth", birth, "--as-of", "2030-06-01",
            "--reform", OVERLAY, "--format", "json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_han_3_4_first_age_reached_before_the_overlays_date_is_open():
    answer = retirement("1976-01")
    assert answer["law"]["retirement_month"] == "2032-08"
    assert answer["reformed"]["retirement_month"] == "2026-08"
    assert answer["reformed"]["settled"] is False
    assert "before the overlay's date 2028-01-01" in answer["reformed"]["notes"][-1]


def test_han_3_4_first_age_reached_after_the_overlays_date_is_open_on_the_track_only():
    """女职工乃至男职工 names more than the 50 track the overlay reads: open for every birth, but nothing is before
    its date for this one."""
    answer = retirement("1980-05")
    assert answer["reformed"]["retirement_month"] == "2033-02"
    assert answer["reformed"]["settled"] is False
    assert any("女职工乃至男职工" in n for n in answer["reformed"]["notes"])
    assert any("the late window" in n for n in answer["reformed"]["notes"])
    assert not any("before the overlay's date" in n for n in answer["reformed"]["notes"])


def test_han_3_4_first_early_window_before_the_overlays_date_is_said():
    answer = retirement("1977-03")  # the 50 track: 2028-05, up to 36 months early but not below 50: 2027-03
    assert answer["reformed"]["retirement_month"] == "2028-05"
    assert answer["reformed"]["earliest_flexible_month"] == "2027-03"
    assert any("earliest flexible month 2027-03 falls before the overlay's date 2028-01-01" in n
               for n in answer["reformed"]["notes"])


def test_han_3_4_first_does_not_reach_a_woman_who_retires_under_the_law_before_its_date():
    answer = retirement("1972-01")  # the law's 55 track: 2027-08, before the overlay's 2028-01-01
    assert answer["law"]["retirement_month"] == answer["reformed"]["retirement_month"] == "2027-08"
    assert answer["reformed"]["settled"] == answer["law"]["settled"]
    assert "the overlay does not reach this person" in answer["reformed"]["notes"][-1]
    assert not any(d["field"] == "retirement_month" for d in answer["differences"])


def test_han_3_4_first_compare_cell_before_the_overlays_date_is_open_as_retirement_says():
    r = run("compare", "--category", "employee", "--category", "flexible", "--sex", "female", "--birth", "1976-03",
            "--as-of", "2029-06-01", "--reform", OVERLAY, "--format", "json")
    assert r.code == 0, r.err
    row = next(row for row in json.loads(r.out)["reformed"]["rows"] if row["scheme"] == "retirement-age")
    cell = next(c for c in row["by_category"] if c["category"] == "flexible")
    single = retirement_on("1976-03", "2029-06-01")["reformed"]
    assert cell["retirement_month"] == single["retirement_month"] == "2026-11"
    assert cell["settled"] is single["settled"] is False
    assert "before the overlay's date 2028-01-01" in cell["notes"]


def retirement_on(birth: str, as_of: str) -> dict:
    r = run("retirement", "--category", "flexible", "--sex", "female", "--birth", birth, "--as-of", as_of,
            "--reform", OVERLAY, "--format", "json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_han_3_4_first_past_the_age_months_under_the_overlay():
    """The law's month is when she is past the age on every reading; the overlay's date, on another reading."""
    from socins_cli import api
    from socins_cli.dates import Month
    from socins_cli.engines import eligibility
    from socins_cli.engines.reform import apply_reforms
    from socins_cli.person import make_person

    law = api.load()
    reformed = apply_reforms(law, [OVERLAY])
    person = make_person(category="flexible", sex="female", birth="1976-03", as_of="2029-06-01")
    months = eligibility.retirement_months(reformed, person, person.as_of)
    assert months == (Month.parse("2032-10", "m").index, Month.parse("2028-01", "m").index)
    later = make_person(category="flexible", sex="female", birth="1977-03", as_of="2029-06-01")
    assert eligibility.retirement_months(reformed, later, later.as_of)[0] == Month.parse("2028-05", "m").index


def test_banfa_3_early_window_for_a_flexible_worker_is_marked_open():
    """办法 art. 3 (职工达到最低缴费年限，可以自愿选择弹性提前退休) and art. 2 speak of 职工: a flexible worker's early window and
    minimum years are socins's reading, said open beside the late window; an employee's are not."""
    from socins_cli import api

    flexible = api.retirement(category="flexible", sex="male", birth="1970-05", as_of="2026-06-01")
    assert flexible["earliest_flexible_month"] == "2030-05" and not flexible["settled"]
    assert any(n.startswith("Open (the early window)") and "职工达到最低缴费年限，可以自愿选择弹性提前退休" in n
               for n in flexible["notes"])
    employee = api.retirement(category="employee", sex="male", birth="1970-05", as_of="2026-06-01")
    assert not any(n.startswith("Open (the early window)") for n in employee["notes"])
    before = api.retirement(category="flexible", sex="male", birth="1960-05", as_of="2026-06-01")
    assert before["earliest_flexible_month"] is None
    assert not any(n.startswith("Open (the early window)") for n in before["notes"])
