"""Batch throughput against the true I/O floor, in one run: ``python benchmarks/batch.py``.

For each size N (``--rows``, default 100,000 and 1,000,000; ``--jsonl-rows``
adds sizes run for JSON Lines only) it generates N realistic person rows
(mixed categories, relations, provinces in pinyin and Chinese, industries,
platforms, births, survey dates; 1% bad rows of every kind: bad values,
contradictions, invalid JSON, a wrong cell count, invalid UTF-8) as JSON
Lines, CSV and Parquet, then measures, side by side, for ``check`` and
``retirement`` (and ``--brief`` rows with ``FORMAT-brief``):

(a) the true I/O floor: a process that parses each input row with the
    library socins parses it with (orjson, ``csv``, pyarrow) and writes,
    per row, one line of the byte length socins wrote for that row (taken
    from an untimed socins run), in 64 KiB chunks; for Parquet, pyarrow
    reading the input and writing socins's own answer table (same columns,
    types and values, copied from that run) with socins's writer options.
    No legal logic, and nothing a faster socins could skip;
(b) a naive implementation, for reference only: per row, the row merged
    with one real result and re-serialised whole (JSONL, CSV), or the
    result broadcast by dictionary (Parquet). socins skips work it does, so
    it is no floor;
(c) ``socins <job> --input FILE`` as users run it (default ``--workers``),
    JSON Lines and CSV to stdout, Parquet in and out with ``--output``;
(d) with ``--against LABEL=PATH``, another installed socins (an earlier
    commit's, say) run the same way in the same turns, for a before/after
    ratio from one run.

Output goes to /dev/null (Parquet to a scratch file). Times are end to end
(process start included), the minimum over ``--repeat`` runs, (a), (b) and
(c) taking turns; peak RSS is the child's own (``os.wait4``) or the sum
over it and its workers, the largest over the runs. It prints a markdown
table for the README. Run it with socins installed as users install it
(``python -m venv v && v/bin/pip install '.[arrow]' && v/bin/python
benchmarks/batch.py``): an editable install recompiles every module at each
start when ``PYTHONDONTWRITEBYTECODE`` is set, and the script warns.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
SOCINS = Path(PYTHON).with_name("socins")
HERE = Path(__file__).resolve()
COLUMNS = ["person_id", "category", "relation", "sex", "birth", "female_track", "province", "industry",
           "platform", "employers", "as_of"]
CATEGORIES = [("employee", 45), ("flexible", 14), ("resident", 14), ("platform", 10), ("self-employed", 7),
              ("part-time", 5), ("civil-servant", 3), ("职工", 1), ("灵活就业人员", 1)]
#: Platforms by industry, as riders and drivers work for them (a rider file names one of its industry's platforms).
PLATFORMS = {"food-delivery": ["美团", "饿了么"], "ride-hailing": ["滴滴出行", "曹操出行", "T3出行"],
             "instant-delivery": ["闪送", "达达"], "intra-city-freight": ["货拉拉"], "other": [""]}
SURVEY_DATES = ["2011-06-30", "2018-12-31", "2022-06-30", "2023-06-30", "2024-06-30", "2025-06-30",
                "2025-12-31", "2026-06-01"]
BAD_VALUES = [("birth", "1990-13"), ("as_of", "2025-02-30"), ("province", "atlantis"), ("category", "freelancer"),
              ("sex", "x"), ("employers", "-1"), ("relation", "labor"), ("female_track", "cadre"),
              ("birth", "2031-01")]


# -- data ------------------------------------------------------------------------

def make_rows(n: int, seed: int = 2024):
    from socins_cli.person import PROVINCES

    rnd = random.Random(seed)
    provinces = list(PROVINCES.items())
    cats, weights = zip(*CATEGORIES)
    for i in range(n):
        category = rnd.choices(cats, weights)[0]
        sex = rnd.choice(("male", "female"))
        pid, name = rnd.choice(provinces)
        row = {"person_id": f"P{i:08d}", "category": category, "sex": sex,
               "birth": f"{rnd.randint(1955, 2006)}-{rnd.randint(1, 12):02d}",
               "province": rnd.choice((pid, name, name + ("市" if pid in ("beijing", "shanghai", "tianjin",
                                                                           "chongqing") else "省"))),
               "as_of": rnd.choice(SURVEY_DATES + [""])}
        if category == "platform":
            row["relation"] = rnd.choices(("labor", "incomplete", "civil"), (2, 5, 3))[0]
            row["industry"] = rnd.choice(tuple(PLATFORMS))
            row["platform"] = rnd.choice(PLATFORMS[row["industry"]])
        if sex == "female" and category in ("employee", "civil-servant", "职工"):
            row["female_track"] = rnd.choice(("worker", "cadre"))
        if category == "part-time":
            row["employers"] = str(rnd.choice((1, 1, 2, 3)))
        if i % 100 == 37:  # 1% bad rows, every kind in turn
            field, value = BAD_VALUES[(i // 100) % len(BAD_VALUES)]
            row[field] = value
            if field == "female_track":
                row["sex"] = "male"
        yield row


def write_inputs(n: int, folder: Path) -> dict:
    import csv

    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = {"jsonl": folder / f"rows-{n}.jsonl", "csv": folder / f"rows-{n}.csv",
             "parquet": folder / f"rows-{n}.parquet"}
    columns = {c: [] for c in COLUMNS}
    with open(paths["jsonl"], "wb") as fj, open(paths["csv"], "w", encoding="utf-8", newline="") as fc:
        writer = csv.writer(fc, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for i, row in enumerate(make_rows(n)):
            line = orjson.dumps(row)
            cells = [row.get(c, "") for c in COLUMNS]
            if i == n // 3:
                line = line[: len(line) // 2]  # invalid JSON
                cells = cells[:-2]  # wrong cell count
            if i == n // 2:
                line = line.replace(b'"sex"', b'"s\xffx"')  # invalid UTF-8
            fj.write(line + b"\n")
            writer.writerow(cells)
            for c in COLUMNS:
                columns[c].append(row.get(c) or None)
    with open(paths["csv"], "r+b") as fc:  # one cell of invalid UTF-8
        data = fc.read()
        at = data.index(b"\r\n", len(data) // 2) + 2
        fc.seek(at)
        fc.write(b"\xff")
    pq.write_table(pa.table(columns), paths["parquet"])
    return paths


# -- the floors ------------------------------------------------------------------

def record(fmt: str, answer: str, shape: str) -> None:
    """Keep the shape of one socins answer (``answer``, written untimed) for the true floor, in ``shape``.

    JSON Lines and CSV: the byte length of each output line, in order, as an
    ``array('I')`` file. Parquet: socins's answer table itself, as an Arrow
    IPC file the floor maps from disk (same columns, types and values).
    Run in a child, so that the parent's peak memory stays out of the
    measured children's (Linux carries ``ru_maxrss`` over a fork).
    """
    from array import array

    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pq.read_table(answer).unify_dictionaries()  # an IPC file holds one dictionary per column
        with pa.OSFile(shape, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        return
    sizes = array("I")
    with open(answer, "rb") as fh:
        sizes.extend(len(line) for line in fh)
    with open(shape, "wb") as fh:
        sizes.tofile(fh)


def true_floor(fmt: str, path: str, shape: str, out: str) -> None:
    """The true I/O floor: parse every input row, write an answer of socins's own size; no legal logic.

    Nothing here is work a faster socins could skip: each row is parsed
    with the library socins parses it with (orjson, ``csv``, pyarrow) and
    each answer line costs one ``bytes`` of the length socins wrote for that
    row (from ``record``), written in 64 KiB chunks as socins writes. For
    Parquet, the whole input is read with pyarrow and socins's answer table
    (same columns, types and values) is written with socins's writer options.
    The input is read with ``ParquetFile.read``, as socins reads it:
    ``read_table`` goes through ``pyarrow.dataset`` (~50 ms more here) and
    imports pandas where it is installed (~0.25 s more).
    """
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.ParquetFile(path).read()
        with pa.memory_map(shape) as source:
            answers = pa.ipc.open_file(source).read_all()
        dictionary_columns = [f.name for f in answers.schema if pa.types.is_dictionary(f.type)]
        pq.write_table(answers, out, compression="snappy", use_dictionary=dictionary_columns or False,
                       write_statistics=["line"] if "line" in answers.schema.names else True)
        return
    from array import array

    sizes = array("I")
    with open(shape, "rb") as fh:
        sizes.frombytes(fh.read())
    longest = max(sizes, default=1)
    blank = b" " * (longest - 1) + b"\n"  # a line of n bytes is blank[longest - n:]
    size_of = iter(sizes)
    buf, held = [], 0
    with open(out, "wb") as dst:
        for _ in (_jsonl_rows if fmt == "jsonl" else _csv_rows)(path):
            n = next(size_of, 0)
            buf.append(blank[longest - n:])
            held += n
            if held > 1 << 16:
                dst.write(b"".join(buf))
                buf, held = [], 0
        buf.extend(blank[longest - n:] for n in size_of)  # answer lines past the last input row, if any
        dst.write(b"".join(buf))


def _jsonl_rows(path: str):
    """Each line parsed with orjson (None for a line that is not JSON), as socins parses it."""
    import orjson

    loads, error = orjson.loads, orjson.JSONDecodeError
    with open(path, "rb") as src:
        for line in src:
            try:
                yield loads(line)
            except error:
                yield None


def _csv_rows(path: str):
    """Each record parsed with the ``csv`` module, as socins parses it."""
    import csv

    with open(path, encoding="utf-8", errors="replace", newline="") as src:
        yield from csv.reader(src)


def template(job: str):
    """A real result of the job for a typical person: what the naive implementation writes per row."""
    from socins_cli.batch.jobs import make_job
    from socins_cli.law.load import load_law
    from socins_cli.person import make_person

    from socins_cli.engines.answers import check
    from socins_cli.engines.retirement import retirement

    law = load_law()
    spec = make_job(job, law)
    person = make_person(category="platform", relation="incomplete", sex="female", birth="1985-07",
                         province="广东", industry="food-delivery", platform="美团", as_of="2026-06-01")
    result = (check if job == "check" else retirement)(law, person)  # the single-call result, echo included
    flat = spec.flatten({k: v for k, v in result.items() if k not in spec.echo_keys})
    return result, [flat.get(c) for c in spec.columns], spec


def naive(fmt: str, job: str, path: str, out: str) -> None:
    """A naive implementation, for reference only (not a floor): per row, the row merged with one real
    result and re-serialised whole (JSONL, CSV), or a result broadcast by dictionary (Parquet).

    socins renders each distinct result once and splices it, so it skips work this does.
    """
    result, cells, spec = template(job)
    if fmt == "jsonl":
        import orjson

        loads, dumps = orjson.loads, orjson.dumps
        extra = {k: v for k, v in result.items()}
        buf, size = [], 0
        with open(path, "rb") as src, open(out, "wb") as dst:
            for line in src:
                try:
                    row = loads(line)
                except orjson.JSONDecodeError:
                    row = {}
                data = dumps({**row, **extra}) + b"\n"
                buf.append(data)
                size += len(data)
                if size > 1 << 16:  # as socins chunks its output: under glibc's mmap threshold
                    dst.write(b"".join(buf))
                    buf, size = [], 0
            dst.write(b"".join(buf))
    elif fmt == "csv":
        import csv

        from socins_cli.batch.write import cell_text

        tail = [cell_text(c) for c in cells]
        with open(path, encoding="utf-8", errors="replace", newline="") as src, \
                open(out, "w", encoding="utf-8", newline="") as dst:
            writer = csv.writer(dst, lineterminator="\r\n")
            batch = []
            for rec in csv.reader(src):
                batch.append(rec + ["", ""] + rec[1:] + tail)
                if len(batch) >= 256:
                    writer.writerows(batch)
                    batch.clear()
            writer.writerows(batch)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from socins_cli.batch.arrow import _column_types, _typed

        kinds = [spec.column_types.get(c, "string") for c in spec.columns]
        types = _column_types(pa, spec)
        values = [pa.array([_typed(v, k)], t) for v, k, t in zip(cells, kinds, types)]
        pf = pq.ParquetFile(path)
        writer = None
        for batch in pf.iter_batches(batch_size=1 << 18):
            n = batch.num_rows
            zeros = pa.nulls(n, pa.int32()).fill_null(0)
            cols = list(batch.columns) + [pa.nulls(n, pa.int64()).fill_null(1), pa.nulls(n, pa.string())]
            cols += [pa.DictionaryArray.from_arrays(zeros, c.dictionary_encode().dictionary)
                     if not pa.types.is_null(c.type) else c for c in batch.columns[1:]]
            cols += [pa.DictionaryArray.from_arrays(zeros, v) for v in values]
            names = batch.schema.names + ["line", "error"] + [f"a.{c}" for c in batch.schema.names[1:]] + list(spec.columns)
            table = pa.Table.from_arrays(cols, names=names)
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema, compression="snappy", write_statistics=["line"])
            writer.write_table(table)
        if writer is not None:
            writer.close()


# -- measuring -----------------------------------------------------------------------

def cli_supports(job: str, fmt: str) -> bool:
    """Whether the console script runs this job's batches (and writes Parquet with ``--output``)."""
    if not SOCINS.exists():
        return False
    probe = subprocess.run([str(SOCINS), job, "--input", "-", "--format", "jsonl"], input=b"", capture_output=True)
    if probe.returncode != 0:
        return False
    if fmt == "parquet":
        return "--output" in subprocess.run([str(SOCINS), job, "--help"], capture_output=True, text=True).stdout
    return True


