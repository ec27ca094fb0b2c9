"""Models for genre, frames and persuasion techniques (SemEval-2023 Task 3, English).

Everything here is linear and sparse so that inference needs only numpy and
scipy (scikit-learn fits the models; :mod:`spinlens.models.tfidf` and
:mod:`spinlens.models.hashing` apply its vocabularies and hashing without
importing it), and so that every decision can be traced back to the words that
drove it.

* :class:`ArticleLabeller` — genre (softmax) and frames (one-vs-rest sigmoids
  with per-frame thresholds) from word and character TF-IDF of the article; in
  the default profile the genre also reads a sentence embedding of the article's
  first paragraphs (:class:`EmbeddedGenreHead`, the one dense exception here).
* :class:`ParagraphTechniqueModel` — two stages. Stage 1 scores each paragraph
  per technique from its own words and characters, its neighbours' words and
  lexical cue features. Stage 2 re-scores each technique from stage-1 scores of
  the paragraph, its neighbours and the whole article, plus the span tagger's
  evidence inside the paragraph (context matters: an article full of loaded
  language tends to have it everywhere; Repetition is only visible across the
  article).
* :class:`SpanTagger` — a per-token "inside some technique" classifier on
  windowed features (word, neighbours, shape, recurrence in the article, cue
  families), decoded with two thresholds: a run of tokens above ``low`` becomes
  a span if some token in it reaches ``high``.
* :class:`SpanLabeller` — names the technique of each span from its words, its
  context and the paragraph's stage-2 technique scores.

Weights are saved as one ``.npz`` (no pickle) plus JSON metadata, so loading a
model folder never executes code from it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from spinlens.core.errors import ModelError
from spinlens.features.cues import (
    CUE_NAMES,
    STOPWORDS,
    TOKEN_PATTERN,
    content_words,
    cue_vector,
    find_cues,
)
from spinlens.features.valence import valence_bucket
from spinlens.models.arrays import sigmoid, softmax
from spinlens.models.hashing import hash_features, hash_segments, segment_scores
from spinlens.models.linear import LinearHeads, Prepared, prepare_product, times_transposed
from spinlens.models.predictions import (
    ArticlePrediction,
    ParagraphPrediction,
    SpanPrediction,
    TechniqueOutput,
)
from spinlens.models.sparse import sparse
from spinlens.models.tfidf import TfidfEncoder
from spinlens.nlp.embed import ARTICLE_PARAGRAPHS, ARTICLE_TOKENS
from spinlens.nlp.segment import Paragraph, paragraphs

FORMAT_VERSION = 1
WEIGHTS_FILE = "weights.npz"
CONFIG_FILE = "config.json"
CARD_FILE = "model_card.json"

Arrays = dict[str, np.ndarray]


# ---------------------------------------------------------------------------
# Building blocks


def too_few_to_fit(positives: int, n: int) -> bool:
    """Whether a binary head is left constant: liblinear needs two classes, and a class
    seen once (or no negative at all) gives nothing to learn from."""
    return positives < 2 or positives == n


def fit_binary_heads(
    X: sparse.spmatrix | np.ndarray,
    Y: np.ndarray,
    labels: Sequence[str],
    *,
    C: float,
    class_weight: str | None,
    seed: int,
    dual: bool = True,
) -> LinearHeads:
    """One-vs-rest logistic regressions; labels with too few positives get a constant 'no'."""
    from sklearn.linear_model import LogisticRegression

    n_features = X.shape[1]
    coef = np.zeros((len(labels), n_features), dtype=np.float32)
    intercept = np.full(len(labels), -8.0)
    for j in range(len(labels)):
        positives = int(Y[:, j].sum())
        if too_few_to_fit(positives, len(Y)):
            continue
        model = LogisticRegression(
            C=C, class_weight=class_weight, solver="liblinear", dual=dual, max_iter=2000, random_state=seed
        )
        model.fit(X, Y[:, j])
        coef[j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    return LinearHeads(list(labels), coef, intercept)


# ---------------------------------------------------------------------------
# Tokens with context, shared by the span tagger and the span labeller


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    paragraph: int  # index into the paragraph list
    sentence: int  # article-wide sentence index


@dataclass
class TokenizedArticle:
    text: str
    paragraphs: list[Paragraph]
    tokens: list[Token]
    word_counts: Counter[str]
    bigram_counts: Counter[tuple[str, str]]
    sentence_has_question: set[int]
    sentence_has_exclamation: set[int]
    in_quotes: list[bool]

    @classmethod
    def from_text(cls, text: str, paras: list[Paragraph] | None = None) -> TokenizedArticle:
        paras = paragraphs(text) if paras is None else paras
        tokens: list[Token] = []
        sentence = 0
        for index, para in enumerate(paras):
            for m in TOKEN_PATTERN.finditer(para.text):
                word = m.group()
                tokens.append(
                    Token(para.start + m.start(), para.start + m.end(), word, word.lower(), index, sentence)
                )
                if word in (".", "!", "?"):
                    sentence += 1
            sentence += 1
        lowers = [t.lower for t in tokens]
        word_counts = Counter(w for w in lowers if w.isalpha() and w not in STOPWORDS and len(w) > 2)
        bigram_counts = Counter(itertools.pairwise(lowers))
        questions = {t.sentence for t in tokens if t.text == "?"}
        exclamations = {t.sentence for t in tokens if t.text == "!"}
        in_quotes: list[bool] = []
        inside = False
        current_paragraph = -1
        for t in tokens:
            if t.paragraph != current_paragraph:
                inside, current_paragraph = False, t.paragraph
            if t.text == "“":
                inside = True
            elif t.text == "”":
                inside = False
            elif t.text == '"':
                inside = not inside
            in_quotes.append(inside)
        return cls(text, paras, tokens, word_counts, bigram_counts, questions, exclamations, in_quotes)

    # Span features ask these once per candidate span: computed per call, they made long texts quadratic.
    @cached_property
    def sentence_lengths(self) -> Counter[int]:
        """How many tokens each sentence has."""
        return Counter(t.sentence for t in self.tokens)

    @cached_property
    def lowered_text(self) -> str:
        return self.text.lower()


def _shape(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "AA"
    if word[:1].isupper():
        return "Aa"
    if word.isdigit():
        return "9"
    if word.isalpha():
        return "a"
    return "."


def _cue_by_token(art: TokenizedArticle) -> list[set[str]]:
    """Cue families covering each token (a multi-word cue marks all its tokens)."""
    result: list[set[str]] = [set() for _ in art.tokens]
    if not art.tokens:
        return result
    starts = np.array([t.start for t in art.tokens])
    ends = np.array([t.end for t in art.tokens])
    for para in art.paragraphs:
        for cue in find_cues(para.text, para.start):
            hit = np.nonzero((starts < cue.end) & (ends > cue.start))[0]
            for i in hit:
                result[i].add(cue.cue)
    return result


Feature = tuple[str, float]
SENTENCE_WORD_WEIGHT = 0.3
CONTEXT_MIN_PROB = 0.2


def paragraph_context_features(probs: np.ndarray | None, labels: Sequence[str]) -> list[Feature]:
    """The paragraph's stage-1 technique probabilities, as features of everything inside it."""
    if probs is None or not len(probs):
        return []
    feats: list[Feature] = [("pmax", float(probs.max())), ("psum", float(probs.sum()) / 4)]
    feats.extend(
        ("p=" + label, float(p)) for label, p in zip(labels, probs, strict=True) if p >= CONTEXT_MIN_PROB
    )
    return feats


