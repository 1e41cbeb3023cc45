"""Write the four annex tables of the 2024 retirement measures into ``statutes/retire-2024.toml``.

    python tools/import_retirement_tables.py [--check] [--reference-dir ../shared/reference/texts]

The rows are read from the reference text (``retirement-age-decision-2024.md``),
never computed from 办法 第一条: the tables are the law's own statement of
the result, and the retirement engine is tested against them row by row.

The reference keeps the printed layout flattened: each printed page of a
table is one line of nine pipe-separated cells per row, two column groups
side by side with an empty cell between them; a blank 改革后法定退休年龄 /
延迟月数 cell means "the same as the row above in that column group". Rows
are written in birth order (left group of a page, then its right group),
the blank cells filled and flagged ``age_printed = false``.

Everything in the file after the marker line is rewritten; everything before
it (metadata, articles) is kept as written. ``--check`` writes nothing and
exits 1 when the file is not what the tool would write.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import default_reference_dir, reference_dir_or_exit  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE_DIR = default_reference_dir(REPO)
REFERENCE = "retirement-age-decision-2024.md"
TARGET = REPO / "statutes" / "retire-2024.toml"
MARKER = "# ---- annex tables: written by tools/import_retirement_tables.py from the reference; do not edit below ----"

_ANNEX_RE = re.compile(r"^附件(\d+):$")
_MONTH_RE = re.compile(r"^(\d{4})年(\d{1,2})月$")
_AGE_RE = re.compile(r"^(\d+)岁(?:(\d+)个月)?$")
_YEAR_RE = re.compile(r"^(\d{4})年$")
_MIN_RE = re.compile(r"^(\d+)年(?:\+(\d+)个月)?$")
AGE_COLUMNS = ("出生时间", "改革后法定退休年龄", "改革后退休时间", "延迟月数")
#: The row field each printed column shows (``socins show retire-2024 annex-1`` prints them under the columns).
AGE_CELLS = ("birth", "new_age_text", "retirement_month", "delay_months")
MINIMUM_CELLS = ("year", "minimum_text")


def month_of(text: str) -> str:
    m = _MONTH_RE.match(text)
    if not m:
        raise ValueError(f"not a printed month: {text!r}")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def age_of(text: str) -> dict:
    m = _AGE_RE.match(text)
    if not m:
        raise ValueError(f"not a printed age: {text!r}")
    return {"years": int(m.group(1)), "months": int(m.group(2) or 0)}


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def annex_blocks(lines: list[str]) -> dict[str, list[str]]:
    """The non-blank lines under each ``附件N:`` heading, keyed ``annex-N``."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in lines:
        m = _ANNEX_RE.match(line.strip())
        if m:
            current = f"annex-{m.group(1)}"
            blocks[current] = []
        elif current is not None and line.strip():
            blocks[current].append(line.rstrip("\n"))
    return blocks


