"""The building blocks of the line schemas: the field types they share, the checks that read the validation
context, and their errors in plain words.

A line is a pydantic model (`schema.Line`) that refuses unknown keys and coerces nothing (``"1"`` is not ``1``).
Validation fails with pydantic's `ValidationError`; `explain` turns its first error into the one
sentence a user reads after ``file:line:``.  Each field says what it must be (its ``description``)
and, for a closed set of words, what a wrong word is called (its ``title``: "unknown stance 'Likes'").
"""

import json
import re
import re._constants as re_constants  # the parsed form of a regex, to find nested repetitions
import re._parser as re_parser
from functools import partial
from types import NoneType
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, Field, PlainValidator, ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticCustomError, PydanticKnownError

from essay_kg.model import ENTITY_TYPES

RULE = "rule"  # the error type of the schemas' own rules, whose message is already the sentence to show


def rule_error(message: str) -> PydanticCustomError:
    """A broken rule of the file format, worded as the user will read it."""
    return PydanticCustomError(RULE, "{message}", {"message": message})


def one_or_many(value: Any) -> Any:
    """A single word where a list is expected: the list of that word."""
    return [value] if isinstance(value, str) else value


def compile_regex(value: Any, flags: int, fields: frozenset[str]) -> re.Pattern[str]:
    """A line's regular expression, compiled, whose named groups must all be known fields."""
    if not isinstance(value, str):
        raise PydanticKnownError("string_type")
    try:
        regex = re.compile(value, flags)
    except (re.error, OverflowError, RecursionError) as err:  # "a{99999999999}", or thousands of nested groups
        raise rule_error(f"bad regex ({err})") from None
    unknown = sorted(set(regex.groupindex) - fields)
    if unknown:
        raise rule_error(f"unknown field '{unknown[0]}' (fields: {', '.join(sorted(fields))})")
    try:
        nested = nested_repetition(re_parser.parse(value, flags))
    except RecursionError:
        raise rule_error("bad regex (its groups are nested too deeply)") from None
    if nested:
        raise rule_error("the regex repeats without bound a part that itself repeats (as '(a+)+' does), which can take "
                         "exponential time on a line it does not match; make the inner repetition possessive ('a++') "
                         "or atomic ('(?>a+)')")
    return regex


def nested_repetition(items: Any, unbounded: bool = False) -> bool:
    r"""Whether a parsed regex has, inside a repetition without bound (`*`, `+`, `{n,}`), a repetition of its own.

    Python's `re` backtracks: on a line that fails to match, ``^(a+)+$`` tries every way of cutting a run of
    ``a`` into pieces, 2**33 of them for 34 characters.  A possessive or atomic inner part gives no way back,
    so it is allowed; so is a bounded outer repetition (``(\w+\s){1,3}``), whose cost is a small power.
    """
    for op, value in items:
        if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT):
            low, high, body = value
            if unbounded and high > 1 and high != low:  # a{2} repeats nothing in more than one way
                return True
            if nested_repetition(body, unbounded or high == re_constants.MAXREPEAT):
                return True
        elif op is re_constants.POSSESSIVE_REPEAT or op is re_constants.ATOMIC_GROUP:  # backtracks only inside itself
            if nested_repetition(value[2] if op is re_constants.POSSESSIVE_REPEAT else value):
                return True
        elif any(nested_repetition(part, unbounded) for part in _parts(op, value)):
            return True
    return False


def _parts(op: Any, value: Any) -> list[Any]:
    """The parsed sub-patterns of a regex node: a group's body, each branch, a look-around's body."""
    if op is re_constants.SUBPATTERN:
        return [value[-1]]
    if op is re_constants.BRANCH:
        return list(value[1])
    if op in (re_constants.ASSERT, re_constants.ASSERT_NOT):
        return [value[1]]
    if op is re_constants.GROUPREF_EXISTS:
        return [part for part in value[1:] if part is not None]
    return []


def regex_field(flags: int, fields: set[str]) -> Any:
    """The type of a "regex" key compiled with `flags`, whose named groups are among `fields`."""
    return Annotated[re.Pattern[str], PlainValidator(partial(compile_regex, flags=flags, fields=frozenset(fields)))]


Text = Annotated[str, Field(pattern=r"\S", description="a non-empty string")]
Strings = Annotated[list[Text], Field(description="a list of non-empty strings")]
OneOrMoreStrings = Annotated[list[Text], Field(min_length=1, description="a list of at least one non-empty string")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", description="a lowercase slug like 'united-states'")]
IsoDate = Annotated[str | None, Field(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?)?\Z",
                                      description="an ISO date YYYY, YYYY-MM or YYYY-MM-DD")]
EntityType = Literal[tuple(sorted(ENTITY_TYPES))]  # every type, "Actor" too: a constraint may name it
NamedType = Literal[tuple(sorted(set(ENTITY_TYPES) - {"Actor"}))]  # a type an entity can have
EntityTypes = Annotated[list[EntityType], BeforeValidator(one_or_many), Field(title="type")]  # one type, or a list


def first_time(value: str, info: ValidationInfo, what: str) -> str:
    """`value` unless an earlier line of the file had it: ``seen`` in the context maps values to lines."""
    line = info.context["line"]
    first = info.context["seen"].setdefault(value, line)
    if first != line:
        raise rule_error(what.format(value=value, first=first))
    return value


def known_entity(entity_id: str, info: ValidationInfo, where: str = "") -> str:
    if entity_id not in info.context["entities"]:
        raise rule_error(f"unknown entity id '{entity_id}'{where}")
    return entity_id


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


def check_token_patterns(patterns: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Relation patterns that spaCy's Matcher takes: its own check (``validate_token_pattern``) on each, with the
    shortcuts ``ENT_CLASS`` (an entity type, or ``{"IN": [types]}``) and ``ENT_ID`` (an entity id) checked here."""
    from spacy.schemas import validate_token_pattern  # spaCy is loaded by every command that reads the rules

    for number, pattern in enumerate(patterns, start=1):
        if not pattern:
            continue  # the line's own check says that a pattern is empty
        plain = []
        for token in pattern:
            token = dict(token)
            if "ENT_CLASS" in token:
                wanted = token.pop("ENT_CLASS")
                names = wanted.get("IN") if isinstance(wanted, dict) and set(wanted) == {"IN"} else [wanted]
                if not isinstance(names, list) or not all(isinstance(n, str) and n in ENTITY_TYPES for n in names):
                    raise rule_error(f"token pattern {number}: 'ENT_CLASS' must be an entity type or "
                                     f'{{"IN": [types]}}, not {shown(wanted)} (types: {", ".join(sorted(ENTITY_TYPES))})')
                token["ENT_TYPE"] = {"IN": names}
            if "ENT_ID" in token and not isinstance(token["ENT_ID"], str):
                raise rule_error(f"token pattern {number}: 'ENT_ID' must be an entity id, not {shown(token['ENT_ID'])}")
            plain.append(token)
        if problems := validate_token_pattern(plain):
            where, _, what = problems[0].partition("] ")  # "[pattern -> 1 -> OP -> str-enum[…]] Input should be …"
            token_key = where.strip("[").split(" -> ")[1:3]
            said = (f"token {int(token_key[0]) + 1}" if token_key and token_key[0].isdigit() else "") + \
                "".join(f", '{key}'" for key in token_key[1:])
            raise rule_error(f"token pattern {number} is no spaCy Matcher pattern ({said}: {what})".replace("(: ", "("))
    return patterns
