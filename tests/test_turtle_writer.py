"""The direct longturtle writer writes, byte for byte, what rdflib's longturtle serializer writes.

`longturtle` groups a graph's triples itself instead of going through rdflib's serializer; the reference
(`reference_longturtle`, rdflib's serializer) is what it must equal: on every graph of the shipped essay,
on the ontology and the shapes (blank nodes, lists), and on small graphs with awkward literals, IRIs that
cannot be prefixed names, blank nodes referenced once, twice and never, and predicates in no bound
namespace (for which rdflib binds ns1, ns2, … in the graph's store).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from essay_kg.rdf import turtle
from essay_kg.rdf.turtle import longturtle, reference_longturtle

from conftest import ESSAY, REPO

EX = Namespace("http://example.org/")
VOCAB = Namespace("http://example.org/vocab#")


@pytest.fixture(scope="module")
def essay() -> Dataset:
    """The shipped essay's dataset, built with the rules alone (model "none")."""
    from essay_kg.extract.rules.load import load_rules
    from essay_kg.extract.run import extract
    from essay_kg.rdf.build import build_dataset
    from essay_kg.rdf.ontology import load_ontology
    from essay_kg.text.source import read_source

    rules = load_rules(None)
    return build_dataset(extract(read_source(ESSAY, rules.paratext, {}), rules, "none"), load_ontology())


