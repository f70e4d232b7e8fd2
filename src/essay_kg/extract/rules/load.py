"""Load the extractor's data files in `extract/` into the rules it uses.

Every file is JSON Lines: one rule or entity per line, blank lines and lines
starting with ``//`` ignored.  Each line is checked by its schema (`schema`);
a malformed line fails with ``file:line: what is wrong``.  This package is
the only reader of `extract/`; the code knows no essay, the data does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.extract.rules.discovery import DiscoveryRule, load_discovery
from essay_kg.extract.rules.gazetteer import base_gazetteer, load_entities, merge_gazetteers
from essay_kg.extract.rules.jsonl import present, read_lines
from essay_kg.extract.rules.predicates import HeadRule, NerRule, PredicateRule, load_heads, load_ner, load_predicates
from essay_kg.extract.rules.schema import CorefLine, ParatextLine, RelationLine, StanceLine, TimeLine
from essay_kg.extract.rules.wikidata import load_links
from essay_kg.model import Entity, ParatextRule, WikidataLink
from essay_kg.namespace import EKG
from essay_kg.shipped import data_dir


@dataclass(frozen=True)
class CorefRule:
    """First-person forms in the author's voice and whom they resolve to."""

    id: str
    forms: tuple[str, ...]
    resolves_to: str  # "author", "author-state", "previous-actor" or "previous-topic"
    sentence_initial: bool = False  # only as the first word of a sentence ("Both are …", not "both countries")
    otherwise: str | None = None  # whom the forms resolve to when `resolves_to` names nobody (no state known)
    antecedents: tuple[str, ...] = ()  # the types a previous-actor or previous-topic may be (empty: the default ones)


@dataclass(frozen=True)
class RelationRule:
    """A relation rule: token pattern, cue word, or co-occurrence in a sentence."""

    id: str
    kind: str
    triples: tuple[tuple[str, str, str], ...]
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    cues: tuple[str, ...] = ()
    subject_types: tuple[str, ...] = ()
    object_types: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimeRule:
    """A time-expression pattern and the resolver that gives its value."""

    id: str
    kind: str
    regex: re.Pattern[str]
    dates_events: bool = True
    numbers: dict[str, int] = field(default_factory=dict)
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    attach: str = "events"  # "events" of the sentence, or the "adjacent" entity


@dataclass(frozen=True)
class StanceRule:
    """A stance cue (or an evaluation cue for reported views) and how to read it."""

    id: str
    kind: str  # "stance" or "evaluation"
    regex: re.Pattern[str]
    stance: str
    speech_act: str = "assertion"
    holder: str = "subject"  # "subject": nearest actor before the cue; "author"
    fallback_author: bool = False
    target_types: tuple[str, ...] = ()
    negated_stance: str | None = None
    verdict: str | None = None  # for evaluations: agrees, disagrees, neutral
    target_side: str = "after"  # the target follows the cue, or ("before") precedes it
    target_pronouns: bool = False  # "wants to dismiss me": a pronoun can be the target
    cues: tuple[str, ...] = ()  # the words of a "lead-in" or "counter" rule


@dataclass(frozen=True)
class RuleSet:
    """All data the extractor needs, with the folder it came from."""

    folder: Path
    entities: tuple[Entity, ...]
    paratext: tuple[ParatextRule, ...]
    coreference: tuple[CorefRule, ...]
    relations: tuple[RelationRule, ...]
    time: tuple[TimeRule, ...] = ()
    stances: tuple[StanceRule, ...] = ()
    links: tuple[WikidataLink, ...] = ()  # see essay_kg.extract.rules.wikidata
    discovery: tuple[DiscoveryRule, ...] = ()  # how names no gazetteer knows are found
    predicates: tuple[PredicateRule, ...] = ()  # stance predicates of the parse, by lemma
    heads: tuple[HeadRule, ...] = ()  # head words that type described entities
    ner: tuple[NerRule, ...] = ()  # named-entity labels that type the names discovery could only guess

    def entity(self, entity_id: str) -> Entity:
        return self._by_id()[entity_id]

    def _by_id(self) -> dict[str, Entity]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {e.id: e for e in self.entities}
            object.__setattr__(self, "_cache", cache)
        return cache


