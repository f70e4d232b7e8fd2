"""Time limits: a local query, a SERVICE that never answers, Graphviz and Java each end in one error line.

The queries run for real (a three-way cartesian join of the shipped graph, a socket that accepts and
never answers); `dot` and `java` are stood in for by scripts on PATH that wait, or fail as Java does,
since the subject is how essay-kg handles them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from essay_kg.errors import EnvironmentProblem
from essay_kg.query.engine import execute, load

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def cli(cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`essay-kg ARGS` in a new process; its output captured as text."""
    return subprocess.run([sys.executable, "-m", "essay_kg", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def two_lines(done: subprocess.CompletedProcess) -> list[str]:
    lines = [line for line in done.stderr.splitlines() if not line.startswith("note: reading ")]  # which graph
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), done.stderr[-800:]
    return lines


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_local_query_past_its_time_limit_is_an_environment_error(tmp_path: Path, engine: str) -> None:
    started = time.monotonic()
    done = cli(tmp_path, "sparql", CARTESIAN, "--engine", engine, env={"ESSAY_KG_QUERY_TIMEOUT": "1.5"})
    assert time.monotonic() - started < 20
    assert done.returncode == 3
    error, hint = two_lines(done)
    assert error == "error: the query ran past its time limit of 1.5 s"
    assert hint == ("hint: narrow the query, or give it longer: set ESSAY_KG_QUERY_TIMEOUT to the seconds it may run "
                    "(the default is 60), e.g. ESSAY_KG_QUERY_TIMEOUT=600")


def test_an_rdflib_query_past_its_limit_stops_its_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSAY_KG_QUERY_TIMEOUT", "1")
    dataset = load([], "rdflib")
    with pytest.raises(EnvironmentProblem, match="time limit of 1 s"):
        execute(CARTESIAN, dataset)
    deadline = time.monotonic() + 10
    while any(t.name == "essay-kg query" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "essay-kg query" for t in threading.enumerate())  # not left running in the background


class Silent:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_service_that_never_answers_ends_at_the_time_limit(tmp_path: Path, engine: str) -> None:
    silent = Silent()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{silent.port}/sparql> {{ ?s ?p ?o }} }}"
        started = time.monotonic()
        done = cli(tmp_path, "sparql", query, "--engine", engine, env={"ESSAY_KG_QUERY_TIMEOUT": "2"})
        assert time.monotonic() - started < 20
    finally:
        silent.close()
    assert done.returncode == 3
    assert two_lines(done)[0] == "error: the query ran past its time limit of 2 s"
    assert silent.held  # the SERVICE was called, and it was its silence that ran out the time


def fake_program(folder: Path, name: str, body: str) -> Path:
    """A folder holding one executable shell script `name`, to put on PATH in place of the real program."""
    folder.mkdir()
    script = folder / name
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return folder


def test_graphviz_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    slow = fake_program(tmp_path / "slow", "dot", "exec /bin/sleep 60\n")
    started = time.monotonic()
    done = cli(tmp_path, "draw", "timeline", "-o", "t.svg", "--timeout", "1", env={"PATH": str(slow)})
    assert time.monotonic() - started < 20
    assert done.returncode == 3
    error, hint = two_lines(done)
    assert error == "error: Graphviz ran past its time limit of 1 s"
    assert hint == "hint: draw fewer nodes (--max-nodes), or give it longer: --timeout SECONDS (the default is 120)"
    assert not (tmp_path / "t.svg").exists()


def test_java_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    slow = fake_program(tmp_path / "slow", "java", "exec /bin/sleep 60\n")
    started = time.monotonic()
    done = cli(tmp_path, "reason", "--timeout", "1", env={"PATH": str(slow)})
    assert time.monotonic() - started < 30
    assert done.returncode == 3
    error, hint = two_lines(done)
    assert error == "error: HermiT ran past its time limit of 1 s"
    assert hint == "hint: give it longer: essay-kg reason --timeout SECONDS (the default is 300)"


def test_a_failing_java_is_shown_by_its_own_message(tmp_path: Path) -> None:
    failing = fake_program(tmp_path / "failing", "java", (
        "echo 'Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space' >&2\n"
        "echo '\tat org.semanticweb.HermiT.Reasoner.<init>(Reasoner.java:210)' >&2\n"
        "exit 1\n"))
    done = cli(tmp_path, "reason", env={"PATH": str(failing)})
    assert done.returncode == 3
    error, hint = two_lines(done)
    assert error == ('error: HermiT failed to run (Exception in thread "main" java.lang.OutOfMemoryError: '
                     'Java heap space)')
    assert hint == "hint: check the Java runtime (java -version); Java 11 or newer works"
