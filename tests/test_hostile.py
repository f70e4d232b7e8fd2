"""Hostile input: property-based tests, huge and empty texts, a build killed mid-write.

The hypothesis profile comes from HYPOTHESIS_PROFILE: `ci` (set by .ci/run) runs 1,000
examples per property, `dev` (the default) fewer.
"""

from __future__ import annotations

import functools
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal

from essay_kg.errors import BadInput
from essay_kg.extract.rules.discovery import load_discovery
from essay_kg.extract.rules.load import (
    load_coreference,
    load_entities,
    load_paratext,
    load_relations,
    load_rules,
    load_stances,
    load_time,
)
from essay_kg.extract.rules.predicates import load_heads, load_predicates
from essay_kg.extract.rules.wikidata import load_classes, load_links
from essay_kg.text.source import quotations, read_source

from conftest import REPO

RULES = load_rules()
PARATEXT = RULES.paratext
SOURCE = REPO / "extract" / "sources" / "kozyrev-1994-the-lagging-partnership.txt"

# --- the text reader ---------------------------------------------------------------------------

TRICKY = ["\r\n", "\r", "\n\n\n", "\ufeff", "\x00", "\u0301", "e\u0301", "\U0001f1f7\U0001f1fa", "\U0001f600",
          "\U00010348", "\u200d", "\u2028", "\t", "“", "”", "\"", "1 ", "You are reading a free article.",
          "Andrei Kozyrev is Minister of Foreign Affairs of the Russian Federation.", "  • ", "x" * 5000]
characters = st.characters(blacklist_categories=("Cs",))  # any code point but lone surrogates
texts = st.lists(st.one_of(st.text(characters, max_size=60), st.sampled_from(TRICKY)), max_size=40).map("".join)


def all_spans(source) -> list:
    spans = [block.span for block in (*source.blocks, *source.markers)]
    spans += [span for block in (*source.blocks, *source.markers) for _, span in block.fields]
    spans += list(source.sections)
    spans += [q for block in source.blocks for q in quotations(block)]
    return spans


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_the_text_reader_never_crashes_and_keeps_every_anchor(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "essay.txt"
        path.write_bytes(text.encode("utf-8"))
        try:
            source = read_source(path, PARATEXT)
        except BadInput as err:
            assert err.message.startswith(f"{path}: ")  # an empty (or blank) text, said so
            assert not text.strip()
            return
    assert source.text == text  # exact: no normalisation of line ends, BOM or NUL
    for span in all_spans(source):
        assert 0 <= span.begin <= span.end <= len(text)
        assert text[span.begin:span.end] == span.anchor


@functools.cache
def ontology():
    from essay_kg.rdf.ontology import load_ontology

    return load_ontology()


LINE_BREAKERS = ["\x0c", "\x0b", "\x85", "\u2028", "\u2029", "\x1c", "\x1e", "\x00", "\x7f", "\r"]
words = st.lists(st.one_of(st.sampled_from(["Russia", "supports", "the", "treaty", ".", " ", "\n"]),
                           st.sampled_from(LINE_BREAKERS), st.text(characters, max_size=12)), min_size=1, max_size=30)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=words)
