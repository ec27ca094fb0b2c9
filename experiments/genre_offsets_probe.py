"""Genre: are the tuned per-genre offsets overfitted to a handful of satire and report articles? (round 26)

The genre logits get additive offsets chosen for macro-F1 on the inner folds' out-of-fold logits (a
coordinate search over -3..3 in steps of 0.25). With about six satire articles per training part, the best
offsets may sit on a narrow spike. Variants, everything else as shipped (share tuned on inner folds too):

- ``shipped``: the coordinate search;
- ``nobias``: no offsets (both heads are already class-balanced);
- ``plateau``: the full grid of (reporting, satire) offsets, macro-F1 smoothed over each point's 5 × 5
  neighbourhood (±0.5), the best smoothed point.

Same folds and fitting as `experiments/genre_repeated_cv.py` (seed 13 = the evaluation's folds).

    python experiments/genre_offsets_probe.py plateau 13 1 2 3 4
"""
import os, sys

import numpy as np
from genre_folds import report_genre_from_argv

import spinlens.train.semeval2023 as training

variant = sys.argv[1]
GRID = np.arange(-3.0, 3.01, 0.25)
RADIUS = int(os.environ.get("RADIUS", "2"))


def macro_f1(gold: np.ndarray, pred: np.ndarray, n: int) -> float:
    total = 0.0
    for c in range(n):
        tp = np.sum((gold == c) & (pred == c))
        p, g = np.sum(pred == c), np.sum(gold == c)
        prec, rec = (tp / p if p else 0.0), (tp / g if g else 0.0)
        total += 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
    return total / n


def plateau_bias(gold, logits):
    gold = np.asarray(gold)
    n = logits.shape[1]
    assert n == 3
    score = np.zeros((len(GRID), len(GRID)))
    for a, ba in enumerate(GRID):
        for b, bb in enumerate(GRID):
            score[a, b] = macro_f1(gold, np.argmax(logits + np.array([0.0, ba, bb]), axis=1), n)
    padded = np.pad(score, RADIUS, mode="edge")
    k = 2 * RADIUS + 1
    smooth = np.zeros_like(score)
    for da in range(k):
        for db in range(k):
            smooth += padded[da : da + len(GRID), db : db + len(GRID)]
    a, b = np.unravel_index(np.argmax(smooth), smooth.shape)
    return np.array([0.0, GRID[a], GRID[b]])


if variant == "nobias":
    training.tune_genre_bias = lambda gold, logits: np.zeros(logits.shape[1])
elif variant == "plateau":
    training.tune_genre_bias = plateau_bias
else:
    assert variant == "shipped"

report_genre_from_argv(variant)
