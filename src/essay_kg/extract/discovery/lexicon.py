"""The discovery rules indexed for lookup, shared by the finders of names and of phrases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from essay_kg.extract.rules.discovery import DiscoveryRule

if TYPE_CHECKING:
    from essay_kg.model import Extraction

SOURCE = "discovery.jsonl"


@dataclass
class Lexicon:
    """The discovery rules, indexed for lookup."""

    rules: tuple[DiscoveryRule, ...] = ()
    titles: dict[tuple[str, ...], DiscoveryRule] = field(default_factory=dict)
    heads: dict[str, DiscoveryRule] = field(default_factory=dict)
    first_heads: dict[str, DiscoveryRule] = field(default_factory=dict)
    plurals: list[tuple[str, DiscoveryRule]] = field(default_factory=list)
    connectors: set[str] = field(default_factory=set)
    stop: set[str] = field(default_factory=set)
    last_names: set[str] = field(default_factory=set)  # stop words that may end a name after another word ("Theresa May")
    modifiers: set[str] = field(default_factory=set)
    defaults: dict[int, DiscoveryRule] = field(default_factory=dict)
    head_rules: set[str] = field(default_factory=set)
    collectives: list[tuple[str, DiscoveryRule]] = field(default_factory=list)
    common_heads: list[DiscoveryRule] = field(default_factory=list)
    compounds: list[tuple[str, DiscoveryRule]] = field(default_factory=list)
    numbered: list[DiscoveryRule] = field(default_factory=list)

    @classmethod
    def of(cls, rules: tuple[DiscoveryRule, ...]) -> Lexicon:
        lexicon = cls(rules=rules)
        for rule in rules:
            if rule.kind == "title":
                lexicon.titles.update({tuple(w.split()): rule for w in rule.words})
            elif rule.kind == "head":
                (lexicon.first_heads if rule.first else lexicon.heads).update({w: rule for w in rule.words})
                lexicon.head_rules.add(rule.id)
            elif rule.kind == "plural":
                lexicon.plurals += [(w, rule) for w in rule.words]
            elif rule.kind == "connector":
                lexicon.connectors |= set(rule.words)
            elif rule.kind == "stop":
                lexicon.stop |= set(rule.words)
                lexicon.last_names |= set(rule.unless)
            elif rule.kind == "modifier":
                lexicon.modifiers |= set(rule.words)
            elif rule.kind == "default":
                lexicon.defaults.update({int(w): rule for w in rule.words})
            elif rule.kind == "collective":
                lexicon.collectives += [(w, rule) for w in rule.words]
            elif rule.kind == "common-head":
                lexicon.common_heads.append(rule)
            elif rule.kind == "compound":
                lexicon.compounds += [(w, rule) for w in rule.words]
            elif rule.kind == "numbered":
                lexicon.numbered.append(rule)
        lexicon.plurals.sort(key=lambda pair: -len(pair[0]))
        lexicon.collectives.sort(key=lambda pair: (-len(pair[0]), pair[0]))
        return lexicon

    def default(self, words: int) -> DiscoveryRule | None:
        fitting = [n for n in self.defaults if n <= words]
        return self.defaults[max(fitting)] if fitting else None


def in_body(extraction: Extraction, offset: int) -> bool:
    """Whether an offset lies in a body paragraph."""
    return any(b.span.begin <= offset < b.span.end for b in extraction.source.blocks if b.kind == "paragraph")
