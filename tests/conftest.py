"""Shared fixtures: the shipped essay built once per test session."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Dataset

REPO = Path(__file__).resolve().parents[1]
ESSAY = REPO / "extract" / "sources" / "kozyrev-1994-the-lagging-partnership.txt"
ID = "https://w3id.org/essay-kg/id/"
EKG = "https://w3id.org/essay-kg/ontology#"
PARSE_CACHE = pytest.StashKey[str]()  # the session's own parse cache folder


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the shipped essay, in a temporary folder."""
    from essay_kg.corpus.documents import build_sources

    out = tmp_path_factory.mktemp("graphs")
    build_sources([], out)
    return out


@pytest.fixture(scope="session")
def dataset(built: Path) -> Dataset:
    """The fresh build as an rdflib Dataset whose default graph is the union."""
    data = Dataset(default_union=True)
    data.parse(built / "kozyrev-1994.trig", format="trig")
    return data


@pytest.fixture(scope="session")
def extraction():
    """The extractor's plain-data result for the shipped essay."""
    from essay_kg.extract.rules.load import load_rules
    from essay_kg.extract.run import extract
    from essay_kg.text.source import read_source

    rules = load_rules()
    return extract(read_source(ESSAY, rules.paratext), rules)


@pytest.fixture(scope="session")
def facts(dataset: Dataset) -> set[tuple[str, str, str]]:
    """The facts graph as (subject, predicate, object) with namespaces stripped."""
    graph = dataset.graph("https://w3id.org/essay-kg/graph/kozyrev-1994/facts")
    return {(short(s), short(p), short(o)) for s, p, o in graph}


def short(term: object) -> str:
    """An IRI without the essay-kg namespaces, or a literal's lexical form."""
    text = str(term)
    for base in (ID, EKG):
        if text.startswith(base):
            return text[len(base):]
    return text


def pytest_configure(config: pytest.Config) -> None:
    """The builds of the session keep their parses in a folder of their own, removed after it: never the user's
    parse cache, and each text parsed once however many tests build it (a kept parse gives the same graph:
    tests/test_parse_cache.py).  ESSAY_KG_PARSE_CACHE set outside (a folder, or "off") is kept."""
    import os
    import tempfile

    if "ESSAY_KG_PARSE_CACHE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="essay-kg-parses-")
        os.environ["ESSAY_KG_PARSE_CACHE"] = folder
        config.stash[PARSE_CACHE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    import os
    import shutil

    if (folder := config.stash.get(PARSE_CACHE, None)) is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("ESSAY_KG_PARSE_CACHE", None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `network` need the internet: skipped unless ESSAY_KG_NETWORK=1; `java` ones need Java."""
    import os
    import shutil

    no_java = shutil.which("java") is None and os.environ.get("ESSAY_KG_REQUIRE_SERVERS") != "1"
    skip_java = pytest.mark.skip(reason="needs a Java runtime for HermiT (.ci/run installs default-jre-headless)")
    skip_network = pytest.mark.skip(reason="needs the internet; set ESSAY_KG_NETWORK=1 to run")
    for item in items:
        if "network" in item.keywords and os.environ.get("ESSAY_KG_NETWORK") != "1":
            item.add_marker(skip_network)
        if "java" in item.keywords and no_java:
            item.add_marker(skip_java)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str:
    """The `oxigraph` command installed with the test extras (pip install oxigraph)."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert found, "the oxigraph server is missing: pip install '.[test]' installs it"
    return found


def wait_for_sparql(server, name: str, seconds: float) -> None:
    """Poll a started server's query endpoint until it answers; stop it and fail if it does not."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {server.process.returncode}")
        try:
            with urllib.request.urlopen(f"{server.query_url}?query=ASK%7B%7D", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not start within {seconds:.0f} s")


class OxigraphServer:
    """A real Oxigraph SPARQL server on 127.0.0.1, loaded with files, for one test or session."""

    def __init__(self, location: Path, files: list[Path]) -> None:
        import subprocess

        self.location = location
        binary = oxigraph_binary()
        if files:
            subprocess.run([binary, "load", "--location", str(location), "--file", *map(str, files)],
                           check=True, capture_output=True, timeout=120)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait()

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def _wait(self) -> None:
        wait_for_sparql(self, "oxigraph", 30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def wikidata_fixture(tmp_path_factory: pytest.TempPathFactory):
    """A local SPARQL endpoint serving the Wikidata-shaped fixture (tests/fixtures/wikidata/items.ttl)."""
    server = OxigraphServer(tmp_path_factory.mktemp("wikidata-store"), [REPO / "tests" / "fixtures" / "wikidata" / "items.ttl"])
    yield server
    server.stop()


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 400
"""


def require_servers() -> bool:
    """CI sets ESSAY_KG_REQUIRE_SERVERS=1: a missing server binary then fails instead of skipping."""
    import os

    return os.environ.get("ESSAY_KG_REQUIRE_SERVERS") == "1"


class VirtuosoServer:
    """Virtuoso Open Source on free ports with a temporary database (its `dba` account has password `dba`)."""

    def __init__(self, folder: Path) -> None:
        import shutil
        import subprocess

        binary = shutil.which("virtuoso-t")
        if binary is None:
            message = "Virtuoso is not installed (Debian package virtuoso-opensource; .ci/run installs it)"
            if require_servers():
                pytest.fail(message)
            pytest.skip(message)
        self.http_port, sql_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=self.http_port), encoding="utf-8")
        self.log = folder / "server.out"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                            stdout=out, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.http_port}"
        self._wait()

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    def _wait(self) -> None:
        wait_for_sparql(self, "virtuoso", 120)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except Exception:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory: pytest.TempPathFactory):
    """An empty Oxigraph server for push and remote-query tests."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-store"), [])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory: pytest.TempPathFactory):
    """A fresh Virtuoso server (skipped, with the reason, where Virtuoso is not installed)."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso-store"))
    yield server
    server.stop()


