"""Cross-validated evaluation of the SemEval-2023 models against simple baselines.

Folds are drawn at article level; for each fold every model is trained on the
other folds (with its own inner folds for tuning) and predicts the held-out
articles. The baselines are fitted on exactly the same training folds.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from spinlens.core.settings import FRAMES, GENRES, TECHNIQUES
from spinlens.datasets.semeval2023 import (
    Semeval2023Article,
    Semeval2023Labels,
    TechniqueSpan,
    load_dataset,
)
from spinlens.evaluate.metrics import multilabel_scores, single_label_scores, span_scores
from spinlens.models.arrays import sigmoid
from spinlens.models.predictions import TechniqueOutput
from spinlens.models.semeval2023 import Semeval2023Models, TfidfEncoder, fit_binary_heads
from spinlens.nlp.segment import Paragraph, paragraphs

Progress = Callable[[str], None] | None


class TechniqueSource(Protocol):
    def predict_techniques(self, text: str, paras: list[Paragraph] | None = None) -> TechniqueOutput: ...


SYSTEM = "spinlens"
BASELINE_TRIVIAL = "trivial"
BASELINE_TFIDF = "tfidf_lr"
SYSTEMS = (SYSTEM, BASELINE_TFIDF, BASELINE_TRIVIAL)

METRICS: tuple[tuple[str, str], ...] = (
    ("genre_macro_f1", "Genre macro-F1"),
    ("genre_macro_f1_fast", "Genre macro-F1, fast profile"),
    ("genre_accuracy", "Genre accuracy"),
    ("frames_micro_f1", "Frames micro-F1"),
    ("frames_macro_f1", "Frames macro-F1"),
    ("paragraph_micro_f1", "Paragraph techniques micro-F1"),
    ("paragraph_macro_f1", "Paragraph techniques macro-F1"),
    ("span_any_f1", "Spans F1, any technique"),
    ("span_technique_f1", "Spans F1, technique-aware"),
)


def predict_labels(
    models: Semeval2023Models,
    texts: Mapping[str, str],
    techniques: TechniqueSource | None = None,
    embed: bool = True,
) -> Semeval2023Labels:
    """Run the models over ``{id: text}`` and return what the four label files would hold.

    Paragraph techniques and spans come from ``techniques`` when given (the
    fine-tuned encoder), else from the linear models. ``embed=False`` leaves the
    sentence embeddings out of the genre, as the fast profile does.
    """
    labels = technique_labels(techniques if techniques is not None else models, texts)
    article_labels(models, texts, embed, into=labels)
    return labels


def article_labels(
    models: Semeval2023Models, texts: Mapping[str, str], embed: bool, into: Semeval2023Labels | None = None
) -> Semeval2023Labels:
    """Genre and frames of ``{id: text}``, with or without the article embeddings."""
    from spinlens.nlp.embed import article_embeddings

    labels = Semeval2023Labels() if into is None else into
    ids = list(texts)
    batch = [texts[i] for i in ids]
    embeddings = article_embeddings(batch) if embed and models.articles.embedded_genre is not None else None
    for article_id, (genre, _, frames, _) in zip(
        ids, models.predict_article_labels(batch, embeddings), strict=True
    ):
        labels.genres[article_id] = genre
        labels.frames[article_id] = frozenset(frames)
    return labels


def technique_labels(source: TechniqueSource, texts: Mapping[str, str]) -> Semeval2023Labels:
    """Paragraph technique labels and spans of ``{id: text}`` (the subtask 3 files only)."""
    labels = Semeval2023Labels()
    for article_id, text in texts.items():
        output = source.predict_techniques(text)
        labels.lines[article_id] = {p.line: frozenset(p.labels) for p in output.paragraphs}
        labels.spans[article_id] = sorted({TechniqueSpan(s.start, s.end, s.technique) for s in output.spans})
    return labels


def score_labels(gold: Semeval2023Labels, pred: Semeval2023Labels) -> dict[str, Any]:
    """Official-style scores of ``pred`` on every article annotated in ``gold``.

    Paragraphs are every (article, line) row of the gold line labels; a missing
    prediction counts as "no technique", a missing genre as wrong.
    """
    result: dict[str, Any] = {}
    if gold.genres:
        ids = sorted(gold.genres)
        genre = single_label_scores(
            [gold.genres[i] for i in ids], [pred.genres.get(i, "") for i in ids], GENRES
        )
        result["genre_macro_f1"] = genre.macro_f1
        result["genre_accuracy"] = genre.micro.f1
        result["genre_per_label"] = {k: v.to_dict() for k, v in genre.per_label.items()}
    if gold.frames:
        ids = sorted(gold.frames)
        frames = multilabel_scores(
            [gold.frames[i] for i in ids],
            [pred.frames.get(i, frozenset()) for i in ids],
            [f for f in FRAMES if any(f in gold.frames[i] for i in ids)],
        )
        result["frames_micro_f1"] = frames.micro.f1
        result["frames_macro_f1"] = frames.macro_f1
        result["frames_per_label"] = {k: v.to_dict() for k, v in frames.per_label.items()}
    if gold.lines:
        keys = [(i, line) for i in sorted(gold.lines) for line in sorted(gold.lines[i])]
        g = [gold.lines[i][line] for i, line in keys]
        p = [pred.lines.get(i, {}).get(line, frozenset()) for i, line in keys]
        seen = [t for t in TECHNIQUES if any(t in labels for labels in g)]
        techniques = multilabel_scores(g, p, seen)
        result["paragraph_micro_f1"] = techniques.micro.f1
        result["paragraph_micro_precision"] = techniques.micro.precision
        result["paragraph_micro_recall"] = techniques.micro.recall
        result["paragraph_macro_f1"] = techniques.macro_f1
        result["paragraph_per_label"] = {k: v.to_dict() for k, v in techniques.per_label.items()}
        gold_spans = {i: [(s.technique, s.start, s.end) for s in gold.spans.get(i, [])] for i in gold.lines}
        pred_spans = {i: [(s.technique, s.start, s.end) for s in pred.spans.get(i, [])] for i in gold.lines}
        aware = span_scores(gold_spans, pred_spans, label_aware=True)
        agnostic = span_scores(gold_spans, pred_spans, label_aware=False)
        result["span_technique_f1"] = aware.overall.f1
        result["span_technique_precision"] = aware.overall.precision
        result["span_technique_recall"] = aware.overall.recall
        result["span_any_f1"] = agnostic.overall.f1
        result["span_any_precision"] = agnostic.overall.precision
        result["span_any_recall"] = agnostic.overall.recall
        result["span_per_label"] = {k: v.to_dict() for k, v in aware.per_label.items()}
    return result


# ---------------------------------------------------------------------------
# Baselines


def trivial_baseline(train: Sequence[Semeval2023Article], texts: Mapping[str, str]) -> Semeval2023Labels:
    """Majority genre, the three commonest frames, Loaded_Language on every paragraph (and as its span)."""
    genres = Counter(a.genre for a in train if a.genre is not None)
    majority = min(genres, key=lambda g: (-genres[g], g)) if genres else GENRES[0]
    frame_counts = Counter(f for a in train for f in (a.frames or ()))
    top3 = frozenset(sorted(frame_counts, key=lambda f: (-frame_counts[f], f))[:3])
    labels = Semeval2023Labels()
    for article_id, text in texts.items():
        labels.genres[article_id] = majority
        labels.frames[article_id] = top3
        paras = paragraphs(text)
        labels.lines[article_id] = {p.line: frozenset({"Loaded_Language"}) for p in paras}
        labels.spans[article_id] = [TechniqueSpan(p.start, p.end, "Loaded_Language") for p in paras]
    return labels


_BASE_WORD = {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True, "max_features": 50000}
_BASE_CHAR = {
    "analyzer": "char_wb",
    "ngram_range": [2, 5],
    "min_df": 3,
    "sublinear_tf": True,
    "max_features": 50000,
}


def _tfidf(train_texts: Sequence[str]) -> Callable[[Sequence[str]], sparse.csr_matrix]:
    word, char = TfidfEncoder.fit(train_texts, _BASE_WORD), TfidfEncoder.fit(train_texts, _BASE_CHAR)
    return lambda texts: sparse.hstack([word.transform(texts), char.transform(texts)]).tocsr()


def tfidf_baseline(
    train: Sequence[Semeval2023Article], texts: Mapping[str, str], seed: int
) -> Semeval2023Labels:
    """Plain word+char TF-IDF logistic regressions, probability 0.5 as the cut-off everywhere.

    Paragraph labels are also emitted as whole-paragraph spans.
    """
    labels = Semeval2023Labels()
    ids = list(texts)
    genre_train = [a for a in train if a.genre is not None]
    frame_train = [a for a in train if a.frames is not None]
    encode = _tfidf([a.text for a in train])
    X_test = encode([texts[i] for i in ids])
    Yg = np.array([[a.genre == g for g in GENRES] for a in genre_train], dtype=np.int8)
    genre_heads = fit_binary_heads(
        encode([a.text for a in genre_train]), Yg, GENRES, C=1.0, class_weight="balanced", seed=seed
    )
    for i, row in zip(ids, genre_heads.decision(X_test), strict=True):
        labels.genres[i] = GENRES[int(np.argmax(row))]
    Yf = np.array([[f in (a.frames or ()) for f in FRAMES] for a in frame_train], dtype=np.int8)
    frame_heads = fit_binary_heads(
        encode([a.text for a in frame_train]), Yf, FRAMES, C=1.0, class_weight="balanced", seed=seed
    )
    for i, row in zip(ids, sigmoid(frame_heads.decision(X_test)), strict=True):
        labels.frames[i] = frozenset(f for f, p in zip(FRAMES, row, strict=True) if p >= 0.5)

    tech_train = [a for a in train if a.line_labels is not None]
    train_paras = [(a, p) for a in tech_train for p in paragraphs(a.text)]
    encode_p = _tfidf([p.text for _, p in train_paras])
    Yp = np.array(
        [[t in (a.line_labels or {}).get(p.line, ()) for t in TECHNIQUES] for a, p in train_paras],
        dtype=np.int8,
    )
    heads = fit_binary_heads(
        encode_p([p.text for _, p in train_paras]), Yp, TECHNIQUES, C=1.0, class_weight="balanced", seed=seed
    )
    for i in ids:
        paras = paragraphs(texts[i])
        probs = sigmoid(heads.decision(encode_p([p.text for p in paras]))) if paras else np.zeros((0, 1))
        labels.lines[i] = {}
        labels.spans[i] = []
        for p, row in zip(paras, probs, strict=True):
            found = frozenset(t for t, v in zip(TECHNIQUES, row, strict=True) if v >= 0.5)
            labels.lines[i][p.line] = found
            labels.spans[i].extend(TechniqueSpan(p.start, p.end, t) for t in sorted(found))
    return labels


# ---------------------------------------------------------------------------
# The report


@dataclass
class Semeval2023Report:
    data_dir: str
    folds: int
    seed: int
    n_articles: int
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)  # system -> metrics (pooled over folds)
    fold_scores: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    seconds: float = 0.0
    seconds_per_article_prediction: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "data_dir": self.data_dir,
            "folds": self.folds,
            "seed": self.seed,
            "n_articles": self.n_articles,
            "scores": self.scores,
            "fold_scores": self.fold_scores,
            "seconds": self.seconds,
            "seconds_per_article_prediction": self.seconds_per_article_prediction,
        }

    def _spread(self, system: str, metric: str) -> str:
        values = [f[metric] for f in self.fold_scores.get(system, []) if metric in f]
        return f" ±{np.std(values):.3f}" if len(values) > 1 else ""

    def format_table(self) -> str:
        lines = [
            f"SemEval-2023 Task 3 (en), {self.folds}-fold cross-validation by article, seed {self.seed}, "
            f"{self.n_articles} articles; pooled over folds (± = std over folds)",
            "",
            f"| {'Metric':<34} | {'spinlens':>15} | {'TF-IDF LR':>15} | {'trivial':>9} |",
            f"|{'-' * 36}|{'-' * 17}|{'-' * 17}|{'-' * 11}|",
        ]
        for key, title in METRICS:
            if key not in self.scores.get(SYSTEM, {}):
                continue
            ours = f"{self.scores[SYSTEM][key]:.3f}{self._spread(SYSTEM, key)}"
            base = self.scores.get(BASELINE_TFIDF, {})
            tfidf = f"{base[key]:.3f}{self._spread(BASELINE_TFIDF, key)}" if key in base else "–"
            simple = self.scores.get(BASELINE_TRIVIAL, {})
            trivial = f"{simple[key]:.3f}" if key in simple else "–"
            lines.append(f"| {title:<34} | {ours:>15} | {tfidf:>15} | {trivial:>9} |")
        return "\n".join(lines + self._label_tables())

    def _label_tables(self) -> list[str]:
        lines: list[str] = []
        ours = self.scores.get(SYSTEM, {})
        if "paragraph_per_label" in ours:
            lines += [
                "",
                "Per technique (paragraph F1, span technique-aware F1; support: gold paragraphs / spans)",
                "",
                f"| {'Technique':<34} | {'para F1':>7} | {'TF-IDF':>7} | {'span F1':>7} | {'support':>11} |",
                f"|{'-' * 36}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 13}|",
            ]
            base = self.scores[BASELINE_TFIDF].get("paragraph_per_label", {})
            spans = ours.get("span_per_label", {})
            for label, prf in sorted(ours["paragraph_per_label"].items(), key=lambda kv: -kv[1]["support"]):
                span = spans.get(label, {"f1": 0.0, "support": 0})
                support = f"{prf['support']} / {span['support']}"
                lines.append(
                    f"| {label:<34} | {prf['f1']:>7.3f} | {base.get(label, {}).get('f1', 0.0):>7.3f} | "
                    f"{span['f1']:>7.3f} | {support:>11} |"
                )
        if "frames_per_label" in ours:
            lines += [
                "",
                f"| {'Frame':<46} | {'F1':>6} | {'support':>7} |",
                f"|{'-' * 48}|{'-' * 8}|{'-' * 9}|",
            ]
            for label, prf in sorted(ours["frames_per_label"].items(), key=lambda kv: -kv[1]["support"]):
                lines.append(f"| {label:<46} | {prf['f1']:>6.3f} | {prf['support']:>7} |")
        if "genre_per_label" in ours:
            lines += [
                "",
                f"| {'Genre':<10} | {'P':>6} | {'R':>6} | {'F1':>6} | {'support':>7} |",
                f"|{'-' * 12}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 9}|",
            ]
            for label, prf in ours["genre_per_label"].items():
                lines.append(
                    f"| {label:<10} | {prf['precision']:>6.3f} | {prf['recall']:>6.3f} | {prf['f1']:>6.3f} | "
                    f"{prf['support']:>7} |"
                )
        lines += [
            "",
            f"Total time {self.seconds:.0f} s; prediction "
            f"{1000 * self.seconds_per_article_prediction:.0f} ms per article (all three models).",
        ]
        return lines


def _fast_genre_scores(gold: Semeval2023Labels, fast: Semeval2023Labels) -> dict[str, float]:
    """Genre scores of the fast profile (no embeddings), under their own metric names."""
    if not gold.genres:
        return {}
    only_genres = Semeval2023Labels(genres=fast.genres)
    scores = score_labels(Semeval2023Labels(genres=gold.genres), only_genres)
    return {"genre_macro_f1_fast": scores["genre_macro_f1"], "genre_accuracy_fast": scores["genre_accuracy"]}


def _merge(into: Semeval2023Labels, part: Semeval2023Labels) -> None:
    into.genres.update(part.genres)
    into.frames.update(part.frames)
    into.lines.update(part.lines)
    into.spans.update(part.spans)


def cross_validate(
    data_dir: Path, folds: int = 5, seed: int = 13, progress: Progress = None
) -> Semeval2023Report:
    """k-fold cross-validation at article level of the spinlens models and the baselines."""
    from spinlens.train.semeval2023 import article_folds, fit_models

    if folds < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {folds}")
    started = time.perf_counter()
    dataset = load_dataset(Path(data_dir))
    articles = sorted(dataset.articles, key=lambda a: a.id)
    fold_of = article_folds([a.id for a in articles], folds, seed)
    gold = Semeval2023Labels.from_articles(articles)
    pooled = {system: Semeval2023Labels() for system in SYSTEMS}
    fold_scores: dict[str, list[dict[str, float]]] = {system: [] for system in SYSTEMS}
    predict_seconds, predicted = 0.0, 0
    fast_genres = Semeval2023Labels()
    for fold in range(folds):
        train = [a for a, f in zip(articles, fold_of, strict=True) if f != fold]
        held = [a for a, f in zip(articles, fold_of, strict=True) if f == fold]
        texts = {a.id: a.text for a in held}
        if progress:
            progress(f"fold {fold + 1}/{folds}: training on {len(train)} articles, testing on {len(held)}")
        models = fit_models(train, seed=seed, progress=(lambda m: progress(f"  {m}")) if progress else None)
        t0 = time.perf_counter()
        ours = predict_labels(models, texts)
        predict_seconds += time.perf_counter() - t0
        predicted += len(texts)
        fast = article_labels(models, texts, embed=False)
        fast_genres.genres.update(fast.genres)
        if progress:
            progress(f"fold {fold + 1}/{folds}: baselines")
        systems = {
            SYSTEM: ours,
            BASELINE_TFIDF: tfidf_baseline(train, texts, seed),
            BASELINE_TRIVIAL: trivial_baseline(train, texts),
        }
        held_gold = Semeval2023Labels.from_articles(held)
        for name, labels in systems.items():
            _merge(pooled[name], labels)
            scores = score_labels(held_gold, labels)
            fold_scores[name].append({k: v for k, v in scores.items() if isinstance(v, float)})
        fold_scores[SYSTEM][-1].update(_fast_genre_scores(held_gold, fast))
        if progress:
            s = fold_scores[SYSTEM][-1]
            progress(
                f"fold {fold + 1}/{folds}: paragraph micro-F1 {s.get('paragraph_micro_f1', 0):.3f}, span any "
                f"{s.get('span_any_f1', 0):.3f}, span technique {s.get('span_technique_f1', 0):.3f}, genre "
                f"{s.get('genre_macro_f1', 0):.3f}, frames {s.get('frames_micro_f1', 0):.3f}"
            )
    scores = {name: score_labels(gold, labels) for name, labels in pooled.items()}
    scores[SYSTEM].update(_fast_genre_scores(gold, fast_genres))
    return Semeval2023Report(
        data_dir=str(Path(data_dir)),
        folds=folds,
        seed=seed,
        n_articles=len(articles),
        scores=scores,
        fold_scores=fold_scores,
        seconds=time.perf_counter() - started,
        seconds_per_article_prediction=predict_seconds / max(predicted, 1),
    )
