"""Training the SemEval-2023 models from the data on disk.

Everything that is tuned (stage-2 weights, thresholds, span decoding, genre
biases) is tuned on *out-of-fold* predictions over the training articles only:
the training part is split again into ``INNER_FOLDS`` article-level folds, base
models are fitted on the other folds and scored on the held one. Cross-validated
evaluation calls :func:`fit_models` on its training folds, so nothing it tunes
has seen the evaluation fold.
"""

from __future__ import annotations

import datetime as _dt
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from spinlens.core.errors import DataError
from spinlens.core.settings import FRAMES, GENRES, TECHNIQUES
from spinlens.datasets.semeval2023 import Semeval2023Article, load_dataset
from spinlens.evaluate.metrics import f1_score, span_scores
from spinlens.models.semeval2023 import (
    ARTICLE_CHAR_PARAMS,
    ARTICLE_WORD_PARAMS,
    ArticleLabeller,
    EmbeddedGenreHead,
    LinearHeads,
    ParagraphStage1,
    ParagraphStage2,
    Semeval2023Models,
    SpanLabeller,
    SpanTagger,
    TfidfEncoder,
    TokenizedArticle,
    article_style,
    decode_runs,
    fit_binary_heads,
    meta_features,
    paragraph_cue_matrix,
    scores_by_paragraph,
    sigmoid,
    softmax,
    span_features,
    span_votes,
    stage2_columns,
    token_targets,
)
from spinlens.models.semeval2025 import fit_softmax_head
from spinlens.nlp.segment import Paragraph, paragraphs
from spinlens.train.embedding_cache import embed_articles_cached
from spinlens.train.kernels import blas_kernels
from spinlens.train.output import check_output_folder

Progress = Callable[[str], None] | None

INNER_FOLDS = 3
STAGE1_C = 4.0
STAGE2_C = 0.1
TAGGER_C = 0.15
LABELLER_C = 2.0
GENRE_C = 4.0
GENRE_EMBEDDED_C = 3.0
# Weights of the embedding head against the TF-IDF head tried on the inner folds.
GENRE_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
FRAMES_C = 4.0


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


def article_folds(ids: Sequence[str], folds: int, seed: int) -> list[int]:
    """Deterministic fold number for each article id (independent of input order)."""
    order = sorted(set(ids))
    rng = np.random.RandomState(seed)
    permuted = [order[i] for i in rng.permutation(len(order))]
    fold_of = {article_id: i % folds for i, article_id in enumerate(permuted)}
    return [fold_of[i] for i in ids]


# ---------------------------------------------------------------------------
# Techniques


@dataclass
class PreparedArticle:
    article: Semeval2023Article
    paras: list[Paragraph]
    tokens: TokenizedArticle
    para_targets: np.ndarray  # (n_paragraphs, n_techniques)
    token_targets: np.ndarray
    cue_matrix: np.ndarray


def prepare(article: Semeval2023Article, techniques: Sequence[str]) -> PreparedArticle:
    paras = paragraphs(article.text)
    tokens = TokenizedArticle.from_text(article.text, paras)
    index = {t: j for j, t in enumerate(techniques)}
    y = np.zeros((len(paras), len(techniques)), dtype=np.int8)
    lines = article.line_labels or {}
    for i, p in enumerate(paras):
        for label in lines.get(p.line, ()):
            if label in index:
                y[i, index[label]] = 1
    spans = article.spans or []
    return PreparedArticle(
        article,
        paras,
        tokens,
        y,
        token_targets(tokens, [(s.start, s.end) for s in spans]),
        paragraph_cue_matrix(paras),
    )


def _gold_runs(prep: PreparedArticle) -> list[tuple[int, int, str]]:
    toks = prep.tokens.tokens
    if not toks:
        return []
    starts = np.array([t.start for t in toks])
    ends = np.array([t.end for t in toks])
    runs = []
    for span in prep.article.spans or []:
        hit = np.nonzero((starts < span.end) & (ends > span.start))[0]
        if len(hit):
            runs.append((int(hit[0]), int(hit[-1]), span.technique))
    return runs