def token_features(
    art: TokenizedArticle, para_probs: np.ndarray | None = None, labels: Sequence[str] = ()
) -> list[tuple[list[Feature], ...]]:
    """Features of every token: itself, a ±2 window in its paragraph, its sentence and article context.

    Each token's are three segments (for :func:`hash_segments`): its own, then its sentence's
    and its paragraph's, which are the same list objects for every token they cover.
    """
    toks = art.tokens
    lowers = [t.lower for t in toks]
    cues = _cue_by_token(art)
    n = len(toks)
    sentence_words: dict[int, list[str]] = {}
    for t in toks:
        if t.lower.isalpha() and t.lower not in STOPWORDS and len(t.lower) > 2:
            sentence_words.setdefault(t.sentence, []).append(t.lower)
    # The sentence's content words, shared by every token in it (built once per sentence).
    sentence_feats = {
        sentence: [("sw=" + w, SENTENCE_WORD_WEIGHT) for w in words[:30]]
        for sentence, words in sentence_words.items()
    }
    context = [
        paragraph_context_features(para_probs[i] if para_probs is not None else None, labels)
        for i in range(len(art.paragraphs))
    ]
    valence = [valence_bucket(w) for w in lowers]
    no_words: list[Feature] = []
    feats: list[tuple[list[Feature], ...]] = []
    for i, tok in enumerate(toks):
        w = lowers[i]
        names = ["bias", "w=" + w, "s=" + _shape(tok.text), "p3=" + w[:3], "x3=" + w[-3:]]
        for d in (-2, -1, 1, 2):
            j = i + d
            neighbour = lowers[j] if 0 <= j < n and toks[j].paragraph == tok.paragraph else "<P>"
            names.append(f"w{d}={neighbour}")
        if i > 0 and toks[i - 1].paragraph == tok.paragraph:
            names.append(f"b-={lowers[i - 1]}|{w}")
        if i + 1 < n and toks[i + 1].paragraph == tok.paragraph:
            names.append(f"b+={w}|{lowers[i + 1]}")
        count = art.word_counts.get(w, 0)
        if count >= 2:
            names.append("rep")
            names.append(f"rep{min(count, 5)}")
        if w not in STOPWORDS and w.isalnum():
            if i + 1 < n and art.bigram_counts[(w, lowers[i + 1])] >= 2:
                names.append("repbig+")
            if i > 0 and art.bigram_counts[(lowers[i - 1], w)] >= 2:
                names.append("repbig-")
        if tok.sentence in art.sentence_has_question:
            names.append("sent?")
        if tok.sentence in art.sentence_has_exclamation:
            names.append("sent!")
        if art.in_quotes[i]:
            names.append("quoted")
        if tok.paragraph == 0:
            names.append("title")
        names.extend("cue=" + cue for cue in cues[i])
        if valence[i]:
            names.append("v=" + str(valence[i]))
        for d in (-1, 1):
            j = i + d
            if 0 <= j < n and valence[j] and toks[j].paragraph == tok.paragraph:
                names.append(f"v{d}={valence[j]}")
        own: list[Feature] = [(name, 1.0) for name in names]
        feats.append((own, sentence_feats.get(tok.sentence, no_words), context[tok.paragraph]))
    return feats


# ---------------------------------------------------------------------------
# Span tagger and decoder


