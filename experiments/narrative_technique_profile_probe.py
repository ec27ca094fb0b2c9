"""Narratives that also read the article's persuasion profile, on the folds of `spinlens evaluate semeval2025`.

The narrative model's embedding heads (the "Other" head and one head per narrative, balanced logistic
regressions on the article embedding) read, besides the shipped article embedding, the article's technique
profile from the shipped SemEval-2023 linear models (trained on SemEval-2023 articles only, so they know nothing
of the narrative labels): per technique the mean and the max of the paragraph probabilities, the share of words
the span tagger marks, spans per 1,000 characters and the three genre probabilities, standardised over the
articles (no labels involved) and scaled by W. Everything else (TF-IDF heads, share, thresholds tuned on inner
folds) as `spinlens train semeval2025` does. Scores pooled over the held-out articles.

    python experiments/narrative_technique_profile_probe.py shipped profile@0.02 profile@0.05 ...
    SEED=1 python experiments/narrative_technique_profile_probe.py ...     (another draw of folds)
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np

import spinlens.train.semeval2025 as training
from narrative_embedding_probe import cross_validate, folds, report
from spinlens.models.store import load_semeval2023
from spinlens.nlp.embed import article_embeddings
from spinlens.train.embedding_cache import EmbeddingCache

CACHE = Path("/work/exp/narr16/profiles-sha1.npz")


def text_key(text: str) -> str:
    # Not hash(): it changes with each interpreter's PYTHONHASHSEED, so the cache missed on every later run.
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def technique_profile(texts: list[str]) -> np.ndarray:
    models = load_semeval2023()
    rows = []
    for text in texts:
        prediction = models.predict(text)
        labels = sorted(prediction.paragraphs[0].scores) if prediction.paragraphs else []
        scores = np.array([[p.scores[k] for k in labels] for p in prediction.paragraphs]) if labels else None
        techniques = models.predict_techniques(text)
        width = len(models.techniques)
        mean = scores.mean(0) if scores is not None else np.zeros(width)
        peak = scores.max(0) if scores is not None else np.zeros(width)
        marked = float((techniques.token_scores >= 0.5).mean()) if len(techniques.token_scores) else 0.0
        spans = 1000 * len(techniques.spans) / max(len(text), 1)
        genre = [prediction.genre_scores[g] for g in sorted(prediction.genre_scores)]
        rows.append(np.concatenate([mean, peak, [marked, spans], genre]))
    return np.array(rows, dtype=np.float64)


def main() -> None:
    data, docs, assignment, seed = folds()
    texts = [d.text for d in docs]
    if CACHE.is_file():
        cached = np.load(CACHE, allow_pickle=False)
        profiles = dict(zip(cached["texts_hash"].tolist(), cached["profiles"], strict=True))
    else:
        began = time.time()
        rows = technique_profile(texts)
        keys = [text_key(t) for t in texts]
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, texts_hash=np.array(keys), profiles=rows)
        profiles = dict(zip(keys, rows, strict=True))
        print(f"profiles of {len(texts)} articles in {time.time() - began:.0f} s", flush=True)
    matrix = np.array([profiles[text_key(t)] for t in texts])
    mu, sd = matrix.mean(0), matrix.std(0) + 1e-9

    for variant in sys.argv[1:]:
        began = time.time()
        name, _, weight = variant.partition("@")
        if name == "shipped":
            embed = article_embeddings
        else:
            w = float(weight)

            def embed(batch: list[str], w: float = w) -> np.ndarray:
                z = (np.array([profiles[text_key(t)] for t in batch]) - mu) / sd
                return np.hstack([article_embeddings(batch), w * z]).astype(np.float32)

        training.NARRATIVE_SHARES = (0.0, 0.2, 0.35, 0.5)
        training.embed_articles_cached = EmbeddingCache(embed)
        report(variant, cross_validate(variant, data, docs, assignment, seed=seed), began)


if __name__ == "__main__":
    main()