def fit_stage1(preps: Sequence[PreparedArticle], techniques: Sequence[str], seed: int) -> ParagraphStage1:
    word, char = ParagraphStage1.encoders([p.text for prep in preps for p in prep.paras])
    stage1 = ParagraphStage1(word, char, LinearHeads(list(techniques), np.zeros((0, 0)), np.zeros(0)))
    X = sparse.vstack([stage1.features(prep.paras, prep.cue_matrix) for prep in preps]).tocsr()
    Y = np.vstack([prep.para_targets for prep in preps])
    stage1.heads = fit_binary_heads(X, Y, techniques, C=STAGE1_C, class_weight="balanced", seed=seed)
    return stage1


def fit_span_models(
    preps: Sequence[PreparedArticle], para_probs: Sequence[np.ndarray], techniques: Sequence[str], seed: int
) -> tuple[SpanTagger, SpanLabeller]:
    """Tagger and labeller; ``para_probs``: out-of-fold stage-1 probabilities of each article's paragraphs."""
    tagger = SpanTagger.fit(
        [p.tokens for p in preps],
        [p.token_targets for p in preps],
        para_probs,
        techniques,
        C=TAGGER_C,
        seed=seed,
    )
    feats, labels = [], []
    for prep, probs in zip(preps, para_probs, strict=True):
        for a, b, label in _gold_runs(prep):
            feats.append(span_features(prep.tokens, a, b, probs, techniques))
            labels.append(label)
    labeller = SpanLabeller.fit(feats, labels, techniques, C=LABELLER_C, seed=seed)
    return tagger, labeller


@dataclass
class OutOfFold:
    probs1: list[np.ndarray]
    token_scores: list[np.ndarray]
    fold_of: list[int]
    labellers: list[SpanLabeller]


def _out_of_fold(
    preps: Sequence[PreparedArticle], techniques: Sequence[str], seed: int, progress: Progress
) -> OutOfFold:
    """Stacked out-of-fold scores: stage 1 first, then span models fed stage 1's out-of-fold output."""
    fold_of = article_folds([p.article.id for p in preps], INNER_FOLDS, seed)
    probs1: list[np.ndarray] = [np.zeros(0)] * len(preps)
    for fold in range(INNER_FOLDS):
        _say(progress, f"techniques: paragraph stage 1, inner fold {fold + 1}/{INNER_FOLDS}")
        stage1 = fit_stage1([p for p, f in zip(preps, fold_of, strict=True) if f != fold], techniques, seed)
        for i, (prep, f) in enumerate(zip(preps, fold_of, strict=True)):
            if f == fold:
                probs1[i] = sigmoid(stage1.heads.decision(stage1.features(prep.paras, prep.cue_matrix)))
    token_scores: list[np.ndarray] = [np.zeros(0)] * len(preps)
    labellers = []
    for fold in range(INNER_FOLDS):
        _say(progress, f"techniques: span models, inner fold {fold + 1}/{INNER_FOLDS}")
        train_idx = [i for i, f in enumerate(fold_of) if f != fold]
        tagger, labeller = fit_span_models(
            [preps[i] for i in train_idx], [probs1[i] for i in train_idx], techniques, seed
        )
        labellers.append(labeller)
        for i, f in enumerate(fold_of):
            if f == fold:
                token_scores[i] = tagger.token_scores(preps[i].tokens, probs1[i], techniques)
    return OutOfFold(probs1, token_scores, fold_of, labellers)


def _gold_span_triples(preps: Sequence[PreparedArticle]) -> dict[str, list[tuple[str, int, int]]]:
    return {p.article.id: [(s.technique, s.start, s.end) for s in p.article.spans or []] for p in preps}


