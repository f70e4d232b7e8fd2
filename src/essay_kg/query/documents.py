"""Many documents in one answer: the ``document`` parameter and the ``document`` column.

A stored query that tells documents apart declares an optional parameter ``document``
of type ``document`` (``?__document`` in its pattern, the document whose text holds the
evidence) and projects ``?document``, the document's id (``my-op-ed``).  Given, the
parameter restricts the answer to that document (``query run NAME --doc ID``); the
column is shown only when the graphs read hold more than one document, so that the
answers on one document stay as they were.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.query.answer import Answer
from essay_kg.query.library import Param, StoredQuery
from essay_kg.rdf import terms
from essay_kg.vocabulary import PREFIXES

DOCUMENT = "document"  # the parameter and the column
BASE = PREFIXES["id"] + "doc/"
_DOCUMENTS = (f"SELECT DISTINCT ?doc ?title WHERE {{ ?doc <{PREFIXES['ekg']}hasText> ?text . "
              f"OPTIONAL {{ ?doc <{PREFIXES['dcterms']}title> ?title }} }}")


def document_ids(select: Any) -> dict[str, str]:
    """The documents of the graphs read: IRI → title ('' when untitled)."""
    found: dict[str, str] = {}
    for doc, title in select(_DOCUMENTS):
        if doc is not None and terms.kind(doc) == "iri":
            found.setdefault(terms.text(doc), "" if title is None else terms.text(title))
    return found


def short(iri: str) -> str:
    """A document's id: its IRI without the document namespace."""
    return iri.removeprefix(BASE)


def resolve_document(param: Param, value: str, select: Any) -> str:
    """The IRI of the document named by an id (``my-op-ed``), its IRI, ``id:doc/…`` or its title."""
    known = document_ids(select)
    wanted = value.strip().strip("<>")
    if wanted.startswith("id:"):
        wanted = PREFIXES["id"] + wanted[3:]
    for iri, title in sorted(known.items()):
        if wanted in {iri, short(iri)} or (title and wanted.casefold() == title.casefold()):
            return iri
    listed = ", ".join(sorted(short(iri) for iri in known)) or "none"
    raise BadInput(f"no document '{value}' in the graphs read (documents: {listed})",
                   f"give one of those ids, e.g. --doc {short(min(known)) if known else 'ID'}; "
                   "'essay-kg query run documents' lists them")


def tells_documents_apart(query: StoredQuery) -> bool:
    """Whether a stored query takes the ``document`` parameter (and has a ``document`` column)."""
    param = query.param(DOCUMENT)
    return param is not None and param.type == DOCUMENT


def without_single_document(query: StoredQuery, answer: Answer, select: Any) -> Answer:
    """The answer without its ``document`` column when the graphs read hold one document (or none)."""
    if not tells_documents_apart(query) or DOCUMENT not in answer.variables or len(document_ids(select)) > 1:
        return answer
    at = answer.variables.index(DOCUMENT)
    return replace(answer, variables=[v for v in answer.variables if v != DOCUMENT],
                   rows=[row[:at] + row[at + 1:] for row in answer.rows])