@dataclass
class SpanTagger:
    """Scores each token for "inside a persuasion technique" (any technique)."""

    coef: np.ndarray  # (n_hash,)
    intercept: float
    low: float = 0.3
    high: float = 0.5
    n_hash: int = 2**18
    _weights: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def token_scores(
        self, art: TokenizedArticle, para_probs: np.ndarray | None = None, labels: Sequence[str] = ()
    ) -> np.ndarray:
        if not art.tokens:
            return np.zeros(0)
        scores = segment_scores(token_features(art, para_probs, labels), self.coef, self._weights)
        return sigmoid(scores + self.intercept)

    @classmethod
    def fit(
        cls,
        arts: Sequence[TokenizedArticle],
        targets: Sequence[np.ndarray],
        para_probs: Sequence[np.ndarray | None],
        labels: Sequence[str],
        *,
        C: float,
        seed: int,
        n_hash: int = 2**18,
    ) -> SpanTagger:
        from sklearn.linear_model import LogisticRegression

        X = sparse.vstack(
            [
                hash_segments(token_features(a, p, labels), n_hash)
                for a, p in zip(arts, para_probs, strict=True)
                if a.tokens
            ]
        ).tocsr()
        y = np.concatenate([t for a, t in zip(arts, targets, strict=True) if a.tokens])
        positives = int(y.sum())
        if too_few_to_fit(positives, len(y)):
            # A few articles (an inner fold of a small corpus) may hold no span at all.
            return cls(np.zeros(n_hash, dtype=np.float32), 8.0 if positives else -8.0, n_hash=n_hash)
        model = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=seed)
        model.fit(X, y)
        return cls(model.coef_[0].astype(np.float32), float(model.intercept_[0]), n_hash=n_hash)

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        arrays[f"{prefix}.coef"] = self.coef.astype(np.float16)
        return {"intercept": self.intercept, "low": self.low, "high": self.high, "n_hash": self.n_hash}

    @classmethod
    def load(cls, prefix: str, meta: dict[str, Any], arrays: Arrays) -> SpanTagger:
        return cls(
            arrays[f"{prefix}.coef"].astype(np.float32),
            float(meta["intercept"]),
            float(meta["low"]),
            float(meta["high"]),
            int(meta["n_hash"]),
        )


def decode_runs(art: TokenizedArticle, scores: np.ndarray, low: float, high: float) -> list[tuple[int, int]]:
    """Token index ranges ``[i, j]`` (inclusive): runs above ``low`` that reach ``high`` somewhere.

    Runs stay inside one paragraph and lose leading/trailing punctuation, since a
    span that starts on a comma helps nobody.
    """
    runs: list[tuple[int, int]] = []
    toks = art.tokens
    i, n = 0, len(toks)
    while i < n:
        if scores[i] < low:
            i += 1
            continue
        j = i
        while j + 1 < n and scores[j + 1] >= low and toks[j + 1].paragraph == toks[i].paragraph:
            j += 1
        if scores[i : j + 1].max() >= high:
            a, b = i, j
            while a <= b and not toks[a].text[0].isalnum() and toks[a].text not in ("“", '"', "#"):
                a += 1
            while b >= a and not toks[b].text[-1].isalnum() and toks[b].text not in ("”", '"', "!", "?"):
                b -= 1
            if a <= b:
                runs.append((a, b))
        i = j + 1
    return runs


# ---------------------------------------------------------------------------
# Span labeller


def span_features(
    art: TokenizedArticle,
    first: int,
    last: int,
    para_probs: np.ndarray | None = None,
    labels: Sequence[str] = (),
) -> list[Feature]:
    """Features of the span ``tokens[first..last]``: its words, its edges, its context."""
    names = _span_feature_names(art, first, last)
    feats: list[Feature] = [(name, 1.0) for name in names]
    if para_probs is not None:
        feats.extend(paragraph_context_features(para_probs[art.tokens[first].paragraph], labels))
    return feats


def _span_feature_names(art: TokenizedArticle, first: int, last: int) -> list[str]:
    toks = art.tokens
    words = [t.lower for t in toks[first : last + 1]]
    f = ["bias", f"len={min(len(words), 12) if len(words) < 12 else 12 + min(len(words) // 8, 6)}"]
    f.extend("w=" + w for w in words)
    f.extend(f"b={a}|{b}" for a, b in itertools.pairwise(words))
    f.append("first=" + words[0])
    f.append("last=" + words[-1])
    para = toks[first].paragraph
    for d in (1, 2, 3):
        left = first - d
        right = last + d
        f.append(f"l{d}=" + (toks[left].lower if left >= 0 and toks[left].paragraph == para else "<P>"))
        f.append(
            f"r{d}=" + (toks[right].lower if right < len(toks) and toks[right].paragraph == para else "<P>")
        )
    content = [w for w in words if w.isalpha() and w not in STOPWORDS and len(w) > 2]
    if content and all(art.word_counts[w] >= 2 for w in content):
        f.append("all_rep")
    if any(art.word_counts[w] >= 3 for w in content):
        f.append("some_rep3")
    phrase = art.text[toks[first].start : toks[last].end].lower()
    if len(words) >= 2 and _occurs_twice(art.lowered_text, phrase):
        f.append("phrase_rep")
    if toks[first].sentence in art.sentence_has_question:
        f.append("sent?")
    if art.in_quotes[first]:
        f.append("quoted")
    if para == 0:
        f.append("title")
    names_valence = {valence_bucket(w) for w in words} - {None}
    f.extend(f"v={v}" for v in names_valence)
    shapes = {_shape(t.text) for t in toks[first : last + 1]}
    f.extend("shape=" + s for s in shapes)
    start, end = toks[first].start, toks[last].end
    for cue in find_cues(art.text[start:end], start):
        f.append("cue=" + cue.cue)
    sentence = toks[first].sentence
    sentence_tokens = art.sentence_lengths[sentence]
    f.append(f"sentcover={min(4, int(4 * len(words) / max(sentence_tokens, 1)))}")
    return f


def _occurs_twice(text: str, phrase: str) -> bool:
    """``text.count(phrase) >= 2`` without counting past the second occurrence."""
    first = text.find(phrase)
    return first >= 0 and text.find(phrase, first + max(len(phrase), 1)) >= 0


