"""Dated events on a time axis, each drawn over the span its date allows.

A month is a bar one month wide, a year a year wide, "early in the last century" the
range its bounds give; an open bound ("after World War II") ends in an arrow.  The axis is
compressed between dates: each stretch from one date to the next is drawn by the logarithm
of its length, so 1800 and 1994 fit on one page while a month stays visible; every date
is marked on the axis.  Participants are listed beside each event.  Positions are computed
here and pinned (Graphviz ``neato -n2``), so the layout is the same on every run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.pictures.render import Picture
from essay_kg.pictures.style import FONT, local_name, shorten
from essay_kg.rdf import terms

# The prefixes (ekg:, rdfs:, nif: …) are predeclared by the query engine (`essay_kg.vocabulary.PREFIXES`).
EVENTS = """
SELECT ?entity ?label ?precision ?date ?earliest ?latest ?words ?begin WHERE {
  ?entity ekg:datePrecision ?precision ; rdfs:label ?label .
  OPTIONAL { ?entity ekg:date ?date }
  OPTIONAL { ?entity ekg:earliest ?earliest }
  OPTIONAL { ?entity ekg:latest ?latest }
  OPTIONAL { ?time ekg:timeOf ?entity ; nif:anchorOf ?words ; nif:beginIndex ?begin }
}
"""
PARTICIPANTS = """
SELECT DISTINCT ?entity ?label WHERE { ?entity ekg:datePrecision ?p ; ekg:hasParticipant ?x . ?x rdfs:label ?label }
"""
ROW = 34.0  # points between rows
LEFT = 360.0  # points for the column of names
PRECISION_FILL = {"day": "#08519c", "month": "#3182bd", "year": "#6baed6", "decade": "#9ecae1", "century": "#c6dbef"}


@dataclass(frozen=True)
class Dated:
    entity: str
    label: str
    precision: str
    start: float  # fractional years
    end: float
    open_end: bool
    shown: str  # the date as the graph gives it
    words: str
    begin: int


def _years(value: str, at_end: bool) -> float:
    """A YYYY, YYYY-MM or YYYY-MM-DD value as fractional years: its start, or (at_end) the end of its span."""
    parts = [int(p) for p in value.split("-") if p]
    year = parts[0]
    if len(parts) == 1:
        return year + (1 if at_end else 0)
    month = parts[1]
    if len(parts) == 2:
        return year + (month - (0 if at_end else 1)) / 12
    day = parts[2]
    return year + (month - 1) / 12 + (day - (0 if at_end else 1)) / 365.25


def _dated(select: Any) -> list[Dated]:
    found: dict[str, Dated] = {}
    for row in select(EVENTS):
        entity, label, precision, date, earliest, latest, words, begin = (
            terms.text(v) if v is not None else "" for v in row)
        precision = local_name(precision).lower()
        try:
            if date:
                start, end, shown, open_end = _years(date, False), _years(date, True), date, False
            elif earliest:
                start = _years(earliest, False)
                end = _years(latest, True) if latest else _years(earliest, True)
                shown = f"{earliest}–{latest}" if latest else f"after {earliest}"
                open_end = not latest
            elif latest:
                start, end, shown, open_end = _years(latest, False), _years(latest, True), f"by {latest}", False
            else:
                continue
        except (ValueError, IndexError):
            continue  # a date this drawing cannot place; `essay-kg validate` reports malformed ones
        item = Dated(entity, label, precision, start, end, open_end, shown, words, int(begin) if begin else -1)
        old = found.get(entity)
        if old is None or (item.begin, item.words) < (old.begin, old.words):
            found[entity] = item
    return sorted(found.values(), key=lambda d: (d.start, d.end, d.label, d.entity))


class Axis:
    """Fractional years to points: piecewise linear between dates, each stretch as wide as the log of its length."""

    def __init__(self, stops: list[float]) -> None:
        self.stops = sorted(set(stops))
        self.at = [LEFT + 20.0]
        for before, after in zip(self.stops, self.stops[1:], strict=False):
            self.at.append(self.at[-1] + 22.0 + 40.0 * math.log10(1 + 12 * (after - before)))

    def __call__(self, year: float) -> float:
        for index in range(len(self.stops) - 1):
            a, b = self.stops[index], self.stops[index + 1]
            if a <= year <= b:
                return self.at[index] + (self.at[index + 1] - self.at[index]) * ((year - a) / (b - a))
        return self.at[0] if year < self.stops[0] else self.at[-1]


def _tick(year: float) -> str:
    whole = math.floor(year + 1e-9)
    month = round((year - whole) * 12)
    return str(whole) if month == 0 else f"{whole}-{month + 1:02d}"


def _draw_axis(graph: Any, axis: Axis, top: float) -> None:
    """The time axis: a foot and a dotted line up to `top` at each stop, the dates that have room, ≈ at a jump."""
    labelled = -1e9
    for index, stop in enumerate(axis.stops):
        x = axis.at[index]
        if x - labelled >= 40:  # a date too close to the last one labelled is marked, not named
            labelled = x
            graph.node(f"tick-{index}", _tick(stop), shape="plaintext", fontsize="8", pos=f"{x:.1f},{-14:.1f}!",
                       id=f"tick-{index}")
        graph.node(f"top-{index}", "", shape="point", width="0", style="invis", pos=f"{x:.1f},{top:.1f}!")
        graph.node(f"foot-{index}", "", shape="point", width="0.03", color="#555555", pos=f"{x:.1f},{0:.1f}!")
        graph.edge(f"foot-{index}", f"top-{index}", style="dotted")
        if index:
            gap = stop - axis.stops[index - 1]
            graph.edge(f"foot-{index - 1}", f"foot-{index}", color="#555555",
                       label="≈" if gap > 5 else "", fontsize="9", fontcolor="#555555")


def draw_timeline(select: Any, max_nodes: int = 60) -> Picture:
    """The dated events of the graph, at most `max_nodes` of them."""
    import graphviz

    events = _dated(select)
    if not events:
        raise BadInput("the graph has no dated events", "build the graph first: essay-kg build")
    notes = []
    if len(events) > max_nodes:
        notes.append(f"Left out (--max-nodes {max_nodes}): the {len(events) - max_nodes} latest dated events.")
        events = events[:max_nodes]
    participants: dict[str, list[str]] = {}
    for entity, label in select(PARTICIPANTS):
        participants.setdefault(terms.text(entity), []).append(terms.text(label))
    axis = Axis([e.start for e in events] + [e.end for e in events])
    graph = graphviz.Digraph("timeline", engine="neato", graph_attr={
        "splines": "line", "fontname": FONT, "bgcolor": "white", "pad": "0.3", "outputorder": "edgesfirst",
        "notranslate": "true"})
    graph.attr("node", fontname=FONT, fontsize="10")
    graph.attr("edge", arrowhead="none", color="#bbbbbb")
    top = ROW * (len(events) + 1)
    details: dict[str, dict[str, str]] = {}
    footnotes = []
    _draw_axis(graph, axis, top)
    for number, event in enumerate(events, start=1):
        y = top - ROW * number
        x0, x1 = axis(event.start), axis(event.end)
        width = max(x1 - x0, 4.0)
        key = local_name(event.entity)
        names = ", ".join(sorted(participants.get(event.entity, [])))
        label = shorten(event.label, 50) + f"  ·  {event.shown} ({event.precision})\\r"
        if names:
            label += shorten(f"with {names}", 70) + "\\r"
        graph.node(f"label-{key}", label, shape="plaintext", fixedsize="true", width=f"{(LEFT - 10) / 72:.3f}",
                   height="0.4", pos=f"{(LEFT - 10) / 2:.1f},{y:.1f}!", id=f"label-{key}", fontsize="9")
        approximate = event.precision in {"decade", "century"} or event.open_end
        graph.node(f"event-{key}", "", shape="box", fixedsize="true", width=f"{width / 72:.3f}", height="0.22",
                   style="filled,dashed" if approximate else "filled",
                   fillcolor=PRECISION_FILL.get(event.precision, "#c6dbef"), color="#08306b",
                   pos=f"{x0 + width / 2:.1f},{y:.1f}!", id=f"event-{key}",
                   tooltip=shorten(f"{event.label}: {event.shown}. {event.words}", 300))
        if event.open_end:
            graph.node(f"open-{key}", "", shape="point", width="0", style="invis", pos=f"{x0 + width + 30:.1f},{y:.1f}!")
            graph.edge(f"event-{key}", f"open-{key}", arrowhead="normal", color="#08306b", style="dashed")
        graph.edge(f"label-{key}", f"event-{key}", style="invis")
        if event.words:
            footnotes.append((f"[{number}]", f"{event.label} — {event.shown}, {event.precision}: “{event.words}”"
                                             + (f" (character {event.begin})" if event.begin >= 0 else "")))
        details[f"event-{key}"] = details[f"label-{key}"] = {
            "event": event.label, "date": event.shown, "precision": event.precision,
            **({"participants": names} if names else {}), "iri": event.entity,
            **({"quote": event.words} if event.words else {}), "ends": f"event-{key} label-{key}"}
    legend = "  ".join(f"{p}" for p in PRECISION_FILL)
    graph.node("legend", f"bar colour: precision, dark to light: {legend}; dashed: a range or an open end; "
                         "≈: the axis is compressed there\\l", shape="plaintext", fontsize="8",
               pos=f"{LEFT + 200:.1f},{-40:.1f}!", id="legend")
    return Picture("timeline", "Time line", graph, "neato", footnotes, notes, details, nodes=len(events),
                   edges=0, pinned=True)
