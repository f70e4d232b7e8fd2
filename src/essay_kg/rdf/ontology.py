"""The ontology: load it from `ontology/`, and hand it to owlready2.

This is the only module that reads `ontology/`.  owlready2 cannot read
Turtle, so the bridge converts to N-Triples first.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from rdflib import Graph

from essay_kg.rdf.blanks import stable_labels
from essay_kg.shipped import data_dir

ONTOLOGY_FILE = "essay-kg.ttl"
CONTEXT_FILE = "context.jsonld"
CONTEXT_URL = "https://w3id.org/essay-kg/context.jsonld"  # where the shipped context is published


def ontology_path() -> Path:
    """The shipped ontology file."""
    return data_dir("ontology") / ONTOLOGY_FILE


def load_shapes() -> Graph:
    """The SHACL shapes (`ontology/shapes.ttl`)."""
    return Graph().parse(data_dir("ontology") / "shapes.ttl", format="turtle")


def load_context() -> dict[str, Any]:
    """The shipped JSON-LD context (the value of its ``@context``), read from the package, never fetched."""
    import json

    return json.loads((data_dir("ontology") / CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]


def load_ontology() -> Graph:
    """The ontology as an rdflib graph, with stable blank-node labels (`essay_kg.rdf.blanks.stable_labels`: its
    restrictions and lists are named by their content and their place)."""
    graph = Graph().parse(ontology_path(), format="turtle")
    canonical = Graph()
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace, override=True)
    for triple in stable_labels(graph):
        canonical.add(triple)
    return canonical


def to_owlready(graph: Graph | None = None) -> tuple[Any, Any]:
    """Load a graph (default: the ontology) into a fresh owlready2 world.

    Returns ``(world, ontology)``.  Heavy import: owlready2 is loaded here only.
    """
    import owlready2

    graph = graph if graph is not None else load_ontology()
    world = owlready2.World()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ontology.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        onto = world.get_ontology(path.as_uri()).load()
    return world, onto
