"""Feature hashing for the linear technique models, without importing scikit-learn.

The models were trained on ``sklearn.feature_extraction.FeatureHasher(input_type="pair",
alternate_sign=False)`` columns. Importing scikit-learn costs about half a second of every
cold start, so analysis hashes here, with the same MurmurHash3 (the ``murmurhash``
package spaCy already depends on) and the same column rule; the result is the same
matrix bit for bit (``tests/test_models_sparse_features.py`` compares the two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from murmurhash.mrmr import hash as murmurhash3_32

from spinlens.models.sparse import sparse

_INT32_MIN = -(2**31)
_REMEMBERED = 500_000  # feature names whose column is remembered, per number of columns
_columns: dict[int, dict[str, int]] = {}


def _column(name: str, n_features: int) -> int:
    h = murmurhash3_32(name)
    # abs() of the smallest int32 overflows in C; scikit-learn special-cases it the same way.
    return (2**31 - 1 - (n_features - 1)) % n_features if h == _INT32_MIN else abs(h) % n_features


def hash_features(rows: Iterable[Iterable[tuple[str, float]]], n_features: int) -> sparse.csr_matrix:
    """One row per item of ``rows``: each (name, value) adds ``value`` to the column its name hashes to."""
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    known = _columns.setdefault(n_features, {})
    for row in rows:
        _add_columns(row, n_features, known, indices, values)
        indptr.append(len(indices))
    return _matrix(indices, values, indptr, n_features)


def hash_segments(
    rows: Iterable[Iterable[Iterable[tuple[str, float]]]], n_features: int
) -> sparse.csr_matrix:
    """As :func:`hash_features` for rows made of segments, lists of (name, value), that rows share.

    A row's pairs are its segments' in order; a segment object met again is looked up
    once per call (every token of a sentence shares its sentence's features, half of all
    pairs). The matrix is the one ``hash_features`` gives for the concatenated rows.
    """
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    known = _columns.setdefault(n_features, {})
    # id -> (segment, columns, values); holding the segment keeps its id from being reused.
    hashed: dict[int, tuple[object, list[int], list[float]]] = {}
    for row in rows:
        for segment in row:
            entry = hashed.get(id(segment))
            if entry is None:
                columns: list[int] = []
                numbers: list[float] = []
                _add_columns(segment, n_features, known, columns, numbers)
                entry = hashed[id(segment)] = (segment, columns, numbers)
            indices.extend(entry[1])
            values.extend(entry[2])
        indptr.append(len(indices))
    return _matrix(indices, values, indptr, n_features)


def segment_scores(
    rows: Iterable[Iterable[Sequence[tuple[str, float]]]], coef: np.ndarray, weights: dict[str, float]
) -> np.ndarray:
    """``hash_segments(rows, len(coef)) @ coef``, without making the matrix.

    A linear model's score of a row is the sum of its segments' scores, so a segment
    that rows share (a sentence's features, for every token of the sentence) is scored
    once per call. ``weights`` remembers each name's weight across calls: give the same
    dict for the same ``coef``. The sums are taken in another order than the matrix
    product's, so they agree with it to rounding (about 1e-16 of the score), not bit for bit.
    """
    n_features = len(coef)
    scored: dict[int, tuple[object, float]] = {}  # holding the segment keeps its id from being reused
    out: list[float] = []
    for row in rows:
        total = 0.0
        for segment in row:
            entry = scored.get(id(segment))
            if entry is None:
                score = 0.0
                for name, value in segment:
                    weight = weights.get(name)
                    if weight is None:
                        if len(weights) >= _REMEMBERED:
                            weights.clear()
                        weight = weights[name] = float(coef[_column(name, n_features)])
                    score += value * weight
                entry = scored[id(segment)] = (segment, score)
            total += entry[1]
        out.append(total)
    return np.asarray(out, dtype=np.float64)


def _add_columns(
    pairs: Iterable[tuple[str, float]],
    n_features: int,
    known: dict[str, int],
    indices: list[int],
    values: list[float],
) -> None:
    """Append each non-zero pair's column and value; ``known`` remembers columns across calls, because
    the same names (words, their shapes, their neighbours) come back in every article."""
    for name, value in pairs:
        if value == 0:
            continue
        column = known.get(name)
        if column is None:
            column = _column(name, n_features)
            # A corpus of millions would otherwise grow it without end.
            if len(known) >= _REMEMBERED:
                known.clear()
            known[name] = column
        indices.append(column)
        values.append(float(value))


def _matrix(indices: list[int], values: list[float], indptr: list[int], n_features: int) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(
        (
            np.asarray(values, dtype=np.float64),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int32),
        ),
        shape=(len(indptr) - 1, n_features),
    )
    matrix.sum_duplicates()  # also sorts each row's columns, as scikit-learn's does
    return matrix
