"""Fine-tuning settings of the technique encoder compared on the folds' validation sixths.

Each variant fine-tunes the encoder of the chosen folds (same folds and seed as `spinlens evaluate
techniques-encoder`) with one setting changed, tunes on the fold's validation sixth as shipped, and prints
the validation figures: those are where a setting may be chosen. The held-out figures are written to
OUT/VARIANT/report.json, to be read only for the setting chosen on validation.

    SPINLENS_WORK=OUT python experiments/technique_training_probe.py FOLDS VARIANT...
    e.g. python experiments/technique_training_probe.py 1 lr=5e-5 lr=1.2e-4 balance=0.5 shipped+init=1
    (FOLDS: 1-based, comma-separated; about 15-17 min of fine-tuning per fold and variant on 2 cores;
    a variant's fold weights are kept in OUT/VARIANT and reused, so folds can be added later)
"""
import dataclasses, json, os, sys
from pathlib import Path

import spinlens.train.technique_encoder as technique_encoder
from spinlens.evaluate.technique_encoder import cross_validate_encoder
from spinlens.train.technique_encoder import FineTuneSettings

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3" / "en"
WORK = Path(os.environ.get("SPINLENS_WORK", "training-probe"))
# "shipped+init=K": the shipped settings with the fine-tuning's own seed (weight initialisation of the heads,
# dropout, batch order) moved by K while folds and validation sixth stay: how far two runs of one recipe differ.
_fine_tune = technique_encoder.fine_tune
FIELDS = {"lr": "learning_rate", "head_lr": "head_learning_rate", "balance": "label_balance",
          "batch": "batch_size", "epochs": "epochs"}



def say(variant, message):
    # The held-out figures of each fold stay in report.json: settings are chosen on validation only.
    if "paragraph micro-F1" not in message:
        print(f"{variant}: {message}", flush=True)


folds = [int(f) - 1 for f in sys.argv[1].split(",")]
for variant in sys.argv[2:] or ["shipped"]:
    changes, init = {}, 0
    if variant != "shipped":
        for part in variant.split("+"):
            if part == "shipped":
                continue
            key, value = part.split("=")
            if key == "init":
                init = int(value)
                continue
            field = FIELDS[key]
            kind = type(getattr(FineTuneSettings(), field))
            changes[field] = kind(float(value)) if kind is int else kind(value)
    technique_encoder.fine_tune = (
        lambda examples, n, settings, seed, progress=None, _k=init: _fine_tune(examples, n, settings, seed + _k, progress))
    settings = dataclasses.replace(FineTuneSettings(), **changes)
    out = WORK / variant
    report = cross_validate_encoder(DATA, folds_to_run=folds, settings=settings, checkpoints=out,
                                    progress=lambda m: say(variant, m))
    (out / "report.json").write_text(json.dumps(report.to_dict(), indent=1))
    print(f"{variant}: {report.validation_line()}", flush=True)
