"""Positions the parse reads from a sentence's grammar: relative clauses, agreeing and helping, groups the
text describes as holders, idioms of the stance lexicon, rules whose targets are never topics, feelings, votes,
withdrawals, what is vital or needed, and what others say one should do."""

from __future__ import annotations

import re

import pytest

from essay_kg.extract.rules.load import load_rules
from essay_kg.extract.run import extract
from essay_kg.model import Extraction
from essay_kg.text.source import read_source

NOTE = """A Note on the Peace

The government will defend the new world order we seek. Last week, the warring factions in Chad reached a peace
agreement. The rival parties agreed to the basic principles of peace. We are helping the people of Chad to
rebuild. We must not turn our backs on Chad now. For the sake of our principles, for the sake of the Nigerian
people, we stood firm. We acted for the
sake of lofty goals. Anyone who would harm the Chadian people should know this. The policies of Chadian reformers
must be pursued with care. We will not send troops to fight a war in Chad. We must fight terrorism. I ask all Chadians
to support the peace agreement. We created the Sahel Fund and waged the Toubou War.
We will applaud every step. Chad must be an essential part of the mission. The junta's aggression must be stopped.
The new constitution must be implemented. Two years ago, Libya annexed the strip; we will never accept the annexation.
We accept the verdict of the Hague Court. We reject the idea that Chad must choose between its prosperity and its
alliance with Niger. Our allies in Niger strongly support a permanent UN presence, and they oppose any new deal with
the junta. The Sahel states accept even a "socialist choice" of Chad. The rebel leaders signed the truce in Niamey. They support
the Sahel Fund. The rebel chiefs welcome a permanent EU presence and oppose any deal with the junta.
General Idriss Kaba signed the truce. Later he threatened to veto the Sahel Fund. Niger demands a place in the
Sahel Fund. I refuse to send Chadian troops to fight a war in Niger.
We reject any claim that is not grounded in the Niamey Accord, and we support the Lome Convention. We will not
accept coercion. Mali and Benin have expressed concern about the Lome Convention. Let us not forget Chadian General
Moussa Faki. Mali, Benin and Togo condemned the Niamey Accord. I urge our partners in the Sahel Union to
approve the Bamako Accord.
"""


MINISTER = {"author": "Ann Example", "date": "1995-11-27", "author_role": "Minister of Foreign Affairs of France"}


def extracted(factory: pytest.TempPathFactory, name: str, text: str, metadata: dict[str, str]) -> Extraction:
    """The extraction of `text`, written to a file of its own, with this metadata."""
    source = factory.mktemp(name) / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    rules = load_rules()
    return extract(read_source(source, rules.paratext, metadata), rules)


def positions_of(extraction: Extraction) -> set[tuple[str, str, str]]:
    """(holder label, stance, target label) of every position."""
    return {(extraction.entities[p.holder].label, p.stance, extraction.entities[p.target].label)
            for p in extraction.positions}


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "grammar", NOTE, MINISTER))

def test_the_noun_a_relative_clause_is_about_is_its_verbs_target(held) -> None:
    assert ("France", "Supports", "new world order") in held  # "the new world order we seek"


def test_a_group_the_text_describes_holds_what_it_agrees_to_and_reaches(held) -> None:
    assert ("warring factions in Chad", "Supports", "peace agreement") in held
    assert ("rival parties", "Supports", "basic principles of peace") in held


def test_helping_an_actor_is_support_of_it(held) -> None:
    assert ("France", "Supports", "Chadian people") in held


def test_a_negated_idiom_of_abandoning_is_support(held) -> None:
    assert ("France", "Supports", "Chad") in held  # "we must not turn our backs on Chad"
    assert not {h for h in held if h[1] == "Rejects" and h[2] == "Chad"}


