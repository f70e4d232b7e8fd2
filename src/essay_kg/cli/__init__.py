"""The command line: one shared typer app (`app`), one module per command group, each command a thin
wrapper.
"""

from essay_kg.cli.console import app, main

__all__ = ["app", "main"]
