"""Every category × every scheme, on both sides of every date on which the answer changes.

The expected answers are written out as a table, era by era: a base table for
the Social Insurance Law as first in force, then what each later date changes.
Cells read ``STATUS:PAYERS`` with a trailing ``?`` where ``settled`` is false:
M mandatory, V voluntary, P pilot, N not-eligible; e employer, i individual,
p platform, g government, c collective.
"""

from __future__ import annotations

import datetime as dt

import pytest

from eligibility_support import PEOPLE, run
from socins_cli.engines.eligibility import SCHEMES

STATUS = {"M": "mandatory", "V": "voluntary", "P": "pilot", "N": "not-eligible"}
PAYER = {"e": "employer", "i": "individual", "p": "platform", "g": "government", "c": "collective"}

# columns: employee-pension, resident-pension, public-sector-pension, employee-medical,
#          resident-medical, work-injury, unemployment, maternity, occupational-injury
FLEX = "V:i V:igc? N V:i V:ig? N N N? N"
EMPLOYEE = "M:ei N N M:ei N M:e M:ei M:e N"
# Resident pension: arts. 20 and 22 set up the schemes without saying who may join; the exclusion of those in
# employee pension and of state staff is first stated in a held text by the 2014 opinion (from 2014-12-31).
# Resident medical likewise (arts. 24, 25) until the 2016 opinion's coverage rule, as 人民网 reports it (2016-01-12).
EMPLOYEE_BEFORE_2014 = "M:ei N? N M:ei N? M:e M:ei M:e N"

#: 2011-07-01: the Social Insurance Law (arts. 10, 12, 20-25, 33, 44, 53; 工伤保险条例 art. 65 for civil servants).
SIL = {
    "employee": EMPLOYEE_BEFORE_2014,
    # Public-sector pension: sil 10 para 3 only delegates; until the 2015 reform no scheme to join (open).
    "civil-servant": "N N? N? M:ei? N? N N? M:e? N",
    # The contribution regulation in force since 1999 is held only in its 2019 text: whether a province could bring
    # 城镇个体工商户 into pension and medical collection before 2019-03-24 cannot be checked (open, as after).
    "self-employed": "V:i? V:igc? N V:i? V:ig? N N N? N",
    # Not given whether the part-time worker has an employer (LCL art. 68): work injury and unemployment open.
    "part-time": "V:i V:igc? N V:i V:ig? N? N? N? N",
    "flexible": FLEX,
    "platform-labor": EMPLOYEE_BEFORE_2014,
    "platform-incomplete": FLEX,
    "platform-civil": FLEX,
    "resident": "N V:igc N N V:ig N N N N",
}

#: Before 2011-07-01: only the earlier texts socins holds speak, and nothing is settled (medical and maternity
#: from the Labour Law's art. 72, which names no payer of maternity contributions).
BEFORE_SIL = {
    "employee": "M:ei? N? N? M:? N? M:e? M:ei? M:? N?",
    "civil-servant": "N? N? N? N? N? N? N? N? N?",
    "self-employed": "M:i? N? N? N? N? N? N? N? N?",
    "part-time": "M:i? N? N? N? N? N? N? N? N?",
    "flexible": "M:i? N? N? N? N? N? N? N? N?",
    "platform-labor": "M:ei? N? N? M:? N? M:e? M:ei? M:? N?",
    "platform-incomplete": "M:i? N? N? N? N? N? N? N? N?",
    "platform-civil": "M:i? N? N? N? N? N? N? N? N?",
    "resident": "N? N? N? N? N? N? N? N? N?",
}

#: What changes on each later date (scheme: cell), for the people of eligibility_support.PEOPLE
#: (platform workers in 北京, 外卖, 美团).
CHANGES = [
    ("2014-10-01", {  # the State Council's public-sector pension reform (国发〔2015〕2号; date unconfirmed: unsettled)
        "civil-servant": {"public-sector-pension": "M:ei?"},
    }),
    ("2014-12-31", {  # the resident-pension opinion (国发〔2014〕8号): 不属于职工基本养老保险制度覆盖范围, 非国家机关…工作人员
        "employee": {"resident-pension": "N"},
        "platform-labor": {"resident-pension": "N"},
        "civil-servant": {"resident-pension": "N"},
    }),
    ("2016-01-12", {  # the resident-medical opinion (国发〔2016〕3号): 覆盖除职工基本医疗保险应参保人员以外的…城乡居民
        "employee": {"resident-medical": "N"},
        "platform-labor": {"resident-medical": "N"},
    }),
    ("2019-03-24", {  # the contribution regulation as revised: 国家机关及其工作人员 in the medical scope (art. 3 para 2)
        "civil-servant": {"employee-medical": "M:ei"},
    }),
    ("2022-07-01", {  # the occupational-injury pilot begins (summary-only sources: unsettled)
        "platform-incomplete": {"occupational-injury": "P:p?"},
        "platform-civil": {"occupational-injury": "P:p?"},
        "platform-labor": {"occupational-injury": "N?"},
    }),
    ("2027-01-01", {  # the Medical Security Law (civil servants may enjoy 国家其他医疗保障, art. 11: open again)
        "civil-servant": {"resident-medical": "N", "employee-medical": "M:ei?"},
        "self-employed": {"resident-medical": "M:ig"},
        "part-time": {"resident-medical": "M:ig"},
        "flexible": {"resident-medical": "M:ig"},
        "platform-incomplete": {"resident-medical": "M:ig"},
        "platform-civil": {"resident-medical": "M:ig"},
        "resident": {"resident-medical": "M:ig"},
    }),
]

#: Each date on which something changes, and the day before it.
EDGES = ["2011-07-01", "2014-10-01", "2014-12-31", "2016-01-12", "2018-12-29", "2019-03-24", "2019-03-25", "2021-07-16", "2022-07-01", "2025-01-07", "2025-07-01",
         "2026-01-01", "2027-01-01"]
DAYS = sorted({d for e in EDGES for d in (e, (dt.date.fromisoformat(e) - dt.timedelta(days=1)).isoformat())})


def expected(who: str, day: str) -> dict:
    if day < "2011-07-01":
        row = BEFORE_SIL[who]
    else:
        row = SIL[who]
    cells = dict(zip(SCHEMES, row.split()))
    if day >= "2011-07-01":
        for start, change in CHANGES:
            if day >= start:
                cells.update(change.get(who, {}))
    return cells


def cell(entry: dict) -> str:
    code = {v: k for k, v in STATUS.items()}[entry["status"]]
    if entry["payers"] or entry["status"] in ("mandatory", "voluntary", "pilot"):
        code += ":" + "".join({v: k for k, v in PAYER.items()}[p] for p in entry["payers"])
    return code + ("" if entry["settled"] else "?")


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_every_category_every_scheme_on_both_sides_of_each_date(law, who, day):
    got = {s["scheme"]: cell(s) for s in run(law, day, **PEOPLE[who])["schemes"]}
    assert got == expected(who, day)


def test_the_matrix_is_not_one_answer_everywhere(law):
    """A check that said voluntary everywhere, or never unsettled, would fail the table above."""
    cells = {c for who in PEOPLE for day in DAYS for c in expected(who, day).values()}
    assert {"M:ei", "V:i", "N", "P:p?", "N?", "M:ig"} <= cells
    assert any(c.endswith("?") for c in cells) and any(not c.endswith("?") for c in cells)
