"""``socins inequities`` and ``socins compare``: the inequity findings, and categories side by side.

Thin wrappers over ``socins_cli.engines.inequities``. The markdown of ``inequities``
is a memo-ready table whose evidence is footnoted ([^n], one note per
distinct citation), so a researcher can paste it into a paper; ``--quote``
adds each cited article's words under its note (or under each finding in a
table). Rich is imported only when a table is printed.
"""

import sys
from typing import List, Optional

import typer

from socins_cli.cli.cells import cell_text
from socins_cli.cli.common import (AsOfOption, FormatOption, IncomeOption, echo_warnings, get_law, resolve_format,
                                   shown_in)
from socins_cli.cli.reform import ReformOption
from socins_cli.law.model import citation_label, is_part

__all__ = ["inequities_command", "compare_command"]

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
FINDING_COLUMNS = ("id", "scheme", "categories", "compared_with", "settled", "in_force_from", "in_force_to",
                   "summary", "summary_en", "computed", "citations", "notes")
COMPARE_COLUMNS = ("scheme", "category", "status", "payers", "value", "settled", "differs", "findings", "citations")
SIDE_LABELS = {"category": "category", "compared_with": "employee", "evidence": "further evidence"}


# -- socins inequities -------------------------------------------------------------------------------

def inequities_command(
    as_of: Optional[str] = AsOfOption,
    category: Optional[str] = typer.Option(
        None, "--category",
        help="Only findings concerning this category (self-employed, part-time, flexible, platform, "
             "platform:incomplete, ...); employee gives them all."),
    scheme: Optional[str] = typer.Option(
        None, "--scheme",
        help="Only findings on this scheme id or topic (retirement-age, contribution-rate, definitions, registration)."),
    fmt: Optional[str] = FormatOption,
    quote: bool = typer.Option(False, "--quote", help="Print the text of every cited article (or fact) under its finding."),
    income: Optional[str] = IncomeOption,
    reform: Optional[List[str]] = ReformOption,
) -> None:
    """The inequity findings that hold on a date, each with its evidence on both sides and the dates it holds between."""
    from socins_cli import api, formats

    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    shown_in(fmt, ("json", "jsonl") if reform else ("table", "json", "jsonl", "markdown"), quote=quote)
    result = api.inequities(as_of=as_of, category=category, scheme=scheme, quote=quote, income=income, reform=reform, law=law)
    if reform:
        from socins_cli.cli import reform as reform_cli

        return reform_cli.write(result, fmt, "inequities")
    echo_warnings(result)
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl({"as_of": result["as_of"], **f} for f in result["inequities"])
    elif fmt in ("csv", "tsv"):
        formats.write_delimited((_finding_row(f) for f in result["inequities"]), FINDING_COLUMNS,
                                delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(findings_markdown(law, result, quote))
    else:
        _findings_table(result, quote)


def _span(f: dict) -> str:
    span = f["in_force"]
    return f"{span['from'] or '…'} – {span['to'] or ''}".rstrip()


def computed(f: dict) -> str:
    """The figure a finding computes, in words: a ratio of two rates, or the retirement ages compared."""
    d = f.get("details", {})
    if "ratio" in d:
        num, den = d["numerator"], d["denominator"]
        return (f"{num['parameter']} {num['value']:g} / {den['parameter']} {den['value']:g} = {d['ratio']:g} "
                f"(values from {num['from']} and {den['from']})")
    ages: dict = {}  # the same comparison said once, with the categories it holds for
    for spec, by in d.get("by_category", {}).items():
        mine, theirs = (by.get("category") or {}), (by.get("compared_with") or {})
        if mine.get("statutory_age") and theirs.get("statutory_age"):
            text = (f"{_age(mine['statutory_age'])} vs {f['compared_with']} {_age(theirs['statutory_age'])}"
                    f" (born {mine.get('birth')})")
            ages.setdefault(text, []).append(spec)
    return "; ".join(f"{', '.join(specs)} {text}" for text, specs in ages.items())


def _age(age: dict) -> str:
    return f"{age['years']}y{age['months']}m"


def _finding_row(f: dict) -> dict:
    return {
        "id": f["id"], "scheme": f["scheme"], "categories": f["categories"], "compared_with": f["compared_with"],
        "settled": f["settled"], "in_force_from": f["in_force"]["from"], "in_force_to": f["in_force"]["to"],
        "summary": f["summary"], "summary_en": f["summary_en"], "computed": computed(f),
        "citations": [f"{SIDE_LABELS.get(c['side'], c['side'])}: {citation_label(c)}" for c in f["citations"]],
        "notes": f.get("notes", []),
    }


def _where_in(version, c: dict) -> list[str]:
    """Where in the instrument a citation points: the article as printed, paragraph, table or fact."""
    where = []
    if "article" in c and not is_part(c):
        art = version.article(c["article"]) if version else None
        label = art.label if art and art.label else c["article"]
        where.append(label if label != c["article"] else f"part {label}")
    if "paragraph" in c:
        where.append(f"para {c['paragraph']}")
    if "table" in c:
        where.append(f"table {c['table']}")
    if "fact" in c:
        where.append(f"fact {c['fact']} — not statute text")
    return where


def _document_numbers(inst, version) -> str:
    """（国务院令第375号） for a regulation or notice; for a version an amending decision made, the original's
    number and the decision (its number where known), as Chinese compilations head a revised regulation."""
    number = inst.document_number if inst else None
    if not number:  # a law: its title names the amendment (2018年修正), and it bears no document number
        return ""
    amended = version.amended_by if version else None
    if not amended:
        return f"（{number}）"
    by = amended.get("document_number") or f"《{amended['title_zh']}》"
    return f"（{number}公布，根据{by}修订）"


def footnote_text(law, c: dict) -> str:
    """A full reference for a memo: title, document number, version, article as printed, paragraph, caveats."""
    inst = law.instruments.get(c["instrument"])
    version = law.version(c["instrument"], c["version"]) if inst else None
    title = (version.title_zh if version and version.title_zh else inst.title_zh) if inst else c["instrument"]
    parts = [f"《{title}》" + _document_numbers(inst, version)]
    where = _where_in(version, c)
    if where:
        parts.append(", ".join(where))
    detail = f"socins: {citation_label(c)}"
    if version:
        first, last = version.marked_span  # ``?`` on an inferred day
        detail += f"; this version in force from {first}" + (f" to {last}" if last else "")
    caveats = [x for x in (c.get("completeness"), c.get("confidence") and f"confidence {c['confidence']}",
                           c.get("fact_confidence") and f"this fact's source: confidence {c['fact_confidence']}")
               if x]
    if caveats:
        detail += "; " + ", ".join(caveats)
    return ", ".join(parts) + f" ({detail})."


def findings_markdown(law, result: dict, quote: bool = False) -> str:
    """A memo-ready table of the findings, evidence footnoted once per distinct citation, then the papers."""
    from socins_cli.formats import markdown_table

    notes: dict = {}  # citation key -> footnote number

    def mark(c: dict) -> str:
        key = tuple(sorted((k, str(v)) for k, v in c.items() if k not in ("side", "categories", "text")))
        if key not in notes:
            notes[key] = (len(notes) + 1, c)
        return f"[^{notes[key][0]}]"

    papers: dict = {}
    rows = [_memo_row(i, f, mark, papers) for i, f in enumerate(result["inequities"], start=1)]
    out = [f"**Inequity findings: the law as in force on {result['as_of']}** "
           f"(each category compared with employees, 职工)\n\n"]
    if not rows:
        out.append("No finding holds on this date.\n")
        return "".join(out)
    out.append(markdown_table(["#", "finding", "scheme / topic", "categories", "holds", "settled",
                               "evidence", "scholarship"], rows))
    open_notes = [(i, n) for i, f in enumerate(result["inequities"], start=1) for n in f.get("notes", [])
                  if not f["settled"]]
    if open_notes:
        out.append("\nOpen points:\n\n" + "".join(f"- ({i}) {n}\n" for i, n in open_notes))
    out.append("\n")
    _append_footnotes(out, law, notes, papers, quote)
    return "".join(out)


def _memo_row(i: int, f: dict, mark, papers: dict) -> list:
    """One finding's memo row: its summary, scheme, categories, span, settledness, footnoted evidence, scholarship."""
    sides = []
    for side in ("category", "compared_with", "evidence"):
        marks = "".join(mark(c) for c in f["citations"] if c["side"] == side)
        if marks:
            sides.append(f"{SIDE_LABELS[side]}: {marks}")
    lit = []
    for p in f.get("papers", []):
        papers.setdefault(p["key"], p)
        author = p["authors"][0].split(" (")[0] if p["authors"] else p["key"]
        lit.append(f"{author} {p.get('year') or 'n.d.'}" + (f", {p['part']}" if p.get("part") else ""))
    figure = computed(f)
    return [
        i,
        f"{f['summary']}\n{f['summary_en']}" + (f"\nComputed: {figure}" if figure else ""),
        f["scheme"],
        ", ".join(f["categories"]) + f"\nvs {f['compared_with']}",
        _span(f),
        "yes" if f["settled"] else "no — open",
        "\n".join(sides),
        "\n".join(lit),
    ]


def _append_footnotes(out: list, law, notes: dict, papers: dict, quote: bool) -> None:
    """The footnotes in number order (quoted with ``quote``), then the scholarship cited."""
    for number, c in sorted(notes.values(), key=lambda x: x[0]):
        out.append(f"[^{number}]: {footnote_text(law, c)}\n")
        if quote and c.get("text"):
            out.append("".join(f"    > {line}\n" for line in c["text"].split("\n")))
    if papers:
        out.append("\nScholarship:\n\n")
        for p in papers.values():
            year = p.get("year") or f"n.d. ({p.get('year_note', 'year not stated')})"
            out.append(f"- {'; '.join(p['authors'])}. {p['title']} ({p.get('title_en', '')}). {year}.\n")


def _findings_table(result: dict, quote: bool) -> None:
    from rich.text import Text

    from socins_cli.cli import layout
    from socins_cli.cli.render import Column

    console = layout.make_console()
    income = f", monthly income {result['income']} yuan" if "income" in result else ""
    console.print(Text(f"Inequity findings as of {result['as_of']}{income} (compared with employees, 职工)", style="bold"))
    if not result["inequities"]:
        console.print("No finding holds on this date.")
        return
    columns = [Column("finding"), Column("categories"), Column("holds"), Column("summary", prose=True),
               Column("evidence", words=True, optional=True)]
    rows = [_table_row(f) for f in result["inequities"]]
    left_out = layout.fit_table(console, columns, rows, show_lines=True)
    _print_below_table(console, result, "evidence" in left_out, quote)


def _table_row(f: dict) -> list:
    """One finding's terminal row: id, scheme and settledness; categories; span; summary and figure; evidence."""
    from rich.text import Text

    head = Text(f["id"], style="bold")
    head.append(f"\n[{f['scheme']}]", style="dim")
    if not f["settled"]:
        head.append("\nnot settled", style="bold magenta")
    summary = Text(f["summary_en"])
    figure = computed(f)
    if figure:
        summary.append("\n" + figure, style="cyan")
    cites = Text()
    for side in ("category", "compared_with", "evidence"):
        these = [citation_label(c) for c in f["citations"] if c["side"] == side]
        if these:
            cites.append(f"{SIDE_LABELS[side]}:\n", style="bold")
            cites.append("".join(f" {label}\n" for label in these))
    cites.rstrip()
    return [head, "\n".join(f["categories"]), _span(f), summary, cites]


def _print_below_table(console, result: dict, evidence_left_out: bool, quote: bool) -> None:
    """The evidence when too narrow to sit beside the summaries, open points, and quoted texts with ``quote``."""
    from rich.text import Text

    from socins_cli.cli import layout
    if evidence_left_out:  # too narrow beside the summaries: below the table, finding by finding
        console.print(Text("evidence:", style="bold"))
        for f in result["inequities"]:
            layout.print_prose(console, Text(f["id"], style="bold"), indent=2)
            for side in ("category", "compared_with", "evidence"):
                these = [citation_label(c) for c in f["citations"] if c["side"] == side]
                head = f"{SIDE_LABELS[side]}: "
                for k, label in enumerate(these):  # a label a line: never cut at a line's end
                    if k == 0:
                        layout.print_prose(console, Text(head, style="bold") + Text(label), indent=4)
                    else:
                        layout.print_prose(console, Text(label), indent=4 + len(head))
    for f in result["inequities"]:
        if not f["settled"] and f.get("notes"):
            layout.print_prose(console, Text(f"{f['id']}: ", style="bold") + Text(" ".join(f["notes"]), style="dim"),
                               hang=2)
    if quote:
        for f in result["inequities"]:
            console.print(Text(f"\n{f['id']}", style="bold yellow"))
            for c in f["citations"]:
                if c.get("text"):
                    layout.print_prose(console, Text(f"{SIDE_LABELS.get(c['side'], c['side'])}: {citation_label(c)}",
                                                     style="bold cyan"))
                    layout.print_prose(console, c["text"])


# -- socins compare ----------------------------------------------------------------------------------

def compare_command(
    category: Optional[List[str]] = typer.Option(
        None, "--category",
        help="Required. A category to compare; repeat it for more (employee, self-employed, part-time, flexible, resident, "
             "civil-servant, platform). A platform worker's relation may be given in the spec, "
             "platform:labor, platform:incomplete or platform:civil, so several relations can be compared."),
    relation: Optional[str] = typer.Option(
        None, "--relation", help="labor, incomplete or civil: the relation of every platform category given without one."),
    sex: Optional[str] = typer.Option(None, "--sex", help="male or female (retirement age; default: compared as female)."),
    birth: Optional[str] = typer.Option(None, "--birth", help="Birth month, YYYY-MM (retirement age; default: the cohort that turns 50 in the month asked about, as the findings' cohort_age says; each cell gives the birth and sex compared)."),
    female_track: Optional[str] = typer.Option(None, "--female-track", help="worker or cadre: an employed woman's original retirement age (default: the worker track, said in the row's notes)."),
    province: Optional[str] = typer.Option(None, "--province", help="Pinyin id (guangdong) or Chinese name (广东)."),
    industry: Optional[str] = typer.Option(
        None, "--industry", help="One of ride-hailing, food-delivery, instant-delivery, intra-city-freight, other."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform enterprise, by its Chinese name (美团)."),
    employers: Optional[str] = typer.Option(None, "--employers", help="Number of employers (for every category)."),
    income: Optional[str] = IncomeOption,
    waiver: bool = typer.Option(False, "--waiver", help="The employee agreed with the employer to forgo social insurance or take cash instead (for every category)."),
    as_of: Optional[str] = AsOfOption,
    fmt: Optional[str] = FormatOption,
    reform: Optional[List[str]] = ReformOption,
) -> None:
    """Categories side by side, scheme by scheme (status, payers), then retirement age and contribution rate; every difference flagged and linked to its finding."""
    from socins_cli import api, formats

    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    result = api.compare(category=category or [], relation=relation, sex=sex, birth=birth, female_track=female_track,
                         province=province, industry=industry, platform=platform, employers=employers, income=income,
                         waiver=waiver or None, as_of=as_of, reform=reform, law=law)
    if reform:
        from socins_cli.cli import reform as reform_cli

        return reform_cli.write(result, fmt, "compare")
    echo_warnings(result)
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl({"as_of": result["as_of"], **row} for row in result["rows"])
    elif fmt in ("csv", "tsv"):
        formats.write_delimited(compare_rows(result), COMPARE_COLUMNS, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(compare_markdown(result))
    else:
        _compare_table(result)


def compare_rows(result: dict):
    for row in result["rows"]:
        for cell in row["by_category"]:
            yield {
                "scheme": row["scheme"], "category": cell["category"], "status": cell["status"],
                "payers": cell["payers"], "value": cell_text(cell, row["scheme"]) if "value" in cell else None,
                "settled": cell.get("settled", True), "differs": row["differs"], "findings": row["findings"],
                "citations": [citation_label(c) for c in cell["citations"]],
            }


def compare_markdown(result: dict) -> str:
    from socins_cli.formats import markdown_table

    cats = result["categories"]
    rows = [[("**≠ " + r["scheme"] + "**") if r["differs"] else r["scheme"],
             *[cell_text(c, r["scheme"]) for c in r["by_category"]],
             ", ".join(r["findings"])] for r in result["rows"]]
    out = f"**Compared as of {result['as_of']}** (≠ marks a difference)\n\n"
    out += markdown_table(["scheme", *cats, "findings"], rows)
    notes = [n for r in result["rows"] for n in r.get("notes", [])] + result.get("notes", [])
    if notes:
        out += "\n" + "".join(f"- {n}\n" for n in notes)
    if result["findings"]:
        out += "\nFindings:\n\n" + "".join(
            f"- **{f['id']}** ({', '.join(f['categories'])}): {f['summary']} {f['summary_en']}\n"
            for f in result["findings"])
    return out


def _compare_table(result: dict) -> None:
    from rich.text import Text

    from socins_cli.cli import layout
    from socins_cli.cli.render import STATUS_STYLE, Column

    console = layout.make_console()
    columns = [Column("scheme"), *[Column(c) for c in result["categories"]],
               Column("findings", words=True, optional=True)]
    rows = []
    for r in result["rows"]:
        name = Text(r["scheme"], style="bold yellow" if r["differs"] else "")
        if r["differs"]:
            name.append(" ≠", style="bold yellow")
        cells = [Text(_cell_lines(c, r["scheme"]), style=STATUS_STYLE.get(c["status"] or "", ""))
                 for c in r["by_category"]]
        rows.append([name, *cells, "\n".join(r["findings"])])
    left_out = layout.fit_table(console, columns, rows, show_lines=True, title=f"Compared as of {result['as_of']}")
    if "findings" in left_out:  # too narrow beside the categories: below the table, scheme by scheme
        console.print(Text("findings by scheme:", style="bold"))
        for r in result["rows"]:
            if r["findings"]:
                layout.print_prose(console, Text(f"{r['scheme']} ≠ ", style="bold yellow")
                                   + Text(", ".join(r["findings"])), hang=2)
    for n in [n for r in result["rows"] for n in r.get("notes", [])] + result.get("notes", []):
        layout.print_prose(console, Text(n, style="dim"))
    for f in result["findings"]:
        layout.print_prose(console, Text(f"{f['id']}: ", style="bold") + Text(f["summary_en"]), hang=2)


def _cell_lines(cell: dict, scheme: str) -> str:
    """A matrix cell for a narrow column: what ``cell_text`` says, one item a line."""
    if scheme in ("retirement-age", "contribution-rate"):
        return cell_text(cell, scheme).replace(", ", "\n")
    lines = [cell["status"] or "—", *cell["payers"]]
    if not cell.get("settled", True):
        lines.append("[open]")
    return "\n".join(lines)
