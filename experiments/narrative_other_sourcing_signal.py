"""Narratives: do sourcing and style say more about "Other or not" than the heads? (round 30, a check)

An on-topic article without any of the taxonomy's narratives may be a plain report: written from named sources,
in the register the genre heads' eight style ratios measure ("said", "according to", quotes, ...). Every one of
the 319 articles is analysed by the default pipeline for its sourcing findings (per 1,000 characters, by kind of
source), the shipped narrative recipe is cross-validated as `spinlens evaluate semeval2025` does (seed 13) for
its out-of-fold "Other" probability, and a logistic regression (5 shuffles of 5 folds) predicts "no narrative"
from that probability alone and with the sourcing counts and style ratios beside it; ROC AUC of each.

    python experiments/narrative_other_sourcing_signal.py            (about 6 min)
"""

import collections
import os

import numpy as np
from narrative_label_closeness_probe import DATA, held_out_folds
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

import spinlens
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.models.semeval2023 import article_style
from spinlens.models.semeval2025 import OTHER

data = load_semeval2025(DATA)
docs = [d for d in data.documents if d.narratives or d.mentions]
seed = int(os.environ.get("SEED", "13"))
p_other = {}
for test, _, scores, _ in held_out_folds(data, docs, seed):
    p_other.update({d.id: float(p) for d, p in zip(test, scores.other)})

labelled = [d for d in docs if d.id in p_other]
pipeline = spinlens.load_pipeline("default")
counts, techniques = [], []
for doc in labelled:
    analysis = pipeline(spinlens.Article(text=doc.text)).to_dict()
    counts.append(collections.Counter(f["label"] for f in analysis["findings"] if f["kind"] == "sourcing"))
    techniques.append(collections.Counter(f["label"] for f in analysis["findings"] if f["kind"] == "technique"))
kinds = sorted({k for c in counts for k in c})
per_1000 = np.array([[c.get(k, 0) / len(d.text) * 1000 for k in kinds] for c, d in zip(counts, labelled)])
total = per_1000.sum(1, keepdims=True)
named = per_1000[:, [kinds.index(k) for k in kinds if k.startswith("named")]].sum(1, keepdims=True)
sourcing = np.hstack([np.log1p(per_1000), np.log1p(total), named / np.maximum(total, 1e-9)])
style = np.array([article_style(d.text) for d in labelled])
names = sorted({k for c in techniques for k in c})
persuasion = np.log1p(np.array([[c.get(k, 0) / len(d.text) * 1000 for k in names] for c, d in zip(techniques, labelled)]))
persuasion = np.hstack([persuasion, np.log1p(persuasion.sum(1, keepdims=True))])
y = np.array([set(d.narratives) == {OTHER} for d in labelled], dtype=int)
p = np.clip(np.array([p_other[d.id] for d in labelled]), 1e-6, 1 - 1e-6)
logit = np.log(p / (1 - p))[:, None]
print(f"{len(y)} articles, {y.sum()} without a narrative; kinds of source: {', '.join(kinds)}")
for name, X in (
    ("'Other' probability", logit),
    ("sourcing counts alone", sourcing),
    ("style ratios alone", style),
    ("'Other' probability + sourcing", np.hstack([logit, sourcing])),
    ("'Other' probability + style", np.hstack([logit, style])),
    ("'Other' probability + both", np.hstack([logit, sourcing, style])),
    ("technique findings alone", persuasion),
    ("'Other' probability + techniques", np.hstack([logit, persuasion])),
):
    X = (X - X.mean(0)) / (X.std(0) + 1e-9)
    aucs = [
        roc_auc_score(y, cross_val_predict(
            LogisticRegression(C=1, max_iter=2000), X, y,
            cv=StratifiedKFold(5, shuffle=True, random_state=s), method="predict_proba")[:, 1])
        for s in range(5)
    ]
    print(f"{name:40s} ROC AUC {np.mean(aucs):.3f}")
