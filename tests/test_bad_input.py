"""Every row of the "Bad input and what you get" table (docs/errors.md), run as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import REPO

PAGE = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
TABLE = PAGE.split("<!-- bad-input -->", 1)[1].split("<!-- /bad-input -->", 1)[0]
ROWS = [tuple(cell.strip() for cell in line.strip("|").split("|"))
        for line in TABLE.strip().splitlines()[2:]]


def unquote(cell: str) -> str:
    assert cell.startswith("`") and cell.endswith("`"), cell
    return cell[1:-1]


def test_the_table_has_at_least_twenty_rows() -> None:
    assert len(ROWS) >= 20
    assert len({row[1] for row in ROWS}) == len(ROWS)


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The files the table's commands name."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "nojava").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "spaces.txt").write_text("\u00a0\u2003\n\u3000\n", encoding="utf-8")
    for name in ("pipe.txt", "pipe.nq", "pipe.rq"):
        os.mkfifo(tmp_path / name)  # read, it would wait for a writer for ever
    (tmp_path / "latin1.rq").write_bytes(b"SELECT \xe9 WHERE { }\n")
    (tmp_path / "typed.txt").write_text("A short text.\n", encoding="utf-8")
    (tmp_path / "typed.json").write_text('{"author": 42}', encoding="utf-8")
    (tmp_path / "deep.txt").write_text("A short text.\n", encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "import.jsonld").write_text('{"@context": {"@version": 1.1, "@import": "/etc/hostname"}, '
                                            '"@id": "urn:a", "urn:p": "x"}', encoding="utf-8")
    (tmp_path / "badgold").mkdir()
    for name in ("entities", "relations", "dates"):
        (tmp_path / "badgold" / f"{name}.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "badgold" / "positions.jsonl").write_text('{"holder": "russia"}\n', encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "big.txt").write_bytes(b"word " * (2 * 1_048_576 // 5) + b"word\n")
    shutil.copy(REPO / "extract" / "sources" / "kozyrev-1994-the-lagging-partnership.txt", tmp_path / "essay.txt")
    (tmp_path / "meta.txt").write_text("A short text.\n", encoding="utf-8")
    (tmp_path / "meta.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "inway").write_text("a file in the way\n", encoding="utf-8")
    (tmp_path / "broken.nq").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    (tmp_path / "good.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    (tmp_path / "laughs.rdf").write_text(  # each entity ten of the one before: "lol" 10**9 times, 3 GB
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY lol0 "lol">\n'
        + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
        + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a">'
        '<rdf:value>&lol9;</rdf:value></rdf:Description></rdf:RDF>\n', encoding="utf-8")
    (tmp_path / "notes.doc").write_text("notes\n", encoding="utf-8")
    (tmp_path / "remote.jsonld").write_text('{"@context": "https://example.org/context.jsonld", "@id": "urn:a"}',
                                            encoding="utf-8")
    (tmp_path / "badrules").mkdir()
    (tmp_path / "badrules" / "entities.jsonl").write_text(
        '{"id": "x", "type": "State", "label": "X"}\n{"id": "y", "type": "Persn", "label": "Y"}\n', encoding="utf-8")
    (tmp_path / "slowrules").mkdir()
    (tmp_path / "slowrules" / "entities.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "slowrules" / "paratext.jsonl").write_text('{"id": "a", "kind": "x", "regex": "^(a+)+$"}\n',
                                                           encoding="utf-8")
    (tmp_path / "looprules").mkdir()
    (tmp_path / "looprules" / "entities.jsonl").symlink_to("entities.jsonl")
    (tmp_path / "patternrules").mkdir()
    for name in ("entities", "paratext", "coreference"):
        (tmp_path / "patternrules" / f"{name}.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "patternrules" / "relations.jsonl").write_text(
        '{"id": "r", "kind": "pattern", "patterns": [[{"LOWER": "x", "OP": "%%"}]], "triples": [["$0", "memberOf", "$0"]]}\n',
        encoding="utf-8")
    header = "entity\ttype\tlabel\tdecision\tqid\titem_label\tdescription\tscore\tmatch\treason\n"
    (tmp_path / "twice.tsv").write_text(header + "russia\tState\tRussia\taccept\tQ159\tRussia\t\t100\texactMatch\t\n"
                                        "russia\tState\tRussia\taccept\tQ2184\tRussian SFSR\t\t90\texactMatch\t\n",
                                        encoding="utf-8")
    (tmp_path / "one.tsv").write_text(header + "russia\tState\tRussia\taccept\tQ159\tRussia\t\t100\texactMatch\t\n",
                                      encoding="utf-8")
    (tmp_path / "long.tsv").write_text(header + "russia\tState\tRussia\taccept\tQ159\tRussia\t" + "x" * 200_000
                                       + "\t100\texactMatch\t\n", encoding="utf-8")
    (tmp_path / "myqueries").mkdir()
    (tmp_path / "myqueries" / "typelist.rq").write_text(
        "#+ summary: a list as type\n#+ params:\n#+   entity: {type: [entity]}\nSELECT ?o WHERE { ?_entity ?p ?o }\n",
        encoding="utf-8")
    (tmp_path / "myqueries" / "card.rq").write_text(
        "#+ summary: no pattern\n#+ params:\n#+   entity: {type: entity}\nDESCRIBE ?_entity\n", encoding="utf-8")
    stand_ins = {  # programs on PATH in place of Graphviz and Java: one that never ends, one that fails as Java does
        "slowdot/dot": "exec /bin/sleep 60\n", "slowjava/java": "exec /bin/sleep 60\n",
        "badjava/java": "echo 'Error: Could not find or load main class org.semanticweb.HermiT.cli.CommandLine' >&2\n"
                        "echo 'Caused by: java.lang.ClassNotFoundException: org.semanticweb.HermiT.cli.CommandLine' >&2\n"
                        "exit 1\n"}
    for name, body in stand_ins.items():
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text("#!/bin/sh\n" + body, encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    (tmp_path / "plain.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    shutil.copy(REPO / "graphs" / "kozyrev-1994.nq", tmp_path / "essay.nq")
    (tmp_path / "oldbuild").mkdir()
    (tmp_path / "oldbuild" / "wikidata-sameas.ttl").write_text("id:russia owl:sameAs wd:Q159 ;\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_each_bad_input_row(row: tuple[str, ...], folder: Path) -> None:
    case, command, message, code = row
    words = shlex.split(unquote(command))
    env = {}
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = str(folder / value) if (folder / value).exists() else value  # a file of the folder, or a value
    assert words[0] == "essay-kg"
    before = sorted(p.name for p in folder.rglob("*"))
    result = CliRunner().invoke(app, words[1:], env=env)
    assert result.exit_code == int(code), f"{case}: {result.output}"
    assert unquote(message) in result.output, f"{case}: {result.output}"
    assert "Traceback" not in result.output
    if "No such option" not in message:  # typer's own usage errors keep their panel
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines[-2].startswith("error: ") and lines[-1].startswith("hint: "), result.stderr
    assert sorted(p.name for p in folder.rglob("*")) == before  # nothing written, not even half
    assert not re.search(r"\.tmp$", " ".join(before))
