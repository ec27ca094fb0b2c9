"""Narratives: do sourcing and style say more about "Other or not" than the heads? (round 30, a check)

An on-topic article without any of the taxonomy's narratives may be a plain report: written from named sources,
in the register the genre heads' eight style ratios measure ("said", "according to", quotes, ...). Every one of
the 319 articles is analysed by the default pipeline for its sourcing findings (per 1,000 characters, by kind of
source), the shipped narrative recipe is cross-validated as `spinlens evaluate semeval2025` does (seed 13) for
its out-of-fold "Other" probability, and a logistic regression (5 shuffles of 5 folds) predicts "no narrative"
from that probability alone and with the sourcing counts and style ratios beside it; ROC AUC of each.

    python experiments/narrative_other_sourcing_signal.py            (about 6 min)
"""

import os

import numpy as np
from narrative_label_closeness_probe import DATA, held_out_folds
from sourcing_features import cross_validated_auc, finding_counts, per_1000_characters, sourcing_columns

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
texts = [d.text for d in labelled]
counts = finding_counts(texts, ["sourcing", "technique"])
kinds, sourcing = sourcing_columns(counts["sourcing"], texts)
style = np.array([article_style(t) for t in texts])
names = sorted({k for c in counts["technique"] for k in c})
persuasion = np.log1p(per_1000_characters(counts["technique"], texts, names))
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
    print(f"{name:40s} ROC AUC {cross_validated_auc(X, y):.3f}")
