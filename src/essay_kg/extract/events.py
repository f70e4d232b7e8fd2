"""Events the text describes rather than names ("the signing of the accord", "the attack on the embassy").

A noun phrase whose head word is of an event type (`extract/described.jsonl`: signings,
withdrawals, attacks, summits, elections, wars…) becomes a described event when its sentence holds
a time expression, so that the date of the sentence dates it as it dates a named event; so does a
verb of such a type whose own clause holds one ("two years ago, Niger withdrew from …",
`extract.told_events`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from essay_kg.extract.dates import MADE
from essay_kg.extract.described import BlockReader, every_occurrence, head_rule, misread_gerund, phrase_entity
from essay_kg.extract.found import Found
from essay_kg.extract.rules.predicates import HeadRule
from essay_kg.extract.told_events import told_event
from essay_kg.model import Extraction, sentence_of, subtypes

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from essay_kg.model import Block


def with_events(extraction: Extraction, syntax: list[tuple[Block, Doc]], heads: tuple[HeadRule, ...]) -> Extraction:
    """The extraction with the described events of its dated sentences."""
    events = set(subtypes("Event"))
    sentences = list(extraction.sentences)
    dated = {sentence_of(sentences, t.span.begin) for t in extraction.times if t.dates_events and t.attach == "events"}
    dated.discard(None)
    if not dated:
        return extraction
    found = Found.on(extraction)
    named = [m for m in extraction.mentions if not m.nested]
    for block, doc in syntax:
        reader = BlockReader(extraction, block)
        gerunds = [t for t in doc if misread_gerund(t)]  # "Chadian shelling": a noun the tagger missed
        for head in sorted({*(chunk.root for chunk in doc.noun_chunks), *gerunds}, key=lambda t: t.i):
            rule = head_rule(head, heads)
            begin = block.span.begin + head.idx
            if rule is None or rule.ignore or rule.type not in events | MADE or sentence_of(sentences, begin) not in dated:
                continue
            if any(m.span.begin <= begin < m.span.end for m in named):
                continue  # a name the gazetteer or discovery knows
            phrase_entity(found, reader, head, heads)
    every_occurrence(found)  # of the described events; a told event's label is a clause, its mention the verb alone
    times = [t for t in extraction.times if t.dates_events and t.attach == "events"]
    told = {verb: rule for rule in heads if rule.type in events for verb in rule.verbs}
    kinds = events | MADE  # an event of the clause, named, described or told, takes the date itself
    taken = [m.span for m in (*named, *found.mentions) if found.every_entity[m.entity_id].type in kinds]
    for block, doc in syntax:
        reader = BlockReader(extraction, block)
        for verb in (t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() in told):
            if sentence_of(sentences, block.span.begin + verb.idx) in dated \
                    and told_event(found, reader, verb, told[verb.lemma_.lower()], times, taken):
                taken.append(found.mentions[-1].span)
    return found.result()
