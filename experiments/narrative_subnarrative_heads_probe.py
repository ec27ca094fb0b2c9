"""Round 25: sub-narrative embedding heads on the narrative embedding heads' columns (the mean paragraph vector
and the label closeness), mixed into the TF-IDF sub-narrative heads at the narratives' share (`same`) or at a
fixed share (a number), every threshold tuned again on inner folds; scored on the folds of
`spinlens evaluate semeval2025` (seed 13; `SEED=S` for other draws).

    PARAGRAPHS=12 python experiments/narrative_subnarrative_heads_probe.py same 0.3   (about 5 min per variant;
    PARAGRAPHS=12 is round 25's model, on which the documented figures were run)
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import spinlens.train.semeval2025 as T
from spinlens.models.semeval2025 import NARRATIVE_EMBEDDED_C, fit_binary_heads
from spinlens.train.embedding_cache import embed_paragraphs_cached

sys.path.insert(0, str(Path(__file__).resolve().parent))
import narrative_label_closeness_probe as P

MODE = "same"  # or a float sub share

def mixed(scores, other, narr, subs, share, sub_share):
    out = scores.mixed_with(other, narr, share)
    if sub_share:
        out.subnarratives = (1 - sub_share) * scores.subnarratives + sub_share * subs
    return out

def fit_narrative_model(docs, taxonomy, seed, progress=None):
    docs = [d for d in docs if d.narratives]
    probe = T._fit_narratives_plain(docs[:2], taxonomy, seed)
    labels = probe.narratives.labels
    sub_labels = probe.subnarratives.labels
    vectors = embed_paragraphs_cached([d.text for d in docs])
    anchors = T.label_anchors(probe)
    Ys = np.array([[s in d.subnarratives for s in sub_labels] for d in docs], dtype=int)
    scores = T.inner_fold_scores(docs, taxonomy, seed, vectors, anchors)
    oof, oo, on = scores.tfidf, scores.embedded_other, scores.embedded
    # The sub-narrative heads read the embedding heads' columns, fitted again on each inner fold.
    os_ = np.zeros((len(docs), len(sub_labels)))
    assignment = T.document_folds([T.document_stratum(d) for d in docs], T.INNER_FOLDS, seed)
    for tr, te in T.inner_splits(assignment):
        heads = T._fit_embedded_heads([docs[i] for i in tr], vectors.rows(tr), labels, anchors, seed)
        Xtr, Xte = heads.inputs(vectors.rows(tr)), heads.inputs(vectors.rows(te))
        subs = fit_binary_heads(Xtr, Ys[tr], sub_labels, C=NARRATIVE_EMBEDDED_C, seed=seed, dual=False)
        os_[te] = subs.probabilities(Xte)
    gold_n, gold_s = [d.narratives for d in docs], [d.subnarratives for d in docs]
    tuned = {}
    for share in T.NARRATIVE_SHARES:
        ss = share if MODE == "same" else float(MODE)
        tuned[share] = T.tune_thresholds(probe, mixed(oof, oo, on, os_, share, ss), gold_n, gold_s)
    best = max(T.NARRATIVE_SHARES, key=lambda w: (round(tuned[w][1], 9), -w))
    model = T._fit_narratives_plain(docs, taxonomy, seed, tuned[0.0][0])
    model.embedded = T._fit_embedded_heads(docs, vectors, labels, anchors, seed)
    model.embedded.share, model.embedded.thresholds = best, tuned[best][0]
    X = model.embedded.inputs(vectors)
    subs = fit_binary_heads(X, Ys, sub_labels, C=NARRATIVE_EMBEDDED_C, seed=seed, dual=False)
    ss = best if MODE == "same" else float(MODE)
    orig_mix = model.embedded.mix
    def mix(scores, vecs, heads=model.embedded):
        Xv = heads.inputs(vecs)
        return mixed(scores, heads.other.probabilities(Xv)[:, 0], heads.narratives.probabilities(Xv), subs.probabilities(Xv), heads.share, ss)
    object.__setattr__(model.embedded, "mix", mix)
    return model, {"embedding_share": best}

if __name__ == "__main__":
    for mode in sys.argv[1:]:
        MODE = mode
        T.fit_narrative_model = fit_narrative_model
        sys.argv = ["x", "w=1"]
        print("MODE", mode, flush=True)
        P.main()