def test_a_rule_whose_targets_are_actors_names_no_topic(held) -> None:
    # "For the sake of our principles, for the sake of the Nigerian people, we stood firm": the subject after the
    # fronted phrases holds it
    assert {(h, s) for h, s, t in held if t == "Nigerian people"} == {("France", "Supports")}
    assert not any("goals" in target for *_, target in held)  # "for the sake of lofty goals": no actor, no position


def test_fighting_a_war_is_no_stance_on_it_and_fighting_terrorism_is_opposition(held) -> None:
    assert {stance for holder, stance, target in held if (holder, target) == ("France", "terrorism")} <= {"Opposes", "Rejects"}
    assert any((holder, target) == ("France", "terrorism") for holder, _, target in held)
    assert not any(re.fullmatch(r"(\w+ )?war( in \w+)?", target.lower()) for *_, target in held)  # no war a target


def test_an_actor_asked_to_do_something_is_whom_the_demand_is_made_of(held) -> None:
    demands = {target for _, stance, target in held if stance == "Demands"}
    assert "Chadians" not in demands and not any("Chadian" in t for t in demands)


def test_a_name_deep_inside_a_longer_subject_is_no_target_of_its_modal(held) -> None:
    assert not {(h, s) for h, s, t in held if t in {"Chadian reformers"} or (t == "Chadian people" and s == "Proposes")}


def test_waging_a_war_is_no_support_of_it_and_creating_a_fund_is(held) -> None:
    assert not {h for h in held if "war" in h[2].lower() and h[1] == "Supports"}  # "… and waged the Toubou War"
    assert ("France", "Supports", "Sahel Fund") in held


def test_they_refers_to_a_group_never_to_a_state_named_alone(tmp_path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("A Note\n\nThe Western democracies are natural friends of Chad as they are foes of tyranny. Chad "
                      "holds the hostages. We have not forgotten them.\n", encoding="utf-8")
    rules = load_rules()
    extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "1995-11-27"}), rules)
    resolved = {(m.span.anchor, m.entity_id) for m in extraction.mentions if m.resolution == "anaphor"}
    assert ("they", "the-west") in resolved  # the democracies, not Chad
    assert not {entity for anchor, entity in resolved if anchor == "them"}  # the hostages: no entity, no guess


def test_a_target_whose_head_is_a_vague_word_is_no_topic(held) -> None:
    assert not [t for *_, t in held if "step" in t or "part of" in t]  # "applaud every step", "an essential part of"
    assert ("Niger", "Demands", "Sahel Fund") in held  # "a place in the Sahel Fund": the name it holds


def test_a_demand_that_a_thing_be_done_takes_the_stance_of_the_deed(held) -> None:
    assert ("Ann Example", "Opposes", "aggression") in held  # the author speaks: no "we"
    assert not {h for h in held if "aggression" in h[2] and h[1] == "Demands"}  # "must be stopped"
    assert {s for _, s, t in held if t == "new constitution"} <= {"Demands"}  # "implement" is no stance verb of its own


def test_accepting_is_support_and_never_accepting_a_rejection(held) -> None:
    assert ("France", "Rejects", "annexation") in held
    assert any(s == "Supports" and "Hague Court" in t for _, s, t in held)


def test_what_a_content_noun_says_is_the_target_not_a_name_inside_it(held) -> None:
    assert ("France", "Rejects", "idea that Chad must choose between its prosperity and its alliance with Niger") in held
    assert not {h for h in held if h[1] == "Rejects" and h[2] in {"Niger", "Chad"}}


def test_the_parse_reads_a_clause_the_cue_rules_leave_empty(held) -> None:
    # the cue rule reads "they oppose any new deal …"; the parse reads the first clause of the sentence
    assert ("French allies", "Supports", "permanent UN presence") in held  # "our allies", said for France
    # "… and they oppose": the subject of the clause "they" is coordinated with, not the UN named inside a phrase
    assert ("French allies", "Opposes", "any new deal with the junta") in held
    assert not {h for h in held if h[0] in {"United Nations", "European Union"}}  # "a permanent EU presence and oppose"