def tune_decoding(
    preps: Sequence[PreparedArticle], token_scores: Sequence[np.ndarray]
) -> tuple[float, float, float]:
    """Pick (low, high) for span decoding by technique-agnostic span F1 on out-of-fold scores."""
    gold = _gold_span_triples(preps)
    best = (-1.0, 0.3, 0.5)
    for high in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        for low in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            if low > high:
                continue
            pred = {}
            for prep, scores in zip(preps, token_scores, strict=True):
                toks = prep.tokens.tokens
                pred[prep.article.id] = [
                    ("*", toks[a].start, toks[b].end) for a, b in decode_runs(prep.tokens, scores, low, high)
                ]
            f1 = span_scores(gold, pred, label_aware=False).overall.f1
            if f1 > best[0]:
                best = (f1, low, high)
    return best


def fit_stage2_heads(M: np.ndarray, Y: np.ndarray, techniques: Sequence[str], seed: int) -> LinearHeads:
    """Per technique, a logistic regression over :func:`stage2_columns` (other weights stay 0)."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((len(techniques), M.shape[1]), dtype=np.float32)
    intercept = np.full(len(techniques), -8.0)
    for j in range(len(techniques)):
        positives = int(Y[:, j].sum())
        if positives < 2 or positives == len(Y):
            continue
        cols = stage2_columns(j, len(techniques))
        model = LogisticRegression(C=STAGE2_C, max_iter=3000, random_state=seed)
        model.fit(M[:, cols], Y[:, j])
        coef[j, cols] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    return LinearHeads(list(techniques), coef, intercept)


def tune_thresholds(Y: np.ndarray, P: np.ndarray, grid: Sequence[float] | None = None) -> np.ndarray:
    """Per-label thresholds maximising micro-F1 over all labels (coordinate ascent)."""
    grid = list(grid) if grid is not None else [round(x, 2) for x in np.arange(0.05, 0.96, 0.025)]
    n_labels = Y.shape[1]

    def micro(th: np.ndarray) -> float:
        pred = th <= P
        tp = float((pred & (Y == 1)).sum())
        return f1_score(tp / max(pred.sum(), 1), tp / max(Y.sum(), 1))

    best_global = max(grid, key=lambda t: micro(np.full(n_labels, t)))
    th = np.full(n_labels, best_global)
    current = micro(th)
    for _ in range(2):
        for j in range(n_labels):
            for t in grid:
                trial = th.copy()
                trial[j] = t
                score = micro(trial)
                if score > current + 1e-9:
                    current, th = score, trial
    # Labels never annotated in training cannot be tuned: keep them quiet.
    th[Y.sum(axis=0) == 0] = 1.01
    return th


def fit_techniques(
    articles: Sequence[Semeval2023Article], seed: int, progress: Progress = None
) -> tuple[ParagraphStage1, ParagraphStage2, SpanTagger, SpanLabeller, dict[str, Any]]:
    techniques = list(TECHNIQUES)
    preps = [prepare(a, techniques) for a in articles]
    if not preps:
        raise DataError("no articles annotated with techniques (labels-subtask-3.txt) to train on")
    oof = _out_of_fold(preps, techniques, seed, progress)

    _say(progress, "techniques: tuning span decoding")
    any_f1, low, high = tune_decoding(preps, oof.token_scores)

    # Span runs decoded out of fold and labelled by the labeller of their own fold.
    oof_runs, oof_run_logits = [], []
    for prep, scores, fold, probs in zip(preps, oof.token_scores, oof.fold_of, oof.probs1, strict=True):
        runs = decode_runs(prep.tokens, scores, low, high)
        feats = [span_features(prep.tokens, a, b, probs, techniques) for a, b in runs]
        oof_runs.append(runs)
        oof_run_logits.append(oof.labellers[fold].logits(feats))

    _say(progress, "techniques: stage 2")
    metas = []
    for prep, p1, scores, runs, rl in zip(
        preps, oof.probs1, oof.token_scores, oof_runs, oof_run_logits, strict=True
    ):
        l1 = np.log(np.clip(p1, 1e-9, 1.0)) - np.log(np.clip(1.0 - p1, 1e-9, 1.0))
        run_probs = softmax(rl) if len(runs) else np.zeros((0, len(techniques)))
        votes = span_votes(prep.tokens, runs, run_probs, len(prep.paras))
        metas.append(
            meta_features(
                l1, scores_by_paragraph(prep.tokens, scores, len(prep.paras)), votes, prep.cue_matrix
            )
        )
    M = np.vstack(metas)
    Y = np.vstack([p.para_targets for p in preps])
    row_fold = np.concatenate([[f] * len(p.paras) for p, f in zip(preps, oof.fold_of, strict=True)])
    # Stage-2 probabilities for tuning come from stage-2 models that did not see the row.
    P2 = np.zeros(Y.shape)
    for fold in range(INNER_FOLDS):
        train_rows, held = row_fold != fold, row_fold == fold
        heads = fit_stage2_heads(M[train_rows], Y[train_rows], techniques, seed)
        P2[held] = sigmoid(heads.decision(M[held]))
    thresholds = tune_thresholds(Y, P2)
    stage2 = ParagraphStage2(fit_stage2_heads(M, Y, techniques, seed), thresholds)

    _say(progress, "techniques: tuning span labels")
    gold = _gold_span_triples(preps)
    offsets = np.cumsum([0] + [len(p.paras) for p in preps])
    best_label = (-1.0, 0.0, 1.1)
    for prior_weight in (0.0, 0.5, 1.0, 2.0):
        for ratio in (1.1, 4.0, 2.0):
            pred: dict[str, list[tuple[str, int, int]]] = {}
            for k, (prep, runs, rl) in enumerate(zip(preps, oof_runs, oof_run_logits, strict=True)):
                para_probs = P2[offsets[k] : offsets[k + 1]]
                out: list[tuple[str, int, int]] = []
                for (a, b), logit in zip(runs, rl, strict=True):
                    para = prep.tokens.tokens[a].paragraph
                    probs = softmax(logit + prior_weight * np.log(np.clip(para_probs[para], 1e-6, 1.0)))
                    order = np.argsort(-probs)
                    chosen = [order[0]] + ([order[1]] if probs[order[1]] * ratio >= probs[order[0]] else [])
                    toks = prep.tokens.tokens
                    out.extend((techniques[j], toks[a].start, toks[b].end) for j in chosen)
                pred[prep.article.id] = out
            f1 = span_scores(gold, pred).overall.f1
            if f1 > best_label[0]:
                best_label = (f1, prior_weight, ratio)

    _say(progress, "techniques: final fit on all training articles")
    stage1 = fit_stage1(preps, techniques, seed)
    tagger, labeller = fit_span_models(preps, oof.probs1, techniques, seed)
    tagger.low, tagger.high = low, high
    labeller.prior_weight, labeller.second_label_ratio = best_label[1], best_label[2]
    inner = {
        "span_any_f1": any_f1,
        "span_technique_f1": best_label[0],
        "paragraph_micro_f1": micro_f1(Y, thresholds <= P2),
        "decoding": {"low": low, "high": high},
        "labeller": {"prior_weight": best_label[1], "second_label_ratio": best_label[2]},
    }
    return stage1, stage2, tagger, labeller, inner


def micro_f1(Y: np.ndarray, pred: np.ndarray) -> float:
    """Micro-F1 of a 0/1 label matrix against boolean predictions."""
    tp = float((pred & (Y == 1)).sum())
    return f1_score(tp / max(pred.sum(), 1), tp / max(Y.sum(), 1))


# ---------------------------------------------------------------------------
# Genre and frames


def _fit_genre(X: sparse.csr_matrix, y: Sequence[str], seed: int) -> LinearHeads:
    Y = np.array([[label == g for g in GENRES] for label in y], dtype=np.int8)
    return fit_binary_heads(X, Y, GENRES, C=GENRE_C, class_weight="balanced", seed=seed)


def _macro_f1(gold: Sequence[int], pred: Sequence[int], n: int) -> float:
    scores = []
    for c in range(n):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == c)
        n_pred = sum(1 for p in pred if p == c)
        n_gold = sum(1 for g in gold if g == c)
        scores.append(f1_score(tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0))
    return sum(scores) / n


def tune_genre_bias(gold: Sequence[int], logits: np.ndarray) -> np.ndarray:
    """Additive per-genre offsets maximising macro-F1 (coordinate search; first genre fixed at 0)."""
    bias = np.zeros(logits.shape[1])
    best = _macro_f1(gold, list(np.argmax(logits, axis=1)), logits.shape[1])
    for _ in range(2):
        for j in range(1, logits.shape[1]):
            for value in np.arange(-3.0, 3.01, 0.25):
                trial = bias.copy()
                trial[j] = value
                score = _macro_f1(gold, list(np.argmax(logits + trial, axis=1)), logits.shape[1])
                if score > best + 1e-9:
                    best, bias = score, trial
    return bias


def fit_embedded_genre(
    embeddings: np.ndarray, styles: np.ndarray, y: Sequence[str], seed: int
) -> EmbeddedGenreHead | None:
    """A softmax regression over genres on embeddings and standardised style ratios (None with one genre)."""
    if len(set(y)) < 2:
        return None
    mean = styles.mean(axis=0)
    scale = np.where(styles.std(axis=0) > 1e-9, styles.std(axis=0), 1.0)
    head = EmbeddedGenreHead(np.zeros(0), np.zeros(0), mean, scale, 1.0, np.zeros(len(GENRES)))
    fitted = fit_softmax_head(
        head.features(embeddings, styles), y, GENRES, C=GENRE_EMBEDDED_C, seed=seed, class_weight="balanced"
    )
    head.coef, head.intercept = fitted.coef, fitted.intercept
    return head


def tune_genre_mix(
    gold: Sequence[int], tfidf_logits: np.ndarray, embedded_logits: np.ndarray
) -> tuple[float, np.ndarray, float]:
    """The embedding head's share and the offsets that maximise macro-F1: ``(share, bias, macro-F1)``."""
    best: tuple[float, np.ndarray, float] | None = None
    for share in GENRE_SHARES:
        mixed = (1.0 - share) * tfidf_logits + share * embedded_logits
        bias = tune_genre_bias(gold, mixed)
        score = _macro_f1(gold, list(np.argmax(mixed + bias, axis=1)), mixed.shape[1])
        if best is None or score > best[2] + 1e-9:
            best = (share, bias, score)
    assert best is not None
    return best


