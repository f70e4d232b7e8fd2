"""The building blocks of the line schemas: the field types they share, the checks that read the validation
context, and their errors in plain words.

A line is a pydantic model (`schema.Line`) that refuses unknown keys and coerces nothing (``"1"`` is not ``1``).
Validation fails with pydantic's `ValidationError`; `explain` turns its first error into the one
sentence a user reads after ``file:line:``.  Each field says what it must be (its ``description``)
and, for a closed set of words, what a wrong word is called (its ``title``: "unknown stance 'Likes'").
"""

import json
from types import NoneType
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, Field, ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticCustomError

from essay_kg.model import ENTITY_TYPES

RULE = "rule"  # the error type of the schemas' own rules, whose message is already the sentence to show


def rule_error(message: str) -> PydanticCustomError:
    """A broken rule of the file format, worded as the user will read it."""
    return PydanticCustomError(RULE, "{message}", {"message": message})


Text = Annotated[str, Field(pattern=r"\S", description="a non-empty string")]
Strings = Annotated[list[Text], Field(description="a list of non-empty strings")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", description="a lowercase slug like 'united-states'")]
IsoDate = Annotated[str | None, Field(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?)?\Z",
                                      description="an ISO date YYYY, YYYY-MM or YYYY-MM-DD")]
NamedType = Literal[tuple(sorted(set(ENTITY_TYPES) - {"Actor"}))]  # a type an entity can have


def first_time(value: str, info: ValidationInfo, what: str) -> str:
    """`value` unless an earlier line of the file had it: ``seen`` in the context maps values to lines."""
    line = info.context["line"]
    first = info.context["seen"].setdefault(value, line)
    if first != line:
        raise rule_error(what.format(value=value, first=first))
    return value


def explain(error: ValidationError, schema: type[BaseModel]) -> str:
    """The first thing wrong with a line, in one sentence: an unknown key first, else the first field's problem."""
    errors = error.errors(include_url=False)
    first = min(errors, key=lambda e: e["type"] != "extra_forbidden")
    return _sentence(first, schema)


TYPE_WORDS = {"string_type": "a string", "int_type": "an integer", "float_type": "a number", "bool_type": "true or false",
              "list_type": "a list", "dict_type": "an object", "model_type": "an object", "model_attributes_type": "an object"}


def _sentence(error: ErrorDetails, schema: type[BaseModel]) -> str:
    kind, loc, value = error["type"], error["loc"], error["input"]
    key, nested = (str(loc[0]), len(loc) > 1) if loc else ("", False)
    if kind == "extra_forbidden" and not nested:
        return f"unknown key '{key}' (allowed: {', '.join(sorted(schema.model_fields))})"
    field = schema.model_fields.get(key)
    if kind == RULE or field is None:
        return error["msg"]
    if kind == "missing" and not nested:
        return f"missing key '{key}'"
    if kind == "literal_error":
        return _unknown_word(field, key, value, nested)
    what = field.description or TYPE_WORDS.get(kind)
    if what is None:
        return f"'{key}': {error['msg']}"
    if nested or (kind not in TYPE_WORDS and isinstance(value, list | dict)):  # "a list of at least one …, not a list"
        return f"'{key}' must be {what}"
    return f"'{key}' must be {what}, not {shown(value)}"


def _unknown_word(field: FieldInfo, key: str, value: Any, nested: bool) -> str:
    """A word outside a closed set: "unknown stance 'Likes' (one of: …)", or "'scope' must be line or inline"."""
    words = choices(field.annotation)
    if field.title:  # a long list: sorted, to be scanned
        listed = ", ".join(sorted(words, key=lambda word: (word == "null", word)))
        if not isinstance(value, str):
            return f"'{key}' must {'list only' if nested else 'be one of'}: {listed}; not {shown(value)}"
        return f"unknown {field.title} {shown(value)}{f' in {key!r}' if nested else ''} (one of: {listed})"
    either = " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
    return f"'{key}' must be {either}, not {shown(value)}"


def choices(annotation: Any) -> list[str]:
    """The words a `Literal` field takes (in a list, or with null), as written in the file."""
    if get_origin(annotation) is Literal:
        return ["null" if word is None else str(word) for word in get_args(annotation)]
    if annotation is NoneType:
        return ["null"]
    return [word for arg in get_args(annotation) for word in choices(arg)]


def shown(value: Any) -> str:
    """A value as the message quotes it: 'text', 5, true, null, a list, an object."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    text = f"'{value}'" if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 60 else text[:56] + "…" + text[-1]
