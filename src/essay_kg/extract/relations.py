"""Apply the relation rules of `extract/relations.jsonl`.

Three kinds of rule, all data:

* ``pattern``: spaCy Matcher token patterns run over each sentence with entity
  mentions merged into single tokens.  ``{"ENT_CLASS": "Institution"}`` matches
  a mention of that class or any subclass, ``{"ENT_ID": "nato"}`` one entity;
  a triple names pattern tokens as ``$0``, ``$1``…  Evidence: the matched words.
* ``cue``: a cue word (``"taught"``) with the nearest entity of the subject
  class before it and of the object class after it in the same sentence
  (``$subject``, ``$object``); a negation just before the cue blocks it.
* ``cooccur``: fixed triples stated when all ``requires`` entities are
  mentioned in one sentence (and one of the ``cues``, if given, occurs there).
  Evidence: the sentence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from essay_kg.extract.nlp import SEPARATOR
from essay_kg.extract.rules.load import RelationRule, RuleSet
from essay_kg.model import Block, Extraction, Span, Statement, subtypes

if TYPE_CHECKING:
    from spacy.tokens import Doc

_NEGATIONS = {"not", "n't", "never", "no"}


def _token_pattern(token: dict[str, Any]) -> dict[str, Any]:
    """Translate the ENT_CLASS / ENT_ID shortcuts into Matcher attributes."""
    result = dict(token)
    if "ENT_CLASS" in result:
        wanted = result.pop("ENT_CLASS")
        names = wanted["IN"] if isinstance(wanted, dict) else [wanted]
        result["ENT_TYPE"] = {"IN": sorted({t for name in names for t in subtypes(name)})}
    if "ENT_ID" in result:
        result["ENT_ID"] = {"REGEX": f"^{re.escape(result.pop('ENT_ID'))}{re.escape(SEPARATOR)}"}
    return result


def _merged(doc: Doc) -> Doc:
    merged = doc.copy()
    with merged.retokenize() as retokenizer:
        for ent in merged.ents:
            retokenizer.merge(ent)
    return merged


def _entity(token: Any) -> str | None:
    return token.ent_id_.split(SEPARATOR)[0] if token.ent_id_ else None


def _resolve(term: str, slots: dict[str, str | None]) -> str | None:
    return slots.get(term) if term.startswith("$") else term


def _emit(rule: RelationRule, slots: dict[str, str | None], evidence: Span) -> list[Statement]:
    found = []
    for subject, predicate, obj in rule.triples:
        s, o = _resolve(subject, slots), _resolve(obj, slots)
        if s and o and s != o:
            found.append(Statement(s, f"ekg:{predicate}", o, f"relations.jsonl#{rule.id}", (evidence,)))
    return found


def _span(block: Block, doc: Doc, start: int, end: int) -> Span:
    begin = block.span.begin + doc[start].idx
    stop = block.span.begin + doc[end - 1].idx + len(doc[end - 1].text)
    return Span(begin, stop, block.span.anchor[begin - block.span.begin:stop - block.span.begin])


def pattern_statements(parsed: list[tuple[Block, Doc]], rules: tuple[RelationRule, ...]) -> list[Statement]:
    """Statements of the ``pattern`` rules."""
    from spacy.matcher import Matcher

    todo = [r for r in rules if r.kind == "pattern"]
    if not todo or not parsed:
        return []
    matcher = Matcher(parsed[0][1].vocab, validate=True)
    for index, rule in enumerate(todo):
        matcher.add(str(index), [[_token_pattern(t) for t in pattern] for pattern in rule.patterns])
    found = []
    for block, doc in parsed:
        merged = _merged(doc)
        sentence = [0] * len(merged)  # the sentence of each token: a match stays inside one
        for number, sent in enumerate(merged.sents):
            sentence[sent.start:sent.end] = [number] * (sent.end - sent.start)
        matches = sorted(matcher(merged, with_alignments=True), key=lambda m: (sentence[m[1]], m[1], m[2], m[0]))
        for match_id, start, end, alignment in matches:  # one pass over the block, not a copy per sentence
            if sentence[start] != sentence[end - 1]:
                continue
            rule = todo[int(merged.vocab.strings[match_id])]
            slots: dict[str, str | None] = {}
            for offset, element in enumerate(alignment):
                slots.setdefault(f"${element}", _entity(merged[start + offset]))
            found += _emit(rule, slots, _span(block, merged, start, end))
    return found


def cue_statements(parsed: list[tuple[Block, Doc]], rules: tuple[RelationRule, ...]) -> list[Statement]:
    """Statements of the ``cue`` rules."""
    found = []
    todo = [r for r in rules if r.kind == "cue"]
    for block, doc in parsed:
        merged = _merged(doc)
        for sent in merged.sents:
            tokens = list(sent)
            for index, token in enumerate(tokens):
                for rule in todo:
                    if token.lower_ not in rule.cues or {t.lower_ for t in tokens[max(0, index - 2):index]} & _NEGATIONS:
                        continue
                    subject = _nearest(reversed(tokens[:index]), rule.subject_types)
                    obj = _nearest(tokens[index + 1:], rule.object_types)
                    if subject is None or obj is None:
                        continue
                    slots = {"$subject": _entity(subject), "$object": _entity(obj)}
                    found += _emit(rule, slots, _span(block, merged, subject.i, obj.i + 1))
    return found


def _nearest(tokens: Any, types: tuple[str, ...]) -> Any:
    allowed = {t for name in types for t in subtypes(name)}
    for token in tokens:
        if token.ent_type_ and (not allowed or token.ent_type_ in allowed):
            return token
    return None


def cooccur_statements(extraction: Extraction, rules: tuple[RelationRule, ...]) -> list[Statement]:
    """Statements of the ``cooccur`` rules."""
    by_sentence: dict[Span, set[str]] = {}
    for mention in extraction.mentions:
        if mention.sentence is not None and mention.resolution != "anaphor":
            by_sentence.setdefault(mention.sentence, set()).add(mention.entity_id)
    found = []
    for rule in (r for r in rules if r.kind == "cooccur"):
        for sentence, present in sorted(by_sentence.items()):
            if not set(rule.requires) <= present:
                continue
            lowered = sentence.anchor.lower()
            if rule.cues and not any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", lowered) for cue in rule.cues):
                continue
            found += _emit(rule, {}, sentence)
    return found


def statements(parsed: list[tuple[Block, Doc]], extraction: Extraction, rules: RuleSet) -> list[Statement]:
    """All relation statements for one document; a pattern or cue reads the names the gazetteer matched, so a
    statement about an entity the text does not name (a short form of another text's entity) is left out."""
    named = {m.entity_id for m in extraction.mentions}
    read = [s for s in pattern_statements(parsed, rules.relations) + cue_statements(parsed, rules.relations)
            if s.subject in named and (not isinstance(s.object, str) or s.object in named
                                       or s.object not in extraction.entities)]
    return read + cooccur_statements(extraction, rules.relations)


def author_state(extraction: Extraction) -> str | None:
    """The state whose office the author holds, if the statements say so."""
    offices = {s.object for s in extraction.statements
               if s.subject == extraction.author_id and s.predicate == "ekg:holdsOffice"}
    states = sorted(s.object for s in extraction.statements
                    if s.subject in offices and s.predicate == "ekg:officeOf" and isinstance(s.object, str)
                    and s.object in extraction.entities and extraction.entities[s.object].type == "State")
    return states[0] if states else None
