"""The targets of the cue rules' positions read again with the parse: a possessor gives way to the
name it qualifies, a list of names gives one position per name, and a demand that a thing be done
takes the stance of what is to be done.

The cue rules join names by the characters between them ("X, Y and Z").  In "let us not forget
Admiral Tom Hardy, Spain's General Carlos Ibarra, Japan's Colonel Kenji Sato" that takes
"Spain" (a possessor) and misses the officers after it.  When the text is parsed, a cue
position's target whose phrase is the possessor of another name ("Spain's General …") is that
other name, and every name the parse coordinates with a target's phrase ("Hardy" and
"Ibarra" and …) is a target of its own, with the same holder, stance and evidence.  A
list needs its "and" or "or": names the parse joins without one are taken as one misread.

"The junta's raids must be stopped": the cue rule for "must" reads a demand about the raids;
the parse says that the demand is that it be stopped, a verb of the predicate lexicon
(`extract/predicates.jsonl`), so the position takes that verb's stance (opposition).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import TYPE_CHECKING

from essay_kg.extract.grammar import OBJECTS, anothers_view
from essay_kg.extract.predicates import SPEAKERS, Lexicon
from essay_kg.extract.rules.predicates import PredicateRule
from essay_kg.extract.token_index import ParsedTokens
from essay_kg.model import Extraction, Mention, Position
from essay_kg.vocabulary import POLARITY

if TYPE_CHECKING:
    from spacy.tokens import Token


CUE_RULES = "stances.jsonl#"
MODALS = {"must", "should"}
NOT_TARGETS = {"Place"}  # as in the cue rules: a place is where, not what
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
ASKING = {"Proposes", "Demands"}  # stances of asking an actor to do something


def _between(mentions: list[Mention], begin: int, end: int) -> list[Mention]:
    """The mentions (in text order) that begin in [begin, end), found by bisection."""
    low = bisect_left(mentions, begin, key=lambda m: m.span.begin)
    high = bisect_left(mentions, end, key=lambda m: m.span.begin)
    return mentions[low:high]


def _root(tokens: list[Token]) -> Token | None:
    """The one token of a mention whose head lies outside it."""
    indices = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i == t.i or t.head.i not in indices]
    return roots[0] if len(roots) == 1 else None


class _Phrases:
    """The mentions of a sentence by the parsed token that heads them."""

    def __init__(self, extraction: Extraction, tokens: ParsedTokens, begin: int, end: int,
                 in_order: list[Mention]) -> None:
        self.by_root: dict[int, Mention] = {}
        self.speakers: dict[int, Mention] = {}  # the mentions of actors (and places, for their governments)
        self.roots: dict[tuple[str, int], Token] = {}
        for mention in _between(in_order, begin, end):
            if mention.nested:
                continue
            entity = extraction.entities.get(mention.entity_id)
            root = _root(tokens.within(mention.span.begin, mention.span.end))
            if entity is None or root is None:
                continue
            self.roots[(mention.entity_id, mention.span.begin)] = root
            if entity.type not in NOT_TARGETS:
                self.by_root.setdefault(root.i, mention)
            if entity.type in SPEAKERS and mention.resolution != "pronoun":
                self.speakers.setdefault(root.i, mention)

    def _roots_of(self, entity_id: str) -> list[tuple[int, Token]]:
        """The root token of each mention of an entity, with its offset, in text order."""
        return sorted(((at, root) for (entity, at), root in self.roots.items() if entity == entity_id), key=lambda pair: pair[0])

    def holders(self, position: Position) -> list[str]:
        """The holders the parse gives a cue position: the holder's mention nearest before the cue and the names
        the parse coordinates with it as subjects ("Germany, France and Britain have urged …"), in text order."""
        roots = [root for at, root in self._roots_of(position.holder) if at < position.cue.begin]
        if not roots or roots[-1].i not in self.speakers or roots[-1].dep_ not in SUBJECT_DEPS | {"conj"}:
            return []
        root = roots[-1]
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head  # the first conjunct bears the subject's dependency
        if root.dep_ not in SUBJECT_DEPS or not any(c.dep_ == "cc" for t in (root, *root.conjuncts) for c in t.children):
            return []
        chain = sorted([root, *root.conjuncts], key=lambda t: t.i)
        return [self.speakers[t.i].entity_id for t in chain if t.i in self.speakers]

    def _asked_to(self, position: Position, root: Token, cue: list[Token]) -> str | None:
        """For a demand or proposal made of an actor ("I urge the juntas of the Sahel Union to approve the Bamako
        Accord"), the first name in what the actor is asked to do: that, not the one asked, is the target."""
        if POLARITY.get(position.stance) != "Support" or position.stance not in ASKING or not cue:
            return None
        verb, top = cue[0], root
        while top.head.i != verb.i and top.head.i != top.i:
            top = top.head  # the phrase of the one asked: "the juntas of the Union", "on all factions"
        if top.head.i != verb.i or top.dep_ not in {"dobj", "prep", "dative"}:
            return None
        clauses = [c for c in verb.children if c.i > root.i and (c.dep_ in {"xcomp", "ccomp"} or (  # "call on X to do Y"
            c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)))]
        inside = sorted(t.i for c in clauses for t in c.subtree if t.i in self.by_root
                        and self.by_root[t.i].resolution != "pronoun"  # "on our home front": no name
                        and not (t.dep_ in {"compound", "amod", "poss"} and t.head.i in self.by_root))
        return self.by_root[inside[0]].entity_id if inside else None

    def targets(self, position: Position, cue_end: int, cue: list[Token] | None = None) -> list[str]:
        """The targets the parse gives a cue position's target, in text order (empty if it gives none)."""
        roots = [root for at, root in self._roots_of(position.target) if at >= cue_end]
        if not roots:
            return []
        root = roots[0]
        if root.dep_ in {"poss", "amod", "compound"}:  # "Spain's General Carlos Ibarra", "Chadian General Faki"
            head = root.head
            while head.i not in self.by_root and head.dep_ in {"compound", "amod"} and head.head.i != head.i:
                head = head.head  # "General" qualifies "Carlos Ibarra"
            root = head if head.i in self.by_root else root
        if root.i not in self.by_root:
            return []
        asked = self._asked_to(position, root, cue or [])
        if asked is not None:
            return [asked]
        chain = [root, *[c for c in root.conjuncts if c.i > root.i]]
        if not any(child.dep_ in {"cc", "preconj"} for t in chain for child in t.children):
            chain = chain[:1]  # no "and" or "or" joins them: a misread, not a list
        return [self.by_root[t.i].entity_id for t in chain if t.i in self.by_root]


