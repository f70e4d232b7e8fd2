"""Stored SPARQL queries: the `.rq` files of `queries/` (and `queries/checks/`).

Each file begins with a grlc-style YAML header in ``#+`` comment lines::

    #+ summary: Who opposes a target
    #+ description: …
    #+ tags: [positions]
    #+ params:
    #+   target: {type: entity, description: the target, example: csce}

followed by a SPARQL query.  Parameters follow grlc's naming: ``?_name`` is
required, ``?__name`` optional (its ``default`` comes from the header).  The
header is validated (unknown keys, a missing summary, a parameter the query
does not use → ``file:line: what is wrong``).  Values are bound as RDF terms,
never pasted into the query text.  This is the only module that reads `queries/`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.files import check_regular
from essay_kg.shipped import data_dir

HEADER_KEYS = {"summary", "description", "tags", "params", "severity", "method", "pagination", "endpoint"}
PARAM_KEYS = {"type", "description", "default", "example"}
PARAM_TYPES = {"entity", "iri", "string", "integer", "decimal", "date", "year", "boolean", "class", "property",
               "isodate", "document"}
# isodate: YYYY, YYYY-MM or YYYY-MM-DD, bound as a plain string for prefix comparison;
# document: one of the documents read, by id (my-op-ed), IRI or title (see `documents`)
SEVERITIES = {"error", "warning", "info"}
_PARAM = re.compile(r"[?$](_{1,2})([A-Za-z][A-Za-z0-9]*)\b")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Param:
    """A query parameter: ``?_name`` (required) or ``?__name`` (optional)."""

    name: str
    variable: str  # the SPARQL variable without '?', e.g. "_holder"
    required: bool
    type: str = "string"
    description: str = ""
    default: Any = None
    example: Any = None


@dataclass(frozen=True)
class StoredQuery:
    """A parsed `.rq` file."""

    name: str
    path: Path
    summary: str
    sparql: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    severity: str | None = None
    header: str = ""
    header_lines: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _bad(path: Path, line: int, what: str) -> BadInput:
    return BadInput(f"{path}:{line}: {what}", "fix the query header (see 'The query folder contract' in docs/queries.md)")


def parse_query_file(path: Path) -> StoredQuery:
    """Read a `.rq` file, validate its ``#+`` header, and find its parameters."""
    import yaml

    check_regular(path, "a .rq query file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 (byte {err.start} is 0x{err.object[err.start]:02x})",
                       "save the query file as UTF-8") from None
    except OSError as err:
        raise BadInput(f"{path}: cannot be read ({err.strerror})", "check the query file") from None
    lines = text.splitlines()
    header_lines = []
    for line in lines:
        if not line.startswith("#+"):
            break
        header_lines.append(line[2:].removeprefix(" "))
    sparql = "\n".join(lines[len(header_lines):]).strip() + "\n"
    header_text = "\n".join(header_lines)
    try:
        header = yaml.safe_load(header_text) if header_lines else {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise _bad(path, line, f"malformed YAML header ({getattr(err, 'problem', None) or err})") from None
    if not isinstance(header, dict):
        raise _bad(path, 1, "the #+ header must be a YAML mapping (key: value lines)")

    for key in header:
        if key not in HEADER_KEYS:
            raise _bad(path, _line_of(header_lines, str(key)),
                       f"unknown header key '{key}' (allowed: {', '.join(sorted(HEADER_KEYS))})")
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise _bad(path, 1, "the header has no 'summary'")
    tags = header.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _bad(path, _line_of(header_lines, "tags"), "'tags' must be a list of words")
    if not isinstance(header.get("description") or "", str):
        raise _bad(path, _line_of(header_lines, "description"),
                   f"'description' is {_yaml_kind(header['description'])}, where a text is expected")
    severity = header.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise _bad(path, _line_of(header_lines, "severity"), f"'severity' must be one of {', '.join(sorted(SEVERITIES))}")
    params = _params(path, sparql, header.get("params") or {}, header_lines)
    return StoredQuery(
        name=path.stem, path=path, summary=summary.strip(), sparql=sparql,
        description=str(header.get("description") or "").strip(), tags=tuple(tags), params=params,
        severity=severity, header=header_text, header_lines=len(header_lines),
    )


def _line_of(header_lines: list[str], key: str) -> int:
    """The header line that sets `key` (1 if none does)."""
    return next((i + 1 for i, h in enumerate(header_lines) if re.match(rf"^\s*{re.escape(key)}\s*:", h)), 1)


def _params(path: Path, sparql: str, declared: Any, header_lines: list[str]) -> tuple[Param, ...]:
    """The query's parameters (``?_name`` required first), each with what the header declares of it, checked."""
    used = {(len(underscores) == 1, name) for underscores, name in _PARAM.findall(_strip_comments(sparql))}
    if not isinstance(declared, dict):
        raise _bad(path, _line_of(header_lines, "params"),
                   "'params' must map parameter names to {type, description, default}")
    used_names = {name for _, name in used}
    for name, spec in declared.items():
        spec = spec or {}
        line = _line_of(header_lines, str(name))
        if not isinstance(spec, dict):
            raise _bad(path, line, f"parameter '{name}' must be a mapping")
        if name not in used_names:
            raise _bad(path, line, f"parameter '{name}' is not used in the query (?_{name} or ?__{name})")
        unknown = sorted(set(spec) - PARAM_KEYS, key=str)
        if unknown:
            raise _bad(path, line, f"unknown key '{unknown[0]}' for parameter '{name}'")
        _check_spec(path, line, str(name), spec)
    params = []
    for required, name in sorted(used, key=lambda u: (not u[0], u[1])):
        spec = declared.get(name) or {}
        params.append(Param(name=name, variable=("_" if required else "__") + name, required=required,
                            type=spec.get("type", "string"), description=spec.get("description", ""),
                            default=spec.get("default"), example=spec.get("example")))
    return tuple(params)


def _check_spec(path: Path, line: int, name: str, spec: dict) -> None:
    """A parameter's declared type is one word of PARAM_TYPES, its description a text, its default and example
    single values (a YAML list or mapping there is refused, naming the key)."""
    kind = spec.get("type", "string")
    if not isinstance(kind, str):
        raise _bad(path, line, f"'type' of parameter '{name}' is {_yaml_kind(kind)}, where one word is expected "
                               f"(one of {', '.join(sorted(PARAM_TYPES))})")
    if kind not in PARAM_TYPES:
        raise _bad(path, line, f"unknown type '{kind}' (one of {', '.join(sorted(PARAM_TYPES))})")
    if not isinstance(spec.get("description", ""), str):
        raise _bad(path, line, f"'description' of parameter '{name}' is {_yaml_kind(spec['description'])}, "
                               "where a text is expected")
    for key in ("default", "example"):
        if isinstance(spec.get(key), (list, dict)):
            raise _bad(path, line, f"'{key}' of parameter '{name}' is {_yaml_kind(spec[key])}, "
                                   "where one value is expected")


def _yaml_kind(value: Any) -> str:
    """What a YAML value is, in words: 'a list', 'a mapping', 'a number' …"""
    kinds = ((type(None), "empty"), (bool, "true or false"), (int, "a number"), (float, "a number"),
             (list, "a list"), (dict, "a mapping"))
    return next((word for cls, word in kinds if isinstance(value, cls)), f"a {type(value).__name__}")


def _strip_comments(sparql: str) -> str:
    """The query without ``#`` comments (outside IRIs and strings, roughly)."""
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in sparql.splitlines())