@dataclass
class SpanLabeller:
    """Softmax over techniques for a given span; ``prior_weight`` mixes in paragraph-level scores."""

    labels: list[str]
    coef: np.ndarray  # (n_labels, n_hash)
    intercept: np.ndarray
    prior_weight: float = 0.0
    second_label_ratio: float = 1.1  # >1 means never emit a second label
    n_hash: int = 2**16
    _relative: np.ndarray | None = field(default=None, repr=False, compare=False)
    _prepared: Prepared = field(default_factory=dict, repr=False, compare=False)

    def logits(self, feats: Sequence[list[Feature]]) -> np.ndarray:
        if not feats:
            return np.zeros((0, len(self.labels)))
        X = hash_features(feats, self.n_hash)
        return np.asarray(times_transposed(X, self.coef, self._prepared), dtype=np.float64) + self.intercept

    def evidence(self, feats: list[Feature], label: str, k: int = 3) -> list[str]:
        """The span's own words that pushed most towards ``label`` (relative to the average technique)."""
        j = self.labels.index(label)
        words = [
            w
            for w in dict.fromkeys(name[2:] for name, _ in feats if name.startswith("w="))
            if _informative(w)
        ]
        if not words:
            return []
        X = hash_features([[("w=" + w, 1.0)] for w in words], self.n_hash)
        if self._relative is None:
            self._relative = self.coef - self.coef.mean(axis=0, keepdims=True)
        contributions = np.asarray(X @ self._relative[j]).ravel()
        scored = [(float(c), w) for c, w in zip(contributions, words, strict=True) if c > 0]
        return [w for _, w in sorted(scored, reverse=True)[:k]]

    @classmethod
    def fit(
        cls,
        feats: Sequence[list[Feature]],
        y: Sequence[str],
        labels: Sequence[str],
        *,
        C: float,
        seed: int,
        n_hash: int = 2**16,
    ) -> SpanLabeller:
        # One-vs-rest rather than a joint softmax: liblinear is many times faster than
        # lbfgs over a million weights, and the softmax of one-vs-rest logits ranks alike.
        X = hash_features(feats, n_hash)
        Y = np.array([[label == t for t in labels] for label in y], dtype=np.int8).reshape(
            len(y), len(labels)
        )
        heads = fit_binary_heads(X, Y, labels, C=C, class_weight=None, seed=seed)
        return cls(list(labels), heads.coef, heads.intercept, n_hash=n_hash)

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        arrays[f"{prefix}.coef"] = self.coef.astype(np.float16)
        arrays[f"{prefix}.intercept"] = self.intercept.astype(np.float64)
        return {
            "labels": self.labels,
            "prior_weight": self.prior_weight,
            "second_label_ratio": self.second_label_ratio,
            "n_hash": self.n_hash,
        }

    @classmethod
    def load(cls, prefix: str, meta: dict[str, Any], arrays: Arrays) -> SpanLabeller:
        labeller = cls(
            list(meta["labels"]),
            arrays[f"{prefix}.coef"].astype(np.float32),
            arrays[f"{prefix}.intercept"].astype(np.float64),
            float(meta["prior_weight"]),
            float(meta["second_label_ratio"]),
            int(meta["n_hash"]),
        )
        prepare_product(labeller.coef, labeller._prepared, arrays[f"{prefix}.coef"])
        return labeller


# ---------------------------------------------------------------------------
# Paragraph techniques


PARAGRAPH_WORD_PARAMS: dict[str, Any] = {
    "ngram_range": [1, 2],
    "min_df": 2,
    "sublinear_tf": True,
    "max_features": 40000,
    "lowercase": True,
}
PARAGRAPH_CHAR_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": [2, 5],
    "min_df": 3,
    "sublinear_tf": True,
    "max_features": 60000,
}
CONTEXT_WEIGHT = 0.5
CUE_WEIGHT = 0.3


def paragraph_context_texts(paras: Sequence[Paragraph]) -> list[str]:
    """The previous and next paragraph of each paragraph, joined."""
    texts = [p.text for p in paras]
    return [
        " ".join(t for t in (texts[i - 1] if i > 0 else "", texts[i + 1] if i + 1 < len(texts) else "") if t)
        for i in range(len(texts))
    ]


def paragraph_cue_matrix(paras: Sequence[Paragraph]) -> np.ndarray:
    words = Counter(w for p in paras for w in content_words(p.text))
    n = max(len(paras) - 1, 1)
    return (
        np.vstack(
            [
                cue_vector(p.text, article_word_counts=words, is_title=(i == 0), relative_position=i / n)
                for i, p in enumerate(paras)
            ]
        )
        if paras
        else np.zeros((0, len(CUE_NAMES) + 11))
    )


@dataclass
class ParagraphStage1:
    word: TfidfEncoder
    char: TfidfEncoder
    heads: LinearHeads

    def features(self, paras: Sequence[Paragraph], cue_matrix: np.ndarray | None = None) -> sparse.csr_matrix:
        texts = [p.text for p in paras]
        cues = paragraph_cue_matrix(paras) if cue_matrix is None else cue_matrix
        return sparse.hstack(
            [
                self.word.transform(texts),
                self.char.transform(texts),
                CONTEXT_WEIGHT * self.word.transform(paragraph_context_texts(paras)),
                sparse.csr_matrix(CUE_WEIGHT * cues),
            ]
        ).tocsr()

    @staticmethod
    def encoders(texts: Sequence[str]) -> tuple[TfidfEncoder, TfidfEncoder]:
        return TfidfEncoder.fit(texts, PARAGRAPH_WORD_PARAMS), TfidfEncoder.fit(texts, PARAGRAPH_CHAR_PARAMS)


N_META_PER_LABEL = 6


