"""The law's vocabulary (statutes/corpus/vocabulary.toml) is data: the engines answer in its words and order,
and a word the rules use that it lacks stops every command (exit 3) instead of being dropped."""

from __future__ import annotations

import ast
from pathlib import Path

from cli_helpers import REPO, copy_statutes, run

from socins_cli.law import vocabulary
from socins_cli.engines.answers import check
from socins_cli.law.load import load_law
from socins_cli.person import make_person

VOCABULARY = "corpus/vocabulary.toml"


def test_check_lists_the_schemes_of_the_vocabulary_in_its_order():
    law = load_law()
    words = vocabulary.of(law)
    result = check(law, make_person(category="employee", as_of="2025-06-30"), inequities=False)
    assert [s["scheme"] for s in result["schemes"]] == list(words.schemes)
    assert words.schemes == vocabulary.SCHEMES
    assert words.compared == "employee"
    for s in result["schemes"]:
        assert s["status"] in words.statuses
        assert set(s["payers"]) <= set(words.payers)


def test_a_scheme_the_rules_name_but_the_vocabulary_lacks_is_a_validate_error(tmp_path):
    root = copy_statutes(tmp_path)
    path = root / VOCABULARY
    text = path.read_text(encoding="utf-8")
    dropped = '[[scheme]]\nid = "maternity"\nname_zh = "生育保险"\n\n'
    assert dropped in text
    path.write_text(text.replace(dropped, ""), encoding="utf-8")
    r = run("validate", str(root), "--format", "json")
    assert r.code == 3, r.out + r.err
    assert '"maternity"' in r.out + r.err
    r = run("check", "--category", "employee", "--as-of", "2025-06-30", env={"SOCINS_STATUTES": str(root)})
    assert r.code == 3, r.out + r.err
    assert "Traceback" not in r.err


def test_a_statutes_folder_without_the_vocabulary_is_invalid(tmp_path):
    root = copy_statutes(tmp_path)
    (root / VOCABULARY).unlink()
    r = run("validate", str(root), "--format", "json")
    assert r.code == 3, r.out + r.err
    assert "vocabulary" in r.out + r.err


def test_a_finding_compared_with_another_category_than_the_vocabularys_is_a_validate_error(tmp_path):
    root = copy_statutes(tmp_path)
    path = root / VOCABULARY
    path.write_text(path.read_text(encoding="utf-8").replace('compared = "employee"', 'compared = "resident"'),
                    encoding="utf-8")
    r = run("validate", str(root), "--format", "json")
    assert r.code == 3, r.out + r.err
    assert "compared_with" in r.out + r.err


def test_no_scheme_id_is_written_in_python():
    """Scheme ids live in the vocabulary alone: no string literal in the package names one."""
    schemes = set(vocabulary.of(load_law()).schemes)
    found = []
    for path in sorted((REPO / "socins_cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                hits = [s for s in sorted(schemes) if _names(node.value, s)]
                if hits:
                    found.append(f"{Path(path).relative_to(REPO)}:{node.lineno}: {hits}")
    assert not found, found


def _names(text: str, scheme: str) -> bool:
    """Whether ``scheme`` occurs in ``text`` as a whole id (not inside a longer one such as an instrument id)."""
    import re

    return re.search(rf"(?<![\w-]){re.escape(scheme)}(?![\w-]|-\w)", text) is not None
