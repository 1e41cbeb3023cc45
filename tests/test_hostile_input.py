"""Hostile input on the command line ends in at most one error line and a contract exit code, never a traceback.

Random option values and bytes go through the real ``main()`` in-process
(fast enough for hypothesis); what needs a real process (argv bytes, output
encodings, closed pipes, signals during start-up) runs a few subprocesses.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_helpers import REPO, run
from socins_cli.cli import app

PERSON = ("--category", "--relation", "--sex", "--birth", "--female-track", "--province", "--industry",
          "--platform", "--employers", "--as-of")
OPTIONS = {
    "check": PERSON + ("--format", "--explain"),
    "retirement": PERSON + ("--format",),
    "compare": ("--category", "--as-of", "--format"),
    "inequities": ("--as-of", "--format"),
    "timeline": PERSON + ("--from", "--to", "--format"),
    "list": ("--as-of", "--format"),
    "show": ("--version", "--as-of", "--format"),
    "search": ("--instrument", "--as-of", "--format"),
    "diff": ("--format", "--substantive"),
}
GOOD = ["employee", "flexible", "platform", "civil", "male", "female", "1970-01", "guangdong", "广东",
        "2026-06-01", "9999-12-31", "0000-00-00", "json", "jsonl", "csv", "tsv", "markdown", "sil", "10", "2018",
        "food-delivery", "2", "-1", ""]
# Text as hostile as a shell can pass: control characters, line breaks, undecodable bytes (surrogateescape).
HOSTILE = st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",)) | st.sampled_from(
    ["\n", "\r", "\x00", "\x1b", "\udcff", "\udc80", "\ufeff", "\u2028"]), max_size=12)
VALUE = st.one_of(st.sampled_from(GOOD), HOSTILE)


@st.composite
def calls(draw):
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args = [command]
    if command in ("show", "diff"):
        args += draw(st.lists(VALUE, min_size=0, max_size=3))
    if command == "search":
        args.append(draw(VALUE))
    for _ in range(draw(st.integers(0, 4))):
        option = draw(st.sampled_from(OPTIONS[command]))
        args.append(option)
        if option not in ("--explain", "--substantive"):
            args.append(draw(VALUE))
    if draw(st.booleans()):
        args.append(draw(HOSTILE))
    return args


def _main_in_process(args: list[str]) -> tuple[int, str]:
    """``main(args)`` with its own stdout and stderr; SOCINS_STATUTES as it was before."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = (sys.stdout, sys.stderr, os.environ.get("SOCINS_STATUTES"))
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="backslashreplace")
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace")
    try:
        app.main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except ValueError:  # closed by a quiet end (a closed pipe)
                pass
        written = err.getvalue().decode("utf-8")
        sys.stdout, sys.stderr = saved[0], saved[1]
        if saved[2] is None:
            os.environ.pop("SOCINS_STATUTES", None)
        else:
            os.environ["SOCINS_STATUTES"] = saved[2]
    return code, written


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls())
def test_any_single_call_ends_in_a_contract_exit_code_and_one_error_line(args):
    code, err = _main_in_process(args)
    assert code in (0, 1, 2, 3), (args, code, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("socins: ") for line in lines), (args, err)
    assert sum(line.startswith("socins: error:") for line in lines) <= 1, (args, err)
    if code in (2, 3):
        assert len(lines) == 1, (args, err)


def test_a_newline_in_a_value_cannot_forge_a_second_line():
    result = run("check", "--category", "flexible\nsocins: error: forged", "--format", "json")
    assert result.code == 2
    assert result.err.splitlines() == [
        'socins: error: category "flexible\\nsocins: error: forged": '
        "expected one of employee|civil-servant|self-employed|part-time|flexible|platform|resident"]


def test_an_undecodable_argument_is_bad_input_in_one_line():
    proc = subprocess.run([sys.executable, "-m", "socins_cli", "check", "--category", "platform",
                           "--platform", b"\xff".decode("utf-8", "surrogateescape")],
                          capture_output=True, cwd=REPO, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        'socins: error: argument 5 "\\xff": expected text in the locale\'s encoding (UTF-8)']


