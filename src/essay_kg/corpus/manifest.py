"""The corpus manifest: what each document was built from and what it wrote, so that an unchanged one is skipped.

``.essay-kg-manifest.json`` in the output folder maps each document id to its record: the name of its
text, the key of everything that decides its graph (text, metadata, rules fingerprint), its exact
Wikidata links, and the SHA-256 of each file it wrote.  A document is unchanged when its key matches
and each of its files is there with the hash it was written with; a file damaged since (edited,
truncated, replaced) makes the document be built again, so it is never merged as it is.

A manifest that is not one (broken JSON, another shape, a record of the wrong form, a folder in its
place) is not trusted in any part: every document is built again, with a one-line warning, and the
manifest is written anew from this build's records, never from the damaged one.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

MANIFEST = ".essay-kg-manifest.json"
OUTPUTS = (".trig", ".nq", ".ttl")  # the files of one document, NAME + suffix

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_QID = re.compile(r"Q[1-9]\d*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None if it is not there (or no regular file, or unreadable)."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def output_hashes(out: Path, doc_id: str) -> dict[str, str | None]:
    """The SHA-256 of each file a document's build writes into `out`, by file name."""
    return {f"{doc_id}{suffix}": file_sha256(out / f"{doc_id}{suffix}") for suffix in OUTPUTS}


def damaged_output(record: dict[str, Any], out: Path, doc_id: str) -> str | None:
    """The first of a document's files that is missing or not as it was written, by the record; None if all are
    whole.  A record without hashes (from an older essay-kg) vouches for no file."""
    written = record.get("outputs") or {}
    for name, sha in output_hashes(out, doc_id).items():
        if sha is None or written.get(name) != sha:
            return name
    return None


def _is_record(record: object) -> bool:
    if not isinstance(record, dict) or not isinstance(record.get("file"), str) or not isinstance(record.get("key"), str):
        return False
    links = record.get("exact_links", [])
    if not isinstance(links, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
            and _SLUG.fullmatch(pair[0]) and _QID.fullmatch(pair[1]) for pair in links):
        return False
    outputs = record.get("outputs", {})
    return isinstance(outputs, dict) and all(
        isinstance(name, str) and isinstance(sha, str) and _SHA256.fullmatch(sha) for name, sha in outputs.items())


def read_manifest(path: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The records of the manifest at `path` (none if there is none), and a warning if it is damaged."""
    rebuilt = "every document is built again"
    if not path.exists() and not path.is_symlink():
        return {}, None
    if path.is_dir():
        return {}, f"{path}: is a folder, not the corpus manifest; {rebuilt}, and no manifest is kept"
    if not path.is_file():
        return {}, f"{path}: is no regular file, so not the corpus manifest; {rebuilt} and the manifest written anew"
    damaged = f"{path}: the corpus manifest is damaged ({{}}); {rebuilt} and the manifest written anew"
    try:
        records = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as err:
        return {}, damaged.format(f"cannot be read: {err.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}, damaged.format("not valid JSON")
    if not isinstance(records, dict):
        return {}, damaged.format("not a JSON object")
    if bad := next((doc_id for doc_id, record in records.items() if not _is_record(record)), None):
        return {}, damaged.format(f"the record of '{bad}' is not one essay-kg writes")
    return records, None


def keeps_manifest(path: Path) -> bool:
    """Whether the manifest can be written at `path`: not if a folder is in its place (it is never removed)."""
    return not path.is_dir()


def write_manifest(path: Path, records: dict[str, dict[str, Any]]) -> None:
    """Write the records, sorted, atomically."""
    from essay_kg.files import write_atomic

    write_atomic(path, (json.dumps(dict(sorted(records.items())), indent=1) + "\n").encode("utf-8"))
