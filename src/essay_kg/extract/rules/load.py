"""Load and validate the extractor's data files in `extract/`.

Every file is JSON Lines: one rule or entity per line, blank lines and lines
starting with ``//`` ignored.  A malformed line fails with ``file:line: what
is wrong``.  This module (with `linkdata` for the Wikidata review files) is
the only reader of `extract/`; the code knows no essay, the data does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from essay_kg.errors import BadInput
from essay_kg.shipped import data_dir
from essay_kg.model import ENTITY_TYPES, Entity

if TYPE_CHECKING:
    from essay_kg.extract.rules.wikidata import WikidataLink

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_ROLES = {
    "author", "role", "translator", "number", "title", "venue", "date", "page",
}
PARATEXT_PRODUCES = {"byline", "translator", "citation", "footnote-marker", None}
RELATION_KINDS = {"pattern", "cue", "cooccur"}


@dataclass(frozen=True)
class ParatextRule:
    """A pattern that marks text outside the body (footnote, byline, paywall…)."""

    id: str
    kind: str
    regex: re.Pattern[str]
    produces: str | None
    scope: str  # "line" (a whole line) or "inline" (inside body paragraphs)
    starts_trailer: bool
    annotate: bool
    repeats: int = 0  # with repeats N: a short line (up to max_length) that recurs N times, digits aside
    max_length: int = 0


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
STANCES = {"Supports", "Endorses", "Proposes", "Demands", "Expects", "WarnsAgainst", "Criticises", "Rejects",
           "Opposes", "Regrets", "Doubts"}
SPEECH_ACTS = {"assertion", "proposal", "expectation", "warning", "conditional", "rhetorical-question", "concession"}
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
    discovery: tuple = ()  # discovery.DiscoveryRule: how names no gazetteer knows are found

    def entity(self, entity_id: str) -> Entity:
        return self._by_id()[entity_id]

    def _by_id(self) -> dict[str, Entity]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {e.id: e for e in self.entities}
            object.__setattr__(self, "_cache", cache)
        return cache


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Parse a JSONL file into (line number, object) pairs, failing with file:line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: rules file not found", "restore it from the repository or pass --rules DIR") from None
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 ({err.reason})", "save the rules file as UTF-8") from None
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            raise _bad(path, number, f"invalid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(value, dict):
            raise _bad(path, number, "expected a JSON object")
        rows.append((number, value))
    return rows


def _bad(path: Path, line: int, what: str) -> BadInput:
    return BadInput(f"{path.name}:{line}: {what}", f"fix line {line} of {path}")


def _get(row: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path, line: int,
         default: Any = ..., ) -> Any:
    if key not in row:
        if default is ...:
            raise _bad(path, line, f"missing key '{key}'")
        return default
    value = row[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise _bad(path, line, f"'{key}' must be {names}, not {type(value).__name__}")
    return value


def _strings(row: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    values = _get(row, key, list, path, line, [])
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise _bad(path, line, f"'{key}' must be a list of non-empty strings")
    return tuple(values)


def _check_keys(row: dict[str, Any], allowed: set[str], path: Path, line: int) -> None:
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise _bad(path, line, f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")


def load_entities(path: Path, source: str = "entities.jsonl") -> tuple[Entity, ...]:
    """Read a gazetteer file: one entity per line with id, type, label, aliases."""
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    allowed = {"id", "type", "label", "aliases", "aliases_ci", "demonyms", "note", "start", "end", "min_mentions"}
    for line, row in read_jsonl(path):
        _check_keys(row, allowed, path, line)
        entity_id = _get(row, "id", str, path, line)
        if not SLUG.match(entity_id):
            raise _bad(path, line, f"id '{entity_id}' is not a lowercase slug like 'united-states'")
        if entity_id in seen:
            raise _bad(path, line, f"duplicate id '{entity_id}' (first on line {seen[entity_id]})")
        seen[entity_id] = line
        type_name = _get(row, "type", str, path, line)
        if type_name not in ENTITY_TYPES or type_name == "Actor":
            raise _bad(path, line, f"unknown type '{type_name}' (one of: {', '.join(sorted(ENTITY_TYPES))})")
        label = _get(row, "label", str, path, line)
        if not label.strip():
            raise _bad(path, line, "'label' is empty")
        entities.append(Entity(
            id=entity_id, type=type_name, label=label,
            aliases=_strings(row, "aliases", path, line),
            aliases_ci=_strings(row, "aliases_ci", path, line),
            demonyms=_strings(row, "demonyms", path, line),
            note=_get(row, "note", str, path, line, ""), line=line,
            start=_iso(row, "start", path, line), end=_iso(row, "end", path, line), source=source,
            min_mentions=_get(row, "min_mentions", int, path, line, 1),
        ))
    return tuple(entities)


BASE = "gazetteer"  # the base gazetteer: a sub-folder of the rules folder, else the shipped one


def base_gazetteer(folder: Path) -> tuple[Entity, ...]:
    """The general gazetteer (states, capitals, historical states, organisations) of `folder`, or the shipped one."""
    base = folder / BASE
    if not base.is_dir():
        base = data_dir("extract") / BASE
    if not base.is_dir():
        return ()
    found: list[Entity] = []
    for path in sorted(base.glob("*.jsonl")):
        found += load_entities(path, f"{BASE}/{path.name}")
    return tuple(found)


def _forms(entity: Entity) -> set[str]:
    return {entity.label, *entity.aliases, *entity.demonyms} | {f.casefold() for f in entity.aliases_ci}


def merge_gazetteers(specific: tuple[Entity, ...], base: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """The text's own gazetteer, then every base entry that neither shares an id nor a name with it.

    The specific file wins: a base entry it already covers (by id, or by any name under
    another id, as "NATO" for a base "nato" and a specific "atlantic-alliance") is left out,
    so that a name never points at two entities.
    """
    ids = {e.id for e in specific}
    names: set[str] = set()
    for entity in specific:
        names |= _forms(entity)
    merged = list(specific)
    for entity in base:
        if entity.id in ids or _forms(entity) & names:
            continue
        ids.add(entity.id)
        names |= _forms(entity)
        merged.append(entity)
    return tuple(merged)


def _iso(row: dict[str, Any], key: str, path: Path, line: int) -> str | None:
    value = _get(row, key, (str, type(None)), path, line, None)
    if value is not None and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
        raise _bad(path, line, f"'{key}' must be an ISO date YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _regex(row: dict[str, Any], path: Path, line: int, fields: set[str], flags: int = 0) -> re.Pattern[str]:
    """The line's "regex", compiled, whose named groups must all be known fields."""
    try:
        regex = re.compile(_get(row, "regex", str, path, line), flags)
    except re.error as err:
        raise _bad(path, line, f"bad regex ({err})") from None
    unknown = sorted(set(regex.groupindex) - fields)
    if unknown:
        raise _bad(path, line, f"unknown field '{unknown[0]}' (fields: {', '.join(sorted(fields))})")
    return regex


