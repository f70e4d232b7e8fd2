"""What the extractor finds in the shipped essay: entities with types, coreference, relations."""

from __future__ import annotations

import pytest

from essay_kg.extract.rules.load import load_rules
from essay_kg.extract.run import extract
from essay_kg.text.source import layout

# (entity id, type, a surface form the essay uses for it)
ENTITIES = [
    ("andrei-kozyrev", "Person", "Kozyrev"),
    ("vladimir-zhirinovsky", "Person", "Vladimir Zhirinovsky"),
    ("stephen-sestanovich", "Person", "Stephen Sestanovich"),
    ("vassily-zhukovsky", "Person", "Vassily Zhukovsky"),
    ("alexander-ii", "Person", "Alexander II"),
    ("bill-clinton", "Person", "Bill Clinton"),
    ("boris-yeltsin", "Person", "Boris Yeltsin"),
    ("adolf-hitler", "Person", "Hitler"),
    ("antonina-w-bouis", "Person", "Antonina W. Bouis"),
    ("russia", "State", "Russia"),
    ("united-states", "State", "United States"),
    ("soviet-union", "State", "U.S.S.R."),
    ("yugoslavia", "State", "former Yugoslavia"),
    ("czechoslovakia", "State", "Czechoslovakia"),
    ("hungary", "State", "Hungary"),
    ("afghanistan", "State", "Afghanistan"),
    ("germany", "State", "Germany"),
    ("france", "State", "France"),
    ("somalia", "State", "Somalia"),
    ("tajikistan", "State", "Tajikistan"),
    ("georgia", "State", "Georgia"),
    ("ukraine", "State", "Ukraine"),
    ("latvia", "State", "Latvian"),
    ("estonia", "State", "Estonian"),
    ("nato", "InternationalOrganisation", "NATO"),
    ("csce", "InternationalOrganisation", "Conference on Security and Cooperation in Europe"),
    ("g7", "InternationalOrganisation", "G-7"),
    ("g8", "InternationalOrganisation", "G-8"),
    ("united-nations", "InternationalOrganisation", "United Nations"),
    ("un-security-council", "InternationalOrganisation", "Security Council"),
    ("cis", "InternationalOrganisation", "C.I.S."),
    ("european-union", "InternationalOrganisation", "European Union"),
    ("liberal-democratic-party-of-russia", "PoliticalParty", "ldp"),
    ("communist-party-of-the-soviet-union", "PoliticalParty", "Communist Party"),
    ("politburo", "GovernmentBody", "Politburo"),
    ("center-for-strategic-and-international-studies", "ThinkTank", "Center for Strategic and International Studies"),
    ("the-new-republic", "Media", "The New Republic"),
    ("pravda", "Media", "Pravda"),
    ("cnn", "Media", "CNN"),
    ("moscow", "Place", "Moscow"),
    ("washington", "Place", "Washington"),
    ("murmansk", "Place", "Murmansk"),
    ("sarajevo", "Place", "Sarajevo"),
    ("abkhazia", "Place", "Abkhazia"),
    ("balkans", "Place", "Balkans"),
    ("central-asia", "Place", "Central Asia"),
    ("the-west", "Group", "West"),
    ("russian-democrats", "Group", "Russian democrats"),
    ("military-industrial-groups", "Group", "military-industrial groups"),
    ("american-sovietologists", "Group", "American Sovietologists"),
    ("western-kremlinologists", "Group", "Western Kremlinologists"),
    ("bosnian-serbs", "Group", "Bosnian Serb"),
    ("sudeten-germans", "Group", "Sudeten Germans"),
    ("cold-war", "Conflict", "Cold War"),
    ("world-war-ii", "Conflict", "World War II"),
    ("august-1991-coup", "Event", "failed communist coup"),
    ("russian-legislative-election-1993", "Election", "first free parliamentary elections"),
    ("start-ii", "Agreement", "second Strategic Arms Reduction Treaty"),
    ("us-operation-in-somalia", "Operation", "U.S. peacekeeping operation"),
    ("partnership-for-peace", "Programme", "Partnership for Peace"),
    ("marshall-plan", "Programme", "Marshall Plan"),
    ("minister-of-foreign-affairs-of-russia", "Office", "Minister of Foreign Affairs of the Russian Federation"),
    ("csce-high-commissioner-on-national-minorities", "Office", "High Commissioner for Ethnic Minorities"),
    ("andrei-the-giant", "Document", "Andrei the Giant"),
    ("containment", "Topic", "containment"),
    ("nonproliferation-regime", "Topic", "nonproliferation regime"),
    ("russian-american-partnership", "Topic", "partnership"),
]


@pytest.fixture(scope="module")
def surfaces(extraction) -> set[tuple[str, str]]:
    return {(m.entity_id, " ".join(m.span.anchor.split())) for m in extraction.mentions}


def test_coverage_is_broad(extraction) -> None:
    assert len(extraction.entities) >= 90
    assert len(ENTITIES) >= 40