def test_any_text_goes_through_nquads_and_back_exactly(parts: list[str]) -> None:
    """build -> .nq -> load: one quad per line for every reader, and the text read back is the text."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from essay_kg.extract.run import extract
    from essay_kg.namespace import NIF
    from essay_kg.rdf.build import build_dataset
    from essay_kg.rdf.files import serialise

    text = "The Text\n\n" + "".join(parts) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "essay.txt"
        path.write_text(text, encoding="utf-8", newline="")
        source = read_source(path, PARATEXT, {"author": "Ann Example", "date": "2015-07-20"})
    nquads = serialise(build_dataset(extract(source, RULES, "none"), ontology()))[".nq"]
    lines = nquads.decode("utf-8").splitlines()  # the strictest reader: every Unicode line end counts
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    assert len(lines) == len(store)
    dataset = Dataset(default_union=True)
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    assert {str(o) for o in dataset.objects(None, NIF.isString)} == {text}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_the_offset(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "essay.txt"
        path.write_bytes(data)
        try:
            source = read_source(path, PARATEXT)
        except BadInput as err:
            blank = "holds only white space" in err.message and not data.decode("utf-8").strip()
            assert "not UTF-8 (byte " in err.message or "is empty" in err.message or blank
            return
    assert source.text == data.decode("utf-8")


# --- the query-parameter binder ----------------------------------------------------------------

@settings(suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(characters, max_size=80), lang=st.sampled_from([None, "en"]))
def test_a_bound_value_never_changes_the_query_shape(value: str, lang: str | None) -> None:
    from essay_kg.query.binding import with_values
    from essay_kg.query.engine import rdflib_execute as execute

    template = 'SELECT ?x ?y WHERE { BIND ("fixed" AS ?y) FILTER (STRLEN(STR(?x)) >= 0) }'
    term = Literal(value, lang=lang)
    answer = execute(with_values(template, {"x": term}), Dataset())
    assert answer.variables == ["x", "y"]
    assert answer.rows == [(term, Literal("fixed"))]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(characters, max_size=80))
def test_an_entity_value_is_one_term_or_refused(value: str) -> None:
    import pyoxigraph

    from essay_kg.query.binding import resolve_entity, values_block
    from essay_kg.query.engine import select_on
    from essay_kg.query.library import Param
    from essay_kg.vocabulary import PREFIXES

    param = Param("entity", "_entity", True, "entity")
    try:
        term = resolve_entity(param, value, select_on(Dataset()), PREFIXES)
    except BadInput as err:
        assert "for parameter 'entity'" in err.message
        return
    assert isinstance(term, pyoxigraph.NamedNode)
    block = values_block({"_entity": term})
    assert block.count("<") == 1 and block.count(">") == 1 and "{" not in term.value and " " not in term.value


# --- the rules loader ---------------------------------------------------------------------------

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(characters, max_size=12),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=8)
entity_like = st.fixed_dictionaries({"id": st.one_of(st.text(characters, max_size=12), st.just("new-entity")),
                                     "type": st.sampled_from(["Person", "State", "Persn", "", "Topic"]),
                                     "label": st.one_of(st.text(characters, max_size=12), st.integers())},
                                    optional={"aliases": json_values, "note": json_values, "colour": json_values})
lines = st.one_of(st.text(characters, max_size=60).filter(lambda s: "\n" not in s and "\r" not in s),
                  json_values.map(json.dumps), entity_like.map(json.dumps))

ENTITIES = (REPO / "extract" / "entities.jsonl").read_text(encoding="utf-8")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(line=lines)
def test_a_malformed_rules_line_is_refused_with_file_and_line(line: str) -> None:
    assume(not any(c in line for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entities.jsonl"
        path.write_text(ENTITIES + line + "\n", encoding="utf-8")
        number = ENTITIES.count("\n") + 1
        before = len(load_entities(REPO / "extract" / "entities.jsonl"))
        try:
            entities = load_entities(path)
        except BadInput as err:
            assert err.message.startswith(f"entities.jsonl:{number}: "), err.message
            assert str(number) in err.hint
            return
    assert len(entities) in {before, before + 1}  # a comment or blank line, or a valid new entity


RULE_FILES = {  # each rules file: a valid line, its other keys, and its loader (given a few entity ids and one predicate)
    "paratext.jsonl": ({"id": "p", "kind": "x", "regex": "x"}, "produces scope starts_trailer annotate repeats max_length",
                       load_paratext),
    "coreference.jsonl": ({"id": "c", "forms": ["we"], "resolves_to": "author"}, "sentence_initial", load_coreference),
    "relations.jsonl": ({"id": "r", "kind": "cooccur", "requires": ["russia"], "triples": [["russia", "memberOf", "nato"]]},
                        "patterns cues subject object", lambda path: load_relations(path, {"russia", "nato"}, {"memberOf"})),
    "time.jsonl": ({"id": "t", "kind": "year", "regex": "(?P<year>\\d{4})"}, "dates_events numbers parts attach", load_time),
    "stances.jsonl": ({"id": "s", "cues": ["x"], "stance": "Supports"}, "kind speech_act holder fallback_author target "
                      "negated_stance verdict target_side target_pronouns", load_stances),
    "discovery.jsonl": ({"id": "d", "kind": "title", "words": ["Lord"]}, "type confidence first office after unless",
                        load_discovery),
    "predicates.jsonl": ({"id": "p", "lemmas": ["back"], "stance": "Supports"}, "pos speech_act negated_stance holder target "
                         "preps clauses objects when_negated", load_predicates),
    "described.jsonl": ({"id": "h", "heads": ["countries"], "type": "Group"}, "actor ignore", load_heads),
    "wikidata.jsonl": ({"id": "russia", "qid": "Q159", "match": "exactMatch", "expected_class": "state",
                        "evidence": {"repo": "r", "path": "p", "excerpt": "Q159"}}, "label",
                       lambda path: load_links(path, {"russia"})),
    "wikidata-classes.jsonl": ({"type": "State", "qid": "Q7275", "label": "state",
                                "evidence": {"repo": "r", "path": "p", "excerpt": "Q7275"}}, "", load_classes),
}
rule_words = st.sampled_from(["", "x", "1", "russia", "nato", "$0", "$1", "$subject", "memberOf", "Person", "Actor",
                              "Supports", "cue", "pattern", "cooccur", "default", "evaluation", "agrees", "lead-in",
                              "(?P<year>\\d{4})", "(?P<colour>x)", "(", "a{99999999999}", "Q5", "Q159", "exactMatch",
                              "1999-01", "line\nbreak", "VERB", "ADV", "flip"])
rule_values = st.one_of(json_values, rule_words, st.floats(), st.lists(rule_words, max_size=3),
                        st.lists(st.lists(rule_words, min_size=2, max_size=4), max_size=2),
                        st.lists(st.lists(st.dictionaries(rule_words, rule_words, max_size=2), max_size=2), max_size=2),
                        st.dictionaries(st.sampled_from(["repo", "path", "excerpt", "early", "two", "url"]),
                                        st.one_of(rule_words, st.integers(), st.lists(st.integers(), max_size=3)), max_size=4))


@st.composite
def rule_lines(draw: st.DrawFn) -> tuple[str, dict]:
    """A valid line of a rules file with some keys dropped and some (known or not) set to odd values."""
    name = draw(st.sampled_from(sorted(RULE_FILES)))
    valid, others, _ = RULE_FILES[name]
    keys = [*valid, *others.split(), "note", "colour"]
    dropped = draw(st.sets(st.sampled_from(sorted(valid)), max_size=2))
    changed = draw(st.dictionaries(st.sampled_from(keys), rule_values, max_size=3))
    return name, {k: v for k, v in valid.items() if k not in dropped} | changed


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(case=rule_lines())
def test_a_malformed_line_of_any_rules_file_is_refused_in_one_line(case: tuple[str, dict]) -> None:
    name, row = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
        try:
            RULE_FILES[name][2](path)
        except BadInput as err:
            assert err.message.startswith(f"{name}:1: ") and "\n" not in err.message, err.message
            assert err.hint == f"fix line 1 of {path}"


# --- size -----------------------------------------------------------------------------------------

def _run_measured(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, int]:
    """Run essay-kg in a child process; its result and its peak memory in MiB."""
    code = ("import resource, subprocess, sys\n"
            "done = subprocess.run([sys.executable, '-m', 'essay_kg', *sys.argv[1:]], capture_output=True, text=True)\n"
            "print(done.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
            "sys.stderr.write(done.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, timeout=600)
    code_line, memory = done.stdout.split()
    return subprocess.CompletedProcess(args, int(code_line), "", done.stderr), int(memory)


def test_a_10_mb_text_is_refused_quickly_with_bounded_memory(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("w", encoding="utf-8") as stream:
        for _ in range(100):
            stream.write("Partnership is the best strategic choice. " * 2500 + "\n")
    assert huge.stat().st_size > 10_000_000
    done, memory = _run_measured(["build", str(huge), "--out", str(tmp_path / "out")], tmp_path)
    assert done.returncode == 2
    assert "MiB is more than essay-kg reads from one text (1 MiB)" in done.stderr and "hint: split it" in done.stderr
    assert memory < 400, f"{memory} MiB"
    assert not (tmp_path / "out").exists()


def test_a_0_byte_text_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    done, _ = _run_measured(["build", "empty.txt", "--out", "out"], tmp_path)
    assert done.returncode == 2 and "empty.txt: the file is empty" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_a_source_linked_to_an_endless_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # its stat size is 0: a size check alone would pass it
    done, memory = _run_measured(["build", "zero.txt", "--out", "out"], tmp_path)
    assert done.returncode == 2 and "zero.txt: is not a regular file" in done.stderr
    assert memory < 400, f"{memory} MiB"
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


SHIPPED = "note: reading the shipped graph (kozyrev-1994): no graphs built in graphs/"  # said in a folder with none


def cli(cwd: Path, *args: str, **options: Any) -> subprocess.CompletedProcess:
    """`essay-kg ARGS` in a new process, in `cwd`, its output captured as text."""
    return subprocess.run([sys.executable, "-m", "essay_kg", *args], capture_output=True, text=True, cwd=cwd, **options)


def built_nquads(folder: Path, name: str, text: str) -> Path:
    """The .nq of `text` built with the rules alone (fast), in `folder`/out."""
    (folder / name).write_text(text, encoding="utf-8")
    built = cli(folder, "build", name, "--out", "out", "--model", "none", "--author", "A B")
    assert built.returncode == 0, built.stderr
    (nquads,) = (folder / "out").glob("*.nq")
    return nquads


def test_an_answer_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "essay_kg", "query", "run", "offices"], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines() == [SHIPPED, "error: cannot write the output (No space left on device)",
                                        "hint: free some space, or write to another file or device"]


def test_verify_reports_an_offset_that_is_no_number_as_a_failure(tmp_path: Path) -> None:
    nquads = built_nquads(tmp_path, "m.txt", "Russia supports it.\n")
    lines = nquads.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "#beginIndex>" in line)
    lines[index] = lines[index].split('"')[0] + '"abc"' + lines[index].split('"', 2)[2]
    nquads.write_text("".join(lines), encoding="utf-8")
    done = cli(tmp_path, "verify", str(nquads), "--source", "m.txt")
    assert done.returncode == 1 and "are not numbers" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_an_error_is_two_lines_whatever_the_name_or_value_it_quotes(tmp_path: Path) -> None:
    forged = cli(tmp_path, "build", "evil\nhint: run this instead.txt")
    assert forged.returncode == 2
    assert forged.stderr.splitlines() == [
        "error: evil\\nhint: run this instead.txt: no such file",
        "hint: check the path, or run 'essay-kg build' with no argument for the shipped essay"]
    long = cli(tmp_path, "query", "run", "relations-of", "-p", "entity=" + "x" * 120_000)
    assert long.returncode == 2 and long.stderr.splitlines()[0] == SHIPPED, long.stderr[:300]
    assert len(long.stderr.splitlines()) == 3, long.stderr[:300]  # what is read, then the error in two lines
    assert len(long.stderr) < 2000 and "more characters)" in long.stderr


# --- atomic writes --------------------------------------------------------------------------------

KILLER = """
import os, signal, sys
target, how = sys.argv[1], sys.argv[2]
def hook(event, args):
    if event == "os.rename" and str(args[1]).endswith(target):
        os.kill(os.getpid(), signal.SIGKILL if how == "kill" else signal.SIGTERM)
