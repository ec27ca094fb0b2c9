"""Embeddings remembered across the folds of one training or cross-validation run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from spinlens.nlp.embed import (
    ARTICLE_PARAGRAPHS,
    DIMENSIONS,
    ParagraphVectors,
    article_paragraph_vectors,
    embed,
)


class EmbeddingCache:
    """Cross-validation embeds the same texts in every fold: each distinct text is embedded once.

    ``embed_texts`` gives one array per text: a vector (rows of a matrix) or a matrix (an article's
    paragraph vectors).
    """

    def __init__(self, embed_texts: Callable[[Sequence[str]], Iterable[np.ndarray]]) -> None:
        self._embed = embed_texts
        self._vectors: dict[str, np.ndarray] = {}

    def each(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each text's array, in the order of ``texts``."""
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            self._vectors.update(zip(missing, self._embed(missing), strict=True))
        return [self._vectors[t] for t in texts]

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.array(self.each(texts))


def embed_paragraphs_cached(texts: Sequence[str]) -> ParagraphVectors:
    """The paragraph vectors of each article (``nlp.embed.article_paragraph_vectors``)."""
    return ParagraphVectors(tuple(_paragraph_vectors.each(texts)))


def embed_articles_cached(texts: Sequence[str]) -> np.ndarray:
    """Article embeddings (``nlp.embed.article_embeddings``): the mean of the cached opening paragraphs."""
    return ParagraphVectors(tuple(_opening_vectors.each(texts))).pooled()


# Sentences of role mentions; the paragraphs the narrative heads read; the opening ones the genre
# reads, cached apart because the genre's articles never need the rest (embedding it would add
# half again to the SemEval-2023 training). The two give the same opening vectors for a text
# (nlp.embed encodes the openings in a run of their own).
embed_sentences_cached = EmbeddingCache(embed)
_paragraph_vectors = EmbeddingCache(lambda texts: article_paragraph_vectors(texts).per_article)
_opening_vectors = EmbeddingCache(
    lambda texts: article_paragraph_vectors(texts, ARTICLE_PARAGRAPHS).per_article
)
