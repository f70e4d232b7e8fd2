"""Measure a graph against a gold standard: precision, recall and F1 per component.

The gold folder holds JSON Lines files written by reading the essay (see
`tests/gold/*/README.md`): ``entities.jsonl`` (id, type), ``relations.jsonl``
(subject, predicate, object), ``positions.jsonl`` (holder, polarity, target),
``dates.jsonl`` (event, date or earliest/latest). A position counts as found
when holder, polarity and target are all right.

Gold entities are aligned with the graph's before anything is compared: a gold entity is the
graph's entity of the same id and type, else the graph's entity of the same type mentioned
inside the gold's evidence words (the id of a name no gazetteer knows is the extractor's own
slug, and a gold standard written from the text alone cannot know it).  Each graph entity
stands for one gold entity at most.  Relations, positions and dates are then compared
through that alignment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF

from essay_kg.errors import BadInput
from essay_kg.extract.rules.jsonl import read_jsonl
from essay_kg.model import ENTITY_TYPES
from essay_kg.namespace import EKG, ID
from essay_kg.vocabulary import POLARITY

RELATIONS = {"memberOf", "leaderOf", "holdsOffice", "officeOf", "affiliatedWith", "locatedIn", "partOf",
             "participatedIn", "tookPlaceIn", "tutorOf", "programmeOf", "comparedTo", "author", "translator",
             "publishedIn", "cites"}


@dataclass
class Score:
    """Precision, recall and F1 of one component, with what was missed and what was wrong."""

    component: str
    true_positives: int
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """Of what the graph found, the share that is right; None when it found nothing (0 of 0)."""
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        """Of what the gold standard holds, the share found; None when it holds nothing (0 of 0)."""
        wanted = self.true_positives + len(self.misses)
        return self.true_positives / wanted if wanted else None

    @property
    def f1(self) -> float | None:
        """The harmonic mean of the two; 0 when one is 0 or has nothing to score (no true positive then); None
        with nothing to score on either side."""
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None if p is None and r is None else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"component": self.component, "precision": rounded(self.precision), "recall": rounded(self.recall),
                "f1": rounded(self.f1), "true_positives": self.true_positives,
                "false_positives": self.false_positives, "misses": self.misses}


def rounded(value: float | None) -> float | None:
    """A score as `eval --format json` prints it: four places, or null when there was nothing to score."""
    return None if value is None else round(value, 4)


def shown(value: float | None, width: int = 0) -> str:
    """A score as the tables print it: three places, or an en dash when there was nothing to score (0 of 0)."""
    return ("–" if value is None else f"{value:.3f}").rjust(width)


def _local(term: object) -> str:
    return str(term).removeprefix(str(ID)).removeprefix(str(EKG._NS))


def _read(path: Path) -> list[dict[str, Any]]:
    """The rows of a gold file (JSON Lines, read as the rule files are: errors name file and line)."""
    if not path.is_file():
        raise BadInput(f"{path}: gold file not found", "pass --gold a folder with entities/relations/positions/dates.jsonl")
    rows = []
    needed = NEEDED.get(path.name, ())
    for number, row in read_jsonl(path):
        missing = [key for key in needed if not isinstance(row.get(key), str)]
        if missing:
            raise BadInput(f"{path.name}:{number}: no text for {', '.join(repr(k) for k in missing)}",
                           f"fix line {number} of {path}: each line needs {', '.join(needed)}")
        rows.append(row)
    return rows


NEEDED = {  # the keys each gold file's lines must give as text
    "entities.jsonl": ("id", "type"),
    "relations.jsonl": ("subject", "predicate", "object"),
    "positions.jsonl": ("holder", "polarity", "target"),
    "dates.jsonl": ("event",),
}


def _score(component: str, gold: set[tuple[str, ...]], found: set[tuple[str, ...]]) -> Score:
    return Score(component, len(gold & found), sorted(" ".join(t) for t in found - gold),
                 sorted(" ".join(t) for t in gold - found))


def system_sets(dataset: Any) -> dict[str, set[tuple[str, ...]]]:
    """The graph's entities, relations, positions and dates as comparable tuples."""
    kinds = {EKG[name] for name in ENTITY_TYPES}
    entities = {(_local(s), _local(o)) for s, o in dataset.subject_objects(RDF.type)
                if o in kinds and str(s).startswith(str(ID)) and not _local(s).startswith(("topic-", "doc/"))}
    relations = {(_local(s), name, _local(o)) for name in RELATIONS
                 for s, o in dataset.subject_objects(EKG[name]) if isinstance(o, URIRef)}
    positions = set()
    for node in dataset.subjects(RDF.type, EKG.Position):
        stance = _local(dataset.value(node, EKG.stance))
        positions.add((_local(dataset.value(node, EKG.holder)), POLARITY[stance], _local(dataset.value(node, EKG.target))))
    dates = set()

    def dated(node: object) -> bool:  # entities, not time-expression spans or the source documents
        local = _local(node)
        return str(node).startswith(str(ID)) and "#char=" not in local and not local.startswith("doc/")

    for event, value in dataset.subject_objects(EKG.date):
        if dated(event):
            dates.add((_local(event), str(value)))
    for event, value in dataset.subject_objects(EKG.earliest):
        if dated(event):
            dates.add((_local(event), f"{value}/{dataset.value(event, EKG.latest)}"))
    return {"entities": entities, "relations": relations, "positions": positions, "dates": dates}


