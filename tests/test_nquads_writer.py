"""The direct N-Quads writer gives, line for line, what rdflib's nquads serializer gives.

`essay_kg.rdf.files.serialise` writes a dataset's ``.nq`` from the triples it has read for the Turtle
(`essay_kg.rdf.nquads`); the reference is rdflib's serializer, whose text `statement_lines` sorts.  They
are compared on the shipped essay's dataset and on a small dataset with awkward terms: literals with
line breaks, quotes, control characters, line separators and a lone surrogate, language tags and
datatypes, blank nodes as subjects, objects and graph names, a triple in two graphs, and the default graph.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Literal, Namespace
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDFS, XSD

from essay_kg.rdf.files import serialise, statement_lines

from conftest import ESSAY

EX = Namespace("http://example.org/")


def rdflib_lines(dataset: Dataset) -> bytes:
    """The .nq file as rdflib's serializer would have it written."""
    lines = statement_lines(dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8"))
    return ("\n".join(lines) + "\n").encode("utf-8")


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


def test_the_essay_is_written_as_rdflib_writes_it(essay: Dataset) -> None:
    written = serialise(essay)[".nq"]
    assert written == rdflib_lines(essay)
    assert written.count(b"\n") > 20_000


def test_awkward_terms_are_written_as_rdflib_writes_them() -> None:
    dataset = Dataset()
    texts = ["two\nlines", 'a "quoted" word', "back\\slash", "form\ffeed", "line\u2028separator", "tab\there",
             "carriage\rreturn", "bell\x07", "next\x85line", "delete\x7f", "lone \ud800 surrogate", "Ünïcödé — 日本語", ""]
    named, blank = dataset.graph(EX.graph), dataset.graph(BNode("g"))
    for n, text in enumerate(texts):
        named.add((EX[f"text{n}"], RDFS.label, Literal(text)))
    named.add((EX.lang, RDFS.label, Literal("chat", lang="fr")))
    named.add((EX.value, EX.p, Literal("12", datatype=XSD.nonNegativeInteger)))
    named.add((EX.value, EX.p, Literal(2.5)))
    named.add((BNode("b"), EX.p, BNode("c")))
    blank.add((EX.a, EX.p, EX.b))
    blank.add((EX.value, EX.p, Literal(2.5)))  # a triple in two graphs: a line for each
    dataset.graph(DATASET_DEFAULT_GRAPH_ID).add((EX.default, EX.p, Literal("in the default graph")))
    written = serialise(dataset)[".nq"]
    assert written == rdflib_lines(dataset)
    for line in (rb'"two\nlines"', rb'"bell\u0007"', rb'"next\u0085line"', b"lone ? surrogate", rb'"line\u2028separator"',
                 b'<http://example.org/default> <http://example.org/p> "in the default graph"  .'):
        assert line in written, line
