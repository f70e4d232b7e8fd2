"""Load the named graphs into an external triplestore, then check what the store holds.

Each named graph goes up on its own, first into a pending graph of its own
(``urn:essay-kg:pushing:`` followed by the target's IRI): where the store offers
the SPARQL 1.1 Graph Store HTTP Protocol, one ``PUT``; otherwise SPARQL Update
sends ``DROP SILENT GRAPH`` and then ``INSERT DATA`` in bounded batches.
Blank-node triples always travel in one batch, because a blank-node label means
the same node only within one request, as an ``INSERT … WHERE {}`` template
(some stores refuse blank nodes in ``INSERT DATA``).  One update then puts the
pending graph in the target's place (``MOVE``; ``ADD`` with ``--append``), so a
push that stops part-way (killed, a lost connection) leaves each graph with its
old triples or its new ones, and at worst a pending graph that the next push of
the same graph clears.
Pushing with ``replace`` twice leaves the store with the same triples.

The graphs that documents share, the ontology and the Wikidata links, are merged
into the store's (``ADD``, see `essay_kg.store.shared`), never replaced: pushing
documents one after another, in any order, leaves every document's links there.

Afterwards the store is asked how many triples each graph holds; a count that
differs from the local graph (for a merged graph: one below it) is reported and
makes the push fail.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef

from essay_kg.errors import BadInput
from essay_kg.namespace import GRAPH_BASE
from essay_kg.store.endpoints import Store, request
from essay_kg.store.remote import malformed, run_remote
from essay_kg.store.shared import BlankPart, held_parts, insert_missing, is_shared, ntriples, split

METHODS = ("auto", "gsp", "update")


@dataclass(frozen=True)
class GraphCount:
    """Triples of one graph here and on the store after the push."""

    local_name: str
    target: str
    local: int
    remote: int
    merged: bool = False  # added to the store's graph (a shared graph, or --append): the store may hold more

    @property
    def agrees(self) -> bool:
        return self.remote >= self.local if self.merged else self.local == self.remote


def target_iri(name: str, prefix: str | None) -> str:
    """The graph's IRI on the store: ``--graph-prefix`` replaces the essay-kg graph base."""
    if prefix and name.startswith(GRAPH_BASE):
        return prefix + name[len(GRAPH_BASE):]
    return name


def batches(lines: list[str], size: int) -> list[list[str]]:
    """Bounded batches; all blank-node lines in the first, whatever its size."""
    blank = [line for line in lines if "_:" in line]
    rest = [line for line in lines if "_:" not in line]
    out = [blank] if blank else []
    out += [rest[i:i + size] for i in range(0, len(rest), size)]
    return out


PENDING = "urn:essay-kg:pushing:"  # a graph being loaded is first called this, followed by its target IRI


def pending_iri(target: str) -> str:
    """Where a graph is loaded before it takes its target's place (the same name each time: the next push clears
    what a killed one left there)."""
    return PENDING + target


def push_graph(store: Store, target: str, lines: list[str], replace: bool, method: str, batch: int,
               timeout: float, parts: list[BlankPart] | None = None) -> None:
    """Send one graph by the Graph Store Protocol or by SPARQL Update, into a pending graph that one update then
    moves into place (or adds to it, with ``replace`` false): the target holds its old triples or its new ones,
    never a part.  Blank-node `parts` (of a shared graph) are inserted by that same update where the store lacks
    them.  A store with a Graph Store endpoint and no update endpoint takes the graph in one PUT (or POST)."""
    parts = parts or []
    if method == "gsp" and store.update_url is None:
        held = held_parts(lambda sparql: run_remote(store, sparql, timeout=timeout).rows, target, parts)
        lines = lines + [part.template for number, part in enumerate(parts) if number not in held]
        body = "".join(lines).encode("utf-8")
        request(store, store.graph_url(target), "PUT" if replace else "POST", body, "text/turtle", None, timeout)
        return

    def update(text: str) -> None:
        data = urllib.parse.urlencode({"update": text}).encode()
        request(store, store.update_url or "", "POST", data, "application/x-www-form-urlencoded", None, timeout)

    pending, iri = URIRef(pending_iri(target)).n3(), URIRef(target).n3()
    if method == "gsp":
        request(store, store.graph_url(pending_iri(target)), "PUT", "".join(lines).encode("utf-8"), "text/turtle",
                None, timeout)
    else:
        update(f"DROP SILENT GRAPH {pending}")
        for chunk in batches(lines, batch):
            triples = "".join(chunk)
            if "_:" in triples:  # blank nodes: a template with no WHERE conditions (Virtuoso refuses them in INSERT DATA)
                update(f"INSERT {{ GRAPH {pending} {{\n{triples}}} }} WHERE {{}}")
            else:
                update(f"INSERT DATA {{ GRAPH {pending} {{\n{triples}}} }}")
    into_place = [f"MOVE SILENT GRAPH {pending} TO GRAPH {iri}"] if replace else \
        [f"ADD SILENT GRAPH {pending} TO GRAPH {iri}", f"DROP SILENT GRAPH {pending}"]
    update(" ;\n".join(into_place + insert_missing(target, parts)))


