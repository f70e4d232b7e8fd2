"""Every stored query gives the same answer on a remote triplestore as on the local graph files.

The shipped graph is pushed once to a real Oxigraph and a real Virtuoso server; each stored
query then runs locally (rdflib) and remotely (parameters bound by BIND clauses). Rows are
compared as multisets, numbers by value (Oxigraph stores xsd:nonNegativeInteger as
xsd:integer), and GROUP_CONCAT values as sets of parts (SPARQL leaves their order open).
"""

from __future__ import annotations

import os

import pytest

from essay_kg.query.binding import bind, with_values
from essay_kg.query.engine import rdflib_execute as execute
from essay_kg.query.engine import select_on
from essay_kg.query.library import load_library
from essay_kg.rdf.files import load_graphs
from essay_kg.store.endpoints import store_for
from essay_kg.store.remote import remote_select, run_remote
from essay_kg.vocabulary import PREFIXES

from conftest import assert_same_answer

LIBRARY = load_library()
QUERIES = sorted(name for name, q in LIBRARY.queries.items() if "network" not in q.tags)


@pytest.fixture(scope="module")
def local():
    return load_graphs([])


def pushed(server, env: dict[str, str]) -> str:
    from essay_kg.store.push import push

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        counts = push(load_graphs([]), store_for(server.query_url))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert all(c.agrees for c in counts)
    return server.query_url


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def endpoint(request) -> str:
    if request.param == "oxigraph":
        return pushed(request.getfixturevalue("oxigraph_store"), {})
    return pushed(request.getfixturevalue("virtuoso_store"), {"ESSAY_KG_STORE_USER": "dba", "ESSAY_KG_STORE_PASSWORD": "dba"})


@pytest.mark.parametrize("name", QUERIES)
def test_remote_answers_equal_local_answers(name: str, local, endpoint: str) -> None:
    query = LIBRARY.find(name)
    values = {p.name: str(p.example) for p in query.params if p.example is not None}
    here = execute(query.sparql, local, bind(query, values, select_on(local), PREFIXES))
    store = store_for(endpoint)
    there = run_remote(store, with_values(query.sparql, bind(query, values, remote_select(store), PREFIXES)))
    assert_same_answer(there, here, query.sparql)
    if here.kind == "SELECT":
        assert here.rows or "check" in query.tags, "a query with no answer proves little"
    elif here.kind != "ASK":
        assert len(here.graph) > 0
