"""Described entities: a noun phrase that names no known entity, made one when a position needs it.

"developing countries", "the invasion of the island", "new sanctions on the regime": the
whole phrase (a clause of "the idea that …" included, a relative clause left out) is the
entity's evidence; its label is the phrase without its determiner, whitespace-normalised and
with a hyphen at a line end rejoined.  The head word gives the type (`extract/described.jsonl`:
"countries" a Group, "treaty" an Agreement…); a phrase whose head is listed nowhere is a Topic.
Only a phrase with a collective or institutional head can hold a position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from essay_kg.extract.found import Found
from essay_kg.extract.rules.predicates import HeadRule
from essay_kg.model import Entity, Extraction, Mention, Span, sentence_of, slug

if TYPE_CHECKING:
    from spacy.tokens import Token

    from essay_kg.model import Block

SOURCE = "described.jsonl"
CONTENT = {"idea", "notion", "view", "belief", "claim", "proposal", "principle", "concept", "hope", "fear", "thesis",
           "argument", "assumption", "fact", "need", "right", "decision", "choice", "goal", "aim", "effort", "attempt",
           "bid", "intention", "desire", "wish", "readiness", "willingness", "determination", "ambition", "aspiration"}
LEADING = {"det", "poss", "case", "predet", "cc", "punct", "preconj"}
FOCUS = {"even", "only", "just", "also", "still", "merely", "solely"}  # "even a socialist choice": the choice
TRAILING_CLAUSES = {"relcl", "acl", "advcl", "punct", "cc", "appos"}
MAX_WORDS = 14
NOT_THINGS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}  # named-entity labels of no entity
_QUOTES = str.maketrans("", "", '"\u201c\u201d')
_LINE_HYPHEN = re.compile(r"(\w)-\s*\n\s*(\w)")


@dataclass(frozen=True)
class BlockReader:
    """Where the tokens of one parsed block are in the source."""

    extraction: Extraction
    block: Block

    def offset(self, token: Token) -> int:
        return self.block.span.begin + token.idx

    def span(self, start: Token, end: Token) -> Span:
        begin, stop = self.offset(start), self.offset(end) + len(end.text)
        return Span(begin, stop, self.extraction.source.text[begin:stop])


def label_of(anchor: str) -> str:
    """A phrase's label: a hyphen at a line end rejoined, whitespace normalised, and a quotation mark whose
    partner lies outside the phrase left out (‘even a "socialist choice" by …’ read from its noun on)."""
    label = " ".join(_LINE_HYPHEN.sub(r"\1\2", anchor).split())
    if label.count('"') % 2 or label.count("\u201c") != label.count("\u201d"):
        label = " ".join(label.translate(_QUOTES).split())
    return label


NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj"}
AUXILIARIES = {"be", "have", "do", "get", "keep"}
MODIFIERS = {"ADJ", "PROPN", "NOUN"}


def misread_gerund(token: Token) -> bool:
    """Whether a gerund stands in a noun's place but the tagger took it for a verb ("Chadian shelling turned the
    market into …": the subject is the shelling, read as its verb's subject or as an auxiliary)."""
    if token.tag_ != "VBG":
        return False
    if token.pos_ == "VERB":
        return token.dep_ in NOMINAL and not any(c.dep_ in {"dobj", "aux"} for c in token.children)
    return token.pos_ == "AUX" and token.dep_ == "aux" and token.lemma_.lower() not in AUXILIARIES \
        and token.i > 0 and token.nbor(-1).pos_ in MODIFIERS


def verbal(token: Token) -> bool:
    """Whether a token heads a clause, not a noun phrase (a misread gerund is a noun)."""
    return token.pos_ in {"VERB", "AUX"} and not misread_gerund(token)


def manner(token: Token) -> bool:
    """Whether a prepositional phrase tells how something is said, not what of ("condemn the attack in the
    strongest terms", "in no uncertain terms")."""
    return token.dep_ == "prep" and token.lower_ == "in" and any(c.dep_ == "pobj" and c.lower_ == "terms"
                                                                  for c in token.children)


