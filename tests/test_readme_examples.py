"""Every ``$ socins …`` line in the README's console blocks runs as written from a checkout."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import REPO


def console_lines() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ socins")]


def test_the_readme_has_console_examples():
    assert len(console_lines()) >= 20


@pytest.mark.parametrize("line", console_lines())
def test_readme_console_line_runs(line, tmp_path):
    for folder in ("examples", "reforms"):  # what the examples read, beside the files they write
        (tmp_path / folder).symlink_to(REPO / folder)
    bin_dir = Path(sys.executable).parent
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {line}"], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "COLUMNS": "120", "HOME": str(tmp_path),
                               **{k: v for k, v in __import__("os").environ.items() if k.startswith("SOCINS_")}})
    assert proc.returncode in (0, 1), (line, proc.stderr)
    assert "Traceback" not in proc.stderr
