"""Start-up cost of one query, side by side with its floors, in one run.

Runs, interleaved so that machine noise hits all alike:
  (a) ``python -c pass`` with this venv's interpreter,
  (b) a minimal typer app that prints a JSON dict (the CLI-framework floor),
  (c) ``socins check … --format json`` (one platform rider, as in the README),
  (d) ``socins show sil 10 --format json``,
  (e) (d) with typer's shell completion switched off (what (d) pays for
      ``--install-completion`` and ``--show-completion``),
all with this interpreter (and (c), (d) with ``--compare PYTHON``'s too: socins
as installed in another venv, say the previous release, for a before/after
in one run), and reports min and median wall time of each, its
ratio to (b) (minimums), and the slowest imports of (d) from
``python -X importtime``. With ``--instructions`` it also counts the
instructions each command executes, once, under valgrind's callgrind (with
``PYTHONHASHSEED=0``): the same count for the same code whatever else the
machine is doing, so a change of a few milliseconds shows, where wall times
on a noisy machine drown it. The target is in wall time; the count is what
tells a before from an after. Run it with socins installed as users install it
(``pip install .`` in its own venv, then that venv's python): an editable
install under ``PYTHONDONTWRITEBYTECODE`` recompiles socins at each start.

    python benchmarks/startup.py [--runs 30] [--compare OTHER_VENV/bin/python] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''
import json
import typer

app = typer.Typer(add_completion=False)


@app.command()
def show(instrument: str, article: str, format: str = "json"):
    print(json.dumps({"instrument": instrument, "article": article, "text": "..."}))


app()
'''

#: socins with typer's completion options switched off, for (d).
WITHOUT_COMPLETION = '''
import typer

_init = typer.Typer.__init__


def _init_without_completion(self, *args, **kwargs):
    kwargs["add_completion"] = False
    _init(self, *args, **kwargs)


typer.Typer.__init__ = _init_without_completion
from socins_cli.cli.entry import main  # the entry point (d) runs: start-up without garbage collection

main()
'''


#: One query a user asks: a food-delivery rider's coverage (README's first example).
CHECK = ["check", "--category", "platform", "--relation", "incomplete", "--province", "广东",
         "--industry", "food-delivery", "--platform", "美团", "--as-of", "2026-06-01"]


def warn_if_in_tree() -> None:
    """An editable install recompiles every module at each start when PYTHONDONTWRITEBYTECODE is set."""
    import socins_cli

    if Path(socins_cli.__file__).resolve().is_relative_to(Path(__file__).resolve().parent.parent):
        print("note: socins is imported from the source tree (an editable install); measure what users run: "
              "python -m venv v && v/bin/pip install . && v/bin/python benchmarks/startup.py", file=sys.stderr)


def timed(cmd: list[str], env: dict, cwd: str) -> float:
    """Wall time of one run. ``cwd`` holds no socins_cli: ``python -m`` puts the current folder first on
    sys.path, so run from a checkout every command would time the checkout's code, not the install's."""
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def instructions(cmd: list[str], env: dict, cwd: str) -> int:
    """Instructions one run executes, counted by callgrind (``Collected``), its hash seed fixed so that set and
    dict orders, and so the count, are the same from run to run."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          env={**env, "PYTHONHASHSEED": "0"}, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit("valgrind printed no instruction count:\n" + done.stderr[-500:])
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--compare", metavar="PYTHON",
                        help="also time check and show with socins as installed for this interpreter")
    parser.add_argument("--instructions", action="store_true",
                        help="also count each command's instructions under valgrind (callgrind), once each")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt install valgrind)")
    warn_if_in_tree()
    python = sys.executable
    env = dict(os.environ)
    # An editable install with PYTHONDONTWRITEBYTECODE recompiles socins on every
    # run, which no installed user pays: let the bytecode be written once.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        app_file = Path(tmp) / "minimal_typer_app.py"
        app_file.write_text(MINIMAL_APP)
        no_completion = Path(tmp) / "socins_without_completion.py"
        no_completion.write_text(WITHOUT_COMPLETION)
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "minimal typer app": [python, str(app_file), "sil", "10"],
            "socins check … --format json": [python, "-m", "socins_cli", *CHECK, "--format", "json"],
            "socins show sil 10 --format json": [python, "-m", "socins_cli", "show", "sil", "10", "--format", "json"],
            "the same, shell completion off": [python, str(no_completion), "show", "sil", "10", "--format", "json"],
        }
        if args.compare:
            commands["compared: socins check … --format json"] = [args.compare, "-m", "socins_cli", *CHECK, "--format", "json"]
            commands["compared: socins show sil 10 --format json"] = [
                args.compare, "-m", "socins_cli", "show", "sil", "10", "--format", "json"]
        for cmd in commands.values():  # warm the OS cache, the bytecode and the law cache
            timed(cmd, env, tmp)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(timed(cmd, env, tmp))
        counts = {name: instructions(cmd, env, tmp) for name, cmd in commands.items()} if args.instructions else {}
        report = subprocess.run(
            [python, "-X", "importtime", "-m", "socins_cli", "show", "sil", "10", "--format", "json"],
            env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        ).stderr
    floor = min(times["minimal typer app"])
    print("| command | min ms | median ms | min / minimal typer app |")
    print("| --- | ---: | ---: | ---: |")
    for name, ts in times.items():
        print(f"| {name} | {min(ts) * 1000:.1f} | {statistics.median(ts) * 1000:.1f} | {min(ts) / floor:.2f} |")
    print()
    if counts:
        base = counts["minimal typer app"]
        print("| command | instructions (millions) | / minimal typer app |")
        print("| --- | ---: | ---: |")
        for name, n in counts.items():
            print(f"| {name} | {n / 1e6:.1f} | {n / base:.3f} |")
        print()
    rows = []
    for line in report.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        try:
            rows.append((int(parts[1]), parts[2].rstrip()))
        except ValueError:
            continue
    print("slowest imports (cumulative µs):")
    for cumulative, name in sorted(rows, reverse=True)[:12]:
        print(f"  {cumulative:>8}  {name}")


if __name__ == "__main__":
    main()
