"""Plain data passed between the pipeline stages (no RDF here).

`text` produces a `SourceText`; `extract` turns it into an `Extraction`
holding mentions and statements; `build` turns that into RDF.  All offsets
are Unicode code points into the raw file text, end exclusive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from essay_kg.vocabulary import POLARITY

# Entity types of the gazetteer and their superclass in the ontology.  A test
# checks this table against `ontology/essay-kg.ttl`.
ENTITY_TYPES: dict[str, str | None] = {
    "Actor": None,
    "Person": "Actor",
    "State": "Actor",
    "Institution": "Actor",
    "PoliticalParty": "Institution",
    "InternationalOrganisation": "Institution",
    "GovernmentBody": "Institution",
    "Media": "Institution",
    "ThinkTank": "Institution",
    "Group": "Actor",
    "Place": None,
    "Event": None,
    "Agreement": "Event",
    "Conflict": "Event",
    "Election": "Event",
    "Operation": "Event",
    "Meeting": "Event",
    "Topic": None,
    "Programme": "Topic",
    "Office": None,
    "Document": None,
}


def type_closure(type_name: str) -> list[str]:
    """The type and all its superclasses, most specific first."""
    chain: list[str] = []
    current: str | None = type_name
    while current is not None:
        chain.append(current)
        current = ENTITY_TYPES[current]
    return chain


def subtypes(type_name: str) -> list[str]:
    """The type and every type below it, sorted."""
    return sorted(t for t in ENTITY_TYPES if type_name in type_closure(t))


def slug(value: str) -> str:
    """A lowercase ASCII slug: ``"Stephen Sestanovich"`` → ``"stephen-sestanovich"``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "untitled"


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of a text: `text[begin:end] == anchor`.

    `context` is "" for the source text and "metadata" for the metadata file.
    """

    begin: int
    end: int
    anchor: str
    context: str = ""


def sentence_of(sentences: list[Span], begin: int) -> Span | None:
    """The sentence (of a list in text order) that holds the offset `begin`, if any."""
    for sentence in sentences:
        if sentence.begin <= begin < sentence.end:
            return sentence
    return None


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
class Block:
    """A unit of layout: a body paragraph or a paratext line."""

    span: Span
    kind: str  # "paragraph" or a paratext kind ("footnote", "byline", ...)
    section: int | None = None  # index of the section, for paragraphs
    rule_id: str | None = None  # the paratext pattern that classified it
    fields: tuple[tuple[str, Span], ...] = ()  # named groups of the pattern
    annotate: bool = True  # whether entity mentions are sought inside
    produces: str | None = None  # the kind of facts its fields give (paratext only)


@dataclass(frozen=True)
class Metadata:
    """Bibliographic facts about a source document."""

    doc_id: str
    title: str | None = None
    author: str | None = None
    author_role: str | None = None
    translator: str | None = None
    periodical: str | None = None
    volume: int | None = None
    issue: int | None = None
    issue_label: str | None = None
    pages: str | None = None
    date: str | None = None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    language: str | None = None
    file: str | None = None  # the metadata file's name, if one was read
    sha256: str | None = None  # of the metadata file's bytes
    text: str | None = None  # the metadata file's text
    spans: tuple[tuple[str, Span], ...] = ()  # where each field's value is in `text`

    def span(self, field: str) -> Span | None:
        """Where the value of `field` is written in the metadata file."""
        return dict(self.spans).get(field)


@dataclass(frozen=True)
class SourceText:
    """A source file's exact text, its layout and its metadata."""

    file_name: str
    text: str
    sha256: str
    metadata: Metadata
    sections: tuple[Span, ...]
    blocks: tuple[Block, ...]
    markers: tuple[Block, ...] = ()  # inline paratext such as footnote markers


