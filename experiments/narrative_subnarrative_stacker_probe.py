"""Sub-narratives: one small regression, shared by every sub-narrative, that re-scores each specific
sub-narrative from its TF-IDF head's probability and how close the article comes to the sub-narrative's
own words (round 26).

The sub-narrative heads are TF-IDF regressions with a median of 4 training articles each; the label
closeness columns (round 25) already say, per sub-narrative, how close the article's best paragraph and
its mean vector come to the label's words, but a regression per sub-narrative on them learns nothing
from 4 articles (round 25's sub-narrative embedding heads). Pooled over every (article, sub-narrative)
pair whose narrative the article carries, a regression of a handful of weights can learn how much
closeness, and closeness relative to the sibling sub-narratives, is worth. It is fitted on the inner
folds' out-of-fold TF-IDF probabilities, like the thresholds, which are tuned again on its scores.

    PARAGRAPHS=12 python experiments/narrative_subnarrative_stacker_probe.py shipped tfidf close rel
    PARAGRAPHS=12 SEED=1 python experiments/narrative_subnarrative_stacker_probe.py shipped rel

``shipped`` is the round-25 model; ``tfidf`` the stacker on the TF-IDF probability alone (a pooled
recalibration, the control); ``close`` adds the sub-narrative's two closeness figures; ``rel`` adds them
relative to the siblings' and to the parent narrative's.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import spinlens.models.semeval2025 as models
import spinlens.nlp.embed as embedding
import spinlens.train.embedding_cache as embedding_cache
import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.evaluate.semeval2025 import _narrative_scores
from spinlens.models.semeval2025 import OTHER, NarrativeScores, label_descriptions, tune_thresholds
from spinlens.nlp.embed import ParagraphVectors
from spinlens.train.embedding_cache import embed_paragraphs_cached

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN"
C = float(os.environ.get("STACKER_C", "1.0"))
# The documented figures were run with round 25's 12 paragraphs: PARAGRAPHS=12 (32 since round 26).
PARAGRAPHS = int(os.environ.get("PARAGRAPHS", embedding.PARAGRAPHS_READ))
if PARAGRAPHS != embedding.PARAGRAPHS_READ:
    models.PARAGRAPHS_READ = PARAGRAPHS
    embedding_cache._paragraph_vectors = embedding_cache.EmbeddingCache(
        lambda texts: embedding.article_paragraph_vectors(texts, PARAGRAPHS).per_article
    )


def anchor_index(model) -> tuple[dict[str, int], dict[str, int]]:
    """Row of each narrative's and specific sub-narrative's description among the anchors."""
    narratives = [n for n in model.narratives.labels if n != OTHER]
    subs = {}
    row = len(narratives)
    for sub, narrative in sorted(model.parents.items()):
        tail = sub[len(narrative) + 2 :] if sub.startswith(narrative + ": ") else sub
        if narrative != OTHER and tail != OTHER:
            subs[sub] = row
            row += 1
    assert row == len(label_descriptions(model.narratives.labels, model.parents))
    return {n: i for i, n in enumerate(narratives)}, subs


def closeness(vectors: ParagraphVectors, anchors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = vectors.pooled()
    best = np.zeros((len(vectors), len(anchors)), dtype=np.float32)
    for i, paragraphs in enumerate(vectors.per_article):
        if len(paragraphs):
            best[i] = (paragraphs @ anchors.T).max(axis=0)
    return best, mean @ anchors.T


class Stacker:
    def __init__(self, model, anchors: np.ndarray, variant: str) -> None:
        self.variant = variant
        self.anchors = anchors
        narrative_rows, sub_rows = anchor_index(model)
        self.sub_labels = model.subnarratives.labels
        self.items = []  # (sub column, anchor row, parent anchor row, sibling anchor rows, parent)
        for j, sub in enumerate(self.sub_labels):
            if sub not in sub_rows:
                continue
            parent = model.parents[sub]
            siblings = [sub_rows[s] for s in sub_rows if model.parents[s] == parent]
            self.items.append((j, sub_rows[sub], narrative_rows[parent], siblings, parent))

    def features(self, subs: np.ndarray, vectors: ParagraphVectors, rows: list[int]) -> np.ndarray:
        best, mean = closeness(vectors, self.anchors)
        out = []
        for i in rows:
            for j, a, pa, sib, _ in self.items:
                p = float(np.clip(subs[i, j], 1e-6, 1 - 1e-6))
                f = [np.log(p / (1 - p))]
                if self.variant in ("close", "rel"):
                    f += [best[i, a], mean[i, a]]
                if self.variant == "rel":
                    f += [
                        best[i, a] - best[i, sib].max(),
                        mean[i, a] - mean[i, sib].mean(),
                        best[i, a] - best[i, pa],
                    ]
                out.append(f)
        return np.asarray(out, dtype=np.float64)

    def fit(self, subs, vectors, docs) -> None:
        rows = [i for i, d in enumerate(docs)]
        X = self.features(subs, vectors, rows)
        y, keep = [], []
        k = 0
        for d in docs:
            for j, _, _, _, parent in self.items:
                keep.append(parent in d.narratives)
                y.append(self.sub_labels[j] in d.subnarratives)
                k += 1
        keep_arr = np.asarray(keep)
        X, y_arr = X[keep_arr], np.asarray(y)[keep_arr]
        self.mu, self.sd = X.mean(axis=0), X.std(axis=0) + 1e-9
        self.lr = LogisticRegression(C=C, max_iter=1000).fit((X - self.mu) / self.sd, y_arr)

    def rescore(self, scores: NarrativeScores, vectors: ParagraphVectors) -> NarrativeScores:
        n = len(scores.other)
        X = self.features(scores.subnarratives, vectors, list(range(n)))
        p = self.lr.predict_proba((X - self.mu) / self.sd)[:, 1].reshape(n, len(self.items))
        subs = scores.subnarratives.copy()
        for k, (j, *_rest) in enumerate(self.items):
            subs[:, j] = p[:, k]
        return NarrativeScores(scores.other, scores.climate, scores.narratives, subs)


def fit(docs, taxonomy, seed: int, variant: str):
    model, card = training.fit_narrative_model(docs, taxonomy, seed)
    if variant == "shipped":
        return model, None, None
    docs = [d for d in docs if d.narratives]
    vectors = embed_paragraphs_cached([d.text for d in docs])
    anchors = model.embedded.anchors
    oof = training.inner_fold_scores(docs, taxonomy, seed, vectors, anchors)
    stacker = Stacker(model, anchors, variant)
    stacker.fit(oof.tfidf.subnarratives, vectors, docs)
    share = model.embedded.share
    mixed = stacker.rescore(oof.tfidf.mixed_with(oof.embedded_other, oof.embedded, share), vectors)
    thresholds, inner = tune_thresholds(model, mixed, [d.narratives for d in docs], [d.subnarratives for d in docs])
    print(
        f"    share {share} inner {card['inner_cv_mean_samples_f1_with_embedding']} -> {inner:.4f} "
        f"{thresholds.to_dict()} coef {np.round(stacker.lr.coef_[0], 2).tolist()}",
        flush=True,
    )
    return model, stacker, thresholds


def cross_validate(data, docs, assignment, seed: int, variant: str) -> dict[str, float]:
    coarse, fine, gold = [], [], []
    for fold in range(5):
        train = [d for d, f in zip(docs, assignment, strict=True) if f != fold]
        test = [d for d, f in zip(docs, assignment, strict=True) if f == fold and d.narratives]
        model, stacker, thresholds = fit(train, data.taxonomy, seed, variant)
        texts = [d.text for d in test]
        vectors = embed_paragraphs_cached(texts)
        if stacker is None:
            predictions = model.predict(texts, vectors)
        else:
            scores = stacker.rescore(model.scores(texts, vectors), vectors)
            predictions = [model.decide(scores, i, thresholds) for i in range(len(texts))]
        coarse += [p.narrative_labels for p in predictions]
        fine += [p.subnarrative_labels for p in predictions]
        gold += test
    return _narrative_scores(gold, coarse, fine)


def main() -> None:
    data = load_semeval2025(DATA)
    docs = [d for d in data.documents if d.narratives or d.mentions]
    seed = int(os.environ.get("SEED", "13"))
    assignment = training.document_folds([training.document_stratum(d) for d in docs], 5, seed)
    for variant in sys.argv[1:]:
        began = time.time()
        s = cross_validate(data, docs, assignment, seed, variant)
        print(
            f"{variant} (seed {seed}, C {C}): coarse {s['narratives_f1_coarse']:.3f} "
            f"fine {s['narratives_f1_fine']:.3f} ({time.time() - began:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
