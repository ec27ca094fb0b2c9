"""Narratives: sub-narrative heads fitted only on the articles that carry their narrative (round 28).

The decision lists a sub-narrative only under a narrative it has already chosen, so the question a
sub-narrative head should answer is "which of the siblings?", given the parent. The shipped TF-IDF heads are fitted on
every article, and mostly learn "is this about the parent's topic at all?". Here each narrative's sub-narrative
heads are fitted again on the articles carrying that narrative (`cond`: these heads replace the shipped ones;
`blend`: their weights are averaged with the shipped ones, i.e. the mean of the two logits); thresholds and the
embedding share tuned on inner folds as `spinlens train semeval2025` does, which also fits through the
patched heads.

    python experiments/narrative_conditional_subnarratives_probe.py cond blend
    SEED=1 python experiments/narrative_conditional_subnarratives_probe.py cond blend
"""

from __future__ import annotations

import sys

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.models.semeval2025 as models

shipped_fit = models.NarrativeModel.fit.__func__
MODE = "shipped"


def fit(cls, texts, climate, narratives, subnarratives, taxonomy, *, seed, thresholds=None):
    model = shipped_fit(cls, texts, climate, narratives, subnarratives, taxonomy, seed=seed, thresholds=thresholds)
    if MODE == "shipped":
        return model
    X = model.encoder.transform(texts)
    labels = model.subnarratives.labels
    gold_n = [set(n) for n in narratives]
    gold_s = [set(s) for s in subnarratives]
    coef, intercept = model.subnarratives.coef.copy(), model.subnarratives.intercept.copy()
    for parent in model.narratives.labels:
        children = [j for j, s in enumerate(labels) if model.parents.get(s) == parent]
        rows = [i for i, g in enumerate(gold_n) if parent in g]
        if not children or len(rows) < 2:
            continue
        Y = np.array([[labels[j] in gold_s[i] for j in children] for i in rows], dtype=int)
        heads = models.fit_binary_heads(X[rows], Y, [labels[j] for j in children], C=models.NARRATIVE_C, seed=seed)
        if MODE == "cond":
            coef[children], intercept[children] = heads.coef, heads.intercept
        else:
            coef[children] = (coef[children] + heads.coef) / 2
            intercept[children] = (intercept[children] + heads.intercept) / 2
    model.subnarratives = models.LinearHeads(labels, coef, intercept)
    return model


models.NarrativeModel.fit = classmethod(fit)


def use_variant(variant: str) -> None:
    global MODE
    MODE = variant


def main() -> None:
    run_variants(sys.argv[1:], use_variant)


if __name__ == "__main__":
    main()
