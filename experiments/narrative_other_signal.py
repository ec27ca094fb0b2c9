"""Narratives: is there more in the heads' scores for the "Other or not" decision? (round 29, a check)

The shipped recipe is cross-validated as `spinlens evaluate semeval2025` does (seed 13), and the held-out
articles' mixed scores are kept. Then, over those out-of-fold scores, a logistic regression (5 shuffles of 5
folds) predicts "no narrative" from the "Other" probability alone and with other scores beside it; ROC AUC of
each. No model is built: if the extra scores added nothing here, no decision rule over them would either.

    python experiments/narrative_other_signal.py            (about 2 min)
"""

import os

import numpy as np
from narrative_label_closeness_probe import DATA, held_out_folds, logit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.models.semeval2025 import OTHER

data = load_semeval2025(DATA)
docs = [d for d in data.documents if d.narratives or d.mentions]
seed = int(os.environ.get("SEED", "13"))
gold, p_other, narratives, subs, climate, length, called_other = [], [], [], [], [], [], []
for test, model, scores, thresholds in held_out_folds(data, docs, seed):
    texts = [d.text for d in test]
    gold += [set(d.narratives) == {OTHER} for d in test]
    called_other += [model.decide(scores, i, thresholds).is_other for i in range(len(test))]
    p_other += list(scores.other)
    narratives += list(scores.narratives)
    subs += list(scores.subnarratives)
    climate += list(scores.climate)
    length += [len(t) for t in texts]

y, called = np.array(gold), np.array(called_other)
print(f"{len(y)} articles, {y.sum()} without a narrative; called 'Other' wrongly {(called & ~y).sum()}, "
      f"narratives given to an 'Other' article {(~called & y).sum()}")


ranked = np.sort(np.array(narratives), axis=1)
columns = {
    "'Other' probability": [logit(p_other)],
    "+ best narrative": [logit(p_other), logit(ranked[:, -1])],
    "+ three best narratives": [logit(p_other), logit(ranked[:, -1]), logit(ranked[:, -2]), logit(ranked[:, -3])],
    "+ best narrative and sub-narrative": [logit(p_other), logit(ranked[:, -1]), logit(np.max(subs, axis=1))],
    "+ best narrative and length": [logit(p_other), logit(ranked[:, -1]), np.log(length)],
    "+ best narrative and domain": [logit(p_other), logit(ranked[:, -1]), logit(climate)],
}
print(f"{'scores read':40s} ROC AUC")
for name, cols in columns.items():
    X = np.column_stack(cols)
    aucs = [
        roc_auc_score(y, cross_val_predict(
            LogisticRegression(), X, y, cv=StratifiedKFold(5, shuffle=True, random_state=s), method="predict_proba"
        )[:, 1])
        for s in range(5)
    ]
    print(f"{name:40s} {np.mean(aucs):.3f}")
