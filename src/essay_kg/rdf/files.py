"""Write and read graph files: deterministic, atomic.

A build writes three files per document: ``NAME.trig`` (all named graphs),
``NAME.nq`` (the same as sorted N-Quads lines) and ``NAME.ttl`` (the union of
the graphs, in rdflib's ``longturtle`` graph by graph).  All three are written to
temporary files in the target folder and renamed into place only when all are
whole, so a reader never sees half a file, and a full disk replaces none.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from essay_kg.errors import BadInput
from essay_kg.files import check_regular, check_writable, interrupted, write_atomic, write_error, write_together
from essay_kg.shipped import shipped_graph

if TYPE_CHECKING:  # rdflib is imported where it is used: reading a format list must not cost its import
    from rdflib import Dataset, Graph

SUFFIXES = (".trig", ".nq", ".ttl")
READ_FORMATS = {
    ".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".jsonld": "json-ld",
    ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}


# Characters that some readers take for line ends ("\f" from a PDF's page break, U+2028…) or that are
# control characters: rdflib writes them raw inside literals; as \uXXXX escapes an N-Triples/N-Quads line is
# one line for every reader.
_LINE_BREAKING = [*(chr(i) for i in range(0x20) if chr(i) not in "\t\n\r"), "\x7f", "\x85", "\u2028", "\u2029"]
_LINE_SAFE = str.maketrans({c: f"\\u{ord(c):04X}" for c in _LINE_BREAKING})


def statement_lines(text: str) -> list[str]:
    """The sorted, distinct lines of N-Triples or N-Quads `text`, each one line for every reader: split on
    "\n" only, with control and line-separator characters escaped (the whole text at once: none is a "\n").

    A text with none of them, nearly every text, is left as it is: looking for each is quicker than `translate`,
    which looks every character up."""
    if any(c in text for c in _LINE_BREAKING):
        text = text.translate(_LINE_SAFE)
    return sorted({line for line in text.split("\n") if line.strip()})


def _longturtle(graph: Graph, triples: list | None = None) -> tuple[list[str], str]:
    """A graph as longturtle (with the prefixes bound in its store), split into its PREFIX lines and its body."""
    from essay_kg.rdf.turtle import longturtle

    text = longturtle(graph, triples)
    head, _, body = text.partition("\n\n")
    return [line for line in head.splitlines() if line.startswith("PREFIX ")], body


def serialise(dataset: Dataset) -> dict[str, bytes]:
    """The three serialisations of a dataset, as bytes, by suffix.

    TriG is assembled graph by graph, sorted by graph IRI, each body in
    longturtle, so that the output does not depend on set iteration order.  The
    union Turtle is the same bodies one after another under a comment naming
    each graph: Turtle allows a subject to recur, so it parses to the union
    without paying for a second longturtle pass over every triple.  Each graph's
    triples are read from the store once, for its Turtle and its N-Quads lines.
    """
    from essay_kg.rdf.nquads import nquads_text
    from essay_kg.rdf.turtle_names import graph_triples

    prefixes: set[str] = set()
    parts, sections = [], []
    graphs = [(graph, graph_triples(graph)) for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier))]
    for graph, triples in graphs:
        if not triples:
            continue
        head, body = _longturtle(graph, triples)
        prefixes.update(head)
        parts.append(f"<{graph.identifier}> {{\n{body.rstrip()}\n}}\n")
        sections.append(f"# graph <{graph.identifier}>\n\n{body.rstrip()}\n")
    header = "\n".join(sorted(prefixes)) + "\n\n"
    lines = statement_lines(nquads_text(graphs))
    return {
        ".trig": (header + "\n".join(parts)).encode("utf-8"),
        ".nq": ("\n".join(lines) + "\n").encode("utf-8"),
        ".ttl": (header + "\n".join(sections)).encode("utf-8"),
    }


def write_file(path: Path, data: bytes, hint: str = "choose a path you can write to") -> None:
    """`write_atomic`, with a path that cannot be written as bad input, and a full disk as the environment's error."""
    try:
        write_atomic(path, data)
    except OSError as err:
        raise write_error(str(path), err, hint) from None


