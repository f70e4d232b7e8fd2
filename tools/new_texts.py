"""Measure the tool on texts it was not built for, and say of each whether its misses were ever read.

    python tools/new_texts.py            # prints the table of docs/evaluation.md (Markdown)

Two kinds of text have a gold standard in tests/gold/ besides the first essay:

* "tuned": texts whose gold was written before any rule was tuned on them, but whose misses were
  then read to add general data and rules (their figures flatter the tool);
* "held out": texts whose gold was written blind and whose misses nobody has read (their figures
  are the honest estimate for a researcher's own text; keep it so: never look at their misses).

For each text: (a) build it with the shipped rules and the trained pipeline, and run
`essay-kg eval`; (b) run `essay-kg rules suggest`, accept every suggested entity line as it stands
(appended to a copy of extract/entities.jsonl, no line edited), build again and eval; (c) build
with the rules alone (`--model none`) and eval. The script calls the library functions behind
those commands in one process, so the trained pipeline loads once; the figures are those
`essay-kg eval --format json` prints. A precision, recall or F1 with nothing to score (0 of 0) prints "–".
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from essay_kg.shipped import DEFAULT_MODEL, NO_MODEL

ROOT = Path(__file__).resolve().parents[1]

TEXTS = {  # gold folder: (source file, kind)
    "bush-1991": ("bush-1991-gulf-war-joint-session", "tuned"),
    "clinton-1995": ("clinton-1995-bosnia", "tuned"),
    "biden-2021": ("biden-2021-americas-place-in-the-world", "held out"),
    "biden-2023": ("biden-2023-israel-ukraine-address", "held out"),
}


def scores(folder: Path, gold: Path) -> dict[str, dict]:
    """What `essay-kg eval --gold GOLD --graph FOLDER/*.trig --format json` prints, by component."""
    from essay_kg.rdf.files import load_graphs
    from essay_kg.trust.evaluate import evaluate

    (graph,) = folder.glob("*.trig")
    return {s.component: s.as_dict() for s in evaluate(load_graphs([graph]), gold)}


def build(source: Path, out: Path, rules: Path | None = None, model: str = DEFAULT_MODEL) -> None:
    """What `essay-kg build SOURCE --out OUT [--rules RULES] [--model MODEL]` does."""
    from essay_kg.corpus.documents import build_sources

    build_sources([source], out, rules, None, model)


def suggested_entities(source: Path, out: Path) -> str:
    """What `essay-kg rules suggest SOURCE --out OUT` writes as entities.jsonl."""
    from essay_kg.extract.rules.load import load_rules
    from essay_kg.extract.run import extract
    from essay_kg.extract.suggest import suggest, write
    from essay_kg.text.source import read_source

    rules = load_rules()
    write(suggest(extract(read_source(source, rules.paratext), rules), source.name, rules.entities), out)
    return (out / "entities.jsonl").read_text(encoding="utf-8")


def measure(work: Path) -> list[dict]:
    """The three builds of every text and their scores, in this one process (the pipeline loads once)."""
    rows = []
    for gold_name, (source_name, kind) in TEXTS.items():
        source = ROOT / "extract" / "sources" / f"{source_name}.txt"
        gold = ROOT / "tests" / "gold" / gold_name
        plain, bare, tuned = work / gold_name / "a", work / gold_name / "c", work / gold_name / "b"
        build(source, plain)
        build(source, bare, model=NO_MODEL)
        accepted = suggested_entities(source, work / gold_name / "suggestions")
        rules = work / gold_name / "extract"
        shutil.copytree(ROOT / "extract", rules, ignore=shutil.ignore_patterns("sources"))
        with (rules / "entities.jsonl").open("a", encoding="utf-8") as stream:
            stream.write(accepted)
        build(source, tuned, rules)
        rows.append({"text": gold_name, "kind": kind, "accepted": len(accepted.splitlines()),
                     "a": scores(plain, gold), "b": scores(tuned, gold), "c": scores(bare, gold)})
    return rows


def figures(score: dict) -> str:
    """Precision, recall and F1 as `essay-kg eval` prints them (– for one with nothing to score)."""
    from essay_kg.trust.evaluate import shown

    return " | ".join(shown(score[name]) for name in ("precision", "recall", "f1"))


def table(rows: list[dict]) -> str:
    lines = ["| text | kind | data | entities P | R | F1 | positions P | R | F1 | dates P | R | F1 |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for key, label in (("a", "(a) no new data"), ("b", f"(b) + {row['accepted']} suggested entities"),
                           ("c", "(c) rules alone (--model none)")):
            parts = [figures(row[key][component]) for component in ("entities", "positions", "dates")]
            lines.append(f"| {row['text']} | {row['kind']} | {label} | {' | '.join(parts)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(table(measure(Path(folder))), end="")


if __name__ == "__main__":
    main()
