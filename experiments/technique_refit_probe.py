"""Refit on every training article: does the encoder gain from the validation sixth's articles?

The shipped recipe fine-tunes on five sixths of the training articles and tunes thresholds and mixing
on the last sixth. This probe fine-tunes each fold's encoder on all of the fold's training articles
(same settings and seed) and decodes the held-out fold with the config the fold's shipped-recipe model
chose on its validation sixth (the cfg{N}.pkl of technique_decoding_variants.py), so no choice sees the
held-out articles. Printed beside the shipped recipe's figures from the same dumps.

    SPINLENS_WORK=OUT SPINLENS_REFIT=DIR python experiments/technique_refit_probe.py 0 1 2 3 4
    (after technique_dump_folds.py and technique_decoding_variants.py; about 15 min of fine-tuning per fold)
"""
import json, os, pickle, sys, tempfile, time
from pathlib import Path

from fold_decoding import WORK, Tally, articles, fold_of, labels, predict
from spinlens.models.technique_encoder import TechniqueEncoder, tokenizer
from spinlens.train.technique_encoder import (
    CONFIG_FILE, MODEL_FILE, FineTuneSettings, _torch, article_examples, build_tagger, export_int8, fine_tune)

REFIT = Path(os.environ.get("SPINLENS_REFIT", "refit"))

settings = FineTuneSettings()
REFIT.mkdir(parents=True, exist_ok=True)
tally = Tally()
for fold in [int(x) for x in sys.argv[1:]] or range(5):
    began = time.time()
    d = pickle.load(open(f"{WORK}/fold{fold}.pkl", "rb"))
    cfg = pickle.load(open(f"{WORK}/cfg{fold}.pkl", "rb"))
    test = d["test"]
    train = [a for a, f in zip(articles, fold_of) if f != fold and a.has_techniques]
    checkpoint = REFIT / f"fold{fold + 1}-all-seed13-epochs{settings.epochs}.pt"
    if checkpoint.is_file():
        model = build_tagger(len(labels)); model.load_state_dict(_torch().load(str(checkpoint))); model.eval()
    else:
        tok = tokenizer()
        examples = [e for a in train for e in article_examples(a, tok, labels, settings.max_tokens)]
        print(f"fold {fold + 1}: fine-tuning on {len(train)} articles ({len(examples)} chunks)", flush=True)
        model = fine_tune(examples, len(labels), settings, 13)
        _torch().save(model.state_dict(), str(checkpoint))
    with tempfile.TemporaryDirectory() as tmp:
        export_int8(model, Path(tmp) / MODEL_FILE, settings.max_tokens)
        (Path(tmp) / CONFIG_FILE).write_text(json.dumps(cfg.to_dict()))
        runs = {"refit": predict(TechniqueEncoder(Path(tmp)), None, d["linear_out"], d["lin_train"], test)}
        runs["shipped"] = predict(TechniqueEncoder(Path(tmp)), d["encoded"], d["linear_out"], d["lin_train"], test)
    for name in ("shipped", "refit"):
        tally.add(fold, name, test, runs[name])
    print(f"fold {fold + 1} done in {time.time() - began:.0f} s", flush=True)
tally.report()
