"""Names the discovery rules could only guess, typed by the trained pipeline's named-entity labels.

A capitalised name that no gazetteer knows and no title or head word types gets the default type
for its length (`extract/discovery.jsonl`, kind "default": two words are a Person).  When the text
is parsed, the named-entity labels of its mentions decide instead (`extract/ner.jsonl`: PERSON a
Person, GPE a Place, LAW a Document…), by majority over the mentions, with their confidence (also
when they confirm the guess); a name the pipeline reads as a date or a number is no entity.
Gazetteer entries and names typed by a rule keep their type.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from essay_kg.extract.rules.predicates import NerRule
from essay_kg.model import Extraction

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from essay_kg.model import Block

GUESSED = "#default-"  # the rule id of a type the discovery rules guessed from a name's length
SOURCE = "ner.jsonl"


def with_ner_types(extraction: Extraction, syntax: list[tuple[Block, Doc]], rules: tuple[NerRule, ...]) -> Extraction:
    """The extraction with its guessed names typed by their named-entity labels (or dropped)."""
    by_label = {label: rule for rule in rules for label in rule.labels}
    guessed = {e.id for e in extraction.entities.values() if e.discovered and GUESSED in (e.rule_id or "")}
    if not by_label or not guessed:
        return extraction
    labelled = sorted((block.span.begin + token.idx, token.ent_type_) for block, doc in syntax for token in doc
                      if token.ent_type_)  # (absolute offset, named-entity label) of each labelled token
    offsets = [at for at, _ in labelled]
    votes: dict[str, Counter[str]] = {}
    for mention in extraction.mentions:
        if mention.entity_id in guessed:
            first, last = bisect_left(offsets, mention.span.begin), bisect_left(offsets, mention.span.end)
            found = [label for _, label in labelled[first:last]]
            if found:
                votes.setdefault(mention.entity_id, Counter()).update([Counter(found).most_common(1)[0][0]])
    entities = dict(extraction.entities)
    dropped = set()
    for entity_id, counts in sorted(votes.items()):
        label = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        rule = by_label.get(label)
        if rule is None:
            continue
        if rule.drop:
            dropped.add(entity_id)
        elif rule.type is not None and rule.type != entities[entity_id].type:
            entities[entity_id] = replace(entities[entity_id], type=rule.type, confidence=rule.confidence,
                                          rule_id=f"{SOURCE}#{rule.id}")
        elif rule.type is not None:  # the labels confirm the guess: surer, by the same rule
            entities[entity_id] = replace(entities[entity_id], confidence=max(rule.confidence,
                                                                              entities[entity_id].confidence or 0))
    return replace(extraction, entities={k: v for k, v in entities.items() if k not in dropped},
                   mentions=tuple(m for m in extraction.mentions if m.entity_id not in dropped))
