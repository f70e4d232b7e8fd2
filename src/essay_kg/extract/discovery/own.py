"""The author's side's collectives: "our pilots", "our navy", "our diplomats" in a state officer's words.

A first-person plural possessive that `extract/coreference.jsonl` resolves to the author's state ("our",
said by the President of Chad), before a collective noun of the discovery rules (kind "collective": troops,
people, allies, armed forces…), with at most one lower-case word between ("our courageous troops"), names
that state's collective: the group named by the state's demonym and the noun, the same entity as "Chadian
troops" elsewhere in the text. The phrase is the group's mention; "our" inside it is nested. A name
between ("our Sahelian allies", "our UN partners") makes the collective another's, and a known name on the
noun itself is left as it is; a name discovery guessed on the noun alone ("our National Army": "National
Army") gives way to the collective.

The same "our", before a noun (with at most two lower-case words between: "our continued presence") that
with the state's demonym is a name the rules know ("Chadian presence", "Chadian interests"), is a mention
of that entity (`with_own_names`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from essay_kg.extract.discovery.lexicon import Lexicon
from essay_kg.extract.discovery.phrases import FUNCTION_WORDS, new_name, phrase_mention
from essay_kg.extract.found import Found
from essay_kg.model import Extraction, Mention, Span

POSSESSIVES = {"our"}
GAP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # a space, or a line end of hard-wrapped text, not a paragraph's


def _own_possessives(extraction: Extraction, author_state: str) -> list[Mention]:
    """The "our" that speak for the author's state (resolved by coreference to it)."""
    return [m for m in extraction.text_mentions if m.resolution == "pronoun" and m.entity_id == author_state
            and m.span.anchor.lower() in POSSESSIVES]


def with_own_collectives(extraction: Extraction, lexicon: Lexicon, author_state: str | None) -> Extraction:
    """The extraction with "our" + a collective noun as the author's state's collective."""
    state = extraction.entities.get(author_state) if author_state else None
    rules = {word.lower(): rule for word, rule in lexicon.collectives if word not in rule.unless}
    if state is None or not rules:
        return extraction
    finds = Found.on(extraction)
    text = extraction.source.text
    nouns = "|".join(re.escape(word) for word in rules)  # the longest first, as the lexicon sorts them
    after = re.compile(rf"(?:{GAP}(?!{FUNCTION_WORDS}\b)[a-z][a-z-]+)?{GAP}((?i:{nouns}))\b")
    name = state.demonyms[0] if state.demonyms else state.label
    inner: set[Mention] = set()
    dropped: set[Mention] = set()
    mentions = extraction.text_mentions  # not the metadata file's: their offsets are that file's
    for mention in _own_possessives(extraction, author_state or ""):
        match = after.match(text, mention.span.end)
        if not match:
            continue
        begin, end, noun = mention.span.begin, match.end(), match.group(1)
        noun_begin = match.start(1)
        others = [m for m in mentions if not m.nested and m is not mention
                  and m.span.begin < end and begin < m.span.end]
        guessed = [m for m in others if m.resolution == "discovered" and m.span.begin >= noun_begin
                   and m.span.end <= end and extraction.entities[m.entity_id].discovered]
        if len(guessed) != len(others):
            continue  # a name the rules know, or one between: another's collective
        rule = rules[noun.lower()]
        entity_id = new_name(finds, f"{name} {noun.lower()}", rule.type or "Group", rule)
        if entity_id is None:
            continue
        finds.mentions.append(phrase_mention(extraction, begin, end, entity_id, rule))
        inner.add(mention)
        dropped.update(guessed)
    if not finds.mentions:
        return extraction
    finds.before = [replace(m, nested=True) if m in inner else m for m in finds.before if m not in dropped]
    found = finds.result()
    return replace(found, mentions=sorted(found.mentions))


def _own_names(extraction: Extraction, demonyms: tuple[str, ...]) -> dict[str, str]:
    """The nouns that with one of the state's demonyms make a name the rules know ("presence" for
    "Chadian presence"), lower-cased, each with the entity it names."""
    known: dict[str, str] = {}
    for entity in sorted(extraction.entities.values(), key=lambda e: e.id):
        if entity.discovered:
            continue
        for form in (entity.label, *entity.aliases, *entity.aliases_ci):
            for demonym in demonyms:
                head, _, rest = form.partition(" ")
                if head.lower() == demonym.lower() and re.fullmatch(r"[a-z][a-z -]*[a-z]", rest):
                    known.setdefault(rest, entity.id)
    return known


def with_own_names(extraction: Extraction, author_state: str | None) -> Extraction:
    """The extraction with "our" + a noun as the known entity named by the state's demonym and the noun
    ("our presence", said by the President of Chad: "Chadian presence"). The phrase is the entity's
    mention, "our" inside it is nested; a phrase that overlaps another name is left alone."""
    state = extraction.entities.get(author_state) if author_state else None
    known = _own_names(extraction, state.demonyms) if state is not None else {}
    if not known:
        return extraction
    nouns = "|".join(re.escape(noun) for noun in sorted(known, key=lambda n: (-len(n), n)))
    after = re.compile(rf"(?:{GAP}(?!{FUNCTION_WORDS}\b)[a-z][a-z-]+){{0,2}}{GAP}((?i:{nouns}))\b")
    text = extraction.source.text
    mentions = extraction.text_mentions
    inner: set[Mention] = set()
    found: list[Mention] = []
    for mention in _own_possessives(extraction, author_state or ""):
        match = after.match(text, mention.span.end)
        if not match or any(m is not mention and m.span.begin < match.end() and mention.span.begin < m.span.end
                            for m in mentions):
            continue
        span = Span(mention.span.begin, match.end(), text[mention.span.begin:match.end()])
        found.append(Mention(span, known[match.group(1).lower()], "alias", mention.rule_id, mention.sentence))
        inner.add(mention)
    if not found:
        return extraction
    kept = [replace(m, nested=True) if m in inner else m for m in extraction.mentions]
    return replace(extraction, mentions=sorted([*kept, *found]))