def graph_bytes(graph: Graph, suffix: str) -> bytes:
    """One graph as longturtle (or N-Triples for .nt)."""
    if suffix == ".nt":
        return "".join(line + "\n" for line in statement_lines(graph.serialize(format="nt"))).encode()
    head, body = _longturtle(graph)
    return ("\n".join(sorted(head)) + "\n\n" + body).encode()


def write_graph(graph: Graph, path: Path) -> None:
    """One graph as longturtle (or N-Triples for .nt), atomically."""
    write_file(path, graph_bytes(graph, path.suffix))


def write_dataset_file(dataset: Dataset, path: Path) -> None:
    """One dataset as one file, TriG, N-Quads or Turtle by its suffix (one of `SUFFIXES`), atomically."""
    write_file(path, serialise(dataset)[path.suffix])


def write_dataset(dataset: Dataset, folder: Path, name: str) -> list[Path]:
    """Serialise all three files, write each whole to a temporary, and only then rename them into place.

    A full disk leaves the files of the previous build as they were.  While the three are renamed
    the marker `incomplete_marker` stands beside them: a build killed between two renames leaves
    it, and the next build of the same name writes all three anew (corpus mode counts the
    document as changed).
    """
    check_writable(folder)
    payloads = serialise(dataset)
    paths = {folder / f"{name}{suffix}": payloads[suffix] for suffix in SUFFIXES}
    try:
        write_together(paths, incomplete_marker(folder, name))
    except OSError as err:
        raise write_error(f"{folder}/{name}{{{','.join(SUFFIXES)}}}", err, "pass --out a folder you can write to") from None
    return list(paths)


def incomplete_marker(folder: Path, name: str) -> Path:
    """The file that says a build of `name` was stopped while renaming its three files into place."""
    return folder / f".{name}.incomplete"


def interrupted_build(folder: Path, name: str) -> bool:
    """Whether the files of `name` in `folder` may come from two builds (a build was killed between renames)."""
    return interrupted(incomplete_marker(folder, name))


SAME_AS_FILE = "wikidata-sameas.ttl"


def write_same_as(pairs: list[tuple[str, str]], path: Path) -> None:
    """The optional owl:sameAs view of the exact Wikidata matches, as its own Turtle file (never in the graphs)."""
    from essay_kg.rdf.links import same_as_view

    write_graph(same_as_view(pairs), path)


def read_same_as(path: Path) -> set[tuple[str, str]]:
    """The (entity, QID) pairs of an owl:sameAs view written before (none if there is no file): a build into
    the same folder merges its own into them, so that every text built there keeps its view."""
    from rdflib import Graph

    from essay_kg.rdf.links import same_as_pairs

    if not path.exists() and not path.is_symlink():
        return set()
    check_regular(path, f"a folder whose {SAME_AS_FILE} is a file (or none)")
    try:
        return same_as_pairs(Graph().parse(path, format="turtle"))
    except Exception as err:  # rdflib parsers raise many types; all mean "not Turtle"
        raise BadInput(f"{path}: not a valid turtle file ({' '.join(str(err).split())[:300]})",
                       "it is the owl:sameAs view of the texts built into this folder: delete it, and build those "
                       "texts again to write it anew") from None


def load_graphs(paths: list[Path] | None = None) -> Dataset:
    """Parse graph files (format from the extension) into one Dataset whose default graph is the union.

    With no paths, the shipped graph of the embedded essay.  Of several files, a graph's blank-node
    parts that repeat (the shared ontology's, read once per document) are kept once.
    """
    import logging

    from rdflib import Dataset

    # a literal whose lexical form is not of its datatype ("abc" as an integer) stays a literal; rdflib would
    # log a traceback for it on stderr
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    dataset = Dataset(default_union=True)
    for path in paths or [shipped_graph()]:
        fmt = graph_format(path)
        check_regular(path, "a graph file")
        try:
            if fmt == "json-ld":
                dataset.parse(data=offline_jsonld(path), format=fmt)
            else:
                dataset.parse(path, format=fmt)
        except BadInput:
            raise
        except Exception as err:  # rdflib parsers raise many types; all mean "not this format"
            where = _line_of(path, str(err)) if fmt in {"nt", "nquads"} else ""
            raise not_valid(path, fmt, str(err), where) from None
    if paths and len(paths) > 1:  # each file brings the shared ontology's blank-node structures: keep them once
        from essay_kg.rdf.blanks import keep_each_part_once

        keep_each_part_once(dataset)
    return dataset