def load_paratext(path: Path) -> tuple[ParatextRule, ...]:
    """Read the paratext patterns: regular expressions with named fields."""
    rules = []
    allowed = {"id", "kind", "regex", "produces", "scope", "starts_trailer", "annotate", "note", "repeats", "max_length"}
    for line, row in read_jsonl(path):
        _check_keys(row, allowed, path, line)
        repeats = _get(row, "repeats", int, path, line, 0)
        if repeats and "regex" not in row:
            row = {**row, "regex": ".+"}
        regex = _regex(row, path, line, FIELD_ROLES, re.MULTILINE)
        produces = _get(row, "produces", (str, type(None)), path, line, None)
        if produces not in PARATEXT_PRODUCES:
            raise _bad(path, line, "'produces' must be one of byline, translator, citation, footnote-marker or null")
        scope = _get(row, "scope", str, path, line, "line")
        if scope not in {"line", "inline"}:
            raise _bad(path, line, "'scope' must be 'line' or 'inline'")
        rules.append(ParatextRule(
            id=_get(row, "id", str, path, line), kind=_get(row, "kind", str, path, line),
            regex=regex, produces=produces, scope=scope,
            starts_trailer=_get(row, "starts_trailer", bool, path, line, False),
            annotate=_get(row, "annotate", bool, path, line, produces is not None),
            repeats=repeats, max_length=_get(row, "max_length", int, path, line, 120),
        ))
    return tuple(rules)


