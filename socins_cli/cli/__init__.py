"""The command line: a thin layer over the library (the only importer of typer and rich)."""
