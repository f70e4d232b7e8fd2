"""Pictures of the graph: positions, the relation network and the time line, drawn offline.

Each drawing reads the graph with SPARQL (pyoxigraph), lays it out with Graphviz and is
written as SVG, PNG, DOT or one self-contained HTML page.  Nodes and edges are sorted and
the layout seed fixed, so the same graph gives the same picture.
"""
