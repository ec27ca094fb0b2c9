"""Training the SemEval-2025 narrative and entity-role models.

Deterministic for a given seed: folds are drawn with a seeded generator, the
solvers are seeded, and nothing depends on file-system order. Thresholds are
tuned on inner folds of whatever data is being trained on, so when this runs
inside cross-validation the evaluation fold is never seen.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinlens.core.errors import DataError
from spinlens.datasets.semeval2025 import OTHER, Semeval2025Document, Taxonomy, load_semeval2025
from spinlens.models.semeval2025 import (
    FINE_ROLE_DESCRIPTIONS,
    SALIENCE_C,
    SPACY_ENTITY_TYPES,
    DenseLogistic,
    EmbeddedNarrativeHeads,
    NarrativeModel,
    NarrativeScores,
    NarrativeThresholds,
    RoleModel,
    Semeval2025Models,
    entity_occurrences,
    label_descriptions,
    mention_features,
    mention_sentence,
    salience_features,
    tune_thresholds,
)
from spinlens.nlp.embed import ParagraphVectors, article_encoder
from spinlens.train.embedding_cache import embed_paragraphs_cached, embed_sentences_cached
from spinlens.train.kernels import blas_kernels
from spinlens.train.output import check_output_folder

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Progress = Callable[[str], None] | None
INNER_FOLDS = 4


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


def document_folds(strata: Sequence[str], folds: int, seed: int) -> list[int]:
    """Assign each document a fold so that every stratum is spread evenly over the folds.

    Strata are e.g. ``"UA/other/roles"``: the domain, whether the article has any
    narrative and whether it has role annotations, so each fold looks like the whole.
    """
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    rng = np.random.default_rng(seed)
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for i, stratum in enumerate(strata):
        by_stratum[stratum].append(i)
    assignment = [0] * len(strata)
    offset = 0
    for stratum in sorted(by_stratum):
        members = by_stratum[stratum]
        order = rng.permutation(len(members))
        for rank, k in enumerate(order):
            assignment[members[k]] = (offset + rank) % folds
        offset += len(members)
    return assignment


def document_stratum(doc: Semeval2025Document) -> str:
    other = "other" if set(doc.narratives) <= {OTHER} else "narrative"
    return f"{doc.domain}/{other}/{'roles' if doc.mentions else 'no-roles'}"


# ---------------------------------------------------------------------------
# Narratives


def _narrative_inputs(docs: Sequence[Semeval2025Document]) -> tuple[list[str], list[bool]]:
    return [d.text for d in docs], [d.domain == "CC" for d in docs]


def _fit_narratives_plain(
    docs: Sequence[Semeval2025Document],
    taxonomy: Taxonomy,
    seed: int,
    thresholds: NarrativeThresholds | None = None,
) -> NarrativeModel:
    texts, climate = _narrative_inputs(docs)
    return NarrativeModel.fit(
        texts,
        climate,
        [d.narratives for d in docs],
        [d.subnarratives for d in docs],
        taxonomy.subnarratives,
        seed=seed,
        thresholds=thresholds,
    )


# Weights of the embedding heads against the TF-IDF heads tried on the inner folds.
NARRATIVE_SHARES = (0.0, 0.2, 0.35, 0.5)


def _fit_embedded_heads(
    docs: Sequence[Semeval2025Document],
    vectors: ParagraphVectors,
    labels: Sequence[str],
    anchors: np.ndarray | None,
    seed: int,
) -> EmbeddedNarrativeHeads:
    y_other = np.array([[set(d.narratives) == {OTHER}] for d in docs], dtype=int)
    Y = np.array([[label in d.narratives for label in labels] for d in docs], dtype=int).reshape(
        len(docs), len(labels)
    )
    return EmbeddedNarrativeHeads.fit(vectors, y_other, Y, labels, seed, anchors)


def label_anchors(model: NarrativeModel) -> np.ndarray:
    """The embedded words of the model's narratives and sub-narratives, read as article paragraphs are."""
    return article_encoder().encode(label_descriptions(model.narratives.labels, model.parents))


@dataclass
class InnerFoldScores:
    """Scores of each article by models fitted on the other inner folds: what the thresholds and the
    embedding heads' share are tuned on."""

    tfidf: NarrativeScores
    embedded_other: np.ndarray
    embedded: np.ndarray


def inner_splits(assignment: Sequence[int]) -> list[tuple[list[int], list[int]]]:
    """(training rows, held-out rows) of each inner fold, in fold order."""
    return [
        ([i for i, f in enumerate(assignment) if f != k], [i for i, f in enumerate(assignment) if f == k])
        for k in range(INNER_FOLDS)
    ]


