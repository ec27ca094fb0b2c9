"""Dump per-fold encoder outputs and linear models so decoding experiments run offline."""
import os
import json, pickle, sys, tempfile, time
from pathlib import Path
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.train.semeval2023 import article_folds, fit_models
from spinlens.train.technique_encoder import (FineTuneSettings, build_tagger, export_int8, validation_split,
    _torch, CONFIG_FILE, MODEL_FILE)
from spinlens.models.technique_encoder import TechniqueEncoder, EncoderConfig
from spinlens.core.settings import TECHNIQUES
from spinlens.nlp.segment import paragraphs

settings = FineTuneSettings(); seed = 13
articles = sorted(load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / Path("semeval2023-task3/en")).articles, key=lambda a: a.id)
fold_of = article_folds([a.id for a in articles], 5, seed)
labels = list(TECHNIQUES)
for fold in [int(x) for x in sys.argv[1:]] or range(5):
    t0 = time.time()
    train = [a for a, f in zip(articles, fold_of) if f != fold]
    held = [a for a, f in zip(articles, fold_of) if f == fold and a.has_techniques]
    tr = [a for a in train if a.has_techniques]
    vids = validation_split([a.id for a in tr], settings.validation_share, seed)
    fitting = [a for a in tr if a.id not in vids]; validation = [a for a in tr if a.id in vids]
    model = build_tagger(len(labels))
    model.load_state_dict(_torch().load(os.environ.get("SPINLENS_CHECKPOINTS", "checkpoints") + f"/fold{fold+1}-of5-seed13-epochs4.pt"))
    model.eval()
    with tempfile.TemporaryDirectory() as tmp:
        export_int8(model, Path(tmp) / MODEL_FILE, settings.max_tokens)
        cfg = EncoderConfig(labels, settings.max_tokens, 0.5, [0.5] * len(labels), 0.3, 0.5)
        (Path(tmp) / CONFIG_FILE).write_text(json.dumps(cfg.to_dict()))
        enc = TechniqueEncoder(Path(tmp))
        encoded = {a.id: enc.encode(paragraphs(a.text)) for a in validation + held}
    lin_fit = fit_models(fitting, seed=seed)
    lin_train = fit_models(train, seed=seed)
    lin_out = {a.id: lin_fit.predict_techniques(a.text) for a in validation}
    lin_out.update({a.id: lin_train.predict_techniques(a.text) for a in held})
    with open(os.environ.get("SPINLENS_WORK", ".") + f"/fold{fold}.pkl", "wb") as fh:
        pickle.dump({"validation": [a.id for a in validation], "test": [a.id for a in held], "encoded": encoded,
                     "linear_out": lin_out, "lin_fit": lin_fit, "lin_train": lin_train}, fh)
    print(f"fold {fold+1} dumped in {time.time()-t0:.0f}s", flush=True)
