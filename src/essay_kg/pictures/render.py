"""A drawing and its outputs: SVG, PNG and DOT through Graphviz, HTML as one self-contained page.

SVG and PNG carry the evidence as numbered footnotes under the picture; the HTML page shows
it when the pointer rests on an edge or a node, and lists it below.  The page inlines its
own CSS and JavaScript (package data beside this module) and forbids every network request
in its Content-Security-Policy, so it opens with the network off.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput, EnvironmentProblem
from essay_kg.pictures.style import FONT, table

# the page may run only its own inline script and style: no request leaves it
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".html": "html"}
DOT_TIMEOUT = 120.0  # seconds Graphviz may take to lay out a picture (draw --timeout)


@dataclass
class Picture:
    """A laid-out-ready drawing: the Graphviz graph, its footnotes and what the page shows on hover."""

    kind: str
    title: str
    graph: Any  # graphviz.Digraph, nodes and edges in sorted order
    engine: str = "dot"
    footnotes: list[tuple[str, str]] = field(default_factory=list)  # (mark, text)
    notes: list[str] = field(default_factory=list)  # what was left out, and why
    details: dict[str, dict[str, str]] = field(default_factory=dict)  # SVG element id -> what hovering shows
    nodes: int = 0
    edges: int = 0
    pinned: bool = False  # positions computed by the drawing: neato only draws them (-n2)


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(f"{path}: unknown picture format '{path.suffix}'",
                       f"end the file name in one of {', '.join(sorted(FORMATS))}, e.g. -o positions.svg")
    return fmt


def draw_file(make: Callable[[Any], Picture], graphs: list[Path], out: Path, timeout: float | None = None) -> Picture:
    """Draw graph files (none: the shipped graph) with `make`, given a SELECT function over them (pyoxigraph
    terms), and write the picture to `out` in the format its ending names; the picture drawn.  Graphviz may
    take `timeout` seconds (None: `DOT_TIMEOUT`)."""
    from essay_kg.files import check_writable, write_atomic
    from essay_kg.query.engine import OxigraphGraph, load

    fmt = output_format(out)
    data = load(graphs)
    if not isinstance(data, OxigraphGraph):  # JSON-LD input, read by rdflib
        data = OxigraphGraph(dataset=data)
    picture = make(data.select)
    payload = render(picture, fmt, DOT_TIMEOUT if timeout is None else timeout)
    check_writable(out.parent if str(out.parent) else Path("."))
    write_atomic(out, payload)
    return picture


def _with_footnotes(picture: Picture) -> Any:
    graph = picture.graph.copy()
    rows = [[html.escape(mark), html.escape(text)] for mark, text in picture.footnotes]
    notes = [[html.escape(note), ""] for note in picture.notes]
    if rows or notes:
        graph.attr(label=table(notes + rows, title=f"{picture.title}: evidence" if rows else picture.title),
                   labelloc="b", labeljust="l", fontname=FONT, fontsize="10")
    return graph


def _pipe(graph: Any, fmt: str, engine: str, pinned: bool, timeout: float) -> bytes:
    """The graph laid out by Graphviz (``dot -K<engine> -T<fmt>``, as the graphviz package runs it), stopped
    at `timeout` seconds."""
    import subprocess

    command = ["dot", f"-K{engine}", f"-T{fmt}", *(["-n2"] if pinned else [])]
    try:
        done = subprocess.run(command, input=graph.source.encode(graph.encoding), capture_output=True,
                              timeout=timeout, check=False)
    except FileNotFoundError:
        raise EnvironmentProblem("Graphviz is not installed (its 'dot' program was not found)",
                                 "install it: apt-get install graphviz (Debian/Ubuntu) or brew install graphviz") \
            from None
    except subprocess.TimeoutExpired:  # subprocess.run has killed dot
        raise EnvironmentProblem(f"Graphviz ran past its time limit of {timeout:g} s",
                                 f"draw fewer nodes (--max-nodes), or give it longer: --timeout SECONDS "
                                 f"(the default is {DOT_TIMEOUT:g})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EnvironmentProblem(f"Graphviz failed: {message[-1] if message else f'exit status {done.returncode}'}",
                                 "check the Graphviz installation (dot -V)")
    return done.stdout


def render(picture: Picture, fmt: str, timeout: float = DOT_TIMEOUT) -> bytes:
    """The picture as bytes in `fmt` (svg, png, dot or html); Graphviz may take `timeout` seconds to lay it out."""
    if fmt == "dot":
        return _with_footnotes(picture).source.encode("utf-8")
    if fmt in {"svg", "png"}:
        return _pipe(_with_footnotes(picture), fmt, picture.engine, picture.pinned, timeout)
    svg = _pipe(picture.graph, "svg", picture.engine, picture.pinned, timeout).decode("utf-8")
    return page(picture, svg).encode("utf-8")


def _asset(name: str) -> str:
    return resources.files("essay_kg.pictures").joinpath(name).read_text(encoding="utf-8")


def page(picture: Picture, svg: str) -> str:
    """One HTML file: the SVG inline, the details as JSON, the page's own CSS and JavaScript inline."""
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    details = json.dumps(picture.details, ensure_ascii=False).replace("</", "<\\/")
    rows = "".join(f"<tr><td>{html.escape(mark)}</td><td>{html.escape(text)}</td></tr>"
                   for mark, text in picture.footnotes)
    notes = "".join(f"<p class=\"note\">{html.escape(note)}</p>" for note in picture.notes)
    evidence = (f"<table id=\"evidence\"><thead><tr><th>#</th><th>evidence</th></tr></thead><tbody>{rows}</tbody>"
                "</table>") if rows else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="generator" content="essay-kg draw {html.escape(picture.kind)}">
<title>{html.escape(picture.title)}</title>
<style>
{_asset("page.css")}
</style>
</head>
<body>
<header><h1>{html.escape(picture.title)}</h1>
<p class="summary">{picture.nodes} nodes, {picture.edges} edges. Rest the pointer on an edge or a node to see its evidence.</p>
{notes}</header>
<main>
<figure id="figure">
{svg}
</figure>
<aside id="detail" aria-live="polite" hidden></aside>
</main>
{evidence}
<script type="application/json" id="details">{details}</script>
<script>
{_asset("page.js")}
</script>
</body>
</html>
"""