def inner_fold_scores(
    docs: Sequence[Semeval2025Document],
    taxonomy: Taxonomy,
    seed: int,
    vectors: ParagraphVectors,
    anchors: np.ndarray | None,
    progress: Progress = None,
) -> InnerFoldScores:
    """Out-of-fold scores of the TF-IDF and embedding heads over the inner folds of ``docs``."""
    assignment = document_folds([document_stratum(d) for d in docs], INNER_FOLDS, seed)
    labels, sub_labels = NarrativeModel.label_layout(taxonomy.subnarratives)
    scores = InnerFoldScores(
        NarrativeScores.empty(len(docs), len(labels), len(sub_labels)),
        np.zeros(len(docs)),
        np.zeros((len(docs), len(labels))),
    )
    for fold, (train_rows, test_rows) in enumerate(inner_splits(assignment)):
        _say(progress, f"narratives: inner fold {fold + 1}/{INNER_FOLDS}")
        model = _fit_narratives_plain([docs[i] for i in train_rows], taxonomy, seed)
        scores.tfidf.put(test_rows, model.scores([docs[i].text for i in test_rows]))
        heads = _fit_embedded_heads(
            [docs[i] for i in train_rows], vectors.rows(train_rows), labels, anchors, seed
        )
        held_out = heads.inputs(vectors.rows(test_rows))
        scores.embedded_other[test_rows] = heads.other.probabilities(held_out)[:, 0]
        scores.embedded[test_rows] = heads.narratives.probabilities(held_out)
    return scores


def fit_narrative_model(
    docs: Sequence[Semeval2025Document], taxonomy: Taxonomy, seed: int, progress: Progress = None
) -> tuple[NarrativeModel, dict[str, Any]]:
    """Fit on ``docs``, with thresholds and the embedding heads' share tuned on out-of-fold scores of
    ``docs`` themselves."""
    docs = [d for d in docs if d.narratives]
    if len(docs) < 2 * INNER_FOLDS:
        raise DataError(f"need at least {2 * INNER_FOLDS} articles with narrative labels, got {len(docs)}")
    probe = _fit_narratives_plain(docs[:2], taxonomy, seed)  # only for the label layout
    labels = probe.narratives.labels
    _say(progress, "narratives: article embeddings")
    vectors = embed_paragraphs_cached([d.text for d in docs])
    anchors = label_anchors(probe)
    oof = inner_fold_scores(docs, taxonomy, seed, vectors, anchors, progress)
    _say(progress, "narratives: tuning thresholds and the embedding share")
    gold_n, gold_s = [d.narratives for d in docs], [d.subnarratives for d in docs]
    tuned: dict[float, tuple[NarrativeThresholds, float]] = {}
    for share in NARRATIVE_SHARES:
        mixed = oof.tfidf.mixed_with(oof.embedded_other, oof.embedded, share)
        tuned[share] = tune_thresholds(probe, mixed, gold_n, gold_s)
    # Ties go to the smaller share (the first tried).
    best_share = max(NARRATIVE_SHARES, key=lambda w: (round(tuned[w][1], 9), -w))
    thresholds, inner_f1 = tuned[0.0]
    model = _fit_narratives_plain(docs, taxonomy, seed, thresholds)
    model.embedded = _fit_embedded_heads(docs, vectors, labels, anchors, seed)
    model.embedded.share, model.embedded.thresholds = best_share, tuned[best_share][0]
    return model, {
        "inner_cv_mean_samples_f1": round(inner_f1, 4),
        "thresholds": thresholds.to_dict(),
        "inner_cv_mean_samples_f1_with_embedding": round(tuned[best_share][1], 4),
        "embedding_share": best_share,
        "embedding_paragraphs": model.embedded.paragraphs,
        "embedding_label_descriptions": 0 if anchors is None else len(anchors),
        "label_closeness_weight": model.embedded.closeness_weight,
        "thresholds_with_embedding": tuned[best_share][0].to_dict(),
    }


# ---------------------------------------------------------------------------
# Roles


def parse_documents(
    docs: Sequence[Semeval2025Document], nlp: Language, progress: Progress = None
) -> dict[str, Doc]:
    """spaCy parses of the documents that carry role annotations (parsed once, reused by every fold)."""
    role_docs = [d for d in docs if d.mentions]
    _say(progress, f"roles: parsing {len(role_docs)} articles with spaCy")
    return {
        d.id: parsed
        for d, parsed in zip(role_docs, nlp.pipe([d.text for d in role_docs], batch_size=16), strict=True)
    }


