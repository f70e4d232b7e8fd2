"""External triplestores (Oxigraph, Fuseki, GraphDB, Virtuoso): queries sent to their endpoints and
graphs pushed into them; and the one rule for which graph files a command reads.
"""

from essay_kg.public import lazy

HOMES = {
    "Store": "endpoints",
    "graphs_to_read": "location",
    "remote_select": "remote",
    "run_remote": "remote",
    "store_for": "endpoints",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
