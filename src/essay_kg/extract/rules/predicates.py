"""The lexicon of the parse: stance predicates by lemma (`predicates.jsonl`) and the head words of
described entities (`described.jsonl`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from essay_kg.extract.rules.jsonl import bad_line, check_keys, field_of, read_jsonl, string_list
from essay_kg.model import ENTITY_TYPES
from essay_kg.vocabulary import SPEECH_ACTS, STANCES

PARTS_OF_SPEECH = {"VERB", "NOUN", "ADJ"}


@dataclass(frozen=True)
class PredicateRule:
    """Lemmas of one part of speech that carry a stance, and how to find the holder and the target."""

    id: str
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    stance: str
    speech_act: str = "assertion"
    negated_stance: str | None = None
    holder: str = "subject"  # "subject" (the grammatical subject or possessor) or "author"
    target: str = "object"  # "object" (object, complement) or "subject" ("X is vital": the author on X)
    preps: tuple[str, ...] = ()  # prepositions that introduce the target ("call for X", "support for X")
    clauses: bool = False  # a clause can be the target ("want to do X", "insist that X"): what its verb's object names
    objects: bool = True  # the direct object is the target (false: only the complements of "preps")
    when_negated: str = "flip"  # "flip": the negated stance; "none": a negation leaves no position ("cannot stop X")


@dataclass(frozen=True)
class HeadRule:
    """Head words that give a described entity its type ("countries" a Group, "treaty" an Agreement)."""

    id: str
    heads: tuple[str, ...]
    type: str
    actor: bool = False  # such a phrase can hold a position ("developing countries")
    ignore: bool = False  # such a phrase names nothing ("the goal", "the rest"): no entity, no position


def load_predicates(path: Path) -> tuple[PredicateRule, ...]:
    """Read `predicates.jsonl` (absent: no positions from the parse)."""
    if not path.is_file():
        return ()
    rules = []
    allowed = {"id", "lemmas", "pos", "stance", "speech_act", "negated_stance", "holder", "target", "preps", "clauses",
               "objects", "when_negated", "note"}
    for line, row in read_jsonl(path):
        check_keys(row, allowed, path, line)
        pos = string_list(row, "pos", path, line) or ("VERB",)
        if not set(pos) <= PARTS_OF_SPEECH:
            raise bad_line(path, line, f"'pos' must list VERB, NOUN or ADJ, not {', '.join(sorted(set(pos) - PARTS_OF_SPEECH))}")
        stance = field_of(row, "stance", str, path, line)
        negated = field_of(row, "negated_stance", (str, type(None)), path, line, None)
        for value in (stance, negated):
            if value is not None and value not in STANCES:
                raise bad_line(path, line, f"unknown stance '{value}' (one of {', '.join(sorted(STANCES))})")
        act = field_of(row, "speech_act", str, path, line, "assertion")
        if act not in SPEECH_ACTS:
            raise bad_line(path, line, f"unknown speech act '{act}' (one of {', '.join(sorted(SPEECH_ACTS))})")
        holder = field_of(row, "holder", str, path, line, "subject")
        target = field_of(row, "target", str, path, line, "object")
        if holder not in {"subject", "author"} or target not in {"object", "subject"}:
            raise bad_line(path, line, "'holder' must be subject or author, 'target' object or subject")
        lemmas = string_list(row, "lemmas", path, line)
        if not lemmas:
            raise bad_line(path, line, "'lemmas' must list at least one lemma")
        rules.append(PredicateRule(field_of(row, "id", str, path, line), tuple(w.lower() for w in lemmas), pos, stance,
                                   act, negated, holder, target, tuple(p.lower() for p in string_list(row, "preps", path, line)),
                                   field_of(row, "clauses", bool, path, line, False),
                                   field_of(row, "objects", bool, path, line, True), _when_negated(row, path, line)))
    return tuple(rules)


def load_heads(path: Path) -> tuple[HeadRule, ...]:
    """Read `described.jsonl` (absent: every described entity is a Topic)."""
    if not path.is_file():
        return ()
    rules = []
    for line, row in read_jsonl(path):
        check_keys(row, {"id", "heads", "type", "actor", "ignore", "note"}, path, line)
        type_name = field_of(row, "type", str, path, line)
        if type_name not in ENTITY_TYPES or type_name == "Actor":
            raise bad_line(path, line, f"unknown type '{type_name}'")
        heads = string_list(row, "heads", path, line)
        if not heads:
            raise bad_line(path, line, "'heads' must list at least one word")
        rules.append(HeadRule(field_of(row, "id", str, path, line), tuple(h.lower() for h in heads), type_name,
                              field_of(row, "actor", bool, path, line, False), field_of(row, "ignore", bool, path, line, False)))
    return tuple(rules)


def _when_negated(row: dict, path: Path, line: int) -> str:
    value = field_of(row, "when_negated", str, path, line, "flip")
    if value not in {"flip", "none"}:
        raise bad_line(path, line, "'when_negated' must be flip or none")
    return value
