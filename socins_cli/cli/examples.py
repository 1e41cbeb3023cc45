"""Worked examples shown under each command's help: real calls that run from a checkout.

Kept apart from the commands so that the help of every command is built the
same way, and so that a test can run every example as written.
"""

from __future__ import annotations

EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "check": [
        ("socins check --category flexible --as-of 2026-06-01", "a freelancer's schemes, with citations"),
        ("socins check --category platform --relation incomplete --province guangdong --industry food-delivery "
         "--as-of 2026-06-01 --explain", "a delivery rider, every rule weighed"),
        ("socins check --input examples/people.csv --brief --format csv -q", "a whole file, one compact row each"),
    ],
    "retirement": [
        ("socins retirement --sex female --birth 1978-03 --female-track worker", "age, month and flexible window"),
        ("socins retirement --sex male --birth 1965-01 --as-of 2026-06-01 --format json", "the same as JSON"),
        ("socins retirement --input examples/people.jsonl --fields person_id,retirement_month -q",
         "a batch, two fields a row"),
    ],
    "compare": [
        ("socins compare --category employee --category flexible", "employees and freelancers side by side"),
        ("socins compare --category platform:labor --category platform:incomplete --category platform:civil",
         "the three platform relations"),
    ],
    "inequities": [
        ("socins inequities --category flexible", "the findings that concern freelancers"),
        ("socins inequities --scheme retirement-age --format markdown", "a memo-ready table with footnotes"),
    ],
    "timeline": [
        ("socins timeline --category flexible --from 2010-01-01 --to 2026-06-01", "what changed, and when"),
        ("socins timeline --category platform --relation incomplete --province guangdong "
         "--industry food-delivery --from 2021-01-01 --to 2026-06-01", "a rider through the pilots"),
    ],
    "list": [
        ("socins list", "every encoded instrument"),
        ("socins list --as-of 2015-01-01 --format csv", "the versions in force on a date"),
    ],
    "show": [
        ("socins show sil 10", "an article as in force today"),
        ("socins show sil 64 --version 2010", "as first enacted"),
        ("socins show maternity-merger-2019", "an instrument's versions and facts"),
    ],
    "search": [
        ("socins search 灵活就业人员 --instrument sil", "where a phrase occurs"),
        ("socins search 生育保险基金并入 --all-versions", "in every version, in either character form"),
    ],
    "diff": [
        ("socins diff sil 2010 2018 --substantive", "what the 2018 amendment changed"),
        ("socins diff sil 2015-01-01 2020-01-01 --format markdown", "between the versions in force on two dates"),
    ],
    "reforms": [
        ("socins reforms", "the proposals shipped as overlays: id, paper, date, what they touch"),
        ("socins reforms --effect --as-of 2030-06-01", "which inequity findings each proposal would end"),
        ("socins check --category flexible --sex female --birth 1980-05 --as-of 2030-06-01 "
         "--reform han-retirement-age-women-flexible-workers", "one proposal against the law, side by side"),
    ],
    "mcp": [
        ("socins mcp", "serve over stdin/stdout; an MCP client starts it (see the README for the configuration)"),
        ("socins mcp --help", "what it serves: every command as a tool, each article as a resource"),
    ],
    "cite": [
        ("socins cite 社会保险法第十条第二款 --as-of 2026-06-01", "a citation as a memo writes it, resolved to its text"),
        ("socins cite 劳动合同法第六十八条 --plain", "only the verbatim text"),
        ("socins cite --file examples/citations-memo.md --since 2015-01-01", "every citation in a memo: resolves? changed?"),
    ],
    "history": [
        ("socins history sil 64", "one article in every version, each change weighed"),
        ("socins history 社会保险法 第五十七条 --format markdown", "the same for a memo"),
    ],
    "validate": [
        ("socins validate", "the shipped statutes"),
        ("socins validate statutes --format json", "a folder, as JSON"),
    ],
}


#: Said under every command: ``--statutes`` is read before the command is built (``app._take_statutes``),
#: so it is not among any command's own options, yet each takes it.
STATUTES_NOTE = ("Every command also takes --statutes DIR (or SOCINS_STATUTES=DIR): answer from that statutes folder, "
                 "validated like the shipped one (invalid: exit 3).")


def epilog(command: str) -> str:
    """The examples as help text, one paragraph each so help keeps the lines apart, then the ``--statutes`` note."""
    items = EXAMPLES.get(command)
    examples = "Examples:\n\n" + "\n\n".join(f"  $ {line}\n\n    {why}" for line, why in items) + "\n\n" if items else ""
    # Indented as the examples' lines are: help drops the indent every line shares, and keeps the rest.
    return examples + "  " + STATUTES_NOTE
