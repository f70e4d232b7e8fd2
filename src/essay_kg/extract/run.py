"""Run the rule-based pipeline over a source text and collect what it finds.

Mentions come from the EntityRuler (gazetteer forms, surnames, acronyms,
demonyms) and from first-person coreference in the author's voice; the
bibliographic paratext and the metadata give the document's facts
(`bibliography`); relation rules give the relations (`relations`).  The
result is plain data (`model.Extraction`); RDF is made later by `build`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from essay_kg.extract import bibliography, relations
from essay_kg.extract import dates as timeline
from essay_kg.extract import stances as positions
from essay_kg.extract.cue_phrases import passive_demands
from essay_kg.extract.cue_topics import read_cue_topics
from essay_kg.extract.discovery import names as discovery
from essay_kg.extract.discovery.lexicon import Lexicon
from essay_kg.extract.discovery.own import with_own_collectives, with_own_names
from essay_kg.extract.events import with_events
from essay_kg.extract.named import with_lone_names, with_ner_types
from essay_kg.extract.nlp import SEPARATOR, all_matches, build_pipeline, names_another
from essay_kg.extract.parse import parse_texts
from essay_kg.extract.predicates import with_parsed_positions
from essay_kg.extract.rules.load import CorefRule, RuleSet
from essay_kg.extract.token_index import MAIN_CLAUSES, ParsedTokens
from essay_kg.model import Block, Entity, Extraction, Mention, ModelInfo, SourceText, Span, Statement, sentence_of, subtypes
from essay_kg.shipped import DEFAULT_MODEL, NO_MODEL
from essay_kg.text.source import flat, quotations

if TYPE_CHECKING:
    from spacy.tokens import Doc

def parse_blocks(source: SourceText, rules: RuleSet) -> list[tuple[Block, Doc]]:
    """Run the pipeline over every block whose mentions are sought (line breaks read as spaces)."""
    nlp = build_pipeline(rules)
    blocks = [b for b in source.blocks if b.annotate]
    return list(zip(blocks, nlp.pipe(flat(b.span.anchor) for b in blocks), strict=True))


def sentence_spans(source: SourceText, parsed: list[tuple[Block, Doc]]) -> Iterator[tuple[Block, Span]]:
    """Every sentence, with the block it lies in; anchors are the raw text, line breaks and all."""
    for block, doc in parsed:
        base = block.span.begin
        for sent in doc.sents:
            text = block.span.anchor[sent.start_char:sent.end_char].rstrip()
            if text.strip():
                lead = len(text) - len(text.lstrip())
                begin = base + sent.start_char + lead
                yield block, Span(begin, base + sent.start_char + len(text), text.lstrip())


def gazetteer_mentions(parsed: list[tuple[Block, Doc]], sentences: list[Span], rules: RuleSet) -> list[Mention]:
    """Mentions the EntityRuler found, with the resolution that matched them."""
    found = []
    for block, doc in parsed:
        for ent in doc.ents:
            entity_id, resolution = ent.ent_id_.split(SEPARATOR)
            if resolution == "alias" and names_another(ent, rules.entity(entity_id)):
                continue
            begin = block.span.begin + ent.start_char
            span = Span(begin, begin + len(ent.text), block.span.anchor[ent.start_char:ent.end_char])
            found.append(Mention(span, entity_id, resolution, rules.entity(entity_id).rule, sentence_of(sentences, begin)))
    named = {m.entity_id for m in found if not short_form(m, rules.entity(m.entity_id))}
    return [m for m in found if m.entity_id in named or _context_named(rules.entity(m.entity_id), named)]


def _context_named(entity: Entity, named: set[str]) -> bool:
    """Whether a text that says only a short form of an entity ("the partnership") names which one: every entity
    its ``short_forms_with`` lists is named ("tsar" where Russia is named); with none listed, never."""
    return bool(entity.short_forms_with) and set(entity.short_forms_with) <= named


def short_form(mention: Mention, entity: Entity) -> bool:
    """Whether a mention is an alias that is one common noun for an entity whose name is longer ("alliance" for
    NATO, "tsar" for the Emperor of Russia; not "junta" for a one-word name such as "regime": a word for a word)."""
    word = mention.span.anchor
    if mention.resolution == "alias" and " ".join(word.split()) in entity.context_aliases:
        return True  # an address to a presiding officer names one house's only where that house is named
    if mention.resolution != "alias" or not word.islower():
        return False
    if " " in word:  # "parliamentary elections" for one country's election of one year: a description of it
        return any(c.isupper() for c in entity.label) and " ".join(word.split()) != entity.label.lower()
    return " " in entity.label


def nested_mentions(parsed: list[tuple[Block, Doc]], sentences: list[Span], rules: RuleSet,
                    outer: list[Mention]) -> list[Mention]:
    """Names inside longer names ("Pravda" in "old-time Pravda columnists"), as nested mentions.

    Only descriptive phrases (groups, topics, events) contain nested names: "Foreign
    Affairs" in "Minister of Foreign Affairs" is part of an office's name, not the journal.
    Demonyms are left out: "Russian" in "Russian democrats" is part of a group's name,
    not a mention of the state.
    """
    descriptive = set(subtypes("Group")) | set(subtypes("Topic")) | set(subtypes("Event"))
    named = {m.entity_id for m in outer}
    outer = [m for m in outer if rules.entity(m.entity_id).type in descriptive]  # the mentions that may contain names
    matches = all_matches(rules)
    found = []
    for block, doc in parsed:
        base = block.span.begin
        here = [m for m in outer if m.span.begin < block.span.end and base < m.span.end]  # a container overlaps the block
        for match_id, start, end in matches(doc):
            entity_id, resolution = match_id.split(SEPARATOR)
            if resolution == "demonym":
                continue
            begin, stop = base + doc[start].idx, base + doc[end - 1].idx + len(doc[end - 1].text)
            container = [m for m in here if m.span.begin <= begin and stop <= m.span.end
                         and (m.span.begin, m.span.end) != (begin, stop) and m.entity_id != entity_id]
            if container:
                span = Span(begin, stop, block.span.anchor[begin - base:stop - base])
                entity = rules.entity(entity_id)
                mention = Mention(span, entity_id, resolution, entity.rule, sentence_of(sentences, begin), nested=True)
                if entity_id in named or not short_form(mention, entity) or _context_named(entity, named):
                    found.append(mention)  # a short form inside a longer name, too, only where it names the entity
    longest: dict[tuple[int, str], Mention] = {}
    for mention in found:  # keep the longest nested match per start and entity
        key = (mention.span.begin, mention.entity_id)
        if key not in longest or mention.span.end > longest[key].span.end:
            longest[key] = mention
    return sorted(longest.values())


def pronoun_mentions(parsed: list[tuple[Block, Doc]], sentences: list[Span], rules: RuleSet,
                     targets: dict[str, str | None]) -> list[Mention]:
    """First-person forms in body paragraphs, outside quotations, resolved by rule."""
    found = []
    phrases = own_state_phrases(rules, targets)
    words: dict[str, tuple[CorefRule, str]] = {}  # a one-word form → the first rule with it that resolves
    for rule in rules.coreference:
        target = targets.get(rule.resolves_to) or targets.get(rule.otherwise or "")
        for form in rule.forms if target else ():
            words.setdefault(form, (rule, target))
    for block, doc in parsed:
        if block.kind != "paragraph":
            continue
        quoted = quotations(block)
        covered: set[int] = set()
        for token in doc:
            for phrase, rule, target in phrases.get(token.lower_, ()):
                if tuple(t.lower_ for t in doc[token.i:token.i + len(phrase)]) == phrase \
                        and not doc[token.i:token.i + len(phrase)].ents:
                    last = doc[token.i + len(phrase) - 1]
                    begin, end = block.span.begin + token.idx, block.span.begin + last.idx + len(last.text)
                    if not any(q.begin <= begin < q.end for q in quoted):
                        found.append(Mention(Span(begin, end, block.span.anchor[token.idx:last.idx + len(last.text)]),
                                             target, "pronoun", f"coreference.jsonl#{rule.id}", sentence_of(sentences, begin)))
                        covered |= set(range(token.i, token.i + len(phrase)))
                        break
        for token in doc:
            if token.ent_type_ or token.is_space or token.i in covered:
                continue
            if (token.text.isupper() and token.text != "I") or token.text == "i":
                continue  # "US" is not "us"; a lower-case "i" is not the pronoun
            begin = block.span.begin + token.idx
            if any(q.begin <= begin < q.end for q in quoted):
                continue
            if (resolved := words.get(token.lower_)) is not None:
                rule, target = resolved
                found.append(Mention(Span(begin, begin + len(token.text), token.text), target, "pronoun",
                                     f"coreference.jsonl#{rule.id}", sentence_of(sentences, begin)))
    return found


def own_state_phrases(rules: RuleSet, targets: dict[str, str | None]) -> dict[str, list[tuple[tuple[str, ...], CorefRule, str]]]:
    """The phrases of the author's voice ("this nation", "our country": the author's state) by their first word, each
    with its rule and whom it resolves to, in the rules' order: a token is compared with the phrases it may begin."""
    phrases: dict[str, list[tuple[tuple[str, ...], CorefRule, str]]] = {}
    for rule in rules.coreference:
        target = targets.get(rule.resolves_to) or targets.get(rule.otherwise or "")
        if rule.resolves_to in targets and target:
            for form in rule.forms:
                if " " in form:
                    words = tuple(form.lower().split())
                    phrases.setdefault(words[0], []).append((words, rule, target))
    return phrases


