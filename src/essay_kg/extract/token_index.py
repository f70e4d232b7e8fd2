"""The parsed tokens of a text's body by their offset in the source, and the clause each belongs to."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from essay_kg.model import Block

CLAUSE_HEADS = frozenset({"ROOT", "conj", "advcl", "ccomp", "relcl", "parataxis"})
MAIN_CLAUSES = frozenset({"ROOT", "conj", "parataxis"})  # coordinated clauses; the others share their time


class ParsedTokens:
    """The parsed tokens of the body by their offset in the source."""

    def __init__(self, syntax: list[tuple[Block, Doc]]) -> None:
        self.offsets: list[int] = []
        self.tokens: list[Token] = []
        for block, doc in sorted(syntax, key=lambda pair: pair[0].span.begin):  # blocks do not overlap; a doc's
            base = block.span.begin                                                # tokens come in text order
            self.offsets += [base + token.idx for token in doc]
            self.tokens += list(doc)

    def within(self, begin: int, end: int) -> list[Token]:
        return self.tokens[bisect_left(self.offsets, begin):bisect_left(self.offsets, end)]

    def at(self, offset: int) -> Token | None:
        index = bisect_left(self.offsets, offset)
        return self.tokens[index] if index < len(self.offsets) and self.offsets[index] == offset else None

    def clause(self, offset: int, heads: frozenset[str] = CLAUSE_HEADS) -> int | None:
        """The offset of the verb heading the clause of the token at `offset` (None: no parsed token there);
        `heads`: the dependencies that begin a clause of their own."""
        start = token = self.at(offset)
        if token is None:
            return None
        while not (token.dep_ in heads and token.pos_ in {"VERB", "AUX"}) and token.head.i != token.i:
            token = token.head
        return offset + token.idx - start.idx

    def relative_clause(self, offset: int, heads: frozenset[str] = MAIN_CLAUSES) -> tuple[int, int] | None:
        """The character range of the relative clause the token at `offset` lies in, below its clause of `heads`
        ("the meeting in Oslo, which I attended on 20 May": "which … May"); None outside one."""
        token = self.at(offset)
        if token is None:
            return None
        base = offset - token.idx
        while not (token.dep_ in heads and token.pos_ in {"VERB", "AUX"}) and token.head.i != token.i:
            if token.dep_ == "relcl":
                last = token.right_edge
                return base + token.left_edge.idx, base + last.idx + len(last.text)
            token = token.head
        return None

    def qualifies(self, begin: int, end: int, deps: frozenset[str]) -> bool:
        """Whether the words at [begin, end) only qualify another noun: each of their tokens hangs from one of
        them or, by one of `deps`, from a noun outside ("NATO" in "a permanent NATO presence")."""
        inside = self.within(begin, end)
        indices = {t.i for t in inside}
        return bool(inside) and all((t.head.i in indices and t.head.i != t.i)
                                    or (t.dep_ in deps and t.head.pos_ in {"NOUN", "PROPN"}) for t in inside)
