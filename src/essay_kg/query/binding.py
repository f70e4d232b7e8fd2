"""Turn parameter values given on the command line into RDF terms.

A value is never pasted into a query: it becomes one RDF term (a pyoxigraph
IRI or typed literal) that a ``VALUES`` block opening the query's pattern
carries to Oxigraph or to a remote endpoint (rdflib binds it with
``initBindings``).  An entity can be named by its id (``csce``), a label or
alternative label (case-insensitive), a prefixed name (``id:csce``) or a full
IRI; names are looked up with SELECT queries on whichever graph answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.query.documents import resolve_document
from essay_kg.query.library import Param, StoredQuery
from essay_kg.rdf import terms
from essay_kg.vocabulary import PREFIXES

XSD = PREFIXES["xsd"]
LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel")
Select = Callable[[str], Sequence[tuple[Any, ...]]]  # runs a SELECT, returns its rows of RDF terms

_IRI = re.compile(r"^<?(https?|urn|file):[^\s<>\"{}|\\^`]+>?$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*)?:([\w.-]*)$")
_LITERAL_TYPES = {"integer": "integer", "decimal": "decimal", "date": "date", "year": "gYear", "boolean": "boolean"}


def _iri_term(param: Param, value: str) -> Any:
    import pyoxigraph as ox

    try:
        return ox.NamedNode(value)
    except ValueError as err:
        raise BadInput(f"'{value}' is not a valid IRI for parameter '{param.name}' ({err})",
                       f"give an IRI such as <https://w3id.org/essay-kg/id/russia>, or an id: --param {param.name}=russia")\
            from None


def _literal_term(param: Param, value: str, datatype: str | None = None) -> Any:
    import pyoxigraph as ox

    try:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype) if datatype else None)
    except (ValueError, UnicodeError):
        raise BadInput(f"the value of parameter '{param.name}' is not valid Unicode text",
                       "give the value in UTF-8 (check the terminal's encoding)") from None


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["k=v", …]`` → ``{k: v}``, refusing malformed pairs."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"--param '{pair}' is not NAME=VALUE", "write it as --param holder=russia")
        values[name.strip()] = value
    return values


def _literal(param: Param, value: str) -> Any:
    kind = param.type
    if kind == "string":
        return _literal_term(param, value)
    if kind == "isodate":
        if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value):
            raise BadInput(f"'{value}' is not a date for parameter '{param.name}' (YYYY, YYYY-MM or YYYY-MM-DD)",
                           f"give e.g. --param {param.name}=1994-05")
        return _literal_term(param, value)
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
    return _literal_term(param, value, _LITERAL_TYPES[kind])


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _iri(param: Param, value: str, prefixes: dict[str, str]) -> Any:
    if _IRI.match(value):
        return _iri_term(param, value.strip("<>"))
    match = _PREFIXED.match(value)
    if match and (match.group(1) or "") in prefixes:
        return _iri_term(param, prefixes[match.group(1) or ""] + match.group(2))
    return None


def resolve_entity(param: Param, value: str, select: Select, prefixes: dict[str, str]) -> Any:
    """An entity IRI for an id, a label, a prefixed name or an IRI."""
    iri = _iri(param, value, prefixes)
    if iri is not None:
        return iri
    base = prefixes["id"]
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) and select(f"SELECT ?p WHERE {{ <{base}{value}> ?p ?o }} LIMIT 1"):
        return _iri_term(param, base + value)
    wanted = value.strip().strip('"').casefold()
    labels = "SELECT DISTINCT ?s ?o WHERE { VALUES ?p { " + " ".join(f"<{p}>" for p in LABELS) + " } ?s ?p ?o "
    literal = sparql_term(_literal_term(param, value.strip().strip('"')))
    # the store narrows the labels down (LCASE); Python decides (casefold), and reads them all if LCASE found none
    rows = select(labels + f"FILTER (LCASE(STR(?o)) = LCASE({literal})) }}") or select(labels + "}")
    candidates = sorted({terms.text(s) for s, o in rows
                         if s is not None and o is not None and terms.text(o).casefold() == wanted})
    if len(candidates) == 1:
        return _iri_term(param, candidates[0])
    if len(candidates) > 1:
        names = ", ".join(c.removeprefix(base) for c in candidates)
        raise BadInput(f"'{value}' is ambiguous for parameter '{param.name}': {names}",
                       f"give one id instead, e.g. --param {param.name}={candidates[0].removeprefix(base)}")
    raise BadInput(f"no entity called '{value}' for parameter '{param.name}'",
                   "give an entity id, a label, a prefixed name (id:csce) or a full IRI; 'essay-kg query run "
                   "actors-by-type' lists them")


def bind(query: StoredQuery, values: dict[str, str], select: Select, prefixes: dict[str, str]) -> dict[str, Any]:
    """RDF terms for a query's parameters, keyed by SPARQL variable name; `select` looks entity names up."""
    known = {p.name for p in query.params}
    for name in values:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise BadInput(f"query '{query.name}' has no parameter '{name}' (parameters: {listed})",
                           f"see 'essay-kg query show {query.name}'")
    bound: dict[str, Any] = {}
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
        bound[param.variable] = term_for(param, value, select, prefixes)
    return bound


