"""JSON Lines on several processes: the same bytes, counts and first error as one process, and clean stops."""

from __future__ import annotations

import dataclasses
import io
import os
import random
import subprocess
import sys
import threading

import orjson
import pytest

from socins_cli.batch import parallel as batch_parallel
from socins_cli.batch.read import Source
from socins_cli.batch.rows import CACHE_BYTES, BatchCounts
from socins_cli.batch.run import run_file
from socins_cli.dates import today
from socins_cli.batch.jobs import make_job
from socins_cli.errors import DataError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes are forked")

BAD = [("birth", "1990-13"), ("as_of", "2025-02-30"), ("province", "atlantis"), ("category", "freelancer"),
       ("sex", "x"), ("employers", "-1"), ("relation", "labor"), ("birth", "2031-01")]


def mixed_rows(n: int, seed: int = 7) -> bytes:
    """Valid rows of every category with bad values, bad lines, blank lines, CRLF and a truncated last line."""
    rnd = random.Random(seed)
    out = [b"\xef\xbb\xbf"]  # a UTF-8 BOM in front of line 1
    for i in range(n):
        row = {"person_id": f"P{i}", "category": rnd.choice(["employee", "flexible", "resident", "self-employed",
                                                              "civil-servant", "职工"]),
               "sex": rnd.choice(["male", "female"]), "birth": f"{rnd.randint(1955, 2000)}-{rnd.randint(1, 12):02d}",
               "province": rnd.choice(["guangdong", "广东", "上海市", "beijing"]),
               "as_of": rnd.choice(["2011-06-30", "2024-06-30", "2026-06-01", ""])}
        if row["sex"] == "female" and row["category"] in ("employee", "职工", "civil-servant"):
            row["female_track"] = rnd.choice(["worker", "cadre"])
        if i % 37 == 5:
            field, value = BAD[i % len(BAD)]
            row[field] = value
        line = orjson.dumps(row)
        if i % 101 == 7:
            line = line[: len(line) // 2]  # invalid JSON
        if i % 211 == 9:
            line = line.replace(b'"sex"', b'"s\xffx"')  # invalid UTF-8
        if i % 97 == 3:
            line = b"  "  # a blank line still counts as a line
        if i % 89 == 1:
            line = b"[1, 2]"  # JSON, not an object
        out.append(line + (b"\r\n" if i % 2 else b"\n"))
    out.append(b'{"person_id": "last", "category": "employee"')  # truncated, no line end
    return b"".join(out)


def run(path, job, workers):
    """The output written to a file through its descriptor (the workers write to it themselves)."""
    target = path.with_name(f"out-{workers}.jsonl")
    with open(target, "wb") as out:
        counts = run_file(job, str(path), output_format="jsonl", out=out, workers=workers)
    return target.read_bytes(), counts


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(batch_parallel, "BLOCK_BYTES", 4096)


@pytest.fixture
def pools(monkeypatch) -> list:
    """The worker counts of the pools started (one entry per run that forked)."""
    started = []
    pool = batch_parallel._Pool

    def counted(answer, workers, fd):
        started.append(workers)
        return pool(answer, workers, fd)

    monkeypatch.setattr(batch_parallel, "_Pool", counted)
    return started


@pytest.mark.parametrize("name", ["check", "retirement"])
def test_several_workers_write_the_bytes_one_process_writes(law, tmp_path, small_blocks, name):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(1500))
    assert batch_parallel.suits(str(path))
    job = make_job(name, law)
    one, counts_one = run(path, job, workers=1)
    two, counts_two = run(path, job, workers=2)
    three, counts_three = run(path, job, workers=3)
    assert one == two == three
    assert counts_one.rows == counts_two.rows == counts_three.rows == one.count(b"\n")
    assert counts_one.failed == counts_two.failed > 50
    assert counts_one.summary() == counts_two.summary() == counts_three.summary()
    lines = [orjson.loads(line).get("line") for line in one.splitlines()]
    assert [n for n in lines if n is not None] == sorted(n for n in lines if n is not None)


