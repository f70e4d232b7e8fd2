"""The `essay-kg` command line: thin typer commands over the library.

Exit codes: 0 success, 1 the answer is "no", 2 bad input, 3 environment.
User errors are printed as two lines on stderr (what is wrong, how to fix it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from essay_kg import __version__
from essay_kg.errors import EssayKGError

T = TypeVar("T")

app = typer.Typer(
    name="essay-kg",
    help="Build and query knowledge graphs of policy essays.\n\nExample: essay-kg build",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def fail(error: EssayKGError) -> typer.Exit:
    """Print a user error as two lines and return the exit to raise."""
    typer.echo(f"error: {error.message}", err=True)
    typer.echo(f"hint: {error.hint}", err=True)
    return typer.Exit(error.exit_code)


def guarded(action: Callable[[], T]) -> T:
    """Run `action`, turning user errors into their message, hint and exit code."""
    try:
        return action()
    except EssayKGError as error:
        raise fail(error) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"essay-kg {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Build and query knowledge graphs of policy essays."""


@app.command()
def build(
    sources: Annotated[list[Path] | None, typer.Argument(
        help="Source .txt files (UTF-8). Default: the shipped essay. Example: essay-kg build my-essay.txt",
        show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the graph files. Example: --out graphs")] = Path("graphs"),
    rules: Annotated[Path | None, typer.Option(help="Folder of extraction rules instead of the shipped extract/. "
                                                   "Example: --rules my-extract/")] = None,
    title: Annotated[str | None, typer.Option(help="Title, when there is no sibling .json. Example: --title 'A Speech'")] = None,
    author: Annotated[str | None, typer.Option(help="Author's name. Example: --author 'Warren Christopher'")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date YYYY[-MM[-DD]]. Example: --date 1994-05")] = None,
) -> None:
    """Build the knowledge graph of the shipped essay or of given texts.

    Writes NAME.trig (named graphs), NAME.nq (sorted N-Quads) and NAME.ttl (union, longturtle)
    into --out, atomically, and prints a summary to stderr.

    Example: essay-kg build --out graphs
    """
    from essay_kg.corpus import build_sources

    overrides = {"title": title, "author": author, "date": date}
    reports = guarded(lambda: build_sources(list(sources or []), out, rules, overrides))
    for report in reports:
        typer.echo(report.summary(), err=True)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="essay-kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
