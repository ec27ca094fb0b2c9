"""Small numeric and storage helpers shared by the model files (weights are plain .npz, no pickle)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def pack_strings(values: Sequence[str]) -> np.ndarray:
    """Strings as one uint8 array (newline-separated UTF-8), so vocabularies fit in an .npz."""
    for value in values:
        if "\n" in value:
            raise ValueError(f"cannot store a string containing a newline: {value!r}")
    return np.frombuffer("\n".join(values).encode("utf-8"), dtype=np.uint8).copy()


def unpack_strings(array: np.ndarray) -> list[str]:
    text = array.astype(np.uint8).tobytes().decode("utf-8")
    return text.split("\n") if text else []
