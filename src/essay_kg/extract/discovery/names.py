"""Discovery: names in a new text that no gazetteer knows become entities with a best-guess type.

A name is a run of capitalised words (lower-case connectors such as "of" may join them),
outside the mentions the gazetteers already found.  Its type comes from the data in
`extract/discovery.jsonl`: a title before it makes a person ("President Mitterrand"), a head
word a party, a body, an organisation, an agreement… ("the Labour Party", "the
Warsaw Treaty"), a capitalised plural a group ("Tajiks"), an acronym an organisation; a
name with none of these gets the default type for its length, with a low confidence.  Every
discovered entity is flagged ``ekg:discovered`` with its ``ekg:confidence``, and every
occurrence of its name is a mention with its evidence.  Coreference: a person's surname alone
("Mitterrand") and "the" + his title ("the President") refer back to him; an acronym in
parentheses after a name ("… Organization (XYZ)") is that name's alias.

Names written in lower case or around numbers (collectives, qualified common nouns, topics
about a place, numbered documents) are found by `essay_kg.extract.discovery.phrases` with the same lexicon.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from essay_kg.extract.described import label_of
from essay_kg.extract.discovery import phrases
from essay_kg.extract.discovery.heads import OF_WORDS, Name, common_head, widened
from essay_kg.extract.discovery.lexicon import SOURCE, Lexicon, in_body
from essay_kg.extract.discovery.offices import office_mentions
from essay_kg.extract.found import Found
from essay_kg.extract.rules.discovery import DiscoveryRule
from essay_kg.model import Entity, Mention, Span, sentence_of, slug

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from essay_kg.model import Block, Extraction

_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,5})$")
_CAPITALISED = re.compile(r"^[A-Z][\w’'.-]*$")
SURNAME_ONLY = "surname-only"  # a lone word no rule types: a name only as the surname of a person






@dataclass
class Candidate:
    """A name found in the text, before it becomes an entity."""

    label: str
    type: str
    confidence: float
    rule: str
    spans: list[Span] = field(default_factory=list)
    title: tuple[str, ...] | None = None
    aliases: set[str] = field(default_factory=set)


def _words(doc: Doc, start: int, end: int) -> list[str]:
    return [doc[i].text for i in range(start, end)]


def _particle(doc: Doc, i: int, taken: set[int], lexicon: Lexicon) -> bool:
    """Whether tokens i, i+1, i+2 are a connector joined by a hyphen to a capitalised word ("al-Rashid")."""
    return (i + 2 < len(doc) and doc[i].text in lexicon.connectors and doc[i + 1].text == "-"
            and not doc[i].whitespace_ and not doc[i + 1].whitespace_ and not {i, i + 1, i + 2} & taken
            and bool(_CAPITALISED.match(doc[i + 2].text)))


def _runs(doc: Doc, taken: set[int], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Token ranges of capitalised runs (joined by connectors), outside the tokens already taken."""
    runs = []
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        particle = _particle(doc, i, taken, lexicon)
        if i in taken or not (_CAPITALISED.match(token.text) or particle) or token.text in lexicon.stop:
            i += 1
            continue
        j = i + 3 if particle else i + 1
        while j < n and j not in taken:
            text = doc[j].text
            if doc[j - 1].text.endswith("-") and doc[j - 1].whitespace_ and text[:1].islower() \
                    and text not in {"and", "or", "to"}:
                j += 1  # "Eng- land" (a line break read as a space): a word hyphenated at a line end
            elif _CAPITALISED.match(text) and text not in lexicon.stop:
                j += 1
            elif text in lexicon.last_names and (j + 1 >= n or not _CAPITALISED.match(doc[j + 1].text)) \
                    and not (j + 1 < n and doc[j + 1].like_num):
                j += 1  # "Theresa May met …" (not "Europe May Fail", not "Friday May 5")
                break
            elif (text in lexicon.connectors and j + 1 < n and j + 1 not in taken
                  and _CAPITALISED.match(doc[j + 1].text) and doc[j + 1].text not in lexicon.stop):
                j += 2
            elif _particle(doc, j, taken, lexicon):
                j += 3  # "Ambassador al-Rashid": a particle joined to the name by a hyphen
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _addressed_office(words: list[str], lexicon: Lexicon) -> bool:
    """Whether the words after a title are an office alone ("Madam Chair", "Madam President"): an address to
    whoever holds it, no name."""
    head = lexicon.heads.get(words[0]) if len(words) == 1 else None
    return len(words) == 1 and ((words[0],) in lexicon.titles or (head is not None and head.type == "Office"))


