"""The schemas of the extractor's data files: one pydantic model per kind of line in `extract/*.jsonl`.

A model checks one line (its keys, their types, the closed sets of words, the rules that tie
fields together); the loaders turn a valid line into the rule the extractor uses.  Checks that
need more than the line (ids seen on an earlier line) read the validation context the loader
passes: ``line`` (its number) and ``seen`` (ids already read, with their line).
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from essay_kg.extract.rules.fields import (
    IsoDate,
    NamedType,
    Slug,
    Strings,
    Text,
    first_time,
)


class Line(BaseModel):
    """One line of a rules file: no unknown key, no coercion, patterns matched by Python's `re`."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re")

    @classmethod
    def schema_for(cls, row: dict[str, Any]) -> type["Line"]:
        """The schema of `row`: this one, unless a file holds more than one kind of line."""
        return cls


# --- gazetteers: entities.jsonl and gazetteer/*.jsonl ---------------------------------------------
class EntityLine(Line):
    """A gazetteer entry: an entity with its names."""

    id: Slug
    type: NamedType = Field(title="type")
    label: Text
    aliases: Strings = []
    aliases_ci: Strings = []  # matched ignoring case
    demonyms: Strings = []
    note: str = ""
    start: IsoDate = None
    end: IsoDate = None
    min_mentions: int = 1

    @field_validator("id")
    @classmethod
    def once(cls, value: str, info: ValidationInfo) -> str:
        return first_time(value, info, "duplicate id '{value}' (first on line {first})")
