"""Narratives: does a narrative's best sub-narrative add evidence for the narrative itself? (round 27)

Each narrative has its own heads, and so does each of its sub-narratives; the decision reads the narrative
heads alone. Here a narrative's score becomes ``(1 - a) * its own + a * its likeliest sub-narrative's``
(the TF-IDF sub-narrative heads' probability), with ``a`` chosen among 0, 0.25 and 0.5 together with the
thresholds on the inner folds' out-of-fold scores; everything else fits as `spinlens train semeval2025` does.

    python experiments/narrative_child_evidence_probe.py children
    SEED=1 python experiments/narrative_child_evidence_probe.py children
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from narrative_label_closeness_probe import cross_validate

import spinlens.models.semeval2025 as models
import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import load_semeval2025

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN"
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


def main() -> None:
    data = load_semeval2025(DATA)
    docs = [d for d in data.documents if d.narratives or d.mentions]
    seed = int(os.environ.get("SEED", "13"))
    assignment = training.document_folds([training.document_stratum(d) for d in docs], 5, seed)
    for variant in sys.argv[1:]:
        began = time.time()
        training.tune_thresholds = tune_with_children if variant == "children" else shipped_tune
        s = cross_validate(data, docs, assignment, seed)
        print(
            f"{variant} (seed {seed}): coarse {s['narratives_f1_coarse']:.3f} "
            f"fine {s['narratives_f1_fine']:.3f} "
            f"other-right {s['other_right']:.3f} ({time.time() - began:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
