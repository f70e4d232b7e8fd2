"""The entities of built graphs, for `essay-kg link --graph`: what to look up, and at which date.

Every resource under ``https://w3id.org/essay-kg/id/`` typed with an entity class of the
ontology (a `Person`, a `State`, …) is an entity, the ones the discovery rules found
included; the documents whose text the graph holds (``ekg:hasText``) are not. An entity's
date of validity is the earliest publication date (``ekg:date``) of the documents that
mention it, else the earliest of the graph's documents: "CSCE" in a text of 1994 is the
Conference, in one of 1996 the Organization it became.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from essay_kg.errors import BadInput
from essay_kg.model import ENTITY_TYPES, Entity, type_closure
from essay_kg.namespace import EKG, ID_BASE
from essay_kg.rdf.links import WIKIDATA

_DATE = re.compile(r"\d{4}(-\d\d(-\d\d)?)?")
_TYPES = {URIRef(f"{EKG._NS}{name}"): name for name in ENTITY_TYPES}


@dataclass(frozen=True)
class GraphEntities:
    """The entities of a set of graph files, each with its date of validity, and those already linked."""

    entities: tuple[Entity, ...]  # sorted by id
    dates: dict[str, str | None]  # entity id -> YYYY[-MM[-DD]], None when no document has a date
    linked: frozenset[str]  # ids with a skos:exactMatch or skos:closeMatch to a Wikidata item


def document_date(value: object) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD from a document's ``ekg:date`` (an xsd:date, gYearMonth or gYear)."""
    match = _DATE.match(str(value)) if isinstance(value, Literal) else None
    return match.group(0) if match else None


def _entity(data: Dataset, subject: URIRef, types: set[str]) -> Entity:
    kind = max(sorted(types), key=lambda name: len(type_closure(name)))  # the most specific type
    labels = sorted(str(o) for o in data.objects(subject, RDFS.label))
    label = labels[0] if labels else ""
    aliases = tuple(sorted({str(o) for o in data.objects(subject, SKOS.altLabel)} - {label}))
    discovered = any(o.toPython() is True for o in data.objects(subject, EKG.discovered) if isinstance(o, Literal))
    return Entity(subject[len(ID_BASE):], kind, label, aliases, discovered=discovered, source="graph")


def graph_entities(data: Dataset, names: str) -> GraphEntities:
    """The entities of a dataset read from the graph files `names` (for messages), with their dates."""
    documents = {s: document_date(data.value(s, EKG.date)) for s in set(data.subjects(EKG.hasText, None))}
    types: dict[URIRef, set[str]] = {}
    for subject, kind in data.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and subject.startswith(ID_BASE) and kind in _TYPES and subject not in documents:
            types.setdefault(subject, set()).add(_TYPES[kind])
    if not types:
        raise BadInput(f"{names}: the graph holds no entities (no resource of {ID_BASE} typed ekg:Person, ekg:State, "
                       "…)", "pass a graph that essay-kg build wrote, e.g. --graph graphs/NAME.trig")
    known = [d for d in documents.values() if d]
    fallback = min(known, default=None)
    dates: dict[str, str | None] = {}
    for document, date in documents.items():
        for entity in data.objects(document, EKG.mentions):
            if date and isinstance(entity, URIRef) and entity in types:
                key = entity[len(ID_BASE):]
                dates[key] = min(date, dates.get(key) or date)
    entities = tuple(sorted((_entity(data, s, t) for s, t in types.items()), key=lambda e: e.id))
    linked = frozenset(str(s)[len(ID_BASE):] for predicate in (SKOS.exactMatch, SKOS.closeMatch)
                       for s, o in data.subject_objects(predicate)
                       if str(s).startswith(ID_BASE) and str(o).startswith(WIKIDATA))
    return GraphEntities(entities, {e.id: dates.get(e.id, fallback) for e in entities}, linked)


def read_graph_entities(paths: tuple[Path, ...]) -> GraphEntities:
    """The entities of the graph files at `paths` (.trig, .nq, .ttl, …), read as `essay-kg query --graph` reads them."""
    from essay_kg.rdf.files import load_graphs

    return graph_entities(load_graphs(list(paths)), ", ".join(str(p) for p in paths))


def date_summary(dates: list[str | None]) -> str:
    """The document date(s) of a run, for messages: ``1994-05``, or ``1994-05 (3 entities), 1996 (1 entity)``."""
    counts = Counter(d or "unknown" for d in dates)
    if len(counts) <= 1:
        return next(iter(counts), "unknown")
    return ", ".join(f"{d} ({n} {'entity' if n == 1 else 'entities'})" for d, n in sorted(counts.items()))
