"""Time expressions and event dates.

The patterns of `extract/time.jsonl` find absolute times ("In August 1991",
"April 11, 1994") and times relative to the publication date ("last
December", "in February", "Ten years ago", "Early in the last century",
"now"). Each is resolved to an XSD value as precise as the text allows, with
its precision and, for ranges, earliest and latest bounds. An expression
dates the events mentioned in its sentence; the date keeps the span it came
from as evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from essay_kg.extract.found import Found
from essay_kg.extract.rules.load import TimeRule
from essay_kg.extract.time_values import Published, later, resolve
from essay_kg.model import Entity, Extraction, Mention, Span, Statement, TimeExpression, Value, sentence_of, slug, subtypes
from essay_kg.text.source import flat

SOURCE = "time.jsonl"


def _publication(extraction: Extraction) -> Published | None:
    """(year, month) or (year, month, day) of the publication; a year alone counts as its December."""
    date = extraction.source.metadata.date
    if not date:
        return None
    parts = [int(p) for p in str(date).split("-")]
    return (parts[0], 12) if len(parts) == 1 else tuple(parts[:3])


def time_expressions(extraction: Extraction, rules: tuple[TimeRule, ...]) -> list[TimeExpression]:
    """Every time expression of the body, longest match first where two overlap."""
    published = _publication(extraction)
    openings = tuple(r for r in rules if r.kind == "opening")
    found: list[TimeExpression] = []
    for block in extraction.source.blocks:
        if block.kind != "paragraph":
            continue
        for rule in rules:
            if rule.kind in AROUND:
                continue
            for match in rule.regex.finditer(flat(block.span.anchor)):
                fields = {k: v for k, v in match.groupdict().items() if v}
                resolved = resolve(rule, fields, published)
                if resolved is None:
                    continue
                begin = block.span.begin + match.start()
                span = Span(begin, begin + len(match.group()), block.span.anchor[match.start():match.end()])  # exact text
                names = None
                if rule.kind == "holiday":
                    start, end = match.span("part")
                    names = Span(block.span.begin + start, block.span.begin + end, block.span.anchor[start:end])
                earliest, latest = resolved.earliest, resolved.latest
                before = flat(block.span.anchor[max(0, match.start() - 24):match.start()])
                opens = any(r.regex.search(before) for r in openings)
                if opens and latest is not None:
                    latest = None  # "starting next week": from then on
                found.append(TimeExpression(span, rule.id, resolved.value, resolved.precision, earliest,
                                            latest, rule.dates_events, rule.attach, names=names,
                                            opens=opens and resolved.value is not None))
    found += _relative_to_events(extraction, tuple(r for r in rules if r.kind in {"after-event", "before-event"}))
    kept = _in_the_year_told(extraction, _longest(found), {r.id for r in rules if r.kind in YEARLESS})
    kept = _longest(kept + _relative_to_previous(extraction, kept, tuple(r for r in rules if r.kind in FOLLOWING)))
    return _ranges(extraction, kept, tuple(r for r in rules if r.kind == "range"))


FOLLOWING = {"later", "same"}  # read from the dated expression before them
AROUND = {"opening", "range"}  # rules read around the other expressions, not on their own
COARSER = ("day", "week", "month-part", "month", "season", "year", "decade", "century")  # finest first


def _ranges(extraction: Extraction, found: list[TimeExpression], rules: tuple[TimeRule, ...]) -> list[TimeExpression]:
    """Two expressions of one sentence joined by the words of a "range" rule ("from 1 May to 9 May",
    "began on 3 May until … a week ago") become one range: from the first's start to the second's
    end, as precise as the coarser of the two, with the words from the first to the second as evidence."""
    if not rules:
        return found
    text = extraction.source.text
    sentences = list(extraction.sentences)
    joined: list[TimeExpression] = []
    index = 0
    while index < len(found):
        first = found[index]
        second = found[index + 1] if index + 1 < len(found) else None
        rule = None if second is None else _joining(text, sentences, first, second, rules)
        if rule is None or second is None:
            joined.append(first)
            index += 1
            continue
        span = Span(first.span.begin, second.span.end, text[first.span.begin:second.span.end])
        precision = max(first.precision, second.precision, key=lambda p: COARSER.index(p) if p in COARSER else -1)
        joined.append(TimeExpression(span, rule.id, None, precision, first.earliest or first.value,
                                     second.latest or second.value, True, "events"))
        index += 2
    return joined


def _joining(text: str, sentences: list[Span], first: TimeExpression, second: TimeExpression,
             rules: tuple[TimeRule, ...]) -> TimeRule | None:
    """The range rule whose words join two expressions, when both date the events of one sentence and the
    first starts no later than the second ends."""
    between = text[first.span.end:second.span.begin]
    start, end = first.earliest or first.value, second.latest or second.value
    if len(between) > 120 or start is None or end is None or start.lexical > end.lexical \
            or not (first.dates_events and second.dates_events and first.attach == second.attach == "events") \
            or sentence_of(sentences, first.span.begin) != sentence_of(sentences, second.span.begin):
        return None
    return next((r for r in rules if r.regex.search(flat(between))), None)


def _longest(found: list[TimeExpression]) -> list[TimeExpression]:
    """The expressions in text order, the longest kept where two overlap."""
    kept: list[TimeExpression] = []
    for expression in sorted(found, key=lambda t: (-(t.span.end - t.span.begin), t.span.begin)):
        if not any(k.span.begin < expression.span.end and expression.span.begin < k.span.end for k in kept):
            kept.append(expression)
    return sorted(kept)


YEARLESS = {"recent-month", "day-month", "month-part"}  # a month or day the text gives without its year
YEAR_TOLD = {"day", "week", "month-part", "month", "season", "year"}


def _in_the_year_told(extraction: Extraction, found: list[TimeExpression], yearless: set[str]) -> list[TimeExpression]:
    """A month or day without its year ("in September", "on 8 May") in the year of the dated expression before it
    in its sentence, when there is one ("Two years ago, talks resumed, but they stalled in September"), not the
    publication's (a sentence before may have moved on: "The summit was held in 1994. This year, on 3 May, …")."""
    sentences = list(extraction.sentences)
    told: list[TimeExpression] = []
    for expression in found:
        sentence = sentence_of(sentences, expression.span.begin)
        years = [value.lexical[:4] for t in told if sentence is not None and sentence_of(sentences, t.span.begin) == sentence
                 and t.precision in YEAR_TOLD and (value := t.value or t.earliest) is not None]
        if expression.rule_id in yearless and years:
            year = years[-1]
            expression = replace(expression, **{k: _in_year(getattr(expression, k), year)
                                                for k in ("value", "earliest", "latest")})
        told.append(expression)
    return told