def fit_article_labeller(
    genre_articles: Sequence[Semeval2023Article],
    frame_articles: Sequence[Semeval2023Article],
    seed: int,
    progress: Progress = None,
) -> tuple[ArticleLabeller, dict[str, Any]]:
    if not genre_articles or not frame_articles:
        raise DataError(
            "genre (labels-subtask-1.txt) and frame (labels-subtask-2.txt) labels are both needed"
        )
    _say(progress, "genre and frames")
    texts = sorted({a.id: a.text for a in (*genre_articles, *frame_articles)}.items())

    def build(train_texts: Sequence[str]) -> ArticleLabeller:
        word = TfidfEncoder.fit(train_texts, ARTICLE_WORD_PARAMS)
        char = TfidfEncoder.fit(train_texts, ARTICLE_CHAR_PARAMS)
        empty = LinearHeads([], np.zeros((0, 0)), np.zeros(0))
        return ArticleLabeller(word, char, empty, np.zeros(len(GENRES)), empty, np.zeros(len(FRAMES)))

    def fit_heads(
        labeller: ArticleLabeller, g_arts: Sequence[Semeval2023Article], f_arts: Sequence[Semeval2023Article]
    ) -> None:
        labeller.genre = _fit_genre(
            labeller.features([a.text for a in g_arts]), [a.genre or "" for a in g_arts], seed
        )
        Yf = np.array([[f in (a.frames or ()) for f in FRAMES] for a in f_arts], dtype=np.int8)
        labeller.frames = fit_binary_heads(
            labeller.features([a.text for a in f_arts]),
            Yf,
            FRAMES,
            C=FRAMES_C,
            class_weight="balanced",
            seed=seed,
        )

    # Out-of-fold scores for the genre offsets and frame thresholds.
    g_fold = article_folds([a.id for a in genre_articles], INNER_FOLDS, seed)
    f_fold = article_folds([a.id for a in frame_articles], INNER_FOLDS, seed)
    g_logits = np.zeros((len(genre_articles), len(GENRES)))
    _say(progress, "sentence embeddings of the articles for the genre")
    g_embeddings = embed_articles_cached([a.text for a in genre_articles])
    g_styles = np.vstack([article_style(a.text) for a in genre_articles])
    g_names = [a.genre or "" for a in genre_articles]
    g_embedded_logits = np.zeros((len(genre_articles), len(GENRES)))
    f_probs = np.zeros((len(frame_articles), len(FRAMES)))
    all_ids_fold = dict(zip([a.id for a in genre_articles], g_fold, strict=True))
    all_ids_fold.update(zip([a.id for a in frame_articles], f_fold, strict=True))
    for fold in range(INNER_FOLDS):
        train_texts = [t for i, t in texts if all_ids_fold.get(i) != fold]
        labeller = build(train_texts)
        g_train = [a for a, f in zip(genre_articles, g_fold, strict=True) if f != fold]
        f_train = [a for a, f in zip(frame_articles, f_fold, strict=True) if f != fold]
        fit_heads(labeller, g_train, f_train)
        g_held = [i for i, f in enumerate(g_fold) if f == fold]
        f_held = [i for i, f in enumerate(f_fold) if f == fold]
        if g_held:
            g_logits[g_held] = labeller.genre.decision(
                labeller.features([genre_articles[i].text for i in g_held])
            )
            g_rest = [i for i, f in enumerate(g_fold) if f != fold]
            inner_head = fit_embedded_genre(
                g_embeddings[g_rest], g_styles[g_rest], [g_names[i] for i in g_rest], seed
            )
            if inner_head is not None:
                g_embedded_logits[g_held] = inner_head.decision(g_embeddings[g_held], g_styles[g_held])
        if f_held:
            f_probs[f_held] = sigmoid(
                labeller.frames.decision(labeller.features([frame_articles[i].text for i in f_held]))
            )
    gold_genres = [GENRES.index(a.genre or "") for a in genre_articles]
    bias = tune_genre_bias(gold_genres, g_logits)
    share, mixed_bias, mixed_f1 = tune_genre_mix(gold_genres, g_logits, g_embedded_logits)
    Yf = np.array([[f in (a.frames or ()) for f in FRAMES] for a in frame_articles], dtype=np.int8)
    frame_thresholds = tune_thresholds(Yf, f_probs)

    labeller = build([t for _, t in texts])
    fit_heads(labeller, genre_articles, frame_articles)
    labeller.genre_bias = bias
    labeller.frame_thresholds = frame_thresholds
    labeller.embedded_genre = fit_embedded_genre(g_embeddings, g_styles, g_names, seed)
    if labeller.embedded_genre is not None:
        labeller.embedded_genre.share, labeller.embedded_genre.bias = share, mixed_bias
    inner = {
        "genre_macro_f1_tfidf": _macro_f1(gold_genres, list(np.argmax(g_logits + bias, axis=1)), len(GENRES)),
        "genre_macro_f1": mixed_f1,
        "genre_embedding_share": share,
        "frames_micro_f1": micro_f1(Yf, f_probs >= frame_thresholds),
    }
    return labeller, inner


