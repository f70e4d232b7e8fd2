"""Suggestions for `extract/` from a new text: what the rules guessed, as lines a person can accept.

`essay-kg rules suggest FILE` reads and extracts the text with the current rules, then writes
four JSON Lines files into a folder:

- ``entities.jsonl``: every discovered entity as a gazetteer line (id, type, label, aliases,
  a note with the rule, its confidence and the words where it was first seen), most certain
  first.  Accepted lines go into ``extract/entities.jsonl`` (or a ``--rules`` folder's).
- ``topics.jsonl``: the topics that positions were found on but no gazetteer names (the words
  after the cue), as gazetteer lines: a reader keeps those that name a topic.
- ``ambiguous.jsonl``: surface forms that may be read two ways: a title that two discovered
  persons hold ("the President"), a surname read as a person, and the capitalised words, named
  at least twice, that discovery found no type for (``"type": null``: the reader gives one).
- ``stances.jsonl``: sentences where an actor and another entity are named but no stance cue
  matched, with the words between them as a candidate cue; the stance is left for the reader
  (``"stance": null`` does not load until it is filled in), so nothing is accepted unread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from essay_kg.model import slug, subtypes

ACTORS = set(subtypes("Actor"))
NOT_A_TOPIC = {"not", "be", "do", "to", "also", "never", "now", "only", "still", "just", "even", "so", "then",
               "go", "get", "make", "take", "bring", "help", "work", "keep", "let", "see", "say", "you", "we", "they",
               "it", "this", "that", "these", "those", "what", "which", "who", "how", "every", "all", "any", "some"}


@dataclass
class Suggestions:
    """The three kinds of suggestion, as JSON-ready rows."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    stances: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)


def suggest(extraction: Any, file_name: str, known: tuple[Any, ...] = ()) -> Suggestions:
    """Suggestions from one extraction; `known`, the rules' entities, whose names no suggested line may take
    again (a line that did would make the rules folder refuse to load)."""
    found = Suggestions()
    named = {" ".join(form.lower().split()) for e in (*known, *extraction.entities.values())
             if not e.discovered and not e.id.startswith("topic-")
             for form in (e.label, *e.aliases, *e.aliases_ci)}
    first_seen: dict[str, Any] = {}
    for mention in sorted(extraction.mentions):
        first_seen.setdefault(mention.entity_id, mention)
    # names, not the phrases the parse describes ("the plan of the European Commission"), which no gazetteer lists
    discovered = [e for e in extraction.entities.values() if e.discovered and e.label.lower() not in named
                  and not (e.rule_id or "").startswith("described.jsonl")]
    for entity in sorted(discovered, key=lambda e: (-(e.confidence or 0), e.id)):
        seen = first_seen.get(entity.id)
        words = " ".join((seen.sentence.anchor if seen and seen.sentence else entity.label).split())
        found.entities.append({
            "id": entity.id, "type": entity.type, "label": entity.label, "aliases": list(entity.aliases),
            "aliases_ci": [], "demonyms": [],
            "note": f"discovered in {file_name} by {entity.rule} (confidence {entity.confidence:.2f}); "
                    f"first seen: {words[:200]}",
        })
    taken = {row["id"] for row in found.entities} | set(extraction.entities)
    for entity in sorted(extraction.entities.values(), key=lambda e: e.id):
        words = entity.label.split()
        if not entity.id.startswith("topic-") or not 1 <= len(words) <= 5 or words[0].lower() in NOT_A_TOPIC \
                or entity.label.lower() in named:
            continue
        topic_id = entity.id.removeprefix("topic-")
        if topic_id in taken:
            continue
        taken.add(topic_id)
        found.topics.append({"id": topic_id, "type": "Topic", "label": entity.label, "aliases": [],
                               "aliases_ci": [entity.label], "demonyms": [],
                               "note": f"the target of a position in {file_name}, named by the words after its cue; "
                                       "check that it names a topic"})
    for word, count in sorted(extraction.unplaced.items()):
        if count >= 2 and slug(word) not in taken:
            taken.add(slug(word))
            found.ambiguous.append({"form": word, "id": slug(word), "type": None,
                                    "note": f"capitalised {count} times in {file_name} with no clue to its type: "
                                            "give it a type and move it to entities.jsonl, or drop the line"})
    titles: dict[str, list[str]] = {}
    for mention in extraction.mentions:
        if mention.resolution == "title":
            titles.setdefault(" ".join(mention.span.anchor.split()), []).append(mention.entity_id)
    for title, holders in sorted(titles.items()):
        if len(set(holders)) > 1:
            found.ambiguous.append({"form": f"the {title}", "entities": sorted(set(holders)),
                                    "note": "a title two discovered persons hold: give each his own alias, or "
                                            "drop the title form"})
    for mention in extraction.mentions:
        entity = extraction.entities.get(mention.entity_id)
        if entity is not None and mention.resolution == "surname" and entity.discovered:
            found.ambiguous.append({"form": mention.span.anchor, "entities": [entity.id],
                                    "note": "a surname alone read as this person; check it names no one else"})
    found.ambiguous = list({json.dumps(a, sort_keys=True): a for a in found.ambiguous}.values())
    found.stances = _unmatched_cues(extraction)
    return found


def _unmatched_cues(extraction: Any) -> list[dict[str, Any]]:
    covered = {p.evidence.begin for p in extraction.positions if getattr(p, "evidence", None) is not None}
    by_sentence: dict[int, list[Any]] = {}
    for mention in extraction.mentions:
        if mention.sentence is not None:
            by_sentence.setdefault(mention.sentence.begin, []).append(mention)
    rows = []
    seen_cues: set[str] = set()
    for sentence in extraction.sentences:
        if sentence.begin in covered:
            continue
        mentions = sorted(by_sentence.get(sentence.begin, []))
        for i, holder in enumerate(mentions):
            entity = extraction.entities.get(holder.entity_id)
            if entity is None or entity.type not in ACTORS:
                continue
            target = next((m for m in mentions[i + 1:] if m.entity_id != holder.entity_id
                           and m.span.begin > holder.span.end), None)
            if target is None:
                continue
            between = " ".join(extraction.source.text[holder.span.end:target.span.begin].split()).strip(" ,;:")
            words = between.split()
            # a candidate cue: one to five lower-case words, at least one of them a content word
            if not 1 <= len(words) <= 5 or any(w[:1].isupper() for w in words) \
                    or not any(len(w) > 3 and w.isalpha() for w in words):
                continue
            cue = between.lower()
            if cue in seen_cues:
                continue
            seen_cues.add(cue)
            rows.append({"id": f"suggested-{'-'.join(cue.split())}"[:60], "kind": "stance", "cues": [cue],
                         "stance": None, "speech_act": "assertion",
                         "note": f"no cue matched in: {' '.join(sentence.anchor.split())[:200]} "
                                 "(fill in the stance, or drop the line)"})
            break
    return rows


def write(found: Suggestions, folder: Path) -> list[tuple[Path, int]]:
    """The four files, each written atomically; their paths and line counts."""
    from essay_kg.files import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in (("entities.jsonl", found.entities), ("topics.jsonl", found.topics),
                       ("ambiguous.jsonl", found.ambiguous), ("stances.jsonl", found.stances)):
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        path = folder / name
        write_atomic(path, text.encode("utf-8"))
        written.append((path, len(rows)))
    return written
