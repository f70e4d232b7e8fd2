"""The network of actors, institutions, places and events: who is a member of, leads, takes part in what.

Each relation of the facts graphs is one edge, labelled with its property; a pair of inverse
properties (``memberOf``/``hasMember``) is drawn once, in the direction of the property that
sorts first.  Nodes are shaped and coloured by class, with a legend.  ``--focus`` keeps the
entities within ``--depth`` steps of one entity.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.pictures.render import Picture
from essay_kg.pictures.style import CLASS_STYLE, FONT, class_of, local_name, node_style, shorten, table, wrap
from essay_kg.rdf import terms

EDGES = """
PREFIX ekg: <https://w3id.org/essay-kg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?p ?o WHERE {
  ?p a owl:ObjectProperty .
  ?s ?p ?o .
  ?s rdfs:label ?sl . ?o rdfs:label ?ol .
  FILTER (?p != ekg:mentions && ?s != ?o)
  FILTER NOT EXISTS { ?s a ekg:Document } FILTER NOT EXISTS { ?o a ekg:Document }
}
"""
INVERSES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?p ?q WHERE { ?p owl:inverseOf ?q }
"""
LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX ekg: <https://w3id.org/essay-kg/ontology#>
SELECT ?entity ?label ?class WHERE { ?entity rdfs:label ?label . OPTIONAL { ?entity a ?class }
  FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }
"""
EVIDENCE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
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


def draw_relations(select: Any, focus: str | None = None, depth: int = 1, max_nodes: int = 60) -> Picture:
    """The relation network (around `focus`, `depth` steps), at most `max_nodes` entities."""
    import graphviz

    labels: dict[str, str] = {}
    classes: dict[str, set[str]] = {}
    for entity, label, cls in _text_rows(select, LABELS):
        labels.setdefault(entity, label)
        labels[entity] = min(labels[entity], label)
        if cls:
            classes.setdefault(entity, set()).add(cls)
    inverse: dict[str, str] = {}
    for p, q in _text_rows(select, INVERSES):
        inverse[p], inverse[q] = q, p
    edges: set[tuple[str, str, str]] = set()
    for s, p, o in _text_rows(select, EDGES):
        if p in inverse and inverse[p] < p:
            s, p, o = o, inverse[p], s
        edges.add((s, p, o))
    evidence: dict[tuple[str, str, str], tuple[int, str]] = {}
    for s, p, o, begin, anchor in _text_rows(select, EVIDENCE):
        if p in inverse and inverse[p] < p:
            s, p, o = o, inverse[p], s
        key = (s, p, o)
        if key in edges and (key not in evidence or int(begin) < evidence[key][0]):
            evidence[key] = (int(begin), anchor)
    drawn = {entity for entity, found in classes.items() if {local_name(c) for c in found} & set(CLASS_STYLE)}
    edges = {(s, p, o) for s, p, o in edges if s in drawn and o in drawn}  # entities, not stances or polarities
    nodes = {s for s, _, _ in edges} | {o for _, _, o in edges}
    if not nodes:
        raise BadInput("the graph has no relations between entities", "build the graph first: essay-kg build")
    notes = []
    neighbours: dict[str, set[str]] = {}
    for s, _, o in edges:
        neighbours.setdefault(s, set()).add(o)
        neighbours.setdefault(o, set()).add(s)
    title = "Relations"
    keep: list[str]
    if focus is not None:
        centre = _resolve(focus, labels, nodes)
        title = f"Relations around {labels.get(centre, local_name(centre))} (depth {depth})"
        distance = {centre: 0}
        queue = deque([centre])
        while queue:
            here = queue.popleft()
            if distance[here] >= depth:
                continue
            for there in sorted(neighbours.get(here, ())):
                if there not in distance:
                    distance[there] = distance[here] + 1
                    queue.append(there)
        keep = sorted(distance, key=lambda n: (distance[n], -len(neighbours.get(n, ())), n))
    else:
        keep = sorted(nodes, key=lambda n: (-len(neighbours.get(n, ())), n))
    if len(keep) > max_nodes:
        notes.append(f"Left out (--max-nodes {max_nodes}): {len(keep) - max_nodes} entities"
                     f"{' farthest from the focus' if focus else ' with the fewest relations'}.")
        keep = keep[:max_nodes]
    kept = set(keep)
    shown = sorted((s, p, o) for s, p, o in edges if s in kept and o in kept)
    graph = graphviz.Digraph("relations", engine="neato", graph_attr={
        "start": "7", "overlap": "false", "splines": "true", "sep": "+10", "fontname": FONT, "bgcolor": "white",
        "pad": "0.3", "outputorder": "edgesfirst"})
    graph.attr("edge", fontname=FONT, fontsize="8", color="#555555", fontcolor="#333333", arrowsize="0.6")
    details: dict[str, dict[str, str]] = {}
    used_classes = set()
    for entity in sorted(kept):
        node_id = f"n-{local_name(entity)}"
        cls = class_of(classes.get(entity, set()))
        used_classes.add(cls)
        style = node_style(cls)
        if focus is not None and entity == keep[0]:
            style = style | {"penwidth": "3"}
        graph.node(node_id, wrap(labels.get(entity, local_name(entity)), 18), id=node_id,
                   tooltip=f"{labels.get(entity, '')} ({cls})", **style)
        details[node_id] = {"entity": labels.get(entity, ""), "class": cls, "iri": entity,
                            "relations": str(len(neighbours.get(entity, ())))}
    footnotes = []
    for number, (s, p, o) in enumerate(shown, start=1):
        edge_id = f"relation-{number}"
        name = labels.get(p, local_name(p))
        begin, anchor = evidence.get((s, p, o), (-1, ""))
        graph.edge(f"n-{local_name(s)}", f"n-{local_name(o)}", label=f"{name} [{number}]" if anchor else name,
                   id=edge_id,
                   tooltip=shorten(anchor, 300) if anchor else name)
        sentence = f"{labels.get(s, '')} {name} {labels.get(o, '')}"
        if anchor:
            footnotes.append((f"[{number}]", f"{sentence} (from character {begin}): “{shorten(anchor, 150)}”"))
        details[edge_id] = {"relation": sentence, "property": p,
                            **({"from character": str(begin), "quote": anchor} if anchor else {}),
                            "ends": f"n-{local_name(s)} n-{local_name(o)}"}
    rows = [[f'<FONT COLOR="#333333">{CLASS_STYLE[c][0]}</FONT>', f'<FONT COLOR="{CLASS_STYLE[c][1]}">██</FONT>', c]
            for c in CLASS_STYLE if c in used_classes]
    graph.node("legend", table(rows, header=["shape", "fill", "class"], title="Legend"), shape="plain",
               fontname=FONT, fontsize="9", id="legend")
    return Picture("relations", title, graph, "neato", footnotes, notes, details, nodes=len(kept), edges=len(shown))
