"""The reading and naming half of the direct longturtle writer (`essay_kg.rdf.turtle_writer`): a graph's
triples read once and grouped by subject and predicate, references counted, and every IRI given the
prefixed name rdflib's serializer gives it (rdflib's ``preprocess``), binding ``ns1``, ``ns2``, … as
rdflib binds them.  A graph with a feature left to rdflib raises `Fallback` before any prefix is bound.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, split_uri
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

TYPE, LABEL, NIL, FIRST, REST, CLASS = RDF.type, RDFS.label, RDF.nil, RDF.first, RDF.rest, RDFS.Class
# the datatypes whose literals rdflib may write bare (``_PLAIN_LITERAL_TYPES``) or as INF and NaN
OWN_FORM = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("integer", "boolean", "double", "decimal", "float")}
OWN_FORM.add("http://www.w3.org/2002/07/owl#rational")
_XMLNS = "http://www.w3.org/XML/1998/namespace"  # split_uri treats IRIs under it apart
_INVALID_IRI = re.compile(r'[<>" {}|\\^`]')  # the characters rdflib will not write in an IRI
# split_uri's name characters, for ASCII: letters and digits (which may also start a name), and these
_ASCII_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.%()"
_ASCII_NAME_INNER = "-.%()"  # … of which these cannot start one
_PERCENT = LongTurtleSerializer.LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX
INDENT = [" " * 4 * depth for depth in range(64)]


class Fallback(Exception):
    """The graph uses a feature the direct writer leaves to rdflib."""


def _escape(local: str) -> str:
    """A local name escaped as rdflib's ``get_pname`` escapes it."""
    if "(" in local or ")" in local:
        local = local.replace("(", r"\(").replace(")", r"\)")
    return _PERCENT.sub("\\%", local) if "%" in local else local


def graph_triples(graph: Graph) -> list[Any]:
    """A graph's triples, read once from its store in the order rdflib's serializers read them."""
    if type(graph) is Graph:  # what Graph.triples does, without its generator around the store's
        return [triple for triple, _ in graph.store.triples((None, None, None), context=graph)]
    return list(graph.triples((None, None, None)))


_ASK = "<ask rdflib>"  # a split only rdflib itself can make (see `Naming._split`); never a namespace, with its "<"


