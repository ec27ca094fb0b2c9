"""Decoding variants on dumped folds: tuned on the validation sixth, scored on the held-out fold."""
import os
import pickle, sys, itertools
from pathlib import Path
import numpy as np
from spinlens.datasets.semeval2023 import load_dataset, Semeval2023Labels, TechniqueSpan
from spinlens.core.settings import TECHNIQUES
from spinlens.nlp.segment import paragraphs
from spinlens.train.technique_encoder import tune_config
from spinlens.models.technique_encoder import (paragraph_probabilities, linear_matrix, mix_linear_tokens,
    decode_spans, span_label_scores)
from spinlens.evaluate.semeval2023 import score_labels

labels = list(TECHNIQUES)
arts = {a.id: a for a in load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / Path("semeval2023-task3/en")).articles}

class Stub:
    def __init__(self, enc, ids): self.it = iter([enc[i] for i in ids])
    def encode(self, paras): return next(self.it)

def predict(cfg, enc, lin_out, lin_model, ids, gap=0, second=None, para_union=False):
    lines, spans = {}, {}
    for i in ids:
        a = arts[i]; paras = paragraphs(a.text); e = enc[i]
        probs = paragraph_probabilities(e, len(paras), cfg.paragraph_weight)
        if cfg.encoder_share < 1.0:
            probs = cfg.encoder_share * probs + (1 - cfg.encoder_share) * linear_matrix(lin_out[i], labels)
        th = np.asarray(cfg.thresholds)
        if cfg.span_linear_share > 0: e = mix_linear_tokens(e, lin_out[i], cfg.span_linear_share)
        runs = decode_spans(e, labels, cfg.span_low, cfg.span_high)
        if gap:
            merged = []
            for r in runs:
                if merged and merged[-1][0] == r[0] and r[1] - merged[-1][2] - 1 <= gap:
                    c, f, _, _, pk = merged[-1]
                    probs_c = e.token_probs[c]
                    merged[-1] = (c, f, r[2], probs_c[f:r[2] + 1, :len(labels)].mean(0), max(pk, r[4]))
                else:
                    merged.append(r)
            runs = merged
        offs = [(e.chunks[c].offsets[f][0], e.chunks[c].offsets[t][1]) for c, f, t, _, _ in runs]
        names = lin_model.name_spans(a.text, paras, offs, probs) if runs and cfg.span_label_linear_share > 0 else None
        out = set()
        extra_para = {}
        for k, (c, f, t, mean, _) in enumerate(runs):
            s = span_label_scores(mean, probs[e.chunks[c].paragraph], cfg.span_label_encoder_share,
                                  None if names is None else names[k], cfg.span_label_linear_share)
            top = s.max(); js = [int(s.argmax())]
            if second is not None:
                js += [j for j in np.argsort(-s)[1:3] if s[j] >= second * top]
            for j in js:
                out.add(TechniqueSpan(offs[k][0], offs[k][1], labels[j]))
                extra_para.setdefault(e.chunks[c].paragraph, set()).add(labels[j])
        spans[i] = sorted(out)
        ll = {}
        for pi, p in enumerate(paras):
            chosen = {labels[j] for j in range(len(labels)) if probs[pi, j] >= th[j]}
            if para_union: chosen |= extra_para.get(pi, set())
            ll[p.line] = sorted(chosen)
        lines[i] = ll
    return Semeval2023Labels(lines=lines, spans=spans)

def gold(ids):
    return Semeval2023Labels(lines={i: dict(arts[i].line_labels or {}) for i in ids},
                             spans={i: list(arts[i].spans or []) for i in ids})

VARIANTS = [dict()] + [dict(gap=g) for g in (1, 2, 4)] + [dict(second=r) for r in (0.9, 0.75, 0.6, 0.5)] + [dict(para_union=True)]
pool = {}
G = Semeval2023Labels()
for fold in [int(x) for x in sys.argv[1:]] or range(5):
    d = pickle.load(open(os.environ.get("SPINLENS_WORK", ".") + f"/fold{fold}.pkl", "rb"))
    val, test, enc = d["validation"], d["test"], d["encoded"]
    cfg, met = tune_config(Stub(enc, val), [arts[i] for i in val], labels, 128, d["linear_out"], d["lin_fit"])
    print("fold", fold + 1, met, flush=True)
    pickle.dump(cfg, open(os.environ.get("SPINLENS_WORK", ".") + f"/cfg{fold}.pkl", "wb"))
    for v in VARIANTS:
        sv = score_labels(gold(val), predict(cfg, enc, d["linear_out"], d["lin_fit"], val, **v))
        st = score_labels(gold(test), predict(cfg, enc, d["linear_out"], d["lin_train"], test, **v))
        key = str(v)
        print(f"  {key:22s} val para {sv['paragraph_micro_f1']:.3f} any {sv['span_any_f1']:.3f} tech {sv['span_technique_f1']:.3f} | test para {st['paragraph_micro_f1']:.3f} any {st['span_any_f1']:.3f} tech {st['span_technique_f1']:.3f}", flush=True)
        p = predict(cfg, enc, d["linear_out"], d["lin_train"], test, **v)
        P = pool.setdefault(key, Semeval2023Labels()); P.lines.update(p.lines); P.spans.update(p.spans)
    G.lines.update(gold(test).lines); G.spans.update(gold(test).spans)
for key, P in pool.items():
    s = score_labels(G, P)
    print(f"POOLED {key:22s} para {s['paragraph_micro_f1']:.4f} any {s['span_any_f1']:.4f} tech {s['span_technique_f1']:.4f}")
