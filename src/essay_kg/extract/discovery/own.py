"""The author's side's collectives: "our pilots", "our navy", "our diplomats" in a state officer's words.

A first-person plural possessive that `extract/coreference.jsonl` resolves to the author's state ("our",
said by the President of Chad), before a collective noun of the discovery rules (kind "collective": troops,
people, allies, armed forces…), with at most one lower-case word between ("our courageous troops"), names
that state's collective: the group named by the state's demonym and the noun, the same entity as "Chadian
troops" elsewhere in the text. The phrase is the group's mention; "our" inside it is nested. A name
between ("our Sahelian allies", "our UN partners") makes the collective another's, and a known name on the
noun itself is left as it is; a name discovery guessed on the noun alone ("our National Army": "National
Army") gives way to the collective.
"""

from __future__ import annotations

import re
from dataclasses import replace

from essay_kg.extract.discovery.lexicon import Lexicon
from essay_kg.extract.discovery.phrases import FUNCTION_WORDS, new_name, phrase_mention
from essay_kg.extract.found import Found
from essay_kg.model import Extraction, Mention

POSSESSIVES = {"our"}


def with_own_collectives(extraction: Extraction, lexicon: Lexicon, author_state: str | None) -> Extraction:
    """The extraction with "our" + a collective noun as the author's state's collective."""
    state = extraction.entities.get(author_state) if author_state else None
    rules = {word.lower(): rule for word, rule in lexicon.collectives if word not in rule.unless}
    if state is None or not rules:
        return extraction
    finds = Found.on(extraction)
    text = extraction.source.text
    nouns = "|".join(re.escape(word) for word in rules)  # the longest first, as the lexicon sorts them
    gap = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # a space, or a line end of hard-wrapped text, not a paragraph's
    after = re.compile(rf"(?:{gap}(?!{FUNCTION_WORDS}\b)[a-z][a-z-]+)?{gap}((?i:{nouns}))\b")
    name = state.demonyms[0] if state.demonyms else state.label
    inner: set[Mention] = set()
    dropped: set[Mention] = set()
    mentions = extraction.text_mentions  # not the metadata file's: their offsets are that file's
    for mention in mentions:
        if mention.resolution != "pronoun" or mention.entity_id != author_state \
                or mention.span.anchor.lower() not in POSSESSIVES:
            continue
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
