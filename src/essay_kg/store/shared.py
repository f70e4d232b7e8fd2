"""Graphs that documents share (the ontology, the Wikidata links): merged on the store, never replaced.

Every document's files carry the whole ontology graph and the links graph with that
document's links.  Pushing one document must not take away what another one put there, so
a shared graph is added to (SPARQL ``ADD``) instead of being moved into place.  Adding the
same triples again changes nothing, except where blank nodes are involved: a blank node
sent twice is two nodes.  So a shared graph goes up in two parts: its ground triples,
through a pending graph and ``ADD`` like any graph; and each of its blank-node parts (the
triples that blank nodes join, such as an OWL restriction with its list), inserted only
where the store does not hold that part yet (``INSERT … WHERE { FILTER NOT EXISTS … }``,
the blank nodes as variables in the condition), in the same update as the ``ADD``.
Pushing a shared graph again leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef

from essay_kg.namespace import GRAPH_BASE
from essay_kg.rdf.blanks import canonical, components
from essay_kg.rdf.files import statement_lines

SHARED_GRAPHS = frozenset(GRAPH_BASE + name for name in ("ontology", "links"))


def is_shared(name: str) -> bool:
    """Whether a graph (by its essay-kg IRI) is one that every document carries a part of."""
    return name in SHARED_GRAPHS


@dataclass(frozen=True)
class BlankPart:
    """Triples joined by blank nodes, as an insert template (``_:`` labels) and a match pattern (variables)."""

    template: str
    pattern: str
    size: int


def ntriples(graph: Graph) -> list[str]:
    """The graph as sorted N-Triples lines (with their newlines)."""
    text = graph.serialize(format="nt")
    return [line + "\n" for line in statement_lines(text)]


def _part(part: Graph, number: int) -> BlankPart:
    """One blank-node part, its blank-node labels and variables unique to `number`."""
    names = {node: f"p{number}b{index}" for index, node in
             enumerate(sorted({t for triple in part for t in triple if isinstance(t, BNode)}))}

    def line(triple: tuple, blank: str) -> str:
        return " ".join(blank + names[t] if isinstance(t, BNode) else t.n3() for t in triple) + " .\n"

    rows = sorted(part, key=lambda t: line(t, "?"))
    return BlankPart("".join(line(t, "_:") for t in rows), "".join(line(t, "?") for t in rows), len(rows))


def split(graph: Graph) -> tuple[list[str], list[BlankPart]]:
    """A shared graph's ground triples (sorted N-Triples lines) and its blank-node parts, each part once
    (the same ontology read from two files is one)."""
    ground, blank = Graph(), []
    for triple in graph:
        if any(isinstance(t, BNode) for t in triple):
            blank.append(triple)
        else:
            ground.add(triple)
    keyed: dict[str, Graph] = {}
    for group in components(blank):
        part = canonical(group)
        keyed.setdefault("".join(ntriples(part)), part)
    return ntriples(ground), [_part(keyed[key], number) for number, key in enumerate(sorted(keyed))]


def insert_missing(target: str, parts: list[BlankPart]) -> list[str]:
    """SPARQL Update operations that insert each part into `target` unless the store holds it there already."""
    iri = URIRef(target).n3()
    return [f"INSERT {{ GRAPH {iri} {{\n{part.template}}} }}\nWHERE {{ FILTER NOT EXISTS {{ GRAPH {iri} {{\n"
            f"{part.pattern}}} }} }}" for part in parts]


def held_parts(run: Callable[[str], list[tuple]], target: str, parts: list[BlankPart]) -> set[int]:
    """The indexes of the parts the store already holds in `target`, asked in one query (`run`: SPARQL → rows)."""
    if not parts:
        return set()
    iri = URIRef(target).n3()
    branches = " UNION ".join(f"{{ GRAPH {iri} {{\n{part.pattern}}} BIND({number} AS ?part) }}"
                              for number, part in enumerate(parts))
    rows = run(f"SELECT DISTINCT ?part WHERE {{ {branches} }}")
    return {int(str(row[0])) for row in rows if row and row[0] is not None and str(row[0]).isdigit()}
