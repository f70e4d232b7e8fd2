"""The network of actors, institutions, places and events: who is a member of, leads, takes part in what.

Each relation of the facts graphs is one edge, labelled with its property; a pair of inverse
properties (``memberOf``/``hasMember``) is drawn once, in the direction of the property that
sorts first.  Nodes are shaped and coloured by class, with a legend.  ``--focus`` keeps the
entities within ``--depth`` steps of one entity.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.pictures.render import Picture
from essay_kg.pictures.style import CLASS_STYLE, FONT, class_of, local_name, node_style, shorten, table, wrap
from essay_kg.rdf import terms

# The prefixes (ekg:, rdfs:, nif: …) are predeclared by the query engine (`essay_kg.vocabulary.PREFIXES`).
EDGES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  ?p a owl:ObjectProperty .
  ?s ?p ?o .
  ?s rdfs:label ?sl . ?o rdfs:label ?ol .
  FILTER (?p != ekg:mentions && ?s != ?o)
  FILTER NOT EXISTS { ?s a ekg:Document } FILTER NOT EXISTS { ?o a ekg:Document }
}
"""
INVERSES = """
SELECT DISTINCT ?p ?q WHERE { ?p owl:inverseOf ?q }
"""
LABELS = """
SELECT ?entity ?label ?class WHERE { ?entity rdfs:label ?label . OPTIONAL { ?entity a ?class }
  FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }
"""
EVIDENCE = """
SELECT ?s ?p ?o ?begin ?anchor WHERE {
  ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?span .
  ?span nif:beginIndex ?begin ; nif:anchorOf ?anchor .
}
"""


def _text_rows(select: Any, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(terms.text(v) if v is not None else "" for v in row) for row in select(sparql)]


def _resolve(focus: str, labels: dict[str, str], nodes: set[str]) -> str:
    wanted = focus.strip().casefold()
    found = sorted(n for n in nodes if wanted in {local_name(n).casefold(), labels.get(n, "").casefold(), n.casefold()})
    if not found:
        raise BadInput(f"no entity '{focus}' in the relation network",
                       "give an id or a label of an entity with relations, e.g. --focus russia")
    if len(found) > 1:
        raise BadInput(f"'{focus}' is ambiguous: {', '.join(local_name(n) for n in found)}",
                       f"give one id instead, e.g. --focus {local_name(found[0])}")
    return found[0]


@dataclass
class Network:
    """The relation network as read from the graph: labels, classes, edges (each inverse pair once), evidence."""

    labels: dict[str, str] = field(default_factory=dict)
    classes: dict[str, set[str]] = field(default_factory=dict)
    edges: set[tuple[str, str, str]] = field(default_factory=set)
    evidence: dict[tuple[str, str, str], tuple[int, str]] = field(default_factory=dict)  # earliest (begin, anchor)
    neighbours: dict[str, set[str]] = field(default_factory=dict)


def read_network(select: Any) -> Network:
    """The relations between entities of a drawn class, with their earliest evidence."""
    network = Network()
    for entity, label, cls in _text_rows(select, LABELS):
        network.labels.setdefault(entity, label)
        network.labels[entity] = min(network.labels[entity], label)
        if cls:
            network.classes.setdefault(entity, set()).add(cls)
    inverse: dict[str, str] = {}
    for p, q in _text_rows(select, INVERSES):
        inverse[p], inverse[q] = q, p

    def oriented(s: str, p: str, o: str) -> tuple[str, str, str]:
        return (o, inverse[p], s) if p in inverse and inverse[p] < p else (s, p, o)

    edges = {oriented(s, p, o) for s, p, o in _text_rows(select, EDGES)}
    for s, p, o, begin, anchor in _text_rows(select, EVIDENCE):
        key = oriented(s, p, o)
        if key in edges and (key not in network.evidence or int(begin) < network.evidence[key][0]):
            network.evidence[key] = (int(begin), anchor)
    drawn = {entity for entity, found in network.classes.items() if {local_name(c) for c in found} & set(CLASS_STYLE)}
    network.edges = {(s, p, o) for s, p, o in edges if s in drawn and o in drawn}  # entities, not stances or polarities
    for s, _, o in network.edges:
        network.neighbours.setdefault(s, set()).add(o)
        network.neighbours.setdefault(o, set()).add(s)
    return network


def _within(network: Network, centre: str, depth: int) -> dict[str, int]:
    """The entities at most `depth` steps from `centre`, with their distance."""
    distance = {centre: 0}
    queue = deque([centre])
    while queue:
        here = queue.popleft()
        if distance[here] >= depth:
            continue
        for there in sorted(network.neighbours.get(here, ())):
            if there not in distance:
                distance[there] = distance[here] + 1
                queue.append(there)
    return distance


