"""`essay-kg query` (stored queries), `sparql` (your own) and `stats`."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import (
    FORMAT_HELP,
    EndpointOption,
    EngineOption,
    GraphOption,
    QueryDirOption,
    RemoteStoreOption,
    app,
    checked_format,
    graphs_read,
    guarded,
)
from essay_kg.errors import EssayKGError

query_app = typer.Typer(help="Stored SPARQL queries: list, show and run them.\n\nExample: essay-kg query list",
                        no_args_is_help=True)
app.add_typer(query_app, name="query")


def _emit(answer, fmt: str) -> None:
    from essay_kg.query.answer import render

    text = guarded(lambda: render(answer, fmt, sys.stdout.isatty()))
    if text is not None:
        typer.echo(text, nl=False)
    if answer.kind == "SELECT" and answer.total > len(answer.rows):
        typer.echo(f"note: showing {len(answer.rows)} of {answer.total} rows (--limit)", err=True)
    if answer.kind == "ASK" and not answer.boolean:
        raise typer.Exit(1)


def _query_names(incomplete: str) -> list[str]:
    """Shell completion for query names."""
    from essay_kg.query.library import load_library

    try:
        return [name for name in load_library().queries if name.startswith(incomplete)]
    except EssayKGError:
        return []


OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "markdown", "turtle", "ttl", "nt", "jsonld")


@query_app.command("list")
def list_command(
    tag: Annotated[str | None, typer.Option(help="Only queries with this tag. Example: --tag provenance")] = None,
    query_dir: QueryDirOption = None,
) -> None:
    """List the stored queries: name, summary, parameters.

    Example: essay-kg query list --tag check
    """
    from essay_kg.query.library import load_library

    library = guarded(lambda: load_library(query_dir))
    for name in library.shadowed:
        typer.echo(f"note: your query '{name}' shadows the shipped one", err=True)
    rows = [q for q in library.queries.values() if tag is None or tag in q.tags]
    width = max((len(q.name) for q in rows), default=4)
    for q in rows:
        params = " ".join(("" if p.required else "[") + f"{p.name}=" + ("" if p.required else "]") for p in q.params)
        typer.echo(f"{q.name.ljust(width)}  {q.summary}" + (f"  ({params})" if params else ""))


@query_app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Query name. Example: relations-of", autocompletion=_query_names)],
    query_dir: QueryDirOption = None,
) -> None:
    """Show a stored query: its header, parameters with defaults, and the SPARQL text.

    Example: essay-kg query show relations-of
    """
    from essay_kg.query.library import load_library

    query = guarded(lambda: load_library(query_dir).find(name))
    typer.echo(f"{query.name}: {query.summary}")
    if query.description:
        typer.echo(query.description)
    typer.echo(f"file: {query.path}")
    if query.tags:
        typer.echo(f"tags: {', '.join(query.tags)}")
    for p in query.params:
        default = f", default {p.default}" if p.default is not None else ""
        example = f", e.g. {p.example}" if p.example is not None else ""
        kind = "required" if p.required else "optional"
        typer.echo(f"param {p.name} ({p.type}, {kind}{default}{example}): {p.description}")
    typer.echo("")
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.syntax import Syntax

        Console().print(Syntax(query.sparql, "sparql", theme="ansi_dark"))
    else:
        typer.echo(query.sparql, nl=False)


@query_app.command("run")
def run_command(
    name: Annotated[str, typer.Argument(help="Query name. Example: relations-of", autocompletion=_query_names)],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE; an entity may be an id, a label, id:x or an IRI. Example: -p entity=CSCE")] = None,
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "table",
    limit: Annotated[int | None, typer.Option(min=0, help="Show at most N rows. Example: --limit 10")] = None,
    doc: Annotated[str | None, typer.Option(
        "--doc", help="Only this document (its id, as the document column shows it). Example: --doc my-op-ed")] = None,
    query_dir: QueryDirOption = None,
    endpoint: EndpointOption = None,
    store: RemoteStoreOption = None,
    engine: EngineOption = "oxigraph",
) -> None:
    """Run a stored query on the graphs built in ./graphs (else the shipped graph), on graph files, or on a remote
    endpoint.

    Example: essay-kg query run relations-of --param entity=NATO --format markdown
    """
    from essay_kg.store.location import Location, run_stored_query

    checked_format(fmt, OUTPUT_FORMATS)
    where = guarded(lambda: Location(tuple(graphs_read(graph) if endpoint is None else graph or []), endpoint,
                                     store, engine))
    _emit(guarded(lambda: run_stored_query(name, list(param or []), where, query_dir, limit, doc)), fmt)


@app.command("sparql")
def sparql_command(
    text: Annotated[str | None, typer.Argument(help="A SPARQL query. Example: 'SELECT * WHERE { ?s a ekg:Person }'",
                                               show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from a .rq file. Example: --file q.rq")] = None,
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "table",
    limit: Annotated[int | None, typer.Option(min=0, help="Show at most N rows. Example: --limit 10")] = None,
    endpoint: EndpointOption = None,
    store: RemoteStoreOption = None,
    engine: EngineOption = "oxigraph",
) -> None:
    """Run an ad-hoc, read-only SPARQL query (prefixes ekg:, id:, nif:, rdfs:, skos:, prov: … predeclared).

    Example: essay-kg sparql 'SELECT ?p WHERE { ?p a ekg:Person }'
    """
    from essay_kg.query.library import query_text
    from essay_kg.store.location import Location, run_sparql

    checked_format(fmt, OUTPUT_FORMATS)
    sparql = guarded(lambda: query_text(text, file))
    where = guarded(lambda: Location(tuple(graphs_read(graph) if endpoint is None else graph or []), endpoint,
                                     store, engine))
    _emit(guarded(lambda: run_sparql(sparql, where, limit)), fmt)


@app.command("stats")
def stats_command(
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json. Example: --format json")] = "table",
) -> None:
    """Counts: triples per named graph, entities per class, positions, spans, most-mentioned entities.

    Example: essay-kg stats --format json
    """
    import json

    from essay_kg.rdf.files import load_graphs
    from essay_kg.rdf.stats import graph_stats

    checked_format(fmt, ("table", "json"))
    files = graphs_read(graph)
    numbers = guarded(lambda: graph_stats(load_graphs(files)))
    if fmt == "json":
        typer.echo(json.dumps(numbers, indent=1))
        return
    typer.echo("triples per named graph")
    for name, count in numbers["triples_per_graph"].items():
        typer.echo(f"  {count:>7}  {name}")
    typer.echo(f"entities: {numbers['entities']}   positions: {numbers['positions']}   "
               f"spans: {numbers['spans']}   mentions: {numbers['mentions']}")
    typer.echo("entities per class")
    for name, count in numbers["entities_per_class"].items():
        typer.echo(f"  {count:>7}  {name}")
    typer.echo("most mentioned")
    for row in numbers["most_mentioned"]:
        typer.echo(f"  {row['mentions']:>7}  {row['label']}  <{row['entity']}>")