def test_they_opening_a_sentence_is_the_plural_subject_of_the_one_before(held) -> None:
    assert ("rebel leaders", "Supports", "Sahel Fund") in held


def test_a_described_label_starts_at_its_noun_phrase_and_keeps_no_lone_quotation_mark(held) -> None:
    from essay_kg.extract.described import label_of

    assert ("Sahel states", "Supports", "socialist choice of Chad") in held  # 'even a "socialist choice" of Chad'
    assert label_of('"fair and\n free" elections') == '"fair and free" elections'  # a pair is kept


def test_he_is_the_person_named_before_and_vetoing_is_opposition(held) -> None:
    assert ("Idriss Kaba", "Opposes", "Sahel Fund") in held


def test_what_an_opposing_verb_governs_as_a_clause_is_its_target(held) -> None:
    # "I refuse to send Chadian troops to fight a war in Niger": the sending is refused, not the troops
    assert ("Ann Example", "Rejects", "send Chadian troops to fight a war in Niger") in held
    assert not {h for h in held if h[1] == "Rejects" and h[2] in {"Chadian troops", "Niger"}}


def test_a_cue_reads_neither_a_clause_with_its_own_subject_nor_what_a_relative_clause_says(held) -> None:
    # "we reject any claim that is not grounded in the Niamey Accord, and we support the Lome Convention"
    assert ("France", "Supports", "Lome Convention") in held
    assert not {h for h in held if h[1] == "Rejects" and h[2] in {"Lome Convention", "Niamey Accord"}}


def test_an_issue_of_the_genre_is_a_target_and_concern_is_a_warning(held) -> None:
    assert ("France", "Rejects", "coercion") in held  # "will not accept coercion": a topic of the gazetteer
    assert {("Mali", "WarnsAgainst", "Lome Convention"), ("Benin", "WarnsAgainst", "Lome Convention")} <= held


def test_a_demonym_before_a_title_qualifies_the_person_the_cue_is_about(held) -> None:
    assert ("France", "Supports", "Moussa Faki") in held  # "let us not forget Chadian General Moussa Faki"


def test_each_of_coordinated_subjects_holds_what_a_cue_rule_reads(held) -> None:
    assert {(h, "Criticises", "Niamey Accord") for h in ("Mali", "Benin", "Togo")} <= held


def test_what_an_actor_is_urged_to_do_is_the_target_not_the_actor(held) -> None:
    assert ("Ann Example", "Proposes", "Bamako Accord") in held  # "I urge our partners in the Sahel Union to approve …"
    assert not {h for h in held if h[1] == "Proposes" and h[2] == "Sahel Union"}


STATEMENT = """A Statement on the Sahel

We are deeply concerned by the escalation of violence in Mali. We are all vulnerable to terrorism; organized crime;
and drug trafficking. Togo is deeply concerned by the spread of terrorism and organized crime. Niger is
concerned about the Bamako Accord. Mali has expressed its opposition to the deployment of troops in Chad. We will not
tolerate any attack on our allies. We condemn in the strongest terms the attack on the embassy in Niamey. Benin
condemns the shelling of Gao in the strongest possible terms. We believe
that the Sahel Fund is essential for stability. The Lome Convention is vital to our security. It is essential that
we act now. We look forward to working with the new government of Benin. A lasting settlement must be led by the
people of Mali.
"""


@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "statement", STATEMENT, MINISTER))

def test_an_adjective_of_concern_is_a_warning_by_the_subject_of_its_clause(stated) -> None:
    assert ("France", "WarnsAgainst", "escalation of violence in Mali") in stated  # "concerned by", not an agent
    assert ("Ann Example", "WarnsAgainst", "terrorism") in stated  # "vulnerable to": the one who says so warns
    assert ("Ann Example", "WarnsAgainst", "organized crime") in stated  # the list goes on after a semicolon
    assert ("Niger", "WarnsAgainst", "Bamako Accord") in stated


