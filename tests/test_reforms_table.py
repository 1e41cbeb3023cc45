"""``socins reforms`` tables at any width: overlay ids, finding ids and dates whole, no line too long.

At 160 columns rich once narrowed the wrapping columns below what their
items need and the terminal cut ``employee-medical`` to ``employee-m``; ids
are counted, so one cut occurrence fails.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from cli_helpers import run
from socins_cli.cli.linebreak import text_width

WIDTHS = (50, 80, 120, 160)


def words(out: str) -> Counter:
    """Each id-like word and how often it stands whole: an id cut at the edge counts once less."""
    return Counter(re.findall(r"[A-Za-z0-9][A-Za-z0-9:._-]*", out))


def fits(out: str, width: int) -> None:
    too_long = [line for line in out.splitlines() if text_width(line) > width]
    assert not too_long, too_long


@pytest.mark.parametrize("width", WIDTHS)
def test_reforms_table_holds_every_overlay_id_and_date_whole(width):
    shipped = json.loads(run("reforms", "--format", "json").out)["reforms"]
    r = run("reforms", "--format", "table", env={"COLUMNS": str(width)})
    assert r.code == 0, r.err
    fits(r.out, width)
    expected = Counter()
    for overlay in shipped:
        expected.update([overlay["id"], overlay["effective"]])
        expected.update(t for t in overlay["touches"] if " " not in t)
    assert not expected - words(r.out)


@pytest.mark.parametrize("width", WIDTHS)
def test_reforms_effect_table_holds_every_overlay_and_finding_id_whole(width):
    args = ("reforms", "--effect", "--as-of", "2030-06-01")
    effects = json.loads(run(*args, "--format", "json").out)["reforms"]
    r = run(*args, "--format", "table", env={"COLUMNS": str(width)})
    assert r.code == 0, r.err
    fits(r.out, width)
    expected = Counter()
    for overlay in effects:
        expected.update([overlay["id"]])
        expected.update(f["finding"] for f in overlay["findings"])
    assert not expected - words(r.out)
