"""The cue rules' finds read again with the parse: fragment topics and coordinated pairs dropped, topics typed.

The cue rules name a target they do not know by the words after the cue ("we must do what we
can" → "what we can"; "anyone … should know this" → "know this").  When the text is parsed, a
topic whose every phrase from the cue rules starts with a verb form that is not a gerund, a
pronoun, an adverb, a preposition or a subordinating word is a fragment: it is removed with the
positions that name it (and the evaluations of those positions).  A topic whose phrase has a head
word of `extract/described.jsonl` ("a naval blockade": an Operation) takes that type,
as a phrase the parse found would.  A cue position whose holder and target are conjuncts of one
phrase ("X and Y welcomed the plan" read as *Y endorses X*) is dropped: they act together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from essay_kg.extract.cue_phrases import modifier_holders, outside_clause, read_cue_targets, time_references
from essay_kg.extract.described import head_rule
from essay_kg.extract.rules.predicates import HeadRule
from essay_kg.extract.token_index import ParsedTokens
from essay_kg.model import Extraction, Mention, Span, slug

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from essay_kg.model import Block

FRAGMENT_TAGS = {"VB", "VBP", "VBZ", "VBD", "MD", "WP", "WP$", "WDT", "WRB", "PRP", "EX", "TO"}
FRAGMENT_POS = {"ADV", "SCONJ", "AUX", "PRON", "PART", "ADP"}
CUE_RULES = "stances.jsonl#"


def _fragment(token: Token) -> bool:
    return token.tag_ in FRAGMENT_TAGS or token.pos_ in FRAGMENT_POS


def read_cue_topics(extraction: Extraction, syntax: list[tuple[Block, Doc]], heads: tuple[HeadRule, ...]) -> Extraction:
    """The extraction without the cue rules' fragment topics, and with their other topics typed by head word."""
    tokens = ParsedTokens(syntax)  # indexed once for the three readings
    extraction = _without_fragment_topics(extraction, tokens, heads)
    extraction = _without(extraction, _coordinated(extraction, tokens))
    extraction = read_cue_targets(extraction, tokens)
    extraction = _without(extraction, outside_clause(extraction, tokens) | time_references(extraction, tokens)
                          | modifier_holders(extraction, tokens) | _of_people(extraction, tokens, heads)
                          | _qualifying_demonyms(extraction, tokens))
    return _typed_by_head(extraction, tokens, heads)


def _coordinated(extraction: Extraction, tokens: ParsedTokens) -> set[int]:
    """The cue positions whose holder and target are conjuncts in the parse of their sentence."""
    spans: dict[str, list[Span]] = {}
    for mention in extraction.mentions:
        spans.setdefault(mention.entity_id, []).append(mention.span)

    def heads_of(entity_id: str, begin: int, end: int) -> list[Token]:
        return [t for s in spans.get(entity_id, []) if begin <= s.begin < end for t in tokens.within(s.begin, s.end)]

    out = set()
    for index, position in enumerate(extraction.positions):
        if not position.rule_id.startswith(CUE_RULES):
            continue
        evidence = position.evidence
        targets = {t.i for t in heads_of(position.target, evidence.begin, evidence.end)}
        holders = [t for t in heads_of(position.holder, evidence.begin, evidence.end) if t.i not in targets]
        if any(c.i in targets for h in holders for c in h.conjuncts):  # not a name inside the target's phrase
            out.add(index)
    return out


def _first_targets(extraction: Extraction) -> Iterator[tuple[int, Mention]]:
    """Each cue position (by index) with the first mention of its target after its cue, in its evidence."""
    for index, position in enumerate(extraction.positions):
        if not position.rule_id.startswith(CUE_RULES) or position.evaluation is not None:
            continue
        mention = next((m for m in extraction.text_mentions if m.entity_id == position.target
                        and position.cue.end <= m.span.begin < position.evidence.end), None)
        if mention is not None:
            yield index, mention


