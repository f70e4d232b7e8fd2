"""RDF for Wikidata links: the links named graph and the separate ``owl:sameAs`` view.

Links live in ``https://w3id.org/essay-kg/graph/links`` as ``skos:exactMatch`` or
``skos:closeMatch`` from an entity to ``http://www.wikidata.org/entity/Q…``, each
with an assertion node saying which rule or review row made it and on what
evidence.  ``owl:sameAs`` is far stronger (a reasoner merges the two resources
and every statement about them), so it is never put into the graphs; users who
want it get a separate file with the exact matches only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from essay_kg.namespace import EKG, GRAPH_BASE, ID

WIKIDATA = "http://www.wikidata.org/entity/"
LINKS_GRAPH = URIRef(GRAPH_BASE + "links")


def add_link(graph: Graph, entity_id: str, qid: str, match: str, rule_id: str, source: str, comment: str) -> None:
    """One link and its assertion node (``id:link/{entity}/{qid}``)."""
    entity, item, predicate = ID[entity_id], URIRef(WIKIDATA + qid), SKOS[match]
    graph.add((entity, predicate, item))
    node = ID[f"link/{entity_id}/{qid}"]
    graph.add((node, RDF.type, EKG.Assertion))
    graph.add((node, RDF.subject, entity))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, item))
    graph.add((node, EKG.ruleId, Literal(rule_id)))
    graph.add((node, DCTERMS.source, Literal(source)))
    graph.add((node, RDFS.comment, Literal(comment)))


def links_dataset(links: Iterable[tuple[str, str, str, str, str, str]]) -> Dataset:
    """A dataset holding only the links graph, from (entity, qid, match, rule id, source, comment) rows."""
    dataset = Dataset()
    for prefix, namespace in (("id", ID), ("ekg", EKG._NS), ("skos", SKOS), ("dcterms", DCTERMS), ("rdfs", RDFS),
                              ("wd", URIRef(WIKIDATA))):
        dataset.bind(prefix, namespace)
    graph = dataset.graph(LINKS_GRAPH)
    for row in links:
        add_link(graph, *row)
    return dataset


def same_as_view(pairs: Iterable[tuple[str, str]]) -> Graph:
    """``owl:sameAs`` from each entity to its exactly matching item, as a plain graph."""
    graph = Graph()
    graph.bind("id", ID)
    graph.bind("owl", OWL)
    graph.bind("wd", URIRef(WIKIDATA))
    for entity_id, qid in pairs:
        graph.add((ID[entity_id], OWL.sameAs, URIRef(WIKIDATA + qid)))
    return graph


def same_as_pairs(graph: Graph) -> set[tuple[str, str]]:
    """The (entity id, QID) pairs of an ``owl:sameAs`` view (`same_as_view`'s inverse); other triples, and
    sameAs links to anything but an item from an entity with a slug id, are ignored."""
    pairs = set()
    for entity, _, item in graph.triples((None, OWL.sameAs, None)):
        entity_id, qid = str(entity).removeprefix(str(ID)), str(item).removeprefix(WIKIDATA)
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", entity_id) and re.fullmatch(r"Q[1-9][0-9]*", qid):
            pairs.add((entity_id, qid))
    return pairs
