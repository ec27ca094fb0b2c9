"""Round 26 (shipped since): the fine-role heads also read how close the mention's sentence embedding comes
to the 22 fine-role descriptions (`FINE_ROLE_DESCRIPTIONS`, written in round 25 for the main-role probe), at
weight W; `W=0` is the model without them (round 25). The rest is `spinlens evaluate semeval2025` as shipped.

    W=1 python experiments/role_fine_closeness_probe.py                  (about 4-5 min; W=0.5, W=3)
    W=1 SEEDS=1,2,3,4 python experiments/role_fine_closeness_probe.py    (other draws of folds)
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import spinlens.models.semeval2025 as models
import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.evaluate.semeval2025 import cross_validate_loaded
from spinlens.nlp.spacy_model import load_spacy

W = float(os.environ.get("W", "1"))
if W:
    models.ROLE_CLOSENESS_WEIGHT = W
else:
    training.role_anchors = lambda: None

data = load_semeval2025(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN")
parsed = training.parse_documents(data.documents, load_spacy())
for seed in [int(s) for s in os.environ.get("SEEDS", "13").split(",")]:
    report = cross_validate_loaded(data, parsed, seed=seed)
    print("W", W, "seed", seed, json.dumps(report.to_dict()["scores"]["spinlens"]), flush=True)
