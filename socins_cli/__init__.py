"""socins: Chinese social-insurance law as data, with engines that answer from it.

The core library (everything in this package except ``socins_cli.cli``) imports
neither typer nor rich, so scripts can use it directly. ``socins_cli.api`` is
the documented entry: each function returns what a command prints with
``--format json``::

    from socins_cli import api
    api.check(category="flexible", as_of="2026-06-01")

Its functions are not re-exported here: ``socins_cli.law.diff``,
``socins_cli.engines.retirement`` and others already name the engine modules.
"""

__version__ = "0.1.0"
