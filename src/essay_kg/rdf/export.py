"""Export the graph in the standard RDF formats, byte-identical on every run.

``trig``, ``nq`` and ``jsonld`` keep the named graphs; ``ttl``, ``nt`` and
``xml`` carry triples only, so they hold the union of the graphs (or the one
graph chosen with ``--graph-name``).  Blank nodes get stable labels, lines
and JSON members are sorted, and JSON-LD uses the context shipped in the
package, embedded in the output, so that neither writing nor reading it
touches the network.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import BNode, Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from essay_kg.errors import BadInput
from essay_kg.namespace import GRAPH_BASE

FORMATS = {"trig": ".trig", "nq": ".nq", "jsonld": ".jsonld", "ttl": ".ttl", "nt": ".nt", "xml": ".rdf"}
NAMED_GRAPH_FORMATS = {"trig", "nq", "jsonld"}
SUFFIX_FORMATS = {".trig": "trig", ".nq": "nq", ".jsonld": "jsonld", ".json": "jsonld", ".ttl": "ttl", ".nt": "nt",
                  ".rdf": "xml", ".xml": "xml", ".owl": "xml"}


def graph_names(dataset: Dataset) -> list[str]:
    """The non-empty named graphs, short names (under the essay-kg graph base) where possible."""
    names = [str(g.identifier) for g in dataset.graphs() if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID]
    return sorted(n.removeprefix(GRAPH_BASE) for n in names)


def select(dataset: Dataset, graph_name: str | None) -> Dataset:
    """A copy of the dataset (or of one named graph of it) with stable blank-node labels (`stable_labels`)."""
    from essay_kg.rdf.blanks import stable_labels

    chosen = [g for g in dataset.graphs() if len(g)]
    if graph_name is not None:
        iri = graph_name if "://" in graph_name else GRAPH_BASE + graph_name
        chosen = [g for g in chosen if str(g.identifier) == iri]
        if not chosen:
            raise BadInput(f"no named graph '{graph_name}' in the input",
                           f"use one of: {', '.join(graph_names(dataset)) or '(none)'}")
    out = Dataset()
    for prefix, namespace in dataset.namespaces():
        out.bind(prefix, namespace, override=True)
    for graph in chosen:
        triples = stable_labels(graph) if any(isinstance(t, BNode) for triple in graph for t in triple) else graph
        target = out.graph(graph.identifier) if graph.identifier != DATASET_DEFAULT_GRAPH_ID else out.default_context
        for triple in triples:
            target.add(triple)
    return out


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True)
    for triple in sorted({t for g in dataset.graphs() for t in g}):
        union.add(triple)
    return union


def _sorted_json(value: Any, key: str = "") -> Any:
    """JSON with object keys and array members in a stable order (``@list`` arrays keep theirs)."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def jsonld(dataset: Dataset) -> bytes:
    """JSON-LD with the shipped context embedded, deterministic."""
    from essay_kg.rdf.ontology import load_context

    context = load_context()
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    if isinstance(document, list):
        document = {"@context": context, "@graph": document}
    document["@context"] = context
    return (json.dumps(_sorted_json(document), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def export(dataset: Dataset, fmt: str, graph_name: str | None = None) -> bytes:
    """The dataset (or one named graph) in one format, as bytes."""
    from essay_kg.rdf.files import serialise, statement_lines

    if fmt not in FORMATS:
        raise BadInput(f"unknown export format '{fmt}'", f"use one of {', '.join(FORMATS)}")
    chosen = select(dataset, graph_name)
    if fmt in {"trig", "nq", "ttl"}:
        return serialise(chosen)["." + fmt]
    if fmt == "jsonld":
        return jsonld(chosen)
    union = _union(chosen)
    if fmt == "nt":
        lines = statement_lines(union.serialize(format="nt"))
        return ("\n".join(lines) + "\n").encode("utf-8")
    for term in (t for triple in union for t in triple):
        bad = _NOT_IN_XML.search(str(term))
        if bad:
            raise BadInput(f"the graph cannot be written as RDF/XML: a term holds U+{ord(bad.group()):04X}, which XML 1.0 "
                           "forbids", "export it as trig, nq, ttl, nt or jsonld, which escape it")
    return _stable_xml(union.serialize(format="xml"))


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _stable_xml(text: str) -> bytes:
    """rdflib's RDF/XML with its top-level descriptions in sorted order (rdflib's follows hashing).

    Markup in literals is escaped, so a line that starts a description is always markup.
    """
    import re

    first = text.find("\n  <rdf:Description")
    end = text.rfind("</rdf:RDF>")
    if first < 0:
        return text.encode("utf-8")
    blocks = re.split(r"(?m)^(?=  <rdf:Description)", text[first + 1:end])
    return (text[:first + 1] + "".join(sorted(b for b in blocks if b)) + text[end:]).encode("utf-8")
