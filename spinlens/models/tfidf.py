"""TF-IDF with a frozen vocabulary, shared by the SemEval-2023 and SemEval-2025 models.

Saved as the term list and the idf weights (plain arrays, no pickle); rebuilding
the scikit-learn vectoriser from them gives the same matrix as at training time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from spinlens.models.arrays import pack_strings, unpack_strings

# Corpora this small cannot satisfy a min_df/max_df tuned for hundreds of documents.
_SMALL_CORPUS = 10


def _vectorizer_kwargs(params: Mapping[str, Any]) -> dict[str, Any]:
    kwargs = dict(params)
    if "ngram_range" in kwargs:
        kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
    return kwargs


def _counter_kwargs(params: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("ngram_range", "token_pattern", "lowercase", "analyzer")
    return {k: v for k, v in _vectorizer_kwargs(params).items() if k in keep}


class TfidfEncoder:
    """TF-IDF with a frozen vocabulary; rebuilt from saved terms and idf weights."""

    dtype: ClassVar[type[np.floating[Any]]] = np.float32

    def __init__(self, params: Mapping[str, Any], terms: list[str], idf: np.ndarray) -> None:
        self.params = dict(params)
        self.terms = terms
        self.idf = np.asarray(idf, dtype=np.float64)
        self._vectorizer = TfidfVectorizer(
            vocabulary={term: i for i, term in enumerate(terms)},
            dtype=self.dtype,
            **_vectorizer_kwargs(params),
        )
        self._vectorizer.idf_ = self.idf
        self._counter: CountVectorizer | None = None

    @classmethod
    def fit(cls, texts: Sequence[str], params: Mapping[str, Any]) -> Self:
        kwargs = _vectorizer_kwargs(params)
        if len(texts) < _SMALL_CORPUS:
            kwargs["min_df"] = 1
            kwargs["max_df"] = 1.0
        vectorizer = TfidfVectorizer(dtype=cls.dtype, **kwargs)
        vectorizer.fit(texts)
        terms = [str(t) for t in vectorizer.get_feature_names_out()]
        return cls(params, terms, np.asarray(vectorizer.idf_))

    @property
    def size(self) -> int:
        return len(self.terms)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(self._vectorizer.transform(texts))

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Raw term counts in the same columns (for per-sentence shares of a score)."""
        if self._counter is None:
            self._counter = CountVectorizer(
                vocabulary=self._vectorizer.vocabulary, dtype=np.float64, **_counter_kwargs(self.params)
            )
        return sparse.csr_matrix(self._counter.transform(texts))

    def save(self, prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
        arrays[f"{prefix}.terms"] = pack_strings(self.terms)
        arrays[f"{prefix}.idf"] = self.idf.astype(np.float32)
        return {"params": self.params, "size": self.size}

    @classmethod
    def load(cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Self:
        return cls(meta["params"], unpack_strings(arrays[f"{prefix}.terms"]), arrays[f"{prefix}.idf"])
