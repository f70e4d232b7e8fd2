"""N-Quads written directly: the lines rdflib 7.6's nquads serializer writes, without most of its cost.

rdflib's serializer reads each graph's triples from the store, asks every term for its N3 text
(checking an IRI's characters again each time it occurs) and encodes each line on its own.  A
build's datasets repeat the same few thousand terms over twenty thousand quads: `quad_rows` asks
rdflib for a term's text once per term instance (its own ``n3`` and, for an object literal, the
serializer's own ``_quoteLiteral``) and formats the line as rdflib's ``_nq_row`` does, from the
triples the caller has already read; `essay_kg.rdf.files.statement_lines` sorts the lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node


def graph_name(graph: Graph) -> str:
    """The fourth term of a graph's lines as rdflib writes it: none for the dataset's default graph."""
    identifier = graph.identifier
    return identifier.n3() if identifier and identifier != DATASET_DEFAULT_GRAPH_ID else ""


def quad_rows(triples: Iterable[tuple[Node, Node, Node]], name: str) -> str:
    """The N-Quads lines of one graph's `triples` (graph term `name`), as rdflib's ``_nq_row`` writes them.

    A term's text is kept by the identity of its instance: the store hands out the same instance for
    a term in every triple it is in, and the caller holds the triples, so no instance is freed (and its
    identity reused) while the lines are written.  A literal object is quoted as the serializer quotes it,
    any other term (a literal subject too) written with its own ``n3``."""
    texts: dict[int, str] = {}
    objects: dict[int, str] = {}
    tail = f" {name} .\n"
    rows = []
    for s, p, o in triples:
        subject = texts.get(id(s))
        if subject is None:
            subject = texts[id(s)] = s.n3()
        verb = texts.get(id(p))
        if verb is None:
            verb = texts[id(p)] = p.n3()
        obj = objects.get(id(o))
        if obj is None:
            obj = objects[id(o)] = _quoteLiteral(o) if isinstance(o, Literal) else o.n3()
        rows.append(f"{subject} {verb} {obj}{tail}")
    return "".join(rows)


def nquads_text(graphs: Iterable[tuple[Graph, list[tuple[Node, Node, Node]]]]) -> str:
    """The N-Quads text of a dataset's graphs, each given with its triples, as rdflib's serializer writes it
    (less its last, empty line), decoded: a lone surrogate is a "?", as rdflib encodes it."""
    text = "".join(quad_rows(triples, graph_name(graph)) for graph, triples in graphs)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
