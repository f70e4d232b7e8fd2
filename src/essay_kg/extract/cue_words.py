"""The words after a stance cue: those that lead into its target or turn it round (`stances.jsonl`'s
lead-in and counter words), and the phrase that names a new topic when no entity follows the cue."""

from __future__ import annotations

import re
from dataclasses import dataclass

from essay_kg.model import Span

_NOT_A_TARGET = {"it", "this", "that", "them", "these", "those", "one", "him", "her", "us", "you", "me"}
# a manner phrase between a verb and its object ("we condemn in the strongest terms the attack on …"), or after it
_IN_TERMS = r"in\s+(?:the\s+)?(?:strongest|clearest|firmest|no\s+uncertain)(?:\s+possible)?\s+terms"
_MANNER = re.compile(rf"\s*(?:{_IN_TERMS}|once\s+again)\b")
_STOP = re.compile(rf"[,.;:?!()\"“”]|\b(?:and|but|which|that|because|since|while|as|if|than|is|are|was|were|{_IN_TERMS})\b")


@dataclass(frozen=True)
class Verbs:
    """Words of `stances.jsonl` that lead into a target: "work together to create …" (lead-in) and
    "act to control …", "put an end to …" (counter: the position is against what follows)."""

    lead_in: frozenset[str] = frozenset()
    counter: frozenset[str] = frozenset()

    def countered(self, words: str) -> bool:
        """Whether a counter word stands among `words`, the words between a cue and its target."""
        return any(word in self.counter for word in re.findall(r"[a-z]+", words.lower()))


NO_VERBS = Verbs()  # no lead-in or counter words

_OPEN_ENDS = {"of", "the", "a", "an", "and", "or", "to", "for", "in", "on", "with", "its", "their", "our", "his", "her",
              "this", "that", "these", "those"}


def target_phrase(sentence: Span, cue: Span, clause_end: int, verbs: Verbs = NO_VERBS) -> Span | None:
    """The words after a cue up to the first stop word or punctuation (at most six words after
    the words that lead into them: "work together to create a common market")."""
    rest = sentence.anchor[cue.end - sentence.begin:clause_end - sentence.begin]
    manner = _MANNER.match(rest)
    if manner:
        rest = " " * manner.end() + rest[manner.end():]  # the offsets stay those of the sentence
    stop = _STOP.search(rest)
    phrase = rest[: stop.start()] if stop else rest
    words = phrase.split()
    lead = {"the", "a", "an", "to", "for", "on", "of", "in", "its", "their", "our", "not", "never"}
    lead |= verbs.lead_in | verbs.counter  # the negation itself is read before the cue's words
    while words and (words[0].lower() in lead
                     or (words[0].lower() == "be" and len(words) > 1 and words[1].lower() in {"the", "a", "an"})):
        words = words[1:]  # "must not be the world's banker": the noun after "be the" is the target
    end = 6
    while end < min(len(words), 9) and words[end - 1].lower() in _OPEN_ENDS:
        end += 1  # "the idea of a new division of | Europe": a phrase does not end on "of"
    words = words[:end]
    if len(words) < 1 or words[0].lower() in _NOT_A_TARGET | {"be", "being", "been"}:
        return None
    found = re.compile(r"\s+".join(map(re.escape, words))).search(sentence.anchor, cue.end - sentence.begin)
    if found is None:  # the words as they stand in the text, line breaks and all
        return None
    return Span(sentence.begin + found.start(), sentence.begin + found.end(), found.group())