@dataclass
class RoleExamples:
    features: list[list[str]]
    mains: list[str]
    fines: list[tuple[str, ...]]
    doc_ids: list[str]
    sentences: list[str]

    def embeddings(self) -> np.ndarray:
        """MiniLM embeddings of the mentions' sentences (each sentence embedded once per process)."""
        return embed_sentences_cached(self.sentences)


def role_examples(
    docs: Sequence[Semeval2025Document], parsed: dict[str, Doc], domains: dict[str, str] | None = None
) -> RoleExamples:
    """One example per gold mention; ``domains`` overrides the documents' own (e.g. predicted ones)."""
    out = RoleExamples([], [], [], [], [])
    for doc in docs:
        if not doc.mentions:
            continue
        spacy_doc = parsed[doc.id]
        domain = (domains or {}).get(doc.id, doc.domain)
        for mention in doc.mentions:
            mates = [
                o for o in entity_occurrences(doc.text, mention.entity) if o != (mention.start, mention.end)
            ]
            out.features.append(mention_features(spacy_doc, mention.start, mention.end, mates, domain))
            out.mains.append(mention.main)
            out.fines.append(mention.fine)
            out.doc_ids.append(doc.id)
            out.sentences.append(mention_sentence(spacy_doc, mention.start, mention.end))
    return out


def _entity_key(text: str) -> str:
    key = text.lower().strip()
    key = re.sub(r"^the\s+", "", key)
    return re.sub(r"['’]s$", "", key)


def salience_candidates(
    doc: Semeval2025Document, spacy_doc: Doc
) -> tuple[list[list[float]], list[int], list[str]]:
    """spaCy's named entities of one article, grouped by name; positive when annotators cast any mention."""
    groups: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for ent in spacy_doc.ents:
        entity_type = SPACY_ENTITY_TYPES.get(ent.label_)
        if entity_type is not None:
            groups[_entity_key(ent.text)].append((ent.start_char, ent.end_char, entity_type))
    first_line_end = doc.text.find("\n") if "\n" in doc.text else len(doc.text)
    sentence_starts = [s.start_char for s in spacy_doc.sents]
    X: list[list[float]] = []
    y: list[int] = []
    keys: list[str] = []
    for key, mentions in sorted(groups.items()):
        spans = [(s, e) for s, e, _ in mentions]
        types = [t for _, _, t in mentions]
        entity_type = max(sorted(set(types)), key=types.count)
        in_sentences = {int(np.searchsorted(sentence_starts, s, side="right")) for s, _ in spans}
        X.append(
            salience_features(
                len(doc.text),
                entity_type,
                spans,
                first_line_end,
                len(sentence_starts),
                len(in_sentences),
                key,
            )
        )
        cast = any(m.start < e and s < m.end for s, e in spans for m in doc.mentions)
        y.append(int(cast))
        keys.append(key)
    return X, y, keys


def role_anchors() -> np.ndarray:
    """The fine roles' one-line descriptions, embedded as mention sentences are."""
    return embed_sentences_cached(list(FINE_ROLE_DESCRIPTIONS.values()))


def _fit_roles_plain(
    examples: RoleExamples, salience_X: np.ndarray, salience_y: np.ndarray, seed: int, threshold: float = 0.5
) -> RoleModel:
    return RoleModel.fit(
        examples.features,
        examples.mains,
        examples.fines,
        salience_X,
        salience_y,
        seed=seed,
        salience_threshold=threshold,
        embeddings=examples.embeddings(),
        role_anchors=role_anchors(),
    )


def _best_f1_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for threshold in np.arange(0.3, 0.951, 0.025):
        predicted = probabilities >= threshold
        tp = float((predicted & (labels == 1)).sum())
        if tp == 0:
            continue
        precision = tp / predicted.sum()
        recall = tp / (labels == 1).sum()
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[1] + 1e-9:
            best = (round(float(threshold), 3), f1)
    return best


