"""The command line: bad input gives two lines (what, how to fix), exit 2, no traceback, no output file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app

from conftest import ESSAY, REPO

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def assert_bad_input(result, message: str, hint: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0], lines[0]
    assert lines[1].startswith("hint: ") and hint in lines[1], lines[1]
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def no_output(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_build_writes_three_files_the_same_as_view_and_a_summary(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kozyrev-1994.nq", "kozyrev-1994.trig", "kozyrev-1994.ttl",
                                                          "wikidata-sameas.ttl"]
    assert "kozyrev-1994: " in result.stderr and " entities (" in result.stderr and "Person 9" in result.stderr
    assert result.stdout == ""


def test_missing_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(tmp_path / "nope.txt"), "--out", str(out))
    assert_bad_input(result, "nope.txt: no such file", "check the path")
    assert no_output(out)


def test_a_folder_without_texts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(tmp_path), "--out", str(out))  # a folder is a corpus: here an empty one
    assert_bad_input(result, "no .txt files in", "give a folder holding NAME.txt files")
    assert no_output(out)


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"], ids=["zero-bytes", "only-whitespace"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "empty.txt"
    source.write_bytes(content)
    out = tmp_path / "out"
    result = run("build", str(source), "--out", str(out))
    assert_bad_input(result, "the file is empty", "UTF-8 text file")
    assert no_output(out)


def test_non_utf8_file(tmp_path: Path) -> None:
    source = tmp_path / "latin1.txt"
    source.write_bytes("Gorbatschow sagte: Grüße aus Moskau.".encode("latin-1"))
    out = tmp_path / "out"
    result = run("build", str(source), "--out", str(out))
    assert_bad_input(result, "not UTF-8 (byte 21 is 0xfc)", "iconv")
    assert no_output(out)


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("build", "--out", str(blocker / "graphs"))
    assert_bad_input(result, "cannot create the output folder", "--out a folder you can write to")
    assert blocker.read_text() == "not a folder"


def test_malformed_rules_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "extract", rules, ignore=shutil.ignore_patterns("sources"))
    with (rules / "relations.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"id": "broken", "kind": "cooccur", "requires": ["russia"]\n')
    lines = (rules / "relations.jsonl").read_text(encoding="utf-8").count("\n")
    out = tmp_path / "out"
    result = run("build", "--rules", str(rules), "--out", str(out))
    assert_bad_input(result, f"relations.jsonl:{lines}: invalid JSON", f"fix line {lines}")
    assert no_output(out)


def test_malformed_metadata(tmp_path: Path) -> None:
    source = tmp_path / "essay.txt"
    source.write_text("Russia and NATO.\n", encoding="utf-8")
    source.with_suffix(".json").write_text("{not json", encoding="utf-8")
    result = run("build", str(source), "--out", str(tmp_path / "out"))
    assert_bad_input(result, "essay.json: not valid JSON", "fix the metadata file")


def test_bad_date_flag(tmp_path: Path) -> None:
    source = tmp_path / "essay.txt"
    source.write_text("Russia and NATO.\n", encoding="utf-8")
    result = run("build", str(source), "--date", "May 1994", "--out", str(tmp_path / "out"))
    assert_bad_input(result, "is not YYYY, YYYY-MM or YYYY-MM-DD", "1994-05")


def test_failed_build_leaves_previous_output_intact(tmp_path: Path) -> None:
    assert run("build", "--out", str(tmp_path)).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    assert run("build", str(bad), "--out", str(tmp_path)).exit_code == 2
    bad.unlink()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_unseen_text_with_flags_builds(tmp_path: Path) -> None:
    source = tmp_path / "speech.txt"
    source.write_text(
        "Today the United\nStates and Russia met in Geneva. We support NATO and the CSCE.\n\n"
        "Zhirinovsky’s Liberal Democratic Party objected. 😀 \u0000 odd bytes\r\n", encoding="utf-8")
    result = run("build", str(source), "--title", "A Speech", "--author", "Warren Christopher", "--date", "1994-01",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    trig = (tmp_path / "out" / "christopher-1994.trig").read_text(encoding="utf-8")
    assert "id:vladimir-zhirinovsky" in trig and "id:nato" in trig and "A Speech" in trig


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == "essay-kg 0.1.0"
    result = run("build", "--help")
    assert result.exit_code == 0 and "Example: essay-kg build" in result.stdout


def test_installed_console_script(tmp_path: Path) -> None:
    script = shutil.which("essay-kg") or str(Path(sys.executable).parent / "essay-kg")
    done = subprocess.run([script, "build", str(ESSAY), "--out", str(tmp_path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "kozyrev-1994.trig").stat().st_size > 100_000
    bad = subprocess.run([script, "build", str(tmp_path / "missing.txt")], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300, check=False)
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[0].startswith("error: ") and "Traceback" not in bad.stderr


def test_eval_without_gold_uses_the_shipped_gold_standard_from_any_folder(tmp_path: Path) -> None:
    """The embedded essay's gold standard is package data: `eval` needs no checkout (here: run from an empty folder)."""
    import json

    done = subprocess.run([sys.executable, "-m", "essay_kg", "eval", "--format", "json"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    scores = {row["component"]: row for row in json.loads(done.stdout)}
    assert set(scores) == {"entities", "relations", "positions", "dates"} and scores["entities"]["f1"] >= 0.95


def test_a_wheel_carries_the_shipped_gold_standard() -> None:
    """`shipped_gold()` looks for `_data/gold/NAME` in an installed package: the wheel must put it there."""
    import tomllib

    from essay_kg.shipped import SHIPPED_DOC, shipped_gold

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included[f"tests/gold/{SHIPPED_DOC}"] == f"essay_kg/_data/gold/{SHIPPED_DOC}"
    assert all((REPO / source).is_dir() for source in included)
    assert (shipped_gold() / "entities.jsonl").is_file()


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "essay_kg", "--version"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "essay-kg 0.1.0"
