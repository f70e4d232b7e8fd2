"""Names the discovery rules could only guess, typed by the trained pipeline's named-entity labels.

A capitalised name that no gazetteer knows and no title or head word types gets the default type
for its length (`extract/discovery.jsonl`, kind "default": two words are a Person).  When the text
is parsed, the named-entity labels of its mentions decide instead (`extract/ner.jsonl`: PERSON a
Person, GPE a Place, LAW a Document…), by majority over the mentions, with their confidence (also
when they confirm the guess); a name the pipeline reads as a date or a number is no entity.
Gazetteer entries and names typed by a rule keep their type.

A single capitalised word that no rule took ("Kaba", named without a first name or a title) is a name
when the pipeline gives it a label of a ``lone`` rule at every one of its occurrences (`with_lone_names`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from essay_kg.extract.rules.predicates import NerRule
from essay_kg.model import Entity, Extraction, Mention, Span, sentence_of, slug

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from essay_kg.model import Block

GUESSED = "#default-"  # the rule id of a type the discovery rules guessed from a name's length
SOURCE = "ner.jsonl"


def with_ner_types(extraction: Extraction, syntax: list[tuple[Block, Doc]], rules: tuple[NerRule, ...]) -> Extraction:
    """The extraction with its guessed names typed by their named-entity labels (or dropped)."""
    by_label = {label: rule for rule in rules if not rule.lone for label in rule.labels}
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


def _titled(before: Token) -> bool:
    """Whether the word before a lone word is a capitalised word of a name or a title ("Madam Chair"), not a
    function word that opens the sentence ("And Kaba …")."""
    return before.is_title and not before.is_stop


def with_lone_names(extraction: Extraction, syntax: list[tuple[Block, Doc]], rules: tuple[NerRule, ...]) -> Extraction:
    """The extraction with every lone word the pipeline always labels as a ``lone`` rule says, as a new entity."""
    lone = {label: rule for rule in rules if rule.lone and rule.type for label in rule.labels}
    if not lone:
        return extraction
    taken = {at for m in extraction.mentions if not m.span.context for at in range(m.span.begin, m.span.end)}
    seen: dict[str, list[tuple[int, str]]] = {}  # word -> (offset, label) of each occurrence outside a mention
    for block, doc in syntax:
        for token in doc:
            at = block.span.begin + token.idx
            if token.is_alpha and token.text[0].isupper() and token.text[1:].islower() and at not in taken:
                one = token.ent_iob_ == "B" and (token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I") \
                    and not (token.i > 0 and (doc[token.i - 1].pos_ == "DET" or _titled(doc[token.i - 1])))
                # "the Sahel Express", "Madam Chair": no person alone
                seen.setdefault(token.text, []).append((at, token.ent_type_ if one else ""))
    entities, mentions = dict(extraction.entities), list(extraction.mentions)
    for word, found in sorted(seen.items()):
        labels = {label for _, label in found}
        rule = lone.get(labels.pop()) if len(labels) == 1 else None
        entity_id = slug(word)
        if rule is None or word in rule.unless or (entity_id in entities and entities[entity_id].type != rule.type):
            continue
        if entity_id not in entities:
            entities[entity_id] = Entity(entity_id, rule.type or "", word, source=SOURCE, discovered=True,
                                         confidence=rule.confidence, rule_id=f"{SOURCE}#{rule.id}")
        mentions += [Mention(Span(at, at + len(word), word), entity_id, "discovered", f"{SOURCE}#{rule.id}",
                             sentence_of(extraction.sentences, at)) for at, _ in found]
    if len(mentions) == len(extraction.mentions):
        return extraction
    return replace(extraction, entities=entities, mentions=tuple(sorted(mentions)))
