"""Where a batch's time goes as it meets keys: ``python benchmarks/keys.py [--job check] [--rows 100000]``.

Answers the generated rows of ``benchmarks/batch.py`` (their bad values
included; or ``--input FILE``, JSON Lines) in one process, in steps of
``--step`` rows, with one resolver for the whole run as ``socins <job>
--input`` has, and prints per step the keys met anew (each one the engine
works out: the law's own work) and the seconds taken. Output goes nowhere:
only the answering is timed.

The first steps meet most keys and cost most; a step late in the file,
whose keys were nearly all met before, costs the per-row loop alone. So
the first step against the floor's whole run (``batch.py``) tells how far
the law's own work keeps a file of that size from the floor, whatever the
loop costs. Run it with socins installed as users install it (see
``batch.py``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--job", default="check", choices=("check", "retirement"))
    parser.add_argument("--rows", type=int, default=100_000, help="rows generated (without --input)")
    parser.add_argument("--input", help="a JSON Lines file to answer instead")
    parser.add_argument("--step", type=int, default=10_000)
    args = parser.parse_args(argv)

    from socins_cli.batch.jobs import make_job
    from socins_cli.batch.read import parse_jsonl
    from socins_cli.batch.resolve import Resolver
    from socins_cli.batch.rows import BatchCounts, answer_rows, reserved_names
    from socins_cli.batch.write import JsonlSink
    from socins_cli.law.load import load_law

    with tempfile.TemporaryDirectory(prefix="socins-keys-") as tmp:
        path = Path(args.input) if args.input else _generated(args.rows, Path(tmp))
        lines = path.read_bytes().splitlines(keepends=True)
    job = make_job(args.job, load_law())
    sink = JsonlSink(_Nowhere(), job.echo_keys)
    resolver = Resolver(job, sink.render)
    counts, reserved = BatchCounts(), reserved_names(job)
    print(f"| rows | keys met anew | seconds | µs a row |  ({args.job}, {path.name}, one process)")
    print("| ---: | ---: | ---: | ---: |")
    total, before = 0.0, 0
    for start in range(0, len(lines), args.step):
        part = lines[start:start + args.step]
        began = time.perf_counter()
        answer_rows(parse_jsonl(iter(part), "utf-8", "file", start + 1), resolver, sink, reserved, counts, None)
        sink.flush()
        spent = time.perf_counter() - began
        total += spent
        print(f"| {start + len(part):,} | {resolver.misses - before:,} | {spent:.3f} | {1e6 * spent / len(part):.1f} |")
        before = resolver.misses
    print(f"\n{len(lines):,} rows, {resolver.misses:,} keys met anew, {total:.2f} s answering")
    return 0


def _generated(rows: int, folder: Path) -> Path:
    """``batch.py``'s generated rows, as JSON Lines."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import orjson
    from batch import make_rows  # the benchmark beside this one

    path = folder / f"rows-{rows}.jsonl"
    with open(path, "wb") as fh:
        for row in make_rows(rows):
            fh.write(orjson.dumps(row) + b"\n")
    return path


class _Nowhere:
    """An output that keeps nothing (the answers' bytes are not what is measured)."""

    def write(self, data) -> None:
        pass

    def flush(self) -> None:
        pass


if __name__ == "__main__":
    raise SystemExit(main())
