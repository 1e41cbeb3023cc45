"""The ``retirement`` command in every format, on a local app (the shipped app registers the same function).

Golden outputs live in ``tests/golden/retirement.<format>``; regenerate them on
purpose with ``SOCINS_UPDATE_GOLDEN=1 pytest tests/test_retirement_cli.py`` and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

from socins_cli.cli.retirement import retirement_command, timeline
from socins_cli.errors import InputError

GOLDEN = Path(__file__).resolve().parent / "golden"
CASE = ["--category", "flexible", "--sex", "female", "--birth", "1978-03", "--as-of", "2026-06-01"]


def invoke(*args: str):
    app = typer.Typer()
    app.command("retirement")(retirement_command)
    app.command("other")(lambda: None)  # two commands, so the name is part of the call as in socins
    return CliRunner().invoke(app, ["retirement", *args])


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "markdown"])
def test_retirement_golden_output(fmt):
    r = invoke(*CASE, "--format", fmt)
    assert r.exit_code == 0, r.output
    golden = GOLDEN / f"retirement.{fmt}"
    if os.environ.get("SOCINS_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(r.stdout, encoding="utf-8")
    assert r.stdout == golden.read_text(encoding="utf-8")


def test_retirement_json_carries_the_contract_fields():
    r = invoke("--sex", "male", "--birth", "1965-01", "--as-of", "2026-06-01", "--format", "json")
    out = orjson.loads(r.stdout)
    assert out["statutory_age"] == {"years": 60, "months": 1}
    assert (out["delay_months"], out["retirement_month"]) == (1, "2025-02")
    assert (out["earliest_flexible_month"], out["latest_flexible_month"]) == ("2025-01", "2028-02")
    assert out["minimum_contribution_years"] == 15
    assert {"instrument": "retire-2024", "version": "2024", "article": "1"} in out["citations"]


def test_retirement_csv_names_the_other_reading_of_annex3_for_a_woman_in_flexible_employment():
    # 附件3 (原法定退休年龄五十周岁的女职工): 1978年3月 | 51岁8个月 | 2029年11月 | 20
    import csv
    import io

    (row,) = csv.DictReader(io.StringIO(invoke(*CASE, "--format", "csv").stdout))
    assert (row["track"], row["retirement_month"]) == ("female-55", "2035-04")
    assert (row["alternative_track"], row["alternative_statutory_age"], row["alternative_retirement_month"]) == (
        "female-50", "51y8m", "2029-11")
    # its window and minimum too, as JSON's alternatives give them (办法 art. 3, 附件4)
    (other,) = orjson.loads(invoke(*CASE, "--format", "json").stdout)["alternatives"]
    assert (row["alternative_earliest_flexible_month"], row["alternative_latest_flexible_month"],
            row["alternative_minimum_contribution_years"]) == (
        other["earliest_flexible_month"], other["latest_flexible_month"], f"{other['minimum_contribution_years']:g}")
    (man,) = csv.DictReader(io.StringIO(invoke("--sex", "male", "--birth", "1965-01", "--as-of", "2026-06-01",
                                               "--format", "csv").stdout))
    assert man["alternative_track"] == man["alternative_retirement_month"] == ""


def test_retirement_defaults_to_json_when_piped():
    r = invoke("--sex", "male", "--birth", "1965-01", "--as-of", "2026-06-01")
    assert orjson.loads(r.stdout)["retirement_month"] == "2025-02"


def test_retirement_table_shows_the_window_as_a_timeline():
    r = invoke("--sex", "male", "--birth", "1980-01", "--as-of", "2026-06-01", "--format", "table")
    assert r.exit_code == 0
    assert "2040-01 ├────────────● 2043-01 ────────────┤ 2046-01" in r.stdout


def test_timeline_is_absent_without_a_window():
    assert timeline({"earliest_flexible_month": None, "retirement_month": "2030-01", "latest_flexible_month": None}) is None
    assert timeline({"earliest_flexible_month": "2025-01", "retirement_month": "2025-02",
                     "latest_flexible_month": "2028-02"}) == "2025-01 ├─● 2025-02 ────────────┤ 2028-02"


@pytest.mark.parametrize("args,field", [
    (["--sex", "male", "--birth", "1970-13"], "birth"),
    (["--sex", "male", "--female-track", "cadre", "--birth", "1970-01"], "female_track"),
    (["--sex", "male", "--birth", "2030-01", "--as-of", "2026-06-01"], "birth"),
    (["--sex", "female", "--birth", "1980-01", "--category", "employee"], "female_track"),
    (["--sex", "male", "--birth", "1980-01", "--format", "xml"], "format"),
])
def test_retirement_bad_input_is_an_input_error_naming_the_field(args, field):
    r = invoke(*args)
    assert isinstance(r.exception, InputError), r.output
    assert r.exception.field == field


def test_retirement_input_without_the_batch_runner_is_a_clean_input_error():
    r = invoke("--input", "rows.jsonl")
    assert isinstance(r.exception, InputError) and r.exception.field == "input"
