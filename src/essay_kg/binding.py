"""Turn parameter values given on the command line into RDF terms.

A value is never pasted into a query: it becomes one RDF term (IRI or typed
literal) that rdflib binds with ``initBindings`` (or that a ``VALUES`` block
carries to a remote endpoint).  An entity can be named by its id (``csce``),
a label or alternative label (case-insensitive), a prefixed name
(``id:csce``) or a full IRI.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from essay_kg.errors import BadInput
from essay_kg.namespace import ID
from essay_kg.queries import Param, StoredQuery

_IRI = re.compile(r"^<?(https?|urn|file):[^\s<>\"{}|\\^`]+>?$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*)?:([\w.-]*)$")
_LITERAL_TYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "date": XSD.date, "year": XSD.gYear,
                  "boolean": XSD.boolean}


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["k=v", …]`` → ``{k: v}``, refusing malformed pairs."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"--param '{pair}' is not NAME=VALUE", "write it as --param holder=russia")
        values[name.strip()] = value
    return values


def _literal(param: Param, value: str) -> Literal:
    kind = param.type
    if kind == "string":
        return Literal(value)
    if kind == "isodate":
        if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value):
            raise BadInput(f"'{value}' is not a date for parameter '{param.name}' (YYYY, YYYY-MM or YYYY-MM-DD)",
                           f"give e.g. --param {param.name}=1994-05")
        return Literal(value)
    checks = {
        "integer": lambda v: re.fullmatch(r"[+-]?\d+", v),
        "decimal": lambda v: re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", v),
        "year": lambda v: re.fullmatch(r"-?\d{4}", v),
        "boolean": lambda v: v in {"true", "false"},
        "date": lambda v: _is_date(v),
    }
    if not checks[kind](value):
        examples = {"integer": "10", "decimal": "0.5", "year": "1994", "boolean": "true", "date": "1994-05-01"}
        raise BadInput(f"'{value}' is not a valid {kind} for parameter '{param.name}'",
                       f"give a {kind}, e.g. --param {param.name}={examples[kind]}")
    return Literal(value, datatype=_LITERAL_TYPES[kind])


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _iri(param: Param, value: str, prefixes: dict[str, str]) -> URIRef | None:
    if _IRI.match(value):
        return URIRef(value.strip("<>"))
    match = _PREFIXED.match(value)
    if match and (match.group(1) or "") in prefixes:
        return URIRef(prefixes[match.group(1) or ""] + match.group(2))
    return None


def resolve_entity(param: Param, value: str, graph: Any, prefixes: dict[str, str]) -> URIRef:
    """An entity IRI for an id, a label, a prefixed name or an IRI."""
    iri = _iri(param, value, prefixes)
    if iri is not None:
        return iri
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) and (ID[value], None, None) in graph:
        return ID[value]
    wanted = value.strip().strip('"').casefold()
    candidates = sorted({s for prop in (RDFS.label, SKOS.altLabel)
                         for s, o in graph.subject_objects(prop) if str(o).casefold() == wanted})
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        names = ", ".join(str(c).removeprefix(str(ID)) for c in candidates)
        raise BadInput(f"'{value}' is ambiguous for parameter '{param.name}': {names}",
                       f"give one id instead, e.g. --param {param.name}={str(candidates[0]).removeprefix(str(ID))}")
    raise BadInput(f"no entity called '{value}' for parameter '{param.name}'",
                   "give an entity id, a label, a prefixed name (id:csce) or a full IRI; 'essay-kg query run "
                   "actors-by-type' lists them")


def bind(query: StoredQuery, values: dict[str, str], graph: Any, prefixes: dict[str, str]) -> dict[str, URIRef | Literal]:
    """RDF terms for a query's parameters, keyed by SPARQL variable name."""
    known = {p.name for p in query.params}
    for name in values:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise BadInput(f"query '{query.name}' has no parameter '{name}' (parameters: {listed})",
                           f"see 'essay-kg query show {query.name}'")
    terms: dict[str, URIRef | Literal] = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None:
            if param.required:
                example = param.example or "…"
                raise BadInput(f"query '{query.name}' needs parameter '{param.name}'",
                               f"add --param {param.name}={example}")
            if param.default is None:
                continue
            value = str(param.default)
        terms[param.variable] = term_for(param, value, graph, prefixes)
    return terms


def term_for(param: Param, value: str, graph: Any, prefixes: dict[str, str]) -> URIRef | Literal:
    """The RDF term for one value of one parameter."""
    if param.type == "entity":
        return resolve_entity(param, value, graph, prefixes)
    if param.type in {"iri", "class", "property"}:
        iri = _iri(param, value, prefixes)
        if iri is None:
            raise BadInput(f"'{value}' is not an IRI or prefixed name for parameter '{param.name}'",
                           f"give e.g. --param {param.name}=ekg:Person or a full <https://…> IRI")
        return iri
    return _literal(param, value)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_term(term: URIRef | Literal) -> str:
    """A term in SPARQL syntax; every control character of a literal escaped (a raw tab would not survive parsing)."""
    if not isinstance(term, Literal):
        return term.n3()
    text = "".join(_ESCAPES.get(c, c) for c in str(term))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def values_block(terms: dict[str, URIRef | Literal]) -> str:
    """A SPARQL ``VALUES`` clause carrying the bound terms (for remote endpoints)."""
    if not terms:
        return ""
    names = sorted(terms)
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(sparql_term(terms[n]) for n in names) + ") }"


def _query_body_start(sparql: str) -> int:
    """Index just after the ``{`` that opens the query pattern (after WHERE, or the first one of an ASK)."""
    i, n = 0, len(sparql)
    seen_where = False
    form = None
    while i < n:
        char = sparql[i]
        if char == "#":
            i = sparql.find("\n", i)
            i = n if i < 0 else i
            continue
        if char == "<" and form is None:  # IRIs occur in the prologue; skip them whole
            i = sparql.find(">", i) + 1 or n
            continue
        if char in "\"'":
            end = sparql.find(char, i + 1)
            i = n if end < 0 else end + 1
            continue
        word = re.match(r"[A-Za-z]+", sparql[i:])
        if word and (i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "?$:_")):
            upper = word.group().upper()
            if upper in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"} and form is None:
                form = upper
            elif upper == "WHERE":
                seen_where = True
            i += len(word.group())
            continue
        if char == "{" and (seen_where or form == "ASK"):
            return i + 1
        i += 1
    raise ValueError("no query pattern found")


def with_values(sparql: str, terms: dict[str, URIRef | Literal]) -> str:
    """The query with a VALUES block opening its WHERE pattern, so that its filters see the values.

    This is how parameters travel to a remote endpoint: as RDF terms in SPARQL
    syntax, never spliced into the query's own text.
    """
    if not terms:
        return sparql
    at = _query_body_start(sparql)
    return f"{sparql[:at]}\n  {values_block(terms)}\n{sparql[at:]}"
