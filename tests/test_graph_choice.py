"""Which graph a command reads: the files given with --graph, else the documents built in ./graphs, else the
shipped graph; one line on stderr says which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import OxigraphServer, push_counts

TEXT = "Germany supports the enlargement of NATO. France opposes sanctions against Iran.\n"
OTHER = "Poland supports the enlargement of NATO.\n"
MINE = "note: reading 1 document from graphs/: doe-2024\n"
SHIPPED = "note: reading the shipped graph (kozyrev-1994): no graphs built in graphs/\n"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def build(folder: Path, name: str, text: str, *options: str) -> None:
    """`essay-kg build NAME` of `text` in `folder` (into its ./graphs), with the rules alone (fast)."""
    (folder / name).write_text(text, encoding="utf-8")
    done = run("build", str(folder / name), "--out", str(folder / "graphs"), "--model", "none", *options)
    assert done.exit_code == 0, done.output


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the user built their own short text with `essay-kg build mine.txt` (into ./graphs)."""
    folder = tmp_path_factory.mktemp("own")
    build(folder, "mine.txt", TEXT, "--author", "Jane Doe", "--date", "2024-03")
    assert sorted(p.name for p in (folder / "graphs").glob("*.trig")) == ["doe-2024.trig"]
    return folder


def quads(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_queries_without_graph_answer_from_the_users_own_built_text(own: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(own)
    positions = run("query", "run", "positions-of", "-p", "holder=Germany", "--format", "csv")
    assert positions.exit_code == 0, positions.output
    assert positions.stderr == MINE
    rows = positions.stdout.splitlines()
    assert len(rows) == 2 and rows[1].endswith(",Germany supports the enlargement of NATO.")
    stats = run("stats", "--format", "json")
    assert stats.exit_code == 0 and stats.stderr == MINE
    graphs = json.loads(stats.stdout)["triples_per_graph"]
    assert {g.rsplit("/graph/", 1)[1] for g in graphs} == {"doe-2024/facts", "doe-2024/positions", "doe-2024/provenance",
                                                          "doe-2024/text", "links", "ontology"}
    sparql = run("sparql", QUADS, "--format", "csv")
    assert sparql.exit_code == 0 and sparql.stderr == MINE
    assert sparql.stdout.splitlines() == ["n", str(quads(own / "graphs" / "doe-2024.nq"))]


def test_an_empty_folder_answers_from_the_shipped_graph_and_says_so(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from essay_kg.shipped import shipped_graph

    monkeypatch.chdir(tmp_path)
    answer = run("query", "run", "positions-of", "-p", "holder=russia", "--format", "csv")
    assert answer.exit_code == 0 and answer.stderr == SHIPPED
    given = run("query", "run", "positions-of", "-p", "holder=russia", "--format", "csv", "--graph", str(shipped_graph()))
    assert given.stderr == ""  # files named with --graph: nothing to say
    assert answer.stdout == given.stdout and len(answer.stdout.splitlines()) > 10
    sparql = run("sparql", QUADS, "--format", "csv")
    assert sparql.stderr == SHIPPED
    assert sparql.stdout.splitlines() == ["n", str(quads(shipped_graph().with_suffix(".nq")))]


def test_graph_files_that_no_build_wrote_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .trig without its .nq (`reason --materialise`, `link --apply`) is not a built document."""
    (tmp_path / "graphs").mkdir()
    (tmp_path / "graphs" / "inferred.trig").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    stats = run("stats", "--format", "json")
    assert stats.exit_code == 0 and stats.stderr == SHIPPED
    assert all("kozyrev-1994" in g or g.endswith(("/links", "/ontology"))
               for g in json.loads(stats.stdout)["triples_per_graph"])


def test_every_document_built_into_graphs_is_read_a_corpus_build_too(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    build(tmp_path, "mine.txt", TEXT, "--author", "Jane Doe", "--date", "2024-03")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "poland.txt").write_text(OTHER, encoding="utf-8")
    (tmp_path / "texts" / "poland.json").write_text('{"id": "poland-2024", "author": "Jan Kowalski"}', encoding="utf-8")
    corpus = run("build", str(tmp_path / "texts"), "--out", str(tmp_path / "graphs"), "--model", "none")
    assert corpus.exit_code == 0, corpus.output
    assert (tmp_path / "graphs" / "corpus.nq").is_file()
    monkeypatch.chdir(tmp_path)
    holders = run("sparql", "SELECT DISTINCT ?label WHERE { ?p a ekg:Position ; ekg:holder/rdfs:label ?label } "
                            "ORDER BY ?label", "--format", "csv")
    assert holders.stderr == "note: reading 2 documents from graphs/: doe-2024, poland-2024\n"
    assert holders.stdout.splitlines() == ["label", "France", "Germany", "Poland"]


def test_the_other_commands_read_the_same_graphs(own: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(own)
    exported = run("export", "--format", "nq")
    assert exported.exit_code == 0 and exported.stderr == MINE
    assert exported.stdout == (own / "graphs" / "doe-2024.nq").read_text(encoding="utf-8")
    verified = run("verify", "--source", "mine.txt")
    assert verified.exit_code == 0 and verified.stderr == MINE + "verify: the graph matches its source\n"
    validated = run("validate", "--format", "json")
    assert validated.stderr.startswith(MINE)
    assert {f["focus"] for f in json.loads(validated.stdout)["findings"]} <= {"https://w3id.org/essay-kg/id/jane-doe"}
    drawn = run("draw", "positions", "-o", "positions.dot")
    assert drawn.exit_code == 0 and drawn.stderr.startswith(MINE)
    assert "Germany" in (own / "positions.dot").read_text(encoding="utf-8")
    scored = run("eval", "--format", "json")
    assert scored.exit_code == 0 and scored.stderr == MINE
    entities = next(s for s in json.loads(scored.stdout) if s["component"] == "entities")
    assert "jane-doe Person" in entities["false_positives"]


def test_push_without_graph_pushes_the_users_documents(own: Path, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "store", [])
    try:
        monkeypatch.chdir(own)
        pushed = run("push", "--endpoint", server.query_url)
        assert pushed.exit_code == 0, pushed.output
        assert pushed.stderr.startswith(MINE)
        counts = push_counts(pushed.stderr)
        assert {g.rsplit("/graph/", 1)[1] for g in counts} == {"doe-2024/facts", "doe-2024/positions",
                                                               "doe-2024/provenance", "doe-2024/text", "links",
                                                               "ontology"}
        assert sum(local for local, _ in counts.values()) == quads(own / "graphs" / "doe-2024.nq")
    finally:
        server.stop()
