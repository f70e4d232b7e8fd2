"""One run of `essay-kg link`: which entities to look up, against which endpoint and date, into which review file.

`prepare_lookup` reads the rules (or, with `--graph`, the entities of built graphs) and checks every
option before a request is sent; `run_lookup` asks the endpoint (`candidates.propose`) and writes the
review file.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.extract.rules.load import load_entities
from essay_kg.extract.rules.wikidata import ExpectedClass, load_classes, reviewed_ids
from essay_kg.link.candidates import Proposal, propose
from essay_kg.link.client import WIKIDATA_SPARQL, SparqlClient, user_agent
from essay_kg.link.graph import date_summary, read_graph_entities
from essay_kg.link.review import check_output, review_text
from essay_kg.model import Entity
from essay_kg.rdf.files import write_file
from essay_kg.shipped import data_dir
from essay_kg.text.source import read_metadata


@dataclass(frozen=True)
class LinkOptions:
    """What `essay-kg link` looks up, where, and how politely."""

    entities: tuple[str, ...] = ()  # entity ids; none: every entity not yet reviewed (or, with graphs, linked)
    graphs: tuple[Path, ...] = ()  # built graph files whose entities to look up, instead of the gazetteer's
    review: Path = Path("links-review.tsv")  # the review file to write
    rules: Path | None = None  # a rules folder instead of the shipped extract/
    all_entities: bool = False  # also the entities already reviewed (an audit)
    as_of: str | None = None  # the document date, YYYY[-MM[-DD]]; default: from the graphs' documents, else
    # the latest of the rules' sources
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
    """A checked run, ready to send: the entities, their expected classes, document dates and the client."""

    options: LinkOptions
    entities: list[Entity]
    classes: tuple[ExpectedClass, ...]
    dates: dict[str, str | None]  # entity id -> its document date
    client: SparqlClient

    @property
    def as_of(self) -> str:
        """The document date(s) of the run, for messages."""
        return date_summary([self.dates.get(e.id) for e in self.entities] or list(set(self.dates.values())))


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/essay-kg/sparql`` (``~/.cache/essay-kg/sparql``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "essay-kg" / "sparql"


def documents_date(rules: Path) -> str | None:
    """The latest publication date among the source texts in `rules/sources/` (None if there are none)."""
    dates = [read_metadata(path.with_suffix(".txt"), {}).date for path in sorted((rules / "sources").glob("*.json"))]
    return max((d for d in dates if d), default=None)


def check_contact(contact: str | None) -> None:
    """Refuse a contact the User-Agent header cannot carry as it is: a line break would start a header of its own."""
    if contact is not None and (bad := next((c for c in contact if not " " <= c <= "~"), None)) is not None:
        raise BadInput(f"--contact holds the character U+{ord(bad):04X}, which an HTTP header cannot carry",
                       "pass an e-mail address or URL in plain ASCII, e.g. --contact me@example.org")


def usable_cache(cache: Path, log: Callable[[str], None]) -> bool:
    """Whether answers can be saved in the cache folder (made if missing); a read-only one is read, with a note.

    Something that is no folder in its place, or a folder that cannot be made, is an error before any request.
    """
    if cache.exists() and not cache.is_dir():
        raise BadInput(f"{cache}: the answer cache is not a folder", "pass --cache a folder, or --no-cache")
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BadInput(f"{cache}: cannot make the answer cache folder ({err.strerror})",
                       "pass --cache a folder you can write to, or --no-cache") from None
    if os.access(cache, os.W_OK | os.X_OK):
        return True
    log(f"the answer cache {cache} is read-only: answers are read from it, new ones are not saved")
    return False


def prepare_lookup(options: LinkOptions, log: Callable[[str], None] = lambda message: None) -> Lookup:
    """The entities to look up and everything needed to, checked before any request; `log` hears of retries."""
    folder = options.rules or data_dir("extract")
    if options.as_of is not None and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", options.as_of):
        raise BadInput(f"--as-of '{options.as_of}' is not YYYY, YYYY-MM or YYYY-MM-DD", "e.g. --as-of 1994-05")
    todo, dates = wanted_entities(options, folder)
    check_contact(options.contact)
    with contextlib.suppress(OSError):  # a folder that cannot be made is named by check_output
        options.review.parent.mkdir(parents=True, exist_ok=True)
    check_output(options.review, "--review")
    cache = (options.cache or default_cache()) if options.use_cache else None
    client = SparqlClient(options.endpoint, user_agent(options.contact), timeout=options.timeout,
                          retries=options.retries, cache_dir=cache, log=log,
                          cache_read_only=cache is not None and not usable_cache(cache, log))
    classes = load_classes(folder / "wikidata-classes.jsonl")
    return Lookup(options, todo, classes, dates, client)


def wanted_entities(options: LinkOptions, folder: Path) -> tuple[list[Entity], dict[str, str | None]]:
    """The entities to look up, from the gazetteer or the graphs, and each one's document date.

    Without ids, those not yet reviewed in the rules' wikidata.jsonl (with graphs: nor linked in them)."""
    done = set() if options.all_entities or options.entities else reviewed_ids(folder / "wikidata.jsonl")
    if options.graphs:
        found = read_graph_entities(options.graphs)
        pool, where = list(found.entities), ", ".join(str(p) for p in options.graphs)
        dates = {e.id: options.as_of or found.dates[e.id] for e in pool}
        done |= set() if options.all_entities or options.entities else found.linked
    else:
        pool, where = load_entities(folder / "entities.jsonl"), str(folder / "entities.jsonl")
        date = options.as_of or documents_date(folder)
        dates = {e.id: date for e in pool}
    by_id = {e.id: e for e in pool}
    if unknown := [w for w in options.entities if w not in by_id]:
        raise BadInput(f"unknown entity id '{unknown[0]}'" + (f" in {where}" if options.graphs else ""),
                       f"use ids from {where}" + (f", e.g. {pool[0].id}" if options.graphs else ""))
    todo = [by_id[w] for w in options.entities] if options.entities else [e for e in pool if e.id not in done]
    return todo, dates


def run_lookup(lookup: Lookup, progress: Callable[[int], None] = lambda done: None) -> list[Proposal]:
    """Ask the endpoint for every entity's candidates and write the review file; the proposals."""
    options = lookup.options
    groups: dict[str | None, list[Entity]] = {}  # entities of one document date are looked up together
    for entity in lookup.entities:
        groups.setdefault(lookup.dates.get(entity.id), []).append(entity)
    order = {e.id: n for n, e in enumerate(lookup.entities)}
    proposals = sorted((p for as_of, group in groups.items()
                        for p in propose(group, lookup.classes, lookup.client, as_of, options.threshold,
                                         options.margin, options.batch, progress)),
                       key=lambda p: order[p.entity.id])
    settings = {"endpoint": options.endpoint, "document date": lookup.as_of,
                "threshold": str(options.threshold), "margin": str(options.margin)}
    if options.graphs:
        settings = {"graph": ", ".join(str(p) for p in options.graphs), **settings}
    write_file(options.review, review_text(proposals, settings).encode("utf-8"))
    return proposals
