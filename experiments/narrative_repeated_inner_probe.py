"""Narratives: thresholds and embedding share tuned on repeated inner folds (round 31).

`spinlens train semeval2025` chooses the "Other", relative and sub-narrative thresholds and the embedding heads'
share on the out-of-fold scores of one draw of four inner folds. Here the inner cross-validation runs REPEATS
times, each with another draw of the inner folds (seed, seed + 7919, ...), and the choice is made on all runs'
scores together (each article then counts REPEATS times, once per run), as round 28 did for the genre
(`genre_repeated_inner_probe.py`). The final heads are fitted on every training article as shipped.

    python experiments/narrative_repeated_inner_probe.py shipped repeats=3
    SEED=1 python experiments/narrative_repeated_inner_probe.py shipped repeats=3     (another draw of folds)
"""

from __future__ import annotations

import sys

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.train.semeval2025 as training
from spinlens.models.semeval2025 import NarrativeScores

shipped_inner = training.inner_fold_scores
shipped_tune = training.tune_thresholds
REPEATS = {"n": 1}


def repeated_inner_fold_scores(docs, taxonomy, seed, vectors, anchors, progress=None):
    runs = [
        shipped_inner(docs, taxonomy, seed + 7919 * r, vectors, anchors, progress) for r in range(REPEATS["n"])
    ]
    return training.InnerFoldScores(
        NarrativeScores(
            np.concatenate([run.tfidf.other for run in runs]),
            np.concatenate([run.tfidf.climate for run in runs]),
            np.vstack([run.tfidf.narratives for run in runs]),
            np.vstack([run.tfidf.subnarratives for run in runs]),
        ),
        np.concatenate([run.embedded_other for run in runs]),
        np.vstack([run.embedded for run in runs]),
    )


def tune_on_repeats(model, scores, gold_narratives, gold_subnarratives):
    repeats = len(scores.other) // len(gold_narratives)
    return shipped_tune(model, scores, list(gold_narratives) * repeats, list(gold_subnarratives) * repeats)


training.inner_fold_scores = repeated_inner_fold_scores
training.tune_thresholds = tune_on_repeats


def use_variant(variant: str) -> None:
    REPEATS["n"] = 1 if variant == "shipped" else int(variant.removeprefix("repeats="))


def main() -> None:
    run_variants(sys.argv[1:], use_variant)


if __name__ == "__main__":
    main()
