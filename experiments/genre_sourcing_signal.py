"""Round 28: is what the sourcing analyser finds evidence of genre? (a signal check, no model was built)

Reports are written from sources, so the number of quotes and reported speech per 1,000 characters, by kind of
source (named person, named organisation, media, anonymous, unattributed), might tell reports from opinion
pieces where the eight style ratios of the genre heads ("said", "according to", quotes, ...) do not. Every one
of the 348 genre-labelled articles is analysed by the default pipeline (about 5 min), then a balanced logistic
regression is cross-validated (5 folds, five shuffles, ROC AUC) on the style ratios, on the sourcing counts and
on both, for "reporting against the rest" and "satire against the rest".

    python experiments/genre_sourcing_signal.py
"""

import collections
import os
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

import spinlens
import spinlens.models.semeval2023 as models
from spinlens.datasets.semeval2023 import load_dataset

data = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en"
articles = sorted((a for a in load_dataset(data).articles if a.genre), key=lambda a: a.id)
pipeline = spinlens.load_pipeline("default")
counts = []
for article in articles:
    analysis = pipeline(spinlens.Article(text=article.text)).to_dict()
    counts.append(collections.Counter(f["label"] for f in analysis["findings"] if f["kind"] == "sourcing"))
kinds = sorted({k for c in counts for k in c})
per_1000 = np.array([[c.get(k, 0) / len(a.text) * 1000 for k in kinds] for c, a in zip(counts, articles)])
total = per_1000.sum(1, keepdims=True)
named = per_1000[:, [kinds.index(k) for k in kinds if k.startswith("named")]].sum(1, keepdims=True)
sourcing = np.hstack([np.log1p(per_1000), np.log1p(total), named / np.maximum(total, 1e-9)])
style = np.array([models.article_style(a.text) for a in articles])
genre = np.array([a.genre for a in articles])
for target in ("reporting", "satire"):
    y = (genre == target).astype(int)
    for name, X in (("style ratios", style), ("sourcing", sourcing), ("both", np.hstack([style, sourcing]))):
        X = (X - X.mean(0)) / (X.std(0) + 1e-9)
        aucs = [
            roc_auc_score(
                y,
                cross_val_predict(
                    LogisticRegression(C=1, class_weight="balanced", max_iter=2000),
                    X,
                    y,
                    cv=StratifiedKFold(5, shuffle=True, random_state=seed),
                    method="predict_proba",
                )[:, 1],
            )
            for seed in range(5)
        ]
        print(f"{target} against the rest, {name}: ROC AUC {np.mean(aucs):.3f}")
    for j, name in enumerate([*kinds, "all sources", "named share"]):
        print(f"    {name} alone: ROC AUC {roc_auc_score(y, sourcing[:, j]):.3f}")