def _in_year(value: Value | None, year: str) -> Value | None:
    return None if value is None else replace(value, lexical=year + value.lexical[4:])


def _relative_to_previous(extraction: Extraction, dated: list[TimeExpression],
                          rules: tuple[TimeRule, ...]) -> list[TimeExpression]:
    """ "Six days later", "the following year": from the nearest dated expression before them (in text
    order, so that one such expression can follow on from another); "in response", "at the same time": the
    time of that expression itself, a range as a range."""
    matches = sorted((block.span.begin + match.start(), rule.id, rule, match) for block in extraction.source.blocks
                     if block.kind == "paragraph" for rule in rules for match in rule.regex.finditer(flat(block.span.anchor)))
    found: list[TimeExpression] = []
    for begin, _, rule, match in matches:
        before = sorted(t for t in (*dated, *found) if t.span.end <= begin and t.dates_events
                        and (t.value is not None or (rule.kind == "same" and t.earliest is not None)))
        if not before:
            continue
        if rule.kind == "same" and not _next_sentence(extraction, before[-1].span.begin, begin):
            continue  # "in response" to what the sentence before dates, not to a date paragraphs back
        fields = {k: v for k, v in match.groupdict().items() if v}
        resolved = replace(before[-1], rule_id=rule.id, opens=False) if rule.kind == "same" else later(rule, fields, before[-1])
        if resolved is not None:
            span = Span(begin, begin + len(match.group()), extraction.source.text[begin:begin + len(match.group())])
            found.append(replace(resolved, span=span, dates_events=rule.dates_events, attach=rule.attach))
    return found


def _next_sentence(extraction: Extraction, first: int, second: int) -> bool:
    """Whether offset `second` lies in the sentence of offset `first` or in the one right after it, in one block."""
    sentences = list(extraction.sentences)
    one, two = sentence_of(sentences, first), sentence_of(sentences, second)
    if one is None or two is None:
        return False
    block = next((b for b in extraction.source.blocks if b.span.begin <= first < b.span.end), None)
    return block is not None and second < block.span.end and sentences.index(two) - sentences.index(one) in {0, 1}


def _relative_to_events(extraction: Extraction, rules: tuple[TimeRule, ...]) -> list[TimeExpression]:
    """ "After World War II": a range that starts when a dated event of the gazetteer ended (or, "before", ends
    when it started)."""
    found = []
    events = set(subtypes("Event"))
    for rule in rules:
        for block in extraction.source.blocks:
            if block.kind != "paragraph":
                continue
            for match in rule.regex.finditer(flat(block.span.anchor)):
                at = block.span.begin + match.end()
                mention = next((m for m in extraction.text_mentions if m.span.begin == at and not m.nested), None)
                if mention is None or extraction.entities[mention.entity_id].type not in events:
                    continue
                entity = extraction.entities[mention.entity_id]
                bound = entity.end if rule.kind == "after-event" else entity.start
                if bound is None:
                    continue
                begin = block.span.begin + match.start()
                span = Span(begin, mention.span.end, extraction.source.text[begin:mention.span.end])
                value = Value(bound[:4], "gYear")
                found.append(TimeExpression(span, rule.id, None, "year",
                                            value if rule.kind == "after-event" else None,
                                            value if rule.kind == "before-event" else None,
                                            rule.dates_events, rule.attach, anchor=mention.entity_id))
    return found


