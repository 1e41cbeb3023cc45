"""``--reform FILE``: the option the commands share, and the side-by-side output (law | reformed | ≠).

Each command keeps its own parsing and calls one function here when
``--reform`` is given: the overlay is applied (``socins_cli.reform``), the
engine is asked on both laws (``socins_cli.reform_sides``), and the result is
written: JSON as it is (``jsonl``: the same object on one line), CSV/TSV one
row per item, markdown and a terminal table with the two columns, ≠ on every
row that differs, and each difference spelled out below.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from socins_cli.errors import InputError

ReformOption = typer.Option(
    None, "--reform", metavar="FILE",
    help="A reform overlay (TOML, e.g. reforms/*.toml): show the law as it stands and as reformed, side by side, "
         "with each difference. A proposal, not law.")

COLUMNS = {
    "check": ("scheme", "law", "reformed", "differs"),
    "retirement": ("field", "law", "reformed", "differs"),
    "compare": ("scheme", "category", "law", "reformed", "differs"),
    "inequities": ("finding", "law", "reformed", "differs"),
    "timeline": ("date", "scheme", "law", "reformed", "differs"),
}
RETIREMENT_ROWS = ("rule", "track", "statutory_age", "delay_months", "retirement_month", "earliest_flexible_month",
                   "latest_flexible_month", "minimum_contribution_years", "settled", "citations")


def no_batch(reform: Optional[str], input: Optional[str]) -> None:
    """Batch rows with a reform overlay are not supported: say so in one line (exit 2)."""
    if reform is not None and input is not None:
        raise InputError("reform", reform, "cannot be combined with --input: batch mode with a reform overlay is "
                                           "not supported; give one person's options")


def _apply(law, path: str):
    from socins_cli.reform import apply_reform

    return apply_reform(law, path)


# -- one function per command --------------------------------------------------------------------------

def check(law, path: str, person, fmt: str, explain: bool = False, quote: bool = False) -> None:
    from socins_cli.reform_sides import side_by_side_check

    write(side_by_side_check(law, _apply(law, path), person, explain=explain, quote=quote), fmt, "check")


def retirement(law, path: str, person, fmt: str) -> None:
    from socins_cli.reform_sides import side_by_side_retirement

    write(side_by_side_retirement(law, _apply(law, path), person), fmt, "retirement")


def compare(law, path: str, people: list, as_of, fmt: str) -> None:
    from socins_cli.reform_sides import side_by_side_compare

    write(side_by_side_compare(law, _apply(law, path), people, as_of), fmt, "compare")


def inequities(law, path: str, as_of, category, scheme, fmt: str, quote: bool = False) -> None:
    from socins_cli.eligibility import quote_text
    from socins_cli.reform_sides import side_by_side_inequities

    reformed = _apply(law, path)
    result = side_by_side_inequities(law, reformed, as_of, category=category, scheme=scheme)
    if quote:
        for side, which in (("law", law), ("reformed", reformed)):
            for f in result[side]["inequities"]:
                for c in f["citations"]:
                    c["text"] = quote_text(which, c)
    write(result, fmt, "inequities")


def timeline(law, path: str, person, start, end, fmt: str) -> None:
    from socins_cli.reform_sides import side_by_side_timeline

    write(side_by_side_timeline(law, _apply(law, path), person, start, end), fmt, "timeline")


# -- writing ----------------------------------------------------------------------------------------------

def write(result: dict, fmt: str, kind: str) -> None:
    from socins_cli import formats

    if fmt == "json":
        formats.write_json(result)
        return
    if fmt == "jsonl":
        formats.write_json(result, pretty=False)
        return
    rows = ROWS[kind](result)
    columns = COLUMNS[kind]
    if fmt in ("csv", "tsv"):
        formats.write_delimited(rows, columns, delimiter="," if fmt == "csv" else "\t")
        return
    from socins_cli.cli.common import warn

    for line in _new_warnings(result):
        warn(line)
    if fmt == "markdown":
        sys.stdout.write(markdown(result, rows, kind))
    else:
        _rich(result, rows, kind)


def headline(result: dict) -> str:
    r = result["reform"]
    if "reforms" in r:
        return "Reforms " + ", ".join(x["id"] for x in r["reforms"]) + f" — {r['note']}"
    return (f"Reform {r['id']} — {r['title']} — {r['note'].upper()}. Effective {r['effective']}. "
            f"Source: {_source(r['source'])}")


def _source(s: dict) -> str:
    who = "; ".join(s.get("authors", ())) or s.get("paper", "")
    title = s.get("title_en") or s.get("title_zh") or ""
    year = s.get("year") or "n.d."
    return f"{who}, {title} ({year})" + (f", part {s['part']}" if s.get("part") else "")


def _about(kind: str, result: dict) -> str:
    if kind in ("check", "retirement", "timeline"):
        person = result.get("person", {})
        who = ", ".join(f"{k} {v}" for k, v in person.items() if k != "as_of")
        when = f"{result['from']} → {result['to']}" if kind == "timeline" else f"as of {result['as_of']}"
        return f"{who}, {when}"
    if kind == "compare":
        return f"{', '.join(result['categories'])}, as of {result['as_of']}"
    return f"as of {result['as_of']}"


def difference_lines(result: dict) -> list[str]:
    out = []
    for d in result["differences"]:
        about = " / ".join(str(d[k]) for k in ("date", "scheme", "category", "id") if d.get(k) is not None)
        before, after = d["law"], d["reformed"]
        if _is_list(before) and _is_list(after) and before and after:
            # long lists (citations, categories): only what left and what came
            a, b = [_item(x) for x in before], [_item(x) for x in after]
            gone, new = [x for x in a if x not in b], [x for x in b if x not in a]
            parts = ([f"− {'; '.join(gone)}"] if gone else []) + ([f"+ {'; '.join(new)}"] if new else [])
            out.append(f"{about}: {d['field']} " + (" ".join(parts) or "changed (see JSON)"))
            continue
        was, now = short(d["field"], before), short(d["field"], after)
        out.append(f"{about}: {d['field']} " + (f"{was} → {now}" if was != now else "changed (see JSON)"))
    return out


def _is_list(value) -> bool:
    return isinstance(value, list)


def _item(value) -> str:
    return citation(value) if isinstance(value, dict) and "instrument" in value else str(value)


def short(field: str, value) -> str:
    """A value in a few words: citations by label, ages as 63y0m, a timeline change as its status."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and "instrument" in value[0]:
            return "; ".join(citation(c) for c in value)
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        if "years" in value and "months" in value:
            return f"{value['years']}y{value['months']}m"
        if "status" in value:
            return _status(value)
        if field == "in_force":
            return f"{value.get('from') or '…'} – {value.get('to') or ''}".rstrip()
        if field == "value":
            return ", ".join(f"{k} {v}" for k, v in value.items())
        return "(changed; see JSON)"
    return str(value)