def classify_quotes(extraction: Extraction) -> list[tuple[Span, str, str | None]]:
    """Each quotation in the body as (span, kind, speaker): a quotation reproduces somebody's words
    (cited by a footnote, or six words or more), a scare quote only distances the author from a word.

    The speaker of a quotation is the first person or group named before it in its sentence.
    """
    cited = {q for q, _ in extraction.quotations}
    speakers = {"Person", "Group"}
    found = []
    for block in extraction.source.blocks:
        if block.kind != "paragraph":
            continue
        for quote in quotations(block):
            words = len(quote.anchor.strip('"“”').split())
            kind = "quotation" if quote in cited or words >= 6 else "scare-quote"
            speaker = None
            if kind == "quotation" and quote not in cited:
                sentence = sentence_of(extraction.sentences, quote.begin)
                before = [m for m in extraction.mentions if sentence and m.sentence == sentence and not m.nested
                          and m.span.end <= quote.begin and extraction.entities[m.entity_id].type in speakers]
                speaker = before[0].entity_id if before else None  # the subject of the sentence
            found.append((quote, kind, speaker))
    return found


ANTECEDENTS = {"previous-actor": ("Group", "Institution", "State"), "previous-topic": ("Topic", "Event")}


MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})


def modifiers(extraction: Extraction, tokens: ParsedTokens | None) -> set[Span]:
    """The spans of the names the parse (`tokens`; None: no parse) reads as modifiers inside another noun's
    phrase ("a permanent NATO presence", "Chad's leaders"): what a later "they" means is that noun, not the name."""
    if tokens is None:
        return set()
    return {m.span for m in extraction.mentions if tokens.qualifies(m.span.begin, m.span.end, MODIFIERS)}


