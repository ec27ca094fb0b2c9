"""Narratives: the TF-IDF heads also read the article's most telling passage (round 29).

A narrative is often pushed in a few sentences of a long article, and the article's TF-IDF vector dilutes
them among everything else. Here each narrative and sub-narrative head is also applied to every window of
WINDOW consecutive sentences (stride STRIDE), and the head's logit becomes ``(1 - m) * article + m * max over
windows``; the "Other" and domain heads read the article as shipped. ``m`` is fixed per variant (``max=0.25``,
``max=0.5``); thresholds and the embedding share are tuned on inner folds as `spinlens train semeval2025`
does. A head is linear, so the window scores need no new weights: only the decision reads them.

    python experiments/narrative_window_max_probe.py shipped max=0.25 max=0.5
    SEED=1 python experiments/narrative_window_max_probe.py max=0.25
"""

from __future__ import annotations

import os
import sys

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.models.semeval2025 as models
from spinlens.models.arrays import sigmoid

WINDOW = int(os.environ.get("WINDOW", "4"))
STRIDE = int(os.environ.get("STRIDE", "2"))
shipped_scores = models.NarrativeModel.scores
SHARE = 0.0


def windows(text: str) -> list[str]:
    sentences = [s.text for s in models.article_sentences(text)]
    if len(sentences) <= WINDOW:
        return [" ".join(sentences) or text]
    return [" ".join(sentences[i : i + WINDOW]) for i in range(0, len(sentences) - WINDOW + 1, STRIDE)]


def window_max(heads, encoder, texts) -> np.ndarray:
    per_text = [windows(t) for t in texts]
    flat = [w for ws in per_text for w in ws]
    logits = heads.decision(encoder.transform(flat))
    out, k = np.zeros((len(texts), logits.shape[1])), 0
    for i, ws in enumerate(per_text):
        out[i] = logits[k : k + len(ws)].max(axis=0)
        k += len(ws)
    return out


def scores(self, texts, vectors=None):
    if SHARE == 0.0:
        return shipped_scores(self, texts, vectors)
    X = self.encoder.transform(texts)
    mixed = {}
    for name in ("narratives", "subnarratives"):
        heads = getattr(self, name)
        mixed[name] = sigmoid(
            (1 - SHARE) * heads.decision(X) + SHARE * window_max(heads, self.encoder, texts)
        )
    plain = models.NarrativeScores(
        other=self.other.probabilities(X)[:, 0],
        climate=self.climate.probabilities(X)[:, 0],
        narratives=mixed["narratives"],
        subnarratives=mixed["subnarratives"],
    )
    if vectors is None or self.embedded is None:
        return plain
    return self.embedded.mix(plain, vectors)


models.NarrativeModel.scores = scores


def use_variant(variant: str) -> None:
    global SHARE
    SHARE = float(variant.removeprefix("max=")) if variant.startswith("max=") else 0.0


def main() -> None:
    run_variants(sys.argv[1:], use_variant, f", window {WINDOW} sentences, stride {STRIDE}")


if __name__ == "__main__":
    main()
