"""A pyoxigraph store on disk: the `oxigraph serve --location` format, filled from graph files.

Every file is checked before the store is opened, so a wrong file leaves no half-filled
store behind; each is then read by the one pyoxigraph reader of graph files
(`essay_kg.query.engine.bulk_load`).  One process at a time may hold a store's folder.
"""

from __future__ import annotations

from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.query.engine import bulk_load, oxigraph_format


def load_files(files: list[Path], location: Path) -> int:
    """Load graph files into the store at `location` (created if absent); the quads it then holds."""
    import pyoxigraph as ox

    if not files:
        raise BadInput("no graph files to load", "give .nq or .trig files, or a folder holding them")
    for path in files:
        oxigraph_format(path)
    try:
        store = ox.Store(str(location))
    except OSError as err:
        raise BadInput(f"{location}: cannot open the store ({err})", "is another process using it? (one per folder)") \
            from None
    for path in files:
        bulk_load(store, path)
    store.flush()
    return len(store)