@pytest.mark.parametrize(("entity_id", "type_name", "surface"), ENTITIES, ids=[e[0] for e in ENTITIES])
def test_entity_has_type_and_is_found_by_its_surface_form(extraction, surfaces, entity_id, type_name, surface) -> None:
    assert extraction.entities[entity_id].type == type_name
    assert (entity_id, surface) in surfaces


def test_every_mention_reanchors(extraction) -> None:
    text = extraction.source.text
    meta = extraction.source.metadata.text
    for mention in extraction.mentions:
        source = meta if mention.span.context == "metadata" else text
        assert source[mention.span.begin:mention.span.end] == mention.span.anchor


def resolutions(extraction, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in extraction.mentions:
        if m.entity_id == entity_id:
            found.setdefault(m.resolution, set()).add(m.span.anchor)
    return found


def test_surnames_acronyms_and_demonyms_resolve_to_the_full_entity(extraction) -> None:
    assert resolutions(extraction, "vladimir-zhirinovsky")["surname"] == {"Zhirinovsky"}
    assert resolutions(extraction, "andrei-kozyrev")["surname"] == {"Kozyrev"}
    assert "C.I.S." in resolutions(extraction, "cis")["acronym"]
    assert "U.S.S.R." in resolutions(extraction, "soviet-union")["acronym"]
    assert "ldp" in resolutions(extraction, "liberal-democratic-party-of-russia")["alias"]


def test_possessive_names_are_split(extraction) -> None:
    text = extraction.source.text
    begin = text.index("Vladimir Zhirinovsky’s Liberal Democratic Party")
    found = {(m.span.anchor, m.entity_id) for m in extraction.mentions if begin <= m.span.begin < begin + 50}
    assert found == {("Vladimir Zhirinovsky", "vladimir-zhirinovsky"),
                     ("Liberal Democratic Party", "liberal-democratic-party-of-russia")}


def test_first_person_resolves_to_author_and_to_russia(extraction) -> None:
    pronouns = [m for m in extraction.mentions if m.resolution == "pronoun"]
    singular = {m.span.anchor for m in pronouns if m.entity_id == "andrei-kozyrev"}
    plural = {m.span.anchor for m in pronouns if m.entity_id == "russia"}
    assert singular == {"I", "me", "my"}
    assert {"we", "We", "our", "us"} <= plural
    assert {m.rule_id for m in pronouns} == {"coreference.jsonl#first-person-singular",
                                            "coreference.jsonl#first-person-plural"}
    first = next(m for m in pronouns if m.span.anchor == "I")
    assert first.span.begin == extraction.source.text.index("I officially stated")


def test_first_person_inside_quotations_is_not_the_author(extraction) -> None:
    text = extraction.source.text
    quoted = [(text.index('"we lived without Russia'), text.index('without it."')),
              (text.index("When we face the alternative"), text.index('the difference."'))]
    for begin, end in quoted:
        assert not [m for m in extraction.mentions if m.resolution == "pronoun" and begin <= m.span.begin <= end]


def test_quotation_before_the_footnote_marker_is_attributed_to_the_cited_article(extraction) -> None:
    [(quote, cited)] = extraction.quotations
    assert cited == "andrei-the-giant"
    assert quote.anchor.startswith('"Kozyrev’s nationalist rhetoric') and quote.anchor.endswith('difference."')


def test_paywall_and_subscription_lines_yield_no_mentions(extraction) -> None:
    silent = [b.span for b in extraction.source.blocks if b.kind in {"paywall", "subscription", "navigation"}]
    assert len(silent) == 7
    for mention in extraction.mentions:
        assert not any(s.begin <= mention.span.begin < s.end for s in silent) or mention.span.context


def test_a_name_wrapped_across_a_line_break_is_found() -> None:
    rules = load_rules()
    from essay_kg.model import Metadata, SourceText

    text = "The United\nStates and the Commonwealth of\nIndependent States met NATO."
    sections, blocks, markers = layout(text, rules.paratext)
    source = SourceText("wrapped.txt", text, "0" * 64, Metadata("wrapped"), sections, blocks, markers)
    found = {(m.entity_id, m.span.anchor) for m in extract(source, rules).mentions}
    assert ("united-states", "United\nStates") in found
    assert ("cis", "Commonwealth of\nIndependent States") in found
    assert ("nato", "NATO") in found


def test_an_acronym_is_found_however_a_transcript_spaces_its_initials() -> None:
    from essay_kg.extract.nlp import dotted_forms
    from essay_kg.model import Metadata, SourceText

    assert dotted_forms("USA") == ["U.S.A.", "U.S. A.", "U. S.A.", "U. S. A."]
    rules = load_rules()
    text = "The planes are headed for the U. S.A. The U. S. A. and the U.S.A. agree with the U. N."
    sections, blocks, markers = layout(text, rules.paratext)
    source = SourceText("spaced.txt", text, "0" * 64, Metadata("spaced"), sections, blocks, markers)
    extraction = extract(source, rules)
    found = {(m.entity_id, m.span.anchor) for m in extraction.mentions}
    assert {("united-states", "U. S.A."), ("united-states", "U. S. A."), ("united-states", "U.S.A."),
            ("united-nations", "U. N.")} <= found
    assert not [e for e in extraction.entities.values() if e.type == "Person"]  # no initials read as a person's name
