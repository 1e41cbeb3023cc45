"""``python -m socins_cli``: the same entry point as the ``socins`` script."""

from socins_cli.cli.entry import main

main()
