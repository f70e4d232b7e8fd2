"""The one reader of the rule files' JSON Lines: each line parsed and checked by its schema, or `file:line: what is wrong`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from essay_kg.errors import BadInput
from essay_kg.extract.rules.fields import explain
from essay_kg.extract.rules.schema import Line
from essay_kg.files import check_regular

L = TypeVar("L", bound=Line)


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Parse a JSONL file into (line number, object) pairs, failing with file:line."""
    check_regular(path, "a rules file in JSON Lines")
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: rules file not found", "restore it from the repository or pass --rules DIR") from None
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 ({err.reason})", "save the rules file as UTF-8") from None
    except OSError as err:  # a symbolic link to itself, a folder, a file that may not be read
        raise BadInput(f"{path}: cannot read the rules file ({err.strerror or err})",
                       "put a JSON Lines file there, or pass --rules a folder of readable files") from None
    rows = []
    for number, line in enumerate(raw.split("\n"), start=1):  # a U+2028 inside a JSON string ends no line
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            raise _wrong(path, number, f"invalid JSON ({err.msg} at column {err.colno})") from None
        except RecursionError:  # "[[[[…" fifty thousand deep
            raise _wrong(path, number, "invalid JSON (lists or objects nested too deeply)") from None
        if not isinstance(value, dict):
            raise _wrong(path, number, "expected a JSON object")
        rows.append((number, value))
    return rows


def present(path: Path) -> bool:
    """Whether anything is at `path`: a file, but also a folder or a symbolic link (one that leads nowhere too),
    which the reader then refuses by name rather than reading another file in its place."""
    return os.path.lexists(path)


def read_lines(path: Path, schema: type[L], context: dict[str, Any] | None = None) -> list[tuple[int, L]]:
    """The lines of a JSONL file, each validated by `schema` (or the one it picks for the line) with `context`
    and the line's number (``line``)."""
    lines = []
    for number, row in read_jsonl(path):
        model = schema.schema_for(row)
        try:
            lines.append((number, model.model_validate(row, context={**(context or {}), "line": number})))
        except ValidationError as err:
            raise _wrong(path, number, explain(err, model)) from None
    return lines


def _wrong(path: Path, line: int, what: str) -> BadInput:
    """The error for a bad line, on one line: a value quoted in `what` keeps its control characters escaped."""
    what = "".join(c if c.isprintable() else repr(c)[1:-1] for c in what)
    return BadInput(f"{path.name}:{line}: {what}", f"fix line {line} of {path}")