def shipped_dirs() -> list[Path]:
    """The shipped query folders: `queries/` and `queries/checks/`."""
    root = data_dir("queries")
    return [root, root / "checks"]


def check_queries(folder: Path | None = None) -> list[StoredQuery]:
    """The validation checks (`queries/checks/*.rq`), sorted by name."""
    folder = folder or data_dir("queries") / "checks"
    return [parse_query_file(path) for path in sorted(folder.glob("*.rq"))]


@dataclass
class Library:
    """All stored queries: shipped ones, shadowed by those of user folders."""

    queries: dict[str, StoredQuery]
    shadowed: list[str]

    def find(self, name: str) -> StoredQuery:
        name = _checked_name(name)
        if name not in self.queries:
            raise _unknown(name, list(self.queries))
        return self.queries[name]


def _checked_name(name: str) -> str:
    if "/" in name or "\\" in name or ".." in name or not _NAME.match(name):
        raise BadInput(f"'{name}' is not a query name (no paths, no '..')",
                       "give a name from 'essay-kg query list', e.g. actors-by-type")
    return name.removesuffix(".rq")


def _unknown(name: str, known: list[str]) -> BadInput:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "see 'essay-kg query list'"
    return BadInput(f"no stored query named '{name}'", hint)


def _checked_dirs(user_dirs: list[Path] | None) -> list[Path]:
    for folder in user_dirs or []:
        if not folder.is_dir():
            raise BadInput(f"{folder}: not a folder of queries", "pass --query-dir a folder holding .rq files")
    return [*shipped_dirs(), *(user_dirs or [])]


