"""What the sourcing signal checks share (`genre_sourcing_signal.py`, `narrative_other_sourcing_signal.py`): the
default pipeline's findings counted per article, their rates per 1,000 characters, and a cross-validated ROC AUC."""
import collections

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

import spinlens


def finding_counts(texts, kinds):
    """For each finding kind in ``kinds``, one Counter of finding labels per text (each text analysed once by
    the default pipeline)."""
    pipeline = spinlens.load_pipeline("default")
    counts = {kind: [] for kind in kinds}
    for text in texts:
        findings = pipeline(spinlens.Article(text=text)).to_dict()["findings"]
        for kind in kinds:
            counts[kind].append(collections.Counter(f["label"] for f in findings if f["kind"] == kind))
    return counts


def per_1000_characters(counts, texts, labels):
    return np.array([[c.get(k, 0) / len(t) * 1000 for k in labels] for c, t in zip(counts, texts)])


def sourcing_columns(counts, texts):
    """The kinds of source found, and per article: the log rate of each kind, the log rate of all of them and
    the share of named sources."""
    kinds = sorted({k for c in counts for k in c})
    rates = per_1000_characters(counts, texts, kinds)
    total = rates.sum(1, keepdims=True)
    named = rates[:, [kinds.index(k) for k in kinds if k.startswith("named")]].sum(1, keepdims=True)
    return kinds, np.hstack([np.log1p(rates), np.log1p(total), named / np.maximum(total, 1e-9)])


def cross_validated_auc(X, y, class_weight=None):
    """ROC AUC of a logistic regression on standardised ``X``, out of fold, the mean over five shuffles of 5
    stratified folds."""
    X = (X - X.mean(0)) / (X.std(0) + 1e-9)
    model = LogisticRegression(C=1, class_weight=class_weight, max_iter=2000)
    return float(np.mean([
        roc_auc_score(y, cross_val_predict(
            model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=seed), method="predict_proba")[:, 1])
        for seed in range(5)
    ]))
