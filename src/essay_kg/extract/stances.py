"""Positions: who supports or opposes what, in which speech act, on which words.

Stance cues come from `extract/stances.jsonl`; the code knows no essay. For each
cue in a body sentence (outside quotations; a longer cue covers a shorter one):

* holder: the nearest actor named before the cue in its clause, skipping names
  inside prepositional phrases ("voters in my district of northern Russia");
  "I", "we", "they", "both" count as resolved by the coreference rules; for
  prescriptions the author, unless the subject is his own side; a subject after
  a fronted "in …" phrase; for nominal stances ("opponents of X") the group;
* target: the first entity named after the cue in its clause (with what is
  coordinated with it), or before it for evaluations ("X is inadequate"), or
  the subject of the sentence before for "that is its strength"; failing
  those, a new topic named by the words after the cue, past the words that
  lead into it ("work together to create …"); a counter word between cue and
  target ("act to control X", "put an end to X") turns support into opposition;
* a negation just before or after the cue flips the stance; "if …," makes the
  position conditional with the condition's span; a closing "?" a rhetorical
  question; "despite" a concession; "X, as a Y," records the holder's role;
* a holder other than the author and the state he speaks for makes the
  position a reported one; an evaluation cue in the same sentence ("justly",
  "shortsightedly") adds the author's own position on the reported view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from essay_kg.extract.cue_words import NO_VERBS, Verbs, target_phrase
from essay_kg.extract.described import label_of
from essay_kg.extract.found import Found
from essay_kg.extract.grammar import AFFIRMED_BY_NEGATION
from essay_kg.extract.rules.load import StanceRule
from essay_kg.model import Entity, Extraction, Mention, Position, Span, slug, subtypes, type_closure
from essay_kg.text.source import quotations
from essay_kg.vocabulary import FLIP, POLARITY

ACTORS = set(subtypes("Actor")) | {"Office"}  # an office speaks through its holder
_AFFIRMING = re.compile(rf"\s+(?:{'|'.join(AFFIRMED_BY_NEGATION)})\w*\s+to\s+$", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no(?! less)|cannot)\b|n't\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:—]|\s--\s|\bbut\b|\bwhile\b|\bwhereas\b|\beven though\b|\balthough\b")
_CONDITION = re.compile(r"\b[Ii]f\b[^,;]*,")
_PREPOSITION = re.compile(r"(?<!majority )(?<!most )(?<!some )(?<!many )(?<!all )(?<!one )\b(?:in|within|for|from|to|with"
                          r"|against|about|by|on|among|at|of)\s+(?:(?:the|a|an|my|our|its|their|northern|southern)\s+)*$",
                          re.IGNORECASE)
_DEMONSTRATIVE = re.compile(r"^\W*(?:(?:but|and|yet|however|so|thus|therefore)\W+)*"
                            r"(?:(?:that|this|it|these|those)\W+(?:is|are)?\W*)?$", re.IGNORECASE)
_WHAT = re.compile(r"\b(?:this|that) is what\s+$", re.IGNORECASE)
_STRICT_JOINER = re.compile(r"^\s*(?:,|,?\s*(?:and|or))\s*$")


@dataclass
class _Sentence:
    span: Span
    mentions: list[Mention] = field(default_factory=list)


HAND_OVER_REACH = 200  # characters: four words, with room to spare
LONGEST_SENTENCE = 4000  # characters: positions are read in sentences up to this length (reading is quadratic in it)


def _hands_over(sentence: Span, match: re.Match[str], others: list[re.Match[str]], mentions: list[Mention]) -> bool:
    """Whether another cue follows within a few words, before any entity is named."""
    for other in others:
        if not 0 < other.start() - match.end() <= HAND_OVER_REACH:
            continue
        gap = sentence.anchor[match.end():other.start()]
        if len(gap.split()) <= 4 and not re.search(r"[,;:.]", gap):
            first = sentence.begin + other.start()
            if not any(sentence.begin + match.end() <= m.span.begin < first for m in mentions):
                return True
    return False


def _clause(sentence: Span, cue: Span) -> tuple[int, int]:
    """The bounds of the clause around a cue: split at ';', ':', 'but', 'while'."""
    text = sentence.anchor
    at = cue.begin - sentence.begin
    start, end = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.group() == "but" and re.search(r"\bnot\b[^,;]*,\s*$", text[:match.start()]):
            continue  # "not privileges, but normal citizenship": a correction, not a new clause
        if match.end() <= at:
            start = match.end()
        elif match.start() >= at + (cue.end - cue.begin):
            end = match.start()
            break
    return sentence.begin + start, sentence.begin + end


def with_positions(extraction: Extraction, all_rules: tuple[StanceRule, ...], author_state: str | None) -> Extraction:
    """The extraction with every position the stance rules find in the body (and the topics they name)."""
    finds = Found.on(extraction)
    rules = tuple(r for r in all_rules if r.kind == "stance")
    verbs = Verbs(frozenset(c for r in all_rules if r.kind == "lead-in" for c in r.cues),
                  frozenset(c for r in all_rules if r.kind == "counter" for c in r.cues))
    evaluations = tuple(r for r in all_rules if r.kind == "evaluation")
    ignored = tuple(r for r in all_rules if r.kind == "ignore")
    quoted = [q for b in extraction.source.blocks if b.kind == "paragraph" for q in quotations(b)]
    sentences = {s: _Sentence(s) for s in extraction.sentences}
    for mention in extraction.mentions:
        if mention.sentence in sentences and not mention.nested:
            sentences[mention.sentence].mentions.append(mention)
    body = [b.span for b in extraction.source.blocks if b.kind == "paragraph"]
    found: list[Position] = []
    for sentence, info in sorted(sentences.items()):
        if len(sentence.anchor) > LONGEST_SENTENCE or not any(b.begin <= sentence.begin < b.end for b in body):
            continue  # a "sentence" of thousands of characters is a text with no sentence ends, not a statement
        mentions = sorted(info.mentions)
        silent = [(sentence.begin + m.start(), sentence.begin + m.end()) for r in ignored
                  for m in r.regex.finditer(sentence.anchor)]
        cues = [(rule, match) for rule in rules for match in rule.regex.finditer(sentence.anchor)]
        for rule, match in cues:
            if any(other.start() <= match.start() and match.end() <= other.end()
                   and other.end() - other.start() > match.end() - match.start() for _, other in cues):
                continue  # a longer cue covers this one ("must be borne in mind" over "must")
            cue = Span(sentence.begin + match.start(), sentence.begin + match.end(), match.group())
            if any(q.begin <= cue.begin < q.end for q in quoted) or any(b <= cue.begin < e for b, e in silent):
                continue
            if rule.holder != "container" and any(m.span.begin <= cue.begin and cue.end <= m.span.end
                                                  and m.span.anchor != cue.anchor for m in mentions):
                continue  # a cue inside a name ("the struggle against totalitarianism", an event) is no stance
            if _hands_over(sentence, match, [m for _, m in cues], mentions):
                continue  # "advocates collective efforts to oppose X": the inner cue carries the position
            found += _positions_at(finds, rule, sentence, cue, mentions, author_state, len(found), evaluations,
                                   verbs)
    return replace(finds.result(), positions=tuple(_dedupe(found)))


def _nominal(extraction: Extraction, rule: StanceRule, sentence: Span, cue: Span, mentions: list[Mention]) -> list[Position]:
    container = next((m for m in mentions if m.span.begin <= cue.begin and cue.end <= m.span.end
                      and extraction.entities[m.entity_id].type in ACTORS), None)
    if container is None:
        return []
    inside = [m for m in extraction.mentions if m.nested and cue.end <= m.span.begin and m.span.end <= container.span.end]
    return [Position(container.entity_id, rule.stance, m.entity_id, rule.speech_act, sentence, cue,
                     f"stances.jsonl#{rule.id}") for m in inside[:1]]


_AS_ROLE = re.compile(r"(?:^|,\s*)as (?P<role>(?:a|an|the) [^,;]{3,80}),")


def _holder_role(extraction: Extraction, sentence: Span, holder: Mention | None, author_state: str | None) -> str | None:
    """The role a holder speaks in: "as a successful candidate …, I", "Russia, as a great power, …", or, for
    "we" meaning the state, the office from which the author speaks for it."""
    if holder is None:
        return None
    text = sentence.anchor
    at = holder.span.begin - sentence.begin
    after = re.match(r",\s*as (?P<role>(?:a|an|the) [^,;]{3,80}),", text[at + len(holder.span.anchor):])
    if after:
        return after.group("role")
    before = [m for m in _AS_ROLE.finditer(text[:at]) if not text[m.end():at].strip()]
    if before:
        return before[-1].group("role")
    if holder.resolution == "pronoun" and holder.entity_id == author_state:
        offices = [s.object for s in extraction.statements if s.subject == extraction.author_id
                   and s.predicate == "ekg:holdsOffice" and isinstance(s.object, str)]
        if offices and offices[0] in extraction.entities:
            return extraction.entities[offices[0]].label
    return None


def _last_topic(extraction: Extraction, sentence: Span, before: int) -> str | None:
    """The last topic, event or programme named in the sentence before a position."""
    kinds = set(subtypes("Topic")) | set(subtypes("Event"))
    named = [m for m in extraction.mentions if m.sentence == sentence and m.span.end <= before and not m.nested
             and m.entity_id in extraction.entities and extraction.entities[m.entity_id].type in kinds]
    return max(named).entity_id if named else None


def _same_paragraph(extraction: Extraction, first: Span, second: Span) -> bool:
    """Whether two sentences lie in one paragraph block (a hard-wrapped paragraph has line breaks inside)."""
    return any(b.span.begin <= first.begin and second.end <= b.span.end
               for b in extraction.source.blocks if b.kind == "paragraph")


def _previous_subject(extraction: Extraction, sentence: Span, mentions_all: list[Mention]) -> str | None:
    """The first entity named in the sentence before this one, within the same paragraph."""
    earlier = [s for s in extraction.sentences if s.end <= sentence.begin]
    if not earlier or not _same_paragraph(extraction, earlier[-1], sentence):
        return None
    named = [m for m in mentions_all if m.sentence == earlier[-1] and m.resolution not in {"pronoun", "demonym"}
             and not m.nested and extraction.entities[m.entity_id].type != "Place"]
    return min(named).entity_id if named else None


def _fronted_subject(extraction: Extraction, sentence: Span, cue: Span, named: list[Mention]) -> Mention | None:
    """The actor right after a comma that ends the fronted phrases a cue opens ("For the sake of X, for the sake of
    Y, we …"): the cue begins the sentence or follows only other fronted phrases."""
    if not _FRONTED.fullmatch(sentence.anchor[:cue.begin - sentence.begin]):
        return None
    text = extraction.source.text
    for comma in (i for i in range(cue.end, sentence.end) if text[i] == ","):
        after = [m for m in named if comma < m.span.begin <= comma + 2 and not m.nested
                 and (m.resolution == "pronoun" or extraction.entities[m.entity_id].type in ACTORS)]
        if after:
            return after[0]
    return None


_FRONTED = re.compile(r"(?:[^,.;:]*,\s*)*")  # nothing, or phrases each closed by a comma


def _find_holder(extraction: Extraction, rule: StanceRule, sentence: Span, cue: Span, mentions: list[Mention],
                 begin: int, author_state: str | None) -> tuple[str | None, Mention | None]:
    """The holder of a cue's position and the mention naming it (None when the author holds it by default)."""
    author = extraction.author_id
    text = extraction.source.text
    named = [m for m in mentions if m.resolution != "demonym"]
    before = [m for m in named if begin <= m.span.begin < cue.begin and extraction.entities[m.entity_id].type in ACTORS
              and not _PREPOSITION.search(text[max(begin, m.span.begin - 24):m.span.begin])]
    mention = None
    if before and rule.holder in {"subject", "own-side"}:  # the last actor before the cue, or the first when what
        mention = before[0] if rule.target_side == "before" and len(before) > 1 else before[-1]  # it is about lies before
    if rule.holder == "own-side" and mention and (mention.entity_id not in {author, author_state}
                                                  or mention.resolution == "anaphor"):
        mention = None  # a prescription for someone else is the author's own
    if mention is not None:
        return mention.entity_id, mention
    fronted = _fronted_subject(extraction, sentence, cue, named) if rule.holder == "subject" else None
    if fronted is not None:  # "For the sake of the Chadian people, we held firm": the subject after the phrase
        return fronted.entity_id, fronted
    if rule.holder != "subject" or rule.fallback_author:
        return author, None
    # "in voting for X, we …": the subject follows a fronted phrase
    if re.fullmatch(r"(?:[a-z ]+,\s*)?in", sentence.anchor[:cue.begin - sentence.begin].strip().lower()):
        later = [m for m in mentions if m.span.begin >= cue.end and m.resolution == "pronoun"]
        if later:
            return later[0].entity_id, later[0]
    return None, None


def _find_targets(finds: Found, rule: StanceRule, sentence: Span, cue: Span, mentions: list[Mention],
                  clause: tuple[int, int], holder: str, holder_mention: Mention | None,
                  verbs: Verbs = NO_VERBS) -> tuple[list[str], bool]:
    """The targets of a cue's position (named entities, or a new topic named by the words after the
    cue), and whether a counter word leads into them ("act to control X": the position is against X)."""
    extraction = finds.known
    begin, end = clause
    text = extraction.source.text
    allowed = {t for name in rule.target_types for t in subtypes(name)} or None
    candidates = [m for m in mentions if m.entity_id != holder and (m.resolution != "pronoun" or rule.target_pronouns)
                  and extraction.entities[m.entity_id].type != "Place"
                  and (allowed is None or extraction.entities[m.entity_id].type in allowed)]
    after = [m for m in candidates if cue.end <= m.span.begin < end]
    if not after and text[end:end + 1] == ":":  # "recognize other rules as well: the need … to agree beforehand"
        after = [m for m in candidates if cue.end <= m.span.begin < sentence.end]
    preceding = [m for m in candidates if begin <= m.span.begin < cue.begin]
    if rule.target_side == "before":
        nearest = preceding[::-1]
        if nearest:  # the nearest before the cue, with what is coordinated with it ("Latvian and Estonian")
            return [m.entity_id for m in reversed(_coordinated(extraction, nearest, backwards=True))], False
        previous = _previous_subject(extraction, sentence, extraction.mentions)
        if _DEMONSTRATIVE.match(text[begin:cue.begin]) and previous:
            return [previous], False  # "… But that is its strength"
        return [], False
    if after:
        gap = text[cue.end:after[0].span.begin]
        return [m.entity_id for m in _coordinated(extraction, after)], len(gap) <= 60 and verbs.countered(gap)
    if preceding and rule.holder != "subject" and rule.target_side != "after-only" \
            and len(text[begin:preceding[-1].span.begin].split()) <= 3:
        return [preceding[-1].entity_id], False  # "The CSCE should have the central role": the subject is the target
    # (not a name deep in a longer subject: "anyone who would harm our pilots should know this")
    if holder_mention is not None and _WHAT.search(text[max(0, holder_mention.span.begin - 16):holder_mention.span.begin]):
        topic = _last_topic(extraction, sentence, holder_mention.span.begin)
        if topic:
            return [topic], False  # "X, and this is what Russia seeks"
    phrase = target_phrase(sentence, cue, end, verbs)
    if phrase is None or (allowed is not None and "Topic" not in allowed):
        return [], False  # no words to name a topic, or a rule whose targets are never topics
    return [_topic(finds, phrase, rule.id)], verbs.countered(text[cue.end:phrase.begin])


def _positions_at(finds: Found, rule: StanceRule, sentence: Span, cue: Span, mentions: list[Mention],
                  author_state: str | None, offset: int, evaluations: tuple[StanceRule, ...],
                  verbs: Verbs = NO_VERBS) -> list[Position]:
    extraction = finds.known
    if rule.holder == "container":  # "the opponents of partnership": the group is the holder, the name inside the target
        return _nominal(extraction, rule, sentence, cue, mentions)
    begin, end = _clause(sentence, cue)
    author = extraction.author_id
    holder, holder_mention = _find_holder(extraction, rule, sentence, cue, mentions, begin, author_state)
    if holder is None:
        return []
    targets, countered = _find_targets(finds, rule, sentence, cue, mentions, (begin, end), holder, holder_mention,
                                       verbs)
    if not targets:
        return []
    negation = _negation_word(extraction.source.text, begin, cue)
    negated = negation is not None
    stance = (rule.negated_stance or FLIP[rule.stance]) if negated else rule.stance
    if countered and POLARITY[stance] == "Support":
        stance = FLIP[stance]  # "we must act to control X", "it is time to put an end to X"
    act, condition = rule.speech_act, None
    condition_match = _CONDITION.search(sentence.anchor)
    if condition_match and sentence.begin + condition_match.start() < cue.begin:
        act = "conditional"
        condition = Span(sentence.begin + condition_match.start(), sentence.begin + condition_match.end() - 1,
                         condition_match.group()[:-1])
    elif sentence.anchor.rstrip().endswith("?"):
        act = "rhetorical-question"
    elif re.search(r"\b[Dd]espite\b", sentence.anchor):
        act = "concession"
    reported = holder not in {author, author_state} and holder_mention is not None \
        and holder_mention.resolution != "pronoun"
    role = _holder_role(extraction, sentence, holder_mention, author_state)
    result = [Position(holder, stance, target, act, sentence, cue, f"stances.jsonl#{rule.id}", negated,
                       condition, author if reported else None, holder_role=role, negation=negation)
              for target in dict.fromkeys(targets)]
    if reported and author:
        for evaluation in evaluations:
            match = evaluation.regex.search(sentence.anchor)
            if match:
                cue_word = Span(sentence.begin + match.start(), sentence.begin + match.end(), match.group())
                result.append(Position(author, evaluation.stance, holder, "assertion", sentence, cue_word,
                                       f"stances.jsonl#{evaluation.id}", evaluation=evaluation.verdict,
                                       evaluates=offset))
                break
    return result


_JOINER = re.compile(r"^[\s,]*(?:(?:and|or|nor|either|as well as)\b[\s,]*)+(?:[a-z]+\s+){0,3}$|^\s*,\s*(?:the\s+|a\s+|an\s+)?$"
                     r"|^\s+(?:among|in|of|for|within)\s+[^,;]{0,40}?\s+(?:or|and)\s+$"  # "X among the allies or Y"
                     r"|^[^;:]{0,40}?\bthrough\s+(?:the\s+)?$")  # "reform … through the Commonwealth"


def _negation_word(text: str, clause_begin: int, cue: Span) -> Span | None:
    """The negative wording of a cue: a "not", "never", "no" or "cannot" just before it (in its clause, after
    the last comma), inside it ("cannot accept"), or right after it ("is not")."""
    start = max(clause_begin, cue.begin - 24)
    prefix = text[start:cue.begin]
    start += len(prefix) - len(prefix.split(",")[-1])
    for base, window in ((start, text[start:cue.begin]), (cue.begin, cue.anchor)):
        found = list(_NEGATION.finditer(window))
        if found:
            match = found[-1] if base == start else found[0]
            if base == start and _AFFIRMING.match(window[match.end():]):
                return None  # "we will not hesitate to oppose X": the two negations affirm
            return Span(base + match.start(), base + match.end(), match.group())
    after = re.match(r"(\s*)(not\b|n't\b)", text[cue.end:cue.end + 6])
    if after:
        begin = cue.end + len(after.group(1))
        return Span(begin, begin + len(after.group(2)), after.group(2))
    neither = re.match(r"\s*(neither)\b[^,;:]*\bnor\b", text[clause_begin:cue.begin], re.IGNORECASE)
    if neither:  # "Neither Togo nor Benin supports X"
        return Span(clause_begin + neither.start(1), clause_begin + neither.end(1), neither.group(1))
    return None


def _coordinated(extraction: Extraction, mentions: list[Mention], backwards: bool = False) -> list[Mention]:
    """The first mention and those joined to it by "and", "or" or commas ("NATO-centrism … or NATO-mania")."""
    chosen = [mentions[0]]
    text = extraction.source.text
    for mention in mentions[1:]:
        left, right = (mention, chosen[-1]) if backwards else (chosen[-1], mention)
        between = text[left.span.end:right.span.begin]
        kinds = {type_closure(extraction.entities[m.entity_id].type)[-1] for m in (left, right)}
        if (backwards and len(kinds) > 1) or not (_STRICT_JOINER if backwards else _JOINER).match(between):
            if backwards or len(between) > 60:
                break
            continue  # a name inside "X among the alliance's policymakers or Y" is passed over
        chosen.append(mention)
    return chosen


def _topic(finds: Found, phrase: Span, rule_id: str) -> str:
    """A target phrase the gazetteer does not know becomes a Topic labelled with it (recorded in `finds`)."""
    topic_id = f"topic-{slug(phrase.anchor)}"
    if topic_id not in finds.every_entity:
        finds.add_entity(Entity(topic_id, "Topic", label_of(phrase.anchor)))  # a line break of wrapped text is a space
    finds.mentions.append(Mention(phrase, topic_id, "phrase", f"stances.jsonl#{rule_id}", None))
    return topic_id


def _dedupe(positions: list[Position]) -> list[Position]:
    """One position per (holder, stance, target, sentence); evaluations keep their link."""
    seen: dict[tuple[str, str, str, int], int] = {}
    kept: list[Position] = []
    index_map: dict[int, int] = {}
    for index, position in enumerate(positions):
        key = (position.holder, position.stance, position.target, position.evidence.begin)
        if key in seen:
            index_map[index] = seen[key]
            continue
        seen[key] = len(kept)
        index_map[index] = len(kept)
        kept.append(position)
    return [p if p.evaluates is None else _relink(p, index_map[p.evaluates]) for p in kept]


def _relink(position: Position, index: int) -> Position:
    return replace(position, evaluates=index)
