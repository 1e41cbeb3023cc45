"""``socins cite`` and ``socins history``: Chinese citations resolved to their text, and an article through its versions."""

import sys
from typing import Optional

import typer

from socins_cli.cli.common import FormatOption, as_of_date, format_option, get_law, resolve_format, warn
from socins_cli.law.model import article_label

ALL = ("table", "json", "jsonl", "csv", "tsv", "markdown")
MEMO_COLUMNS = ["line", "citation", "ok", "resolved", "label", "problem", "since_version", "changed", "change",
                "substantive", "now_article", "text_changed", "article_changed", "established", "likeness",
                "completeness", "confidence", "note"]
CITED_COLUMNS = ["citation", "as_of", "instrument", "version", "article", "paragraph", "item", "cited_text"]
HISTORY_COLUMNS = ["version", "from", "to", "article", "change", "changed", "substantive", "amended_by", "text",
                   "established", "likeness"]


def cite_command(
    citation: Optional[str] = typer.Argument(None, help="A citation such as 社会保险法第十条第二款 or 《中华人民共和国社会保险法》第10条."),
    file: Optional[str] = typer.Option(None, "--file", help="Check every citation in this text file (- for stdin) instead."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Resolve to the versions in force on this date (default: today)."),
    since: Optional[str] = typer.Option(None, "--since", help="With --file: also report what became of each cited provision since this date (moved, changed)."),
    plain: bool = typer.Option(False, "--plain", help="Print only the cited text, verbatim."),
    fmt: Optional[str] = format_option(piped="JSON (JSON Lines with --file)"),
) -> None:
    """A Chinese citation resolved to its text; exits 1 when the version in force lacks it.

    A citation pinning a version not in force on --as-of prints that version's
    text with a warning. With --file, every citation of an encoded instrument
    in a memo, each with its line; exits 1 when any does not resolve, pins a
    version not in force on --as-of, or (with --since) has changed.
    """
    from socins_cli.errors import InputError

    law = get_law()
    on = as_of_date(as_of)
    if citation is None and file is None:
        raise InputError("citation", "", "give a citation (e.g. 社会保险法第十条) or --file MEMO")
    if citation is not None and file is not None:
        raise InputError("file", file, "give either a citation or --file, not both")
    if file is not None:
        if plain:
            raise InputError("plain", True, "--plain prints one citation's text; it does not go with --file")
        from socins_cli.dates import parse_date

        return _check_file(law, file, on, parse_date(since, "since") if since is not None else None, fmt)
    if since is not None:
        raise InputError("since", since, "--since goes with --file")
    from socins_cli import api, formats
    from socins_cli.law.text import gap_warning

    result = api.cite(citation=citation, as_of=on, law=law)
    if result.get("warning"):  # a pinned version not in force on --as-of: its text, but not that day's law
        warn(result["warning"])
    if plain:
        sys.stdout.write(result["cited_text"] + "\n")
        return
    fmt = resolve_format(fmt, ALL)
    if fmt in ("json", "jsonl"):
        formats.write_json(result, pretty=fmt == "json")
        return
    if fmt in ("csv", "tsv"):  # one row: what was cited and its text
        formats.write_delimited([result], CITED_COLUMNS, delimiter=formats.DELIMITERS[fmt])
        return
    warning = gap_warning(law.version(result["instrument"], result["version"]))
    if warning:
        warn(warning)
    if fmt == "markdown":
        sys.stdout.write(_cited_markdown(result, on))
    else:
        _cited_table(result, on)


def _where(r: dict) -> str:
    where = f"{r['instrument']} {r['version']} {article_label(r['article'])}"
    if "paragraph" in r:
        where += f" para {r['paragraph']}"
    if "item" in r:
        where += f" item {r['item']}"
    return where


def _cited_markdown(r: dict, on) -> str:
    from socins_cli import formats
    from socins_cli.cli.render import in_force_sentence

    body = formats.markdown_quote([r["cited_text"]])  # each paragraph and item apart, as show gives them
    foot = in_force_sentence(r, on)
    if r.get("note"):  # what the data says of the article's text (a doubtful phrase, say), as show gives it
        foot += f"\n\nNote: {r['note']}"
    return f"**{r['title_zh']}** {r['citation']} ({_where(r)})\n\n{body}\n\n{foot}\n"


def _cited_table(r: dict, on) -> None:
    from rich.text import Text

    from socins_cli.cli import layout
    from socins_cli.cli.render import console, span_words

    head = "  ".join(p for p in (f"{r['citation']} → {_where(r)}", r.get("title_zh")) if p)
    layout.print_prose(console, Text(head, style="bold"))
    for line in r["cited_text"].split("\n"):
        layout.print_prose(console, Text(line))
    layout.print_prose(console, Text(f"in force {span_words(r, on)}; {r['completeness']}, "
                                     f"confidence {r['confidence']}", style="dim"))
    if r.get("note"):  # what the data says of the article's text (a doubtful phrase, say), as show gives it
        layout.print_prose(console, Text(f"note: {r['note']}"))


def _check_file(law, file: str, on, since, fmt: Optional[str]) -> None:
    from socins_cli import formats
    from socins_cli.law.citation import check_memo, read_memo
    from socins_cli.errors import ExitCode

    fmt = resolve_format(fmt, ALL, stream=True)
    result = check_memo(law, read_memo(file, sys.stdin.buffer if file == "-" else None), on, since, file)
    records = result["citations"]
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl(records)
    elif fmt in ("csv", "tsv"):
        formats.write_delimited(records, MEMO_COLUMNS, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(formats.markdown_table(["line", "citation", "resolves to", "status"],
                                                ([r["line"], r["citation"], r.get("label", ""), _status(r, since)]
                                                 for r in records)))
    else:
        _memo_table(records, result["summary"], since)
    if not records:
        warn(f"no citation of an encoded instrument found in {file}")
    _warn_of_sources(law, records)
    if any(not r["ok"] for r in records):
        raise typer.Exit(ExitCode.NOT_FOUND)


def _warn_of_sources(law, records: list[dict]) -> None:
    """On stderr, as ``cite`` of one citation does: each partial or doubtful text the memo rests on, once, and the
    note the data keeps on a cited article of such a text (a phrase the sources disagree on), once per article."""
    from socins_cli.law.text import gap_warning

    said, gapped = set(), set()
    for r in records:
        if not r["resolved"]:
            continue
        version = (r["instrument"], r["version"])
        if version not in said:
            said.add(version)
            line = gap_warning(law.version(*version))
            if line:
                warn(line)
                gapped.add(version)
        if r.get("note") and version in gapped and (version, r["article"]) not in said:
            said.add((version, r["article"]))
            warn(f"{r['instrument']} {r['version']} {article_label(r['article'])} (line {r['line']}): {r['note']}")


def _status(r: dict, since) -> str:
    if not r["resolved"]:
        moved = f"; since {since.isoformat()}: {_fate(r)}" if r.get("change") in ("renumbered", "removed") else ""
        return "does not resolve: " + r["problem"] + moved
    if r.get("in_force_on_as_of") is False:
        return "not in force that day: " + r["problem"]
    if r.get("change") == "not-held":
        from socins_cli.law.history import quoted_words

        quoted = "".join(f"; a secondary source quotes its {quoted_words(q)} (not statute text)"
                         for q in r.get("quoted", ()))
        return f"cannot tell since {since.isoformat()}: not established, {r['since_version']} text not held{quoted}"
    if not r.get("changed"):
        if r.get("article_changed"):
            return f"ok, paragraph unchanged since {since.isoformat()} (the article changed elsewhere)"
        return "ok" + (f", unchanged since {since.isoformat()}" if since else "")
    from socins_cli.law.diff import weight_words

    if r["change"] in ("renumbered", "removed"):
        return f"changed since {since.isoformat()}: {_fate(r)}"
    how = "added" if r["change"] == "added" else "modified"
    return f"changed since {since.isoformat()}: {how}, {weight_words(r)}"


def _fate(r: dict) -> str:
    """Where the provision a memo cited went: ``the provision cited (tul 2009 art. 28) is now art. 29, text unchanged``."""
    from socins_cli.law.diff import weight_words

    cited = f"the provision cited ({r['instrument']} {r['since_version']} {article_label(r['article'])})"
    if r["change"] == "removed":
        return f"{cited} was removed (no later version holds it)"
    if r.get("likeness") is not None:  # a rewrite: the likeliest match, not the same provision for certain
        return (f"{cited} is most like art. {r['now_article']} now, {r['likeness']:.0%} alike: where it went is not "
                "established")
    return f"{cited} is now art. {r['now_article']}, {weight_words(r)}"


def _memo_table(records: list[dict], s: dict, since) -> None:
    """The memo's citations, wrapped by the Chinese rules (no line starts with ）or 。), or a list where too narrow."""
    from rich.text import Text

    from socins_cli.cli import layout
    from socins_cli.cli.render import console

    columns = [layout.Column("line"), layout.Column("citation", prose=True), layout.Column("resolves to"),
               layout.Column("status", prose=True)]
    rows = []
    for r in records:
        style = "green" if r["ok"] else ("red" if not r["resolved"] else "yellow")
        rows.append([str(r["line"]), r["citation"], r.get("label", ""), Text(_status(r, since), style=style)])
    layout.fit_table(console, columns, rows, boxed=False)
    unknown = sum(1 for r in records if r.get("established") is False)
    console.print(Text(f"{s['citations']} citation(s): {s['ok']} ok, {s['unresolved']} not resolved, "
                       f"{s['changed']} changed" + (f", {unknown} not established" if unknown else ""), style="bold"))


def history_command(
    instrument: str = typer.Argument(..., help="Instrument id, title or short name, e.g. sil or 社会保险法."),
    article: str = typer.Argument(..., help="Article number, e.g. 64 or 第六十四条."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Read the article number in the version in force on this date (default: today)."),
    fmt: Optional[str] = FormatOption,
) -> None:
    """One article in every version: dates, whether it changed and how much, and the instrument that made each version."""
    from socins_cli import api, formats

    law = get_law()
    fmt = resolve_format(fmt, ALL)
    result = api.history(instrument=instrument, article=article, as_of=as_of, law=law)
    on = as_of_date(as_of)
    for line in result.get("warnings", ()):
        warn(line)
    if fmt == "json":
        formats.write_json(result)
    elif fmt == "jsonl":
        formats.write_jsonl({"instrument": result["instrument"], **row} for row in result["versions"])
    elif fmt in ("csv", "tsv"):
        rows = ({**row, "from": row["in_force"]["from"], "to": row["in_force"]["to"],
                 "amended_by": (row.get("amended_by") or {}).get("title_zh")} for row in result["versions"])
        formats.write_delimited(rows, HISTORY_COLUMNS, delimiter=formats.DELIMITERS[fmt])
    elif fmt == "markdown":
        sys.stdout.write(_history_markdown(result, on))
    else:
        _history_table(result, on)


def _change_words(row: dict) -> str:
    from socins_cli.law.diff import weight_words

    words = {"earliest": "earliest version held",
             "not-held": f"text not held ({row.get('completeness', 'partial')} version)",
             "unknown": "changes unknown: the text before it is not held",
             "absent": "not in this version", "renumbered": f"renumbered from art. {row.get('renumbered_from')}"}
    text = words.get(row["change"], row["change"])
    if "likeness" in row:
        text += f" (not established: the likeliest match, {row['likeness']:.0%} alike)"
    if row["changed"] and row["change"] != "added":
        text += ", " + weight_words(row)
    return text


#: What a version may have done to the article that makes "amended by" its decision true of the article too.
_AMENDED = ("modified", "renumbered", "added", "removed")


def _made_by(row: dict) -> str:
    """``amended by <decision>`` where the version changed the article, else ``version made by <decision>``: an
    unchanged article (``, article unchanged``) was not amended by the decision that made its version."""
    by = row.get("amended_by")
    if not by:
        return ""
    name = by["title_zh"] + (f" ({by['adopted']})" if by.get("adopted") else "")
    if row["change"] in _AMENDED:
        return "amended by " + name
    return "version made by " + name + (", article unchanged" if row["change"] == "unchanged" else "")


def _headline(result: dict) -> str:
    n = len(result["versions"])
    changed = ", ".join(result["changed_in"]) or "none"
    unknown = result.get("unknown_in")
    tail = f" that socins can tell; unknown in {', '.join(unknown)} (the text before is not held)" if unknown else ""
    numbered = f" (as numbered in {result['instrument']} {result['read_in']})" if result.get("read_in") else ""
    return (f"{result['title_zh']} ({result['instrument']}) {article_label(result['article'])}{numbered}: {n} version(s); "
            f"changed in {changed}{tail}")


def _quoted_lines(row: dict) -> list[str]:
    """A version whose text is not held, as a secondary source quotes the provision: marked as not statute text."""
    from socins_cli.law.history import quoted_words

    return [f"quoted by a secondary source, not statute text: {quoted_words(q)} (fact {q['fact']}, confidence "
            f"{q['confidence']}; {q['source']})" for q in row.get("quoted", ())]


def _history_markdown(result: dict, on) -> str:
    from socins_cli import formats
    from socins_cli.cli.render import span_words
    from socins_cli.law import diff

    out = f"**{_headline(result)}**\n\n"
    out += formats.markdown_table(
        ["version", "in force", "article", "change", "amendment"],
        ([r["version"], span_words(r, on), r["article"] or "",
          _change_words(r), _made_by(r)] for r in result["versions"]),
    )
    for r in result["versions"]:
        for line in _quoted_lines(r):
            out += f"\n**{r['version']}** {line}\n"
        if r.get("text") is None:
            continue
        body = diff.inline_markdown(r["before"], r["text"]) if "before" in r else r["text"]
        out += f"\n**{r['version']}** {r.get('label', '')}\n\n" + formats.markdown_quote([body]) + "\n"
    return out


def _history_table(result: dict, on) -> None:
    from rich.text import Text

    from socins_cli.cli import layout
    from socins_cli.cli.render import console, span_words
    from socins_cli.law.diff import inline_ops

    console.print(Text(_headline(result), style="bold"))
    for r in result["versions"]:
        span = span_words(r, on)
        where = article_label(r["article"]) if r["article"] else "—"
        console.print()
        console.print(Text(f"{r['version']}  {span}  {where}  {_change_words(r)}",
                           style="bold yellow" if r["substantive"] else "bold"))
        if r.get("amended_by"):
            layout.print_prose(console, Text(_made_by(r), style="dim"))
        for line in _quoted_lines(r):
            layout.print_prose(console, Text(line, style="dim"))
        if r.get("text") is None:
            continue
        if "before" not in r:
            for paragraph in r["text"].split("\n"):  # wrapped by the Chinese rules, no trailing spaces
                layout.print_prose(console, Text(paragraph))
            continue
        out = Text()  # marks that survive without colour: [-deleted-]{+inserted+}
        for op, text in inline_ops(r["before"], r["text"]):
            if op == "equal":
                out.append(text)
            elif op == "delete":
                out.append(f"[-{text}-]", style="red")
            else:
                out.append(f"{{+{text}+}}", style="green")
        for paragraph in out.split("\n"):
            layout.print_prose(console, paragraph)
    console.print(Text("[-…-] deleted, {+…+} inserted, against the version before", style="dim"))
