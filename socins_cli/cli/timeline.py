"""``socins timeline``: a thin wrapper over ``socins_cli.engines.timeline``."""

import sys
from typing import List, Optional

import typer

from socins_cli.cli.common import FormatOption, IncomeOption, echo_warnings, get_law, resolve_format
from socins_cli.cli.reform import ReformOption

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
COLUMNS = ("date", "scheme", "changed", "status", "payers", "settled", "citations", "rule")


def timeline_command(
    start: Optional[str] = typer.Option(None, "--from", help="Required. First day of the span, YYYY-MM-DD."),
    end: Optional[str] = typer.Option(None, "--to", help="Required. Last day of the span, YYYY-MM-DD."),
    category: Optional[str] = typer.Option(
        None, "--category",
        help="Required. Worker category, as for check: employee, civil-servant, self-employed, part-time, flexible, "
             "platform or resident."),
    relation: Optional[str] = typer.Option(None, "--relation", help="labor, incomplete or civil: a platform worker's relation; required for platform."),
    sex: Optional[str] = typer.Option(None, "--sex", help="male or female."),
    birth: Optional[str] = typer.Option(None, "--birth", help="Birth month, YYYY-MM."),
    female_track: Optional[str] = typer.Option(None, "--female-track", help="worker or cadre."),
    province: Optional[str] = typer.Option(None, "--province", help="Pinyin id or Chinese name."),
    industry: Optional[str] = typer.Option(None, "--industry", help="Platform industry (as for check)."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform enterprise, by its Chinese name."),
    employers: Optional[str] = typer.Option(None, "--employers", help="Number of employers."),
    income: Optional[str] = IncomeOption,
    waiver: bool = typer.Option(False, "--waiver", help="An agreement to forgo social insurance (as for check)."),
    fmt: Optional[str] = FormatOption,
    reform: Optional[List[str]] = ReformOption,
) -> None:
    """How one person's schemes change between two dates, and on which day each change comes."""
    from socins_cli import api, formats
    from socins_cli.engines.timeline import change_rows, fold_version_changes

    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    result = api.timeline(start=start, end=end, category=category, relation=relation, sex=sex, birth=birth,
                          female_track=female_track, province=province, industry=industry, platform=platform,
                          employers=employers, income=income, waiver=waiver or None, reform=reform, law=law)
    if reform:
        from socins_cli.cli import reform as reform_cli

        return reform_cli.write(result, fmt, "timeline")
    echo_warnings(result)
    if fmt == "json":
        formats.write_json(result)
        return
    if fmt == "jsonl":  # one change a line, citations as objects as in every JSON answer
        formats.write_jsonl(change_rows(result))
        return
    # For reading, a day on which schemes only move to a new version is one row, and citations are labels.
    rows = fold_version_changes(change_rows(result))
    for r in rows:
        r["citations"] = [c if isinstance(c, str) else _label(c) for c in r["citations"]]
    if fmt in ("csv", "tsv"):
        formats.write_delimited(rows, COLUMNS, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(formats.markdown_table(COLUMNS, ([formats._flat(r[c]) for c in COLUMNS] for r in rows)))
    else:
        from socins_cli.cli import render

        render.timeline(result["person"], result["from"], result["to"], rows)


def _label(c: dict) -> str:
    from socins_cli.law.model import citation_label

    return citation_label(c)
