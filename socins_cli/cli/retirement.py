"""``socins retirement``: statutory retirement age and month, flexible window, minimum contribution years.

A thin wrapper over ``socins_cli.engines.retirement.retirement``; batch rows go
through ``socins_cli.engines.retirement.retirement_row`` in the batch runner.
"""

import sys
from typing import List, Optional

import typer

from socins_cli.cli import batch_options
from socins_cli.cli.common import AsOfOption, FormatOption, echo_warnings, get_law, resolve_format
from socins_cli.cli.reform import ReformOption

__all__ = ["retirement_command", "timeline"]

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
_ECHOED = ("A person attribute, as in `check`: checked and echoed in `person`; no retirement rule reads it "
           "(batch rows take it as a column).")


def retirement_command(
    sex: Optional[str] = typer.Option(None, "--sex", help="Required (except with --input). male or female (男, 女)."),
    birth: Optional[str] = typer.Option(None, "--birth", help="Required (except with --input). Birth month, YYYY-MM."),
    female_track: Optional[str] = typer.Option(
        None, "--female-track", help="worker or cadre: required for a woman in employment (original age 50 or 55)."),
    category: Optional[str] = typer.Option(
        None, "--category", help="One of employee, civil-servant, self-employed, part-time, flexible, platform, "
                                 "resident (default: employee)."),
    relation: Optional[str] = typer.Option(None, "--relation", help="labor, incomplete or civil: a platform worker's relation; required for platform."),
    province: Optional[str] = typer.Option(None, "--province", help=_ECHOED),
    industry: Optional[str] = typer.Option(None, "--industry", help=_ECHOED),
    platform: Optional[str] = typer.Option(None, "--platform", help=_ECHOED),
    employers: Optional[str] = typer.Option(None, "--employers", help=_ECHOED),
    income: Optional[str] = typer.Option(None, "--income", help=_ECHOED),
    waiver: bool = typer.Option(False, "--waiver", help=_ECHOED),
    as_of: Optional[str] = AsOfOption,
    fmt: Optional[str] = FormatOption,
    input: Optional[str] = batch_options.InputOption,
    input_format: Optional[str] = batch_options.InputFormatOption,
    output: Optional[str] = batch_options.OutputOption,
    encoding: str = batch_options.EncodingOption,
    bom: bool = batch_options.BomOption,
    quiet: bool = batch_options.QuietOption,
    workers: str = batch_options.WorkersOption,
    reform: Optional[List[str]] = ReformOption,
    fields: Optional[str] = batch_options.FieldsOption,
) -> None:
    """Statutory retirement age and month under the 2024 reform (and before it), flexible window, minimum contribution years."""
    from socins_cli import api
    from socins_cli.cli import reform as reform_cli

    reform_cli.no_batch(reform, input)
    batch_options.one_person_only(input, sex=sex, birth=birth, female_track=female_track, category=category,
                                  relation=relation, province=province, industry=industry, platform=platform,
                                  employers=employers, income=income, waiver=waiver)
    if input is not None:
        raise typer.Exit(batch_options.run_batch_command(
            "retirement", input, input_format, fmt, encoding=encoding, bom=bom, quiet=quiet, workers=workers, output=output,
            as_of=as_of, fields=fields))
    batch_options.batch_only(fields, False, output, input_format, encoding, bom, workers)
    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    result = api.retirement(category=category, relation=relation, sex=sex, birth=birth, female_track=female_track,
                            province=province, industry=industry, platform=platform, employers=employers,
                            income=income, waiver=waiver or None, as_of=as_of, reform=reform, law=law)
    if reform:
        return reform_cli.write(result, fmt, "retirement")
    echo_warnings(result)
    write(result, fmt)


def write(result: dict, fmt: str) -> None:
    """One result in one format on stdout."""
    from socins_cli import formats
    from socins_cli.engines.retirement import FLAT_COLUMNS, flatten

    if fmt in ("json", "jsonl"):
        formats.write_json(result, pretty=fmt == "json")
    elif fmt in ("csv", "tsv"):
        formats.write_delimited([flatten(result)], FLAT_COLUMNS, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(markdown(result))
    else:
        _rich_table(result)


def timeline(result: dict, scale: int = 3) -> str | None:
    """The flexible window on one line: ``2025-01 ├● 2025-02 ────────────┤ 2028-02`` (one dash per ``scale`` months)."""
    earliest, statutory, latest = (result.get(k) for k in
                                   ("earliest_flexible_month", "retirement_month", "latest_flexible_month"))
    if not (earliest and statutory and latest):
        return None
    before = _months_between(earliest, statutory)
    after = _months_between(statutory, latest)
    left = "─" * (-(-before // scale))
    right = "─" * (-(-after // scale))
    return f"{earliest} ├{left}● {statutory} {right}┤ {latest}"


def _months_between(a: str, b: str) -> int:
    ya, ma = (int(x) for x in a.split("-"))
    yb, mb = (int(x) for x in b.split("-"))
    return (yb - ya) * 12 + (mb - ma)


def _lines(result: dict) -> list[tuple[str, str]]:
    from socins_cli.engines.retirement import age_text, citation_label

    person = result["person"]
    who = ", ".join(str(person[k]) for k in ("category", "relation", "sex") if person.get(k))
    who += f", born {person.get('birth')}"
    if person.get("female_track"):
        who += f", female track {person['female_track']}"
    rows = [("as of", result["as_of"]), ("person", who)]
    rule = result["rule"]
    if result.get("track"):
        rule += f" — {result['track']} ({result['track_label']})"
    rows.append(("rule", rule))
    if result.get("statutory_age"):
        original = result["original_age"]
        age = result["statutory_age"]
        rows.append(("original age", age_text(original["years"] * 12 + original["months"])))
        delay = result["delay_months"]
        rows.append(("statutory age", age_text(age["years"] * 12 + age["months"])
                     + (f" (+{delay} months of delay)" if delay else "")))
        rows.append(("retirement month", result["retirement_month"]))
        line = timeline(result)
        rows.append(("flexible window", line + "  (earliest ├ statutory ● latest ┤)" if line else "none"))
    minimum = result.get("minimum_contribution_years")
    rows.append(("minimum contribution", "—" if minimum is None else f"{minimum} years"))
    rows.append(("settled", "yes" if result["settled"] else "NO: the texts leave this open (see notes)"))
    for alt in result.get("alternatives", []):
        age = alt["statutory_age"]
        rows.append(("other reading", f"{alt['track']}: {age_text(age['years'] * 12 + age['months'])}, "
                                      f"retirement month {alt['retirement_month']}"))
    rows.append(("citations", "\n".join(citation_label(c) for c in result["citations"]) or "—"))
    return rows


def _rich_table(result: dict) -> None:
    from rich.text import Text

    from socins_cli.cli import layout

    console = layout.make_console()
    rows = [[Text(label, style="bold"),
             Text(value, style="bold red" if label == "settled" and not result["settled"] else "")]
            for label, value in _lines(result)]
    layout.fit_table(console, [layout.Column("field"), layout.Column("value", words=True)], rows,
                     boxed=False, show_header=False)
    for note in result.get("notes", []):
        layout.print_prose(console, Text("• " + note, style="dim"), hang=2)


def markdown(result: dict) -> str:
    from socins_cli.formats import markdown_table

    out = markdown_table(["", ""], _lines(result))
    notes = result.get("notes", [])
    if notes:
        out += "\n" + "".join(f"- {n}\n" for n in notes)
    return out
