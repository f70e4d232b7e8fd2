"""Merge the sorted N-Quads files of many documents into one sorted file, streaming.

Each document's ``NAME.nq`` is sorted and has no repeated lines, so the corpus file is
their k-way merge (`heapq.merge`) with repeats dropped: the ontology and links graphs,
which every document carries, appear once.  Memory holds one line per input file, never a
graph; at most `FAN_IN` files are open at once, and a larger corpus is merged in rounds
through temporary files beside the target.  Byte order of UTF-8 is code-point order, so
the result is sorted exactly as each document's file is.
"""

from __future__ import annotations

import heapq
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

from essay_kg.files import atomic_output

FAN_IN = 128


def _merge_into(inputs: list[Path], stream: BinaryIO) -> int:
    """Write the merged, de-duplicated lines of sorted files to `stream`; the number of lines."""
    count = 0
    previous = None
    with ExitStack() as stack:
        files = [stack.enter_context(path.open("rb")) for path in inputs]
        for line in heapq.merge(*files):
            if not line.endswith(b"\n"):
                line += b"\n"
            if line != previous and line.strip():
                stream.write(line)
                previous = line
                count += 1
    return count


def merge_nquads(inputs: list[Path], target: Path, fan_in: int | None = None) -> int:
    """Merge sorted N-Quads files into `target` (atomically); the number of distinct quads."""
    fan_in = max(2, fan_in or FAN_IN)
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.", dir=target.parent) as folder:
        level = list(inputs)
        round_number = 0
        while len(level) > fan_in:
            merged = []
            for start in range(0, len(level), fan_in):
                part = Path(folder) / f"round-{round_number}-{start // fan_in:06d}.nq"
                with part.open("wb") as stream:
                    _merge_into(level[start:start + fan_in], stream)
                merged.append(part)
            level = merged
            round_number += 1
        with atomic_output(target) as stream:
            return _merge_into(level, stream)
