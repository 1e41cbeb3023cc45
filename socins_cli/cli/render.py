"""Rich rendering for a person at a terminal. Imported only when a table is printed."""

from __future__ import annotations

import datetime as _dt

from rich.text import Text

from socins_cli.cli import layout
from socins_cli.law.model import article_label

console = layout.make_console()

STATUS_STYLE = {"mandatory": "bold green", "voluntary": "yellow", "pilot": "cyan", "not-eligible": "red"}

Column = layout.Column


def status_text(status: str | None, settled: bool = True, open_style: str = "dim") -> Text:
    """A status in its colour, with ``not settled`` on its own line where the law leaves it open."""
    text = Text(status or "—", style=STATUS_STYLE.get(status or "", ""))
    if not settled:
        text.append("\nnot settled", style=open_style)
    return text


def instrument_table(rows: list[dict]) -> None:
    # source: completeness/confidence, one word so that a row is one line at 80 columns
    columns = [Column(c) for c in ("instrument", "ver", "effective", "repealed", "source")]
    columns += [Column("arts", optional=True), Column("title", prose=True, optional=True)]  # title goes first
    cells = []
    for r in rows:
        style = "" if r["completeness"] == "whole" and r["confidence"] == "high" else "yellow"
        effective = r["effective"] + ("" if r["date_certain"] else "?")
        # A version ends the day the next starts: "?" there where the next's start is the inferred date.
        repealed = (r["repealed"] or "") + ("?" if r.get("end_certain") is False else "")
        cells.append([
            r["instrument"], r["version"], effective, repealed,
            Text(f"{r['completeness']}/{r['confidence']}", style=style),
            str(r["articles"]) + (f"+{r['facts']}f" if r["facts"] else ""), r["title_zh"],
        ])
    layout.fit_table(console, columns, cells)
    if any(not r["date_certain"] or r.get("end_certain") is False for r in rows):
        layout.print_prose(console, "?: date inferred from incomplete sources (see 'socins show ID'); "
                                    "+Nf: N facts, not statute text", style="dim")


def instrument_groups(groups: list[dict], rows: list[dict]) -> None:
    """``list`` as a person reads it: one table per rank of law, headed by how many instruments and versions it
    holds; each instrument's id shows, once, how many versions socins holds of it."""
    for i, group in enumerate(groups):
        ids = [x["instrument"] for x in group["instruments"]]
        versions = sum(x["versions"] for x in group["instruments"])
        head = f"{group['label']} {group['label_zh']}".strip()
        if i:
            console.print()
        console.print(Text(f"{head}: {len(ids)} instrument(s), {versions} version(s)", style="bold"))
        shown, seen = [], set()
        for r in rows:
            if r["instrument"] in ids:  # the id and its count of versions once, over its versions' rows
                name = "" if r["instrument"] in seen else f"{r['instrument']} ({r['versions']})"
                seen.add(r["instrument"])
                shown.append({**r, "instrument": name})
        instrument_table(shown)


def article(r: dict, on: _dt.date) -> None:
    """An article at a terminal, each paragraph (款) numbered; ``on``, the as-of day, is what its days are told against."""
    layout.print_prose(console, Text(f"{r['title_zh']}  [{r['instrument']} {r['version']}]", style="bold"))
    if r.get("chapter"):
        layout.print_prose(console, Text(r["chapter"] + (" " + r["section"] if r.get("section") else ""), style="dim"))
    for i, para in enumerate(r["paragraphs"], start=1):  # each 款 numbered once, its items under it
        if r.get("paragraph") not in (None, i):
            continue
        mark = f"({i}) "
        first, *items = para.split("\n")
        layout.print_prose(console, Text(mark, style="dim") + Text(first), hang=len(mark))
        for item in items:
            layout.print_prose(console, Text(item), indent=len(mark))
    layout.print_prose(console, Text(f"in force {span_words(r, on)}; {r['completeness']}, "
                                     f"confidence {r['confidence']}", style="dim"))
    if r.get("note"):
        layout.print_prose(console, Text("note: " + r["note"], style="dim"))


def marked_days(r: dict) -> tuple[str, str | None]:
    """A result's first and last days in force, ``?`` on a day that is inferred (as ``list`` marks it)."""
    from socins_cli.law.model import marked_days as marked

    return marked(r["in_force"], r.get("date_certain") is not False, r.get("end_certain") is not False)


def _not_yet(r: dict, on: _dt.date) -> bool:
    """Whether a result's version, with no last day, takes effect only after ``on``: not "in force now" that day."""
    return r["in_force"]["to"] is None and r["in_force"]["from"] > on.isoformat()


def span_words(r: dict, on: _dt.date) -> str:
    """``2009-08-27 – 2021-12-31?``: a result's days in force, as its footer gives them; a version that takes effect
    after ``on`` (the as-of day) is ``from 2027-01-01 (not yet in force on 2026-12-07)``, never "– now"."""
    first, last = marked_days(r)
    if _not_yet(r, on):
        return f"from {first} (not yet in force on {on.isoformat()})"
    return f"{first} – {last or 'now'}"


