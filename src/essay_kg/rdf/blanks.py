"""Blank-node parts of a graph: the triples that blank nodes join, found, named by content, and kept once.

Every document's files carry the whole ontology graph, whose OWL restrictions and lists are
blank-node structures.  Two files read into one dataset give two copies of each structure
(a blank node read twice is two nodes), which doubles what is counted and makes canonical
blank-node labelling (rdflib's ``to_canonical_graph``, used by export) exponential in the
number of copies.  So a reader of several files keeps each part once: parts with the same
content are one part (the same statement, as RDF semantics has it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import BNode, Graph

if TYPE_CHECKING:
    from rdflib import Dataset


def components(triples: list[tuple]) -> list[list[tuple]]:
    """The triples with blank nodes, grouped by the blank nodes they share (union-find), in input order."""
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        blanks = [t for t in triple if isinstance(t, BNode)]
        for other in blanks[1:]:
            parent[root(other)] = root(blanks[0])
    groups: dict[BNode, list[tuple]] = {}
    for triple in triples:
        first = next(t for t in triple if isinstance(t, BNode))
        groups.setdefault(root(first), []).append(triple)
    return list(groups.values())


def canonical(triples: list[tuple]) -> Graph:
    """The triples with their blank nodes named by content (rdflib's canonical labelling)."""
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return to_canonical_graph(graph)


def content_key(part: Graph) -> str:
    """A part's content as text (its canonical N-Triples lines, sorted): equal for two parts that are the same
    up to blank-node names."""
    return "\n".join(sorted(line for line in part.serialize(format="nt").split("\n") if line))


def blank_triples(graph: Graph) -> list[tuple]:
    """The triples of `graph` that hold a blank node."""
    return [triple for triple in graph if any(isinstance(t, BNode) for t in triple)]


def keep_each_part_once(dataset: Dataset) -> int:
    """Remove from every graph of `dataset` the blank-node parts that repeat another part of the same graph.

    Returns the number of triples removed.  A graph whose parts are all distinct is not touched.
    """
    removed = 0
    for graph in list(dataset.graphs()):
        seen: set[str] = set()
        for part in components(blank_triples(graph)):
            key = content_key(canonical(part))
            if key in seen:
                for triple in part:
                    graph.remove(triple)
                removed += len(part)
            else:
                seen.add(key)
    return removed
