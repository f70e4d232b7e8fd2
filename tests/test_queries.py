"""Every stored query answers its competency question on the shipped graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, URIRef

from essay_kg.query.answer import Answer
from essay_kg.query.binding import bind, with_values
from essay_kg.query.engine import rdflib_execute as execute
from essay_kg.query.engine import select_on
from essay_kg.query.library import load_library
from essay_kg.rdf.files import load_graphs
from essay_kg.vocabulary import PREFIXES

from conftest import ID

LIBRARY = load_library()


@pytest.fixture(scope="module")
def graph(built: Path) -> Dataset:
    return load_graphs([built / "kozyrev-1994.trig"])


def run(graph: Dataset, name: str, **params: str) -> Answer:
    query = LIBRARY.find(name)
    return execute(query.sparql, graph, bind(query, params, select_on(graph), PREFIXES))


def table(answer: Answer) -> list[dict[str, str]]:
    short = {v: k for k, v in PREFIXES.items()}

    def text(term) -> str:
        if term is None:
            return ""
        value = str(term)
        for namespace, prefix in short.items():
            if isinstance(term, URIRef) and value.startswith(namespace):
                return f"{prefix}:{value[len(namespace):]}"
        return value

    return [{v: text(t) for v, t in zip(answer.variables, row, strict=True)} for row in answer.rows]


def column(answer: Answer, name: str) -> list[str]:
    return [row[name] for row in table(answer)]


def test_at_least_fifteen_stored_queries_besides_the_checks() -> None:
    assert len([q for q in LIBRARY.queries.values() if "check" not in q.tags]) >= 15


def test_every_stored_query_has_a_test_here() -> None:
    source = "".join(Path(__file__).with_name(name).read_text(encoding="utf-8")
                     for name in ("test_queries.py", "test_graph.py", "test_corpus_queries.py"))
    for name, query in LIBRARY.queries.items():
        if "check" not in query.tags:  # checks run in test_graph.py, parametrised over check_queries()
            assert f'"{name}"' in source, f"no test runs the stored query {name}"


def test_actors_by_type(graph) -> None:
    rows = table(run(graph, "actors-by-type"))
    assert len(rows) == 76
    top = [(r["label"], r["type"]) for r in rows[:4]]
    assert top == [("Russia", "ekg:State"), ("West", "ekg:Group"), ("United States", "ekg:State"),
                   ("Andrei Kozyrev", "ekg:Person")]
    assert int(rows[0]["mentions"]) > 100  # names, "Russian", and "we" in the minister's voice
    people = table(run(graph, "actors-by-type", **{"class": "ekg:Person"}))
    assert {r["label"] for r in people} == {"Andrei Kozyrev", "Vladimir Zhirinovsky", "Stephen Sestanovich",
                                            "Vassily Zhukovsky", "Alexander II", "Bill Clinton", "Boris Yeltsin",
                                            "Adolf Hitler", "Antonina W. Bouis"}
    institutions = {r["type"] for r in table(run(graph, "actors-by-type", **{"class": "ekg:Institution"}))}
    assert institutions == {"ekg:InternationalOrganisation", "ekg:PoliticalParty", "ekg:GovernmentBody", "ekg:Media",
                            "ekg:ThinkTank"}


def test_entities_by_class(graph) -> None:
    counts = {r["type"]: int(r["entities"]) for r in table(run(graph, "entities-by-class"))}
    assert counts["ekg:State"] == 15 and counts["ekg:Person"] == 9 and counts["ekg:Group"] == 30
    assert counts["ekg:Meeting"] == 3 and counts["ekg:InternationalOrganisation"] == 9
    assert counts["ekg:Topic"] >= 70  # the gazetteer's topics and the targets named by phrases
    assert sum(counts.values()) >= 200


def test_relations_of_nato_in_both_directions(graph) -> None:
    rows = {(r["direction"], r["relation"], r["other"]) for r in table(run(graph, "relations-of", entity="NATO"))}
    assert rows == {("in", "ekg:hasParticipant", "id:nato-ultimatum-february-1994"),
                    ("in", "ekg:programmeOf", "id:partnership-for-peace"), ("in", "ekg:comparedTo", "id:csce"),
                    ("out", "ekg:participatedIn", "id:nato-ultimatum-february-1994")}
    evidence = {r["relation"]: r["evidence"] for r in table(run(graph, "relations-of", entity="nato"))}
    assert evidence["ekg:participatedIn"] == "NATO’s threat to bomb"


def test_mentions_of_csce_with_offsets_and_sentences(graph) -> None:
    rows = table(run(graph, "mentions-of", entity="csce"))
    assert [r["words"] for r in rows] == ["Conference on Security and Cooperation in Europe", "CSCE", "CSCE", "CSCE",
                                          "CSCE"]
    first = rows[0]
    assert (first["begin"], first["end"]) == ("13797", "13845")
    assert first["sentence"].startswith("The creation of a unified, non-bloc Europe")
    assert {r["resolution"] for r in rows} == {"label", "acronym"}


def test_author_and_citations(graph) -> None:
    [row] = table(run(graph, "author-and-citations"))
    assert row == {"document": "The Lagging Partnership", "author": "Andrei Kozyrev",
                   "office": "Minister of Foreign Affairs of the Russian Federation", "cited": "Andrei the Giant",
                   "citedAuthor": "Stephen Sestanovich", "venue": "The New Republic", "date": "1994-04-11",
                   "page": "27"}


def test_document_metadata(graph) -> None:
    [row] = table(run(graph, "document-metadata"))
    assert (row["title"], row["author"], row["translator"], row["venue"], row["date"], row["volume"], row["issue"],
            row["pages"]) == ("The Lagging Partnership", "Andrei Kozyrev", "Antonina W. Bouis", "Foreign Affairs",
                              "1994-05", "73", "3", "59-71")
    assert len(row["sha256"]) == 64


def test_institutions_and_members(graph) -> None:
    rows = {(r["institution"], r["role"], r["who"]) for r in table(run(graph, "institutions-and-members"))}
    assert {("Commonwealth of Independent States", "member", "Ukraine"),
            ("Liberal Democratic Party of Russia", "leader", "Vladimir Zhirinovsky"),
            ("North Atlantic Treaty Organization", "programme", "Partnership for Peace"),
            ("Center for Strategic and International Studies", "affiliate", "Stephen Sestanovich"),
            ("Conference on Security and Cooperation in Europe", "office",
             "CSCE High Commissioner on National Minorities")} <= rows


def test_memberships(graph) -> None:
    rows = {(r["member"], r["organisation"]) for r in table(run(graph, "memberships"))}
    assert rows == {("Russia", "Commonwealth of Independent States"), ("Ukraine", "Commonwealth of Independent States"),
                    ("France", "European Union"), ("Germany", "European Union"),
                    ("Russia", "United Nations Security Council"), ("Andrei Kozyrev", "State Duma")}


def test_offices(graph) -> None:
    rows = {(r["person"], r["office"], r["of"], r["asOf"]) for r in table(run(graph, "offices"))}
    assert ("Andrei Kozyrev", "Minister of Foreign Affairs of the Russian Federation", "Russia", "1994-05") in rows
    assert ("Boris Yeltsin", "President of Russia", "Russia", "") in rows
    assert ("Bill Clinton", "President of the United States", "United States", "") in rows


def test_events_with_participants_and_places(graph) -> None:
    rows = {r["event"]: r for r in table(run(graph, "events"))}
    assert len(rows) == 24
    assert set(rows["START II"]["participants"].split("; ")) == {"Russia", "United States"}
    assert rows["Moscow rally of August 1991"]["places"] == "Moscow"
    assert rows["Moscow rally of August 1991"]["type"] == "ekg:Meeting"
    assert set(rows["Soviet military interventions in Hungary, Czechoslovakia and Afghanistan"]["places"].split("; ")) \
        == {"Hungary", "Czechoslovakia", "Afghanistan"}


def test_events_in_a_date_range(graph) -> None:
    rows = {r["event"]: r["date"] for r in table(run(graph, "events", **{"from": "1993", "to": "1994-05"}))}
    assert rows == {"1993 Russian legislative election": "1993-12", "Lifting of the siege of Sarajevo (February 1994)":
                    "1994-02"}
    early = {r["event"] for r in table(run(graph, "events", to="1991"))}
    assert early == {"August 1991 coup attempt", "Moscow rally of August 1991",
                     "hypothetical Moscow street poll ten years ago"}


def test_participants_of_an_event(graph) -> None:
    rows = {(r["role"], r["label"]) for r in table(run(graph, "participants-of", event="Moscow rally of August 1991"))}
    assert rows == {("participant", "Andrei Kozyrev"), ("place", "Moscow")}


def test_comparisons(graph) -> None:
    rows = {(r["this"], r["that"]) for r in table(run(graph, "comparisons"))}
    assert ("Commonwealth of Independent States", "European Union") in rows
    assert ("Russian-speaking population of the near abroad", "Sudeten Germans") in rows
    assert ("nationalism", "nuclear conflict") in rows
    assert len(rows) == 11


def test_entity_card_by_surname(graph) -> None:
    [row] = table(run(graph, "entity-card", entity="Zhirinovsky"))
    assert (row["label"], row["type"], row["otherNames"], row["mentions"]) == (
        "Vladimir Zhirinovsky", "ekg:Person", "Zhirinovsky", "2")


def test_wikidata_links(graph) -> None:
    rows = {r["entity"]: (r["match"], r["item"], r["source"]) for r in table(run(graph, "wikidata-links"))}
    assert len(rows) >= 60
    assert rows["id:russia"][:2] == ("skos:exactMatch", "wd:Q159")
    assert rows["id:csce"][:2] == ("skos:closeMatch", "wd:Q81299")  # the CSCE became the OSCE in 1995
    assert rows["id:bill-clinton"][:2] == ("skos:exactMatch", "wd:Q1124")
    assert all(item.startswith("wd:Q") and source for _, item, source in rows.values())


def test_wikidata_facts_federates_with_a_sparql_service(graph, wikidata_fixture) -> None:
    """The federated query, run offline: its SERVICE pointed at the local Wikidata-shaped endpoint."""
    query = LIBRARY.find("wikidata-facts")
    assert "network" in query.tags and "SERVICE <https://query.wikidata.org/sparql>" in query.sparql
    local = query.sparql.replace("https://query.wikidata.org/sparql", wikidata_fixture.query_url)
    rows = {r["entity"]: (r["item"], r["wikidataLabel"], r["start"][:10]) for r in table(execute(local, graph, None))}
    # the fixture knows three of the linked items; a linked item it lacks gives no row
    assert rows == {"id:bill-clinton": ("wd:Q1124", "Bill Clinton", "1946-08-19"),
                    "id:georgia": ("wd:Q230", "Georgia", ""), "id:pravda": ("wd:Q183644", "Pravda", "1912-05-05")}


@pytest.mark.network
def test_wikidata_facts_against_the_query_service(graph) -> None:
    rows = {r["entity"]: r["wikidataLabel"] for r in table(run(graph, "wikidata-facts"))}
    assert rows["id:russia"] == "Russia"


def test_ask_is_mentioned(graph) -> None:
    assert run(graph, "is-mentioned", entity="Partnership for Peace").boolean is True
    assert run(graph, "is-mentioned", entity="https://w3id.org/essay-kg/id/atlantis").boolean is False


def test_ask_relation_holds(graph) -> None:
    assert run(graph, "relation-holds", subject="ukraine", relation="ekg:memberOf", object="cis").boolean is True
    assert run(graph, "relation-holds", subject="russia", relation="ekg:memberOf", object="nato").boolean is False


def test_neighbourhood_construct(graph) -> None:
    answer = run(graph, "neighbourhood", entity="csce")
    assert answer.kind == "CONSTRUCT" and answer.graph is not None
    csce = URIRef(ID + "csce")
    assert (URIRef(ID + "csce-high-commissioner-on-national-minorities"),
            URIRef(PREFIXES["ekg"] + "officeOf"), csce) in answer.graph
    assert (csce, URIRef(PREFIXES["ekg"] + "comparedTo"), URIRef(ID + "nato")) in answer.graph


def test_quotations(graph) -> None:
    [row] = table(run(graph, "quotations"))
    assert row["source"] == "Andrei the Giant" and row["sourceAuthor"] == "Stephen Sestanovich"
    assert row["quotation"].startswith('"Kozyrev’s nationalist rhetoric')


def test_paratext(graph) -> None:
    kinds = column(run(graph, "paratext"), "kind")
    assert kinds == ["footnote-marker", "footnote", "paywall", "subscription", "subscription", "subscription",
                     "subscription", "subscription", "byline", "translator", "navigation"]


def test_sections(graph) -> None:
    rows = table(run(graph, "sections"))
    assert [int(r["paragraphs"]) for r in rows] == [8, 9, 6, 9, 11, 1]
    assert sum(int(r["sentences"]) for r in rows) == 189


def test_search(graph) -> None:
    labels = column(run(graph, "search", text="SOVIET UNION"), "label")
    assert "Soviet Union" in labels and "dissolution of the Soviet Union" in labels


@pytest.mark.parametrize("hostile", ["'; DROP ALL #", '"> } ', '") } UNION { ?entity ?p ?o } #', "\\", "?_text",
                                     "<http://x> } ; DELETE WHERE { ?s ?p ?o }"])
def test_hostile_values_are_bound_as_literals(graph, hostile: str) -> None:
    query = LIBRARY.find("search")
    terms = bind(query, {"text": hostile}, select_on(graph), PREFIXES)
    assert terms == {"_text": pyoxigraph.Literal(hostile)}
    answer = execute(query.sparql, graph, terms)
    assert answer.variables == ["entity", "label", "type"] and answer.rows == []
    assert len(graph) > 10_000  # nothing was changed
    # the same value carried by a VALUES block (as for remote endpoints) keeps the query's shape
    remote = execute(with_values(query.sparql, terms), graph)
    assert remote.variables == answer.variables and remote.rows == []


def test_values_block_gives_the_same_answers_as_bindings(graph) -> None:
    for name, params in [("search", {"text": "soviet"}), ("actors-by-type", {"class": "ekg:Person"}),
                         ("mentions-of", {"entity": "cis"})]:
        query = LIBRARY.find(name)
        terms = bind(query, params, select_on(graph), PREFIXES)
        local = execute(query.sparql, graph, terms)
        remote = execute(with_values(query.sparql, terms), graph)
        assert sorted(map(str, local.rows)) == sorted(map(str, remote.rows)) and local.rows, name


def test_positions_of_a_holder(graph) -> None:
    rows = table(run(graph, "positions-of", holder="Russia"))
    found = {(r["stance"], r["target"], r["speechAct"], r["negated"]) for r in rows}
    assert ("Opposes", "aggressive nationalism", "Assertion", "false") in found
    assert ("Supports", "pragmatic approach to partnership", "Assertion", "false") in found
    assert ("Doubts", "United States", "Expectation", "true") in found  # "do not expect the United States to applaud"
    assert all(r["evidence"] for r in rows)


def test_stance_on_a_target(graph) -> None:
    rows = table(run(graph, "stance-on", target="aggressive nationalism", polarity="ekg:Oppose"))
    assert {(r["holder"], r["stance"]) for r in rows} == {("Andrei Kozyrev", "Warns against"), ("Russia", "Opposes")}
    everyone = table(run(graph, "stance-on", target="aggressive-nationalism"))
    assert everyone == rows  # nobody in the essay supports it
    supporters = {r["holder"] for r in table(run(graph, "stance-on", target="partnership", polarity="ekg:Support"))}
    assert "Andrei Kozyrev" in supporters


def test_positions_by_speech_act(graph) -> None:
    rows = {(r["speechAct"], r["stance"]): int(r["positions"]) for r in table(run(graph, "positions-by-speech-act"))}
    assert rows[("Warning", "Warns against")] >= 5
    assert rows[("Rhetorical question", "Criticises")] == 1
    assert {act for act, _ in rows} == {"Assertion", "Proposal or prescription", "Expectation", "Warning", "Conditional",
                                        "Rhetorical question", "Concession"}


def test_reported_views_with_evaluation(graph) -> None:
    rows = {(r["holder"], r["stance"], r["target"]): r for r in table(run(graph, "reported-views"))}
    assert rows[("West", "Supports", "Yugoslavia")]["evaluation"] == "disagrees"
    assert rows[("West", "Opposes", "dissolution of the Soviet Union")]["reporter"] == "Andrei Kozyrev"
    assert any(key[0] == "Bill Clinton" and row["evaluation"] == "agrees" for key, row in rows.items())


def test_timeline(graph) -> None:
    rows = [(r["start"], r["label"], r["precision"], r["words"]) for r in table(run(graph, "timeline"))]
    assert rows[0] == ("1800", "Zhukovsky's tutoring of the future Alexander II", "century", "Early in the last century")
    assert ("1993-12", "1993 Russian legislative election", "month", "last December") in rows
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def test_cameo_codes(graph) -> None:
    rows = {r["code"]: (r["cameo"], r["stance"]) for r in table(run(graph, "cameo-codes"))}
    assert rows["111"] == ("Criticize or denounce", "Criticises")
    assert rows["051"] == ("Praise or endorse", "Endorses")
    assert rows["12"] == ("Reject", "Rejects")


@pytest.mark.parametrize("name", sorted(n for n, q in LIBRARY.queries.items() if "network" not in q.tags))
def test_pyoxigraph_and_rdflib_give_the_same_answers(name: str, graph, built: Path) -> None:
    """Every stored query, with its example parameters, on both engines (numbers compared by value:
    Oxigraph keeps xsd:nonNegativeInteger as xsd:integer)."""
    from essay_kg.query.engine import OxigraphGraph
    from essay_kg.query.engine import execute as fast_execute

    from conftest import assert_same_answer

    query = LIBRARY.find(name)
    values = {p.name: str(p.example) for p in query.params if p.example is not None}
    reference = execute(query.sparql, graph, bind(query, values, select_on(graph), PREFIXES))
    fast = OxigraphGraph([built / "kozyrev-1994.trig"])
    answer = fast_execute(query.sparql, fast, bind(query, values, select_on(fast), PREFIXES))
    assert_same_answer(answer, reference, query.sparql)
