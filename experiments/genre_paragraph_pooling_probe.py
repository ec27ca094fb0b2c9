"""Genre: does the embedding head gain from the paragraphs' maximum beside their mean? (round 26)

The default profile's genre head reads the mean of the article's (first 12) paragraph vectors. A satire
piece or a report may show its kind in one paragraph that the mean dilutes; the narrative heads gained
from reading each label's best paragraph (round 25). Here the genre head reads the mean and the
element-wise maximum of the paragraph vectors (768 numbers, no extra embedding cost); everything else is
the shipped recipe, share and offsets tuned on inner folds. Same folds and fitting as
`experiments/genre_repeated_cv.py` (seed 13 = the evaluation's folds).

    python experiments/genre_paragraph_pooling_probe.py mean 13
    python experiments/genre_paragraph_pooling_probe.py meanmax 13 1 2 3 4
    python experiments/genre_paragraph_pooling_probe.py mean32 13 1 2 3 4

``mean32`` reads the mean of the first 32 paragraphs, as many as the narrative heads read since round 26.
"""
import os, sys
from pathlib import Path

import numpy as np
from genre_folds import report_genre

import spinlens.train.semeval2023 as training
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.nlp.embed import ARTICLE_PARAGRAPHS, article_paragraph_vectors

variant = sys.argv[1]
articles = sorted(load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles, key=lambda a: a.id)
paragraphs = article_paragraph_vectors([a.text for a in articles])  # the first 32 (PARAGRAPHS_READ)
if variant != "mean32":
    paragraphs = paragraphs.first(ARTICLE_PARAGRAPHS)


def pooled(p: np.ndarray) -> np.ndarray:
    if not len(p):
        return np.zeros(768 if variant == "meanmax" else 384, dtype=np.float32)
    mean = p.mean(axis=0)
    mean = mean / (np.linalg.norm(mean) or 1.0)
    if variant in ("mean", "mean32"):
        return mean
    return np.concatenate([mean, p.max(axis=0)])


vectors = {a.id: pooled(p) for a, p in zip(articles, paragraphs.per_article)}
assert variant != "mean" or np.allclose(np.array([vectors[a.id] for a in articles]), paragraphs.pooled(), atol=1e-6)
training.embed_articles_cached = lambda texts: np.array([vectors[by_text[t]] for t in texts])
by_text = {a.text: a.id for a in articles}

report_genre(variant, articles, vectors, [int(s) for s in sys.argv[2:]])
