"""``socins timeline``: a thin wrapper over ``socins_cli.timeline``."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from socins_cli.cli.common import FormatOption, get_law, resolve_format
from socins_cli.cli.reform import ReformOption

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
COLUMNS = ("date", "scheme", "changed", "status", "payers", "settled", "citations", "rule")


def timeline_command(
    start: str = typer.Option(..., "--from", help="First day of the span, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last day of the span, YYYY-MM-DD."),
    category: Optional[str] = typer.Option(None, "--category", help="Worker category (as for check)."),
    relation: Optional[str] = typer.Option(None, "--relation", help="labor|incomplete|civil (platform workers)."),
    sex: Optional[str] = typer.Option(None, "--sex", help="male|female."),
    birth: Optional[str] = typer.Option(None, "--birth", help="Birth month, YYYY-MM."),
    female_track: Optional[str] = typer.Option(None, "--female-track", help="worker|cadre."),
    province: Optional[str] = typer.Option(None, "--province", help="Pinyin id or Chinese name."),
    industry: Optional[str] = typer.Option(None, "--industry", help="Platform industry (as for check)."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform enterprise, by its Chinese name."),
    employers: Optional[str] = typer.Option(None, "--employers", help="Number of employers."),
    waiver: bool = typer.Option(False, "--waiver", help="An agreement to forgo social insurance (as for check)."),
    fmt: Optional[str] = FormatOption,
    reform: Optional[str] = ReformOption,
) -> None:
    """How one person's schemes change between two dates, and on which day each change comes."""
    from socins_cli import formats
    from socins_cli.dates import parse_date
    from socins_cli.person import make_person
    from socins_cli.timeline import change_rows, timeline

    law = get_law()
    fmt = resolve_format(fmt, FORMATS)
    first, last = parse_date(start, "from"), parse_date(end, "to")
    person = make_person(category=category, relation=relation, sex=sex, birth=birth, female_track=female_track,
                         province=province, industry=industry, platform=platform, employers=employers,
                         waiver=waiver or None,
                         as_of=last, require_category=True)
    if reform is not None:
        from socins_cli.cli import reform as reform_cli

        return reform_cli.timeline(law, reform, person, first, last, fmt)
    result = timeline(law, person, first, last)
    if fmt == "json":
        formats.write_json(result)
        return
    rows = change_rows(result)
    for r in rows:
        r["citations"] = [_label(c) for c in r["citations"]]
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
