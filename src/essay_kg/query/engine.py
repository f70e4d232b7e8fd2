"""Where queries run: pyoxigraph (fast) or rdflib (the reference), with the same answers.

Parsing the shipped TriG takes rdflib about 0.7 s and pyoxigraph about 0.04 s, and
pyoxigraph answers the stored checks in milliseconds where rdflib takes seconds,
so queries run in an in-memory pyoxigraph store whose default graph is the union of
the named graphs: a set, as in rdflib, so a triple that several documents carry (an
entity's label, its type) matches once.  (Oxigraph's own union default graph yields a
triple once for each graph holding it, which repeated rows on a corpus; the union is
therefore copied into the default graph after loading.)  Answers come back as rdflib terms, so that every consumer sees
one kind; the query commands ask for pyoxigraph's own terms instead (``native``),
which `results` renders alike, and so never import rdflib.  One difference is
Oxigraph's: it keeps numbers of the derived integer types (the NIF offsets,
``xsd:nonNegativeInteger``) as ``xsd:integer``; the values are the same.

JSON-LD input, and ``--engine rdflib``, use rdflib.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput, EnvironmentProblem
from essay_kg.query.answer import Answer
from essay_kg.query.limit import within_time_limit
from essay_kg.rdf.terms import XSD_STRING
from essay_kg.vocabulary import PREFIXES

ENGINES = ("oxigraph", "rdflib")
OXIGRAPH_FORMATS = {".trig": "TRIG", ".nq": "N_QUADS", ".ttl": "TURTLE", ".nt": "N_TRIPLES", ".n3": "N3",
                    ".rdf": "RDF_XML", ".xml": "RDF_XML", ".owl": "RDF_XML"}
_DESCRIBE = re.compile(r"(?is)^\s*((BASE\s*<[^>]*>|PREFIX\s*[\w.-]*:\s*<[^>]*>)\s*)*DESCRIBE\b")


def _without_comments(sparql: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", sparql)


class OxigraphGraph:
    """Graph files in an in-memory pyoxigraph store."""

    def __init__(self, paths: list[Path] | None = None, dataset: Any = None) -> None:
        import pyoxigraph as ox

        from essay_kg.shipped import shipped_graph

        self.store = ox.Store()
        if dataset is not None:  # an rdflib Dataset already in memory
            from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

            def graph_name(graph: Any) -> Any:
                identifier = getattr(graph, "identifier", graph)
                return ox.DefaultGraph() if identifier == DATASET_DEFAULT_GRAPH_ID else to_oxigraph(identifier)

            self.store.extend([ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph_name(g))
                               for s, p, o, g in dataset.quads((None, None, None, None))])
        else:
            for path in paths or [shipped_graph()]:
                bulk_load(self.store, path)
        self.store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        """pyoxigraph's own result; a syntax error is bad input, worded by rdflib's parser (which names the place)."""
        from essay_kg.query.binding import with_values

        if bindings:  # Oxigraph substitutes only projected variables: parameters go in a VALUES block instead
            sparql = with_values(sparql, bindings)
        try:
            return self.store.query(sparql, prefixes=PREFIXES)
        except SyntaxError as err:
            prepare(sparql)  # raises the worded error (an update is refused as such)
            raise BadInput(f"SPARQL error: {' '.join(str(err).split())[:200]}", "fix the query") from None

    def select(self, sparql: str) -> list[tuple[Any, ...]]:
        """The rows of a SELECT, as pyoxigraph terms (for `binding.resolve_entity`), within the time limit."""
        def rows() -> list[tuple[Any, ...]]:
            result = self.query(sparql)
            names = [v.value for v in result.variables]
            return [tuple(solution[v] for v in names) for solution in result]

        return within_time_limit(rows)


class NotForOxigraph(BadInput):
    """A graph file in a format that pyoxigraph is not used for (JSON-LD: its contexts are handled by rdflib)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: pyoxigraph cannot load '{path.suffix}' files",
                         f"use one of {', '.join(sorted(OXIGRAPH_FORMATS))}")


def oxigraph_format(path: Path) -> str:
    """pyoxigraph's name (``RdfFormat``) for the format of a graph file; `NotForOxigraph` for JSON-LD."""
    from essay_kg.rdf.files import graph_format  # no rdflib import: that costs 0.15 s

    graph_format(path)
    if path.suffix.lower() not in OXIGRAPH_FORMATS:
        raise NotForOxigraph(path)
    return OXIGRAPH_FORMATS[path.suffix.lower()]


def bulk_load(store: Any, path: Path) -> None:
    """Load one graph file into a pyoxigraph store (in memory, or on disk for `essay-kg load`).

    The one reader of graph files into pyoxigraph, as `rdf.files.load_graphs` is rdflib's: the
    same checks first, the same message for a file its parser refuses.
    """
    import pyoxigraph as ox

    fmt = oxigraph_format(path)
    try:
        store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt))
    except (SyntaxError, ValueError, OSError) as err:
        raise _refused(path, err) from None


def check_parses(path: Path) -> None:
    """Read a graph file through pyoxigraph's parser to its end, keeping nothing: `bulk_load`'s error for a
    file it would refuse, before anything is loaded."""
    import pyoxigraph as ox

    fmt = oxigraph_format(path)
    try:
        for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt)):
            pass
    except (SyntaxError, ValueError, OSError) as err:
        raise _refused(path, err) from None


