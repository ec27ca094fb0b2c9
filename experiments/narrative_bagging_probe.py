"""Narratives: every head the average of heads fitted on subsamples of the training articles (round 31).

With 250 or so training articles per fold and C = 30, a TF-IDF head depends on which articles it saw; the
narrative decision rests on a few of them (the "Other" head above all). Subagging: each head is fitted K
times, each time on a random FRACTION of the training articles (drawn without replacement, seeded), and the K
coefficient vectors and intercepts are averaged. The average of linear heads is a linear head (its logit the
mean of the K logits), so the shipped runtime would read it unchanged, at no cost at analysis time; training
fits K times as many heads. Everything else fits and tunes as `spinlens train semeval2025` does (the inner-fold
scores the thresholds are tuned on come from bagged heads too).

    python experiments/narrative_bagging_probe.py shipped bag=10 bag=10@0.7
    SEED=1 python experiments/narrative_bagging_probe.py shipped bag=10        (another draw of folds)

``bag=K@F`` bags the sparse TF-IDF heads (Other, domain, narratives, sub-narratives) with K subsamples of a
fraction F (default 0.8); ``bagall=K@F`` the dense embedding heads too.
"""

from __future__ import annotations

import sys

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.models.semeval2025 as models

shipped_fit = models.fit_binary_heads
SETTING = {"k": 1, "fraction": 1.0, "dense": False}


def bagged_fit_binary_heads(X, Y, labels, *, C, seed, dual=True):
    k, fraction = SETTING["k"], SETTING["fraction"]
    if k <= 1 or (not dual and not SETTING["dense"]):
        return shipped_fit(X, Y, labels, C=C, seed=seed, dual=dual)
    rng = np.random.default_rng(seed)
    rows = X.shape[0]
    size = max(2, int(round(fraction * rows)))
    coef = np.zeros((len(labels), X.shape[1]))
    intercept = np.zeros(len(labels))
    fitted = np.zeros(len(labels))
    for _ in range(k):
        chosen = np.sort(rng.choice(rows, size=size, replace=False))
        positives = Y[chosen].sum(axis=0)
        # A label without both classes in the subsample gets no head from it (not a "never" intercept).
        usable = (positives > 0) & (positives < size)
        head = shipped_fit(X[chosen], Y[chosen], labels, C=C, seed=seed, dual=dual)
        coef[usable] += head.coef[usable]
        intercept[usable] += head.intercept[usable]
        fitted += usable
    missing = fitted == 0
    if missing.any():  # labels too rare for every subsample: the head on all articles
        whole = shipped_fit(X, Y, labels, C=C, seed=seed, dual=dual)
        coef[missing], intercept[missing], fitted[missing] = whole.coef[missing], whole.intercept[missing], 1
    return models.LinearHeads(list(labels), coef / fitted[:, None], intercept / fitted)


models.fit_binary_heads = bagged_fit_binary_heads


def use_variant(variant: str) -> None:
    name, _, fraction = variant.partition("@")
    if name == "shipped":
        SETTING.update(k=1, fraction=1.0, dense=False)
        return
    kind, _, k = name.partition("=")
    SETTING.update(k=int(k), fraction=float(fraction or 0.8), dense=kind == "bagall")


def main() -> None:
    run_variants(sys.argv[1:], use_variant)


if __name__ == "__main__":
    main()