def _choose(network: Network, focus: str | None, depth: int, max_nodes: int) -> tuple[list[str], str, list[str]]:
    """The entities drawn (the focus first, else the best connected first), the title, and what was left out."""
    nodes = {s for s, _, _ in network.edges} | {o for _, _, o in network.edges}
    if not nodes:
        raise BadInput("the graph has no relations between entities", "build the graph first: essay-kg build")
    degree = {n: len(network.neighbours.get(n, ())) for n in nodes}
    title = "Relations"
    if focus is not None:
        centre = _resolve(focus, network.labels, nodes)
        title = f"Relations around {network.labels.get(centre, local_name(centre))} (depth {depth})"
        distance = _within(network, centre, depth)
        keep = sorted(distance, key=lambda n: (distance[n], -degree.get(n, 0), n))
    else:
        keep = sorted(nodes, key=lambda n: (-degree[n], n))
    notes = []
    if len(keep) > max_nodes:
        notes.append(f"Left out (--max-nodes {max_nodes}): {len(keep) - max_nodes} entities"
                     f"{' farthest from the focus' if focus else ' with the fewest relations'}.")
        keep = keep[:max_nodes]
    return keep, title, notes


def _add_nodes(graph: Any, network: Network, keep: list[str], focus: str | None,
               details: dict[str, dict[str, str]]) -> set[str]:
    """A node per kept entity, shaped and coloured by class (the focus drawn bold); the classes used."""
    used_classes = set()
    for entity in sorted(keep):
        node_id = f"n-{local_name(entity)}"
        cls = class_of(network.classes.get(entity, set()))
        used_classes.add(cls)
        style = node_style(cls)
        if focus is not None and entity == keep[0]:
            style = style | {"penwidth": "3"}
        label = network.labels.get(entity, "")
        graph.node(node_id, wrap(network.labels.get(entity, local_name(entity)), 18), id=node_id,
                   tooltip=f"{label} ({cls})", **style)
        details[node_id] = {"entity": label, "class": cls, "iri": entity,
                            "relations": str(len(network.neighbours.get(entity, ())))}
    return used_classes


def _add_edges(graph: Any, network: Network, shown: list[tuple[str, str, str]],
               details: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """An edge per relation, numbered; the footnotes of those with evidence."""
    labels = network.labels
    footnotes = []
    for number, (s, p, o) in enumerate(shown, start=1):
        edge_id = f"relation-{number}"
        name = labels.get(p, local_name(p))
        begin, anchor = network.evidence.get((s, p, o), (-1, ""))
        graph.edge(f"n-{local_name(s)}", f"n-{local_name(o)}", label=f"{name} [{number}]" if anchor else name,
                   id=edge_id,
                   tooltip=shorten(anchor, 300) if anchor else name)
        sentence = f"{labels.get(s, '')} {name} {labels.get(o, '')}"
        if anchor:
            footnotes.append((f"[{number}]", f"{sentence} (from character {begin}): “{shorten(anchor, 150)}”"))
        details[edge_id] = {"relation": sentence, "property": p,
                            **({"from character": str(begin), "quote": anchor} if anchor else {}),
                            "ends": f"n-{local_name(s)} n-{local_name(o)}"}
    return footnotes


def draw_relations(select: Any, focus: str | None = None, depth: int = 1, max_nodes: int = 60) -> Picture:
    """The relation network (around `focus`, `depth` steps), at most `max_nodes` entities."""
    import graphviz

    network = read_network(select)
    keep, title, notes = _choose(network, focus, depth, max_nodes)
    kept = set(keep)
    shown = sorted((s, p, o) for s, p, o in network.edges if s in kept and o in kept)
    graph = graphviz.Digraph("relations", engine="neato", graph_attr={
        "start": "7", "overlap": "false", "splines": "true", "sep": "+10", "fontname": FONT, "bgcolor": "white",
        "pad": "0.3", "outputorder": "edgesfirst"})
    graph.attr("edge", fontname=FONT, fontsize="8", color="#555555", fontcolor="#333333", arrowsize="0.6")
    details: dict[str, dict[str, str]] = {}
    used_classes = _add_nodes(graph, network, keep, focus, details)
    footnotes = _add_edges(graph, network, shown, details)
    rows = [[f'<FONT COLOR="#333333">{CLASS_STYLE[c][0]}</FONT>', f'<FONT COLOR="{CLASS_STYLE[c][1]}">██</FONT>', c]
            for c in CLASS_STYLE if c in used_classes]
    graph.node("legend", table(rows, header=["shape", "fill", "class"], title="Legend"), shape="plain",
               fontname=FONT, fontsize="9", id="legend")
    return Picture("relations", title, graph, "neato", footnotes, notes, details, nodes=len(kept), edges=len(shown))
