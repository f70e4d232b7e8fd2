"""The link review file: written by `essay-kg link`, edited by a person, applied with `--apply`.

The file is tab-separated with a header row; lines starting with ``#`` are
comments (the run's endpoint, document date, threshold and margin are recorded
there).  One row per candidate, best first within each entity:

    entity  type  label  decision  qid  item_label  description  score  match  reason

``decision`` is ``accept``, ``review``, ``reject`` or ``none`` (no candidate).
A reviewer changes it to ``accept`` for the right item (at most one per entity)
and may change ``match`` from ``exactMatch`` to ``closeMatch``.  Applying the
file turns the ``accept`` rows, and only those, into the links named graph.
"""

from __future__ import annotations

import csv
import io
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from essay_kg.errors import BadInput
from essay_kg.extract.rules.wikidata import QID
from essay_kg.files import atomic_output, check_regular
from essay_kg.link.candidates import Proposal

COLUMNS = ("entity", "type", "label", "decision", "qid", "item_label", "description", "score", "match", "reason")
DECISIONS = {"accept", "review", "reject", "none"}
MATCHES = {"exactMatch", "closeMatch"}
MAX_CELL = 10_000  # characters: a label, a description or a reason is far shorter


@dataclass(frozen=True)
class AcceptedLink:
    """An accepted row of a review file."""

    entity_id: str
    qid: str
    match: str
    score: str
    reason: str
    line: int


def _clean(value: object) -> str:
    return " ".join(str(value).split())


