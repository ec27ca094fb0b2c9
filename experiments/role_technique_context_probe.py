"""Roles: the role heads also read which persuasion techniques the encoder finds around the mention (round 33).

Who is cast as the villain is often said with loaded words and name calling ("the Kiev regime", "climate
zealots"), and who as the hero with flag waving or appeals to values; the mention's words say this only for
words seen in training. The default profile already runs the fine-tuned technique encoder over every paragraph
(trained on SemEval-2023 spans, self-trained on these articles' text without any of their labels), so its word
piece probabilities would come free at analysis time. Each mention's features also name every technique whose
strongest word piece reaches 0.3 (`lo`) and 0.6 (`hi`) in the mention itself (`tm=`), in six words either side
(`tw=`) and in its sentence (`ts=`); the rest of `spinlens evaluate semeval2025` as shipped, both role heads
reading them (`VARIANT=shipped` runs the recipe as shipped, through the same script).

    python experiments/role_technique_context_probe.py        (about 10 min)
"""

import hashlib
import os
import sys

import numpy as np

import spinlens.train.semeval2025 as training
from spinlens.models.semeval2025 import mention_features, mention_span
from spinlens.models.technique_encoder import TechniqueEncoder
from spinlens.nlp.segment import paragraphs

DATA = os.environ.get("SPINLENS_DATA", "../shared/data")
LEVELS = ((0.3, "lo"), (0.6, "hi"))
WINDOW = 6
_encoder = None
_cache: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}


def token_table(text: str):
    """Every word piece of the article: (starts, ends, probabilities), and the label names."""
    global _encoder
    key = hashlib.sha1(text.encode()).hexdigest()
    if key not in _cache:
        if _encoder is None:
            _encoder = TechniqueEncoder(threads=1)
        encoded = _encoder.encode(paragraphs(text))
        starts, ends, probs = [], [], []
        for chunk, p in zip(encoded.chunks, encoded.token_probs):
            for (a, b), row in zip(chunk.offsets, p):
                starts.append(a)
                ends.append(b)
                probs.append(row)
        n = len(_encoder.labels) + 1
        _cache[key] = (np.array(starts), np.array(ends),
                       np.array(probs).reshape(-1, n), [*_encoder.labels, "any"])
    return _cache[key]


def technique_features(table, start: int, end: int, prefix: str) -> list[str]:
    starts, ends, probs, labels = table
    inside = (starts < end) & (ends > start)
    if not inside.any():
        return []
    best = probs[inside].max(axis=0)
    return [f"{prefix}={labels[i]}:{name}" for i in range(len(labels)) for level, name in LEVELS
            if best[i] >= level]


def with_techniques(doc, start, end, mates=(), domain=None):
    feats = mention_features(doc, start, end, mates, domain)
    span = mention_span(doc, start, end)
    table = token_table(doc.text)  # spaCy rebuilds doc.text on each access: once per mention
    sentence = span.sent
    left = doc[max(sentence.start, span.start - WINDOW) : span.start]
    right = doc[span.end : min(sentence.end, span.end + WINDOW)]
    feats += technique_features(table, span.start_char, span.end_char, "tm")
    for part in (left, right):
        if len(part):
            feats += technique_features(table, part.start_char, part.end_char, "tw")
    feats += technique_features(table, sentence.start_char, sentence.end_char, "ts")
    return feats


if os.environ.get("VARIANT", "techniques") == "techniques":
    training.mention_features = with_techniques

if __name__ == "__main__":
    from spinlens.cli import main

    print(f"variant {os.environ.get('VARIANT', 'techniques')}", flush=True)
    sys.argv = ["spinlens", "evaluate", "semeval2025", "--data", f"{DATA}/semeval2025-task10/EN"]
    main()
