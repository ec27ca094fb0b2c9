"""A weight "soup": the average of the five-sixths encoder and the refitted one, as one model of the same size.

Both fine-tunings start from the same MiniLM weights with the same seed, so their weights can be averaged
(Wortsman et al. 2022, "model soups"). Each fold's soup is exported to int8 and decoded by the runtime with
the config the five-sixths model chose on its validation sixth; the refitted model alone is scored beside it.

    SPINLENS_WORK=OUT SPINLENS_CHECKPOINTS=DIR python experiments/technique_soup_probe.py 0 1 2 3 4
    (DIR holds fold{N}-of5-seed13-epochs4.pt and its -refit.pt, as `spinlens evaluate techniques-encoder
    --checkpoints DIR` keeps them; no fine-tuning, about 2 min per fold)
"""
import json, os, pickle, sys, tempfile, time
from pathlib import Path

from fold_decoding import WORK, Tally, labels, predict
from spinlens.models.technique_encoder import TechniqueEncoder
from spinlens.train.technique_encoder import (
    CONFIG_FILE, MODEL_FILE, FineTuneSettings, _torch, build_tagger, export_int8)

CHECKPOINTS = Path(os.environ.get("SPINLENS_CHECKPOINTS", "checkpoints"))

settings = FineTuneSettings()
WEIGHTS = [float(w) for w in os.environ.get("SOUP_WEIGHTS", "0.5").split(",")]
names = ["refit"] + [f"soup{w:g}" for w in WEIGHTS]
tally = Tally()


def load(path):
    return _torch().load(str(path))


for fold in [int(x) for x in sys.argv[1:]] or range(5):
    began = time.time()
    d = pickle.load(open(f"{WORK}/fold{fold}.pkl", "rb"))
    cfg = pickle.load(open(f"{WORK}/cfg{fold}.pkl", "rb"))
    test = d["test"]
    five_sixths = load(CHECKPOINTS / f"fold{fold + 1}-of5-seed13-epochs4.pt")
    refit = load(CHECKPOINTS / f"fold{fold + 1}-of5-seed13-epochs4-refit.pt")
    states = {"refit": refit}
    for w in WEIGHTS:
        # w is the five-sixths model's share
        states[f"soup{w:g}"] = {k: (w * five_sixths[k] + (1 - w) * v if v.is_floating_point() else v) for k, v in refit.items()}
    for name in names:
        model = build_tagger(len(labels)); model.load_state_dict(states[name]); model.eval()
        with tempfile.TemporaryDirectory() as tmp:
            export_int8(model, Path(tmp) / MODEL_FILE, settings.max_tokens)
            (Path(tmp) / CONFIG_FILE).write_text(json.dumps(cfg.to_dict()))
            p = predict(TechniqueEncoder(Path(tmp)), None, d["linear_out"], d["lin_train"], test)
        tally.add(fold, name, test, p)
    print(f"fold {fold + 1} done in {time.time() - began:.0f} s", flush=True)
tally.report()
