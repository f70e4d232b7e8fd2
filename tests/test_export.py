"""`essay-kg export`: every format round-trips, output is byte-identical across runs, JSON-LD stays offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from essay_kg.cli import app
from essay_kg.rdf.files import load_graphs

from conftest import REPO

GRAPH = "https://w3id.org/essay-kg/graph/"
SUFFIX = {"trig": ".trig", "nq": ".nq", "jsonld": ".jsonld", "ttl": ".ttl", "nt": ".nt", "xml": ".rdf"}


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def source() -> Dataset:
    return load_graphs([])


def named(dataset: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    return graph


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_named_graph_formats_round_trip_graph_by_graph(fmt: str, source: Dataset, tmp_path: Path) -> None:
    out = tmp_path / f"export{SUFFIX[fmt]}"
    result = run("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    back = named(load_graphs([out]))
    expected = named(source)
    assert sorted(back) == sorted(expected) and len(expected) == 6
    for name, graph in expected.items():
        assert len(back[name]) == len(graph) and isomorphic(back[name], graph), name


@pytest.mark.parametrize("fmt", ["ttl", "nt", "xml"])
def test_triple_formats_round_trip_the_union(fmt: str, source: Dataset, tmp_path: Path) -> None:
    out = tmp_path / f"export{SUFFIX[fmt]}"
    result = run("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "carries no named graphs" in result.output
    back = union(load_graphs([out]))
    expected = union(source)
    assert len(back) == len(expected) > 20000 and isomorphic(back, expected)


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "xml", "nt"])
def test_one_named_graph(fmt: str, source: Dataset, tmp_path: Path) -> None:
    out = tmp_path / f"facts{SUFFIX[fmt]}"
    assert run("export", "--format", fmt, "--graph-name", "kozyrev-1994/facts", "-o", str(out)).exit_code == 0
    facts = source.graph(GRAPH + "kozyrev-1994/facts")
    back = union(load_graphs([out]))
    assert len(back) == len(facts) and isomorphic(back, facts)


def test_trig_and_nq_exports_equal_the_committed_build() -> None:
    for fmt in ("trig", "nq", "ttl"):
        result = CliRunner().invoke(app, ["export", "--format", fmt])
        assert result.exit_code == 0
        assert result.stdout_bytes == (REPO / "graphs" / f"kozyrev-1994.{fmt}").read_bytes(), fmt


@pytest.mark.parametrize("fmt", ["xml", "jsonld"])
def test_exports_are_byte_identical_across_hash_seeds(fmt: str, tmp_path: Path) -> None:
    digests = []
    for seed in ("1", "31337"):
        out = tmp_path / f"{seed}{SUFFIX[fmt]}"
        subprocess.run([sys.executable, "-m", "essay_kg", "export", "--format", fmt, "-o", str(out)], check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, capture_output=True, timeout=300)
        digests.append(out.read_bytes())
    assert digests[0] == digests[1]


NO_NETWORK = """
import socket, sys
def refuse(event, args):
    if event in {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}:
        raise RuntimeError(f"network access attempted: {event} {args[:2]}")
sys.addaudithook(refuse)
from pathlib import Path
from essay_kg.cli import main
sys.argv = ["essay-kg", "export", "--format", "jsonld", "-o", sys.argv[1]]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
from essay_kg.rdf.files import load_graphs
data = load_graphs([Path(sys.argv[-1])])
print(sum(1 for _ in data.quads()))
"""


def test_jsonld_export_and_import_touch_no_network(tmp_path: Path, source: Dataset) -> None:
    out = tmp_path / "graph.jsonld"
    done = subprocess.run([sys.executable, "-c", NO_NETWORK, str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) == sum(1 for _ in source.quads())
    text = out.read_text(encoding="utf-8")
    assert '"@context": {' in text and '"ekg": "https://w3id.org/essay-kg/ontology#"' in text


def test_a_remote_jsonld_context_is_refused_not_fetched(tmp_path: Path) -> None:
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "https://example.org/context.jsonld", "@id": "urn:a", "urn:p": "x"}', encoding="utf-8")
    result = run("sparql", "--graph", str(doc), "ASK { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "is remote, and essay-kg does not fetch contexts" in result.output
    shipped = tmp_path / "shipped.jsonld"
    shipped.write_text('{"@context": "https://w3id.org/essay-kg/context.jsonld", "@id": "id:russia", '
                       '"rdfs:label": "Russia"}', encoding="utf-8")
    result = run("sparql", "--graph", str(shipped), "-f", "csv", "SELECT ?s ?l WHERE { ?s rdfs:label ?l }")
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/essay-kg/id/russia,Russia" in result.stdout


def test_export_errors(tmp_path: Path) -> None:
    result = run("export", "--format", "csv")
    assert result.exit_code == 2 and "unknown export format 'csv'" in result.output
    result = run("export", "--graph-name", "nothing")
    assert result.exit_code == 2 and "no named graph 'nothing'" in result.output and "kozyrev-1994/facts" in result.output
    result = run("export", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in result.output
    out = tmp_path / "graph.nq"
    assert run("export", "-o", str(out)).exit_code == 0  # format from the extension
    assert out.read_bytes() == (REPO / "graphs" / "kozyrev-1994.nq").read_bytes()


def test_a_folder_of_documents_exports_each_shared_structure_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three documents in ./graphs export (no --graph) to the union of their own exports, line for line: the
    ontology's restrictions and lists, which every document's files carry, are held once, not once per document
    (held three times, canonical blank-node labelling did not end)."""
    import shutil

    graphs = tmp_path / "graphs"
    graphs.mkdir()
    for suffix in (".trig", ".nq"):
        shutil.copy(REPO / "graphs" / f"kozyrev-1994{suffix}", graphs)
    for name, date, body in [("a", "1994-05", "Russia supports the CSCE."), ("b", "1995-05", "Germany opposes NATO.")]:
        text = tmp_path / f"{name}.txt"
        text.write_text(f"Remarks\n\n{body}\n", encoding="utf-8")
        built = run("build", str(text), "--out", str(graphs), "--author", f"Jane {name.upper()}oe", "--date", date,
                    "--model", "none")
        assert built.exit_code == 0, built.output
    monkeypatch.chdir(tmp_path)
    result = run("export", "--format", "nq", "-o", "all.nq")
    assert result.exit_code == 0, result.output
    assert "reading 3 documents from graphs/" in result.output
    alone = set()
    for document in sorted(graphs.glob("*.trig")):
        one = run("export", "--graph", str(document), "--format", "nq", "-o", f"{document.stem}.nq")
        assert one.exit_code == 0, one.output
        alone |= set((tmp_path / f"{document.stem}.nq").read_text(encoding="utf-8").splitlines())
    together = (tmp_path / "all.nq").read_text(encoding="utf-8").splitlines()
    assert together == sorted(alone)
    ontology = [line for line in together if line.endswith(f"<{GRAPH}ontology> .")]
    assert ontology == [line for line in (graphs / "kozyrev-1994.nq").read_text(encoding="utf-8").splitlines()
                        if line.endswith(f"<{GRAPH}ontology> .")]
    assert any(line.startswith("_:") for line in ontology)