def read_cue_targets(extraction: Extraction, tokens: ParsedTokens) -> Extraction:
    """The extraction with its cue positions' targets as the parse reads them (see the module's docstring)."""
    phrases: dict[int, _Phrases] = {}
    in_order = sorted(extraction.text_mentions, key=lambda m: m.span.begin)
    expanded: list[list[Position]] = []
    for position in extraction.positions:
        targets: list[str] = []
        if position.rule_id.startswith(CUE_RULES) and position.evaluation is None:
            sentence = position.evidence
            if sentence.begin not in phrases:
                phrases[sentence.begin] = _Phrases(extraction, tokens, sentence.begin, sentence.end, in_order)
            cue = tokens.within(position.cue.begin, position.cue.end)
            targets = [t for t in phrases[sentence.begin].targets(position, position.cue.end, cue) if t != position.holder]
            holders = phrases[sentence.begin].holders(position)
            if len(holders) > 1:
                expanded.append([replace(position, holder=h, target=t) for h in holders
                                 for t in (targets or [position.target]) if h != t])
                continue
        expanded.append([replace(position, target=t) for t in targets] or [position])
    if all(len(group) == 1 and group[0] is p for group, p in zip(expanded, extraction.positions, strict=True)):
        return extraction
    kept: list[Position] = []
    first: dict[tuple[str, str, str, int], int] = {}
    index_map: dict[int, int] = {}
    for index, group in enumerate(expanded):
        for n, position in enumerate(group):
            key = (position.holder, position.stance, position.target, position.evidence.begin)
            if key not in first:
                first[key] = len(kept)
                kept.append(position)
            if n == 0:
                index_map[index] = first[key]
    relinked = [p if p.evaluates is None else replace(p, evaluates=index_map[p.evaluates]) for p in kept]
    return replace(extraction, positions=tuple(relinked))


