"""Stored queries on a corpus: the shipped texts built together, each row once, a document column, --doc."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app
from essay_kg.query.engine import OxigraphGraph
from essay_kg.store.location import Location, run_stored_query

from conftest import REPO

runner = CliRunner()
DOCUMENTS = ["bush-1991", "kozyrev-1994", "clinton-1995", "biden-2021", "biden-2023"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`corpus.nq` of every shipped text, built in corpus mode (about a minute)."""
    out = tmp_path_factory.mktemp("corpus")
    built = subprocess.run([sys.executable, "-m", "essay_kg", "build", str(REPO / "extract" / "sources"), "--out", str(out)],
                           capture_output=True, text=True, cwd=out)
    assert built.returncode == 0, built.stderr
    return out / "corpus.nq"


def rows(corpus: Path | None, name: str, *params: str, doc: str | None = None) -> list[dict[str, str]]:
    """The answer of `essay-kg query run NAME --format csv` (on the corpus, or on the shipped graph)."""
    args = ["query", "run", name, "--format", "csv", *(["--graph", str(corpus)] if corpus else [])]
    for param in params:
        args += ["--param", param]
    if doc:
        args += ["--doc", doc]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_a_triple_that_several_documents_carry_matches_once(corpus: Path) -> None:
    """The label of 'reform in Russia' is in the facts graphs of two documents; the union is a set."""
    graph = OxigraphGraph([corpus])
    labels = graph.select("SELECT ?label WHERE { <https://w3id.org/essay-kg/id/reform-in-russia> rdfs:label ?label }")
    assert [row[0].value for row in labels] == ["reform in Russia"]


def test_positions_of_has_a_document_column_and_each_row_once(corpus: Path) -> None:
    answer = rows(corpus, "positions-of", "holder=russia")
    keys = [tuple(row.values()) for row in answer]
    assert len(keys) == len(set(keys)) == 18  # the positions with holder russia in corpus.nq
    assert list(answer[0])[:2] == ["document", "begin"]
    assert {row["document"] for row in answer} == {"biden-2021", "kozyrev-1994"}
    reform = [row for row in answer if row["target"] == "reform in Russia"]
    assert [(row["document"], row["begin"]) for row in reform] == [("kozyrev-1994", "20477")]


def test_doc_restricts_an_answer_to_one_document(corpus: Path) -> None:
    answer = rows(corpus, "positions-of", "holder=russia", doc="kozyrev-1994")
    assert {row["document"] for row in answer} == {"kozyrev-1994"}
    shipped = rows(None, "positions-of", "holder=russia")
    assert "document" not in shipped[0]  # one document read: no document column
    assert [{k: v for k, v in row.items() if k != "document"} for row in answer] == shipped
    by_param = rows(corpus, "mentions-of", "entity=nato", "document=clinton-1995")
    assert by_param == rows(corpus, "mentions-of", "entity=nato", doc="clinton-1995")
    assert {row["document"] for row in by_param} == {"clinton-1995"} and len(by_param) == 14


def test_documents_lists_what_was_read(corpus: Path) -> None:
    answer = rows(corpus, "documents")
    assert [(r["document"], r["author"], r["date"], r["entities"], r["positions"]) for r in answer] == [
        ("bush-1991", "George H. W. Bush", "1991-03-06", "97", "52"),
        ("kozyrev-1994", "Andrei Kozyrev", "1994-05", "210", "102"),
        ("clinton-1995", "Bill Clinton", "1995-11-27", "97", "48"),
        ("biden-2021", "Joe Biden", "2021-02-04", "103", "36"),
        ("biden-2023", "Joe Biden", "2023-10-19", "80", "31"),
    ]
    assert answer[1]["title"] == "The Lagging Partnership"
    assert [r["document"] for r in rows(None, "documents")] == ["kozyrev-1994"]


def test_positions_lists_every_position_once_for_a_statistics_package(corpus: Path) -> None:
    answer = rows(corpus, "positions")
    assert list(answer[0]) == ["document", "holder", "stance", "polarity", "target", "speechAct", "negated", "begin",
                               "end", "evidence", "holderIri", "targetIri", "position"]
    assert len(answer) == len({row["position"] for row in answer}) == 269
    counts = {d: sum(row["document"] == d for row in answer) for d in DOCUMENTS}
    assert counts == {"bush-1991": 52, "kozyrev-1994": 102, "clinton-1995": 48, "biden-2021": 36, "biden-2023": 31}
    texts = {d: (REPO / "extract" / "sources").glob(f"{d}*.txt") for d in DOCUMENTS}
    texts = {d: next(iter(paths)).read_text(encoding="utf-8") for d, paths in texts.items()}
    assert all(texts[r["document"]][int(r["begin"]):int(r["end"])] == r["evidence"] for r in answer)
    war = [r for r in answer if r["holder"] == "United States" and r["target"] == "war"]
    # "we grieve for the victims of war" is for the victims, not the war (bush-1991)
    assert sorted((r["document"], r["stance"], r["begin"]) for r in war) == [("biden-2021", "Opposes", "7432"),
                                                                             ("clinton-1995", "Opposes", "4820")]
    assert len(rows(corpus, "positions", doc="biden-2021")) == 36


