"""Turn an `Extraction` into RDF: stable IRIs, named graphs, provenance.

Named graphs (``G`` = ``https://w3id.org/essay-kg/graph/``):

* ``G ontology``        the ontology itself;
* ``G {doc}/facts``     entities (type, label, alt labels) and relations;
* ``G {doc}/provenance``  mention spans and one assertion node per fact triple;
* ``G {doc}/positions`` one ekg:Position node per position, with its evidence span;
* ``G {doc}/text``      the NIF context (whole text, SHA-256), sections,
  paragraphs, sentences and paratext, and the metadata record.

Spans are ``https://w3id.org/essay-kg/id/text/{doc}#char=BEGIN,END`` (RFC 5147
style as NIF uses), entities ``…/id/{entity-id}``, assertions
``…/id/assertion/{doc}/{hash of the triple}``.  Nothing depends on counters,
random ids or the time of the run.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD, Namespace

from essay_kg import __version__ as essay_kg_version
from essay_kg.model import Extraction, Position, Span, Statement, Value, slug
from essay_kg.namespace import EKG, GRAPH_BASE, ID, ITSRDF, NIF, SCHEMA
from essay_kg.vocabulary import GRAPH_PREFIXES, SPEECH_ACTS
from essay_kg.vocabulary import PREFIXES as VOCABULARY_PREFIXES

PREFIXES = {prefix: Namespace(VOCABULARY_PREFIXES[prefix]) for prefix in GRAPH_PREFIXES}
ALT_LABEL_RESOLUTIONS = {"alias", "surname", "acronym"}
# terms of every span and assertion, made once (rdflib makes a new IRI each time a namespace is asked)
TYPE, SUBJECT, PREDICATE, OBJECT, STATEMENT = RDF.type, RDF.subject, RDF.predicate, RDF.object, RDF.Statement
SPAN_TYPES, ASSERTION = (NIF.String, NIF.RFC5147String), EKG.Assertion
BEGIN, END, ANCHOR, REFERENCE_CONTEXT = NIF.beginIndex, NIF.endIndex, NIF.anchorOf, NIF.referenceContext


def graph_iri(name: str) -> URIRef:
    """The IRI of a named graph, e.g. ``graph_iri("kozyrev-1994/facts")``."""
    return URIRef(GRAPH_BASE + name)


def curie(value: str) -> URIRef:
    prefix, local = value.split(":", 1)
    return URIRef(str(PREFIXES[prefix]) + local)


def node(value: str) -> URIRef:
    """An entity id, a structural id (``doc/…``) or a CURIE as an IRI."""
    return curie(value) if ":" in value else ID[value]


def literal(value: Value) -> Literal:
    if value.datatype == "language":
        return Literal(value.lexical, datatype=XSD.language)
    if value.datatype == "string":
        return Literal(value.lexical)
    return Literal(value.lexical, datatype=XSD[value.datatype])


class Builder:
    """Accumulates the named graphs of one document."""

    def __init__(self, extraction: Extraction, ontology: Graph) -> None:
        self.x = extraction
        meta = extraction.source.metadata
        self.doc_id = meta.doc_id
        self.doc = ID[f"doc/{meta.doc_id}"]
        self.text_base = f"{ID}text/{meta.doc_id}#char="
        self.dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            self.dataset.bind(prefix, namespace, override=True)
        self.ontology_graph = ontology
        self.ontology = self.dataset.graph(graph_iri("ontology"))
        for triple in ontology:
            self.ontology.add(triple)
        self.facts = self.dataset.graph(graph_iri(f"{meta.doc_id}/facts"))
        self.prov = self.dataset.graph(graph_iri(f"{meta.doc_id}/provenance"))
        self.text = self.dataset.graph(graph_iri(f"{meta.doc_id}/text"))
        self.iris: dict[tuple[int, int, str], URIRef] = {}  # (begin, end, context) of a span → its IRI
        self.contexts = {"": self.span_iri(Span(0, len(extraction.source.text), ""))}
        if meta.text is not None:
            self.contexts["metadata"] = self.span_iri(Span(0, len(meta.text), "", "metadata"))
        self.context = self.contexts[""]
        self.declared: set[tuple[int, int, str]] = set()  # the spans whose offsets, anchor and context are added
        self.typed: dict[URIRef, set[tuple[int, int, str, URIRef]]] = {}  # graph → (span, type) added to it
        self.offsets: dict[int, Literal] = {}
        self.literals: dict[str, Literal] = {}
        self.sentence_iris: dict[Span, URIRef] = {}

    def span_iri(self, span: Span) -> URIRef:
        key = (span.begin, span.end, span.context)
        iri = self.iris.get(key)
        if iri is None:
            base = self.text_base if not span.context else self.text_base.replace("#char=", f"/{span.context}#char=")
            iri = self.iris[key] = URIRef(f"{base}{span.begin},{span.end}")
        return iri

    def plain(self, text: str) -> Literal:
        """A plain literal, made once: rule ids and resolutions recur on every mention and assertion."""
        found = self.literals.get(text)
        if found is None:
            found = self.literals[text] = Literal(text)
        return found

    def offset(self, value: int) -> Literal:
        """An offset as a literal, made once: the same begin or end serves many spans."""
        found = self.offsets.get(value)
        if found is None:
            found = self.offsets[value] = Literal(value, datatype=XSD.nonNegativeInteger)
        return found

    def declare_span(self, span: Span, graph: Graph, *types: URIRef) -> URIRef:
        """Add a span's offsets, anchor and context (once) and the given types (each once per graph: spans
        recur as evidence, and a store's add of a triple it holds costs as much as a new one)."""
        iri = self.span_iri(span)
        key = (span.begin, span.end, span.context)
        typed = self.typed.setdefault(graph.identifier, set())
        for rdf_type in (*SPAN_TYPES, *types):
            if (*key, rdf_type) not in typed:
                typed.add((*key, rdf_type))
                graph.add((iri, TYPE, rdf_type))
        if key not in self.declared:
            self.declared.add(key)
            graph.add((iri, BEGIN, self.offset(span.begin)))
            graph.add((iri, END, self.offset(span.end)))
            graph.add((iri, ANCHOR, Literal(span.anchor)))
            graph.add((iri, REFERENCE_CONTEXT, self.contexts[span.context]))
        return iri

    # --- provenance of the build ------------------------------------------------
    def add_build_activity(self) -> None:
        """The build as a prov:Activity that used the source text and was run by its software agents: essay-kg,
        spaCy and the trained pipeline, each with its version (no time of the run: rebuilds stay identical)."""
        g, activity = self.prov, ID[f"build/{self.doc_id}"]
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, RDFS.label, Literal(f"essay-kg build of {self.doc_id}")))
        g.add((activity, PROV.used, self.context))
        for key, label, version in [("essay-kg", "essay-kg", essay_kg_version), *self.x.software]:
            agent = ID[f"agent/{slug(f'{key} {version}')}"]
            g.add((activity, PROV.wasAssociatedWith, agent))
            g.add((agent, RDF.type, PROV.SoftwareAgent))
            g.add((agent, RDFS.label, Literal(label)))
            g.add((agent, SCHEMA.softwareVersion, Literal(version)))
        for name in ("text", "facts", "provenance", "positions"):
            g.add((graph_iri(f"{self.doc_id}/{name}"), PROV.wasGeneratedBy, activity))

    # --- text graph ------------------------------------------------------------
    def add_text(self) -> None:
        source, g = self.x.source, self.text
        meta = source.metadata
        g.add((self.doc, EKG.hasText, self.add_context("", source.text, source.sha256, source.file_name)))
        if meta.text is not None and meta.file and meta.sha256:
            record = self.add_context("metadata", meta.text, meta.sha256, meta.file)
            g.add((record, RDF.type, EKG.MetadataRecord))
            g.add((self.doc, EKG.describedBy, record))
        sections = [self.declare_span(s, g, EKG.Section) for s in source.sections]
        paragraphs: list[tuple[Span, URIRef]] = []
        for block in source.blocks:
            if block.kind == "paragraph":
                iri = self.declare_span(block.span, g, NIF.Paragraph)
                if block.section is not None:
                    g.add((iri, NIF.superString, sections[block.section]))
                paragraphs.append((block.span, iri))
            else:
                self.add_paratext(block.span, block.kind, block.rule_id)
        for marker in source.markers:
            iri = self.add_paratext(marker.span, marker.kind, marker.rule_id)
            number = dict(marker.fields).get("number")
            if number:
                g.add((iri, EKG.footnoteNumber, Literal(int(number.anchor), datatype=XSD.positiveInteger)))
        containers = paragraphs + [(b.span, self.span_iri(b.span)) for b in source.blocks if b.kind != "paragraph"]
        for sentence in self.x.sentences:
            iri = self.declare_span(sentence, g, NIF.Sentence)
            self.sentence_iris[sentence] = iri
            for span, container in containers:
                if span.begin <= sentence.begin and sentence.end <= span.end and span != sentence:
                    g.add((iri, NIF.superString, container))

    def add_context(self, context: str, text: str, sha256: str, file_name: str) -> URIRef:
        """A NIF context (`context` "" for the source text, "metadata" for the metadata file): the whole text of
        a file, its length, hash and name."""
        g, iri = self.text, self.contexts[context]
        g.add((iri, RDF.type, NIF.Context))
        g.add((iri, RDF.type, NIF.RFC5147String))
        g.add((iri, NIF.isString, Literal(text)))
        g.add((iri, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
        g.add((iri, NIF.endIndex, Literal(len(text), datatype=XSD.nonNegativeInteger)))
        g.add((iri, EKG.sha256, Literal(sha256)))
        g.add((iri, EKG.sourceFile, Literal(file_name)))
        self.declared.add((0, len(text), context))
        return iri

    def add_paratext(self, span: Span, kind: str, rule_id: str | None) -> URIRef:
        iri = self.declare_span(span, self.text, EKG.Paratext)
        self.text.add((iri, EKG.paratextKind, Literal(kind)))
        if rule_id:
            self.text.add((iri, EKG.ruleId, Literal(f"paratext.jsonl#{rule_id}")))
        return iri

    # --- provenance: mentions -------------------------------------------------
    def add_mentions(self) -> None:
        for mention in self.x.mentions:
            iri = self.declare_span(mention.span, self.prov, NIF.Phrase)
            self.prov.add((iri, ITSRDF.taIdentRef, ID[mention.entity_id]))
            self.prov.add((iri, EKG.resolution, self.plain(mention.resolution)))
            self.prov.add((iri, EKG.ruleId, self.plain(mention.rule_id)))
            if mention.sentence is not None:
                self.prov.add((iri, NIF.sentence, self.sentence_iris[mention.sentence]))
        for time in self.x.times:
            iri = self.declare_span(time.span, self.prov, EKG.TimeExpression)
            self.prov.add((iri, EKG.ruleId, Literal(f"time.jsonl#{time.rule_id}")))
            self.prov.add((iri, EKG.datePrecision, Literal(time.precision)))
            for prop, value in ((EKG.date, time.value), (EKG.earliest, time.earliest), (EKG.latest, time.latest)):
                if value is not None:
                    self.prov.add((iri, prop, literal(value)))
        for st in self.x.statements:
            if st.predicate == "ekg:datePrecision":
                for span in st.evidence:
                    self.prov.add((self.span_iri(span), EKG.timeOf, ID[st.subject]))
        for quote, cited in self.x.quotations:
            iri = self.declare_span(quote, self.prov)
            self.prov.add((iri, PROV.wasQuotedFrom, ID[cited]))
        for quote, kind, speaker in self.x.quote_kinds:
            iri = self.declare_span(quote, self.prov, EKG.Quotation if kind == "quotation" else EKG.ScareQuote)
            if speaker:
                self.prov.add((iri, PROV.wasAttributedTo, ID[speaker]))

    # --- facts with assertion nodes -----------------------------------------
    def entity_statements(self) -> list[Statement]:
        """Type, label and observed alternative labels of every entity."""
        by_entity: dict[str, list] = defaultdict(list)
        for mention in self.x.mentions:
            by_entity[mention.entity_id].append(mention)
        found = []
        for entity_id, entity in sorted(self.x.entities.items()):
            mentions = sorted(by_entity.get(entity_id, []))
            spans = tuple(m.span for m in mentions)
            rule = entity.rule if entity.line or entity.discovered else "extract#new-entity"
            meta = not spans
            found.append(Statement(entity_id, "rdf:type", f"ekg:{entity.type}", rule, spans, meta))
            exact = tuple(m.span for m in mentions if m.span.anchor.lower() == entity.label.lower()) or spans[:1]
            found.append(Statement(entity_id, "rdfs:label", Value(entity.label), rule, exact, meta))
            alternatives: dict[str, list[Span]] = defaultdict(list)
            for m in mentions:
                if m.resolution in ALT_LABEL_RESOLUTIONS and m.span.anchor != entity.label:
                    alternatives[" ".join(m.span.anchor.split())].append(m.span)
            for alt, alt_spans in sorted(alternatives.items()):
                found.append(Statement(entity_id, "skos:altLabel", Value(alt), rule, tuple(alt_spans)))
            if entity.discovered:
                found.append(Statement(entity_id, "ekg:discovered", Value("true", "boolean"), rule, spans[:1], meta))
                found.append(Statement(entity_id, "ekg:confidence", Value(f"{entity.confidence or 0:.2f}", "decimal"),
                                       rule, spans[:1], meta))
        whole = Span(0, len(self.x.source.text), self.x.source.text)
        found.append(Statement(f"doc/{self.doc_id}", "rdf:type", "ekg:Document", "extract#source-document", (whole,)))
        return found

    def inverse_statements(self) -> list[Statement]:
        """For properties with an owl:inverseOf, the inverse fact with the same evidence."""
        inverses: dict[str, str] = {}
        for s, _, o in self.ontology_graph.triples((None, OWL.inverseOf, None)):
            for a, b in ((s, o), (o, s)):
                if str(a).startswith(str(EKG._NS)) and str(b).startswith(str(EKG._NS)):
                    inverses[f"ekg:{str(a)[len(str(EKG._NS)):]}"] = f"ekg:{str(b)[len(str(EKG._NS)):]}"
        return [Statement(st.object, inverses[st.predicate], st.subject, st.rule_id, st.evidence,
                          st.derived_from_metadata)
                for st in self.x.statements if st.predicate in inverses and isinstance(st.object, str)]

    def add_facts(self) -> None:
        merged: dict[tuple[URIRef, URIRef, URIRef | Literal], tuple[set[Span], set[str], bool]] = {}
        for st in [*self.entity_statements(), *self.x.statements, *self.inverse_statements()]:
            obj = literal(st.object) if isinstance(st.object, Value) else node(st.object)
            key = (node(st.subject), curie(st.predicate), obj)
            spans, rule_ids, meta = merged.get(key, (set(), set(), False))
            merged[key] = (spans | set(st.evidence), rule_ids | {st.rule_id}, meta or st.derived_from_metadata)
        add, fact, plain, derived, rule = self.prov.add, self.facts.add, self.plain, PROV.wasDerivedFrom, EKG.ruleId
        for (s, p, o), (spans, rule_ids, meta) in merged.items():
            fact((s, p, o))
            digest = hashlib.sha256(f"{s} {p} {o.n3()}".encode()).hexdigest()[:20]
            node_iri = ID[f"assertion/{self.doc_id}/{digest}"]
            for predicate, value in ((TYPE, ASSERTION), (TYPE, STATEMENT), (SUBJECT, s), (PREDICATE, p), (OBJECT, o)):
                add((node_iri, predicate, value))
            for rule_id in rule_ids:
                add((node_iri, rule, plain(rule_id)))
            for span in spans:
                add((node_iri, derived, self.declare_span(span, self.prov)))
            if not spans:
                add((node_iri, derived, self.contexts.get("metadata" if meta else "", self.context)))


    # --- reviewed Wikidata links ---------------------------------------------------
    def add_links(self) -> None:
        """``skos:exactMatch``/``skos:closeMatch`` to Wikidata items, in their own graph, each with its review."""
        if not self.x.links:
            return
        from essay_kg.rdf.links import LINKS_GRAPH, add_link

        g = self.dataset.graph(LINKS_GRAPH)
        for link in self.x.links:
            add_link(g, link.id, link.qid, link.match, f"wikidata.jsonl#{link.id}", link.source,
                     f"QID seen next to its label in: {link.excerpt}")

    # --- positions ----------------------------------------------------------------
    def position_iri(self, position: Position) -> URIRef:
        name = f"{position.cue.begin}-{position.holder}-{position.stance.lower()}-{position.target}"
        return ID[f"position/{self.doc_id}/{name}"]

    def add_positions(self) -> None:
        if not self.x.positions:
            return
        g = self.dataset.graph(graph_iri(f"{self.doc_id}/positions"))
        iris = [self.position_iri(p) for p in self.x.positions]
        for position, iri in zip(self.x.positions, iris, strict=True):
            g.add((iri, RDF.type, EKG.Position))
            g.add((iri, EKG.holder, ID[position.holder]))
            g.add((iri, EKG.stance, EKG[position.stance]))
            g.add((iri, EKG.target, ID[position.target]))
            g.add((iri, EKG.speechAct, EKG[SPEECH_ACTS[position.speech_act]]))
            g.add((iri, EKG.evidence, self.declare_span(position.evidence, self.prov)))
            g.add((iri, PROV.wasDerivedFrom, self.declare_span(position.cue, self.prov)))
            g.add((iri, EKG.ruleId, Literal(position.rule_id)))
            g.add((iri, EKG.negated, Literal(position.negated)))
            if position.negation is not None:
                g.add((iri, EKG.negation, self.declare_span(position.negation, self.prov)))
            if position.condition is not None:
                g.add((iri, EKG.condition, self.declare_span(position.condition, self.prov)))
            if position.reported_by:
                g.add((iri, EKG.reportedBy, ID[position.reported_by]))
            if position.evaluates is not None:
                g.add((iri, EKG.evaluates, iris[position.evaluates]))
                g.add((iri, EKG.evaluation, Literal(position.evaluation)))
            if position.holder_role:
                g.add((iri, EKG.holderRole, Literal(position.holder_role)))



def build_dataset(extraction: Extraction, ontology: Graph) -> Dataset:
    """The named graphs of one extracted document."""
    builder = Builder(extraction, ontology)
    builder.add_build_activity()
    builder.add_text()
    builder.add_mentions()
    builder.add_facts()
    builder.add_positions()
    builder.add_links()
    return builder.dataset
