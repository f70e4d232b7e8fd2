"""The lexicon of the parse: stance predicates by lemma (`predicates.jsonl`), the head words of
described entities (`described.jsonl`) and the types named-entity labels give (`ner.jsonl`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from essay_kg.extract.rules.jsonl import present, read_lines
from essay_kg.extract.rules.schema import HeadLine, NerLine, PredicateLine


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
    target_types: tuple[str, ...] = ()  # the target must be of one of these types (or below them); empty: any
    topics: bool = False  # a topic may be the target ("we support the enlargement of NATO"), not only an actor or thing
    addressed: bool = False  # an actor as the object is whom it is asked of ("I ask all Chadians"), not the target
    intransitive: tuple[str, ...] = ()  # lemmas that, with no object, say it of their subject ("the violence must end")
    passive_author: bool = False  # a passive with no agent is the author's ("a stronger union is needed": he needs it)
    experiencer: bool = False  # the one it happens to holds it ("Mali is troubled by X", "X troubles Mali"): a verb of feeling
    object_lemmas: tuple[str, ...] = ()  # the stance is through these objects: "provide aid to X" is for X, "a venue" not


@dataclass(frozen=True)
class HeadRule:
    """Head words that give a described entity its type ("countries" a Group, "treaty" an Agreement)."""

    id: str
    heads: tuple[str, ...]
    type: str
    actor: bool = False  # such a phrase can hold a position ("developing countries")
    ignore: bool = False  # such a phrase names nothing ("the goal", "the rest"): no entity, no position
    verbs: tuple[str, ...] = ()  # verbs (lemmas) that tell an event of this type ("Niger withdrew from …")
    carrier: bool = False  # such a head carries a stance on to what its "of" names ("the spread of X"): X is the target


def load_predicates(path: Path) -> tuple[PredicateRule, ...]:
    """Read `predicates.jsonl` (absent: no positions from the parse)."""
    if not present(path):
        return ()
    return tuple(
        PredicateRule(p.id, tuple(w.lower() for w in p.lemmas), tuple(p.pos) or ("VERB",), p.stance, p.speech_act,
                      p.negated_stance, p.holder, p.target, tuple(w.lower() for w in p.preps), p.clauses, p.objects,
                      p.when_negated, tuple(p.target_types), p.topics, p.addressed, tuple(w.lower() for w in p.intransitive),
                      p.passive_author, p.experiencer, tuple(w.lower() for w in p.object_lemmas))
        for _, p in read_lines(path, PredicateLine)
    )


def load_heads(path: Path) -> tuple[HeadRule, ...]:
    """Read `described.jsonl` (absent: every described entity is a Topic)."""
    if not present(path):
        return ()
    return tuple(HeadRule(h.id, tuple(w.lower() for w in h.heads), h.type, h.actor, h.ignore,
                          tuple(v.lower() for v in h.verbs), h.carrier)
                 for _, h in read_lines(path, HeadLine))


@dataclass(frozen=True)
class NerRule:
    """Named-entity labels ("PERSON", "LAW") and the type they give a name typed by guesswork, or none."""

    id: str
    labels: tuple[str, ...]
    type: str | None
    drop: bool = False  # such a name is no entity ("DATE": "Implementation Day" is no person)
    confidence: float = 0.6
    lone: bool = False  # a lone capitalised word so labelled, that no rule took, is a name of this type ("Kaba")
    unless: tuple[str, ...] = ()  # words that are never such a name ("God")


def load_ner(path: Path) -> tuple[NerRule, ...]:
    """Read `ner.jsonl` (absent: the named-entity labels type nothing)."""
    if not present(path):
        return ()
    return tuple(NerRule(n.id, tuple(n.labels), n.type, n.drop, n.confidence, n.lone, tuple(n.unless))
                 for _, n in read_lines(path, NerLine))
