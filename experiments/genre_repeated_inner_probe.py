"""Genre: the embedding share and the offsets tuned on repeated inner folds (round 28).

The share and the three genre offsets are chosen for macro-F1 on the out-of-fold logits of three inner folds of
the training part, in which about seven satire articles sit: two or three per inner fold, so that one article
moves the choice. Here the inner cross-validation is run REPEATS times with other draws of the inner folds
(fold seed + 1000 r) and the share and offsets are tuned on all the repeats' out-of-fold logits together; the
rest of the recipe, the TF-IDF head's own offsets (the fast profile) and the frame thresholds are as shipped.
Same outer folds and fitting as `experiments/genre_repeated_cv.py` (seed 13 = the evaluation's folds).

    REPEATS=3 python experiments/genre_repeated_inner_probe.py 13 1 2 3 4
"""

import os
import sys
from pathlib import Path

import numpy as np
from genre_folds import report_genre

import spinlens.train.semeval2023 as training
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.nlp.embed import article_embeddings

REPEATS = int(os.environ.get("REPEATS", "3"))
shipped_fit = training.fit_article_labeller
shipped_folds = training.article_folds
shipped_mix = training.tune_genre_mix


def fit_with_repeated_inner_folds(genre_articles, frame_articles, seed, progress=None):
    collected = []

    def recording_mix(gold, logits, embedded):
        collected.append((list(gold), logits.copy(), embedded.copy()))
        return shipped_mix(gold, logits, embedded)

    def pooled_mix(gold, logits, embedded):
        return shipped_mix(
            list(gold) + [g for c in collected for g in c[0]],
            np.vstack([logits, *(c[1] for c in collected)]),
            np.vstack([embedded, *(c[2] for c in collected)]),
        )

    try:
        training.tune_genre_mix = recording_mix
        for r in range(1, REPEATS):
            training.article_folds = lambda ids, k, s, r=r: shipped_folds(ids, k, s + 1000 * r)
            shipped_fit(genre_articles, frame_articles, seed, progress)  # only its out-of-fold logits are kept
        training.article_folds = shipped_folds
        training.tune_genre_mix = pooled_mix
        return shipped_fit(genre_articles, frame_articles, seed, progress)
    finally:
        training.article_folds = shipped_folds
        training.tune_genre_mix = shipped_mix


training.fit_article_labeller = fit_with_repeated_inner_folds
articles = sorted(
    load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles,
    key=lambda a: a.id,
)
vectors = dict(zip([a.id for a in articles], article_embeddings([a.text for a in articles]), strict=True))
report_genre(f"repeats={REPEATS}", articles, vectors, [int(s) for s in sys.argv[1:]])
