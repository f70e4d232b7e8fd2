"""`essay-kg validate`, `reason` and `verify` on the shipped graph and on deliberately broken ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from typer.testing import CliRunner

from essay_kg.cli import app
from essay_kg.rdf.files import load_graphs

from conftest import REPO

ID = "https://w3id.org/essay-kg/id/"
EKG = "https://w3id.org/essay-kg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
G = "https://w3id.org/essay-kg/graph/kozyrev-1994/"
SOURCE = REPO / "extract" / "sources" / "kozyrev-1994-the-lagging-partnership.txt"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_graphs([])


def broken(shipped: Dataset, tmp_path: Path, edit: Callable[[Dataset], None]) -> Path:
    """A copy of the shipped graph with one deliberate fault, written as TriG."""
    data = Dataset()
    for prefix, namespace in shipped.namespaces():
        data.bind(prefix, namespace)
    for quad in shipped.quads((None, None, None, None)):
        data.add(quad)
    edit(data)
    path = tmp_path / "broken.nq"
    data.serialize(path, format="nquads")
    return path


def facts(data: Dataset):
    return data.graph(URIRef(G + "facts"))


def first_position(data: Dataset) -> URIRef:
    return sorted(data.graph(URIRef(G + "positions")).subjects(RDF.type, URIRef(EKG + "Position")))[0]


def first_mention(data: Dataset) -> URIRef:
    return sorted(data.graph(URIRef(G + "provenance")).subjects(URIRef(NIF + "anchorOf"), None))[0]


def drop_label(data):
    facts(data).remove((URIRef(ID + "nato"), RDFS.label, None))


def drop_type(data):
    facts(data).remove((URIRef(ID + "nato"), RDF.type, None))


def unmentioned(data):
    facts(data).add((URIRef(ID + "atlantis"), RDF.type, URIRef(EKG + "State")))
    facts(data).add((URIRef(ID + "atlantis"), RDFS.label, Literal("Atlantis")))


def two_holders(data):
    data.graph(URIRef(G + "positions")).add((first_position(data), URIRef(EKG + "holder"), URIRef(ID + "nato")))


def backwards_span(data):
    graph = data.graph(URIRef(G + "provenance"))
    span = first_mention(data)
    graph.set((span, URIRef(NIF + "beginIndex"), Literal(99999, datatype=XSD.nonNegativeInteger)))


def bad_date(data):
    graph = facts(data)
    subject = next(graph.subjects(URIRef(EKG + "date"), None))
    graph.set((subject, URIRef(EKG + "date"), Literal("1994-13", datatype=XSD.gYearMonth)))


def bad_bound(data):
    graph = facts(data)
    subject = next(graph.subjects(URIRef(EKG + "date"), None))
    graph.add((subject, URIRef(EKG + "earliest"), Literal("1995-13", datatype=XSD.gYearMonth)))


def bad_link(data):
    data.graph(URIRef("https://w3id.org/essay-kg/graph/links")).add(
        (URIRef(ID + "russia"), SKOS.exactMatch, URIRef("https://www.wikidata.org/wiki/Q159")))


def unevidenced(data):
    facts(data).add((URIRef(ID + "russia"), URIRef(EKG + "memberOf"), URIRef(ID + "nato")))


def drifted_anchor(data):
    graph = data.graph(URIRef(G + "provenance"))
    span = first_mention(data)
    graph.set((span, URIRef(NIF + "anchorOf"), Literal("words that are not there")))


def holder_is_a_topic(data):
    graph = data.graph(URIRef(G + "positions"))
    position = first_position(data)
    graph.set((position, URIRef(EKG + "holder"), URIRef(ID + "nationalism")))


BROKEN = [
    (drop_label, "shape:entity", "exactly one rdfs:label"),
    (drop_type, "shape:entity", "a type (a class) from the essay-kg ontology"),
    (unmentioned, "entity-without-mention", "Entities that no span of any text refers to"),
    (two_holders, "shape:position", "exactly one holder"),
    (backwards_span, "shape:span", "begins before it ends"),
    (bad_date, "shape:date", "valid xsd:date, xsd:gYearMonth or xsd:gYear"),
    (bad_bound, "shape:date", "a bound (a season's month, a decade's year) is a valid"),
    (bad_link, "shape:entity", "Wikidata item IRI"),
    (unevidenced, "statement-without-evidence", "without an assertion node"),
    (drifted_anchor, "anchor-mismatch", "anchor is not the text between their offsets"),
    (holder_is_a_topic, "position-holder-not-actor", "holder is not an actor"),
]


def test_the_shipped_graph_is_valid() -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"conforms": true' in result.stdout and '"findings": []' in result.stdout


@pytest.mark.parametrize(("edit", "check", "message"), BROKEN, ids=[b[0].__name__ for b in BROKEN])
def test_each_broken_graph_fails_with_the_right_finding(shipped: Dataset, tmp_path: Path, edit, check: str,
                                                        message: str) -> None:
    path = broken(shipped, tmp_path, edit)
    result = run("validate", str(path), "--format", "json")
    assert result.exit_code == 1, result.output
    import json

    findings = json.loads(result.stdout)["findings"]
    assert any(f["check"] == check and message in f["message"] and f["severity"] == "error" for f in findings), findings


def test_a_warning_fails_only_the_strict_profile(shipped: Dataset, tmp_path: Path) -> None:
    def twin(data):  # in a graph of its own, so that no fact lacks its evidence: only the warning remains
        extra = data.graph(URIRef(G + "extra"))
        extra.add((URIRef(ID + "russia-again"), RDF.type, URIRef(EKG + "State")))
        extra.add((URIRef(ID + "russia-again"), RDFS.label, Literal("RUSSIA")))
        span = first_mention(data)
        data.graph(URIRef(G + "provenance")).add(
            (span, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), URIRef(ID + "russia-again")))

    path = broken(shipped, tmp_path, twin)
    default = run("validate", str(path))
    assert default.exit_code == 0, default.output
    assert "duplicate-entity" in default.stdout and "warning" in default.stdout
    strict = run("validate", str(path), "--profile", "strict")
    assert strict.exit_code == 1 and "does not conform (strict profile): 0 errors, 1 warnings" in strict.output


def test_the_report_is_a_shacl_validation_report(shipped: Dataset, tmp_path: Path) -> None:
    from rdflib import Graph
    from rdflib.namespace import SH

    result = run("validate", str(broken(shipped, tmp_path, unevidenced)), "--format", "ttl")
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    sources = {str(report.value(r, SH.sourceShape)) for r in report.objects(node, SH.result)}
    assert "https://w3id.org/essay-kg/checks/statement-without-evidence" in sources


@pytest.mark.java
def test_hermit_finds_the_shipped_graph_consistent() -> None:
    result = run("reason")
    assert result.exit_code == 0, result.output
    assert "consistent: yes" in result.stdout and "unsatisfiable classes: none" in result.stdout


@pytest.mark.java
def test_hermit_finds_a_wrong_type_inconsistent(shipped: Dataset, tmp_path: Path) -> None:
    def person_and_state(data):
        facts(data).add((URIRef(ID + "russia"), RDF.type, URIRef(EKG + "Person")))

    result = run("reason", str(broken(shipped, tmp_path, person_and_state)))
    assert result.exit_code == 1, result.output
    assert "consistent: NO" in result.stdout
    assert "clash: id:russia is both ekg:Person and ekg:State, which are disjoint" in result.stdout


@pytest.mark.java
def test_inferences_go_to_their_own_named_graph(shipped: Dataset, tmp_path: Path) -> None:
    def untyped_member(data):
        facts(data).add((URIRef(ID + "new-member"), URIRef(EKG + "memberOf"), URIRef(ID + "nato")))

    out = tmp_path / "inferred.trig"
    result = run("reason", str(broken(shipped, tmp_path, untyped_member)), "--materialise", str(out))
    assert result.exit_code == 0, result.output
    inferred = load_graphs([out])
    graphs = {str(g.identifier): set(g) for g in inferred.graphs() if len(g)}
    assert list(graphs) == ["https://w3id.org/essay-kg/graph/inferred"]
    assert (URIRef(ID + "new-member"), RDF.type, URIRef(EKG + "Actor")) in graphs["https://w3id.org/essay-kg/graph/inferred"]


def test_reason_without_java_is_an_environment_error(tmp_path: Path) -> None:
    python_only = tmp_path / "bin"
    python_only.mkdir()
    result = run("reason", env={"PATH": str(python_only)})
    assert result.exit_code == 3
    assert "HermiT needs Java" in result.output and "apt-get install default-jre-headless" in result.output


def test_verify_passes_on_the_shipped_graph() -> None:
    result = run("verify")
    assert result.exit_code == 0, result.output
    assert "kozyrev-1994-the-lagging-partnership.txt: ok: SHA-256 matches" in result.stdout


def test_verify_fails_after_a_one_character_edit(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    at = text.index("Partnership opponents")
    edited = tmp_path / SOURCE.name
    edited.write_text(text[:at] + "p" + text[at + 1:], encoding="utf-8")  # same length, one letter
    result = run("verify", "--source", str(edited))
    assert result.exit_code == 1, result.output
    assert "SHA-256 DIFFERS" in result.stdout
    assert "expected 'Partnership opponents" in result.stdout  # where it drifted, in the graph's words
    assert "partnership opponents" not in result.stdout  # the text of a file that is not the source is never shown
    assert "found '(not shown: the file is not the text the" in result.stdout
    shifted = tmp_path / "shifted" / SOURCE.name
    shifted.parent.mkdir()
    shifted.write_text(text[:at] + " " + text[at:], encoding="utf-8")  # one character more: later spans drift
    result = run("verify", "--source", str(shifted))
    assert result.exit_code == 1 and result.stdout.count("drifted") > 300


def test_verify_a_graph_held_by_a_remote_endpoint(oxigraph_store) -> None:
    assert run("push", "--endpoint", oxigraph_store.query_url).exit_code == 0
    result = run("verify", "--endpoint", oxigraph_store.query_url)
    assert result.exit_code == 0, result.output
    assert "kozyrev-1994-the-lagging-partnership.txt: ok: SHA-256 matches" in result.stdout


def test_verify_a_missing_source(tmp_path: Path) -> None:
    result = run("verify", "--source", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "no such source file" in result.output


def test_the_holder_check_lists_every_actor_class_of_the_ontology() -> None:
    """position-holder-not-actor lists its classes (a class path was slow or wrong on some stores): keep them in step."""
    import re

    from rdflib import RDFS, URIRef

    from essay_kg.rdf.ontology import load_ontology

    text = (REPO / "queries" / "checks" / "position-holder-not-actor.rq").read_text(encoding="utf-8")
    listed = set(re.findall(r"ekg:(\w+)", text.split("VALUES ?type {", 1)[1].split("}", 1)[0]))
    ontology = load_ontology()
    base = "https://w3id.org/essay-kg/ontology#"
    actors = {str(c).removeprefix(base) for c in ontology.transitive_subjects(RDFS.subClassOf, URIRef(base + "Actor"))}
    assert listed == actors | {"Office"} and {"Person", "ThinkTank", "Actor"} <= listed


def built_note(tmp_path: Path, text: str, date: str) -> Path:
    """A short text by Jane Doe, built with the rules alone into tmp_path/out: its TriG file."""
    source = tmp_path / "note.txt"
    source.write_text(text, encoding="utf-8")
    built = run("build", str(source), "--out", str(tmp_path / "out"), "--author", "Jane Doe", "--date", date,
                "--model", "none")
    assert built.exit_code == 0, built.output
    return tmp_path / "out" / f"doe-{date[:4]}.trig"


def test_a_users_text_whose_author_it_never_names_validates(tmp_path: Path) -> None:
    """The author is known from the metadata, not from a mention: neither the shape nor the check asks for one."""
    built_note(tmp_path, "A Note\n\nRussia supports the CSCE.\n", "1994-05")
    result = run("validate", str(tmp_path / "out" / "doe-1994.trig"))
    assert result.exit_code == 0, result.output
    assert "conforms (default profile): 0 errors" in result.output
    # an entity that no span names and that is no author still fails
    data = load_graphs([tmp_path / "out" / "doe-1994.trig"])
    graph = next(g for g in data.graphs() if str(g.identifier).endswith("/facts"))
    graph.add((URIRef("https://w3id.org/essay-kg/id/nobody"), RDF.type, URIRef("https://w3id.org/essay-kg/ontology#Person")))
    graph.add((URIRef("https://w3id.org/essay-kg/id/nobody"), RDFS.label, Literal("Nobody")))
    data.serialize(tmp_path / "edited.trig", format="trig")
    edited = run("validate", str(tmp_path / "edited.trig"))
    assert edited.exit_code == 1 and "id:nobody" in edited.output


def test_a_season_bounded_by_months_validates(tmp_path: Path) -> None:
    """"This summer" is bounded by months (June to August), not years: the shapes take any date as a bound."""
    graph = str(built_note(tmp_path, "Remarks\n\nThis summer the Dayton Agreement was signed. Russia supports the CSCE.\n",
                           "1995-11"))
    bound = run("sparql", "--graph", graph, "--format", "csv", "SELECT ?b WHERE { id:dayton-agreement ekg:earliest ?b }")
    assert bound.stdout.split() == ["b", "1995-06"], bound.output
    result = run("validate", graph, "--profile", "strict")
    assert result.exit_code == 0, result.output


def small_corpus(tmp_path: Path) -> Path:
    """Two texts, each with its metadata, in tmp_path/texts, built (rules alone) into tmp_path/graphs."""
    texts = tmp_path / "texts"
    texts.mkdir()
    for name, author, date, body in [("a", "Jane Doe", "1994-05", "The NATO Allies met in Brussels. Russia supports the CSCE."),
                                     ("b", "John Roe", "1995-05", "We thank our NATO allies. Russia opposes the CSCE.")]:
        (texts / f"{name}.txt").write_text(f"Remarks\n\n{body}\n", encoding="utf-8")
        (texts / f"{name}.json").write_text(f'{{"title": "Remarks", "author": "{author}", "publication_date": "{date}"}}',
                                           encoding="utf-8")
    built = run("build", str(texts), "--out", str(tmp_path / "graphs"), "--model", "none")
    assert built.exit_code == 0, built.output
    return tmp_path / "graphs"


def test_two_texts_that_capitalise_a_group_differently_validate_together(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """"NATO Allies" in one text and "NATO allies" in another are one entity with one label, so the two
    documents read together conform (two labels were an error of the union)."""
    small_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    labels = run("sparql", "--format", "csv", "SELECT DISTINCT ?l WHERE { id:nato-allies rdfs:label ?l }")
    assert labels.exit_code == 0 and labels.stdout.split() == ["l", "NATO", "allies"], labels.output
    result = run("validate", "--profile", "strict")
    assert result.exit_code == 0, result.output
    assert "reading 2 documents" in result.output


def test_verify_reads_the_folder_the_texts_were_built_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("verify", "--source", "texts")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok: SHA-256 matches") == 4  # each text and its metadata
    assert "a.txt: ok" in result.stdout and "b.json: ok" in result.stdout
    missing = run("verify")
    assert missing.exit_code == 2 and "the graph's source 'a.txt' was not found" in missing.output
