"""Whether a graph can be trusted: SHACL and stored checks, HermiT reasoning, re-anchoring against the
source, and scores against a gold standard.
"""

from essay_kg.public import lazy

HOMES = {
    "Reasoning": "reason",
    "Report": "validate",
    "Score": "evaluate",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
