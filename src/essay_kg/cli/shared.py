"""The shared typer app: the root command, the options several commands take, and error printing.

Exit codes: 0 success, 1 the answer is "no", 2 bad input, 3 environment.
User errors are printed as two lines on stderr (what is wrong, how to fix it).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from essay_kg import __version__
from essay_kg.errors import BadInput, EssayKGError
from essay_kg.shipped import SHIPPED_DOC

T = TypeVar("T")

app = typer.Typer(
    name="essay-kg",
    help="Build and query knowledge graphs of policy essays.\n\nExample: essay-kg build",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def fail(error: EssayKGError) -> typer.Exit:
    """Print a user error as two lines and return the exit to raise."""
    typer.echo(f"error: {one_line(error.message)}", err=True)
    typer.echo(f"hint: {one_line(error.hint)}", err=True)
    return typer.Exit(error.exit_code)


MAX_LINE = 600  # characters of an error or hint line: a 120 kB value is not echoed whole


def one_line(text: str) -> str:
    """`text` as one line: a line break or control character in a name the user gave ("a\nhint: …") is written
    escaped, so it cannot forge a line of its own; a very long text is cut."""
    safe = "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
    return safe if len(safe) <= MAX_LINE else safe[:MAX_LINE] + f"… ({len(safe) - MAX_LINE} more characters)"


def guarded(action: Callable[[], T]) -> T:
    """Run `action`, turning user errors into their message, hint and exit code."""
    try:
        return action()
    except EssayKGError as error:
        raise fail(error) from None


def graphs_read(given: list[Path] | None) -> list[Path]:
    """The graph files a command reads (the one rule: `essay_kg.store.location.graphs_to_read`), said on stderr
    in one line unless the user named them."""
    from essay_kg.store.location import graphs_to_read

    reading = guarded(lambda: graphs_to_read(given))
    if reading.note is not None:
        typer.echo(f"note: {reading.note}", err=True)
    return list(reading.files)


def checked_format(fmt: str, allowed: tuple[str, ...]) -> str:
    """`fmt` if it is one of `allowed`; else the command ends with exit 2, naming them."""
    if fmt not in allowed:
        choices = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
        raise fail(BadInput(f"unknown format '{fmt}'", f"use {choices}"))
    return fmt


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


FORMAT_HELP = "Output: table, csv, tsv, json, markdown (CONSTRUCT: turtle, nt, jsonld). Example: --format csv"
GraphOption = Annotated[list[Path] | None, typer.Option(
    "--graph", "-g", help="Graph file(s) to read (.trig .nq .ttl .nt .jsonld .rdf); default: the documents built in "
                          "./graphs, else the shipped graph. "
                          f"Example: --graph graphs/{SHIPPED_DOC}.trig")]
EndpointOption = Annotated[str | None, typer.Option(
    help="Run on this remote SPARQL endpoint instead of graph files. Example: --endpoint http://127.0.0.1:7878/query")]
RemoteStoreOption = Annotated[str | None, typer.Option(
    "--store", help="The endpoint's store (oxigraph, virtuoso, fuseki, graphdb, generic); default: guessed from the URL. "
                    "Example: --store fuseki")]
EngineOption = Annotated[str, typer.Option(
    help="oxigraph (fast, the default) or rdflib (the reference); JSON-LD input always uses rdflib. "
         "Example: --engine rdflib")]
QueryDirOption = Annotated[list[Path] | None, typer.Option(
    "--query-dir", help="Folder of your own .rq queries, added to the shipped ones. Example: --query-dir my-queries")]
RulesOption = Annotated[Path | None, typer.Option(
    help="Folder of extraction rules instead of the shipped extract/. Example: --rules my-extract/")]
TitleOption = Annotated[str | None, typer.Option(help="Title, when there is no sibling .json. Example: --title 'A Speech'")]
AuthorOption = Annotated[str | None, typer.Option(help="Author's name. Example: --author 'Warren Christopher'")]
DateOption = Annotated[str | None, typer.Option(help="Publication date YYYY[-MM[-DD]]. Example: --date 1994-05")]
ModelOption = Annotated[str, typer.Option(
    help="The trained spaCy pipeline under the rules: an installed package or a path; none for the rules alone. "
         "Example: --model en_core_web_sm")]
