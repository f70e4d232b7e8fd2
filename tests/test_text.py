"""Reading the source: exact text, code-point offsets, paragraphs, sections, paratext by data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from essay_kg.extract.rules.load import load_rules
from essay_kg.text.source import layout, read_source

from conftest import ESSAY


@pytest.fixture(scope="module")
def source():
    return read_source(ESSAY, load_rules().paratext)


def test_text_is_the_raw_file_and_hash_is_of_its_bytes(source) -> None:
    raw = ESSAY.read_bytes()
    assert source.text == raw.decode("utf-8")
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert len(source.text) == 26039  # code points, not bytes
    assert len(raw) == 26089


def test_every_span_reanchors(source) -> None:
    spans = [s for s in source.sections] + [b.span for b in source.blocks] + [m.span for m in source.markers]
    spans += [f for b in source.blocks for _, f in b.fields]
    assert len(spans) > 60
    for span in spans:
        assert source.text[span.begin:span.end] == span.anchor


def test_sections_are_runs_separated_by_two_blank_lines(source) -> None:
    starts = [s.anchor.split(",")[0][:30] for s in source.sections]
    assert starts == [
        "In August 1991",
        "Under its totalitarian regime",
        "The Cold War era is past",
        "Above all",
        "Russia and the United States h",
        "The prospects and benefits of ",
    ]
    paragraphs = [b for b in source.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 44
    assert [sum(1 for p in paragraphs if p.section == i) for i in range(6)] == [8, 9, 6, 9, 11, 1]


def test_paratext_is_recognised_by_the_data_patterns(source) -> None:
    kinds = [(b.kind, b.span.anchor[:24]) for b in source.blocks if b.kind != "paragraph"]
    assert kinds == [
        ("footnote", '1 Stephen Sestanovich, "'),
        ("paywall", "You are reading a free a"),
        ("subscription", "Subscribe to Foreign Aff"),
        ("subscription", "Paywall-free reading of "),
        ("subscription", "Unlock access to iOS/And"),
        ("subscription", "Six issues a year in pri"),
        ("subscription", "Subscribe Now"),
        ("byline", "Andrei Kozyrev is Minist"),
        ("translator", "This article was transla"),
        ("navigation", "More By Andrei Kozyrev"),
    ]
    assert all(not b.annotate for b in source.blocks if b.kind in {"paywall", "subscription", "navigation"})


def test_footnote_fields_and_marker(source) -> None:
    footnote = next(b for b in source.blocks if b.kind == "footnote")
    assert {k: v.anchor for k, v in footnote.fields} == {
        "number": "1", "author": "Stephen Sestanovich", "title": "Andrei the Giant",
        "venue": "The New Republic", "date": "April 11, 1994", "page": "27",
    }
    [marker] = source.markers
    assert marker.kind == "footnote-marker"
    assert source.text[marker.span.begin - 12:marker.span.end] == 'difference."1'


def test_byline_fields(source) -> None:
    byline = next(b for b in source.blocks if b.kind == "byline")
    assert dict((k, v.anchor) for k, v in byline.fields) == {
        "author": "Andrei Kozyrev", "role": "Minister of Foreign Affairs of the Russian Federation"}
    translator = next(b for b in source.blocks if b.kind == "translator")
    assert dict(translator.fields)["translator"].anchor == "Antonina W. Bouis"


def test_metadata_is_read_with_the_places_of_its_values(source) -> None:
    meta = source.metadata
    assert (meta.doc_id, meta.title, meta.date, meta.periodical) == (
        "kozyrev-1994", "The Lagging Partnership", "1994-05", "Foreign Affairs")
    for field, span in meta.spans:
        assert meta.text[span.begin:span.end] == span.anchor, field
    assert meta.span("periodical").anchor == "Foreign Affairs"


@pytest.mark.parametrize("text", [
    "\ufeffFirst para.\r\n\r\nSecond\r\npara.\r\n",
    "Lone\rCR line.\r\rNext.",
    "Emoji 🇷🇺 and combining é marks.\n\n\nNew section with 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.",
])
def test_offsets_survive_bom_crlf_and_astral_characters(text: str) -> None:
    sections, blocks, _ = layout(text, load_rules().paratext)
    assert blocks
    for span in [*sections, *(b.span for b in blocks)]:
        assert text[span.begin:span.end] == span.anchor


def test_hard_wrapped_paragraph_is_one_block(tmp_path: Path) -> None:
    text = "The United\nStates and Russia\nagree.\n\nNext paragraph."
    sections, blocks, _ = layout(text, load_rules().paratext)
    assert [b.span.anchor for b in blocks] == ["The United\nStates and Russia\nagree.", "Next paragraph."]
    assert len(sections) == 1