def test_a_stance_on_the_spread_of_things_is_on_each_of_them(stated) -> None:
    assert {("Togo", "WarnsAgainst", "terrorism"), ("Togo", "WarnsAgainst", "organized crime")} <= stated
    assert not {p for p in stated if p[0] == "Togo" and p[2] not in {"terrorism", "organized crime"}}


def test_an_unresolved_possessive_is_the_subject_of_the_verb(stated) -> None:
    assert ("Mali", "Opposes", "deployment of troops in Chad") in stated  # "Mali has expressed its opposition to …"


def test_a_cue_with_its_own_negation_keeps_its_meaning(stated) -> None:
    assert ("France", "Rejects", "attack on our allies") in stated  # "we will not tolerate any attack on our allies"
    assert not {s for s in stated if s[1] == "Supports" and "attack" in s[2]}


def test_a_manner_phrase_between_cue_and_object_is_no_part_of_the_target(stated) -> None:
    assert ("France", "Criticises", "attack on the embassy in Niamey") in stated
    assert ("Benin", "Criticises", "shelling of Gao") in stated  # after the object, too
    assert not any("terms" in target for *_, target in stated)


def test_what_is_essential_or_vital_is_what_the_author_endorses(stated) -> None:
    assert {("Ann Example", "Endorses", "Sahel Fund"), ("Ann Example", "Endorses", "Lome Convention")} <= stated
    assert not {s for s in stated if s[1] == "Endorses" and s[2] in {"stability", "security"}}
    # "it is essential that we act now": "it" stands for nothing said before
    assert {s for s in stated if s[1] == "Endorses"} == {("Ann Example", "Endorses", "Sahel Fund"),
                                                         ("Ann Example", "Endorses", "Lome Convention")}


def test_the_agent_of_what_must_be_done_is_not_what_is_demanded(stated) -> None:
    assert not {s for s in stated if s[2] == "Malian people"}  # "must be led by the people of Mali": who is to lead


def test_looking_forward_to_working_with_an_actor_is_support_of_it(stated) -> None:
    assert ("France", "Supports", "Benin") in stated


ACTIONS = """A Report on the Sahel

Niger withdrew from the Bamako Accord and withdrew its troops from Chad. The junta violated the ceasefire. Mali is
against any partition of Chad. The sanctions against Niger failed. This summer, Niger shelled the markets of Gao. In
response, the Sahel Union led heavy air strikes. Togo has provided 2 million dollars in military assistance to Benin.
Benin gave a deadline to Mali. In 2014, Ghana launched a full-scale invasion of Guinea. Senegal launched a campaign of
reforms.
"""


