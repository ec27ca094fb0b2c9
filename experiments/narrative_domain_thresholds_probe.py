"""Narratives: decision thresholds tuned per domain (round 27).

Climate articles carry "Other" less often than war articles' opposite (46% against 37% of the 319) and more
narratives each (2.4 against 2.0), yet one "Other" threshold, one relative cut and one sub-narrative threshold
serve both. Here each predicted domain gets its own three, tuned on the same inner-fold scores (the rows of
that domain only); everything else fits as `spinlens train semeval2025` does.

    python experiments/narrative_domain_thresholds_probe.py shipped domain
    SEED=1 python experiments/narrative_domain_thresholds_probe.py shipped domain
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.models.semeval2025 as models
import spinlens.train.semeval2025 as training

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


def use_variant(variant: str) -> None:
    training.tune_thresholds = tune_per_domain if variant == "domain" else shipped_tune


def main() -> None:
    run_variants(sys.argv[1:], use_variant)


if __name__ == "__main__":
    main()