def has_option(job: str, option: str) -> bool:
    """Whether ``socins JOB`` takes ``option``: a line of its help that starts with it (not a mention in another's)."""
    import re

    text = subprocess.run([str(SOCINS), job, "--help"], capture_output=True, text=True).stdout
    return re.search(rf"^\W*{re.escape(option)}\b", text, re.MULTILINE) is not None


def socins_command(job: str, fmt: str, path: Path, out: str, cli: bool, brief: bool = False,
                   socins: Path = SOCINS) -> list[str]:
    out_fmt = "parquet" if fmt == "parquet" else fmt
    if cli:
        tail = (["--output", out] if fmt == "parquet" else []) + (["--brief"] if brief else [])
        return [str(socins), job, "--input", str(path), "--format", out_fmt, "--quiet", *tail]
    code = ("import sys; from socins_cli.cli.batch_options import run_batch_command; "
            f"sys.exit(run_batch_command({job!r}, {str(path)!r}, output_format={out_fmt!r}, quiet=True, "
            f"output={out if fmt == 'parquet' else None!r}, brief={brief!r}))")
    return [PYTHON, "-c", code]


def tree_rss(pid: int) -> int:
    """Resident KiB of a process and its children (socins' workers), from /proc; 0 once it is gone.

    Each process counts its proportional share of pages it shares with the
    others (``Pss``; forked workers share the loaded law), else its whole RSS.
    """
    total = 0
    try:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total = next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except OSError:
            with open(f"/proc/{pid}/status") as fh:
                total = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            total += sum(tree_rss(int(child)) for child in fh.read().split())
    except (OSError, StopIteration, ValueError):
        pass
    return total


