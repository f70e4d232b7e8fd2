"""Counts that describe a graph: triples per named graph, entities per class, spans, mentions."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from essay_kg.model import ENTITY_TYPES
from essay_kg.namespace import EKG, ITSRDF, NIF


def graph_stats(dataset: Any, top: int = 10) -> dict[str, Any]:
    """Triples per named graph, entities per class, positions, spans, most-mentioned entities."""
    per_graph = Counter(str(g) for _, _, _, g in dataset.quads((None, None, None, None)))
    namespace = str(EKG._NS)
    kinds = {URIRef(namespace + name) for name in ENTITY_TYPES}
    classes: Counter[str] = Counter()
    entities = set()
    for s, o in dataset.subject_objects(RDF.type):
        if o in kinds and (s, EKG.hasText, None) not in dataset:
            classes[str(o)[len(namespace):]] += 1
            entities.add(s)
    mentions = Counter(o for _, o in dataset.subject_objects(ITSRDF.taIdentRef))
    spans = set(dataset.subjects(NIF.beginIndex, None))
    return {
        "triples_per_graph": dict(sorted(per_graph.items())),
        "entities_per_class": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "entities": len(entities),
        "positions": len(set(dataset.subjects(RDF.type, EKG.Position))),
        "spans": len(spans),
        "mentions": sum(mentions.values()),
        "most_mentioned": [
            {"entity": str(e), "label": str(dataset.value(e, RDFS.label) or ""), "mentions": n}
            for e, n in sorted(mentions.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
        ],
    }
