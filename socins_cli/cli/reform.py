"""``--reform FILE``: the option the commands share, and the side-by-side output (law | reformed | ≠).

Each command keeps its own parsing; with ``--reform`` the Python API
(``socins_cli.api``) applies the overlay (``socins_cli.engines.reform``) and asks the
engine on both laws (``socins_cli.engines.reform_sides``), and ``write`` here writes
the result: JSON as it is (``jsonl``: the same object on one line), CSV/TSV one
row per item, markdown and a terminal table with the two columns, ≠ on every
row that differs, and each difference spelled out below.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from socins_cli.errors import InputError

ReformOption = typer.Option(
    None, "--reform", metavar="FILE|ID",
    help="A reform overlay (a TOML file, or the id of a shipped one: socins reforms): show the law as it stands and "
         "as reformed, side by side, with each difference. Repeat to apply several in order. A proposal, not law.")

COLUMNS = {
    "check": ("scheme", "law", "reformed", "differs"),
    "retirement": ("field", "law", "reformed", "differs"),
    "compare": ("scheme", "category", "law", "reformed", "differs"),
    "inequities": ("finding", "law", "reformed", "differs"),
    "timeline": ("date", "scheme", "law", "reformed", "differs"),
}
RETIREMENT_ROWS = ("rule", "track", "statutory_age", "delay_months", "retirement_month", "earliest_flexible_month",
                   "latest_flexible_month", "minimum_contribution_years", "settled", "citations")


def no_batch(reform, input: Optional[str]) -> None:
    """Batch rows with a reform overlay are not supported: say so in one line (exit 2)."""
    if reform and input is not None:
        raise InputError("reform", ", ".join(reform), "cannot be combined with --input: batch mode with a reform overlay is "
                                           "not supported; give one person's options")


# -- writing ----------------------------------------------------------------------------------------------

def write(result: dict, fmt: str, kind: str) -> None:
    from socins_cli import formats
    from socins_cli.cli.common import warn
    from socins_cli.engines.reform_sides import overlap_warnings

    for line in overlap_warnings(result["reform"]):
        warn(line)
    if fmt == "json":
        formats.write_json(result)
        return
    if fmt == "jsonl":
        formats.write_json(result, pretty=False)
        return
    rows = ROWS[kind](result)
    columns = COLUMNS[kind]
    if fmt in ("csv", "tsv"):
        # Every row says which proposal its reformed cell applies, and that it is not law: a CSV has no headline.
        proposal = _proposal_cell(result)
        formats.write_delimited(({**r, "reform": proposal} for r in rows), (*columns, "reform"),
                                delimiter=formats.DELIMITERS[fmt])
        return
    for line in _new_warnings(result):
        warn(line)
    if fmt == "markdown":
        sys.stdout.write(markdown(result, rows, kind))
    else:
        _rich(result, rows, kind)


def _proposal_cell(result: dict) -> str:
    """``han-… (proposal, not law)``: the overlay (or overlays, in order) a reformed column applies."""
    return "; ".join(x["id"] for x in result["reform"]["reforms"]) + " (proposal, not law)"


def headline(result: dict) -> str:
    r = result["reform"]
    if len(r["reforms"]) > 1:
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
        who = ", ".join(k if v is True else f"{k} {v}" for k, v in person.items() if k != "as_of")
        when = f"{result['from']} → {result['to']}" if kind == "timeline" else f"as of {result['as_of']}"
        return f"{who}, {when}"
    if kind == "compare":
        return f"{', '.join(result['categories'])}, as of {result['as_of']}"
    income = f", monthly income {result['income']} yuan" if "income" in result else ""
    return f"as of {result['as_of']}{income}"


def difference_lines(result: dict) -> list[str]:
    out = []
    for d in result["differences"]:
        about = " / ".join(str(d[k]) for k in ("date", "scheme", "category", "id") if d.get(k) is not None)
        about = f"{about}: " if about else ""  # a retirement difference names only its field
        out.append(f"{about}{d['field']} " + (_change(d["field"], d["law"], d["reformed"]) or "changed (see JSON)"))
    return out


def _change(field: str, before, after) -> str:
    """One difference in words: of a long list (citations, categories) only what left and what came, of a finding's
    details which parts or entries went, else the value before and after; "" where the words cannot tell them apart."""
    if _is_list(before) and _is_list(after) and before and after:
        return _gone_and_new([_item(x) for x in before], [_item(x) for x in after], "; ")
    if isinstance(before, dict) and isinstance(after, dict):
        return "; ".join(_detail_changes(before, after))
    was, now = short(field, before), short(field, after)
    return f"{was} → {now}" if was != now else ""


def _gone_and_new(a: list[str], b: list[str], joint: str) -> str:
    gone, new = [x for x in a if x not in b], [x for x in b if x not in a]
    return " ".join(([f"− {joint.join(gone)}"] if gone else []) + ([f"+ {joint.join(new)}"] if new else []))


def _detail_label(entry) -> str:
    """An entry of a finding's details in a few words: a part by its id (and the value that ends it), a citation by
    its label; never Python's repr."""
    if not isinstance(entry, dict):
        return str(entry)
    if "instrument" in entry:
        return _item(entry)
    ended = entry.get("ended_by")
    if isinstance(ended, dict) and "parameter" in ended:
        unit = f" {ended['unit']}" if ended.get("unit") else ""
        since = f" from {ended['from']}" if ended.get("from") else ""
        return f"{entry.get('id', '?')} (ended: {ended['parameter']} = {ended.get('value')}{unit}{since})"
    return str(entry.get("id", "(entry)"))


