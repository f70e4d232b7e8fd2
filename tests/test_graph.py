"""The built graph: named graphs, NIF provenance, assertion nodes, and the facts the essay supports."""

from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from essay_kg.namespace import EKG, ITSRDF, NIF
from essay_kg.query.library import check_queries

from conftest import ESSAY, ID

G = "https://w3id.org/essay-kg/graph/"


def test_named_graphs_are_the_documented_ones(dataset: Dataset) -> None:
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {G + "ontology", G + "kozyrev-1994/facts", G + "kozyrev-1994/provenance", G + "kozyrev-1994/text",
                     G + "kozyrev-1994/positions", G + "links"}


@pytest.mark.parametrize("check", [q.name for q in check_queries()])
def test_stored_check_query_returns_no_rows(dataset: Dataset, check: str) -> None:
    query = next(q for q in check_queries() if q.name == check)
    assert list(dataset.query(query.sparql)) == []


def test_anchor_check_query_catches_a_drifted_span(dataset: Dataset) -> None:
    broken = Dataset(default_union=True)
    for quad in dataset.quads((None, None, None, None)):
        broken.add(quad)
    span = URIRef(f"{ID}text/kozyrev-1994#char=0,316")
    provenance = broken.graph(URIRef(G + "kozyrev-1994/text"))
    provenance.set((span, NIF.anchorOf, Literal("In August 1992")))
    query = next(q for q in check_queries() if q.name == "anchor-mismatch")
    rows = list(broken.query(query.sparql))
    assert [str(r[0]) for r in rows] == [str(span)]


def test_every_anchor_is_the_text_between_its_offsets(dataset: Dataset) -> None:
    texts = {c: str(t) for c, t in dataset.subject_objects(NIF.isString)}
    spans = list(dataset.subjects(NIF.anchorOf, None))
    assert len(spans) > 700
    for span in spans:
        text = texts[dataset.value(span, NIF.referenceContext)]
        begin, end = int(dataset.value(span, NIF.beginIndex)), int(dataset.value(span, NIF.endIndex))
        assert text[begin:end] == str(dataset.value(span, NIF.anchorOf))
        assert str(span).endswith(f"#char={begin},{end}")
        assert dataset.value(span, NIF.beginIndex).datatype == XSD.nonNegativeInteger


def test_context_holds_the_text_and_its_hash(dataset: Dataset) -> None:
    import hashlib

    context = URIRef(f"{ID}text/kozyrev-1994#char=0,26039")
    assert str(dataset.value(context, NIF.isString)) == ESSAY.read_text(encoding="utf-8")
    assert str(dataset.value(context, EKG.sha256)) == hashlib.sha256(ESSAY.read_bytes()).hexdigest()
    assert (URIRef(ID + "doc/kozyrev-1994"), EKG.hasText, context) in dataset


def test_every_fact_triple_has_an_assertion_with_evidence_and_rule(dataset: Dataset) -> None:
    facts = dataset.graph(URIRef(G + "kozyrev-1994/facts"))
    prov = dataset.graph(URIRef(G + "kozyrev-1994/provenance"))
    index = {}
    for node in prov.subjects(RDF.type, EKG.Assertion):
        key = (prov.value(node, RDF.subject), prov.value(node, RDF.predicate), prov.value(node, RDF.object))
        index[key] = node
    assert len(facts) > 600
    for triple in facts:
        node = index[triple]
        evidence = list(prov.objects(node, PROV.wasDerivedFrom))
        assert evidence and all(dataset.value(e, NIF.beginIndex) is not None for e in evidence), triple
        assert prov.value(node, EKG.ruleId) is not None