@pytest.mark.parametrize("args,code", [
    (("cite", "社会保险法第一百二十条"), 1),
    (("show", "sil", "10", "--version", "二〇一八"), 2),
    (("check", "--category", "employee", "--province", "火星"), 2),
])
def test_an_error_naming_chinese_under_an_ascii_encoding_is_still_one_line(args, code):
    """The error escapes its value; the escape notice (a second line) is for output, not for the error itself."""
    result = run(*args, env={"PYTHONIOENCODING": "ascii"})
    assert result.code == code and "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("socins: error: ") and "\\u" in result.err


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}])
@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_an_output_encoding_without_chinese_escapes_and_says_so_once(env, fmt):
    result = run("show", "sil", "10", "--format", fmt, env=env)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) <= 1
    if result.err:
        assert result.err.startswith("socins: warning: the output encoding")
        assert "\\u7b2c\\u5341\\u6761" in result.out  # 第十条, escaped
    else:
        assert "第十条" in result.out or "\\u7b2c\\u5341\\u6761" in result.out


CLOSED_PIPE = {
    "list": ("list",),
    "check": ("check", "--category", "flexible", "--as-of", "2026-06-01"),
    "show": ("show", "sil", "10"),
    "search": ("search", "职工"),
    "compare": ("compare", "--category", "employee", "--category", "flexible", "--as-of", "2026-06-01"),
    "inequities": ("inequities", "--as-of", "2026-06-01"),
    "timeline": ("timeline", "--category", "flexible", "--from", "2020-01-01", "--to", "2030-01-01"),
}


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("name", sorted(CLOSED_PIPE))
def test_a_closed_pipe_ends_quietly_with_0(name, fmt):
    """``socins X --format F | head -c1``: the reader went away, which is not "nothing found" nor an error."""
    proc = subprocess.Popen([sys.executable, "-m", "socins_cli", *CLOSED_PIPE[name], "--format", fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env={**os.environ, "COLUMNS": "200"})
    assert proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "error" not in err


@pytest.mark.parametrize("args", [("--help",), ("check", "--help")])
def test_help_into_a_pipe_closed_before_it_prints_ends_quietly_with_0(args):
    """``socins --help | head -1`` with the reader gone first: rich prints typer's help and exits 1 on its own."""
    proc = subprocess.Popen([sys.executable, "-m", "socins_cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=REPO, env={**os.environ, "COLUMNS": "200"})
    proc.stdout.close()  # before the interpreter has started: every byte of the help meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_while_modules_import_exits_130_with_one_line():
    """Signalled at the first module imported after the entry point's (seen in -X importtime): typer still imports."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "socins_cli", "show", "sil", "10"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    seen = []
    entered = False
    for line in proc.stderr:
        seen.append(line.decode())
        if entered:
            proc.send_signal(signal.SIGINT)
            break
        entered = line.rstrip().endswith(b"socins_cli.cli.entry")
    rest = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == 130, "".join(seen) + rest
    lines = [line for line in rest.splitlines() if not line.startswith("import time:")]
    assert lines == ["socins: interrupted"], rest


@pytest.mark.parametrize("cell, shown", [("\ufeffP2", "\\ufeffP2"), ("P2\x00", "P2\\x00")])
def test_a_bom_or_nul_inside_a_csv_cell_is_an_error_record_for_its_row(cell, shown):
    rows = f"person_id,category,as_of\nP1,employee,2026-06-01\n{cell},employee,2026-06-01\nP3,employee,2026-06-01\n"
    result = run("check", "--input", "-", "--input-format", "csv", "--format", "jsonl", stdin=rows)
    assert result.code == 2
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [r.get("person_id") for r in records] == ["P1", None, "P3"]
    assert records[1]["line"] == 3 and records[1]["error"]["field"] == "person_id"
    assert records[1]["error"]["value"] == shown


@pytest.mark.parametrize("args, field", [
    (["check", "--category", "employee", "--as-of", ""], "as_of"),
    (["check", "--category", "employee", "--birth", " "], "birth"),
    (["retirement", "--sex", "male", "--birth", "1970-05", "--as-of", ""], "as_of"),
    (["show", "sil", "10", "--version", ""], "version"),
    (["search", "灵活", "--instrument", ""], "instrument"),
    (["cite", "--file", "-", "--since", ""], "since"),
    (["timeline", "--category", "employee", "--from", "", "--to", "2020-01-01"], "from"),  # as written, not `start`
    (["check", "--category", "employee", "--format", ""], "format"),
    (["validate", ""], "path"),  # an argument given empty: not the current folder
    (["show", "sil", ""], "article"),
])
def test_an_option_given_empty_is_bad_input_not_left_out(args, field):
    """An unset "$D" had answered for today's law, or for no birth, without a word."""
    r = run(*args, stdin="社会保险法第十条\n")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"socins: error: {field} ") and "is empty" in r.err and r.err.count("\n") == 1


def test_the_api_refuses_an_empty_attribute_too():
    from socins_cli import api
    from socins_cli.errors import InputError

    with pytest.raises(InputError) as raised:
        api.check(category="employee", as_of="")
    assert raised.value.field == "as_of"


def test_a_bad_since_date_names_since_not_as_of():
    r = run("cite", "--file", "-", "--since", "2015-13-01", stdin="社会保险法第十条\n")
    assert r.code == 2 and r.err.startswith('socins: error: since "2015-13-01": ')


def test_a_huge_value_is_named_by_its_start_and_length_not_echoed_whole(tmp_path):
    """A 100,000-character --category had made a 100,118-byte error line (audit L1)."""
    r = run("check", "--category", "x" * 100_000, "--as-of", "2026-06-01")
    assert r.code == 2 and r.err.count("\n") == 1 and len(r.err) < 600
    assert "…(100,000 characters)" in r.err
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"category": "y" * 2_000_000}) + "\n", encoding="utf-8")
    r = run("check", "--input", str(rows), "-q", "--brief")
    assert r.code == 2 and len(r.err) < 600 and "…(2,000,000 characters)" in r.err


