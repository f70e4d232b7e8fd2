"""Corpus mode: build many documents, each on its own, in parallel, skipping the unchanged ones.

Every ``.txt`` in the given folders or globs (with its optional sibling ``.json``) is a
document with its own named graphs; entities share IRIs across documents because they share
the gazetteer.  A worker process builds one document at a time and writes its files, so no
process ever holds more than one document's graph (`essay_kg.corpus.workers`: a worker dies with
the main process, and a worker that is killed fails only its document).  A document that fails
is reported with its file and the others are still built.  A manifest in the output folder
(`essay_kg.corpus.manifest`) records, per document, the SHA-256 of its text and metadata, the
fingerprint of the rules, ontology and essay-kg version, and the SHA-256 of each file it wrote;
a document whose record matches and whose files are as they were written is not rebuilt, unless a
build of it was killed while renaming its files.  At the
end the documents' sorted N-Quads are merged into ``corpus.nq`` (`essay_kg.corpus.merge`:
streaming, one line per document in memory), the one file to load into a store.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from essay_kg.corpus.manifest import MANIFEST, damaged_output, keeps_manifest, output_hashes, read_manifest, write_manifest
from essay_kg.errors import BadInput, EnvironmentProblem, EssayKGError
from essay_kg.extract.parse import load_model
from essay_kg.shipped import DEFAULT_MODEL, NO_MODEL

MERGED = "corpus"  # DIR/corpus.nq: every document's quads, sorted, without repeats
ENGINES = ("local", "dask")


@dataclass
class CorpusReport:
    """What a corpus build did."""

    built: list[Any] = field(default_factory=list)  # BuildReport of each document built
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    warnings: list[str] = field(default_factory=list)  # a damaged manifest, a damaged file built again
    merged: Path | None = None  # DIR/corpus.nq
    quads: int = 0  # distinct quads in it


def _is_pattern(path: Path) -> bool:
    return any(c in str(path) for c in "*?[")


def is_corpus_build(inputs: list[Path], jobs: int | None, engine: str, overrides: dict[str, Any]) -> bool:
    """Whether `essay-kg build` builds a corpus: a folder or a glob among the inputs, or --jobs, or the dask engine.

    A corpus build takes each document's metadata from its sibling .json, so it refuses the
    metadata overrides (title, author, date) that name one text.
    """
    if engine not in ENGINES:
        raise BadInput(f"unknown engine '{engine}'", "use local or dask")
    corpus = jobs is not None or engine == "dask" or any(p.is_dir() or _is_pattern(p) for p in inputs)
    if corpus and any(v is not None for v in overrides.values()):
        raise BadInput("--title, --author and --date name one text, not a corpus",
                       "give each text a sibling NAME.json with its metadata")
    return corpus


def expand(inputs: list[Path]) -> list[Path]:
    """The .txt files named by files, folders and glob patterns, sorted, without repeats."""
    found: set[Path] = set()
    for item in inputs:
        text = str(item)
        if _is_pattern(item):
            matches = [Path(p) for p in glob.glob(text, recursive=True)]
            if not matches:
                raise BadInput(f"{text}: no file matches this pattern", "check the pattern, e.g. 'essays/*.txt'")
            found.update(p for p in matches if p.is_file() and p.suffix == ".txt")
        elif item.is_dir():
            found.update(p for p in item.rglob("*.txt") if p.is_file())
        else:
            found.add(item)
    return sorted(found)


def fingerprint(rules_dir: Path | None, model: str = DEFAULT_MODEL) -> str:
    """A hash of everything besides the text that decides a document's graph (the trained pipeline included)."""
    from essay_kg import __version__
    from essay_kg.rdf.ontology import ontology_path
    from essay_kg.shipped import data_dir

    digest = hashlib.sha256(__version__.encode())
    digest.update(model.encode())
    folder = rules_dir or data_dir("extract")
    for path in [*sorted(p for p in folder.glob("*.jsonl") if p.is_file()), ontology_path()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def document_key(path: Path, rules_fingerprint: str) -> str:
    digest = hashlib.sha256(rules_fingerprint.encode())
    for part in (path, path.with_suffix(".json")):
        digest.update(part.read_bytes() if part.is_file() else b"")
    return digest.hexdigest()


@lru_cache(maxsize=2)
def _rules_and_ontology(rules_dir: str | None) -> tuple[Any, Any]:
    from essay_kg.extract.rules.load import load_rules
    from essay_kg.rdf.ontology import load_ontology

    return load_rules(Path(rules_dir) if rules_dir else None), load_ontology()


@dataclass(frozen=True)
class Outcome:
    """What building one document gave: its report, or the error that stopped it."""

    path: str
    report: Any = None  # BuildReport
    error: str | None = None
    exact_links: list[tuple[str, str]] = field(default_factory=list)
    outputs: dict[str, str | None] = field(default_factory=dict)  # SHA-256 of each file written, by name


def build_document(path: str, out: str, rules_dir: str | None, model: str = DEFAULT_MODEL) -> Outcome:
    """Build one document in this process."""
    from essay_kg.corpus.documents import build_one

    try:
        rules, ontology = _rules_and_ontology(rules_dir)
        report, exact = build_one(Path(path), Path(out), rules, ontology, {}, model)
        return Outcome(path, report, None, sorted(exact), output_hashes(Path(out), report.doc_id))
    except EssayKGError as error:
        return Outcome(path, error=error.message)
    except Exception as error:  # a bug in one document must not lose the others; it is reported as such
        return Outcome(path, error=f"internal error ({type(error).__name__}: {error}); please report it")


def lost_document(arguments: tuple, why: str) -> Outcome:
    """The outcome of a document whose worker process died while building it."""
    return Outcome(arguments[0], error=f"{arguments[0]}: not built: {why}")


def run_on_dask(arguments: list[tuple], jobs: int, scheduler: str | None,
                progress: Callable[[int], None]) -> list[tuple]:
    """The same per-document function on a Dask cluster: an existing one (`scheduler`), else a LocalCluster.

    Every worker must see the texts and the output folder at the same paths (a shared file system).
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise EnvironmentProblem("the dask engine needs dask.distributed",
                                 "pip install 'essay-kg[dask]' (or: pip install 'dask[distributed]')") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=30)
        else:
            cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as err:
        raise EnvironmentProblem(f"cannot reach the Dask scheduler {scheduler or '(local)'} ({err})",
                                 "check --scheduler ADDRESS, e.g. tcp://10.0.0.5:8786") from None
    try:
        futures = [client.submit(build_document, *args, pure=False) for args in arguments]
        done = {}
        for future in as_completed(futures):
            result = future.result()
            done[result.path] = result
            progress(1)
        return [done[args[0]] for args in arguments]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def corpus_documents(inputs: list[Path]) -> list[Path]:
    """The documents of a corpus build (see `expand`; none given: the shipped essay); none found is bad input."""
    from essay_kg.corpus.documents import default_sources

    inputs = inputs or default_sources()
    paths = expand(inputs)
    if not paths:
        raise BadInput(f"no .txt files in {', '.join(map(str, inputs))}",
                       "give a folder holding NAME.txt files (each with an optional NAME.json), or the files themselves")
    return paths


def build_corpus(inputs: list[Path], out: Path, rules_dir: Path | None = None, jobs: int | None = None,
                 progress: Callable[[int], None] = lambda done: None, engine: str = "local",
                 scheduler: str | None = None, model: str = DEFAULT_MODEL) -> CorpusReport:
    """Build every document named by `inputs` into `out`, `jobs` at a time (default: one process, or two Dask
    workers), locally or on a Dask cluster."""
    from essay_kg.files import check_writable
    from essay_kg.rdf.files import SAME_AS_FILE, read_same_as, write_same_as

    paths = corpus_documents(inputs)
    jobs = jobs or (2 if engine == "dask" else 1)
    if model != NO_MODEL:
        load_model(model)  # a missing pipeline is an error before any document is built or folder made
    _rules_and_ontology(str(rules_dir) if rules_dir else None)  # a bad rules folder is one error, not one per document
    check_writable(out)
    earlier = read_same_as(out / SAME_AS_FILE)
    manifest_path = out / MANIFEST
    report = CorpusReport()
    manifest, warning = read_manifest(manifest_path)
    report.warnings += [warning] if warning else []
    ids, todo = _plan(paths, out, fingerprint(rules_dir, model), manifest, report)
    progress(len(report.unchanged))
    arguments = [(str(path), str(out), str(rules_dir) if rules_dir else None, model) for path, _, _ in todo]
    keys = {str(path): (doc_id, key) for path, doc_id, key in todo}
    for outcome in _run(arguments, jobs, engine, scheduler, progress):
        doc_id, key = keys[outcome.path]
        if outcome.error is not None:
            report.failed.append((outcome.path, outcome.error))
            manifest.pop(doc_id, None)
            continue
        report.built.append(outcome.report)
        manifest[doc_id] = {"file": Path(outcome.path).name, "key": key, "exact_links": outcome.exact_links,
                            "outputs": {name: sha for name, sha in outcome.outputs.items() if sha}}
    if keeps_manifest(manifest_path):
        write_manifest(manifest_path, manifest)
    exact_links = {tuple(pair) for record in manifest.values() for pair in record.get("exact_links", [])}
    if exact_links - earlier:  # merged with the view of texts built here before, which it keeps
        write_same_as(sorted(exact_links | earlier), out / SAME_AS_FILE)
    done = sorted(doc_id for doc_id in ids if doc_id in manifest)
    if done:
        from essay_kg.corpus.merge import merge_nquads

        report.merged = out / f"{MERGED}.nq"
        report.quads = merge_nquads([out / f"{doc_id}.nq" for doc_id in done], report.merged)
    return report


def _plan(paths: list[Path], out: Path, rules_fingerprint: str, manifest: dict[str, Any],
          report: CorpusReport) -> tuple[dict[str, Path], list[tuple[Path, str, str]]]:
    """Each document's id, and those to build (path, id, key); the unchanged and the refused go into `report`."""
    from essay_kg.rdf.files import interrupted_build
    from essay_kg.text.source import read_metadata

    ids: dict[str, Path] = {}
    todo = []
    for path in paths:
        try:
            doc_id = read_metadata(path, {}).doc_id
        except EssayKGError as error:
            report.failed.append((str(path), error.message))
            continue
        if doc_id in ids:
            report.failed.append((str(path), f"the document id '{doc_id}' is also that of {ids[doc_id]}"))
            continue
        if doc_id == MERGED:
            report.failed.append((str(path), f"the document id '{MERGED}' is the name of the merged corpus file; "
                                             "give the document another id in its .json, or rename the file"))
            continue
        ids[doc_id] = path
        key = document_key(path, rules_fingerprint) if path.is_file() else ""
        record = manifest.get(doc_id, {})
        damaged = damaged_output(record, out, doc_id) if record.get("key") == key else None
        if record.get("key") == key and damaged is None and not interrupted_build(out, doc_id):
            report.unchanged.append(doc_id)
            continue
        if damaged is not None and (out / damaged).exists():
            report.warnings.append(f"{out / damaged}: not as it was built (changed since); {doc_id} is built again")
        todo.append((path, doc_id, key))
    return ids, todo


def _run(arguments: list[tuple], jobs: int, engine: str, scheduler: str | None,
         progress: Callable[[int], None]) -> list[tuple]:
    """`build_document` on each set of arguments: on Dask, in a pool of `jobs` processes, or here."""
    if engine == "dask":
        return run_on_dask(arguments, jobs, scheduler, progress)
    if jobs > 1 and len(arguments) > 1:
        from essay_kg.corpus.workers import run_in_processes

        return run_in_processes(build_document, arguments, jobs, progress, lost_document)
    results = []
    for args in arguments:
        results.append(build_document(*args))
        progress(1)
    return results


def built_files(inputs: list[Path]) -> list[Path]:
    """The graph files to load from files and build folders: a folder gives its merged corpus file, else its
    N-Quads files, else its TriG files."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            merged = item / f"{MERGED}.nq"
            quads = [merged] if merged.is_file() else sorted(item.glob("*.nq"))
            files += quads or sorted(p for p in item.iterdir() if p.suffix == ".trig")
        elif item.is_file():
            files.append(item)
        else:
            raise BadInput(f"{item}: no such graph file or folder", "check the path")
    return files


def load_store(inputs: list[Path], location: Path) -> tuple[int, int]:
    """Load built graph files and folders (see `built_files`) into a pyoxigraph store on disk: (files, quads)."""
    from essay_kg.store.local import load_files

    files = built_files(inputs)
    return len(files), load_files(files, location)
