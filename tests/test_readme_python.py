"""The README's Python examples (``>>>`` lines in its python blocks) run and print what the README shows."""

from __future__ import annotations

import doctest
import re

from cli_helpers import REPO


def test_readme_python_examples_run_as_shown():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    examples = "\n".join(b for b in blocks if ">>>" in b)
    assert examples.count(">>>") >= 8, "the README's Python API section has lost its examples"
    test = doctest.DocTestParser().get_doctest(examples, {}, "README.md", str(REPO / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)