sys.addaudithook(hook)
sys.argv = ["essay-kg", "build", "--out", sys.argv[3]]
from essay_kg.cli import main
main()
"""


@pytest.mark.parametrize("how", ["kill", "term"])
def test_a_build_killed_mid_write_leaves_the_previous_output_whole(tmp_path: Path, how: str) -> None:
    out = tmp_path / "graphs"
    out.mkdir()
    previous = {}
    for suffix in (".trig", ".nq", ".ttl"):
        committed = (REPO / "graphs" / f"kozyrev-1994{suffix}").read_bytes()
        previous[suffix] = b"# the previous build\n" + committed
        (out / f"kozyrev-1994{suffix}").write_bytes(previous[suffix])
    # the signal arrives as the second file (.nq) is about to be renamed into place
    done = subprocess.run([sys.executable, "-c", KILLER, "kozyrev-1994.nq", how, str(out)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == (-signal.SIGKILL if how == "kill" else 128 + signal.SIGTERM), done.stderr[-500:]
    assert (out / "kozyrev-1994.trig").read_bytes() == (REPO / "graphs" / "kozyrev-1994.trig").read_bytes()
    assert (out / "kozyrev-1994.nq").read_bytes() == previous[".nq"]  # untouched: whole, not half-written
    assert (out / "kozyrev-1994.ttl").read_bytes() == previous[".ttl"]
    # the files now come from two builds, and the marker written before the first rename says so
    assert (out / ".kozyrev-1994.incomplete").read_text(encoding="utf-8").startswith(
        "essay-kg was renaming kozyrev-1994.trig, kozyrev-1994.nq, kozyrev-1994.ttl into place;")
    leftovers = sorted(p.name.split(".")[1:3] for p in out.iterdir() if p.name.endswith(".tmp"))
    if how == "term":
        assert leftovers == []  # SIGTERM ends the run like Ctrl-C: the temporary files are removed
    else:
        assert leftovers == [["kozyrev-1994", "nq"], ["kozyrev-1994", "ttl"]]  # nothing runs after SIGKILL
    rebuilt = subprocess.run([sys.executable, "-m", "essay_kg", "build", "--out", str(out)], capture_output=True,
                             timeout=600)
    assert rebuilt.returncode == 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no marker, no temporary
    for suffix in (".trig", ".nq", ".ttl"):
        assert (out / f"kozyrev-1994{suffix}").read_bytes() == (REPO / "graphs" / f"kozyrev-1994{suffix}").read_bytes()


def test_a_build_that_fails_before_its_first_file_leaves_no_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "new-folder"
    # SIGTERM as the first file (.trig) is about to be renamed into place: nothing of the build is left
    done = subprocess.run([sys.executable, "-c", KILLER, "kozyrev-1994.trig", "term", str(out)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr[-500:]
    assert not out.exists()


@pytest.mark.parametrize("how", ["absolute", "relative", "parent"])
def test_verify_reads_no_file_a_graph_names_outside_the_sources(tmp_path: Path, how: str) -> None:
    import os

    from essay_kg.shipped import sources_dir

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-WORDS\n", encoding="utf-8")
    named = {"absolute": str(secret), "relative": os.path.relpath(secret, sources_dir()), "parent": ".."}[how]
    original = (REPO / "graphs" / "kozyrev-1994.nq").read_text(encoding="utf-8")
    forged = original.replace('sourceFile> "kozyrev-1994-the-lagging-partnership.txt"', f'sourceFile> "{named}"')
    assert forged != original
    (tmp_path / "forged.nq").write_text(forged, encoding="utf-8")
    done = cli(tmp_path, "verify", "forged.nq")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines()[0] == f"error: the graph names its source '{named}', which is no plain file name"
    assert "TOP-SECRET" not in done.stdout + done.stderr


def test_credentials_in_an_endpoint_url_are_used_and_never_printed(tmp_path: Path) -> None:
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    wanted = "Basic " + base64.b64encode(b"bob:s3cret pw").decode()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            seen.append(self.headers.get("Host", ""))
            if self.headers.get("Authorization") != wanted:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = json.dumps({"head": {"vars": ["x"]},
                               "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://bob:s3cret%20pw@127.0.0.1:{server.server_port}/query"
        done = subprocess.run([sys.executable, "-m", "essay_kg", "sparql", "SELECT ?x WHERE { }", "--endpoint", url,
                               "--format", "csv"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["x", "ok"]
    assert "s3cret" not in done.stdout + done.stderr and "bob" not in done.stdout + done.stderr
    assert seen and all(host == f"127.0.0.1:{server.server_port}" for host in seen)  # the host is the host


def test_a_malformed_netrc_is_named_not_echoed(tmp_path: Path) -> None:
    import os

    (tmp_path / "netrc").write_text("machine x login bob password HUNTER2\nbogus HUNTER3 entry\n", encoding="utf-8")
    env = {**os.environ, "NETRC": str(tmp_path / "netrc")}
    env.pop("ESSAY_KG_STORE_USER", None)
    done = subprocess.run([sys.executable, "-m", "essay_kg", "query", "run", "offices", "--endpoint",
                           "http://127.0.0.1:9/query"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert "a malformed entry at line 2" in done.stderr and "HUNTER" not in done.stderr


def test_a_rules_file_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    import os
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "extract", rules, ignore=shutil.ignore_patterns("sources", "gazetteer"))
    (rules / "stances.jsonl").unlink()
    os.mkfifo(rules / "stances.jsonl")
    done = cli(tmp_path, "build", "--rules", str(rules), "--out", "out", timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == f"error: {rules / 'stances.jsonl'}: is not a regular file"


def test_rdf_xml_refuses_a_character_xml_forbids_and_writes_nothing(tmp_path: Path) -> None:
    nquads = built_nquads(tmp_path, "paged.txt", "Russia supports the treaty.\x0cGermany opposes it.\n")
    done = cli(tmp_path, "export", "--graph", str(nquads), "--format", "xml", "-o", "paged.rdf")
    assert done.returncode == 2 and "U+000C, which XML 1.0 forbids" in done.stderr
    assert not (tmp_path / "paged.rdf").exists()
    ntriples = cli(tmp_path, "export", "--graph", str(nquads), "--format", "nt")
    assert ntriples.returncode == 0 and "\\u000C" in ntriples.stdout  # escaped where the format can


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_service_that_cannot_be_reached_is_an_environment_error(tmp_path: Path, engine: str) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    done = cli(tmp_path, "sparql", query, "--engine", engine, timeout=120)
    assert done.returncode == 3, done.stderr[-500:]
    assert done.stderr.startswith(f"{SHIPPED}\nerror: a SERVICE of the query could not be reached (")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 3


@pytest.mark.parametrize(("raw", "message"), [
    (b'SELECT * WHERE { ?s ?p "\xff" }', "error: the query is not UTF-8 (byte 24 is 0xff)"),
    (b'SELECT * WHERE { ?s ?p "\xed\xa0\x80" }', "error: the query is not UTF-8 (byte 24 is 0xed)"),  # a surrogate
])
def test_a_query_argument_that_is_not_utf8_is_named_by_its_byte(tmp_path: Path, raw: bytes, message: str) -> None:
    """Bytes on the command line that are not UTF-8 reach Python as lone surrogates (surrogateescape)."""
    done = subprocess.run([sys.executable, "-m", "essay_kg", "sparql", raw], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [message, "hint: give the query in UTF-8 (check the terminal's encoding), "
                                                 "or save it as UTF-8 and use --file"]


# --- XML entities ---------------------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY lol0 "lol">\n'
          + "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
          + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
          '  <rdf:Description rdf:about="urn:a"><rdf:value>&lol9;</rdf:value></rdf:Description>\n</rdf:RDF>\n')


def limited_memory() -> None:
    """At most 4 GiB of address space: a reader that expands the entities fails instead of taking the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


