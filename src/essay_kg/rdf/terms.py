"""RDF terms of either library, read without importing either.

Answers come as rdflib terms (the reference engine, remote endpoints) or as
pyoxigraph terms (the fast engine, which the query commands render directly so
that they never pay rdflib's import).  rdflib's terms are ``str`` subclasses and
pyoxigraph's are not; that is all these helpers need to tell them apart.
"""

from __future__ import annotations

from typing import Any

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def kind(term: Any) -> str:
    """``iri``, ``bnode`` or ``literal``."""
    name = type(term).__name__
    if name in {"URIRef", "NamedNode"}:
        return "iri"
    if name in {"BNode", "BlankNode"}:
        return "bnode"
    if name == "Literal":
        return "literal"
    raise TypeError(f"not an RDF term: {term!r}")


def text(term: Any) -> str:
    """The lexical form of a literal, the IRI of an IRI, the label of a blank node."""
    return str(term) if isinstance(term, str) else term.value


def language(term: Any) -> str | None:
    """A literal's language tag, if any."""
    return term.language or None if kind(term) == "literal" else None


def datatype(term: Any) -> str | None:
    """A literal's datatype IRI; None for plain strings and language-tagged strings."""
    if kind(term) != "literal" or language(term):
        return None
    value = term.datatype
    value = None if value is None else (str(value) if isinstance(value, str) else value.value)
    return None if value in {None, XSD_STRING, RDF_LANG_STRING} else value


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escaped(value: str, codepoints: bool) -> str:
    return "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04X}" if codepoints and (ord(c) < 0x20 or ord(c) == 0x7F) else c)
                   for c in value)


def n_triples(term: Any, codepoints: bool = True) -> str:
    """The term in N-Triples syntax, on one line: every control character of a literal escaped.

    With ``codepoints=False`` only the characters that must be escaped in a SPARQL
    string are (backslash, quote, line breaks, tab…); the form a query carries.
    """
    found = kind(term)
    if found == "iri":
        return f"<{text(term)}>"
    if found == "bnode":
        return f"_:{text(term)}"
    lexical = f'"{_escaped(text(term), codepoints)}"'
    if language(term):
        return f"{lexical}@{language(term)}"
    tagged = datatype(term)
    return f"{lexical}^^<{tagged}>" if tagged else lexical
