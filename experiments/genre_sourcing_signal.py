"""Round 28: is what the sourcing analyser finds evidence of genre? (a signal check, no model was built)

Reports are written from sources, so the number of quotes and reported speech per 1,000 characters, by kind of
source (named person, named organisation, media, anonymous, unattributed), might tell reports from opinion
pieces where the eight style ratios of the genre heads ("said", "according to", quotes, ...) do not. Every one
of the 348 genre-labelled articles is analysed by the default pipeline (about 5 min), then a balanced logistic
regression is cross-validated (5 folds, five shuffles, ROC AUC) on the style ratios, on the sourcing counts and
on both, for "reporting against the rest" and "satire against the rest".

    python experiments/genre_sourcing_signal.py
"""

import os
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sourcing_features import cross_validated_auc, finding_counts, sourcing_columns

import spinlens.models.semeval2023 as models
from spinlens.datasets.semeval2023 import load_dataset

data = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en"
articles = sorted((a for a in load_dataset(data).articles if a.genre), key=lambda a: a.id)
texts = [a.text for a in articles]
kinds, sourcing = sourcing_columns(finding_counts(texts, ["sourcing"])["sourcing"], texts)
style = np.array([models.article_style(t) for t in texts])
genre = np.array([a.genre for a in articles])
for target in ("reporting", "satire"):
    y = (genre == target).astype(int)
    for name, X in (("style ratios", style), ("sourcing", sourcing), ("both", np.hstack([style, sourcing]))):
        print(f"{target} against the rest, {name}: ROC AUC {cross_validated_auc(X, y, 'balanced'):.3f}")
    for j, name in enumerate([*kinds, "all sources", "named share"]):
        print(f"    {name} alone: ROC AUC {roc_auc_score(y, sourcing[:, j]):.3f}")
