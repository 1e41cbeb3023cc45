"""Batch throughput against the I/O floor, in one run: ``python benchmarks/batch.py [--rows 1000000]``.

For each size N (default 100,000 and 1,000,000, or ``--rows N`` alone) it
generates N realistic person rows (mixed categories, relations, provinces in
pinyin and Chinese, industries, platforms, births, survey dates; 1% bad
rows of every kind: bad values, contradictions, invalid JSON, a wrong cell
count, invalid UTF-8) as JSON Lines, CSV and Parquet, then measures, side by
side, for ``check`` and ``retirement``:

(a) the I/O floor: a process that reads and parses the same file with the
    same libraries and writes, per row, an output row of the same size (the
    row's own fields plus a real result of the job, re-serialised each time:
    orjson for JSONL, ``csv.writer`` for CSV, pyarrow for Parquet), with no
    legal logic;
(b) ``socins <job> --input FILE`` in JSONL and CSV (the console script when
    its batch mode is wired, else the same runner through
    ``socins_cli.cli.batch_options``);
(c) the Parquet path (Parquet in, Parquet out).

Output goes to /dev/null (Parquet to a scratch file). Times are end to end
(process start included), the minimum over ``--repeat`` runs, the floor and
socins taking turns; peak RSS is the child's own (``os.wait4``) or the sum
over it and its workers, the largest over the runs. It prints a markdown
table for the README. Run it with socins installed as users install it
(``pip install '.[arrow]'``): an editable install recompiles every module at
each start when ``PYTHONDONTWRITEBYTECODE`` is set.
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


# -- the floor --------------------------------------------------------------------

def template(job: str):
    """A real result of the job for a typical person: what the floor writes per row."""
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


def floor(fmt: str, job: str, path: str, out: str) -> None:
    """Read, parse and write rows of the output's size with the same libraries, no legal logic."""
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


def socins_command(job: str, fmt: str, path: Path, out: str, cli: bool) -> list[str]:
    out_fmt = "parquet" if fmt == "parquet" else fmt
    if cli:
        tail = ["--output", out] if fmt == "parquet" else []
        return [str(SOCINS), job, "--input", str(path), "--format", out_fmt, "--quiet", *tail]
    code = ("import sys; from socins_cli.cli.batch_options import run_batch_command; "
            f"sys.exit(run_batch_command({job!r}, {str(path)!r}, output_format={out_fmt!r}, quiet=True, "
            f"output={out if fmt == 'parquet' else None!r}))")
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
    parser.add_argument("--rows", type=int, help="one size only (default: 100000 and 1000000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="check,retirement")
    parser.add_argument("--formats", default="jsonl,csv,parquet")
    parser.add_argument("--floor", nargs=4, metavar=("FORMAT", "JOB", "INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("ROWS", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        floor(*args.floor)
        return 0
    if args.generate:
        write_inputs(int(args.generate[0]), Path(args.generate[1]))
        return 0
    warn_if_in_tree()
    sizes = [args.rows] if args.rows else [100_000, 1_000_000]
    jobs, formats = args.jobs.split(","), args.formats.split(",")
    lines = ["| rows | job | format | I/O floor rows/s | socins rows/s | ratio | floor peak RSS | socins peak RSS |",
             "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory(prefix="socins-bench-") as tmp:
        folder = Path(tmp)
        scratch = str(folder / "out.parquet")
        for n in sizes:
            t0 = time.perf_counter()
            # In a child: a parent grown by the data would be copied into every child's peak RSS.
            subprocess.run([PYTHON, str(HERE), "--generate", str(n), str(folder)], check=True)
            paths = {fmt: folder / f"rows-{n}.{fmt}" for fmt in ("jsonl", "csv", "parquet")}
            print(f"generated {n:,} rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            for job in jobs:
                for fmt in formats:
                    cli = cli_supports(job, fmt)
                    out = scratch if fmt == "parquet" else os.devnull
                    (f_time, f_rss, _), (s_time, s_rss, code) = best(
                        [[PYTHON, str(HERE), "--floor", fmt, job, str(paths[fmt]), out],
                         socins_command(job, fmt, paths[fmt], scratch, cli)], args.repeat)
                    row = (f"| {n:,} | {job} | {fmt}{'' if cli else '¹'} | {n / f_time:,.0f} | "
                           f"{n / s_time:,.0f} | {f_time / s_time:.2f} | {f_rss:,.0f} MiB | {s_rss:,.0f} MiB |")
                    lines.append(row)
                    print(row + f"  (exit {code})", file=sys.stderr)
    print("\n".join(lines))
    if any("¹" in line for line in lines[2:]):
        print("\n¹ through `socins_cli.cli.batch_options.run_batch_command` (the console script's batch mode for"
              " this command is not wired yet).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
