"""Round 32: does the steady tuning of the encoder's config generalise better than the best-point tuning? The
validation sixth of `spinlens train techniques-encoder` (59 articles the shipped encoder never learnt from) is
halved at random; each half tunes the config (as shipped, and with ``steady=True``) and the other half scores
it through the runtime's decoding. Linear models fitted on the 297 fitting articles, as in training.

    python experiments/technique_steady_tuning_halves.py [ENCODER_DIR] [HALVINGS]

ENCODER_DIR defaults to the shipped encoder, HALVINGS to 4 (each gives two tunings per mode)."""
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from spinlens.core.settings import TECHNIQUES
from spinlens.evaluate.semeval2023 import Semeval2023Labels, score_labels, technique_labels
from spinlens.models.technique_encoder import CONFIG_FILE, MODEL_FILE, EncoderWithLinear, TechniqueEncoder
from spinlens.train.technique_encoder import FineTuneSettings, tune_config
from technique_validation_sixth import validation_sixth

# STEADY_SPANS=1: the span thresholds and the span labeller's shares are chosen steadily too.
SPANS = os.environ.get("STEADY_SPANS") == "1"
folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("spinlens/models/techniques_encoder")
halvings = int(sys.argv[2]) if len(sys.argv) > 2 else 4
settings = FineTuneSettings()
_, validation, linear_models = validation_sixth()
validation = sorted(validation, key=lambda a: a.id)
linear = {a.id: linear_models.predict_techniques(a.text) for a in validation}
labels = list(TECHNIQUES)
encoder = TechniqueEncoder(folder)


class Cached:
    """The encoder's outputs per article, computed once for every tuning."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, ...], object] = {}

    def encode(self, paras):
        key = tuple(p.text for p in paras)
        if key not in self.seen:
            self.seen[key] = encoder.encode(paras)
        return self.seen[key]


cached = Cached()
results: dict[str, list[tuple[float, float, float]]] = {"shipped": [], "steady": []}
for r in range(halvings):
    order = np.random.RandomState(100 + r).permutation(len(validation))
    halves = [[validation[i] for i in order[: len(order) // 2]], [validation[i] for i in order[len(order) // 2 :]]]
    for tune_on, score_on in ((0, 1), (1, 0)):
        gold = Semeval2023Labels(
            lines={a.id: dict(a.line_labels or {}) for a in halves[score_on]},
            spans={a.id: list(a.spans or []) for a in halves[score_on]},
        )
        for mode in results:
            config, _ = tune_config(cached, halves[tune_on], labels, settings.max_tokens, linear, linear_models,
                                    steady=mode == "steady", steady_spans=mode == "steady" and SPANS)
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / MODEL_FILE).symlink_to((folder / MODEL_FILE).resolve())
                (Path(tmp) / CONFIG_FILE).write_text(json.dumps(config.to_dict()), encoding="utf-8")
                model = EncoderWithLinear(TechniqueEncoder(Path(tmp)), linear_models)
                scores = score_labels(gold, technique_labels(model, {a.id: a.text for a in halves[score_on]}))
            figures = (scores["paragraph_micro_f1"], scores["span_any_f1"], scores["span_technique_f1"])
            results[mode].append(figures)
            print(f"halving {r} tuned on half {tune_on} [{mode}]: weight {config.paragraph_weight} share "
                  f"{config.encoder_share} spans {config.span_low}/{config.span_high} linear tokens "
                  f"{config.span_linear_share}; other half {figures[0]:.3f} / {figures[1]:.3f} / {figures[2]:.3f}",
                  flush=True)
for mode, figures in results.items():
    m = np.mean(figures, axis=0)
    print(f"[{mode}] mean over {len(figures)} tunings, scored on the other half: paragraph micro-F1 {m[0]:.3f}, "
          f"span F1 any {m[1]:.3f}, technique-aware {m[2]:.3f}")