def citation(c: dict) -> str:
    from socins_cli.cli.check import citation_label

    label = citation_label(c)
    return label + " (proposal, not law)" if c.get("proposal") else label


def _status(entry: dict | None) -> str:
    if entry is None:
        return "—"
    text = str(entry.get("status"))
    if entry.get("payers"):
        text += f" ({', '.join(entry['payers'])})"
    if not entry.get("settled", True):
        text += " [open]"
    if any(c.get("proposal") for c in entry.get("citations", [])):
        text += " ★"
    return text


def _new_warnings(result: dict) -> list[str]:
    before = set(result["law"].get("warnings", []) if isinstance(result["law"], dict) else [])
    after = result["reformed"].get("warnings", []) if isinstance(result["reformed"], dict) else []
    return [w for w in after if w not in before]


# -- rows per command --------------------------------------------------------------------------------------

def _check_rows(result: dict) -> list[dict]:
    differing = {d["scheme"] for d in result["differences"] if d["field"] != "inequity"}
    rows = [{"scheme": a["scheme"], "law": _status(a), "reformed": _status(b), "differs": a["scheme"] in differing}
            for a, b in zip(result["law"]["schemes"], result["reformed"]["schemes"])]
    a = {f["id"] for f in result["law"]["inequities"]}
    b = {f["id"] for f in result["reformed"]["inequities"]}
    for fid in [*(f["id"] for f in result["law"]["inequities"]),
                *(f["id"] for f in result["reformed"]["inequities"] if f["id"] not in a)]:
        rows.append({"scheme": f"inequity {fid}", "law": "holds" if fid in a else "—",
                     "reformed": "holds" if fid in b else "—", "differs": (fid in a) != (fid in b)})
    return rows


