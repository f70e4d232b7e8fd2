"""Load the Wikidata review data in `extract/`: reviewed links and expected classes.

``wikidata.jsonl`` holds one line per reviewed gazetteer entity: its QID with the
evidence (where the QID was seen next to the label) and the kind of match, or
``"qid": null`` when the entity has no item.  ``wikidata-classes.jsonl`` holds,
per entity type, the Wikidata classes a candidate item must be an instance of
(through ``wdt:P31/wdt:P279*``); each class QID carries its own evidence.  This
module and `rules` are the only readers of `extract/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.extract.rules.jsonl import bad_line, check_keys, field_of, read_jsonl
from essay_kg.model import ENTITY_TYPES, WikidataLink, type_closure

QID = re.compile(r"Q[1-9]\d*")


@dataclass(frozen=True)
class ExpectedClass:
    """A Wikidata class that items linked to entities of one type must belong to."""

    type: str
    qid: str
    label: str


def _evidence(row: dict, qid: str, path: Path, line: int) -> dict[str, str]:
    evidence = field_of(row, "evidence", dict, path, line)
    if not all(isinstance(evidence.get(k), str) and evidence[k] for k in ("repo", "path", "excerpt")):
        raise bad_line(path, line, "'evidence' needs repo, path and excerpt (where the QID stands next to the label)")
    if not re.search(rf"\bQ?{qid[1:]}\b", evidence["excerpt"]):  # "Q159", or "WD~russia,159" in Wikidata exports
        raise bad_line(path, line, f"the evidence excerpt does not show {qid}")
    return evidence


def _qid(row: dict, key: str, path: Path, line: int) -> str:
    qid = field_of(row, key, str, path, line)
    if not QID.fullmatch(qid):
        raise bad_line(path, line, f"'{qid}' is not a Wikidata item id like Q159")
    return qid


def reviewed_ids(path: Path) -> set[str]:
    """Ids of the entities already reviewed (linked or recorded as having no item)."""
    if not path.is_file():
        return set()
    return {row["id"] for _, row in read_jsonl(path) if isinstance(row.get("id"), str)}


def load_links(path: Path, entity_ids: set[str]) -> tuple[WikidataLink, ...]:
    """Read the reviewed Wikidata links (an absent file means no links yet)."""
    if not path.is_file():
        return ()
    links = []
    seen: set[str] = set()
    allowed = {"id", "qid", "match", "expected_class", "label", "evidence", "note"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        entity_id = field_of(row, "id", str, path, line)
        if entity_id not in entity_ids:
            raise bad_line(path, line, f"unknown entity id '{entity_id}'")
        if entity_id in seen:
            raise bad_line(path, line, f"entity '{entity_id}' is reviewed twice")
        seen.add(entity_id)
        if field_of(row, "qid", (str, type(None)), path, line) is None:
            continue  # reviewed: no Wikidata item
        qid = _qid(row, "qid", path, line)
        match = field_of(row, "match", str, path, line)
        if match not in {"exactMatch", "closeMatch"}:
            raise bad_line(path, line, "'match' must be exactMatch or closeMatch")
        evidence = _evidence(row, qid, path, line)
        links.append(WikidataLink(entity_id, qid, match, field_of(row, "expected_class", str, path, line),
                                  f"{evidence['repo']}/{evidence['path']}", evidence["excerpt"], line))
    return tuple(links)


def load_classes(path: Path) -> tuple[ExpectedClass, ...]:
    """Read the expected Wikidata classes per entity type (an absent file means no class constraints)."""
    if not path.is_file():
        return ()
    classes = []
    for line, row in read_jsonl(path):
        check_keys(row, {"type", "qid", "label", "evidence", "note"}, path, line)
        type_name = field_of(row, "type", str, path, line)
        if type_name not in ENTITY_TYPES:
            raise bad_line(path, line, f"unknown entity type '{type_name}' (known: {', '.join(sorted(ENTITY_TYPES))})")
        qid = _qid(row, "qid", path, line)
        _evidence(row, qid, path, line)
        classes.append(ExpectedClass(type_name, qid, field_of(row, "label", str, path, line)))
    return tuple(classes)


def classes_for(type_name: str, classes: tuple[ExpectedClass, ...]) -> tuple[ExpectedClass, ...]:
    """The classes expected of an entity type: its own, else its nearest supertype's (none: unconstrained)."""
    if type_name not in ENTITY_TYPES:
        raise BadInput(f"unknown entity type '{type_name}'", f"use one of {', '.join(sorted(ENTITY_TYPES))}")
    for name in type_closure(type_name):
        own = tuple(c for c in classes if c.type == name)
        if own:
            return own
    return ()
