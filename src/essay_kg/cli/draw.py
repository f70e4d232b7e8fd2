"""`essay-kg draw`: pictures of the graph (positions, relations, time line) as SVG, PNG, DOT or HTML."""

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import GraphOption, app, graphs_read, guarded

draw_app = typer.Typer(help="Pictures of the graph: positions, relations, time line (SVG, PNG, DOT or one HTML "
                            "page).\n\nExample: essay-kg draw positions -o positions.svg", no_args_is_help=True)
app.add_typer(draw_app, name="draw")

OutOption = Annotated[Path, typer.Option(
    "--out", "-o", help="The picture file; its ending picks the format: .svg, .png, .html (one self-contained page) "
                        "or .dot. Example: -o positions.html")]
MaxNodesOption = Annotated[int, typer.Option(
    min=2, help="Draw at most this many entities (events for the time line); a note says what was left out. "
                "Example: --max-nodes 40")]

TimeoutOption = Annotated[float | None, typer.Option(
    min=0.001, show_default=False, help="Seconds Graphviz may take to lay out the picture (default 120); past them "
                                        "it is stopped (exit 3). Example: --timeout 600")]


def _draw(make: Callable, graph: list[Path] | None, out: Path, timeout: float | None) -> None:
    from essay_kg.pictures.render import draw_file

    files = graphs_read(graph)
    picture = guarded(lambda: draw_file(make, files, out, timeout))
    for note in picture.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"draw: {picture.kind}: {picture.nodes} nodes, {picture.edges} edges -> {out}", err=True)


@draw_app.command("positions")
def positions_command(
    out: OutOption,
    holder: Annotated[str | None, typer.Option(help="Only this holder's positions (an id or a label). "
                                                    "Example: --holder russia")] = None,
    target: Annotated[str | None, typer.Option(help="Only positions on this target (an id or a label). "
                                                    "Example: --target csce")] = None,
    max_nodes: MaxNodesOption = 60,
    graph: GraphOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Holders on the left, targets on the right; edges coloured by polarity, styled by speech act, labelled
    with the stance; the evidence as footnotes (SVG, PNG) or on hover (HTML).

    Example: essay-kg draw positions --holder russia -o russia.svg
    """
    from essay_kg.pictures.positions import draw_positions

    _draw(partial(draw_positions, holder=holder, target=target, max_nodes=max_nodes), graph, out, timeout)


@draw_app.command("relations")
def relations_command(
    out: OutOption,
    focus: Annotated[str | None, typer.Option(help="Only the entities around this one (an id or a label). "
                                                   "Example: --focus nato")] = None,
    depth: Annotated[int, typer.Option(min=1, help="With --focus: how many steps out. Example: --depth 2")] = 1,
    max_nodes: MaxNodesOption = 60,
    graph: GraphOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """The network of actors, institutions, places and events, nodes shaped and coloured by class, with a legend.

    Example: essay-kg draw relations --focus russia --depth 1 -o russia.svg
    """
    from essay_kg.pictures.relations import draw_relations

    _draw(partial(draw_relations, focus=focus, depth=depth, max_nodes=max_nodes), graph, out, timeout)


@draw_app.command("timeline")
def timeline_command(
    out: OutOption,
    max_nodes: MaxNodesOption = 60,
    graph: GraphOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Dated events on a time axis, each over the span its date allows (a month, a decade, a range), with
    the words that date it and its participants.

    Example: essay-kg draw timeline -o timeline.png
    """
    from essay_kg.pictures.timeline import draw_timeline

    _draw(partial(draw_timeline, max_nodes=max_nodes), graph, out, timeout)
