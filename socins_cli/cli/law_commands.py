"""The commands that read the law itself: list, show, search, diff, validate."""

import os
import sys
from typing import Optional

import typer

from socins_cli.cli.common import (FormatOption, StreamFormatOption, as_of_date, format_option, get_law,
                                   resolve_format, warn)

ALL = ("table", "json", "jsonl", "csv", "tsv", "markdown")
VALIDATE_FORMATS = ("table", "json", "jsonl")  # a verdict and a list of problems: no rows to tabulate


def list_command(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Only the versions in force on this date."),
    fmt: Optional[str] = StreamFormatOption,
) -> None:
    """The encoded instruments: versions, dates, completeness, confidence."""
    from socins_cli import api, formats

    law = get_law()
    fmt = resolve_format(fmt, ALL, stream=True)
    result = api.list_instruments(as_of=as_of, law=law)
    rows = result["instruments"]
    columns = ["instrument", "version", "title_zh", "effective", "repealed", "date_certain",
               "completeness", "confidence", "articles", "facts", "title_en", "adopted", "amended", "amended_by",
               "kind", "group", "versions"]
    shown = columns[:10] + ["group", "versions"]
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl(rows)
    elif fmt in ("csv", "tsv"):
        formats.write_delimited(rows, columns, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(formats.markdown_table(shown, ([r[c] for c in shown] for r in rows)))
    else:
        from socins_cli.cli import render

        render.instrument_groups(result["groups"], rows)


def show_command(
    instrument: str = typer.Argument(..., help="Instrument id, e.g. sil (see 'socins list')."),
    article: Optional[str] = typer.Argument(None, help="Article number, e.g. 10, or a table (annex-4) or fact (#who-pays) "
                                            "that a citation names; omit for the instrument's overview."),
    version: Optional[str] = typer.Option(None, "--version", "-v", help="Version id, e.g. 2010."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The version in force on this date (default: today)."),
    paragraph: Optional[str] = typer.Option(None, "--paragraph", "-p", metavar="N", help="Only this paragraph (款, with its items); "
                                            "json keeps the whole article and adds paragraph_text."),
    plain: bool = typer.Option(False, "--plain", help="Print only the article's verbatim text (the paragraph's, with -p)."),
    fmt: Optional[str] = FormatOption,
) -> None:
    """An article's verbatim text in a version, or as in force on a date.

    INSTRUMENT is an id in any case (sil, SIL), a Chinese title or short name
    (社会保险法); ARTICLE is 10, 第十条 or 第十条第二款; a whole citation
    (社会保险法第十条) may stand alone. A citation may also name an annex
    table (retire-2024 annex-4) or a fact (oi-pilot-2025 #who-pays: a
    source's words, never statute text): show gives those too.
    """
    from socins_cli import api, formats
    from socins_cli.law import text

    _plain_alone(plain, fmt, article)
    law = get_law()
    fmt = resolve_format(fmt, ALL)
    result = api.show(instrument=instrument, article=article, version=version, as_of=as_of, paragraph=paragraph,
                      law=law)
    instrument, article, on = result["instrument"], result.get("article"), as_of_date(as_of)
    if result.get("warning"):  # a version named that is not in force that day: its text, but not that day's law
        warn(result["warning"])
    ceased = text.ceased_warning(result, on) if not version else None
    if ceased:
        warn(ceased)
    warning = text.gap_warning(law.version(instrument, result["version"]))
    if "table" in result or "fact" in result:  # what a citation of an annex table or a fact points at
        if warning:
            warn(warning)
        _show_table_or_fact(result, "plain" if plain else fmt, on)
        return
    if plain and article is not None:
        if warning:
            warn(warning)
        sys.stdout.write(result.get("paragraph_text", result["text"]) + "\n")
        return
    if fmt in ("json", "jsonl"):
        formats.write_json(result, pretty=fmt == "json")
        return
    if warning:
        warn(warning)
    if fmt in ("csv", "tsv"):
        _show_delimited(result, article is not None, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(_article_markdown(result, on) if article is not None else _overview_markdown(result))
    elif article is not None:
        from socins_cli.cli import render

        render.article(result, on)
    else:
        from socins_cli.cli import render

        render.overview(result)


def _plain_alone(plain: bool, fmt: Optional[str], article: Optional[str]) -> None:
    """``--plain`` prints an article's text alone: with a format asked for, or no article, it is refused, not
    ignored (``--plain --format json`` had printed the text, ``show sil --plain`` the overview)."""
    from socins_cli.errors import InputError

    if plain and fmt is not None:
        raise InputError("plain", "--plain", f"prints the text alone; it does not go with --format {fmt}")
    if plain and article is None:
        raise InputError("plain", "--plain", "prints an article's text: name the article (socins show sil 10 --plain)")


def _show_table_or_fact(r: dict, fmt: str, on) -> None:
    """An annex table a row per table row (its fields named by ``cells``), or a fact marked as not statute text;
    ``on`` is the as-of day the table's days in force are told against."""
    from socins_cli import formats

    if fmt in ("json", "jsonl"):
        formats.write_json(r, pretty=fmt == "json")
        return
    if "fact" in r:
        if fmt == "plain":
            sys.stdout.write(r["text"] + "\n")
        elif fmt in ("csv", "tsv"):
            formats.write_delimited([r], ["instrument", "version", "fact", "kind", "text", "fact_source"],
                                    delimiter=formats.DELIMITERS[fmt])
        elif fmt == "table":
            _fact_at_terminal(r)
        else:
            head = f"{r['title_zh']} ({r['instrument']} {r['version']}) #{r['fact']}"
            body = formats.markdown_quote([r["text"]])
            sys.stdout.write(f"**{head}**\n\n{body}\n\nNot statute text: a {r['kind']} from {r['fact_source']} "
                             f"(confidence {r['fact_confidence']}).\n")
        return
    fields = r["cells"] or sorted({k for row in r["rows"] for k in row})
    if fmt in ("csv", "tsv", "plain"):
        formats.write_delimited(r["rows"], fields, delimiter=formats.DELIMITERS["tsv" if fmt == "plain" else fmt])
        return
    headers = r["columns"] if len(r["columns"]) == len(fields) else fields
    if fmt == "table":
        _table_at_terminal(r, headers, fields, on)
        return
    title = f"**{r['title_zh']}** ({r['instrument']} {r['version']}) {r['table']}: {r['title']}\n\n"
    if r.get("heading"):
        title += r["heading"] + "\n\n"
    sys.stdout.write(title + formats.markdown_table(headers, ([row.get(f) for f in fields] for row in r["rows"])))
    sys.stdout.write("\n" + _rows_note(r, on) + "\n")


def _rows_note(r: dict, on) -> str:
    from socins_cli.cli.render import in_force_sentence

    return "Rows as socins holds them (months as YYYY-MM). " + in_force_sentence(r, on)


def _table_at_terminal(r: dict, headers: list, fields: list, on) -> None:
    """An annex table as a terminal table: its title, its heading, its rows, and where they come from."""
    from rich.text import Text

    from socins_cli.cli import layout

    console = layout.make_console()
    layout.print_prose(console, Text(f"{r['title_zh']} ({r['instrument']} {r['version']}) {r['table']}: {r['title']}",
                                     style="bold"))
    if r.get("heading"):
        layout.print_prose(console, Text(r["heading"]))
    layout.fit_table(console, [layout.Column(str(h)) for h in headers],
                     [["" if row.get(f) is None else str(row.get(f)) for f in fields] for row in r["rows"]])
    layout.print_prose(console, Text(_rows_note(r, on), style="dim"))


def _fact_at_terminal(r: dict) -> None:
    """A fact at a terminal: its words set apart, and a line saying they are not statute text."""
    from rich.text import Text

    from socins_cli.cli import layout

    console = layout.make_console()
    layout.print_prose(console, Text(f"{r['title_zh']} ({r['instrument']} {r['version']}) #{r['fact']}", style="bold"))
    layout.print_prose(console, Text(r["text"]), indent=2)
    layout.print_prose(console, Text(f"Not statute text: a {r['kind']} from {r['fact_source']} "
                                     f"(confidence {r['fact_confidence']}).", style="bold"))


def _show_delimited(r: dict, is_article: bool, delimiter: str) -> None:
    """An article one paragraph (款, its items in the same cell) a row, only ``-p``'s when given; an instrument one version a row."""
    from socins_cli import formats

    if is_article:
        rows = [{"instrument": r["instrument"], "version": r["version"], "article": r["article"], "paragraph": i,
                 "text": p} for i, p in enumerate(r["paragraphs"], start=1) if r.get("paragraph") in (None, i)]
        columns = ["instrument", "version", "article", "paragraph", "text"]
    else:
        rows = [{"instrument": r["instrument"], **v} for v in r["versions"]]
        columns = ["instrument", "version", "effective", "repealed", "completeness", "confidence"]
    formats.write_delimited(rows, columns, delimiter=delimiter)


def _article_markdown(r: dict, on) -> str:
    head = f"**{r['title_zh']}** ({r['instrument']} {r['version']}) {r['label']}\n\n"
    chosen = [p for i, p in enumerate(r["paragraphs"], start=1) if r.get("paragraph") in (None, i)]
    if r.get("paragraph"):
        head = head.replace(r["label"], f"{r['label']} para {r['paragraph']}", 1)
    from socins_cli import formats
    from socins_cli.cli.render import in_force_sentence

    body = formats.markdown_quote(chosen)
    return head + body + "\n\n" + in_force_sentence(r, on) + "\n"


def _overview_markdown(r: dict) -> str:
    from socins_cli import formats

    out = f"**{r['title_zh']}** — {r['title_en']}\n\n"
    out += formats.markdown_table(
        ["version", "effective", "repealed", "completeness", "confidence"],
        ([v["version"], v["effective"], v["repealed"] or "", v["completeness"], v["confidence"]] for v in r["versions"]),
    )
    notes = [f"- {v['version']}: {v['date_note']}" for v in r["versions"] if v.get("date_note")]
    if notes:
        out += "\nDates:\n\n" + "\n".join(notes) + "\n"
    if r["facts"]:
        out += "\nFacts (not statute text):\n\n" + "\n".join(f"- {f['fact']}: {f['text']}" for f in r["facts"]) + "\n"
    return out


def search_command(
    query: str = typer.Argument(..., help="Text to find; full- and half-width marks match each other."),
    instrument: Optional[str] = typer.Option(None, "--instrument", "-i", help="Search only this instrument."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Search the versions in force on this date (default: today)."),
    all_versions: bool = typer.Option(False, "--all-versions", help="Search every version, in force or not."),
    fmt: Optional[str] = StreamFormatOption,
) -> None:
    """Full-text search over the encoded instruments; exits 1 when nothing is found."""
    from socins_cli import api, formats
    from socins_cli.law import text
    from socins_cli.errors import ExitCode

    law = get_law()
    fmt = resolve_format(fmt, ALL, stream=True)
    on = as_of_date(as_of) if as_of else None
    if instrument:
        law.instrument(instrument)
    hits = text.search(law, query, instrument, on, all_versions)
    columns = ["instrument", "version", "article", "paragraph", "snippet", "matches"]  # one hit per paragraph
    if fmt == "jsonl":
        n = formats.write_jsonl(hits)
    elif fmt == "json":
        result = api.search(query=query, instrument=instrument, as_of=as_of, all_versions=all_versions, law=law)
        n = len(result["hits"])
        formats.write_json(result)
    elif fmt in ("csv", "tsv"):
        n = formats.write_delimited(hits, columns, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        found = list(hits)
        n = len(found)
        sys.stdout.write(formats.markdown_table(columns, ([h[c] for c in columns] for h in found)))
    else:
        from socins_cli.cli import render

        n = render.search_hits(hits)
    _warn_of_other_versions(law, query, instrument, on, all_versions)
    unheld, drafts = text.unsearched(law, instrument, on, all_versions)
    day = (on or as_of_date(None)).isoformat()
    if unheld:  # a hit missing, or nothing found, may only mean the words are not held
        when = "--all-versions" if all_versions else f"in force on {day}"
        warn(f"not searched, as their text is not held: {', '.join(unheld)} ({when}; "
             "socins list says what each holds)")
    for name in drafts:  # a draft (or a proposal) is never in force: said as what it is
        held = law.instrument(name.split(" ", 1)[0])
        standing = f"a {held.kind}, with no legal force" if all_versions else held.standing_on(on or as_of_date(None))
        warn(f"not searched, as its text is not held: {name} ({standing}; socins list says what it holds)")
    if n == 0:
        raise typer.Exit(ExitCode.NOT_FOUND)


def _warn_of_other_versions(law, query: str, instrument: Optional[str], on, all_versions: bool) -> None:
    """Hits in versions not in force that day, where only those in force were searched; with --all-versions, that a
    date changes nothing (every version is searched: it had been taken in silence)."""
    from socins_cli.law import text

    if all_versions:
        if on is not None:
            warn(f"--as-of {on.isoformat()} changes nothing with --all-versions: every version is searched, in "
                 "force or not")
        return
    hidden = text.count_hidden_hits(law, query, instrument, on)
    if hidden:
        warn(f"{hidden} more hit(s) in versions not in force on {(on or as_of_date(None)).isoformat()}; "
             "use --all-versions or --as-of")


def diff_command(
    instrument: str = typer.Argument(..., help="Instrument id, e.g. sil."),
    before: str = typer.Argument(..., help="Version id (2010) or date (2015-01-01)."),
    after: str = typer.Argument(..., help="Version id (2018) or date (2020-01-01)."),
    substantive: bool = typer.Option(False, "--substantive", help="Only changes beyond punctuation, whitespace and width."),
    fmt: Optional[str] = FormatOption,
) -> None:
    """Article-level differences between two versions (or the versions in force on two dates)."""
    from socins_cli import api, formats

    law = get_law()
    fmt = resolve_format(fmt, ALL)
    result = api.diff(instrument=instrument, before=before, after=after, substantive=substantive, law=law)
    if fmt != "json":
        for line in result.get("warnings", []):
            warn(line)
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl(result["changes"])
    elif fmt in ("csv", "tsv"):
        from socins_cli.law.diff import inline_marked

        rows = ({**c, "marked": inline_marked(c["before"], c["after"]), "established": c.get("established", True)}
                for c in result["changes"])
        formats.write_delimited(rows, ["article", "kind", "substantive", "before", "after", "marked", "established",
                                         "likeness"],
                                delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(_diff_markdown(result))
    else:
        from socins_cli.cli import render

        render.diff(result)


def _diff_markdown(result: dict) -> str:
    from socins_cli import formats
    from socins_cli.law import diff

    head = f"**{result['instrument']}**: {result['from']} → {result['to']} ({diff.count_words(result)})\n\n"
    rows = (
        [c["article"], diff.kind_text(result, c),
         "yes" if c["substantive"] else "unknown" if c["substantive"] is None else f"no ({diff.weight_words(c)})",
         diff.inline_markdown(c["before"], c["after"])]
        for c in result["changes"]
    )
    return head + formats.markdown_table(["article", "change", "substantive", "text (~~deleted~~ **inserted**)"], rows)


def validate_command(
    path: Optional[str] = typer.Argument(None, help="A statutes folder (default: --statutes, SOCINS_STATUTES, else the one shipped with socins)."),
    fmt: Optional[str] = format_option(VALIDATE_FORMATS),
) -> None:
    """Check a statutes folder: schema, dates, citations, pinned text hashes. Exits 3 on any problem in it, 2 where PATH names no folder."""
    from socins_cli import formats
    from socins_cli.errors import ExitCode, one_line
    from socins_cli.law.validate import report, validate

    fmt = resolve_format(fmt, VALIDATE_FORMATS)
    if path is not None and not os.path.isdir(path):  # a path that names no folder is the command's input, as --statutes
        from socins_cli.errors import InputError

        raise InputError("path", path, "expected an existing statutes folder")
    law, problems = validate(path)
    for line in problems:
        sys.stderr.write(one_line(line) + "\n")
    summary = report(law, problems)
    if fmt in ("json", "jsonl"):
        formats.write_json(summary, pretty=fmt == "json")
    elif not problems and law is not None:
        sys.stdout.write(f"ok: {summary['instruments']} instruments, {summary['articles']} articles, "
                         f"{len(law.parameters)} parameters\n")
    if problems:
        raise typer.Exit(ExitCode.BAD_DATA)
