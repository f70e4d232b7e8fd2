"""`essay-kg link`: propose Wikidata links for review, and apply a reviewed file.

Registered on the main typer app by `essay_kg.cli.shared`; imports the linker only when run.
"""

import os
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import app, guarded
from essay_kg.errors import BadInput


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/essay-kg/sparql`` (``~/.cache/essay-kg/sparql``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "essay-kg" / "sparql"


def _documents_date(rules: Path) -> str | None:
    """The latest publication date among the source texts in `rules/sources/` (None if there are none)."""
    from essay_kg.text.source import read_metadata

    dates = [read_metadata(path.with_suffix(".txt"), {}).date for path in sorted((rules / "sources").glob("*.json"))]
    return max((d for d in dates if d), default=None)


@app.command()
def link(
    entities: Annotated[list[str] | None, typer.Argument(
        help="Entity ids to look up. Default: every gazetteer entity not yet reviewed. Example: essay-kg link g7 cnn",
        show_default=False)] = None,
    review: Annotated[Path, typer.Option(help="The review file to write (TSV). Example: --review links-review.tsv")] = Path(
        "links-review.tsv"),
    endpoint: Annotated[str, typer.Option(help="SPARQL endpoint. Example: --endpoint http://127.0.0.1:7878/query")] = (
        "https://query.wikidata.org/sparql"),
    rules: Annotated[Path | None, typer.Option(help="Folder with entities.jsonl (and wikidata*.jsonl) instead of the "
                                                    "shipped extract/. Example: --rules my-extract")] = None,
    all_entities: Annotated[bool, typer.Option("--all",
        help="Also look up entities already reviewed (an audit). Example: --all")] = False,
    as_of: Annotated[str | None, typer.Option(help="Document date for time validity, YYYY[-MM[-DD]]. Default: the latest "
                                                   "publication date of the rules' source texts. Example: --as-of 1994-05")
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
    """Propose Wikidata items for gazetteer entities into a review file, or apply a reviewed file.

    Example: essay-kg link --review links-review.tsv, then edit it, then
    essay-kg link --apply links-review.tsv --out links.trig
    """
    if apply is not None:
        guarded(lambda: _apply(apply, rules, out, same_as))
        return
    guarded(lambda: _propose(entities or [], review, endpoint, rules, all_entities, as_of, threshold, margin, batch,
                             contact, timeout, retries, None if no_cache else (cache or default_cache())))


def _propose(wanted: list[str], review: Path, endpoint: str, rules: Path | None, all_entities: bool, as_of: str | None,
             threshold: int, margin: int, batch: int, contact: str | None, timeout: float, retries: int,
             cache: Path | None) -> None:
    from essay_kg.extract.rules.load import load_entities
    from essay_kg.extract.rules.wikidata import load_classes, reviewed_ids
    from essay_kg.files import check_writable, write_atomic
    from essay_kg.link.candidates import propose
    from essay_kg.link.client import SparqlClient, user_agent
    from essay_kg.link.review import review_text
    from essay_kg.shipped import data_dir

    folder = rules or data_dir("extract")
    gazetteer = load_entities(folder / "entities.jsonl")
    by_id = {e.id: e for e in gazetteer}
    if unknown := [w for w in wanted if w not in by_id]:
        raise BadInput(f"unknown entity id '{unknown[0]}'", f"use ids from {folder / 'entities.jsonl'}")
    done = set() if all_entities or wanted else reviewed_ids(folder / "wikidata.jsonl")
    todo = [by_id[w] for w in wanted] if wanted else [e for e in gazetteer if e.id not in done]
    if as_of is not None and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", as_of):
        raise BadInput(f"--as-of '{as_of}' is not YYYY, YYYY-MM or YYYY-MM-DD", "e.g. --as-of 1994-05")
    date = as_of or _documents_date(folder)
    check_writable(review.parent if str(review.parent) else Path("."))
    client = SparqlClient(endpoint, user_agent(contact), timeout=timeout, retries=retries, cache_dir=cache,
                          log=lambda message: typer.echo(f"note: {message}", err=True))
    noun = "entity" if len(todo) == 1 else "entities"
    typer.echo(f"link: {len(todo)} {noun} against {endpoint} (document date {date or 'unknown'})", err=True)
    with typer.progressbar(length=len(todo), label="looking up", file=sys.stderr) as bar:
        proposals = propose(todo, load_classes(folder / "wikidata-classes.jsonl"), client, date, threshold, margin,
                            batch, bar.update)
    settings = {"endpoint": endpoint, "document date": date or "unknown", "threshold": str(threshold),
                "margin": str(margin)}
    write_atomic(review, review_text(proposals, settings, date).encode("utf-8"))
    accepted = sum(1 for p in proposals if p.accepted)
    to_review = sum(1 for p in proposals if p.candidates and not p.accepted)
    typer.echo(f"link: {accepted} accepted, {to_review} to review, {sum(1 for p in proposals if not p.candidates)} "
               f"without candidates -> {review} ({client.network_calls} requests, {client.cache_hits} from cache)", err=True)


def _apply(review: Path, rules: Path | None, out: Path, same_as: Path | None) -> None:
    from essay_kg.extract.rules.load import load_entities
    from essay_kg.link.review import read_review
    from essay_kg.rdf.files import write_dataset_file, write_same_as
    from essay_kg.rdf.links import links_dataset
    from essay_kg.shipped import data_dir

    if out.suffix not in {".trig", ".nq", ".ttl"}:
        raise BadInput(f"--out {out}: unknown graph format", "end the file name in .trig, .nq or .ttl")
    folder = rules or data_dir("extract")
    settings, accepted = read_review(review, {e.id for e in load_entities(folder / "entities.jsonl")})
    source = settings.get("endpoint", "unknown endpoint")
    rows = [(a.entity_id, a.qid, a.match, f"{review.name}:{a.line}", source,
             f"accepted in review (score {a.score or '?'}): {a.reason}") for a in accepted]
    write_dataset_file(links_dataset(rows), out)
    if same_as is not None:
        write_same_as([(a.entity_id, a.qid) for a in accepted if a.match == "exactMatch"], same_as)
    typer.echo(f"link: {len(accepted)} accepted links from {review} -> {out}" + (f", {same_as}" if same_as else ""),
               err=True)
