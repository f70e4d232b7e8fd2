"""Verify a graph against its source: the file's SHA-256 and every span's offsets and words.

Each NIF context in the graph names its file (``ekg:sourceFile``) and hash
(``ekg:sha256``).  Verification re-reads that file (from ``--source``, else the
shipped sources), compares the hash, and re-anchors every span that refers to the
context: the text between its offsets must be exactly its anchor.  The spans can
come from graph files or from a remote SPARQL endpoint.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from essay_kg.errors import BadInput

# nif: and ekg: are predeclared by every engine (`essay_kg.vocabulary.PREFIXES`), remote ones too.
CONTEXTS = """SELECT ?context ?file ?sha WHERE { ?context a nif:Context ; ekg:sourceFile ?file ; ekg:sha256 ?sha . }
ORDER BY ?context"""

SPANS = """SELECT ?span ?begin ?end ?anchor WHERE {
  ?span nif:referenceContext ?context ; nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?anchor .
}"""


@dataclass
class ContextCheck:
    """One source file checked: its hash and its spans."""

    context: str
    file: str
    path: Path | None
    hash_ok: bool
    spans: int = 0
    drifted: list[tuple[str, int, int, str, str]] = field(default_factory=list)  # span, begin, end, anchor, actual

    @property
    def ok(self) -> bool:
        return self.hash_ok and not self.drifted


def _index(value: object) -> int | None:
    """An offset of the graph as a number, or None when it is none ("abc", "1.5")."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() else None


def source_for(file_name: str, sources: list[Path], stand_in: Path | None = None) -> Path:
    """The file a context names: a --source file of that name (or one in a --source folder); else `stand_in`,
    the one --source file given, stands for a file of its kind (a .json beside it for the metadata); else the
    shipped file of that name."""
    from essay_kg.shipped import sources_dir

    if not file_name or Path(file_name).name != file_name or file_name in {".", ".."}:
        raise BadInput(f"the graph names its source '{file_name}', which is no plain file name",
                       "verify reads only the --source files you pass and the shipped sources; rebuild the graph")
    suffix = Path(file_name).suffix
    for path in sources:
        if path.name == file_name:
            return path
    if stand_in is not None:
        main = stand_in
        if main.suffix == suffix:
            return main
        if main.with_suffix(suffix).is_file():
            return main.with_suffix(suffix)
    shipped = sources_dir() / file_name
    if shipped.is_file():
        return shipped
    raise BadInput(f"the graph's source '{file_name}' was not found",
                   f"pass it with --source PATH/{file_name}, or the folder of texts with --source DIR")


SOURCE_SUFFIXES = (".txt", ".json")  # a text and its metadata: what a graph's contexts cite


def source_files(sources: list[Path]) -> list[Path]:
    """The --source paths as files: a file as it is, a folder as every text and metadata file under it (the
    folder a corpus was built from), sorted."""
    files: list[Path] = []
    for path in sources:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise BadInput(f"{path}: no such source file", "check the --source path (a text, or the folder of texts)")
    return files


def verify(run_select, sources: list[Path]) -> list[ContextCheck]:
    """Check every context of a graph; `run_select(query)` returns rows of rdflib terms."""
    files = source_files(sources)
    stand_in = sources[0] if len(sources) == 1 and sources[0].is_file() else None
    checks = []
    for context, file_name, sha in run_select(CONTEXTS):
        path = source_for(str(file_name), files, stand_in)
        raw = path.read_bytes()
        check = ContextCheck(str(context), str(file_name), path, hashlib.sha256(raw).hexdigest() == str(sha))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors="replace")
        rows = run_select(SPANS.replace("?context ;", f"<{context}> ;"))
        for span, begin, end, anchor in rows:
            b, e = _index(begin), _index(end)
            if b is None or e is None:  # "abc" as an offset: the span cannot be where it says
                check.drifted.append((str(span), -1, -1, str(anchor), f"(offsets '{begin}', '{end}' are not numbers)"))
                continue
            actual = text[b:e] if 0 <= b <= e <= len(text) else "(outside the text)"
            if not check.hash_ok and actual != "(outside the text)":
                actual = "(not shown: the file is not the text the graph was built from)"
            if actual != str(anchor):
                check.drifted.append((str(span), b, e, str(anchor), actual))
        check.spans = len(rows)
        check.drifted.sort(key=lambda d: (d[1], d[2], d[0]))
        checks.append(check)
    if not checks:
        raise BadInput("the graph has no source context (nif:Context with ekg:sourceFile and ekg:sha256)",
                       "verify a graph built by essay-kg")
    return checks
