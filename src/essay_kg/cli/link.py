"""`essay-kg link`: propose Wikidata links for review, and apply a reviewed file.

Registered on the shared app by `essay_kg.cli.console`; imports the linker only when run.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import app, guarded


@app.command("link")
def link_command(
    entities: Annotated[list[str] | None, typer.Argument(
        help="Entity ids to look up. Default: every gazetteer entity not yet reviewed, or with --graph every entity "
             "of the graph not yet linked. Example: essay-kg link g7 cnn", show_default=False)] = None,
    graph: Annotated[list[Path] | None, typer.Option(
        "--graph", "-g", help="Look up the entities of this built graph (discovered ones too), each at the date of "
                              "the documents that mention it; with --apply, accept its entities. "
                              "Example: --graph graphs/my-text.trig")] = None,
    review: Annotated[Path, typer.Option(help="The review file to write (TSV). Example: --review links-review.tsv")] = Path(
        "links-review.tsv"),
    endpoint: Annotated[str, typer.Option(help="SPARQL endpoint. Example: --endpoint http://127.0.0.1:7878/query")] = (
        "https://query.wikidata.org/sparql"),
    rules: Annotated[Path | None, typer.Option(help="Folder with entities.jsonl (and wikidata*.jsonl) instead of the "
                                                    "shipped extract/. Example: --rules my-extract")] = None,
    all_entities: Annotated[bool, typer.Option("--all",
        help="Also look up entities already reviewed (an audit). Example: --all")] = False,
    as_of: Annotated[str | None, typer.Option(help="Document date for time validity, YYYY[-MM[-DD]]. Default: with "
                                                   "--graph the graph's document dates, else the latest publication "
                                                   "date of the rules' source texts. Example: --as-of 1994-05")
                     ] = None,
    threshold: Annotated[int, typer.Option(min=0, max=100,
        help="Lowest score accepted automatically. Example: --threshold 90")] = 80,
    margin: Annotated[int, typer.Option(min=0, max=100,
        help="Lead over the runner-up needed to accept. Example: --margin 15")] = 10,
    batch: Annotated[int, typer.Option(min=1, max=200, help="Entities per query. Example: --batch 10")] = 25,
    contact: Annotated[str | None, typer.Option(envvar="ESSAY_KG_CONTACT", help="Your e-mail or URL, sent in the "
                                                "User-Agent as the Wikidata policy asks. Example: --contact me@example.org")
                       ] = None,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds per request. Example: --timeout 30")] = 60.0,
    retries: Annotated[int, typer.Option(min=0, max=10, help="Retries on 429/5xx/empty answers. Example: --retries 2")] = 4,
    cache: Annotated[Path | None, typer.Option(
        help="Answer cache folder (default ~/.cache/essay-kg/sparql). Example: --cache .sparql-cache")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache",
        help="Neither read nor write the answer cache. Example: --no-cache")] = False,
    apply: Annotated[Path | None, typer.Option(help="Apply a reviewed file: its 'accept' rows become the links graph. "
                                                    "Example: --apply links-review.tsv")] = None,
    out: Annotated[Path, typer.Option(help="With --apply: the links graph file (.trig, .nq or .ttl). "
                                           "Example: --out links.trig")] = Path("links.trig"),
    same_as: Annotated[Path | None, typer.Option(help="With --apply: also write the owl:sameAs view of the exact "
                                                      "matches here. Example: --same-as sameas.ttl")] = None,
) -> None:
    """Propose Wikidata items for gazetteer entities, or a graph's, into a review file, or apply a reviewed file.

    Example: essay-kg link --graph graphs/my-text.trig --review links-review.tsv, then edit it, then
    essay-kg link --graph graphs/my-text.trig --apply links-review.tsv --out links.trig
    """
    if apply is not None:
        _apply(apply, out, rules, same_as, tuple(graph or ()))
        return
    from essay_kg.link.lookup import LinkOptions

    _propose(LinkOptions(entities=tuple(entities or ()), graphs=tuple(graph or ()), review=review, rules=rules,
                         all_entities=all_entities,
                         as_of=as_of, endpoint=endpoint, threshold=threshold, margin=margin, batch=batch,
                         contact=contact, timeout=timeout, retries=retries, cache=cache, use_cache=not no_cache))


def _propose(options) -> None:
    from essay_kg.link.lookup import prepare_lookup, run_lookup

    def note(message: str) -> None:
        typer.echo(f"note: {message}", err=True)

    lookup = guarded(lambda: prepare_lookup(options, note))
    count, client = len(lookup.entities), lookup.client
    typer.echo(f"link: {count} {'entity' if count == 1 else 'entities'} against {options.endpoint} "
               f"(document date {lookup.as_of})", err=True)
    with typer.progressbar(length=count, label="looking up", file=sys.stderr) as bar:
        proposals = guarded(lambda: run_lookup(lookup, bar.update))
    accepted = sum(1 for p in proposals if p.accepted)
    to_review = sum(1 for p in proposals if p.candidates and not p.accepted)
    typer.echo(f"link: {accepted} accepted, {to_review} to review, {sum(1 for p in proposals if not p.candidates)} "
               f"without candidates -> {options.review} ({client.network_calls} requests, {client.cache_hits} from "
               "cache)", err=True)


def _apply(review: Path, out: Path, rules: Path | None, same_as: Path | None, graphs: tuple[Path, ...]) -> None:
    from essay_kg.link.review import apply_review

    accepted = guarded(lambda: apply_review(review, out, rules, same_as, graphs))
    typer.echo(f"link: {len(accepted)} accepted links from {review} -> {out}" + (f", {same_as}" if same_as else ""),
               err=True)
