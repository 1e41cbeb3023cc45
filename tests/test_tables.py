"""Every table a person reads, at 50, 80 and 120 columns: nothing that matters is cut, no line is too long.

Golden outputs live in ``tests/golden/tables/<name>-<width>.txt`` (plain
text, as piped); regenerate them on purpose with
``SOCINS_UPDATE_GOLDEN=1 pytest tests/test_tables.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cli_helpers import run
from socins_cli.cli.linebreak import NO_LINE_START, text_width, wrap

GOLDEN = Path(__file__).resolve().parent / "golden" / "tables"
WIDTHS = (50, 80, 120)
STATUSES = ("mandatory", "voluntary", "pilot", "not-eligible")
SCHEMES = ("employee-pension", "resident-pension", "public-sector-pension", "employee-medical", "resident-medical",
           "work-injury", "unemployment", "maternity", "occupational-injury")

CASES = {
    "check": ("check", "--category", "flexible", "--as-of", "2026-01-01"),
    "check-platform": ("check", "--category", "platform", "--relation", "incomplete", "--province", "guangdong",
                       "--industry", "food-delivery", "--as-of", "2026-01-01"),
    "list": ("list",),
    "timeline": ("timeline", "--category", "flexible", "--from", "2018-01-01", "--to", "2026-01-01"),
    "compare": ("compare", "--category", "employee", "--category", "flexible", "--category", "platform:civil",
                "--as-of", "2026-01-01"),
    "inequities": ("inequities", "--as-of", "2026-01-01", "--category", "flexible"),
    "show": ("show", "sil", "10", "--version", "2018"),
    "show-overview": ("show", "maternity-merger-2019"),
    "search": ("search", "灵活就业人员", "--instrument", "sil", "--as-of", "2026-01-01"),
    "diff": ("diff", "sil", "2010", "2018", "--substantive"),
    "retirement": ("retirement", "--sex", "female", "--birth", "1978-03", "--female-track", "worker",
                   "--as-of", "2026-06-01"),
    "validate": ("validate",),
}


def table(name: str, width: int) -> str:
    r = run(*CASES[name], "--format", "table", env={"COLUMNS": str(width)})
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    return r.out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_table_golden_and_no_line_longer_than_the_terminal(name, width):
    out = table(name, width)
    too_long = [line for line in out.splitlines() if text_width(line) > width]
    assert not too_long, too_long
    golden = GOLDEN / f"{name}-{width}.txt"
    if os.environ.get("SOCINS_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def words(out: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9:._-]*", out))


@pytest.mark.parametrize("width", WIDTHS)
def test_check_table_holds_every_scheme_id_and_status_whole(width):
    found = words(table("check", width))
    assert set(SCHEMES) <= found
    assert {"voluntary", "not-eligible"} <= found
    assert not re.search(r"[a-z0-9-]…", table("check", width))  # rich's mark of a cut cell


@pytest.mark.parametrize("width", WIDTHS)
def test_list_table_holds_every_instrument_id_and_date_whole(width):
    import json

    rows = json.loads(run("list", "--format", "json").out)["instruments"]
    out = table("list", width)
    found = words(out)
    for r in rows:
        assert r["instrument"] in found
        assert r["effective"] in out
        if r["repealed"]:
            assert r["repealed"] in out


@pytest.mark.parametrize("width", WIDTHS)
def test_timeline_table_holds_dates_and_scheme_ids_whole(width):
    out = table("timeline", width)
    assert {"2018-01-01", "2018-12-29"} <= words(out) or "2018-01-01" in out
    assert set(SCHEMES) <= words(out)


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_table_holds_finding_ids_whole(width):
    import json

    result = json.loads(run(*CASES["compare"], "--format", "json").out)
    found = words(table("compare", width))
    for row in result["rows"]:
        assert set(row["findings"]) <= found
        assert row["scheme"] in found


def test_show_sil_10_keeps_paragraph_number_with_its_text():
    out = table("show", 50)
    assert "(2)" not in [line.strip() for line in out.splitlines()]
    assert re.search(r"^\(2\) 无雇工", out, re.M)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["show", "diff", "inequities", "retirement", "check-platform"])
def test_no_line_starts_with_closing_punctuation(name, width):
    for line in table(name, width).splitlines():
        assert not line.lstrip() or line.lstrip()[0] not in NO_LINE_START - {"—", "…"}, line


def test_wrap_keeps_numbers_with_their_units():
    # "取决于20" / "21年" and "8" / "%缴费" were the breaks a person saw.
    for width in range(6, 20):
        lines = wrap("这取决于2021年的规定，个人按8%缴费。", width)
        assert "".join(lines) == "这取决于2021年的规定，个人按8%缴费。"
        assert all("2021年" in line or "2021" not in line for line in lines)
        assert all(not line.startswith(("%", "，", "。", "年")) for line in lines)


def test_wrap_keeps_a_citation_label_on_one_line_where_it_fits():
    lines = wrap("category: sil 2018 art. 10 para 2; sil 2018 art. 12 para 3", 40)
    assert lines == ["category: sil 2018 art. 10 para 2;", "sil 2018 art. 12 para 3"]


@pytest.mark.parametrize("args", [("list",), ("history", "sil", "64"), ("diff", "sil", "2010", "2018")])
@pytest.mark.parametrize("width", ["40", "60"])
def test_a_piped_table_at_a_narrow_width_has_no_trailing_spaces(args, width):
    """list, history and diff at 40-60 columns had kept rich's padding at lines' ends (audit L6)."""
    out = run(*args, "--format", "table", env={"COLUMNS": width}).out
    assert out and not [line for line in out.splitlines() if line.endswith(" ")]
