"""The closed vocabularies every stage speaks, as plain strings (no RDF library).

Prefixes of the graph and its queries, the stances with their polarity and the
speech acts are defined here once.  Stances, polarities and speech acts are
terms of the ontology: `tests/test_ontology.py` keeps these tables and
`ontology/essay-kg.ttl` in step.
"""

from __future__ import annotations

PREFIXES: dict[str, str] = {
    "ekg": "https://w3id.org/essay-kg/ontology#",
    "id": "https://w3id.org/essay-kg/id/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
GRAPH_PREFIXES = ("ekg", "id", "nif", "itsrdf", "prov", "rdf", "rdfs", "owl", "skos", "xsd", "dcterms", "schema")
"""The prefixes bound in the built graph files (the Wikidata ones appear only in queries and links)."""

# Each stance (an ekg:Stance individual) and its ekg:polarity.
POLARITY: dict[str, str] = {
    "Supports": "Support", "Endorses": "Support", "Proposes": "Support", "Demands": "Support",
    "Expects": "Neutral",
    "WarnsAgainst": "Oppose", "Criticises": "Oppose", "Rejects": "Oppose", "Opposes": "Oppose", "Regrets": "Oppose",
    "Doubts": "Oppose",
}
STANCES: frozenset[str] = frozenset(POLARITY)
# The attitude a negated stance cue leaves the holder with ("does not support X": Opposes X), unless a rule says otherwise.
FLIP: dict[str, str] = {
    "Supports": "Opposes", "Endorses": "Criticises", "Proposes": "WarnsAgainst", "Demands": "Rejects", "Expects": "Doubts",
    "WarnsAgainst": "Proposes", "Criticises": "Endorses", "Rejects": "Supports", "Opposes": "Supports",
    "Regrets": "Endorses", "Doubts": "Expects",
}

# The speech acts of the rules (`speech_act` in stances.jsonl) and their ekg:SpeechAct individual.
SPEECH_ACTS: dict[str, str] = {
    "assertion": "AssertiveAct", "proposal": "ProposalAct", "expectation": "ExpectationAct",
    "warning": "WarningAct", "conditional": "ConditionalAct",
    "rhetorical-question": "RhetoricalQuestionAct", "concession": "ConcessionAct", "thanks": "ThanksAct",
}
