"""Shared fixtures: the shipped law, and the reference texts when they are present.

The reference texts live outside the repository (``../shared/reference/texts``).
Tests that need them skip with the reason in a bare clone; ``.ci/run`` sets
``SOCINS_REQUIRE_REFERENCE=1`` so that there they fail instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socins_cli.law.load import load_law

REPO = Path(__file__).resolve().parent.parent


def reference_dir() -> Path | None:
    explicit = os.environ.get("SOCINS_REFERENCE_DIR")
    candidates = [Path(explicit)] if explicit else []
    candidates.append(REPO.parent / "shared" / "reference" / "texts")
    for c in candidates:
        if (c / "INDEX.md").is_file():
            return c
    return None


@pytest.fixture(scope="session")
def law():
    return load_law(use_cache=False)


@pytest.fixture(scope="session")
def reference():
    """The reference texts folder, or a skip (a failure where CI requires it)."""
    found = reference_dir()
    if found is None:
        if os.environ.get("SOCINS_REQUIRE_REFERENCE"):
            pytest.fail("SOCINS_REQUIRE_REFERENCE is set but ../shared/reference/texts is missing")
        pytest.skip("reference texts (../shared/reference/texts) are not beside this clone")
    return found
