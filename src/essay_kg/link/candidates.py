"""Propose Wikidata items for entities (of the gazetteer, or of a built graph), scored in the style of OpenRefine reconciliation.

For a batch of entities the linker sends three cheap queries:

1. **labels**: a ``VALUES`` table of the entity's label and aliases, each as an
   ``@en`` and a language-neutral ``@mul`` literal, matched exactly against
   ``rdfs:label`` and ``skos:altLabel`` (both indexed by the Query Service);
2. **facts** of the candidate items: direct classes (``wdt:P31``), the earliest
   start (inception P571, start time P580, birth P569) and the latest end
   (dissolution P576, end time P582), and the sitelink count;
3. **ancestors**: ``?item wdt:P31/wdt:P279* ?class`` walked upwards from the bound
   items only, never downwards from a broad class, which keeps it cheap.

Each candidate gets a score out of 100:

- name, up to 50: the entity's label is the item's label (50) or one of its
  aliases (35); an entity alias is the item's label (40) or alias (30);
- class, up to 30: an expected class of the entity's type is a direct class (30)
  or an ancestor class (25); a type without expected classes gives 15; an item
  of no expected class is rejected outright;
- time, up to 20: the item existed at the document date (20), has no dates (15),
  had ended before it (10: a historical referent, or a predecessor), or began
  after it (0: a successor, never accepted automatically).

The sitelink count only breaks ties.  The best candidate is accepted when its
score reaches the threshold and leads the runner-up by the margin; otherwise
every fitting candidate is left for review.  Nothing below the threshold is
ever accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from essay_kg.extract.rules.wikidata import ExpectedClass, classes_for
from essay_kg.link.client import SparqlClient
from essay_kg.model import Entity
from essay_kg.vocabulary import PREFIXES

ENTITY = PREFIXES["wd"]
# Wikidata's own prefixes; its schema: is http://schema.org/, where the graph's is https.
WIKIDATA_ONLY = {"wikibase": "http://wikiba.se/ontology#", "schema": "http://schema.org/"}
_QUERY_PREFIXES = {**PREFIXES, **WIKIDATA_ONLY}
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{_QUERY_PREFIXES[name]}>\n"
                          for name in ("wd", "wdt", "wikibase", "schema", "rdfs", "skos"))
LANGUAGES = ("en", "mul")
NAME_SCORES = {(True, "label"): 50, (True, "alias"): 35, (False, "label"): 40, (False, "alias"): 30}
CLASS_SCORES = {"direct": 30, "subclass": 25, "unconstrained": 15, "mismatch": 0}
TIME_SCORES = {"valid": 20, "unknown": 15, "ended": 10, "not-yet": 0}
_DATE = re.compile(r"^(-?\d{1,4})-(\d\d)-(\d\d)")
# what each query's every answer row must hold (variable: pattern of its value); the client refuses, and never
# caches, an answer without it
ITEM = re.escape(ENTITY) + r"Q[1-9]\d*"
LABEL_NEEDS = {"key": ".*", "text": ".*", "item": ITEM, "via": "label|alias"}
FACTS_NEEDS = {"item": ITEM}
ANCESTORS_NEEDS = {"item": ITEM, "class": ".*"}


@dataclass(frozen=True)
class Candidate:
    """One Wikidata item proposed for an entity, with its score and the reasons for it."""

    entity_id: str
    qid: str
    item_label: str
    description: str
    matched: str  # the entity's text that matched, as a literal: 'Bill Clinton'@en
    main_label: bool  # the matched text is the entity's label (not an alias)
    via: str  # "label" or "alias": where the item carries the text
    sitelinks: int
    classes: tuple[str, ...]
    fit: str  # direct, subclass, unconstrained, mismatch
    fitting_class: str
    begins: str | None
    ends: str | None
    time: str  # valid, unknown, ended, not-yet
    score: int
    decision: str = "review"  # accept, review, reject

    @property
    def suggested_match(self) -> str:
        return "closeMatch" if self.time == "not-yet" else "exactMatch"

    def reason(self, as_of: str | None) -> str:
        parts = [f"{'label' if self.main_label else 'alias'} {self.matched} is the item's {self.via}"]
        parts.append({
            "direct": f"instance of {self.fitting_class}",
            "subclass": f"instance of a subclass of {self.fitting_class}",
            "unconstrained": "no class expected for this type",
            "mismatch": f"class mismatch: instance of {', '.join(self.classes) or 'nothing'}, expected {self.fitting_class}",
        }[self.fit])
        span = f"{self.begins or '?'}–{self.ends or ''}"
        parts.append({
            "valid": f"exists in {as_of} ({span})",
            "unknown": "no inception or end date" if as_of else "no document date given",
            "ended": f"ended {self.ends}, before {as_of}",
            "not-yet": f"began {self.begins}, after {as_of}: a successor?",
        }[self.time])
        parts.append(f"{self.sitelinks} sitelinks")
        return "; ".join(parts)


@dataclass
class Proposal:
    """The candidates for one entity, best first, judged at a document date."""

    entity: Entity
    candidates: list[Candidate] = field(default_factory=list)
    as_of: str | None = None

    @property
    def accepted(self) -> Candidate | None:
        return next((c for c in self.candidates if c.decision == "accept"), None)


def literal(text: str, language: str | None = None) -> str:
    """A SPARQL string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{language}" if language else "")


