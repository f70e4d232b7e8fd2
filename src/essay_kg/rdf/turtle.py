"""rdflib's longturtle, written directly: the same text as rdflib 7.6 writes, several times faster.

rdflib's serializer asks its store again for every subject's triples, calls a method per term and
per bit of punctuation, and sorts with ``__lt__`` methods written in Python; a build's graphs
spent most of the time of writing their files there.  `longturtle` reads the graph's triples once,
groups them by subject and predicate, and writes the same text itself: the subjects in rdflib's
order (members of rdfs:Class first, then IRIs before blank nodes, fewer references first, then by
text), rdf:type and rdfs:label before the other predicates, sorted object lists, a blank node
referenced once nested as ``[ … ]`` where it is first referenced, a valid RDF list as ``( … )``,
literals as rdflib quotes them (numbers and booleans bare, a datatype as a prefixed name where
one is bound), an IRI as a prefixed name where rdflib makes one, and ``PREFIX`` lines for exactly
the namespaces rdflib would list.

A prefixed name follows rdflib's rule: the IRI splits at its last name (`split_uri`); the part
before must be a bound namespace, or rdflib binds ``ns1``, ``ns2``, … for a predicate's namespace
(in the graph's store, as rdflib does, so the next graph sees it too).  The one case that depends
on which namespaces rdflib's namespace manager has seen before, a bound namespace that reaches into
the local name, is asked of rdflib itself.

Graphs the writer leaves to rdflib, found before it binds any prefix (`reference_longturtle`, rdflib's
serializer with its prefixed-name lookups cached, writes them): a graph with a base IRI; a term that is
not a plain IRI, blank node or literal (a subclass such as a skolem IRI, a variable, a graph, a literal
as subject, a blank node as predicate); an IRI with a character rdflib will not write, or one not
starting with a letter, digit or ``_`` (a relative one); a bound prefix starting with ``_`` (rdflib
renames it); a list node with two rdf:first or two rdf:rest values; a prefix that would stand for two
namespaces.  The project's graphs use none of these.  An rdf:rest chain that loops is an error
(rdflib's serializer never finishes it).  An object list with two or more typed literals is sorted
with rdflib's own comparisons, in the order rdflib reads them from the store: literals equal in value
compare neither way.

Most of the time left is rdflib's own iteration over the store's triples.  The text is compared with
`reference_longturtle` on the project's graphs and on graphs with awkward terms (tests/test_turtle_writer.py).
"""

from __future__ import annotations

import io
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import split_uri
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

from essay_kg.rdf.turtle_names import Fallback
from essay_kg.rdf.turtle_writer import Writer


class _LinearLongTurtle(LongTurtleSerializer):
    """rdflib's serializer, asking rdflib once per IRI for its prefixed name.

    To write a subject or object as a prefixed name, rdflib splits the IRI at its last name and files
    the part before it in a trie of every namespace seen so far, bound or not: a text with many
    position IRIs, each splitting into a namespace of its own, paid a time quadratic in their number.
    An IRI whose split namespace no bound prefix starts with cannot become a prefixed name, whatever
    the trie holds: it is written in full without asking rdflib.
    """

    def reset(self) -> None:
        super().reset()
        self._names: dict[tuple[str, bool], str | None] = {}
        self._bound = tuple(str(namespace) for _, namespace in self.store.namespaces())

    def get_pname(self, uri: Any, gen_prefix: bool = True) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        key = (str(uri), gen_prefix)
        if key in self._names:
            return self._names[key]
        if not gen_prefix and self._unbound(str(uri)):
            self._names[key] = None
            return None
        name = super().get_pname(uri, gen_prefix)
        if gen_prefix:  # rdflib may have bound a new prefix (ns1, …) for a predicate
            bound = tuple(str(namespace) for _, namespace in self.store.namespaces())
            if bound != self._bound:
                self._bound = bound
                self._names = {k: v for k, v in self._names.items() if v is not None}
        if name is not None:
            self._names[key] = name
        return name

    def _unbound(self, uri: str) -> bool:
        """Whether no bound namespace could give `uri` a prefixed name (rdflib would answer None)."""
        try:
            namespace, _ = split_uri(uri)
        except ValueError:
            return False  # rdflib tries the whole IRI as a namespace: let it
        return not any(bound.startswith(namespace) and uri.startswith(bound) for bound in self._bound)


def reference_longturtle(graph: Graph) -> str:
    """`graph` as rdflib's longturtle serializer writes it: the reference `longturtle` must equal."""
    stream = io.BytesIO()
    _LinearLongTurtle(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def longturtle(graph: Graph, triples: list[Any] | None = None) -> str:
    """`graph` as rdflib's longturtle would write it (`triples`: its triples, if already read by `graph_triples`)."""
    try:
        return Writer(graph, triples).text()
    except Fallback:
        return reference_longturtle(graph)


