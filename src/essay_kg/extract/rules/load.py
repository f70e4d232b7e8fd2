"""Load and validate the extractor's data files in `extract/`.

Every file is JSON Lines: one rule or entity per line, blank lines and lines
starting with ``//`` ignored.  A malformed line fails with ``file:line: what
is wrong``.  This module (with `linkdata` for the Wikidata review files) is
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
from essay_kg.extract.rules.jsonl import bad_line, check_keys, field_of, read_jsonl, string_list
from essay_kg.extract.rules.predicates import HeadRule, PredicateRule, load_heads, load_predicates
from essay_kg.extract.rules.wikidata import load_links
from essay_kg.model import ENTITY_TYPES, Entity, ParatextRule, WikidataLink
from essay_kg.namespace import EKG
from essay_kg.shipped import data_dir
from essay_kg.vocabulary import SPEECH_ACTS, STANCES

FIELD_ROLES = {
    "author", "role", "translator", "number", "title", "venue", "date", "page",
}
PARATEXT_PRODUCES = {"byline", "translator", "citation", "footnote-marker", None}
RELATION_KINDS = {"pattern", "cue", "cooccur"}


@dataclass(frozen=True)
class CorefRule:
    """First-person forms in the author's voice and whom they resolve to."""

    id: str
    forms: tuple[str, ...]
    resolves_to: str  # "author", "author-state", "previous-actor" or "previous-topic"
    sentence_initial: bool = False  # only as the first word of a sentence ("Both are …", not "both countries")


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


STANCE_KINDS = {"stance", "evaluation", "ignore", "lead-in", "counter"}
WORD_KINDS = {"ignore", "lead-in", "counter"}  # kinds that need no stance
TIME_KINDS = {"after-event", "before-event", "year", "next-century", "date", "month", "last-month", "recent-month",
              "years-ago", "decade", "century", "century-part", "present"}
TIME_FIELDS = {"month", "day", "year", "number", "part", "ordinal"}


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

    def entity(self, entity_id: str) -> Entity:
        return self._by_id()[entity_id]

    def _by_id(self) -> dict[str, Entity]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {e.id: e for e in self.entities}
            object.__setattr__(self, "_cache", cache)
        return cache


def _regex(row: dict[str, Any], path: Path, line: int, fields: set[str], flags: int = 0) -> re.Pattern[str]:
    """The line's "regex", compiled, whose named groups must all be known fields."""
    try:
        regex = re.compile(field_of(row, "regex", str, path, line), flags)
    except re.error as err:
        raise bad_line(path, line, f"bad regex ({err})") from None
    unknown = sorted(set(regex.groupindex) - fields)
    if unknown:
        raise bad_line(path, line, f"unknown field '{unknown[0]}' (fields: {', '.join(sorted(fields))})")
    return regex


