"""Test helpers: the reference-text parser from ``tools/`` and the instrument files, read without the loader.

The instrument files are listed at collection time so that tests can be
parametrised per instrument and version; a file that does not parse is
left out here and reported by ``test_statutes_schema``.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATUTES = REPO / "statutes"


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(f"socins_tools_{name}", REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


reference_parser = _load_tool("reference")


def instrument_files() -> list[Path]:
    return sorted(STATUTES.glob("*.toml"))


def raw_versions() -> list[tuple[str, dict]]:
    """(``inst@version``, raw version table) for every version of every top-level file that parses."""
    out = []
    for path in instrument_files():
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        inst = (doc.get("instrument") or {}).get("id", path.stem)
        for v in doc.get("version") or []:
            out.append((f"{inst}@{v.get('id')}", v))
    return out
