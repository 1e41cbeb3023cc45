"""``socins check``: every scheme for one described person on a date, with citations.

A thin wrapper over ``socins_cli.engines.answers.check``; batch rows (``--input``)
go to the batch runner, which calls the same engine row by row.
"""

import sys
from typing import List, Optional

import typer

from socins_cli.cli import batch_options
from socins_cli.cli.common import AsOfOption, FormatOption, IncomeOption, get_law, resolve_format, shown_in, warn
from socins_cli.cli.reform import ReformOption
from socins_cli.law.model import citation_label, listed_citations

__all__ = ["check_command"]

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
#: One row per scheme; ``inequities`` names the findings that concern the person (every row: they are the
#: person's, as the batch CSV's one row per person has them).
ROW_COLUMNS = ("scheme", "status", "settled", "payers", "citations", "rule", "notes", "inequities")


def check_command(
    category: Optional[str] = typer.Option(
        None, "--category", help="Required (except with --input). One of employee, civil-servant, self-employed, part-time, flexible, "
                                  "platform, resident."),
    relation: Optional[str] = typer.Option(
        None, "--relation", help="labor, incomplete or civil: a platform worker's relation (2021 guidance); required for platform."),
    sex: Optional[str] = typer.Option(None, "--sex", help="male or female."),
    birth: Optional[str] = typer.Option(None, "--birth", help="Birth month, YYYY-MM."),
    female_track: Optional[str] = typer.Option(None, "--female-track", help="worker or cadre: an employed woman's original retirement age (50 or 55)."),
    province: Optional[str] = typer.Option(None, "--province", help="Pinyin id (guangdong) or Chinese name (广东)."),
    industry: Optional[str] = typer.Option(
        None, "--industry", help="One of ride-hailing, food-delivery, instant-delivery, intra-city-freight, other."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform enterprise, by its Chinese name (美团)."),
    employers: Optional[str] = typer.Option(None, "--employers", help="Number of employers the person works for."),
    income: Optional[str] = IncomeOption,
    waiver: bool = typer.Option(False, "--waiver", help="The employee agreed with the employer to forgo social insurance or take cash instead."),
    as_of: Optional[str] = AsOfOption,
    fmt: Optional[str] = FormatOption,
    explain: bool = typer.Option(False, "--explain", help="Show every rule weighed, whether it applied and why."),
    quote: bool = typer.Option(False, "--quote", help="Print the text of every cited article (or fact)."),
    input: Optional[str] = batch_options.InputOption,
    input_format: Optional[str] = batch_options.InputFormatOption,
    output: Optional[str] = batch_options.OutputOption,
    encoding: str = batch_options.EncodingOption,
    bom: bool = batch_options.BomOption,
    quiet: bool = batch_options.QuietOption,
    workers: str = batch_options.WorkersOption,
    reform: Optional[List[str]] = ReformOption,
    brief: bool = batch_options.BriefOption,
    fields: Optional[str] = batch_options.FieldsOption,
) -> None:
    """Which schemes a person must or may join on a date, who pays, and the articles that say so."""
    from socins_cli import api
    from socins_cli.cli import reform as reform_cli

    reform_cli.no_batch(reform, input)
    batch_options.one_person_only(input, category=category, relation=relation, sex=sex, birth=birth,
                                  female_track=female_track, province=province, industry=industry, platform=platform,
                                  employers=employers, income=income, waiver=waiver)
    batch_options.not_for_batches(input, explain=explain, quote=quote)
    if input is not None:
        raise typer.Exit(batch_options.run_batch_command(
            "check", input, input_format, fmt, encoding=encoding, bom=bom, quiet=quiet, workers=workers, output=output,
            as_of=as_of, fields=fields, brief=brief))
    batch_options.batch_only(fields, brief, output, input_format, encoding, bom, workers)
    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    # side by side under a reform, the trace and the quoted text are in the JSON only
    shown_in(fmt, ("json", "jsonl") if reform else ("table", "json", "jsonl"), explain=explain, quote=quote)
    result = api.check(category=category, relation=relation, sex=sex, birth=birth, female_track=female_track,
                       province=province, industry=industry, platform=platform, employers=employers, income=income, waiver=waiver or None,
                       as_of=as_of, explain=explain, quote=quote, reform=reform, law=law)
    if reform:
        return reform_cli.write(result, fmt, "check")
    write(result, fmt)


def write(result: dict, fmt: str) -> None:
    """One check result in one format on stdout, its warnings on stderr (JSON carries them as a field too)."""
    from socins_cli import formats

    for line in result["warnings"]:
        warn(line)
    if fmt in ("json", "jsonl"):
        formats.write_json(result, pretty=fmt == "json")
    elif fmt in ("csv", "tsv"):
        formats.write_delimited(scheme_rows(result), ROW_COLUMNS, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(markdown(result))
    else:
        _rich_table(result)



def scheme_rows(result: dict) -> list[dict]:
    findings = [f["id"] for f in result.get("inequities", ())]
    return [{
        "scheme": s["scheme"],
        "status": s["status"],
        "settled": s["settled"],
        "payers": s["payers"],
        "citations": [citation_label(c) for c in listed_citations(s)],
        "rule": s.get("rule"),
        "notes": s["notes"],
        "inequities": findings,
    } for s in result["schemes"]]


def markdown(result: dict) -> str:
    from socins_cli.formats import markdown_table

    rows = [(s["scheme"], s["status"] + ("" if s["settled"] else " (open)"), ", ".join(s["payers"]) or "—",
             "; ".join(citation_label(c) for c in listed_citations(s)) or "—", s["notes"]) for s in result["schemes"]]
    head = f"As of {result['as_of']}: {_who(result['person'])}\n\n"
    findings = "".join(f"- **{f['id']}** ({f['scheme']}, compared with {f['compared_with']}"
                       f"{'' if f.get('settled', True) else ', open'}): {f.get('summary', '')}"
                       f"{' ' + f['note'] if f.get('note') else ''}\n"
                       for f in result.get("inequities", ()))
    tail = f"\nInequity findings that concern this person:\n\n{findings}" if findings else ""
    return head + markdown_table(["scheme", "status", "payers", "citations", "notes"], rows) + tail


def _who(person: dict) -> str:
    return ", ".join(k if v is True else f"{k} {v}" for k, v in person.items() if k != "as_of")


def _rich_table(result: dict) -> None:
    from rich.text import Text

    from socins_cli.cli import layout
    from socins_cli.cli.render import Column, status_text

    console = layout.make_console()
    columns = [Column("scheme"), Column("status"), Column("payers"), Column("citations", words=True)]
    rows = [[s["scheme"], status_text(s["status"], s["settled"], open_style="bold magenta"),
             "\n".join(s["payers"]) or "—", "\n".join(citation_label(c) for c in listed_citations(s)) or "—"]
            for s in result["schemes"]]
    layout.fit_table(console, columns, rows, show_lines=True, title=f"As of {result['as_of']}: {_who(result['person'])}")
    quoted = {}
    for s in result["schemes"]:
        for c in listed_citations(s):
            if c.get("text"):
                quoted.setdefault(citation_label(c), c["text"])
    for label, text in quoted.items():
        layout.print_prose(console, Text(label, style="bold cyan"))
        layout.print_prose(console, text)
    for s in result["schemes"]:
        if s["notes"] and (not s["settled"] or "trace" in s):
            layout.print_prose(console, Text(f"{s['scheme']}: ", style="bold") + Text(s["notes"], style="dim"), hang=2)
        for t in s.get("trace", []):
            mark = Text("  ✓ " if t["applied"] else "  ✗ ", style="green" if t["applied"] else "red")
            layout.print_prose(console, mark + Text(t["rule"], style="bold" if t["applied"] else "")
                               + Text(f"  {t['why']}", style="dim"))
    for line in result["inequities"]:
        mark = "" if line.get("settled", True) else " (open)"  # in words, so a pipe shows it too
        layout.print_prose(console, Text(f"inequity {line.get('id')}{mark}: {line.get('summary', '')}", style="yellow"),
                           hang=2)
        if line.get("note"):
            layout.print_prose(console, Text("  " + line["note"], style="dim"), hang=2)
