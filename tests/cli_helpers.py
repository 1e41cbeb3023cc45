"""Run the real ``socins`` entry point in a subprocess, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> Result:
    full_env = dict(os.environ)
    full_env.setdefault("COLUMNS", "200")
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "socins_cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=REPO,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def copy_statutes(tmp_path: Path) -> Path:
    """A copy of the shipped statutes folder that a test may change."""
    import shutil

    dest = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", dest)
    return dest
