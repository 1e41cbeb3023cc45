"""``socins mcp``: serve the Python API over the Model Context Protocol on stdin/stdout."""

from socins_cli.cli.common import get_law


def mcp_command() -> None:
    """A Model Context Protocol server over stdio: the commands as tools, articles as resources (needs the mcp extra)."""
    from socins_cli.mcp_server import serve

    serve(get_law())