def _detail_changes(before: dict, after: dict) -> list[str]:
    """What changed in a finding's details, by key: the parts that end or come by their ids, other entries by label."""
    out = []
    for key in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(key) or [], after.get(key) or []
        if a == b:
            continue
        if not (_is_list(a) and _is_list(b)):
            out.append(f"{key} changed (see JSON)")
            continue
        change = _gone_and_new([_detail_label(x) for x in a], [_detail_label(x) for x in b], ", ")
        out.append(f"{key} " + (change or "changed (see JSON)"))
    return out


def side_lines(result: dict, kind: str) -> list[str]:
    """What a side of ``compare --reform`` says beyond its cells, as its table without ``--reform`` shows it: the rows
    where the categories differ with the findings they link, and the notes (what was assumed where the options did
    not say), each once, named by the side that says it."""
    if kind in ("check", "retirement"):
        return _note_lines(result, kind)
    if kind != "compare":
        return []
    out = []
    said: dict = {}
    for side in ("law", "reformed"):
        body = result[side]
        rows = [row["scheme"] + (f" ({', '.join(row['findings'])})" if row.get("findings") else "")
                for row in body["rows"] if row.get("differs")]
        out.append(f"Categories differ ({side}): " + ("; ".join(rows) or "nowhere"))
        notes = [*body.get("notes", ()), *(f"{row['scheme']}: {n}" for row in body["rows"] for n in row.get("notes", ()))]
        for note in notes:
            said.setdefault(note, []).append(side)
    out += [f"Note ({'both' if len(sides) == 2 else sides[0]}): {note}" for note, sides in said.items()]
    return out


def _note_lines(result: dict, kind: str) -> list[str]:
    """The notes of ``check --reform`` and ``retirement --reform`` where the sides differ, named by the side that says
    them: why a reformed answer is open (a proposal's reading, a month before the overlay's date) is in its notes,
    which the cells show only as [open] or settled no."""
    if kind == "retirement":
        said = {side: list(result[side].get("notes") or ()) for side in ("law", "reformed")}
    else:
        differing = {d["scheme"] for d in result["differences"]}
        said = {side: [f"{s['scheme']}: {s['notes']}" for s in result[side].get("schemes", ())
                       if s["scheme"] in differing and s.get("notes")] for side in ("law", "reformed")}
    return [f"Note ({side}): {note}" for side, other in (("law", "reformed"), ("reformed", "law"))
            for note in said[side] if note not in said[other]]


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
        return ", ".join(short(field, v) if isinstance(v, dict) else str(v) for v in value) or "—"
    if isinstance(value, dict):
        return _short_dict(field, value)
    return str(value)


def _short_dict(field: str, value: dict) -> str:
    if "years" in value and "months" in value:
        return f"{value['years']}y{value['months']}m"
    if "status" in value:
        return _status(value)
    if field == "in_force":
        return f"{value.get('from') or '…'} – {value.get('to') or ''}".rstrip()
    if field == "value":
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if "track" in value and "retirement_month" in value:  # a retirement reading (an alternative track)
        return f"{value['track']} {short('statutory_age', value.get('statutory_age'))} {value['retirement_month']}"
    return "(changed; see JSON)"


def citation(c: dict) -> str:
    from socins_cli.law.model import citation_label

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
    """Each side's warnings, once: the law's, then those the reformed side adds (its proposal's own sources)."""
    before = result["law"].get("warnings", []) if isinstance(result["law"], dict) else []
    after = result["reformed"].get("warnings", []) if isinstance(result["reformed"], dict) else []
    return list(dict.fromkeys([*before, *after]))


