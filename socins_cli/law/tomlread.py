"""TOML read with bounds: statutes and reform files may come from anyone.

``tomllib`` recurses once per nesting level, so a file nested some
thousands of levels deep ends in a RecursionError, and dates up to 9999
make day arithmetic overflow downstream. Every TOML socins reads goes
through ``parse``, which turns both into one ``TomlProblem`` naming the key.
"""

from __future__ import annotations

import datetime as _dt

try:
    import tomllib
except ImportError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

from socins_cli.dates import EARLIEST_YEAR, LATEST_YEAR

#: Deeper than any statutes or reform file needs (the deepest holds about six levels).
MAX_DEPTH = 32


class TomlProblem(Exception):
    """What is wrong with a TOML document: ``key``, ``value`` and what is allowed, as DataError takes them."""

    def __init__(self, key: str, value: object, allowed: str):
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}: {allowed}")


def parse(data: bytes) -> dict:
    """The document as dicts and lists; nesting, dates and encoding checked."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TomlProblem("(file)", None, f"expected UTF-8 text (byte {exc.start} is not)") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise TomlProblem("(file)", None, f"nested too deeply; at most {MAX_DEPTH} levels are allowed") from None
    except tomllib.TOMLDecodeError as exc:
        raise TomlProblem("(file)", str(exc), "expected valid TOML") from None
    check(doc)
    return doc


def check(doc) -> None:
    """Depth at most ``MAX_DEPTH`` and every date within [EARLIEST_YEAR, LATEST_YEAR], walking without recursion."""
    stack = [(doc, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TomlProblem(where or "(file)", None, f"nested too deeply; at most {MAX_DEPTH} levels are allowed")
        if isinstance(node, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k), depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(node))
        elif isinstance(node, (_dt.date, _dt.datetime)) and not EARLIEST_YEAR <= node.year <= LATEST_YEAR:
            raise TomlProblem(where, node.isoformat(),
                              f"expected a date from {EARLIEST_YEAR} to {LATEST_YEAR}")