def load_paratext(path: Path) -> tuple[ParatextRule, ...]:
    """Read the paratext patterns: regular expressions with named fields."""
    rules = []
    allowed = {"id", "kind", "regex", "produces", "scope", "starts_trailer", "annotate", "note", "repeats", "max_length"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        repeats = field_of(row, "repeats", int, path, line, 0)
        if repeats and "regex" not in row:
            row = {**row, "regex": ".+"}
        regex = _regex(row, path, line, FIELD_ROLES, re.MULTILINE)
        produces = field_of(row, "produces", (str, type(None)), path, line, None)
        if produces not in PARATEXT_PRODUCES:
            raise bad_line(path, line, "'produces' must be one of byline, translator, citation, footnote-marker or null")
        scope = field_of(row, "scope", str, path, line, "line")
        if scope not in {"line", "inline"}:
            raise bad_line(path, line, "'scope' must be 'line' or 'inline'")
        rules.append(ParatextRule(
            id=field_of(row, "id", str, path, line), kind=field_of(row, "kind", str, path, line),
            regex=regex, produces=produces, scope=scope,
            starts_trailer=field_of(row, "starts_trailer", bool, path, line, False),
            annotate=field_of(row, "annotate", bool, path, line, produces is not None),
            repeats=repeats, max_length=field_of(row, "max_length", int, path, line, 120),
        ))
    return tuple(rules)


def load_coreference(path: Path) -> tuple[CorefRule, ...]:
    """Read the first-person coreference rules."""
    rules = []
    for line, row in read_jsonl(path):
        check_keys(row, {"id", "forms", "resolves_to", "sentence_initial", "note"}, path, line)
        target = field_of(row, "resolves_to", str, path, line)
        if target not in {"author", "author-state", "previous-actor", "previous-topic"}:
            raise bad_line(path, line, "'resolves_to' must be author, author-state, previous-actor or previous-topic")
        forms = string_list(row, "forms", path, line)
        rules.append(CorefRule(field_of(row, "id", str, path, line), tuple(f.lower() for f in forms), target,
                               field_of(row, "sentence_initial", bool, path, line, False)))
    return tuple(rules)


def load_relations(path: Path, entity_ids: set[str], predicates: set[str]) -> tuple[RelationRule, ...]:
    """Read relation rules and check their predicates, entity ids and slots."""
    rules = []
    allowed = {"id", "kind", "patterns", "cues", "subject", "object", "requires", "triples", "note"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        kind = field_of(row, "kind", str, path, line)
        if kind not in RELATION_KINDS:
            raise bad_line(path, line, f"unknown kind '{kind}' (pattern, cue or cooccur)")
        triples = []
        for triple in field_of(row, "triples", list, path, line):
            if not (isinstance(triple, list) and len(triple) == 3 and all(isinstance(t, str) for t in triple)):
                raise bad_line(path, line, "each triple must be [subject, predicate, object]")
            subject, predicate, obj = triple
            if predicate not in predicates:
                raise bad_line(path, line, f"unknown predicate '{predicate}' (not an ekg: property)")
            for term in (subject, obj):
                if term.startswith("$"):
                    if kind == "cooccur" or (kind == "cue" and term not in {"$subject", "$object"}):
                        raise bad_line(path, line, f"slot '{term}' is not available in a {kind} rule")
                elif term not in entity_ids:
                    raise bad_line(path, line, f"unknown entity id '{term}'")
            triples.append((subject, predicate, obj))
        patterns = tuple(tuple(p) for p in field_of(row, "patterns", list, path, line, []))
        if kind == "pattern":
            if not patterns or not all(isinstance(p, tuple) and p and all(isinstance(t, dict) for t in p) for p in patterns):
                raise bad_line(path, line, "'patterns' must be a non-empty list of token patterns")
            for subject, _, obj in triples:
                for term in (subject, obj):
                    if term.startswith("$") and not (term[1:].isdigit() and all(int(term[1:]) < len(p) for p in patterns)):
                        raise bad_line(path, line, f"slot '{term}' does not name a token of every pattern")
        requires = string_list(row, "requires", path, line)
        for entity_id in requires:
            if entity_id not in entity_ids:
                raise bad_line(path, line, f"unknown entity id '{entity_id}' in 'requires'")
        if kind == "cooccur" and not requires:
            raise bad_line(path, line, "a cooccur rule needs 'requires' (entity ids)")
        cues = string_list(row, "cues", path, line)
        if kind == "cue" and not cues:
            raise bad_line(path, line, "a cue rule needs 'cues' (lower-case words)")
        subject_types = _type_list(row, "subject", path, line)
        object_types = _type_list(row, "object", path, line)
        rules.append(RelationRule(
            id=field_of(row, "id", str, path, line), kind=kind, triples=tuple(triples),
            patterns=patterns, cues=tuple(c.lower() for c in cues),
            subject_types=subject_types, object_types=object_types, requires=requires,
        ))
    return tuple(rules)


def _type_list(row: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    values = string_list(row, key, path, line) if isinstance(row.get(key), list) else (
        (row[key],) if isinstance(row.get(key), str) else ())
    for value in values:
        if value not in ENTITY_TYPES:
            raise bad_line(path, line, f"unknown type '{value}' in '{key}'")
    return values


def load_time(path: Path) -> tuple[TimeRule, ...]:
    """Read the time-expression patterns."""
    rules = []
    allowed = {"id", "kind", "regex", "dates_events", "numbers", "parts", "attach", "note"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        kind = field_of(row, "kind", str, path, line)
        if kind not in TIME_KINDS:
            raise bad_line(path, line, f"unknown kind '{kind}' (one of {', '.join(sorted(TIME_KINDS))})")
        regex = _regex(row, path, line, TIME_FIELDS)
        numbers = field_of(row, "numbers", dict, path, line, {})
        parts = field_of(row, "parts", dict, path, line, {})
        if kind == "years-ago" and not all(isinstance(v, int) for v in numbers.values()):
            raise bad_line(path, line, "'numbers' must map words to integers")
        if kind == "century-part" and not all(isinstance(v, list) and len(v) == 2 for v in parts.values()):
            raise bad_line(path, line, "'parts' must map early/mid/late to [first, last] years of the century")
        attach = field_of(row, "attach", str, path, line, "events")
        if attach not in {"events", "adjacent", "sentence"}:
            raise bad_line(path, line, "'attach' must be 'events', 'adjacent' or 'sentence'")
        rules.append(TimeRule(field_of(row, "id", str, path, line), kind, regex,
                              field_of(row, "dates_events", bool, path, line, True),
                              {k.lower(): v for k, v in numbers.items()},
                              {k.lower(): (v[0], v[1]) for k, v in parts.items()}, attach))
    return tuple(rules)


def load_stances(path: Path) -> tuple[StanceRule, ...]:
    """Read the stance and evaluation cues."""
    rules = []
    allowed = {"id", "kind", "cues", "stance", "speech_act", "holder", "fallback_author", "target", "negated_stance",
               "verdict", "target_side", "target_pronouns", "note"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        kind = field_of(row, "kind", str, path, line, "stance")
        if kind not in STANCE_KINDS:
            raise bad_line(path, line, f"'kind' must be one of {', '.join(sorted(STANCE_KINDS))}")
        cues = string_list(row, "cues", path, line)
        if not cues:
            raise bad_line(path, line, "'cues' must list at least one cue")
        stance = field_of(row, "stance", str, path, line, *(("Supports",) if kind in WORD_KINDS else ()))
        negated = field_of(row, "negated_stance", (str, type(None)), path, line, None)
        for value in (stance, negated):
            if value is not None and value not in STANCES:
                raise bad_line(path, line, f"unknown stance '{value}' (one of {', '.join(sorted(STANCES))})")
        act = field_of(row, "speech_act", str, path, line, "assertion")
        if act not in SPEECH_ACTS:
            raise bad_line(path, line, f"unknown speech act '{act}' (one of {', '.join(sorted(SPEECH_ACTS))})")
        holder = field_of(row, "holder", str, path, line, "subject")
        if holder not in {"subject", "author", "own-side", "container"}:
            raise bad_line(path, line, "'holder' must be 'subject', 'author', 'own-side' or 'container'")
        verdict = field_of(row, "verdict", (str, type(None)), path, line, None)
        if kind == "evaluation" and verdict not in {"agrees", "disagrees", "neutral"}:
            raise bad_line(path, line, "an evaluation needs 'verdict': agrees, disagrees or neutral")
        pattern = r"\b(?:" + "|".join(re.escape(c).replace("\\ ", r"\s+") for c in cues) + r")\b"
        rules.append(StanceRule(
            id=field_of(row, "id", str, path, line), kind=kind, regex=re.compile(pattern, re.IGNORECASE), stance=stance,
            speech_act=act, holder=holder, fallback_author=field_of(row, "fallback_author", bool, path, line, False),
            target_types=_type_list(row, "target", path, line), negated_stance=negated, verdict=verdict,
            target_side=_target_side(row, path, line),
            target_pronouns=field_of(row, "target_pronouns", bool, path, line, False),
            cues=tuple(c.lower() for c in cues) if kind in {"lead-in", "counter"} else (),
        ))
    return tuple(rules)


def _target_side(row: dict[str, Any], path: Path, line: int) -> str:
    side = field_of(row, "target_side", str, path, line, "after")
    if side not in {"after", "before"}:
        raise bad_line(path, line, "'target_side' must be 'after' or 'before'")
    return side


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
    )


def _own_or_shipped(folder: Path, name: str) -> Path:
    """A rules folder's own file, else the shipped one (a folder written before the file existed)."""
    own = folder / name
    return own if own.is_file() else data_dir("extract") / name

