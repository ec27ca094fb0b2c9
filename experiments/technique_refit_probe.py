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

from spinlens.core.settings import TECHNIQUES
from spinlens.datasets.semeval2023 import Semeval2023Labels, TechniqueSpan, load_dataset
from spinlens.evaluate.semeval2023 import score_labels
from spinlens.models.technique_encoder import TechniqueEncoder, tokenizer
from spinlens.nlp.segment import paragraphs
from spinlens.train.semeval2023 import article_folds
from spinlens.train.technique_encoder import (
    CONFIG_FILE, MODEL_FILE, FineTuneSettings, _torch, article_examples, build_tagger, export_int8, fine_tune)

WORK = os.environ.get("SPINLENS_WORK", ".")
REFIT = Path(os.environ.get("SPINLENS_REFIT", "refit"))
labels = list(TECHNIQUES)
articles = sorted(load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles, key=lambda a: a.id)
arts = {a.id: a for a in articles}
fold_of = article_folds([a.id for a in articles], 5, 13)


def predict(encoder, enc, lin_out, lin_model, ids):
    """Through the runtime's own decoding (``TechniqueEncoder.predict_techniques``), given each article's
    encoder outputs (``enc``; None to run ``encoder``) and the linear models' output."""
    lines, spans = {}, {}
    for i in ids:
        text = arts[i].text
        paras = paragraphs(text)
        if enc is not None:
            encoder.encode = lambda _paras, _e=enc[i]: _e
        out = encoder.predict_techniques(
            text, paras, lin_out[i], lambda offsets, probs: lin_model.name_spans(text, paras, offsets, probs))
        lines[i] = {p.line: sorted(p.labels) for p in out.paragraphs}
        spans[i] = sorted({TechniqueSpan(s.start, s.end, s.technique) for s in out.spans})
    return Semeval2023Labels(lines=lines, spans=spans)


def gold(ids):
    return Semeval2023Labels(lines={i: dict(arts[i].line_labels or {}) for i in ids},
                             spans={i: list(arts[i].spans or []) for i in ids})


settings = FineTuneSettings()
REFIT.mkdir(parents=True, exist_ok=True)
pooled = {"shipped": Semeval2023Labels(), "refit": Semeval2023Labels()}
G = Semeval2023Labels()
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
        p = runs[name]
        s = score_labels(gold(test), p)
        pooled[name].lines.update(p.lines); pooled[name].spans.update(p.spans)
        print(f"fold {fold + 1} {name:8s} para {s['paragraph_micro_f1']:.3f} any {s['span_any_f1']:.3f} "
              f"tech {s['span_technique_f1']:.3f}", flush=True)
    G.lines.update(gold(test).lines); G.spans.update(gold(test).spans)
    print(f"fold {fold + 1} done in {time.time() - began:.0f} s", flush=True)
for name, P in pooled.items():
    s = score_labels(G, P)
    print(f"POOLED {name:8s} para {s['paragraph_micro_f1']:.4f} any {s['span_any_f1']:.4f} tech {s['span_technique_f1']:.4f}")
