"""A corrupted statutes folder or reform file is refused in one line: statutes exit 3, a reform file exit 2.

Each case copies the shipped statutes (or a shipped reform) into tmp_path,
breaks one thing the way an edit or an attacker could, and asks the
commands a user would. No answer may come from the broken data and no
traceback may appear.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from cli_helpers import REPO, run

DEEP = "deep = " + "[" * 5000 + "]" * 5000 + "\n"


def _edit(rel: str, old: str, new: str, count: int = 1):
    def corrupt(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return corrupt


def _write(rel: str, content: str):
    def corrupt(root: Path) -> None:
        (root / rel).write_text(content, encoding="utf-8")
    return corrupt


def _prepend(rel: str, content: str):
    def corrupt(root: Path) -> None:
        path = root / rel
        path.write_text(content + path.read_text(encoding="utf-8"), encoding="utf-8")
    return corrupt


def _duplicate_article(root: Path) -> None:
    path = root / "wiir.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[[version.article]]")
    end = text.index("[[version.article]]", start + 1)
    path.write_text(text[:end] + text[start:end] + text[end:], encoding="utf-8")


def _overlapping_versions(root: Path) -> None:
    path = root / "sil.toml"
    text = path.read_text(encoding="utf-8")
    assert "repealed = 2018-12-29" in text
    path.write_text(text.replace("repealed = 2018-12-29", "repealed = 2019-06-01", 1), encoding="utf-8")


def _file_within_a_subfolder(root: Path) -> None:
    (root / "rules" / "more").mkdir()
    (root / "rules" / "more" / "eligibility.toml").write_text("[[rule]]\nid = \"x\"\n", encoding="utf-8")


def _hash_mismatch(root: Path) -> None:
    path = root / "sil.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'sha256 = "[0-9a-f]{8}', 'sha256 = "00000000', text, count=1), encoding="utf-8")


def _directory_named_toml(root: Path) -> None:
    (root / "tables" / "x.toml").mkdir()


def _symlink_loop(root: Path) -> None:
    os.symlink("..", root / "tables" / "loop")


def _self_link(root: Path) -> None:
    os.symlink("self.toml", root / "self.toml")


CORRUPTIONS = {
    "emptied eligibility rules": _write("rules/eligibility.toml", ""),
    "emptied retirement rules": _write("rules/retirement.toml", ""),
    "emptied findings": _write("findings/inequities.toml", ""),
    "emptied pilot table": _write("tables/occupational-injury-pilot.toml", ""),
    "5000-deep nesting": _prepend("sil.toml", DEEP),
    "5000-deep nesting in rules": _prepend("rules/eligibility.toml", DEEP),
    "non-numeric parameter": _edit("parameters/contributions.toml", "value = 0.04", 'value = "abc"'),
    "bogus status": _edit("rules/eligibility.toml", 'status = "mandatory"', 'status = "bogus"'),
    "rule = 5": _write("rules/eligibility.toml", 'rule = 5\n[unmatched]\nid = "x"\n'),
    "finding = [1, 2]": _write("findings/inequities.toml", "finding = [1, 2]\n"),
    "duplicate article": _duplicate_article,
    "overlapping versions": _overlapping_versions,
    "hash mismatch": _hash_mismatch,
    "effective 9999-12-31": _edit("wiir.toml", "effective = ", "effective = 9999-12-31\nx_effective = "),
    "unknown instrument key": _edit("sil.toml", "[instrument]\n", "[instrument]\ncolour = \"red\"\n"),
    "version status bogus": _edit("sil.toml", 'completeness = "whole"', 'completeness = "bogus"'),
    "directory named x.toml": _directory_named_toml,
    "symlink loop": _symlink_loop,
    "link to itself": _self_link,
    "not UTF-8": lambda root: (root / "tul.toml").write_bytes(b"\xff\xfe[instrument]\n"),
    "ceased by a text not yet in force": _edit("retire-1978-workers.toml", 'ceased = { from = 2025-01-01, by = "retire-decision-2024:5"',
                                              'ceased = { from = 2024-01-01, by = "retire-decision-2024:5"'),
    # numbers the engines must never compute with: each had passed validate (a traceback, or a wrong answer)
    "NaN retirement age": _edit("parameters/retirement.toml", "value = 60, cite", "value = nan, cite"),
    "negative retirement age": _edit("parameters/retirement.toml", "value = 60, cite", "value = -60, cite"),
    "retirement age in no whole month": _edit("parameters/retirement.toml", "value = 60, cite", "value = 60.3, cite"),
    "infinite contribution rate": _edit("parameters/contributions.toml", "value = 0.04", "value = inf"),
    "contribution rate above 1": _edit("parameters/contributions.toml", "value = 0.04", "value = 1.5"),
    "2^66 employers": _edit("rules/eligibility.toml", "employers = { min = 1 }", "employers = { min = 99999999999999999999 }"),
    "employers no number meets": _edit("rules/eligibility.toml", "employers = { min = 1 }", "employers = { max = 0, min = 5 }"),
    # files socins would not read: refused, not skipped
    "a rules file of another name": _write("rules/extra.toml", '[[rule]]\nid = "x"\nscheme = "employee-pension"\n'),
    "a rules file within a subfolder": _file_within_a_subfolder,
    "findings removed beside eligibility rules": lambda root: (root / "findings" / "inequities.toml").unlink(),
    "ceased without what": _edit("retire-1978-cadres.toml", ', what = "有关退休年龄的规定" }', " }"),
}

COMMANDS = {
    "check": ("check", "--category", "flexible", "--as-of", "2026-06-01", "--format", "json"),
    "show": ("show", "sil", "10", "--format", "json"),
    "inequities": ("inequities", "--as-of", "2026-06-01", "--format", "json"),
    "reforms": ("reforms", "--format", "json"),  # it reads no rule without --effect, but --statutes holds for it too
}


@pytest.fixture
def corrupted(request, tmp_path):
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    CORRUPTIONS[request.param](root)
    return root


def _one_line_no_traceback(result, code: int) -> None:
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("socins: error: ")


@pytest.mark.parametrize("corrupted", sorted(CORRUPTIONS), indirect=True)
def test_corrupted_statutes_are_refused_by_every_command_and_by_validate(corrupted, tmp_path):
    env = {"SOCINS_STATUTES": str(corrupted), "SOCINS_CACHE_DIR": str(tmp_path / "cache")}
    for name, args in COMMANDS.items():
        result = run(*args, env=env)
        _one_line_no_traceback(result, 3)
        assert result.out == "", name
        assert str(corrupted) in result.err, name  # which folder failed, not only statutes/… (audit L8)
    result = run("validate", env=env)
    assert result.code == 3 and "Traceback" not in result.err and result.err.strip()
    assert run("validate", str(corrupted)).code == 3


def test_statutes_option_answers_from_a_valid_copy(tmp_path):
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    env = {"SOCINS_CACHE_DIR": str(tmp_path / "cache")}
    shipped = run(*COMMANDS["show"], env=env)
    assert shipped.code == 0
    assert run(*COMMANDS["show"], "--statutes", str(root), env=env).out == shipped.out
    assert run("--statutes", str(root), "validate", env=env).code == 0


def test_a_statutes_path_that_is_no_folder_is_bad_usage_not_invalid_data(tmp_path):
    """Exit 3 is for a statutes folder whose data fails; a mistyped path is exit 2, in one line."""
    r = run(*COMMANDS["show"], "--statutes", str(tmp_path / "missing"))
    assert r.code == 2 and r.out == "" and "--statutes" in r.err and r.err.count("\n") == 1
    r = run(*COMMANDS["show"], env={"SOCINS_STATUTES": str(tmp_path / "missing")})
    assert r.code == 2 and r.out == "" and "SOCINS_STATUTES" in r.err and r.err.count("\n") == 1


REFORM_CORRUPTIONS = {
    "5000-deep nesting": lambda text: DEEP + text,
    "effective 9999-12-31": lambda text: re.sub(r"(?m)^effective = \S+", "effective = 9999-12-31", text, count=1),
    "not UTF-8": lambda text: "\udcff" + text,
    "rule = 5": lambda text: "rule = 5\n" + text,
}


@pytest.mark.parametrize("corruption", sorted(REFORM_CORRUPTIONS))
def test_a_corrupted_reform_file_is_bad_input_in_one_line(corruption, tmp_path):
    shipped = REPO / "reforms" / "han-flexible-workers-compulsory-insurance.toml"
    path = tmp_path / "reform.toml"
    path.write_bytes(REFORM_CORRUPTIONS[corruption](shipped.read_text(encoding="utf-8"))
                     .encode("utf-8", "surrogateescape"))
    result = run("check", "--category", "flexible", "--as-of", "2026-06-01", "--reform", str(path))
    _one_line_no_traceback(result, 2)
    assert "= None" not in result.err  # a whole-file problem has no value to show


def test_an_empty_statutes_folder_is_named_as_validate_names_it_without_a_none(tmp_path):
    """It had been named by a file relative to nothing given (statutes/rules/eligibility.toml)."""
    (tmp_path / "statutes").mkdir()
    result = run("show", "sil", "10", env={"SOCINS_STATUTES": str(tmp_path / "statutes")})
    _one_line_no_traceback(result, 3)
    assert str(tmp_path / "statutes") in result.err and "None" not in result.err
    assert "instrument files (*.toml) at its top level; none found" in result.err
    validated = run("validate", str(tmp_path / "statutes"))
    assert validated.code == 3 and "instrument files (*.toml) at its top level; none found" in validated.err


def test_validate_names_every_broken_file_at_once(tmp_path):
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    CORRUPTIONS["non-numeric parameter"](root)
    CORRUPTIONS["unknown instrument key"](root)
    CORRUPTIONS["emptied findings"](root)
    result = run("validate", str(root), "--format", "table")
    assert result.code == 3
    lines = result.err.splitlines()
    assert len(lines) == 3, result.err
    assert [line.split(":", 1)[0] for line in lines] == [
        "findings/inequities.toml", "parameters/contributions.toml", "sil.toml"]


def test_validate_names_every_problem_of_one_file_not_only_the_first(tmp_path):
    """msgspec stops at the first mismatch; validate decodes the file part by part and lists each bad part."""
    root = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", root)
    path = root / "sil.toml"
    text = path.read_text(encoding="utf-8")
    first = text.index("\neffective = ")
    second = text.index("\neffective = ", first + 1)
    text = (text[:second] + '\neffective = "soon"\nefective_typo = 1\n#' + text[second + 1:])
    text = text[:first] + "\neffective = 5\n#" + text[first + 1:]
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(root), "--format", "table")
    assert result.code == 3 and "Traceback" not in result.err
    lines = result.err.splitlines()
    assert lines == [
        "sil.toml: version[0].effective = 5: expected date, got int",
        'sil.toml: version[1].efective_typo = 1: is not a key here; expected one of '
        + "|".join(sorted(["id", "effective", "completeness", "confidence", "repealed", "adopted",
                           "completeness_note", "confidence_note", "source", "reference", "date_certain",
                           "date_note", "title_zh", "note", "amended_by", "article", "fact", "table"])),
        'sil.toml: version[1].effective = "soon": expected date, got str',
    ], result.err
    shown = run("show", "sil", "10", env={"SOCINS_STATUTES": str(root)})
    _one_line_no_traceback(shown, 3)  # answering still stops at the first problem, in one line


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "1e400"])
def test_a_reform_parameter_no_unit_allows_is_bad_input_in_one_line(value, tmp_path):
    """han-unemployment-income-threshold's 5000 yuan a month as NaN had answered unemployment not-eligible, exit 0."""
    shipped = REPO / "reforms" / "han-unemployment-income-threshold.toml"
    text = shipped.read_text(encoding="utf-8")
    assert "value = 5000," in text
    path = tmp_path / "reform.toml"
    path.write_text(text.replace("value = 5000,", f"value = {value},", 1), encoding="utf-8")
    result = run("check", "--category", "flexible", "--income", "6000", "--as-of", "2030-06-01", "--reform", str(path))
    _one_line_no_traceback(result, 2)
    assert "parameter.han_unemployment_income_threshold.values[0].value" in result.err
