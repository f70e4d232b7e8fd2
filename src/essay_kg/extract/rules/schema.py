"""The schemas of the extractor's data files: one pydantic model per kind of line in `extract/*.jsonl`
(the Wikidata review files have theirs in `wikidata`, beside their loaders).

A model checks one line (its keys, their types, the closed sets of words, the rules that tie
fields together); the loaders turn a valid line into the rule the extractor uses.  Checks that
need more than the line (entity ids that must exist, ids seen on an earlier line) read the
validation context the loader passes: ``line`` (its number), ``entities`` (known ids),
``predicates`` (ekg: properties) and ``seen`` (ids already read, with their line).
"""

import re
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from essay_kg.extract.rules.fields import (
    EntityTypes,
    IsoDate,
    NamedType,
    OneOrMoreStrings,
    Slug,
    Strings,
    Text,
    check_token_patterns,
    first_time,
    known_entity,
    regex_field,
    rule_error,
)
from essay_kg.vocabulary import SPEECH_ACTS, STANCES


class Line(BaseModel):
    """One line of a rules file: no unknown key, no coercion, patterns matched by Python's `re`."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re")

    @classmethod
    def schema_for(cls, row: dict[str, Any]) -> type["Line"]:
        """The schema of `row`: this one, unless a file holds more than one kind of line."""
        return cls


# --- gazetteers: entities.jsonl and gazetteer/*.jsonl ---------------------------------------------
class EntityLine(Line):
    """A gazetteer entry: an entity with its names."""

    id: Slug
    type: NamedType = Field(title="type")
    label: Text
    aliases: Strings = []
    aliases_ci: Strings = []  # matched ignoring case
    demonyms: Strings = []
    note: str = ""
    start: IsoDate = None
    end: IsoDate = None
    min_mentions: int = 1
    short_forms_with: list[Slug] = []  # a one-word common-noun alias counts where these are all named
    context_aliases: Strings = []  # aliases that, like a short form, count only where short_forms_with are named

    @model_validator(mode="after")
    def context_aliases_are_aliases(self) -> Self:
        if missing := [a for a in self.context_aliases if a not in self.aliases]:
            raise rule_error(f"context alias '{missing[0]}' is not one of the 'aliases'")
        if self.context_aliases and not self.short_forms_with:
            raise rule_error("'context_aliases' need 'short_forms_with': the entities a text must name for them to count")
        return self

    @field_validator("id")
    @classmethod
    def once(cls, value: str, info: ValidationInfo) -> str:
        return first_time(value, info, "duplicate id '{value}' (first on line {first})")


# --- paratext.jsonl --------------------------------------------------------------------------------
FIELD_ROLES = {"author", "role", "translator", "number", "title", "venue", "date", "page"}
ANY_LINE = re.compile(".+", re.MULTILINE)  # the regex of a rule that only counts repeated lines


class ParatextLine(Line):
    """A pattern for text outside the body, with named fields for what it gives."""

    id: str
    kind: str
    regex: regex_field(re.MULTILINE, FIELD_ROLES) = ANY_LINE
    produces: Literal["byline", "translator", "citation", "footnote-marker", "title", None] = None
    scope: Literal["line", "inline", "first"] = "line"
    starts_trailer: bool = False
    annotate: bool = False  # when absent: whether the rule produces something (see `annotates`)
    repeats: int = 0
    max_length: int = 120
    note: str = ""

    @model_validator(mode="after")
    def regex_unless_repeats(self) -> Self:
        if not self.repeats and "regex" not in self.model_fields_set:
            raise rule_error("missing key 'regex' (only a rule with 'repeats' can do without)")
        return self

    @property
    def annotates(self) -> bool:
        return self.annotate if "annotate" in self.model_fields_set else self.produces is not None


# --- coreference.jsonl -----------------------------------------------------------------------------
class CorefLine(Line):
    """First-person forms and whom they resolve to."""

    id: str
    forms: Strings = []
    resolves_to: Literal["author", "author-state", "previous-actor", "previous-topic"]
    otherwise: Literal["author"] | None = None
    sentence_initial: bool = False
    antecedents: EntityTypes = []
    note: str = ""


# --- relations.jsonl -------------------------------------------------------------------------------
Triple = Annotated[list[str], Field(min_length=3, max_length=3)]
NEEDS = {"pattern": ("patterns", "'patterns' must be a non-empty list of token patterns"),
         "cue": ("cues", "a cue rule needs 'cues' (lower-case words)"),
         "cooccur": ("requires", "a cooccur rule needs 'requires' (entity ids)")}


class RelationLine(Line):
    """A relation rule: a token pattern, a cue word, or entities named in one sentence."""

    id: str
    kind: Literal["pattern", "cue", "cooccur"] = Field(title="kind")
    triples: Annotated[list[Triple], Field(description="a list of [subject, predicate, object] triples")]
    patterns: Annotated[list[list[dict[str, Any]]], Field(description="a list of token patterns (lists of objects)")] = []
    cues: Strings = []
    requires: Strings = []
    subject: EntityTypes = []
    object: EntityTypes = []
    note: str = ""

    @field_validator("triples")
    @classmethod
    def known_terms(cls, triples: list[list[str]], info: ValidationInfo) -> list[list[str]]:
        for subject, predicate, obj in triples:
            if predicate not in info.context["predicates"]:
                raise rule_error(f"unknown predicate '{predicate}' (not an ekg: property)")
            for term in (subject, obj):
                if not term.startswith("$"):
                    known_entity(term, info)
        return triples

    @field_validator("patterns")
    @classmethod
    def matcher_patterns(cls, patterns: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        return check_token_patterns(patterns)

    @field_validator("requires")
    @classmethod
    def known_ids(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        return [known_entity(entity_id, info, " in 'requires'") for entity_id in ids]

    @model_validator(mode="after")
    def fits_its_kind(self) -> Self:
        key, message = NEEDS[self.kind]
        if not getattr(self, key) or (self.kind == "pattern" and not all(self.patterns)):
            raise rule_error(message)
        for term in (t for subject, _, obj in self.triples for t in (subject, obj) if t.startswith("$")):
            if self.kind == "pattern":
                if not (term[1:].isdigit() and all(int(term[1:]) < len(p) for p in self.patterns)):
                    raise rule_error(f"slot '{term}' does not name a token of every pattern")
            elif self.kind == "cooccur" or term not in {"$subject", "$object"}:
                raise rule_error(f"slot '{term}' is not available in a {self.kind} rule")
        return self


# --- time.jsonl ------------------------------------------------------------------------------------
TIME_FIELDS = {"month", "day", "year", "last", "number", "part", "ordinal"}
TimeKind = Literal["after-event", "before-event", "year", "next-century", "date", "month", "last-month", "recent-month",
                   "day-month", "since-year", "years-ago", "decade", "century", "century-part", "present",
                   "this-century", "season", "month-part", "holiday", "days-ago", "weeks-ago", "rest-of-week",
                   "weeks-range-ago", "later", "same", "years", "opening", "range", "year-part", "months-ago"]


class TimeLine(Line):
    """A time-expression pattern and the resolver that gives its value."""

    id: str
    kind: TimeKind = Field(title="kind")
    regex: regex_field(0, TIME_FIELDS)
    dates_events: bool = True
    numbers: Annotated[dict[str, int], Field(description="an object mapping words to integers")] = {}
    parts: Annotated[dict[str, Annotated[list[int], Field(min_length=2, max_length=2)]],
                     Field(description="an object mapping a part's name to two numbers: the [first, last] years of a century, "
                                       "months of a season, days of a month, weeks back, or the [month, day] of a holiday")] = {}
    attach: Literal["events", "adjacent", "sentence"] = "events"
    note: str = ""


# --- stances.jsonl ---------------------------------------------------------------------------------
Stance = Literal[tuple(sorted(STANCES))]
WORD_KINDS = {"ignore", "lead-in", "counter"}  # kinds that need no stance


class StanceLine(Line):
    """A stance cue, an evaluation cue for reported views, or words that change how cues are read."""

    id: str
    kind: Literal["stance", "evaluation", "ignore", "lead-in", "counter"] = Field("stance", title="kind")
    cues: OneOrMoreStrings
    stance: Stance = Field("Supports", title="stance")  # required, but by a stance or evaluation rule only
    speech_act: Literal[tuple(sorted(SPEECH_ACTS))] = Field("assertion", title="speech act")
    holder: Literal["subject", "author", "own-side", "container"] = "subject"
    fallback_author: bool = False
    target: EntityTypes = []
    negated_stance: Stance | None = Field(None, title="stance")
    verdict: Literal["agrees", "disagrees", "neutral", None] = None
    target_side: Literal["after", "before", "after-only"] = "after"
    target_pronouns: bool = False
    note: str = ""

    @model_validator(mode="after")
    def stance_and_verdict(self) -> Self:
        if self.kind not in WORD_KINDS and "stance" not in self.model_fields_set:
            raise rule_error(f"missing key 'stance' (a {self.kind} rule needs one)")
        if self.kind == "evaluation" and self.verdict is None:
            raise rule_error("an evaluation needs 'verdict': agrees, disagrees or neutral")
        return self


# --- discovery.jsonl -------------------------------------------------------------------------------
DiscoveryKind = Literal["title", "head", "plural", "connector", "stop", "modifier", "default", "collective",
                        "common-head", "compound", "numbered"]


class DiscoveryLine(Line):
    """How names no gazetteer knows are found and typed."""

    id: str
    kind: DiscoveryKind = Field(title="kind")
    words: Strings = []
    type: NamedType | None = Field(None, title="type")
    confidence: Annotated[float, Field(ge=0, le=1, description="a number between 0 and 1")] = 0.5
    first: bool = False
    office: bool = False
    after: Strings = []
    unless: Strings = []
    lower_head: bool = False
    note: str = ""

    @model_validator(mode="after")
    def counted_default(self) -> Self:
        if self.kind == "default" and not all(w.isdigit() for w in self.words):
            raise rule_error("a default rule's 'words' are numbers of words, e.g. [\"1\"]")
        return self


# --- predicates.jsonl and described.jsonl: the lexicon of the parse --------------------------------
class PredicateLine(Line):
    """Lemmas that carry a stance, and where the parse finds its holder and its target."""

    id: str
    lemmas: OneOrMoreStrings
    pos: list[Literal["VERB", "NOUN", "ADJ", "ADP"]] = Field([], title="part of speech",
                                                            description="a list of VERB, NOUN, ADJ or ADP")
    stance: Stance = Field(title="stance")
    speech_act: Literal[tuple(sorted(SPEECH_ACTS))] = Field("assertion", title="speech act")
    negated_stance: Stance | None = Field(None, title="stance")
    holder: Literal["subject", "author"] = "subject"
    target: Literal["object", "subject"] = "object"
    preps: Strings = []
    clauses: bool = False
    objects: bool = True
    when_negated: Literal["flip", "none"] = "flip"
    target_types: EntityTypes = []
    topics: bool = False
    addressed: bool = False
    intransitive: Strings = []
    passive_author: bool = False
    experiencer: bool = False
    object_lemmas: Strings = []
    note: str = ""


class HeadLine(Line):
    """Head words that give a described entity its type."""

    id: str
    heads: OneOrMoreStrings
    type: NamedType = Field(title="type")
    actor: bool = False
    ignore: bool = False
    verbs: Strings = []
    carrier: bool = False
    note: str = ""


class NerLine(Line):
    """Named-entity labels of the trained pipeline and the type they give a name no rule could type."""

    id: str
    labels: OneOrMoreStrings
    type: NamedType | None = Field(None, title="type")
    drop: bool = False
    confidence: Annotated[float, Field(ge=0, le=1, description="a number between 0 and 1")] = 0.6
    lone: bool = False
    unless: Strings = []
    note: str = ""
