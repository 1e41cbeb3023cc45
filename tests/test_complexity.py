"""No function in the package is harder to follow than a lawyer-programmer can check in one read: radon's
cyclomatic complexity of every function and method stays at 20 or below (grade C or better)."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "socins_cli"
MOST = 20


def test_no_function_has_a_cyclomatic_complexity_over_20():
    complexity = pytest.importorskip("radon.complexity", reason="radon is in the test extra: pip install '.[test]'")
    over = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for block in complexity.cc_visit(path.read_text(encoding="utf-8")):
            for item in [block, *getattr(block, "closures", []), *getattr(block, "methods", [])]:
                if item.complexity > MOST:
                    over.append(f"{path.relative_to(PACKAGE.parent)}:{item.lineno} {item.name} ({item.complexity})")
    assert over == [], over
