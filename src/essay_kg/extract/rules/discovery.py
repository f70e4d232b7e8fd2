"""The discovery rules of `extract/discovery.jsonl`: how names no gazetteer knows are found and typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from essay_kg.extract.rules.jsonl import bad_line, check_keys, field_of, read_jsonl, string_list
from essay_kg.model import ENTITY_TYPES

KINDS = {"title", "head", "plural", "connector", "stop", "modifier", "default", "collective", "common-head", "compound",
         "numbered"}


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
    unless: tuple[str, ...] = ()  # a common-head rule: qualifying words that make no name ("new", "same")


def load_discovery(path: Path) -> tuple[DiscoveryRule, ...]:
    """Read `discovery.jsonl` (absent: no discovery)."""
    if not path.is_file():
        return ()
    rules = []
    allowed = {"id", "kind", "words", "type", "confidence", "first", "office", "after", "unless", "note"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        kind = field_of(row, "kind", str, path, line)
        if kind not in KINDS:
            raise bad_line(path, line, f"unknown kind '{kind}' (one of: {', '.join(sorted(KINDS))})")
        type_name = field_of(row, "type", (str, type(None)), path, line, None)
        if type_name is not None and (type_name not in ENTITY_TYPES or type_name == "Actor"):
            raise bad_line(path, line, f"unknown type '{type_name}'")
        confidence = field_of(row, "confidence", (int, float), path, line, 0.5)
        if not 0 <= confidence <= 1:
            raise bad_line(path, line, "'confidence' must be between 0 and 1")
        words = string_list(row, "words", path, line)
        if kind == "default" and not all(w.isdigit() for w in words):
            raise bad_line(path, line, "a default rule's 'words' are numbers of words, e.g. [\"1\"]")
        rules.append(DiscoveryRule(field_of(row, "id", str, path, line), kind, words, type_name, float(confidence),
                                   field_of(row, "first", bool, path, line, False),
                                   field_of(row, "office", bool, path, line, False),
                                   string_list(row, "after", path, line), string_list(row, "unless", path, line)))
    return tuple(rules)