def load_coreference(path: Path) -> tuple[CorefRule, ...]:
    """Read the first-person coreference rules."""
    rules = []
    for line, row in read_jsonl(path):
        _check_keys(row, {"id", "forms", "resolves_to", "sentence_initial", "note"}, path, line)
        target = _get(row, "resolves_to", str, path, line)
        if target not in {"author", "author-state", "previous-actor", "previous-topic"}:
            raise _bad(path, line, "'resolves_to' must be author, author-state, previous-actor or previous-topic")
        forms = _strings(row, "forms", path, line)
        rules.append(CorefRule(_get(row, "id", str, path, line), tuple(f.lower() for f in forms), target,
                               _get(row, "sentence_initial", bool, path, line, False)))
    return tuple(rules)


def load_relations(path: Path, entity_ids: set[str], predicates: set[str]) -> tuple[RelationRule, ...]:
    """Read relation rules and check their predicates, entity ids and slots."""
    rules = []
    allowed = {"id", "kind", "patterns", "cues", "subject", "object", "requires", "triples", "note"}
    for line, row in read_jsonl(path):
        _check_keys(row, allowed, path, line)
        kind = _get(row, "kind", str, path, line)
        if kind not in RELATION_KINDS:
            raise _bad(path, line, f"unknown kind '{kind}' (pattern, cue or cooccur)")
        triples = []
        for triple in _get(row, "triples", list, path, line):
            if not (isinstance(triple, list) and len(triple) == 3 and all(isinstance(t, str) for t in triple)):
                raise _bad(path, line, "each triple must be [subject, predicate, object]")
            subject, predicate, obj = triple
            if predicate not in predicates:
                raise _bad(path, line, f"unknown predicate '{predicate}' (not an ekg: property)")
            for term in (subject, obj):
                if term.startswith("$"):
                    if kind == "cooccur" or (kind == "cue" and term not in {"$subject", "$object"}):
                        raise _bad(path, line, f"slot '{term}' is not available in a {kind} rule")
                elif term not in entity_ids:
                    raise _bad(path, line, f"unknown entity id '{term}'")
            triples.append((subject, predicate, obj))
        patterns = tuple(tuple(p) for p in _get(row, "patterns", list, path, line, []))
        if kind == "pattern":
            if not patterns or not all(isinstance(p, tuple) and p and all(isinstance(t, dict) for t in p) for p in patterns):
                raise _bad(path, line, "'patterns' must be a non-empty list of token patterns")
            for subject, _, obj in triples:
                for term in (subject, obj):
                    if term.startswith("$") and not (term[1:].isdigit() and all(int(term[1:]) < len(p) for p in patterns)):
                        raise _bad(path, line, f"slot '{term}' does not name a token of every pattern")
        requires = _strings(row, "requires", path, line)
        for entity_id in requires:
            if entity_id not in entity_ids:
                raise _bad(path, line, f"unknown entity id '{entity_id}' in 'requires'")
        if kind == "cooccur" and not requires:
            raise _bad(path, line, "a cooccur rule needs 'requires' (entity ids)")
        cues = _strings(row, "cues", path, line)
        if kind == "cue" and not cues:
            raise _bad(path, line, "a cue rule needs 'cues' (lower-case words)")
        subject_types = _type_list(row, "subject", path, line)
        object_types = _type_list(row, "object", path, line)
        rules.append(RelationRule(
            id=_get(row, "id", str, path, line), kind=kind, triples=tuple(triples),
            patterns=patterns, cues=tuple(c.lower() for c in cues),
            subject_types=subject_types, object_types=object_types, requires=requires,
        ))
    return tuple(rules)