# -- rows per command --------------------------------------------------------------------------------------

def _check_rows(result: dict) -> list[dict]:
    differing = {d["scheme"] for d in result["differences"] if d["field"] != "inequity"}
    rows = [{"scheme": a["scheme"], "law": _status(a), "reformed": _status(b), "differs": a["scheme"] in differing}
            for a, b in zip(result["law"]["schemes"], result["reformed"]["schemes"])]
    ages = result.get("retirement")
    if ages is not None:
        rows.append({"scheme": "retirement age", "law": _age(ages["law"]), "reformed": _age(ages["reformed"]),
                     "differs": bool(ages["differs"])})
    a = {f["id"] for f in result["law"]["inequities"]}
    b = {f["id"] for f in result["reformed"]["inequities"]}
    # as the differences say it: holds, absent, or open (it holds only because an answer is open)
    presence = {d["id"]: (d["law"], d["reformed"]) for d in result["differences"] if d["field"] == "inequity"}
    narrowed = {d["id"] for d in result["differences"] if d["field"] == "inequity parts"}
    for fid in [*(f["id"] for f in result["law"]["inequities"]),
                *(f["id"] for f in result["reformed"]["inequities"] if f["id"] not in a)]:
        law, reformed = presence.get(fid, ("holds" if fid in a else "absent", "holds" if fid in b else "absent"))
        if fid in narrowed:
            reformed += " (fewer parts)"
        rows.append({"scheme": f"inequity {fid}", "law": law.replace("absent", "—"),
                     "reformed": reformed.replace("absent", "—"), "differs": fid in presence or fid in narrowed})
    return rows


def _age(side: dict) -> str:
    """A retirement answer in a cell: age, month and track."""
    text = f"{short('statutory_age', side.get('statutory_age'))} ({side.get('retirement_month')}, {side.get('track')})"
    return text + ("" if side.get("settled", True) else " [open]") + (" ★" if side.get("proposal") else "")


def _retirement_rows(result: dict) -> list[dict]:
    differing = list(dict.fromkeys(d["field"] for d in result["differences"]))  # in the differences' order
    fields = list(RETIREMENT_ROWS) + [f for f in differing if f not in RETIREMENT_ROWS]
    # ★ as in check's rows: a reformed value that differs rests on the proposal where the answer cites it
    star = " ★" if any(c.get("proposal") for c in result["reformed"].get("citations") or ()) else ""
    return [{"field": f, "law": short(f, result["law"].get(f)),
             "reformed": short(f, result["reformed"].get(f)) + (star if f in differing else ""),
             "differs": f in differing} for f in fields]


def _compare_rows(result: dict) -> list[dict]:
    from socins_cli.cli.cells import cell_text

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
    sides = side_lines(result, kind)
    out += ("\nEach side:\n\n" + "".join(f"- {line}\n" for line in sides)) if sides else ""
    out += "".join(f"\n{note}\n" for note in result.get("notes", ()))
    return out + f"\n{FOOTER}\n"


def _rich(result: dict, rows: list[dict], kind: str) -> None:
    from rich.text import Text

    from socins_cli.cli import layout

    console = layout.make_console()
    columns = COLUMNS[kind]
    layout.print_prose(console, Text(headline(result), style="bold magenta"))
    layout.print_prose(console, Text(_about(kind, result), style="bold"))
    keys = {columns[0], "category", "date", "scheme"}
    table_columns = [layout.Column(c, words=c not in keys) for c in columns[:-1]] + [layout.Column("≠")]
    cells = []
    for r in rows:
        style = "bold yellow" if r["differs"] else ""
        cells.append([*(Text(str(r[c]), style=style) for c in columns[:-1]),
                      Text("≠" if r["differs"] else "", style=style)])
    layout.fit_table(console, table_columns, cells)
    lines = difference_lines(result)
    console.print(Text("Differences:" if lines else "Differences: none", style="bold"))
    for line in lines:
        layout.print_prose(console, Text("  " + line))
    sides = side_lines(result, kind)
    if sides:
        console.print(Text("Each side:", style="bold"))
    for line in sides:
        layout.print_prose(console, Text("  " + line))
    for note in result.get("notes", ()):
        layout.print_prose(console, Text(note, style="bold"))
    layout.print_prose(console, Text(FOOTER, style="dim"))