def _refused(path: Path, err: Exception) -> BadInput:
    from essay_kg.rdf.files import READ_FORMATS, not_valid

    line = f":{err.lineno}" if isinstance(err, SyntaxError) and err.lineno else ""
    return not_valid(path, READ_FORMATS[path.suffix.lower()], str(err.args[0] if err.args else err), line)


def to_oxigraph(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (plain strings stay plain, as rdflib gives them); rdflib terms pass."""
    if term is None or isinstance(term, str):
        return term
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def prepare(sparql: str) -> Any:
    """Parse a query, refusing updates and naming the place of a syntax error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        return prepareQuery(sparql, initNs=PREFIXES)
    except ParseException as err:
        try:
            parseUpdate(sparql)
        except Exception:
            pass
        else:
            raise BadInput("update queries are refused: essay-kg only reads graphs",
                           "use SELECT, ASK, CONSTRUCT or DESCRIBE; load data with 'essay-kg build'") from None
        found = str(err.line).strip()[:80] if err.line else ""
        raise BadInput(f"SPARQL syntax error at line {err.lineno}, column {err.col}: {err.msg}"
                       + (f" near '{found}'" if found else ""),
                       "fix the query; prefixes ekg:, id:, nif:, rdfs:, skos:, prov: … are predeclared") from None
    except Exception as err:  # rdflib raises plain Exceptions for unknown prefixes and the like
        raise BadInput(f"SPARQL error: {' '.join(str(err).split())[:200]}", "fix the query") from None


def unreachable_service(err: OSError) -> EnvironmentProblem:
    """A query whose SERVICE could not be reached (the engines raise it as an OSError)."""
    reason = " ".join(str(getattr(err, "reason", None) or err.strerror or err).split())[:200]
    return EnvironmentProblem(f"a SERVICE of the query could not be reached ({reason})",
                              "check the network and the endpoint the query names; the graphs themselves need none")


def rdflib_execute(sparql: str, dataset: Any, bindings: dict[str, Any] | None = None, limit: int | None = None) -> Answer:
    """Run a query on an rdflib dataset with RDF terms (of either library) bound to variables, within the
    time limit (`limit.time_limit`)."""
    try:
        return within_time_limit(lambda: _rdflib_execute(sparql, dataset, bindings, limit))
    except OSError as err:
        raise unreachable_service(err) from None


def _rdflib_execute(sparql: str, dataset: Any, bindings: dict[str, Any] | None, limit: int | None) -> Answer:
    from rdflib import Graph, Variable

    prepared = prepare(sparql)
    result = dataset.query(prepared, initBindings={Variable(k): to_rdflib(v) for k, v in (bindings or {}).items()})
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in result.graph or []:
            graph.add(triple)
        return Answer(result.type, graph=graph, total=len(graph))
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(row) for row in result]
    total = len(rows)
    if limit is not None:
        rows = rows[:limit]
    return Answer("SELECT", variables=variables, rows=rows, total=total)


def load(paths: list[Path], engine: str = "oxigraph") -> Any:
    """A queryable graph: an OxigraphGraph, or an rdflib Dataset (JSON-LD input, or --engine rdflib)."""
    from essay_kg.rdf.files import load_graphs

    if engine not in ENGINES:
        raise BadInput(f"unknown engine '{engine}'", f"use one of {', '.join(ENGINES)}")
    if engine == "oxigraph":
        try:
            return OxigraphGraph(paths)
        except NotForOxigraph:
            pass
    return load_graphs(paths)


def execute(sparql: str, graph: Any, bindings: dict[str, Any] | None = None, limit: int | None = None,
            native: bool = False):
    """Run a query on either kind of graph; the same `Answer` either way.

    With ``native``, the rows of an Oxigraph answer keep pyoxigraph's terms (they
    render the same, and rdflib is never imported).  Either engine runs within the
    time limit (`limit.time_limit`), which bounds a SERVICE call too.
    """
    if not isinstance(graph, OxigraphGraph):
        return rdflib_execute(sparql, graph, bindings, limit)
    try:
        return within_time_limit(lambda: _oxigraph_execute(sparql, graph, bindings, limit, native))
    except OSError as err:
        raise unreachable_service(err) from None


def _oxigraph_execute(sparql: str, graph: OxigraphGraph, bindings: dict[str, Any] | None, limit: int | None,
                      native: bool) -> Answer:
    import pyoxigraph as ox

    result = graph.query(sparql, bindings)
    if isinstance(result, ox.QueryBoolean):
        return Answer("ASK", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        from rdflib import Graph


        form = "DESCRIBE" if _DESCRIBE.match(_without_comments(sparql)) else "CONSTRUCT"
        out = Graph()
        for prefix, namespace in PREFIXES.items():
            out.bind(prefix, namespace)
        for triple in result:
            out.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return Answer(form, graph=out, total=len(out))
    variables = [v.value for v in result.variables]
    convert = (lambda term: term) if native else to_rdflib
    rows = [tuple(convert(solution[v]) for v in variables) for solution in result]
    total = len(rows)
    return Answer("SELECT", variables=variables, rows=rows[:limit] if limit is not None else rows, total=total)


def select_on(graph: Any):
    """A `binding.Select` on either kind of graph."""
    if isinstance(graph, OxigraphGraph):
        return graph.select
    return lambda sparql: execute(sparql, graph).rows
