"""Events the text tells with a verb ("two years ago, Niger withdrew from the Sahel Union"), dated by their clause.

A verb whose lemma a head rule of `extract/described.jsonl` lists under "verbs" (withdraw, sign,
invade, elect, meet…) tells an event of that rule's type when its own clause (not a clause inside
it) holds a time expression that dates events, no named or described event of its clause would
take that date ("Chad signed the accord in 2019": the accord's date), and no negation denies it.
The event's mention is the verb itself, so that no name of the clause is covered by it; its label
is the clause without the time expression ("Niger withdrew from the Sahel Union"), a pronoun
replaced by the name it stands for, whitespace-normalised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from essay_kg.extract.described import SOURCE, BlockReader, label_of
from essay_kg.extract.found import Found
from essay_kg.model import Entity, Mention, Span, Statement, sentence_of, slug, subtypes

if TYPE_CHECKING:
    from spacy.tokens import Token

    from essay_kg.extract.rules.predicates import HeadRule
    from essay_kg.model import TimeExpression

INNER_CLAUSES = {"conj", "advcl", "ccomp", "xcomp", "relcl", "acl", "parataxis", "csubj"}
UNSAID = {"punct", "cc", "mark", "neg", "discourse", "intj"}
CONFIDENCE = 0.6  # typed by its verb, labelled by its clause


def own_clause(verb: Token) -> list[Token]:
    """The tokens of a verb's own clause: its subtree without the clauses that depend on it."""
    inner = {t.i for c in verb.children if c.dep_ in INNER_CLAUSES for t in c.subtree}
    return [t for t in verb.subtree if t.i not in inner]


def told_event(found: Found, reader: BlockReader, verb: Token, rule: HeadRule, times: list[TimeExpression],
               taken: list[Span]) -> str | None:
    """The id of the event `verb` tells (recorded in `found` with its mention), or None: no time expression in
    its own clause, an event of the clause already there to take the date, a negated verb, or no subject."""
    if any(c.dep_ == "neg" for c in verb.children) or not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    clause = own_clause(verb)
    offsets = {t.i: reader.offset(t) for t in clause}
    dating = [t for t in times if any(t.span.begin <= o < t.span.end for o in offsets.values())]
    if not dating or any(s.begin <= o < s.end for s in taken for o in offsets.values()):
        return None
    timed = {t.i for c in verb.children if any(d.span.begin <= offsets.get(w.i, -1) < d.span.end
                                                for w in c.subtree for d in dating) for t in c.subtree}
    words = [t for t in clause if t.i not in timed and not t.is_space
             and (t.dep_ not in UNSAID or _inside_a_word(t))]
    while words and words[0].dep_ == "det":
        words = words[1:]  # "the junta attacked …": "junta attacked …"
    if len(words) < 2:
        return None
    label = label_of("".join(_word(found, reader, t) + (" " if t.whitespace_ or (n + 1 < len(words) and words[n + 1].i != t.i + 1)
                                                       else "") for n, t in enumerate(words)))  # "Chad's", "Bosnia-Herzegovina"
    entity_id = slug(label)
    known = found.every_entity.get(entity_id)
    if known is not None and known.type != rule.type:
        return None
    rule_id = f"{SOURCE}#{rule.id}"
    if known is None:
        found.add_entity(Entity(entity_id, rule.type, label, source=SOURCE, discovered=True, confidence=CONFIDENCE,
                                rule_id=rule_id))
    span = reader.span(verb, verb)
    sentence = sentence_of(list(found.known.sentences), span.begin)
    found.mentions.append(Mention(span, entity_id, "verb", rule_id, sentence))
    evidence = (reader.span(words[0], words[-1]),)
    for role, entity in _taking_part(found, reader, verb, clause):
        statement = Statement(entity, role, entity_id, rule_id, evidence) if role == PARTICIPATED \
            else Statement(entity_id, role, entity, rule_id, evidence)
        if statement not in found.statements:
            found.statements.append(statement)
    return entity_id


PARTICIPATED, PLACE = "ekg:participatedIn", "ekg:tookPlaceIn"
ACTORS = set(subtypes("Actor"))
PARTIES = {"nsubj", "nsubjpass", "dobj", "agent"}  # who does it, to whom it is done ("Iraq invaded Kuwait")
WHERE = {"in", "at"}


def _taking_part(found: Found, reader: BlockReader, verb: Token, clause: list[Token]) -> list[tuple[str, str]]:
    """(ekg:participatedIn, actor) for the actors that are the verb's subject, object or agent, and
    (ekg:tookPlaceIn, place) for a place after "in" or "at" in its clause."""
    found_here = []
    for token in clause:
        mention = _mention_at(found, reader.offset(token))
        if mention is None:
            continue
        kind = found.every_entity[mention.entity_id].type
        party = token.dep_ in PARTIES or (token.dep_ == "pobj" and token.head.dep_ == "agent") or \
            (token.dep_ == "conj" and token.head.dep_ in PARTIES)
        if party and token.head.i in {verb.i, *(t.i for t in verb.children)} and kind in ACTORS:
            found_here.append((PARTICIPATED, mention.entity_id))
        elif token.dep_ == "pobj" and token.head.lower_ in WHERE and kind == "Place":
            found_here.append((PLACE, mention.entity_id))
    return list(dict.fromkeys(found_here))


def _mention_at(found: Found, offset: int) -> Mention | None:
    """The mention (named or a pronoun's, not nested) a token lies in."""
    return next((m for m in found.before if not m.nested and m.span.begin <= offset < m.span.end
                 and not m.span.context), None)


def _inside_a_word(token: Token) -> bool:
    """Whether a punctuation token joins two words with no space ("Bosnia-Herzegovina")."""
    return token.is_punct and token.i > 0 and not token.nbor(-1).whitespace_ and not token.whitespace_ \
        and token.i + 1 < len(token.doc)


def _word(found: Found, reader: BlockReader, token: Token) -> str:
    """A token's text, or the name a pronoun stands for ("we" → the author's state)."""
    if token.pos_ == "PRON":
        begin = reader.offset(token)
        mention = next((m for m in found.before if m.resolution == "pronoun" and m.span.begin == begin), None)
        if mention is not None:
            return found.every_entity[mention.entity_id].label
    return token.text
