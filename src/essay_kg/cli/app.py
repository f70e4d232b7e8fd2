"""The `essay-kg` command line: thin typer commands over the library.

Exit codes: 0 success, 1 the answer is "no", 2 bad input, 3 environment.
User errors are printed as two lines on stderr (what is wrong, how to fix it).
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from essay_kg import __version__
from essay_kg.errors import BadInput, EssayKGError

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
    timings: Annotated[bool, typer.Option(help="Also print the seconds each phase took. Example: --timings")] = False,
    jobs: Annotated[int | None, typer.Option(min=1, help="Corpus mode: build this many documents at once (each in its "
                                                         "own process). Example: --jobs 2")] = None,
    engine: Annotated[str, typer.Option(help="Corpus mode: local processes, or dask (a Dask cluster; a LocalCluster "
                                             "of --jobs workers unless --scheduler). Example: --engine dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Corpus mode: the address of an existing Dask scheduler. "
                                                       "Example: --scheduler tcp://10.0.0.5:8786")] = None,
) -> None:
    """Build the knowledge graph of the shipped essay, of given texts, or of a corpus (folders, globs).

    Writes NAME.trig (named graphs), NAME.nq (sorted N-Quads) and NAME.ttl (the union, graph by graph)
    into --out, atomically, and prints a summary to stderr. A folder or glob (or --jobs) builds
    a corpus: each document on its own, unchanged ones skipped, failures reported at the end
    (exit 1) without losing the others.

    Example: essay-kg build essays/ --out graphs --jobs 2
    """
    from essay_kg.corpus.documents import build_sources

    overrides = {"title": title, "author": author, "date": date}
    inputs = list(sources or [])
    if engine not in {"local", "dask"}:
        raise fail(BadInput(f"unknown engine '{engine}'", "use local or dask"))
    corpus = jobs is not None or engine == "dask" or any(p.is_dir() or any(c in str(p) for c in "*?[") for p in inputs)
    if corpus:
        if any(v is not None for v in overrides.values()):
            raise fail(BadInput("--title, --author and --date name one text, not a corpus",
                                "give each text a sibling NAME.json with its metadata"))
        _build_corpus(inputs, out, rules, jobs or (2 if engine == "dask" else 1), timings, engine, scheduler)
        return
    reports = guarded(lambda: build_sources(inputs, out, rules, overrides))
    for report in reports:
        typer.echo(report.summary(), err=True)
        if timings and report.seconds:
            typer.echo("timings: " + ", ".join(f"{k} {v:.3f} s" for k, v in report.seconds.items()), err=True)


def _build_corpus(inputs: list[Path], out: Path, rules: Path | None, jobs: int, timings: bool, engine: str,
                  scheduler: str | None) -> None:
    from essay_kg.corpus.batch import build_corpus, expand
    from essay_kg.corpus.documents import default_sources

    inputs = inputs or default_sources()
    if not guarded(lambda: expand(inputs)):
        guarded(lambda: build_corpus(inputs, out, rules, jobs))  # refuses, with the reason
    count = len(expand(inputs))
    with typer.progressbar(length=count, label="building", file=sys.stderr) as bar:
        report = guarded(lambda: build_corpus(inputs, out, rules, jobs, bar.update, engine, scheduler))
    for built in report.built:
        typer.echo(built.summary(), err=True)
        if timings and built.seconds:
            typer.echo("timings: " + ", ".join(f"{k} {v:.3f} s" for k, v in built.seconds.items()), err=True)
    typer.echo(f"corpus: {len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.failed)} failed "
               f"-> {out}", err=True)
    if report.merged is not None:
        typer.echo(f"corpus: {report.quads} quads merged -> {report.merged}", err=True)
    for path, message in report.failed:
        typer.echo(f"error: {message}" if message.startswith(path) else f"error: {path}: {message}", err=True)
    if report.failed:
        typer.echo("hint: fix the files named above and build again; the others are done and will be skipped", err=True)
        raise typer.Exit(1)


query_app = typer.Typer(help="Stored SPARQL queries: list, show and run them.\n\nExample: essay-kg query list",
                        no_args_is_help=True)
app.add_typer(query_app, name="query")

FORMAT_HELP = "Output: table, csv, tsv, json, markdown (CONSTRUCT: turtle, nt, jsonld). Example: --format csv"
GraphOption = Annotated[list[Path] | None, typer.Option(
    "--graph", "-g", help="Graph file(s) to query (.trig .nq .ttl .nt .jsonld .rdf); default: the shipped graph. "
                          "Example: --graph graphs/kozyrev-1994.trig")]
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


def _emit(answer, fmt: str) -> None:
    from essay_kg.query.answer import render

    text = render(answer, fmt, sys.stdout.isatty())
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


def _check_format(fmt: str) -> str:
    allowed = {"table", "csv", "tsv", "json", "markdown", "turtle", "ttl", "nt", "jsonld"}
    if fmt not in allowed:
        raise fail(BadInput(f"unknown format '{fmt}'", f"use one of {', '.join(sorted(allowed))}"))
    return fmt


@query_app.command("list")
def query_list(
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
def query_show(
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
def query_run(
    name: Annotated[str, typer.Argument(help="Query name. Example: relations-of", autocompletion=_query_names)],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE; an entity may be an id, a label, id:x or an IRI. Example: -p entity=CSCE")] = None,
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "table",
    limit: Annotated[int | None, typer.Option(min=0, help="Show at most N rows. Example: --limit 10")] = None,
    query_dir: QueryDirOption = None,
    endpoint: EndpointOption = None,
    store: RemoteStoreOption = None,
    engine: EngineOption = "oxigraph",
) -> None:
    """Run a stored query on the shipped graph, on graph files, or on a remote endpoint.

    Example: essay-kg query run relations-of --param entity=NATO --format markdown
    """
    from essay_kg.query.binding import bind, parse_assignments
    from essay_kg.query.engine import execute, load, select_on
    from essay_kg.query.library import find_query
    from essay_kg.query.answer import PREFIXES

    _check_format(fmt)

    def answer():
        query = find_query(name, query_dir)
        values = parse_assignments(list(param or []))
        if endpoint is not None:
            from essay_kg.query.binding import with_values
            from essay_kg.store.remote import remote_select, run_remote
            from essay_kg.store.endpoints import store_for

            _one_source(graph)
            remote = store_for(endpoint, store)
            terms = bind(query, values, remote_select(remote), PREFIXES)
            return run_remote(remote, with_values(query.sparql, terms), limit)
        data = load(list(graph or []), engine)
        return execute(query.sparql, data, bind(query, values, select_on(data), PREFIXES), limit, native=True)

    _emit(guarded(answer), fmt)


@app.command()
def sparql(
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
    from essay_kg.query.engine import execute, load

    _check_format(fmt)

    def answer():
        if (text is None) == (file is None):
            raise BadInput("give a query text or --file, not both or neither", "e.g. essay-kg sparql --file my.rq")
        query = text
        if file is not None:
            if not file.is_file():
                raise BadInput(f"{file}: no such query file", "check the path")
            query = file.read_text(encoding="utf-8")
        if endpoint is not None:
            from essay_kg.store.remote import run_remote
            from essay_kg.store.endpoints import store_for

            _one_source(graph)
            return run_remote(store_for(endpoint, store), query or "", limit)
        return execute(query or "", load(list(graph or []), engine), None, limit, native=True)

    _emit(guarded(answer), fmt)


def _one_source(graph: list[Path] | None) -> None:
    if graph:
        raise BadInput("give --graph files or an --endpoint, not both", "drop --graph to query the endpoint")


@app.command()
def stats(
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json. Example: --format json")] = "table",
) -> None:
    """Counts: triples per named graph, entities per class, positions, spans, most-mentioned entities.

    Example: essay-kg stats --format json
    """
    import json

    from essay_kg.rdf.files import load_graphs
    from essay_kg.rdf.stats import graph_stats

    if fmt not in {"table", "json"}:
        raise fail(BadInput(f"unknown format '{fmt}'", "use table or json"))
    numbers = guarded(lambda: graph_stats(load_graphs(list(graph or []))))
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


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Option(help="Gold-standard folder. Example: --gold tests/gold/kozyrev-1994")] = Path(
        "tests/gold/kozyrev-1994"),
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json. Example: --format json")] = "table",
    show: Annotated[int, typer.Option(help="List at most N misses and false positives per component. "
                                           "Example: --show 50")] = 20,
) -> None:
    """Precision, recall and F1 of entities, relations, positions and dates against a gold standard.

    Example: essay-kg eval --gold tests/gold/kozyrev-1994
    """
    import json

    from essay_kg.trust.evaluate import evaluate as run_evaluation
    from essay_kg.rdf.files import load_graphs

    if fmt not in {"table", "json"}:
        raise fail(BadInput(f"unknown format '{fmt}'", "use table or json"))
    scores = guarded(lambda: run_evaluation(load_graphs(list(graph or [])), gold))
    if fmt == "json":
        typer.echo(json.dumps([s.as_dict() for s in scores], indent=1, ensure_ascii=False))
        return
    typer.echo(f"{'component':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for s in scores:
        typer.echo(f"{s.component:<10} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.true_positives:>4} "
                   f"{len(s.false_positives):>4} {len(s.misses):>4}")
    for s in scores:
        for label, items in (("missed", s.misses), ("false positive", s.false_positives)):
            for item in items[:show]:
                typer.echo(f"{s.component} {label}: {item}")
            if len(items) > show:
                typer.echo(f"{s.component} {label}: … {len(items) - show} more (--show)")


import essay_kg.cli.draw  # noqa: E402  (registers `essay-kg draw`)
import essay_kg.cli.link  # noqa: E402  (registers `essay-kg link`)
import essay_kg.cli.rules  # noqa: E402  (registers `essay-kg rules suggest`)
import essay_kg.cli.store  # noqa: E402  (registers `essay-kg export` and `essay-kg push`)
import essay_kg.cli.trust  # noqa: E402, F401  (registers `essay-kg validate`, `reason` and `verify`)


def main() -> None:
    """Console-script entry point. SIGTERM ends the run like Ctrl-C: temporary files are removed, outputs kept whole."""
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminated)
    app(prog_name="essay-kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
