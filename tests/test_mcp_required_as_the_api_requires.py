"""The tools' schemas mark required what the API refuses to answer without: retirement's sex and birth, timeline's
category. A client that fills in only the required arguments (many do) had its call refused with a line the schema
never warned of."""

from __future__ import annotations

import pytest

pytest.importorskip("mcp", reason="the MCP SDK is not installed: pip install 'socins[mcp]'")

from socins_cli import api  # noqa: E402
from socins_cli.errors import InputError  # noqa: E402
from socins_cli.mcp_server import TOOLS, argument_problem, parameters  # noqa: E402


def _required(name: str) -> set[str]:
    return {spec.rstrip("!").partition("=")[0] for spec in TOOLS[name][1] if spec.endswith("!")}


@pytest.mark.parametrize("name,function,given,left_out", [
    ("retirement", api.retirement, dict(birth="1970-01", as_of="2026-06-01"), "sex"),
    ("retirement", api.retirement, dict(sex="male", as_of="2026-06-01"), "birth"),
    ("timeline", api.timeline, dict(start="2020-01-01", end="2026-01-01"), "category"),
])
def test_what_the_api_requires_the_schema_requires(name, function, given, left_out):
    with pytest.raises(InputError) as err:
        function(**given)
    assert err.value.field == left_out and "required" in str(err.value)
    assert left_out in _required(name)
    schemas = parameters(api.load())
    problem = argument_problem({"name": name, "arguments": given}, schemas)
    assert problem is not None and problem.startswith(f'argument "{left_out}": is required')
