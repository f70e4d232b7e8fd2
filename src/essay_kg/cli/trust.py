"""`essay-kg validate`, `essay-kg reason` and `essay-kg verify`: proof that a graph is sound.

Registered on the shared app by `essay_kg.cli.console`; the heavy modules load only when a command runs.
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import app, checked_format, fail, graphs_read, guarded
from essay_kg.errors import BadInput
from essay_kg.shipped import SHIPPED_DOC

GraphArgument = Annotated[list[Path] | None, typer.Argument(
    help="Graph file(s) (.trig .nq .ttl .nt .jsonld .rdf); default: the documents built in ./graphs, else the "
         "shipped graph. "
         f"Example: graphs/{SHIPPED_DOC}.trig", show_default=False)]


@app.command("validate")
def validate_command(
    graph: GraphArgument = None,
    profile: Annotated[str, typer.Option(help="default (errors fail) or strict (errors and warnings fail). "
                                              "Example: --profile strict")] = "default",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, or ttl (a SHACL validation report). "
                                                            "Example: --format ttl")] = "table",
) -> None:
    """Check a graph against the SHACL shapes and the stored checks; exit 1 when it does not conform.

    Example: essay-kg validate --profile strict
    """
    from essay_kg.rdf.files import load_graphs
    from essay_kg.trust.validate import validate

    checked_format(fmt, ("table", "json", "ttl"))
    files = graphs_read(graph)
    report, shacl = guarded(lambda: validate(load_graphs(files), profile))
    if fmt == "json":
        typer.echo(json.dumps({"conforms": report.conforms, "profile": profile, "findings": report.as_dicts()},
                              indent=1, ensure_ascii=False))
    elif fmt == "ttl":
        typer.echo(shacl.serialize(format="longturtle"), nl=False)
    else:
        from rdflib import URIRef

        from essay_kg.query.answer import compact

        rows = [(f.severity, f.check, compact(URIRef(f.focus)) if "://" in f.focus else f.focus, f.message)
                for f in report.findings]
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(("severity", "check", "focus"))]
        if rows:
            typer.echo(f"{'severity'.ljust(widths[0])}  {'check'.ljust(widths[1])}  {'focus'.ljust(widths[2])}  message")
            for row in rows:
                typer.echo(f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2].ljust(widths[2])}  {row[3]}")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    verdict = "conforms" if report.conforms else "does not conform"
    typer.echo(f"validate: {verdict} ({profile} profile): {counts['error']} errors, {counts['warning']} warnings, "
               f"{counts['info']} notes", err=True)
    if not report.conforms:
        raise typer.Exit(1)


@app.command("reason")
def reason_command(
    graph: GraphArgument = None,
    materialise: Annotated[Path | None, typer.Option(help="Write the inferred triples here, in their own named graph "
                                                          "(…/graph/inferred). Example: --materialise inferred.trig")
                           ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json. Example: --format json")] = "table",
    timeout: Annotated[float | None, typer.Option(
        min=0.001, show_default=False, help="Seconds HermiT (Java) may run (default 300); past them it is stopped "
                                            "(exit 3). Example: --timeout 1200")] = None,
) -> None:
    """Run HermiT on the ontology, facts and positions: consistency, unsatisfiable classes, inferences.

    Needs Java. Exit 1 when the graph is inconsistent.

    Example: essay-kg reason --materialise inferred.trig
    """
    from essay_kg.query.answer import compact
    from essay_kg.rdf.files import load_graphs, write_dataset_file
    from essay_kg.trust.reason import inferred_dataset, reason

    checked_format(fmt, ("table", "json"))
    if materialise is not None and materialise.suffix not in {".trig", ".nq"}:
        raise fail(BadInput(f"--materialise {materialise}: a named graph needs a .trig or .nq file",
                            "e.g. --materialise inferred.trig"))
    files = graphs_read(graph)
    result = guarded(lambda: reason(load_graphs(files), timeout))
    if fmt == "json":
        typer.echo(json.dumps({"consistent": result.consistent, "unsatisfiable": result.unsatisfiable,
                               "inferred": [[str(t) for t in triple] for triple in result.inferred],
                               "clashes": result.clashes, "set_aside_literals": result.set_aside}, indent=1))
    else:
        typer.echo(f"consistent: {'yes' if result.consistent else 'NO'}")
        typer.echo(f"unsatisfiable classes: {', '.join(compact_iri(c) for c in result.unsatisfiable) or 'none'}")
        typer.echo(f"inferred: {len(result.inferred)} triples")
        for s, p, o in result.inferred:
            typer.echo(f"  {compact(s)}  {compact(p)}  {compact(o)}")
        for individual, a, b in result.clashes:
            typer.echo(f"clash: {compact_iri(individual)} is both {compact_iri(a)} and {compact_iri(b)}, "
                       "which are disjoint")
    typer.echo(f"reason: HermiT on {result.triples} triples ({result.set_aside} date literals outside OWL 2 set aside)",
               err=True)
    if materialise is not None and result.consistent:
        guarded(lambda: write_dataset_file(inferred_dataset(result), materialise))
        typer.echo(f"reason: {len(result.inferred)} inferred triples -> {materialise}", err=True)
    if not result.consistent:
        raise typer.Exit(1)


def compact_iri(text: str) -> str:
    from rdflib import URIRef

    from essay_kg.query.answer import compact

    return compact(URIRef(text))


@app.command("verify")
def verify_command(
    graph: GraphArgument = None,
    source: Annotated[list[Path] | None, typer.Option(help="The source text(s), or folders of them, to check against, "
                                                           "besides the shipped sources. Example: --source texts/")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Verify the graph held by this SPARQL endpoint. "
                                                      "Example: --endpoint http://127.0.0.1:7878/query")] = None,
    store: Annotated[str | None, typer.Option("--store", help="The endpoint's store (oxigraph, virtuoso, fuseki, "
                                              "graphdb, generic). Example: --store virtuoso")] = None,
) -> None:
    """Re-read the source text, check its SHA-256, and re-anchor every span; exit 1 listing each failure.

    Example: essay-kg verify graphs/my-essay.trig --source texts/my-essay.txt
    """
    from essay_kg.store.location import Location, selector
    from essay_kg.trust.verify import verify

    where = guarded(lambda: Location(tuple(graphs_read(graph) if endpoint is None else graph or []), endpoint,
                                     store, "rdflib"))
    checks = guarded(lambda: verify(selector(where), list(source or [])))
    failures = 0
    for check in checks:
        status = "ok" if check.ok else "FAILED"
        hash_note = "SHA-256 matches" if check.hash_ok else "SHA-256 DIFFERS: the text changed"
        typer.echo(f"{check.file}: {status}: {hash_note}; {check.spans - len(check.drifted)}/{check.spans} spans "
                   f"re-anchored ({check.path})")
        for _span, begin, end, anchor, actual in check.drifted:
            failures += 1
            at = next((i for i, (a, b) in enumerate(zip(anchor, actual, strict=False)) if a != b),
                      min(len(anchor), len(actual)))
            start = max(0, at - 20)
            where = f" at offset {begin + at}" if at else ""
            typer.echo(f"  drifted [{begin},{end}){where}: expected {anchor[start:at + 40]!r}, "
                       f"found {actual[start:at + 40]!r}")
        failures += 0 if check.hash_ok else 1
    if failures:
        typer.echo(f"verify: {failures} failure(s)", err=True)
        raise typer.Exit(1)
    typer.echo("verify: the graph matches its source", err=True)
    sys.stdout.flush()