def _hypothesis_profiles() -> None:
    """`ci` (HYPOTHESIS_PROFILE=ci, set by .ci/run): 1,000 examples per property; `dev`: 150."""
    import os

    from hypothesis import settings

    settings.register_profile("ci", max_examples=1000, deadline=None, derandomize=True)
    settings.register_profile("dev", max_examples=150, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_hypothesis_profiles()


NUMERIC_TYPES = {"integer", "nonNegativeInteger", "decimal", "double", "float", "int", "long", "positiveInteger"}


def concatenated(sparql: str) -> dict[str, str]:
    """Variables bound by GROUP_CONCAT, with their separators."""
    import re

    found = re.finditer(r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?(?:separator\s*=\s*"([^"]*)")?\s*\)\s*AS\s*\?(\w+)',
                        sparql, re.I)
    return {m.group(2): m.group(1) if m.group(1) is not None else " " for m in found}


def normal(term, separator: str | None):
    from decimal import Decimal

    from rdflib import Literal

    if isinstance(term, Literal):
        if term.datatype is not None and str(term.datatype).rsplit("#", 1)[-1] in NUMERIC_TYPES:
            return ("number", Decimal(str(term)))
        if separator is not None:
            return ("parts", tuple(sorted(str(term).split(separator))))
        return ("literal", str(term), term.language, term.datatype)
    return (type(term).__name__, str(term))


def normalised_rows(answer, sparql: str) -> list:
    """Rows as a sorted multiset: numbers by value, GROUP_CONCAT values as sets of parts."""
    joined = concatenated(sparql)
    return sorted((tuple(normal(t, joined.get(v)) for v, t in zip(answer.variables, row, strict=True))
                   for row in answer.rows), key=repr)


def review_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a `link --review` file (its "#" header lines left out)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def by_entity(rows: list[dict[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Review rows as (decision, QID) pairs by entity."""
    table: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        table.setdefault(row["entity"], []).append((row["decision"], row["qid"]))
    return table


def push_counts(output: str) -> dict[str, tuple[int, int]]:
    """`essay-kg push`'s table: graph -> (triples here, triples on the store)."""
    table = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[2] == "local" and parts[0].startswith("http"):
            table[parts[0]] = (int(parts[1]), int(parts[3]))
    return table


def shipped_counts(prefix: str = "https://w3id.org/essay-kg/graph/") -> dict[str, int]:
    """Triples per named graph of the shipped graph, under a graph prefix."""
    from essay_kg.rdf.files import load_graphs

    return {str(g.identifier).replace("https://w3id.org/essay-kg/graph/", prefix): len(g)
            for g in load_graphs([]).graphs() if len(g)}


def assert_same_answer(actual, expected, sparql: str) -> None:
    """Two answers to one query agree: the same kind, the same rows (normalised) or an isomorphic graph."""
    from rdflib.compare import isomorphic

    assert actual.kind == expected.kind
    if expected.kind == "ASK":
        assert actual.boolean == expected.boolean
    elif expected.kind == "SELECT":
        assert actual.variables == expected.variables
        assert normalised_rows(actual, sparql) == normalised_rows(expected, sparql)
    else:
        assert len(actual.graph) == len(expected.graph) and isomorphic(actual.graph, expected.graph)
