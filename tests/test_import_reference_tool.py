"""tools/import_reference.py --check: the whole-text instruments' data are as imported from their reference."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from cli_helpers import REPO

#: Every statutes file the tool writes (it says so in its head); the others are encoded by hand.
WHOLE = sorted(path.stem for path in (REPO / "statutes").glob("*.toml")
               if "written by tools/import_reference.py" in path.read_text(encoding="utf-8"))


def _check(reference, *files) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "tools" / "import_reference.py"), *map(str, files), "--check",
                           "--reference-dir", str(reference)], capture_output=True, text=True)


def test_the_whole_text_instruments_are_as_imported_comments_and_all(reference):
    r = _check(reference, *(REPO / "statutes" / f"{name}.toml" for name in WHOLE))
    assert r.returncode == 0, r.stderr


def test_a_changed_paragraph_is_not_as_imported(reference, tmp_path):
    copy = tmp_path / "sil.toml"
    shutil.copy(REPO / "statutes" / "sil.toml", copy)
    text = copy.read_text(encoding="utf-8")
    changed = text.replace("职工应当参加基本养老保险", "职工可以参加基本养老保险", 1)
    assert changed != text
    copy.write_text(changed, encoding="utf-8")
    r = _check(reference, copy)
    assert r.returncode == 1 and "not as imported" in r.stderr


def test_the_whole_text_instruments_it_writes_are_the_laws_and_regulations_held_whole():
    assert {"sil", "ll", "lcl", "tul", "sicr", "sihr", "uir", "wiir", "msl", "mpil", "spc-labour-ii"} <= set(WHOLE)


def test_a_hand_encoded_instrument_is_skipped_in_one_line_not_checked_as_if_imported(reference, tmp_path):
    """The 2024 decision's reference holds the 办法 too: the tool would write the 办法's articles into it. Skipped and
    said, it leaves the exit status to the files the tool writes: a stale one among them still fails the check."""
    hand = [REPO / "statutes" / "retire-decision-2024.toml", REPO / "statutes" / "retire-1978-approval.toml"]
    r = _check(reference, *hand, REPO / "statutes" / "sil.toml")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert r.stderr.count("skipped, not an instrument this tool writes") == 2
    stale = tmp_path / "sil.toml"
    stale.write_text((REPO / "statutes" / "sil.toml").read_text(encoding="utf-8").replace(
        "职工应当参加基本养老保险", "职工可以参加基本养老保险", 1), encoding="utf-8")
    r = _check(reference, *hand, stale)
    assert r.returncode == 1 and "not as imported" in r.stderr


def test_a_missing_reference_folder_is_one_line_and_exit_2(tmp_path):
    r = _check(tmp_path / "nowhere", REPO / "statutes" / "sil.toml")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "SOCINS_REFERENCE_DIR" in r.stderr