@pytest.mark.parametrize("name", ["\x1b[31m美团", "美\n团", "美\x00团", "美\u2028团", "\u202e美团"])
def test_a_platform_name_with_a_control_character_is_bad_input_not_written_raw(name, tmp_path):
    """An escape in --platform had coloured a piped table; a line break split its heading (audit L2)."""
    r = run("check", "--category", "platform", "--relation", "incomplete", "--platform", name.replace("\x00", "\x01"),
            "--as-of", "2026-06-01", "--format", "table")
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert "platform" in r.err and "\x1b" not in r.err
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"category": "platform", "relation": "incomplete", "platform": name}) + "\n"
                    + json.dumps({"category": "employee"}) + "\n", encoding="utf-8")
    out = run("check", "--input", str(rows), "-q", "--brief").out  # split at \n alone: U+2028 is no line end here
    records = [json.loads(line) for line in out.split("\n") if line]
    assert records[0]["error"]["field"] == "platform" and "schemes" in records[1]


@pytest.mark.parametrize("given, read", [("2.0", 2), ("3.00", 3), ("2", 2), ("2.5", None), ("inf", None)])
def test_employers_as_a_whole_number_written_with_a_decimal_point_is_read(given, read):
    """pandas writes an integer column with gaps as 2.0: each such row had failed (audit L4); 2.5 is no count."""
    r = run("check", "--category", "employee", "--employers", given, "--as-of", "2026-06-01", "--format", "json")
    if read is None:
        assert r.code == 2 and "expected a whole number of employers" in r.err
    else:
        assert r.code == 0 and json.loads(r.out)["person"]["employers"] == read


def test_explain_with_input_is_refused_as_unavailable_not_as_a_column():
    """--explain with --input had said to give it as a column, which a batch carries and does not read (audit L7)."""
    r = run("check", "--input", str(REPO / "examples" / "people.csv"), "--explain")
    assert r.code == 2 and "is not available with --input" in r.err and r.out == ""