CLAUSE_AUX = {"aux", "auxpass", "neg"}


def outside_clause(extraction: Extraction, tokens: ParsedTokens) -> set[int]:
    """The cue positions whose target the parse puts outside the clause of the cue's verb: after a modal, any
    clause of another verb ("Our advisory board has concluded that the trial should take a year": "should" is
    not said of the board); after any cue, a coordinated clause with a subject of its own ("we reject tariffs,
    and we support free trade": free trade is not rejected)."""
    out = set()
    for index, position in enumerate(extraction.positions):
        if not position.rule_id.startswith(CUE_RULES) or position.evaluation is not None:
            continue
        cue = tokens.within(position.cue.begin, position.cue.end)
        if not cue:
            continue
        modal = cue[0].tag_ == "MD"
        verb = cue[0].head if modal and cue[0].dep_ in CLAUSE_AUX else cue[0]
        evidence = position.evidence
        spans = [m.span for m in extraction.text_mentions if m.entity_id == position.target
                 and evidence.begin <= m.span.begin < evidence.end]
        inside = [t for s in spans for t in tokens.within(s.begin, s.end) if t.doc is verb.doc]
        if not inside:
            continue
        clause = {t.i for t in verb.subtree}
        if (modal and not any(t.i in clause for t in inside)) or (modal and anothers_view(verb)) \
                or all(_other_clause(t, verb, POLARITY[position.stance] == "Oppose") for t in inside):
            out.add(index)
    return out


def _other_clause(token: Token, verb: Token, opposing: bool) -> bool:
    """Whether the token lies, below the verb, in a clause coordinated after the verb's with a subject of its own,
    or, for an opposing cue, in a relative clause: what that clause says of the verb's object is not what is
    opposed ("we reject any claim that is not grounded in law": the claim, not the law; but "measures that
    include export controls" are proposed with them)."""
    while token.head.i != token.i and token.i != verb.i:
        if (opposing and token.dep_ == "relcl") or (token.dep_ == "conj" and token.pos_ in {"VERB", "AUX"} and token.i > verb.i
                                     and any(c.dep_ in SUBJECTS for c in token.children)):
            return True
        token = token.head
    return False


SUBJECTS = {"nsubj", "nsubjpass", "expl"}


def modifier_holders(extraction: Extraction, tokens: ParsedTokens) -> set[int]:
    """The cue positions whose holder, as named nearest before the cue, the parse reads as a word qualifying
    another noun ("a permanent NATO presence, and they oppose …": NATO does not oppose)."""
    out = set()
    for index, position in enumerate(extraction.positions):
        if not position.rule_id.startswith(CUE_RULES):
            continue
        evidence = position.evidence
        before = [m for m in extraction.text_mentions if m.entity_id == position.holder
                  and evidence.begin <= m.span.begin and m.span.end <= position.cue.begin]
        if not before:
            continue
        if tokens.qualifies(before[-1].span.begin, before[-1].span.end, frozenset({"compound", "amod"})):
            out.add(index)
    return out


TIME_PREPOSITIONS = {"since", "after", "before", "until", "during"}


