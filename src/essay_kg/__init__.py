"""essay-kg: a knowledge-graph builder and query tool for policy essays."""

__version__ = "0.1.0"