def anaphor_mentions(extraction: Extraction, rules: RuleSet, modifying: set[Span] | None = None) -> list[Mention]:
    """Third-person forms resolved to the last fitting entity named before them.

    "they", "these forces" → the last group, institution or state named earlier in the sentence,
    else the first (the subject) of the sentence before; "such an approach", "that role" → the
    last topic or event named before, in the sentence or the one before. Quotations are left alone,
    and so are names that only modify another noun (`modifiers`).
    """
    modifying = modifying or set()
    found: list[Mention] = []
    for rule in rules.coreference:
        if rule.resolves_to not in ANTECEDENTS:
            continue
        kinds = {t for name in rule.antecedents or ANTECEDENTS[rule.resolves_to] for t in subtypes(name)}
        named = sorted(m for m in extraction.mentions if not m.nested and m.resolution not in {"pronoun", "demonym"}
                       and m.entity_id in extraction.entities and extraction.entities[m.entity_id].type in kinds
                       and m.span not in modifying)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in sorted(rule.forms, key=len, reverse=True))
                             + r")\b", re.IGNORECASE)
        for block in extraction.source.blocks:
            if block.kind != "paragraph":
                continue
            quoted = quotations(block)
            sentences = [s for s in extraction.sentences if block.span.begin <= s.begin < block.span.end]
            for match in pattern.finditer(block.span.anchor):
                begin = block.span.begin + match.start()
                here = next((i for i, s in enumerate(sentences) if s.begin <= begin < s.end), None)
                if here is None or any(q.begin <= begin < q.end for q in quoted):
                    continue
                if rule.sentence_initial and begin != sentences[here].begin:
                    continue
                window_start = sentences[here - 1].begin if here > 0 else sentences[here].begin
                known = sorted(named + [m for m in found if m.entity_id in extraction.entities
                                        and extraction.entities[m.entity_id].type in kinds])  # chains: "Both … they"
                same = [m for m in known if sentences[here].begin <= m.span.begin and m.span.end <= begin]
                earlier = [m for m in known if window_start <= m.span.begin < sentences[here].begin]
                pick = -1 if rule.resolves_to == "previous-topic" else 0  # a topic: the last; an actor: the subject
                antecedent = same[-1] if same else (earlier[pick] if earlier else None)
                if antecedent is not None:
                    span = Span(begin, begin + len(match.group()), match.group())
                    found.append(Mention(span, antecedent.entity_id, "anaphor", f"coreference.jsonl#{rule.id}",
                                         sentences[here]))
    return found


def mention_statements(extraction: Extraction) -> list[Statement]:
    """The document mentions each entity it has a mention of (evidence: the mentions)."""
    doc_id = f"doc/{extraction.source.metadata.doc_id}"
    spans: dict[str, list[Span]] = {}
    for mention in extraction.mentions:
        spans.setdefault(mention.entity_id, []).append(mention.span)
    return [Statement(doc_id, "ekg:mentions", entity_id, "extract#mentions", tuple(sorted(found)))
            for entity_id, found in sorted(spans.items())]


