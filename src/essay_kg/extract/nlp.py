"""The spaCy pipeline built from the gazetteer: a blank English model with a
sentencizer and an EntityRuler whose patterns come from `extract/entities.jsonl`.

Built once per process and reused for every document.  Exact forms are phrase
patterns (tokenised with the same tokenizer), case-insensitive ones token
patterns on lower-case text; the pipeline reads each block with its line breaks
as spaces (`extract.flat`), so a name broken across a line break still matches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product
from typing import TYPE_CHECKING, Any

from essay_kg.errors import BadInput
from essay_kg.model import Entity
from essay_kg.text.source import MAX_SOURCE_BYTES

if TYPE_CHECKING:
    from spacy.language import Language

    from essay_kg.extract.rules.load import RuleSet

_ROMAN = re.compile(r"^[IVXLC]+$")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
SEPARATOR = "|"
# events and topics whose names are often written in lower case ("the cold war", "the gulf war")
LOWER_CASE_TYPES = {"Conflict", "Event", "Topic", "Programme", "Operation"}


def surface_forms(entity: Entity) -> list[tuple[str, str, bool]]:
    """(form, resolution, case-insensitive) for every explicit form of an entity."""
    forms = [(entity.label, "label", False)]
    for alias in entity.aliases:
        forms.append((alias, "acronym" if _ACRONYM.match(alias.replace(".", "").replace("-", "")) else "alias", False))
    forms += [(alias, "label" if alias == entity.label else "alias", True) for alias in entity.aliases_ci]
    forms += [(demonym, "demonym", False) for demonym in entity.demonyms]
    return forms


def derived_forms(entity: Entity) -> list[tuple[str, str, bool]]:
    """Forms derived by rule: a person's surname, dotted variants of acronyms."""
    forms = []
    if entity.type == "Person":
        words = entity.label.split()
        if len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 2 and not _ROMAN.match(words[-1]):
            forms.append((words[-1], "surname", False))
    for alias in (entity.label, *entity.aliases):
        if _ACRONYM.match(alias):
            forms += [(dotted, "acronym", False) for dotted in dotted_forms(alias)]
    if entity.type in LOWER_CASE_TYPES and len(entity.label.split()) > 1 and entity.label[:1].isupper():
        forms.append((entity.label.lower(), "alias", False))  # "cold war" for "Cold War"
    return forms


def dotted_forms(acronym: str) -> list[str]:
    """ "USA" as "U.S.A.", "U. S. A." and, for four letters or fewer, every mixture of the two ("U. S.A.", as some
    transcripts print it)."""
    if len(acronym) > 4:
        return [".".join(acronym) + ".", ". ".join(acronym) + "."]
    forms = []
    for gaps in product(("", " "), repeat=len(acronym) - 1):
        forms.append("".join(letter + "." + gap for letter, gap in zip(acronym, (*gaps, ""), strict=True)))
    return forms


OTHERS = {"its", "their", "his", "her", "your"}  # "its alliance": another's, not the one the gazetteer names
TITLED = {"Office", "Institution", "GovernmentBody", "InternationalOrganisation", "PoliticalParty", "ThinkTank", "Media"}


def names_another(ent: Any, entity: Entity) -> bool:
    """Whether a one-word alias the ruler matched names something else where it stands: a title followed by
    an "of" phrase of a name ("the President of the Assembly", "Congress of Vienna") or by the name of a person
    the gazetteer does not know (whose office it does not know either), or a lower-case alias
    after another's possessive ("its alliance with Chad": not the alliance the gazetteer names; "the
    alliance", "our alliance", "in parliament", "the power of a tsar" are its own)."""
    if len(ent) != 1 or ent.text == entity.label or entity.type not in TITLED:
        return False
    doc = ent.doc
    if ent.text[:1].islower():
        return ent.start > 0 and doc[ent.start - 1].lower_ in OTHERS
    after = doc[ent.end:ent.end + 3]
    if after and after[0].is_alpha and after[0].text[:1].isupper():  # a title before a name: "President Chadi"
        return not any(e.start == ent.end and e.label_ == "Person" for e in doc.ents)  # unless the gazetteer's holder
    return len(after) > 1 and after[0].lower_ == "of" \
        and any(t.text[:1].isupper() for t in after[1:] if t.lower_ != "the")


def ruler_patterns(nlp: Language, entities: tuple[Entity, ...]) -> list[dict[str, Any]]:
    """EntityRuler patterns for all entities; explicit forms must not clash."""
    owner: dict[tuple[str, bool], str] = {}
    patterns = []
    for entity in entities:
        for form, _, ci in surface_forms(entity):
            key = (form.lower() if ci else form, ci)
            if owner.get(key, entity.id) != entity.id:
                raise BadInput(
                    f"{entity.source}:{entity.line}: form '{form}' of '{entity.id}' is also a form of '{owner[key]}'",
                    "give each surface form to one entity only",
                )
            owner[key] = entity.id
    explicit = {form for form, _ in owner}
    for entity in entities:
        forms = surface_forms(entity) + [f for f in derived_forms(entity) if f[0] not in explicit]
        seen: set[tuple[str, bool]] = set()
        for form, resolution, ci in forms:
            if (form, ci) in seen:
                continue
            seen.add((form, ci))
            pattern: str | list[dict[str, Any]] = form  # a phrase pattern (exact tokens): fast to build and to match
            if ci:
                pattern = [{"LOWER": t.text.lower()} for t in nlp.make_doc(form) if not t.is_space]
            patterns.append({"label": entity.type, "id": f"{entity.id}{SEPARATOR}{resolution}", "pattern": pattern})
    return patterns


@lru_cache(maxsize=4)
def _all_matches(key: tuple[Entity, ...]) -> Any:
    """A function giving every match of every pattern in a doc, nested ones included (the ruler keeps the longest).

    It asks the ruler's own matchers (built once with the pipeline) and names each match by its pattern id,
    which the ruler files under its match key."""
    ruler = _cached(key).get_pipe("entity_ruler")
    pattern_ids = ruler._ent_ids  # type: ignore[attr-defined]  # match key -> (label, pattern id)

    def matches(doc: Any) -> list[tuple[str, int, int]]:
        found = [(pattern_ids[m][1], start, end) for m, start, end in [*ruler.phrase_matcher(doc), *ruler.matcher(doc)]]  # type: ignore[attr-defined]
        return sorted(found, key=lambda f: (f[1], f[2], f[0]))

    return matches


def all_matches(rules: RuleSet) -> Any:
    """Every gazetteer match in a doc, as (pattern id, start token, end token), nested ones included."""
    return _all_matches(rules.entities)


@lru_cache(maxsize=4)
def _cached(key: tuple[Entity, ...]) -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = MAX_SOURCE_BYTES + 1  # every text the reader accepts (spaCy's default stops at 1,000,000)
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": True})
    ruler.add_patterns(ruler_patterns(nlp, key))  # type: ignore[attr-defined]
    return nlp


def build_pipeline(rules: RuleSet) -> Language:
    """The pipeline for a rule set, built once and cached for the process."""
    return _cached(rules.entities)
