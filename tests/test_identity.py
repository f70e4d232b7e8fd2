"""Identity across documents: the same discovered name is one entity in every text; an office is its state's
when the text says whose, and otherwise a node of its own text."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, RDFS
from typer.testing import CliRunner

from essay_kg.cli import app

ID = "https://w3id.org/essay-kg/id/"
EKG = "https://w3id.org/essay-kg/ontology#"
TEXTS = {
    "london": "The British Prime Minister John Major spoke in London. Prime Minister Major supports NATO, and the "
              "Prime Minister wants peace.\n\nIsrael's Prime Minister Yitzhak Rabin met Chancellor Helmut Kohl.\n",
    "jerusalem": "Prime Minister Yitzhak Rabin visited Washington. Israel's prime minister spoke of peace, and\n"
                 "the Prime Minister of Israel spoke again. Prime Minister Rabin later met the press.\n",
}


def built(tmp_path: Path) -> dict[str, Dataset]:
    data = {}
    for name, text in TEXTS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        (tmp_path / f"{name}.json").write_text(f'{{"id": "{name}", "title": "{name}", "date": "1995"}}',
                                               encoding="utf-8")
        result = CliRunner().invoke(app, ["build", str(tmp_path / f"{name}.txt"), "--model", "none",
                                          "--out", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        data[name] = Dataset()
        data[name].parse(tmp_path / "out" / f"{name}.trig", format="trig")
    return data


def offices(data: Dataset, doc: str) -> dict[str, str]:
    facts = data.graph(URIRef(f"https://w3id.org/essay-kg/graph/{doc}/facts"))
    return {str(s).removeprefix(ID): str(facts.value(s, RDFS.label))
            for s in facts.subjects(RDF.type, URIRef(EKG + "Office"))}


def test_names_and_offices_across_two_texts(tmp_path: Path) -> None:
    data = built(tmp_path)
    people = {doc: {str(s).removeprefix(ID) for s in d.graph(URIRef(f"https://w3id.org/essay-kg/graph/{doc}/facts"))
                    .subjects(RDF.type, URIRef(EKG + "Person"))} for doc, d in data.items()}
    assert "yitzhak-rabin" in people["london"] & people["jerusalem"]  # one discovered person, one IRI
    assert offices(data["london"], "london") == {
        "prime-minister-of-the-united-kingdom": "Prime Minister of the United Kingdom",  # the gazetteer's
        "prime-minister-of-israel": "Prime Minister of Israel",  # "Israel's Prime Minister"
        "office/london/prime-minister": "Prime Minister",  # "Prime Minister Major": no state said
    }
    assert offices(data["jerusalem"], "jerusalem") == {
        "prime-minister-of-israel": "Prime Minister of Israel",  # "Israel's prime minister", "… of Israel"
        "office/jerusalem/prime-minister": "Prime Minister",
    }
    office_of = URIRef(EKG + "officeOf")
    for doc in TEXTS:
        facts = data[doc].graph(URIRef(f"https://w3id.org/essay-kg/graph/{doc}/facts"))
        assert set(facts.subject_objects(office_of)) == {(URIRef(ID + "prime-minister-of-israel"), URIRef(ID + "israel"))}
    # each mention's evidence is the text's own words
    anchors = {str(o) for _, _, o, _ in data["jerusalem"].quads((None, URIRef(
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"), None, None))}
    assert {"Israel's prime minister", "Prime Minister of Israel", "Prime Minister"} <= anchors
