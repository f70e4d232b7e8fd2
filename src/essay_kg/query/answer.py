"""Run a SPARQL query on a graph and render its answer.

Formats follow the W3C SPARQL 1.1 results formats: CSV (plain values), TSV
(terms in N-Triples syntax, ``?var`` headers), JSON
(``application/sparql-results+json``); plus a table (Rich on a terminal,
plain text when piped) and Markdown.  ASK answers print ``true``/``false``;
CONSTRUCT and DESCRIBE answers print Turtle (or N-Triples / JSON-LD).

Rows may hold rdflib or pyoxigraph terms (`essay_kg.rdf.terms` reads both), so a
query answered by pyoxigraph is rendered without importing rdflib at all.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.rdf import terms
from essay_kg.vocabulary import PREFIXES

TABULAR = ("table", "csv", "tsv", "json", "markdown")
GRAPH_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@dataclass
class Answer:
    """A query's answer: rows of a SELECT, the boolean of an ASK, or a graph."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # rdflib or pyoxigraph terms, None when unbound
    boolean: bool | None = None
    graph: Any = None  # an rdflib Graph
    total: int = 0


def compact(term: Any) -> str:
    """A short display form: prefixed IRIs, literals as their text."""
    if term is None:
        return ""
    if terms.kind(term) == "iri":
        text = terms.text(term)
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace) and text[len(namespace):].replace("-", "").replace("_", "").isalnum():
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"
    return terms.text(term)


def _json_term(term: Any) -> dict[str, str]:
    found = terms.kind(term)
    if found in {"iri", "bnode"}:
        return {"type": "uri" if found == "iri" else "bnode", "value": terms.text(term)}
    value: dict[str, str] = {"type": "literal", "value": terms.text(term)}
    if terms.language(term):
        value["xml:lang"] = terms.language(term) or ""
    elif terms.datatype(term):
        value["datatype"] = terms.datatype(term) or ""
    return value


def to_json(answer: Answer) -> str:
    if answer.kind == "ASK":
        return json.dumps({"head": {}, "boolean": answer.boolean})
    bindings = [{v: _json_term(t) for v, t in zip(answer.variables, row, strict=True) if t is not None}
                for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)


def to_csv(answer: Answer) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(["" if t is None else (f"_:{terms.text(t)}" if terms.kind(t) == "bnode" else terms.text(t))
                         for t in row])
    return out.getvalue()


def to_tsv(answer: Answer) -> str:
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join("" if t is None else terms.n_triples(t) for t in row))
    return "\n".join(lines) + "\n"


def _cell(term: Any, width: int | None = None) -> str:
    text = " ".join(compact(term).split())
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def to_markdown(answer: Answer) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(answer.variables) + " |", "|" + "---|" * len(answer.variables)]
    lines += ["| " + " | ".join(esc(_cell(t)) for t in row) + " |" for row in answer.rows]
    return "\n".join(lines) + "\n"


def to_plain_table(answer: Answer, width: int = 60) -> str:
    cells = [[_cell(t, width) for t in row] for row in answer.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(answer.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(answer.variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def print_rich_table(answer: Answer) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*answer.variables, show_lines=False)
    for row in answer.rows:
        table.add_row(*(_cell(t) for t in row))
    Console().print(table)


def render(answer: Answer, fmt: str, is_terminal: bool) -> str | None:
    """The answer as text in `fmt`; None when it was printed directly (Rich). A format of the other kind of
    answer (N-Triples for a table, CSV for a graph) is refused, not ignored."""
    graph = answer.kind in {"CONSTRUCT", "DESCRIBE"}
    if (fmt in GRAPH_FORMATS) != graph and fmt not in {"table", "json"}:
        wanted = "turtle, nt or jsonld" if graph else "table, csv, tsv, json or markdown"
        raise BadInput(f"--format {fmt} does not fit a {answer.kind} query", f"use --format {wanted}")
    if answer.kind == "ASK":
        return to_json(answer) + "\n" if fmt == "json" else ("true\n" if answer.boolean else "false\n")
    if answer.kind in {"CONSTRUCT", "DESCRIBE"}:
        assert answer.graph is not None
        graph_format = GRAPH_FORMATS.get(fmt, "turtle")
        if graph_format == "json-ld":
            return answer.graph.serialize(format="json-ld", context=dict(PREFIXES), indent=1)
        return answer.graph.serialize(format=graph_format)
    if fmt == "json":
        return to_json(answer) + "\n"
    if fmt == "csv":
        return to_csv(answer)
    if fmt == "tsv":
        return to_tsv(answer)
    if fmt == "markdown":
        return to_markdown(answer)
    if is_terminal:
        print_rich_table(answer)
        return None
    return to_plain_table(answer)