def term_for(param: Param, value: str, select: Select, prefixes: dict[str, str]) -> Any:
    """The RDF term for one value of one parameter."""
    if param.type == "entity":
        return resolve_entity(param, value, select, prefixes)
    if param.type == "document":
        return _iri_term(param, resolve_document(param, value, select))
    if param.type in {"iri", "class", "property"}:
        iri = _iri(param, value, prefixes)
        if iri is None:
            raise BadInput(f"'{value}' is not an IRI or prefixed name for parameter '{param.name}'",
                           f"give e.g. --param {param.name}=ekg:Person or a full <https://…> IRI")
        return iri
    return _literal(param, value)


def sparql_term(term: Any) -> str:
    """A term (of either library) in SPARQL syntax; quotes, backslashes and line breaks escaped."""
    return terms.n_triples(term, codepoints=False)


def values_block(bound: dict[str, Any]) -> str:
    """A SPARQL ``VALUES`` clause carrying the bound terms (for remote endpoints)."""
    if not bound:
        return ""
    names = sorted(bound)
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(sparql_term(bound[n]) for n in names) + ") }"


def bind_lines(bound: dict[str, Any]) -> str:
    """SPARQL ``BIND`` clauses carrying the bound terms, one per parameter (for remote endpoints).

    At the head of the query pattern they mean what a one-row ``VALUES`` block means, and every
    store plans them as constants: Virtuoso 7, given the same terms as ``VALUES`` and a query that
    joins two positions (``agreements``), did not answer in minutes.
    """
    return "\n  ".join(f"BIND ({sparql_term(bound[name])} AS ?{name})" for name in sorted(bound))


def _query_body_start(sparql: str) -> int | None:
    """Index just after the ``{`` that opens the query pattern, or None when the query has none.

    That brace follows WHERE, or, where SPARQL lets WHERE out (SELECT, ASK, DESCRIBE), it is the
    first one outside parentheses after the query form (``SELECT ?o { … }``): a brace inside them
    belongs to an EXISTS of the projection; a CONSTRUCT's first one opens its template.
    """
    i, n = 0, len(sparql)
    seen_where = False
    form = None
    depth = 0  # of parentheses
    while i < n:
        char = sparql[i]
        if char == "#":
            i = sparql.find("\n", i)
            i = n if i < 0 else i
            continue
        if char == "<" and depth == 0:  # before the pattern, '<' opens an IRI (prologue, FROM, DESCRIBE): skip it
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
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "{" and depth == 0 and (seen_where or form in {"SELECT", "ASK", "DESCRIBE"}):
            return i + 1
        i += 1
    return None


def with_values(sparql: str, bound: dict[str, Any]) -> str:
    """The query with a VALUES block opening its WHERE pattern, so that its filters see the values.

    This is how parameters travel to a remote endpoint: as RDF terms in SPARQL
    syntax, never spliced into the query's own text.
    """
    if not bound:
        return sparql
    at = _query_body_start(sparql)
    if at is None:
        raise BadInput("the query has no pattern ('{ … }') to carry its parameters",
                       "give the query a WHERE { … } pattern that uses them")
    return f"{sparql[:at]}\n  {bind_lines(bound)}\n{sparql[at:]}"
