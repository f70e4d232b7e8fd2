"""Stored SPARQL queries: the `.rq` files of `queries/` and `queries/checks/`.

Each file starts with a grlc-style YAML header in ``#+`` comment lines
(summary, description, tags, …) followed by the SPARQL text.  This is the
only module that reads `queries/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from essay_kg.locations import data_dir


@dataclass(frozen=True)
class StoredQuery:
    """A query file: its name, header lines and SPARQL text."""

    name: str
    path: Path
    header: str
    sparql: str


def read_query(path: Path) -> StoredQuery:
    """Split a `.rq` file into its ``#+`` header and its SPARQL text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line[2:].removeprefix(" ") for line in lines if line.startswith("#+")]
    body = [line for line in lines if not line.startswith("#+")]
    return StoredQuery(path.stem, path, "\n".join(header), "\n".join(body).strip() + "\n")


def check_queries(folder: Path | None = None) -> list[StoredQuery]:
    """The validation checks (`queries/checks/*.rq`), sorted by name."""
    folder = folder or data_dir("queries") / "checks"
    return [read_query(path) for path in sorted(folder.glob("*.rq"))]