def gold_sets(folder: Path) -> dict[str, set[tuple[str, ...]]]:
    """The gold standard's entities, relations, positions and dates as comparable tuples."""
    dates = set()
    for row in _read(folder / "dates.jsonl"):
        if row.get("date") and row.get("precision") in {"day", "month", "year"}:
            dates.add((row["event"], row["date"]))
        else:
            dates.add((row["event"], f"{row.get('earliest')}/{row.get('latest')}"))
    return {
        "entities": {(r["id"], r["type"]) for r in _read(folder / "entities.jsonl") if not r["id"].startswith("doc/")},
        "relations": {(r["subject"], r["predicate"], r["object"]) for r in _read(folder / "relations.jsonl")},
        "positions": {(r["holder"], r["polarity"], r["target"]) for r in _read(folder / "positions.jsonl")},
        "dates": dates,
    }


# The prefixes (itsrdf:, nif:, rdfs:) are predeclared by the engine (`essay_kg.vocabulary.PREFIXES`).
MENTIONS = """
SELECT ?entity ?type ?begin ?end ?label WHERE {
  ?mention itsrdf:taIdentRef ?entity ; nif:beginIndex ?begin ; nif:endIndex ?end .
  ?entity a ?type . OPTIONAL { ?entity rdfs:label ?label }
}
"""
TEXT = """
SELECT ?text WHERE { ?context a nif:Context ; nif:isString ?text }
"""


def _words(text: str) -> set[str]:
    return {w for w in text.lower().replace("-", " ").split() if len(w) > 2}


def align(dataset: Any, gold_rows: list[dict[str, Any]], found: set[tuple[str, ...]]) -> dict[str, str]:
    """Gold entity id -> graph entity id: the same id and type, else an entity of that type inside the evidence."""
    from essay_kg.query.engine import rdflib_execute as execute

    mapping: dict[str, str] = {}
    used: set[str] = set()
    for row in gold_rows:
        if (row["id"], row["type"]) in found:
            mapping[row["id"]] = row["id"]
            used.add(row["id"])
    texts = [str(r[0]) for r in execute(TEXT, dataset).rows if r[0] is not None]
    if not texts:
        return mapping
    text = max(texts, key=len)
    mentions = [(_local(e), _local(t), int(b), int(n), str(label or "")) for e, t, b, n, label
                in execute(MENTIONS, dataset).rows if str(e).startswith(str(ID)) and not _local(e).startswith("doc/")]
    for row in gold_rows:
        evidence = row.get("evidence")
        if row["id"] in mapping or not evidence:
            continue
        spans = [(i, i + len(evidence)) for i in _occurrences(text, evidence)]
        candidates = {(entity, label) for entity, kind, begin, end, label in mentions
                      if kind == row["type"] and entity not in used
                      and any(b <= begin and end <= e for b, e in spans)}
        if candidates:
            wanted = _words(row["id"])
            entity = max(candidates, key=lambda c: (len(wanted & (_words(c[1]) | _words(c[0]))), c[0]))[0]
            mapping[row["id"]] = entity
            used.add(entity)
    return mapping


def _occurrences(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start >= 0:
        found.append(start)
        start = text.find(part, start + 1)
    return found


def evaluate(dataset: Any, gold_folder: Path | None = None) -> list[Score]:
    """One score per component: entities, relations, positions, dates (see `align`); by default against the
    embedded essay's gold standard."""
    from essay_kg.shipped import shipped_gold

    gold_folder = gold_folder or shipped_gold()
    if not gold_folder.is_dir():
        raise BadInput(f"{gold_folder}: no such gold folder",
                       "pass --gold a folder with entities/relations/positions/dates.jsonl, or leave it out for the "
                       "shipped essay's")
    gold, found = gold_sets(gold_folder), system_sets(dataset)
    rows = [r for r in _read(gold_folder / "entities.jsonl") if not r["id"].startswith("doc/")]
    mapping = align(dataset, rows, found["entities"])
    back = {system: gold_id for gold_id, system in mapping.items()}
    types = {r["id"]: r["type"] for r in rows}
    entities = {(back[e], types[back[e]]) if e in back else (e, t) for e, t in found["entities"]}
    entities |= {(g, types[g]) for g, system in mapping.items() if system.startswith("topic-")}

    def translated(items: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
        return {tuple(back.get(part, part) for part in item) for item in items}

    found = {"entities": entities, "relations": translated(found["relations"]),
             "positions": translated(found["positions"]), "dates": translated(found["dates"])}
    return [_score(name, gold[name], found[name]) for name in ("entities", "relations", "positions", "dates")]