def phrase_tokens(token: Token) -> list[Token]:
    """The tokens of the phrase a head token stands for: its subtree, without a relative clause
    (unless the head is a content noun: "the idea that …") or a leading determiner."""
    if verbal(token):  # a clause: "to do X", "that X", without the relative clauses inside it
        relative = {t.i for r in token.subtree if r.dep_ == "relcl" for t in r.subtree}
        tokens = [t for t in token.subtree if t.i not in relative
                  and not (t.dep_ in {"aux", "mark"} and t.i < token.i and t.lower_ in {"to", "that"})]
    else:
        keep_clauses = token.lemma_.lower() in CONTENT
        dropped = {t.i for c in token.children if c.i > token.i and c.dep_ in TRAILING_CLAUSES and not keep_clauses
                   for t in c.subtree}
        dropped |= {t.i for c in token.children if c.dep_ == "conj" or c.dep_ == "cc" for t in c.subtree}
        dropped |= {t.i for c in token.children if c.i > token.i and c.dep_ in {"prep", "npadvmod"}
                    and any(t.ent_type_ in {"DATE", "TIME"} for t in c.subtree) for t in c.subtree}  # "in mid-December"
        dropped |= {t.i for c in token.children if c.i > token.i and manner(c) for t in c.subtree}
        tokens = [t for t in token.subtree if t.i not in dropped]
    if token.pos_ == "AUX" and misread_gerund(token):  # its words before it hang from the verb: the run of them
        first = token
        while first.i > token.sent.start and first.nbor(-1).pos_ in MODIFIERS:
            first = first.nbor(-1)
        tokens = [*token.doc[first.i:token.i], *tokens]
    while tokens and (tokens[0].dep_ in LEADING or tokens[0].is_punct or tokens[0].lower_ in FOCUS) and tokens[0].i != token.i:
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].i != token.i:
        tokens = tokens[:-1]
    return tokens


def head_rule(token: Token, rules: tuple[HeadRule, ...]) -> HeadRule | None:
    words = {token.lower_, token.lemma_.lower()}
    return next((rule for rule in rules if words & set(rule.heads)), None)


def carried(token: Token, rules: tuple[HeadRule, ...]) -> list[Token]:
    """What a target stands for: itself, or, where its head only carries the stance on ("the spread of X and
    Y", "the scourge of X"), each noun its "of" names."""
    rule = head_rule(token, rules)
    if rule is None or not rule.carrier or token.pos_ != "NOUN":
        return [token]
    named = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
             for p in c.children if p.dep_ == "pobj" and p.pos_ in {"NOUN", "PROPN"}]
    return [named[0], *[c for c in named[0].conjuncts if c.i > named[0].i]] if named else [token]


def phrase_entity(found: Found, reader: BlockReader, token: Token, rules: tuple[HeadRule, ...],
                  actor: bool = False) -> str | None:
    """The id of the described entity a phrase names (recorded in `found` with its mention), or None
    when the phrase is too long, empty, or (for an actor) has no collective or institutional head."""
    tokens = phrase_tokens(token)
    if not tokens or len([t for t in tokens if not t.is_punct]) > MAX_WORDS:
        return None
    rule = head_rule(token, rules)
    if (rule is not None and rule.ignore) or token.ent_type_ in NOT_THINGS:
        return None
    if actor and (rule is None or not rule.actor or verbal(token)):
        return None
    span = reader.span(tokens[0], tokens[-1])
    label = label_of(span.anchor)
    if not label or not any(c.isalpha() for c in label):
        return None
    type_name = rule.type if rule is not None and not verbal(token) else "Topic"
    base = slug(label)
    entity_id = f"topic-{base}" if type_name == "Topic" else base
    known = found.every_entity.get(entity_id)
    if known is not None and known.type != type_name:
        entity_id = f"{base}-{type_name.lower()}"
        known = found.every_entity.get(entity_id)
    rule_id = f"{SOURCE}#{rule.id if rule else 'topic'}"
    if known is None:
        # typed by a head word of described.jsonl, as sure as discovery's collectives; a topic is a guess
        confidence = 0.7 if type_name != "Topic" else 0.5
        found.add_entity(Entity(entity_id, type_name, label, source=SOURCE, discovered=True, confidence=confidence,
                                rule_id=rule_id))
    mention = Mention(span, entity_id, "phrase", rule_id, sentence_of(list(found.known.sentences), span.begin))
    if mention not in found.mentions:
        found.mentions.append(mention)
    return entity_id


def every_occurrence(found: Found) -> None:
    """Each described entity the step kept is mentioned wherever its label recurs in the body (a name
    broken across a line still counts), not only where the position or the date named it."""
    extraction = found.known
    body = [b.span for b in extraction.source.blocks if b.kind == "paragraph"]
    taken = [m.span for m in (*found.before, *found.mentions)]
    sentences = list(extraction.sentences)
    for entity in found.entities.values():
        words = entity.label.split()
        pattern = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b")
        for match in pattern.finditer(extraction.source.text):
            begin, end = match.span()
            if not any(b.begin <= begin < b.end for b in body):
                continue
            overlapping = [s for s in taken if s.begin < end and begin < s.end]
            if any(not (begin <= s.begin and s.end <= end) or (s.begin, s.end) == (begin, end) for s in overlapping):
                continue  # a name that crosses the phrase, or one just as long, keeps its place
            inner = set(overlapping)  # "trade" inside "the trade treaty": kept, as a nested mention
            found.before = [replace(m, nested=True) if m.span in inner else m for m in found.before]
            span = Span(begin, end, match.group())
            found.mentions.append(Mention(span, entity.id, "phrase", entity.rule, sentence_of(sentences, begin)))
            taken.append(span)
