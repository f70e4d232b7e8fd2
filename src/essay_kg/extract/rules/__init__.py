"""The only reader of `extract/*.jsonl`: the gazetteers and rule files, validated line by line into
typed rules.
"""

from essay_kg.public import lazy

HOMES = {
    "CorefRule": "load",
    "DiscoveryRule": "discovery",
    "ExpectedClass": "wikidata",
    "RelationRule": "load",
    "RuleSet": "load",
    "StanceRule": "load",
    "TimeRule": "load",
    "classes_for": "wikidata",
    "load_classes": "wikidata",
    "load_discovery": "discovery",
    "load_entities": "load",
    "load_links": "wikidata",
    "load_rules": "load",
    "read_jsonl": "jsonl",
    "reviewed_ids": "wikidata",
}
__all__ = sorted(HOMES)
__getattr__ = lazy(__name__, HOMES)
