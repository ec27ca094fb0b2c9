"""Persuasion techniques from a fine-tuned MiniLM encoder (int8 ONNX, run by onnxruntime).

One pass of the encoder over each paragraph gives two things at once:

* per token, the probability that it lies inside a span of each technique (and of
  any technique): runs of tokens above ``span_low`` that reach ``span_high``
  become spans, named after the technique with the highest mean probability over
  the run;
* per paragraph, a probability per technique from a head over the pooled states,
  blended with the strongest token of that technique in the paragraph.

:class:`EncoderWithLinear` then mixes that paragraph probability with the linear
models' (which see the whole article: repetition, the neighbours, the article's
overall tone) and cuts the mix at per-technique thresholds; each span's technique
is chosen from the encoder's token probabilities mixed with its paragraph's.

Paragraphs longer than the encoder's window are cut into consecutive chunks; a
paragraph's probability is the maximum over its chunks. The weights were
fine-tuned by ``spinlens train techniques-encoder`` (PyTorch, at training time
only) and exported to int8 ONNX; every number used to decide (thresholds, blend
weight, span thresholds) is in ``config.json`` beside the model.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinlens.core.errors import ModelError
from spinlens.features.cues import STOPWORDS
from spinlens.models import file_stamp
from spinlens.models.predictions import ParagraphPrediction, SpanPrediction, TechniqueOutput
from spinlens.models.runtime import onnx_session, session_threads
from spinlens.nlp.segment import Paragraph, paragraphs

if TYPE_CHECKING:
    from spinlens.models.semeval2023 import Semeval2023Models

FORMAT_VERSION = 1
MODEL_FILE = "model.onnx"
CONFIG_FILE = "config.json"
CARD_FILE = "model_card.json"
DEFAULT_DIR = Path(__file__).resolve().parent / "techniques_encoder"
TOKENIZER_FILE = Path(__file__).resolve().parent / "minilm" / "tokenizer.json"
CLS_ID, SEP_ID = 101, 102
_WORD = re.compile(r"[\w'’-]+")


# (spans as character offsets, paragraph probabilities) -> (spans, labels) technique distribution
SpanNamer = Callable[[Sequence[tuple[int, int]], np.ndarray], np.ndarray]


@dataclass
class Chunk:
    """Up to ``max_tokens - 2`` word pieces of one paragraph, with their offsets in the article."""

    paragraph: int  # index into the article's paragraph list
    ids: list[int]
    offsets: list[tuple[int, int]]


def tokenizer(path: Path = TOKENIZER_FILE) -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError("the technique encoder needs the tokenizers package (install it)") from exc
    if not path.is_file():
        raise ModelError(f"the MiniLM tokenizer is missing: {path}")
    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


def paragraph_chunks(paras: list[Paragraph], tok: Any, max_tokens: int) -> list[Chunk]:
    """Cut each paragraph into chunks the encoder can read (training and inference share this)."""
    step = max_tokens - 2  # room for [CLS] and [SEP]
    chunks = []
    for index, para in enumerate(paras):
        encoding = tok.encode(para.text, add_special_tokens=False)
        offsets = [(para.start + a, para.start + b) for a, b in encoding.offsets]
        ids = list(encoding.ids)
        for begin in range(0, max(len(ids), 1), step):
            chunks.append(Chunk(index, ids[begin : begin + step], offsets[begin : begin + step]))
    return chunks


def batch_arrays(chunks: list[Chunk]) -> tuple[np.ndarray, np.ndarray]:
    """``input_ids`` and ``attention_mask`` for a batch, padded to its longest chunk."""
    width = max(len(c.ids) for c in chunks) + 2
    ids = np.zeros((len(chunks), width), dtype=np.int64)
    mask = np.zeros((len(chunks), width), dtype=np.int64)
    for row, chunk in enumerate(chunks):
        n = len(chunk.ids)
        ids[row, : n + 2] = [CLS_ID, *chunk.ids, SEP_ID]
        mask[row, : n + 2] = 1
    return ids, mask


def length_batches(chunks: list[Chunk], size: int) -> list[list[int]]:
    """Indices of chunks grouped by similar length (less padding, same result)."""
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].ids))
    return [order[i : i + size] for i in range(0, len(order), size)]


@dataclass
class EncoderConfig:
    labels: list[str]
    max_tokens: int
    paragraph_weight: float  # weight of the paragraph head against the strongest token
    thresholds: list[float]  # per label, on the blended paragraph probability
    span_low: float
    span_high: float
    encoder_share: float = 1.0  # weight of the encoder against the linear models, per paragraph
    span_label_encoder_share: float = 1.0  # weight of the span's own tokens against its paragraph
    span_linear_share: float = 0.0  # weight of the linear span tagger in each word piece's "inside" score
    span_label_linear_share: float = 0.0  # weight of the linear span labeller in naming a span's technique
    # Keep the linear models' spans in paragraphs where the encoder marks none (chosen on validation).
    span_linear_fallback: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EncoderConfig:
        if data.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"technique encoder config has format version {data.get('format_version')}, "
                f"this spinlens reads {FORMAT_VERSION}; retrain with `spinlens train techniques-encoder`"
            )
        config = cls(
            labels=list(data["labels"]),
            max_tokens=int(data["max_tokens"]),
            paragraph_weight=float(data["paragraph_weight"]),
            thresholds=[float(t) for t in data["thresholds"]],
            span_low=float(data["span_low"]),
            span_high=float(data["span_high"]),
            encoder_share=float(data.get("encoder_share", 1.0)),
            span_label_encoder_share=float(data.get("span_label_encoder_share", 1.0)),
            span_linear_share=float(data.get("span_linear_share", 0.0)),
            span_label_linear_share=float(data.get("span_label_linear_share", 0.0)),
            span_linear_fallback=bool(data.get("span_linear_fallback", False)),
        )
        if len(config.thresholds) != len(config.labels):
            raise ModelError("technique encoder config: one threshold per label is required")
        return config

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "labels": self.labels,
            "max_tokens": self.max_tokens,
            "paragraph_weight": self.paragraph_weight,
            "thresholds": self.thresholds,
            "span_low": self.span_low,
            "span_high": self.span_high,
            "encoder_share": self.encoder_share,
            "span_label_encoder_share": self.span_label_encoder_share,
            "span_linear_share": self.span_linear_share,
            "span_label_linear_share": self.span_label_linear_share,
            "span_linear_fallback": self.span_linear_fallback,
        }


@dataclass
class EncodedArticle:
    """Raw encoder output for one article, before any decision."""

    chunks: list[Chunk]
    token_probs: list[np.ndarray]  # per chunk: (n_tokens, n_labels + 1); last column = any technique
    chunk_probs: np.ndarray  # (n_chunks, n_labels) from the paragraph head


def paragraph_probabilities(encoded: EncodedArticle, n_paragraphs: int, weight: float) -> np.ndarray:
    """Blend of the paragraph head and the strongest token per technique, max over chunks."""
    n_labels = encoded.chunk_probs.shape[1] if len(encoded.chunks) else 0
    head = np.zeros((n_paragraphs, n_labels))
    tokens = np.zeros((n_paragraphs, n_labels))
    for chunk, probs, chunk_head in zip(
        encoded.chunks, encoded.token_probs, encoded.chunk_probs, strict=True
    ):
        i = chunk.paragraph
        head[i] = np.maximum(head[i], chunk_head)
        if len(probs):
            tokens[i] = np.maximum(tokens[i], probs[:, :n_labels].max(axis=0))
    return weight * head + (1.0 - weight) * tokens


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words: a run of word pieces can begin or end inside a
    word ("incompetent" is in-com-pet-ent), and a reader shown "ompetent" sees a broken quote."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def decode_spans(
    encoded: EncodedArticle, labels: list[str], low: float, high: float
) -> list[tuple[int, int, int, np.ndarray, float]]:
    """Runs of tokens whose any-technique probability stays ≥ ``low`` and peaks ≥ ``high``.

    Returns ``(chunk index, first token, last token, mean label probabilities, peak)``.
    """
    runs = []
    for c, probs in enumerate(encoded.token_probs):
        inside = probs[:, len(labels)] if len(probs) else np.zeros(0)
        k = 0
        while k < len(inside):
            if inside[k] < low:
                k += 1
                continue
            j = k
            while j + 1 < len(inside) and inside[j + 1] >= low:
                j += 1
            peak = float(inside[k : j + 1].max())
            if peak >= high:
                runs.append((c, k, j, probs[k : j + 1, : len(labels)].mean(axis=0), peak))
            k = j + 1
    return runs


class TechniqueEncoder:
    """Paragraph techniques and technique spans from the fine-tuned encoder."""

    def __init__(self, folder: Path = DEFAULT_DIR, threads: int | None = None) -> None:
        """``threads``: what the encoder computes with (default: the process's ``session_threads()``)."""
        folder = Path(folder)
        model_file, config_file = folder / MODEL_FILE, folder / CONFIG_FILE
        for path in (model_file, config_file):
            if not path.is_file():
                raise ModelError(f"the technique encoder is incomplete: {path} is missing")
        try:
            self.config = EncoderConfig.from_dict(json.loads(config_file.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot read {config_file}: {exc}") from exc
        self.folder = folder
        self.labels = self.config.labels
        card_file = folder / CARD_FILE
        try:
            self.card: dict[str, Any] = (
                json.loads(card_file.read_text(encoding="utf-8")) if card_file.is_file() else {}
            )
        except ValueError as exc:
            raise ModelError(f"cannot read {card_file}: {exc}") from exc
        self._tokenizer = tokenizer()
        self._session: Any = onnx_session(model_file, "the technique encoder", threads)

    def encode(self, paras: list[Paragraph]) -> EncodedArticle:
        chunks = paragraph_chunks(paras, self._tokenizer, self.config.max_tokens)
        n_labels = len(self.labels)
        token_probs: list[np.ndarray] = [np.zeros((0, n_labels + 1), dtype=np.float32)] * len(chunks)
        chunk_probs = np.zeros((len(chunks), n_labels), dtype=np.float32)
        # One chunk per run. The int8 network quantises its activations with one scale per run,
        # taken over every row it is given, padding included: in batches a paragraph's scores
        # depended on which paragraphs shared its batch, and padding to the longest chunk
        # doubled the work (a typical article's single batch was more than half padding).
        for i, chunk in enumerate(chunks):
            ids, mask = batch_arrays([chunk])
            tokens, heads = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            token_probs[i] = tokens[0, 1 : len(chunk.ids) + 1]
            chunk_probs[i] = heads[0]
        return EncodedArticle(chunks, token_probs, chunk_probs)

    def predict_techniques(
        self,
        text: str,
        paras: list[Paragraph] | None = None,
        linear: TechniqueOutput | None = None,
        name_spans: SpanNamer | None = None,
        encoded: EncodedArticle | None = None,
    ) -> TechniqueOutput:
        """Paragraph labels and spans; ``linear`` (the linear models' output) is mixed in when given.

        ``name_spans`` gives another model's technique distribution for spans
        (character offsets) and this article's paragraph probabilities; it is mixed
        into the naming of each span with weight ``span_label_linear_share``.
        ``encoded``: this encoder's :meth:`encode` of ``paras``, if already done.
        """
        paras = paragraphs(text) if paras is None else paras
        if not paras:
            return TechniqueOutput([], [])
        config = self.config
        encoded = self.encode(paras) if encoded is None else encoded
        probs = paragraph_probabilities(encoded, len(paras), config.paragraph_weight)
        if linear is not None and config.encoder_share < 1.0:
            probs = config.encoder_share * probs + (1.0 - config.encoder_share) * linear_matrix(
                linear, self.labels
            )
        thresholds = np.asarray(config.thresholds)
        # Each paragraph's chunks, found once: a text of many short lines has tens of thousands of both.
        chunks_of: dict[int, list[int]] = {}
        for c, chunk in enumerate(encoded.chunks):
            chunks_of.setdefault(chunk.paragraph, []).append(c)
        para_preds = []
        for i, p in enumerate(paras):
            chosen = [j for j in range(len(self.labels)) if probs[i, j] >= thresholds[j]]
            para_preds.append(
                ParagraphPrediction(
                    p.line,
                    p.start,
                    p.end,
                    [self.labels[j] for j in chosen],
                    {lab: float(probs[i, j]) for j, lab in enumerate(self.labels)},
                    evidence={
                        self.labels[j]: self._paragraph_evidence(text, encoded, chunks_of.get(i, []), j)
                        for j in chosen
                    },
                )
            )
        if linear is not None and config.span_linear_share > 0.0:
            encoded = mix_linear_tokens(encoded, linear, config.span_linear_share)
        runs = decode_spans(encoded, self.labels, config.span_low, config.span_high)
        offsets = [
            whole_words(text, encoded.chunks[c].offsets[first][0], encoded.chunks[c].offsets[last][1])
            for c, first, last, _, _ in runs
        ]
        names = None
        if name_spans is not None and config.span_label_linear_share > 0.0 and runs:
            names = name_spans(offsets, probs)
        spans = []
        for k, (c, first, last, mean, peak) in enumerate(runs):
            chunk = encoded.chunks[c]
            label_scores = span_label_scores(
                mean,
                probs[chunk.paragraph],
                config.span_label_encoder_share,
                None if names is None else names[k],
                config.span_label_linear_share,
            )
            j = int(label_scores.argmax())
            start, end = offsets[k]
            token_scores = encoded.token_probs[c][first : last + 1, j]
            spans.append(
                SpanPrediction(
                    self.labels[j],
                    start,
                    end,
                    float(label_scores[j]),
                    peak,
                    evidence=_strongest_words(text, chunk.offsets[first : last + 1], token_scores, 3),
                )
            )
        if linear is not None and config.span_linear_fallback:
            covered = {encoded.chunks[c].paragraph for c, *_ in runs}
            spans.extend(fallback_spans(paras, covered, linear.spans))
        return TechniqueOutput(para_preds, spans)

    @staticmethod
    def _paragraph_evidence(text: str, encoded: EncodedArticle, chunks: list[int], label: int) -> list[str]:
        """The paragraph's three words the encoder scores highest for ``label``; ``chunks`` are its chunks."""
        offsets: list[tuple[int, int]] = []
        scores: list[np.ndarray] = []
        for c in chunks:
            probs = encoded.token_probs[c]
            if len(probs):
                offsets.extend(encoded.chunks[c].offsets)
                scores.append(probs[:, label])
        if not offsets:
            return []
        return _strongest_words(text, offsets, np.concatenate(scores), 3)


def fallback_spans(
    paras: Sequence[Paragraph], covered: set[int], linear_spans: Sequence[SpanPrediction]
) -> list[SpanPrediction]:
    """The linear models' spans that lie in paragraphs (indices into ``paras``) not in ``covered``.

    The encoder is confident on text like its training articles and shy on other
    registers (translated or unusual prose), where the linear tagger still marks words.
    """
    starts = [p.start for p in paras]
    kept = []
    for span in linear_spans:
        index = bisect.bisect_right(starts, span.start) - 1
        if index >= 0 and span.start < paras[index].end and index not in covered:
            kept.append(span)
    return kept


def linear_matrix(output: TechniqueOutput, labels: list[str]) -> np.ndarray:
    """The linear models' paragraph probabilities as a ``(paragraphs, labels)`` array."""
    return np.array([[p.scores.get(label, 0.0) for label in labels] for p in output.paragraphs]).reshape(
        len(output.paragraphs), len(labels)
    )


def mix_linear_tokens(encoded: EncodedArticle, linear: TechniqueOutput, share: float) -> EncodedArticle:
    """Mix the linear tagger's word scores into each word piece's "inside any technique" probability.

    A word piece takes the score of the linear token that contains its first
    character (0 where the linear tokenizer saw none, e.g. punctuation it skips).
    """
    starts, ends = linear.token_offsets[:, 0], linear.token_offsets[:, 1]
    mixed = []
    for chunk, probs in zip(encoded.chunks, encoded.token_probs, strict=True):
        probs = probs.copy()
        if len(probs) and len(starts):
            piece_starts = np.array([start for start, _ in chunk.offsets])
            index = np.clip(np.searchsorted(starts, piece_starts, side="right") - 1, 0, len(starts) - 1)
            inside = (starts[index] <= piece_starts) & (piece_starts < ends[index])
            scores = np.where(inside, linear.token_scores[index], 0.0)
            probs[:, -1] = (1.0 - share) * probs[:, -1] + share * scores
        elif len(probs):
            probs[:, -1] = (1.0 - share) * probs[:, -1]
        mixed.append(probs)
    return EncodedArticle(encoded.chunks, mixed, encoded.chunk_probs)


def span_label_scores(
    token_mean: np.ndarray,
    paragraph: np.ndarray,
    encoder_share: float,
    linear_names: np.ndarray | None = None,
    linear_share: float = 0.0,
) -> np.ndarray:
    """How much each technique suits a span: its tokens' mean probabilities mixed with its paragraph's,
    then with the linear span labeller's distribution ``linear_names`` (weight ``linear_share``)."""
    own = token_mean / max(float(token_mean.sum()), 1e-9)
    context = paragraph / max(float(paragraph.sum()), 1e-9)
    scores = encoder_share * own + (1.0 - encoder_share) * context
    if linear_names is not None and linear_share > 0.0:
        scores = (1.0 - linear_share) * scores + linear_share * linear_names
    return np.asarray(scores)


class EncoderWithLinear:
    """The default technique model: the encoder, with the linear models' paragraph view mixed in."""

    def __init__(self, encoder: TechniqueEncoder, linear: Semeval2023Models) -> None:
        self.encoder = encoder
        self.linear = linear

    def predict_techniques(
        self, text: str, paras: list[Paragraph] | None = None, encoded: EncodedArticle | None = None
    ) -> TechniqueOutput:
        """``encoded``: the encoder's :meth:`TechniqueEncoder.encode` of ``paras``, if already done."""
        paras = paragraphs(text) if paras is None else paras
        linear = None
        config = self.encoder.config
        if config.encoder_share < 1.0 or config.span_linear_share > 0.0 or config.span_linear_fallback:
            linear = self.linear.predict_techniques(text, paras)

        def name_spans(spans: Sequence[tuple[int, int]], para_probs: np.ndarray) -> np.ndarray:
            return self.linear.name_spans(text, paras, spans, para_probs)

        return self.encoder.predict_techniques(text, paras, linear, name_spans, encoded)


def load_technique_encoder(models_dir: Path | None = None) -> TechniqueEncoder:
    """The encoder in ``models_dir`` if it holds one (``model.onnx``), else the shipped one."""
    folder = DEFAULT_DIR
    if models_dir is not None and (Path(models_dir) / MODEL_FILE).is_file():
        folder = Path(models_dir)
    return _load_cached(folder.resolve(), file_stamp(folder / MODEL_FILE), session_threads())


@lru_cache(maxsize=2)
def _load_cached(folder: Path, stamp: tuple[float, int], threads: int) -> TechniqueEncoder:
    # The stamp is part of the key so a retrained folder is reloaded.
    return TechniqueEncoder(folder, threads)


def _strongest_words(text: str, offsets: list[tuple[int, int]], scores: np.ndarray, k: int) -> list[str]:
    """The whole words around the word pieces the encoder marks most strongly."""
    words: list[str] = []
    for t in np.argsort(-scores, kind="stable"):
        start, end = offsets[int(t)]
        while start > 0 and _WORD.fullmatch(text[start - 1]):
            start -= 1
        while end < len(text) and _WORD.fullmatch(text[end]):
            end += 1
        word = text[start:end].strip("'’-")
        # Function words carry no evidence a reader can use.
        if len(word) < 3 or word.lower() in STOPWORDS or not any(c.isalpha() for c in word):
            continue
        if word.lower() not in (w.lower() for w in words):
            words.append(word)
        if len(words) >= k:
            break
    return words