def test_blocks_cut_after_line_ends_and_count_lines(tmp_path):
    data = b"a\n\nbb\r\n" + b"x" * 50 + b"\nlast"
    path = tmp_path / "f"
    path.write_bytes(data)
    with open(path, "rb") as fh:
        found = list(batch_parallel.blocks(fh, 8))
    assert b"".join(data[o:o + n] for o, n, _ in found) == data
    assert all(data[o + n - 1:o + n] == b"\n" for o, n, _ in found[:-1])
    assert [line for _, _, line in found] == [1 + data[:o].count(b"\n") for o, _, _ in found]
    assert any(n > 8 for _, n, _ in found)  # the long line is one block, not cut


def test_a_broken_law_in_a_worker_is_raised_in_the_parent_and_no_worker_is_left(law, tmp_path, small_blocks):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(600))

    def broken(person):
        raise DataError("statutes/parameters/retirement.toml", "parameter", "x", "no such parameter")

    job = dataclasses.replace(make_job("retirement", law), evaluate=broken)
    with pytest.raises(DataError, match="no such parameter"):
        run(path, job, workers=2)
    _no_worker_left()


def _no_worker_left():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("name", ["check", "retirement"])
def test_workers_write_to_a_pipe_and_to_an_output_file_the_bytes_one_process_writes(law, tmp_path, small_blocks, name):
    """Through a pipe read as it fills (stdout into ``| less``), and through ``--output FILE``."""
    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(1200, seed=11))
    job = make_job(name, law)
    one, counts_one = run(path, job, workers=1)
    read_end, write_end = os.pipe()
    got = []
    reader = threading.Thread(target=lambda: got.append(_read_all(read_end)))
    reader.start()
    with os.fdopen(write_end, "wb") as out:
        counts_pipe = run_file(job, str(path), output_format="jsonl", out=out, workers=2)
    reader.join()
    os.close(read_end)
    target = tmp_path / "answers.jsonl"
    counts_file = run_file(job, str(path), output_format="jsonl", output=str(target), workers=2)
    assert got[0] == one == target.read_bytes()
    assert counts_one.summary() == counts_pipe.summary() == counts_file.summary() is not None
    assert counts_one.rows == counts_pipe.rows == counts_file.rows
    _no_worker_left()


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def test_the_first_error_and_line_numbers_come_from_the_blocks_in_order(law, tmp_path, small_blocks):
    """Bad rows only in blocks answered by workers: the first one counted is still the first in the file."""
    good = b'{"category": "employee", "sex": "male", "birth": "1970-01"}\n'
    lines = [good] * 3000
    lines[2500] = b'{"category": "employee", "sex": "male", "birth": "1970-13"}\n'
    lines[1700] = b'{"category": "employee", "sex": "x", "birth": "1970-01"}\n'
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(lines))
    out, counts = run(path, make_job("retirement", law), workers=2)
    assert counts.failed == 2 and counts.rows == 3000
    assert counts.first_error[0] == 1701
    assert [orjson.loads(line).get("line") for line in out.splitlines() if b'"error"' in line] == [1701, 2501]


def test_a_worker_that_dies_is_an_error_in_the_parent_and_no_worker_is_left(law, tmp_path, small_blocks):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(b'{"category": "employee", "sex": "male", "birth": "%d-%02d"}\n' % (1950 + i // 12, i % 12 + 1)
                              for i in range(600)))
    parent = os.getpid()
    job = make_job("retirement", law)

    def dies_in_a_worker(person):
        if os.getpid() != parent:
            os._exit(9)
        return job.evaluate(person)

    with pytest.raises(DataError, match="a worker process ended"):
        run(path, dataclasses.replace(job, evaluate=dies_in_a_worker), workers=2)
    _no_worker_left()


