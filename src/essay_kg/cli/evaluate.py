"""`essay-kg eval`: scores of a graph against a gold standard."""

from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import GraphOption, app, checked_format, graphs_read, guarded
from essay_kg.shipped import SHIPPED_DOC


@app.command("eval")
def eval_command(
    gold: Annotated[Path | None, typer.Option(
        help=f"Gold-standard folder; default: the shipped essay's ({SHIPPED_DOC}), installed with essay-kg. "
             "Example: --gold my-gold/", show_default=False)] = None,
    graph: GraphOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json. Example: --format json")] = "table",
    show: Annotated[int, typer.Option(help="List at most N misses and false positives per component. "
                                           "Example: --show 50")] = 20,
) -> None:
    """Precision, recall and F1 of entities, relations, positions and dates against a gold standard.

    A score with nothing to score (0 of 0) prints as – (null in JSON).

    Example: essay-kg eval --gold my-gold/ --graph graphs/my-essay.trig
    """
    import json

    from essay_kg.rdf.files import load_graphs
    from essay_kg.trust.evaluate import evaluate, shown

    checked_format(fmt, ("table", "json"))
    files = graphs_read(graph)
    scores = guarded(lambda: evaluate(load_graphs(files), gold))
    if fmt == "json":
        typer.echo(json.dumps([s.as_dict() for s in scores], indent=1, ensure_ascii=False))
        return
    typer.echo(f"{'component':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for s in scores:
        typer.echo(f"{s.component:<10} {shown(s.precision, 9)} {shown(s.recall, 7)} {shown(s.f1, 6)} {s.true_positives:>4} "
                   f"{len(s.false_positives):>4} {len(s.misses):>4}")
    for s in scores:
        for label, items in (("missed", s.misses), ("false positive", s.false_positives)):
            for item in items[:show]:
                typer.echo(f"{s.component} {label}: {item}")
            if len(items) > show:
                typer.echo(f"{s.component} {label}: … {len(items) - show} more (--show)")