def _plural(word: str, lexicon: Lexicon, places: set[str]) -> DiscoveryRule | None:
    """A people named after a known place or demonym: "Tajiks" (Tajik), "Latvians" (Latvia), "Somalis" (Somali)."""
    if not word.endswith("s") or len(word) < 4:
        return None
    for ending, rule in lexicon.plurals:
        stem = word[: -len(ending)]
        if word.endswith(ending) and (word[:-1] in places or stem in places or stem + "a" in places
                                      or (len(word) > 5 and any(p.startswith(word[:-1]) for p in places))):
            return rule
    return None


def _classify(doc: Doc, start: int, end: int, lexicon: Lexicon,
              places: set[str]) -> Name | None:
    """The name inside tokens [start, end) with its type, confidence and rule; None if it is no name."""
    words = _words(doc, start, end)
    sentence_start = doc[start].is_sent_start
    if all(re.fullmatch(r"[A-Z]\.", w) for w in words):
        return None  # initials alone ("U. N."): an acronym written with spaces, not a name
    if len(words) > 1 and all(w.isupper() for w in words) and any(len(w) > 6 or w.capitalize() in lexicon.stop for w in words):
        return None  # words in capitals ("THE PRIME MINISTER:"): a transcript's speaker label or a heading, no name
    name_start = start
    while name_start > 0 and doc[name_start - 1].text in lexicon.connectors and doc[name_start - 1].text.islower():
        name_start -= 1  # "General de Gaulle": the particles belong to the name
    for size in (4, 3, 2, 1):  # a title just before the run, perhaps already a gazetteer mention ("President")
        before = tuple(w.text for w in doc[max(name_start - size, 0):name_start])
        if len(before) == size and before in lexicon.titles and words[0] not in lexicon.modifiers \
                and tuple(words) not in lexicon.titles:
            rule = lexicon.titles[before]
            if _addressed_office(words, lexicon):
                return None
            if rule.office and any(t.text in OF_WORDS for t in doc[name_start:start]):
                return Name(name_start - size, end, "Office", rule.confidence, rule.id, None)  # "President of the Assembly"
            return Name(name_start, end, rule.type or "Person", rule.confidence, rule.id, before)
    if tuple(words) in lexicon.titles:
        return None  # a title alone ("the Chancellor") refers back to a person; it is no name
    # a title before the name ("President Mitterrand", "Secretary of State Vance")
    for size in (4, 3, 2, 1):
        title = tuple(words[:size])
        if len(words) > size and title in lexicon.titles:
            rule = lexicon.titles[title]
            rest = words[size:]
            if all(w in lexicon.connectors or w in lexicon.modifiers for w in rest):
                return None
            if _addressed_office(rest, lexicon):
                return None
            if rest[0] in OF_WORDS and rule.office:  # an office of something, no person
                return Name(start, end, "Office", rule.confidence, rule.id, None)
            return Name(start + size, end, rule.type or "Person", rule.confidence, rule.id, title)
    if len(words) == 1 and words[0] in lexicon.modifiers:
        return None
    if all(w in lexicon.modifiers or w in lexicon.connectors for w in words):
        return None
    if words[0] in lexicon.first_heads and len(words) > 1:
        rule = lexicon.first_heads[words[0]]
        return Name(start, end, rule.type or "Topic", rule.confidence, rule.id, None)
    if words[-1] in lexicon.heads and (len(words) > 1 or not sentence_start):
        rule = lexicon.heads[words[-1]]  # alone ("Round"), it names something only after a known name
        return Name(start, end, rule.type or "Topic", rule.confidence, rule.id, None)
    connector = next((k for k, w in enumerate(words) if k and w in lexicon.connectors), None)
    if connector is not None and words[connector - 1] in lexicon.heads:  # "Bank of England", "Treaty of Rome"
        rule = lexicon.heads[words[connector - 1]]
        return Name(start, end, rule.type or "Topic", rule.confidence, rule.id, None)
    if _ACRONYM.match("".join(words)) and len(words) == 1:
        return Name(start, end, "InternationalOrganisation", 0.4, "acronym", None)
    if len(words) == 1:
        plural = _plural(words[0], lexicon, places)
        if plural is not None:
            return Name(start, end, plural.type or "Group", plural.confidence, plural.id, None)
        if sentence_start:
            return None  # a capital that only starts a sentence says nothing
    rule = lexicon.default(len([w for w in words if w not in lexicon.connectors]))
    if rule is None or (rule.after and (start == 0 or doc[start - 1].lower_ not in rule.after)):
        return None
    return Name(start, end, rule.type or "Topic", rule.confidence, rule.id, None)


