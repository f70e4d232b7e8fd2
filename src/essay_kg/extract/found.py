"""What one extraction step finds: its own working copy, handed back whole when the step ends.

A step reads the `Extraction` found before it (never changing it), records what it finds
here, and returns `result()`: a new `Extraction` with the step's entities, mentions,
statements and quotations added.  `extract.run` shows the steps in order.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from essay_kg.model import Entity, Extraction, Mention, Span, Statement


@dataclass
class Found:
    """The finds of one step over `known` (read only)."""

    known: Extraction
    entities: dict[str, Entity] = field(default_factory=dict)  # new entities, by id
    before: list[Mention] = field(default_factory=list)  # the mentions found before the step, as this step leaves them
    mentions: list[Mention] = field(default_factory=list)  # this step's mentions
    statements: list[Statement] = field(default_factory=list)
    quotations: list[tuple[Span, str]] = field(default_factory=list)
    author_id: str | None = None
    unplaced: dict[str, int] = field(default_factory=dict)

    @classmethod
    def on(cls, extraction: Extraction) -> Found:
        return cls(extraction, before=list(extraction.mentions), author_id=extraction.author_id,
                   unplaced=dict(extraction.unplaced))

    @property
    def every_entity(self) -> Mapping[str, Entity]:
        """The entities known before the step and those it added (in that order)."""
        view = self.__dict__.get("_every")
        if view is None:
            view = self.__dict__["_every"] = ChainMap(self.entities, self.known.entities)
        return view

    @property
    def every_mention(self) -> list[Mention]:
        """The mentions found before the step (as it leaves them), then its own."""
        return self.before + self.mentions

    @property
    def text_before(self) -> list[Mention]:
        """The mentions found before the step in the source text, not in its metadata file (whose offsets are
        that file's)."""
        return [m for m in self.before if not m.span.context]

    def add_entity(self, entity: Entity) -> None:
        self.entities[entity.id] = entity

    def result(self) -> Extraction:
        """The extraction with everything this step found."""
        return replace(self.known, entities={**self.known.entities, **self.entities},
                       mentions=(*self.before, *self.mentions),
                       statements=(*self.known.statements, *self.statements),
                       quotations=(*self.known.quotations, *self.quotations),
                       author_id=self.author_id, unplaced=self.unplaced)
