"""`essay-kg push` and remote queries against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import base64
import http.server
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import OxigraphServer, free_port, oxigraph_binary, push_counts, shipped_counts

GRAPH = "https://w3id.org/essay-kg/graph/"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)






def test_push_then_push_again_leaves_the_same_triples(oxigraph_store: OxigraphServer) -> None:
    first = run("push", "--endpoint", oxigraph_store.query_url)
    assert first.exit_code == 0, first.output
    assert "oxigraph store at" in first.output
    expected = shipped_counts()
    assert push_counts(first.output) == {g: (n, n) for g, n in expected.items()}
    second = run("push", "--endpoint", oxigraph_store.query_url)
    assert second.exit_code == 0, second.output
    assert push_counts(second.output) == push_counts(first.output)
    # what the server itself says, asked directly
    answer = run("sparql", "--endpoint", oxigraph_store.query_url, "--format", "csv",
                 "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    rows = dict(line.split(",") for line in answer.stdout.strip().splitlines()[1:])
    assert {g: int(n) for g, n in rows.items() if g.startswith(GRAPH)} == expected


def test_push_by_sparql_update_with_a_graph_prefix(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "store", [])
    try:
        result = run("push", "--endpoint", server.query_url, "--method", "update", "--batch", "700",
                     "--graph-prefix", "http://example.org/kg/")
        assert result.exit_code == 0, result.output
        counts = push_counts(result.output)
        assert counts == {g.replace(GRAPH, "http://example.org/kg/"): (n, n) for g, n in shipped_counts().items()}
        # the stored queries do not depend on the graph names
        answer = run("query", "run", "relations-of", "-p", "entity=NATO", "--endpoint", server.query_url, "-f", "csv")
        assert answer.exit_code == 0 and "partnership-for-peace" in answer.stdout
    finally:
        server.stop()


def test_append_adds_and_replace_restores(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "store", [])
    try:
        assert run("push", "--endpoint", server.query_url).exit_code == 0
        update = server.url + "/update"
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode({"update": f"INSERT DATA {{ GRAPH <{GRAPH}kozyrev-1994/facts> "
                                                 "{ <urn:a> <urn:b> <urn:c> } }"})
        urllib.request.urlopen(urllib.request.Request(update, data=body.encode()), timeout=10).close()
        appended = run("push", "--endpoint", server.query_url, "--append")
        assert appended.exit_code == 0, appended.output
        assert "(store holds more: --append)" in appended.output
        replaced = run("push", "--endpoint", server.query_url)
        assert replaced.exit_code == 0 and "MISMATCH" not in replaced.output and "holds more" not in replaced.output
        assert push_counts(replaced.output) == {g: (n, n) for g, n in shipped_counts().items()}
    finally:
        server.stop()


def test_remote_query_renders_like_a_local_one(oxigraph_store: OxigraphServer) -> None:
    assert run("push", "--endpoint", oxigraph_store.query_url).exit_code == 0
    for fmt in ("table", "csv", "tsv", "json", "markdown"):
        local = run("query", "run", "positions-of", "-p", "holder=Russia", "-f", fmt)
        remote = run("query", "run", "positions-of", "-p", "holder=Russia", "-f", fmt, "--endpoint",
                     oxigraph_store.query_url)
        assert remote.exit_code == 0, remote.output
        # Oxigraph stores xsd:nonNegativeInteger (the NIF offsets) as xsd:integer; formats that show datatypes say so
        expected = local.stdout.replace("XMLSchema#nonNegativeInteger", "XMLSchema#integer")
        assert remote.stdout == (expected if fmt in {"tsv", "json"} else local.stdout), fmt
    for entity, code in (("NATO", 0), ("https://w3id.org/essay-kg/id/atlantis", 1)):
        ask = run("query", "run", "is-mentioned", "-p", f"entity={entity}", "--endpoint", oxigraph_store.query_url)
        assert ask.exit_code == code, ask.output


def test_a_read_only_server_gives_a_clear_403(tmp_path: Path) -> None:
    import subprocess

    location = tmp_path / "ro"
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file",
                    str(Path(__file__).parent / "fixtures" / "wikidata" / "items.ttl")], check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server = OxigraphServer.__new__(OxigraphServer)
        server.process, server.port, server.url = process, port, f"http://127.0.0.1:{port}"
        server._wait()
        result = run("push", "--endpoint", server.query_url)
        assert result.exit_code == 3
        assert "HTTP 403, the store forbids this" in result.output and "read-only" in result.output
        assert "Traceback" not in result.output
    finally:
        process.terminate()
        process.wait()


def test_a_killed_server_gives_exit_3(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "store", [])
    url = server.query_url
    server.process.kill()
    server.process.wait()
    for args in (("push", "--endpoint", url), ("query", "run", "offices", "--endpoint", url),
                 ("sparql", "--endpoint", url, "ASK { ?s ?p ?o }")):
        result = run(*args)
        assert result.exit_code == 3, args
        assert f"error: {url.split('/query')[0]}" in result.output and "connection refused" in result.output
        assert "hint: start the store" in result.output


def test_a_wrong_path_suggests_the_usual_one(oxigraph_store: OxigraphServer) -> None:
    result = run("sparql", "--endpoint", oxigraph_store.url + "/sparql/nothing", "--store", "oxigraph",
                 "ASK { ?s ?p ?o }")
    assert result.exit_code == 3
    assert "HTTP 404" in result.output and "usually http://HOST:7878/query" in result.output


def test_bad_flags_are_bad_input(oxigraph_store: OxigraphServer) -> None:
    result = run("push", "--endpoint", "ftp://example.org/sparql")
    assert result.exit_code == 2 and "is not an http(s) URL" in result.output
    result = run("push", "--endpoint", oxigraph_store.query_url, "--store", "blazegraph")
    assert result.exit_code == 2 and "unknown store 'blazegraph'" in result.output
    result = run("query", "run", "offices", "--endpoint", oxigraph_store.query_url, "--graph", "graphs/x.trig")
    assert result.exit_code == 2 and "not both" in result.output
    result = run("push", "--endpoint", "http://127.0.0.1:9/custom", "--method", "update")
    assert result.exit_code == 2 and "--update-endpoint" in result.output


# --- credentials: from the environment or netrc, never echoed -----------------------------------

class AuthServer:
    """A tiny SPARQL endpoint that wants HTTP basic auth, answering every query with one empty result."""

    def __init__(self, user: str, password: str) -> None:
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                seen.append(self.headers.get("Authorization"))
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="store"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b'{"head": {"vars": []}, "boolean": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.query_url = f"http://127.0.0.1:{self.server.server_address[1]}/query"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def auth_server():
    server = AuthServer("reader", "s3cret-pass")
    yield server
    server.stop()


def test_credentials_come_from_the_environment(auth_server: AuthServer, tmp_path: Path) -> None:
    env = {"ESSAY_KG_STORE_USER": "reader", "ESSAY_KG_STORE_PASSWORD": "s3cret-pass", "NETRC": str(tmp_path / "none")}
    result = run("sparql", "--endpoint", auth_server.query_url, "ASK { ?s ?p ?o }", env=env)
    assert result.exit_code == 0, result.output
    assert auth_server.seen[-1] and auth_server.seen[-1].startswith("Basic ")


def test_credentials_come_from_netrc(auth_server: AuthServer, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login reader password s3cret-pass\n", encoding="utf-8")
    netrc.chmod(0o600)
    env = {"ESSAY_KG_STORE_USER": "", "ESSAY_KG_STORE_PASSWORD": "", "NETRC": str(netrc)}
    result = run("sparql", "--endpoint", auth_server.query_url, "ASK { ?s ?p ?o }", env=env)
    assert result.exit_code == 0, result.output


def test_missing_or_wrong_credentials_name_the_variables_and_never_the_password(auth_server: AuthServer,
                                                                               tmp_path: Path) -> None:
    env = {"ESSAY_KG_STORE_USER": "", "ESSAY_KG_STORE_PASSWORD": "", "NETRC": str(tmp_path / "none")}
    result = run("sparql", "--endpoint", auth_server.query_url, "ASK { ?s ?p ?o }", env=env)
    assert result.exit_code == 3
    assert "HTTP 401, the store needs credentials" in result.output
    assert "ESSAY_KG_STORE_USER" in result.output and "ESSAY_KG_STORE_PASSWORD" in result.output
    env = {"ESSAY_KG_STORE_USER": "reader", "ESSAY_KG_STORE_PASSWORD": "wrong-pass-123", "NETRC": str(tmp_path / "none")}
    result = run("sparql", "--endpoint", auth_server.query_url, "ASK { ?s ?p ?o }", env=env)
    assert result.exit_code == 3 and "refused the credentials" in result.output
    assert "wrong-pass-123" not in result.output