def choose_method(store: Store, method: str) -> str:
    """gsp where the store has a Graph Store endpoint, else update; or as asked."""
    if method == "auto":
        method = "gsp" if store.gsp_url else "update"
    if method == "gsp" and not store.gsp_url:
        raise BadInput(f"no Graph Store Protocol endpoint is known for this {store.kind} store",
                       "pass --store-endpoint URL, or --method update")
    if method == "update" and not store.update_url:
        raise BadInput(f"no SPARQL Update endpoint is known for this {store.kind} store",
                       "pass --update-endpoint URL (or --store oxigraph|virtuoso|fuseki|graphdb)")
    return method


def remote_counts(store: Store, targets: list[str], timeout: float) -> dict[str, int]:
    """Triples per named graph on the store, for the given graphs."""
    values = " ".join(URIRef(t).n3() for t in targets)
    answer = run_remote(store, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                               "GROUP BY ?g", timeout=timeout)
    if answer.variables[:2] != ["g", "n"]:
        raise malformed(store, f"the count of triples per graph answers ?{', ?'.join(answer.variables)[:80]}, "
                               "not ?g and ?n")
    counts = {}
    for row in answer.rows:
        if row[0] is None or row[1] is None:
            continue
        try:
            counts[str(row[0])] = int(str(row[1]))
        except ValueError:
            raise malformed(store, f"the count of triples for <{str(row[0])[:80]}> is '{str(row[1])[:20]}', no number"
                            ) from None
    return counts


@dataclass(frozen=True)
class PushOptions:
    """How the graphs go up: under which graph IRIs, replacing or adding to them, by which method, how much at once."""

    prefix: str | None = None  # replaces the essay-kg graph base in each graph's IRI
    replace: bool = True
    method: str = "auto"  # auto, gsp or update
    batch: int | None = None  # triples per INSERT DATA; default: the store's
    timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise BadInput(f"unknown method '{self.method}'", "use auto, gsp or update")
        if self.prefix is not None and (not self.prefix.startswith(("http://", "https://", "urn:"))
                                        or _NOT_IN_IRI.search(self.prefix)):
            raise BadInput(f"--graph-prefix '{self.prefix}' is not an IRI",
                           "e.g. --graph-prefix http://example.org/kg/ (no spaces, quotes, <>, {}, |, ^, ` or \\)")


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # what RFC 3987 and SPARQL's IRIREF leave out


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The non-empty named graphs, sorted by IRI: what a push sends."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return sorted((g for g in dataset.graphs() if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID),
                  key=lambda g: str(g.identifier))


def push(dataset: Dataset, store: Store, options: PushOptions | None = None,
         progress: Callable[[str, int], None] = lambda target, triples: None) -> list[GraphCount]:
    """Push every non-empty named graph (the shared ones merged into the store's), then count each on the store."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    options = options or PushOptions()
    how = choose_method(store, options.method)
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default):
        raise BadInput(f"{len(default)} triples are in no named graph (read from a .ttl, .nt or .rdf file)",
                       "push a .trig or .nq file, whose named graphs the store can keep apart")
    sent: list[tuple[str, str, int, bool]] = []
    for graph in named_graphs(dataset):
        name = str(graph.identifier)
        target = target_iri(name, options.prefix)
        shared = is_shared(name)
        lines, parts = split(graph) if shared else (ntriples(graph), [])
        push_graph(store, target, lines, options.replace and not shared, how, options.batch or store.update_batch,
                   options.timeout, parts)
        local = len(lines) + sum(part.size for part in parts)
        sent.append((name, target, local, shared or not options.replace))
        progress(target, local)
    counts = remote_counts(store, [target for _, target, _, _ in sent], options.timeout) if sent else {}
    return [GraphCount(name, target, local, counts.get(target, 0), merged) for name, target, local, merged in sent]
