"""`essay-kg build`: one text, several, or a corpus (folders, globs)."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from essay_kg.cli.shared import AuthorOption, DateOption, ModelOption, RulesOption, TitleOption, app, guarded, one_line
from essay_kg.shipped import DEFAULT_MODEL


@app.command("build")
def build_command(
    sources: Annotated[list[Path] | None, typer.Argument(
        help="Source .txt files (UTF-8). Default: the shipped essay. Example: essay-kg build my-essay.txt",
        show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the graph files. Example: --out graphs")] = Path("graphs"),
    rules: RulesOption = None,
    model: ModelOption = DEFAULT_MODEL,
    title: TitleOption = None,
    author: AuthorOption = None,
    date: DateOption = None,
    timings: Annotated[bool, typer.Option(help="Also print the seconds each phase took. Example: --timings")] = False,
    parse_cache: Annotated[bool, typer.Option(help="Read a text's parse from the parse cache when the same pipeline "
                                                   "parsed it before, and keep new parses there "
                                                   "(ESSAY_KG_PARSE_CACHE names its folder). Example: --no-parse-cache")] = True,
    jobs: Annotated[int | None, typer.Option(min=1, help="Corpus mode: build this many documents at once (each in its "
                                                         "own process). Example: --jobs 2")] = None,
    engine: Annotated[str, typer.Option(help="Corpus mode: local processes, or dask (a Dask cluster; a LocalCluster "
                                             "of --jobs workers unless --scheduler). Example: --engine dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Corpus mode: the address of an existing Dask scheduler. "
                                                       "Example: --scheduler tcp://10.0.0.5:8786")] = None,
) -> None:
    """Build the knowledge graph of the shipped essay, of given texts, or of a corpus (folders, globs).

    Writes NAME.trig (named graphs), NAME.nq (sorted N-Quads) and NAME.ttl (the union, graph by graph)
    into --out, atomically, and prints a summary to stderr. A folder or glob (or --jobs) builds
    a corpus: each document on its own, unchanged ones skipped, failures reported at the end
    (exit 1) without losing the others.

    Example: essay-kg build essays/ --out graphs --jobs 2
    """
    from essay_kg.corpus.batch import is_corpus_build
    from essay_kg.corpus.documents import build_sources

    if not parse_cache:
        from essay_kg.extract.parse_cache import OFF, SETTING

        os.environ[SETTING] = OFF  # this process and the corpus workers it starts
    inputs = list(sources or [])
    overrides = {"title": title, "author": author, "date": date}
    if guarded(lambda: is_corpus_build(inputs, jobs, engine, overrides)):
        _build_corpus(inputs, out, rules, jobs, timings, engine, scheduler, model)
        return
    _print_reports(guarded(lambda: build_sources(inputs, out, rules, overrides, model)), timings)


def _build_corpus(inputs: list[Path], out: Path, rules: Path | None, jobs: int | None, timings: bool, engine: str,
                  scheduler: str | None, model: str) -> None:
    from essay_kg.corpus.batch import build_corpus, corpus_documents

    count = len(guarded(lambda: corpus_documents(inputs)))
    with typer.progressbar(length=count, label="building", file=sys.stderr) as bar:
        report = guarded(lambda: build_corpus(inputs, out, rules, jobs, bar.update, engine, scheduler, model))
    for warning in report.warnings:
        typer.echo(f"warning: {one_line(warning)}", err=True)
    _print_reports(report.built, timings)
    typer.echo(f"corpus: {len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.failed)} failed "
               f"-> {out}", err=True)
    if report.merged is not None:
        typer.echo(f"corpus: {report.quads} quads merged -> {report.merged}", err=True)
    for path, message in report.failed:  # a message naming the text or its metadata file is printed as it is
        named = message.startswith((path, str(Path(path).with_suffix(".json"))))
        typer.echo(f"error: {one_line(message if named else f'{path}: {message}')}", err=True)
    if report.failed:
        typer.echo("hint: fix the files named above and build again (one whose process was killed: with fewer --jobs "
                   "or more memory); the others are done and will be skipped", err=True)
        raise typer.Exit(1)


def _print_reports(reports: list, timings: bool) -> None:
    for report in reports:
        typer.echo(report.summary(), err=True)
        if timings and report.seconds:
            typer.echo("timings: " + ", ".join(f"{k} {v:.3f} s" for k, v in report.seconds.items()), err=True)
