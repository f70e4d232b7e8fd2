"""From a source text to plain data: a spaCy pipeline under the data-driven rules finds mentions,
facts, dates and positions (no RDF here).
"""

from essay_kg.public import lazy

HOMES = {
    "Suggestions": "suggest",
    "build_pipeline": "nlp",
    "extract": "run",
    "with_bibliography": "bibliography",
    "with_positions": "stances",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
