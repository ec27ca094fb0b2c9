"""Helpers shared by the probes that decode each fold's held-out articles through the runtime.

Imported by `technique_refit_probe.py` and `technique_soup_probe.py` (run them from the repository root as
`python experiments/NAME.py`, which puts this folder on the import path).
"""
import os
from pathlib import Path

from spinlens.core.settings import TECHNIQUES
from spinlens.datasets.semeval2023 import Semeval2023Labels, TechniqueSpan, load_dataset
from spinlens.evaluate.semeval2023 import score_labels
from spinlens.models import tfidf
from spinlens.nlp.segment import paragraphs
from spinlens.train.semeval2023 import article_folds

WORK = os.environ.get("SPINLENS_WORK", ".")
labels = list(TECHNIQUES)
articles = sorted(load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles, key=lambda a: a.id)
arts = {a.id: a for a in articles}
fold_of = article_folds([a.id for a in articles], 5, 13)


def _setstate(self, state):
    # Fold dumps pickled before round 7 hold TF-IDF encoders with scikit-learn vectorisers inside: rebuild them.
    self.__dict__.update(state)
    if "vocabulary" not in state:
        tfidf.TfidfEncoder.__init__(self, state["params"], state["terms"], state["idf"])


tfidf.TfidfEncoder.__setstate__ = _setstate


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


class Tally:
    """Each variant's predictions pooled over the folds; prints per-fold scores as they come and pooled ones at the end."""

    def __init__(self):
        self.pooled, self.gold = {}, Semeval2023Labels()

    def add(self, fold, name, ids, predicted):
        truth = gold(ids)
        s = score_labels(truth, predicted)
        pooled = self.pooled.setdefault(name, Semeval2023Labels())
        pooled.lines.update(predicted.lines); pooled.spans.update(predicted.spans)
        self.gold.lines.update(truth.lines); self.gold.spans.update(truth.spans)
        print(f"fold {fold + 1} {name:9s} para {s['paragraph_micro_f1']:.3f} any {s['span_any_f1']:.3f} "
              f"tech {s['span_technique_f1']:.3f}", flush=True)

    def report(self):
        for name, predicted in self.pooled.items():
            s = score_labels(self.gold, predicted)
            print(f"POOLED {name:9s} para {s['paragraph_micro_f1']:.4f} any {s['span_any_f1']:.4f} "
                  f"tech {s['span_technique_f1']:.4f}")
