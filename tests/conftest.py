"""Shared fixtures: the shipped essay built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

REPO = Path(__file__).resolve().parents[1]
ESSAY = REPO / "extract" / "sources" / "kozyrev-1994-the-lagging-partnership.txt"
ID = "https://w3id.org/essay-kg/id/"
EKG = "https://w3id.org/essay-kg/ontology#"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the shipped essay, in a temporary folder."""
    from essay_kg.corpus import build_sources

    out = tmp_path_factory.mktemp("graphs")
    build_sources([], out)
    return out


@pytest.fixture(scope="session")
def dataset(built: Path) -> Dataset:
    """The fresh build as an rdflib Dataset whose default graph is the union."""
    data = Dataset(default_union=True)
    data.parse(built / "kozyrev-1994.trig", format="trig")
    return data


@pytest.fixture(scope="session")
def extraction():
    """The extractor's plain-data result for the shipped essay."""
    from essay_kg.extract import extract
    from essay_kg.rules import load_rules
    from essay_kg.text import read_source

    rules = load_rules()
    return extract(read_source(ESSAY, rules.paratext), rules)


@pytest.fixture(scope="session")
def facts(dataset: Dataset) -> set[tuple[str, str, str]]:
    """The facts graph as (subject, predicate, object) with namespaces stripped."""
    graph = dataset.graph("https://w3id.org/essay-kg/graph/kozyrev-1994/facts")
    return {(short(s), short(p), short(o)) for s, p, o in graph}


def short(term: object) -> str:
    """An IRI without the essay-kg namespaces, or a literal's lexical form."""
    text = str(term)
    for base in (ID, EKG):
        if text.startswith(base):
            return text[len(base):]
    return text
