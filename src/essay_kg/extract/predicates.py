"""Positions read from the dependency parse: a stance predicate, its holder, its target.

A predicate is a verb, noun or adjective whose lemma the lexicon (`extract/predicates.jsonl`)
lists, so that every inflection counts ("support", "supported", "supporting").  Its holder is
the grammatical subject (each of coordinated subjects; the agent of a passive; the subject of
the verb it depends on for "we must continue to support X"; the possessor of a noun, "our
support for X"); "we", "I" and "our country" are the author and the author's state, through
the mentions coreference gave them.  Its target is the object or complement: the whole noun
phrase, or the clause of "the idea that …" / "to do …", never a fragment; a phrase the gazetteer
does not know becomes a described entity (`extract.described`).  A negation in the parse ("not",
"never", "no") turns the stance into the attitude the holder ends up with ("cannot accept X":
Rejects X) and is kept as the position's negative wording; an "if"/"unless" clause makes it
conditional.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from essay_kg.extract.described import CONTENT, BlockReader, carried, every_occurrence, phrase_entity
from essay_kg.extract.found import Found
from essay_kg.extract.grammar import (
    CLAUSES,
    FIRST_PERSON,
    OBJECTS,
    anothers_view,
    condition_clause,
    conjuncts,
    earlier_subject,
    imperative_us,
    negating_word,
    phrase_start,
    subject_tokens,
    target_tokens,
    through_object,
)
from essay_kg.extract.rules.predicates import HeadRule, PredicateRule
from essay_kg.extract.stances import ACTORS, LONGEST_SENTENCE
from essay_kg.extract.token_index import ParsedTokens
from essay_kg.model import Entity, Extraction, Mention, Position, Span, type_closure
from essay_kg.text.source import quotations
from essay_kg.vocabulary import FLIP, POLARITY

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from essay_kg.model import Block

SPEAKERS = ACTORS | {"Place"}  # "Paris, Berlin and London welcomed the plan": a capital speaks for its government


@dataclass
class Lexicon:
    """The predicate rules, by (lemma, part of speech)."""

    rules: dict[tuple[str, str], list[PredicateRule]] = field(default_factory=dict)

    @classmethod
    def of(cls, rules: tuple[PredicateRule, ...]) -> Lexicon:
        lexicon = cls()
        for rule in rules:
            for lemma in rule.lemmas:
                for pos in rule.pos:
                    lexicon.rules.setdefault((lemma, pos), []).append(rule)
        return lexicon

    def rules_of(self, token: Token) -> list[PredicateRule]:
        pos = "VERB" if token.pos_ == "AUX" else token.pos_
        found = self.rules.get((token.lemma_.lower(), pos)) or self.rules.get((token.lower_, pos)) or []
        return [r for r in found if not r.object_lemmas or through_object(token, r)]  # "send troops to fight": no gift

    def governed(self, token: Token) -> bool:
        """Whether the predicate is the clause of another predicate ("expect X to applaud"): the outer one speaks."""
        return token.dep_ in CLAUSES and bool(self.rules_of(token.head))


@dataclass
class ParsedBlock:
    """One parsed body block, with the mentions that lie in it."""

    block: Block
    doc: Doc
    mentions: list[Mention]
    _order: list[int] = field(init=False, repr=False)  # indices of `mentions` by where they begin
    _begins: list[int] = field(init=False, repr=False)
    _longest: int = field(init=False, repr=False)

    def __post_init__(self) -> None:  # found by bisection: a long block holds thousands of mentions
        self._order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].span.begin)
        self._begins = [self.mentions[i].span.begin for i in self._order]
        self._longest = max((m.span.end - m.span.begin for m in self.mentions), default=0)

    def _beginning(self, low: int, high: int) -> list[Mention]:
        """The mentions that begin in [low, high), in the order of `mentions`."""
        chosen = sorted(self._order[bisect_left(self._begins, low):bisect_left(self._begins, high)])
        return [self.mentions[i] for i in chosen]

    def at(self, begin: int, end: int) -> list[Mention]:
        """Mentions inside [begin, end) (absolute offsets), outermost first."""
        return [m for m in self._beginning(begin, end) if m.span.end <= end]

    def covering(self, token: Token) -> Mention | None:
        begin = self.block.span.begin + token.idx
        found = [m for m in self._beginning(begin - self._longest, begin + 1) if m.span.begin <= begin < m.span.end]
        return min(found, key=lambda m: (m.nested, m.span.begin - m.span.end)) if found else None


def with_parsed_positions(extraction: Extraction, syntax: list[tuple[Block, Doc]], rules: tuple[PredicateRule, ...],
                          heads: tuple[HeadRule, ...], author_state: str | None) -> Extraction:
    """The extraction with the positions the parse gives, and the described entities they name."""
    lexicon = Lexicon.of(rules)
    if not lexicon.rules:
        return extraction
    described = Found.on(extraction)
    found: list[Position] = []
    clauses: set[str] = set()  # the clause topics the readers made
    for block, doc in syntax:
        if block.kind != "paragraph":
            continue
        here = _Reader(extraction, ParsedBlock(block, doc, _mentions_in(extraction, block)), described, heads, author_state,
                       clauses)
        quoted = quotations(block)
        overlong = {t.i for sent in doc.sents if len(sent.text) > LONGEST_SENTENCE for t in sent}
        for token in doc:
            begin = block.span.begin + token.idx
            if lexicon.governed(token) or token.i in overlong or any(q.begin <= begin < q.end for q in quoted):
                continue
            for rule in lexicon.rules_of(token):
                found += here.positions(token, rule, lexicon)
    # the cue rules speak first: the parse reads the sentences they leave empty, the clauses they leave empty
    # ("the rebels support X, and they oppose Y": the cue rule reads the second), and next to them only a
    # predicate whose target types the rule restricts ("we passed the crime bill that made a start in fighting
    # crime"), on a cue word and a target of its own
    tokens = ParsedTokens(syntax)
    spoken = {tokens.clause(p.cue.begin) for p in extraction.positions}  # the clauses the cue rules read
    taken = {(p.evidence.begin, p.target) for p in extraction.positions}
    cues = [p.cue for p in extraction.positions]
    typed = {f"predicates.jsonl#{r.id}" for r in rules if r.target_types}
    through = {f"predicates.jsonl#{r.id}" for r in rules if r.object_lemmas}  # "launched an invasion of X": also X
    topical = {f"predicates.jsonl#{r.id}" for r in rules if r.topics}
    entities = described.every_entity
    kept = [p for p in found if (tokens.clause(p.cue.begin) not in spoken or (
                p.rule_id in through and (p.evidence.begin, p.target) not in taken) or (
                p.rule_id in typed and (p.evidence.begin, p.target) not in taken
                and not any(c.begin < p.cue.end and p.cue.begin < c.end for c in cues)))
            and _sure(entities[p.holder])
            and (entities[p.target].type != "Topic" or (p.rule_id in topical and (
                p.target not in described.entities or _names_something(p, described, extraction))))]
    upgraded = _whole_events(extraction, described, found, kept, clauses)
    used = {p.holder for p in kept} | {p.target for p in (*kept, *upgraded)}
    described.entities = {k: v for k, v in described.entities.items() if k in used}
    described.mentions = [m for m in described.mentions if m.entity_id in described.entities]
    every_occurrence(described)
    return replace(described.result(), positions=(*upgraded, *kept))


def _whole_events(extraction: Extraction, described: Found, found: list[Position], kept: list[Position],
                  clauses: set[str]) -> list[Position]:
    """The cue rules' positions, each whose target the parse reads as the name inside a described event,
    conflict, operation or the like ("we condemned the invasion of Kuwait": not Kuwait, the invasion of it),
    or inside what a content noun says ("we reject the idea that Chad must choose between …"), or inside the
    clause an opposing verb governs ("I refuse to send troops to Chad": the sending), taking that thing as its
    target; in place, so that what refers to a position by its index still does."""
    entities = described.every_entity
    taken = set(kept)
    positions = list(extraction.positions)
    for index, cue_position in enumerate(positions):
        for parsed in found:
            thing = entities[parsed.target]
            if parsed in taken or parsed.target == cue_position.target \
                    or (thing.type == "Topic" and not _content(thing) and parsed.target not in clauses) \
                    or parsed.target not in described.entities or parsed.holder != cue_position.holder \
                    or parsed.evidence != cue_position.evidence \
                    or not (parsed.cue.begin < cue_position.cue.end and cue_position.cue.begin < parsed.cue.end):
                continue
            spans = [m.span for m in described.mentions if m.entity_id == parsed.target
                     and parsed.evidence.begin <= m.span.begin < parsed.evidence.end]
            # the name after the thing's head word ("the invasion of Kuwait"), not one that qualifies it from the
            # front ("peacekeeping operations in …": peacekeeping is what is meant)
            if any(m.entity_id == cue_position.target and s.begin < m.span.begin and m.span.end <= s.end
                   for s in spans for m in extraction.text_mentions):
                positions[index] = replace(cue_position, target=parsed.target)
                break
    return positions


def _content(entity: Entity) -> bool:
    """Whether a described topic is a content noun with its clause ("the idea that …"): what is said is its target."""
    words = entity.label.split()
    return len(words) > 2 and words[0].lower() in CONTENT and words[1].lower() == "that"


def _names_something(position: Position, described: Found, extraction: Extraction) -> bool:
    """Whether a topic target's words, in the position's sentence, hold the name of a known entity ("the
    enlargement of NATO", "a new division of Europe"): a topic without one ("choice", "our interests") is too
    vague to be what a stance is about."""
    sentence = position.evidence
    spans = [m.span for m in described.mentions if m.entity_id == position.target
             and sentence.begin <= m.span.begin < sentence.end]
    return any(s.begin <= m.span.begin and m.span.end <= s.end and m.entity_id != position.target
               for s in spans for m in extraction.text_mentions)


def _sure(holder: Entity) -> bool:
    """A holder the gazetteer knows, or a discovered name typed by a title, a head word or the named-entity
    labels (not one whose type was guessed from its length)."""
    return not holder.discovered or (holder.confidence or 0) > 0.5


def _mentions_in(extraction: Extraction, block: Block) -> list[Mention]:
    return [m for m in extraction.text_mentions if block.span.begin <= m.span.begin < block.span.end]


@dataclass
class _Reader:
    """Reads the positions of one block."""

    extraction: Extraction
    here: ParsedBlock
    described: Found
    heads: tuple[HeadRule, ...]
    author_state: str | None
    clause_targets: set[str] = field(default_factory=set)  # topics that are a clause an opposing verb governs

    @property
    def reader(self) -> BlockReader:
        return BlockReader(self.extraction, self.here.block)

    def offset(self, token: Token) -> int:
        return self.reader.offset(token)

    def span(self, start: Token, end: Token) -> Span:
        return self.reader.span(start, end)

    def positions(self, token: Token, rule: PredicateRule, lexicon: Lexicon) -> list[Position]:
        if token.pos_ == "ADJ" and token.dep_ not in {"acomp", "ROOT"}:
            return []  # "a wrong strategy": an attribute, not a judgement
        if token.pos_ == "ADP" and not (token.dep_ == "prep" and token.head.lemma_ == "be"):
            return []  # "we are against X", not "sanctions against X"
        if any(c.dep_ in CLAUSES and any(m.dep_ == "mark" and m.lower_ in {"whether", "if"} for m in c.children)
               for c in token.children):
            return []  # "asked whether we support X": a question, no stance on X
        subjects = subject_tokens(token)
        if anothers_view(token) and (any(s.lower_ in FIRST_PERSON for s in subjects) or (
                any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children) and any(s.pos_ != "PRON" for s in subjects))):
            return []  # "critics say that we (Chad) should leave Mali": their words; not "Chad said it would …"
        if rule.experiencer:
            holders, targets = self.felt(token)
        else:
            holders, targets = self.holders(token, rule), self.targets(token, rule, lexicon)
        if rule.target_types:
            entities = self.described.every_entity
            targets = [t for t in targets if set(type_closure(entities[t].type)) & set(rule.target_types)]
        if rule.holder == "author":  # "Chad is an irreplaceable partner", said for Chad: no verdict on another
            targets = [t for t in targets if t not in {self.author_state, self.extraction.author_id}]
        if not holders or not targets:
            return []
        negation = negating_word(token)
        if negation is not None and rule.when_negated == "none":
            return []  # "we cannot stop all war": no attitude towards war
        stance = (rule.negated_stance or FLIP[rule.stance]) if negation is not None else rule.stance
        sentence = self.span(token.sent[0], token.sent[-1])
        cue = self.span(token, token)
        act, condition = rule.speech_act, None
        clause = condition_clause(token)
        if clause is not None:
            act, condition = "conditional", self.span(clause[0], clause[-1])
        elif token.sent.text.rstrip().endswith("?"):
            act = "rhetorical-question"
        author = self.extraction.author_id
        found = []
        for holder, holder_mention in holders:
            reported = holder not in {author, self.author_state} and holder_mention is not None \
                and holder_mention.resolution != "pronoun"
            for target in targets:
                if target != holder:
                    found.append(Position(holder, stance, target, act, sentence, cue, f"predicates.jsonl#{rule.id}",
                                          negation is not None, condition, author if reported else None,
                                          negation=None if negation is None else self.span(negation, negation)))
        return found

    def entity(self, token: Token) -> tuple[str, Mention] | None:
        mention = self.here.covering(token)
        return (mention.entity_id, mention) if mention is not None else None

    def actor(self, token: Token) -> tuple[str, Mention | None] | None:
        """The actor a subject token names: a mention of an actor, or a described group; an unresolved "they"
        is the subject of the clause it is coordinated with, else of the sentence before."""
        named = self.entity(token)
        if named is None and token.lower_ in PLURAL_PRONOUNS:
            antecedent = earlier_subject(token)
            return self.actor(antecedent) if antecedent is not None else None
        if named is None and token.lower_ == "it" and token.dep_ == "nsubj" and token.head.dep_ == "ccomp":
            speakers = [c for c in token.head.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
            said = self.actor(speakers[0]) if speakers else None  # "Chad said it would support X": Chad
            return said if said is not None and self.described.every_entity[said[0]].type not in {"Person", "Group"} else None
        if named is not None:
            entity = self.extraction.entities.get(named[0]) or self.described.entities.get(named[0])
            return named if entity is not None and entity.type in SPEAKERS else None
        if token.pos_ in {"NOUN", "PROPN"} and not any(c.dep_ == "det" and c.lower_ in VAGUE for c in token.children):
            entity_id = phrase_entity(self.described, self.reader, token, self.heads, actor=True)
            return (entity_id, None) if entity_id else None
        return None

    def felt(self, token: Token) -> tuple[list[tuple[str, Mention | None]], list[str]]:
        """A verb of feeling's holders (who feels it: the passive subject, or the object) and targets (what causes
        it: the agent, or the subject): "Mali is troubled by the decision", "the decision troubles Mali"."""
        passive = [c for c in token.children if c.dep_ == "nsubjpass"]
        agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if passive:
            feeling, causes = conjuncts(passive[0]), agents[:1]
        else:
            feeling = [c for c in token.children if c.dep_ in OBJECTS][:1]
            causes = [c for c in token.children if c.dep_ == "nsubj"][:1]
        holders = [a for a in (self.actor(t) for t in feeling) if a is not None]
        targets = [e for e in (self.entity(t) for t in causes) if e is not None]
        found = [e[0] for e in targets] or [e for e in (phrase_entity(self.described, self.reader, t, self.heads)
                                                         for t in causes if t.pos_ != "PRON") if e]
        return list(dict.fromkeys(holders)), found

    def holders(self, token: Token, rule: PredicateRule) -> list[tuple[str, Mention | None]]:
        if rule.holder == "author":
            return [(self.extraction.author_id, None)] if self.extraction.author_id else []
        subjects = subject_tokens(token)
        found = [a for a in (self.actor(s) for s in subjects) if a is not None]
        if not found and subjects and subjects[0].dep_ == "poss" and subjects[0].pos_ == "PRON" and token.dep_ == "dobj":
            # "Mali expressed its opposition to X": an unresolved possessive is the subject of the verb it is object of
            found = [a for a in (self.actor(s) for s in subject_tokens(token.head)) if a is not None]
        if not found and rule.passive_author and any(c.dep_ == "auxpass" for c in token.children) \
                and not any(c.dep_ == "agent" for c in token.children) and self.extraction.author_id:
            found = [(self.extraction.author_id, None)]  # "a stronger Sahel Union is needed"
        if not found and subjects and subjects[0].dep_ == "csubj" and self.extraction.author_id:
            found = [(self.extraction.author_id, None)]  # "implementing the accord can end the killing": his argument
        if not found and imperative_us(token):
            found = [(self.author_state or self.extraction.author_id, None)] if self.extraction.author_id else []
        return list(dict.fromkeys(found))

    def targets(self, token: Token, rule: PredicateRule, lexicon: Lexicon) -> list[str]:
        found = []
        entities = self.described.every_entity
        for target in [c for t in target_tokens(token, rule) for c in carried(t, self.heads)]:
            asked = rule.addressed and target.head == token and target.dep_ in OBJECTS  # "I ask all Chadians (to …)"
            if target.pos_ in {"VERB", "AUX"} and POLARITY[rule.stance] == "Oppose" and not lexicon.rules_of(target) \
                    and any(c.dep_ in OBJECTS or c.dep_ == "prep" for c in target.children):
                # "I refuse to send troops to fight a war": what is refused is the sending, not the troops
                entity_id = phrase_entity(self.described, self.reader, target, self.heads)
                if entity_id:
                    self.clause_targets.add(entity_id)
                    found.append(entity_id)
                continue
            if target.pos_ in {"VERB", "AUX"}:  # a clause: what its own predicate or object names
                inner = _inner_object(target, lexicon)
                if inner is None:
                    continue
                target = inner
            if target.pos_ == "PRON" and self.entity(target) is None:
                continue  # "it", "this": what a pronoun stands for is left to coreference
            named = self.entity(target)
            if rule.object_lemmas:  # "launched an invasion of Chad": Chad, not the invasion its name lies in
                inner = self.here.at(self.offset(target.left_edge), self.offset(target.right_edge) + len(target.right_edge))
                named = (inner[0].entity_id, inner[0]) if inner else None
            if (named is not None and named[1].span.begin <= self.offset(phrase_start(target)) + 2) \
                    or (named is not None and target.pos_ == "PROPN"):
                entity_id: str | None = named[0]
            else:
                entity_id = phrase_entity(self.described, self.reader, target, self.heads)
            if entity_id and not (asked and entities[entity_id].type in SPEAKERS):  # whom it is asked of: no target
                found.append(entity_id)
        return list(dict.fromkeys(found))


PLURAL_PRONOUNS = {"they", "them"}


VAGUE = {"these", "those", "this", "that", "some", "many", "more", "most", "all", "any", "such", "other", "few", "several"}


def _inner_object(clause: Token, lexicon: Lexicon) -> Token | None:
    """The object of a clause's verb ("to secure a lasting peace": peace), through a verb of the clause
    that is itself a predicate; None when the clause has no object."""
    for token in [clause, *[c for c in clause.children if c.dep_ in CLAUSES]]:
        objects = [c for c in token.children if c.dep_ in OBJECTS]
        if objects:
            return objects[0]
        passive = [c for c in token.children if c.dep_ == "nsubjpass"]
        if passive and any(POLARITY[r.stance] == "Support" for r in lexicon.rules_of(token)):
            return passive[0]  # "insisted that the accord be respected": the accord
        for prep in (c for c in token.children if c.dep_ == "prep"):
            pobj = [c for c in prep.children if c.dep_ == "pobj"]
            if pobj and lexicon.rules_of(token):
                return pobj[0]
    return None

