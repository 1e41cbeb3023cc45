"""Rich rendering for a person at a terminal. Imported only when a table is printed."""

from __future__ import annotations

import rich.console
from rich.table import Table
from rich.text import Text


class Console(rich.console.Console):
    """rich's console, except that a closed pipe (``| head``) reaches ``main()``, which ends with 0.

    rich itself exits 1 there, which for ``search`` would read as "nothing found".
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError()


console = Console(highlight=False)

STATUS_STYLE = {"mandatory": "bold green", "voluntary": "yellow", "pilot": "cyan", "not-eligible": "red"}


def instrument_table(rows: list[dict]) -> None:
    table = Table(show_lines=False, box=None, header_style="bold")
    for col in ("instrument", "ver", "effective", "repealed", "text", "confidence", "arts"):
        table.add_column(col, no_wrap=True)
    with_title = console.width >= 110  # on a narrow terminal the ids and dates matter more
    if with_title:
        table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=console.width - 96)
    for r in rows:
        style = "" if r["completeness"] == "whole" and r["confidence"] == "high" else "yellow"
        effective = r["effective"] + ("" if r["date_certain"] else "?")
        table.add_row(
            r["instrument"], r["version"], effective, r["repealed"] or "",
            Text(r["completeness"], style=style), Text(r["confidence"], style=style),
            str(r["articles"]) + (f"+{r['facts']}f" if r["facts"] else ""),
            *([r["title_zh"]] if with_title else []),
        )
    console.print(table)
    if any(not r["date_certain"] for r in rows):
        console.print("?: date inferred from incomplete sources (see 'socins show ID'); +Nf: N facts, not statute text",
                      style="dim")


def article(r: dict) -> None:
    span = r["in_force"]
    header = f"{r['title_zh']}  [{r['instrument']} {r['version']}]"
    console.print(Text(header, style="bold"))
    if r.get("chapter"):
        console.print(Text(r["chapter"], style="dim"))
    for i, para in enumerate(r["paragraphs"], start=1):
        style = "bold" if r.get("paragraph") == i else ""
        console.print(Text(f"({i}) ", style="dim") + Text(para, style=style))
    console.print(
        Text(f"in force {span['from']} – {span['to'] or 'now'}; {r['completeness']}, confidence {r['confidence']}",
             style="dim")
    )
    if r.get("note"):
        console.print(Text("note: " + r["note"], style="dim"))


def overview(r: dict) -> None:
    console.print(Text(f"{r['title_zh']} — {r['title_en']}", style="bold"))
    if r.get("document_number"):
        console.print(r["document_number"])
    instrument_table(r["versions"])
    if r["articles"]:
        console.print("articles in " + r["version"] + ": " + ", ".join(a["article"] for a in r["articles"]))
    for f in r["facts"]:
        console.print(Text(f"[{f['fact']}] ({f['kind']}, not statute text, confidence {f['confidence']}) ", style="dim")
                      + Text(f["text"]))


def search_hits(hits) -> int:
    n = 0
    for h in hits:
        n += 1
        where = f"{h['instrument']} {h['version']} art. {h['article']} para {h['paragraph']}"
        line = Text(where + "  ", style="cyan")
        snippet = Text(h["snippet"])
        snippet.stylize("bold red", h["match_start"], h["match_end"])
        console.print(line + snippet)
    return n


def diff(result: dict) -> None:
    from socins_cli.diff import inline_ops

    console.print(Text(f"{result['instrument']}: {result['from']} → {result['to']}, "
                       f"{len(result['changes'])} change(s)", style="bold"))
    for c in result["changes"]:
        tag = "" if c["substantive"] else "  (punctuation/width only)"
        console.print(Text(f"\nart. {c['article']} {c['kind']}{tag}", style="bold cyan"))
        if c["before"] is None:
            console.print(Text(c["after"], style="green"))
        elif c["after"] is None:
            console.print(Text(c["before"], style="red strike"))
        else:
            out = Text()
            for op, text in inline_ops(c["before"], c["after"]):
                if op == "equal":
                    out.append(text)
                elif op == "delete":
                    out.append(text, style="red strike")
                else:
                    out.append(text, style="bold green underline")
            console.print(out)


def timeline(person: dict, start: str, end: str, rows: list[dict]) -> None:
    who = ", ".join(f"{k} {v}" for k, v in person.items())
    console.print(Text(f"{who}: {start} → {end}", style="bold"))
    table = Table(header_style="bold")
    for col in ("date", "scheme", "status", "payers", "citations"):
        table.add_column(col)
    for r in rows:
        status = Text(r["status"], style=STATUS_STYLE.get(r["status"], ""))
        if not r["settled"]:
            status.append("\nnot settled", style="dim")
        changed = "" if r["changed"] == ["start"] else f" ({', '.join(r['changed'])})"
        table.add_row(r["date"], r["scheme"] + changed, status, ", ".join(r["payers"]) or "—",
                      "\n".join(r["citations"]))
    console.print(table)