def measure(cmd: list[str], sample: bool = False) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, exit code) of one child, its output to /dev/null.

    The peak is the child's own (``os.wait4``), or with ``sample`` the larger
    of that and the sum over it and its worker processes, sampled every
    20 ms. Sampling reads each process's page tables and slows it, so timed
    runs are not sampled.
    """
    import threading

    out = open(os.devnull, "wb")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], tree_rss(proc.pid))

    sampler = threading.Thread(target=watch, daemon=True)
    if sample:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    if sample:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    out.close()
    return elapsed, max(usage.ru_maxrss, peak[0]) / 1024, proc.returncode


def best(cmds, repeat):
    """Each command's (min seconds, peak MiB, last exit code), the commands timed in turn ``repeat`` times.

    Taking turns keeps a slow spell of this noisy machine from landing on
    one side of a ratio only; the peak comes from one more, sampled, run.
    """
    runs = [[] for _ in cmds]
    for _ in range(repeat):
        for cmd, found in zip(cmds, runs):
            found.append(measure(cmd))
    peaks = [measure(cmd, sample=True)[1] for cmd in cmds]
    return [(min(r[0] for r in found), peak, found[-1][2]) for found, peak in zip(runs, peaks)]


def warn_if_in_tree() -> None:
    """An editable install recompiles every module at each start when PYTHONDONTWRITEBYTECODE is set."""
    import socins_cli

    if Path(socins_cli.__file__).resolve().is_relative_to(HERE.parent.parent):
        print("note: socins is imported from the source tree (an editable install); with "
              "PYTHONDONTWRITEBYTECODE set every start recompiles it. Measure what users run: "
              "python -m venv v && v/bin/pip install '.[arrow]' && v/bin/python benchmarks/batch.py",
              file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="100000,1000000", help="sizes, comma-separated (default: 100000,1000000)")
    parser.add_argument("--jsonl-rows", default="", help="more sizes run for JSON Lines (and its --brief) only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="check,retirement")
    parser.add_argument("--formats", default="jsonl,csv,parquet,jsonl-brief",
                        help="jsonl, csv, parquet; FORMAT-brief for socins --brief rows")
    parser.add_argument("--against", action="append", default=[], metavar="LABEL=SOCINS",
                        help="also time another installed socins console script (e.g. an earlier commit's, "
                             "536064b=/tmp/old/bin/socins) in the same turns, and add its rows/s and "
                             "socins / LABEL (throughput ratio) columns; repeatable")
    parser.add_argument("--true-floor", nargs=4, metavar=("FORMAT", "INPUT", "SHAPE", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--naive", nargs=4, metavar=("FORMAT", "JOB", "INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--record", nargs=3, metavar=("FORMAT", "ANSWER", "SHAPE"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("ROWS", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.true_floor:
        true_floor(*args.true_floor)
        return 0
    if args.naive:
        naive(*args.naive)
        return 0
    if args.record:
        record(*args.record)
        return 0
    if args.generate:
        write_inputs(int(args.generate[0]), Path(args.generate[1]))
        return 0
    warn_if_in_tree()
    against = [tuple(spec.split("=", 1)) for spec in args.against]
    if any(len(spec) != 2 or not Path(spec[1]).exists() for spec in against):
        parser.error("--against takes LABEL=PATH to an installed socins script")
    jobs, formats = args.jobs.split(","), args.formats.split(",")
    runs = [(int(n), formats) for n in args.rows.split(",") if n]
    runs += [(int(n), [f for f in formats if f.startswith("jsonl")]) for n in args.jsonl_rows.split(",") if n]
    lines = ["| rows | job | format | true I/O floor rows/s | naive implementation rows/s | socins rows/s "
             "| socins / true floor | socins / naive | true floor peak RSS | socins peak RSS |"
             + "".join(f" {label} rows/s | socins / {label} |" for label, _ in against),
             "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: | ---: |" * len(against)]
    with tempfile.TemporaryDirectory(prefix="socins-bench-") as tmp:
        folder = Path(tmp)
        scratch = str(folder / "out.parquet")
        for n, sized_formats in runs:
            t0 = time.perf_counter()
            # In a child: a parent grown by the data would be copied into every child's peak RSS.
            subprocess.run([PYTHON, str(HERE), "--generate", str(n), str(folder)], check=True)
            paths = {fmt: folder / f"rows-{n}.{fmt}" for fmt in ("jsonl", "csv", "parquet")}
            print(f"generated {n:,} rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            for job in jobs:
                for variant in sized_formats:
                    fmt, brief = variant.removesuffix("-brief"), variant.endswith("-brief")
                    if brief and not has_option(job, "--brief"):
                        continue  # retirement has no brief rows
                    cli = cli_supports(job, fmt)
                    out = scratch if fmt == "parquet" else os.devnull
                    answer, shape = folder / f"answer.{fmt}", folder / f"shape-{n}-{job}-{variant}"
                    socins = socins_command(job, fmt, paths[fmt], scratch if fmt == "parquet" else out, cli, brief)
                    with open(os.devnull if fmt == "parquet" else answer, "wb") as fh:  # one untimed run
                        subprocess.run(socins_command(job, fmt, paths[fmt], str(answer), cli, brief), stdout=fh,
                                       stderr=subprocess.DEVNULL)
                    subprocess.run([PYTHON, str(HERE), "--record", fmt, str(answer), str(shape)], check=True)
                    answer.unlink(missing_ok=True)
                    cmds = [[PYTHON, str(HERE), "--true-floor", fmt, str(paths[fmt]), str(shape), out]]
                    if not brief:  # the naive implementation writes whole results only
                        cmds.append([PYTHON, str(HERE), "--naive", fmt, job, str(paths[fmt]), out])
                    cmds.append(socins)
                    others = [socins_command(job, fmt, paths[fmt], out, True, brief, Path(path))
                              for _, path in against]
                    for other in others:  # untimed, as socins's own first run: each builds its law cache
                        subprocess.run(other, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    found = best(cmds + others, args.repeat)
                    found, found_others = found[:len(cmds)], found[len(cmds):]
                    (f_time, f_rss, _), (s_time, s_rss, code) = found[0], found[-1]
                    n_rate, n_ratio = ((f"{n / found[1][0]:,.0f}", f"{found[1][0] / s_time:.2f}") if not brief
                                       else ("—", "—"))
                    label = f"{fmt}{' --brief' if brief else ''}{'' if cli else '¹'}"
                    row = (f"| {n:,} | {job} | {label} | {n / f_time:,.0f} | {n_rate} | {n / s_time:,.0f} | "
                           f"{f_time / s_time:.2f} | {n_ratio} | {f_rss:,.0f} MiB | {s_rss:,.0f} MiB |"
                           + "".join(f" {n / o_time:,.0f} | {o_time / s_time:.2f} |" for o_time, _, _ in found_others))
                    lines.append(row)
                    print(row + f"  (exit {code})", file=sys.stderr)
    print("\n".join(lines))
    if any("¹" in line for line in lines[2:]):
        print("\n¹ through `socins_cli.cli.batch_options.run_batch_command` (the console script's batch mode for"
              " this command is not wired yet).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
