"""Embeddings remembered across the folds of one training or cross-validation run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from spinlens.nlp.embed import DIMENSIONS, ParagraphVectors, article_paragraph_vectors, embed


class EmbeddingCache:
    """Cross-validation embeds the same texts in every fold: each distinct text is embedded once."""

    def __init__(self, embed_texts: Callable[[Sequence[str]], np.ndarray]) -> None:
        self._embed = embed_texts
        self._vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            self._vectors.update(zip(missing, self._embed(missing), strict=True))
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.array([self._vectors[t] for t in texts])


class ParagraphVectorCache:
    """The same for the paragraph vectors of whole articles."""

    def __init__(
        self, embed_texts: Callable[[Sequence[str]], ParagraphVectors] = article_paragraph_vectors
    ) -> None:
        self._embed = embed_texts
        self._vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> ParagraphVectors:
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            self._vectors.update(zip(missing, self._embed(missing).per_article, strict=True))
        return ParagraphVectors(tuple(self._vectors[t] for t in texts))


def embed_articles_cached(texts: Sequence[str]) -> np.ndarray:
    """Article embeddings (``nlp.embed.article_embeddings``) from the cached paragraph vectors."""
    return embed_paragraphs_cached(texts).pooled()


# Sentences of role mentions, and the opening paragraphs of whole articles.
embed_sentences_cached = EmbeddingCache(embed)
embed_paragraphs_cached = ParagraphVectorCache()
