"""Linear heads over one feature space, shared by the SemEval-2023 and SemEval-2025 models.

Saved as plain arrays (no pickle). The two model families were trained and shipped
with different precisions; each keeps its own through the class attributes, as
:class:`spinlens.models.tfidf.TfidfEncoder` does, so their predictions stay exactly
what they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np

from spinlens.core.errors import ModelError
from spinlens.models.arrays import sigmoid, softmax
from spinlens.models.sparse import sparse

Prepared = dict[np.dtype[Any], tuple[np.ndarray, np.ndarray]]


def times_transposed(X: sparse.spmatrix | np.ndarray, coef: np.ndarray, prepared: Prepared) -> np.ndarray:
    """``X @ coef.T``, the same to the last bit, without scipy copying ``coef`` at every product.

    scipy multiplies sparse rows by a dense array in C order and in the product's precision,
    and copies any other array into that form first: ``coef.T`` of a 100,000-column model is
    megabytes per call. The copy is made once per precision and kept in ``prepared``
    (precision -> the ``coef`` it was made from, the copy).
    """
    if not sparse.issparse(X):
        return np.asarray(X @ coef.T)
    made = prepared.get(np.result_type(X.dtype, coef.dtype))
    if made is None or made[0] is not coef:
        made = prepare_product(coef, prepared, features=X.dtype)
    return np.asarray(X @ made[1])


# What the sparse features (TF-IDF, hashed) hold, and so the precision of their products.
SPARSE_FEATURES = np.dtype(np.float64)


def prepare_product(
    coef: np.ndarray,
    prepared: Prepared,
    stored: np.ndarray | None = None,
    features: np.dtype[Any] = SPARSE_FEATURES,
) -> tuple[np.ndarray, np.ndarray]:
    """Make :func:`times_transposed`'s copy of ``coef`` for sparse ``features``, keep it in ``prepared``
    and return the entry.

    Models call it as they load: the first article does not wait for it (megabytes per
    head on a cold start) and forked workers share it instead of each making their own.
    ``stored``: the array ``coef`` was widened from (the file's float16), converted straight
    into the copy; the values are the same, with one pass over the weights less.
    """
    dtype = np.result_type(features, coef.dtype)
    made = prepared[dtype] = (coef, np.ascontiguousarray((coef if stored is None else stored).T, dtype=dtype))
    return made


@dataclass
class LinearHeads:
    """One linear scorer per label: ``X @ coef.T + intercept``, one row of ``coef`` per label."""

    labels: list[str]
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    _prepared: Prepared = field(default_factory=dict, repr=False, compare=False)

    # Weights are stored as float16 (half the shipped size; scores change in the fourth
    # decimal) and widened to ``coef_dtype`` when loaded.
    coef_dtype: ClassVar[type[np.floating[Any]]] = np.float32
    intercept_dtype: ClassVar[type[np.floating[Any]]] = np.float64

    def decision(self, X: sparse.spmatrix | np.ndarray) -> np.ndarray:
        return np.asarray(times_transposed(X, self.coef, self._prepared), dtype=np.float64) + self.intercept

    def probabilities(self, X: sparse.spmatrix | np.ndarray) -> np.ndarray:
        """Independent per-label probabilities (one-vs-rest heads)."""
        return sigmoid(self.decision(X))

    def distribution(self, X: sparse.spmatrix | np.ndarray) -> np.ndarray:
        """A probability distribution over the labels (multinomial heads)."""
        return softmax(self.decision(X))

    def save(self, prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
        arrays[f"{prefix}.coef"] = self.coef.astype(np.float16)
        arrays[f"{prefix}.intercept"] = self.intercept.astype(self.intercept_dtype)
        return {"labels": list(self.labels)}

    @classmethod
    def load(cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Self:
        labels = [str(label) for label in meta["labels"]]
        coef = np.asarray(arrays[f"{prefix}.coef"], dtype=cls.coef_dtype)
        intercept = np.asarray(arrays[f"{prefix}.intercept"], dtype=np.float64)
        if coef.ndim != 2 or coef.shape[0] != len(labels) or intercept.shape != (len(labels),):
            raise ModelError(f"weights for {prefix} do not match its {len(labels)} labels")
        heads = cls(labels, coef, intercept)
        prepare_product(coef, heads._prepared, arrays[f"{prefix}.coef"])
        return heads
