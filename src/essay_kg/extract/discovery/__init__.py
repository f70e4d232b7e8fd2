"""Names and described things no gazetteer knows, found and typed from the discovery rules."""

from essay_kg.public import lazy

HOMES = {
    "Lexicon": "lexicon",
    "with_discoveries": "names",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
