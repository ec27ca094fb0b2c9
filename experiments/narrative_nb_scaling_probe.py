"""Narratives: TF-IDF heads on naive-Bayes-scaled columns, NB-LR (round 29).

Wang and Manning's NBSVM (ACL 2012): before a head's logistic regression, each column is multiplied by its
naive Bayes log-count ratio for that head's label, r = log((p / |p|1) / (q / |q|1)) with p and q the number of
positive and negative training articles that contain the term, plus ALPHA. Terms that split the label's
articles from the rest weigh more before the regularised fit, which helps most where articles are few. The head
learnt on the scaled columns is a head on the plain columns (its coefficients times r), so the shipped runtime
would read it unchanged. Only the sparse TF-IDF heads change; everything else fits and tunes as `spinlens
train semeval2025` does.

    python experiments/narrative_nb_scaling_probe.py shipped nb nb@C=3
    SEED=1 python experiments/narrative_nb_scaling_probe.py shipped nb        (another draw of folds)

``nb`` scales every TF-IDF head (Other, domain, narratives, sub-narratives); ``nb@C=X`` also fits them with
C = X instead of 30; ``ALPHA`` is the smoothing count (default 1); ``HEADS=narratives`` limits the scaling to
the narrative and sub-narrative heads.
"""

from __future__ import annotations

import os
import sys

import numpy as np
from narrative_label_closeness_probe import run_variants
from scipy import sparse

import spinlens.models.semeval2025 as models

shipped_fit = models.fit_binary_heads
shipped_model_fit = models.NarrativeModel.fit.__func__
SHIPPED_C = models.NARRATIVE_C
ALPHA = float(os.environ.get("ALPHA", "1"))
HEADS = os.environ.get("HEADS", "all")


def nb_ratio(present: sparse.csr_matrix, y: np.ndarray) -> np.ndarray:
    p = ALPHA + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = ALPHA + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def nb_fit_binary_heads(X, Y, labels, *, C, seed, dual=True):
    if not sparse.issparse(X) or not dual:
        return shipped_fit(X, Y, labels, C=C, seed=seed, dual=dual)
    X = sparse.csr_matrix(X)
    present = (X > 0).astype(np.float64).tocsr()
    coef = np.zeros((len(labels), X.shape[1]))
    intercept = np.zeros(len(labels))
    for j in range(len(labels)):
        y = Y[:, j]
        if y.sum() in (0, len(y)):
            head = shipped_fit(X, Y[:, [j]], [labels[j]], C=C, seed=seed)
            intercept[j] = head.intercept[0]
            continue
        r = nb_ratio(present, y)
        head = shipped_fit(X @ sparse.diags(r), Y[:, [j]], [labels[j]], C=C, seed=seed)
        coef[j] = head.coef[0] * r
        intercept[j] = head.intercept[0]
    return models.LinearHeads(list(labels), coef, intercept)


def model_fit(cls, texts, climate, narratives, subnarratives, taxonomy, *, seed, thresholds=None):
    if HEADS == "all":
        return shipped_model_fit(
            cls, texts, climate, narratives, subnarratives, taxonomy, seed=seed, thresholds=thresholds
        )
    # HEADS=narratives: the Other and domain heads as shipped.
    models.fit_binary_heads = shipped_fit
    plain = shipped_model_fit(
        cls, texts, climate, narratives, subnarratives, taxonomy, seed=seed, thresholds=thresholds
    )
    models.fit_binary_heads = nb_fit_binary_heads
    scaled = shipped_model_fit(
        cls, texts, climate, narratives, subnarratives, taxonomy, seed=seed, thresholds=thresholds
    )
    scaled.other, scaled.climate = plain.other, plain.climate
    return scaled


models.NarrativeModel.fit = classmethod(model_fit)


def use_variant(variant: str) -> None:
    name, _, setting = variant.partition("@")
    models.NARRATIVE_C = float(setting.removeprefix("C=")) if setting else SHIPPED_C
    models.fit_binary_heads = nb_fit_binary_heads if name == "nb" else shipped_fit


def main() -> None:
    run_variants(sys.argv[1:], use_variant, f", alpha {ALPHA}, heads {HEADS}")


if __name__ == "__main__":
    main()