def review_text(proposals: list[Proposal], settings: dict[str, str]) -> str:
    """The review file's text for a set of proposals (each candidate's reason names its entity's document date)."""
    out = io.StringIO()
    out.write("# essay-kg link review. Set 'decision' to accept on the right row (one per entity), leave the others;\n")
    out.write("# 'match' may be exactMatch or closeMatch. Then: essay-kg link --apply THIS-FILE --out links.trig\n")
    for key, value in settings.items():
        out.write(f"# {key}: {_clean(value)}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for proposal in proposals:
        e = proposal.entity
        if not proposal.candidates:
            writer.writerow([e.id, e.type, _clean(e.label), "none", "", "", "", "", "", "no item carries this label or alias"])
        for c in proposal.candidates:
            writer.writerow([e.id, e.type, _clean(e.label), c.decision, c.qid, _clean(c.item_label), _clean(c.description),
                             c.score, c.suggested_match, _clean(c.reason(proposal.as_of))])
    return out.getvalue()


def check_output(path: Path, flag: str) -> None:
    """Fail, before any work, if an output file cannot be written at `path`: a folder or other non-file in its
    place, or no writable folder to hold it."""
    if path.is_dir():
        example = {"--review": "links-review.tsv", "--same-as": "sameas.ttl"}.get(flag, "links.trig")
        raise BadInput(f"{flag} {path}: is a folder", f"pass {flag} a file name, e.g. {flag} {path / example}")
    if path.exists() and not path.is_file():
        raise BadInput(f"{flag} {path}: is not a regular file", f"pass {flag} the name of a file to write")
    folder = path.parent
    if not folder.is_dir():
        there = f"'{folder}' is not a folder" if folder.exists() else f"the folder '{folder}' does not exist"
        raise BadInput(f"{flag} {path}: {there}",
                       "make the folder first, or pass a path in an existing folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"{flag} {path}: the folder '{folder}' is not writable", "pass a path in a folder you can write to")


def _cells(line: str) -> list[str]:
    """The tab-separated cells of one line; a cell the csv module quoted ("a ""b"" c") is unquoted, any other
    cell, one opening with a lone double quote among them, is taken as it is (a quote never runs on to the
    next line)."""
    cells = []
    for cell in line.split("\t"):
        inner = cell[1:-1]
        quoted = len(cell) >= 2 and cell[0] == cell[-1] == '"' and '"' not in inner.replace('""', "")
        cells.append(inner.replace('""', '"') if quoted else cell)
    return cells


def read_review(path: Path, entity_ids: set[str]) -> tuple[dict[str, str], list[AcceptedLink]]:
    """The settings comments and the accepted rows of a review file, checked."""
    check_regular(path, "a review file (TSV)")
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such review file", "write one first with: essay-kg link --review FILE") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8", "save the review file as UTF-8 text") from None
    except OSError as err:
        raise BadInput(f"{path}: cannot read the review file ({err.strerror})", "pass a review file you can read"
                       ) from None
    settings: dict[str, str] = {}
    lines = raw.split("\n")
    body = [(n, line.rstrip("\r")) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    for line in lines:
        if line.startswith("# ") and ": " in line and not line.startswith("# essay-kg"):
            key, _, value = line[2:].partition(": ")
            settings[key.strip()] = value.strip()
    if not body:
        raise BadInput(f"{path}: the review file has no header row", f"the first row must be: {' '.join(COLUMNS)}")
    rows = [_cells(line) for _, line in body]
    for (number, _), row in zip(body, rows, strict=True):
        if longest := max((len(c) for c in row if len(c) > MAX_CELL), default=0):
            raise BadInput(f"{path}:{number}: a cell of {longest:,} characters, more than a review cell holds "
                           f"({MAX_CELL:,})", "a row holds one candidate's short texts; remove what was pasted there")
    header = tuple(rows[0])
    missing = [c for c in ("entity", "decision", "qid", "match") if c not in header]
    if missing:
        raise BadInput(f"{path}:{body[0][0]}: the header lacks the column '{missing[0]}'",
                       f"the header row must be: {' '.join(COLUMNS)} (tab-separated)")
    index = {name: header.index(name) for name in header}
    accepted: dict[str, AcceptedLink] = {}
    for (number, _), row in zip(body[1:], rows[1:], strict=True):
        def cell(name: str, row: list[str] = row) -> str:
            return row[index[name]].strip() if name in index and index[name] < len(row) else ""

        where = f"{path}:{number}"
        decision = cell("decision").lower()
        if decision not in DECISIONS:
            raise BadInput(f"{where}: unknown decision '{cell('decision')}'", "use accept, review, reject or none")
        if decision != "accept":
            continue
        entity, qid, match = cell("entity"), cell("qid"), cell("match") or "exactMatch"
        if entity not in entity_ids:
            made_from = f"the review was made from the graph {settings['graph']}: pass --graph {settings['graph']}" \
                if "graph" in settings else "the entity must be in the gazetteer (--rules) or a graph (--graph FILE)"
            raise BadInput(f"{where}: unknown entity '{entity}'", made_from)
        if not QID.fullmatch(qid):
            raise BadInput(f"{where}: '{qid}' is not a Wikidata item id like Q159", "accept a row that has a QID")
        if match not in MATCHES:
            raise BadInput(f"{where}: unknown match '{match}'", "use exactMatch or closeMatch")
        if entity in accepted:
            raise BadInput(f"{where}: a second accepted item for '{entity}' (first on line {accepted[entity].line})",
                           "accept one row per entity")
        accepted[entity] = AcceptedLink(entity, qid, match, cell("score"), cell("reason"), number)
    return settings, sorted(accepted.values(), key=lambda a: a.entity_id)


def apply_review(review: Path, out: Path, rules: Path | None = None, same_as: Path | None = None,
                 graphs: tuple[Path, ...] = ()) -> list[AcceptedLink]:
    """Write the accepted rows of a review file as the links graph (`out`: .trig, .nq or .ttl), and the
    owl:sameAs view of the exact matches if asked; the accepted links. An accepted entity is one of the
    gazetteer's or, with `graphs`, of those graph files. Every output is checked before the review is read,
    and none replaces its file unless all are written."""
    from essay_kg.extract.rules.load import load_entities
    from essay_kg.rdf.files import graph_bytes, serialise
    from essay_kg.rdf.links import links_dataset, same_as_view
    from essay_kg.shipped import data_dir

    if out.suffix not in {".trig", ".nq", ".ttl"}:
        raise BadInput(f"--out {out}: unknown graph format", "end the file name in .trig, .nq or .ttl")
    check_output(out, "--out")
    if same_as is not None:
        check_output(same_as, "--same-as")
        if same_as.resolve() == out.resolve():
            raise BadInput(f"--same-as {same_as} is the --out file", "write the owl:sameAs view to a file of its own")
    folder = rules or data_dir("extract")
    known = {e.id for e in load_entities(folder / "entities.jsonl")}
    if graphs:
        from essay_kg.link.graph import read_graph_entities

        known |= {e.id for e in read_graph_entities(graphs).entities}
    settings, accepted = read_review(review, known)
    source = settings.get("endpoint", "unknown endpoint")
    rows = [(a.entity_id, a.qid, a.match, f"{review.name}:{a.line}", source,
             f"accepted in review (score {a.score or '?'}): {a.reason}") for a in accepted]
    outputs = {out: serialise(links_dataset(rows))[out.suffix]}
    if same_as is not None:
        exact = [(a.entity_id, a.qid) for a in accepted if a.match == "exactMatch"]
        outputs[same_as] = graph_bytes(same_as_view(exact), same_as.suffix)
    write_together(outputs)
    return accepted


def write_together(outputs: dict[Path, bytes]) -> None:
    """Write each output to a temporary beside its file, and rename them into place only when all are whole:
    a failure (a full disk) leaves every file as it was."""
    path = next(iter(outputs))
    try:
        with ExitStack() as stack:
            for path, data in outputs.items():
                stream = stack.enter_context(atomic_output(path))
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
    except OSError as err:
        raise BadInput(f"{path}: cannot write ({err.strerror})", "choose a path you can write to") from None