def parse_age_table(table_id: str, lines: list[str]) -> dict:
    """One of annexes 1-3: title, the step heading, and every row in birth order."""
    title = lines[0].strip()
    headings = set()
    rows: list[dict] = []
    page: list[list[str]] = []

    def flush():
        for group in (0, 1):
            above = None
            for raw in page:
                part = raw[group * 5: group * 5 + 4]
                if not any(part):
                    continue
                birth_text, age_text, retire_text, delay_text = part
                printed = bool(age_text)
                if printed != bool(delay_text):
                    raise ValueError(f"{table_id}: age and delay cells not both printed or both blank: {raw}")
                if not printed:
                    if above is None:
                        raise ValueError(f"{table_id}: blank cells with no row above: {raw}")
                    age_text, delay_text = above
                above = (age_text, delay_text)
                new_age = age_of(age_text)
                delay = int(delay_text)
                total = new_age["years"] * 12 + new_age["months"] - delay
                if total % 12:
                    raise ValueError(f"{table_id}: {age_text} less {delay} months is not a whole age in years")
                rows.append({
                    "birth": month_of(birth_text),
                    "original_age": total // 12,
                    "new_age": new_age,
                    "retirement_month": month_of(retire_text),
                    "delay_months": delay,
                    "new_age_text": age_text,
                    "age_printed": printed,
                })
        page.clear()

    for line in lines[1:]:
        row = cells(line)
        if row[0].startswith("延迟法定退休年龄"):
            if len(row) != 3 or row[1] != "":
                raise ValueError(f"{table_id}: expected a heading over two column groups: {line!r}")
            flush()
            headings.update(c for c in row if c)
            continue
        if len(row) != 9 or row[4] != "":
            raise ValueError(f"{table_id}: expected two column groups of four cells: {line!r}")
        if tuple(row[0:4]) == AGE_COLUMNS:
            continue
        page.append(row)
    flush()
    if len(headings) != 1:
        raise ValueError(f"{table_id}: expected one step heading, found {sorted(headings)}")
    originals = {r["original_age"] for r in rows}
    if len(originals) != 1:
        raise ValueError(f"{table_id}: original ages differ between rows: {sorted(originals)}")
    return {
        "id": table_id,
        "title": title,
        "heading": headings.pop(),
        "columns": list(AGE_COLUMNS),
        "cells": list(AGE_CELLS),
        "original_age": originals.pop(),
        "rows": rows,
    }


def parse_minimum_table(table_id: str, lines: list[str]) -> dict:
    """Annex 4: the minimum contribution years of each calendar year."""
    title = lines[0].strip()
    columns = cells(lines[1])
    rows = []
    for line in lines[2:]:
        year_text, minimum_text = cells(line)
        y = _YEAR_RE.match(year_text)
        m = _MIN_RE.match(minimum_text)
        if not (y and m):
            raise ValueError(f"{table_id}: unexpected row {line!r}")
        years, months = int(m.group(1)), int(m.group(2) or 0)
        value = years + months / 12
        rows.append({
            "year": int(y.group(1)),
            "minimum": {"years": years, "months": months},
            "minimum_years": int(value) if value == int(value) else value,
            "minimum_text": minimum_text,
        })
    return {"id": table_id, "title": title, "columns": columns, "cells": list(MINIMUM_CELLS), "rows": rows}


def parse_reference(path: Path) -> list[dict]:
    """All four annex tables of the reference, in order."""
    blocks = annex_blocks(path.read_text(encoding="utf-8").split("\n"))
    expected = ["annex-1", "annex-2", "annex-3", "annex-4"]
    if list(blocks) != expected:
        raise ValueError(f"{path.name}: expected annexes {expected}, found {list(blocks)}")
    tables = [parse_age_table(t, blocks[t]) for t in expected[:3]]
    tables.append(parse_minimum_table("annex-4", blocks["annex-4"]))
    return tables


# -- TOML --------------------------------------------------------------------

def _str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v).__name__)


def format_tables(tables: list[dict]) -> str:
    out = [MARKER]
    for t in tables:
        out += ["", "[[version.table]]"]
        for key, value in t.items():
            if key == "rows":
                continue
            out.append(f"{key} = {_value(value)}")
        out.append("rows = [")
        out += [f"  {_value(r)}," for r in t["rows"]]
        out.append("]")
    return "\n".join(out) + "\n"


def render(target: Path, reference_dir: Path) -> str:
    text = target.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0].rstrip("\n") + "\n\n"
    return head + format_tables(parse_reference(reference_dir / REFERENCE))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE_DIR)
    ap.add_argument("--target", type=Path, default=TARGET)
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    args = ap.parse_args(argv)
    reference_dir_or_exit(args.reference_dir, "import_retirement_tables.py")
    text = render(args.target, args.reference_dir)
    if args.target.read_text(encoding="utf-8") == text:
        return 0
    if args.check:
        print(f"{args.target}: annex tables are not as read from the reference", file=sys.stderr)
        return 1
    args.target.write_text(text, encoding="utf-8")
    counts = ", ".join(f"{t['id']}: {len(t['rows'])} rows" for t in parse_reference(args.reference_dir / REFERENCE))
    print(f"{args.target}: written ({counts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