def graph_format(path: Path) -> str:
    """The format of a graph file to read, from its extension (rdflib's name for it, e.g. ``nquads``).

    Both readers of graph files ask this first (`load_graphs` here, and pyoxigraph's in
    `essay_kg.query.engine`): a missing file, a folder or an unknown extension is bad input.
    """
    if not path.exists():
        raise BadInput(f"{path}: no such graph file", "check the path, or leave out --graph for the shipped graph")
    if path.is_dir():
        raise BadInput(f"{path}: is a directory, not a graph file", "pass a .trig, .nq, .ttl, .nt, .jsonld or .rdf file")
    fmt = READ_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(f"{path}: unknown graph format '{path.suffix}'", f"use one of {', '.join(sorted(READ_FORMATS))}")
    if fmt == "xml":
        check_no_entities(path)
    return fmt


def check_no_entities(path: Path) -> None:
    """Refuse an XML graph file that declares entities (``<!ENTITY`` in its DOCTYPE), before any parser sees it.

    Ten entities each naming the one before ten times ("billion laughs") expand a 1 kB file to
    gigabytes: pyoxigraph tries, and the process aborts.  The file is scanned as it is read, in
    chunks (UTF-16 and UTF-32 decoded), so that neither its size nor its encoding hides a declaration.
    """
    import codecs

    check_regular(path, "a graph file")
    with path.open("rb") as stream:
        head = stream.read(4)
        encoding = next((name for marks, name in _XML_ENCODINGS if head.startswith(marks)), "latin-1")
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        tail, chunk = "", head
        while chunk:
            text = tail + decoder.decode(chunk)
            if "<!ENTITY" in text:
                raise BadInput(f"{path}: the XML declares entities (<!ENTITY), which essay-kg does not expand",
                               "write the entities out in the file, or convert it to Turtle or N-Triples")
            tail, chunk = text[-8:], stream.read(1 << 20)


# how an XML document's first bytes give its encoding (XML 1.0, appendix F); anything else is searched as bytes
_XML_ENCODINGS = [(b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                  (b"<\x00\x00\x00", "utf-32-le"), (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"),
                  (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le")]


def not_valid(path: Path, fmt: str, message: str, where: str = "") -> BadInput:
    """A graph file that its parser refused (`where` is ``:LINE`` when known)."""
    return BadInput(f"{path}{where}: not a valid {fmt} file ({' '.join(message.split())[:300]})",
                    "check the file, or that its extension matches its format")


def offline_jsonld(path: Path) -> str:
    """A JSON-LD file's text with the essay-kg context inlined; any other remote context, or an ``@import``, is refused.

    rdflib fetches remote ``@context`` URLs with no switch to turn that off, so
    they are resolved here, from the package, or not at all.
    """
    import json

    from essay_kg.rdf.ontology import CONTEXT_URL, load_context

    document = json.loads(path.read_text(encoding="utf-8"))

    def inline(value: object) -> object:
        if isinstance(value, dict):
            return {k: (resolve(v) if k == "@context" else inline(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [inline(v) for v in value]
        return value

    def resolve(context: object) -> object:
        if isinstance(context, list):
            return [resolve(c) for c in context]
        if isinstance(context, str):
            if context == CONTEXT_URL:
                return load_context()
            raise BadInput(f"{path}: the JSON-LD context '{context}' is remote, and essay-kg does not fetch contexts",
                           f"inline the context in the file, or use {CONTEXT_URL} (shipped with essay-kg)")
        if isinstance(context, dict) and "@import" in context:  # rdflib would read it from the web or the disk
            raise BadInput(f"{path}: the JSON-LD context imports '{context['@import']}', and essay-kg does not fetch "
                           "contexts", "inline the imported context's terms in the file")
        return inline(context)

    return json.dumps(inline(document))


def _line_of(path: Path, message: str) -> str:
    """':N' for the line a line-based parser quoted at the end of its message, if found."""
    import re

    found = re.search(r"""['"]([^\n]+)['"]\s*$""", message) or re.search(r":\s*([^:\n]+)$", message)
    quoted = found.group(1).strip() if found else ""
    if quoted:
        with path.open(encoding="utf-8", errors="replace") as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip() == quoted.strip():
                    return f":{number}"
    return ""