def directly(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> str:
    """`longturtle(graph)`, failing if the writer leaves the graph to rdflib's serializer."""
    def refuse(graph: Graph) -> str:
        raise AssertionError(f"longturtle fell back to rdflib for {graph.identifier}")

    with monkeypatch.context() as patch:
        patch.setattr(turtle, "reference_longturtle", refuse)
        return longturtle(graph)


def small(build: Callable[[Graph], None]) -> Graph:
    """A graph with the ex: and vocab: prefixes bound, filled by `build`."""
    graph = Graph()
    graph.bind("ex", EX)
    graph.bind("vocab", VOCAB)
    build(graph)
    return graph


def test_every_graph_of_the_essay_is_written_as_rdflib_writes_it(essay: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    graphs = [graph for graph in essay.graphs() if len(graph)]
    assert len(graphs) == 6 and sum(len(graph) for graph in graphs) > 20_000
    for graph in graphs:
        expected = reference_longturtle(graph)
        assert directly(graph, monkeypatch) == expected, graph.identifier
        assert expected.startswith("PREFIX ") and "\n.\n" in expected
    facts = essay.graph(URIRef("https://w3id.org/essay-kg/graph/kozyrev-1994/facts"))
    text = longturtle(facts)
    assert "PREFIX ekg: <https://w3id.org/essay-kg/ontology#>\n" in text
    assert "\nid:andrei-kozyrev\n    a ekg:Person ;\n" in text


def test_the_ontology_and_the_shapes_with_their_blank_nodes_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("essay-kg.ttl", "shapes.ttl"):
        graph = Graph().parse(REPO / "ontology" / name)
        text = directly(graph, monkeypatch)
        assert text == reference_longturtle(graph), name
        assert " (\n" in text and "\n        [\n" in text, name  # an RDF list, a blank node nested where it is used
    sameas = Graph().parse(REPO / "graphs" / "wikidata-sameas.ttl")
    assert directly(sameas, monkeypatch) == reference_longturtle(sameas)


def test_awkward_literals_are_quoted_and_typed_as_rdflib_quotes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["two\nlines", 'a "quoted" word', "back\\slash", 'ends with a quote"', 'a """triple""" quote\n',
             "form\ffeed", "line\u2028separator", "tab\there", "carriage\rreturn", "Ünïcödé — ‘quotes’ 日本語", "",
             "\n", 'x\n"', "\\\n\\"]

    def build(graph: Graph) -> None:
        for n, text in enumerate(texts):
            graph.add((EX[f"text{n}"], RDFS.label, Literal(text)))
        graph.add((EX.lang, RDFS.label, Literal("chat", lang="fr")))
        graph.add((EX.lang, RDFS.label, Literal("cat", lang="en")))
        graph.add((EX.lang, RDFS.label, Literal("cat")))
        graph.add((EX.lang, RDFS.label, Literal("Katze", lang="de-AT")))
        values = [Literal(42), Literal(-7), Literal("007", datatype=XSD.integer), Literal(Decimal("1.50")),
                  Literal("3", datatype=XSD.decimal), Literal(2.5), Literal(1e300), Literal(float("nan")),
                  Literal(float("inf")), Literal("-INF", datatype=XSD.double), Literal("0.1", datatype=XSD.float),
                  Literal(True), Literal("false", datatype=XSD.boolean), Literal("1994-03-01", datatype=XSD.date),
                  Literal("1994-03", datatype=XSD.gYearMonth), Literal("1994", datatype=XSD.gYear),
                  Literal("12", datatype=XSD.nonNegativeInteger), Literal("not a number", datatype=XSD.integer),
                  Literal("x", datatype=XSD.string), Literal("<b>", datatype=URIRef("http://unprefixed.example/type")),
                  Literal("1", datatype=OWL.rational)]
        for n, value in enumerate(values):
            graph.add((EX[f"value{n}"], VOCAB.value, value))
        # literals equal in value but not in form: rdflib sorts them in the order its store gives them
        for value in (Literal(1), Literal("01", datatype=XSD.integer), Literal(1.0), Literal("1.0", datatype=XSD.decimal)):
            graph.add((EX.ones, VOCAB.value, value))

    graph = small(build)
    text = directly(graph, monkeypatch)
    assert text == reference_longturtle(graph)
    for written in ('"""two\nlines"""', r'"a \"quoted\" word"', r'"back\\slash"', '"chat"@fr', "vocab:value 42 ;",
                    '"1994-03"^^xsd:gYearMonth', '"<b>"^^<http://unprefixed.example/type>', '""', "vocab:value true ;"):
        assert written in text, written


def test_iris_that_cannot_be_prefixed_names_are_written_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    odd = ["a/b", "a#b", "100%", "50%25", "a(b)", "ends.", "7-a-b", "position/7-a-b", "-dash", "é", "x.y"]

    def build(graph: Graph) -> None:
        graph.bind("long", URIRef("http://example.org/item-"))  # a namespace reaching into a local name
        graph.bind("whole", URIRef("http://example.org/whole/"))
        for n, local in enumerate(odd):
            graph.add((EX[local], VOCAB.number, Literal(n)))
            graph.add((EX.holder, VOCAB.holds, EX[local]))
        graph.add((EX["item-5"], VOCAB.number, Literal(5)))
        graph.add((URIRef("http://example.org/whole/"), VOCAB.number, Literal(0)))  # an IRI that is a namespace
        graph.add((URIRef("http://www.w3.org/XML/1998/namespace#lang"), VOCAB.number, Literal(1)))
        graph.add((URIRef("http://другой.example/имя"), VOCAB.number, Literal(2)))
        graph.add((URIRef("urn:isbn:0451450523"), VOCAB.number, Literal(3)))

    graph = small(build)
    text = directly(graph, monkeypatch)
    assert text == reference_longturtle(graph)
    for written in (r"ex:a\(b\)", "<http://example.org/ends.>", "<http://example.org/a#b>", r"ex:100\%", "ex:50%25",
                    "long:5", "whole:"):
        assert written in text, written


def test_blank_nodes_referenced_once_twice_and_never(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(graph: Graph) -> None:
        once, twice, never, inner = BNode("once"), BNode("twice"), BNode("never"), BNode("inner")
        graph.add((EX.a, VOCAB.has, once))
        graph.add((once, VOCAB.name, Literal("held once")))
        graph.add((once, VOCAB.has, inner))
        graph.add((inner, RDFS.label, Literal("nested twice deep")))
        graph.add((EX.a, VOCAB.shares, twice))
        graph.add((EX.b, VOCAB.shares, twice))
        graph.add((twice, VOCAB.name, Literal("held twice")))
        graph.add((never, VOCAB.name, Literal("held by none")))
        graph.add((never, VOCAB.has, BNode("leaf")))
        graph.add((BNode("loop1"), VOCAB.next, BNode("loop2")))  # referenced once each, by each other
        graph.add((BNode("loop2"), VOCAB.next, BNode("loop1")))
        for n in range(3):
            graph.add((EX.a, VOCAB.many, BNode(f"many{n}")))
            graph.add((BNode(f"many{n}"), VOCAB.number, Literal(n)))
        graph.add((EX.a, VOCAB.mixed, EX.c))
        graph.add((EX.a, VOCAB.mixed, Literal("c")))
        graph.add((EX.a, VOCAB.mixed, BNode("many0")))
        items = BNode("list")
        Collection(graph, items, [EX.x, Literal("y"), BNode("item")])
        graph.add((BNode("item"), RDFS.label, Literal("an item")))
        graph.add((EX.a, VOCAB.sequence, items))
        graph.add((EX.a, VOCAB.empty, RDF.nil))
        graph.add((EX.Kind, RDF.type, RDFS.Class))  # rdfs:Class members come first
        graph.add((EX.a, RDF.type, EX.Kind))

    graph = small(build)
    text = directly(graph, monkeypatch)
    assert text == reference_longturtle(graph)
    assert text.split("\n\n", 1)[1].startswith("ex:Kind\n")
    for written in ("\n[]    vocab:has", "_:twice", "vocab:empty () ;", "vocab:has\n        [\n", " (\n"):
        assert written in text, written


def test_a_predicate_in_no_bound_namespace_gets_the_prefix_rdflib_binds() -> None:
    """rdflib binds ns1, ns2, … in the store as it writes: each side writes its own copy of the graph."""
    def build(graph: Graph) -> None:
        other, third = Namespace("http://other.example/vocab/"), Namespace("http://third.example/")
        graph.add((EX.a, other.p, other.o))
        graph.add((other.s, VOCAB.q, Literal("x")))
        graph.add((EX.b, third["ends."], EX.c))  # bound, but no prefixed name for it
        graph.add((EX.b, third.r, Literal(1)))
        graph.add((EX["position/7-a-b"], VOCAB.q, Literal("y")))

    ours, theirs = small(build), small(build)
    text = longturtle(ours)
    assert text == reference_longturtle(theirs)
    generated = {prefix: str(namespace) for prefix, namespace in ours.namespaces() if prefix in ("ns1", "ns2")}
    assert sorted(generated.values()) == ["http://other.example/vocab/", "http://third.example/"]
    other = next(prefix for prefix, namespace in generated.items() if namespace == "http://other.example/vocab/")
    assert f"ex:a\n    {other}:p {other}:o ;\n" in text and f"\n{other}:s\n" in text  # its subjects and objects too
    assert "<http://third.example/ends.> ex:c" in text
    assert dict(ours.namespaces()) == dict(theirs.namespaces())


def test_graphs_left_to_rdflib_are_still_written_as_rdflib_writes_them() -> None:
    def based(graph: Graph) -> None:
        graph.base = "http://example.org/"
        graph.add((EX.a, VOCAB.p, EX.b))

    def underscore(graph: Graph) -> None:
        graph.bind("_x", Namespace("http://underscore.example/"))
        graph.add((URIRef("http://underscore.example/a"), VOCAB.p, Literal("z")))

    def relative(graph: Graph) -> None:
        graph.add((URIRef("#fragment"), VOCAB.p, URIRef("../up")))

    def literal_subject(graph: Graph) -> None:
        graph.add((Literal("subject"), VOCAB.p, EX.b))  # type: ignore[arg-type]

    def doubled_list(graph: Graph) -> None:
        graph.add((EX.a, VOCAB.p, BNode("l")))
        graph.add((BNode("l"), RDF.first, Literal(1)))
        graph.add((BNode("l"), RDF.first, Literal(2)))
        graph.add((BNode("l"), RDF.rest, RDF.nil))

    for build in (based, underscore, relative, literal_subject, doubled_list):
        assert longturtle(small(build)) == reference_longturtle(small(build)), build.__name__


def test_an_iri_rdflib_cannot_write_fails_as_rdflib_fails() -> None:
    graph = small(lambda graph: graph.add((EX.a, VOCAB.p, URIRef("http://example.org/with space"))))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        reference_longturtle(graph)
    with pytest.raises(Exception, match="does not look like a valid URI"):
        longturtle(graph)


def test_a_list_whose_rest_loops_is_an_error_not_an_endless_loop() -> None:
    """rdflib's serializer, checking whether the blank node ex:a holds starts a list, never stops."""
    def build(graph: Graph) -> None:
        graph.add((EX.a, VOCAB.items, BNode("l0")))
        for node, after in (("l0", "l1"), ("l1", "l2"), ("l2", "l1")):
            graph.add((BNode(node), RDF.first, Literal(node)))
            graph.add((BNode(node), RDF.rest, BNode(after)))

    with pytest.raises(ValueError, match=r"the rdf:rest chain from _:l1 loops"):
        longturtle(small(build))
