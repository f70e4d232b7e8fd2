"""Who stands where: holders on the left, targets on the right, one edge per position.

An edge's colour is the polarity of its stance (support, oppose, neutral), its line and
arrow head the speech act, its label the stance with a footnote mark; the footnote (SVG,
PNG) or the hover box (HTML) gives the words of the essay that carry the position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.pictures.render import Picture
from essay_kg.pictures.style import (
    ACT_STYLE,
    FONT,
    POLARITY_COLOUR,
    act_style,
    class_of,
    local_name,
    node_style,
    shorten,
    table,
    wrap,
)
from essay_kg.rdf import terms

# The prefixes (ekg:, rdfs:, nif: …) are predeclared by the query engine (`essay_kg.vocabulary.PREFIXES`).
POSITIONS = """
SELECT ?position ?holder ?holderLabel ?target ?targetLabel ?stance ?polarity ?act ?negated ?begin ?end ?quote
WHERE {
  ?position a ekg:Position ; ekg:holder ?holder ; ekg:target ?target ; ekg:stance ?s ; ekg:speechAct ?act ;
            ekg:evidence ?span .
  OPTIONAL { ?position ekg:negated ?negated }
  ?s rdfs:label ?stance ; ekg:polarity ?polarity .
  ?holder rdfs:label ?holderLabel .
  ?target rdfs:label ?targetLabel .
  ?span nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?quote .
}
"""
CLASSES = """
SELECT DISTINCT ?entity ?class WHERE { ?position a ekg:Position ; ekg:holder|ekg:target ?entity . ?entity a ?class }
"""


@dataclass(frozen=True)
class Row:
    position: str
    holder: str
    holder_label: str
    target: str
    target_label: str
    stance: str
    polarity: str
    act: str
    negated: bool
    begin: int
    end: int
    quote: str


def _rows(select: Any) -> list[Row]:
    rows = []
    for values in select(POSITIONS):
        text = [terms.text(v) if v is not None else "" for v in values]
        rows.append(Row(text[0], text[1], text[2], text[3], text[4], text[5], local_name(text[6]), text[7],
                        text[8] == "true", int(text[9]), int(text[10]), text[11]))
    return sorted(set(rows), key=lambda r: (r.begin, r.end, r.holder, r.target, r.position))


def _matches(entity: str, label: str, wanted: str | None) -> bool:
    if wanted is None:
        return True
    wanted = wanted.strip().casefold()
    return wanted in {local_name(entity).casefold(), label.casefold(), entity.casefold()}


def draw_positions(select: Any, holder: str | None = None, target: str | None = None,
                   max_nodes: int = 60) -> Picture:
    """The positions of the graph (of one holder, on one target), at most `max_nodes` entities."""
    import graphviz

    rows = [r for r in _rows(select) if _matches(r.holder, r.holder_label, holder)
            and _matches(r.target, r.target_label, target)]
    if not rows:
        which = " and ".join(f"{k} '{v}'" for k, v in (("holder", holder), ("target", target)) if v)
        raise BadInput(f"no positions {'for ' + which if which else 'in the graph'}",
                       "'essay-kg query run positions-by-speech-act' lists them; give an id or a label")
    classes: dict[str, set[str]] = {}
    for entity, cls in select(CLASSES):
        classes.setdefault(terms.text(entity), set()).add(terms.text(cls))
    rows, targets, notes = _within_room(rows, max_nodes)
    labels = {r.holder: r.holder_label for r in rows} | {r.target: r.target_label for r in rows}
    title = "Positions"
    if holder:
        title += f" of {rows[0].holder_label}"
    if target:
        title += f" on {rows[0].target_label}"
    graph = graphviz.Digraph("positions", graph_attr={
        "rankdir": "LR", "ranksep": "2.2", "nodesep": "0.12", "fontname": FONT, "newrank": "true",
        "outputorder": "edgesfirst", "bgcolor": "white", "pad": "0.2"})
    graph.attr("edge", fontname=FONT, fontsize="9", arrowsize="0.7")
    details: dict[str, dict[str, str]] = {}
    used_holders = sorted({r.holder for r in rows})
    for side, members in (("holders", used_holders), ("targets", targets)):
        with graph.subgraph(name=f"cluster_{side}") as cluster:
            cluster.attr(label=side.capitalize(), fontname=FONT, fontsize="12", color="#dddddd", rank="same")
            for entity in members:
                node_id = f"{side[0]}-{local_name(entity)}"
                cls = class_of(classes.get(entity, set()))
                cluster.node(node_id, wrap(labels[entity]), id=node_id, tooltip=f"{labels[entity]} ({cls})",
                             **node_style(cls))
                details[node_id] = {"entity": labels[entity], "class": cls, "iri": entity,
                                    "positions": str(sum(1 for r in rows if entity in (r.holder, r.target)))}
    footnotes = _add_edges(graph, rows, details)
    _legend(graph)
    return Picture("positions", title, graph, "dot", footnotes, notes, details,
                   nodes=len(used_holders) + len(targets), edges=len(rows))


def _within_room(rows: list[Row], max_nodes: int) -> tuple[list[Row], list[str], list[str]]:
    """The rows on the targets with the most positions, as many as `max_nodes` leaves room for beside the
    holders; the targets kept, sorted; and a note of what was left out."""
    holders = sorted({r.holder for r in rows})
    weight: dict[str, int] = {}
    for r in rows:
        weight[r.target] = weight.get(r.target, 0) + 1
    targets = sorted(weight, key=lambda t: (-weight[t], t))
    room = max(max_nodes - len(holders), 1)
    if len(targets) <= room:
        return rows, sorted(targets), []
    kept = set(targets[:room])
    dropped = [r for r in rows if r.target not in kept]
    note = (f"Left out (--max-nodes {max_nodes}): {len(targets) - room} targets with "
            f"{len(dropped)} positions; kept the {room} targets with the most positions.")
    return [r for r in rows if r.target in kept], sorted(kept), [note]


def _add_edges(graph: Any, rows: list[Row], details: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """An edge per position, coloured by polarity and styled by speech act, numbered; the footnotes."""
    footnotes = []
    for number, r in enumerate(rows, start=1):
        line, arrow = act_style(r.act)
        colour = POLARITY_COLOUR.get(r.polarity, POLARITY_COLOUR["Neutral"])
        edge_id = f"position-{number}"
        stance = r.stance  # already the attitude the holder ends up with, negative wording or not
        act = local_name(r.act).removesuffix("Act") + ("; in negative words" if r.negated else "")
        graph.edge(f"h-{local_name(r.holder)}", f"t-{local_name(r.target)}", label=f"{stance} [{number}]",
                   id=edge_id, color=colour, fontcolor=colour, style=line, arrowhead=arrow,
                   tooltip=shorten(f"[{number}] {r.quote}", 300))
        footnotes.append((f"[{number}]", f"{r.holder_label} {stance.lower()} {r.target_label} ({act}; "
                                         f"characters {r.begin}–{r.end}): “{shorten(r.quote, 160)}”"))
        details[edge_id] = {"position": f"[{number}]", "holder": r.holder_label, "stance": stance,
                            "target": r.target_label, "polarity": r.polarity, "speech act": act,
                            "characters": f"{r.begin}–{r.end}", "quote": r.quote,
                            "ends": f"h-{local_name(r.holder)} t-{local_name(r.target)}"}
    return footnotes


def _legend(graph: Any) -> None:
    rows = [[f'<FONT COLOR="{colour}">━━ {name.lower()}</FONT>'] for name, colour in POLARITY_COLOUR.items()]
    rows += [[f"{style} line, {arrow} head: {act.lower() if act != 'RhetoricalQuestion' else 'rhetorical question'}"]
             for act, (style, arrow) in ACT_STYLE.items()]
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="", color="#dddddd")
        legend.node("legend", table(rows, title="Polarity (colour) and speech act (line, arrow head)"),
                    shape="plain", fontname=FONT, fontsize="9", id="legend")
