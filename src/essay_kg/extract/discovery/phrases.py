"""Phrases that name things a gazetteer does not know, found around the names it does know.

Discovery (`essay_kg.extract.discovery.names`) finds runs of capitalised words; this module finds the names
written in lower case or around numbers, with rules of the same file, `extract/discovery.jsonl`:

* kind "collective": a collective of a known state, place or organisation ("the French people",
  "Turkish ground troops", "OSCE observers", "the people of Chad"), one group per state and noun;
* kind "common-head": a common noun with the words that qualify it ("a farm bill", "our
  comprehensive trade package");
* kind "compound": a topic of the genre about a known state or place ("peace in Central Asia",
  "Chad's independence");
* kind "numbered": one document per number ("Security Council Resolutions 1031 and 1035").

Each becomes a discovered entity (or the known entity of that id and type) with a mention whose
evidence is the phrase; the known names inside it become nested mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from essay_kg.extract.discovery.lexicon import SOURCE, Lexicon, in_body
from essay_kg.extract.found import Found
from essay_kg.extract.rules.discovery import DiscoveryRule
from essay_kg.model import Entity, Mention, Span, sentence_of, slug

if TYPE_CHECKING:
    from essay_kg.model import Extraction


def discover(finds: Found, lexicon: Lexicon, new: list[Mention]) -> list[Mention]:
    """The mentions of every phrase rule, in turn; `new` holds discovery's mentions so far (a name
    found inside a phrase is marked nested there too, as in `finds.before`)."""
    found: list[Mention] = []
    for kind in (collectives, common_heads, compounds, numbered):
        others = new + found
        more = kind(finds, lexicon, others)
        new[:], found[:] = others[:len(new)], others[len(new):]
        found += more
    return found


def phrase_mention(extraction: Extraction, begin: int, end: int, entity_id: str, rule: DiscoveryRule) -> Mention:

    return Mention(Span(begin, end, extraction.source.text[begin:end]), entity_id, "discovered",
                   f"{SOURCE}#{rule.id}", sentence_of(extraction.sentences, begin))


def _nest(finds: Found, others: list[Mention], inside: Callable[[Mention], bool]) -> None:
    """The names inside a phrase are nested mentions from now on (in the step's finds and in `others`)."""
    for mentions in (finds.before, others):
        mentions[:] = [replace(m, nested=True) if inside(m) else m for m in mentions]


_ANCHORS = {"State", "Place", "InternationalOrganisation"}  # the known names a phrase hangs on
FUNCTION_WORDS = ("(?:for|to|of|and|or|nor|but|the|a|an|in|on|with|by|as|at|from|into|than|that|is|are|was|were|be|has|have"
                   "|had|will|would|must|can|could|should|may|might|not|its|their|our|his|her)")


def new_name(finds: Found, label: str, type_name: str, rule: DiscoveryRule) -> str | None:
    """The id of a new discovered entity named `label`, or of the known one of that id and type (a line a
    reader accepted: "the people of Chad" is then its mention too); None if another type has the id."""
    entity_id = slug(label)
    known = finds.every_entity.get(entity_id)
    if known is not None:
        return entity_id if known.type == type_name else None
    finds.add_entity(Entity(entity_id, type_name, label, source=SOURCE, discovered=True,
                            confidence=rule.confidence, rule_id=f"{SOURCE}#{rule.id}"))
    return entity_id


def _free(spans: list[Span], begin: int, end: int) -> bool:
    return not any(s.begin < end and begin < s.end and not (s.begin >= begin and s.end <= end) for s in spans)


def collectives(finds: Found, lexicon: Lexicon, new: list[Mention]) -> list[Mention]:
    """"the French people", "Turkish ground troops", "the people of Chad": a known state's (place's,
    organisation's) collective, as a group named by its demonym (else its name) and the noun ("Turkish
    troops", "Chadian people"); the state's name inside it becomes a nested mention."""
    if not lexicon.collectives:
        return []
    text = finds.known.source.text
    nouns = "|".join(re.escape(word) for word, _ in lexicon.collectives)
    rules = dict(lexicon.collectives)
    # one modifier may come between ("Turkish ground troops"), not a verb's past form ("France deployed troops")
    after = re.compile(rf"(?:\s+(?!{FUNCTION_WORDS}\b)(?![a-z]+ed\b)[a-z]+)?\s+({nouns})\b")
    before = re.compile(rf"\b[Tt]he\s+({nouns})\s+of\s+$")
    taken = [m.span for m in finds.text_before + new if not m.nested]
    found: list[Mention] = []
    inner: set[Mention] = set()
    for mention in finds.text_before:
        entity = finds.every_entity.get(mention.entity_id)
        if mention.nested or entity is None or entity.type not in _ANCHORS \
                or not in_body(finds.known, mention.span.begin):
            continue
        match = after.match(text, mention.span.end)
        if match and "\n\n" not in match.group():
            begin, end, noun = mention.span.begin, match.end(), match.group(1)
        else:
            match = before.search(text, max(0, mention.span.begin - 40), mention.span.begin)
            if not match or mention.resolution == "demonym":
                continue
            begin, end, noun = match.start(1), mention.span.end, match.group(1)
        if not _free(taken, begin, end):
            continue
        rule = rules[noun]
        # one entity for "the people of Chad", "the Chadian people" and "the Chadian civilian people"
        name = entity.demonyms[0] if entity.demonyms else " ".join(mention.span.anchor.split())
        if mention.resolution == "demonym":
            name = " ".join(mention.span.anchor.split())
        label = f"{name} {noun}"
        entity_id = new_name(finds, label, rule.type or "Group", rule)
        if entity_id is None:
            continue
        found.append(phrase_mention(finds.known, begin, end, entity_id, rule))
        taken.append(found[-1].span)
        inner.add(mention)
    _nest(finds, new, inner.__contains__)
    return found


def compounds(finds: Found, lexicon: Lexicon, new: list[Mention]) -> list[Mention]:
    """"stability in Central Asia", "peace and security in Europe", "Chad's independence": a topic of the
    genre about a known state, place or organisation; the names inside become nested mentions."""
    if not lexicon.compounds:
        return []
    text = finds.known.source.text
    heads = "|".join(re.escape(word) for word, _ in sorted(lexicon.compounds, key=lambda p: (-len(p[0]), p[0])))
    rules = dict(lexicon.compounds)
    before = re.compile(rf"\b({heads})(?:\s+and\s+[a-z]+)?\s+(?:in|of|for|on|throughout|across)\s+(?:the\s+)?$",
                        re.IGNORECASE)
    possessive = re.compile(rf"['’]s\s+({heads})\b", re.IGNORECASE)
    everything = finds.text_before + new
    taken = [m.span for m in everything if not m.nested]
    found: list[Mention] = []
    inner: list[tuple[int, int]] = []
    for mention in finds.text_before:
        entity = finds.every_entity.get(mention.entity_id)
        if mention.nested or entity is None or entity.type not in _ANCHORS \
                or mention.resolution == "demonym" or not in_body(finds.known, mention.span.begin):
            continue
        match = before.search(text, max(0, mention.span.begin - 60), mention.span.begin)
        if match and "\n\n" not in match.group():
            begin, end, head = match.start(), mention.span.end, match.group(1)
        else:
            match = possessive.match(text, mention.span.end)
            if not match:
                continue
            begin, end, head = mention.span.begin, match.end(), match.group(1)
        if not _free(taken, begin, end):
            continue
        rule = rules[head.lower()]
        label = " ".join(text[begin:end].split())
        if begin < mention.span.begin:  # "Peace in Central Asia …" opening a sentence
            label = label[0].lower() + label[1:]
        entity_id = new_name(finds, label, rule.type or "Topic", rule)
        if entity_id is None:
            continue
        found.append(phrase_mention(finds.known, begin, end, entity_id, rule))
        taken.append(found[-1].span)
        inner.append((begin, end))

    def inside(m: Mention) -> bool:
        return any(b <= m.span.begin and m.span.end <= e and (m.span.begin, m.span.end) != (b, e) for b, e in inner)

    _nest(finds, new, inside)
    return found


def numbered(finds: Found, lexicon: Lexicon, new: list[Mention]) -> list[Mention]:
    """"Resolutions 1031 and 1035": one document per number, named after the body just before it if
    there is one ("Security Council Resolution 1031"), or the known entity of that name."""
    text = finds.known.source.text
    forms: dict[str, str] = {}
    for entity in finds.every_entity.values():
        for form in (entity.label, *entity.aliases):
            forms.setdefault(form, entity.id)
    everything = finds.text_before + new
    taken = [m.span for m in everything if not m.nested]
    found: list[Mention] = []
    inner: set[Mention] = set()
    for rule in lexicon.numbered:
        words = "|".join(re.escape(w) for w in sorted(rule.words, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{words})\s+(\d{{1,4}})((?:\s*,\s*\d{{1,4}})*(?:,?\s+and\s+\d{{1,4}})?)\b")
        for match in pattern.finditer(text):
            if not in_body(finds.known, match.start()):
                continue
            body = next((m for m in everything if not m.nested and 0 <= match.start() - m.span.end <= 1
                         and not text[m.span.end:match.start()].strip()), None)
            singular = rule.words[0]
            numbers = [(body.span.begin if body else match.start(), match.end(1), match.group(1))]
            numbers += [(match.start(2) + n.start(), match.start(2) + n.end(), n.group())
                        for n in re.finditer(r"\d{1,4}", match.group(2))]
            for begin, end, number in numbers:
                if not _free(taken, begin, end) and not (body and begin == body.span.begin):
                    continue
                name = f"{singular} {number}"
                label = f"{finds.every_entity[body.entity_id].label} {name}" if body else name
                entity_id = forms.get(label) or forms.get(name)
                if entity_id is None or finds.every_entity[entity_id].type != (rule.type or "Document"):
                    entity_id = new_name(finds, label, rule.type or "Document", rule)
                if entity_id is None:
                    continue
                found.append(phrase_mention(finds.known, begin, end, entity_id, rule))
                taken.append(found[-1].span)
                if body and begin == body.span.begin:  # the body's name is part of the document's
                    inner.add(body)
    _nest(finds, new, inner.__contains__)
    return found


def common_heads(finds: Found, lexicon: Lexicon, new: list[Mention]) -> list[Mention]:
    """"a farm bill", "our new energy bill": a common noun with the one or two words that qualify it."""
    text = finds.known.source.text
    found: list[Mention] = []
    taken = [m.span for m in finds.text_before + new if not m.nested]
    for rule in lexicon.common_heads:
        determiners = "|".join(re.escape(w) for w in rule.after) or "the"
        heads = "|".join(re.escape(w) for w in rule.words)
        pattern = re.compile(rf"\b(?:{determiners})\s+((?:[a-z][a-z-]*\s+){{1,3}}?)({heads})\b", re.IGNORECASE)
        for match in pattern.finditer(text):
            words = match.group(1).split()
            while words and words[0].lower() in rule.unless:
                words = words[1:]
            if not words or not in_body(finds.known, match.start()):
                continue
            end = match.end()
            begin = match.start(1) + text[match.start(1):end].find(words[0])
            if not _free(taken, begin, end):
                continue
            label = " ".join(text[begin:end].split())
            entity_id = new_name(finds, label, rule.type or "Document", rule)
            if entity_id is None:
                continue
            found.append(phrase_mention(finds.known, begin, end, entity_id, rule))
            taken.append(found[-1].span)
    return found
