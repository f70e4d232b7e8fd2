"""The reviewed Wikidata links: well-formed, evidenced, and of a class that fits each entity's type."""

from __future__ import annotations

import json
import re

import pytest

from essay_kg.extract.rules.load import load_rules

from conftest import REPO

# words one of which the item's expected class must contain, by the entity's type
FITTING_CLASSES = {
    "State": ("state", "country"),
    "Person": ("human",),
    "Place": ("region", "city", "continent", "territory", "state", "fortress"),
    "InternationalOrganisation": ("organization", "organ", "union", "alliance"),
    "PoliticalParty": ("political party",),
    "GovernmentBody": ("organ", "legislature", "agency", "armed forces"),
    "Media": ("newspaper", "magazine", "television"),
    "Topic": ("ideology", "concept", "law", "rights", "weapon", "government", "system", "policy"),
    "Office": ("position",),
    "Event": ("event", "war"),
    "Election": ("election",),
    "Programme": ("programme", "program"),
    "Conflict": ("war", "conflict"),
}


def review_lines() -> list[dict]:
    text = (REPO / "extract" / "wikidata.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.startswith("//")]


def test_links_are_well_formed_and_evidenced() -> None:
    links = load_rules().links
    assert len(links) >= 60
    for link in links:
        assert re.fullmatch(r"Q[1-9]\d*", link.qid)
        assert link.match in {"exactMatch", "closeMatch"}
        assert link.source and re.search(rf"\bQ?{link.qid[1:]}\b", link.excerpt)
    assert len({link.id for link in links}) == len(links)


@pytest.mark.parametrize("link", load_rules().links, ids=lambda link: link.id)
def test_linked_item_class_fits_the_entity_type(link) -> None:
    entity_type = load_rules().entity(link.id).type
    assert any(word in link.expected_class.lower() for word in FITTING_CLASSES[entity_type]), (
        f"{link.id} ({entity_type}) linked to {link.qid}, a {link.expected_class}")


def test_entities_without_an_item_say_so() -> None:
    unlinked = [row for row in review_lines() if row["qid"] is None]
    assert len(unlinked) >= 5
    assert all(row["note"].startswith("no Wikidata item") for row in unlinked)
    linked = {link.id for link in load_rules().links}
    assert not linked & {row["id"] for row in unlinked}


# --- the linker's pieces ---------------------------------------------------------------------

@pytest.mark.parametrize(("begins", "ends", "as_of", "expected"), [
    ("1973-07-03T00:00:00Z", "1994-12-31T00:00:00Z", "1994-05", "valid"),
    ("1995-01-01T00:00:00Z", None, "1994-05", "not-yet"),      # a successor
    ("1994-01-01T00:00:00Z", None, "1994-05", "valid"),        # year precision: some time in 1994
    (None, "1994-01-01T00:00:00Z", "1994-05", "valid"),        # ended some time in 1994
    (None, "1991-12-26T00:00:00Z", "1994-05", "ended"),        # a predecessor, or a historical referent
    ("1994-06-12T00:00:00Z", None, "1994-05", "not-yet"),
    ("1994-05-20T00:00:00Z", None, "1994-05", "valid"),        # within the month
    (None, None, "1994", "unknown"),
    ("1946-08-19T00:00:00Z", None, None, "unknown"),
])
def test_time_validity(begins, ends, as_of, expected) -> None:
    from essay_kg.link.candidates import time_validity

    assert time_validity(begins, ends, as_of) == expected


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from essay_kg.link.client import retry_after

    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2026 07:28:10 GMT", now=1792567680.0) == pytest.approx(10.0)
    assert retry_after(None) is None and retry_after("soon") is None


def test_sparql_literals_are_escaped() -> None:
    from essay_kg.link.candidates import label_query, literal
    from essay_kg.model import Entity

    assert literal('The "West"\\', "en") == '"The \\"West\\"\\\\"@en'
    query = label_query([Entity("x", "Group", 'The "West"', aliases=("West",))])
    assert '("x" "The \\"West\\""@mul)' in query and '("x" "West"@en)' in query


def test_decide_needs_the_threshold_and_the_margin() -> None:
    from essay_kg.link.candidates import Candidate, decide

    def cand(qid: str, score: int, fit: str = "direct", time: str = "valid") -> Candidate:
        return Candidate("e", qid, "", "", "'x'@en", True, "label", 1, (), fit, "", None, None, time, score)

    assert [c.decision for c in decide([cand("Q1", 90), cand("Q2", 85)], 80, 10)] == ["review", "review"]
    assert [c.decision for c in decide([cand("Q1", 95), cand("Q2", 85)], 80, 10)] == ["accept", "review"]
    assert [c.decision for c in decide([cand("Q1", 75)], 80, 10)] == ["review"]
    assert [c.decision for c in decide([cand("Q1", 0, fit="mismatch"), cand("Q2", 90)], 80, 10)] == ["accept", "reject"]
    assert [c.decision for c in decide([cand("Q1", 80, time="not-yet")], 80, 10)] == ["review"]


def test_class_file_errors_name_the_line(tmp_path) -> None:
    from essay_kg.errors import BadInput
    from essay_kg.extract.rules.wikidata import load_classes

    bad = tmp_path / "wikidata-classes.jsonl"
    bad.write_text('{"type": "Persn", "qid": "Q5", "label": "human", "evidence": {"repo": "r", "path": "p", '
                   '"excerpt": "Q5 human"}}\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"wikidata-classes.jsonl:1: unknown entity type 'Persn'"):
        load_classes(bad)
    bad.write_text('{"type": "Person", "qid": "Q5", "label": "human", "evidence": {"repo": "r", "path": "p", '
                   '"excerpt": "human"}}\n', encoding="utf-8")
    with pytest.raises(BadInput, match="does not show Q5"):
        load_classes(bad)


def test_every_entity_type_with_classes_has_evidenced_classes() -> None:
    from essay_kg.extract.rules.wikidata import classes_for, load_classes

    classes = load_classes(REPO / "extract" / "wikidata-classes.jsonl")
    assert {c.qid for c in classes_for("Person", classes)} == {"Q5"}
    assert "Q3624078" in {c.qid for c in classes_for("State", classes)}
    assert classes_for("ThinkTank", classes) == classes_for("Institution", classes)  # the nearest supertype's
    assert classes_for("Topic", classes) == ()


def test_the_same_as_view_is_separate_and_holds_only_exact_matches(built) -> None:
    from rdflib import Dataset, Graph
    from rdflib.namespace import OWL

    view = Graph().parse(built / "wikidata-sameas.ttl", format="turtle")
    pairs = {(str(s).rsplit("/", 1)[1], str(o).rsplit("/", 1)[1]) for s, _, o in view.triples((None, OWL.sameAs, None))}
    exact = {(link.id, link.qid) for link in load_rules().links if link.match == "exactMatch"}
    assert pairs == exact and len(view) == len(exact)
    data = Dataset()
    data.parse(built / "kozyrev-1994.trig", format="trig")
    assert not list(data.quads((None, OWL.sameAs, None, None)))
