"""The rule files: loaded with validation; a malformed line fails with file:line."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from essay_kg.errors import BadInput
from essay_kg.extract.rules.load import load_rules
from essay_kg.model import ENTITY_TYPES
from essay_kg.vocabulary import SPEECH_ACTS, STANCES

from conftest import REPO


@pytest.fixture()
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "extract"
    shutil.copytree(REPO / "extract", folder, ignore=shutil.ignore_patterns("sources"))
    return folder


def append(path: Path, line: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_shipped_rules_load() -> None:
    rules = load_rules()
    assert len(rules.entities) >= 90
    assert {r.kind for r in rules.relations} == {"pattern", "cue", "cooccur"}
    assert {r.produces for r in rules.paratext} >= {"byline", "translator", "citation", None}



def test_a_cue_that_holds_its_own_negation_keeps_its_stance() -> None:
    # "we will not tolerate X": the "not" is the cue's own, so without negated_stance it would flip the stance
    # to its opposite (support of X); every such cue's rule says what the negated wording means
    negation = re.compile(r"\b(?:not|never|no(?! less)|cannot)\b|n't\b", re.IGNORECASE)
    unsettled = []
    for line in (REPO / "extract" / "stances.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        rule = json.loads(line)
        if rule.get("kind", "stance") == "stance" and not rule.get("negated_stance"):
            unsettled += [f"{rule['id']}: {cue}" for cue in rule.get("cues", []) if negation.search(cue)]
    assert not unsettled

@pytest.mark.parametrize(("file", "line", "message"), [
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": "X"', "invalid JSON"),
    ("entities.jsonl", '["not", "an", "object"]', "expected a JSON object"),
    ("entities.jsonl", '{"id": "x", "label": "X"}', "missing key 'type'"),
    ("entities.jsonl", '{"id": "Bad Id", "type": "Person", "label": "X"}',
     "'id' must be a lowercase slug like 'united-states', not 'Bad Id'"),
    ("entities.jsonl", '{"id": "russia", "type": "State", "label": "Russia again"}', "duplicate id 'russia'"),
    ("entities.jsonl", '{"id": "x", "type": "Wizard", "label": "X"}', "unknown type 'Wizard'"),
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": "X", "aliases": "Y"}',
     "'aliases' must be a list of non-empty strings, not 'Y'"),
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": "X", "colour": "red"}', "unknown key 'colour'"),
    ("entities.jsonl", '{"id": "x", "type": "Office", "label": "X", "aliases": ["Mr. X"], "short_forms_with": ["russia"], '
     '"context_aliases": ["Mrs. X"]}', "context alias 'Mrs. X' is not one of the 'aliases'"),
    ("entities.jsonl", '{"id": "x", "type": "Office", "label": "X", "aliases": ["Mr. X"], "context_aliases": ["Mr. X"]}',
     "'context_aliases' need 'short_forms_with'"),
    ("relations.jsonl", '{"id": "r", "kind": "cooccur", "requires": ["russia"], "triples": [["russia", "likes", "nato"]]}',
     "unknown predicate 'likes'"),
    ("relations.jsonl", '{"id": "r", "kind": "cooccur", "requires": ["atlantis"], "triples": []}',
     "unknown entity id 'atlantis'"),
    ("relations.jsonl", '{"id": "r", "kind": "pattern", "patterns": [[{"LOWER": "x"}]], "triples": [["$3", "memberOf", "nato"]]}',
     "slot '$3' does not name a token"),
    ("relations.jsonl", '{"id": "r", "kind": "telepathy", "triples": []}', "unknown kind 'telepathy'"),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "(unclosed"}', "bad regex"),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "(?P<colour>x)"}', "unknown field 'colour'"),
    ("coreference.jsonl", '{"id": "c", "forms": ["we"], "resolves_to": "the-moon"}', "'resolves_to' must be"),
])
def test_malformed_line_fails_with_file_and_line(rules_dir: Path, file: str, line: str, message: str) -> None:
    number = append(rules_dir / file, line)
    with pytest.raises(BadInput) as caught:
        load_rules(rules_dir)
    assert caught.value.message.startswith(f"{file}:{number}: ")
    assert message in caught.value.message
    assert str(number) in caught.value.hint


DAMAGED = "the regex repeats without bound a part that itself repeats (as '(a+)+' does), which can take exponential " \
    "time on a line it does not match; make the inner repetition possessive ('a++') or atomic ('(?>a+)')"
PATTERN = '{"id": "r", "kind": "pattern", "triples": [["$0", "memberOf", "$1"]], "patterns": [[{"ENT_CLASS": "State"}, '


@pytest.mark.parametrize(("file", "line", "message"), [
    ("entities.jsonl", "[" * 50_000 + "]" * 50_000, "invalid JSON (lists or objects nested too deeply)"),
    ("relations.jsonl", PATTERN + '{"BOGUS_ATTR": "x"}]]}',
     "token pattern 1 is no spaCy Matcher pattern (token 2, 'BOGUS_ATTR': Extra inputs are not permitted)"),
    ("relations.jsonl", PATTERN + '{"LOWER": "x", "OP": "%%"}]]}',
     "token pattern 1 is no spaCy Matcher pattern (token 2, 'OP': Input should be '+', '*', '?' or '!')"),
    ("relations.jsonl", PATTERN + '{"ENT_CLASS": {"NOT_IN": ["State"]}}]]}',
     f'token pattern 1: \'ENT_CLASS\' must be an entity type or {{"IN": [types]}}, not an object (types: '
     f'{", ".join(sorted(ENTITY_TYPES))})'),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "^(a+)+$"}', DAMAGED),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "^(?:\\\\w{1,9}\\\\s?)*!"}', DAMAGED),
    ("time.jsonl", '{"id": "t", "kind": "decade", "regex": "(?:x|(?P<year>y+))+z"}', DAMAGED),
])
def test_a_rule_that_would_fail_or_hang_the_extractor_is_refused(rules_dir: Path, file: str, line: str,
                                                                  message: str) -> None:
    path = rules_dir / file
    number = append(path, line)
    with pytest.raises(BadInput) as caught:
        load_rules(rules_dir)
    assert caught.value.message == f"{path.name}:{number}: {message}"


@pytest.mark.parametrize("regex", ["^(a++)+$", "^((?>a+)b)+$", r"(?:\w+\s){1,3}x", "(?:a{2})+", "^(?:ab?)+$"])
def test_a_repetition_that_cannot_backtrack_into_itself_is_allowed(rules_dir: Path, regex: str) -> None:
    append(rules_dir / "paratext.jsonl", json.dumps({"id": "p", "kind": "x", "regex": regex}))
    assert load_rules(rules_dir).paratext[-1].regex.pattern == regex


def loop(path: Path) -> None:
    path.symlink_to(path.name)


@pytest.mark.parametrize(("name", "damage", "message"), [
    ("time.jsonl", loop, "time.jsonl: cannot read the rules file (Too many levels of symbolic links)"),
    ("time.jsonl", Path.mkdir, "time.jsonl: is not a regular file"),
    ("discovery.jsonl", Path.mkdir, "discovery.jsonl: is not a regular file"),  # optional: the shipped one stood in
    ("discovery.jsonl", loop, "discovery.jsonl: cannot read the rules file (Too many levels of symbolic links)"),
    ("wikidata.jsonl", Path.mkdir, "wikidata.jsonl: is not a regular file"),  # optional: no links
    ("gazetteer", Path.touch, "gazetteer: is not a folder"),  # optional: the shipped one stood in
])
def test_a_damaged_rules_file_is_named(rules_dir: Path, name: str, damage: Callable[[Path], None], message: str) -> None:
    target = rules_dir / name
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    damage(target)
    with pytest.raises(BadInput) as caught:
        load_rules(rules_dir)
    assert caught.value.message == f"{rules_dir}/{message}"


ENTITY_KEYS = ("aliases, aliases_ci, context_aliases, demonyms, end, id, label, min_mentions, note, short_forms_with, start, "
               "type")
NAMED_TYPES = ", ".join(sorted(set(ENTITY_TYPES) - {"Actor"}))  # the types an entity can have
STANCE = '{"id": "s", "cues": ["likes"], "stance": "Supports"'
PREDICATE = '{"id": "p", "lemmas": ["like"], "stance": "Supports"'
CLASS = '{"type": "Person", "qid": "Q5", "label": "human", "evidence": {"repo": "r", "path": "p", "excerpt": "Q5 human"}'
LINKED = ('{"id": "andrei-kozyrev", "qid": "Q1", "match": "exactMatch", "expected_class": "human", '
          '"evidence": {"repo": "r", "path": "p", "excerpt": "Q1 x"}')


@pytest.mark.parametrize(("file", "line", "message"), [
    # the gazetteers: a typo'd key is named before the key it leaves missing
    ("entities.jsonl", '{"id": "x", "type": "Person", "lable": "X"}', f"unknown key 'lable' (allowed: {ENTITY_KEYS})"),
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": "X", "min_mentions": "2"}',
     "'min_mentions' must be an integer, not '2'"),
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": " "}', "'label' must be a non-empty string, not ' '"),
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": "X", "aliases": ["Y", ""]}',
     "'aliases' must be a list of non-empty strings"),
    ("entities.jsonl", '{"id": "x", "type": "Person", "label": "X", "start": "1945/06"}',
     "'start' must be an ISO date YYYY, YYYY-MM or YYYY-MM-DD, not '1945/06'"),
    ("entities.jsonl", '{"id": "x", "type": null, "label": "X"}', f"'type' must be one of: {NAMED_TYPES}; not null"),
    ("gazetteer/states.jsonl", '{"id": "x", "type": "State", "label": "X", "demonym": ["X"]}',
     f"unknown key 'demonym' (allowed: {ENTITY_KEYS})"),
    # paratext.jsonl
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "x", "flags": "m"}', "unknown key 'flags' (allowed: annotate, id, "
     "kind, max_length, note, produces, regex, repeats, scope, starts_trailer)"),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "x", "starts_trailer": "yes"}',
     "'starts_trailer' must be true or false, not 'yes'"),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "x", "scope": "page"}',
     "'scope' must be line, inline or first, not 'page'"),
    ("paratext.jsonl", '{"id": "p", "kind": "x"}', "missing key 'regex' (only a rule with 'repeats' can do without)"),
    ("paratext.jsonl", '{"id": "p", "kind": "x", "regex": "a{99999999999}"}', "bad regex (the repetition number is too large)"),
    # coreference.jsonl
    ("coreference.jsonl", '{"id": "c", "form": ["we"], "resolves_to": "author"}',
     "unknown key 'form' (allowed: antecedents, forms, id, note, otherwise, resolves_to, sentence_initial)"),
    ("coreference.jsonl", '{"id": "c", "forms": "we", "resolves_to": "author"}',
     "'forms' must be a list of non-empty strings, not 'we'"),
    ("coreference.jsonl", '{"id": "c", "forms": ["we"], "resolves_to": "the-moon"}',
     "'resolves_to' must be author, author-state, previous-actor or previous-topic, not 'the-moon'"),
    # relations.jsonl
    ("relations.jsonl", '{"id": "r", "kind": "cue", "cue": ["joined"], "triples": []}',
     "unknown key 'cue' (allowed: cues, id, kind, note, object, patterns, requires, subject, triples)"),
    ("relations.jsonl", '{"id": "r", "kind": "cooccur", "requires": ["russia"], "triples": [["russia", "memberOf"]]}',
     "'triples' must be a list of [subject, predicate, object] triples"),
    ("relations.jsonl", '{"id": "r", "kind": "cue", "triples": [["$subject", "memberOf", "$object"]]}',
     "a cue rule needs 'cues' (lower-case words)"),
    ("relations.jsonl", '{"id": "r", "kind": "cue", "cues": ["joined"], "triples": [["$0", "memberOf", "$object"]]}',
     "slot '$0' is not available in a cue rule"),
    ("relations.jsonl", '{"id": "r", "kind": "cooccur", "triples": [["russia", "memberOf", "nato"]]}',
     "a cooccur rule needs 'requires' (entity ids)"),
    ("relations.jsonl", '{"id": "r", "kind": "pattern", "patterns": [[]], "triples": [["$0", "memberOf", "nato"]]}',
     "'patterns' must be a non-empty list of token patterns"),
    ("relations.jsonl", '{"id": "r", "kind": "pattern", "patterns": [["ORTH"]], "triples": [["$0", "memberOf", "nato"]]}',
     "'patterns' must be a list of token patterns (lists of objects)"),
    ("relations.jsonl", '{"id": "r", "kind": "cue", "cues": ["x"], "subject": "Wizard", "triples": [["$subject", "memberOf", '
     '"$object"]]}', f"unknown type 'Wizard' in 'subject' (one of: {', '.join(sorted(ENTITY_TYPES))})"),
    # time.jsonl
    ("time.jsonl", '{"id": "t", "kind": "decade", "regex": "x", "flags": "i"}',
     "unknown key 'flags' (allowed: attach, dates_events, id, kind, note, numbers, parts, regex)"),
    ("time.jsonl", '{"id": "t", "kind": "years-ago", "regex": "x", "numbers": {"two": "2"}}',
     "'numbers' must be an object mapping words to integers"),
    ("time.jsonl", '{"id": "t", "kind": "century-part", "regex": "x", "parts": {"early": [0]}}',
     "'parts' must be an object mapping a part's name to two numbers: the [first, last] years of a century, "
     "months of a season, days of a month, weeks back, or the [month, day] of a holiday"),
    ("time.jsonl", '{"id": "t", "kind": "millennium", "regex": "x"}', "unknown kind 'millennium' (one of: after-event, "
     "before-event, century, century-part, date, day-month, days-ago, decade, holiday, last-month, later, month, "
     "month-part, months-ago, next-century, opening, present, range, recent-month, rest-of-week, same, season, since-year, "
     "this-century, weeks-ago, weeks-range-ago, year, year-part, years, years-ago)"),
    ("time.jsonl", '{"id": "t", "kind": "decade", "regex": "(?P<colour>x)"}',
     "unknown field 'colour' (fields: day, last, month, number, ordinal, part, year)"),
    # stances.jsonl
    ("stances.jsonl", STANCE + ', "cue": "x"}', "unknown key 'cue' (allowed: cues, fallback_author, holder, id, kind, "
     "negated_stance, note, speech_act, stance, target, target_pronouns, target_side, verdict)"),
    ("stances.jsonl", STANCE + ', "fallback_author": 1}', "'fallback_author' must be true or false, not 1"),
    ("stances.jsonl", '{"id": "s", "cues": [], "stance": "Supports"}', "'cues' must be a list of at least one non-empty string"),
    ("stances.jsonl", STANCE.replace("Supports", "Likes") + "}",
     f"unknown stance 'Likes' (one of: {', '.join(sorted(STANCES))})"),
    ("stances.jsonl", '{"id": "s", "cues": ["likes"]}', "missing key 'stance' (a stance rule needs one)"),
    ("stances.jsonl", STANCE + ', "kind": "evaluation"}', "an evaluation needs 'verdict': agrees, disagrees or neutral"),
    ("stances.jsonl", STANCE + ', "speech_act": "song"}',
     f"unknown speech act 'song' (one of: {', '.join(sorted(SPEECH_ACTS))})"),
    # discovery.jsonl
    ("discovery.jsonl", '{"id": "d", "kind": "title", "word": ["Lord"]}',
     "unknown key 'word' (allowed: after, confidence, first, id, kind, lower_head, note, office, type, unless, words)"),
    ("discovery.jsonl", '{"id": "d", "kind": "title", "words": ["Lord"], "confidence": true}',
     "'confidence' must be a number between 0 and 1, not true"),
    ("discovery.jsonl", '{"id": "d", "kind": "title", "words": ["Lord"], "confidence": 1.5}',
     "'confidence' must be a number between 0 and 1, not 1.5"),
    ("discovery.jsonl", '{"id": "d", "kind": "default", "words": ["one"]}',
     "a default rule's 'words' are numbers of words, e.g. [\"1\"]"),
    # wikidata.jsonl: a line with a qid, or one with "qid": null and no more
    ("wikidata.jsonl", LINKED + ', "url": "u"}',
     "unknown key 'url' (allowed: evidence, expected_class, id, label, match, note, qid)"),
    ("wikidata.jsonl", LINKED.replace('"r", "path"', '"r", "url": "u", "path"') + "}",
     "'evidence' must be an object with non-empty repo, path and excerpt (where the QID stands next to the label)"),
    ("wikidata.jsonl", LINKED.replace('"human"', "5") + "}", "'expected_class' must be a string, not 5"),
    ("wikidata.jsonl", '{"id": "andrei-kozyrev", "qid": null, "match": "exactMatch"}',
     "unknown key 'match' (allowed: id, label, note, qid)"),
    ("wikidata.jsonl", '{"id": "andrei-kozyrev", "qid": "Q1", "match": "exactMatch", "expected_class": "human"}',
     "missing key 'evidence'"),
    # wikidata-classes.jsonl
    ("wikidata-classes.jsonl", CLASS + ', "url": "u"}', "unknown key 'url' (allowed: evidence, label, note, qid, type)"),
    ("wikidata-classes.jsonl", CLASS.replace('"Q5"', "5") + "}", "'qid' must be a Wikidata item id like Q159, not 5"),
    ("wikidata-classes.jsonl", CLASS.replace("Q5 human", "human") + "}", "the evidence excerpt does not show Q5"),
    # predicates.jsonl and described.jsonl
    ("predicates.jsonl", PREDICATE + ', "lemma": ["x"]}', "unknown key 'lemma' (allowed: addressed, clauses, experiencer, "
     "holder, id, intransitive, lemmas, negated_stance, note, object_lemmas, objects, passive_author, pos, preps, speech_act, "
     "stance, target, target_types, topics, "
     "when_negated)"),
    ("predicates.jsonl", PREDICATE + ', "pos": "VERB"}', "'pos' must be a list of VERB, NOUN, ADJ or ADP, not 'VERB'"),
    ("predicates.jsonl", PREDICATE + ', "pos": ["VERB", "ADV"]}',
     "unknown part of speech 'ADV' in 'pos' (one of: ADJ, ADP, NOUN, VERB)"),
    ("predicates.jsonl", PREDICATE + ', "when_negated": "keep"}', "'when_negated' must be flip or none, not 'keep'"),
    ("predicates.jsonl", '{"id": "p", "lemmas": [], "stance": "Supports"}',
     "'lemmas' must be a list of at least one non-empty string"),
    ("described.jsonl", '{"id": "h", "heads": ["x"], "type": "Group", "actors": true}',
     "unknown key 'actors' (allowed: actor, carrier, heads, id, ignore, note, type, verbs)"),
    ("described.jsonl", '{"id": "h", "heads": ["x"], "type": "Group", "actor": "yes"}',
     "'actor' must be true or false, not 'yes'"),
    ("described.jsonl", '{"id": "h", "heads": ["wizards"], "type": "Wizard"}', f"unknown type 'Wizard' (one of: {NAMED_TYPES})"),
])
def test_each_schema_error_is_one_plain_line(rules_dir: Path, file: str, line: str, message: str) -> None:
    from essay_kg.extract.rules.wikidata import load_classes

    path = rules_dir / file
    number = append(path, line)
    with pytest.raises(BadInput) as caught:
        load_classes(path) if file == "wikidata-classes.jsonl" else load_rules(rules_dir)
    assert caught.value.message == f"{path.name}:{number}: {message}"
    assert caught.value.hint == f"fix line {number} of {path}"


def test_absent_keys_read_as_the_schemas_defaults(tmp_path: Path) -> None:
    from essay_kg.extract.rules.load import load_paratext

    rules = load_rules()
    paratext = {rule.id: rule for rule in rules.paratext}
    assert paratext["footnote"].annotate and not paratext["paywall-notice"].annotate  # annotate: whether it produces
    assert paratext["running-header"].max_length == 90 and paratext["byline"].max_length == 120
    assert paratext["byline"].scope == "line" and paratext["byline"].repeats == 0
    stances = {rule.id: rule for rule in rules.stances}
    assert stances["advocate"].kind == "stance" and stances["advocate"].speech_act == "assertion"
    assert stances["advocate"].cues == ()  # kept for lead-in and counter rules only
    time = {rule.id: rule for rule in rules.time}
    assert time["part-of-last-century"].parts == {"early": (0, 33), "mid": (33, 66), "late": (66, 99)}
    assert time["years-ago"].numbers["two"] == 2 and time["present"].dates_events is False
    assert all(isinstance(rule.confidence, float) for rule in rules.discovery)
    (tmp_path / "paratext.jsonl").write_text('{"id": "header", "kind": "page-header", "repeats": 3}\n', encoding="utf-8")
    (header,) = load_paratext(tmp_path / "paratext.jsonl")
    assert header.regex.pattern == ".+" and header.regex.flags & re.MULTILINE and header.repeats == 3


def test_a_surface_form_given_to_two_entities_is_refused(rules_dir: Path) -> None:
    from essay_kg.extract.nlp import build_pipeline

    number = append(rules_dir / "entities.jsonl", '{"id": "rus", "type": "State", "label": "Russia"}')
    with pytest.raises(BadInput) as caught:
        build_pipeline(load_rules(rules_dir))
    assert caught.value.message.startswith(f"entities.jsonl:{number}: form 'Russia' of 'rus' is also a form of 'russia'")


LINK = ('{"id": "russia", "qid": "Q999999991", "match": "exactMatch", "expected_class": "sovereign state", '
        '"evidence": {"repo": "example/fixture", "path": "items.tsv", "excerpt": "Q999999991\\tRussia"}}')


@pytest.mark.parametrize(("line", "message"), [
    (LINK.replace('"russia"', '"atlantis"'), "unknown entity id 'atlantis'"),
    (LINK, "entity 'russia' is reviewed twice"),
    (LINK.replace('"Q999999991", "match"', '"159", "match"'), "'qid' must be a Wikidata item id like Q159, not '159'"),
    (LINK.replace("exactMatch", "sameAs"), "'match' must be exactMatch or closeMatch"),
    (LINK.replace('"excerpt": "Q999999991', '"excerpt": "'), "does not show Q999999991"),
    (LINK.replace('"repo": "example/fixture", ', ''), "'evidence' must be an object with non-empty repo, path and excerpt"),
])
def test_malformed_wikidata_link_fails_with_file_and_line(rules_dir: Path, line: str, message: str) -> None:
    if "twice" not in message:  # every other case is about a line for an entity not yet reviewed
        line = line.replace('"russia"', '"andrei-kozyrev"')
    number = append(rules_dir / "wikidata.jsonl", line)
    with pytest.raises(BadInput) as caught:
        load_rules(rules_dir)
    assert caught.value.message.startswith(f"wikidata.jsonl:{number}: ") and message in caught.value.message


def test_reviewed_links_build_their_own_graph(rules_dir: Path, tmp_path: Path) -> None:
    from rdflib import Dataset, URIRef
    from rdflib.namespace import SKOS

    from essay_kg.corpus.documents import build_sources

    (rules_dir / "wikidata.jsonl").write_text(LINK + "\n" + '{"id": "the-west", "qid": null, "note": "no item"}\n',
                                              encoding="utf-8")
    build_sources([], tmp_path, rules_dir)
    data = Dataset()
    data.parse(tmp_path / "kozyrev-1994.trig", format="trig")
    links = data.graph(URIRef("https://w3id.org/essay-kg/graph/links"))
    assert (URIRef("https://w3id.org/essay-kg/id/russia"), SKOS.exactMatch,
            URIRef("http://www.wikidata.org/entity/Q999999991")) in links
    facts = data.graph(URIRef("https://w3id.org/essay-kg/graph/kozyrev-1994/facts"))
    assert not list(facts.triples((None, SKOS.exactMatch, None)))  # links never mix with the facts
