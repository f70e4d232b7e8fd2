"""`essay-kg rules suggest`: from a new text, suggested lines for `extract/` (entities, ambiguous forms, cues)."""

from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import AuthorOption, DateOption, ModelOption, RulesOption, TitleOption, app, guarded
from essay_kg.shipped import DEFAULT_MODEL

rules_app = typer.Typer(help="Extraction rules: suggest additions to extract/ from a new text.\n\n"
                             "Example: essay-kg rules suggest speech.txt", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("suggest")
def suggest_command(
    source: Annotated[Path, typer.Argument(help="A source .txt (UTF-8), with an optional sibling .json. "
                                                "Example: essay-kg rules suggest speech.txt", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for entities.jsonl, topics.jsonl, ambiguous.jsonl "
                                                          "and stances.jsonl. Example: --out suggestions")] = Path("suggestions"),
    rules: RulesOption = None,
    model: ModelOption = DEFAULT_MODEL,
    title: TitleOption = None,
    author: AuthorOption = None,
    date: DateOption = None,
) -> None:
    """Write what the rules guessed in a text as lines ready to edit and accept into extract/.

    Discovered entities become gazetteer lines (append the ones you accept to extract/entities.jsonl);
    topics that positions were found on, ambiguous forms and sentences with no stance cue are listed for review.
    Example: essay-kg rules suggest speech.txt --out suggestions
    """
    from essay_kg.extract.rules.load import load_rules
    from essay_kg.extract.run import extract
    from essay_kg.extract.suggest import suggest, write
    from essay_kg.files import check_writable
    from essay_kg.text.source import read_source

    overrides = {k: v for k, v in (("title", title), ("author", author), ("date", date)) if v is not None}

    def work():
        loaded = load_rules(rules)
        text = read_source(source, loaded.paratext, overrides)
        check_writable(out)
        return write(suggest(extract(text, loaded, model), source.name, loaded.entities), out)

    for path, count in guarded(work):
        typer.echo(f"suggest: {count} lines -> {path}", err=True)
