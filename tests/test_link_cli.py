"""`essay-kg link` end to end: a real Oxigraph server with a Wikidata-shaped fixture, and small HTTP
servers that answer 429, 503 or an empty 200, as the Wikidata Query Service sometimes does."""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import ID, REPO, OxigraphServer, by_entity, free_port, review_rows

WD = "http://www.wikidata.org/entity/"
LINKS = URIRef("https://w3id.org/essay-kg/graph/links")


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    """A rules folder: the test gazetteer and the shipped expected classes."""
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "link-rules" / "entities.jsonl", folder)
    shutil.copy(REPO / "extract" / "wikidata-classes.jsonl", folder)
    return folder


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def propose(endpoint: str, rules: Path, review: Path, *extra: str):
    return run("link", "--rules", str(rules), "--endpoint", endpoint, "--review", str(review), "--no-cache", *extra)


def test_link_proposes_and_decides_against_a_real_endpoint(wikidata_fixture: OxigraphServer, rules: Path,
                                                           tmp_path: Path) -> None:
    review = tmp_path / "review.tsv"
    result = propose(wikidata_fixture.query_url, rules, review, "--as-of", "1994-05")
    assert result.exit_code == 0, result.output
    rows = review_rows(review)
    table = by_entity(rows)
    # the right candidate is chosen; the same-named disambiguation page is rejected for its class
    assert table["bill-clinton"] == [("accept", "Q1124"), ("reject", "Q990001")]
    rejected = next(r for r in rows if r["qid"] == "Q990001")
    assert "class mismatch" in rejected["reason"] and "human (Q5)" in rejected["reason"]
    # two states called Georgia both fit: left for review, nothing accepted
    assert table["georgia"] == [("review", "Q230"), ("review", "Q990002")]
    # predecessor and successor share the alias CSCE: the document date decides
    assert table["csce"] == [("accept", "Q990003"), ("review", "Q990004")]
    successor = next(r for r in rows if r["qid"] == "Q990004")
    assert "after 1994-05" in successor["reason"] and successor["match"] == "closeMatch"
    # a newspaper is chosen over a film of the same name
    assert table["pravda"] == [("accept", "Q183644"), ("reject", "Q990005")]
    # a name carried only as a language-neutral label is found
    assert table["vladimir-zhirinovsky"] == [("accept", "Q200015")]
    assert "'Vladimir Zhirinovsky'@mul" in next(r for r in rows if r["qid"] == "Q200015")["reason"]
    assert table["western-observers"] == [("none", "")]
    assert "4 accepted, 1 to review, 1 without candidates" in result.output


