"""Where a query runs: graph files here, or a remote SPARQL endpoint; and which graph files a command reads.

The query commands and `essay-kg verify` take either, never both; the same stored query,
ad-hoc query or row selection then runs on whichever was given and answers alike.  Nothing
heavy is imported for local files: pyoxigraph reads them, and rdflib only for JSON-LD or
``engine="rdflib"``; the remote runner (which needs rdflib) and the HTTP client are imported
only for an endpoint.

Every command that reads graph files follows one rule (`graphs_to_read`): the files given with
``--graph``; else the documents built in ``./graphs`` (what ``essay-kg build`` writes by default);
else the shipped graph.  It says which in one line, so that an answer never comes silently from
the shipped essay after the user built their own text.
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
from essay_kg.shipped import SHIPPED_DOC, shipped_graph
from essay_kg.vocabulary import PREFIXES

BUILT = Path("graphs")  # the folder `essay-kg build` writes into by default, in the current folder
NAMED = 5  # documents named in the line that says what is read


@dataclass(frozen=True)
class Reading:
    """The graph files a command reads, and the line that says so (none when the user named them)."""

    files: tuple[Path, ...]
    note: str | None = None


def built_documents(folder: Path = BUILT) -> list[Path]:
    """The documents `essay-kg build` wrote into `folder`: each NAME.trig with its NAME.nq beside it (both written
    by every build, single-file or corpus), sorted; none when there is no such folder.

    Other files there are not documents: ``corpus.nq`` holds the same quads as the documents' files (and is
    not rewritten by a single-file build), ``wikidata-sameas.ttl`` is a view kept out of the graphs, and a
    .trig without its .nq (``reason --materialise``, ``link --apply``) was not written by a build."""
    try:
        if not folder.is_dir():
            return []
        return sorted(path for path in folder.iterdir()
                      if path.suffix == ".trig" and path.is_file() and path.with_suffix(".nq").is_file())
    except OSError as err:
        raise BadInput(f"{folder}/: cannot read the folder ({err.strerror or err})",
                       f"make {folder}/ readable, or name the graph files with --graph") from None


def graphs_to_read(given: list[Path] | None = None, folder: Path = BUILT) -> Reading:
    """The one rule for which graph a command reads: the files given; else the documents built in `folder`
    (``./graphs``); else the shipped graph."""
    if given:
        return Reading(tuple(given))
    documents = built_documents(folder)
    if not documents:
        return Reading((shipped_graph(),), f"reading the shipped graph ({SHIPPED_DOC}): no graphs built in {folder}/")
    names = ", ".join(path.stem for path in documents[:NAMED])
    more = f" and {len(documents) - NAMED} more" if len(documents) > NAMED else ""
    count = f"{len(documents)} document{'s' if len(documents) != 1 else ''}"
    return Reading(tuple(documents), f"reading {count} from {folder}/: {names}{more}")


@dataclass(frozen=True)
class Location:
    """Graph files (none: the shipped graph) read by a local engine, or an endpoint with its store profile.

    The commands resolve the files first (`graphs_to_read`); none here is for library callers."""

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