def _token_keys(mentions: Iterable[Mention], tokens: ParsedTokens) -> set[tuple[int, int]]:
    """The tokens of these mentions, as (doc, index) pairs: every parsed block has its own doc."""
    return {(id(t.doc), t.i) for m in mentions for t in tokens.within(m.span.begin, m.span.end)}


def _of_people(extraction: Extraction, tokens: ParsedTokens, heads: tuple[HeadRule, ...]) -> set[int]:
    """The cue positions whose target is only named after the "of" of people it befalls, whom the cue is about
    (`described.jsonl`: a group that is no actor): "we grieve for the victims of famine" is for the victims,
    not the famine ("the victims of the fighting in Chad": nor for Chad); "we thank the members of the Assembly" thanks
    the Assembly."""
    named = _token_keys(extraction.text_mentions, tokens)
    out = set()
    for index, mention in _first_targets(extraction):
        inside = tokens.within(mention.span.begin, mention.span.end)
        roots = [t for t in inside if t.head.i == t.i or t.head not in inside]
        if len(roots) != 1:
            continue
        for owner in roots[0].ancestors:  # "the victims of the fighting in Chad": up to the noun the cue governs
            if owner.pos_ not in {"NOUN", "ADP"} or (id(owner.doc), owner.i) in named:
                break
            rule = head_rule(owner, heads) if owner.pos_ == "NOUN" else None
            if rule is not None and not rule.actor and rule.type == "Group":
                out.add(index)
                break
    return out


def _qualifying_demonyms(extraction: Extraction, tokens: ParsedTokens) -> set[int]:
    """The cue positions whose target is a demonym that only qualifies a common noun ("we call on Mali to withdraw
    from Chadian territory": the territory, not Chad)."""
    named = _token_keys((m for m in extraction.text_mentions if m.resolution != "demonym"), tokens)
    out = set()
    for index, mention in _first_targets(extraction):
        inside = tokens.within(mention.span.begin, mention.span.end) if mention.resolution == "demonym" else []
        noun = inside[-1].head if inside else None
        if noun is not None and inside[-1].dep_ in {"amod", "compound"} and noun.pos_ == "NOUN" \
                and (id(noun.doc), noun.i) not in named:
            out.add(index)
    return out


def _without(extraction: Extraction, out: set[int]) -> Extraction:
    """The extraction without the positions at `out`, and without the evaluations of those."""
    positions = extraction.positions
    out = set(out)
    while True:  # an evaluation of a dropped position goes with it
        more = {i for i, p in enumerate(positions) if p.evaluates in out and i not in out}
        if not more:
            break
        out |= more
    if not out:
        return extraction
    new_index = {old: new for new, old in enumerate(i for i in range(len(positions)) if i not in out)}
    kept = [p if p.evaluates is None else replace(p, evaluates=new_index[p.evaluates])
            for i, p in enumerate(positions) if i not in out]
    return replace(extraction, positions=tuple(kept))


