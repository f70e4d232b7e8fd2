"""Many documents: one build per source text, corpus builds in parallel with incremental rebuilds, and
the merged corpus file.
"""

from essay_kg.public import lazy

HOMES = {
    "BuildReport": "documents",
    "CorpusReport": "batch",
    "build_corpus": "batch",
    "build_sources": "documents",
    "expand": "batch",
    "merge_nquads": "merge",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
