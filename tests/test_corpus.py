"""Corpus mode: many documents, built in parallel, failures isolated, unchanged documents skipped."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import REPO


def synth():
    spec = importlib.util.spec_from_file_location("synth", REPO / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    synth().write_corpus(folder, 8, sentences_per_essay=12, seed=7)
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    synth().write_corpus(first, 3, sentences_per_essay=10, seed=3)
    synth().write_corpus(second, 3, sentences_per_essay=10, seed=3)
    assert files(first) == files(second)
    assert len(files(first)) == 6  # three texts, each with its metadata


def test_parallel_and_serial_builds_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    one = run("build", str(corpus), "--out", str(serial), "--jobs", "1")
    two = run("build", str(corpus), "--out", str(parallel), "--jobs", "2")
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    assert "corpus: 8 built, 0 unchanged, 0 failed" in two.output
    assert files(serial) == files(parallel)
    names = {p for p in files(parallel) if p.endswith(".nq")}
    assert names == {f"synthetic-{n:05d}.nq" for n in range(1, 9)} | {"corpus.nq"}
    assert "corpus: " in two.output and "quads merged ->" in two.output


def test_the_corpus_file_is_the_sorted_union_of_the_documents(corpus: Path, tmp_path: Path) -> None:
    from essay_kg.corpus.merge import merge_nquads

    out = tmp_path / "out"
    assert run("build", str(corpus), "--out", str(out), "--jobs", "2").exit_code == 0
    documents = sorted(out.glob("synthetic-*.nq"))
    lines = [line for path in documents for line in path.read_text(encoding="utf-8").splitlines()]
    merged = (out / "corpus.nq").read_text(encoding="utf-8").splitlines()
    assert merged == sorted(set(lines))
    assert len(merged) < len(lines)  # the shared ontology graph is there once, not once per document
    ontology = [line for line in merged if line.endswith("<https://w3id.org/essay-kg/graph/ontology> .")]
    assert ontology and len(ontology) == len(set(ontology))
    # merging in rounds (two files at a time) gives the same bytes
    assert merge_nquads(documents, tmp_path / "rounds.nq", fan_in=2) == len(merged)
    assert (tmp_path / "rounds.nq").read_bytes() == (out / "corpus.nq").read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left behind


def test_a_document_may_not_take_the_name_of_the_corpus_file(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "corpus.txt").write_text("Russia and the United States share a goal.\n", encoding="utf-8")
    (folder / "other.txt").write_text("Russia and the United States share a goal.\n", encoding="utf-8")
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "is the name of the merged corpus file" in result.output
    assert "corpus: 1 built, 0 unchanged, 1 failed" in result.output


def test_entities_share_iris_across_documents(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", str(corpus), "--out", str(out), "--jobs", "2").exit_code == 0
    answer = run("sparql", *(a for p in sorted(out.glob("*.trig")) for a in ("--graph", str(p))), "-f", "csv",
                 "SELECT ?entity (COUNT(DISTINCT ?g) AS ?documents) WHERE { GRAPH ?g { ?entity a ekg:State } "
                 "FILTER (STRENDS(STR(?g), '/facts')) } GROUP BY ?entity HAVING (COUNT(DISTINCT ?g) > 2)")
    assert answer.exit_code == 0
    assert len(answer.stdout.strip().splitlines()) > 1  # some state appears in three or more documents, one IRI


def test_a_broken_document_is_reported_and_the_others_are_built(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "with-broken"
    folder.mkdir()
    for path in corpus.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz-latin1.txt").write_bytes(b"caf\xe9\n")
    out = tmp_path / "out"
    result = run("build", str(folder), "--out", str(out), "--jobs", "2")
    assert result.exit_code == 1
    assert "corpus: 8 built, 0 unchanged, 1 failed" in result.output
    assert "zz-latin1.txt: not UTF-8 (byte 3 is 0xe9)" in result.output and "hint:" in result.output
    assert len(list(out.glob("*.trig"))) == 8


def test_unchanged_documents_are_not_rebuilt(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for path in corpus.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert "corpus: 8 built, 0 unchanged" in run("build", str(folder), "--out", str(out)).output
    before = (out / "synthetic-00002.nq").stat().st_mtime_ns
    again = run("build", str(folder), "--out", str(out))
    assert again.exit_code == 0 and "corpus: 0 built, 8 unchanged, 0 failed" in again.output
    assert (out / "synthetic-00002.nq").stat().st_mtime_ns == before
    edited = folder / "synthetic-00003.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nRussia and the United States share a goal.\n",
                      encoding="utf-8")
    third = run("build", str(folder), "--out", str(out))
    assert "corpus: 1 built, 7 unchanged, 0 failed" in third.output and "synthetic-00003:" in third.output
    (out / "synthetic-00004.ttl").unlink()  # a missing output is rebuilt too
    assert "corpus: 1 built, 7 unchanged" in run("build", str(folder), "--out", str(out)).output


def test_a_glob_names_the_documents(corpus: Path, tmp_path: Path) -> None:
    result = run("build", str(corpus / "synthetic-0000[12].txt"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0 and "corpus: 2 built" in result.output
    missing = run("build", str(tmp_path / "nothing-*.txt"), "--out", str(tmp_path / "out"))
    assert missing.exit_code == 2 and "no file matches this pattern" in missing.output


def test_a_corpus_loads_into_a_pyoxigraph_store_on_disk(corpus: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    out, store = tmp_path / "out", tmp_path / "store"
    assert run("build", str(corpus), "--out", str(out), "--jobs", "2").exit_code == 0
    result = run("load", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "load: 1 file ->" in result.output  # the merged corpus.nq
    answer = ox.Store(str(store)).query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                        "FILTER (STRENDS(STR(?g), '/facts')) }")
    assert int(next(iter(answer))["n"].value) == 8
    missing = run("load", str(tmp_path / "nothing"), "--store", str(store))
    assert missing.exit_code == 2 and "no such graph file or folder" in missing.output


def test_the_dask_engine_gives_the_same_output_as_local_processes(tmp_path: Path) -> None:
    """Twenty synthetic documents on a Dask LocalCluster of two workers, and on two local processes."""
    texts = tmp_path / "texts"
    synth().write_corpus(texts, 20, sentences_per_essay=8, seed=20)
    local, dask = tmp_path / "local", tmp_path / "dask"
    first = run("build", str(texts), "--out", str(local), "--jobs", "2")
    second = run("build", str(texts), "--out", str(dask), "--engine", "dask", "--jobs", "2")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "corpus: 20 built, 0 unchanged, 0 failed" in second.output
    assert files(local) == files(dask)
    assert len(files(dask)) == 20 * 3 + 3  # three files each, the merged corpus, the view, the manifest


# --- hostile input and faults -------------------------------------------------------------------

SHORT = "Russia and the United States share goal number {}.\n"
LONG = "Russia and the United States share a goal. The minister spoke in Moscow on Monday.\n\n" * 500


def short_texts(folder: Path, count: int = 3) -> Path:
    """`count` one-line texts d1.txt, d2.txt, ... (built with the rules alone in a second)."""
    folder.mkdir()
    for n in range(1, count + 1):
        (folder / f"d{n}.txt").write_text(SHORT.format(n), encoding="utf-8")
    return folder


def test_a_damaged_output_file_is_built_again_not_merged(tmp_path: Path) -> None:
    texts, out = short_texts(tmp_path / "texts"), tmp_path / "out"
    assert run("build", str(texts), "--out", str(out), "--model", "none").exit_code == 0
    whole = files(out)
    manifest = json.loads(whole[".essay-kg-manifest.json"])
    assert manifest["d2"]["outputs"] == {f"d2{s}": hashlib.sha256(whole[f"d2{s}"]).hexdigest()
                                         for s in (".trig", ".nq", ".ttl")}
    forged = b'<https://example.org/forged> <https://example.org/p> "x" <https://example.org/g> .\n'
    (out / "d2.nq").write_bytes(forged + whole["d2.nq"])  # its text unchanged, its quads not
    (out / "d3.ttl").write_bytes(whole["d3.ttl"][:100])  # cut short
    again = run("build", str(texts), "--out", str(out), "--model", "none")
    assert again.exit_code == 0, again.output
    assert "corpus: 2 built, 1 unchanged, 0 failed" in again.output
    assert f"warning: {out / 'd2.nq'}: not as it was built (changed since); d2 is built again" in again.output
    assert f"warning: {out / 'd3.ttl'}: not as it was built (changed since); d3 is built again" in again.output
    assert files(out) == whole  # corpus.nq too: nothing forged was merged


DAMAGED_MANIFESTS = {
    "a list": ("[]\n", "the corpus manifest is damaged (not a JSON object)"),
    "a record that is no object": ('{"d1": 5}\n', "the corpus manifest is damaged (the record of 'd1' is not one "
                                                    "essay-kg writes)"),
    "bad exact_links": ('{"d1": {"file": "d1.txt", "key": "x", "exact_links": 7}}\n',
                        "the corpus manifest is damaged (the record of 'd1' is not one essay-kg writes)"),
    "a stray record": ('{"zz": {"exact_links": [[1]]}}\n', "the corpus manifest is damaged (the record of 'zz' is "
                                                           "not one essay-kg writes)"),
    "broken JSON": ('{"d1": {"file": ', "the corpus manifest is damaged (not valid JSON)"),
    "a folder": (None, "is a folder, not the corpus manifest; every document is built again, and no manifest is kept"),
}


@pytest.mark.parametrize("case", DAMAGED_MANIFESTS)
def test_a_damaged_manifest_means_every_document_is_built_again(tmp_path: Path, case: str) -> None:
    texts, out = short_texts(tmp_path / "texts"), tmp_path / "out"
    assert run("build", str(texts), "--out", str(out), "--model", "none").exit_code == 0
    whole = files(out)
    manifest = out / ".essay-kg-manifest.json"
    content, warning = DAMAGED_MANIFESTS[case]
    manifest.unlink()
    if content is None:
        manifest.mkdir()
        del whole[manifest.name]
    else:
        manifest.write_text(content, encoding="utf-8")
    again = run("build", str(texts), "--out", str(out), "--model", "none")
    assert again.exit_code == 0, again.output
    assert "corpus: 3 built, 0 unchanged, 0 failed" in again.output
    warnings = [line for line in again.output.splitlines() if line.startswith("warning: ")]
    if content is not None:
        warning += "; every document is built again and the manifest written anew"
    assert warnings == [f"warning: {manifest}: {warning}"]
    assert files(out) == whole  # the manifest of this build, not the damaged one
    third = run("build", str(texts), "--out", str(out), "--model", "none")
    assert third.exit_code == 0
    assert ("corpus: 3 built, 0 unchanged" if content is None else "corpus: 0 built, 3 unchanged") in third.output


def test_metadata_of_the_wrong_type_fails_only_its_document(tmp_path: Path) -> None:
    texts, out = short_texts(tmp_path / "texts"), tmp_path / "out"
    bad = {"e-id": ('{"id": 123}', "'id' is a number, not a text"),
           "f-author": ('{"author": 42}', "'author' is a number, not a text"),
           "g-id-list": ('{"id": ["a"]}', "'id' is a list, not a text"),
           "h-pages": ('{"pages": {"a": 1}}', "'pages' is an object, not a text"),
           "i-deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply to be metadata")}
    for name, (metadata, _) in bad.items():
        (texts / f"{name}.txt").write_text(SHORT.format(name), encoding="utf-8")
        (texts / f"{name}.json").write_text(metadata, encoding="utf-8")
    result = run("build", str(texts), "--out", str(out), "--model", "none", "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert "corpus: 3 built, 0 unchanged, 5 failed" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {texts / name}.json: {message}" for name, (_, message) in bad.items()]
    assert sorted(json.loads((out / ".essay-kg-manifest.json").read_text(encoding="utf-8"))) == ["d1", "d2", "d3"]
    assert (out / "corpus.nq").is_file()


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (read from Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError):
            continue
        if int(parent) == pid and state not in "ZX":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def start_build(texts: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "essay_kg", "build", str(texts), "--out", str(out), "--model",
                             "none", "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, main: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert main.poll() is None, "the build ended first: " + main.communicate()[1][-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers in /proc")
def test_a_killed_worker_fails_its_document_only(tmp_path: Path) -> None:
    from essay_kg.corpus.merge import merge_nquads

    texts, out = short_texts(tmp_path / "texts"), tmp_path / "out"
    (texts / "a-long.txt").write_text(LONG, encoding="utf-8")  # first in order: the first worker takes it
    main = start_build(texts, out)
    try:
        # the other worker builds the three short texts and ends; the one left is building the long one
        wait_until(lambda: all((out / f"d{n}.nq").exists() for n in (1, 2, 3)) and len(children(main.pid)) == 1, main)
        os.kill(children(main.pid)[0], signal.SIGKILL)  # as the OOM killer does
        _, stderr = main.communicate(timeout=300)
    finally:
        main.kill()
    assert main.returncode == 1, stderr
    assert "corpus: 3 built, 0 unchanged, 1 failed" in stderr
    assert (f"error: {texts / 'a-long.txt'}: not built: the process building it was killed by SIGKILL (the system "
            "may have run out of memory)") in stderr.splitlines()
    assert sorted(json.loads((out / ".essay-kg-manifest.json").read_text(encoding="utf-8"))) == ["d1", "d2", "d3"]
    assert not list(out.glob("a-long*"))
    merge_nquads([out / f"d{n}.nq" for n in (1, 2, 3)], tmp_path / "three.nq")
    assert (out / "corpus.nq").read_bytes() == (tmp_path / "three.nq").read_bytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers in /proc")
def test_the_workers_end_with_the_main_process(tmp_path: Path) -> None:
    texts, out = tmp_path / "texts", tmp_path / "out"
    texts.mkdir()
    for name in ("a-long", "b-long"):
        (texts / f"{name}.txt").write_text(LONG, encoding="utf-8")
    main = start_build(texts, out)
    workers: list[int] = []
    try:
        wait_until(lambda: len(children(main.pid)) == 2, main)
        workers = children(main.pid)
        time.sleep(0.5)  # both are building
        main.kill()
        main.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if alive(pid)] == []
        time.sleep(1)
        assert not list(out.glob("*-long*"))  # no worker wrote a document after the main process was gone
    finally:
        main.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