def test_a_closed_pipe_stops_the_workers(law, tmp_path, small_blocks):
    """``| head``: the reader goes away once workers write; the run ends with BrokenPipeError and no worker left."""
    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(3000))
    head = subprocess.Popen([sys.executable, "-c", "import sys; print(len(sys.stdin.buffer.read(8 << 20)))"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # past the first block's output (~1 MiB)
    with pytest.raises(BrokenPipeError):
        run_file(make_job("check", law), str(path), output_format="jsonl", out=head.stdin, workers=2)
    assert head.communicate(timeout=60)[0] == b"8388608\n"
    _no_worker_left()


def test_an_output_in_memory_is_answered_in_one_process(law, tmp_path, small_blocks):
    """No descriptor the workers could write to: the same bytes, from the main process alone."""
    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(600))
    job = make_job("check", law)
    out = io.BytesIO()
    counts = run_file(job, str(path), output_format="jsonl", out=out, workers=2)
    assert out.getvalue() == run(path, job, workers=1)[0]
    assert counts.failed > 10
    assert batch_parallel.descriptor(out) is None
    direct, counted = io.BytesIO(), BatchCounts()  # the blocks answered one after another
    source = Source(str(path), "auto")
    source.close()
    batch_parallel.run_jsonl_file(job, str(path), source.encoding, source.how(), direct, 2, today(), None,
                                  CACHE_BYTES, counted)
    assert direct.getvalue() == out.getvalue()
    assert counted.summary() == counts.summary()


def projected(law, path, job, workers: int, fmt: str, tmp_path, **asked) -> tuple[bytes, BatchCounts]:
    """A projection's rows written to a file (the workers write to its descriptor themselves)."""
    from socins_cli.batch.fields import Projection

    target = tmp_path / f"projected-{workers}.{fmt}"
    with open(target, "wb") as out:
        sink = Projection(out, job.name, fmt, law=law, **asked)
        counts = run_file(job, str(path), output_format="jsonl", out=sink, workers=workers)
        sink.close()
    return target.read_bytes(), counts


@pytest.mark.parametrize("fmt, asked", [
    ("jsonl", {"brief_rows": True}),
    ("csv", {"brief_rows": True}),
    ("tsv", {"fields": ["person_id", "line", "error", "as_of", "employee-pension.status", "person.province"]}),
    ("jsonl", {"fields": ["person_id", "person.birth", "work-injury.citations", "inequities"]}),
])
def test_brief_rows_and_fields_asked_of_several_workers_are_the_rows_of_one_process(law, tmp_path, small_blocks, pools,
                                                                                    fmt, asked):
    """Each worker shapes its rows with the projection's sink: the bytes, counts and first error of one process."""
    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(900))
    job = make_job("check", law)
    one, counts_one = projected(law, path, job, 1, fmt, tmp_path, **asked)
    for workers in (2, 3):
        several, counts = projected(law, path, job, workers, fmt, tmp_path, **asked)
        assert several == one
        assert counts.summary() == counts_one.summary() and counts.rows == counts_one.rows
    assert pools == [2, 3]
    assert one.count(b"\n") == counts_one.rows + (fmt != "jsonl")  # a header on CSV and TSV


def test_a_projection_is_forked_only_once_a_row_has_fixed_its_columns(law, tmp_path, small_blocks, pools):
    """A first block of blank lines fixes no columns: one header all the same, written by the main process."""
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\n" * 5000 + mixed_rows(400))
    job = make_job("check", law)
    one, _ = projected(law, path, job, 1, "csv", tmp_path, brief_rows=True)
    two, _ = projected(law, path, job, 2, "csv", tmp_path, brief_rows=True)
    assert two == one
    assert one.count(b"line,error,as_of") == 1
    assert pools == []  # the rest was answered where the columns were fixed


