"""Shared fixtures: one spaCy pipeline per test session and a Context builder for analyser tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from spinlens.analysers.base import Context
from spinlens.core.model import Analysis, Article
from spinlens.nlp.segment import paragraphs

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Language:
    """spaCy's English pipeline, loaded once: loading it takes about a second."""
    from spinlens.nlp.spacy_model import load_spacy

    return load_spacy()


def build_context(text: str, nlp: Language | None) -> Context:
    """The Context the pipeline would hand to analysers for ``text`` (parsed when ``nlp`` is given)."""
    analysis = Analysis(article=Article(text=text))
    doc = nlp(text) if nlp is not None else None
    return Context(analysis=analysis, doc=doc, paragraphs=paragraphs(text))


@pytest.fixture(scope="session")
def make_context(nlp: Language) -> Callable[[str], Context]:
    """``make_context(text)`` -> a parsed Context, as the pipeline builds it."""

    def make(text: str) -> Context:
        return build_context(text, nlp)

    return make
