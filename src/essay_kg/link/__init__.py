"""Links to Wikidata: candidates proposed from the Wikidata Query Service (for the gazetteer's entities or
a built graph's), an offline review file, and the reviewed links applied.
"""

from essay_kg.public import lazy

HOMES = {
    "Proposal": "candidates",
    "SparqlClient": "client",
    "propose": "candidates",
    "read_graph_entities": "graph",
    "read_review": "review",
    "review_text": "review",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
