"""Bibliographic facts: the document's metadata, its byline, translator credit
and footnoted citations.

The paratext patterns (`extract/paratext.jsonl`) name the fields of each line
(author, role, translator, number, title, venue, date, page); this module
turns them into statements whose evidence is exactly those fields.  A field
whose text the gazetteer does not know becomes a new entity labelled with it.
Facts only the metadata file knows (title, volume, pages…) carry the metadata
record as their evidence instead.
"""

from __future__ import annotations

import re
from datetime import datetime

from essay_kg.extract.found import Found
from essay_kg.extract.rules.load import RuleSet
from essay_kg.model import Block, Entity, Extraction, Mention, SourceText, Span, Statement, Value, slug, subtypes
from essay_kg.text.source import quotations

_DATE_FORMATS = ("%B %d, %Y", "%b. %d, %Y", "%b %d, %Y", "%B %Y", "%Y")


def date_value(text: str) -> Value | None:
    """An XSD date literal as precise as `text` allows (ISO or 'April 11, 1994')."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Value(text, "date")
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Value(text, "gYearMonth")
    if re.fullmatch(r"\d{4}", text):
        return Value(text, "gYear")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        kind = {"%Y": "gYear", "%B %Y": "gYearMonth"}.get(fmt, "date")
        lexical = {"gYear": "%Y", "gYearMonth": "%Y-%m"}.get(kind, "%Y-%m-%d")
        return Value(parsed.strftime(lexical), kind)
    return None


def lookup(rules: RuleSet, name: str, type_name: str) -> str | None:
    """The gazetteer id whose label or alias is `name` and whose type fits."""
    allowed = set(subtypes(type_name))
    for entity in rules.entities:
        if entity.type in allowed and name in (entity.label, *entity.aliases):
            return entity.id
    return None


def entity_at(found: Found, span: Span, type_name: str, rule_id: str) -> str:
    """The entity a paratext field names: a mention inside it, or a new entity (recorded in `found`)."""
    allowed = set(subtypes(type_name))
    entities = found.every_entity
    inside = [m for m in found.every_mention if span.begin <= m.span.begin and m.span.end <= span.end
              and entities[m.entity_id].type in allowed]
    if inside:
        return max(inside, key=lambda m: m.span.end - m.span.begin).entity_id
    entity_id = slug(span.anchor)
    existing = entities.get(entity_id)
    if existing is None or existing.type not in allowed:
        if existing is not None:
            entity_id = f"{entity_id}-{type_name.lower()}"
        found.add_entity(Entity(entity_id, type_name, span.anchor))
    found.mentions.append(Mention(span, entity_id, "label", rule_id))
    return entity_id


def _named(found: Found, rules: RuleSet, name: str, type_name: str, field: str) -> str:
    """The entity a metadata value names (gazetteer first, else a new one).

    The value's place in the metadata file is recorded as a mention, so the
    entity is traceable to the exact words of the record.
    """
    entity_id = lookup(rules, name, type_name) or slug(name)
    if entity_id not in found.every_entity:
        found.add_entity(Entity(entity_id, type_name, name))
    span = found.known.source.metadata.span(field)
    if span is not None:
        resolution = "label" if name == found.every_entity[entity_id].label else "alias"
        found.mentions.append(Mention(span, entity_id, resolution, f"metadata#{field}"))
    return entity_id


def metadata_statements(finds: Found, rules: RuleSet, has: set[str]) -> list[Statement]:
    """Facts from the metadata file, skipping those the text itself gives (`has`)."""
    meta = finds.known.source.metadata
    doc = f"doc/{meta.doc_id}"
    found = []

    def add(predicate: str, obj: str | Value, field: str) -> None:
        span = meta.span(field)
        found.append(Statement(doc, predicate, obj, f"metadata#{field}", (span,) if span else (),
                               derived_from_metadata=True))

    if meta.title:
        add("dcterms:title", Value(meta.title), "title")
    if "title" not in has:
        add("rdfs:label", Value(meta.title or meta.doc_id), "title")  # every entity, the document too, has a label
    if meta.date and (value := date_value(meta.date)):
        add("ekg:date", value, "date")
    for predicate, field in (("schema:volumeNumber", "volume"), ("schema:issueNumber", "issue"),
                             ("schema:pagination", "pages"), ("dcterms:language", "language")):
        value = getattr(meta, field)
        if value is not None:
            add(predicate, Value(str(value), "language" if field == "language" else "string"), field)
    if meta.periodical:
        add("ekg:publishedIn", _named(finds, rules, meta.periodical, "Media", "periodical"), "periodical")
    if meta.author and "author" not in has:
        author = _named(finds, rules, meta.author, "Person", "author")
        finds.author_id = author
        add("ekg:author", author, "author")
    if meta.author_role and finds.author_id and "holdsOffice" not in has:
        found += _office_from_metadata(finds, rules, meta.author_role)
    if meta.translator and "translator" not in has:
        add("ekg:translator", _named(finds, rules, meta.translator, "Person", "translator"), "translator")
    return found


def _office_from_metadata(finds: Found, rules: RuleSet, role: str) -> list[Statement]:
    """The office the metadata says the author held ("President of the United States"), and the state
    it is an office of, when the role names one: so that "we" in his text speaks for that state."""
    author = finds.author_id
    assert author is not None
    office = _named(finds, rules, role, "Office", "author_role")
    span = finds.known.source.metadata.span("author_role")
    evidence = (span,) if span else ()
    rule = "metadata#author_role"
    found = [Statement(author, "ekg:holdsOffice", office, rule, evidence, derived_from_metadata=True)]
    states = sorted({e.id for e in rules.entities if e.type == "State"
                     for form in (e.label, *e.aliases) if re.search(rf"\b{re.escape(form)}\b", role)})
    found += [Statement(office, "ekg:officeOf", state, rule, evidence, derived_from_metadata=True) for state in states]
    return found


def title_statements(extraction: Extraction, block: Block) -> list[Statement]:
    """The document's title and label from the text's first line, when the metadata gives no title."""
    span = dict(block.fields).get("title")
    if span is None:
        return []
    doc, rule, title = f"doc/{extraction.source.metadata.doc_id}", f"paratext.jsonl#{block.rule_id}", Value(span.anchor)
    return [Statement(doc, "dcterms:title", title, rule, (span,)), Statement(doc, "rdfs:label", title, rule, (span,))]


def byline_statements(finds: Found, block: Block) -> list[Statement]:
    """The author and the office held at publication, from the byline."""
    fields = dict(block.fields)
    rule = f"paratext.jsonl#{block.rule_id}"
    meta = finds.known.source.metadata
    doc = f"doc/{meta.doc_id}"
    found = []
    if "author" in fields:
        author = entity_at(finds, fields["author"], "Person", rule)
        finds.author_id = author
        found.append(Statement(doc, "ekg:author", author, rule, (fields["author"],)))
        if "role" in fields:
            office = entity_at(finds, fields["role"], "Office", rule)
            evidence = (fields["author"], fields["role"])
            term = f"office-term/{author}/{office}"
            found += [
                Statement(author, "ekg:holdsOffice", office, rule, evidence),
                Statement(term, "rdf:type", "ekg:OfficeTerm", rule, evidence),
                Statement(term, "ekg:heldBy", author, rule, evidence),
                Statement(term, "ekg:inOffice", office, rule, evidence),
            ]
            if meta.date and (when := date_value(meta.date)):
                found.append(Statement(term, "ekg:asOf", when, rule, evidence))
    if "translator" in fields:
        translator = entity_at(finds, fields["translator"], "Person", rule)
        found.append(Statement(doc, "ekg:translator", translator, rule, (fields["translator"],)))
    return found


def citation_statements(finds: Found, block: Block) -> list[Statement]:
    """A footnote citing a document: its author, title, venue, date and page."""
    fields = dict(block.fields)
    rule = f"paratext.jsonl#{block.rule_id}"
    source = finds.known.source
    doc = f"doc/{source.metadata.doc_id}"
    if "title" not in fields:
        return []
    cited = entity_at(finds, fields["title"], "Document", rule)
    number = fields.get("number")
    markers = [m for m in source.markers
               if number and dict(m.fields).get("number", Span(0, 0, "")).anchor == number.anchor]
    cite_evidence = tuple(sorted({*(m.span for m in markers), *([number] if number else []), fields["title"]}))
    found = [Statement(doc, "ekg:cites", cited, rule, cite_evidence),
             Statement(cited, "dcterms:title", Value(fields["title"].anchor), rule, (fields["title"],))]
    if "author" in fields:
        found.append(Statement(cited, "ekg:author", entity_at(finds, fields["author"], "Person", rule), rule,
                               (fields["author"],)))
    if "venue" in fields:
        found.append(Statement(cited, "ekg:publishedIn", entity_at(finds, fields["venue"], "Media", rule), rule,
                               (fields["venue"],)))
    if "date" in fields and (value := date_value(fields["date"].anchor)):
        found.append(Statement(cited, "ekg:date", value, rule, (fields["date"],)))
    if "page" in fields:
        found.append(Statement(cited, "ekg:page", Value(fields["page"].anchor), rule, (fields["page"],)))
    for marker in markers:
        finds.quotations.extend((q, cited) for q in _quote_before(source, marker))
    return found


def _quote_before(source: SourceText, marker: Block) -> list[Span]:
    """The quotation a footnote marker closes, if it directly precedes it."""
    for block in source.blocks:
        if block.span.begin <= marker.span.begin < block.span.end:
            quotes = [q for q in quotations(block) if q.end <= marker.span.begin]
            if quotes and not source.text[quotes[-1].end:marker.span.begin].strip(".,;: "):
                return [quotes[-1]]
    return []


def with_bibliography(extraction: Extraction, rules: RuleSet) -> Extraction:
    """The extraction with the document's bibliographic statements, and the entities, mentions,
    author and quotations they bring."""
    finds = Found.on(extraction)
    found = []
    for block in extraction.source.blocks:
        if block.produces in {"byline", "translator"}:
            found += byline_statements(finds, block)
        elif block.produces == "citation":
            found += citation_statements(finds, block)
        elif block.produces == "title" and not extraction.source.metadata.title:
            found += title_statements(extraction, block)
    has = {s.predicate.split(":")[1] for s in found if s.subject == f"doc/{extraction.source.metadata.doc_id}"}
    if any(s.predicate == "ekg:holdsOffice" for s in found):
        has.add("holdsOffice")
    finds.statements = found + metadata_statements(finds, rules, has)
    return finds.result()
