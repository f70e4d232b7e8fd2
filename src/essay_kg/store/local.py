"""A pyoxigraph store on disk: the `oxigraph serve --location` format, filled from graph files.

Every file is read to its end by pyoxigraph's parser before the store is opened, so a wrong
file (the last of many, its error on its last line) leaves the store as it was; each is then
loaded by the one pyoxigraph reader of graph files (`essay_kg.query.engine.bulk_load`).  One
process at a time may hold a store's folder.
"""

from __future__ import annotations

from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.query.engine import bulk_load, check_parses


def load_files(files: list[Path], location: Path) -> int:
    """Load graph files into the store at `location` (created if absent); the quads it then holds."""
    import pyoxigraph as ox

    if not files:
        raise BadInput("no graph files to load", "give .nq or .trig files, or a folder holding them")
    for path in files:  # every file read to its end before any is loaded: a broken one leaves the store as it was
        check_parses(path)
    try:
        store = ox.Store(str(location))
    except OSError as err:
        raise BadInput(f"{location}: cannot open the store ({err})", "is another process using it? (one per folder)") \
            from None
    for path in files:
        bulk_load(store, path)
    store.flush()
    return len(store)
