"""From plain data to RDF: stable IRIs, named graphs, NIF provenance, the ontology, and the graph files
read and written.
"""

from essay_kg.public import lazy

HOMES = {
    "build_dataset": "build",
    "graph_iri": "build",
    "graph_stats": "stats",
    "links_dataset": "links",
    "load_context": "ontology",
    "load_graphs": "files",
    "load_ontology": "ontology",
    "load_shapes": "ontology",
    "same_as_view": "links",
    "serialise": "files",
    "write_dataset": "files",
    "write_graph": "files",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
