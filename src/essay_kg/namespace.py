"""Closed namespaces for the essay-kg ontology and the vocabularies it reuses.

`EKG` lists every term declared in `ontology/essay-kg.ttl`; a mistyped term
fails at import time (``_fail = True``) and a test keeps this list and the
Turtle in step.  The other namespaces are the standard vocabularies the graph
uses (NIF 2.0 for text spans, ITS for entity links, PROV-O for derivation).
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from essay_kg.vocabulary import PREFIXES

ONTOLOGY_IRI = PREFIXES["ekg"].rstrip("#")
ID_BASE = PREFIXES["id"]
GRAPH_BASE = "https://w3id.org/essay-kg/graph/"

ID = Namespace(ID_BASE)
NIF = Namespace(PREFIXES["nif"])
ITSRDF = Namespace(PREFIXES["itsrdf"])
SCHEMA = Namespace(PREFIXES["schema"])


class EKG(DefinedNamespace):
    """Terms of the essay-kg ontology (``https://w3id.org/essay-kg/ontology#``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # --- classes: actors -------------------------------------------------
    Actor: URIRef
    Person: URIRef
    State: URIRef
    Institution: URIRef
    PoliticalParty: URIRef
    InternationalOrganisation: URIRef
    GovernmentBody: URIRef
    Media: URIRef
    ThinkTank: URIRef
    Group: URIRef
    # --- classes: the world the actors act in ----------------------------
    Place: URIRef
    Event: URIRef
    Agreement: URIRef
    Conflict: URIRef
    Election: URIRef
    Operation: URIRef
    Meeting: URIRef
    Topic: URIRef
    Programme: URIRef
    Office: URIRef
    OfficeTerm: URIRef
    Document: URIRef
    # --- classes: positions ----------------------------------------------
    Position: URIRef
    Stance: URIRef
    Polarity: URIRef
    # --- classes: text and provenance -------------------------------------
    Section: URIRef
    Paratext: URIRef
    Assertion: URIRef
    MetadataRecord: URIRef
    SpeechAct: URIRef
    TimeExpression: URIRef
    Quotation: URIRef
    ScareQuote: URIRef

    # --- object properties between actors, places, events ----------------
    memberOf: URIRef
    hasMember: URIRef
    leaderOf: URIRef
    ledBy: URIRef
    holdsOffice: URIRef
    officeOf: URIRef
    heldBy: URIRef
    inOffice: URIRef
    affiliatedWith: URIRef
    locatedIn: URIRef
    partOf: URIRef
    participatedIn: URIRef
    hasParticipant: URIRef
    tookPlaceIn: URIRef
    tutorOf: URIRef
    pupilOf: URIRef
    programmeOf: URIRef
    comparedTo: URIRef
    # --- documents ----------------------------------------------------------
    author: URIRef
    translator: URIRef
    publishedIn: URIRef
    cites: URIRef
    mentions: URIRef
    hasText: URIRef
    describedBy: URIRef
    # --- positions ----------------------------------------------------------
    holder: URIRef
    stance: URIRef
    target: URIRef
    evidence: URIRef
    polarity: URIRef
    speechAct: URIRef
    condition: URIRef
    reportedBy: URIRef
    evaluates: URIRef
    timeOf: URIRef

    # --- datatype properties ------------------------------------------------
    date: URIRef
    asOf: URIRef
    ruleId: URIRef
    resolution: URIRef
    sha256: URIRef
    sourceFile: URIRef
    paratextKind: URIRef
    footnoteNumber: URIRef
    page: URIRef
    negated: URIRef
    negation: URIRef
    discovered: URIRef
    confidence: URIRef
    holderRole: URIRef
    evaluation: URIRef
    datePrecision: URIRef
    earliest: URIRef
    latest: URIRef

    # --- individuals: polarities and stances ------------------------------
    Support: URIRef
    Oppose: URIRef
    Neutral: URIRef
    Supports: URIRef
    Endorses: URIRef
    Proposes: URIRef
    Demands: URIRef
    Expects: URIRef
    WarnsAgainst: URIRef
    Criticises: URIRef
    Rejects: URIRef
    Opposes: URIRef
    Regrets: URIRef
    Doubts: URIRef
    AssertiveAct: URIRef
    ProposalAct: URIRef
    ExpectationAct: URIRef
    WarningAct: URIRef
    ConditionalAct: URIRef
    RhetoricalQuestionAct: URIRef
    ConcessionAct: URIRef
    ThanksAct: URIRef
