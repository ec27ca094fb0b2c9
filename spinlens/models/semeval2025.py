"""Narrative and entity-role classifiers trained on SemEval-2025 Task 10 (English).

Narratives (subtask 2) are predicted top-down, as the taxonomy is built:

1. *Other or not*: does the article carry any of the task's narratives at all?
   (about two articles in five do not; getting this right matters most for
   samples-F1, since an "Other" article scores 1 or 0);
2. the domain (Ukraine war or climate), which the ids give away in training but
   must be inferred from the text at prediction time;
3. narratives of that domain: the best one, and any other whose probability is
   within a tuned ratio of the best;
4. sub-narratives of each chosen narrative above a tuned threshold, else the
   narrative's own "<narrative>: Other".

Every head is a logistic regression over word 1-2-gram TF-IDF of the whole
article. Being linear, a head's decision splits exactly into per-term
contributions, so the sentences whose terms push a label most are the evidence
quoted to the reader.

Entity roles (subtask 1) are predicted per mention from the words around it
(its sentence, a window of neighbouring words, the verb it depends on and how),
the entity's name and the sentences of its other mentions; main role first,
then a fine role among that main role's own, the fine roles also reading a
sentence embedding (all-MiniLM-L6-v2) of the mention's sentence. A separate *salience* model says
whether an entity is one the article casts at all: annotators marked roles for
a minority of the named entities, so a role is only claimed for entities that
pass its threshold.

Weights are plain arrays in ``weights.npz`` beside ``model_card.json``; nothing
is unpickled.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinlens.core.errors import ModelError
from spinlens.datasets.semeval2025 import (
    DOMAIN_PREFIX,
    FINE_ROLES_BY_MAIN,
    MAIN_ROLES,
    OTHER,
)
from spinlens.models import linear, tfidf
from spinlens.models.arrays import sigmoid
from spinlens.models.sparse import sparse
from spinlens.nlp.embed import ARTICLE_TOKENS, DIMENSIONS, PARAGRAPHS_READ, ParagraphVectors

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

FORMAT_VERSION = 2
SHIPPED_DIR = Path(__file__).with_name("semeval2025")
WEIGHTS_FILE = "weights.npz"
CARD_FILE = "model_card.json"

Arrays = dict[str, np.ndarray]

# Word 1-2-grams, no stop-word list: function words ("we", "our", "they") carry
# stance, and a stop-word list cost 0.01 samples-F1 in cross-validation.
NARRATIVE_TFIDF: dict[str, Any] = {
    "ngram_range": [1, 2],
    "min_df": 2,
    "max_df": 0.9,
    "sublinear_tf": True,
    "max_features": 40000,
}
NARRATIVE_C = 30.0
# The embedding heads see 384 dense columns, not a sparse vocabulary: they need far
# more regularisation than the TF-IDF heads.
NARRATIVE_EMBEDDED_C = 1.0
# The embedding heads also read how close the article comes to each label's own words: the best
# of its paragraphs and the article as a whole (cosine similarities, times this weight). A
# narrative argued in one paragraph is diluted in the article's mean vector.
LABEL_CLOSENESS_WEIGHT = 1.0
ROLE_TFIDF: dict[str, Any] = {"token_pattern": r"\S+", "lowercase": False, "sublinear_tf": True}
ROLE_C = 3.0
SALIENCE_C = 1.0
# The fine-role heads also read how close the mention's sentence comes to a one-line description of
# each fine role (cosine similarities of sentence embeddings, times this weight): a fine role has a
# median of 18 mentions in all the English data, too few to learn "tyrant" from words alone.
ROLE_CLOSENESS_WEIGHT = 1.0
FINE_ROLE_DESCRIPTIONS: dict[str, str] = {
    "Guardian": "heroes who protect and defend their people",
    "Martyr": "martyrs who sacrifice themselves for a cause",
    "Peacemaker": "peacemakers who seek to resolve the conflict through negotiation",
    "Rebel": "rebels who bravely resist oppression",
    "Underdog": "an underdog fighting against a much stronger opponent",
    "Virtuous": "virtuous, honest and principled people",
    "Instigator": "instigators who started the conflict and provoke war",
    "Conspirator": "conspirators plotting in secret to control the world",
    "Tyrant": "a tyrant who rules by oppression and force",
    "Foreign Adversary": "a hostile foreign power threatening the country",
    "Traitor": "traitors who betray their own country",
    "Spy": "spies gathering secret intelligence",
    "Saboteur": "saboteurs who deliberately damage and undermine",
    "Corrupt": "corrupt officials who abuse power for personal gain",
    "Incompetent": "incompetent leaders who fail and make mistakes",
    "Terrorist": "terrorists who use violence against civilians",
    "Deceiver": "liars who deceive the public and spread propaganda",
    "Bigot": "bigots full of prejudice and hatred",
    "Forgotten": "forgotten people whose suffering is ignored",
    "Exploited": "exploited people used for the gain of others",
    "Victim": "innocent victims who suffer harm and are killed",
    "Scapegoat": "scapegoats unfairly blamed for problems",
}

# A label without any positive training example can never fire.
_NEVER = -30.0

# Words that name each domain's topic. The narrative models learnt from war and climate articles alone, so
# they place any article in the nearer of the two domains: of 363 SemEval-2023 articles (mostly 2016-2019
# politics), 29 of the 55 given a narrative never name its topic (the Pope and the Mueller inquiry as "URW:
# Distrust towards Media", a CNN anchor as "URW: Discrediting the West"). Every SemEval-2025 article with a
# narrative names its own topic with one of these words. Broad on purpose: it only catches other subjects.
TOPIC_TERMS: dict[str, re.Pattern[str]] = {
    "UA": re.compile(
        r"\b(?:ukrain\w*|russia\w*|kyiv|kiev|moscow|kremlin|putin|zelensk\w*|donbas+|donetsk|luhansk|crimea\w*|nato"
        r"|belarus\w*|mariupol|kharkiv|kherson|bakhmut|zaporizh\w*|odes+a)\b",
        re.IGNORECASE,
    ),
    "CC": re.compile(
        r"\b(?:climate|global warming|carbon|emissions?|greenhouse|co2|net[ -]zero|fossil fuels?|renewables?"
        r"|green (?:new )?deal|green energy|electric vehicles?|evs?|heat ?waves?|temperatures?|ipcc|thunberg"
        r"|environment\w*|wind (?:farms?|turbines?|power)|solar|sea levels?|glaciers?|wildfires?|droughts?"
        r"|nitrogen|weather|methane|arctic|antarctic\w*|paris (?:agreement|accord))\b",
        re.IGNORECASE,
    ),
}


def names_topic(text: str, domain: str) -> bool:
    """Whether ``text`` names the topic of ``domain`` ("UA": the war in Ukraine, "CC": climate change) at
    least once, with one of :data:`TOPIC_TERMS`."""
    pattern = TOPIC_TERMS.get(domain)
    return pattern is None or pattern.search(text) is not None


# ---------------------------------------------------------------------------
# Building blocks


class TfidfEncoder(tfidf.TfidfEncoder):
    """Article TF-IDF in double precision, as the narrative heads were trained."""

    dtype = np.float64


class LinearHeads(linear.LinearHeads):
    """Heads as the narrative and role models were trained: double precision, float32 intercepts on disk."""

    coef_dtype = np.float64
    intercept_dtype = np.float32

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        return {**super().save(prefix, arrays), "coef_dtype": "float16"}


def fit_binary_heads(
    X: sparse.spmatrix | np.ndarray,
    Y: np.ndarray,
    labels: Sequence[str],
    *,
    C: float,
    seed: int,
    dual: bool = True,
) -> LinearHeads:
    """One balanced logistic regression per column of ``Y``.

    The dual liblinear solver (the default) suits sparse vocabularies with far more
    features than articles: it fits a head in milliseconds where the primal takes a
    second. ``dual=False`` uses lbfgs, for a few hundred dense columns.
    """
    from sklearn.linear_model import LogisticRegression  # training only: a slow import

    coef = np.zeros((len(labels), X.shape[1]))
    intercept = np.zeros(len(labels))
    for j in range(len(labels)):
        y = Y[:, j]
        positives = int(y.sum())
        if positives == 0:
            intercept[j] = _NEVER
            continue
        if positives == len(y):
            intercept[j] = -_NEVER
            continue
        solver: dict[str, Any] = {"solver": "liblinear", "dual": True} if dual else {}
        model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=seed, **solver)
        model.fit(X, y)
        coef[j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    return LinearHeads(list(labels), coef, intercept)


def fit_softmax_head(
    X: sparse.spmatrix | np.ndarray,
    y: Sequence[str],
    labels: Sequence[str],
    *,
    C: float,
    seed: int,
    class_weight: str | None = None,
) -> LinearHeads:
    """A multinomial logistic regression over ``labels``; labels absent from ``y`` never win."""
    from sklearn.linear_model import LogisticRegression

    present = sorted(set(y))
    coef = np.zeros((len(labels), X.shape[1]))
    intercept = np.full(len(labels), _NEVER)
    if len(present) == 1:
        intercept[list(labels).index(present[0])] = 0.0
        return LinearHeads(list(labels), coef, intercept)
    model = LogisticRegression(C=C, max_iter=5000, random_state=seed, class_weight=class_weight)
    model.fit(X, list(y))
    classes = [str(c) for c in model.classes_]
    if len(classes) == 2:
        # scikit-learn keeps one row for two classes: split it symmetrically.
        rows = np.vstack([-model.coef_[0] / 2, model.coef_[0] / 2])
        bias = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        rows, bias = model.coef_, model.intercept_
    for k, label in enumerate(classes):
        j = list(labels).index(label)
        coef[j] = rows[k]
        intercept[j] = bias[k]
    return LinearHeads(list(labels), coef, intercept)


# ---------------------------------------------------------------------------
# Sentences (for evidence), without spaCy: narratives run before any parse is needed


_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class TextPiece:
    start: int
    end: int
    text: str


def split_sentences(text: str, start: int = 0) -> list[TextPiece]:
    """Sentences of one paragraph, with offsets into the article (``start`` is the paragraph's)."""
    pieces: list[TextPiece] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end(1)  # closing quotes and brackets stay with their sentence
        chunk = text[cursor:end].strip()
        if chunk:
            lead = len(text[cursor:end]) - len(text[cursor:end].lstrip())
            pieces.append(TextPiece(start + cursor + lead, start + cursor + lead + len(chunk), chunk))
        cursor = match.end()
    chunk = text[cursor:].rstrip()
    if chunk.strip():
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        pieces.append(TextPiece(start + cursor + lead, start + cursor + lead + len(body), body))
    return pieces


def article_sentences(text: str) -> list[TextPiece]:
    """Every sentence of the article, paragraph by paragraph (paragraphs are lines)."""
    pieces: list[TextPiece] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            pieces.extend(split_sentences(line, offset))
        offset += len(line) + 1
    return pieces


# ---------------------------------------------------------------------------
# Narratives


@dataclass(frozen=True)
class NarrativeThresholds:
    """Decision thresholds, tuned on inner folds of the training data (never on evaluation folds)."""

    other: float = 0.4
    relative: float = 0.6
    sub: float = 0.15

    def to_dict(self) -> dict[str, float]:
        return {"other": self.other, "relative": self.relative, "sub": self.sub}


@dataclass
class NarrativeScores:
    """Every head's probability for a batch of articles."""

    other: np.ndarray  # (n,)
    climate: np.ndarray  # (n,) probability that the article is about climate rather than the war
    narratives: np.ndarray  # (n, N)
    subnarratives: np.ndarray  # (n, S)

    def row(self, i: int) -> NarrativeScores:
        return NarrativeScores(
            self.other[i : i + 1],
            self.climate[i : i + 1],
            self.narratives[i : i + 1],
            self.subnarratives[i : i + 1],
        )

    def take(self, rows: Sequence[int] | np.ndarray) -> NarrativeScores:
        idx = np.asarray(rows, dtype=int)
        return NarrativeScores(
            self.other[idx], self.climate[idx], self.narratives[idx], self.subnarratives[idx]
        )

    @staticmethod
    def empty(n: int, n_narratives: int, n_subs: int) -> NarrativeScores:
        return NarrativeScores(np.zeros(n), np.zeros(n), np.zeros((n, n_narratives)), np.zeros((n, n_subs)))

    def mixed_with(self, other: np.ndarray, narratives: np.ndarray, share: float) -> NarrativeScores:
        """These scores with another model's "Other" and narrative probabilities mixed in at ``share``;
        the domain and sub-narrative scores stay as they are."""
        return NarrativeScores(
            other=(1.0 - share) * self.other + share * other,
            climate=self.climate,
            narratives=(1.0 - share) * self.narratives + share * narratives,
            subnarratives=self.subnarratives,
        )

    def put(self, rows: Sequence[int] | np.ndarray, other: NarrativeScores) -> None:
        idx = np.asarray(rows, dtype=int)
        self.other[idx] = other.other
        self.climate[idx] = other.climate
        self.narratives[idx] = other.narratives
        self.subnarratives[idx] = other.subnarratives


@dataclass(frozen=True)
class NarrativePrediction:
    """The labels for one article, each with its probability."""

    narratives: list[tuple[str, float]]
    subnarratives: list[tuple[str, float]]
    p_other: float
    domain: str

    @property
    def is_other(self) -> bool:
        return [n for n, _ in self.narratives] == [OTHER]

    @property
    def narrative_labels(self) -> list[str]:
        return [n for n, _ in self.narratives]

    @property
    def subnarrative_labels(self) -> list[str]:
        return [s for s, _ in self.subnarratives]


def described_labels(narratives: Sequence[str], subnarratives: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each narrative and specific sub-narrative with its words, without the domain prefix.

    ``subnarratives`` maps each sub-narrative to its narrative. "URW: Discrediting Ukraine" reads
    "Discrediting Ukraine"; its sub-narrative "…: Ukraine is a puppet of the West" reads
    "Discrediting Ukraine: Ukraine is a puppet of the West". The "…: Other" fallbacks say nothing.
    """

    def bare(label: str) -> str:
        return label.split(": ", 1)[1] if ": " in label else label

    out = [(n, bare(n)) for n in narratives if n != OTHER]
    for sub, narrative in sorted(subnarratives.items()):
        tail = sub[len(narrative) + 2 :] if sub.startswith(narrative + ": ") else sub
        if narrative != OTHER and tail != OTHER:
            out.append((sub, f"{bare(narrative)}: {tail}"))
    return out


def label_descriptions(narratives: Sequence[str], subnarratives: Mapping[str, str]) -> list[str]:
    """The words of each narrative and specific sub-narrative (:func:`described_labels`), in that order."""
    return [words for _, words in described_labels(narratives, subnarratives)]


def embedding_head_inputs(vectors: ParagraphVectors, anchors: np.ndarray | None, weight: float) -> np.ndarray:
    """What the embedding heads read: each article's mean vector, then how close the article comes to each
    anchor (its best paragraph's cosine similarity, then the mean vector's), times ``weight``."""
    mean = vectors.pooled()
    if anchors is None:
        return mean
    best = np.zeros((len(vectors), len(anchors)), dtype=np.float32)
    for i, paragraphs in enumerate(vectors.per_article):
        if len(paragraphs):
            best[i] = (paragraphs @ anchors.T).max(axis=0)
    closeness = np.hstack([best, mean @ anchors.T]) * weight
    return np.hstack([mean, closeness]).astype(np.float32)


@dataclass
class EmbeddedNarrativeHeads:
    """ "Other" and narrative heads on the article's paragraph embeddings (``nlp.embed``).

    They read the mean of the article's first ``paragraphs`` paragraph vectors and, where the model
    has ``anchors`` (the embedded :func:`label_descriptions`), each label's closeness to the article.
    Their probabilities are mixed into the TF-IDF heads' with weight ``share``; the mixed scores have
    their own ``thresholds``. Both were tuned on inner folds.
    """

    other: LinearHeads
    narratives: LinearHeads
    share: float
    thresholds: NarrativeThresholds
    anchors: np.ndarray | None = None
    closeness_weight: float = LABEL_CLOSENESS_WEIGHT
    # Models trained before round 26 read the first 12 paragraphs.
    paragraphs: int = PARAGRAPHS_READ

    @classmethod
    def fit(
        cls,
        vectors: ParagraphVectors,
        y_other: np.ndarray,
        Y_narratives: np.ndarray,
        labels: Sequence[str],
        seed: int,
        anchors: np.ndarray | None = None,
    ) -> EmbeddedNarrativeHeads:
        X = embedding_head_inputs(vectors.first(PARAGRAPHS_READ), anchors, LABEL_CLOSENESS_WEIGHT)
        return cls(
            other=fit_binary_heads(X, y_other, [OTHER], C=NARRATIVE_EMBEDDED_C, seed=seed, dual=False),
            narratives=fit_binary_heads(
                X, Y_narratives, labels, C=NARRATIVE_EMBEDDED_C, seed=seed, dual=False
            ),
            share=0.0,
            thresholds=NarrativeThresholds(),
            anchors=anchors,
            closeness_weight=LABEL_CLOSENESS_WEIGHT,
            paragraphs=PARAGRAPHS_READ,
        )

    def inputs(self, vectors: ParagraphVectors) -> np.ndarray:
        return embedding_head_inputs(vectors.first(self.paragraphs), self.anchors, self.closeness_weight)

    def mix(self, scores: NarrativeScores, vectors: ParagraphVectors) -> NarrativeScores:
        X = self.inputs(vectors)
        return scores.mixed_with(
            self.other.probabilities(X)[:, 0], self.narratives.probabilities(X), self.share
        )

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "other": self.other.save(f"{prefix}.other", arrays),
            "narratives": self.narratives.save(f"{prefix}.narratives", arrays),
            "share": self.share,
            "thresholds": self.thresholds.to_dict(),
            "paragraphs": self.paragraphs,
            "tokens": ARTICLE_TOKENS,
        }
        if self.anchors is not None:
            arrays[f"{prefix}.anchors"] = self.anchors
            meta["closeness_weight"] = self.closeness_weight
        return meta

    @classmethod
    def load(
        cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> EmbeddedNarrativeHeads:
        paragraphs = meta.get("paragraphs")
        if (
            meta.get("tokens") != ARTICLE_TOKENS
            or not isinstance(paragraphs, int)
            or not 0 < paragraphs <= PARAGRAPHS_READ
        ):
            raise ModelError(
                "the narrative embedding heads were trained with other embedding settings "
                f"({paragraphs} paragraphs of {meta.get('tokens')} word pieces; this version embeds at most "
                f"{PARAGRAPHS_READ} of {ARTICLE_TOKENS})"
            )
        anchors = arrays.get(f"{prefix}.anchors")
        heads = cls(
            other=LinearHeads.load(f"{prefix}.other", meta["other"], arrays),
            narratives=LinearHeads.load(f"{prefix}.narratives", meta["narratives"], arrays),
            share=float(meta["share"]),
            thresholds=NarrativeThresholds(**meta["thresholds"]),
            anchors=None if anchors is None else np.asarray(anchors, dtype=np.float32),
            closeness_weight=float(meta.get("closeness_weight", LABEL_CLOSENESS_WEIGHT)),
            paragraphs=paragraphs,
        )
        dims = DIMENSIONS + (0 if heads.anchors is None else 2 * heads.anchors.shape[0])
        if heads.anchors is not None and heads.anchors.shape[1:] != (DIMENSIONS,):
            raise ModelError(f"the narrative label descriptions have shape {heads.anchors.shape}")
        if heads.other.coef.shape[1] != dims or heads.narratives.coef.shape[1] != dims:
            raise ModelError("the narrative embedding heads do not match their label descriptions")
        return heads


@dataclass
class NarrativeModel:
    encoder: TfidfEncoder
    other: LinearHeads  # one head: the article carries no narrative of the taxonomy
    climate: LinearHeads  # one head: the article is about climate change (else the Ukraine war)
    narratives: LinearHeads
    subnarratives: LinearHeads
    domains: dict[str, str]  # narrative -> domain
    parents: dict[str, str]  # sub-narrative -> narrative
    thresholds: NarrativeThresholds = field(default_factory=NarrativeThresholds)
    # Used when the caller passes article embeddings (the default profile); the fast
    # profile and models trained before it existed use the TF-IDF heads alone.
    embedded: EmbeddedNarrativeHeads | None = None

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        climate: Sequence[bool],
        narratives: Sequence[Iterable[str]],
        subnarratives: Sequence[Iterable[str]],
        taxonomy: Mapping[str, Sequence[str]],
        *,
        seed: int,
        thresholds: NarrativeThresholds | None = None,
    ) -> NarrativeModel:
        """Fit every head; ``taxonomy`` maps each narrative to its sub-narratives."""
        narrative_labels, sub_labels = cls.label_layout(taxonomy)
        parents = {s: n for n, subs in taxonomy.items() for s in subs}
        domains = {n: _domain_of_label(n) for n in narrative_labels}
        encoder = TfidfEncoder.fit(texts, NARRATIVE_TFIDF)
        X = encoder.transform(texts)
        gold_n = [set(n) for n in narratives]
        gold_s = [set(s) for s in subnarratives]
        y_other = np.array([[g == {OTHER} or not g] for g in gold_n], dtype=int)
        y_climate = np.array([[bool(c)] for c in climate], dtype=int)
        Y_n = np.array([[label in g for label in narrative_labels] for g in gold_n], dtype=int).reshape(
            len(texts), len(narrative_labels)
        )
        Y_s = np.array([[label in g for label in sub_labels] for g in gold_s], dtype=int).reshape(
            len(texts), len(sub_labels)
        )
        return cls(
            encoder=encoder,
            other=fit_binary_heads(X, y_other, [OTHER], C=NARRATIVE_C, seed=seed),
            climate=fit_binary_heads(X, y_climate, ["CC"], C=NARRATIVE_C, seed=seed),
            narratives=fit_binary_heads(X, Y_n, narrative_labels, C=NARRATIVE_C, seed=seed),
            subnarratives=fit_binary_heads(X, Y_s, sub_labels, C=NARRATIVE_C, seed=seed),
            domains=domains,
            parents=parents,
            thresholds=thresholds or NarrativeThresholds(),
        )

    @staticmethod
    def label_layout(taxonomy: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
        """Narrative and sub-narrative labels, in the order of the heads of a model fitted on ``taxonomy``."""
        return sorted(taxonomy), sorted({s for subs in taxonomy.values() for s in subs})

    def scores(self, texts: Sequence[str], vectors: ParagraphVectors | None = None) -> NarrativeScores:
        """Every head's probability; the articles' paragraph ``vectors`` mix in the embedding heads where the
        model has them."""
        X = self.encoder.transform(texts)
        scores = NarrativeScores(
            other=self.other.probabilities(X)[:, 0],
            climate=self.climate.probabilities(X)[:, 0],
            narratives=self.narratives.probabilities(X),
            subnarratives=self.subnarratives.probabilities(X),
        )
        if vectors is None or self.embedded is None:
            return scores
        return self.embedded.mix(scores, vectors)

    def thresholds_for(self, vectors: ParagraphVectors | None) -> NarrativeThresholds:
        """The thresholds tuned for the scores :meth:`scores` gives with these ``vectors``."""
        if vectors is None or self.embedded is None:
            return self.thresholds
        return self.embedded.thresholds

    def predict(
        self, texts: Sequence[str], vectors: ParagraphVectors | None = None
    ) -> list[NarrativePrediction]:
        scores = self.scores(texts, vectors)
        thresholds = self.thresholds_for(vectors)
        return [self.decide(scores, i, thresholds) for i in range(len(texts))]

    def decide(self, scores: NarrativeScores, i: int, thresholds: NarrativeThresholds) -> NarrativePrediction:
        p_other = float(scores.other[i])
        domain = "CC" if scores.climate[i] >= 0.5 else "UA"
        if p_other >= thresholds.other:
            return NarrativePrediction([(OTHER, p_other)], [(OTHER, p_other)], p_other, domain)
        chosen = self._narratives_for(scores.narratives[i], domain, thresholds.relative)
        subs: list[tuple[str, float]] = []
        for narrative, _ in chosen:
            subs.extend(self._subnarratives_for(scores.subnarratives[i], narrative, thresholds.sub))
        return NarrativePrediction(chosen, subs, p_other, domain)

    def closest_paragraph(self, vectors: ParagraphVectors, label: str) -> tuple[int, float] | None:
        """The paragraph of one article (``vectors`` of a single article) that comes closest to ``label``'s
        own words, as ``(paragraph index, cosine similarity)``; None for a model without label descriptions,
        a label without one ("…: Other") or an article without paragraphs."""
        embedded = self.embedded
        row = self._description_rows.get(label)
        if embedded is None or embedded.anchors is None or row is None or len(vectors) != 1:
            return None
        paragraphs = vectors.first(embedded.paragraphs).per_article[0]
        if not len(paragraphs):
            return None
        similarity = paragraphs @ embedded.anchors[row]
        best = int(np.argmax(similarity))
        return best, float(similarity[best])

    @cached_property
    def _description_rows(self) -> dict[str, int]:
        return {
            label: i for i, (label, _) in enumerate(described_labels(self.narratives.labels, self.parents))
        }

    def nearest(self, scores: NarrativeScores, i: int, domain: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` likeliest narratives of ``domain`` for article ``i``, best first."""
        probs = scores.narratives[i]
        ranked = sorted(
            (
                (label, float(probs[j]))
                for j, label in enumerate(self.narratives.labels)
                if self.domains[label] == domain
            ),
            key=lambda pair: -pair[1],
        )
        return ranked[:k]

    def _narratives_for(self, probs: np.ndarray, domain: str, relative: float) -> list[tuple[str, float]]:
        candidates = [j for j, label in enumerate(self.narratives.labels) if self.domains[label] == domain]
        if not candidates:
            candidates = list(range(len(self.narratives.labels)))
        best = max(float(probs[j]) for j in candidates)
        chosen = [
            (self.narratives.labels[j], float(probs[j])) for j in candidates if probs[j] >= relative * best
        ]
        return sorted(chosen, key=lambda pair: -pair[1])

    def _subnarratives_for(
        self, probs: np.ndarray, narrative: str, threshold: float
    ) -> list[tuple[str, float]]:
        fallback = f"{narrative}: {OTHER}"
        specific = [
            (label, float(probs[j]))
            for j, label in enumerate(self.subnarratives.labels)
            if self.parents.get(label) == narrative and label != fallback
        ]
        chosen = sorted(((s, p) for s, p in specific if p >= threshold), key=lambda pair: -pair[1])
        if chosen:
            return chosen
        if fallback in self.subnarratives.labels:
            j = self.subnarratives.labels.index(fallback)
            return [(fallback, float(probs[j]))]
        if specific:
            return [max(specific, key=lambda pair: pair[1])]
        return []

    def evidence(self, text: str, label: str, sentences: Sequence[TextPiece], k: int = 2) -> list[TextPiece]:
        """The ``k`` sentences whose terms add most to ``label``'s decision for this article."""
        return self.explainer(text, sentences).top(label, k)

    def explainer(self, text: str, sentences: Sequence[TextPiece]) -> NarrativeExplainer:
        """Per-sentence contributions for any label of this article (the article is encoded once)."""
        return NarrativeExplainer(self, text, list(sentences))

    def _heads_for(self, label: str) -> tuple[LinearHeads, int] | None:
        for head in (self.narratives, self.subnarratives):
            if label in head.labels:
                return head, head.labels.index(label)
        return None

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        return {
            "encoder": self.encoder.save(f"{prefix}.tfidf", arrays),
            "other": self.other.save(f"{prefix}.other", arrays),
            "climate": self.climate.save(f"{prefix}.climate", arrays),
            "narratives": self.narratives.save(f"{prefix}.narratives", arrays),
            "subnarratives": self.subnarratives.save(f"{prefix}.subnarratives", arrays),
            "domains": self.domains,
            "parents": self.parents,
            "thresholds": self.thresholds.to_dict(),
            **(
                {}
                if self.embedded is None
                else {"embedded": self.embedded.save(f"{prefix}.embedded", arrays)}
            ),
        }

    @classmethod
    def load(cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> NarrativeModel:
        return cls(
            encoder=TfidfEncoder.load(f"{prefix}.tfidf", meta["encoder"], arrays),
            other=LinearHeads.load(f"{prefix}.other", meta["other"], arrays),
            climate=LinearHeads.load(f"{prefix}.climate", meta["climate"], arrays),
            narratives=LinearHeads.load(f"{prefix}.narratives", meta["narratives"], arrays),
            subnarratives=LinearHeads.load(f"{prefix}.subnarratives", meta["subnarratives"], arrays),
            domains=dict(meta["domains"]),
            parents=dict(meta["parents"]),
            thresholds=NarrativeThresholds(**meta["thresholds"]),
            embedded=(
                EmbeddedNarrativeHeads.load(f"{prefix}.embedded", meta["embedded"], arrays)
                if "embedded" in meta
                else None
            ),
        )


class NarrativeExplainer:
    """Which sentences of one article push a label's decision most.

    The article's TF-IDF vector is a sum over its terms; each term's weight is
    shared among the sentences that contain it, so the sentence contributions add
    up to the article's score (less the intercept and terms spanning sentences).
    Only sentences that push towards the label are returned.
    """

    def __init__(self, model: NarrativeModel, text: str, sentences: list[TextPiece]) -> None:
        self.model = model
        self.sentences = sentences
        self.doc_vector = model.encoder.transform([text])  # (1, V), as the decision saw it
        if sentences:
            counts = model.encoder.counts([s.text for s in sentences])  # (m, V)
            totals = np.asarray(counts.sum(axis=0)).ravel()
            self.share = sparse.csr_matrix(counts.multiply(1.0 / np.maximum(totals, 1.0)))
        else:
            self.share = sparse.csr_matrix((0, model.encoder.size))

    def top(self, label: str, k: int = 2) -> list[TextPiece]:
        heads = self.model._heads_for(label)
        if heads is None or not self.sentences:
            return []
        head, j = heads
        term_weight = np.asarray(self.doc_vector.multiply(head.coef[j][None, :]).todense()).ravel()
        contribution = np.asarray(self.share @ term_weight).ravel()
        order = np.argsort(-contribution, kind="stable")
        return [self.sentences[i] for i in order[:k] if contribution[i] > 0]


def _domain_of_label(label: str) -> str:
    for domain, prefix in DOMAIN_PREFIX.items():
        if label.startswith(prefix + ":"):
            return domain
    return "UA"


def samples_f1(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]]) -> float:
    """The task's metric: F1 between the gold and predicted label sets of each article, averaged."""
    if not gold:
        return 0.0
    total = 0.0
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(g), set(p)
        hits = len(gs & ps)
        total += 0.0 if hits == 0 else 2 * hits / (len(gs) + len(ps))
    return total / len(gold)


THRESHOLD_GRID = {
    "other": tuple(round(x, 2) for x in np.arange(0.2, 0.701, 0.05)),
    "relative": tuple(round(x, 2) for x in np.arange(0.3, 1.001, 0.05)),
    "sub": tuple(round(x, 2) for x in np.arange(0.05, 0.801, 0.05)),
}


def tune_thresholds(
    model: NarrativeModel,
    scores: NarrativeScores,
    gold_narratives: Sequence[Iterable[str]],
    gold_subnarratives: Sequence[Iterable[str]],
) -> tuple[NarrativeThresholds, float]:
    """Pick the thresholds maximising coarse + fine samples-F1 on out-of-fold scores.

    The "Other" decision is independent of the other two thresholds, so each
    (relative, sub) pair is decoded once and every "other" threshold is then a
    vectorised choice per article.
    """
    n = len(gold_narratives)
    gold_n = [set(g) for g in gold_narratives]
    gold_s = [set(g) for g in gold_subnarratives]
    other_f1 = np.array([2.0 if g == {OTHER} else 0.0 for g in gold_n])  # coarse + fine when "Other" is said
    best = (-1.0, NarrativeThresholds())
    for relative in THRESHOLD_GRID["relative"]:
        for sub in THRESHOLD_GRID["sub"]:
            labelled = np.zeros(n)
            probe = NarrativeThresholds(other=2.0, relative=relative, sub=sub)
            for i in range(n):
                pred = model.decide(scores, i, probe)
                labelled[i] = samples_f1([gold_n[i]], [pred.narrative_labels]) + samples_f1(
                    [gold_s[i]], [pred.subnarrative_labels]
                )
            for other in THRESHOLD_GRID["other"]:
                total = float(np.where(scores.other >= other, other_f1, labelled).mean())
                if total > best[0] + 1e-9:
                    best = (total, NarrativeThresholds(other=other, relative=relative, sub=sub))
    return best[1], best[0] / 2


# ---------------------------------------------------------------------------
# Entity roles


# spaCy's entity labels as spinlens entity types (see core.model.EntityType).
SPACY_ENTITY_TYPES = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
ENTITY_TYPES = ("person", "organisation", "place", "group")
_WINDOW = 6
_MAX_MATE_SENTENCES = 6


def _lemmas(span: Iterable[Any], skip: set[str]) -> list[str]:
    words = []
    for token in span:
        if token.is_punct or token.is_space:
            continue
        lemma = token.lemma_.lower()
        if lemma not in skip:
            words.append(lemma)
    return words


def mention_span(doc: Doc, start: int, end: int) -> SpacySpan:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        raise ModelError(f"no token covers characters {start}..{end} of the parsed text")
    return span


def mention_features(
    doc: Doc,
    start: int,
    end: int,
    mates: Sequence[tuple[int, int]] = (),
    domain: str | None = None,
) -> list[str]:
    """What the words around one mention say about how it is cast.

    ``mates`` are the other mentions of the same entity: the sentences they sit
    in are added as a weaker, separately named bag of words, since an article
    casts an entity over several sentences.
    """
    span = mention_span(doc, start, end)
    # Sliced from the span, not doc.text, which spaCy rebuilds from every token on each access; the span can
    # only miss whitespace at the mention's edges, which the features below ignore.
    offset = span.start_char
    name = span.text[max(start - offset, 0) : max(end - offset, 0)].lower()
    own_words = set(re.findall(r"\w+", name))
    sentence = span.sent
    feats = ["ent=" + "_".join(name.split())]
    feats += ["ew=" + w for w in own_words]
    feats += ["s=" + w for w in _lemmas(sentence, own_words)]
    left = doc[max(sentence.start, span.start - _WINDOW) : span.start]
    right = doc[span.end : min(sentence.end, span.end + _WINDOW)]
    feats += ["l=" + w for w in _lemmas(left, own_words)]
    feats += ["r=" + w for w in _lemmas(right, own_words)]
    root = span.root
    head = root.head
    feats.append("dep=" + root.dep_)
    feats.append("head=" + head.lemma_.lower())
    feats.append(f"dh={root.dep_}_{head.lemma_.lower()}")
    if root.dep_ == "pobj":
        feats.append(f"pp={head.lemma_.lower()}_{head.head.lemma_.lower()}")
    if domain:
        feats.append("dom=" + domain)
    seen = {sentence.start}
    for mate_start, mate_end in mates:
        if len(seen) > _MAX_MATE_SENTENCES:
            break
        mate = doc.char_span(mate_start, mate_end, alignment_mode="expand")
        if mate is None or len(mate) == 0 or mate.sent.start in seen:
            continue
        seen.add(mate.sent.start)
        feats += ["a=" + w for w in _lemmas(mate.sent, own_words)]
    return feats


def entity_occurrences(text: str, entity: str) -> list[tuple[int, int]]:
    """Where the entity's exact name appears as a whole word (the mates of a listed mention)."""
    if not entity.strip():
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(entity) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def salience_features(
    text_length: int,
    entity_type: str,
    mentions: Sequence[tuple[int, int]],
    first_line_end: int,
    sentence_count: int,
    mention_sentences: int,
    name: str,
) -> list[float]:
    """Dense description of how prominent an entity is in its article."""
    first = min(s for s, _ in mentions) if mentions else text_length
    return [
        float(np.log1p(len(mentions))),
        first / max(text_length, 1),
        1.0 if any(s < first_line_end for s, _ in mentions) else 0.0,
        mention_sentences / max(sentence_count, 1),
        float(len(name.split())),
        *[1.0 if entity_type == t else 0.0 for t in ENTITY_TYPES],
    ]


@dataclass
class DenseLogistic:
    """A logistic regression on standardised dense features."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        Z = (np.asarray(X, dtype=np.float64) - self.mean) / self.scale
        return sigmoid(Z @ self.coef + self.intercept)

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, *, C: float, seed: int) -> DenseLogistic:
        from sklearn.linear_model import LogisticRegression

        X = np.asarray(X, dtype=np.float64)
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        if len(set(y.tolist())) < 2:
            return cls(mean, scale, np.zeros(X.shape[1]), _NEVER if not y.any() else -_NEVER)
        model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=seed)
        model.fit((X - mean) / scale, y)
        return cls(mean, scale, model.coef_[0], float(model.intercept_[0]))

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        arrays[f"{prefix}.mean"] = self.mean
        arrays[f"{prefix}.scale"] = self.scale
        arrays[f"{prefix}.coef"] = self.coef
        return {"intercept": self.intercept}

    @classmethod
    def load(cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> DenseLogistic:
        return cls(
            np.asarray(arrays[f"{prefix}.mean"]),
            np.asarray(arrays[f"{prefix}.scale"]),
            np.asarray(arrays[f"{prefix}.coef"]),
            float(meta["intercept"]),
        )


@dataclass(frozen=True)
class RolePrediction:
    main: str
    main_probability: float
    fine: tuple[str, ...]
    fine_probability: float
    distribution: dict[str, float]  # main role -> probability


def mention_sentence(doc: Doc, start: int, end: int) -> str:
    """The sentence a mention sits in, as the fine-role heads embed it."""
    return mention_span(doc, start, end).sent.text


@dataclass
class RoleModel:
    encoder: TfidfEncoder
    main: LinearHeads
    fine: dict[str, LinearHeads]  # per main role; columns: TF-IDF terms, then the sentence embedding
    salience: DenseLogistic
    salience_threshold: float
    embedding_dims: int = 0
    # The embedded FINE_ROLE_DESCRIPTIONS the fine-role heads read closeness to (None before round 26).
    role_anchors: np.ndarray | None = None
    closeness_weight: float = ROLE_CLOSENESS_WEIGHT

    @classmethod
    def fit(
        cls,
        features: Sequence[Sequence[str]],
        mains: Sequence[str],
        fines: Sequence[Sequence[str]],
        salience_X: np.ndarray,
        salience_y: np.ndarray,
        *,
        seed: int,
        salience_threshold: float = 0.5,
        embeddings: np.ndarray | None = None,
        role_anchors: np.ndarray | None = None,
    ) -> RoleModel:
        """``embeddings``: one sentence embedding per mention (rows of :func:`embed`), or None for none;
        ``role_anchors``: the embedded :data:`FINE_ROLE_DESCRIPTIONS` (only read with ``embeddings``)."""
        texts = [" ".join(f) for f in features]
        encoder = TfidfEncoder.fit(texts, ROLE_TFIDF)
        X_words = encoder.transform(texts)
        main = fit_softmax_head(X_words, list(mains), MAIN_ROLES, C=ROLE_C, seed=seed)
        # Only the fine-role heads see the sentence embedding (exact match 0.165 -> 0.207 in
        # cross-validation); given to the main-role head too, its accuracy fell by 0.01.
        dims = 0 if embeddings is None else int(np.asarray(embeddings).shape[1])
        anchors = None if embeddings is None else role_anchors
        X = fine_role_inputs(X_words, embeddings, dims, anchors, ROLE_CLOSENESS_WEIGHT)
        # A mention with several fine roles trains on its first (alphabetically, for
        # determinism): one in ten mentions has two, and predicting one is the safer bet.
        first_fine = [sorted(f)[0] for f in fines]
        fine: dict[str, LinearHeads] = {}
        for role in MAIN_ROLES:
            rows = [i for i, m in enumerate(mains) if m == role]
            labels = FINE_ROLES_BY_MAIN[role]
            if not rows:
                fine[role] = LinearHeads(
                    list(labels),
                    np.zeros((len(labels), X.shape[1])),
                    np.where(np.arange(len(labels)) == 0, 0.0, _NEVER),
                )
                continue
            fine[role] = fit_softmax_head(X[rows], [first_fine[i] for i in rows], labels, C=ROLE_C, seed=seed)
        salience = DenseLogistic.fit(salience_X, salience_y, C=SALIENCE_C, seed=seed)
        return cls(encoder, main, fine, salience, salience_threshold, dims, anchors, ROLE_CLOSENESS_WEIGHT)

    def predict(
        self, features: Sequence[Sequence[str]], embeddings: np.ndarray | None = None
    ) -> list[RolePrediction]:
        """Roles of mentions; ``embeddings`` are their sentences' (see :meth:`embed_sentences`).

        Without embeddings a model that uses them still answers, from the words alone
        (the embedding part of the fine-role score is then zero), which is less accurate.
        """
        if not features:
            return []
        main_probs, fine_probs = self.distributions(features, embeddings)
        return [
            self.combine(main_probs[i], {role: f[i] for role, f in fine_probs.items()})
            for i in range(main_probs.shape[0])
        ]

    def distributions(
        self, features: Sequence[Sequence[str]], embeddings: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Main-role distributions and, per main role, fine-role distributions for each mention."""
        X_words = self.encoder.transform([" ".join(f) for f in features])
        if embeddings is not None and np.asarray(embeddings).shape != (len(features), self.embedding_dims):
            raise ModelError(
                f"expected {len(features)} sentence embeddings of {self.embedding_dims} dimensions, "
                f"got an array of shape {np.asarray(embeddings).shape}"
            )
        X = fine_role_inputs(
            X_words, embeddings, self.embedding_dims, self.role_anchors, self.closeness_weight
        )
        return self.main.distribution(X_words), {
            role: head.distribution(X) for role, head in self.fine.items()
        }

    def embed_sentences(self, sentences: Sequence[str]) -> np.ndarray | None:
        """Embeddings of mention sentences if this model reads them, else None; repeats embedded once."""
        if not self.embedding_dims or not sentences:
            return None
        from spinlens.nlp.embed import embed

        unique = sorted(set(sentences))
        vectors = embed(unique)
        row = {sentence: i for i, sentence in enumerate(unique)}
        return vectors[[row[s] for s in sentences]]

    def combine(self, main_probs: np.ndarray, fine_probs: Mapping[str, np.ndarray]) -> RolePrediction:
        k = int(np.argmax(main_probs))
        main = self.main.labels[k]
        head = self.fine[main]
        f = fine_probs[main]
        j = int(np.argmax(f))
        return RolePrediction(
            main=main,
            main_probability=float(main_probs[k]),
            fine=(head.labels[j],),
            fine_probability=float(f[j]),
            distribution={label: float(p) for label, p in zip(self.main.labels, main_probs, strict=True)},
        )

    def save(self, prefix: str, arrays: Arrays) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "encoder": self.encoder.save(f"{prefix}.tfidf", arrays),
            "main": self.main.save(f"{prefix}.main", arrays),
            "fine": {role: head.save(f"{prefix}.fine.{role}", arrays) for role, head in self.fine.items()},
            "salience": self.salience.save(f"{prefix}.salience", arrays),
            "salience_threshold": self.salience_threshold,
            "embedding_dims": self.embedding_dims,
        }
        if self.role_anchors is not None:
            arrays[f"{prefix}.role_anchors"] = self.role_anchors
            meta["closeness_weight"] = self.closeness_weight
        return meta

    @classmethod
    def load(cls, prefix: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> RoleModel:
        anchors = arrays.get(f"{prefix}.role_anchors")
        model = cls(
            encoder=TfidfEncoder.load(f"{prefix}.tfidf", meta["encoder"], arrays),
            main=LinearHeads.load(f"{prefix}.main", meta["main"], arrays),
            fine={
                role: LinearHeads.load(f"{prefix}.fine.{role}", m, arrays) for role, m in meta["fine"].items()
            },
            salience=DenseLogistic.load(f"{prefix}.salience", meta["salience"], arrays),
            salience_threshold=float(meta["salience_threshold"]),
            embedding_dims=int(meta.get("embedding_dims", 0)),
            role_anchors=None if anchors is None else np.asarray(anchors, dtype=np.float32),
            closeness_weight=float(meta.get("closeness_weight", ROLE_CLOSENESS_WEIGHT)),
        )
        closeness = 0 if model.role_anchors is None else len(model.role_anchors)
        width = model.encoder.size + model.embedding_dims + closeness
        if model.role_anchors is not None and model.role_anchors.shape[1:] != (model.embedding_dims,):
            raise ModelError(f"the fine-role descriptions have shape {model.role_anchors.shape}")
        if any(head.coef.shape[1] != width for head in model.fine.values()):
            raise ModelError("the fine-role heads do not match their words, embedding and role descriptions")
        return model


def fine_role_inputs(
    X_words: sparse.spmatrix,
    embeddings: np.ndarray | None,
    dims: int,
    anchors: np.ndarray | None,
    weight: float,
) -> sparse.csr_matrix:
    """What the fine-role heads read: the words, the sentence embedding (``dims`` columns) and, with
    ``anchors``, the embedding's closeness to each fine role's description times ``weight``. Without
    embeddings the dense columns are zeros."""
    if not dims:
        return sparse.csr_matrix(X_words)
    n = X_words.shape[0]
    vectors = np.zeros((n, dims)) if embeddings is None else np.asarray(embeddings, np.float64)
    dense = [vectors]
    if anchors is not None:
        dense.append(vectors @ np.asarray(anchors, np.float64).T * weight)
    return sparse.hstack([X_words, sparse.csr_matrix(np.hstack(dense))]).tocsr()


# ---------------------------------------------------------------------------
# The pair, saved and loaded together


@dataclass
class Semeval2025Models:
    narratives: NarrativeModel
    roles: RoleModel
    card: dict[str, Any] = field(default_factory=dict)

    def save(self, out_dir: Path, card: Mapping[str, Any]) -> Path:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        arrays: Arrays = {}
        meta = {
            "format_version": FORMAT_VERSION,
            "narratives": self.narratives.save("narratives", arrays),
            "roles": self.roles.save("roles", arrays),
        }
        np.savez_compressed(out_dir / WEIGHTS_FILE, allow_pickle=False, **arrays)
        full_card = {**dict(card), "format_version": FORMAT_VERSION, "meta": meta}
        (out_dir / CARD_FILE).write_text(
            json.dumps(full_card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        self.card = full_card
        return out_dir


def load_semeval2025(models_dir: Path | None = None) -> Semeval2025Models:
    """Load the narrative and role models from ``models_dir`` (default: the shipped ones).

    ``models_dir`` may also be a models root holding one folder per task, as
    ``spinlens train`` writes it; its ``semeval2025/`` folder is then used.
    """
    directory = Path(models_dir) if models_dir is not None else SHIPPED_DIR
    if (directory / SHIPPED_DIR.name / CARD_FILE).is_file():
        directory = directory / SHIPPED_DIR.name
    card_file = directory / CARD_FILE
    weights_file = directory / WEIGHTS_FILE
    if not card_file.is_file() or not weights_file.is_file():
        raise ModelError(
            f"no SemEval-2025 models in {directory} (need {CARD_FILE} and {WEIGHTS_FILE}); "
            "train them with `spinlens train semeval2025`"
        )
    stat = weights_file.stat()
    return _load_cached(directory.resolve(), (stat.st_mtime, stat.st_size, card_file.stat().st_mtime))


@lru_cache(maxsize=4)
def _load_cached(directory: Path, stamp: tuple[float, int, float]) -> Semeval2025Models:
    # The stamp is part of the key so that a retrained folder is read again.
    card_file = directory / CARD_FILE
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{card_file} is not valid JSON: {exc}") from exc
    if not isinstance(card, dict) or card.get("format_version") != FORMAT_VERSION or "meta" not in card:
        raise ModelError(
            f"{card_file} was not written by this SemEval-2025 model format (version {FORMAT_VERSION})"
        )
    try:
        with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as handle:
            arrays = {key: handle[key] for key in handle.files}
        meta = card["meta"]
        return Semeval2025Models(
            narratives=NarrativeModel.load("narratives", meta["narratives"], arrays),
            roles=RoleModel.load("roles", meta["roles"], arrays),
            card=card,
        )
    except ModelError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(f"the SemEval-2025 models in {directory} are corrupt: {exc}") from exc
