"""Paragraph-label stacker with article context, fitted on the validation sixth, scored on the fold."""
import os
import pickle, sys
from pathlib import Path
import numpy as np
from sklearn.linear_model import LogisticRegression
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.core.settings import TECHNIQUES
from spinlens.nlp.segment import paragraphs
from spinlens.models.technique_encoder import paragraph_probabilities, linear_matrix
from spinlens.train.semeval2023 import tune_thresholds, micro_f1

labels = list(TECHNIQUES); n = len(labels)
arts = {a.id: a for a in load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / Path("semeval2023-task3/en")).articles}

def gold_matrix(i):
    a = arts[i]; paras = paragraphs(a.text); ll = a.line_labels or {}
    return np.array([[lab in ll.get(p.line, []) for lab in labels] for p in paras], dtype=int).reshape(len(paras), n)

def mats(cfg, d, i):
    paras = paragraphs(arts[i].text)
    E = paragraph_probabilities(d["encoded"][i], len(paras), cfg.paragraph_weight)
    L = linear_matrix(d["linear_out"][i], labels)
    return E, L, paras

def feats(E, L, paras):
    m = len(paras)
    def shift(M, k):
        out = np.zeros_like(M)
        if k > 0: out[k:] = M[:-k]
        else: out[:k] = M[-k:]
        return out
    lg = lambda p: np.log(np.clip(p, 1e-4, 1 - 1e-4) / (1 - np.clip(p, 1e-4, 1 - 1e-4)))
    blocks = [lg(E), lg(L), shift(E, 1), shift(E, -1), np.repeat(E.max(0, keepdims=True), m, 0),
              np.repeat(E.mean(0, keepdims=True), m, 0), np.repeat(L.max(0, keepdims=True), m, 0),
              lg(E) * lg(L) / 4]
    X = np.stack(blocks, -1)  # (m, n, F)
    length = np.log1p(np.array([len(p.text) if hasattr(p, "text") else 0 for p in paras]))[:, None, None]
    X = np.concatenate([X, np.broadcast_to(length, (m, n, 1))], -1)
    onehot = np.broadcast_to(np.eye(n)[None], (m, n, n))
    return np.concatenate([X, onehot], -1).reshape(m * n, -1)

def fit_predict(train_ids, test_ids, cfg, d, C):
    Xtr = np.vstack([feats(*mats(cfg, d, i)) for i in train_ids]); ytr = np.concatenate([gold_matrix(i).ravel() for i in train_ids])
    clf = LogisticRegression(C=C, max_iter=2000).fit(Xtr, ytr)
    return [clf.predict_proba(feats(*mats(cfg, d, i)))[:, 1].reshape(-1, n) for i in test_ids]

allY, base_pred, stack_pred = [], [], {}
for fold in [int(x) for x in sys.argv[1:]] or range(5):
    d = pickle.load(open(os.environ.get("SPINLENS_WORK", ".") + f"/fold{fold}.pkl", "rb")); cfg = pickle.load(open(os.environ.get("SPINLENS_WORK", ".") + f"/cfg{fold}.pkl", "rb"))
    val, test = d["validation"], d["test"]
    Yv = np.vstack([gold_matrix(i) for i in val]); Yt = np.vstack([gold_matrix(i) for i in test])
    Bt = np.vstack([cfg.encoder_share * mats(cfg, d, i)[0] + (1 - cfg.encoder_share) * mats(cfg, d, i)[1] for i in test])
    base = micro_f1(Yt, np.asarray(cfg.thresholds) <= Bt)
    allY.append(Yt); base_pred.append(np.asarray(cfg.thresholds) <= Bt)
    rng = np.random.RandomState(13); order = rng.permutation(len(val)); parts = [[val[k] for k in order[j::3]] for j in range(3)]
    for C in (0.1, 1.0):
        oof = {}
        for j in range(3):
            tr = [x for k, p in enumerate(parts) if k != j for x in p]
            for i, P in zip(parts[j], fit_predict(tr, parts[j], cfg, d, C)): oof[i] = P
        th = tune_thresholds(Yv, np.vstack([oof[i] for i in val]))
        thg = np.full(n, 0.0)
        Pt = np.vstack(fit_predict(val, test, cfg, d, C))
        stack_pred.setdefault(C, []).append(th <= Pt)
        print(f"fold {fold+1} C={C}: base {base:.3f} stack {micro_f1(Yt, th <= Pt):.3f}", flush=True)
Y = np.vstack(allY)
print("POOLED base", round(micro_f1(Y, np.vstack(base_pred)), 4))
for C, ps in stack_pred.items(): print("POOLED stack C", C, round(micro_f1(Y, np.vstack(ps)), 4))