@pytest.mark.parametrize("args, field, allowed", [
    (("show", "sil", "10", "-p", "abc"), 'paragraph "abc"', "expected a whole number, 1 or more"),
    (("show", "sil", "10", "--paragraph", "1.5"), 'paragraph "1.5"', "expected a whole number, 1 or more"),
    (("check", "--input", "examples/people.jsonl", "--workers", "-1"), 'workers "-1"', "expected a whole number, 0 or more"),
    (("retirement", "--input", "examples/people.jsonl", "--workers", "two"), 'workers "two"', "expected a whole number, 0 or more"),
])
def test_a_number_option_given_other_text_is_refused_in_socins_words(args, field, allowed):
    """``-p abc`` and ``--workers -1`` name the option, the value and what is allowed, as every other bad value does
    (the parser had said "'abc' is not a valid int." and "-1 is not in the range x>=0.")."""
    r = run(*args)
    assert r.code == 2 and not r.out and r.err.count("\n") == 1, r
    assert r.err.startswith(f"socins: error: {field}: {allowed}"), r.err


@pytest.mark.parametrize("command, person", [
    ("check", ("--category", "employee", "--as-of", "2026-06-01")),
    ("retirement", ("--sex", "male", "--birth", "1970-01", "--as-of", "2026-06-01")),
])
@pytest.mark.parametrize("option, field", [
    (("--output", "ANSWER"), 'output "ANSWER"'), (("--bom",), 'bom "--bom"'),
    (("--encoding", "gb18030"), 'encoding "gb18030"'), (("--input-format", "csv"), 'input_format "csv"'),
    (("--workers", "2"), 'workers "2"'),
])
def test_a_batch_file_option_for_one_person_is_refused_not_ignored(tmp_path, command, person, option, field):
    """``--output answer.json`` for one person had printed the answer and written no file; the file options of a
    batch are refused for one person, as ``--brief`` and ``--fields`` are."""
    answer = str(tmp_path / "answer.json")
    r = run(command, *person, *(answer if o == "ANSWER" else o for o in option))
    assert r.code == 2 and not r.out, r
    assert f"socins: error: {field.replace('ANSWER', answer)}: applies to batches (--input FILE)" in r.err, r.err
    assert not (tmp_path / "answer.json").exists()


@pytest.mark.parametrize("workers", ["0", "00", " 0"])
def test_workers_that_read_as_the_default_are_no_batch_option_for_one_person(workers):
    """``--workers 00`` is 0 to a batch (``_worker_count``), so one person's answer takes it as the default too,
    as ``--workers 0``; it had been refused there as a count given."""
    r = run("retirement", "--sex", "male", "--birth", "1970-01", "--as-of", "2026-06-01", "--workers", workers)
    assert r.code == 0 and '"retirement_month"' in r.out, r


@pytest.mark.parametrize("args, name, shown", [
    (("check", "--category", "employee", "--quote", "--format", "csv"), "quote", "table, json, jsonl"),
    (("check", "--category", "employee", "--explain", "--format", "markdown"), "explain", "table, json, jsonl"),
    (("check", "--category", "flexible", "--quote", "--format", "table", "--reform",
      "han-flexible-workers-compulsory-insurance"), "quote", "json, jsonl"),
    (("inequities", "--quote", "--format", "tsv"), "quote", "table, json, jsonl, markdown"),
])
def test_explain_and_quote_are_refused_where_the_format_would_drop_them(args, name, shown):
    """``--quote --format csv`` had printed the rows without a word of the articles' text, ``--explain`` in markdown
    without the trace: an option whose output a format has no place for is refused, naming where it shows."""
    r = run(*args, "--as-of", "2028-06-01")
    assert r.code == 2 and not r.out, r
    assert r.err.strip() == f'socins: error: {name} "--{name}": shows in {shown} only; ' \
                            f'{args[args.index("--format") + 1]} would leave it out', r.err


def test_explain_and_quote_still_show_where_the_format_has_room():
    quoted = run("check", "--category", "flexible", "--as-of", "2026-06-01", "--quote", "--format", "table")
    assert quoted.code == 0 and "由个人缴纳基本养老保险费" in quoted.out
    markdown = run("inequities", "--as-of", "2026-06-01", "--quote", "--format", "markdown")
    assert markdown.code == 0 and "由用人单位和职工共同缴纳基本养老保险费" in markdown.out