def names(entity: Entity) -> list[tuple[str, bool]]:
    """The texts to look up for an entity: (text, is the main label), without repeats."""
    seen: dict[str, bool] = {}
    for text, main in [(entity.label, True), *((a, False) for a in (*entity.aliases, *entity.aliases_ci))]:
        if text.strip() and text not in seen:
            seen[text] = main
    return list(seen.items())


def label_query(entities: Iterable[Entity]) -> str:
    rows = "\n".join(f"    ({literal(e.id)} {literal(text, language)})"
                     for e in entities for text, _ in names(e) for language in LANGUAGES)
    return f"""{SPARQL_PREFIXES}SELECT DISTINCT ?key ?text (LANG(?text) AS ?lang) ?item ?via WHERE {{
  VALUES (?key ?text) {{
{rows}
  }}
  {{ ?item rdfs:label ?text . BIND("label" AS ?via) }}
  UNION
  {{ ?item skos:altLabel ?text . BIND("alias" AS ?via) }}
  FILTER(STRSTARTS(STR(?item), STR(wd:Q)))
}}"""


def facts_query(qids: Iterable[str]) -> str:
    items = " ".join(f"wd:{q}" for q in qids)
    return f"""{SPARQL_PREFIXES}SELECT ?item (SAMPLE(?name) AS ?label) (SAMPLE(?about) AS ?description)
       (MAX(?links) AS ?sitelinks) (MIN(?start) AS ?begins) (MAX(?stop) AS ?ends)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?class), STR(wd:)); separator=" ") AS ?classes)
WHERE {{
  VALUES ?item {{ {items} }}
  OPTIONAL {{ ?item rdfs:label ?name . FILTER(LANG(?name) IN ("en", "mul")) }}
  OPTIONAL {{ ?item schema:description ?about . FILTER(LANG(?about) = "en") }}
  OPTIONAL {{ ?item wikibase:sitelinks ?links }}
  OPTIONAL {{ ?item wdt:P31 ?class }}
  OPTIONAL {{ ?item wdt:P571|wdt:P580|wdt:P569 ?start }}
  OPTIONAL {{ ?item wdt:P576|wdt:P582 ?stop }}
}}
GROUP BY ?item"""


def ancestors_query(qids: Iterable[str]) -> str:
    items = " ".join(f"wd:{q}" for q in qids)
    return f"""{SPARQL_PREFIXES}SELECT DISTINCT ?item ?class WHERE {{
  VALUES ?item {{ {items} }}
  ?item wdt:P31/wdt:P279* ?class .
}}"""


def _qid(iri: str) -> str:
    return iri[len(ENTITY):] if iri.startswith(ENTITY) else iri


def _count(value: str | None) -> int:
    """A count from the answer (the sitelinks); 0 when there is none or it is no number."""
    try:
        return int(float(value or 0))
    except (ValueError, OverflowError):
        return 0