def fit_role_model(
    docs: Sequence[Semeval2025Document], parsed: dict[str, Doc], seed: int, progress: Progress = None
) -> tuple[RoleModel, dict[str, Any]]:
    """Fit the role classifiers and the salience model; its threshold comes from inner folds."""
    role_docs = [d for d in docs if d.mentions]
    if len(role_docs) < INNER_FOLDS:
        raise DataError(f"need at least {INNER_FOLDS} articles with role annotations, got {len(role_docs)}")
    examples = role_examples(role_docs, parsed)
    per_doc = [salience_candidates(d, parsed[d.id]) for d in role_docs]
    salience_X = np.array([x for X, _, _ in per_doc for x in X], dtype=np.float64)
    salience_y = np.array([v for _, y, _ in per_doc for v in y], dtype=int)
    salience_doc = [i for i, (X, _, _) in enumerate(per_doc) for _ in X]
    assignment = document_folds([document_stratum(d) for d in role_docs], INNER_FOLDS, seed)
    oof = np.zeros(len(salience_y))
    _say(progress, "roles: tuning the salience threshold on inner folds")
    for fold in range(INNER_FOLDS):
        rows = np.array([assignment[k] != fold for k in salience_doc])
        if rows.all() or not rows.any():
            continue
        salience = DenseLogistic.fit(salience_X[rows], salience_y[rows], C=SALIENCE_C, seed=seed)
        oof[~rows] = salience.probabilities(salience_X[~rows])
    threshold, f1 = _best_f1_threshold(oof, salience_y)
    _say(progress, "roles: final fit")
    model = _fit_roles_plain(examples, salience_X, salience_y, seed, threshold)
    return model, {
        "salience_threshold": threshold,
        "salience_inner_cv_f1": round(f1, 4),
        "salience_candidates": len(salience_y),
        "salience_positive_share": round(float(salience_y.mean()), 4) if len(salience_y) else 0.0,
        "mentions": len(examples.mains),
        "fine_role_descriptions": 0 if model.role_anchors is None else len(model.role_anchors),
        "fine_role_closeness_weight": model.closeness_weight,
    }


# ---------------------------------------------------------------------------
# Both, and the command


def fit_models(
    docs: Sequence[Semeval2025Document],
    taxonomy: Taxonomy,
    parsed: dict[str, Doc],
    seed: int = 13,
    progress: Progress = None,
) -> tuple[Semeval2025Models, dict[str, Any]]:
    narratives, narrative_info = fit_narrative_model(docs, taxonomy, seed, progress)
    roles, role_info = fit_role_model(docs, parsed, seed, progress)
    return Semeval2025Models(narratives, roles), {"narratives": narrative_info, "roles": role_info}


MIN_TRAIN_DOCUMENTS = 12


def train(data_dir: Path, out_dir: Path, seed: int = 13, progress: Progress = None) -> Path:
    """Cross-validate (for the model card), then fit on all of ``data_dir`` and write to ``out_dir``."""
    import platform

    import sklearn

    from spinlens.evaluate.semeval2025 import cross_validate_loaded
    from spinlens.nlp.spacy_model import load_spacy

    check_output_folder(Path(out_dir), "semeval2025")
    started = _dt.datetime.now(_dt.UTC)
    data = load_semeval2025(Path(data_dir))
    _say(progress, f"read {len(data.documents)} documents from {data_dir}")
    if len(data.narrative_documents) < MIN_TRAIN_DOCUMENTS:
        # Checked before the slow parse: five folds with inner folds need this many.
        raise DataError(
            f"{data_dir}: {len(data.narrative_documents)} documents with narrative labels are too few to "
            f"train on; need at least {MIN_TRAIN_DOCUMENTS}"
        )
    parsed = parse_documents(data.documents, load_spacy(), progress)
    report = cross_validate_loaded(data, parsed, folds=5, seed=seed, progress=progress)
    _say(progress, "fitting on all documents")
    models, info = fit_models(data.documents, data.taxonomy, parsed, seed, progress)
    out_dir = Path(out_dir)
    card = {
        "task": "SemEval-2025 Task 10, English: subtask 2 (narratives) and subtask 1 (entity roles)",
        "data": {
            "path": str(Path(data_dir)),
            "documents": len(data.documents),
            "documents_with_narratives": len(data.narrative_documents),
            "documents_with_roles": len(data.role_documents),
            "mentions": sum(len(d.mentions) for d in data.documents),
            "repaired_offsets": data.repaired_offsets,
        },
        "date": started.date().isoformat(),
        "training_seconds": round((_dt.datetime.now(_dt.UTC) - started).total_seconds(), 1),
        "seed": seed,
        "python": platform.python_version(),
        "scikit_learn": sklearn.__version__,
        "blas_kernels": blas_kernels(),  # see spinlens.train.kernels
        "labels": {
            "narratives": models.narratives.narratives.labels,
            "subnarratives": models.narratives.subnarratives.labels,
            "main_roles": models.roles.main.labels,
            "fine_roles": {role: head.labels for role, head in models.roles.fine.items()},
        },
        "thresholds": {
            "narratives": models.narratives.thresholds.to_dict(),
            "salience": models.roles.salience_threshold,
        },
        "training": info,
        "metrics": report.to_dict(),
        "licence": "Trained on SemEval-2025 Task 10 data; use under the task's data terms.",
    }
    path = models.save(out_dir, card)
    _say(progress, f"wrote {path}")
    return path
