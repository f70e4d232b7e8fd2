"""Synthetic essays for benchmarks and corpus tests, deterministic by seed.

Each essay recombines sentences of the shipped essay's body and swaps the names of
gazetteer entities for others of the same type (a state for a state, a person for a
person), so that the extractor meets known names in new company.  No corpus download is
needed, and the same seed always gives the same files.

    python bench/synth.py OUT_DIR [--count 100] [--sentences 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESSAY = ROOT / "extract" / "sources" / "kozyrev-1994-the-lagging-partnership.txt"
ENTITIES = ROOT / "extract" / "entities.jsonl"
SWAPPED_TYPES = {"State", "Person", "Place"}


def body_sentences() -> list[str]:
    text = ESSAY.read_text(encoding="utf-8")
    body = text[:text.index("\n1 Stephen Sestanovich")]
    sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z“\"])", " ".join(body.split()))
    return [s for s in sentences if 40 <= len(s) <= 400]


def names_by_type() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in ENTITIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        entity = json.loads(line)
        if entity["type"] in SWAPPED_TYPES:
            found.setdefault(entity["type"], []).append(entity["label"])
    return {t: sorted(v) for t, v in found.items()}


def essay(rng: random.Random, sentences: list[str], names: dict[str, list[str]], length: int) -> str:
    chosen = [rng.choice(sentences) for _ in range(length)]
    swaps = {}
    for labels in names.values():
        for label in labels:
            if rng.random() < 0.3:
                swaps[label] = rng.choice(labels)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True))) if swaps else None
    paragraphs = []
    for start in range(0, len(chosen), 5):
        paragraph = " ".join(chosen[start:start + 5])
        if pattern is not None:
            paragraph = pattern.sub(lambda m: swaps[m.group()], paragraph)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs) + "\n"


def write_corpus(out: Path, count: int, sentences_per_essay: int = 40, seed: int = 1) -> list[Path]:
    """Write `count` essays (NAME.txt with NAME.json metadata) into `out`; the text files, sorted."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sentences, names = body_sentences(), names_by_type()
    paths = []
    for number in range(1, count + 1):
        name = f"synthetic-{number:05d}"
        path = out / f"{name}.txt"
        path.write_text(essay(rng, sentences, names, sentences_per_essay), encoding="utf-8")
        metadata = {"id": name, "title": f"Synthetic essay {number}", "author": "Synthetic Author",
                    "publication_date": f"{1990 + number % 10}-{1 + number % 12:02d}", "language": "en"}
        (out / f"{name}.json").write_text(json.dumps(metadata, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.count, args.sentences, args.seed)
    print(f"{len(paths)} essays -> {args.out}")


if __name__ == "__main__":
    main()
