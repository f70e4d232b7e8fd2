"""Offices named by their titles: whose office a title is when the text says so, one node per text when not.

The discovery rules with ``"office": true`` list the titles that name offices ("Prime Minister").
Where the text says whose office a title is — a state's demonym before it ("the British Prime
Minister"), the state's name with a possessive ("Israel's prime minister", in either case), or "of"
and the state's name after it ("the Prime Minister of Israel") — the mention is of that state's office,
one entity in every document: the gazetteer's when it has an office of that name (a label or alias
"Prime Minister of the United Kingdom", "British Prime Minister"), else a discovered one named
"{title} of {state}" (``prime-minister-of-israel``), which ``ekg:officeOf`` ties to the state.
A title of two words or more before a discovered person's name ("Prime Minister Rabin") names an
office even when it says no state: the gazetteer's office of that name if there is one, else an
office of this document only (``office/{doc}/prime-minister``), since the same words in another text
may name another state's office.
"""

from __future__ import annotations

import re

from essay_kg.extract.discovery.lexicon import SOURCE, Lexicon, in_body
from essay_kg.extract.found import Found
from essay_kg.model import Entity, Mention, Span, Statement, sentence_of, slug

_POSSESSIVE = r"['’]s"


def _states(finds: Found) -> tuple[dict[str, Entity], dict[str, Entity]]:
    """The names (label, aliases) and the demonyms of the known states, each to its state."""
    names: dict[str, Entity] = {}
    demonyms: dict[str, Entity] = {}
    for entity in sorted(finds.known.entities.values(), key=lambda e: e.id):
        if entity.type == "State":
            for name in (entity.label, *entity.aliases):
                names.setdefault(name, entity)
            for demonym in entity.demonyms:
                demonyms.setdefault(demonym, entity)
    return names, demonyms


