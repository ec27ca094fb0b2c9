"""Genre: each genre head the average of heads fitted on subsamples of the training articles (round 31).

Genre macro-F1 moves by 0.2 from one draw of folds to the next (0.43-0.63) because a handful of satire articles
decide it: which of them a head is fitted on changes it. Subagging as in `narrative_bagging_probe.py`: the
TF-IDF genre heads (``bag=K@F``), and also the embedding head (``bagall=K@F``), are fitted K times on a FRACTION
F of the training articles, drawn per genre (stratified, at least one article of each genre; seeded), and
the K coefficient arrays and intercepts are averaged: a linear head again, read by the shipped runtime at no
cost at analysis time. Offsets and the embedding share are tuned on inner folds as shipped (from bagged heads
too); same folds and fitting as `experiments/genre_repeated_cv.py` (seed 13 = the evaluation's folds).

    python experiments/genre_bagging_probe.py bag=10 13 1 2 3 4
    python experiments/genre_bagging_probe.py bagall=10@0.7 13 1 2 3 4
"""

import sys

import numpy as np
from genre_folds import report_genre_from_argv

import spinlens.train.semeval2023 as training
from spinlens.core.settings import GENRES
from spinlens.models.semeval2023 import LinearHeads

variant = sys.argv[1]
name, _, fraction_text = variant.partition("@")
kind, _, k_text = name.partition("=")
K, FRACTION = int(k_text), float(fraction_text or 0.8)
shipped_softmax = training.fit_softmax_head


def subsamples(classes: np.ndarray, seed: int):
    """K stratified draws without replacement of FRACTION of the rows, each class kept."""
    rng = np.random.default_rng(seed)
    for _ in range(K):
        chosen = []
        for c in np.unique(classes):
            rows = np.flatnonzero(classes == c)
            chosen.append(rng.choice(rows, size=max(1, int(round(FRACTION * len(rows)))), replace=False))
        yield np.sort(np.concatenate(chosen))


def bagged_fit_genre(X, y, seed):
    y = np.asarray(y)
    coef, intercept = 0.0, 0.0
    for chosen in subsamples(y, seed):
        head = training.fit_binary_heads(
            X[chosen],
            np.array([[label == g for g in GENRES] for label in y[chosen]], dtype=np.int8),
            GENRES,
            C=training.GENRE_C,
            class_weight="balanced",
            seed=seed,
        )
        coef, intercept = coef + head.coef, intercept + head.intercept
    return LinearHeads(list(GENRES), (coef / K).astype(np.float32), intercept / K)


def bagged_softmax(X, y, labels, *, C, seed, class_weight=None):
    y = np.asarray(y)
    heads = [
        shipped_softmax(X[chosen], list(y[chosen]), labels, C=C, seed=seed, class_weight=class_weight)
        for chosen in subsamples(y, seed)
    ]
    head = heads[0]
    head.coef = np.mean([h.coef for h in heads], axis=0)
    head.intercept = np.mean([h.intercept for h in heads], axis=0)
    return head


if kind in ("bag", "bagall"):
    training._fit_genre = bagged_fit_genre
if kind == "bagall":
    training.fit_softmax_head = bagged_softmax

report_genre_from_argv(variant)