def _typed_by_head(extraction: Extraction, tokens: ParsedTokens, heads: tuple[HeadRule, ...]) -> Extraction:
    renamed: dict[str, str] = {}
    entities = dict(extraction.entities)
    for mention in extraction.mentions:
        entity = entities.get(mention.entity_id)
        if entity is None or entity.type != "Topic" or not mention.entity_id.startswith("topic-") \
                or not mention.rule_id.startswith(CUE_RULES) or mention.entity_id in renamed:
            continue
        span = mention.span
        inside = tokens.within(span.begin, span.end)
        indices = {t.i for t in inside}  # the tokens of one mention lie in one parsed block
        roots = [t for t in inside if t.head.i == t.i or t.head.i not in indices]
        whole = len(roots) == 1 and roots[0].pos_ in {"NOUN", "PROPN"}  # one noun phrase, not a cut clause
        rule = head_rule(roots[0], heads) if whole else None
        if rule is None or rule.ignore or rule.type == "Topic":
            continue
        new_id = slug(entity.label)
        if new_id in entities and entities[new_id].type != rule.type:
            new_id = f"{new_id}-{rule.type.lower()}"
        if new_id not in entities:
            entities[new_id] = replace(entity, id=new_id, type=rule.type, source="described.jsonl", discovered=True,
                                       confidence=0.5, rule_id=f"described.jsonl#{rule.id}")
        renamed[mention.entity_id] = new_id
    if not renamed:
        return extraction
    positions = tuple(replace(p, holder=renamed.get(p.holder, p.holder), target=renamed.get(p.target, p.target))
                      for p in extraction.positions)
    mentions = tuple(replace(m, entity_id=renamed[m.entity_id]) if m.entity_id in renamed else m
                     for m in extraction.mentions)
    return replace(extraction, positions=positions, mentions=mentions,
                   entities={k: v for k, v in entities.items() if k not in renamed})


def _vague(span: Span, tokens: ParsedTokens, heads: tuple[HeadRule, ...]) -> bool:
    """Whether a phrase is one noun phrase whose head is a vague word of `extract/described.jsonl` ("an essential part
    of the cure", "a quarter of a million men"): it names no topic of its own."""
    inside = tokens.within(span.begin, span.end)
    indices = {t.i for t in inside}
    roots = [t for t in inside if t.head.i == t.i or t.head.i not in indices]
    rule = head_rule(roots[0], heads) if len(roots) == 1 and roots[0].pos_ == "NOUN" else None
    return rule is not None and rule.ignore


def _to_named_inside(extraction: Extraction, vague: set[str]) -> Extraction:
    """The positions on a vague topic that holds a name ("a place in the alliance") on that name instead."""
    spans = {m.entity_id: m.span for m in extraction.mentions if m.entity_id in vague}
    named = [m for m in extraction.text_mentions if not m.nested and not m.entity_id.startswith("topic-")
             and m.resolution not in {"pronoun", "anaphor"}]
    positions = []
    for position in extraction.positions:
        span = spans.get(position.target)
        inside = [m for m in named if span is not None and span.begin < m.span.begin and m.span.end <= span.end
                  and m.entity_id != position.holder]
        positions.append(replace(position, target=inside[0].entity_id) if position.target in vague and inside else position)
    return replace(extraction, positions=tuple(positions))


def _without_fragment_topics(extraction: Extraction, tokens: ParsedTokens, heads: tuple[HeadRule, ...]) -> Extraction:
    """The extraction without the cue rules' topics that are clause fragments or vague words, and their positions."""
    verdicts: dict[str, list[bool]] = {}
    for mention in extraction.mentions:
        entity = extraction.entities.get(mention.entity_id)
        if entity is None or entity.type != "Topic" or not mention.rule_id.startswith(CUE_RULES) \
                or not mention.entity_id.startswith("topic-"):
            continue
        token = tokens.at(mention.span.begin)
        words = tokens.within(mention.span.begin, mention.span.end)
        lone_adjective = token is not None and token.pos_ == "ADJ" and len(words) == 1
        verdicts.setdefault(mention.entity_id, []).append(token is not None and (
            _fragment(token) or lone_adjective or _vague(mention.span, tokens, heads)))  # "make clear": no topic
    dropped = {topic for topic, fragments in verdicts.items() if all(fragments)}
    if not dropped:
        return extraction
    extraction = _to_named_inside(extraction, dropped)
    kept = _without(extraction, {i for i, p in enumerate(extraction.positions) if p.target in dropped})
    named = {p.target for p in kept.positions} | {p.holder for p in kept.positions}
    gone = {t for t in dropped if t not in named}
    return replace(kept, entities={k: v for k, v in kept.entities.items() if k not in gone},
                   mentions=tuple(m for m in kept.mentions if m.entity_id not in gone))