def _date(value: str | None) -> tuple[int, int, int] | None:
    match = _DATE.match(value or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def _as_of_range(as_of: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    parts = [int(p) for p in as_of.split("-")]
    year, month, day = [*parts, 0, 0][:3]
    return (year, month or 1, day or 1), (year, month or 12, day or 31)


def time_validity(begins: str | None, ends: str | None, as_of: str | None) -> str:
    """valid, unknown, ended or not-yet, comparing an item's dates with the document date.

    A date on 1 January is read as year precision (how Wikidata stores a bare year).
    """
    if as_of is None:
        return "unknown"
    first, last = _as_of_range(as_of)
    start, stop = _date(begins), _date(ends)
    if start is not None and (start[0] > last[0] if start[1:] == (1, 1) else start > last):
        return "not-yet"
    if stop is not None and (stop[0] < first[0] if stop[1:] == (1, 1) else stop < first):
        return "ended"
    if start is None and stop is None:
        return "unknown"
    return "valid"


def _fit(classes: tuple[str, ...], ancestors: set[str], expected: tuple[ExpectedClass, ...]) -> tuple[str, str]:
    if not expected:
        return "unconstrained", ""
    wanted = ", ".join(f"{c.label} ({c.qid})" for c in expected)
    for c in expected:
        if c.qid in classes:
            return "direct", f"{c.label} ({c.qid})"
    for c in expected:
        if c.qid in ancestors:
            return "subclass", f"{c.label} ({c.qid})"
    return "mismatch", wanted


def decide(candidates: list[Candidate], threshold: int, margin: int) -> list[Candidate]:
    """Order the candidates and mark the accepted one, those for review and the rejected."""
    def key(c: Candidate) -> tuple[int, int, int]:
        return (-c.score, -c.sitelinks, int(c.qid[1:]))

    fitting = sorted((c for c in candidates if c.fit != "mismatch"), key=key)
    rejected = [replace(c, decision="reject") for c in sorted((c for c in candidates if c.fit == "mismatch"), key=key)]
    decided = [replace(c, decision="review") for c in fitting]
    if decided:
        best = decided[0]
        lead = best.score - decided[1].score if len(decided) > 1 else best.score
        if best.score >= threshold and lead >= margin and best.time != "not-yet":
            decided[0] = replace(best, decision="accept")
    return decided + rejected


def propose(entities: list[Entity], classes: tuple[ExpectedClass, ...], client: SparqlClient, as_of: str | None,
            threshold: int = 80, margin: int = 10, batch_size: int = 25,
            progress: Callable[[int], None] = lambda done: None) -> list[Proposal]:
    """Candidates for every entity, batch by batch, with decisions."""
    proposals = []
    for start in range(0, len(entities), batch_size):
        batch = entities[start:start + batch_size]
        proposals.extend(_propose_batch(batch, classes, client, as_of, threshold, margin))
        progress(len(batch))
    return proposals


def _propose_batch(batch: list[Entity], classes: tuple[ExpectedClass, ...], client: SparqlClient, as_of: str | None,
                   threshold: int, margin: int) -> list[Proposal]:
    by_id = {e.id: e for e in batch}
    hits: dict[tuple[str, str], tuple[str, bool, str]] = {}  # (entity, qid) -> best (text, main, via)
    for row in client.select(label_query(batch), LABEL_NEEDS):
        entity = by_id.get(row["key"]["value"])
        if entity is None:
            continue
        text, qid, via = row["text"]["value"], _qid(row["item"]["value"]), row["via"]["value"]
        main = dict(names(entity)).get(text, False)
        score = NAME_SCORES[(main, via)]
        previous = hits.get((entity.id, qid))
        shown = f"'{text}'@{row.get('lang', {}).get('value') or row['text'].get('xml:lang', '')}"
        if previous is None or (NAME_SCORES[(previous[1], previous[2])], previous[0]) < (score, shown):
            hits[(entity.id, qid)] = (shown, main, via)
    qids = sorted({qid for _, qid in hits}, key=lambda q: int(q[1:]) if q[1:].isdigit() else 0)
    facts: dict[str, dict[str, str]] = {}
    ancestors: dict[str, set[str]] = {}
    if qids:
        for row in client.select(facts_query(qids), FACTS_NEEDS):
            facts[_qid(row["item"]["value"])] = {k: v["value"] for k, v in row.items()}
        for row in client.select(ancestors_query(qids), ANCESTORS_NEEDS):
            ancestors.setdefault(_qid(row["item"]["value"]), set()).add(_qid(row["class"]["value"]))
    proposals = []
    for entity in batch:
        expected = classes_for(entity.type, classes)
        candidates = []
        for (entity_id, qid), (text, main, via) in sorted(hits.items()):
            if entity_id != entity.id:
                continue
            known = facts.get(qid, {})
            item_classes = tuple(sorted(known.get("classes", "").split()))
            fit, fitting = _fit(item_classes, ancestors.get(qid, set()), expected)
            begins, ends = known.get("begins"), known.get("ends")
            time = time_validity(begins, ends, as_of)
            score = NAME_SCORES[(main, via)] + CLASS_SCORES[fit] + TIME_SCORES[time]
            candidates.append(Candidate(
                entity.id, qid, known.get("label", ""), known.get("description", ""), text, main, via,
                _count(known.get("sitelinks")), item_classes, fit, fitting,
                (begins or "")[:10] or None, (ends or "")[:10] or None, time, score if fit != "mismatch" else 0))
        proposals.append(Proposal(entity, decide(candidates, threshold, margin), as_of))
    return proposals
