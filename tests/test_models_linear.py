"""Linear heads: each model family keeps its shipped precision, and bad weights fail clearly."""

from __future__ import annotations

import numpy as np
import pytest

from spinlens.core.errors import ModelError
from spinlens.models import semeval2023, semeval2025
from spinlens.models.linear import LinearHeads


def heads(cls: type[LinearHeads]) -> LinearHeads:
    coef = np.array([[0.5, -1.25, 2.0], [1.0 / 3.0, 0.0, -0.1]])
    return cls(["a", "b"], coef, np.array([0.1, -0.2]))


@pytest.mark.parametrize(
    ("cls", "coef_dtype", "intercept_dtype", "extra_meta"),
    [
        (semeval2023.LinearHeads, np.float32, np.float64, {}),
        (semeval2025.LinearHeads, np.float64, np.float32, {"coef_dtype": "float16"}),
    ],
)
def test_round_trip_keeps_each_familys_precision(
    cls: type[LinearHeads], coef_dtype: type, intercept_dtype: type, extra_meta: dict[str, str]
) -> None:
    original = heads(cls)
    arrays: dict[str, np.ndarray] = {}
    meta = original.save("h", arrays)
    assert meta == {"labels": ["a", "b"], **extra_meta}
    assert arrays["h.coef"].dtype == np.float16
    assert arrays["h.intercept"].dtype == intercept_dtype
    loaded = cls.load("h", meta, arrays)
    assert type(loaded) is cls
    assert loaded.coef.dtype == coef_dtype
    X = np.array([[1.0, 2.0, 3.0]])
    # float16 storage moves scores in the third or fourth decimal, no more.
    assert np.allclose(loaded.decision(X), original.decision(X), atol=2e-3)
    assert not np.array_equal(loaded.decision(X), original.decision(X))
    assert np.allclose(loaded.distribution(X).sum(axis=1), 1.0)
    assert ((loaded.probabilities(X) > 0) & (loaded.probabilities(X) < 1)).all()


def test_weights_that_do_not_fit_the_labels_are_refused() -> None:
    arrays: dict[str, np.ndarray] = {}
    meta = heads(semeval2023.LinearHeads).save("h", arrays)
    meta["labels"] = ["a", "b", "c"]
    with pytest.raises(ModelError, match="do not match its 3 labels"):
        semeval2023.LinearHeads.load("h", meta, arrays)


@pytest.mark.parametrize("x_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("coef_dtype", [np.float32, np.float64])
def test_products_with_sparse_rows_are_scipys_to_the_last_bit(x_dtype: type, coef_dtype: type) -> None:
    from scipy import sparse

    from spinlens.models.linear import Prepared, times_transposed

    rng = np.random.default_rng(5)
    coef = rng.normal(size=(7, 3000)).astype(coef_dtype)
    X = sparse.random(40, 3000, density=0.02, format="csr", random_state=6, dtype=x_dtype)
    prepared: Prepared = {}
    expected = X @ coef.T
    for _ in range(2):  # made once, then reused
        got = times_transposed(X, coef, prepared)
        assert got.dtype == expected.dtype
        assert got.tobytes() == expected.tobytes()
    assert len(prepared) == 1
    # A new coef (retrained heads) is not answered with the old one's copy.
    changed = coef * 2
    assert times_transposed(X, changed, prepared).tobytes() == (X @ changed.T).tobytes()
    dense = X.toarray()
    assert times_transposed(dense, coef, prepared).tobytes() == (dense @ coef.T).tobytes()
