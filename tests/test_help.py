"""Help that tells the truth: formats offered are accepted, missing options are named, examples run."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

from cli_helpers import REPO, run
from socins_cli.cli.app import COMMANDS
from socins_cli.cli.examples import EXAMPLES

#: A call of each command that answers; a new command adds its own here.
SAMPLE_ARGS = {
    "check": ("--category", "flexible", "--as-of", "2026-01-01"),
    "retirement": ("--sex", "male", "--birth", "1965-01", "--as-of", "2026-06-01"),
    "compare": ("--category", "employee", "--category", "flexible", "--as-of", "2026-01-01"),
    "inequities": ("--as-of", "2026-01-01"),
    "timeline": ("--category", "flexible", "--from", "2020-01-01", "--to", "2021-01-01"),
    "list": (),
    "show": ("sil", "10"),
    "search": ("灵活就业人员", "--instrument", "sil"),
    "diff": ("sil", "2010", "2018", "--substantive"),
    "validate": (),
    "reforms": ("--effect", "--as-of", "2030-06-01"),
    "mcp": None,
    "cite": ("社会保险法第十条第二款", "--as-of", "2026-06-01"),
    "history": ("sil", "64"),  # speaks the Model Context Protocol, no --format
}


def offered_formats(command: str) -> list[str]:
    text = " ".join(run(command, "--help", env={"COLUMNS": "300"}).out.split())
    found = re.search(r"--format -f FORMAT \W*One of ([a-z, ]+?) \(default", text)
    assert found, text
    return [f.strip() for f in found.group(1).split(",")]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_format_the_help_offers_is_accepted(command):
    if command not in SAMPLE_ARGS:
        pytest.fail(f"add a call of {command} that answers to SAMPLE_ARGS in tests/test_help.py")
    if SAMPLE_ARGS[command] is None:
        assert "--format" not in run(command, "--help").out
        return
    formats = offered_formats(command)
    assert {"table", "json"} <= set(formats)
    for fmt in formats:
        r = run(command, *SAMPLE_ARGS[command], "--format", fmt)
        assert r.code == 0, (fmt, r.err)
        assert "Traceback" not in r.err


def test_show_tabulates_an_article_one_paragraph_a_row():
    lines = run("show", "sil", "10", "--version", "2018", "--format", "tsv").out.splitlines()
    assert lines[0] == "instrument\tversion\tarticle\tparagraph\ttext"
    assert lines[2].startswith("sil\t2018\t10\t2\t无雇工的个体工商户")


def test_validate_refuses_a_format_it_does_not_offer():
    r = run("validate", "--format", "csv")
    assert r.code == 2 and "expected one of table|json|jsonl" in r.err


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_dash_h_is_help(command):
    r = run(*([command] if command else []), "-h")
    assert r.code == 0 and "Usage: socins" in r.out


@pytest.mark.parametrize(("args", "message"), [
    (("check",), "--category is required; one of employee, civil-servant"),
    (("timeline", "--from", "2020-01-01", "--to", "2021-01-01"), "--category is required; one of employee"),
    (("retirement",), "--sex is required; one of male, female"),
    (("retirement", "--sex", "male"), "--birth is required"),
    (("retirement", "--sex", "female", "--birth", "1978-03"), "--female-track is required for a woman in employment"),
    (("check", "--category", "platform"), "--relation is required"),
    (("compare",), "--category is required"),
    (("timeline", "--category", "flexible", "--to", "2021-01-01"), "--from is required; the first day of the span"),
    (("timeline", "--category", "flexible", "--from", "2020-01-01"), "--to is required; the last day of the span"),
])
def test_a_missing_option_is_named_never_none(args, message):
    r = run(*args)
    assert r.code == 2
    assert message in r.err
    assert "None" not in r.err


def test_a_bare_socins_names_what_is_missing():
    r = run()
    assert r.code == 2 and r.err.startswith("socins: error: command: none given: expected one of check|")
    assert len(r.err.splitlines()) == 1


@pytest.mark.parametrize("args", [("reforms", "--as-of", "bad"), ("reforms", "--as-of", "2026-02-30")])
def test_reforms_refuses_a_bad_date_with_or_without_effect(args):
    for extra in ((), ("--effect",)):
        r = run(*args, *extra)
        assert r.code == 2 and r.err.startswith('socins: error: as_of "'), r.err


def test_retirement_takes_every_person_attribute_as_check_does_and_echoes_it():
    """The contract: person attributes are options of check, retirement, timeline and compare."""
    r = run("retirement", "--sex", "male", "--birth", "1970-01", "--province", "广东", "--industry", "food-delivery",
            "--platform", "美团", "--employers", "2", "--income", "6000", "--waiver", "--as-of", "2026-06-01",
            "--format", "json")
    assert r.code == 0, r.err
    person = json.loads(r.out)["person"]
    assert (person["province"], person["industry"], person["platform"], person["employers"], person["income"],
            person["waiver"]) == ("guangdong", "food-delivery", "美团", 2, 6000, True)
    assert run("retirement", "--sex", "male", "--birth", "1970-01", "--province", "atlantis").code == 2


def test_compare_takes_waiver_as_the_api_does():
    args = ("compare", "--category", "employee", "--category", "flexible", "--as-of", "2026-06-01", "--format", "json")
    from socins_cli import api

    r = run(*args, "--waiver")
    assert r.code == 0, r.err
    assert json.loads(r.out) == api.compare(category=["employee", "flexible"], waiver=True, as_of="2026-06-01")


def test_shell_completion_prints_a_bash_script():
    """typer finds the shell among the process's parents: run under bash (forked, not exec'd), as from a terminal,
    so that a test run detached from any shell (a background job) asks the same thing."""
    import shlex
    import subprocess
    import sys

    command = f"{shlex.quote(sys.executable)} -m socins_cli --show-completion bash; exit $?"
    r = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert "complete" in r.stdout and "_SOCINS_COMPLETE" in r.stdout


def test_completion_offers_the_commands():
    r = run(env={"_SOCINS_COMPLETE": "complete_bash", "COMP_WORDS": "socins ch", "COMP_CWORD": "1"})
    assert r.out.split() == ["check"]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_two_or_more_examples_in_its_help(command):
    assert len(EXAMPLES.get(command, ())) >= 2, f"add two or three examples of {command} to socins_cli/cli/examples.py"
    out = run(command, "--help", env={"COLUMNS": "300"}).out
    for line, _ in EXAMPLES[command]:
        assert " ".join(line.split()) in " ".join(out.split())


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_help_names_the_statutes_option_it_takes(command):
    """``--statutes`` is taken before any command is built, so no command lists it among its options:
    its help must still say it (the contract gives it to every command)."""
    out = " ".join(run(command, "--help", env={"COLUMNS": "300"}).out.split())
    assert "--statutes DIR" in out and "SOCINS_STATUTES" in out


@pytest.mark.parametrize("line", [line for items in EXAMPLES.values() for line, _ in items])
def test_every_help_example_runs_as_written(line):
    argv = shlex.split(line)
    assert argv[0] == "socins"
    r = run(*argv[1:])
    assert r.code in (0, 1), (line, r.err)
    assert "Traceback" not in r.err


def test_cli_reference_is_in_step_with_the_help():
    r = subprocess.run([sys.executable, str(REPO / "tools" / "cli_reference.py"), "--check"], capture_output=True,
                       text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr


def test_completion_offers_the_formats_a_command_accepts():
    r = run(env={"_SOCINS_COMPLETE": "complete_bash", "COMP_WORDS": "socins validate --format j", "COMP_CWORD": "3"})
    assert r.out.split() == ["json", "jsonl"]


def test_cite_help_says_what_a_piped_cite_file_writes():
    """``cite --file`` writes one record a line when piped: its help says so, as list's and search's do."""
    help_text = " ".join(run("cite", "--help", env={"COLUMNS": "300"}).out.split())
    assert "JSON (JSON Lines with --file) when piped" in help_text
    r = run("cite", "--file", "-", stdin="《社会保险法》第十条、第十二条\n")
    assert r.code == 0, r.err
    assert [json.loads(line)["article"] for line in r.out.splitlines()] == ["10", "12"]
    single = run("cite", "社会保险法第十条")
    assert json.loads(single.out)["article"] == "10"  # one citation: one JSON document


def test_the_brief_row_size_the_help_gives_is_the_examples():
    """``--brief``'s help gives a row's size: the example people's brief rows average within 15% of it."""
    help_text = " ".join(run("check", "--help", env={"COLUMNS": "300"}).out.split())
    stated = float(re.search(r"a compact row \(about ([\d.]+) KB\)", help_text).group(1)) * 1000
    r = run("check", "--input", "examples/people.jsonl", "--brief", "-q", "--workers", "1")
    assert r.code == 0, r.err
    rows = r.out.encode().splitlines(keepends=True)
    average = sum(map(len, rows)) / len(rows)
    assert abs(average - stated) <= 0.15 * stated, (average, stated)


@pytest.mark.parametrize("command, args", [
    ("retirement", ("--category", "platform", "--sex", "male", "--birth", "1970-01")),
    ("timeline", ("--category", "platform", "--from", "2020-01-01", "--to", "2021-01-01")),
])
def test_relation_required_for_platform_is_said_in_the_help(command, args):
    """Where a platform worker without --relation exits 2, the option's help says it is required, as check's does."""
    r = run(command, *args)
    assert r.code == 2 and "--relation is required" in r.err
    help_text = " ".join(run(command, "--help", env={"COLUMNS": "300"}).out.split())
    assert re.search(r"--relation <str> [^│]*required for platform", help_text.replace("│ ", "")), help_text