# ---------------------------------------------------------------------------
# Everything


def fit_models(
    articles: Sequence[Semeval2023Article], seed: int = 13, progress: Progress = None
) -> Semeval2023Models:
    """Fit all models on ``articles`` (each used for whatever it is annotated with)."""
    genre_articles = sorted((a for a in articles if a.genre is not None), key=lambda a: a.id)
    frame_articles = sorted((a for a in articles if a.frames is not None), key=lambda a: a.id)
    technique_articles = sorted((a for a in articles if a.line_labels is not None), key=lambda a: a.id)
    article_labeller, article_inner = fit_article_labeller(genre_articles, frame_articles, seed, progress)
    stage1, stage2, tagger, labeller, technique_inner = fit_techniques(technique_articles, seed, progress)
    card = {
        "inner_cv": {"folds": INNER_FOLDS, **article_inner, **technique_inner},
        "counts": {
            "genre_articles": len(genre_articles),
            "frame_articles": len(frame_articles),
            "technique_articles": len(technique_articles),
        },
    }
    return Semeval2023Models(
        techniques=list(TECHNIQUES),
        genres=list(GENRES),
        frame_labels=list(FRAMES),
        articles=article_labeller,
        stage1=stage1,
        stage2=stage2,
        tagger=tagger,
        labeller=labeller,
        card=card,
    )


