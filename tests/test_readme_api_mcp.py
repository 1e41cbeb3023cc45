"""The README's Python API table and MCP tool list name every function and tool there is.

A user reads the README to learn what an assistant can call; a tool the
server offers but the README leaves out (``history``, ``cite`` once were)
is one nobody asks for.
"""

from __future__ import annotations

import re

from cli_helpers import REPO
from socins_cli import api
from socins_cli.mcp_server import TOOLS


def section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def test_readme_mcp_section_names_every_tool_the_server_offers():
    tools_sentence = section("MCP server").split("Tools,", 1)[1].split(". ", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", tools_sentence))
    assert set(TOOLS) <= named, set(TOOLS) - named


def test_readme_api_table_names_every_answering_function():
    rows = set(re.findall(r"^\| `([a-z_]+)\(", section("Python API"), flags=re.M))
    answering = set(api.__all__) - {"check_arrow", "retirement_arrow", "load"}
    assert answering <= rows, answering - rows
