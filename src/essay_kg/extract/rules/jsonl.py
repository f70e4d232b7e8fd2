"""The one reader of the rule files' JSON Lines, each line checked by its schema, and the `file:line` errors of every loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from essay_kg.errors import BadInput
from essay_kg.extract.rules.fields import explain
from essay_kg.extract.rules.schema import Line

L = TypeVar("L", bound=Line)


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Parse a JSONL file into (line number, object) pairs, failing with file:line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: rules file not found", "restore it from the repository or pass --rules DIR") from None
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 ({err.reason})", "save the rules file as UTF-8") from None
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            raise bad_line(path, number, f"invalid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(value, dict):
            raise bad_line(path, number, "expected a JSON object")
        rows.append((number, value))
    return rows


def read_lines(path: Path, schema: type[L], context: dict[str, Any] | None = None) -> list[tuple[int, L]]:
    """The lines of a JSONL file, each validated by `schema` (or the one it picks for the line) with `context`
    and the line's number (``line``)."""
    lines = []
    for number, row in read_jsonl(path):
        model = schema.schema_for(row)
        try:
            lines.append((number, model.model_validate(row, context={**(context or {}), "line": number})))
        except ValidationError as err:
            raise bad_line(path, number, explain(err, model)) from None
    return lines


def bad_line(path: Path, line: int, what: str) -> BadInput:
    return BadInput(f"{path.name}:{line}: {what}", f"fix line {line} of {path}")


def field_of(row: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path, line: int,
         default: Any = ..., ) -> Any:
    if key not in row:
        if default is ...:
            raise bad_line(path, line, f"missing key '{key}'")
        return default
    value = row[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise bad_line(path, line, f"'{key}' must be {names}, not {type(value).__name__}")
    return value


def string_list(row: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    values = field_of(row, key, list, path, line, [])
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise bad_line(path, line, f"'{key}' must be a list of non-empty strings")
    return tuple(values)


def check_keys(row: dict[str, Any], allowed: set[str], path: Path, line: int) -> None:
    unknown = sorted(set(row) - allowed)
    if unknown:
        raise bad_line(path, line, f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")
