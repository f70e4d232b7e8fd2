"""`python -m essay_kg` runs the command-line interface."""

from essay_kg.cli.app import main

main()