def test_every_entity_has_one_label_a_type_and_a_mention(dataset: Dataset) -> None:
    facts = dataset.graph(URIRef(G + "kozyrev-1994/facts"))
    entities = {s for s, o in facts.subject_objects(RDF.type) if str(o).startswith(str(EKG._NS))}
    entities -= set(facts.subjects(RDF.type, EKG.OfficeTerm)) | {URIRef(ID + "doc/kozyrev-1994")}
    assert len(entities) >= 90
    mentioned = set(dataset.objects(None, ITSRDF.taIdentRef))
    for entity in entities:
        assert len(list(facts.objects(entity, RDFS.label))) == 1, entity
        assert entity in mentioned, entity


def test_iris_are_slugs_and_offsets_never_counters(dataset: Dataset) -> None:
    pattern = re.compile(
        r"^https://w3id\.org/essay-kg/(graph/.+|ontology|cameo/(\d+)?|id/([a-z0-9-]+|doc/[a-z0-9-]+|office-term/[a-z0-9-]+/[a-z0-9-]+"
        r"|link/[a-z0-9-]+/Q\d+|build/[a-z0-9-]+|agent/[a-z0-9-]+|assertion/[a-z0-9-]+/[0-9a-f]{20}|position/[a-z0-9-]+/\d+-[a-z0-9-]+|text/[a-z0-9-]+(/metadata)?#char=\d+,\d+))$")
    ours = {str(t) for quad in dataset.quads((None, None, None, None)) for t in quad
            if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/essay-kg/")}
    ours = {t for t in ours if not t.startswith("https://w3id.org/essay-kg/ontology#")}
    assert len(ours) > 1500
    for term in ours:
        assert pattern.match(term), term


def test_byline_gives_the_author_and_his_office(facts) -> None:
    assert ("doc/kozyrev-1994", "author", "andrei-kozyrev") in facts
    assert ("andrei-kozyrev", "holdsOffice", "minister-of-foreign-affairs-of-russia") in facts
    assert ("minister-of-foreign-affairs-of-russia", "officeOf", "russia") in facts
    term = "office-term/andrei-kozyrev/minister-of-foreign-affairs-of-russia"
    assert {(p, o) for s, p, o in facts if s == term} >= {
        ("heldBy", "andrei-kozyrev"), ("inOffice", "minister-of-foreign-affairs-of-russia"), ("asOf", "1994-05"),
        (str(RDF.type), "OfficeTerm")}
    assert ("doc/kozyrev-1994", "translator", "antonina-w-bouis") in facts


def test_footnote_gives_a_cited_document_with_author_venue_date_and_page(facts) -> None:
    assert ("doc/kozyrev-1994", "cites", "andrei-the-giant") in facts
    about = {(p, o) for s, p, o in facts if s == "andrei-the-giant"}
    assert about >= {("author", "stephen-sestanovich"), ("publishedIn", "the-new-republic"), ("date", "1994-04-11"),
                     ("page", "27"), ("http://purl.org/dc/terms/title", "Andrei the Giant"),
                     (str(RDF.type), "Document")}


def test_metadata_facts_cite_the_metadata_file(dataset: Dataset, facts) -> None:
    assert ("doc/kozyrev-1994", "publishedIn", "foreign-affairs") in facts
    assert ("doc/kozyrev-1994", "date", "1994-05") in facts
    mention = next(m for m in dataset.subjects(ITSRDF.taIdentRef, URIRef(ID + "foreign-affairs")))
    assert str(mention).startswith(f"{ID}text/kozyrev-1994/metadata#char=")
    assert str(dataset.value(mention, NIF.anchorOf)) == "Foreign Affairs"


def test_paratext_produces_no_facts(dataset: Dataset) -> None:
    silent = [s for s in dataset.subjects(EKG.paratextKind, None)
              if str(dataset.value(s, EKG.paratextKind)) in {"paywall", "subscription", "navigation"}]
    assert len(silent) == 7
    ranges = [(int(dataset.value(s, NIF.beginIndex)), int(dataset.value(s, NIF.endIndex))) for s in silent]
    evidence = set(dataset.objects(None, PROV.wasDerivedFrom)) | set(dataset.subjects(ITSRDF.taIdentRef, None))
    for span in evidence:
        if "/metadata#" in str(span):
            continue
        begin = int(dataset.value(span, NIF.beginIndex))
        assert not any(b <= begin < e for b, e in ranges), span


RELATIONS = [
    ("vladimir-zhirinovsky", "leaderOf", "liberal-democratic-party-of-russia"),
    ("liberal-democratic-party-of-russia", "ledBy", "vladimir-zhirinovsky"),
    ("stephen-sestanovich", "affiliatedWith", "center-for-strategic-and-international-studies"),
    ("center-for-strategic-and-international-studies", "locatedIn", "washington"),
    ("vassily-zhukovsky", "tutorOf", "alexander-ii"),
    ("alexander-ii", "pupilOf", "vassily-zhukovsky"),
    ("boris-yeltsin", "holdsOffice", "president-of-russia"),
    ("president-of-russia", "officeOf", "russia"),
    ("bill-clinton", "holdsOffice", "president-of-the-united-states"),
    ("president-of-the-united-states", "officeOf", "united-states"),
    ("partnership-for-peace", "programmeOf", "nato"),
    ("csce-high-commissioner-on-national-minorities", "officeOf", "csce"),
    ("france", "memberOf", "european-union"),
    ("germany", "memberOf", "european-union"),
    ("ukraine", "memberOf", "cis"),
    ("russia", "memberOf", "cis"),
    ("cis", "hasMember", "russia"),
    ("andrei-kozyrev", "participatedIn", "moscow-rally-august-1991"),
    ("moscow-rally-august-1991", "hasParticipant", "andrei-kozyrev"),
    ("moscow-rally-august-1991", "tookPlaceIn", "moscow"),
    ("andrei-kozyrev", "participatedIn", "russian-legislative-election-1993"),
    ("liberal-democratic-party-of-russia", "participatedIn", "russian-legislative-election-1993"),
    ("russian-legislative-election-1993", "tookPlaceIn", "russia"),
    ("nato", "participatedIn", "nato-ultimatum-february-1994"),
    ("lifting-of-the-siege-of-sarajevo", "tookPlaceIn", "sarajevo"),
    ("soviet-military-interventions", "tookPlaceIn", "czechoslovakia"),
    ("soviet-military-interventions", "tookPlaceIn", "hungary"),
    ("soviet-military-interventions", "tookPlaceIn", "afghanistan"),
    ("unosom-ii", "tookPlaceIn", "somalia"),
    ("united-states", "participatedIn", "us-operation-in-somalia"),
    ("russia", "participatedIn", "start-ii"),
    ("murmansk", "locatedIn", "russia"),
    ("russian-speaking-population-of-the-near-abroad", "comparedTo", "sudeten-germans"),
]


@pytest.mark.parametrize("triple", RELATIONS, ids=["-".join(t[:2]) for t in RELATIONS])
def test_relation_is_stated(facts, triple) -> None:
    assert triple in facts


def test_negated_membership_is_not_stated(facts) -> None:
    """'Russia is not a NATO member' must not make Russia a member of NATO."""
    assert ("russia", "memberOf", "nato") not in facts


def test_relation_evidence_is_the_supporting_words(dataset: Dataset) -> None:
    prov = dataset.graph(URIRef(G + "kozyrev-1994/provenance"))
    node = next(n for n in prov.subjects(RDF.predicate, EKG.affiliatedWith)
                if prov.value(n, RDF.subject) == URIRef(ID + "stephen-sestanovich"))
    [span] = list(prov.objects(node, PROV.wasDerivedFrom))
    assert str(dataset.value(span, NIF.anchorOf)) == (
        "Stephen Sestanovich of the Washington-based Center for Strategic and International Studies")
    assert str(prov.value(node, EKG.ruleId)) == "relations.jsonl#person-of-placed-institution"
