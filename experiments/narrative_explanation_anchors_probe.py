"""Round 25: anchors for the narrative embedding heads are the label descriptions plus, per narrative, the mean
embedding of the training articles' explanations (subtask 3; held-out articles' explanations never read).

    python experiments/narrative_explanation_anchors_probe.py w=1        (about 2 min; SEED=1 for another draw)
"""
from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import narrative_label_closeness_probe as P

import spinlens.train.semeval2025 as T
from spinlens.nlp.embed import article_encoder

DATA = Path("../shared/data/semeval2025-task10/EN")
EXPL = {}
for line in (DATA / "subtask-3-annotations.txt").read_text(encoding="utf-8").splitlines():
    file, narrative, _sub, text = line.split("\t", 3)
    EXPL[file.removesuffix(".txt")] = (narrative, text)

from spinlens.datasets.semeval2025 import load_semeval2025

TEXT2ID = {d.text: d.id for d in load_semeval2025(DATA).documents}
seen_texts: list[str] = []
orig_cache = T.embed_paragraphs_cached
def cache(texts):
    seen_texts[:] = list(texts)
    return orig_cache(texts)
T.embed_paragraphs_cached = cache
orig_anchors = P.with_anchors
MODE = os.environ.get("MODE", "centroid")
def anchors(model):
    base = orig_anchors(model)
    groups = defaultdict(list)
    for t in seen_texts:
        i = TEXT2ID.get(t)
        if i in EXPL:
            groups[EXPL[i][0]].append(EXPL[i][1])
    extra = []
    for narrative in sorted(groups):
        vecs = article_encoder().encode(groups[narrative]) if MODE == "centroid" else None
        c = vecs.mean(axis=0); c /= np.linalg.norm(c)
        extra.append(c)
    return np.vstack([base, np.array(extra, dtype=np.float32)])
P.with_anchors = anchors
if __name__ == "__main__":
    P.main()
