"""Blank-node parts of a graph: the triples that blank nodes join, found, named by content, and kept once.

Every document's files carry the whole ontology graph, whose OWL restrictions and lists are
blank-node structures.  Two files read into one dataset give two copies of each structure
(a blank node read twice is two nodes), which doubles what is counted and makes canonical
blank-node labelling (rdflib's ``to_canonical_graph``) exponential in the number of copies.
So a reader of several files keeps each part once: parts with the same content are one part
(the same statement, as RDF semantics has it).  Stable labels (`stable_labels`, for the build
and for export) name a blank node that hangs from one triple by its content and its place, in
linear time, and leave only other graphs to rdflib's canonical labelling.
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


def tree_labelled(graph: Graph) -> list[tuple] | None:
    """The triples of `graph` with each blank node named by a hash of what hangs from it and of the triple it
    hangs from; None when a blank node is the object of two triples, or two would get one name."""
    import hashlib

    below: dict[BNode, list[tuple]] = {}
    above: dict[BNode, tuple] = {}
    for s, p, o in graph:
        if isinstance(s, BNode):
            below.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            if o in above:
                return None
            above[o] = (s, p)
    content: dict[BNode, str] = {}

    def content_of(node: BNode, depth: int = 0) -> str:
        if node not in content:
            if depth > 200:
                raise RecursionError
            lines = sorted(f"{p.n3()} {content_of(o, depth + 1) if isinstance(o, BNode) else o.n3()}"
                           for p, o in below.get(node, []))
            content[node] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        return content[node]

    names: dict[BNode, BNode] = {}

    def name_of(node: BNode, depth: int = 0) -> BNode:
        if node not in names:
            if depth > 200:
                raise RecursionError
            parent = above.get(node)
            where = "" if parent is None else \
                f"{name_of(parent[0], depth + 1) if isinstance(parent[0], BNode) else parent[0].n3()} {parent[1].n3()}"
            names[node] = BNode("o" + hashlib.sha256(f"{where}\n{content_of(node)}".encode()).hexdigest()[:32])
        return names[node]

    try:
        blanks = {t for triple in graph for t in triple if isinstance(t, BNode)}
        labels = {node: name_of(node) for node in blanks}
    except RecursionError:  # a cycle of blank nodes
        return None
    if len(set(labels.values())) != len(labels):
        return None
    return [tuple(labels.get(t, t) if isinstance(t, BNode) else t for t in triple) for triple in graph]


def stable_labels(graph: Graph) -> list[tuple]:
    """The triples of `graph` with stable blank-node labels, the same on every read of the same triples:
    named by content and place (`tree_labelled`) where that is possible, else rdflib's canonical labelling
    (much slower on a graph of many blank nodes)."""
    triples = tree_labelled(graph)
    if triples is None:
        from rdflib.compare import to_canonical_graph

        triples = list(to_canonical_graph(graph))
    return triples
