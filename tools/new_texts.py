"""Measure the tool on the texts it was not built for: (a) with no new data, (b) after accepting `rules suggest`.

    python tools/new_texts.py            # prints the README's table (Markdown)

For each text of extract/sources/ that has a gold standard in tests/gold/ (other than the first
essay): (a) build it with the shipped rules (base gazetteer + discovery) and run `essay-kg eval`;
(b) run `essay-kg rules suggest`, accept every suggested entity line as it stands (appended to a
copy of extract/entities.jsonl, no line edited), build again with that folder and run
`essay-kg eval`. The figures are those `essay-kg eval --format json` prints.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {"bush-1991": "bush-1991-gulf-war-joint-session", "clinton-1995": "clinton-1995-bosnia"}
ESSAY_KG = [sys.executable, "-m", "essay_kg"]


def run(*args: str) -> str:
    done = subprocess.run([*ESSAY_KG, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"essay-kg {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def scores(graph: Path, gold: Path) -> dict[str, dict]:
    return {s["component"]: s for s in json.loads(run("eval", "--gold", str(gold), "--graph", str(graph),
                                                       "--format", "json"))}


def measure(work: Path) -> list[dict]:
    rows = []
    for gold_name, source_name in TEXTS.items():
        source = ROOT / "extract" / "sources" / f"{source_name}.txt"
        gold = ROOT / "tests" / "gold" / gold_name
        plain = work / gold_name / "a"
        run("build", str(source), "--out", str(plain))
        (graph_a,) = plain.glob("*.trig")
        suggestions = work / gold_name / "suggestions"
        run("rules", "suggest", str(source), "--out", str(suggestions))
        rules = work / gold_name / "extract"
        shutil.copytree(ROOT / "extract", rules, ignore=shutil.ignore_patterns("sources"))
        accepted = (suggestions / "entities.jsonl").read_text(encoding="utf-8")
        with (rules / "entities.jsonl").open("a", encoding="utf-8") as stream:
            stream.write(accepted)
        tuned = work / gold_name / "b"
        run("build", str(source), "--out", str(tuned), "--rules", str(rules))
        (graph_b,) = tuned.glob("*.trig")
        rows.append({"text": gold_name, "accepted": len(accepted.splitlines()),
                     "a": scores(graph_a, gold), "b": scores(graph_b, gold)})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| text | data | entities P | R | F1 | positions P | R | F1 |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for key, label in (("a", "(a) no new data"), ("b", f"(b) + {row['accepted']} suggested entities")):
            e, p = row[key]["entities"], row[key]["positions"]
            lines.append(f"| {row['text']} | {label} | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | "
                         f"{p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(table(measure(Path(folder))), end="")


if __name__ == "__main__":
    main()
