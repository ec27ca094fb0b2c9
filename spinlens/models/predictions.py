"""What the technique models predict for an article, shared by the linear models and the encoder.

Kept apart from :mod:`spinlens.models.semeval2023` so that the encoder can be loaded
without importing the linear models (and scipy) ahead of spaCy at a cold start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ParagraphPrediction:
    line: int
    start: int
    end: int
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[str]] = field(default_factory=dict)  # label -> words that argue for it


@dataclass
class SpanPrediction:
    technique: str
    start: int
    end: int
    score: float  # probability of the technique given that this is a span
    span_score: float  # the tagger's max token score inside
    evidence: list[str] = field(default_factory=list)


@dataclass
class ArticlePrediction:
    genre: str
    genre_scores: dict[str, float]
    frames: list[str]
    frame_scores: dict[str, float]
    paragraphs: list[ParagraphPrediction]
    spans: list[SpanPrediction]


@dataclass
class TechniqueOutput:
    paragraphs: list[ParagraphPrediction]
    spans: list[SpanPrediction]
    # The span tagger's "inside some technique" probability per word: (start, end) offsets and scores.
    token_offsets: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    token_scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
