"""``socins check --input`` / ``socins retirement --input`` as a user runs them: pipes, exit codes, Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

from batch_helpers import jsonl_bytes

SOCINS = Path(sys.executable).with_name("socins")
COMMAND = [str(SOCINS)] if SOCINS.exists() else [sys.executable, "-m", "socins_cli"]


def _batch_supported(name: str) -> str | None:
    """None when ``socins NAME --input`` runs batches, else the reason to skip."""
    probe = subprocess.run([*COMMAND, name, "--input", "-", "--format", "jsonl"], input=b"", capture_output=True)
    if probe.returncode != 0:
        return f"socins {name} --input is not wired to the batch runner yet: {probe.stderr.decode().strip()}"
    return None


def rows(n: int) -> list[dict]:
    return [{"person_id": f"P{i}", "category": "employee", "sex": "male", "birth": "1970-01",
             "province": "广东", "as_of": "2026-06-01"} for i in range(n)]


@pytest.fixture(scope="module", params=["check", "retirement"])
def command(request):
    reason = _batch_supported(request.param)
    if reason:
        pytest.skip(reason)
    return request.param


def test_head_closes_the_pipe_and_socins_ends_quietly(command, tmp_path):
    src = tmp_path / "rows.jsonl"
    src.write_bytes(jsonl_bytes(rows(200_000)))
    proc = subprocess.Popen([*COMMAND, command, "--input", str(src), "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert orjson.loads(first)["person_id"] == "P0"
    assert code == 0 and stderr == "", stderr


def test_bad_rows_give_exit_2_and_a_one_line_summary(command, tmp_path):
    data = rows(3)
    data[1]["birth"] = "1990-13"
    src = tmp_path / "rows.jsonl"
    src.write_bytes(jsonl_bytes(data) + b"{truncated")
    proc = subprocess.run([*COMMAND, command, "--input", str(src), "--format", "jsonl"], capture_output=True)
    out = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 2
    assert [r.get("line") for r in out] == [None, 2, None, 4]
    assert proc.stderr.decode().splitlines() == [
        'socins: 2 of 4 rows failed; first: line 2: birth "1990-13": month must be 01-12']


def test_csv_from_stdin_with_gb18030_and_injection(command):
    text = "person_id,category,sex,birth,province,as_of\r\n=cmd(),职工,男,1970-01,广东省,2026-06-01\r\n"
    proc = subprocess.run([*COMMAND, command, "--input", "-", "--input-format", "csv", "--format", "csv"],
                          input=text.encode("gb18030"), capture_output=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[1].startswith("'=cmd(),")
    assert ",guangdong," in lines[1]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_exits_130_with_one_line(command):
    """On stdin that never ends, once the first answer is out: the run cannot have finished first."""
    proc = subprocess.Popen([*COMMAND, command, "--input", "-", "--format", "jsonl"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(jsonl_bytes(rows(100)))
    proc.stdin.flush()  # and never closed while it runs: the input never ends
    assert proc.stdout.readline().startswith(b'{"person_id":"P0"')  # started, and answering
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # the rest, so no write blocks its end
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=30)
    err = proc.stderr.read()
    proc.stdin.close()
    assert code == 130
    assert err.decode().splitlines() == ["socins: interrupted"], err


def _children(pid: int) -> list[str]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.read_text().split() if children.exists() else []


def _start_two_workers(command, tmp_path):
    """A file too big to finish unread, run on two workers; returns once both workers answer.

    stdout is read only until the workers are seen: after that the pipe fills and
    the run blocks, so it cannot end before the signal comes, however fast the machine.
    """
    src = tmp_path / "rows.jsonl"
    src.write_bytes(jsonl_bytes(rows(400_000)))
    proc = subprocess.Popen([*COMMAND, command, "--input", str(src), "--format", "jsonl", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: list[str] = []
    while len(workers) < 2:
        chunk = proc.stdout.read1(1 << 16)
        assert chunk, f"the run ended before its workers started: {proc.stderr.read().decode()}"
        workers = _children(proc.pid)
    return proc, workers


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers through /proc")
@pytest.mark.parametrize("signum, code, line", [(signal.SIGINT, 130, "socins: interrupted"),
                                                (signal.SIGTERM, 143, "socins: terminated")])
def test_ctrl_c_during_a_file_on_two_workers_exits_130_and_leaves_no_worker(command, tmp_path, signum, code, line):
    """Ctrl-C ends 130, SIGTERM 143; either way no worker outlives the run."""
    proc, workers = _start_two_workers(command, tmp_path)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    assert err.decode().splitlines() == [line], err
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers through /proc")
def test_a_reader_that_stops_while_two_workers_write_ends_the_run_quietly(command, tmp_path):
    """``| head`` on a file the workers write themselves: exit 0, nothing on stderr, no worker left."""
    proc, workers = _start_two_workers(command, tmp_path)
    proc.stdout.close()
    code = proc.wait(timeout=30)
    assert code == 0
    assert proc.stderr.read() == b""
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


@pytest.mark.parametrize("kind", ["jsonl", "big-jsonl", "csv", "parquet", "parquet-to-csv"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(command, tmp_path, kind):
    """No traceback: the field, the path and why (the big file takes the several-workers way)."""
    src = tmp_path / f"rows.{'parquet' if kind.startswith('parquet') else kind.replace('big-', '')}"
    n = 20_000 if kind == "big-jsonl" else 3
    if kind.startswith("parquet"):
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        pq.write_table(pa.Table.from_pylist(rows(n)), src)
    elif kind == "csv":
        src.write_text("person_id,category\nP1,employee\n", encoding="utf-8")
    else:
        src.write_bytes(jsonl_bytes(rows(n)))
    target = tmp_path / "missing-folder" / ("out.csv" if kind == "parquet-to-csv" else
                                            "out.parquet" if kind == "parquet" else "out.jsonl")
    proc = subprocess.run([*COMMAND, command, "--input", str(src), "--output", str(target)], capture_output=True)
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 2, proc.stderr.decode()
    assert len(lines) == 1 and lines[0].startswith(f'socins: error: output "{target}": cannot be written'), lines


@pytest.mark.parametrize("kind", ["jsonl", "big-jsonl", "csv", "parquet", "link", "stdin", "stdout-appended"])
def test_an_output_that_is_the_input_file_is_refused_and_the_input_kept(command, tmp_path, kind):
    """--output the input itself would overwrite the rows being read, or read its own answers back without end
    until the disk is full: refused before anything is written, one line, exit 2."""
    src = tmp_path / ("rows.parquet" if kind == "parquet" else "rows.csv" if kind == "csv" else "rows.jsonl")
    if kind == "parquet":
        pa = pytest.importorskip("pyarrow")
        pytest.importorskip("pyarrow.parquet").write_table(pa.Table.from_pylist(rows(3)), src)
    elif kind == "csv":
        src.write_text("person_id,category,sex,birth\nP1,employee,male,1970-01\n", encoding="utf-8")
    else:
        src.write_bytes(jsonl_bytes(rows(20_000 if kind == "big-jsonl" else 3)))
    before = src.read_bytes()
    target = src
    if kind == "link":
        target = tmp_path / "alias.jsonl"
        target.symlink_to(src)
    args = [*COMMAND, command, "--input", "-" if kind == "stdin" else str(src), "--workers", "2"]
    if kind == "stdout-appended":
        with open(src, "ab") as stdout:
            proc = subprocess.run(args, stdout=stdout, stderr=subprocess.PIPE, timeout=60)
    else:
        with open(src, "rb") as stdin:
            proc = subprocess.run([*args, "--output", str(target)], stdin=stdin, capture_output=True, timeout=60)
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "is the input file" in lines[0], lines
    assert src.read_bytes() == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
@pytest.mark.parametrize("how", ["output", "stdout", "single call"])
def test_a_full_disk_is_one_line_and_exit_2(command, tmp_path, how):
    src = tmp_path / "rows.jsonl"
    src.write_bytes(jsonl_bytes(rows(3)))
    args = {"output": ["--input", str(src), "--output", "/dev/full"], "stdout": ["--input", str(src)],
            "single call": ["--category", "employee", "--sex", "male", "--birth", "1970-01"]}[how]
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([*COMMAND, command, *args], stdout=full, stderr=subprocess.PIPE)
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 2
    # the answer's warnings (partial sources, a date after the last review) come first, as in every format
    errors = [line for line in lines if not line.startswith("socins: warning: ")]
    assert errors == ["socins: error: reading or writing failed: No space left on device"], lines


@pytest.mark.parametrize("form", ["jsonl", "csv", "fields", "brief-csv", "parquet", "parquet-to-jsonl"])
def test_the_failure_summary_escapes_line_breaks_and_control_characters(command, tmp_path, form):
    """As the single command's error line: the value echoed in the summary cannot break it or reach the terminal."""
    if form.startswith("parquet"):
        pytest.importorskip("pyarrow")
    bad = "bo\ngus\x1b[31mRED\x07x"
    data = [{"person_id": "p1", "category": bad, "sex": "male", "birth": "1970-01", "as_of": "2026-06-01"}]
    args = []
    if form in ("jsonl", "fields", "brief-csv"):
        src = tmp_path / "rows.jsonl"
        src.write_bytes(jsonl_bytes(data))
        args = {"fields": ["--fields", "person_id,error"], "brief-csv": ["--brief", "--format", "csv"]}.get(form, [])
        if form == "brief-csv" and command != "check":
            args = ["--format", "csv"]
    elif form == "csv":
        # a line break in a CSV attribute cell reads as a quote left open (each line its own record): control
        # characters only here
        src = tmp_path / "rows.csv"
        src.write_bytes(("person_id,category,as_of\r\np1,\"" + bad.replace("\n", "") + "\",2026-06-01\r\n").encode())
        args = ["--format", "csv"]
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        src = tmp_path / "rows.parquet"
        pq.write_table(pa.table({k: [r[k] for r in data] for k in data[0]}), src)
        args = ["--output", str(tmp_path / "out.parquet")] if form == "parquet" else []
    proc = subprocess.run([*COMMAND, command, "--input", str(src), *args], capture_output=True)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), stderr
    shown = "bogus\\x1b[31mRED\\x07x" if form == "csv" else "bo\\ngus\\x1b[31mRED\\x07x"
    assert "1 of 1 rows failed" in stderr and shown in stderr, stderr
    assert stderr[:-1].isprintable(), stderr


@pytest.mark.parametrize("brief", [False, True])
def test_batch_tsv_lines_end_lf_for_cut_and_csv_lines_crlf(brief):
    """RFC 4180 has CSV records end CRLF; TSV is read by cut and awk, where a CR would stay in the last cell."""
    people = Path(__file__).resolve().parent.parent / "examples" / "people.csv"
    extra = ["--brief"] if brief else []
    tsv, csv_ = (subprocess.run([*COMMAND, "check", "--input", str(people), "--format", fmt, *extra],
                                capture_output=True).stdout for fmt in ("tsv", "csv"))
    assert b"\r" not in tsv and tsv.count(b"\n") == csv_.count(b"\r\n") > 1
