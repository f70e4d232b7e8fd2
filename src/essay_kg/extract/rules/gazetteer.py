"""The gazetteers: a text's own `entities.jsonl`, the general one in `gazetteer/`, and the two merged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.extract.rules.jsonl import present, read_lines
from essay_kg.extract.rules.schema import EntityLine
from essay_kg.model import Entity
from essay_kg.shipped import data_dir

BASE = "gazetteer"  # the base gazetteer: a sub-folder of the rules folder, else the shipped one


def load_entities(path: Path, source: str = "entities.jsonl") -> tuple[Entity, ...]:
    """Read a gazetteer file: one entity per line with id, type, label, aliases."""
    return tuple(
        Entity(id=e.id, type=e.type, label=e.label, aliases=tuple(e.aliases), aliases_ci=tuple(e.aliases_ci),
               demonyms=tuple(e.demonyms), note=e.note, line=line, start=e.start, end=e.end, source=source,
               min_mentions=e.min_mentions, short_forms_with=tuple(e.short_forms_with),
               context_aliases=tuple(e.context_aliases))
        for line, e in read_lines(path, EntityLine, {"seen": {}})
    )


def base_gazetteer(folder: Path) -> tuple[Entity, ...]:
    """The general gazetteer (states, capitals, historical states, organisations) of `folder`, or the shipped one."""
    base = folder / BASE
    if present(base) and not base.is_dir():
        raise BadInput(f"{base}: is not a folder", "make it a folder of gazetteer files in JSON Lines, or remove it")
    if not present(base):
        base = data_dir("extract") / BASE
    if not base.is_dir():
        return ()
    found: list[Entity] = []
    for path in sorted(base.glob("*.jsonl")):
        found += load_entities(path, f"{BASE}/{path.name}")
    return tuple(found)


def _forms(entity: Entity) -> set[str]:
    return {entity.label, *entity.aliases, *entity.demonyms} | {f.casefold() for f in entity.aliases_ci}


def _with_base_forms(entity: Entity, base: Entity | None, taken: set[str]) -> Entity:
    """A specific entry with the demonyms of the base entry of its id, when it lists none and no other entry has them."""
    if base is None or entity.demonyms or not base.demonyms or set(base.demonyms) & taken:
        return entity
    return replace(entity, demonyms=base.demonyms)


def merge_gazetteers(specific: tuple[Entity, ...], base: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """The text's own gazetteer, then every base entry that neither shares an id nor a name with it.

    The specific file wins: a base entry it already covers (by id, or by any name under
    another id, as "NATO" for a base "nato" and a specific "atlantic-alliance") is left out,
    so that a name never points at two entities. A specific entry keeps the base entry's demonyms
    when it names none ("France" of a text's gazetteer is still "French").
    """
    names: set[str] = set()
    for entity in specific:
        names |= _forms(entity)
    by_id = {e.id: e for e in base}
    merged = [_with_base_forms(entity, by_id.get(entity.id), names) for entity in specific]
    ids = {e.id for e in specific}
    for entity in merged:
        names |= _forms(entity)
    for entity in base:
        if entity.id in ids or _forms(entity) & names:
            continue
        ids.add(entity.id)
        names |= _forms(entity)
        merged.append(entity)
    return tuple(merged)