@pytest.mark.parametrize("command", [("sparql", "--graph", "FILE", "ASK {}"), ("stats", "--graph", "FILE"),
                                     ("load", "FILE", "--store", "store"), ("validate", "FILE"),
                                     ("export", "--graph", "FILE", "-o", "out.trig"),
                                     ("sparql", "--engine", "rdflib", "--graph", "FILE", "SELECT * { ?s ?p ?o }")])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_xml_graph_that_declares_entities_is_refused_before_any_parser_reads_it(
        tmp_path: Path, command: tuple[str, ...], encoding: str) -> None:
    (tmp_path / "laughs.rdf").write_bytes(LAUGHS.replace('"1.0"?', f'"1.0" encoding="{encoding}"?').encode(encoding))
    done = cli(tmp_path, *[word.replace("FILE", "laughs.rdf") for word in command], timeout=300,
               preexec_fn=limited_memory)
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr.splitlines() == [
        "error: laughs.rdf: the XML declares entities (<!ENTITY), which essay-kg does not expand",
        "hint: write the entities out in the file, or convert it to Turtle or N-Triples"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laughs.rdf"]  # no store, no output


def test_load_reads_every_file_before_loading_any(tmp_path: Path) -> None:
    import pyoxigraph as ox

    (tmp_path / "a.nq").write_text("<urn:a> <urn:p> <urn:b> <urn:g> .\n", encoding="utf-8")
    first = cli(tmp_path, "load", "a.nq", "--store", "store")
    assert first.returncode == 0, first.stderr
    (tmp_path / "b.nq").write_text("".join(f"<urn:s{n}> <urn:p> <urn:o> <urn:g> .\n" for n in range(1000)),
                                   encoding="utf-8")
    (tmp_path / "z-broken.nq").write_text("<urn:c> <urn:p> <urn:d> <urn:g> .\n" * 3 + "<urn:e> <urn:p> .\n",
                                          encoding="utf-8")
    done = cli(tmp_path, "load", "b.nq", "z-broken.nq", "--store", "store")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith("error: z-broken.nq:4: not a valid nquads file")
    store = ox.Store(str(tmp_path / "store"))
    assert [str(q.subject) for q in store] == ["<urn:a>"]  # neither b.nq's quads nor the first lines of z-broken.nq
