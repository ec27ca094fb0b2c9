"""Per-technique encoder share in the paragraph mix, chosen on the validation sixth, scored on held-out folds.

The shipped mix gives every technique the same encoder share; the per-technique table shows the linear
models alone ahead on several rarer techniques. Here each technique gets its own share (0-1) and threshold by
coordinate ascent on paragraph micro-F1 of the validation sixth, starting from the shipped config.

    SPINLENS_WORK=OUT python experiments/technique_per_label_share.py   (after the fold dumps of technique_dump_folds.py)
"""
import os, pickle, sys
from pathlib import Path
import numpy as np
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.core.settings import TECHNIQUES
from spinlens.nlp.segment import paragraphs
from spinlens.models.technique_encoder import paragraph_probabilities, linear_matrix

labels = list(TECHNIQUES)
WORK = os.environ.get("SPINLENS_WORK", ".")
arts = {a.id: a for a in load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles}
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
GRID = [round(x, 3) for x in np.arange(0.05, 0.96, 0.025)]


def parts(cfg, enc, lin_out, ids):
    E, L, G = [], [], []
    for i in ids:
        a = arts[i]; paras = paragraphs(a.text)
        e = paragraph_probabilities(enc[i], len(paras), cfg.paragraph_weight)
        lin = linear_matrix(lin_out[i], labels)
        gold = a.line_labels or {}
        for pi, p in enumerate(paras):
            if p.line in gold:
                E.append(e[pi]); L.append(lin[pi]); G.append([l in gold[p.line] for l in labels])
    return np.array(E), np.array(L), np.array(G, dtype=bool)


def counts(pred, gold):
    return np.array([(pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()])


def micro(c):
    return 2 * c[0] / max(2 * c[0] + c[1] + c[2], 1)


def tune(E, L, G, shares, th, rounds=2):
    shares, th = np.array(shares, float), np.array(th, float)
    per = np.array([counts((s * E[:, j] + (1 - s) * L[:, j]) >= t, G[:, j]) for j, (s, t) in enumerate(zip(shares, th))])
    for _ in range(rounds):
        for j in range(len(labels)):
            if th[j] > 1.0:
                continue
            rest = per.sum(0) - per[j]
            best = (micro(rest + per[j]), shares[j], th[j], per[j])
            for s in SHARES:
                P = s * E[:, j] + (1 - s) * L[:, j]
                for t in GRID:
                    c = counts(P >= t, G[:, j])
                    score = micro(rest + c)
                    if score > best[0] + 1e-9:
                        best = (score, s, t, c)
            _, shares[j], th[j], per[j] = best
    return shares, th


def predict(E, L, shares, th):
    return (shares * E + (1 - shares) * L) >= th


tot = {"shipped": np.zeros(3), "per-technique share": np.zeros(3), "per-technique share, 1 round": np.zeros(3)}
macro = {k: [] for k in tot}
for fold in [int(x) for x in sys.argv[1:]] or range(5):
    d = pickle.load(open(f"{WORK}/fold{fold}.pkl", "rb"))
    cfg = pickle.load(open(f"{WORK}/cfg{fold}.pkl", "rb"))
    Ev, Lv, Gv = parts(cfg, d["encoded"], d["linear_out"], d["validation"])
    Et, Lt, Gt = parts(cfg, d["encoded"], d["linear_out"], d["test"])
    base_shares = np.full(len(labels), cfg.encoder_share)
    variants = {
        "shipped": (base_shares, np.array(cfg.thresholds)),
        "per-technique share": tune(Ev, Lv, Gv, base_shares, cfg.thresholds),
        "per-technique share, 1 round": tune(Ev, Lv, Gv, base_shares, cfg.thresholds, rounds=1),
    }
    for name, (s, t) in variants.items():
        c = counts(predict(Et, Lt, s, t), Gt)
        tot[name] += c
        per_label = [micro(counts(predict(Et, Lt, s, t)[:, j], Gt[:, j])) for j in range(len(labels)) if Gt[:, j].any()]
        print(f"fold {fold + 1} {name:30s} val {micro(counts(predict(Ev, Lv, s, t), Gv)):.3f} test {micro(c):.3f}"
              f"  shares {np.round(s, 2).tolist() if name != 'shipped' else cfg.encoder_share}", flush=True)
for name, c in tot.items():
    print(f"pooled {name:30s} {micro(c):.3f}")