# Inner cross-validation splits the training articles three ways, and the vocabulary needs
# words seen in more than one article: below this, fitting fails in ways a user cannot act on.
MIN_TRAIN_ARTICLES = 12


def train(
    data_dir: Path, out_dir: Path, seed: int = 13, progress: Callable[[str], None] | None = None
) -> Path:
    """Rebuild every SemEval-2023 model from ``data_dir`` and write them to ``out_dir``."""
    import sklearn

    check_output_folder(Path(out_dir), "semeval2023")
    started = _dt.datetime.now(_dt.UTC)
    dataset = load_dataset(Path(data_dir))
    _say(progress, f"read {len(dataset.articles)} articles from {data_dir}")
    if len(dataset.articles) < MIN_TRAIN_ARTICLES:
        raise DataError(
            f"{data_dir}: {len(dataset.articles)} articles are too few to train on; need at least "
            f"{MIN_TRAIN_ARTICLES} (thresholds are tuned by inner cross-validation)"
        )
    models = fit_models(dataset.articles, seed=seed, progress=progress)
    used = sorted(
        {s.technique for a in dataset.with_techniques for s in a.spans or []}
        | {t for a in dataset.with_techniques for labs in (a.line_labels or {}).values() for t in labs}
    )
    models.card = {
        "name": "spinlens-semeval2023-en",
        "task": "SemEval-2023 Task 3 (English): genre, frames, persuasion techniques (paragraphs and spans)",
        "data": str(Path(data_dir).resolve()),
        "trained_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "training_seconds": round((_dt.datetime.now(_dt.UTC) - started).total_seconds(), 1),
        "seed": seed,
        "python": platform.python_version(),
        "scikit_learn": sklearn.__version__,
        "blas_kernels": blas_kernels(),  # see spinlens.train.kernels
        "labels": {
            "genres": list(GENRES),
            "frames": list(FRAMES),
            "techniques": list(TECHNIQUES),
            "techniques_seen_in_training": used,
        },
        "thresholds": {
            "frames": dict(zip(FRAMES, map(float, models.articles.frame_thresholds), strict=True)),
            "genre_bias": dict(zip(GENRES, map(float, models.articles.genre_bias), strict=True)),
            **(
                {
                    "genre_embedding_share": models.articles.embedded_genre.share,
                    "genre_bias_with_embedding": dict(
                        zip(GENRES, map(float, models.articles.embedded_genre.bias), strict=True)
                    ),
                }
                if models.articles.embedded_genre is not None
                else {}
            ),
            "paragraph_techniques": dict(zip(TECHNIQUES, map(float, models.stage2.thresholds), strict=True)),
            "span_decoding": {"low": models.tagger.low, "high": models.tagger.high},
        },
        **models.card,
    }
    out_dir = Path(out_dir)
    models.save(out_dir)
    _say(progress, f"wrote models to {out_dir}")
    return out_dir