def time_references(extraction: Extraction, tokens: ParsedTokens) -> set[int]:
    """The cue positions whose target the parse reads as a point in time ("the worst nightmare since the Great
    Northern War": it dates the nightmare, it is not what is demanded)."""
    out = set()
    phrases: dict[int, _Phrases] = {}
    in_order = sorted(extraction.text_mentions, key=lambda m: m.span.begin)
    for index, position in enumerate(extraction.positions):
        if not position.rule_id.startswith(CUE_RULES) or position.evaluation is not None:
            continue
        sentence = position.evidence
        if sentence.begin not in phrases:
            phrases[sentence.begin] = _Phrases(extraction, tokens, sentence.begin, sentence.end, in_order)
        roots = [root for (entity, at), root in phrases[sentence.begin].roots.items()
                 if entity == position.target and at >= position.cue.end]
        if roots and all(r.dep_ == "pobj" and r.head.lower_ in TIME_PREPOSITIONS for r in roots):
            out.add(index)
    return out


def passive_demands(extraction: Extraction, tokens: ParsedTokens, rules: tuple[PredicateRule, ...]) -> Extraction:
    """The cue rules' demands on a thing that "must be" done to it, with the stance of the verb when the
    predicate lexicon knows it ("must be stopped": Opposes; "must be supported": Supports), or that "must" do
    what an intransitive verb of the lexicon says of it ("the violence must end": Opposes)."""
    lexicon = Lexicon.of(rules)
    positions: list[Position | None] = list(extraction.positions)
    changed = False
    for index, position in enumerate(extraction.positions):
        if not position.rule_id.startswith(CUE_RULES) or position.stance != "Demands" or position.negated:
            continue
        cue = tokens.within(position.cue.begin, position.cue.end)
        if not cue or cue[0].lower_ not in MODALS:
            continue
        verb = cue[0].head
        if verb.tag_ == "VBN" and _in_agent(extraction, position, verb, tokens):
            positions[index] = _on_subject(extraction, position, verb, tokens)
            changed = True
            continue
        known = [r for r in lexicon.rules_of(verb) if r.holder != "author"]
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if verb.tag_ == "VB" and not any(c.dep_ in OBJECTS for c in verb.children):  # "the violence must end"
            known = [r for r in known if verb.lemma_.lower() in r.intransitive]
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        elif verb.tag_ != "VBN":
            continue
        if not known or not subjects:
            continue
        subject = subjects[0]
        words = range(subject.left_edge.i, subject.right_edge.i + 1)
        spans = [m.span for m in extraction.mentions if m.entity_id == position.target
                 and position.evidence.begin <= m.span.begin < position.evidence.end]
        if any(t.i in words for s in spans for t in tokens.within(s.begin, s.end)):  # the target is what is to be done
            positions[index] = replace(position, stance=known[0].stance)
            changed = True
    return replace(extraction, positions=tuple(p for p in positions if p is not None)) if changed else extraction


def _target_tokens(extraction: Extraction, position: Position, tokens: ParsedTokens) -> set[int]:
    """The token indices of the target's mentions inside the position's evidence."""
    spans = [m.span for m in extraction.mentions if m.entity_id == position.target
             and position.evidence.begin <= m.span.begin < position.evidence.end]
    return {t.i for s in spans for t in tokens.within(s.begin, s.end)}


def _in_agent(extraction: Extraction, position: Position, verb: Token, tokens: ParsedTokens) -> bool:
    """Whether a demand's target is the agent of the passive verb after its modal ("an accord must be led by
    the people of Chad": the people are who is to lead, not what is demanded)."""
    agent = {t.i for c in verb.children if c.dep_ == "agent" for t in c.subtree}
    found = _target_tokens(extraction, position, tokens)
    return bool(found) and found <= agent


def _on_subject(extraction: Extraction, position: Position, verb: Token, tokens: ParsedTokens) -> Position | None:
    """The demand on the passive subject's entity instead ("an accord"), or none if no entity is named there."""
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    words = {t.i for s in subjects[:1] for t in s.subtree}
    named = [m for m in extraction.mentions if not m.nested and position.evidence.begin <= m.span.begin < position.evidence.end
             and words and {t.i for t in tokens.within(m.span.begin, m.span.end)} <= words]
    return replace(position, target=named[-1].entity_id) if named else None
