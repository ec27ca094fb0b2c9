"""Narratives: decision thresholds tuned per domain (round 27).

Climate articles carry "Other" less often than war articles' opposite (46% against 37% of the 319) and more
narratives each (2.4 against 2.0), yet one "Other" threshold, one relative cut and one sub-narrative threshold
serve both. Here each predicted domain gets its own three, tuned on the same inner-fold scores (the rows of
that domain only); everything else fits as `spinlens train semeval2025` does.

    python experiments/narrative_domain_thresholds_probe.py shipped domain
    SEED=1 python experiments/narrative_domain_thresholds_probe.py shipped domain
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from narrative_label_closeness_probe import cross_validate

import spinlens.models.semeval2025 as models
import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import load_semeval2025

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN"
shipped_tune = models.tune_thresholds
shipped_decide = models.NarrativeModel.decide


@dataclass(frozen=True)
class DomainThresholds:
    by_domain: dict[str, models.NarrativeThresholds]

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {d: t.to_dict() for d, t in self.by_domain.items()}


def tune_per_domain(model, scores, gold_n, gold_s):
    climate = scores.climate >= 0.5
    chosen, total = {}, 0.0
    for domain, rows in (("CC", np.flatnonzero(climate)), ("UA", np.flatnonzero(~climate))):
        if len(rows) < 10:
            chosen[domain] = shipped_tune(model, scores, gold_n, gold_s)[0]
            continue
        t, f1 = shipped_tune(model, scores.take(rows), [gold_n[i] for i in rows], [gold_s[i] for i in rows])
        chosen[domain], total = t, total + f1 * len(rows)
    return DomainThresholds(chosen), total / len(gold_n)


def decide(self, scores, i, thresholds):
    if isinstance(thresholds, DomainThresholds):
        domain = "CC" if scores.climate[i] >= 0.5 else "UA"
        thresholds = thresholds.by_domain[domain]
    return shipped_decide(self, scores, i, thresholds)


models.NarrativeModel.decide = decide


def main() -> None:
    data = load_semeval2025(DATA)
    docs = [d for d in data.documents if d.narratives or d.mentions]
    seed = int(os.environ.get("SEED", "13"))
    assignment = training.document_folds([training.document_stratum(d) for d in docs], 5, seed)
    for variant in sys.argv[1:]:
        began = time.time()
        training.tune_thresholds = tune_per_domain if variant == "domain" else shipped_tune
        s = cross_validate(data, docs, assignment, seed)
        print(
            f"{variant} (seed {seed}): coarse {s['narratives_f1_coarse']:.3f} "
            f"fine {s['narratives_f1_fine']:.3f} "
            f"other-right {s['other_right']:.3f} ({time.time() - began:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