def _alternatives(words: list[str]) -> str:
    """A regex matching any of `words` (longest first), across line breaks."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _known_offices(finds: Found) -> dict[str, str]:
    """Every name (label or alias, case-folded) of a known office, to its id."""
    return {name.casefold(): entity.id for entity in finds.every_entity.values() if entity.type == "Office"
            for name in (entity.label, *entity.aliases)}


class Offices:
    """The office mentions of one text, and the offices and `ekg:officeOf` statements they need."""

    def __init__(self, finds: Found, lexicon: Lexicon) -> None:
        self.finds = finds
        self.titles = {" ".join(words): rule for words, rule in lexicon.titles.items() if rule.office}
        self.names, self.demonyms = _states(finds)
        self.known = _known_offices(finds)
        self.labelled = {e.label.casefold(): e.id for e in finds.every_entity.values() if e.type == "Office"}
        self.found: list[Mention] = []
        self.whose: dict[tuple[str, str], list[Span]] = {}  # (office, state) -> the mentions that say so
        self.taken: list[tuple[int, int]] = [(m.span.begin, m.span.end) for m in finds.text_before]

    def free(self, begin: int, end: int) -> bool:
        """No mention found before covers any of these characters (a state's name may be one: it stays)."""
        return not any(b < end and begin < e for b, e in self.taken)

    def qualified(self) -> None:
        """Every title that says whose office it is."""
        text = self.finds.known.source.text
        flat = " ".join(text.split())  # a name broken across a line is still in the text
        names = [n for n in self.names if " ".join(n.split()) in flat]  # the alternatives the text can match: fast
        demonyms = [d for d in self.demonyms if " ".join(d.split()) in flat]
        if not self.titles or not (names or demonyms):
            return
        title = rf"(?i:(?P<title>{_alternatives(list(self.titles))}))"
        patterns = []
        if names:
            state = rf"(?P<state>{_alternatives(names)})"
            patterns += [rf"\b{state}{_POSSESSIVE}\s+{title}\b", rf"\b{title}\s+of\s+(?P<the>the\s+)?{state}\b"]
        if demonyms:
            patterns.append(rf"\b(?P<demonym>{_alternatives(demonyms)})\s+{title}\b")
        for match in sorted((m for p in patterns for m in re.finditer(p, text)), key=lambda m: (m.start(), -m.end())):
            if not self.free(*match.span("title")) or not in_body(self.finds.known, match.start()):
                continue
            words = " ".join(match.group("title").split())
            rule = next(r for t, r in self.titles.items() if t.casefold() == words.casefold())
            named = " ".join((match.groupdict().get("state") or match.group("demonym")).split())
            entity = self.names.get(named) or self.demonyms[named]
            the = "the " if match.groupdict().get("the") else ""
            office_id = self.office_of(self.title_of(words), entity, the, rule.id, rule.confidence)
            if office_id is not None:
                span = Span(match.start(), match.end(), match.group())
                self.mention(span, office_id)
                self.whose.setdefault((office_id, entity.id), []).append(span)

    def title_of(self, words: str) -> str:
        """The title as the rules write it ("prime minister" → "Prime Minister")."""
        return next(t for t in self.titles if t.casefold() == words.casefold())

    def office_of(self, title: str, state: Entity, the: str, rule_id: str, confidence: float) -> str | None:
        """The id of `state`'s office with this `title`: the known one of that name, else a new one."""
        forms = [f"{title} of {article}{name}" for name in (state.label, *state.aliases) for article in ("", "the ")]
        forms += [f"{demonym} {title}" for demonym in state.demonyms]
        known = next((self.known[f.casefold()] for f in forms if f.casefold() in self.known), None)
        if known is not None:
            return known
        label = f"{title} of {the}{state.label}"
        office_id = slug(label)
        existing = self.finds.every_entity.get(office_id)
        if existing is not None and existing.type != "Office":
            return None
        if existing is None:
            self.finds.add_entity(Entity(office_id, "Office", label, source=SOURCE, discovered=True,
                                         confidence=confidence, rule_id=f"{SOURCE}#{rule_id}"))
            self.known[label.casefold()] = office_id
        return office_id

    def mention(self, span: Span, office_id: str) -> None:
        extraction = self.finds.known
        self.taken.append((span.begin, span.end))
        self.found.append(Mention(span, office_id, "discovered", self.finds.every_entity[office_id].rule,
                                  sentence_of(extraction.sentences, span.begin)))

    def unqualified(self, title: str) -> None:
        """A title said of a discovered person, with no state: the known office labelled so, else this text's (a
        gazetteer's office that has the bare title only as an alias, "Foreign Minister", is some state's)."""
        rule = self.titles[title]
        office_id = self.labelled.get(title.casefold())
        if office_id is None:
            office_id = f"office/{self.finds.known.source.metadata.doc_id}/{slug(title)}"
            if office_id not in self.finds.every_entity:
                self.finds.add_entity(Entity(office_id, "Office", title, source=SOURCE, discovered=True,
                                             confidence=rule.confidence, rule_id=f"{SOURCE}#{rule.id}"))
        text = self.finds.known.source.text
        for match in re.finditer(rf"\b{_alternatives([title])}\b", text):
            if self.free(match.start(), match.end()) and in_body(self.finds.known, match.start()):
                self.mention(Span(match.start(), match.end(), match.group()), office_id)

    def statements(self) -> list[Statement]:
        """`ekg:officeOf` for each office found with whose it is, with the mentions that say so as evidence."""
        return [Statement(office, "ekg:officeOf", state, f"{SOURCE}#office-of-state", tuple(spans))
                for (office, state), spans in sorted(self.whose.items())]


def office_mentions(finds: Found, lexicon: Lexicon, titles: list[str]) -> list[Mention]:
    """The offices of one text (`titles`: the office titles said of discovered people), recorded in `finds`
    with their `ekg:officeOf` statements; their mentions."""
    offices = Offices(finds, lexicon)
    offices.qualified()
    for title in sorted(set(titles), key=lambda t: (-len(t), t)):
        offices.unqualified(title)
    finds.statements += offices.statements()
    return offices.found
