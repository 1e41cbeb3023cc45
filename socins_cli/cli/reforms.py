"""``socins reforms``: the shipped reform overlays, and with ``--effect`` what each does to the findings."""

import sys
from typing import Optional

import typer

from socins_cli.cli.common import AsOfOption, FormatOption, resolve_format, warn

__all__ = ["reforms_command"]

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")
LIST_COLUMNS = ("id", "title", "source", "effective", "touches")
EFFECT_COLUMNS = ("id", "effective", "removes", "narrows", "leaves")


def reforms_command(
    effect: bool = typer.Option(
        False, "--effect", help="For each overlay, the inequity findings it removes, narrows or leaves on --as-of."),
    as_of: Optional[str] = AsOfOption,
    fmt: Optional[str] = FormatOption,
) -> None:
    """The reform overlays shipped with socins (proposals from the papers, not law): id, title, source, date, what they touch."""
    from socins_cli import api, formats

    fmt = resolve_format(fmt, FORMATS)
    # a bad date is refused with or without --effect; the overlays are read against the law, so --statutes is
    # validated as by every command (exit 3)
    result = api.reforms(effect=effect, as_of=as_of)
    if as_of and not effect:
        warn(f"--as-of {as_of} changes nothing without --effect: the list names every shipped overlay, whatever "
             "the date")
    items = result["reforms"]
    if effect:
        later = sorted({r["effective"] for r in items if r["effective"] > result["as_of"]})
        if later:  # every finding "leaves" such an overlay: it is not weighed, which stderr says in one line
            warn(f"overlays taking effect after {result['as_of']} ({', '.join(later)}) are not weighed: "
                 f"ask --as-of {later[-1]} or later")
        rows = [effect_row(r) for r in items]
        columns = EFFECT_COLUMNS
    else:
        rows = [list_row(r) for r in items]
        columns = LIST_COLUMNS
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl(items)
    elif fmt in ("csv", "tsv"):
        formats.write_delimited(rows, columns, delimiter=formats.DELIMITERS[fmt])
    else:
        head = ("Effect of each overlay on the inequity findings as of " + result["as_of"] if effect
                else "Reform overlays shipped with socins")
        head += " — proposals from the papers, not law."
        if fmt == "markdown":
            from socins_cli.formats import markdown_table

            sys.stdout.write(f"**{head}**\n\n" + markdown_table(list(columns), [[r[c] for c in columns] for r in rows]))
        else:
            _rich(head, rows, columns)


def list_row(r: dict) -> dict:
    from socins_cli.engines.reform import paper_label

    return {"id": r["id"], "title": r["title"], "source": paper_label(r["source"]),
            "effective": f"{r['effective']} (illustrative)", "touches": ", ".join(r["touches"])}


def effect_row(r: dict) -> dict:
    from socins_cli.engines.reform_effect import OPEN_FOR

    def shown(f: dict, with_how: bool) -> str:
        label = f"{f['finding']} ({f['how'].partition(OPEN_FOR)[0]})" if with_how and f["how"] else f["finding"]
        return f"{label} (open)" if f.get("settled") is False else label

    def cell(kind: str, with_how: bool) -> str:
        return "; ".join(shown(f, with_how) for f in r["findings"] if f["effect"] == kind) or "—"

    removes = cell("removes", False)
    added = cell("adds", False)
    if added != "—":
        removes += f"; adds {added}"
    return {"id": r["id"], "effective": r["effective"], "removes": removes, "narrows": cell("narrows", True),
            "leaves": cell("leaves", False)}


#: How each column wraps: ids and dates are keys, never cut; titles and sources are prose; lists of ids wrap
#: between items only. Where the keys do not fit whole, ``layout.fit_table`` prints a vertical list instead.
COLUMN_KINDS = {"title": "prose", "source": "prose", "effective": "words", "touches": "words",
                "removes": "words", "narrows": "words", "leaves": "words"}


def _rich(head: str, rows: list[dict], columns: tuple) -> None:
    from socins_cli.cli import layout

    console = layout.make_console()
    kinds = [COLUMN_KINDS.get(c) for c in columns]
    table_columns = [layout.Column(c, prose=k == "prose", words=k == "words") for c, k in zip(columns, kinds)]
    layout.fit_table(console, table_columns, [[str(r[c]) for c in columns] for r in rows], show_lines=True,
                     title=head)