class Naming:
    """One graph's triples read and named (rdflib's ``preprocess``); `Writer` writes the text.

    `group` maps each subject to its predicates, each to its object, or to a list of its objects when
    it has several (most have one: a list each would cost time, and garbage collections)."""

    def __init__(self, graph: Graph, triples: list[Any] | None = None) -> None:
        if graph.base is not None:
            raise Fallback("a base IRI")
        self.graph = graph
        self.store = graph.store
        self.given = triples  # the graph's triples if the caller has read them (`graph_triples`), else None
        self.epoch = 0  # how many prefixes rdflib has bound while this graph is named
        self._read_bindings()  # (the namespace manager, made here if not yet, binds rdflib's prefixes)
        if any(prefix[:1] == "_" for prefix, _ in self._bindings):
            raise Fallback("a prefix starting with _ (rdflib renames it)")
        self.namespaces: dict[str, str] = {}  # prefix → namespace, for the PREFIX lines
        self._read()
        terms = [*self.kept_iris.values(), *(s for s in self.group if type(s) is URIRef), *self.datatypes.values()]
        if _INVALID_IRI.search("".join(terms) + "".join(self.verbs)):
            raise Fallback("an IRI rdflib will not write")
        if self._binds():
            for uri in terms:
                self._split(uri)  # an IRI the writer leaves to rdflib is found before rdflib binds anything
            self._name_in_order()
        else:
            self._name_each(terms)
        self.header = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(self.namespaces.items()))
        self.labels = labels = {uri: name or f"<{uri}>" for uri, name in self.pnames.items()}
        self.verb_labels = {p: name or f"<{p}>" for p, name in self.verb_names.items()}
        if NIL in labels:  # rdflib writes rdf:nil as () wherever it stands
            labels[NIL] = "()"
        if NIL in self.verb_labels:
            self.verb_labels[NIL] = "()"
        self.suffixes = {text: f"^^{self.pnames[datatype] or f'<{datatype}>'}" for text, datatype in self.datatypes.items()
                         if text not in OWN_FORM}  # a literal's text is its quoted form and this, unless rdflib has its own
        self.literal_labels: dict[tuple[str, str, bool], str] = {}

    # -- bindings ------------------------------------------------------------------------------------

    def _read_bindings(self) -> None:
        self._bindings = tuple(self.graph.namespaces())
        self._bound = sorted(str(namespace) for _, namespace in self._bindings)
        self._prefix_of = {str(namespace): self.store.prefix(namespace) for _, namespace in self._bindings}
        self.splits: dict[URIRef, tuple[str | None, str]] = {}

    def _prefix(self, namespace: str) -> str | None:
        """The store's prefix for `namespace` (rdflib asks ``store.prefix``; a store has one for the
        namespaces it lists and none for others)."""
        return self._prefix_of.get(namespace)

    # -- reading -------------------------------------------------------------------------------------

    def _triples(self) -> list[Any]:
        """The graph's triples, in the order rdflib's serializer reads them."""
        return graph_triples(self.graph) if self.given is None else self.given

    def _read(self) -> None:
        """Every triple once: grouped by subject and predicate, references to each node counted.

        An object or predicate is kept as one instance (the store hands out equal ones, though many the
        same): looked up again, it is found by identity, without calling rdflib's ``__eq__``.  An
        instance met before is known by its id (its own while the store holds it), another by its text."""
        group: dict[Any, dict[URIRef, Any]] = {}
        iris: dict[str, URIRef] = {}  # the object IRIs kept, by text
        bnodes: dict[str, BNode] = {}  # the object blank nodes kept, by text
        refs: dict[Any, int] = {}  # kept object → how many triples have it as object
        verbs: dict[str, URIRef] = {}  # the predicates kept, by text
        known: dict[int, Any] = {}  # id of an object instance met → the instance kept
        known_verbs: dict[int, URIRef] = {}  # id of a predicate instance met → the instance kept
        datatypes: dict[str, URIRef] = {}
        for s, p, o in self._triples():
            kind = type(o)
            if kind is Literal:
                datatype = o.datatype
                if datatype is not None:
                    datatypes[str(datatype)] = datatype
            elif kind is URIRef or kind is BNode:
                node = known.get(id(o))
                if node is None:
                    node = known[id(o)] = (iris if kind is URIRef else bnodes).setdefault(str(o), o)
                refs[node] = refs.get(node, 0) + 1
                o = node
            else:
                raise Fallback("an object of another kind")
            verb = known_verbs.get(id(p))
            if verb is None:
                if type(p) is not URIRef:
                    raise Fallback("a predicate of another kind")
                verb = known_verbs[id(p)] = verbs.setdefault(str(p), p)
            properties = group.get(s)
            if properties is None:
                if type(s) is not URIRef and type(s) is not BNode:
                    raise Fallback("a subject of another kind")
                group[s] = {verb: o}
            else:
                objects = properties.get(verb)
                if objects is None:
                    properties[verb] = o
                elif type(objects) is list:
                    objects.append(o)
                else:
                    properties[verb] = [objects, o]
        first, rest = verbs.get(str(FIRST)), verbs.get(str(REST))
        for properties in group.values() if first is not None or rest is not None else ():
            if type(properties.get(first)) is list or type(properties.get(rest)) is list:  # type: ignore[arg-type]
                raise Fallback("a list node with two rdf:first or rdf:rest values")  # (rdflib reads one value)
        self.group, self.kept_iris, self.kept_bnodes, self.refs, self.datatypes = group, iris, bnodes, refs, datatypes
        self.verbs, self.verb_texts = dict.fromkeys(verbs.values()), verbs

    # -- prefixed names ------------------------------------------------------------------------------

    def _split(self, uri: URIRef) -> tuple[str | None, str]:
        """`uri` split as ``compute_qname`` splits it: ``split_uri``, then the longest known namespace
        between the split and the IRI.  (None, "") when it cannot split it; (_ASK, "") when only rdflib
        can tell: an IRI under the XML namespace, or one reaching into a bound namespace, since rdflib's
        trie holds the namespaces bound through its namespace manager, not every one in the store."""
        split = self.splits.get(uri)
        if split is not None:
            return split
        text = str(uri)
        first = text[:1]
        if not (first.isascii() and (first.isalnum() or first == "_")):
            raise Fallback("an IRI split_uri may split before its last name")  # (it wraps round to its start)
        if text.startswith(_XMLNS):
            split = (_ASK, "")
        elif text.isascii():  # after the last character not in a name, from the first that may start one
            head = text.rstrip(_ASCII_NAME)
            local = text[len(head):].lstrip(_ASCII_NAME_INNER) if head else ""
            split = (text[: len(text) - len(local)], local) if local else (None, "")
        else:
            try:
                split = split_uri(text)
            except ValueError:
                split = (None, "")
        namespace = split[0]
        if namespace is not None and namespace is not _ASK:
            bound = self._bound  # the bound namespaces starting with this one follow it, sorted
            at = bisect_right(bound, namespace)
            if at < len(bound) and bound[at].startswith(namespace) and any(
                    b.startswith(namespace) and text.startswith(b) for b in bound[at:]):
                split = (_ASK, "")
            else:
                split = (namespace, _escape(split[1]))
        self.splits[uri] = split
        return split

    def _pname(self, uri: URIRef, generate: bool) -> str | None:
        """rdflib's ``get_pname(uri, generate)``, with the same side effects on the namespaces."""
        namespace, local = self.splits.get(uri) or self._split(uri)
        if namespace is _ASK:
            return self._asked(uri, generate)
        if namespace is not None:
            prefix = self._prefix(namespace)
            if prefix is not None:
                return self._name(prefix, namespace, local)
            if generate:
                return self._asked(uri, generate)  # rdflib binds ns1, ns2, … to the namespace
        prefix = self._prefix(str(uri))  # no prefix for its namespace: rdflib tries the IRI as a namespace
        return None if prefix is None else self._name(prefix, str(uri), "")

    def _asked(self, uri: URIRef, generate: bool) -> str | None:
        """``get_pname`` asking rdflib's namespace manager, as the serializer does."""
        try:
            prefix, namespace, local = self.graph.compute_qname(uri, generate=generate)
        except Exception:  # rdflib's own fallback
            prefix = self.store.prefix(uri)
            if prefix is None:
                return None
            namespace, local = uri, ""
        if generate and tuple(self.graph.namespaces()) != self._bindings:
            self._read_bindings()  # rdflib bound a prefix: names that had none may have one now
            self.epoch += 1
        return self._name(prefix, str(namespace), _escape(local))

    def _name(self, prefix: str, namespace: str, local: str) -> str | None:
        if local.endswith("."):
            return None
        known = self.namespaces.get(prefix)
        if known is None:
            self.namespaces[prefix] = namespace
        elif known != namespace:
            raise Fallback("a prefix for two namespaces (rdflib renames it)")
        return f"{prefix}:{local}"

    def _binds(self) -> bool:
        """Whether rdflib would bind a prefix for a predicate (or only rdflib can tell)."""
        for p in self.verbs:
            if p != TYPE:
                namespace, _ = self._split(p)
                if namespace is _ASK or (namespace is not None and self._prefix(namespace) is None):
                    return True
        return False

    def _name_each(self, terms: list[URIRef]) -> None:
        """rdflib's ``preprocess`` when it binds no prefix: each term's name, once, in any order.

        (The predicate rdf:type is written ``a`` and not looked up.)"""
        pname = self._pname
        pnames: dict[URIRef, str | None] = {}
        for uri in terms:
            if uri not in pnames:
                pnames[uri] = pname(uri, False)
        self.pnames = pnames
        self.verb_names = {p: "a" if p == TYPE else pname(p, True) for p in self.verbs}

    def _name_in_order(self) -> None:
        """rdflib's ``preprocess`` when it binds a prefix for a predicate: every term's name, in the order
        of the triples, since a name looked up before the binding has none and after it has one.  A name
        is looked up again once per binding."""
        names: dict[URIRef, tuple[int, str | None]] = {}
        verbs: dict[URIRef, tuple[int, str | None]] = {}
        pname = self._pname
        for s, p, o in self._triples():
            if type(s) is URIRef:
                seen = names.get(s)
                if seen is None or seen[0] != self.epoch:
                    names[s] = (self.epoch, pname(s, False))
            seen = verbs.get(p)
            if seen is None or (seen[1] is None and seen[0] != self.epoch):
                verbs[p] = (self.epoch, "a" if p == TYPE else pname(p, True))
            kind = type(o)
            if kind is URIRef:
                seen = names.get(o)
                if seen is None or seen[0] != self.epoch:
                    names[o] = (self.epoch, pname(o, False))
            elif kind is Literal:
                datatype = o.datatype
                if datatype is not None:
                    seen = names.get(datatype)
                    if seen is None or seen[0] != self.epoch:
                        names[datatype] = (self.epoch, pname(datatype, False))
        header = dict(self.namespaces)  # the PREFIX lines: the names as they were looked up
        # The text uses the names as they are once all are looked up (rdflib's ``label``).
        epoch = self.epoch
        self.pnames = {uri: name if at == epoch else pname(uri, False) for uri, (at, name) in names.items()}
        self.verb_names = {p: name if at == epoch or name is not None else pname(p, True) for p, (at, name) in verbs.items()}
        self.namespaces = header

    # -- writing -------------------------------------------------------------------------------------
