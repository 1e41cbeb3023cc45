"""The annex tables of the 2024 measures are the law's own statement of the result: every row must agree.

Each row of 附件1-3 (144 + 144 + 120) is a case for the engine, and each
year of 附件4 a case for the minimum contribution years; the table data
itself is checked against the reference text it was imported from.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

from socins_cli.person import make_person
from socins_cli.engines.retirement import retirement

REPO = Path(__file__).resolve().parent.parent
AS_OF = _dt.date(2026, 1, 1)  # the 办法 is in force; every annex birth month is before it

#: Whom each annex is about, as its title says (附件1 男职工; 附件2/3 原法定退休年龄五十五/五十周岁的女职工).
PEOPLE = {
    "annex-1": {"sex": "male"},
    "annex-2": {"sex": "female", "female_track": "cadre"},
    "annex-3": {"sex": "female", "female_track": "worker"},
}


def _tables_on_disk() -> dict:
    with open(REPO / "statutes" / "retire-2024.toml", "rb") as fh:
        raw = tomllib.load(fh)
    return {t["id"]: t for t in raw["version"][0]["table"]}


_TABLES = _tables_on_disk()
_AGE_CASES = [(tid, i) for tid in PEOPLE for i in range(len(_TABLES[tid]["rows"]))]
_AGE_IDS = [f"{tid}-{_TABLES[tid]['rows'][i]['birth']}" for tid, i in _AGE_CASES]
_YEAR_CASES = [r["year"] for r in _TABLES["annex-4"]["rows"]]


def _importer():
    spec = importlib.util.spec_from_file_location("import_retirement_tables", REPO / "tools" / "import_retirement_tables.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def _table(law, table_id):
    return law.version("retire-2024", "2024").tables[table_id]


def test_annex_tables_hold_every_row_408_and_15():
    counts = {tid: len(t["rows"]) for tid, t in _TABLES.items()}
    assert counts == {"annex-1": 144, "annex-2": 144, "annex-3": 120, "annex-4": 15}
    assert len(_AGE_CASES) == 408


@pytest.mark.parametrize("table_id,index", _AGE_CASES, ids=_AGE_IDS)
def test_retire_2024_art1_engine_agrees_with_annex_row(law, table_id, index):
    row = _table(law, table_id)["rows"][index]
    person = make_person(category="employee", birth=row["birth"], as_of=AS_OF, **PEOPLE[table_id])
    r = retirement(law, person)
    assert r["rule"] == "2024-reform"
    assert r["original_age"] == {"years": row["original_age"], "months": 0}
    assert r["statutory_age"] == row["new_age"]
    assert r["delay_months"] == row["delay_months"]
    assert r["retirement_month"] == row["retirement_month"]
    assert {"instrument": "retire-2024", "version": "2024", "article": table_id, "table": table_id} in r["citations"]
    assert r["settled"] is True


@pytest.mark.parametrize("year", _YEAR_CASES)
def test_retire_2024_art2_annex4_minimum_contribution_years_by_year_of_retirement(law, year):
    row = next(r for r in _table(law, "annex-4")["rows"] if r["year"] == year)
    # the first man of 附件1 whose statutory retirement month falls in that year
    birth = next(r["birth"] for r in _table(law, "annex-1")["rows"] if r["retirement_month"].startswith(f"{year}-"))
    r = retirement(law, make_person(category="employee", sex="male", birth=birth, as_of=AS_OF))
    assert r["retirement_month"].startswith(f"{year}-")
    assert r["minimum_contribution_years"] == row["minimum_years"]
    assert row["minimum"]["years"] + row["minimum"]["months"] / 12 == row["minimum_years"]
    assert {"instrument": "retire-2024", "version": "2024", "article": "annex-4", "table": "annex-4"} in r["citations"]


def test_annex_tables_equal_the_rows_parsed_from_the_reference(law, reference):
    parsed = _importer().parse_reference(reference / "retirement-age-decision-2024.md")
    shipped = law.version("retire-2024", "2024").tables
    assert [t["id"] for t in parsed] == ["annex-1", "annex-2", "annex-3", "annex-4"]
    for table in parsed:
        assert shipped[table["id"]] == table, table["id"]


def test_every_annex_row_is_printed_in_the_reference_as_shipped(law, reference):
    """Independent of the importer: each row's printed cells occur as one column group of a reference line."""
    text = (reference / "retirement-age-decision-2024.md").read_text(encoding="utf-8")
    groups = set()
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 9:
            groups.add(tuple(cells[0:4]))
            groups.add(tuple(cells[5:9]))

    def printed(month: str) -> str:
        y, m = month.split("-")
        return f"{int(y)}年{int(m)}月"

    missing = []
    blank_rows = 0
    for table_id in PEOPLE:
        for row in _table(law, table_id)["rows"]:
            age = row["new_age_text"] if row["age_printed"] else ""
            delay = str(row["delay_months"]) if row["age_printed"] else ""
            blank_rows += not row["age_printed"]
            cells = (printed(row["birth"]), age, printed(row["retirement_month"]), delay)
            if cells not in groups:
                missing.append((table_id, cells))
    assert missing == []
    data_groups = {g for g in groups if g[0].endswith("月") and "年" in g[0]}
    assert len(data_groups) == 408
    assert blank_rows == 408 - sum(1 for g in data_groups if g[1])


def test_annex_tables_are_as_the_import_script_writes_them(reference):
    importer = _importer()
    target = REPO / "statutes" / "retire-2024.toml"
    assert importer.render(target, reference) == target.read_text(encoding="utf-8")
