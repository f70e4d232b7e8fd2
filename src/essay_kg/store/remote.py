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


TERM_KINDS = {"uri", "bnode", "literal", "typed-literal"}  # typed-literal: the SPARQL XML results' older JSON form


def term(binding: dict[str, str]) -> URIRef | Literal | BNode:
    """An rdflib term from one SPARQL JSON results binding (checked by `select_rows`)."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype and datatype != str(XSD.string) else None)


def malformed(store: Store, what: str) -> EnvironmentProblem:
    """The endpoint answered something that is not what SPARQL JSON results say."""
    return EnvironmentProblem(f"{store.query_url}: the answer is not valid SPARQL JSON results ({what})",
                              "check that the URL is the store's SPARQL query endpoint; the store's log may say more")


def _json(store: Store, body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise malformed(store, f"not JSON, {len(body)} bytes") from None
    if not isinstance(answer, dict):
        raise malformed(store, f"a JSON {type(answer).__name__}, not an object")
    return answer


def _strings(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def select_rows(store: Store, answer: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The variables and rows of a SELECT answer, every part of it checked against the SPARQL JSON results format."""
    head, results = answer.get("head"), answer.get("results")
    variables = head.get("vars") if isinstance(head, dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise malformed(store, '"head" has no list of variable names in "vars"')
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise malformed(store, '"results" has no list of "bindings"')
    rows = []
    for number, row in enumerate(bindings, 1):
        if not isinstance(row, dict):
            raise malformed(store, f"binding {number} is not an object")
        for name, value in row.items():
            if name not in variables:
                raise malformed(store, f"binding {number} names ?{str(name)[:40]}, which is not in \"vars\"")
            if not _strings(value) or value.get("type") not in TERM_KINDS or "value" not in value:
                raise malformed(store, f"?{name} of binding {number} is no term with a known \"type\" and a \"value\"")
        try:
            rows.append(tuple(term(row[v]) if v in row else None for v in variables))
        except ValueError as err:  # rdflib refuses a language tag that is none
            raise malformed(store, f"binding {number}: {str(err)[:80]}") from None
    return variables, rows


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
        if not isinstance(answer.get("boolean"), bool):
            raise malformed(store, 'an ASK answer whose "boolean" is not true or false')
        return Answer("ASK", boolean=answer["boolean"])
    variables, rows = select_rows(store, answer)
    total = len(rows)
    return Answer("SELECT", variables=variables, rows=rows[:limit] if limit is not None else rows, total=total)


def remote_select(store: Store, timeout: float = 60.0):
    """A `binding.Select` over a remote endpoint: entity names are resolved against the remote graph."""
    return lambda sparql: run_remote(store, sparql, timeout=timeout).rows
