"""Narratives: does a narrative's best sub-narrative add evidence for the narrative itself? (round 27)

Each narrative has its own heads, and so does each of its sub-narratives; the decision reads the narrative
heads alone. Here a narrative's score becomes ``(1 - a) * its own + a * its likeliest sub-narrative's``
(the TF-IDF sub-narrative heads' probability), with ``a`` chosen among 0, 0.25 and 0.5 together with the
thresholds on the inner folds' out-of-fold scores; everything else fits as `spinlens train semeval2025` does.

    python experiments/narrative_child_evidence_probe.py children
    SEED=1 python experiments/narrative_child_evidence_probe.py children
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.models.semeval2025 as models
import spinlens.train.semeval2025 as training

SHARES = (0.0, 0.25, 0.5)
shipped_tune = models.tune_thresholds
shipped_decide = models.NarrativeModel.decide


@dataclass(frozen=True)
class ChildThresholds(models.NarrativeThresholds):
    child_share: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {**super().to_dict(), "child_share": self.child_share}


def with_children(model, scores, share: float):
    if share == 0.0:
        return scores
    best_child = np.zeros_like(scores.narratives)
    for j, narrative in enumerate(model.narratives.labels):
        rows = [k for k, s in enumerate(model.subnarratives.labels) if model.parents.get(s) == narrative]
        if rows:
            best_child[:, j] = scores.subnarratives[:, rows].max(axis=1)
        else:
            best_child[:, j] = scores.narratives[:, j]
    return replace(scores, narratives=(1 - share) * scores.narratives + share * best_child)


def tune_with_children(model, scores, gold_n, gold_s):
    best = None
    for share in SHARES:
        t, f1 = shipped_tune(model, with_children(model, scores, share), gold_n, gold_s)
        if best is None or f1 > best[1] + 1e-9:
            best = (ChildThresholds(t.other, t.relative, t.sub, share), f1)
    print(f"    chose child share {best[0].child_share}", flush=True)
    return best


def decide(self, scores, i, thresholds):
    if isinstance(thresholds, ChildThresholds) and thresholds.child_share:
        scores = with_children(self, scores.row(i), thresholds.child_share)
        i = 0
    return shipped_decide(self, scores, i, thresholds)


models.NarrativeModel.decide = decide


def use_variant(variant: str) -> None:
    training.tune_thresholds = tune_with_children if variant == "children" else shipped_tune


def main() -> None:
    run_variants(sys.argv[1:], use_variant)


if __name__ == "__main__":
    main()
