"""The trained pipeline's parses kept on disk, so a text already parsed by the same pipeline is not parsed again.

Parsing is most of a build's time (about 1.1 s of the shipped essay's 4 s, and 0.4 s more to load the
pipeline), and the common loop of a researcher — edit the rules under `extract/`, build the same texts
again — never changes it.  A parse is kept under a key made of the texts, the spaCy version and the
pipeline's files (each one's path, size and modification time), in ``$XDG_CACHE_HOME/essay-kg/parses``
(``~/.cache/essay-kg/parses``), or the folder ``ESSAY_KG_PARSE_CACHE`` names; ``ESSAY_KG_PARSE_CACHE=off``
(or ``essay-kg build --no-parse-cache``) parses every time.  Any other change to a pipeline's files gives a
new key, so a retrained pipeline is never read from an old parse.

A kept parse is spaCy's own `DocBin` of every token attribute the pipeline sets (text, tags, lemmas,
morphology, heads and labels, entities, sentence starts), read back into a blank vocabulary of the
pipeline's language: the tokens, noun chunks, sentences and entities are the same as those of a new
parse (`tests/test_parse_cache.py` checks every attribute the rules read, and that a graph built from
kept parses is byte-identical).  The cache only ever saves time: an entry that cannot be read, or whose
texts are not the ones asked for, is parsed again and replaced; one that cannot be written is skipped.
Entries are written whole (a temporary file, then a rename), so builds running at once share it safely.
Delete the folder at any time to free its space.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from essay_kg.errors import BadInput
from essay_kg.model import ModelInfo

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

SETTING = "ESSAY_KG_PARSE_CACHE"
OFF = "off"
FORMAT = "essay-kg parse cache 1"  # raise when what is kept, or how, changes


def cache_folder() -> Path | None:
    """Where parses are kept: ``ESSAY_KG_PARSE_CACHE``, else ``$XDG_CACHE_HOME/essay-kg/parses``; None if off."""
    value = os.environ.get(SETTING, "").strip()
    if value.lower() == OFF:
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "essay-kg" / "parses"


def pipeline_folder(name: str) -> Path | None:
    """The folder of an installed pipeline (a package name or a path), found without loading it; None if none."""
    from spacy import util

    if util.is_package(name):
        folder = util.get_package_path(name)
    else:
        folder = Path(name)
    return folder if (folder / "meta.json").is_file() else None


@lru_cache(maxsize=8)
def pipeline_fingerprint(name: str, spacy_version: str) -> tuple[str, ModelInfo, dict] | None:
    """A digest of the pipeline's files, what the graph records of it, and its meta.json; None where the
    pipeline's folder or meta cannot be read (then it is loaded, and any error is the loader's)."""
    folder = pipeline_folder(name)
    if folder is None:
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        digest = hashlib.sha256(f"{FORMAT}\0{spacy_version}\0".encode())
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            stat = path.stat()
            digest.update(f"{path.relative_to(folder).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    info = ModelInfo(name, f"{meta.get('lang', 'en')}_{meta.get('name', 'unknown')}", str(meta.get("version", "")),
                     spacy_version)
    return digest.hexdigest(), info, meta


def check_components(name: str, pipes: list[str]) -> None:
    """Refuse a pipeline without the components the rules read (a tagger, a parser, NER and a lemmatizer)."""
    missing = [pipe for pipe in ("tagger", "parser", "ner") if pipe not in pipes]
    if missing or not any(pipe.endswith("lemmatizer") for pipe in pipes):
        raise BadInput(f"the spaCy pipeline '{name}' has no {', '.join(missing) or 'lemmatizer'}",
                       "pass a trained English pipeline with a tagger, parser, lemmatizer and NER, or --model none")


def entry(folder: Path, fingerprint: str, texts: list[str]) -> Path:
    """The file that keeps the parse of `texts` by the pipeline with `fingerprint`."""
    digest = hashlib.sha256(fingerprint.encode())
    for text in texts:
        digest.update(len(text).to_bytes(8, "big") + text.encode("utf-8", "surrogatepass"))
    name = digest.hexdigest()
    return folder / name[:2] / f"{name}.spacy"


@lru_cache(maxsize=4)
def blank_vocab(lang: str) -> Vocab:
    """A vocabulary of the pipeline's language to read kept parses into (its words' lexical attributes: stop
    words, numbers, shapes), made without the tokenizer a blank pipeline would build."""
    from spacy.util import get_lang_class
    from spacy.vocab import create_vocab

    return create_vocab(lang, get_lang_class(lang).Defaults)


def read_entry(path: Path, texts: list[str], lang: str, vocab: Vocab | None = None) -> list[Doc] | None:
    """The kept parse of `texts`, read into `vocab` if it is of language `lang` (else into a blank one); None if
    there is none, or it cannot be read, or it is not of these texts."""
    from spacy.tokens import DocBin

    if vocab is None or vocab.lang != lang:
        vocab = blank_vocab(lang)
    try:
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(vocab))
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry of any kind is parsed again
        return None
    if len(docs) != len(texts) or any(doc.text != text for doc, text in zip(docs, texts, strict=False)):
        return None
    return docs


def write_entry(path: Path, docs: list[Doc]) -> None:
    """Keep the parse whole or not at all; a cache that cannot be written only costs time."""
    from spacy.tokens import DocBin

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(DocBin(docs=docs).to_bytes())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
