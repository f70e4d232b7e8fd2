"""Where the shipped data folders are, installed from a wheel or in a checkout.

A wheel carries `ontology/`, `extract/`, `queries/` and `graphs/` as package
data under `essay_kg/_data/`; a source checkout (editable install or running
from the tree) has them at the repository root.  Each data folder is read by
one module only; this module just finds them.
"""

from __future__ import annotations

from pathlib import Path

from essay_kg.errors import EnvironmentProblem

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the shipped data folder `name` (e.g. ``"extract"``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise EnvironmentProblem(
        f"the shipped data folder '{name}/' was not found next to the essay_kg package",
        "reinstall essay-kg (pip install --force-reinstall essay-kg) or run from a full checkout",
    )
