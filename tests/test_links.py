"""The reviewed Wikidata links: well-formed, evidenced, and of a class that fits each entity's type."""

from __future__ import annotations

import json
import re

import pytest

from essay_kg.rules import load_rules

from conftest import REPO

# words one of which the item's expected class must contain, by the entity's type
FITTING_CLASSES = {
    "State": ("state", "country"),
    "Person": ("human",),
    "Place": ("region", "city", "continent", "territory", "state"),
    "InternationalOrganisation": ("organization", "organ", "union", "alliance"),
    "Topic": ("ideology", "concept", "law", "rights", "weapon", "government", "system", "policy"),
    "Office": ("position",),
    "Event": ("event", "war"),
    "Conflict": ("war", "conflict"),
}


def review_lines() -> list[dict]:
    text = (REPO / "extract" / "wikidata.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.startswith("//")]


def test_links_are_well_formed_and_evidenced() -> None:
    links = load_rules().links
    assert len(links) >= 50
    for link in links:
        assert re.fullmatch(r"Q[1-9]\d*", link.qid)
        assert link.match in {"exactMatch", "closeMatch"}
        assert link.source and re.search(rf"\bQ?{link.qid[1:]}\b", link.excerpt)
    assert len({link.id for link in links}) == len(links)


@pytest.mark.parametrize("link", load_rules().links, ids=lambda link: link.id)
def test_linked_item_class_fits_the_entity_type(link) -> None:
    entity_type = load_rules().entity(link.id).type
    assert any(word in link.expected_class.lower() for word in FITTING_CLASSES[entity_type]), (
        f"{link.id} ({entity_type}) linked to {link.qid}, a {link.expected_class}")


def test_entities_without_an_item_say_so() -> None:
    unlinked = [row for row in review_lines() if row["qid"] is None]
    assert len(unlinked) >= 5
    assert all(row["note"].startswith("no Wikidata item") for row in unlinked)
    linked = {link.id for link in load_rules().links}
    assert not linked & {row["id"] for row in unlinked}
