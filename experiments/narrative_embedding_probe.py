"""Narratives with other article embeddings, on the folds of `spinlens evaluate semeval2025`.

Each variant replaces the article embedding that the narrative model's embedding heads read
(and nothing else); the TF-IDF heads, the share and the thresholds are fitted and tuned on the
training part of each fold exactly as `spinlens train semeval2025` does. Scores pooled over
the held-out articles, as the evaluation reports them.

    python experiments/narrative_embedding_probe.py shipped all128 sent [...]
    SEED=1 python experiments/narrative_embedding_probe.py shipped      (another draw of folds)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.evaluate.semeval2025 import _narrative_scores
from spinlens.models.semeval2025 import OTHER, split_sentences
from spinlens.nlp.embed import article_embeddings, sentence_encoder
from spinlens.nlp.segment import paragraphs
from spinlens.train.embedding_cache import EmbeddingCache

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN"


def mean_of(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def pieces_embedding(pieces_of, tokens: int, pool: str = "mean"):
    def embed(texts):
        pieces = [pieces_of(t) or [t] for t in texts]
        flat = [p for ps in pieces for p in ps]
        vectors = sentence_encoder(tokens).encode(flat)
        out, begin = [], 0
        for ps in pieces:
            block = vectors[begin : begin + len(ps)]
            if pool == "meanmax":
                out.append(np.concatenate([mean_of(block), block.max(axis=0)]))
            else:
                out.append(mean_of(block))
            begin += len(ps)
        return np.array(out, dtype=np.float32)

    return embed


VARIANTS = {
    "shipped": article_embeddings,
    "all128": pieces_embedding(lambda t: [p.text for p in paragraphs(t)], 128),
    "first12_128": pieces_embedding(lambda t: [p.text for p in paragraphs(t)][:12], 128),
    "all128_meanmax": pieces_embedding(lambda t: [p.text for p in paragraphs(t)], 128, "meanmax"),
    "first12_64_meanmax": pieces_embedding(lambda t: [p.text for p in paragraphs(t)][:12], 64, "meanmax"),
    "sent": pieces_embedding(lambda t: [s.text for s in split_sentences(t)][:60], 64),
}


def run(variant: str, data, docs, assignment, folds: int = 5, seed: int = 13) -> dict[str, float]:
    if variant.endswith("+wide"):
        variant = variant[: -len("+wide")]
        training.NARRATIVE_SHARES = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8)
    else:
        training.NARRATIVE_SHARES = (0.0, 0.2, 0.35, 0.5)
    import spinlens.models.semeval2025 as models

    variant, _, c = variant.partition("@C")
    models.NARRATIVE_EMBEDDED_C = float(c or 1.0)
    training.embed_articles_cached = EmbeddingCache(VARIANTS[variant])
    return cross_validate(variant, data, docs, assignment, folds, seed)


def cross_validate(name: str, data, docs, assignment, folds: int = 5, seed: int = 13) -> dict[str, float]:
    """Fit and tune on each fold's training part as shipped; score the held-out articles, pooled."""
    coarse, fine, gold, other_right = [], [], [], 0
    for fold in range(folds):
        train = [d for d, f in zip(docs, assignment, strict=True) if f != fold]
        test = [d for d, f in zip(docs, assignment, strict=True) if f == fold and d.narratives]
        model, card = training.fit_narrative_model(train, data.taxonomy, seed)
        texts = [d.text for d in test]
        predictions = model.predict(texts, training.embed_articles_cached(texts))
        coarse += [p.narrative_labels for p in predictions]
        fine += [p.subnarrative_labels for p in predictions]
        gold += test
        pairs = zip(test, predictions, strict=True)
        other_right += sum(p.is_other == (set(d.narratives) == {OTHER}) for d, p in pairs)
        print(f"  {name} fold {fold + 1}: share {card['embedding_share']}", flush=True)
    scores = _narrative_scores(gold, coarse, fine)
    scores["other_right"] = other_right / len(gold)
    return scores


def folds():
    """The evaluation's documents and fold assignment; ``SEED=S`` draws other folds (repeated CV)."""
    data = load_semeval2025(DATA)
    docs = [d for d in data.documents if d.narratives or d.mentions]
    seed = int(os.environ.get("SEED", "13"))
    assignment = training.document_folds([training.document_stratum(d) for d in docs], 5, seed)
    return data, docs, assignment, seed


def report(variant: str, s: dict[str, float], began: float, extra: str = "") -> None:
    print(
        f"{variant}: coarse {s['narratives_f1_coarse']:.3f} fine {s['narratives_f1_fine']:.3f} "
        f"other-right {s['other_right']:.3f}{extra} ({time.time() - began:.0f} s)",
        flush=True,
    )


def main() -> None:
    data, docs, assignment, seed = folds()
    for variant in sys.argv[1:]:
        began = time.time()
        report(variant, run(variant, data, docs, assignment, seed=seed), began)


if __name__ == "__main__":
    main()
