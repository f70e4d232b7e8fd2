"""The query commands: list, show, run, sparql, stats — output formats, exit codes and bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import REPO

runner = CliRunner()
REPO_IRI = "https://w3id.org/essay-kg/id/"


def run(*args: str):
    return runner.invoke(app, list(args))


READING = "note: reading 1 document from graphs/: kozyrev-1994"  # what the commands say they read, from here


def assert_bad_input(result, message: str, hint: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    if lines and lines[0].startswith("note: reading "):  # the command said which graph it reads first
        assert lines.pop(0) == READING
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0], lines[0]
    assert lines[1].startswith("hint: ") and hint in lines[1], lines[1]
    assert "Traceback" not in result.stdout + result.stderr


def test_query_list_shows_names_summaries_and_parameters() -> None:
    result = run("query", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) >= 19
    assert any(re.match(r"^relations-of\s+Relations of an entity.*\(entity= \[document=\]\)$", line) for line in lines)
    assert any(re.match(r"^events\s+.*\(\[document=\] \[from=\] \[to=\]\)$", line) for line in lines)
    checks = run("query", "list", "--tag", "check").stdout.splitlines()
    assert [line.split()[0] for line in checks] == ["anchor-mismatch", "duplicate-entity", "entity-without-mention",
                                                    "entity-without-type-or-label", "position-holder-not-actor",
                                                    "statement-without-evidence"]


def test_query_show() -> None:
    result = run("query", "show", "events")
    assert result.exit_code == 0
    assert "param from (isodate, optional, e.g. 1993): earliest date" in result.stdout
    assert "SELECT DISTINCT ?document ?event ?type ?date ?participants ?places" in result.stdout


def test_run_json_is_sparql_results_json() -> None:
    result = run("query", "run", "memberships", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["member", "memberType", "organisation"]
    first = data["results"]["bindings"][0]
    assert first["member"] == {"type": "literal", "value": "Russia"}
    assert first["memberType"] == {"type": "uri", "value": "https://w3id.org/essay-kg/ontology#State"}


def test_run_csv_round_trips_through_python_csv() -> None:
    result = run("query", "run", "mentions-of", "--param", "entity=CSCE", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["begin", "end", "words", "resolution", "sentence"]
    assert rows[1][:4] == ["13797", "13845", "Conference on Security and Cooperation in Europe", "label"]
    assert len(rows) == 6 and all(len(r) == 5 for r in rows)
    assert "," in rows[1][4]  # the sentence, quoted as CSV requires


def test_run_tsv_and_markdown() -> None:
    tsv = run("query", "run", "offices", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?person\t?office\t?of\t?asOf"
    assert '"Andrei Kozyrev"\t"Minister of Foreign Affairs of the Russian Federation"\t"Russia"\t' \
           '"1994-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in tsv
    markdown = run("query", "run", "offices", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| person | office | of | asOf |"
    assert "| Boris Yeltsin | President of Russia | Russia |  |" in markdown


def test_plain_table_when_piped_and_limit_note() -> None:
    result = run("query", "run", "actors-by-type", "--limit", "2")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["actor", "label", "type", "mentions"]
    assert lines[2].split()[:2] == ["id:russia", "Russia"] and len(lines) == 4
    assert "showing 2 of 76 rows" in result.stderr


def test_ask_prints_true_or_false_and_exits_0_or_1() -> None:
    yes = run("query", "run", "is-mentioned", "-p", "entity=Partnership for Peace")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = run("query", "run", "relation-holds", "-p", "subject=russia", "-p", "relation=ekg:memberOf", "-p", "object=nato")
    assert (no.exit_code, no.stdout) == (1, "false\n")


def test_construct_prints_turtle_or_ntriples() -> None:
    turtle = run("query", "run", "neighbourhood", "-p", "entity=csce")
    assert turtle.exit_code == 0 and "id:csce-high-commissioner-on-national-minorities" in turtle.stdout
    nt = run("query", "run", "neighbourhood", "-p", "entity=csce", "--format", "nt")
    assert "<https://w3id.org/essay-kg/id/csce> " in nt.stdout or "<https://w3id.org/essay-kg/id/csce> ." in nt.stdout


def test_sparql_ad_hoc_with_predeclared_prefixes(tmp_path: Path) -> None:
    result = run("sparql", "SELECT ?p WHERE { ?p a ekg:Person } ORDER BY ?p", "--format", "csv")
    assert result.stdout.splitlines()[1:3] == ["https://w3id.org/essay-kg/id/adolf-hitler",
                                               "https://w3id.org/essay-kg/id/alexander-ii"]
    file = tmp_path / "count.rq"
    file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a ekg:State }", encoding="utf-8")
    assert run("sparql", "--file", str(file), "--format", "csv").stdout.splitlines() == ["n", "15"]


def test_stats() -> None:
    data = json.loads(run("stats", "--format", "json").stdout)
    by_class = json.loads(run("query", "run", "entities-by-class", "--format", "json").stdout)
    assert data["entities"] == sum(int(b["entities"]["value"]) for b in by_class["results"]["bindings"])
    assert data["positions"] >= 30
    assert data["most_mentioned"][0] == {"entity": "https://w3id.org/essay-kg/id/russia", "label": "Russia",
                                         "mentions": data["most_mentioned"][0]["mentions"]}
    assert data["most_mentioned"][0]["mentions"] > 100
    assert sum(data["triples_per_graph"].values()) > 14_000
    text = run("stats").stdout
    assert "triples per named graph" in text and "most mentioned" in text


def test_graph_option_reads_any_rdf_file(tmp_path: Path) -> None:
    ttl = tmp_path / "mini.ttl"
    ttl.write_text('@prefix ekg: <https://w3id.org/essay-kg/ontology#> .\n'
                   '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                   '<https://w3id.org/essay-kg/id/x> a ekg:Person ; rdfs:label "X" .\n', encoding="utf-8")
    result = run("sparql", "SELECT ?l WHERE { ?p a ekg:Person ; rdfs:label ?l }", "--graph", str(ttl), "-f", "csv")
    assert result.stdout.splitlines() == ["l", "X"]


# --- bad input -----------------------------------------------------------------------------------


def test_unknown_query_name_suggests_close_matches() -> None:
    assert_bad_input(run("query", "run", "relation-of"), "no stored query named 'relation-of'",
                     "did you mean relations-of")


@pytest.mark.parametrize("name", ["../README", "checks/anchor-mismatch", "/etc/passwd", "..", "a\\b"])
def test_query_names_with_paths_are_refused(name: str) -> None:
    assert_bad_input(run("query", "run", name), "is not a query name (no paths, no '..')", "essay-kg query list")


def test_missing_required_parameter() -> None:
    assert_bad_input(run("query", "run", "relations-of"), "query 'relations-of' needs parameter 'entity'",
                     "--param entity=nato")


def test_unknown_parameter() -> None:
    assert_bad_input(run("query", "run", "offices", "-p", "colour=red"), "has no parameter 'colour'",
                     "essay-kg query show offices")


def test_malformed_parameter() -> None:
    assert_bad_input(run("query", "run", "offices", "-p", "colour"), "--param 'colour' is not NAME=VALUE",
                     "--param holder=russia")


@pytest.mark.parametrize(("args", "message"), [
    (["actors-by-type", "-p", "class=not an iri"], "'not an iri' is not an IRI or prefixed name"),
    (["relations-of", "-p", "entity=Atlantis"], "no entity called 'Atlantis'"),
])
def test_value_that_is_not_a_valid_term(args: list[str], message: str) -> None:
    assert_bad_input(run("query", "run", *args), message, "give")


def test_ambiguous_label_lists_candidates(tmp_path: Path) -> None:
    ttl = tmp_path / "two-georgias.ttl"
    ttl.write_text('@prefix id: <https://w3id.org/essay-kg/id/> .\n'
                   '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                   'id:georgia rdfs:label "Georgia" .\nid:georgia-us-state rdfs:label "georgia" .\n', encoding="utf-8")
    result = run("query", "run", "relations-of", "-p", "entity=Georgia", "--graph", str(ttl))
    assert_bad_input(result, "'Georgia' is ambiguous for parameter 'entity': georgia, georgia-us-state",
                     "--param entity=georgia")


def test_graph_file_missing_or_not_rdf(tmp_path: Path) -> None:
    assert_bad_input(run("query", "run", "offices", "--graph", str(tmp_path / "none.trig")), "no such graph file",
                     "check the path")
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    assert_bad_input(run("query", "run", "offices", "--graph", str(bad)), "bad.ttl:3: not a valid turtle file",
                     "check the file")
    nq = tmp_path / "bad.nq"
    nq.write_text("<http://a> <http://b> <http://c> .\nthis is not rdf\n", encoding="utf-8")
    assert_bad_input(run("query", "run", "offices", "--graph", str(nq)), "bad.nq:2: not a valid nquads file",
                     "check the file")


def test_sparql_syntax_error_names_its_position() -> None:
    assert_bad_input(run("sparql", "SELECT * WHERE { ?s ?p }"), "SPARQL syntax error at line 1, column 18",
                     "fix the query")


@pytest.mark.parametrize("update", ["DROP ALL", "INSERT DATA { <http://a> <http://b> <http://c> }",
                                    "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT"])
def test_update_queries_are_refused(update: str) -> None:
    assert_bad_input(run("sparql", update), "update queries are refused", "use SELECT, ASK, CONSTRUCT or DESCRIBE")


@pytest.mark.parametrize(("header", "line", "message"), [
    ("#+ summary: x\n#+ colour: red\n", 2, "unknown header key 'colour'"),
    ("#+ description: no summary\n", 1, "the header has no 'summary'"),
    ("#+ summary: x\n#+ params:\n#+   ghost:\n#+     type: string\n", 3, "parameter 'ghost' is not used in the query"),
    ("#+ summary: x\n#+ tags: [a, b\n", 2, "malformed YAML header"),
])
def test_malformed_query_header_names_file_and_line(tmp_path: Path, header: str, line: int, message: str) -> None:
    (tmp_path / "mine.rq").write_text(header + "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = run("query", "list", "--query-dir", str(tmp_path))
    assert_bad_input(result, f"mine.rq:{line}: {message}", "fix the query header")


@pytest.mark.parametrize(("spec", "message"), [
    ("{type: [entity]}", "'type' of parameter 'entity' is a list, where one word is expected (one of boolean, "),
    ("{type: entity, description: [a, b]}", "'description' of parameter 'entity' is a list, where a text is expected"),
    ("{type: entity, default: {a: 1}}", "'default' of parameter 'entity' is a mapping, where one value is expected"),
])
def test_a_parameter_key_of_the_wrong_kind_is_named_with_its_file_and_line(tmp_path: Path, spec: str,
                                                                           message: str) -> None:
    (tmp_path / "mine.rq").write_text(f"#+ summary: x\n#+ params:\n#+   entity: {spec}\n"
                                      "SELECT ?o WHERE { ?_entity ?p ?o }\n", encoding="utf-8")
    result = run("query", "run", "mine", "-p", "entity=russia", "--query-dir", str(tmp_path))
    assert_bad_input(result, f"mine.rq:3: {message}", "fix the query header")


PLAIN = "SELECT ?o { ?_entity ekg:memberOf ?o } ORDER BY ?o"
EXISTS = "SELECT ?o (EXISTS { ?o a ekg:InternationalOrganisation } AS ?io) { ?_entity ekg:memberOf ?o } ORDER BY ?o"


@pytest.mark.parametrize("query", [PLAIN, EXISTS])
def test_a_parameter_reaches_a_query_that_leaves_out_where(tmp_path: Path, query: str) -> None:
    """SPARQL lets WHERE out of SELECT, ASK and DESCRIBE: the VALUES block (BIND clauses for endpoints) that
    carries the parameters to pyoxigraph opens the first brace outside parentheses after the query form."""
    (tmp_path / "around.rq").write_text(f"#+ summary: around\n#+ params:\n#+   entity: {{type: entity}}\n{query}\n",
                                        encoding="utf-8")
    result = run("query", "run", "around", "-p", "entity=russia", "--query-dir", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [f"{REPO_IRI}cis", f"{REPO_IRI}un-security-council"]
    if query == EXISTS:
        assert result.stdout.splitlines() == ["o,io", *(f"{row},true" for row in rows)]
    else:
        assert result.stdout.splitlines() == ["o", *rows]


def test_a_parameter_for_a_query_with_no_pattern_is_refused(tmp_path: Path) -> None:
    (tmp_path / "card.rq").write_text("#+ summary: card\n#+ params:\n#+   entity: {type: entity}\n"
                                      "DESCRIBE ?_entity\n", encoding="utf-8")
    result = run("query", "run", "card", "-p", "entity=russia", "--query-dir", str(tmp_path))
    assert_bad_input(result, "the query has no pattern ('{ … }') to carry its parameters",
                     "give the query a WHERE { … } pattern that uses them")


def test_user_queries_shadowing_shipped_ones_are_announced(tmp_path: Path) -> None:
    (tmp_path / "offices.rq").write_text("#+ summary: my offices\nSELECT ?x WHERE { ?x a ?y } LIMIT 1\n",
                                         encoding="utf-8")
    result = run("query", "list", "--query-dir", str(tmp_path))
    assert "note: your query 'offices' shadows the shipped one" in result.stderr
    assert any(line.startswith("offices") and "my offices" in line for line in result.stdout.splitlines())


def loaded_after(commands: str, packages: set[str]) -> str:
    """Run CLI invocations (`r.invoke(app, …)` lines) in a fresh interpreter; the modules of `packages` it loaded."""
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom essay_kg.cli import app\nr = CliRunner()\n"
            + commands + f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(packages)!r})))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    return done.stdout.strip()


def test_help_and_query_do_not_import_heavy_libraries() -> None:
    commands = (
        "assert r.invoke(app, ['--help']).exit_code == 0\n"
        "assert r.invoke(app, ['query', 'list']).exit_code == 0\n"
        "assert r.invoke(app, ['query', 'run', 'offices', '-f', 'csv']).exit_code == 0\n"
        "assert r.invoke(app, ['sparql', 'ASK { ?s ?p ?o }']).exit_code == 0\n"
        "assert r.invoke(app, ['query', 'run', 'relations-of', '-p', 'entity=NATO']).exit_code == 0\n"
    )
    assert loaded_after(commands, {"spacy", "owlready2", "pyshacl", "thinc", "dask", "distributed"}) == ""


def test_query_run_and_sparql_never_import_rdflib() -> None:
    """The fast path: pyoxigraph reads the graph, binds the parameters and gives the terms that are rendered."""
    commands = (
        "for args in (['query', 'run', 'positions-of', '-p', 'holder=Russia', '-f', 'json'],\n"
        "             ['query', 'run', 'mentions-of', '-p', 'entity=id:csce', '-f', 'tsv'],\n"
        "             ['query', 'run', 'timeline', '-f', 'markdown'],\n"
        "             ['sparql', 'SELECT ?s WHERE { ?s a ekg:Office }', '-f', 'csv'], ['--help']):\n"
        "    assert r.invoke(app, args).exit_code == 0, args\n"
    )
    assert loaded_after(commands, {"rdflib", "rich"}) == ""


def test_the_query_folder_example_runs_exactly_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = (REPO / "docs" / "queries.md").read_text(encoding="utf-8")
    query = re.search(r"<!-- example-query: (\S+) -->\n```sparql\n(.*?)```", page, re.S)
    assert query
    after = page[query.end():]  # the command and the output that follow the query
    command = re.search(r"<!-- example-command -->\n```sh\n(.*?)```", after, re.S)
    output = re.search(r"<!-- example-output -->\n```\n(.*?)```", after, re.S)
    assert command and output
    folder = tmp_path / Path(query.group(1)).parent
    folder.mkdir(parents=True)
    (tmp_path / query.group(1)).write_text(query.group(2), encoding="utf-8")
    args = shlex.split(command.group(1))
    assert args[0] == "essay-kg"
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == output.group(1)


def test_every_command_and_option_has_help_with_an_example() -> None:
    import typer

    builtin = {"help", "install_completion", "show_completion", "version"}

    def walk(command, path: str) -> None:
        for param in command.params:
            if param.name not in builtin:
                assert "Example" in (getattr(param, "help", None) or ""), f"{path} {param.name}"
        for name, sub in getattr(command, "commands", {}).items():
            assert "Example" in (sub.help or ""), f"{path} {name}"
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "essay-kg")


def test_shell_completion_completes_commands_and_query_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import shellingham

    # typer finds the shell from the process tree; a test started outside any shell has none to find
    monkeypatch.setattr(shellingham, "detect_shell", lambda *args, **kwargs: ("bash", "/bin/bash"))
    script = run("--show-completion", "bash")
    assert script.exit_code == 0 and "_essay_kg_completion" in script.stdout, (script.output, script.exception)
    env = {"_ESSAY_KG_COMPLETE": "complete_bash", "COMP_WORDS": "essay-kg qu", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "essay_kg"], env={**__import__("os").environ, **env},
                          capture_output=True, text=True, timeout=120, check=False)
    assert "query" in done.stdout.split()
    env = {"_ESSAY_KG_COMPLETE": "complete_bash", "COMP_WORDS": "essay-kg query run relat", "COMP_CWORD": "3"}
    done = subprocess.run([sys.executable, "-m", "essay_kg"], env={**__import__("os").environ, **env},
                          capture_output=True, text=True, timeout=120, check=False)
    assert sorted(done.stdout.split()) == ["relation-holds", "relations-of"]