def load_paratext(path: Path) -> tuple[ParatextRule, ...]:
    """Read the paratext patterns: regular expressions with named fields."""
    return tuple(
        ParatextRule(id=p.id, kind=p.kind, regex=p.regex, produces=p.produces, scope=p.scope, starts_trailer=p.starts_trailer,
                     annotate=p.annotates, repeats=p.repeats, max_length=p.max_length)
        for _, p in read_lines(path, ParatextLine)
    )


def load_coreference(path: Path) -> tuple[CorefRule, ...]:
    """Read the first-person coreference rules."""
    return tuple(CorefRule(c.id, tuple(f.lower() for f in c.forms), c.resolves_to, c.sentence_initial, c.otherwise,
                           tuple(c.antecedents))
                 for _, c in read_lines(path, CorefLine))


def load_relations(path: Path, entity_ids: set[str], predicates: set[str]) -> tuple[RelationRule, ...]:
    """Read relation rules and check their predicates, entity ids and slots."""
    return tuple(
        RelationRule(id=r.id, kind=r.kind, triples=tuple((s, p, o) for s, p, o in r.triples),
                     patterns=tuple(tuple(p) for p in r.patterns), cues=tuple(c.lower() for c in r.cues),
                     subject_types=tuple(r.subject), object_types=tuple(r.object), requires=tuple(r.requires))
        for _, r in read_lines(path, RelationLine, {"entities": entity_ids, "predicates": predicates})
    )


def load_time(path: Path) -> tuple[TimeRule, ...]:
    """Read the time-expression patterns."""
    return tuple(
        TimeRule(t.id, t.kind, t.regex, t.dates_events, {k.lower(): v for k, v in t.numbers.items()},
                 {k.lower(): (v[0], v[1]) for k, v in t.parts.items()}, t.attach)
        for _, t in read_lines(path, TimeLine)
    )


def load_stances(path: Path) -> tuple[StanceRule, ...]:
    """Read the stance and evaluation cues."""
    return tuple(_stance(s) for _, s in read_lines(path, StanceLine))


def _stance(line: StanceLine) -> StanceRule:
    pattern = r"\b(?:" + "|".join(re.escape(c).replace("\\ ", r"\s+") for c in line.cues) + r")\b"
    return StanceRule(
        id=line.id, kind=line.kind, regex=re.compile(pattern, re.IGNORECASE), stance=line.stance,
        speech_act=line.speech_act, holder=line.holder, fallback_author=line.fallback_author,
        target_types=tuple(line.target), negated_stance=line.negated_stance, verdict=line.verdict,
        target_side=line.target_side, target_pronouns=line.target_pronouns,
        cues=tuple(c.lower() for c in line.cues) if line.kind in {"lead-in", "counter"} else (),
    )


def load_rules(folder: Path | None = None) -> RuleSet:
    """Load every data file of the extractor from `folder` (default: shipped `extract/`)."""
    folder = folder or data_dir("extract")
    if not folder.is_dir():
        raise BadInput(f"{folder}: not a rules folder", "pass a folder holding entities.jsonl and relations.jsonl")
    entities = merge_gazetteers(load_entities(folder / "entities.jsonl"), base_gazetteer(folder))
    predicates = {name for name in EKG.__annotations__ if name[0].islower()}
    return RuleSet(
        folder=folder,
        entities=entities,
        paratext=load_paratext(folder / "paratext.jsonl"),
        coreference=load_coreference(folder / "coreference.jsonl"),
        relations=load_relations(folder / "relations.jsonl", {e.id for e in entities}, predicates),
        time=load_time(folder / "time.jsonl"),
        stances=load_stances(folder / "stances.jsonl"),
        links=load_links(folder / "wikidata.jsonl", {e.id for e in entities}),
        discovery=load_discovery(_own_or_shipped(folder, "discovery.jsonl")),
        predicates=load_predicates(_own_or_shipped(folder, "predicates.jsonl")),
        heads=load_heads(_own_or_shipped(folder, "described.jsonl")),
        ner=load_ner(_own_or_shipped(folder, "ner.jsonl")),
    )


def _own_or_shipped(folder: Path, name: str) -> Path:
    """A rules folder's own file, else the shipped one (a folder written before the file existed)."""
    own = folder / name
    return own if present(own) else data_dir("extract") / name

