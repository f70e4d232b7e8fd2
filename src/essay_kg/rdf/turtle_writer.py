"""The direct longturtle writer: a graph's triples read once, grouped by subject and predicate, and
written as rdflib 7.6's longturtle serializer writes them (`essay_kg.rdf.turtle.longturtle`).

The subjects in rdflib's order (members of rdfs:Class first, then IRIs before blank nodes, fewer
references first, then by text), rdf:type and rdfs:label before the other predicates, sorted object
lists, a blank node referenced once nested as ``[ … ]`` where it is first referenced, a valid RDF
list as ``( … )``, literals as rdflib quotes them (numbers and booleans bare, a datatype as a
prefixed name where one is bound), an IRI as a prefixed name where rdflib makes one, and ``PREFIX``
lines for exactly the namespaces rdflib would list.  A graph with a feature it leaves to rdflib
raises `Fallback` before any prefix is bound (the list is in `essay_kg.rdf.turtle`).
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef

from essay_kg.rdf.turtle_names import CLASS, FIRST, INDENT, LABEL, NIL, REST, TYPE, Naming


def _quote(text: str) -> str:
    """A literal's lexical form quoted as rdflib's ``Literal._quote_encode`` quotes it."""
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    if "\\" in text or '"' in text or "\r" in text:  # (a replace copies a str subclass even when it finds nothing)
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'
    return f'"{text}"'



class Writer(Naming):
    """One graph's longturtle: the triples read and named (`Naming`), then the text."""

    def text(self) -> str:
        """rdflib's ``serialize``: the PREFIX lines, then each subject not yet written, in rdflib's order."""
        group, refs = self.group, self.refs
        class_, type_ = self.kept_iris.get(str(CLASS)), self.verb_texts.get(str(TYPE))
        classes = [] if class_ is None else [s for s, properties in group.items() if _holds(properties.get(type_), class_)]
        chosen = set(classes)
        # (the keys tell nodes apart, so the sort never compares the nodes themselves)
        ordered = sorted([(type(s) is not BNode, str(s), s) for s in classes])
        ordered += sorted([(type(s) is BNode, refs.get(s, 0), str(s), s) for s in group if s not in chosen])
        self.verb_order = {p: (p != TYPE, p != LABEL, str(p)) for p in self.verbs}
        self.orders: dict[frozenset[URIRef], list[URIRef]] = {}  # a subject's predicates → them in order
        self.out: list[str] = [self.header]
        self.done: set[Any] = set()
        write, labels, done = self.out.append, self.labels, self.done
        for *_, subject in ordered:
            if subject in done:
                continue
            done.add(subject)
            if type(subject) is URIRef:
                write(f"\n{labels[subject]}\n")
            elif refs.get(subject):
                write(f"\n_:{subject}\n")
            else:
                write("\n[]")
            self._predicates(subject, 0)
            write("\n.\n")
        text = "".join(self.out)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: rdflib writes with errors="replace", a "?" for it
            return text.encode("utf-8", "replace").decode("utf-8")
        return text

    def _literal(self, node: Literal) -> str:
        """rdflib's ``_literal_n3(use_plain=True)`` with datatypes as prefixed names."""
        datatype = node.datatype
        if datatype is None:
            language = node.language
            return f"{_quote(node)}@{language}" if language else _quote(node)
        suffix = self.suffixes.get(str(datatype))
        if suffix is not None:
            return _quote(node) + suffix
        key = (str(node), str(datatype), node.value is None)  # a number or boolean: rdflib's text depends on these
        label = self.literal_labels.get(key)
        if label is None:
            label = self.literal_labels[key] = node._literal_n3(use_plain=True, qname_callback=self.pnames.get)
        return label

    def _predicates(self, subject: Any, depth: int) -> None:
        """rdflib's ``predicateList``: rdf:type and rdfs:label first, then the predicates in order; an
        object list one level deeper (rdflib's ``(count == 1) and 0 or 1`` is 1 for every count)."""
        properties = self.group.get(subject)
        if not properties:
            return
        write, labels, verb_labels, suffixes = self.out.append, self.labels, self.verb_labels, self.suffixes
        indent = INDENT[depth + 1]
        before, between = indent, " ;\n" + indent
        order = properties
        if len(properties) > 1:
            order = self.orders.get(key := frozenset(properties))  # type: ignore[assignment]
            if order is None:
                order = self.orders[key] = sorted(properties, key=self.verb_order.__getitem__)
        for predicate in order:
            o = properties[predicate]
            kind = type(o)
            if kind is URIRef:
                write(f"{before}{verb_labels[predicate]} {labels[o]}")
            elif kind is Literal:  # (`_literal`, the common cases inline)
                datatype = o.datatype
                if datatype is None:
                    language = o.language
                    write(f"{before}{verb_labels[predicate]} {_quote(o)}@{language}" if language
                          else f"{before}{verb_labels[predicate]} {_quote(o)}")
                else:
                    suffix = suffixes.get(str(datatype))
                    write(f"{before}{verb_labels[predicate]} {_quote(o)}{suffix}" if suffix is not None
                          else f"{before}{verb_labels[predicate]} {self._literal(o)}")
            else:
                write(before + verb_labels[predicate])
                if kind is list:
                    self._objects(subject, predicate, o, depth + 1)
                else:
                    self._object(o, depth + 1, False)
            before = between
        write(" ;")

    def _sorted(self, subject: Any, predicate: URIRef, objects: list[Any], kinds: set[type]) -> list[Any]:
        """The objects in rdflib's order."""
        if len(kinds) == 1 and Literal not in kinds:
            return sorted(objects, key=str)
        if Literal not in kinds or all(o.datatype is None for o in objects if type(o) is Literal):
            # nodes: blank nodes, IRIs, literals; literals: plain, then by language tag; then by text
            rank = {BNode: 0, URIRef: 1, Literal: 2}
            return sorted(objects, key=lambda o: (rank[type(o)], (o.language or "") if type(o) is Literal else "", str(o)))
        # typed literals equal in value compare neither way: sort as rdflib does, from rdflib's order
        ordered = [o for _, p, o in self.graph.triples((subject, None, None)) if p == predicate]
        ordered.sort()
        return [o if type(o) is Literal else (self.kept_iris if type(o) is URIRef else self.kept_bnodes)[str(o)] for o in ordered]

    def _objects(self, subject: Any, predicate: URIRef, objects: list[Any], depth: int) -> None:
        """rdflib's ``objectList`` for several objects: each on a line of its own (a blank node after a space)."""
        kinds = set(map(type, objects))
        objects = self._sorted(subject, predicate, objects, kinds)
        write, labels = self.out.append, self.labels
        line = "\n" + INDENT[depth + 1]
        if kinds == {URIRef}:
            write(line + (" ," + line).join([labels[o] for o in objects]))
            return
        for i, o in enumerate(objects):
            kind = type(o)
            before = (" ," if i else " ") if kind is BNode else (" ," + line if i else line)  # a blank node stays on the line
            if kind is URIRef:
                write(f"{before}{labels[o]}")
            elif kind is Literal:
                write(f"{before}{self._literal(o)}")
            else:
                write(before)
                self._object(o, depth, True)

    def _object(self, node: Any, depth: int, newline: bool) -> None:
        """rdflib's ``path`` for an object: a blank node referenced once in brackets, else its label."""
        write = self.out.append
        if type(node) is BNode and node not in self.done and self.refs.get(node, 0) <= 1:
            if self._is_list(node):
                write(" (\n")
                self._list(node, depth)
                write("\n" + INDENT[depth] + ")")
            else:
                self.done.add(node)
                write("\n" + INDENT[depth + 1] + "[\n")
                self._predicates(node, depth + 1)
                write("\n" + INDENT[depth + 1] + "]")
            return
        label = f"_:{node}" if type(node) is BNode else self.labels[node] if type(node) is URIRef else self._literal(node)
        write(label if newline else " " + label)

    def _value(self, node: Any, predicate: URIRef) -> Any:
        """rdflib's ``value``: the object of `node` and `predicate` (rdf:first or rdf:rest, which have one)."""
        properties = self.group.get(node)
        return properties.get(predicate) if properties else None

    def _is_list(self, node: Any) -> bool:
        """rdflib's ``isValidList``: rdf:first, and every node of the rdf:rest chain has two triples."""
        if self._value(node, FIRST) is None:
            return False
        seen = set()
        while node:
            if node in seen:
                raise ValueError(f"the rdf:rest chain from {node.n3()} loops: rdflib's longturtle serializer never finishes it")
            seen.add(node)
            properties = self.group.get(node, {})
            if node != NIL and sum(len(o) if type(o) is list else 1 for o in properties.values()) != 2:
                return False
            node = self._value(node, REST)
        return True

    def _list(self, node: Any, depth: int) -> None:
        """rdflib's ``doList``: the items, one a line."""
        write = self.out.append
        i = 0
        while node:
            item = self._value(node, FIRST)
            if item is not None:
                write(INDENT[depth + 1] if i == 0 else "\n" + INDENT[depth + 1])
                self._object(item, depth, True)
                self.done.add(node)
            node = self._value(node, REST)
            i += 1


def _holds(objects: Any, node: Any) -> bool:
    """Whether a predicate's object (or list of objects) is `node`."""
    return objects is node or (type(objects) is list and any(o is node for o in objects))