def salient(extraction: Extraction) -> list[Mention]:
    """The mentions, without those of general topics a text names too seldom to be about them
    (an entity's ``min_mentions``), unless a position or a statement is about them."""
    counts: dict[str, int] = {}
    for mention in extraction.mentions:
        counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
    about = {p.target for p in extraction.positions} | {p.holder for p in extraction.positions}
    about |= {s.subject for s in extraction.statements} | {s.object for s in extraction.statements
                                                            if isinstance(s.object, str)}
    keep = [m for m in extraction.mentions
            if m.entity_id in about or counts[m.entity_id] >= extraction.entities[m.entity_id].min_mentions]
    return sorted(keep)


def extract(source: SourceText, rules: RuleSet, model: str = DEFAULT_MODEL) -> Extraction:
    """Everything the rules and the trained pipeline `model` ("none": the rules alone) find in `source`:
    the steps in order, each returning a new Extraction."""
    parsed = parse_blocks(source, rules)
    syntax, info = parse_body(parsed, model)
    sentences = [span for _, span in sentence_spans(source, parsed)]
    x = Extraction(source=source, sentences=sentences, entities={e.id: e for e in rules.entities})
    names = gazetteer_mentions(parsed, sentences, rules)
    x = x.adding(mentions=names + nested_mentions(parsed, sentences, rules, names))
    x = bibliography.with_bibliography(x, rules)
    lexicon = Lexicon.of(rules.discovery)
    x = discovery.with_discoveries(parsed, x, lexicon)
    if syntax:
        x = with_lone_names(with_ner_types(x, syntax, rules.ner), syntax, rules.ner)
    x = replace(x, mentions=sorted(x.mentions))
    x = x.adding(statements=relations.statements(parsed, x, rules))
    author_state = relations.author_state(x)
    targets = {"author": x.author_id, "author-state": author_state}
    x = replace(x, mentions=sorted([*x.mentions, *pronoun_mentions(parsed, sentences, rules, targets)]))
    x = with_own_names(with_own_collectives(x, lexicon, author_state), author_state)
    x = x.adding(statements=relations.cooccur_statements(x, rules.relations))  # again: "I" and "we" count now
    x = timeline.with_named_days(replace(x, times=timeline.time_expressions(x, rules.time)))
    if syntax:
        x = with_events(x, syntax, rules.heads)
    parsed = ParsedTokens(syntax) if syntax else None
    clause = (lambda offset: parsed.clause(offset, MAIN_CLAUSES)) if parsed is not None else None
    relative = parsed.relative_clause if parsed is not None else None
    x = replace(x, statements=dict.fromkeys([*x.statements, *timeline.date_statements(x, list(x.times), clause, relative)]))
    x = replace(x, mentions=sorted([*x.mentions, *anaphor_mentions(x, rules, modifiers(x, parsed))]))
    x = positions.with_positions(x, rules.stances, author_state)
    if parsed is not None:
        x = passive_demands(read_cue_topics(x, syntax, rules.heads), parsed, rules.predicates)
        x = replace(with_parsed_positions(x, syntax, rules.predicates, rules.heads, author_state), model=info)
    x = replace(x, quote_kinds=classify_quotes(x), mentions=salient(x), software=software(x.model))
    return finish(x, rules)


def software(model: ModelInfo | None) -> tuple[tuple[str, str, str], ...]:
    """The programs that read the text, for the build's provenance: spaCy, and the trained pipeline if any."""
    from spacy import __version__ as spacy_version

    found = [("spacy", "spaCy", spacy_version)]
    if model is not None:
        found.append((model.package, f"spaCy pipeline {model.package}", model.version))
    return tuple(found)


def parse_body(parsed: list[tuple[Block, Doc]], model: str) -> tuple[list[tuple[Block, Doc]], ModelInfo | None]:
    """The trained pipeline's parse of every body paragraph (none with model "none")."""
    if model == NO_MODEL:
        return [], None
    body = [block for block, _ in parsed if block.kind == "paragraph"]
    docs, info = parse_texts([flat(block.span.anchor) for block in body], model, parsed[0][1].vocab if parsed else None)
    return list(zip(body, docs, strict=True)), info


def finish(extraction: Extraction, rules: RuleSet) -> Extraction:
    """Only the entities the text speaks of, the document's mentions of each, and their Wikidata links."""
    used = {m.entity_id for m in extraction.mentions}
    used |= {s.subject for s in extraction.statements}
    used |= {s.object for s in extraction.statements if isinstance(s.object, str)}
    x = replace(extraction, entities={k: v for k, v in sorted(extraction.entities.items()) if k in used})
    return replace(x.adding(statements=mention_statements(x)),
                   links=[link for link in rules.links if link.id in x.entities])