def find_query(name: str, user_dirs: list[Path] | None = None) -> StoredQuery:
    """One stored query by name, parsing only its own file (the last folder holding it wins, as in `load_library`)."""
    name = _checked_name(name)
    folders = _checked_dirs(user_dirs)
    for folder in reversed(folders):
        path = folder / f"{name}.rq"
        if path.is_file():
            return parse_query_file(path)
    raise _unknown(name, sorted({path.stem for folder in folders for path in folder.glob("*.rq")}))


def load_library(user_dirs: list[Path] | None = None) -> Library:
    """Read every `.rq` of the shipped folders, then of the user folders (which shadow)."""
    queries: dict[str, StoredQuery] = {}
    shadowed = []
    for folder in shipped_dirs():
        for path in sorted(folder.glob("*.rq")):
            queries[path.stem] = parse_query_file(path)
    _checked_dirs(user_dirs)
    for folder in user_dirs or []:
        for path in sorted(folder.glob("*.rq")):
            if path.stem in queries and queries[path.stem].path.parent in shipped_dirs():
                shadowed.append(path.stem)
            queries[path.stem] = parse_query_file(path)
    return Library(dict(sorted(queries.items())), shadowed)


def query_text(text: str | None, file: Path | None) -> str:
    """An ad-hoc query: given as text, or read from a .rq file (one of the two)."""
    if (text is None) == (file is None):
        raise BadInput("give a query text or --file, not both or neither", "e.g. essay-kg sparql --file my.rq")
    if file is None:
        return _unicode_query(text or "")
    check_regular(file, "a .rq query file")
    if not file.is_file():
        raise BadInput(f"{file}: no such query file", "check the path")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(f"{file}: not UTF-8 (byte {err.start} is 0x{err.object[err.start]:02x})",
                       "save the query file as UTF-8") from None


def _unicode_query(text: str) -> str:
    """`text` if it is Unicode throughout; a lone surrogate (bytes not in UTF-8 on the command line, which Python
    keeps as surrogates) is refused, named by its byte where it stands for one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        try:
            text.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError as raw:
            problem = f"is not UTF-8 (byte {raw.start} is 0x{raw.object[raw.start]:02x})"
        except UnicodeEncodeError:
            problem = f"is not valid Unicode (character {err.start} is a lone surrogate, U+{ord(text[err.start]):04X})"
        raise BadInput(f"the query {problem}",
                       "give the query in UTF-8 (check the terminal's encoding), or save it as UTF-8 and use --file") \
            from None
    return text