@dataclass(frozen=True)
class Entity:
    """A gazetteer entry, or an entity minted from the text."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    aliases_ci: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    note: str = ""
    line: int = 0  # line in its gazetteer file, 0 when minted
    start: str | None = None  # known dates of an event (ISO), for "after World War II"
    end: str | None = None
    source: str = "entities.jsonl"  # the gazetteer file, relative to the rules folder: the rule id is source#id
    discovered: bool = False  # found in the text by the discovery rules, not in any gazetteer
    confidence: float | None = None  # for a discovered entity: how sure its type is
    rule_id: str | None = None  # the rule that found a discovered entity
    min_mentions: int = 1  # a general topic is an entity of a text only if named this often (or a position's target)
    short_forms_with: tuple[str, ...] = ()  # a one-word common-noun alias ("tsar") counts where these are named
    context_aliases: tuple[str, ...] = ()  # aliases that count only there too (an address to a presiding officer)

    @property
    def rule(self) -> str:
        """The rule id of statements about this entity: its gazetteer line, or the discovery rule."""
        return self.rule_id or f"{self.source}#{self.id}"


@dataclass(frozen=True, order=True)
class Mention:
    """A span of text that refers to an entity."""

    span: Span
    entity_id: str
    resolution: str  # label, alias, surname, acronym, demonym, pronoun
    rule_id: str
    sentence: Span | None = None
    nested: bool = False  # lies inside a longer mention of another entity


@dataclass(frozen=True, order=True)
class Value:
    """A literal object: its lexical form and XSD datatype local name."""

    lexical: str
    datatype: str = "string"


@dataclass(frozen=True)
class Statement:
    """One fact: subject id, predicate CURIE, object id or literal.

    `evidence` are the spans that support it; `derived_from_metadata` marks
    facts read from the metadata file rather than from the text.
    """

    subject: str
    predicate: str
    object: str | Value
    rule_id: str
    evidence: tuple[Span, ...] = ()
    derived_from_metadata: bool = False


@dataclass(frozen=True, order=True)
class TimeExpression:
    """A resolved time expression: value (or None for a pure range), precision, bounds."""

    span: Span
    rule_id: str
    value: Value | None
    precision: str
    earliest: Value | None = None
    latest: Value | None = None
    dates_events: bool = True
    attach: str = "events"
    anchor: str | None = None  # the event an "after …" expression is relative to
    names: Span | None = None  # the day it names as an event of its own ("Bastille Day")
    opens: bool = False  # the day or month an event began ("began on 3 May"): its earliest, not its date


@dataclass(frozen=True)
class Position:
    """One position, ready to be written as an ekg:Position node."""

    holder: str
    stance: str
    target: str
    speech_act: str
    evidence: Span
    cue: Span
    rule_id: str
    negated: bool = False
    condition: Span | None = None
    reported_by: str | None = None
    evaluation: str | None = None  # of a reported view: agrees, disagrees, neutral
    evaluates: int | None = None  # index of the reported position in the list
    holder_role: str | None = None
    negation: Span | None = None  # the negative wording ("not", "never", "no") the stance already takes into account

    @property
    def polarity(self) -> str:
        return POLARITY[self.stance]


@dataclass(frozen=True)
class WikidataLink:
    """A reviewed link from a gazetteer entity to a Wikidata item, with where the QID was seen."""

    id: str
    qid: str
    match: str  # "exactMatch" or "closeMatch"
    expected_class: str
    source: str  # repository/path where the QID stands next to the label
    excerpt: str
    line: int = 0


@dataclass(frozen=True)
class ModelInfo:
    """Which trained pipeline read the text: recorded in the graph's provenance."""

    name: str  # as given: a package name or a path
    package: str  # the pipeline's own name and language, e.g. "en_core_web_sm"
    version: str
    spacy_version: str


@dataclass(frozen=True)
class Extraction:
    """Everything the extractor found in one source text; a value: each step returns a new one."""

    source: SourceText
    entities: Mapping[str, Entity] = field(default_factory=lambda: MappingProxyType({}))
    mentions: tuple[Mention, ...] = ()
    sentences: tuple[Span, ...] = ()
    statements: tuple[Statement, ...] = ()
    quotations: tuple[tuple[Span, str], ...] = ()  # span, cited doc id
    author_id: str | None = None
    times: tuple[TimeExpression, ...] = ()
    positions: tuple[Position, ...] = ()
    quote_kinds: tuple[tuple[Span, str, str | None], ...] = ()  # span, kind, speaker
    links: tuple[WikidataLink, ...] = ()  # of the entities found
    unplaced: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # capitalised words no type fits
    model: ModelInfo | None = None  # the trained pipeline under the rules, if any
    software: tuple[tuple[str, str, str], ...] = ()  # (key, name, version) of each program that read the text

    def __post_init__(self) -> None:
        for name in ("entities", "unplaced"):  # read-only views: a step adds by returning a new Extraction
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))
        for name in ("mentions", "sentences", "statements", "quotations", "times", "positions", "quote_kinds", "links"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @property
    def text_mentions(self) -> tuple[Mention, ...]:
        """The mentions in the source text, without those in its metadata file (whose offsets are that file's)."""
        return tuple(m for m in self.mentions if not m.span.context)

    def adding(self, **more: Any) -> Extraction:
        """A new Extraction with `more` appended: entities (a mapping) merged, sequences extended."""
        changes: dict[str, Any] = {}
        for name, value in more.items():
            current = getattr(self, name)
            changes[name] = {**current, **value} if isinstance(current, Mapping) else (*current, *value)
        return replace(self, **changes)
