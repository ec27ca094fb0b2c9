"""Cross-validating the SemEval-2025 models with the task's official metrics.

Folds are drawn over documents (stratified by domain, "Other" and whether roles
are annotated): every figure is on articles the models never saw, and every
threshold is tuned on inner folds of the training part only.

Metrics, as the task's scorers compute them:

* narratives: samples-F1, i.e. the F1 between an article's gold and predicted
  label sets, averaged over articles; coarse (narratives) and fine
  (sub-narratives);
* entity roles, per gold mention: main-role accuracy and the exact-match ratio
  of the fine-role set.

Each is reported beside two baselines fitted on the same folds: a trivial one
("Other" for every article; "Antagonist" with its most common fine role for
every mention) and a plain word+char TF-IDF logistic regression.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from spinlens.datasets.semeval2025 import (
    FINE_ROLES_BY_MAIN,
    OTHER,
    Semeval2025Data,
    Semeval2025Document,
    load_semeval2025,
)
from spinlens.evaluate.metrics import multilabel_scores, single_label_scores
from spinlens.models.semeval2025 import TfidfEncoder, samples_f1
from spinlens.train.embedding_cache import embed_paragraphs_cached
from spinlens.train.semeval2025 import (
    document_folds,
    document_stratum,
    fit_models,
    parse_documents,
    role_examples,
    salience_candidates,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

Progress = Callable[[str], None] | None

METRICS = ("narratives_f1_coarse", "narratives_f1_fine", "roles_main_accuracy", "roles_fine_exact_match")
METRIC_NAMES = {
    "narratives_f1_coarse": "narratives samples-F1 (coarse)",
    "narratives_f1_fine": "sub-narratives samples-F1 (fine)",
    "roles_main_accuracy": "entity main-role accuracy",
    "roles_fine_exact_match": "entity fine-role exact match",
}
SYSTEMS = ("spinlens", "tfidf_lr", "trivial")
SYSTEM_NAMES = {"spinlens": "spinlens", "tfidf_lr": "TF-IDF LR", "trivial": "trivial"}


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


@dataclass
class FoldResult:
    fold: int
    documents: int
    mentions: int
    scores: dict[str, dict[str, float]]  # system -> metric -> value


@dataclass
class Semeval2025Report:
    folds: int
    seed: int
    documents: int
    mentions: int
    role_documents: int
    scores: dict[str, dict[str, float]]  # pooled over all evaluated documents / mentions
    per_fold: list[FoldResult]
    diagnostics: dict[str, Any] = field(default_factory=dict)
    # spinlens's pooled figures per label: "narratives", "main_roles", "fine_roles" -> label -> P/R/F1/support
    per_label: dict[str, dict[str, dict[str, float | int]]] = field(default_factory=dict)

    def spread(self, system: str, metric: str) -> float:
        values = [f.scores[system][metric] for f in self.per_fold if metric in f.scores[system]]
        return float(np.std(values)) if values else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": "SemEval-2025 Task 10 (EN): subtask 2 narratives, subtask 1 entity roles",
            "folds": self.folds,
            "seed": self.seed,
            "documents": self.documents,
            "role_documents": self.role_documents,
            "mentions": self.mentions,
            "scores": {s: {m: round(v, 4) for m, v in ms.items()} for s, ms in self.scores.items()},
            "fold_std": {s: {m: round(self.spread(s, m), 4) for m in METRICS} for s in self.scores},
            "per_fold": [
                {
                    "fold": f.fold,
                    "documents": f.documents,
                    "mentions": f.mentions,
                    "scores": {s: {m: round(v, 4) for m, v in ms.items()} for s, ms in f.scores.items()},
                }
                for f in self.per_fold
            ],
            "diagnostics": self.diagnostics,
            "per_label": self.per_label,
        }

    def format_table(self) -> str:
        lines = [
            f"SemEval-2025 Task 10 (EN), {self.folds}-fold cross-validation by document, seed {self.seed}",
            f"{self.documents} documents; {self.mentions} role mentions in {self.role_documents} of them",
            "",
            f"{'metric':<36}" + "".join(f"{SYSTEM_NAMES[s]:>16}" for s in SYSTEMS),
        ]
        for metric in METRICS:
            row = f"{METRIC_NAMES[metric]:<36}"
            for system in SYSTEMS:
                value = self.scores[system][metric]
                row += f"{value:>9.3f} ±{self.spread(system, metric):.3f}"
            lines.append(row)
        lines.append("")
        lines.append("± is the standard deviation over folds; figures are pooled over all held-out items.")
        for key, value in self.diagnostics.items():
            lines.append(f"{key}: {value}")
        titles = {
            "narratives": "Narrative (spinlens, per article)",
            "main_roles": "Main role (spinlens, per mention)",
            "fine_roles": "Fine role (spinlens, per mention)",
        }
        for group, title in titles.items():
            rows = self.per_label.get(group)
            if not rows:
                continue
            lines += [
                "",
                f"| {title:<62} |      P |      R |     F1 | support |",
                f"|{'-' * 64}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 9}|",
            ]
            for label, prf in sorted(rows.items(), key=lambda kv: (-int(kv[1]["support"]), kv[0])):
                figures = " | ".join(f"{prf[key]:>6.3f}" for key in ("precision", "recall", "f1"))
                lines.append(f"| {label[:62]:<62} | {figures} | {prf['support']:>7} |")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Metrics


def main_role_accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def exact_match_ratio(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> float:
    if not gold:
        return 0.0
    return sum(set(g) == set(p) for g, p in zip(gold, predicted, strict=True)) / len(gold)


def _narrative_scores(
    docs: Sequence[Semeval2025Document], coarse: Sequence[Sequence[str]], fine: Sequence[Sequence[str]]
) -> dict[str, float]:
    return {
        "narratives_f1_coarse": samples_f1([d.narratives for d in docs], coarse),
        "narratives_f1_fine": samples_f1([d.subnarratives for d in docs], fine),
    }


def _role_scores(
    gold_main: Sequence[str],
    gold_fine: Sequence[Sequence[str]],
    main: Sequence[str],
    fine: Sequence[Sequence[str]],
) -> dict[str, float]:
    return {
        "roles_main_accuracy": main_role_accuracy(gold_main, main),
        "roles_fine_exact_match": exact_match_ratio(gold_fine, fine),
    }


# ---------------------------------------------------------------------------
# Baselines


def trivial_roles(train_fines: Sequence[Sequence[str]]) -> tuple[str, tuple[str, ...]]:
    """'Antagonist' and the fine role most often given to antagonists in the training part."""
    counts = Counter(r for fine in train_fines for r in fine if r in FINE_ROLES_BY_MAIN["Antagonist"])
    best = (
        min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if counts
        else FINE_ROLES_BY_MAIN["Antagonist"][0]
    )
    return "Antagonist", (best,)


class TfidfBaseline:
    """Word 1-2-gram + character 2-5-gram TF-IDF, one logistic regression per label, threshold 0.5."""

    WORD: ClassVar[dict[str, Any]] = {"sublinear_tf": True, "ngram_range": [1, 2], "min_df": 2}
    CHAR: ClassVar[dict[str, Any]] = {
        "sublinear_tf": True,
        "analyzer": "char_wb",
        "ngram_range": [2, 5],
        "min_df": 2,
        "max_features": 50000,
    }

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.encoders: tuple[TfidfEncoder, TfidfEncoder] | None = None

    def _fit_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # The vocabulary cut of our encoder is the same on every CPU; scikit-learn's is not.
        self.encoders = (TfidfEncoder.fit(texts, self.WORD), TfidfEncoder.fit(texts, self.CHAR))
        return self._matrix(texts)

    def _matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self.encoders is None:
            raise RuntimeError("the baseline is used before it is fitted")
        word, char = self.encoders
        return sparse.hstack([word.transform(texts), char.transform(texts)]).tocsr()

    def _model(self) -> LogisticRegression:
        return LogisticRegression(
            C=10.0, solver="liblinear", dual=True, max_iter=5000, random_state=self.seed
        )

    def narratives(
        self, train: Sequence[Semeval2025Document], test: Sequence[Semeval2025Document]
    ) -> tuple[list[list[str]], list[list[str]]]:
        X = self._fit_matrix([d.text for d in train])
        Xt = self._matrix([d.text for d in test])
        out: list[list[list[str]]] = []
        for attr in ("narratives", "subnarratives"):
            gold = [set(getattr(d, attr)) for d in train]
            labels = sorted({label for g in gold for label in g} - {OTHER})
            predicted: list[list[str]] = [[] for _ in test]
            for label in labels:
                y = np.array([label in g for g in gold], dtype=int)
                if y.all():
                    continue
                p = self._model().fit(X, y).predict_proba(Xt)[:, 1]
                for i in np.flatnonzero(p >= 0.5):
                    predicted[i].append(label)
            out.append([labels_ or [OTHER] for labels_ in predicted])
        return out[0], out[1]

    def roles(
        self,
        train_sentences: Sequence[str],
        train_main: Sequence[str],
        train_fine: Sequence[Sequence[str]],
        test_sentences: Sequence[str],
    ) -> tuple[list[str], list[tuple[str, ...]]]:
        X = self._fit_matrix(train_sentences)
        Xt = self._matrix(test_sentences)
        main = LogisticRegression(C=10.0, max_iter=5000, random_state=self.seed).fit(X, list(train_main))
        fine_keys = ["|".join(sorted(f)) for f in train_fine]
        fine = LogisticRegression(C=10.0, max_iter=5000, random_state=self.seed).fit(X, fine_keys)
        return [str(m) for m in main.predict(Xt)], [tuple(str(k).split("|")) for k in fine.predict(Xt)]


def mention_sentence(spacy_doc: Doc, start: int, end: int) -> str:
    span = spacy_doc.char_span(start, end, alignment_mode="expand")
    return span.sent.text if span is not None and len(span) else spacy_doc.text[start:end]


# ---------------------------------------------------------------------------
# Cross-validation


def cross_validate(
    data_dir: Path, folds: int = 5, seed: int = 13, progress: Progress = None
) -> Semeval2025Report:
    """k-fold cross-validation of the narrative and role models on a SemEval-2025 language folder."""
    from spinlens.nlp.spacy_model import load_spacy

    data = load_semeval2025(Path(data_dir))
    _say(progress, f"read {len(data.documents)} documents from {data_dir}")
    parsed = parse_documents(data.documents, load_spacy(), progress)
    return cross_validate_loaded(data, parsed, folds=folds, seed=seed, progress=progress)


def cross_validate_loaded(
    data: Semeval2025Data, parsed: dict[str, Doc], folds: int = 5, seed: int = 13, progress: Progress = None
) -> Semeval2025Report:
    docs = [d for d in data.documents if d.narratives or d.mentions]
    assignment = document_folds([document_stratum(d) for d in docs], folds, seed)
    pooled: dict[str, dict[str, list[Any]]] = {
        s: {"coarse": [], "fine": [], "main": [], "fine_roles": []} for s in SYSTEMS
    }
    gold_docs: list[Semeval2025Document] = []
    gold_main: list[str] = []
    gold_fine: list[tuple[str, ...]] = []
    per_fold: list[FoldResult] = []
    salience_hits = Counter[str]()
    fast_coarse: list[list[str]] = []
    fast_fine: list[list[str]] = []
    other_correct = 0
    for fold in range(folds):
        train = [d for d, f in zip(docs, assignment, strict=True) if f != fold]
        test = [d for d, f in zip(docs, assignment, strict=True) if f == fold]
        _say(progress, f"fold {fold + 1}/{folds}: training on {len(train)} documents, testing on {len(test)}")
        models, _ = fit_models(train, data.taxonomy, parsed, seed)

        test_n = [d for d in test if d.narratives]
        test_texts = [d.text for d in test_n]
        predictions = models.narratives.predict(test_texts, embed_paragraphs_cached(test_texts))
        without_embedding = models.narratives.predict(test_texts)
        fast_coarse.extend(p.narrative_labels for p in without_embedding)
        fast_fine.extend(p.subnarrative_labels for p in without_embedding)
        domains = {d.id: p.domain for d, p in zip(test_n, predictions, strict=True)}
        other_correct += sum(
            p.is_other == (set(d.narratives) == {OTHER}) for d, p in zip(test_n, predictions, strict=True)
        )
        system_coarse = {
            "spinlens": [p.narrative_labels for p in predictions],
            "trivial": [[OTHER] for _ in test_n],
        }
        system_fine = {
            "spinlens": [p.subnarrative_labels for p in predictions],
            "trivial": [[OTHER] for _ in test_n],
        }
        _say(progress, f"fold {fold + 1}/{folds}: TF-IDF baseline")
        baseline = TfidfBaseline(seed)
        system_coarse["tfidf_lr"], system_fine["tfidf_lr"] = baseline.narratives(
            [d for d in train if d.narratives], test_n
        )

        test_r = [d for d in test if d.mentions]
        train_r = [d for d in train if d.mentions]
        examples = role_examples(test_r, parsed, domains)
        role_predictions = models.roles.predict(examples.features, examples.embeddings())
        train_examples = role_examples(train_r, parsed)
        trivial_main, trivial_fine = trivial_roles(train_examples.fines)
        sentences_train = [
            mention_sentence(parsed[d.id], m.start, m.end) for d in train_r for m in d.mentions
        ]
        sentences_test = [mention_sentence(parsed[d.id], m.start, m.end) for d in test_r for m in d.mentions]
        base_main, base_fine = baseline.roles(
            sentences_train, train_examples.mains, train_examples.fines, sentences_test
        )
        system_main = {
            "spinlens": [p.main for p in role_predictions],
            "trivial": [trivial_main] * len(examples.mains),
            "tfidf_lr": base_main,
        }
        system_fine_roles = {
            "spinlens": [p.fine for p in role_predictions],
            "trivial": [trivial_fine] * len(examples.mains),
            "tfidf_lr": base_fine,
        }

        for d in test_r:
            X, y, _ = salience_candidates(d, parsed[d.id])
            if not X:
                continue
            p = models.roles.salience.probabilities(np.array(X)) >= models.roles.salience_threshold
            truth = np.array(y) == 1
            salience_hits["tp"] += int((p & truth).sum())
            salience_hits["fp"] += int((p & ~truth).sum())
            salience_hits["fn"] += int((~p & truth).sum())
            salience_hits["candidates"] += len(y)

        fold_scores: dict[str, dict[str, float]] = {}
        for system in SYSTEMS:
            fold_scores[system] = {
                **_narrative_scores(test_n, system_coarse[system], system_fine[system]),
                **_role_scores(
                    examples.mains, examples.fines, system_main[system], system_fine_roles[system]
                ),
            }
            pooled[system]["coarse"].extend(system_coarse[system])
            pooled[system]["fine"].extend(system_fine[system])
            pooled[system]["main"].extend(system_main[system])
            pooled[system]["fine_roles"].extend(system_fine_roles[system])
        per_fold.append(FoldResult(fold + 1, len(test_n), len(examples.mains), fold_scores))
        gold_docs.extend(test_n)
        gold_main.extend(examples.mains)
        gold_fine.extend(examples.fines)
        _say(
            progress,
            f"fold {fold + 1}/{folds}: coarse {fold_scores['spinlens']['narratives_f1_coarse']:.3f}, "
            f"fine {fold_scores['spinlens']['narratives_f1_fine']:.3f}, "
            f"main {fold_scores['spinlens']['roles_main_accuracy']:.3f}, "
            f"exact {fold_scores['spinlens']['roles_fine_exact_match']:.3f}",
        )

    scores = {
        system: {
            **_narrative_scores(gold_docs, pooled[system]["coarse"], pooled[system]["fine"]),
            **_role_scores(gold_main, gold_fine, pooled[system]["main"], pooled[system]["fine_roles"]),
        }
        for system in SYSTEMS
    }
    tp, fp, fn = salience_hits["tp"], salience_hits["fp"], salience_hits["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    fast_scores = _narrative_scores(gold_docs, fast_coarse, fast_fine)
    diagnostics = {
        "narratives without the article embedding (fast profile), coarse / fine": (
            f"{fast_scores['narratives_f1_coarse']:.3f} / {fast_scores['narratives_f1_fine']:.3f}"
        ),
        "'Other' decided correctly (share of articles)": round(other_correct / max(len(gold_docs), 1), 3),
        "role salience on spaCy entities (precision / recall)": f"{precision:.3f} / {recall:.3f} "
        f"over {salience_hits['candidates']} candidate entities",
    }
    ours = pooled["spinlens"]
    narrative_labels = sorted(
        {n for d in gold_docs for n in d.narratives} | {n for p in ours["coarse"] for n in p}
    )
    role_labels = sorted(
        {r for roles in gold_fine for r in roles} | {r for p in ours["fine_roles"] for r in p}
    )
    per_label = {
        "narratives": multilabel_scores([d.narratives for d in gold_docs], ours["coarse"], narrative_labels),
        "main_roles": single_label_scores(gold_main, ours["main"], sorted(FINE_ROLES_BY_MAIN)),
        "fine_roles": multilabel_scores(gold_fine, ours["fine_roles"], role_labels),
    }
    return Semeval2025Report(
        folds=folds,
        seed=seed,
        documents=len(gold_docs),
        mentions=len(gold_main),
        role_documents=sum(1 for d in docs if d.mentions),
        scores=scores,
        per_fold=per_fold,
        diagnostics=diagnostics,
        per_label={
            group: {label: prf.to_dict() for label, prf in label_scores.per_label.items()}
            for group, label_scores in per_label.items()
        },
    )
