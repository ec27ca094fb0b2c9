"""onnxruntime sessions share one thread budget per process; more threads change speed, not numbers."""

from __future__ import annotations

import numpy as np
import pytest

from spinlens.models.runtime import available_cores, session_threads, use_threads
from spinlens.models.technique_encoder import load_technique_encoder
from spinlens.nlp.embed import sentence_encoder
from spinlens.nlp.segment import paragraphs

TEXT = (
    "Ministers Promise Cheaper Ferries\n"
    "\n"
    "The harbour board said on Monday that fares would fall by a tenth from March, "
    "after a year of complaints from islanders.\n"
    "\n"
    "Critics called the plan a shameless election stunt by a government that has failed every family.\n"
)


def _threads_of(session: object) -> int:
    return int(session.get_session_options().intra_op_num_threads)  # type: ignore[attr-defined]


def test_one_thread_unless_asked() -> None:
    assert session_threads() == 1
    assert _threads_of(load_technique_encoder()._session) == 1
    assert 1 <= available_cores() <= 4


def test_a_thread_count_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        use_threads(0)
    assert session_threads() == 1


def test_sessions_made_after_use_threads_compute_with_that_many() -> None:
    single = load_technique_encoder()
    use_threads(2)
    try:
        encoder = load_technique_encoder()
        embedder = sentence_encoder(64)
    finally:
        use_threads(1)
    assert _threads_of(encoder._session) == 2
    assert _threads_of(embedder._session) == 2
    # A session keeps the count it was made with, so the one-thread models are still there.
    assert load_technique_encoder() is single
    assert _threads_of(sentence_encoder(64)._session) == 1


def test_more_threads_give_the_same_numbers() -> None:
    paras = paragraphs(TEXT)
    one = load_technique_encoder().encode(paras)
    vector_one = sentence_encoder(64).encode([TEXT])
    use_threads(2)
    try:
        two = load_technique_encoder().encode(paras)
        vector_two = sentence_encoder(64).encode([TEXT])
    finally:
        use_threads(1)
    assert two is not one
    np.testing.assert_array_equal(two.chunk_probs, one.chunk_probs)
    for a, b in zip(one.token_probs, two.token_probs, strict=True):
        np.testing.assert_array_equal(b, a)
    np.testing.assert_array_equal(vector_two, vector_one)
