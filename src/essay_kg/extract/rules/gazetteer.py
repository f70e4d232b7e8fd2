"""The gazetteers: a text's own `entities.jsonl`, the general one in `gazetteer/`, and the two merged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from essay_kg.extract.rules.jsonl import bad_line, check_keys, field_of, read_jsonl, string_list
from essay_kg.model import ENTITY_TYPES, Entity
from essay_kg.shipped import data_dir

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_entities(path: Path, source: str = "entities.jsonl") -> tuple[Entity, ...]:
    """Read a gazetteer file: one entity per line with id, type, label, aliases."""
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    allowed = {"id", "type", "label", "aliases", "aliases_ci", "demonyms", "note", "start", "end", "min_mentions"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        entity_id = field_of(row, "id", str, path, line)
        if not SLUG.match(entity_id):
            raise bad_line(path, line, f"id '{entity_id}' is not a lowercase slug like 'united-states'")
        if entity_id in seen:
            raise bad_line(path, line, f"duplicate id '{entity_id}' (first on line {seen[entity_id]})")
        seen[entity_id] = line
        type_name = field_of(row, "type", str, path, line)
        if type_name not in ENTITY_TYPES or type_name == "Actor":
            raise bad_line(path, line, f"unknown type '{type_name}' (one of: {', '.join(sorted(ENTITY_TYPES))})")
        label = field_of(row, "label", str, path, line)
        if not label.strip():
            raise bad_line(path, line, "'label' is empty")
        entities.append(Entity(
            id=entity_id, type=type_name, label=label,
            aliases=string_list(row, "aliases", path, line),
            aliases_ci=string_list(row, "aliases_ci", path, line),
            demonyms=string_list(row, "demonyms", path, line),
            note=field_of(row, "note", str, path, line, ""), line=line,
            start=_iso(row, "start", path, line), end=_iso(row, "end", path, line), source=source,
            min_mentions=field_of(row, "min_mentions", int, path, line, 1),
        ))
    return tuple(entities)


BASE = "gazetteer"  # the base gazetteer: a sub-folder of the rules folder, else the shipped one


def base_gazetteer(folder: Path) -> tuple[Entity, ...]:
    """The general gazetteer (states, capitals, historical states, organisations) of `folder`, or the shipped one."""
    base = folder / BASE
    if not base.is_dir():
        base = data_dir("extract") / BASE
    if not base.is_dir():
        return ()
    found: list[Entity] = []
    for path in sorted(base.glob("*.jsonl")):
        found += load_entities(path, f"{BASE}/{path.name}")
    return tuple(found)


def _forms(entity: Entity) -> set[str]:
    return {entity.label, *entity.aliases, *entity.demonyms} | {f.casefold() for f in entity.aliases_ci}


def merge_gazetteers(specific: tuple[Entity, ...], base: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """The text's own gazetteer, then every base entry that neither shares an id nor a name with it.

    The specific file wins: a base entry it already covers (by id, or by any name under
    another id, as "NATO" for a base "nato" and a specific "atlantic-alliance") is left out,
    so that a name never points at two entities.
    """
    ids = {e.id for e in specific}
    names: set[str] = set()
    for entity in specific:
        names |= _forms(entity)
    merged = list(specific)
    for entity in base:
        if entity.id in ids or _forms(entity) & names:
            continue
        ids.add(entity.id)
        names |= _forms(entity)
        merged.append(entity)
    return tuple(merged)


def _iso(row: dict[str, Any], key: str, path: Path, line: int) -> str | None:
    value = field_of(row, key, (str, type(None)), path, line, None)
    if value is not None and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
        raise bad_line(path, line, f"'{key}' must be an ISO date YYYY, YYYY-MM or YYYY-MM-DD")
    return value
