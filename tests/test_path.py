"""The researcher's path, walked as the README tells it: a text of one's own and the shipped essay in one
folder, questions without --graph, the documents pushed one by one to a live Oxigraph, links proposed offline."""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from rdflib import Dataset, URIRef

from essay_kg.rdf.files import load_graphs

from conftest import REPO, OxigraphServer

README = (REPO / "README.md").read_text(encoding="utf-8")


def example_file(name: str) -> str:
    found = re.search(rf"<!-- example-file: {re.escape(name)} -->\n```\w*\n(.*?)```", README, re.S)
    assert found, name
    return found.group(1)


def essay_kg(cwd: Path, command: str, *extra: str, replace: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A command as the README writes it (it must be there, word for word), with the test's server in place of
    the README's and what the test adds."""
    assert command in README, command
    for old, new in (replace or {}).items():
        command = command.replace(old, new)
    args = shlex.split(command)
    assert args[0] == "essay-kg"
    done = subprocess.run([sys.executable, "-m", "essay_kg", *args[1:], *extra], cwd=cwd, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-1500:]
    return done


def store_counts(server: OxigraphServer) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(f"{server.query_url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        rows = list(csv.reader(io.StringIO(answer.read().decode("utf-8"))))[1:]
    return {g: int(n) for g, n in rows}


def local_counts(trig: Path) -> dict[str, int]:
    data = Dataset()
    data.parse(trig, format="trig")
    return {str(g.identifier): len(g) for g in data.graphs() if len(g)}


def test_a_researchers_own_text_beside_the_essay_from_build_to_store_and_links(
        tmp_path: Path, wikidata_fixture: OxigraphServer) -> None:
    (tmp_path / "texts").mkdir()
    for name in ("texts/my-op-ed.json", "texts/my-op-ed.txt"):
        (tmp_path / name).write_text(example_file(name), encoding="utf-8")
    essay_kg(tmp_path, "essay-kg build")  # the shipped essay, into ./graphs
    essay_kg(tmp_path, "essay-kg build texts/my-op-ed.txt")
    (tmp_path / "extract").mkdir()  # a checkout's shipped texts: the essay again (unchanged) and four speeches
    (tmp_path / "extract" / "sources").symlink_to(REPO / "extract" / "sources")
    essay_kg(tmp_path, "essay-kg build extract/sources/ --jobs 2")
    documents = ["biden-2021", "biden-2023", "bush-1991", "clinton-1995", "kozyrev-1994", "pact-1994"]

    # questions without --graph read every document, with a document column and each row once
    done = essay_kg(tmp_path, "essay-kg query run positions --format csv")
    assert done.stderr.splitlines()[0] == ("note: reading 6 documents from graphs/: biden-2021, biden-2023, bush-1991, "
                                           "clinton-1995, kozyrev-1994 and 1 more")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert "document" in rows[0]
    assert len(rows) == len({tuple(r.values()) for r in rows}) > 150
    assert {r["document"] for r in rows} == set(documents)
    mine = [r for r in rows if r["document"] == "pact-1994"]
    assert any(r["holder"] == "France" and r["stance"] == "Rejects" for r in mine), mine
    only = essay_kg(tmp_path, "essay-kg query run positions --format csv --doc pact-1994")
    assert sorted(map(tuple, (r.values() for r in csv.DictReader(io.StringIO(only.stdout))))) == \
        sorted(tuple(r.values()) for r in mine)

    # pushed one by one, every document stays whole on the store
    server = OxigraphServer(tmp_path / "store", [])
    try:
        pushed: dict[str, int] = {}
        for name in ("pact-1994", *documents[:-1]):
            trig = f"graphs/{name}.trig"
            essay_kg(tmp_path, "essay-kg push --endpoint http://127.0.0.1:7878/query --graph graphs/pact-1994.trig",
                     replace={"http://127.0.0.1:7878/query": server.query_url, "graphs/pact-1994.trig": trig})
            pushed |= {g: n for g, n in local_counts(tmp_path / trig).items() if f"/graph/{name}/" in g}
            on_store = store_counts(server)
            assert {g: on_store.get(g) for g in pushed} == pushed
        # the graphs every document carries a part of hold every document's part: as many triples as all read together
        together = load_graphs([tmp_path / f"graphs/{name}.trig" for name in documents])
        for shared in ("ontology", "links"):
            iri = f"https://w3id.org/essay-kg/graph/{shared}"
            assert on_store[iri] == len(together.graph(URIRef(iri))) > 0, shared
    finally:
        server.stop()

    # links proposed offline for the user's own graph, judged at its own date
    review = tmp_path / "my-review.tsv"
    essay_kg(tmp_path, "essay-kg link --graph graphs/pact-1994.trig --review my-review.tsv",
             "--endpoint", wikidata_fixture.query_url, "--no-cache")
    head = [line for line in review.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert "# graph: graphs/pact-1994.trig" in head and "# document date: 1994-06-15" in head, head
