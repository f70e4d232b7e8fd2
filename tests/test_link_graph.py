"""`essay-kg link --graph`: a user's own built graph is linked, its discovered entities included, each at the
date of the documents that mention it; against a real Oxigraph server holding a Wikidata-shaped fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import ID, OxigraphServer, by_entity, review_rows

WD = "http://www.wikidata.org/entity/"
LINKS = URIRef("https://w3id.org/essay-kg/graph/links")
TEXT = ("The CSCE must lead in Europe.\n\n"
        "Foreign Minister Klaus Kinkel said that Russia supports the CSCE. Kinkel visited Moscow in May.\n")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def built(folder: Path, text: str, date: str) -> Path:
    """The .trig of `text` written by `essay-kg build` with the shipped rules (no trained pipeline), dated `date`."""
    folder.mkdir()
    (folder / "op-ed.txt").write_text(text, encoding="utf-8")
    result = run("build", str(folder / "op-ed.txt"), "--out", str(folder / "out"), "--model", "none",
                 "--author", "A B", "--date", date)
    assert result.exit_code == 0, result.output
    (trig,) = (folder / "out").glob("*.trig")
    return trig


def link(endpoint: str, review: Path, *args: str):
    return run("link", "--endpoint", endpoint, "--review", str(review), "--no-cache", *args)


@pytest.fixture(scope="module")
def graph_1994(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("own") / "1994", TEXT, "1994-05")


def test_link_proposes_items_for_the_entities_of_a_users_graph(wikidata_fixture: OxigraphServer, graph_1994: Path,
                                                               tmp_path: Path) -> None:
    review = tmp_path / "review.tsv"
    result = link(wikidata_fixture.query_url, review, "--graph", str(graph_1994))
    assert result.exit_code == 0, result.output
    assert "(document date 1994-05)" in result.output
    rows = review_rows(review)
    table = by_entity(rows)
    # the discovered person is looked up by his label and the alias the text gave him ("Kinkel"): the
    # politician is accepted, the family name of that label is rejected for its class
    assert table["klaus-kinkel"] == [("accept", "Q990006"), ("reject", "Q990007")]
    kinkel = rows[[r["entity"] for r in rows].index("klaus-kinkel")]
    assert (kinkel["type"], kinkel["label"]) == ("Person", "Klaus Kinkel")
    assert kinkel["reason"] == ("label 'Klaus Kinkel'@en is the item's label; instance of human (Q5); "
                                "exists in 1994-05 (1936-12-17–); 45 sitelinks")
    # every entity of the graph without a link yet, the discovered office and the author too; the entities the
    # build already linked (the CSCE, Russia, Moscow, Europe) are left out, and so is the document itself; the
    # office said of Kinkel with no state is this document's (the gazetteer's Russian minister has the bare title
    # only as an alias)
    assert set(table) == {"a-b", "office/b-1994/foreign-minister", "klaus-kinkel"}
    comments = [line for line in review.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert f"# graph: {graph_1994}" in comments and "# document date: 1994-05" in comments


def test_the_graphs_date_decides_between_predecessor_and_successor(wikidata_fixture: OxigraphServer,
                                                                   graph_1994: Path, tmp_path: Path) -> None:
    graph_1996 = built(tmp_path / "1996", "The CSCE must lead in Europe.\n", "1996")
    decisions = {}
    for name, graphs in (("1994", [graph_1994]), ("1996", [graph_1996]), ("both", [graph_1994, graph_1996])):
        review = tmp_path / f"{name}.tsv"
        args = [arg for graph in graphs for arg in ("--graph", str(graph))]
        result = link(wikidata_fixture.query_url, review, *args, "csce")
        assert result.exit_code == 0, result.output
        decisions[name] = by_entity(review_rows(review))["csce"]
    # 1994: the Conference (ended 1994-12-31) is accepted, the Organization (from 1995) is a successor
    assert decisions["1994"] == [("accept", "Q990003"), ("review", "Q990004")]
    assert decisions["1996"] == [("accept", "Q990004"), ("review", "Q990003")]
    assert "ended 1994-12-31, before 1996" in (tmp_path / "1996.tsv").read_text(encoding="utf-8")
    # an entity that two documents mention is judged at the earlier one's date
    assert decisions["both"] == decisions["1994"]
    # --as-of still decides when given
    review = tmp_path / "as-of.tsv"
    assert link(wikidata_fixture.query_url, review, "--graph", str(graph_1994), "--as-of", "1996", "csce").exit_code == 0
    assert by_entity(review_rows(review))["csce"] == decisions["1996"]


def test_each_entity_takes_the_date_of_the_documents_that_mention_it(wikidata_fixture: OxigraphServer,
                                                                     graph_1994: Path, tmp_path: Path) -> None:
    graph_1996 = built(tmp_path / "1996", "The CSCE and NATO must lead in Europe.\n", "1996")
    review = tmp_path / "review.tsv"
    result = link(wikidata_fixture.query_url, review, "--graph", str(graph_1994), "--graph", str(graph_1996), "--all")
    assert result.exit_code == 0, result.output
    rows = review_rows(review)
    kinkel = next(r for r in rows if r["entity"] == "klaus-kinkel" and r["decision"] == "accept")
    assert "exists in 1994-05" in kinkel["reason"]  # named in the 1994 text only
    assert "# document date: 1994-05 (7 entities), 1996 (1 entity)\n" in review.read_text(encoding="utf-8")


def test_apply_accepts_the_graphs_entities_when_given_the_graph(wikidata_fixture: OxigraphServer, graph_1994: Path,
                                                                tmp_path: Path) -> None:
    review, out = tmp_path / "review.tsv", tmp_path / "links.trig"
    assert link(wikidata_fixture.query_url, review, "--graph", str(graph_1994)).exit_code == 0
    result = run("link", "--apply", str(review), "--out", str(out))
    assert result.exit_code == 2
    assert f"error: {review}:" in result.output and "unknown entity 'klaus-kinkel'" in result.output
    assert f"hint: the review was made from the graph {graph_1994}: pass --graph {graph_1994}" in result.output
    assert not out.exists()
    result = run("link", "--graph", str(graph_1994), "--apply", str(review), "--out", str(out))
    assert result.exit_code == 0, result.output
    data = Dataset()
    data.parse(out, format="trig")
    assert {(str(s)[len(ID):], str(o)[len(WD):]) for s, o in data.graph(LINKS).subject_objects(SKOS.exactMatch)} == {
        ("klaus-kinkel", "Q990006")}