def with_discoveries(parsed: list[tuple[Block, Doc]], extraction: Extraction, lexicon: Lexicon) -> Extraction:
    """The extraction with the names no gazetteer knows as new entities, and all their mentions."""
    if not lexicon.rules:
        return extraction
    finds = Found.on(extraction)
    candidates = _candidates(parsed, finds, lexicon)
    _join_surnames_and_acronyms(candidates, lexicon)
    mentions = _new_entities(candidates, finds, lexicon)
    more = phrases.discover(finds, lexicon, mentions)  # may mark some of `mentions` and `finds.before` nested
    finds.mentions = mentions + more
    return finds.result()


def _known_names(extraction: Extraction) -> tuple[set[str], set[str]]:
    """Every form of a known entity, and those of states and places (a people is named after one)."""
    forms: set[str] = set()
    places: set[str] = set()
    for entity in extraction.entities.values():
        forms |= {entity.label, *entity.aliases, *entity.demonyms}
        if entity.type in {"State", "Place"}:
            places |= {entity.label, *entity.aliases, *entity.demonyms}
    return forms, places


def _taken(block: Block, doc: Doc, mentions: list[Mention]) -> dict[int, int]:
    """Token index -> begin of the known mention the token lies in."""
    base = block.span.begin
    here = sorted(m.span for m in mentions if not m.span.context and m.span.end > base and m.span.begin < block.span.end)
    starts = [token.idx + base for token in doc]
    taken: dict[int, int] = {}
    for span in here:  # the tokens that start inside each mention (spans in order: the earliest begin wins)
        for index in range(bisect_left(starts, span.begin), bisect_left(starts, span.end)):
            taken.setdefault(index, span.begin)
    return taken


def _candidates(parsed: list[tuple[Block, Doc]], finds: Found, lexicon: Lexicon) -> dict[str, Candidate]:
    """The names of the body paragraphs, by label, in order of first occurrence."""
    known_forms, places = _known_names(finds.known)
    candidates: dict[str, Candidate] = {}
    for block, doc in parsed:
        if block.kind != "paragraph":
            continue
        taken = _taken(block, doc, finds.before)
        for start, end in _runs(doc, set(taken), lexicon):
            name = _classify(doc, start, end, lexicon, places)
            if name is None:
                word = doc[start].text
                if end - start == 1 and word.isalpha() and word not in lexicon.modifiers \
                        and tuple(_words(doc, start, end)) not in lexicon.titles:
                    finds.unplaced[word] = finds.unplaced.get(word, 0) + 1  # for `rules suggest`
                    # kept only if it is the surname of a person found elsewhere ("Merkel, Macron and …")
                    _record(candidates, Name(start, end, "", 0.0, SURNAME_ONLY, None), block, doc, known_forms, lexicon)
                continue
            name = widened(name, doc, taken, lexicon)
            if name is not None:
                _record(candidates, name, block, doc, known_forms, lexicon)
    return candidates


def _record(candidates: dict[str, Candidate], name: Name, block: Block, doc: Doc, known_forms: set[str],
            lexicon: Lexicon) -> None:
    """Add one occurrence of a name to its candidate (the surest type wins), with an acronym given after it."""
    base = block.span.begin
    begin = base + doc[name.first].idx
    stop = base + doc[name.last - 1].idx + len(doc[name.last - 1].text)
    anchor = block.span.anchor[begin - base:stop - base]
    label = common_head(label_of(anchor), lexicon)
    if label in known_forms:
        return
    if label not in candidates:
        candidates[label] = Candidate(label, name.type, name.confidence, name.rule, title=name.title)
    elif name.confidence > candidates[label].confidence:
        candidate = candidates[label]
        candidate.type, candidate.confidence, candidate.rule = name.type, name.confidence, name.rule
        candidate.title = name.title or candidate.title
    candidates[label].spans.append(Span(begin, stop, anchor))
    last = name.last  # "… Organization (XYZ)": the acronym in parentheses is the name's alias
    if last + 2 < len(doc) and doc[last].text == "(" and doc[last + 2].text == ")" and _ACRONYM.match(doc[last + 1].text):
        candidates[label].aliases.add(doc[last + 1].text)


def _join_surnames_and_acronyms(candidates: dict[str, Candidate], lexicon: Lexicon) -> None:
    """A one-word name that is the surname of a person found elsewhere is that person; an acronym
    given in parentheses joins its name, and a name the start of one longer "X of Y" joins that; a lone stop
    word is no name."""
    people = [c for c in candidates.values() if c.type == "Person" and len(c.label.split()) > 1]
    for key in list(candidates):
        candidate = candidates[key]
        single = len(candidate.label.split()) == 1
        person = next((p for p in people if p is not candidate and single and candidate.label in p.label.split()), None)
        if person is not None:
            person.spans += candidate.spans
            del candidates[key]
        elif (single and candidate.label in lexicon.stop) or candidate.rule == SURNAME_ONLY:
            del candidates[key]
    for candidate in list(candidates.values()):
        for alias in candidate.aliases:
            if alias in candidates and candidates[alias] is not candidate:
                candidate.spans += candidates.pop(alias).spans
    for key in list(candidates):  # "the Central Bank" after "the Central Bank of Chad": the one such longer name
        longer = [c for c in candidates.values() if c.label.startswith(key + " of ") and c.type == candidates[key].type]
        if len(longer) == 1:
            longer[0].spans += candidates.pop(key).spans