def test_brief_rows_into_memory_are_answered_in_one_process(law, tmp_path, small_blocks):
    """A projection onto an output with no descriptor: one process, the rows of one process."""
    from socins_cli.batch.fields import Projection

    path = tmp_path / "rows.jsonl"
    path.write_bytes(mixed_rows(600))
    job = make_job("check", law)
    written = []
    for workers in (1, 2):
        out = io.BytesIO()
        sink = Projection(out, "check", "jsonl", brief_rows=True, law=law)
        assert batch_parallel.descriptor(batch_parallel.target_of(sink)) is None
        run_file(job, str(path), output_format="jsonl", out=sink, workers=workers)
        sink.close()
        written.append(out.getvalue())
    assert written[0] == written[1] and written[0].count(b"\n") > 500


def test_stdin_and_small_files_run_in_one_process(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b'{"category": "employee"}\n')
    assert not batch_parallel.suits(str(path))
    assert not batch_parallel.suits("/dev/stdin")
    assert batch_parallel.default_workers() >= 1


def test_workers_answer_on_a_frozen_heap_and_the_parent_is_left_unfrozen(law, tmp_path, small_blocks):
    """The heap the workers inherit is out of their collector's sight (its pages stay shared); not the parent's."""
    import gc

    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(b'{"category": "employee", "sex": "male", "birth": "%d-%02d"}\n' % (1950 + i // 12, i % 12 + 1)
                              for i in range(400)))  # every row a birth of its own: a key of its own
    job = dataclasses.replace(make_job("retirement", law),
                              evaluate=lambda person: {"frozen": gc.get_freeze_count() > 0})
    out, counts = run(path, job, workers=2)
    frozen = [orjson.loads(line)["frozen"] for line in out.splitlines()]
    assert counts.rows == len(frozen) == 400
    assert frozen[0] is False and frozen[-1] is True  # the first block is answered here, the rest by workers
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("cores, expected", [(1, 1), (2, 2), (3, 3), (4, 4), (16, batch_parallel.MAX_WORKERS)])
def test_the_default_worker_count_is_one_per_core_where_workers_write_for_themselves(monkeypatch, cores, expected):
    """``--workers 0``: one per core, two on two cores, where two workers writing their own output measured faster."""
    monkeypatch.setattr(batch_parallel, "usable_cores", lambda: cores)
    assert batch_parallel.default_workers() == expected


def test_auto_workers_answer_a_file_of_a_few_blocks_in_one_process(monkeypatch, tmp_path):
    """``--workers 0``: a file under ``AUTO_MIN_BYTES`` is over before workers would pay back their start."""
    monkeypatch.setattr(batch_parallel, "usable_cores", lambda: 2)
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    small.write_bytes(b"x" * (batch_parallel.AUTO_MIN_BYTES - 1))
    large.write_bytes(b"x" * batch_parallel.AUTO_MIN_BYTES)
    assert batch_parallel.suits(str(small))  # more than one block: --workers 2 would fork for it
    assert batch_parallel.default_workers(str(small)) == 1
    assert batch_parallel.default_workers(str(large)) == 2
    assert batch_parallel.default_workers(str(tmp_path / "missing.jsonl")) == 2  # its error is said when opened


def test_auto_workers_run_a_small_file_in_this_process(monkeypatch, law, tmp_path):
    """Through ``run_file``: ``workers=0`` on a file of two blocks but under ``AUTO_MIN_BYTES`` never forks."""
    from socins_cli.batch import run as batch_run

    path = tmp_path / "rows.jsonl"
    path.write_bytes(b'{"category": "employee", "sex": "male", "birth": "1970-01"}\n' * 20_000)  # ~1.2 MB
    assert batch_parallel.BLOCK_BYTES < path.stat().st_size < batch_parallel.AUTO_MIN_BYTES
    monkeypatch.setattr(batch_parallel, "usable_cores", lambda: 2)
    forked = []
    monkeypatch.setattr(batch_parallel, "run_jsonl_file", lambda *a, **k: forked.append(a))
    answers = tmp_path / "answers.jsonl"  # a file the workers could write to
    counts = batch_run.run_file(make_job("retirement", law), str(path), output=str(answers), workers=0)
    assert not forked and counts.rows == 20_000 and answers.read_bytes().count(b"\n") == 20_000
