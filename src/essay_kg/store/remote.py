"""Run stored or ad-hoc queries on a remote SPARQL endpoint, answering exactly like a local run.

Parameters travel as RDF terms in a ``VALUES`` block that opens the query's
pattern (`binding.with_values`); entity names are resolved against the remote
graph.  SELECT and ASK answers are read from SPARQL JSON results, CONSTRUCT
answers from N-Triples, and turned into the same `Answer` a local run gives,
so every output format renders the same.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from essay_kg.errors import EnvironmentProblem
from essay_kg.query.answer import Answer
from essay_kg.store.endpoints import Store, request
from essay_kg.vocabulary import PREFIXES

RESULTS = "application/sparql-results+json"
TRIPLES = "application/n-triples"


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, from the parsed query (a parse error is bad input)."""
    from essay_kg.query.engine import prepare

    return prepare(sparql).algebra.name.removesuffix("Query").upper()


def post_query(store: Store, sparql: str, accept: str, timeout: float = 60.0) -> bytes:
    url = store.query_url
    if store.query_params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(store.query_params)
    data = urllib.parse.urlencode({"query": sparql}).encode()
    return request(store, url, "POST", data, "application/x-www-form-urlencoded", accept, timeout, store.query_url)


def term(binding: dict[str, str]) -> URIRef | Literal | BNode:
    """An rdflib term from one SPARQL JSON results binding."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype and datatype != str(XSD.string) else None)


def _json(store: Store, body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EnvironmentProblem(f"{store.query_url}: the answer is not SPARQL JSON results ({len(body)} bytes)",
                                 "check that the URL is the store's SPARQL query endpoint") from None
    if not isinstance(answer, dict):
        raise EnvironmentProblem(f"{store.query_url}: the answer is not SPARQL JSON results", "check the URL")
    return answer


def with_prefixes(sparql: str) -> str:
    """The query with the predeclared prefixes (ekg:, id:, rdfs: …) it does not declare itself."""
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()
               if not re.search(rf"(?im)^\s*PREFIX\s+{re.escape(p)}:", sparql)]
    return "\n".join([*missing, sparql]) if missing else sparql


def run_remote(store: Store, sparql: str, limit: int | None = None, timeout: float = 60.0) -> Answer:
    """Execute a query (parameters already in it) on a store."""
    form = query_form(sparql)
    sparql = with_prefixes(sparql)
    if form in {"CONSTRUCT", "DESCRIBE"}:
        body = post_query(store, sparql, f"{TRIPLES}, text/turtle;q=0.5", timeout)
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        try:
            graph.parse(data=body.decode("utf-8"), format="turtle")  # N-Triples is Turtle
        except Exception as err:  # rdflib parsers raise many types
            raise EnvironmentProblem(f"{store.query_url}: the answer is not N-Triples or Turtle ({str(err)[:120]})",
                                     "check that the URL is the store's SPARQL query endpoint") from None
        return Answer(form, graph=graph, total=len(graph))
    answer = _json(store, post_query(store, sparql, RESULTS, timeout))
    if form == "ASK":
        return Answer("ASK", boolean=bool(answer.get("boolean")))
    variables = list(answer.get("head", {}).get("vars", []))
    rows = [tuple(term(row[v]) if v in row else None for v in variables)
            for row in answer.get("results", {}).get("bindings", [])]
    total = len(rows)
    return Answer("SELECT", variables=variables, rows=rows[:limit] if limit is not None else rows, total=total)


def remote_select(store: Store, timeout: float = 60.0):
    """A `binding.Select` over a remote endpoint: entity names are resolved against the remote graph."""
    return lambda sparql: run_remote(store, sparql, timeout=timeout).rows
