"""Reason over the ontology and the asserted facts with HermiT (through owlready2).

The reasoner sees the ontology, the facts and the positions.  Literals whose
datatype lies outside the OWL 2 datatype map (``xsd:gYear``, ``xsd:gYearMonth``,
``xsd:date``) are set aside first, because HermiT refuses them; they carry no
logic in this ontology.  The result is whether the whole is consistent, which
classes are unsatisfiable, and which types and relations the reasoner infers.
When it is inconsistent, the individuals typed with two disjoint classes are
named, since HermiT itself does not say why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from essay_kg.errors import EnvironmentProblem
from essay_kg.namespace import GRAPH_BASE, ID

OUTSIDE_OWL2 = {XSD.gYear, XSD.gYearMonth, XSD.date, XSD.gMonth, XSD.gDay, XSD.gMonthDay, XSD.time, XSD.duration}
REASONED_GRAPHS = ("/facts", "/positions")
INFERRED_GRAPH = URIRef(GRAPH_BASE + "inferred")
JAVA_TIMEOUT = 300.0  # seconds HermiT may run (reason --timeout)


@dataclass
class Reasoning:
    """What HermiT said."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: list[tuple[URIRef, URIRef, URIRef]] = field(default_factory=list)
    set_aside: int = 0
    clashes: list[tuple[str, str, str]] = field(default_factory=list)  # individual, class, disjoint class
    triples: int = 0


def reasoning_input(dataset: Dataset, ontology: Graph) -> tuple[Graph, int]:
    """Ontology + facts + positions, without literals HermiT refuses; and how many were set aside."""
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    set_aside = 0
    for g in dataset.graphs():
        if not str(g.identifier).endswith(REASONED_GRAPHS):
            continue
        for s, p, o in g:
            if isinstance(o, Literal) and o.datatype in OUTSIDE_OWL2:
                set_aside += 1
                continue
            graph.add((s, p, o))
    return graph, set_aside


def disjoint_clashes(graph: Graph) -> list[tuple[str, str, str]]:
    """Individuals typed (through rdfs:subClassOf) with two classes the ontology declares disjoint."""
    pairs: set[tuple[URIRef, URIRef]] = set()
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(graph.items(graph.value(group, OWL.members)))
        pairs.update((a, b) for a in members for b in members if a != b)
    pairs.update(graph.subject_objects(OWL.disjointWith))

    def ancestors(cls: URIRef) -> set[URIRef]:
        return set(graph.transitive_objects(cls, RDFS.subClassOf))

    implied: dict[URIRef, set[URIRef]] = {}  # types that rdfs:domain and rdfs:range give an individual
    for prop, domain in graph.subject_objects(RDFS.domain):
        if isinstance(domain, URIRef):
            for subject in graph.subjects(prop, None):
                implied.setdefault(subject, set()).add(domain)
    for prop, range_ in graph.subject_objects(RDFS.range):
        if isinstance(range_, URIRef):
            for obj in graph.objects(None, prop):
                implied.setdefault(obj, set()).add(range_)
    clashes = set()
    for individual in set(graph.subjects(RDF.type, None)) | set(implied):
        if not str(individual).startswith(str(ID)):
            continue
        types = {t for t in graph.objects(individual, RDF.type) if isinstance(t, URIRef)} | implied.get(individual, set())
        classes = set().union(*(ancestors(t) for t in types))
        for a, b in pairs:
            if a in classes and b in classes and str(a) < str(b):
                clashes.add((str(individual), str(a), str(b)))
    return sorted(clashes)


def reason(dataset: Dataset, timeout: float | None = None) -> Reasoning:
    """Run HermiT, stopped after `timeout` seconds (None: `JAVA_TIMEOUT`); EnvironmentProblem when Java is
    missing, fails or runs past the limit."""
    if shutil.which("java") is None:
        raise EnvironmentProblem("HermiT needs Java, and no 'java' command was found",
                                 "install a Java runtime, e.g. apt-get install default-jre-headless")
    import owlready2

    from essay_kg.rdf.ontology import load_ontology, to_owlready

    seconds = JAVA_TIMEOUT if timeout is None else timeout
    graph, set_aside = reasoning_input(dataset, load_ontology())
    world, _ = to_owlready(graph)
    before = set(world.as_rdflib_graph())
    try:
        with world.get_ontology("https://w3id.org/essay-kg/inferred#"), _java_time_limit(seconds):
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return Reasoning(False, set_aside=set_aside, clashes=disjoint_clashes(graph), triples=len(graph))
    except owlready2.OwlReadyJavaError as err:
        raise EnvironmentProblem(f"HermiT failed to run ({java_message(str(err))})",
                                 "check the Java runtime (java -version); Java 11 or newer works") from None
    except subprocess.TimeoutExpired:  # subprocess has killed Java
        raise EnvironmentProblem(f"HermiT ran past its time limit of {seconds:g} s",
                                 f"give it longer: essay-kg reason --timeout SECONDS (the default is {JAVA_TIMEOUT:g})") \
            from None
    unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    after = set(world.as_rdflib_graph())
    inferred = sorted(t for t in after - before if _interesting(t) and t not in dataset)  # new to the whole dataset
    return Reasoning(True, unsatisfiable, inferred, set_aside, triples=len(graph))


@contextmanager
def _java_time_limit(seconds: float) -> Iterator[None]:
    """owlready2 runs Java with `subprocess`, passing it the keyword arguments of its `_subprocess_kargs`
    (and no time-out of its own): a ``timeout`` there makes subprocess kill Java at the limit."""
    from owlready2 import reasoning

    options = reasoning._subprocess_kargs
    options["timeout"] = seconds
    try:
        yield
    finally:
        options.pop("timeout", None)


def java_message(error: str) -> str:
    """The line of owlready2's "Java error message is:\n<Java's output>" that says what went wrong: the first
    exception or error line of Java's output (not a stack frame), else its first line."""
    lines = [line.strip() for line in error.splitlines()[1:] if line.strip() and not line.strip().startswith("at ")]
    telling = [line for line in lines if re.search(r"(Exception|Error)\b", line)]
    found = (telling or lines or ["Java gave no message"])[0]
    return found if len(found) <= 300 else found[:300] + "…"


def _interesting(triple: tuple) -> bool:
    """An inferred type or relation of one of the graph's own individuals."""
    s, p, o = triple
    if not (isinstance(s, URIRef) and str(s).startswith(str(ID)) and isinstance(o, URIRef)):
        return False
    return not (p == RDF.type and o in {OWL.Thing, OWL.NamedIndividual})


def inferred_dataset(result: Reasoning) -> Dataset:
    """The inferred triples in their own named graph, never mixed into the asserted facts."""
    from essay_kg.vocabulary import PREFIXES

    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    graph = dataset.graph(INFERRED_GRAPH)
    for triple in result.inferred:
        graph.add(triple)
    return dataset