def _type_list(row: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    values = _strings(row, key, path, line) if isinstance(row.get(key), list) else (
        (row[key],) if isinstance(row.get(key), str) else ())
    for value in values:
        if value not in ENTITY_TYPES:
            raise _bad(path, line, f"unknown type '{value}' in '{key}'")
    return values


def load_time(path: Path) -> tuple[TimeRule, ...]:
    """Read the time-expression patterns."""
    rules = []
    allowed = {"id", "kind", "regex", "dates_events", "numbers", "parts", "attach", "note"}
    for line, row in read_jsonl(path):
        _check_keys(row, allowed, path, line)
        kind = _get(row, "kind", str, path, line)
        if kind not in TIME_KINDS:
            raise _bad(path, line, f"unknown kind '{kind}' (one of {', '.join(sorted(TIME_KINDS))})")
        regex = _regex(row, path, line, TIME_FIELDS)
        numbers = _get(row, "numbers", dict, path, line, {})
        parts = _get(row, "parts", dict, path, line, {})
        if kind == "years-ago" and not all(isinstance(v, int) for v in numbers.values()):
            raise _bad(path, line, "'numbers' must map words to integers")
        if kind == "century-part" and not all(isinstance(v, list) and len(v) == 2 for v in parts.values()):
            raise _bad(path, line, "'parts' must map early/mid/late to [first, last] years of the century")
        attach = _get(row, "attach", str, path, line, "events")
        if attach not in {"events", "adjacent", "sentence"}:
            raise _bad(path, line, "'attach' must be 'events', 'adjacent' or 'sentence'")
        rules.append(TimeRule(_get(row, "id", str, path, line), kind, regex,
                              _get(row, "dates_events", bool, path, line, True),
                              {k.lower(): v for k, v in numbers.items()},
                              {k.lower(): (v[0], v[1]) for k, v in parts.items()}, attach))
    return tuple(rules)


def load_stances(path: Path) -> tuple[StanceRule, ...]:
    """Read the stance and evaluation cues."""
    rules = []
    allowed = {"id", "kind", "cues", "stance", "speech_act", "holder", "fallback_author", "target", "negated_stance",
               "verdict", "target_side", "target_pronouns", "note"}
    for line, row in read_jsonl(path):
        _check_keys(row, allowed, path, line)
        kind = _get(row, "kind", str, path, line, "stance")
        if kind not in STANCE_KINDS:
            raise _bad(path, line, f"'kind' must be one of {', '.join(sorted(STANCE_KINDS))}")
        cues = _strings(row, "cues", path, line)
        if not cues:
            raise _bad(path, line, "'cues' must list at least one cue")
        stance = _get(row, "stance", str, path, line, *(("Supports",) if kind in WORD_KINDS else ()))
        negated = _get(row, "negated_stance", (str, type(None)), path, line, None)
        for value in (stance, negated):
            if value is not None and value not in STANCES:
                raise _bad(path, line, f"unknown stance '{value}' (one of {', '.join(sorted(STANCES))})")
        act = _get(row, "speech_act", str, path, line, "assertion")
        if act not in SPEECH_ACTS:
            raise _bad(path, line, f"unknown speech act '{act}' (one of {', '.join(sorted(SPEECH_ACTS))})")
        holder = _get(row, "holder", str, path, line, "subject")
        if holder not in {"subject", "author", "own-side", "container"}:
            raise _bad(path, line, "'holder' must be 'subject', 'author', 'own-side' or 'container'")
        verdict = _get(row, "verdict", (str, type(None)), path, line, None)
        if kind == "evaluation" and verdict not in {"agrees", "disagrees", "neutral"}:
            raise _bad(path, line, "an evaluation needs 'verdict': agrees, disagrees or neutral")
        pattern = r"\b(?:" + "|".join(re.escape(c).replace("\\ ", r"\s+") for c in cues) + r")\b"
        rules.append(StanceRule(
            id=_get(row, "id", str, path, line), kind=kind, regex=re.compile(pattern, re.IGNORECASE), stance=stance,
            speech_act=act, holder=holder, fallback_author=_get(row, "fallback_author", bool, path, line, False),
            target_types=_type_list(row, "target", path, line), negated_stance=negated, verdict=verdict,
            target_side=_target_side(row, path, line),
            target_pronouns=_get(row, "target_pronouns", bool, path, line, False),
            cues=tuple(c.lower() for c in cues) if kind in {"lead-in", "counter"} else (),
        ))
    return tuple(rules)


def _target_side(row: dict[str, Any], path: Path, line: int) -> str:
    side = _get(row, "target_side", str, path, line, "after")
    if side not in {"after", "before"}:
        raise _bad(path, line, "'target_side' must be 'after' or 'before'")
    return side


def load_rules(folder: Path | None = None) -> RuleSet:
    """Load every data file of the extractor from `folder` (default: shipped `extract/`)."""
    from essay_kg.extract.discovery.names import load_discovery
    from essay_kg.extract.rules.wikidata import load_links
    from essay_kg.namespace import EKG

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
    )


def _own_or_shipped(folder: Path, name: str) -> Path:
    """A rules folder's own file, else the shipped one (a folder written before the file existed)."""
    own = folder / name
    return own if own.is_file() else data_dir("extract") / name


def sources_dir() -> Path:
    """The folder of shipped source texts (`extract/sources/`)."""
    return data_dir("extract") / "sources"
