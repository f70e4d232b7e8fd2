"""Build the graphs of one or more source texts: the library behind `essay-kg build`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.extract.parse import check_model
from essay_kg.shipped import DEFAULT_MODEL, NO_MODEL, shipped_source


@dataclass(frozen=True)
class BuildReport:
    """What one build wrote and found."""

    doc_id: str
    files: tuple[Path, ...]
    entities_by_type: dict[str, int]
    relations: int
    spans: int
    mentions: int
    triples: int
    seconds: dict[str, float] | None = None  # per phase: read, extract (spaCy and rules), build (RDF), write

    def summary(self) -> str:
        types = ", ".join(f"{name} {count}" for name, count in sorted(self.entities_by_type.items()))
        return (f"{self.doc_id}: {sum(self.entities_by_type.values())} entities ({types}); "
                f"{self.relations} relations; {self.mentions} mentions; {self.spans} spans; "
                f"{self.triples} triples -> {', '.join(str(f) for f in self.files)}")


def default_sources() -> list[Path]:
    """The shipped essay."""
    return [shipped_source()]


def build_sources(paths: list[Path], out: Path, rules_dir: Path | None = None,
                  overrides: dict[str, Any] | None = None, model: str = DEFAULT_MODEL) -> list[BuildReport]:
    """Read, extract and write every source; all inputs are checked before any output."""
    import time

    from essay_kg.extract.rules.load import load_rules
    from essay_kg.files import check_writable
    from essay_kg.rdf.files import SAME_AS_FILE, read_same_as, write_same_as
    from essay_kg.rdf.ontology import load_ontology
    from essay_kg.text.source import read_source

    clock = time.perf_counter()
    rules = load_rules(rules_dir)
    sources = [read_source(path, rules.paratext, overrides) for path in paths or default_sources()]
    read_seconds = (time.perf_counter() - clock) / max(len(sources), 1)
    names = Counter(s.metadata.doc_id for s in sources)
    if duplicated := sorted(n for n, c in names.items() if c > 1):
        raise BadInput(f"two sources have the same document id '{duplicated[0]}'", "give each an 'id' in its .json metadata")
    if model != NO_MODEL:
        check_model(model)  # a missing pipeline is an error before any output
    created = not out.exists()
    check_writable(out)
    try:
        earlier = read_same_as(out / SAME_AS_FILE)  # the view of texts built here before: kept, merged with ours
        ontology = load_ontology()
        reports = []
        exact: set[tuple[str, str]] = set()
        for source in sources:
            report, links = build_source(source, out, rules, ontology, read_seconds, model)
            reports.append(report)
            exact.update(links)
        if exact - earlier:
            write_same_as(sorted(exact | earlier), out / SAME_AS_FILE)
    except BaseException:
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # a failed build leaves no empty output folder behind
        raise
    return reports


def build_one(path: Path, out: Path, rules: Any, ontology: Any, overrides: dict[str, Any],
              model: str = DEFAULT_MODEL) -> tuple[BuildReport, set]:
    """Read and build one source file (corpus mode); its report and its exact Wikidata links."""
    import time

    from essay_kg.text.source import read_source

    clock = time.perf_counter()
    source = read_source(path, rules.paratext, overrides)
    return build_source(source, out, rules, ontology, time.perf_counter() - clock, model)


def build_source(source: Any, out: Path, rules: Any, ontology: Any, read_seconds: float,
                 model: str = DEFAULT_MODEL) -> tuple[BuildReport, set]:
    """Extract, build and write one read source; its report and its exact Wikidata links."""
    with collector_paused():
        return _build_source(source, out, rules, ontology, read_seconds, model)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while one document is built, and as it was after.

    Extraction and the RDF build make hundreds of thousands of small objects (spaCy's tokens, the
    model's dataclasses, rdflib's terms and the store's entries), which trigger collections that walk
    every object the loaded pipelines hold as well, and free almost nothing while the build holds its
    objects: about 0.15 s of a build went to them.  The cycles a build leaves (rdflib's graphs and
    store) are collected once the collector runs again.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_source(source: Any, out: Path, rules: Any, ontology: Any, read_seconds: float,
                  model: str = DEFAULT_MODEL) -> tuple[BuildReport, set]:
    import time

    from essay_kg.extract.run import extract
    from essay_kg.namespace import NIF
    from essay_kg.rdf.build import build_dataset
    from essay_kg.rdf.files import write_dataset

    clock = time.perf_counter()
    extraction = extract(source, rules, model)
    extracted = time.perf_counter()
    exact = {(link.id, link.qid) for link in extraction.links if link.match == "exactMatch"}
    dataset = build_dataset(extraction, ontology)
    built = time.perf_counter()
    files = write_dataset(dataset, out, source.metadata.doc_id)
    seconds = {"read": read_seconds, "extract": extracted - clock, "build": built - extracted,
               "write": time.perf_counter() - built}
    types = Counter(extraction.entities[e].type for e in extraction.entities)
    relations = sum(1 for s in extraction.statements if not s.derived_from_metadata and s.predicate.startswith("ekg:")
                    and isinstance(s.object, str) and s.predicate != "ekg:mentions")
    spans = {s for s, _, _, _ in dataset.quads((None, NIF.beginIndex, None, None))}
    report = BuildReport(source.metadata.doc_id, tuple(files), dict(types), relations, len(spans),
                         len(extraction.mentions), sum(len(graph) for graph in dataset.graphs()), seconds)
    return report, exact

