"""``socins timeline``: a thin wrapper over ``socins_cli.timeline``."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from socins_cli.cli.common import FormatOption, carry_warnings, get_law, resolve_format
from socins_cli.cli.reform import ReformOption

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
COLUMNS = ("date", "scheme", "changed", "status", "payers", "settled", "citations", "rule")


def timeline_command(
    start: str = typer.Option(..., "--from", help="First day of the span, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last day of the span, YYYY-MM-DD."),
    category: Optional[str] = typer.Option(
        None, "--category",
        help="Required. Worker category, as for check: employee, civil-servant, self-employed, part-time, flexible, "
             "platform or resident."),
    relation: Optional[str] = typer.Option(None, "--relation", help="labor, incomplete or civil (platform workers)."),
    sex: Optional[str] = typer.Option(None, "--sex", help="male or female."),
    birth: Optional[str] = typer.Option(None, "--birth", help="Birth month, YYYY-MM."),
    female_track: Optional[str] = typer.Option(None, "--female-track", help="worker or cadre."),
    province: Optional[str] = typer.Option(None, "--province", help="Pinyin id or Chinese name."),
    industry: Optional[str] = typer.Option(None, "--industry", help="Platform industry (as for check)."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform enterprise, by its Chinese name."),
    employers: Optional[str] = typer.Option(None, "--employers", help="Number of employers."),
    fmt: Optional[str] = FormatOption,
    reform: Optional[str] = ReformOption,
) -> None:
    """How one person's schemes change between two dates, and on which day each change comes."""
    from socins_cli import formats
    from socins_cli.coverage import answer_warnings
    from socins_cli.dates import parse_date
    from socins_cli.person import make_person
    from socins_cli.timeline import change_rows, fold_version_changes, timeline

    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    first, last = parse_date(start, "from"), parse_date(end, "to")
    person = make_person(category=category, relation=relation, sex=sex, birth=birth, female_track=female_track,
                         province=province, industry=industry, platform=platform, employers=employers,
                         as_of=last, require_category=True)
    if reform is not None:
        from socins_cli.cli import reform as reform_cli

        return reform_cli.timeline(law, reform, person, first, last, fmt)
    result = timeline(law, person, first, last)
    cited = ((c, s["scheme"]) for s in result["schemes"] for change in s["changes"] for c in change["citations"])
    carry_warnings(result, answer_warnings(law, last, cited), fmt)
    if fmt == "json":
        formats.write_json(result)
        return
    rows = fold_version_changes(change_rows(result))
    for r in rows:
        r["citations"] = [c if isinstance(c, str) else _label(c) for c in r["citations"]]
    if fmt == "jsonl":
        formats.write_jsonl(rows)
    elif fmt in ("csv", "tsv"):
        formats.write_delimited(rows, COLUMNS, delimiter="," if fmt == "csv" else "\t")
    elif fmt == "markdown":
        sys.stdout.write(formats.markdown_table(COLUMNS, ([formats._flat(r[c]) for c in COLUMNS] for r in rows)))
    else:
        from socins_cli.cli import render

        render.timeline(result["person"], result["from"], result["to"], rows)


def _label(c: dict) -> str:
    from socins_cli.model import citation_label

    return citation_label(c)