@pytest.fixture(scope="module")
def acted(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    return extracted(tmp_path_factory, "report", ACTIONS, {"author": "Ann Example", "date": "1995-11-27"})


def test_leaving_a_treaty_is_rejecting_it_and_violating_one_is_opposing_it(acted) -> None:
    held = positions_of(acted)
    assert ("Niger", "Rejects", "Bamako Accord") in held
    assert ("junta", "Opposes", "cease-fire") in held  # a junta is a body that acts
    assert not {h for h in held if h[2] == "Chad" and h[1] == "Rejects"}  # leaving a place is no stance on it


def test_giving_aid_to_an_actor_is_support_of_it_and_giving_a_deadline_is_not(acted) -> None:
    held = positions_of(acted)
    assert ("Togo", "Supports", "Benin") in held  # "provided … in military assistance to Benin"
    assert not {h for h in held if h[0] == "Benin" and h[2] == "Mali"}


def test_launching_an_invasion_of_an_actor_is_opposing_it(acted) -> None:
    held = positions_of(acted)
    assert ("Ghana", "Opposes", "Guinea") in held  # not only the invasion, which names Guinea inside it
    assert not {h for h in held if h[0] == "Senegal" and h[1] == "Opposes"}  # a campaign of reforms is no attack


def test_being_against_the_partition_of_a_state_is_opposing_the_partition(acted) -> None:
    held = positions_of(acted)
    assert ("Mali", "Opposes", "partition of Chad") in held
    assert not {h for h in held if h[2] in {"Chad", "Niger"} and h[1] == "Opposes"}  # "sanctions against Niger"


def test_in_response_is_the_time_of_the_sentence_before(acted) -> None:
    dates = {(s.subject, s.predicate, s.object.lexical) for s in acted.statements
             if s.predicate in {"ekg:earliest", "ekg:latest"}}
    assert {("heavy-air-strikes", "ekg:earliest", "1995-06"), ("heavy-air-strikes", "ekg:latest", "1995-08")} <= dates


REMARKS = """Remarks in Niamey

Mali is a strong supporter of the Bamako Accord. Niger is a fierce critic of the Sahel Union. Chad has been a
steadfast ally of Benin. We need a stronger Sahel Union. Niger's aggression against Chad must end. We call on Togo to
ratify the Lome Convention. Help for Benin is needed now. Benin is pleased with the Bamako Accord, and Mali is
disappointed by the decision of Niger to leave the Sahel Union. My government strongly supports the Sahel Fund.
"""


@pytest.fixture(scope="module")
def remarked(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "remarks", REMARKS, MINISTER))

def test_a_supporter_or_critic_of_a_thing_holds_that_stance_on_it(remarked) -> None:
    assert {("Mali", "Supports", "Bamako Accord"), ("Niger", "Opposes", "Sahel Union")} <= remarked
    assert not {r for r in remarked if r[0] == "Chad"}  # an ally is a relation between two actors, not a stance


def test_what_the_speaker_needs_is_a_demand(remarked) -> None:
    assert ("France", "Demands", "Sahel Union") in remarked
    assert ("Ann Example", "Demands", "Help for Benin") in remarked  # "is needed", by no one named: the author


def test_pleasure_and_disappointment_are_judgements_of_their_subject(remarked) -> None:
    assert ("Benin", "Endorses", "Bamako Accord") in remarked
    # "Mali is disappointed by …": a verb of feeling in the passive, held by whom it moves, not by its agent
    assert ("Mali", "Criticises", "decision of Niger to leave the Sahel Union") in remarked


def test_what_must_end_is_opposed(remarked) -> None:
    assert ("Ann Example", "Opposes", "aggression against Chad") in remarked or ("Ann Example", "Opposes", "aggression") \
        in remarked
    assert not {r for r in remarked if "aggression" in r[2] and r[1] == "Demands"}


def test_what_an_actor_is_called_on_to_do_names_the_target(remarked) -> None:
    assert any(r[1] in {"Proposes", "Demands"} and r[2] == "Lome Convention" for r in remarked)
    assert not {r for r in remarked if r[2] == "Togo"}


def test_an_official_authors_government_or_country_is_the_state_he_speaks_for(remarked) -> None:
    assert ("France", "Supports", "Sahel Fund") in remarked  # "my government", said by France's foreign minister
    assert ("Ann Example", "Supports", "Sahel Fund") not in remarked


VOTES = """Votes in the Council

The United Kingdom voted against the resolution on Mali. France voted for the resolution on Mali. Germany pledged
50 million euros to the Sahel Fund. The African Union suspended Niger. Chad said it would support the Lome Convention.
Benin insisted that the Bamako Accord be respected. Togo insisted that the troops be withdrawn. President Idriss Kaba
of Chad welcomed the agreement.
"""


@pytest.fixture(scope="module")
def voted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "votes", VOTES, {"author": "Ann Example", "date": "2015-11-27"}))

def test_a_vote_for_or_against_a_thing_is_a_stance_on_it(voted) -> None:
    assert {("United Kingdom", "Opposes", "resolution on Mali"), ("France", "Supports", "resolution on Mali")} <= voted