def _new_entities(candidates: dict[str, Candidate], finds: Found, lexicon: Lexicon) -> list[Mention]:
    """Each candidate as a discovered entity (recorded in `finds`), with the mentions of its name, its
    surname, its acronym, its title ("the President") and the office its title names."""
    sentences = finds.known.sentences
    mentions = []
    titles = []  # the office titles said of people
    for candidate in candidates.values():
        rule = lexicon.titles.get(candidate.title or ())
        if rule is not None and rule.office and len(candidate.title or ()) > 1:
            titles.append(" ".join(candidate.title or ()))
        entity_id = slug(candidate.label)
        if entity_id in finds.every_entity:
            continue  # a name whose slug is already an entity's id is left to the gazetteer
        entity = Entity(entity_id, candidate.type, candidate.label, aliases=tuple(sorted(candidate.aliases)),
                        source=SOURCE, discovered=True, confidence=round(candidate.confidence, 2),
                        rule_id=f"{SOURCE}#{candidate.rule}")
        finds.add_entity(entity)
        for span in sorted(set(candidate.spans)):
            words = " ".join(span.anchor.split())
            resolution = ("discovered" if words == candidate.label else "acronym" if words in candidate.aliases
                          else "short" if candidate.label.startswith(words + " of ") else "surname")
            mentions.append(Mention(span, entity_id, resolution, entity.rule, sentence_of(sentences, span.begin)))
        if candidate.title:
            mentions += _title_mentions(finds.known, entity, candidate)
    mentions += _head_mentions(finds, candidates, lexicon, mentions)
    return office_mentions(finds, lexicon, titles) + mentions




def _head_mentions(finds: Found, candidates: dict[str, Candidate], lexicon: Lexicon,
                   mentions: list[Mention]) -> list[Mention]:
    """'the Council' after 'the Arctic Council': the one name of the text with that head word, after its first
    mention; none when another name of the text (discovered or known) ends in the same word."""
    extraction = finds.known
    named = dict.fromkeys(m.entity_id for m in finds.before if not m.span.context)
    labels = [c.label for c in candidates.values()] + [extraction.entities[e].label for e in named
                                                       if e in extraction.entities]
    owners: dict[str, list[str]] = {}
    for label in dict.fromkeys(labels):
        head = label.rsplit(" ", 1)[-1]
        if " " in label and head in lexicon.heads and lexicon.heads[head].id in lexicon.head_rules:
            owners.setdefault(head, []).append(label)
    taken = [m.span for m in (*finds.before, *mentions) if not m.span.context]
    found = []
    for head, (label,) in ((h, o) for h, o in owners.items() if len(o) == 1):
        candidate = candidates.get(label)
        entity_id = slug(label)
        if candidate is None or entity_id not in finds.entities:
            continue
        first = min(span.begin for span in candidate.spans)
        found += [Mention(span, entity_id, "head", f"{SOURCE}#head-coreference", sentence_of(extraction.sentences, span.begin))
                  for span in _the_word_after(extraction, head, first, r"(?! [A-Z]| of\b)")
                  if not any(s.begin < span.end and span.begin < s.end for s in taken)]
    return found


def _the_word_after(extraction: Extraction, words: str, first: int, unless: str) -> list[Span]:
    """The spans of `words` after "the" in the body, past offset `first`, where the regex `unless` does not follow."""
    found = []
    for match in re.finditer(rf"\b[Tt]he ({re.escape(words)})\b{unless}", extraction.source.text):
        begin = match.start(1)
        if begin > first and in_body(extraction, begin):
            found.append(Span(begin, match.end(1), match.group(1)))
    return found


def _title_mentions(extraction: Extraction, entity: Entity, candidate: Candidate) -> list[Mention]:
    """'the President' after 'President Mitterrand': the same person, until another takes the title."""

    title = " ".join(candidate.title or ())
    first = min(span.begin for span in candidate.spans)
    return [Mention(span, entity.id, "title", f"{SOURCE}#title-coreference", sentence_of(extraction.sentences, span.begin))
            for span in _the_word_after(extraction, title, first, "(?! [A-Z])")]


