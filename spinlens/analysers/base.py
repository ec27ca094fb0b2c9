"""The contract every analyser follows.

An analyser has one job. It declares what it needs from the shared context
(``requires``) and what it writes into the analysis (``assigns``); the pipeline
checks the order once, when it is built. Names are versioned (``sourcing@1``):
a change in behaviour is a new version, and every finding records it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, runtime_checkable

import numpy as np

from spinlens.core.model import Analysis

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from spinlens.nlp.embed import ParagraphVectors
    from spinlens.nlp.segment import Paragraph

T = TypeVar("T")

# Context.scratch keys of model work that needs only the text and its paragraphs, which
# spinlens.pipeline.load_pipeline may have done in advance for articles it was given.
ARTICLE_PARAGRAPH_VECTORS = "article_paragraph_vectors"
TECHNIQUE_ENCODING = "technique_encoding"


@dataclass
class Context:
    """What analysers share while one article is analysed.

    ``doc`` is spaCy's parse of ``analysis.article.text`` (same offsets);
    ``paragraphs`` are the non-empty lines with their 1-based line numbers.
    ``scratch`` lets an analyser leave intermediate results for later ones
    (declared through ``assigns``/``requires`` like everything else).
    """

    analysis: Analysis
    doc: Doc | None
    paragraphs: list[Paragraph]
    scratch: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``scratch[key]``, computed on first use: analysers that need the same costly
        intermediate (e.g. the article embedding) share it without depending on each other."""
        if key not in self.scratch:
            self.scratch[key] = compute()
        value: T = self.scratch[key]
        return value


@runtime_checkable
class Analyser(Protocol):
    name: ClassVar[str]
    version: ClassVar[int]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, ctx: Context) -> None: ...


def analyser_id(analyser: Analyser) -> str:
    return f"{analyser.name}@{analyser.version}"


def article_paragraph_vectors(ctx: Context) -> ParagraphVectors:
    """The embeddings of the article's paragraphs (up to ``nlp.embed.PARAGRAPHS_READ``), computed once per
    article for every analyser."""
    from spinlens.nlp.embed import article_paragraph_vectors as embed_paragraphs

    return ctx.memo(ARTICLE_PARAGRAPH_VECTORS, lambda: embed_paragraphs([ctx.analysis.article.text]))


def article_embedding(ctx: Context) -> np.ndarray:
    """The article's embedding (the mean of its first ``ARTICLE_PARAGRAPHS`` paragraph vectors, what the genre
    reads) as a ``(1, 384)`` array."""
    from spinlens.nlp.embed import ARTICLE_PARAGRAPHS

    return article_paragraph_vectors(ctx).first(ARTICLE_PARAGRAPHS).pooled()