def meta_features(
    stage1_logits: np.ndarray,
    token_scores: Sequence[np.ndarray],
    span_votes: np.ndarray,
    cue_matrix: np.ndarray,
) -> np.ndarray:
    """Dense features for stage 2 of one article's paragraphs.

    Per label: own stage-1 logit, previous/next paragraph's probability, article mean
    and max probability, and how strongly predicted spans in the paragraph vote for it.
    Then the span tagger's max/mean token score and the cue vector.
    """
    n, n_labels = stage1_logits.shape
    probs = sigmoid(stage1_logits)
    prev = np.vstack([np.zeros((1, n_labels)), probs[:-1]]) if n else probs
    nxt = np.vstack([probs[1:], np.zeros((1, n_labels))]) if n else probs
    art_mean = np.repeat(probs.mean(axis=0, keepdims=True), n, axis=0) if n else probs
    art_max = np.repeat(probs.max(axis=0, keepdims=True), n, axis=0) if n else probs
    tok = np.array(
        [
            [
                float(s.max()) if len(s) else 0.0,
                float(s.mean()) if len(s) else 0.0,
                float((s >= 0.5).mean()) if len(s) else 0.0,
            ]
            for s in token_scores
        ]
    ).reshape(n, 3)
    return np.hstack([stage1_logits / 4.0, prev, nxt, art_mean, art_max, span_votes, tok, cue_matrix])


def stage2_columns(label_index: int, n_labels: int) -> list[int]:
    """Meta-feature columns stage 2 may use for one technique.

    Only the technique's own stage-1 evidence (paragraph, neighbours, article) plus
    the span labeller's votes for every technique and the tagger's statistics: on
    inner folds this beat a model over all columns, which overfits the many
    cross-technique weights.
    """
    own = [block * n_labels + label_index for block in range(N_META_PER_LABEL)]
    votes = [5 * n_labels + k for k in range(n_labels)]
    tagger = [N_META_PER_LABEL * n_labels + k for k in range(3)]
    return list(dict.fromkeys(own + votes + tagger))


@dataclass
class ParagraphStage2:
    heads: LinearHeads  # over meta features
    thresholds: np.ndarray

    def probabilities(self, meta: np.ndarray) -> np.ndarray:
        return sigmoid(self.heads.decision(meta))


# ---------------------------------------------------------------------------
# Article labels


ARTICLE_WORD_PARAMS: dict[str, Any] = {
    "ngram_range": [1, 2],
    "min_df": 2,
    "max_df": 0.9,
    "sublinear_tf": True,
    "max_features": 30000,
}
ARTICLE_CHAR_PARAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": [3, 5],
    "min_df": 3,
    "sublinear_tf": True,
    "max_features": 30000,
}


def article_style(text: str) -> np.ndarray:
    """Article-wide style signals that separate opinion, reporting and satire."""
    paras = paragraphs(text)
    body = " ".join(p.text for p in paras[1:]) or text
    words = max(len(TOKEN_PATTERN.findall(body)), 1)
    return np.array(
        [
            np.log1p(len(text)) / 10,
            np.log1p(len(paras)) / 5,
            10 * body.count('"') / words + 10 * body.count("“") / words,
            10 * len(re.findall(r"\b(?:said|says|told|according)\b", body)) / words,
            10 * len(re.findall(r"\b(?:I|me|my|we|our)\b", body)) / words,
            10 * len(re.findall(r"\b(?:you|your)\b", body, flags=re.IGNORECASE)) / words,
            10 * body.count("?") / words,
            10 * body.count("!") / words,
        ]
    )


# Relative weights of the embedding and the standardised style ratios in the genre head
# that reads sentence embeddings.
GENRE_EMBEDDING_WEIGHT = 3.0
GENRE_STYLE_WEIGHT = 0.3


@dataclass
class EmbeddedGenreHead:
    """Genre from the article's mean paragraph embedding and its style ratios (softmax regression).

    Its logits are mixed with the TF-IDF head's: ``(1 - share) * tfidf + share * own + bias``,
    with ``share`` and ``bias`` tuned together on inner folds.
    """

    coef: np.ndarray  # (genres, 384 + style ratios)
    intercept: np.ndarray  # (genres,)
    style_mean: np.ndarray
    style_scale: np.ndarray
    share: float
    bias: np.ndarray

    def features(self, embeddings: np.ndarray, styles: np.ndarray) -> np.ndarray:
        scaled = (styles - self.style_mean) / self.style_scale
        return np.hstack([embeddings * GENRE_EMBEDDING_WEIGHT, scaled * GENRE_STYLE_WEIGHT])

    def decision(self, embeddings: np.ndarray, styles: np.ndarray) -> np.ndarray:
        return np.asarray(self.features(embeddings, styles) @ self.coef.T + self.intercept)

    def mix(self, tfidf_logits: np.ndarray, embeddings: np.ndarray, styles: np.ndarray) -> np.ndarray:
        own = self.decision(embeddings, styles)
        return (1.0 - self.share) * tfidf_logits + self.share * own + self.bias

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        for name in ("coef", "intercept", "style_mean", "style_scale", "bias"):
            arrays[f"{prefix}.{name}"] = np.asarray(getattr(self, name), dtype=np.float64)
        return {"share": self.share, "paragraphs": ARTICLE_PARAGRAPHS, "tokens": ARTICLE_TOKENS}

    @classmethod
    def load(cls, prefix: str, meta: dict[str, Any], arrays: Arrays) -> EmbeddedGenreHead:
        if (meta.get("paragraphs"), meta.get("tokens")) != (ARTICLE_PARAGRAPHS, ARTICLE_TOKENS):
            raise ValueError("the embedding genre head was trained with other embedding settings")
        return cls(
            coef=arrays[f"{prefix}.coef"],
            intercept=arrays[f"{prefix}.intercept"],
            style_mean=arrays[f"{prefix}.style_mean"],
            style_scale=arrays[f"{prefix}.style_scale"],
            share=float(meta["share"]),
            bias=arrays[f"{prefix}.bias"],
        )