def test_an_amount_given_to_a_thing_is_support_of_the_thing(voted) -> None:
    assert ("Germany", "Supports", "Sahel Fund") in voted
    assert not any("euros" in target for *_, target in voted)


def test_suspending_a_member_opposes_it(voted) -> None:
    assert ("African Union", "Opposes", "Niger") in voted


def test_it_after_a_state_said_is_that_state(voted) -> None:
    assert ("Chad", "Supports", "Lome Convention") in voted  # "Chad said it would support …"


def test_insisting_that_a_thing_be_respected_demands_it(voted) -> None:
    assert ("Benin", "Demands", "Bamako Accord") in voted
    assert not {v for v in voted if v[0] == "Togo"}  # "that the troops be withdrawn": no demand for the troops


def test_what_is_welcomed_follows_the_verb(voted) -> None:
    assert ("Idriss Kaba", "Endorses", "agreement") in voted
    assert not {v for v in voted if v[0] == "Idriss Kaba" and v[2] == "Chad"}


DEBATE = """A Debate in the House

This Government will always stand up for the people of Benin. The Honourable Member for Bath asked whether we
support the Sahel Fund. Mali applied to join the Sahel Union, and we support its bid to join the Sahel Union. We
should abandon the Lome Convention. Critics say that Chad should join the Niamey Accord.
"""


@pytest.fixture(scope="module")
def debated(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "debate", DEBATE, MINISTER))

def test_standing_up_for_a_people_is_supporting_it(debated) -> None:
    assert ("France", "Supports", "Beninese people") in debated  # "this Government": the author's state


def test_asking_whether_is_no_stance_on_what_is_asked(debated) -> None:
    assert not {d for d in debated if d[2] == "Sahel Fund"}


def test_a_bid_keeps_what_it_is_a_bid_for(debated) -> None:
    assert ("France", "Supports", "bid to join the Sahel Union") in debated


def test_what_one_should_abandon_is_what_one_warns_against(debated) -> None:
    assert ("Ann Example", "WarnsAgainst", "Lome Convention") in debated
    assert not {d for d in debated if d[2] == "Lome Convention" and d[1] in {"Proposes", "Supports"}}


def test_what_others_say_one_should_do_is_not_the_authors_prescription(debated) -> None:
    assert not {d for d in debated if d[2] == "Niamey Accord"}  # "critics say that Chad should join …"


RESOLVE = """Remarks on the Sahel

We will not walk away from Togo. We will keep up the pressure on Niger. We are ending our support for the Sahel
Fund. We will hold Chad accountable for its crimes. We will push back on Mali's attack on the press. Neither Guinea
nor Ghana supports the Niamey Accord, and neither Gabon nor Senegal welcomed the Lome Convention. We grieve for the
victims of the war in Burkina Faso. We will impose costs on Liberia, and we will lift the sanctions on Gambia. We have
frozen the assets of Eritrea. We will rejoin the Abuja Treaty. We will not hesitate to oppose Sierra Leone. We call on
Mali to withdraw its forces from Ivorian territory.
"""


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "resolve", RESOLVE, MINISTER))


def test_not_walking_away_from_an_actor_is_support_of_it(resolved) -> None:
    assert ("France", "Supports", "Togo") in resolved
    assert not {p for p in resolved if p[2] == "Togo" and p[1] != "Supports"}


def test_pressure_on_an_actor_and_pushing_back_on_it_are_opposition(resolved) -> None:
    assert ("France", "Opposes", "Niger") in resolved
    assert ("France", "Opposes", "Mali") in resolved


def test_ending_support_for_a_thing_is_no_support_of_it(resolved) -> None:
    assert ("France", "Rejects", "Sahel Fund") in resolved
    assert ("France", "Supports", "Sahel Fund") not in resolved


def test_grief_for_the_victims_of_a_thing_is_no_support_of_the_thing(resolved) -> None:
    assert not {p for p in resolved if p[2] in {"Burkina Faso", "war in Burkina Faso"}}  # the victims, not the war


