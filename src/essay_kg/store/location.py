"""Where a query runs: graph files here (the shipped graph by default), or a remote SPARQL endpoint.

The query commands and `essay-kg verify` take either, never both; the same stored query,
ad-hoc query or row selection then runs on whichever was given and answers alike.  Nothing
heavy is imported for local files: pyoxigraph reads them, and rdflib only for JSON-LD or
``engine="rdflib"``; the remote runner (which needs rdflib) and the HTTP client are imported
only for an endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.query.answer import Answer
from essay_kg.query.binding import bind, parse_assignments, with_values
from essay_kg.query.documents import DOCUMENT, tells_documents_apart, without_single_document
from essay_kg.query.engine import execute, load, select_on
from essay_kg.query.library import find_query
from essay_kg.vocabulary import PREFIXES


@dataclass(frozen=True)
class Location:
    """Graph files (none: the shipped graph) read by a local engine, or an endpoint with its store profile."""

    graphs: tuple[Path, ...] = ()
    endpoint: str | None = None
    store: str | None = None  # the endpoint's store (oxigraph, virtuoso, …); default: guessed from the URL
    engine: str = "oxigraph"  # for graph files: oxigraph or rdflib
    timeout: float = 60.0  # seconds for the whole of each request to the endpoint

    def __post_init__(self) -> None:
        if self.endpoint is not None and self.graphs:
            raise BadInput("give graph files or an --endpoint, not both", "drop the graph files to use the endpoint")

    def remote(self) -> Any:
        """The endpoint's `Store`, or None for graph files."""
        if self.endpoint is None:
            return None
        from essay_kg.store.endpoints import store_for

        return store_for(self.endpoint, self.store)

    def graph(self) -> Any:
        """The graph files, loaded (`essay_kg.query.engine.load`)."""
        return load(list(self.graphs), self.engine)


def run_stored_query(name: str, assignments: list[str], where: Location, query_dir: list[Path] | None = None,
                     limit: int | None = None, document: str | None = None) -> Answer:
    """A stored query with NAME=VALUE parameters, bound as RDF terms (entity names resolved where the graph is).

    `document` (``--doc``) restricts a query that tells documents apart to one document; the
    ``document`` column is shown when the graphs read hold more than one.
    """
    query = find_query(name, query_dir)
    values = parse_assignments(assignments)
    if document is not None:
        if not tells_documents_apart(query):
            raise BadInput(f"query '{query.name}' does not tell documents apart, so --doc does not apply to it",
                           "run it without --doc; 'essay-kg query list' shows the queries that take document=")
        if DOCUMENT in values:
            raise BadInput("give --doc or --param document=, not both", f"e.g. --doc {document}")
        values[DOCUMENT] = document
    remote = where.remote()
    if remote is not None:
        from essay_kg.store.remote import remote_select, run_remote

        select = remote_select(remote, where.timeout)
        answer = run_remote(remote, with_values(query.sparql, bind(query, values, select, PREFIXES)), limit,
                            where.timeout)
    else:
        data = where.graph()
        select = select_on(data)
        answer = execute(query.sparql, data, bind(query, values, select, PREFIXES), limit, native=True)
    return without_single_document(query, answer, select)


def run_sparql(sparql: str, where: Location, limit: int | None = None) -> Answer:
    """An ad-hoc, read-only query."""
    remote = where.remote()
    if remote is not None:
        from essay_kg.store.remote import run_remote

        return run_remote(remote, sparql, limit, where.timeout)
    return execute(sparql, where.graph(), None, limit, native=True)


def selector(where: Location) -> Callable[[str], list[tuple[Any, ...]]]:
    """A `binding.Select` where the graph is: rows of rdflib terms (pyoxigraph's with the oxigraph engine)."""
    remote = where.remote()
    if remote is not None:
        from essay_kg.store.remote import remote_select

        return remote_select(remote, where.timeout)
    return select_on(where.graph())
