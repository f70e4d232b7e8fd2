"""Names built on a head word ("Council", "Bank", "Ministers"): how far such a name reaches, and its label.

A head word takes the known name before it ("Uruguay Round") or after its "of" ("Central Bank of Chad",
"the Presidents of Chad, Mali and Niger"); alone, it names nothing. A head word its rule calls a common
noun is written in lower case in the label ("Nordic allies"), so that one name is one label however a text
capitalises it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from essay_kg.extract.discovery.lexicon import Lexicon

OF_WORDS = {"of", "for"}


class Name(NamedTuple):
    """A name found in tokens [first, last) of a parsed block, with the type a rule gives it."""

    first: int
    last: int
    type: str
    confidence: float
    rule: str
    title: tuple[str, ...] | None


def widened(name: Name, doc: Doc, taken: dict[int, int], lexicon: Lexicon) -> Name | None:
    """A head-word name with the known name before it ("Uruguay Round") or after its "of" ("Central Bank of Chad");
    None for a head word alone."""
    if name.rule in lexicon.head_rules and name.first > 0 and name.first - 1 in taken \
            and doc[name.first - 1].whitespace_ == " ":  # "Uruguay Round": a known name inside a longer one
        first = min(i for i, b in taken.items() if b == taken[name.first - 1])
        while first > 0 and first - 1 not in taken and doc[first - 1].text in lexicon.modifiers \
                and doc[first - 1].whitespace_ == " ":
            first -= 1  # "South China Sea": a modifier before the known name belongs to the name
        return name._replace(first=first)
    after = name.last + 1
    if name.rule in lexicon.head_rules and after < len(doc) and doc[name.last].text in OF_WORDS and after in taken \
            and (name.last - name.first > 1 or not doc[name.first].is_sent_start):
        # "Central Bank of Chad", "the Presidents of Chad": the known name after "of" belongs to it
        last = max(i for i, b in taken.items() if b == taken[after]) + 1
        head = lexicon.heads.get(doc[name.last - 1].text)
        while head is not None and head.type == "Group":  # "the Presidents of Chad, Mali and Niger": all of them
            joint = last + (last < len(doc) and doc[last].text == ",")
            joint += joint < len(doc) and doc[joint].lower_ == "and"
            if joint == last or joint not in taken:
                break
            last = max(i for i, b in taken.items() if b == taken[joint]) + 1
        return name._replace(last=last)
    if name.rule in lexicon.head_rules and name.last - name.first == 1:
        return None  # "Congress" alone: a common head word, known to the gazetteer if it matters
    return name


def common_head(label: str, lexicon: Lexicon) -> str:
    """The label with a head word that its rule calls a common noun in lowercase ("Nordic Allies" → "Nordic allies"):
    one label for a name that texts capitalise differently, as its IRI is one."""
    head, _, last = label.rpartition(" ")
    rule = lexicon.heads.get(last)
    return f"{head} {last.lower()}" if head and rule is not None and rule.lower_head else label
