"""Each stage package's public API, imported on first use.

A stage package lists what it offers in ``__all__`` and where each name lives; the
module holding a name is imported only when the name is first read, so that
importing one light module of a stage (the query engine, say) never pays for a
heavy sibling (the RDF builder and rdflib).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for `package` that reads each name of `homes` from its module."""

    def attribute(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)

    return attribute
