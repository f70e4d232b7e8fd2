"""The ontology: the closed namespace and the Turtle agree; rdflib and owlready2 load it; HermiT finds it consistent."""

from __future__ import annotations

import shutil

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from essay_kg.model import ENTITY_TYPES
from essay_kg.namespace import EKG
from essay_kg.rdf.ontology import load_ontology, ontology_path, to_owlready

NS = str(EKG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def declared_terms(graph: Graph) -> set[str]:
    return {str(s)[len(NS):] for s in graph.subjects(RDF.type, None) if str(s).startswith(NS)}


def test_namespace_and_turtle_declare_the_same_terms(ontology: Graph) -> None:
    in_code = set(EKG.__annotations__)
    in_turtle = declared_terms(ontology)
    assert in_code - in_turtle == set(), "terms in namespace.py but not in the Turtle"
    assert in_turtle - in_code == set(), "terms in the Turtle but not in namespace.py"
    assert len(in_code) >= 80


def test_closed_namespace_rejects_unknown_terms() -> None:
    with pytest.raises(AttributeError):
        EKG.notATerm  # noqa: B018


def test_every_term_has_one_label_and_a_definition(ontology: Graph) -> None:
    for name in EKG.__annotations__:
        term = URIRef(NS + name)
        assert len(list(ontology.objects(term, RDFS.label))) == 1, name
        assert list(ontology.objects(term, SKOS.definition)), name


def test_entity_type_table_matches_the_class_hierarchy(ontology: Graph) -> None:
    for name, parent in ENTITY_TYPES.items():
        term = URIRef(NS + name)
        assert (term, RDF.type, OWL.Class) in ontology, name
        supers = {str(o)[len(NS):] for o in ontology.objects(term, RDFS.subClassOf) if str(o).startswith(NS)}
        assert supers == ({parent} if parent else set()), name


def test_object_properties_have_domain_and_range(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(NS):
            assert list(ontology.objects(prop, RDFS.domain)), prop
            assert list(ontology.objects(prop, RDFS.range)), prop


def test_stances_each_have_a_polarity(ontology: Graph) -> None:
    stances = set(ontology.subjects(RDF.type, EKG.Stance))
    assert {EKG.Supports, EKG.Opposes, EKG.WarnsAgainst, EKG.Proposes} <= stances
    assert len(stances) == 11
    for stance in stances:
        assert next(ontology.objects(stance, EKG.polarity)) in {EKG.Support, EKG.Oppose, EKG.Neutral}


def test_ontology_file_parses_with_rdflib() -> None:
    graph = Graph().parse(ontology_path(), format="turtle")
    assert (URIRef("https://w3id.org/essay-kg/ontology"), RDF.type, OWL.Ontology) in graph


def test_ontology_loads_in_owlready2() -> None:
    world, onto = to_owlready()
    names = {c.name for c in onto.classes()}
    assert {"Actor", "Person", "State", "Institution", "Group", "Event", "Position", "Stance"} <= names
    assert world["https://w3id.org/essay-kg/ontology#Person"] is not None


@pytest.mark.java
@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for HermiT (.ci/run installs one)")
def test_hermit_finds_the_ontology_consistent() -> None:
    import owlready2

    world, onto = to_owlready()
    with onto:
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


def test_the_ontology_blank_nodes_are_named_by_content_and_place_and_stay_the_same() -> None:
    from rdflib import BNode, Literal
    from rdflib.compare import isomorphic

    from essay_kg.rdf.blanks import tree_labelled

    read = Graph().parse(ontology_path(), format="turtle")
    assert tree_labelled(read) is not None  # the fast naming, not rdflib's canonical labelling, names the shipped file
    first, second = load_ontology(), load_ontology()
    assert set(first) == set(second) and isomorphic(first, read)
    assert sum(isinstance(t, BNode) for triple in first for t in triple) > 100
    shared, cycle, twins = Graph(), Graph(), Graph()
    a, b = BNode(), BNode()
    shared.add((URIRef("https://example.org/x"), RDFS.seeAlso, a))
    shared.add((URIRef("https://example.org/y"), RDFS.seeAlso, a))  # one blank node under two triples: left to rdflib
    cycle.add((a, RDFS.seeAlso, b))
    cycle.add((b, RDFS.seeAlso, a))
    twins.add((a, RDFS.label, Literal("same")))
    twins.add((b, RDFS.label, Literal("same")))  # two roots with one content would get one name
    assert tree_labelled(shared) is None and tree_labelled(cycle) is None and tree_labelled(twins) is None
