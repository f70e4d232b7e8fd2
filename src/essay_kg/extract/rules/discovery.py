"""The discovery rules of `extract/discovery.jsonl`: how names no gazetteer knows are found and typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from essay_kg.extract.rules.jsonl import present, read_lines
from essay_kg.extract.rules.schema import DiscoveryLine


@dataclass(frozen=True)
class DiscoveryRule:
    """One line of `extract/discovery.jsonl`."""

    id: str
    kind: str
    words: tuple[str, ...]
    type: str | None = None
    confidence: float = 0.5
    first: bool = False
    office: bool = False  # a title that is also an office
    after: tuple[str, ...] = ()  # a default or common-head rule: only right after one of these words
    unless: tuple[str, ...] = ()  # a common-head rule: qualifying words that make no name ("new", "same"); a collective
    # rule: its nouns that "our" does not make the author's state's (leadership is a role)
    lower_head: bool = False  # a head rule: its word is a common noun, written lowercase in the label


def load_discovery(path: Path) -> tuple[DiscoveryRule, ...]:
    """Read `discovery.jsonl` (absent: no discovery)."""
    if not present(path):
        return ()
    return tuple(DiscoveryRule(d.id, d.kind, tuple(d.words), d.type, d.confidence, d.first, d.office, tuple(d.after),
                               tuple(d.unless), d.lower_head)
                 for _, d in read_lines(path, DiscoveryLine))