def test_position_changes_follow_a_holder_across_documents_in_publication_order(corpus: Path) -> None:
    answer = rows(corpus, "position-changes")
    assert [(r["holder"], r["target"], r["date"], r["document"], r["stance"]) for r in answer] == [
        ("United States", "democracy", "1995-11-27", "clinton-1995", "Supports"),
        ("United States", "democracy", "2021-02-04", "biden-2021", "Supports"),
        ("United States", "peace", "1991-03-06", "bush-1991", "Supports"),
        ("United States", "peace", "1995-11-27", "clinton-1995", "Supports"),
        ("United States", "peace", "1995-11-27", "clinton-1995", "Supports"),
        ("United States", "peace", "1995-11-27", "clinton-1995", "Demands"),
        ("United States", "peace", "1995-11-27", "clinton-1995", "Demands"),
        ("United States", "peace", "2023-10-19", "biden-2023", "Supports"),
        ("United States", "war", "1995-11-27", "clinton-1995", "Opposes"),
        ("United States", "war", "2021-02-04", "biden-2021", "Opposes"),
    ]
    war = rows(corpus, "position-changes", "holder=united-states", "target=war")
    assert [(r["document"], r["polarity"], r["evidence"][:30]) for r in war] == [
        ("clinton-1995", "Oppose", "Instead, America has worked wi"),
        ("biden-2021", "Oppose", "We’re also stepping up our dip")]


def test_agreements_pair_holders_on_one_target_per_document(corpus: Path) -> None:
    answer = rows(corpus, "agreements", "target=russian-american-partnership")
    found = {(r["document"], r["agreement"], r["holder"], r["polarity"], r["otherHolder"], r["otherPolarity"])
             for r in answer}
    assert ("kozyrev-1994", "same", "Andrei Kozyrev", "Support", "Russia", "Support") in found
    assert ("kozyrev-1994", "opposite", "Andrei Kozyrev", "Support", "Russian nationalist opposition", "Oppose") in found
    assert ("kozyrev-1994", "same", "Russian nationalist opposition", "Oppose", "opponents of partnership",
            "Oppose") in found
    assert len(found) == len(answer) == 6
    assert all(r["holder"] < r["otherHolder"] for r in answer)
    clinton = rows(corpus, "agreements", "target=peace", doc="clinton-1995")
    assert {(r["holder"], r["otherHolder"], r["agreement"]) for r in clinton} == {
        ("Bill Clinton", "Croats", "same"), ("Bill Clinton", "United States", "same"), ("Croats", "United States", "same")}


def test_every_query_that_tells_documents_apart_answers_each_row_once(corpus: Path) -> None:
    from essay_kg.query.library import load_library

    for query in load_library().queries.values():
        if query.param("document") is None:
            continue
        values = [f"{p.name}={p.example}" for p in query.params if p.example is not None and p.name != "document"]
        answer = run_stored_query(query.name, values, Location((corpus,)))
        assert answer.variables.count("document") == 1, query.name
        assert len(answer.rows) == len(set(answer.rows)), query.name


def errors(result) -> list[str]:
    """The lines on stderr after the one that says which graphs were read."""
    return [line for line in result.stderr.splitlines() if not line.startswith("note: reading")]


def test_doc_names_the_documents_it_knows_and_the_queries_it_applies_to() -> None:
    unknown = runner.invoke(app, ["query", "run", "positions", "--doc", "nope"])
    assert unknown.exit_code == 2
    assert errors(unknown) == [
        "error: no document 'nope' in the graphs read (documents: kozyrev-1994)",
        "hint: give one of those ids, e.g. --doc kozyrev-1994; 'essay-kg query run documents' lists them"]
    other = runner.invoke(app, ["query", "run", "search", "-p", "text=soviet", "--doc", "kozyrev-1994"])
    assert other.exit_code == 2
    assert errors(other)[0] == ("error: query 'search' does not tell documents apart, so --doc does not "
                                            "apply to it")
    both = runner.invoke(app, ["query", "run", "positions", "-p", "document=x", "--doc", "kozyrev-1994"])
    assert errors(both)[0] == "error: give --doc or --param document=, not both"


@pytest.mark.parametrize("name", ["memberships", "offices", "institutions-and-members", "events"])
def test_the_fact_queries_tell_the_documents_apart(corpus: Path, name: str) -> None:
    """Facts and events carry the document that states them (memberships, offices, institutions) or mentions
    them (events): each row once, and the essay's rows, with --doc, are the shipped graph's answer."""
    answer = rows(corpus, name)
    keys = [tuple(row.values()) for row in answer]
    assert next(iter(answer[0])) == "document" and len(keys) == len(set(keys))
    assert {row["document"] for row in answer} <= set(DOCUMENTS)
    essay = rows(corpus, name, doc="kozyrev-1994")
    assert essay == [row for row in answer if row["document"] == "kozyrev-1994"]
    assert [{k: v for k, v in row.items() if k != "document"} for row in essay] == rows(None, name)


def test_offices_and_events_of_two_documents(corpus: Path) -> None:
    offices = {(r["document"], r["person"], r["office"]) for r in rows(corpus, "offices")}
    assert {("bush-1991", "George H. W. Bush", "President of the United States"),
            ("kozyrev-1994", "Andrei Kozyrev", "Minister of Foreign Affairs of the Russian Federation")} <= offices
    events = {(r["document"], r["event"]) for r in rows(corpus, "events")}
    assert ("kozyrev-1994", "START II") in events and ("bush-1991", "Cold War") in events