def test_what_a_verb_does_through_its_object_is_a_stance_on_the_actor_it_names(resolved) -> None:
    assert ("France", "Opposes", "Liberia") in resolved  # "impose costs on"
    assert ("France", "Supports", "The Gambia") in resolved  # "lift the sanctions on"
    assert ("France", "Opposes", "Eritrea") in resolved  # "frozen the assets of"
    assert ("France", "Supports", "Abuja Treaty") in resolved  # "rejoin"


def test_a_demonym_that_qualifies_a_noun_is_no_target(resolved) -> None:
    assert not {p for p in resolved if p[2] == "Ivory Coast"}  # "withdraw … from Ivorian territory": the territory


def test_not_hesitating_to_oppose_is_opposing(resolved) -> None:
    assert ("France", "Opposes", "Sierra Leone") in resolved
    assert not {p for p in resolved if p[2] == "Sierra Leone" and p[1] != "Opposes"}


def test_neither_nor_negates_each_of_its_subjects(resolved) -> None:
    assert {("Guinea", "Opposes", "Niamey Accord"), ("Ghana", "Opposes", "Niamey Accord")} <= resolved
    assert {("Gabon", "Criticises", "Lome Convention"), ("Senegal", "Criticises", "Lome Convention")} <= resolved
    assert not {p for p in resolved if p[1] in {"Supports", "Endorses"} and p[2] in {"Niamey Accord", "Lome Convention"}}


def test_holding_an_actor_accountable_is_criticism_by_the_subject(resolved) -> None:
    assert ("France", "Criticises", "Chad") in resolved  # the actor before the cue is its target, the subject holds it
    assert not {p for p in resolved if p[0] == "Chad"}


VERDICTS = """Remarks on the Sahel

Niger's decision to leave the Sahel Union was a mistake. Critics say that we should abandon Togo. The Bamako Accord
was a failure. The Lome Convention is a
success, and Benin is a reliable partner. Mali's support for the junta is a disgrace. France is an irreplaceable
partner. Implementing the accord in Chad can end the suffering of its people, the mass executions, the ethnic cleansing.
The annexation of Gao is illegal. It is wrong to abandon Niger.
"""


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return positions_of(extracted(tmp_path_factory, "verdicts", VERDICTS, MINISTER))


def test_a_verdict_after_be_is_the_authors_on_the_whole_subject(judged) -> None:
    assert ("Ann Example", "Criticises", "decision to leave the Sahel Union") in judged  # not the union named inside
    assert ("Ann Example", "Criticises", "Bamako Accord") in judged
    assert {("Ann Example", "Endorses", "Lome Convention"), ("Ann Example", "Endorses", "Benin")} <= judged
    assert not {p for p in judged if p[2] == "Sahel Union"}


def test_an_adjective_of_condemnation_is_the_authors_verdict_on_the_subject(judged) -> None:
    assert ("Ann Example", "Criticises", "annexation of Gao") in judged
    assert not {p for p in judged if p[2] == "Niger" and p[1] == "Criticises"}  # "it is wrong to abandon Niger"


def test_a_cue_target_ends_before_a_verb_of_being(judged) -> None:
    assert ("Mali", "Supports", "junta") in judged  # not "junta is a disgrace"
    assert not any(" is " in target for *_, target in judged)


def test_what_others_say_we_should_do_is_not_the_authors_stance(judged) -> None:
    assert not {p for p in judged if p[2] == "Togo"}  # "critics say that we should abandon Togo"


def test_what_a_clause_can_end_the_author_opposes_each_item_of_the_list(judged) -> None:
    assert ("Ann Example", "Opposes", "ethnic cleansing") in judged  # the third of a list the parse reads as two objects


def test_a_verdict_on_the_authors_own_state_is_none(judged) -> None:
    assert not {p for p in judged if p[2] == "France"}  # "France is an irreplaceable partner", said by its minister
