"""Narratives: what saying "Other" and the narratives together would do to samples-F1 (round 33, a check).

Samples-F1 scores each article's label set; "Other" is one more label. An article whose "Other" probability is
near the threshold is a gamble: "Other" alone scores 1 or 0, the narratives alone their overlap or 0. Saying
both scores 2/3 either way when the best narrative is right, so listing both for uncertain articles raises the
measured figure without making any answer more right; the annotators never give "Other" beside a narrative
(0 of 319 articles). This measures by how much, with the shipped recipe's held-out scores (seed 13): articles
whose "Other" probability lies within BAND of the tuned threshold get "Other" added to the narratives (and to the
sub-narratives) the model would give if "Other" were not an option.

    python experiments/narrative_hedged_other_probe.py 0.05 0.1 0.15 0.2        (about 6 min)
"""

import os
import sys
from dataclasses import replace

from narrative_label_closeness_probe import DATA, held_out_folds

from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.evaluate.semeval2025 import _narrative_scores
from spinlens.models.semeval2025 import OTHER

bands = [float(b) for b in sys.argv[1:]] or [0.1]
data = load_semeval2025(DATA)
docs = [d for d in data.documents if d.narratives or d.mentions]
seed = int(os.environ.get("SEED", "13"))
gold, shipped, hedged = [], [], {b: ([], []) for b in bands}
for test, model, scores, thresholds in held_out_folds(data, docs, seed):
    gold += test
    never_other = replace(thresholds, other=2.0)
    for i in range(len(test)):
        decided = model.decide(scores, i, thresholds)
        shipped.append(decided)
        both = model.decide(scores, i, never_other)
        for band, (coarse, fine) in hedged.items():
            if abs(decided.p_other - thresholds.other) <= band:
                coarse.append([OTHER, *both.narrative_labels])
                fine.append([OTHER, *both.subnarrative_labels])
            else:
                coarse.append(decided.narrative_labels)
                fine.append(decided.subnarrative_labels)

base = _narrative_scores(gold, [p.narrative_labels for p in shipped], [p.subnarrative_labels for p in shipped])
print(f"shipped decision: coarse {base['narratives_f1_coarse']:.3f} fine {base['narratives_f1_fine']:.3f}")
for band, (coarse, fine) in hedged.items():
    s = _narrative_scores(gold, coarse, fine)
    n = sum(OTHER in c and len(c) > 1 for c in coarse)
    print(f"'Other' and narratives both within ±{band}: coarse {s['narratives_f1_coarse']:.3f} "
          f"fine {s['narratives_f1_fine']:.3f} ({n} of {len(coarse)} articles hedged)")
