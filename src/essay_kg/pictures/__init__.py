"""Pictures of the graph: positions, the relation network and the time line, drawn offline.

Each drawing reads the graph with SPARQL (pyoxigraph), lays it out with Graphviz and is
written as SVG, PNG, DOT or one self-contained HTML page.  Nodes and edges are sorted and
the layout seed fixed, so the same graph gives the same picture.
"""

from essay_kg.public import lazy

HOMES = {
    "Picture": "render",
    "draw_positions": "positions",
    "draw_relations": "relations",
    "draw_timeline": "timeline",
    "output_format": "render",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
