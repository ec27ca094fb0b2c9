"""Embeddings remembered across the folds of one training or cross-validation run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from spinlens.nlp.embed import DIMENSIONS, article_embeddings, embed


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


# Sentences of role mentions, and whole articles (their opening paragraphs).
embed_sentences_cached = EmbeddingCache(embed)
embed_articles_cached = EmbeddingCache(article_embeddings)
