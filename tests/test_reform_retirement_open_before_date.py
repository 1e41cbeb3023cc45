"""Han 三（四）第一 as an overlay: a woman whose new age falls before the overlay's date is not answered as settled.

From 2028-01-01 (an illustrative date) the overlay puts a woman in flexible
employment on the women workers' track. Born 1976-01 she reaches that track's
age in 2026-08, before the overlay exists, while under the law (the 55 track)
she reaches hers in 2032-08. The paper does not say what becomes of her, so
the reformed answer keeps the track's figures but is open, with a note.
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


def test_han_3_4_first_age_reached_after_the_overlays_date_stays_settled():
    answer = retirement("1980-05")
    assert answer["reformed"]["retirement_month"] == "2033-02"
    assert answer["reformed"]["settled"] is True
    assert not any("before the overlay's date" in n for n in answer["reformed"]["notes"])


def test_han_3_4_first_does_not_reach_a_woman_who_retires_under_the_law_before_its_date():
    answer = retirement("1972-01")  # the law's 55 track: 2027-08, before the overlay's 2028-01-01
    assert answer["law"]["retirement_month"] == answer["reformed"]["retirement_month"] == "2027-08"
    assert answer["reformed"]["settled"] == answer["law"]["settled"]
    assert "the overlay does not reach her" in answer["reformed"]["notes"][-1]
    assert not any(d["field"] == "retirement_month" for d in answer["differences"])
