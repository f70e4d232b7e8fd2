"""`python -m essay_kg` runs the command-line interface."""

from essay_kg.cli import main

main()
