"""Load the Wikidata review data in `extract/`: reviewed links and expected classes.

``wikidata.jsonl`` holds one line per reviewed gazetteer entity: its QID with the
evidence (where the QID was seen next to the label) and the kind of match, or
``"qid": null`` when the entity has no item.  ``wikidata-classes.jsonl`` holds,
per entity type, the Wikidata classes a candidate item must be an instance of
(through ``wdt:P31/wdt:P279*``); each class QID carries its own evidence.  Both
files' lines have their schemas here, beside their loaders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from essay_kg.errors import BadInput
from essay_kg.extract.rules.fields import EntityType, Text, first_time, known_entity, rule_error
from essay_kg.extract.rules.jsonl import present, read_jsonl, read_lines
from essay_kg.extract.rules.schema import Line
from essay_kg.model import ENTITY_TYPES, WikidataLink, type_closure

QID = re.compile(r"Q[1-9]\d*")
Qid = Annotated[str, Field(pattern=rf"^{QID.pattern}\Z", description="a Wikidata item id like Q159")]


@dataclass(frozen=True)
class ExpectedClass:
    """A Wikidata class that items linked to entities of one type must belong to."""

    type: str
    qid: str
    label: str


class Evidence(Line):
    """Where a QID was seen next to the label: a repository, a file and the excerpt."""

    repo: Text
    path: Text
    excerpt: Text

    def shows(self, qid: str) -> None:
        if not re.search(rf"\bQ?{qid[1:]}\b", self.excerpt):  # "Q159", or "WD~russia,159" in Wikidata exports
            raise rule_error(f"the evidence excerpt does not show {qid}")


EVIDENCE = "an object with non-empty repo, path and excerpt (where the QID stands next to the label)"


class Reviewed(Line):
    """A line of `wikidata.jsonl`: a gazetteer entity reviewed once, linked (`LinkLine`) or with no item (`NoItemLine`)."""

    id: str

    @classmethod
    def schema_for(cls, row: dict[str, Any]) -> type[Line]:
        return NoItemLine if "qid" in row and row["qid"] is None else LinkLine

    @field_validator("id")
    @classmethod
    def known_once(cls, entity_id: str, info: ValidationInfo) -> str:
        return first_time(known_entity(entity_id, info), info, "entity '{value}' is reviewed twice")


class NoItemLine(Reviewed):
    """An entity recorded as having no Wikidata item: ``"qid": null``."""

    qid: None
    label: str = ""
    note: str = ""


class Evidenced(Line):
    """A line naming a QID with the evidence that shows it next to its label."""

    qid: Qid
    evidence: Evidence = Field(description=EVIDENCE)
    note: str = ""

    @model_validator(mode="after")
    def evidenced(self) -> Self:
        self.evidence.shows(self.qid)
        return self


class LinkLine(Reviewed, Evidenced):
    """An entity linked to its Wikidata item, with where the QID was seen next to the label."""

    match: Literal["exactMatch", "closeMatch"]
    expected_class: str
    label: str = ""


class ClassLine(Evidenced):
    """A Wikidata class that items linked to entities of one type must belong to."""

    type: EntityType = Field(title="entity type")
    label: str


def reviewed_ids(path: Path) -> set[str]:
    """Ids of the entities already reviewed (linked or recorded as having no item)."""
    if not present(path):
        return set()
    return {row["id"] for _, row in read_jsonl(path) if isinstance(row.get("id"), str)}


def load_links(path: Path, entity_ids: set[str]) -> tuple[WikidataLink, ...]:
    """Read the reviewed Wikidata links (an absent file means no links yet)."""
    if not present(path):
        return ()
    return tuple(WikidataLink(k.id, k.qid, k.match, k.expected_class, f"{k.evidence.repo}/{k.evidence.path}",
                              k.evidence.excerpt, line)
                 for line, k in read_lines(path, Reviewed, {"entities": entity_ids, "seen": {}})
                 if isinstance(k, LinkLine))  # the other lines record entities with no item


def load_classes(path: Path) -> tuple[ExpectedClass, ...]:
    """Read the expected Wikidata classes per entity type (an absent file means no class constraints)."""
    if not present(path):
        return ()
    return tuple(ExpectedClass(c.type, c.qid, c.label) for _, c in read_lines(path, ClassLine))


def classes_for(type_name: str, classes: tuple[ExpectedClass, ...]) -> tuple[ExpectedClass, ...]:
    """The classes expected of an entity type: its own, else its nearest supertype's (none: unconstrained)."""
    if type_name not in ENTITY_TYPES:
        raise BadInput(f"unknown entity type '{type_name}'", f"use one of {', '.join(sorted(ENTITY_TYPES))}")
    for name in type_closure(type_name):
        own = tuple(c for c in classes if c.type == name)
        if own:
            return own
    return ()
