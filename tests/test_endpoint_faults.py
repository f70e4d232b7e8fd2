"""Endpoints that misbehave: malformed answers, answers that trickle in, answers without end, and a push killed
part-way.  Each misbehaving endpoint is a tiny local HTTP server; the push runs against a real Oxigraph server."""

from __future__ import annotations

import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app
from essay_kg.errors import EnvironmentProblem

from conftest import REPO, OxigraphServer

QUADS = "<urn:a> <urn:p> <urn:b> <https://w3id.org/essay-kg/graph/t/facts> .\n"


class Raw(socketserver.ThreadingTCPServer):
    """A server that reads one HTTP request, then lets `answer` write whatever bytes it likes to the socket."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, answer: Callable[[str, socketserver.StreamRequestHandler], None]) -> None:
        self.stopped = threading.Event()

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline().decode("latin-1")
                length = 0
                while (header := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                self.rfile.read(length)
                try:
                    answer(line, self)
                except OSError:
                    pass  # the client hung up

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/query"

    def close(self) -> None:
        self.stopped.set()
        self.shutdown()
        self.server_close()


@pytest.fixture()
def endpoint() -> Iterator[Callable[[Callable[[str, socketserver.StreamRequestHandler], None]], Raw]]:
    servers: list[Raw] = []

    def start(answer: Callable[[str, socketserver.StreamRequestHandler], None]) -> Raw:
        servers.append(Raw(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def json_answer(body: object) -> Callable[[str, socketserver.StreamRequestHandler], None]:
    """Answers every POST with `body` as SPARQL JSON results, and every other request (an update, a PUT) with 204."""
    data = json.dumps(body).encode()

    def answer(line: str, handler: socketserver.StreamRequestHandler) -> None:
        if "/query" in line:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(data), data))
        else:
            handler.wfile.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")

    return answer


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def one_error(result, code: int) -> str:
    """The error line of a failed command (which must be that and a hint, no traceback)."""
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(("error:", "hint:"))]
    assert len(lines) == 2 and "Traceback" not in result.output, result.output
    return lines[0]


MALFORMED = [
    ({"head": {"vars": "notalist"}, "results": [1, 2, 3]}, '"head" has no list of variable names in "vars"'),
    ({"head": {"vars": ["x"]}, "results": [1, 2, 3]}, '"results" has no list of "bindings"'),
    ({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"value": "a"}}]}},
     '?x of binding 1 is no term with a known "type" and a "value"'),
    ({"head": {"vars": ["x"]}, "results": {"bindings": [{"y": {"type": "uri", "value": "urn:a"}}]}},
     'binding 1 names ?y, which is not in "vars"'),
    ({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "a", "xml:lang": "en us"}}]}},
     "binding 1: "),
]


@pytest.mark.parametrize(("body", "what"), MALFORMED, ids=["vars-not-a-list", "results-not-an-object", "no-type",
                                                           "unknown-variable", "bad-language"])
def test_a_malformed_select_answer_is_one_line_naming_the_endpoint(endpoint, body: object, what: str) -> None:
    server = endpoint(json_answer(body))
    for args in (["sparql", "SELECT ?x WHERE { ?x ?p ?o }"], ["query", "run", "offices"]):
        error = one_error(run(*args, "--endpoint", server.query_url), 3)
        assert error.startswith(f"error: {server.query_url}: the answer is not valid SPARQL JSON results ({what}")


def test_an_ask_answer_that_is_no_boolean_is_refused(endpoint) -> None:
    server = endpoint(json_answer({"head": {}, "boolean": "false"}))
    error = one_error(run("sparql", "ASK { ?s ?p ?o }", "--endpoint", server.query_url), 3)
    assert error == (f"error: {server.query_url}: the answer is not valid SPARQL JSON results (an ASK answer whose "
                     '"boolean" is not true or false)')
    honest = endpoint(json_answer({"head": {}, "boolean": False}))
    result = run("sparql", "ASK { ?s ?p ?o }", "--endpoint", honest.query_url)
    assert result.exit_code == 1 and result.stdout == "false\n"


@pytest.mark.parametrize(("body", "what"), [
    ({"head": {"vars": ["x"]}, "results": {"bindings": []}}, "the count of triples per graph answers ?x, not ?g and ?n"),
    ({"head": {"vars": ["g", "n"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "urn:g"},
                                                               "n": {"type": "literal", "value": "many"}}]}},
     "the count of triples for <urn:g> is 'many', no number"),
    ({"head": {"vars": "notalist"}, "results": [1, 2, 3]}, '"head" has no list of variable names in "vars"'),
], ids=["other-variables", "no-number", "vars-not-a-list"])
def test_push_refuses_a_malformed_count(endpoint, tmp_path: Path, body: object, what: str) -> None:
    (tmp_path / "t.nq").write_text(QUADS, encoding="utf-8")
    server = endpoint(json_answer(body))
    for method in ("update", "gsp"):
        result = run("push", "--endpoint", server.query_url, "--method", method, "--graph", str(tmp_path / "t.nq"))
        assert one_error(result, 3) == f"error: {server.query_url}: the answer is not valid SPARQL JSON results ({what})"


def trickle(phase: str) -> Callable[[str, socketserver.StreamRequestHandler], None]:
    """Answers one byte every 0.3 s (so that no single read waits long), in the headers or in the body, for 20 s."""
    body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode() + b" " * 200

    def answer(line: str, handler: socketserver.StreamRequestHandler) -> None:
        if phase == "headers":
            head = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Slow-%d: yes\r\n" % i for i in range(20))
            rest = b"Content-Type: application/sparql-results+json\r\nConnection: close\r\n\r\n" + body
        else:
            head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body))
            rest = body
        handler.wfile.write(head[:16] if phase == "headers" else head)
        handler.wfile.flush()
        for byte in (head[16:] if phase == "headers" else b"") + rest:
            if handler.server.stopped.wait(0.3):  # type: ignore[attr-defined]
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    return answer


@pytest.mark.parametrize("phase", ["headers", "body"])
def test_a_trickling_endpoint_is_cut_off_at_the_deadline(endpoint, tmp_path: Path, phase: str) -> None:
    from essay_kg.link.client import SparqlClient
    from essay_kg.store.location import Location, run_sparql, run_stored_query

    server = endpoint(trickle(phase))
    (tmp_path / "t.nq").write_text(QUADS, encoding="utf-8")
    started = time.monotonic()
    result = run("push", "--endpoint", server.query_url, "--timeout", "2", "--graph", str(tmp_path / "t.nq"))
    assert time.monotonic() - started < 4
    assert one_error(result, 3) == (f"error: http://127.0.0.1:{server.server_address[1]}/store?graph=urn%3Aessay-kg"
                                    "%3Apushing%3Ahttps%3A%2F%2Fw3id.org%2Fessay-kg%2Fgraph%2Ft%2Ffacts: the store did "
                                    "not answer in time (no whole answer within 2 s)")

    where = Location(endpoint=server.query_url, timeout=2)
    for ask in (lambda: run_sparql("SELECT ?x WHERE { ?x ?p ?o }", where), lambda: run_stored_query("offices", [], where)):
        started = time.monotonic()
        with pytest.raises(EnvironmentProblem) as caught:
            ask()
        assert time.monotonic() - started < 4
        assert caught.value.message == f"{server.query_url}: the store did not answer in time (no whole answer within 2 s)"

    client = SparqlClient(server.query_url, timeout=2, retries=0)
    started = time.monotonic()
    with pytest.raises(EnvironmentProblem) as caught:
        client.select("SELECT ?x WHERE { ?x ?p ?o }")
    assert time.monotonic() - started < 4
    assert caught.value.message == (f"the SPARQL endpoint {server.query_url} did not answer after 1 attempts "
                                    "(timed out: no whole answer within 2 s)")


def endless(line: str, handler: socketserver.StreamRequestHandler) -> None:
    """An answer that never ends (until the client hangs up)."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n\r\n"
                        b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
    row = b'{"x": {"type": "literal", "value": "' + b"y" * 4000 + b'"}}, '
    while not handler.server.stopped.is_set():  # type: ignore[attr-defined]
        handler.wfile.write(row * 16)


