"""Write the option tables of docs/commands.md from the command line's own help (`python tools/commands_page.py`).

Each command's section keeps its prose; its table is made anew from what ``essay-kg COMMAND --help``
says, so that the page cannot drift from the commands.  ``--check`` only reports whether the page is
current (exit 1 if not); a test runs it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer

from essay_kg.cli import app

PAGE = Path(__file__).resolve().parent.parent / "docs" / "commands.md"


def _cell(text: str) -> str:
    """Help text as a table cell: the example in backticks, pipes escaped."""
    text = " ".join(text.split()).replace("|", "\\|")
    return re.sub(r"Example: (.+?)$", lambda m: f"Example: `{m.group(1)}`", text)


def rows(command) -> list[str]:
    """The table rows of one command: each argument and option with its help and default."""
    out = []
    for param in command.params:
        if param.name == "help":
            continue
        if param.param_type_name == "argument":
            name = f"`{(param.metavar or param.name).upper()}`" + (" …" if param.nargs == -1 else "")
        else:
            name = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        meaning = _cell(param.help or "")
        default = param.default
        if param.param_type_name == "option" and default not in (None, False, (), []) and not param.is_flag \
                and not callable(default):
            meaning += f". Default: `{default}`." if not meaning.endswith(".") else f" Default: `{default}`."
        out.append(f"| {name} | {meaning} |")
    return out


def commands(command, path: str = "essay-kg") -> dict[str, object]:
    """Every leaf command by its full name."""
    subs = getattr(command, "commands", None)
    if not subs:
        return {path: command}
    found: dict[str, object] = {}
    for name, sub in subs.items():
        found.update(commands(sub, f"{path} {name}"))
    return found


def page(text: str) -> str:
    """The page with each section's table made anew."""
    leaves = commands(typer.main.get_command(app))

    def section(match: re.Match) -> str:
        name, body = match.group(1), match.group(2)
        command = leaves.get(name)
        if command is None:
            return match.group(0)
        table = "| argument or option | meaning |\n|---|---|\n" + "\n".join(rows(command)) + "\n"
        return f"## `{name}`\n" + re.sub(r"\| argument or option \| meaning \|\n(?:\|.*\|\n)+", lambda _: table, body, count=1)

    return re.sub(r"^## `(essay-kg [^`]+)`\n(.*?)(?=^## |\Z)", section, text, flags=re.S | re.M)


def main(argv: list[str]) -> int:
    text = PAGE.read_text(encoding="utf-8")
    new = page(text)
    if "--check" in argv:
        return 0 if new == text else 1
    PAGE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