def test_a_later_document_date_picks_the_successor(wikidata_fixture: OxigraphServer, rules: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.tsv"
    assert propose(wikidata_fixture.query_url, rules, review, "--as-of", "1996", "csce").exit_code == 0
    assert by_entity(review_rows(review)) == {"csce": [("accept", "Q990004"), ("review", "Q990003")]}
    assert "ended 1994-12-31, before 1996" in review.read_text(encoding="utf-8")


def test_nothing_is_accepted_below_the_threshold(wikidata_fixture: OxigraphServer, rules: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.tsv"
    assert propose(wikidata_fixture.query_url, rules, review, "--as-of", "1994-05", "--threshold", "99").exit_code == 0
    accepted = {r["entity"]: r["qid"] for r in review_rows(review) if r["decision"] == "accept"}
    assert accepted == {"bill-clinton": "Q1124", "vladimir-zhirinovsky": "Q200015"}  # the two scoring 100


def test_apply_turns_accepted_rows_into_the_links_graph(wikidata_fixture: OxigraphServer, rules: Path,
                                                        tmp_path: Path) -> None:
    review = tmp_path / "review.tsv"
    assert propose(wikidata_fixture.query_url, rules, review, "--as-of", "1994-05").exit_code == 0
    text = review.read_text(encoding="utf-8")
    # the reviewer accepts the sovereign Georgia and marks the CSCE link as closeMatch
    text = text.replace("georgia\tState\tGeorgia\treview\tQ230", "georgia\tState\tGeorgia\taccept\tQ230")
    text = text.replace(
        "exactMatch\talias 'CSCE'@en is the item's alias; instance of intergovernmental organization (Q245065); exists",
        "closeMatch\talias 'CSCE'@en is the item's alias; instance of intergovernmental organization (Q245065); exists")
    review.write_text(text, encoding="utf-8")
    out, same_as = tmp_path / "links.trig", tmp_path / "sameas.ttl"
    result = run("link", "--rules", str(rules), "--apply", str(review), "--out", str(out), "--same-as", str(same_as))
    assert result.exit_code == 0, result.output
    data = Dataset()
    data.parse(out, format="trig")
    links = data.graph(LINKS)
    pairs = {(str(s)[len(ID):], str(p).rsplit("#", 1)[1], str(o)[len(WD):]) for s, p, o in links
             if p in (SKOS.exactMatch, SKOS.closeMatch)}
    assert pairs == {("bill-clinton", "exactMatch", "Q1124"), ("georgia", "exactMatch", "Q230"),
                     ("csce", "closeMatch", "Q990003"), ("pravda", "exactMatch", "Q183644"),
                     ("vladimir-zhirinovsky", "exactMatch", "Q200015")}
    node = URIRef(ID + "link/georgia/Q230")
    rule = str(links.value(node, URIRef("https://w3id.org/essay-kg/ontology#ruleId")))
    line = int(rule.split(":")[1])
    assert review.read_text(encoding="utf-8").splitlines()[line - 1].startswith("georgia\tState\tGeorgia\taccept\tQ230")
    same = Graph().parse(same_as, format="turtle")
    assert {(str(s)[len(ID):], str(o)[len(WD):]) for s, _, o in same.triples((None, OWL.sameAs, None))} == {
        ("bill-clinton", "Q1124"), ("georgia", "Q230"), ("pravda", "Q183644"), ("vladimir-zhirinovsky", "Q200015")}


@pytest.mark.parametrize(("edit", "message"), [
    (("Q990002\tGeorgia\ta federated state\t90", "Q990002\tGeorgia\ta federated state\t90"), None),
    (("bill-clinton\tPerson\tBill Clinton\treject", "bill-clinton\tPerson\tBill Clinton\taccept"), "a second accepted item"),
    (("\taccept\tQ1124\t", "\taccept\tX1124\t"), "is not a Wikidata item id"),
    (("\taccept\tQ1124\t", "\tmaybe\tQ1124\t"), "unknown decision 'maybe'"),
    (("vladimir-zhirinovsky\tPerson", "nobody\tPerson"), "unknown entity 'nobody'"),
])
def test_apply_rejects_a_badly_edited_review(wikidata_fixture: OxigraphServer, rules: Path, tmp_path: Path,
                                             edit: tuple[str, str], message: str | None) -> None:
    review = tmp_path / "review.tsv"
    assert propose(wikidata_fixture.query_url, rules, review, "--as-of", "1994-05").exit_code == 0
    text = review.read_text(encoding="utf-8")
    assert edit[0] in text
    review.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    out = tmp_path / "links.trig"
    result = run("link", "--rules", str(rules), "--apply", str(review), "--out", str(out))
    if message is None:
        assert result.exit_code == 0 and out.is_file()
        return
    assert result.exit_code == 2
    assert f"{review}:" in result.output and message in result.output and "hint:" in result.output
    assert not out.exists()  # no half-written output


def test_a_rerun_is_answered_from_the_cache(rules: Path, tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "store", [REPO / "tests" / "fixtures" / "wikidata" / "items.ttl"])
    cache, first, second = tmp_path / "cache", tmp_path / "first.tsv", tmp_path / "second.tsv"
    try:
        args = ("link", "--rules", str(rules), "--endpoint", server.query_url, "--as-of", "1994-05", "--cache", str(cache))
        assert run(*args, "--review", str(first)).exit_code == 0
    finally:
        server.stop()
    result = run(*args, "--review", str(second))
    assert result.exit_code == 0, result.output
    assert "(0 requests, 3 from cache)" in result.output
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


# --- misbehaving endpoints ---------------------------------------------------------------------

EMPTY_ANSWER = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()


class Script:
    """What a scripted endpoint answers, request by request; the last answer repeats."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes]]) -> None:
        self.answers = answers
        self.seen: list[tuple[float, dict[str, str]]] = []


@pytest.fixture()
def scripted() -> Iterator[callable]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(script: Script) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                script.seen.append((time.monotonic(), dict(self.headers)))
                status, headers, body = script.answers[min(len(script.seen), len(script.answers)) - 1]
                self.send_response(status)
                for name, value in {"Content-Type": "application/sparql-results+json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_429_with_retry_after_is_waited_out(scripted, rules: Path, tmp_path: Path) -> None:
    script = Script([(429, {"Retry-After": "1"}, b"Too Many Requests"), (200, {}, EMPTY_ANSWER)])
    endpoint = scripted(script)
    result = propose(endpoint, rules, tmp_path / "review.tsv", "--as-of", "1994-05", "bill-clinton",
                     "--contact", "researcher@example.org")
    assert result.exit_code == 0, result.output
    assert len(script.seen) == 2
    assert script.seen[1][0] - script.seen[0][0] >= 0.9  # waited as asked
    assert "HTTP 429; retrying in 1 s" in result.output
    agent = script.seen[0][1]["User-Agent"]
    assert agent.startswith("essay-kg/") and "https://w3id.org/essay-kg" in agent and "researcher@example.org" in agent
    assert by_entity(review_rows(tmp_path / "review.tsv")) == {"bill-clinton": [("none", "")]}


def test_a_200_with_an_empty_or_cut_off_body_is_retried(scripted, rules: Path, tmp_path: Path) -> None:
    script = Script([(200, {}, b""), (200, {}, EMPTY_ANSWER[:20]), (200, {}, EMPTY_ANSWER)])
    result = propose(scripted(script), rules, tmp_path / "review.tsv", "--as-of", "1994", "georgia")
    assert result.exit_code == 0, result.output
    assert len(script.seen) == 3
    assert "empty body" in result.output and "truncated or invalid body" in result.output


def test_an_endpoint_that_keeps_failing_exits_3_naming_it(scripted, rules: Path, tmp_path: Path) -> None:
    endpoint = scripted(Script([(503, {"Retry-After": "0"}, b"Service Unavailable")]))
    review = tmp_path / "review.tsv"
    result = propose(endpoint, rules, review, "--retries", "2")
    assert result.exit_code == 3
    assert f"error: the SPARQL endpoint {endpoint} did not answer after 3 attempts (HTTP 503)" in result.output
    assert "hint:" in result.output and not review.exists()


def test_a_retry_after_beyond_the_cap_stops_at_once(scripted, rules: Path, tmp_path: Path) -> None:
    script = Script([(429, {"Retry-After": "3600"}, b"")])
    result = propose(scripted(script), rules, tmp_path / "review.tsv")
    assert result.exit_code == 3 and "asks to wait 3600 s" in result.output
    assert len(script.seen) == 1


def test_an_unreachable_endpoint_exits_3(rules: Path, tmp_path: Path) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    result = propose(endpoint, rules, tmp_path / "review.tsv", "--retries", "0", "--timeout", "5")
    assert result.exit_code == 3
    assert endpoint in result.output and "unreachable" in result.output
    assert "Traceback" not in result.output


def test_unknown_entity_and_bad_date_are_bad_input(rules: Path, tmp_path: Path) -> None:
    result = propose("http://127.0.0.1:9/sparql", rules, tmp_path / "r.tsv", "no-such-entity")
    assert result.exit_code == 2 and "unknown entity id 'no-such-entity'" in result.output
    result = propose("http://127.0.0.1:9/sparql", rules, tmp_path / "r.tsv", "--as-of", "May 1994")
    assert result.exit_code == 2 and "--as-of 'May 1994'" in result.output


@pytest.mark.network
def test_a_real_lookup_against_the_wikidata_query_service(tmp_path: Path) -> None:
    """Needs the internet: Bill Clinton (verified as Q1124 in extract/wikidata.jsonl) is found and accepted."""
    review = tmp_path / "review.tsv"
    result = run("link", "bill-clinton", "--review", str(review), "--cache", str(tmp_path / "cache"),
                 "--contact", "https://w3id.org/essay-kg")
    assert result.exit_code == 0, result.output
    assert ("accept", "Q1124") in by_entity(review_rows(review))["bill-clinton"]


# --- hostile options, answers and cache entries --------------------------------------------------

def test_a_contact_with_a_line_break_is_refused_before_any_request(scripted, rules: Path, tmp_path: Path) -> None:
    script = Script([(200, {}, EMPTY_ANSWER)])
    result = propose(scripted(script), rules, tmp_path / "review.tsv", "georgia",
                     "--contact", "me@example.org\r\nX-Injected: yes")
    assert result.exit_code == 2, result.output
    assert "error: --contact holds the character U+000D, which an HTTP header cannot carry" in result.output
    assert "hint: pass an e-mail address or URL in plain ASCII" in result.output
    assert script.seen == [] and not (tmp_path / "review.tsv").exists()


def binding(**terms: str) -> dict[str, dict[str, str]]:
    return {name: {"type": "uri" if value.startswith("http") else "literal", "value": value}
            for name, value in terms.items()}


def answer(*rows: object, head: object = None) -> bytes:
    return json.dumps({"head": head or {"vars": ["key", "text", "item", "via"]}, "results": {"bindings": list(rows)}}
                      ).encode()


@pytest.mark.parametrize(("body", "reason"), [
    (json.dumps({"head": {"vars": "notalist"}, "results": [1, 2, 3]}).encode(), "no list of bindings under 'results'"),
    (answer(1, 2, 3), "binding 1 is not a map of variables to terms with a 'value'"),
    (answer(binding(key="georgia", text="Georgia", item=f"{WD}Q230")), "binding 1 has no 'via'"),
    (answer(binding(key="georgia", text="Georgia", item=f"{WD}Q230", via="label"),
            binding(key="georgia", text="Georgia", item="http://example.org/georgia", via="label")),
     "binding 2: 'http://example.org/georgia' is not a fitting 'item'"),
    (answer({"key": {"type": "literal"}}), "binding 1 is not a map of variables to terms with a 'value'"),
])
def test_a_malformed_answer_is_an_error_and_never_cached(scripted, rules: Path, tmp_path: Path, body: bytes,
                                                         reason: str) -> None:
    script = Script([(200, {}, body), (200, {}, EMPTY_ANSWER)])
    endpoint, cache, review = scripted(script), tmp_path / "cache", tmp_path / "review.tsv"
    args = ("link", "--rules", str(rules), "--endpoint", endpoint, "--review", str(review), "--cache", str(cache),
            "--retries", "0", "georgia")
    result = run(*args)
    assert result.exit_code == 3, result.output
    assert f"error: {endpoint} answered with no usable SPARQL results: {reason}\n" in result.output
    assert "hint: check --endpoint: it must answer SPARQL 1.1 JSON results; the answer was not cached" in result.output
    assert list(cache.rglob("*.json")) == [] and not review.exists()
    result = run(*args)  # the rerun asks again, and the endpoint now answers well
    assert result.exit_code == 0, result.output
    assert by_entity(review_rows(review)) == {"georgia": [("none", "")]} and len(script.seen) == 2


@pytest.mark.parametrize(("damage", "reason"), [
    (b'{"head": {"vars": []}, "results": {"bindi', "empty, cut off or not JSON"),
    (b'{"head": {"vars": []}, "results": {"bindings": [1, 2]}}',
     "binding 1 is not a map of variables to terms with a 'value'"),
])
def test_a_damaged_cache_entry_is_fetched_again_with_a_note(scripted, rules: Path, tmp_path: Path, damage: bytes,
                                                           reason: str) -> None:
    script = Script([(200, {}, EMPTY_ANSWER)])
    cache, review = tmp_path / "cache", tmp_path / "review.tsv"
    args = ("link", "--rules", str(rules), "--endpoint", scripted(script), "--review", str(review), "--cache", str(cache),
            "georgia")
    assert run(*args).exit_code == 0
    [entry] = cache.rglob("*.json")
    entry.write_bytes(damage)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert f"note: ignored the damaged cache entry {entry.name} ({reason}); asking the endpoint again" in result.output
    assert "(1 requests, 0 from cache)" in result.output and len(script.seen) == 2
    assert entry.read_bytes() == EMPTY_ANSWER  # the entry is whole again
    assert by_entity(review_rows(review)) == {"georgia": [("none", "")]}


def test_an_answer_the_cache_cannot_take_is_a_note_and_the_run_goes_on(scripted, rules: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for number in range(256):  # a file where each answer's sub-folder would go
        (cache / f"{number:02x}").write_text("in the way\n", encoding="utf-8")
    review = tmp_path / "review.tsv"
    result = run("link", "--rules", str(rules), "--endpoint", scripted(Script([(200, {}, EMPTY_ANSWER)])),
                 "--review", str(review), "--cache", str(cache), "georgia")
    assert result.exit_code == 0, result.output
    assert f"note: cannot save answers in the cache {cache} (" in result.output
    assert result.output.count("cannot save answers") == 1  # said once, not for every answer
    assert by_entity(review_rows(review)) == {"georgia": [("none", "")]}


@pytest.mark.skipif(os.geteuid() == 0, reason="a folder's permissions do not stop root")
def test_a_read_only_cache_is_read_and_not_written(scripted, rules: Path, tmp_path: Path) -> None:
    script = Script([(200, {}, EMPTY_ANSWER)])
    cache, review = tmp_path / "cache", tmp_path / "review.tsv"
    args = ("link", "--rules", str(rules), "--endpoint", scripted(script), "--review", str(review), "--cache", str(cache))
    assert run(*args, "georgia").exit_code == 0
    before = sorted(cache.rglob("*"))
    for folder in [cache, *(p for p in cache.iterdir() if p.is_dir())]:
        folder.chmod(0o555)
    try:
        result = run(*args, "georgia", "csce")
    finally:
        for folder in [cache, *(p for p in cache.iterdir() if p.is_dir())]:
            folder.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert f"note: the answer cache {cache} is read-only: answers are read from it, new ones are not saved" in result.output
    assert sorted(cache.rglob("*")) == before


HEADER = "\t".join(("entity", "type", "label", "decision", "qid", "item_label", "description", "score", "match",
                    "reason")) + "\n"


def test_apply_reads_quoted_cells_and_a_lone_opening_quote(rules: Path, tmp_path: Path) -> None:
    buffer = io.StringIO()  # the csv module's own quoting, as a spreadsheet saves a cell holding quotes
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerow(
        ["csce", "InternationalOrganisation", "CSCE", "accept", "Q990003", "CSCE", "", "85", "closeMatch",
         'the "CSCE", renamed'])
    assert buffer.getvalue().endswith('\t"the ""CSCE"", renamed"\n')
    review = tmp_path / "review.tsv"
    review.write_text(HEADER
                      + 'pravda\tMedia\tPravda\taccept\tQ183644\tPravda\t\t90\texactMatch\t"Pravda\n'  # no closing quote
                      + "georgia\tState\tGeorgia\treject\tQ230\tGeorgia\t\t70\texactMatch\tthe next row\n"
                      + buffer.getvalue()
                      + 'bill-clinton\tPerson\tBill Clinton\t"accept"\tQ1124\t\t\t100\texactMatch\t"quoted"\n',
                      encoding="utf-8")
    out = tmp_path / "links.nq"
    result = run("link", "--rules", str(rules), "--apply", str(review), "--out", str(out))
    assert result.exit_code == 0, result.output
    data = Dataset()
    data.parse(out, format="nquads")
    assert {str(o) for o in data.graph(LINKS).objects(None, RDFS.comment)} == {
        'accepted in review (score 90): "Pravda', 'accepted in review (score 85): the "CSCE", renamed',
        "accepted in review (score 100): quoted"}


def test_apply_writes_no_output_when_the_same_as_view_cannot_be_written(rules: Path, tmp_path: Path) -> None:
    review, out, folder = tmp_path / "review.tsv", tmp_path / "links.trig", tmp_path / "folder"
    review.write_text(HEADER + "pravda\tMedia\tPravda\taccept\tQ183644\tPravda\t\t90\texactMatch\tok\n", encoding="utf-8")
    out.write_text("the links of an earlier review\n", encoding="utf-8")
    folder.mkdir()
    result = run("link", "--rules", str(rules), "--apply", str(review), "--out", str(out), "--same-as", str(folder))
    assert result.exit_code == 2, result.output
    assert f"error: --same-as {folder}: is a folder" in result.output
    assert out.read_text(encoding="utf-8") == "the links of an earlier review\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "links.trig", "review.tsv", "rules"]