def test_an_endless_answer_is_cut_off_at_the_byte_bound(endpoint, tmp_path: Path, monkeypatch) -> None:
    from essay_kg.link.client import SparqlClient

    server = endpoint(endless)
    env = {**os.environ, "ESSAY_KG_MAX_ANSWER_MB": "2"}
    done = subprocess.run([sys.executable, "-m", "essay_kg", "sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint",
                           server.query_url], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines() == [
        f"error: {server.query_url}: the answer is larger than 2 MiB; stopped reading it",
        "hint: ask for less (a LIMIT), or raise the bound with ESSAY_KG_MAX_ANSWER_MB=MEBIBYTES"]

    monkeypatch.setenv("ESSAY_KG_MAX_ANSWER_MB", "1")
    (tmp_path / "t.nq").write_text(QUADS, encoding="utf-8")
    result = run("push", "--endpoint", server.query_url, "--method", "update", "--graph", str(tmp_path / "t.nq"))
    assert one_error(result, 3) == (f"error: http://127.0.0.1:{server.server_address[1]}/update: the answer is larger "
                                    "than 1 MiB; stopped reading it")
    with pytest.raises(EnvironmentProblem) as caught:
        SparqlClient(server.query_url, retries=0).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert caught.value.message == f"{server.query_url}: the answer is larger than 1 MiB; stopped reading it"


def graph_counts(server: OxigraphServer) -> dict[str, int]:
    """Triples per named graph, as the server says."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    url = f"{server.query_url}?{urllib.parse.urlencode({'query': query})}"
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as answer:
        rows = json.load(answer)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def counts_of(nquads: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in nquads.splitlines():
        graph = line.rsplit(" ", 2)[-2].strip("<>")
        counts[graph] = counts.get(graph, 0) + 1
    return counts


def test_a_push_killed_part_way_leaves_each_graph_old_or_new(tmp_path: Path) -> None:
    new = (REPO / "graphs" / "kozyrev-1994.nq").read_text(encoding="utf-8")
    old = "".join(line + "\n" for line in new.splitlines()[::3] if "_:" not in line)
    (tmp_path / "old.nq").write_text(old, encoding="utf-8")
    (tmp_path / "new.nq").write_text(new, encoding="utf-8")
    old_counts, new_counts = counts_of(old), counts_of(new)
    assert all(old_counts[g] != new_counts[g] for g in new_counts)
    server = OxigraphServer(tmp_path / "store", [])
    try:
        assert run("push", "--endpoint", server.query_url, "--graph", str(tmp_path / "old.nq")).exit_code == 0
        assert graph_counts(server) == old_counts
        args = ["--method", "update", "--batch", "5"]
        pushing = subprocess.Popen([sys.executable, "-m", "essay_kg", "push", "--endpoint", server.query_url, *args,
                                    "--graph", str(tmp_path / "new.nq")], cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = old_counts
        deadline = time.monotonic() + 60
        while abs(sum(seen.values()) - sum(old_counts.values())) < 40:  # some 8 batches on
            assert pushing.poll() is None and time.monotonic() < deadline, "the push ended before it could be killed"
            seen = graph_counts(server)
        pushing.send_signal(signal.SIGKILL)
        pushing.wait()
        after = graph_counts(server)
        for graph, count in new_counts.items():
            assert after.get(graph) in (old_counts[graph], count), (graph, after.get(graph), old_counts[graph], count)
        leftover = {g for g in after if g not in new_counts}
        assert all(g.startswith("urn:essay-kg:pushing:") for g in leftover) and len(leftover) <= 1, leftover

        again = run("push", "--endpoint", server.query_url, "--method", "update", "--graph", str(tmp_path / "new.nq"))
        assert again.exit_code == 0, again.output
        assert graph_counts(server) == new_counts  # the pending graph is gone
    finally:
        server.stop()
