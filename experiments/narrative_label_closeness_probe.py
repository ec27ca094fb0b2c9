"""Narratives: what the label closeness columns of the embedding heads add (round 25).

The embedding heads read the article's mean paragraph vector and, for each narrative and specific
sub-narrative, how close the article's best paragraph and the whole article come to the label's own
words (``label_descriptions``, embedded as paragraphs are). Each variant fits and tunes every fold's
model as `spinlens train semeval2025` does; scores pooled over the held-out articles, as
`spinlens evaluate semeval2025` reports them.

    python experiments/narrative_label_closeness_probe.py none w=1 w=0.5 w=2
    SEED=1 python experiments/narrative_label_closeness_probe.py none w=1      (another draw of folds)

``none`` is the recipe shipped before round 25 (the mean vector alone). ``PARAGRAPHS=N`` and ``TOKENS=T``
embed the first N paragraphs of each article, each cut at T word pieces, instead of the shipped 32 × 64
(round 26; ``PARAGRAPHS=12`` is round 25's setting). ``SHARES=0,0.2,...`` offers other embedding shares to the
inner-fold tuning, ``EMBEDDED_C=C`` fits the embedding heads with another C, ``SUB_GRID=0.01,0.02,...`` offers
other sub-narrative thresholds.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import spinlens.models.semeval2025 as models
import spinlens.nlp.embed as embedding
import spinlens.train.embedding_cache as embedding_cache
import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.evaluate.semeval2025 import _narrative_scores
from spinlens.models.semeval2025 import OTHER
from spinlens.train.embedding_cache import embed_paragraphs_cached

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN"
with_anchors = training.label_anchors
PARAGRAPHS = int(os.environ.get("PARAGRAPHS", embedding.PARAGRAPHS_READ))
if PARAGRAPHS != embedding.PARAGRAPHS_READ:
    models.PARAGRAPHS_READ = PARAGRAPHS
    embedding_cache._paragraph_vectors = embedding_cache.EmbeddingCache(
        lambda texts: embedding.article_paragraph_vectors(texts, PARAGRAPHS).per_article
    )
embedding.ARTICLE_TOKENS = int(os.environ.get("TOKENS", embedding.ARTICLE_TOKENS))
# Round 26: the embedding share's grid and the embedding heads' C.
if "SHARES" in os.environ:
    training.NARRATIVE_SHARES = tuple(float(x) for x in os.environ["SHARES"].split(","))
models.NARRATIVE_EMBEDDED_C = float(os.environ.get("EMBEDDED_C", models.NARRATIVE_EMBEDDED_C))
if "SUB_GRID" in os.environ:  # the sub-narrative thresholds the inner-fold tuning may choose from
    models.THRESHOLD_GRID["sub"] = tuple(float(x) for x in os.environ["SUB_GRID"].split(","))


def logit(p):
    """Log-odds of probabilities, clipped away from 0 and 1."""
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def held_out_folds(data, docs, seed: int):
    """Each held-out fold of `spinlens evaluate semeval2025`'s draw of folds ``seed``: its articles with
    narrative labels, the shipped recipe fitted on the other folds, their scores and its thresholds."""
    assignment = training.document_folds([training.document_stratum(d) for d in docs], 5, seed)
    for fold in range(5):
        train = [d for d, f in zip(docs, assignment) if f != fold]
        test = [d for d, f in zip(docs, assignment) if f == fold and d.narratives]
        model, _ = training.fit_narrative_model(train, data.taxonomy, seed)
        texts = [d.text for d in test]
        vectors = embed_paragraphs_cached(texts)
        yield test, model, model.scores(texts, vectors), model.thresholds_for(vectors)


def cross_validate(data, docs, seed: int) -> dict[str, float]:
    coarse, fine, gold, other_right = [], [], [], 0
    for fold, (test, model, fold_scores, thresholds) in enumerate(held_out_folds(data, docs, seed)):
        predictions = [model.decide(fold_scores, i, thresholds) for i in range(len(test))]
        coarse += [p.narrative_labels for p in predictions]
        fine += [p.subnarrative_labels for p in predictions]
        gold += test
        other_right += sum(
            p.is_other == (set(d.narratives) == {OTHER}) for d, p in zip(test, predictions, strict=True)
        )
        print(f"  fold {fold + 1}: share {model.embedded.share}", flush=True)
    scores = _narrative_scores(gold, coarse, fine)
    scores["other_right"] = other_right / len(gold)
    return scores


def run_variants(variants: list[str], prepare: Callable[[str], None], settings: str = "") -> None:
    """Cross-validate each variant on the draw of folds ``SEED`` names, after ``prepare(variant)`` set it up;
    ``settings`` is printed beside the seed."""
    data = load_semeval2025(DATA)
    docs = [d for d in data.documents if d.narratives or d.mentions]
    seed = int(os.environ.get("SEED", "13"))
    for variant in variants:
        began = time.time()
        prepare(variant)
        s = cross_validate(data, docs, seed)
        print(
            f"{variant} (seed {seed}{settings}): coarse {s['narratives_f1_coarse']:.3f} "
            f"fine {s['narratives_f1_fine']:.3f} "
            f"other-right {s['other_right']:.3f} ({time.time() - began:.0f} s)",
            flush=True,
        )


def use_closeness(variant: str) -> None:
    if variant == "none":
        training.label_anchors = lambda model: None
    else:
        training.label_anchors = with_anchors
        models.LABEL_CLOSENESS_WEIGHT = float(variant.removeprefix("w="))


def main() -> None:
    settings = (
        f", {PARAGRAPHS} x {embedding.ARTICLE_TOKENS}, shares {training.NARRATIVE_SHARES}, "
        f"C {models.NARRATIVE_EMBEDDED_C}, sub from {min(models.THRESHOLD_GRID['sub'])}"
    )
    run_variants(sys.argv[1:], use_closeness, settings)


if __name__ == "__main__":
    main()
