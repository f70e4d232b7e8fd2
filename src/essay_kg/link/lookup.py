"""One run of `essay-kg link`: which entities to look up, against which endpoint and date, into which review file.

`prepare_lookup` reads the rules and checks every option before a request is sent;
`run_lookup` asks the endpoint (`candidates.propose`) and writes the review file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.extract.rules.load import load_entities
from essay_kg.extract.rules.wikidata import ExpectedClass, load_classes, reviewed_ids
from essay_kg.files import check_writable, write_atomic
from essay_kg.link.candidates import Proposal, propose
from essay_kg.link.client import WIKIDATA_SPARQL, SparqlClient, user_agent
from essay_kg.link.review import review_text
from essay_kg.model import Entity
from essay_kg.shipped import data_dir
from essay_kg.text.source import read_metadata


@dataclass(frozen=True)
class LinkOptions:
    """What `essay-kg link` looks up, where, and how politely."""

    entities: tuple[str, ...] = ()  # entity ids; none: every gazetteer entity not yet reviewed
    review: Path = Path("links-review.tsv")  # the review file to write
    rules: Path | None = None  # a rules folder instead of the shipped extract/
    all_entities: bool = False  # also the entities already reviewed (an audit)
    as_of: str | None = None  # the document date, YYYY[-MM[-DD]]; default: the latest of the rules' sources
    endpoint: str = WIKIDATA_SPARQL
    threshold: int = 80
    margin: int = 10
    batch: int = 25
    contact: str | None = None  # sent in the User-Agent
    timeout: float = 60.0
    retries: int = 4
    cache: Path | None = None  # the answer cache folder; default: `default_cache()`
    use_cache: bool = True


@dataclass
class Lookup:
    """A checked run, ready to send: the entities, their expected classes, the document date and the client."""

    options: LinkOptions
    entities: list[Entity]
    classes: tuple[ExpectedClass, ...]
    as_of: str | None
    client: SparqlClient


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/essay-kg/sparql`` (``~/.cache/essay-kg/sparql``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "essay-kg" / "sparql"


def documents_date(rules: Path) -> str | None:
    """The latest publication date among the source texts in `rules/sources/` (None if there are none)."""
    dates = [read_metadata(path.with_suffix(".txt"), {}).date for path in sorted((rules / "sources").glob("*.json"))]
    return max((d for d in dates if d), default=None)


def prepare_lookup(options: LinkOptions, log: Callable[[str], None] = lambda message: None) -> Lookup:
    """The entities to look up and everything needed to, checked before any request; `log` hears of retries."""
    folder = options.rules or data_dir("extract")
    gazetteer = load_entities(folder / "entities.jsonl")
    by_id = {e.id: e for e in gazetteer}
    wanted = list(options.entities)
    if unknown := [w for w in wanted if w not in by_id]:
        raise BadInput(f"unknown entity id '{unknown[0]}'", f"use ids from {folder / 'entities.jsonl'}")
    done = set() if options.all_entities or wanted else reviewed_ids(folder / "wikidata.jsonl")
    todo = [by_id[w] for w in wanted] if wanted else [e for e in gazetteer if e.id not in done]
    if options.as_of is not None and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", options.as_of):
        raise BadInput(f"--as-of '{options.as_of}' is not YYYY, YYYY-MM or YYYY-MM-DD", "e.g. --as-of 1994-05")
    check_writable(options.review.parent if str(options.review.parent) else Path("."))
    cache = (options.cache or default_cache()) if options.use_cache else None
    client = SparqlClient(options.endpoint, user_agent(options.contact), timeout=options.timeout,
                          retries=options.retries, cache_dir=cache, log=log)
    classes = load_classes(folder / "wikidata-classes.jsonl")
    return Lookup(options, todo, classes, options.as_of or documents_date(folder), client)


def run_lookup(lookup: Lookup, progress: Callable[[int], None] = lambda done: None) -> list[Proposal]:
    """Ask the endpoint for every entity's candidates and write the review file; the proposals."""
    options = lookup.options
    proposals = propose(lookup.entities, lookup.classes, lookup.client, lookup.as_of, options.threshold,
                        options.margin, options.batch, progress)
    settings = {"endpoint": options.endpoint, "document date": lookup.as_of or "unknown",
                "threshold": str(options.threshold), "margin": str(options.margin)}
    write_atomic(options.review, review_text(proposals, settings, lookup.as_of).encode("utf-8"))
    return proposals
