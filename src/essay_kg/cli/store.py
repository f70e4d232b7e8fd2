"""`essay-kg export`, `push` and `load`: the graph in standard formats, in external triplestores, and in a
pyoxigraph store on disk.

Registered on the shared app by `essay_kg.cli.console`; the heavy modules load only when a command runs.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import GraphOption, app, fail, graphs_read, guarded
from essay_kg.errors import BadInput
from essay_kg.shipped import SHIPPED_DOC

StoreOption = Annotated[str | None, typer.Option(
    "--store", help="oxigraph, virtuoso, fuseki, graphdb or generic; default: guessed from the URL. Example: --store virtuoso")]
TimeoutOption = Annotated[float, typer.Option(min=1, help="Seconds per request. Example: --timeout 120")]


@app.command("export")
def export_command(
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="trig, nq, jsonld (named graphs kept); ttl, nt, xml "
                                            "(triples only). Default: from -o's extension, else trig. Example: --format nq")
                   ] = None,
    graph_name: Annotated[str | None, typer.Option(help="Only this named graph: a short name or an IRI. "
                                                        f"Example: --graph-name {SHIPPED_DOC}/facts")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (atomically) instead of stdout. "
                                                "Example: -o graph.jsonld")] = None,
    graph: GraphOption = None,
) -> None:
    """Write the graph in a standard RDF format, byte-identical on every run.

    Example: essay-kg export --format jsonld -o graph.jsonld
    """
    from essay_kg.rdf.export import FORMATS, NAMED_GRAPH_FORMATS, SUFFIX_FORMATS, export
    from essay_kg.rdf.files import load_graphs, write_file

    chosen = fmt or (SUFFIX_FORMATS.get(output.suffix.lower(), "trig") if output is not None else "trig")
    if chosen not in FORMATS:
        raise fail(BadInput(f"unknown export format '{chosen}'", f"use one of {', '.join(FORMATS)}"))
    if output is not None and output.is_dir():
        raise fail(BadInput(f"{output}: is a folder", "give a file name, e.g. -o graph.trig"))
    if chosen not in NAMED_GRAPH_FORMATS and graph_name is None:
        typer.echo(f"note: {chosen} carries no named graphs; writing the union of all graphs "
                   "(use trig, nq or jsonld to keep them)", err=True)
    files = graphs_read(graph)
    data = guarded(lambda: export(load_graphs(files), chosen, graph_name))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    guarded(lambda: write_file(output, data))
    typer.echo(f"export: {len(data)} bytes -> {output}", err=True)


@app.command("push")
def push_command(
    endpoint: Annotated[str, typer.Option(help="The store's SPARQL query endpoint. "
                                               "Example: --endpoint http://127.0.0.1:7878/query")],
    store: StoreOption = None,
    graph_prefix: Annotated[str | None, typer.Option(help="Put the graphs under this IRI instead of "
                                                          "https://w3id.org/essay-kg/graph/. "
                                                          "Example: --graph-prefix http://example.org/kg/")] = None,
    replace: Annotated[bool, typer.Option("--replace/--append", help="Replace each document's graphs (idempotent), "
                                          "or add to them; the shared ontology and links graphs are always merged. "
                                          "Example: --append")] = True,
    method: Annotated[str, typer.Option(help="auto (Graph Store Protocol where known), gsp or update. "
                                             "Example: --method update")] = "auto",
    update_endpoint: Annotated[str | None, typer.Option(help="SPARQL Update URL, if not the profile's. "
                                                             "Example: --update-endpoint http://host/update")] = None,
    store_endpoint: Annotated[str | None, typer.Option(help="Graph Store Protocol URL, if not the profile's. "
                                                            "Example: --store-endpoint http://host/store")] = None,
    batch: Annotated[int | None, typer.Option(min=1, help="Triples per INSERT DATA request (update method; default "
                                                          "2000, Virtuoso 250). Example: --batch 500")] = None,
    timeout: TimeoutOption = 120.0,
    graph: GraphOption = None,
) -> None:
    """Load every named graph into a triplestore, then check the triple counts there.

    Each document's graphs replace those on the store; the shared ontology and links graphs are merged into
    the store's, so documents can be pushed one after another.

    Credentials come from ESSAY_KG_STORE_USER / ESSAY_KG_STORE_PASSWORD or ~/.netrc, never from flags.
    Exit 1 when a graph's count on the store differs from the local one.

    Example: essay-kg push --endpoint http://127.0.0.1:8890/sparql --store virtuoso
    """
    from essay_kg.rdf.files import load_graphs
    from essay_kg.store.endpoints import store_for
    from essay_kg.store.push import PushOptions, named_graphs, push

    def work():
        options = PushOptions(graph_prefix, replace, method, batch, timeout)
        target = store_for(endpoint, store, update_endpoint, store_endpoint)
        dataset = load_graphs(files)
        typer.echo(f"push: {target.kind} store at {target.query_url}", err=True)
        with typer.progressbar(length=len(named_graphs(dataset)), label="pushing graphs", file=sys.stderr) as bar:
            return push(dataset, target, options, lambda name, triples: bar.update(1))

    files = graphs_read(graph)
    counts = guarded(work)
    width = max((len(c.target) for c in counts), default=5)
    for c in counts:
        flag = "" if c.local == c.remote else "   MISMATCH" if not c.agrees else (
            "   (store holds more: --append)" if not replace else "   (shared: merged with what the store held)")
        typer.echo(f"{c.target.ljust(width)}  {c.local:>7} local  {c.remote:>7} on the store{flag}", err=True)
    bad = [c for c in counts if not c.agrees]
    typer.echo(f"push: {sum(c.local for c in counts)} triples in {len(counts)} graphs", err=True)
    if bad:
        typer.echo(f"error: {len(bad)} graph(s) on the store do not hold the triples pushed ({bad[0].target}: "
                   f"{bad[0].remote} on the store, {bad[0].local} here)", err=True)
        typer.echo("hint: the store may rewrite literals or have refused part of the data; see its log", err=True)
        raise typer.Exit(1)


@app.command("load")
def load_command(
    graphs: Annotated[list[Path], typer.Argument(help="Graph files or folders of them (.nq preferred). "
                                                      "Example: essay-kg load graphs/ --store kg-store",
                                                 show_default=False)],
    store: Annotated[Path, typer.Option(help="Folder of the pyoxigraph store on disk (created if absent). "
                                             "Example: --store kg-store")],
) -> None:
    """Load built graph files into a pyoxigraph store on disk (the `oxigraph serve --location` format).

    A folder contributes its corpus.nq (the merged corpus, after a corpus build), else its .nq
    files, else its .trig files. Example: essay-kg load graphs/ --store kg-store
    """
    from essay_kg.corpus.batch import load_store

    count, quads = guarded(lambda: load_store(graphs, store))
    typer.echo(f"load: {count} file{'s' if count != 1 else ''} -> {store} ({quads} quads in the store)", err=True)
