"""The exact source text: its bytes, metadata, layout (paragraphs, sections, paratext) and quotations,
every offset into the raw file.
"""

from essay_kg.public import lazy

HOMES = {
    "decode": "source",
    "layout": "source",
    "lines": "source",
    "quotations": "source",
    "read_bytes": "source",
    "read_metadata": "source",
    "read_source": "source",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
