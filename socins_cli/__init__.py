"""socins: Chinese social-insurance law as data, with engines that answer from it.

The core library (everything in this package except ``socins_cli.cli``) imports
neither typer nor rich, so scripts can use it directly::

    from socins_cli.law import load_law
    law = load_law()
"""

__version__ = "0.1.0"
