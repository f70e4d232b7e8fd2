"""Validate a graph: SHACL shapes (pySHACL) and SPARQL checks, each finding with a severity.

The shapes (`ontology/shapes.ttl`) say what every entity, position, span, date and
link must have; the checks (`queries/checks/*.rq`, in the style of ROBOT's report
queries) find what shapes cannot express: statements without evidence, anchors
that differ from the text at their offsets, duplicate entities, holders that are
not actors.  A profile decides which severities fail the run: ``default`` fails
on errors, ``strict`` on errors and warnings.  The report is a table, JSON, or a
SHACL validation report in Turtle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from essay_kg.errors import BadInput

PROFILES = {"default": {"error"}, "strict": {"error", "warning"}}
SEVERITY_OF = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
SH_SEVERITY = {v: k for k, v in SEVERITY_OF.items()}
CHECKS = "https://w3id.org/essay-kg/checks/"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: how bad, which shape or check, on which node, and what."""

    severity: str
    check: str
    focus: str
    message: str


@dataclass
class Report:
    """All findings of a run and whether the graph passes under the profile."""

    findings: list[Finding]
    profile: str

    @property
    def conforms(self) -> bool:
        failing = PROFILES[self.profile]
        return not any(f.severity in failing for f in self.findings)

    def as_dicts(self) -> list[dict[str, str]]:
        return [asdict(f) for f in self.findings]


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    return graph


def _shape_name(shapes: Graph, shape: object) -> str:
    """The name of the node shape a result comes from (property shapes are blank nodes)."""
    if isinstance(shape, BNode):
        owner = next(shapes.subjects(SH.property, shape), None)
        if owner is not None:
            shape = owner
    label = shapes.value(shape, RDFS.label)
    return f"shape:{label}" if label else str(shape)


def shacl_findings(data: Graph) -> tuple[list[Finding], Graph]:
    """Validate against the shipped shapes; the findings and pySHACL's report graph."""
    from pyshacl import validate as shacl_validate

    from essay_kg.rdf.ontology import load_shapes

    shapes = load_shapes()
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITY_OF.get(report.value(result, SH.resultSeverity), "error")
        message = report.value(result, SH.resultMessage)
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        text = str(message) if message else "constraint violated"
        if value is not None and isinstance(value, URIRef | Literal):
            text += f" (value: {str(value)[:80]})"
        findings.append(Finding(severity, _shape_name(shapes, report.value(result, SH.sourceShape)), str(focus), text))
    return findings, report


def check_findings(dataset: Dataset) -> list[Finding]:
    """Run every stored check; each row is a finding on the row's first value."""
    from essay_kg.query.answer import compact
    from essay_kg.query.engine import OxigraphGraph, execute
    from essay_kg.query.library import check_queries

    graph = OxigraphGraph(dataset=dataset)
    findings = []
    for query in check_queries():
        answer = execute(query.sparql, graph)
        for row in answer.rows:
            focus = str(row[0]) if row and row[0] is not None else ""
            details = ", ".join(f"{v}={compact(t)[:60]}" for v, t in zip(answer.variables[1:], row[1:], strict=True)
                                if t is not None)
            findings.append(Finding(query.severity or "error", query.name, focus,
                                    query.summary + (f" ({details})" if details else "")))
    return findings


def validate(dataset: Dataset, profile: str = "default") -> tuple[Report, Graph]:
    """Shapes and checks over a dataset; the report and the SHACL report graph (checks added)."""
    if profile not in PROFILES:
        raise BadInput(f"unknown profile '{profile}'", f"use one of {', '.join(PROFILES)}")
    shacl, graph = shacl_findings(union(dataset))
    checks = check_findings(dataset)
    report = Report(sorted(shacl + checks), profile)
    return report, report_graph(report, graph)


def report_graph(report: Report, shacl: Graph) -> Graph:
    """A SHACL validation report: pySHACL's results plus one result per check row, and sh:conforms."""
    graph = Graph()
    graph.bind("sh", SH)
    for triple in shacl:
        if triple[1] != SH.conforms:
            graph.add(triple)
    node = next(shacl.subjects(RDF.type, SH.ValidationReport), None) or BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(report.conforms)))
    for finding in report.findings:
        if not finding.check.startswith("shape:") and "://" not in finding.check:
            result = BNode()
            graph.add((node, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.resultSeverity, SH_SEVERITY.get(finding.severity, SH.Violation)))
            graph.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            graph.add((result, SH.sourceShape, URIRef(CHECKS + finding.check)))
            if finding.focus:
                graph.add((result, SH.focusNode, URIRef(finding.focus) if "://" in finding.focus else Literal(finding.focus)))
            graph.add((result, SH.resultMessage, Literal(finding.message)))
    return graph
