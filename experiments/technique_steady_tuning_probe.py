"""Round 32: the encoder's config tuned as shipped and with ``steady=True`` (each choice judged with its grid
neighbours), for several int8 encoders of the same recipe, on the validation sixth that `spinlens train
techniques-encoder` tunes on. Prints each config and how many of its settings agree between the encoders.

    python experiments/technique_steady_tuning_probe.py spinlens/models/techniques_encoder \
        /work/exp/r31/all/techniques_encoder [--out DIR]

With --out, each encoder's model.onnx is copied into DIR/<n>-<mode>/techniques_encoder with the config tuned
in that mode, beside the other shipped models, so `compare_rebuilt_findings.py` can read them."""
import json
import os
import shutil
import sys
from pathlib import Path

from spinlens.models.technique_encoder import TechniqueEncoder
from spinlens.core.settings import TECHNIQUES
from spinlens.train.technique_encoder import CONFIG_FILE, MODEL_FILE, FineTuneSettings, tune_config
from technique_validation_sixth import validation_sixth

# STEADY_SPANS=1: the span thresholds and the span labeller's shares are chosen steadily too.
SPANS = os.environ.get("STEADY_SPANS") == "1"
args = sys.argv[1:]
out = None
if "--out" in args:
    at = args.index("--out")
    out = Path(args[at + 1])
    del args[at : at + 2]
settings = FineTuneSettings()
fitting, validation, linear_models = validation_sixth()
print(f"{len(fitting)} fitting articles, {len(validation)} validation articles", flush=True)
linear = {a.id: linear_models.predict_techniques(a.text) for a in validation}
labels = list(TECHNIQUES)

configs: dict[str, list[dict]] = {"shipped": [], "steady": []}
for n, folder in enumerate(args):
    encoder = TechniqueEncoder(Path(folder))
    for mode in configs:
        config, metrics = tune_config(encoder, validation, labels, settings.max_tokens, linear, linear_models,
                                      steady=mode == "steady", steady_spans=mode == "steady" and SPANS)
        c = config.to_dict()
        configs[mode].append(c)
        print(f"{folder} [{mode}]: weight {c['paragraph_weight']} share {c['encoder_share']} spans "
              f"{c['span_low']}/{c['span_high']} linear tokens {c['span_linear_share']} naming "
              f"{c['span_label_encoder_share']}/{c['span_label_linear_share']}; {metrics}", flush=True)
        print("  thresholds", c["thresholds"], flush=True)
        if out is not None:
            target = out / f"{n}-{mode}"
            shutil.copytree(Path("spinlens/models"), target, dirs_exist_ok=True)
            shutil.copy(Path(folder) / MODEL_FILE, target / "techniques_encoder" / MODEL_FILE)
            (target / "techniques_encoder" / CONFIG_FILE).write_text(json.dumps(c, indent=1), encoding="utf-8")

keys = ["paragraph_weight", "encoder_share", "span_low", "span_high", "span_linear_share",
        "span_label_encoder_share", "span_label_linear_share"]
for mode, cs in configs.items():
    for i in range(1, len(cs)):
        same = [k for k in keys if cs[0][k] == cs[i][k]]
        th = sum(a == b for a, b in zip(cs[0]["thresholds"], cs[i]["thresholds"]))
        close = sum(abs(a - b) <= 0.026 for a, b in zip(cs[0]["thresholds"], cs[i]["thresholds"]))
        print(f"[{mode}] encoder 1 against {i + 1}: {len(same)} of {len(keys)} settings alike "
              f"(differ: {[k for k in keys if k not in same]}); thresholds equal {th} of {len(labels)}, "
              f"within one grid step {close}")