def _adjacent(extraction: Extraction, expression: TimeExpression, mentions: list) -> list[str]:
    """The entity named right before ("the order in the 21st century") or after ("1914-style balance")."""
    text = extraction.source.text
    before = [m for m in mentions if m.span.end <= expression.span.begin
              and text[m.span.end:expression.span.begin].strip() in {"", "in", "of"}]
    after = [m for m in mentions if m.span.begin >= expression.span.end
             and text[expression.span.end:m.span.begin].strip() in {"", "of"}]
    chosen = before[-1:] or after[:1]
    return [m.entity_id for m in chosen]


def with_named_days(extraction: Extraction) -> Extraction:
    """A day the text names ("this coming Bastille Day") is an event of its own, dated by its expression."""
    found = Found.on(extraction)
    sentences = list(extraction.sentences)
    for expression in extraction.times:
        if expression.names is None or expression.value is None:
            continue
        label = " ".join(expression.names.anchor.split())
        entity_id = slug(f"{label} {expression.value.lexical[:4]}")
        if entity_id not in found.every_entity:
            found.add_entity(Entity(entity_id, "Event", f"{label} {expression.value.lexical[:4]}", source=SOURCE,
                                    discovered=True, confidence=0.9, rule_id=f"time.jsonl#{expression.rule_id}"))
        found.mentions.append(Mention(expression.names, entity_id, "phrase", f"time.jsonl#{expression.rule_id}",
                                      sentence_of(sentences, expression.names.begin)))
    return found.result() if found.mentions else extraction


MADE = {"Document"}  # a law, a bill, a plan: dated by its making ("in 2014, the parliament passed the law")


def date_statements(extraction: Extraction, expressions: list[TimeExpression],
                    clause: Callable[[int], int | None] | None = None,
                    relative: Callable[[int], tuple[int, int] | None] | None = None) -> list[Statement]:
    """Dates of the events mentioned in the sentence of each time expression (or of the entity next to it);
    with the parse (`clause`: the clause of a character offset), of those in the expression's own clause
    ("Chad passed laws, and its president pledged to hold elections next year": next year is not the laws');
    in a relative clause (`relative`: its character range), of the events inside it and the one it is said of,
    the nearest before it ("a report on the summit in Oslo, which I attended on 20 May": the summit's date)."""
    events = set(subtypes("Event"))
    dated: set[str] = set()
    found = []
    for expression in expressions:
        if not expression.dates_events:
            continue
        sentence = next((s for s in extraction.sentences if s.begin <= expression.span.begin < s.end), None)
        if sentence is None:
            continue
        mentions = sorted(m for m in extraction.mentions if m.sentence == sentence and not m.nested
                          and m.resolution != "pronoun")
        inside = relative(expression.span.begin) if relative is not None and expression.attach == "events" else None
        if inside is not None:
            made = events | MADE
            before = [m for m in mentions if m.span.end <= inside[0] and extraction.entities[m.entity_id].type in made]
            mentions = [*before[-1:], *(m for m in mentions if inside[0] <= m.span.begin < inside[1])]
        elif clause is not None and expression.attach == "events" and (own := clause(expression.span.begin)) is not None:
            mentions = [m for m in mentions if clause(m.span.begin) in {own, None}]
        if expression.attach == "adjacent":
            targets = _adjacent(extraction, expression, mentions)
        elif expression.attach == "sentence":
            kinds = events | set(subtypes("Topic"))
            targets = list(dict.fromkeys(m.entity_id for m in mentions if m.entity_id != expression.anchor
                                         and extraction.entities[m.entity_id].type in kinds))
        else:
            targets = list(dict.fromkeys(m.entity_id for m in mentions
                                         if extraction.entities[m.entity_id].type in events | MADE))
        for event_id in targets:
            if event_id in dated:
                continue
            dated.add(event_id)
            rule = f"time.jsonl#{expression.rule_id}"
            evidence = (expression.span,)
            found.append(Statement(event_id, "ekg:datePrecision", Value(expression.precision), rule, evidence))
            if expression.value is not None and expression.opens:  # "began on 3 May": from then on
                found.append(Statement(event_id, "ekg:earliest", expression.value, rule, evidence))
            elif expression.value is not None:
                found.append(Statement(event_id, "ekg:date", expression.value, rule, evidence))
            if expression.earliest is not None:
                found.append(Statement(event_id, "ekg:earliest", expression.earliest, rule, evidence))
            if expression.latest is not None:
                found.append(Statement(event_id, "ekg:latest", expression.latest, rule, evidence))
    return found
