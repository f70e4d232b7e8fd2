"""The parse cache: a parse read back is the parse made, a graph built from it is byte-identical, and the cache
only ever saves time (a damaged entry is parsed again, an unwritable folder is skipped, "off" keeps nothing)."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from essay_kg.errors import EnvironmentProblem
from essay_kg.extract.parse import check_model, load_model, parse_texts
from essay_kg.extract.parse_cache import SETTING, pipeline_fingerprint
from essay_kg.shipped import DEFAULT_MODEL

REPO = Path(__file__).resolve().parents[1]
TEXTS = ["Paris, Berlin and London welcomed the plan of the Union, but we did not support the withdrawal of the troops.",
         "On 14 July 2015, President Chadi signed the accord in Paris; two years ago the talks failed in Berlin.",
         "The Foreign Ministers of Mali, Niger and Benin met in Gao. They rejected the proposal outright."]
READ = ("text", "whitespace_", "lemma_", "pos_", "tag_", "dep_", "ent_type_", "ent_iob_", "is_stop", "like_num", "is_title",
        "is_alpha", "is_punct", "norm_", "lower_", "shape_", "is_sent_start", "idx", "ent_kb_id_", "morph")


def analysis(docs: list) -> list:
    """Every attribute of every token the rules read, and the spans spaCy derives from them."""
    return [([(*(str(getattr(t, name)) for name in READ), t.head.i) for t in doc],
             [(c.start, c.end) for c in doc.noun_chunks], [(s.start, s.end) for s in doc.sents],
             [(e.start, e.end, e.label_) for e in doc.ents]) for doc in docs]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.spacy"))


def test_a_kept_parse_is_the_parse_made_and_names_the_same_pipeline(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(SETTING, str(tmp_path))
    made, info = parse_texts(TEXTS, DEFAULT_MODEL)
    (kept,) = entries(tmp_path)
    read, again = parse_texts(TEXTS, DEFAULT_MODEL)
    nlp, loaded = load_model(DEFAULT_MODEL)
    assert made[0].vocab is nlp.vocab and read[0].vocab is not nlp.vocab  # the second came from the cache
    assert analysis(read) == analysis(made)
    assert ("welcome", "VERB", "ROOT") in {(t.lemma_, t.pos_, t.dep_) for t in read[0]}
    assert {(e.text, e.label_) for e in read[1].ents} >= {("14 July 2015", "DATE"), ("Paris", "GPE")}
    assert info == again == loaded  # the graph records the same pipeline either way
    assert entries(tmp_path) == [kept]


def test_other_texts_or_another_order_are_parsed_anew(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(SETTING, str(tmp_path))
    parse_texts(TEXTS, DEFAULT_MODEL)
    docs, _ = parse_texts(TEXTS[::-1], DEFAULT_MODEL)
    assert [d.text for d in docs] == TEXTS[::-1]
    assert len(entries(tmp_path)) == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(SETTING, str(tmp_path))
    made, _ = parse_texts(TEXTS, DEFAULT_MODEL)
    (kept,) = entries(tmp_path)
    for damage in (b"", b"not a parse", kept.read_bytes()[: len(kept.read_bytes()) // 2]):
        kept.write_bytes(damage)
        docs, _ = parse_texts(TEXTS, DEFAULT_MODEL)
        assert analysis(docs) == analysis(made)
        assert kept.stat().st_size > len(damage)  # written whole again


def test_off_keeps_nothing_and_an_unwritable_folder_only_costs_time(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(SETTING, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    parse_texts(TEXTS, DEFAULT_MODEL)
    assert not (tmp_path / "xdg").exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv(SETTING, str(blocked))
    docs, _ = parse_texts(TEXTS, DEFAULT_MODEL)
    assert [d.text for d in docs] == TEXTS and blocked.read_text(encoding="utf-8") == "in the way"


def test_the_default_folder_is_under_the_users_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(SETTING, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parse_texts(TEXTS[:1], DEFAULT_MODEL)
    assert len(entries(tmp_path / "essay-kg" / "parses")) == 1


def test_the_pipeline_is_checked_without_loading_it_and_a_changed_file_is_another_key(tmp_path) -> None:
    check_model(DEFAULT_MODEL)  # installed, with every component the rules read
    with pytest.raises(EnvironmentProblem, match="not installed"):
        check_model("no_such_spacy_pipeline_xyz")
    nlp, _ = load_model(DEFAULT_MODEL)
    copy = tmp_path / "pipeline"
    nlp.to_disk(copy)
    first = pipeline_fingerprint(str(copy), "3")
    assert first is not None and first[1].package == "en_" + nlp.meta["name"]
    changed = (copy / "tokenizer").stat().st_mtime_ns + 10**9
    os.utime(copy / "tokenizer", ns=(changed, changed))  # the same bytes, written again later
    pipeline_fingerprint.cache_clear()
    second = pipeline_fingerprint(str(copy), "3")
    assert second is not None and second[0] != first[0] and second[1] == first[1]
    assert pipeline_fingerprint(str(copy), "4")[0] != second[0]  # another spaCy version


def test_a_build_from_kept_parses_is_byte_identical_to_the_committed_graphs(tmp_path) -> None:
    """Two cold builds of the shipped essay in new processes sharing one empty cache: the first parses and keeps,
    the second reads; both give the committed files, byte for byte; --no-parse-cache keeps nothing."""
    env = {**os.environ, SETTING: str(tmp_path / "cache")}
    for run in ("first", "second"):
        done = subprocess.run([sys.executable, "-m", "essay_kg", "build", "--out", str(tmp_path / run)], env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert len(entries(tmp_path / "cache")) == 1
        names = sorted(p.name for p in (tmp_path / run).iterdir())
        assert names == ["kozyrev-1994.nq", "kozyrev-1994.trig", "kozyrev-1994.ttl", "wikidata-sameas.ttl"]
        same, mismatch, errors = filecmp.cmpfiles(tmp_path / run, REPO / "graphs", names, shallow=False)
        assert (same, mismatch, errors) == (names, [], [])
    env[SETTING] = str(tmp_path / "unused")
    done = subprocess.run([sys.executable, "-m", "essay_kg", "build", "--out", str(tmp_path / "third"), "--no-parse-cache"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "unused").exists()
