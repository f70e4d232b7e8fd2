"""rdflib's longturtle, without its cost per namespace: the same text, in time linear in the graph.

To write a subject or object as a prefixed name, rdflib splits the IRI at its last name and files
the part before it in a trie of every namespace seen so far, bound or not.  A position's IRI
(``…/position/DOC/1111-holder-stance-target``) splits at its offset, so every position adds a
namespace of its own, and a text with many positions paid a time quadratic in their number (a
30,000-character text of one sentence spent most of its build there).  An IRI whose split
namespace no bound prefix starts with cannot become a prefixed name, whatever the trie holds: it
is written in full without asking rdflib.  Every other IRI asks rdflib once.
"""

from __future__ import annotations

import io
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import split_uri
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer


class _LinearLongTurtle(LongTurtleSerializer):
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


def longturtle(graph: Graph) -> str:
    """`graph` as rdflib's longturtle would write it."""
    stream = io.BytesIO()
    _LinearLongTurtle(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")