@dataclass
class ArticleLabeller:
    word: TfidfEncoder
    char: TfidfEncoder
    genre: LinearHeads  # softmax over genres
    genre_bias: np.ndarray  # added to genre logits, tuned for macro-F1
    frames: LinearHeads
    frame_thresholds: np.ndarray
    # Used when the caller has article embeddings (the default profile); the fast profile
    # and models trained before it existed use the TF-IDF head alone.
    embedded_genre: EmbeddedGenreHead | None = None

    def features(self, texts: Sequence[str], styles: np.ndarray | None = None) -> sparse.csr_matrix:
        """TF-IDF and style columns; ``styles`` (:func:`article_style` of each text) when already computed."""
        style = np.vstack([article_style(t) for t in texts]) if styles is None else styles
        return sparse.hstack(
            [self.word.transform(texts), self.char.transform(texts), sparse.csr_matrix(style)]
        ).tocsr()

    def genre_logits(
        self, X: sparse.csr_matrix, styles: np.ndarray, embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Genre logits, with the embedding head mixed in when ``embeddings`` are given and it exists."""
        logits = self.genre.decision(X)
        if embeddings is None or self.embedded_genre is None:
            return np.asarray(logits + self.genre_bias)
        return self.embedded_genre.mix(logits, embeddings, styles)


# ---------------------------------------------------------------------------
# The bundle


@dataclass
class Semeval2023Models:
    """Genre, frames, paragraph techniques and technique spans, loaded together."""

    techniques: list[str]
    genres: list[str]
    frame_labels: list[str]
    articles: ArticleLabeller
    stage1: ParagraphStage1
    stage2: ParagraphStage2
    tagger: SpanTagger
    labeller: SpanLabeller
    card: dict[str, Any] = field(default_factory=dict)
    # The last article's tokens, cue matrix and stage-1 logits: the default profile names the
    # encoder's spans (name_spans) right after predict_techniques has read the same article.
    _last_read: tuple[str, list[Paragraph], TokenizedArticle, np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )

    def _read(self, text: str, paras: list[Paragraph]) -> tuple[TokenizedArticle, np.ndarray, np.ndarray]:
        """The article's tokens, paragraph cue matrix and stage-1 logits."""
        last = self._last_read  # one read of the attribute: another thread may replace it
        if last is not None and last[0] is text and last[1] is paras:
            return last[2], last[3], last[4]
        art = TokenizedArticle.from_text(text, paras)
        cue_matrix = paragraph_cue_matrix(paras)
        logits1 = self.stage1.heads.decision(self.stage1.features(paras, cue_matrix))
        self._last_read = (text, paras, art, cue_matrix, logits1)
        return art, cue_matrix, logits1

    # -- article level -------------------------------------------------
    def predict_article_labels(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> list[tuple[str, dict[str, float], list[str], dict[str, float]]]:
        """Genre and frames of each text; ``embeddings`` (``article_embeddings``) refine the genre."""
        if not texts:
            return []
        styles = np.vstack([article_style(t) for t in texts])
        X = self.articles.features(texts, styles)
        genre_probs = softmax(self.articles.genre_logits(X, styles, embeddings))
        frame_probs = sigmoid(self.articles.frames.decision(X))
        out = []
        for g, f in zip(genre_probs, frame_probs, strict=True):
            genre = self.genres[int(np.argmax(g))]
            frames = [
                lab
                for lab, p, t in zip(self.frame_labels, f, self.articles.frame_thresholds, strict=True)
                if p >= t
            ]
            out.append(
                (
                    genre,
                    {lab: float(p) for lab, p in zip(self.genres, g, strict=True)},
                    frames,
                    {lab: float(p) for lab, p in zip(self.frame_labels, f, strict=True)},
                )
            )
        return out

    # -- techniques ------------------------------------------------------
    def predict_techniques(self, text: str, paras: list[Paragraph] | None = None) -> TechniqueOutput:
        paras = paragraphs(text) if paras is None else paras
        if not paras:
            return TechniqueOutput([], [])
        art, cue_matrix, logits1 = self._read(text, paras)
        probs1 = sigmoid(logits1)
        token_scores = self.tagger.token_scores(art, probs1, self.techniques)
        runs = decode_runs(art, token_scores, self.tagger.low, self.tagger.high)
        run_feats = [span_features(art, a, b, probs1, self.techniques) for a, b in runs]
        run_logits = self.labeller.logits(run_feats)
        per_para_tokens = scores_by_paragraph(art, token_scores, len(paras))
        votes = span_votes(
            art, runs, softmax(run_logits) if len(runs) else np.zeros((0, len(self.techniques))), len(paras)
        )
        meta = meta_features(logits1, per_para_tokens, votes, cue_matrix)
        probs2 = self.stage2.probabilities(meta)

        para_preds = []
        for i, p in enumerate(paras):
            labels = [
                lab for j, lab in enumerate(self.techniques) if probs2[i, j] >= self.stage2.thresholds[j]
            ]
            para_preds.append(
                ParagraphPrediction(
                    p.line,
                    p.start,
                    p.end,
                    labels,
                    {lab: float(probs2[i, j]) for j, lab in enumerate(self.techniques)},
                )
            )
        spans = self._label_runs(art, runs, run_feats, run_logits, probs2, token_scores)
        offsets = np.array([(t.start, t.end) for t in art.tokens], dtype=np.int64).reshape(-1, 2)
        return TechniqueOutput(para_preds, spans, offsets, np.asarray(token_scores, dtype=np.float64))

    def name_spans(
        self, text: str, paras: list[Paragraph], spans: Sequence[tuple[int, int]], para_probs: np.ndarray
    ) -> np.ndarray:
        """The span labeller's technique distribution for character spans found by another model.

        Mixed with the paragraph's technique probabilities ``para_probs`` as for the
        tagger's own spans; a span that covers no word gets a uniform row.
        """
        out = np.full((len(spans), len(self.techniques)), 1.0 / len(self.techniques))
        if not spans or not paras:
            return out
        art, _, logits1 = self._read(text, paras)
        if not art.tokens:
            return out
        probs1 = sigmoid(logits1)
        starts = np.array([t.start for t in art.tokens])
        ends = np.array([t.end for t in art.tokens])
        rows, runs = [], []
        for row, (start, end) in enumerate(spans):
            hit = np.nonzero((starts < end) & (ends > start))[0]
            if len(hit):
                rows.append(row)
                runs.append((int(hit[0]), int(hit[-1])))
        if not runs:
            return out
        logits = self.labeller.logits([span_features(art, a, b, probs1, self.techniques) for a, b in runs])
        for row, (a, _), logit in zip(rows, runs, logits, strict=True):
            para = art.tokens[a].paragraph
            prior = self.labeller.prior_weight * np.log(np.clip(para_probs[para], 1e-6, 1.0))
            out[row] = softmax(logit + prior)
        return out

    def _label_runs(
        self,
        art: TokenizedArticle,
        runs: list[tuple[int, int]],
        run_feats: list[list[Feature]],
        run_logits: np.ndarray,
        para_probs: np.ndarray,
        token_scores: np.ndarray,
    ) -> list[SpanPrediction]:
        spans: list[SpanPrediction] = []
        for (a, b), feats, logit in zip(runs, run_feats, run_logits, strict=True):
            para = art.tokens[a].paragraph
            mixed = logit + self.labeller.prior_weight * np.log(np.clip(para_probs[para], 1e-6, 1.0))
            probs = softmax(mixed)
            order = np.argsort(-probs)
            chosen = [int(order[0])]
            if len(order) > 1 and probs[order[1]] * self.labeller.second_label_ratio >= probs[order[0]]:
                chosen.append(int(order[1]))
            start, end = art.tokens[a].start, art.tokens[b].end
            span_score = float(token_scores[a : b + 1].max())
            for j in chosen:
                label = self.techniques[j]
                spans.append(
                    SpanPrediction(
                        label, start, end, float(probs[j]), span_score, self.labeller.evidence(feats, label)
                    )
                )
        return spans

    def predict(self, text: str) -> ArticlePrediction:
        genre, genre_scores, frames, frame_scores = self.predict_article_labels([text])[0]
        tech = self.predict_techniques(text)
        return ArticlePrediction(genre, genre_scores, frames, frame_scores, tech.paragraphs, tech.spans)

    def explain_paragraph(self, text: str, label: str, k: int = 3) -> list[str]:
        """Words or word pairs of a paragraph that raise stage 1's score for ``label`` most."""
        j = self.techniques.index(label)
        row = self.stage1.word.transform([text]).tocsr()
        # The word columns come first in stage 1's features.
        return _strongest_terms(_raising_terms(row, self.stage1.heads.coef[j], self.stage1.word.terms), k)

    def explain_article(self, text: str, labels: Sequence[tuple[str, str]], k: int = 4) -> list[list[str]]:
        """For each (head, label) of ``labels`` ("genre" or "frames", and a label of that head): the
        article words that raise its score most."""
        row = self.articles.word.transform([text]).tocsr()  # once for every label: a whole article
        explained = []
        for head, label in labels:
            heads = self.articles.genre if head == "genre" else self.articles.frames
            j = heads.labels.index(label)
            coef = heads.coef[j] - (heads.coef.mean(axis=0) if head == "genre" else 0.0)
            explained.append(_strongest_terms(_raising_terms(row, coef, self.articles.word.terms), k))
        return explained

    # -- persistence -------------------------------------------------------
    def save(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        arrays: Arrays = {}
        config: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "techniques": self.techniques,
            "genres": self.genres,
            "frames": self.frame_labels,
            "articles": {
                "word": self.articles.word.save("articles.word", arrays),
                "char": self.articles.char.save("articles.char", arrays),
                "genre": self.articles.genre.save("articles.genre", arrays),
                "frames": self.articles.frames.save("articles.frames", arrays),
            },
            "stage1": {
                "word": self.stage1.word.save("stage1.word", arrays),
                "char": self.stage1.char.save("stage1.char", arrays),
                "heads": self.stage1.heads.save("stage1.heads", arrays),
            },
            "stage2": {"heads": self.stage2.heads.save("stage2.heads", arrays)},
            "tagger": self.tagger.save("tagger", arrays),
            "labeller": self.labeller.save("labeller", arrays),
        }
        if self.articles.embedded_genre is not None:
            config["articles"]["embedded_genre"] = self.articles.embedded_genre.save(
                "articles.embedded_genre", arrays
            )
        arrays["articles.genre_bias"] = self.articles.genre_bias.astype(np.float64)
        arrays["articles.frame_thresholds"] = self.articles.frame_thresholds.astype(np.float64)
        arrays["stage2.thresholds"] = self.stage2.thresholds.astype(np.float64)
        np.savez_compressed(out_dir / WEIGHTS_FILE, **arrays)  # type: ignore[arg-type]
        (out_dir / CONFIG_FILE).write_text(
            json.dumps(config, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (out_dir / CARD_FILE).write_text(
            json.dumps(self.card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, model_dir: Path) -> Semeval2023Models:
        weights, config_path, card_path = (
            model_dir / WEIGHTS_FILE,
            model_dir / CONFIG_FILE,
            model_dir / CARD_FILE,
        )
        for path in (weights, config_path):
            if not path.is_file():
                raise ModelError(f"{model_dir}: missing {path.name}; train with `spinlens train semeval2023`")
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
            with np.load(weights, allow_pickle=False) as npz:
                arrays = {key: npz[key] for key in npz.files}
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{model_dir}: model files are unreadable or corrupt ({exc})") from exc
        if config.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"{model_dir}: model format {config.get('format_version')!r} is not "
                f"{FORMAT_VERSION}; retrain it"
            )
        try:
            a, s1 = config["articles"], config["stage1"]
            articles = ArticleLabeller(
                word=TfidfEncoder.load("articles.word", a["word"], arrays),
                char=TfidfEncoder.load("articles.char", a["char"], arrays),
                genre=LinearHeads.load("articles.genre", a["genre"], arrays),
                genre_bias=arrays["articles.genre_bias"],
                frames=LinearHeads.load("articles.frames", a["frames"], arrays),
                frame_thresholds=arrays["articles.frame_thresholds"],
                embedded_genre=(
                    EmbeddedGenreHead.load("articles.embedded_genre", a["embedded_genre"], arrays)
                    if "embedded_genre" in a
                    else None
                ),
            )
            stage1 = ParagraphStage1(
                word=TfidfEncoder.load("stage1.word", s1["word"], arrays),
                char=TfidfEncoder.load("stage1.char", s1["char"], arrays),
                heads=LinearHeads.load("stage1.heads", s1["heads"], arrays),
            )
            stage2_heads = LinearHeads.load("stage2.heads", config["stage2"]["heads"], arrays)
            stage2 = ParagraphStage2(stage2_heads, arrays["stage2.thresholds"])
            models = cls(
                techniques=list(config["techniques"]),
                genres=list(config["genres"]),
                frame_labels=list(config["frames"]),
                articles=articles,
                stage1=stage1,
                stage2=stage2,
                tagger=SpanTagger.load("tagger", config["tagger"], arrays),
                labeller=SpanLabeller.load("labeller", config["labeller"], arrays),
                card=card,
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"{model_dir}: model files are incomplete or corrupt ({exc!r})") from exc
        models._check_shapes(model_dir)
        return models

    def _check_shapes(self, model_dir: Path) -> None:
        n_stage1 = self.stage1.word.size * 2 + self.stage1.char.size + len(CUE_NAMES) + 11
        checks = [
            (self.stage1.heads.coef.shape, (len(self.techniques), n_stage1)),
            (self.articles.genre.coef.shape[1], self.articles.word.size + self.articles.char.size + 8),
            (self.articles.frames.coef.shape[0], len(self.frame_labels)),
            (self.labeller.coef.shape, (len(self.techniques), self.labeller.n_hash)),
            (self.tagger.coef.shape, (self.tagger.n_hash,)),
            (len(self.stage2.thresholds), len(self.techniques)),
        ]
        if self.articles.embedded_genre is not None:
            from spinlens.nlp.embed import DIMENSIONS

            head = self.articles.embedded_genre
            checks.append((head.coef.shape, (len(self.genres), DIMENSIONS + len(head.style_mean))))
        for got, expected in checks:
            if got != expected:
                raise ModelError(
                    f"{model_dir}: weights have shape {got}, expected {expected}; retrain the models"
                )


def _raising_terms(row: sparse.csr_matrix, weights: np.ndarray, terms: list[str]) -> list[tuple[float, str]]:
    """(contribution, term) of the terms of a one-row TF-IDF matrix whose weighted value is positive,
    largest first (equal contributions: the later term first)."""
    values = row.data * weights[row.indices]
    positive = np.flatnonzero(values > 0)
    return sorted(
        zip(values[positive].tolist(), [terms[c] for c in row.indices[positive]], strict=True), reverse=True
    )


def _strongest_terms(raising: list[tuple[float, str]], k: int) -> list[str]:
    """The first ``k`` informative terms of ``raising``, skipping any that holds or is part of one chosen."""
    chosen: list[str] = []
    for _, term in raising:
        if len(chosen) == k:
            break
        if _informative(term) and not any(term in c or c in term for c in chosen):
            chosen.append(term)
    return chosen


def _informative(term: str) -> bool:
    """True for a word or n-gram worth quoting as evidence: no function words, no digits or punctuation."""
    words = term.split()
    return bool(words) and all(w.isalpha() and len(w) > 2 and w.lower() not in STOPWORDS for w in words)


def scores_by_paragraph(art: TokenizedArticle, scores: np.ndarray, n_paragraphs: int) -> list[np.ndarray]:
    """The rows of ``scores`` (one per token) of each paragraph, in token order."""
    index = np.array([t.paragraph for t in art.tokens], dtype=int)
    # Grouped by one stable sort, not one mask per paragraph: a text of many short lines has tens of
    # thousands of paragraphs.
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(n_paragraphs + 1))
    return [scores[order[bounds[i] : bounds[i + 1]]] for i in range(n_paragraphs)]


def span_votes(
    art: TokenizedArticle, runs: Sequence[tuple[int, int]], run_probs: np.ndarray, n_paragraphs: int
) -> np.ndarray:
    """Per paragraph and technique: the strongest labeller probability among spans found there."""
    votes = np.zeros((n_paragraphs, run_probs.shape[1] if run_probs.ndim == 2 else 0))
    for (a, _), probs in zip(runs, run_probs, strict=True):
        para = art.tokens[a].paragraph
        votes[para] = np.maximum(votes[para], probs)
    return votes


def token_targets(art: TokenizedArticle, spans: Iterable[tuple[int, int]]) -> np.ndarray:
    """1 for tokens overlapping any of ``spans`` (character ranges)."""
    y = np.zeros(len(art.tokens), dtype=np.int8)
    if not art.tokens:
        return y
    starts = np.array([t.start for t in art.tokens])
    ends = np.array([t.end for t in art.tokens])
    for s, e in spans:
        y[(starts < e) & (ends > s)] = 1
    return y