def in_force_sentence(r: dict, on: _dt.date) -> str:
    """``In force from 2011-07-01 to 2018-12-28?.``: a markdown footer's words for a result's days in force, saying
    so where the version takes effect only after ``on``, as ``span_words`` does."""
    first, last = marked_days(r)
    tail = f" (not yet in force on {on.isoformat()})" if _not_yet(r, on) else ""
    return f"In force from {first}" + (f" to {last}" if last else "") + tail + "."


def overview(r: dict) -> None:
    layout.print_prose(console, Text(f"{r['title_zh']} — {r['title_en']}", style="bold"))
    if r.get("document_number"):
        layout.print_prose(console, r["document_number"])
    instrument_table(r["versions"])
    for v in r["versions"]:  # how each version's dates were found, where the texts do not say them plainly
        if v.get("date_note"):
            layout.print_prose(console, Text(f"{v['version']}: {v['date_note']}", style="dim"), hang=2)
    if r["articles"]:
        layout.print_prose(console, "articles in " + r["version"] + ": " + ", ".join(a["article"] for a in r["articles"]))
    for f in r["facts"]:
        layout.print_prose(console, Text(f"[{f['fact']}] ({f['kind']}, not statute text, confidence {f['confidence']}) ",
                                         style="dim") + Text(f["text"]), hang=2)


def search_hits(hits) -> int:
    n = 0
    for h in hits:
        n += 1
        where = f"{h['instrument']} {h['version']} {article_label(h['article'])} para {h['paragraph']}"
        snippet = Text(h["snippet"])
        for start, end in h["marks"]:  # every occurrence in the paragraph
            snippet.stylize("bold red", start, end)
        if layout.text_width(where) + 2 + layout.PROSE_MIN > console.width:  # a narrow screen: the place on its own line
            layout.print_prose(console, Text(where, style="cyan"))
            layout.print_prose(console, snippet, indent=2)
        else:
            layout.print_prose(console, Text(where + "  ", style="cyan") + snippet, hang=2)
    return n


def diff(result: dict) -> None:
    """Each change with its deletions and insertions: coloured on a terminal, marked in the text elsewhere.

    Without colour (a pipe, NO_COLOR) the marks are git's word-diff ones,
    ``[-deleted-]{+inserted+}``, so a copied text never reads as law it is not.
    """
    from socins_cli.law.diff import count_words, inline_marked, inline_ops, kind_text, weight_words

    out_console = layout.make_console()
    marked = layout.plain(out_console)
    out_console.print(Text(f"{result['instrument']}: {result['from']} → {result['to']}, "
                           f"{count_words(result)}", style="bold"))
    if marked and result["changes"]:
        out_console.print("[-deleted-] {+inserted+}", markup=False)
    for c in result["changes"]:
        tag = "" if c["substantive"] or c["substantive"] is None else f"  ({weight_words(c)})"
        out_console.print(Text(f"\n{article_label(c['article'])} {kind_text(result, c)}{tag}", style="bold cyan"))
        if marked:
            layout.print_prose(out_console, inline_marked(c["before"], c["after"]))
        elif c["before"] is None:
            layout.print_prose(out_console, c["after"], style="green")
        elif c["after"] is None:
            layout.print_prose(out_console, c["before"], style="red strike")
        else:
            out = Text()
            for op, text in inline_ops(c["before"], c["after"]):
                if op == "equal":
                    out.append(text)
                elif op == "delete":
                    out.append(text, style="red strike")
                else:
                    out.append(text, style="bold green underline")
            layout.print_prose(out_console, out)


def timeline(person: dict, start: str, end: str, rows: list[dict]) -> None:
    """One small table per date on which something changes, so four columns fit 80 cells."""
    who = ", ".join(k if v is True else f"{k} {v}" for k, v in person.items())
    layout.print_prose(console, Text(f"{who}: {start} → {end}", style="bold"), hang=2)
    columns = [Column("scheme"), Column("status"), Column("payers"), Column("citations", words=True)]
    by_date: dict = {}
    for r in rows:
        by_date.setdefault(r["date"], []).append(r)
    for day, changes in by_date.items():
        console.print()
        console.print(Text(day, style="bold"))
        cells = []
        for r in changes:
            if r["changed"] == ["version"]:  # folded: the same articles in a new version
                layout.print_prose(console, Text(f"{', '.join(r['citations'])}: new version, same articles, status "
                                                 f"and payers for {len(r['scheme'])} scheme(s): "
                                                 f"{', '.join(r['scheme'])}", style="dim"))
                continue
            changed = "" if r["changed"] == ["start"] else "\n(" + ",\n".join(r["changed"]) + ")"
            cells.append([r["scheme"] + changed, status_text(r["status"], r["settled"]),
                          "\n".join(r["payers"]) or "—", "\n".join(r["citations"])])
        if cells:
            layout.fit_table(console, columns, cells)
