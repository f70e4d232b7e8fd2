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

import calendar

from essay_kg.extract.rules.load import TimeRule
from essay_kg.model import Extraction, Span, Statement, TimeExpression, Value, subtypes

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}




def _publication(extraction: Extraction) -> tuple[int, int] | None:
    date = extraction.source.metadata.date
    if not date:
        return None
    parts = str(date).split("-")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 12


def resolve(rule: TimeRule, fields: dict[str, str], published: tuple[int, int] | None) -> TimeExpression | None:
    """The value of one match, or None when it needs a publication date that is unknown."""
    kind = rule.kind
    span = Span(0, 0, "")
    if kind == "date":
        month = MONTHS[fields["month"]]
        value = Value(f"{int(fields['year']):04d}-{month:02d}-{int(fields['day']):02d}", "date")
        return TimeExpression(span, rule.id, value, "day")
    if kind == "month":
        return TimeExpression(span, rule.id, Value(f"{int(fields['year']):04d}-{MONTHS[fields['month']]:02d}",
                                                   "gYearMonth"), "month")
    if kind in {"after-event", "before-event"}:
        return None  # resolved against the event named next, in _relative_to_events
    if kind == "year":
        return TimeExpression(span, rule.id, Value(f"{int(fields['year']):04d}", "gYear"), "year")
    if kind == "decade":
        start = int(fields["year"])
        return TimeExpression(span, rule.id, None, "decade", Value(f"{start:04d}", "gYear"),
                              Value(f"{start + 9:04d}", "gYear"))
    if kind == "century":
        first = (int(fields["ordinal"]) - 1) * 100 + 1
        return TimeExpression(span, rule.id, None, "century", Value(f"{first:04d}", "gYear"),
                              Value(f"{first + 99:04d}", "gYear"))
    if published is None:
        return None
    year, month = published
    if kind in {"last-month", "recent-month"}:
        wanted = MONTHS[fields["month"].capitalize()]
        strictly_before = kind == "last-month"
        target_year = year if (wanted < month or (wanted == month and not strictly_before)) else year - 1
        return TimeExpression(span, rule.id, Value(f"{target_year:04d}-{wanted:02d}", "gYearMonth"), "month")
    if kind == "day-month":  # "on 8 May": the publication's year
        value = Value(f"{year:04d}-{MONTHS[fields['month'].capitalize()]:02d}-{int(fields['day']):02d}", "date")
        return TimeExpression(span, rule.id, value, "day")
    if kind == "since-year":  # "since 2015": from that year to the publication
        return TimeExpression(span, rule.id, None, "year", Value(f"{int(fields['year']):04d}", "gYear"),
                              Value(f"{year:04d}", "gYear"))
    if kind == "years-ago":
        word = fields["number"].lower()
        count = int(word) if word.isdigit() else rule.numbers[word]
        return TimeExpression(span, rule.id, Value(f"{year - count:04d}", "gYear"), "year")
    if kind == "next-century":
        first = ((year - 1) // 100 + 1) * 100 + 1
        return TimeExpression(span, rule.id, None, "century", Value(f"{first:04d}", "gYear"),
                              Value(f"{first + 99:04d}", "gYear"))
    if kind == "century-part":
        low, high = rule.parts[fields["part"].lower()]
        century = (year - 1) // 100 * 100 - 100  # the last century: 1800 for 1994
        return TimeExpression(span, rule.id, None, "century", Value(f"{century + low:04d}", "gYear"),
                              Value(f"{century + high:04d}", "gYear"))
    if kind == "present":
        return TimeExpression(span, rule.id, Value(f"{year:04d}-{month:02d}", "gYearMonth"), "month",
                              dates_events=rule.dates_events)
    raise ValueError(f"unknown time kind {kind}")


def time_expressions(extraction: Extraction, rules: tuple[TimeRule, ...]) -> list[TimeExpression]:
    """Every time expression of the body, longest match first where two overlap."""
    published = _publication(extraction)
    found: list[TimeExpression] = []
    for block in extraction.source.blocks:
        if block.kind != "paragraph":
            continue
        for rule in rules:
            for match in rule.regex.finditer(block.span.anchor):
                fields = {k: v for k, v in match.groupdict().items() if v}
                resolved = resolve(rule, fields, published)
                if resolved is None:
                    continue
                begin = block.span.begin + match.start()
                span = Span(begin, begin + len(match.group()), match.group())
                found.append(TimeExpression(span, rule.id, resolved.value, resolved.precision, resolved.earliest,
                                            resolved.latest, rule.dates_events, rule.attach))
    found += _relative_to_events(extraction, tuple(r for r in rules if r.kind in {"after-event", "before-event"}))
    kept: list[TimeExpression] = []
    for expression in sorted(found, key=lambda t: (-(t.span.end - t.span.begin), t.span.begin)):
        if not any(k.span.begin < expression.span.end and expression.span.begin < k.span.end for k in kept):
            kept.append(expression)
    return sorted(kept)


def _relative_to_events(extraction: Extraction, rules: tuple[TimeRule, ...]) -> list[TimeExpression]:
    """ "After World War II": a range that starts when a dated event of the gazetteer ended (or, "before", ends
    when it started)."""
    found = []
    events = set(subtypes("Event"))
    for rule in rules:
        for block in extraction.source.blocks:
            if block.kind != "paragraph":
                continue
            for match in rule.regex.finditer(block.span.anchor):
                at = block.span.begin + match.end()
                mention = next((m for m in extraction.mentions if m.span.begin == at and not m.nested), None)
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


def date_statements(extraction: Extraction, expressions: list[TimeExpression]) -> list[Statement]:
    """Dates of the events mentioned in the sentence of each time expression (or of the entity next to it)."""
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
        if expression.attach == "adjacent":
            targets = _adjacent(extraction, expression, mentions)
        elif expression.attach == "sentence":
            kinds = events | set(subtypes("Topic"))
            targets = list(dict.fromkeys(m.entity_id for m in mentions if m.entity_id != expression.anchor
                                         and extraction.entities[m.entity_id].type in kinds))
        else:
            targets = list(dict.fromkeys(m.entity_id for m in mentions
                                         if extraction.entities[m.entity_id].type in events))
        for event_id in targets:
            if event_id in dated:
                continue
            dated.add(event_id)
            rule = f"time.jsonl#{expression.rule_id}"
            evidence = (expression.span,)
            found.append(Statement(event_id, "ekg:datePrecision", Value(expression.precision), rule, evidence))
            if expression.value is not None:
                found.append(Statement(event_id, "ekg:date", expression.value, rule, evidence))
            if expression.earliest is not None:
                found.append(Statement(event_id, "ekg:earliest", expression.earliest, rule, evidence))
            if expression.latest is not None:
                found.append(Statement(event_id, "ekg:latest", expression.latest, rule, evidence))
    return found