def _retirement_rows(result: dict) -> list[dict]:
    differing = {d["field"] for d in result["differences"]}
    fields = list(RETIREMENT_ROWS) + [f for f in differing if f not in RETIREMENT_ROWS]
    return [{"field": f, "law": short(f, result["law"].get(f)), "reformed": short(f, result["reformed"].get(f)),
             "differs": f in differing} for f in fields]


def _compare_rows(result: dict) -> list[dict]:
    from socins_cli.cli.inequities import cell_text

    differing = {(d["scheme"], d["category"]) for d in result["differences"]}
    rows = []
    for ra, rb in zip(result["law"]["rows"], result["reformed"]["rows"]):
        for ca, cb in zip(ra["by_category"], rb["by_category"]):
            star = " ★" if any(c.get("proposal") for c in cb.get("citations", [])) else ""
            rows.append({"scheme": ra["scheme"], "category": ca["category"], "law": cell_text(ca, ra["scheme"]),
                         "reformed": cell_text(cb, rb["scheme"]) + star,
                         "differs": (ra["scheme"], ca["category"]) in differing})
    return rows


def _inequity_rows(result: dict) -> list[dict]:
    differing = {d["id"] for d in result["differences"]}
    a = {f["id"]: f for f in result["law"]["inequities"]}
    b = {f["id"]: f for f in result["reformed"]["inequities"]}

    def cell(f):
        if f is None:
            return "—"
        return "holds: " + ", ".join(f["categories"]) + ("" if f["settled"] else " [open]")

    return [{"finding": fid, "law": cell(a.get(fid)), "reformed": cell(b.get(fid)), "differs": fid in differing}
            for fid in [*a, *(i for i in b if i not in a)]]


def _timeline_rows(result: dict) -> list[dict]:
    differing = {(d["date"], d["scheme"]) for d in result["differences"]}
    rows = []
    for sa, sb in zip(result["law"]["schemes"], result["reformed"]["schemes"]):
        a = {c["date"]: c for c in sa["changes"]}
        b = {c["date"]: c for c in sb["changes"]}
        for day in sorted(set(a) | set(b)):
            rows.append({"date": day, "scheme": sa["scheme"], "law": _status(a.get(day)),
                         "reformed": _status(b.get(day)), "differs": (day, sa["scheme"]) in differing})
    rows.sort(key=lambda r: r["date"])
    return rows


ROWS = {"check": _check_rows, "retirement": _retirement_rows, "compare": _compare_rows,
        "inequities": _inequity_rows, "timeline": _timeline_rows}
FOOTER = ("≠ marks a row that differs; ★ marks an answer resting on the proposal. The reformed column applies a "
          "proposal from a paper: it is not law.")


# -- markdown and the terminal -------------------------------------------------------------------------------

def markdown(result: dict, rows: list[dict], kind: str) -> str:
    from socins_cli.formats import markdown_table

    columns = COLUMNS[kind]
    body = [[("≠ " if r["differs"] else "") + str(r[columns[0]]), *(r[c] for c in columns[1:-1])] for r in rows]
    out = f"**{headline(result)}**\n\n{_about(kind, result)}\n\n"
    out += markdown_table(list(columns[:-1]), body)
    lines = difference_lines(result)
    out += "\nDifferences:\n\n" + ("".join(f"- {line}\n" for line in lines) if lines else "- none\n")
    return out + f"\n{FOOTER}\n"


def _rich(result: dict, rows: list[dict], kind: str) -> None:
    from socins_cli.cli.render import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    columns = COLUMNS[kind]
    console.print(Text(headline(result), style="bold magenta"))
    console.print(Text(_about(kind, result), style="bold"))
    table = Table(show_lines=False)
    for c in columns[:-1]:
        table.add_column(c)
    table.add_column("≠")
    for r in rows:
        style = "bold yellow" if r["differs"] else ""
        table.add_row(*(Text(str(r[c]), style=style) for c in columns[:-1]), Text("≠" if r["differs"] else "", style=style))
    console.print(table)
    lines = difference_lines(result)
    console.print(Text("Differences:" if lines else "Differences: none", style="bold"))
    for line in lines:
        console.print(Text("  " + line))
    console.print(Text(FOOTER, style="dim"))
