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

from spinlens.core.settings import TECHNIQUES
from spinlens.datasets.semeval2023 import Semeval2023Labels, TechniqueSpan, load_dataset
from spinlens.evaluate.semeval2023 import score_labels
from spinlens.models.technique_encoder import TechniqueEncoder, tokenizer
from spinlens.nlp.segment import paragraphs
from spinlens.train.semeval2023 import article_folds
from spinlens.train.technique_encoder import (
    CONFIG_FILE, MODEL_FILE, FineTuneSettings, _torch, article_examples, build_tagger, export_int8, fine_tune)

WORK = os.environ.get("SPINLENS_WORK", ".")
CHECKPOINTS = Path(os.environ.get("SPINLENS_CHECKPOINTS", "checkpoints"))
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



# The fold dumps pickled TF-IDF encoders from before round 7 (scikit-learn vectorisers inside): rebuild them.
from spinlens.models import tfidf


def _setstate(self, state):
    self.__dict__.update(state)
    if "vocabulary" not in state:
        tfidf.TfidfEncoder.__init__(self, state["params"], state["terms"], state["idf"])


tfidf.TfidfEncoder.__setstate__ = _setstate

settings = FineTuneSettings()
WEIGHTS = [float(w) for w in os.environ.get("SOUP_WEIGHTS", "0.5").split(",")]
names = ["refit"] + [f"soup{w:g}" for w in WEIGHTS]
pooled = {n: Semeval2023Labels() for n in names}
G = Semeval2023Labels()


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
        s = score_labels(gold(test), p)
        pooled[name].lines.update(p.lines); pooled[name].spans.update(p.spans)
        print(f"fold {fold + 1} {name:9s} para {s['paragraph_micro_f1']:.3f} any {s['span_any_f1']:.3f} "
              f"tech {s['span_technique_f1']:.3f}", flush=True)
    G.lines.update(gold(test).lines); G.spans.update(gold(test).spans)
    print(f"fold {fold + 1} done in {time.time() - began:.0f} s", flush=True)
for name, P in pooled.items():
    s = score_labels(G, P)
    print(f"POOLED {name:9s} para {s['paragraph_micro_f1']:.4f} any {s['span_any_f1']:.4f} tech {s['span_technique_f1']:.4f}")
