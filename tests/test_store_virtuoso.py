"""`essay-kg push` and remote queries against a real Virtuoso Open Source server on 127.0.0.1.

Skipped, with the reason, where Virtuoso is not installed; `.ci/run` installs it and sets
ESSAY_KG_REQUIRE_SERVERS=1, so in CI a missing server is a failure, not a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import VirtuosoServer, push_counts, shipped_counts

pytestmark = pytest.mark.virtuoso
DBA = {"ESSAY_KG_STORE_USER": "dba", "ESSAY_KG_STORE_PASSWORD": "dba"}


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)






def test_push_through_the_authenticated_graph_store_twice(virtuoso_store: VirtuosoServer) -> None:
    first = run("push", "--endpoint", virtuoso_store.query_url, env=DBA)
    assert first.exit_code == 0, first.output
    assert "virtuoso store at" in first.output
    assert push_counts(first.output) == {g: (n, n) for g, n in shipped_counts().items()}
    second = run("push", "--endpoint", virtuoso_store.query_url, env=DBA)
    assert second.exit_code == 0, second.output
    assert push_counts(second.output) == push_counts(first.output)


def test_push_through_authenticated_sparql_update(tmp_path: Path) -> None:
    server = VirtuosoServer(tmp_path)  # its own store: the graph prefix must not leak into the others' answers
    try:
        prefix = "http://example.org/update-test/"
        for _ in range(2):  # twice: DROP SILENT GRAPH, then INSERT, keeps it idempotent
            result = run("push", "--endpoint", server.query_url, "--method", "update", "--graph-prefix", prefix, env=DBA)
            assert result.exit_code == 0, result.output
            assert push_counts(result.output) == {g: (n, n) for g, n in shipped_counts(prefix).items()}
        answer = run("query", "run", "relations-of", "-p", "entity=NATO", "--endpoint", server.query_url, "-f", "csv")
        assert answer.exit_code == 0 and "partnership-for-peace" in answer.stdout
    finally:
        server.stop()


def test_push_without_credentials_names_the_variables(virtuoso_store: VirtuosoServer, tmp_path: Path) -> None:
    env = {"ESSAY_KG_STORE_USER": "", "ESSAY_KG_STORE_PASSWORD": "", "NETRC": str(tmp_path / "none")}
    result = run("push", "--endpoint", virtuoso_store.query_url, env=env)
    assert result.exit_code == 3
    assert "HTTP 401, the store needs credentials" in result.output and "ESSAY_KG_STORE_PASSWORD" in result.output
    result = run("push", "--endpoint", virtuoso_store.query_url,
                 env={"ESSAY_KG_STORE_USER": "dba", "ESSAY_KG_STORE_PASSWORD": "not-the-password"})
    assert result.exit_code == 3 and "refused the credentials" in result.output
    assert "not-the-password" not in result.output


def test_remote_query_on_virtuoso_renders_like_a_local_one(virtuoso_store: VirtuosoServer) -> None:
    assert run("push", "--endpoint", virtuoso_store.query_url, env=DBA).exit_code == 0
    for fmt in ("table", "csv", "tsv", "json", "markdown"):
        local = run("query", "run", "relations-of", "-p", "entity=CSCE", "-f", fmt)
        remote = run("query", "run", "relations-of", "-p", "entity=CSCE", "-f", fmt, "--endpoint",
                     virtuoso_store.query_url)
        assert remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout, fmt
