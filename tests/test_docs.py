"""The README and the pages under docs/ as a user reads them: their examples run as written, their links lead
somewhere, and the README stays a short path with the test command CI runs.

An example is marked in the Markdown with an HTML comment before a fenced block:

* `<!-- example-file: PATH -->` — the block is written to PATH (the text a user would save);
* `<!-- example-command -->` — each line of the `sh` block (`# …` comments aside) is an `essay-kg` command,
  run in order and expected to exit 0;
* `<!-- example-output -->` — the block is exactly what the last command printed on stdout.

Each page runs in a fresh folder of its own, its blocks in the order they are written.
"""

from __future__ import annotations

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
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARKED = re.compile(r"<!-- example-(file|query|command|output)(?:: (\S+))? -->\n```[\w-]*\n(.*?)```", re.S)
# pages whose examples need a server, the internet or a long run: their commands are shown, not run
NOT_RUN = {"benchmark.md", "development.md", "errors.md"}  # errors.md's table is run by test_bad_input.py


def examples(page: Path) -> list[tuple[str, str | None, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in MARKED.finditer(page.read_text(encoding="utf-8"))]


def commands(block: str) -> list[list[str]]:
    found = []
    for line in block.splitlines():
        line = line.split("  # ", 1)[0].strip()
        if line and not line.startswith("#"):
            args = shlex.split(line)
            assert args[0] == "essay-kg", line
            found.append(args[1:])
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_meant_to_has_examples(page: Path) -> None:
    kinds = [kind for kind, _, _ in examples(page)]
    if page.name in NOT_RUN:
        assert "command" not in kinds
    else:
        assert "command" in kinds, f"{page.name}: no example marked <!-- example-command -->"


@pytest.mark.parametrize("page", [p for p in PAGES if p.name not in NOT_RUN], ids=lambda p: p.name)
def test_the_examples_run_as_written(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESSAY_KG_CONTACT", "tests@example.org")
    last = None
    for kind, path, text in examples(page):
        if kind in {"file", "query"}:
            assert path and not Path(path).is_absolute() and ".." not in Path(path).parts, path
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text, encoding="utf-8")
        elif kind == "command":
            for args in commands(text):
                last = runner.invoke(app, args)
                assert last.exit_code == 0, (page.name, args, last.stderr, last.exception)
        else:
            assert last is not None, f"{page.name}: an output with no command before it"
            assert last.stdout == text, (page.name, last.stdout)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", re.sub(r"```.*?```", "", text, flags=re.S))
    assert links or page.name == "benchmark.md"
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        file = (page.parent / target).resolve() if target else page
        assert file.exists(), f"{page.name}: {link} leads nowhere"
        if anchor and file.suffix == ".md":
            headings = re.findall(r"^#{1,6} (.+)$", re.sub(r"```.*?```", "", file.read_text(encoding="utf-8"),
                                                             flags=re.S), re.M)
            assert anchor in {slug(h) for h in headings}, f"{page.name}: no heading for #{anchor} in {file.name}"


def test_the_readme_is_a_short_path_that_links_every_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 400
    headings = re.findall(r"^## (.+)$", readme, re.M)
    assert headings == ["Quick start", "Your own text", "A folder of texts", "Asking questions", "Into a triplestore",
                        "Wikidata", "Pictures", "Trust: validate, verify, reason", "Reference", "Development"]
    for page in (REPO / "docs").glob("*.md"):
        assert f"](docs/{page.name})" in readme, f"the README does not link docs/{page.name}"
    for picture in (REPO / "docs").glob("*.svg"):
        assert f"](docs/{picture.name})" in readme, f"the README does not show docs/{picture.name}"


def test_the_readme_gives_the_test_command_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install '.[test]' && pytest"
    assert f"\n{command}\n" in ci
    development = (REPO / "README.md").read_text(encoding="utf-8").split("## Development", 1)[1]
    assert f"```sh\n{command}\n```" in development


def test_every_command_and_option_is_in_the_commands_page() -> None:
    """docs/commands.md has a section for every command, naming each of its arguments and options."""
    import typer

    page = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `(essay-kg [^`]+)`\n(.*?)(?=^## |\Z)", page, re.S | re.M))

    def walk(command, path: str) -> list[str]:
        subs = getattr(command, "commands", None)
        if subs:
            return [name for sub_name, sub in subs.items() for name in walk(sub, f"{path} {sub_name}")]
        section = sections.get(path)
        assert section is not None, f"docs/commands.md has no section for {path}"
        for param in command.params:
            if param.name == "help":
                continue
            names = [(param.metavar or param.name).upper()] if param.param_type_name == "argument" else \
                [*param.opts, *param.secondary_opts]
            for name in names:
                assert f"`{name}`" in section, f"docs/commands.md: {path} does not name {name}"
        return [path]

    documented = walk(typer.main.get_command(app), "essay-kg")
    assert sorted(documented) == sorted(sections), "docs/commands.md has a section for a command that does not exist"


def test_the_option_tables_say_what_the_help_says() -> None:
    """Every option table of docs/commands.md is what `tools/commands_page.py` makes from the commands' help:
    a changed option or help text that the page does not follow fails here (run the tool to rewrite it)."""
    done = subprocess.run([sys.executable, str(REPO / "tools" / "commands_page.py"), "--check"], capture_output=True,
                          text=True, cwd=REPO)
    assert done.returncode == 0, "docs/commands.md is not current: run python tools/commands_page.py"
