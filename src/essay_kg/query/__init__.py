"""Stored and ad-hoc SPARQL over graph files: the query library, parameters bound as RDF terms, two
engines, and the answer rendered.
"""

from essay_kg.public import lazy

HOMES = {
    "Answer": "answer",
    "Library": "library",
    "OxigraphGraph": "engine",
    "StoredQuery": "library",
    "bind": "binding",
    "without_single_document": "documents",
    "execute": "engine",
    "find_query": "library",
    "load": "engine",
    "load_library": "library",
    "parse_assignments": "binding",
    "render": "answer",
    "select_on": "engine",
    "with_values": "binding",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
