"""The graphs that documents share (the ontology, the Wikidata links) are merged, never replaced by one document's
part: on a real Oxigraph server when documents are pushed one after another, and in an output folder's owl:sameAs
view when texts are built into it one after another."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import OxigraphServer, push_counts

GRAPH = "https://w3id.org/essay-kg/graph/"
TEXTS = {  # four small documents: links of their own, and some (NATO, the United States) in common
    "alpha": "Russia and the United States must work together. NATO should welcome Russia as a partner.\n",
    "beta": "Germany supports NATO. France and Germany criticise the policy of the United States in Europe.\n",
    "gamma": "Israel and Ukraine asked the United Nations for help. The European Union supports Ukraine.\n",
    "delta": "Bosnia needs peace. Serbia and Croatia must respect the borders of Bosnia, and NATO will enforce it.\n",
}


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def write_text(folder: Path, doc_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc_id}.json").write_text(f'{{"title": "{doc_id.title()}", "date": "2001"}}', encoding="utf-8")
    path = folder / f"{doc_id}.txt"
    path.write_text(TEXTS[doc_id], encoding="utf-8")
    return path


def build(doc_id: str, texts: Path, out: Path) -> None:
    result = run("build", str(write_text(texts, doc_id)), "--model", "none", "--out", str(out))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four documents built (by the rules alone), each into a folder of its own."""
    out = tmp_path_factory.mktemp("documents")
    for doc_id in TEXTS:
        build(doc_id, out / "texts", out / doc_id)
    return out


def graphs_of(path: Path) -> dict[str, Graph]:
    data = Dataset()
    data.parse(path, format="trig")
    return {str(g.identifier): g for g in data.graphs() if len(g)}


def store_graph(server: OxigraphServer, iri: str) -> Graph:
    """One named graph as the server holds it, asked directly."""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(server.query_url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return Graph().parse(data=answer.read().decode("utf-8"), format="nt")


def store_counts(server: OxigraphServer) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(server.query_url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        rows = answer.read().decode("utf-8").strip().splitlines()[1:]
    return {g: int(n) for g, n in (row.split(",") for row in rows)}


PUSHES = {"gsp": [], "update": ["--method", "update"],
          "gsp-only": ["--store", "generic", "--store-endpoint", "{url}/store"]}  # no update endpoint: GSP alone


@pytest.mark.parametrize("how", sorted(PUSHES))
def test_documents_pushed_one_by_one_each_stay_whole(documents: Path, tmp_path: Path, how: str) -> None:
    order = ["gamma", "alpha", "delta", "beta", "gamma"]  # the last one pushed again
    local = {doc_id: graphs_of(documents / doc_id / f"{doc_id}.trig") for doc_id in TEXTS}
    links, ontology = GRAPH + "links", GRAPH + "ontology"
    server = OxigraphServer(tmp_path / "store", [])
    try:
        pushed: list[str] = []
        for doc_id in order:
            flags = [flag.format(url=server.url) for flag in PUSHES[how]]
            result = run("push", "--endpoint", server.query_url, *flags,
                         "--graph", str(documents / doc_id / f"{doc_id}.trig"))
            assert result.exit_code == 0, result.output
            assert "MISMATCH" not in result.output
            pushed.append(doc_id)
            counts = store_counts(server)
            # every document pushed so far is whole: each of its own graphs, and its links among the store's
            for done in pushed:
                for name, graph in local[done].items():
                    if name.startswith(f"{GRAPH}{done}/"):
                        assert counts[name] == len(graph), (doc_id, name)
            held_links = set(store_graph(server, links))
            wanted = set().union(*(set(local[done][links]) for done in pushed))
            assert held_links == wanted, doc_id
            assert counts[links] == len(wanted)
            assert push_counts(result.output)[links] == (len(local[doc_id][links]), len(wanted))
            # the ontology, blank nodes and all, is there once however often it is pushed
            assert counts[ontology] == len(local[doc_id][ontology]) == 879
            assert isomorphic(store_graph(server, ontology), local[doc_id][ontology])
            assert not {g for g in counts if g.startswith("urn:essay-kg:pushing:")}  # no pending graph left
            assert {g.split("/")[-2] for g in counts if g.count("/") == 6} == set(pushed)
        assert len(set(store_graph(server, links))) > max(len(local[d][links]) for d in TEXTS)
    finally:
        server.stop()


def same_as(folder: Path) -> set[tuple[str, str]]:
    from rdflib.namespace import OWL

    view = Graph().parse(folder / "wikidata-sameas.ttl", format="turtle")
    return {(str(s).rsplit("/", 1)[1], str(o).rsplit("/", 1)[1]) for s, _, o in view.triples((None, OWL.sameAs, None))}


def test_a_second_text_built_into_the_same_folder_keeps_the_first_texts_same_as_view(documents: Path,
                                                                                      tmp_path: Path) -> None:
    first, second, third = (same_as(documents / doc_id) for doc_id in ("alpha", "gamma", "beta"))
    assert first and second and third and not first & second and third - first - second
    out = tmp_path / "out"
    build("alpha", tmp_path / "texts", out)
    build("gamma", tmp_path / "texts", out)
    assert same_as(out) == first | second
    write_text(tmp_path / "corpus", "beta")  # a corpus build into the same folder keeps them too
    result = run("build", str(tmp_path / "corpus"), "--model", "none", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert same_as(out) == first | second | third
