"""Cross-validation of the fine-tuned technique encoder, beside the linear models and the baselines.

The folds are those of :func:`spinlens.evaluate.semeval2023.cross_validate` (same
seed, same assignment over all articles), so per-fold figures can be compared
with that report. For each evaluated fold, the encoder is fine-tuned on the
other folds (its thresholds tuned on a validation sixth of them), exported to
int8 and loaded through the same runtime ``analyze`` uses; the linear models and
both baselines are fitted on exactly the same training articles.

One fold takes about 15-20 minutes on two cores, so ``folds_to_run`` can
name a subset of the folds; the report says which were run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from spinlens.datasets.semeval2023 import Semeval2023Labels, load_dataset
from spinlens.evaluate.semeval2023 import (
    BASELINE_TFIDF,
    BASELINE_TRIVIAL,
    SYSTEM,
    score_labels,
    technique_labels,
    tfidf_baseline,
    trivial_baseline,
)
from spinlens.models.runtime import session_threads
from spinlens.models.technique_encoder import EncoderWithLinear, TechniqueEncoder

Progress = Callable[[str], None] | None

ENCODER = "encoder"
SYSTEMS = (ENCODER, SYSTEM, BASELINE_TFIDF, BASELINE_TRIVIAL)
METRICS = (
    ("paragraph_micro_f1", "Paragraph techniques micro-F1"),
    ("paragraph_macro_f1", "Paragraph techniques macro-F1"),
    ("span_any_f1", "Spans F1, any technique"),
    ("span_technique_f1", "Spans F1, technique-aware"),
)
VALIDATION_METRICS = (
    ("validation_paragraph_micro_f1", "paragraph micro-F1"),
    ("validation_span_any_f1", "span F1 any"),
    ("validation_span_technique_f1", "technique-aware"),
)
NAMES = {
    ENCODER: "encoder (int8)",
    SYSTEM: "linear",
    BASELINE_TFIDF: "TF-IDF LR",
    BASELINE_TRIVIAL: "trivial",
}


@dataclass
class EncoderReport:
    data_dir: str
    folds: int
    folds_run: list[int]
    seed: int
    n_held_out: int
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    fold_scores: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    # Per fold run: the figures each fold's tuning reached on its own validation sixth. Only
    # training articles, so settings such as --epochs can be chosen on them without looking
    # at the held-out folds.
    fold_validation: list[dict[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    seconds_per_article: float = 0.0
    threads: int = 1  # what the encoder computed with (the CLI gives it every core)

    def to_dict(self) -> dict[str, Any]:
        return {
            "data_dir": self.data_dir,
            "folds": self.folds,
            "folds_run": self.folds_run,
            "seed": self.seed,
            "held_out_articles": self.n_held_out,
            "scores": {
                s: {k: v for k, v in m.items() if isinstance(v, float)} for s, m in self.scores.items()
            },
            "fold_scores": self.fold_scores,
            "fold_validation": self.fold_validation,
            "seconds": round(self.seconds, 1),
            "seconds_per_article": round(self.seconds_per_article, 4),
            "threads": self.threads,
        }

    def table(self) -> str:
        run = ", ".join(str(f + 1) for f in self.folds_run)
        lines = [
            f"Technique encoder, {self.folds}-fold cross-validation by article (seed {self.seed}); "
            f"folds run: {run}; {self.n_held_out} held-out articles, pooled (± = std over the folds run)",
            "",
            "| Metric | " + " | ".join(NAMES[s] for s in SYSTEMS) + " |",
            "|---|" + "---|" * len(SYSTEMS),
        ]
        for key, title in METRICS:
            cells = []
            for system in SYSTEMS:
                value = self.scores.get(system, {}).get(key)
                per_fold = [f[key] for f in self.fold_scores.get(system, []) if key in f]
                spread = f" ±{np.std(per_fold):.3f}" if len(per_fold) > 1 else ""
                cells.append("–" if value is None else f"{value:.3f}{spread}")
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
        encoder = self.scores.get(ENCODER, {})
        linear = self.scores.get(SYSTEM, {})
        if encoder.get("paragraph_per_label"):
            lines += [
                "",
                "Per technique (paragraph F1 and technique-aware span F1 of the encoder and of the linear "
                "models; support: gold paragraphs)",
                "",
                "| Technique | encoder para F1 | linear para F1 | encoder span F1 | linear span F1 "
                "| support |",
                "|---|---|---|---|---|---|",
            ]
            per_label = encoder["paragraph_per_label"]
            for label in sorted(per_label, key=lambda k: -per_label[k]["support"]):

                def cell(scores: dict[str, Any], key: str, label: str = label) -> str:
                    value = scores.get(key, {}).get(label, {}).get("f1")
                    return "–" if value is None else f"{value:.3f}"

                lines.append(
                    f"| {label} | {cell(encoder, 'paragraph_per_label')} "
                    f"| {cell(linear, 'paragraph_per_label')} | {cell(encoder, 'span_per_label')} "
                    f"| {cell(linear, 'span_per_label')} "
                    f"| {per_label[label]['support']} |"
                )
        if self.fold_validation:
            lines += ["", self.validation_line()]
        lines.append("")
        lines.append(
            f"Total time {self.seconds:.0f} s; encoder prediction "
            f"{self.seconds_per_article * 1000:.0f} ms per article "
            f"({self.threads} thread{'s' if self.threads > 1 else ''}, int8)."
        )
        return "\n".join(lines)

    def validation_line(self) -> str:
        """The inner figures: each fold's validation sixth, mean and per fold."""
        parts = []
        for key, title in VALIDATION_METRICS:
            values = [figures[key] for figures in self.fold_validation]
            per_fold = " / ".join(f"{v:.3f}" for v in values)
            parts.append(f"{title} {np.mean(values):.3f} ({per_fold})")
        return (
            "Validation sixth of each fold (training articles only: where the thresholds were tuned, and "
            "where settings such as --epochs may be compared), mean (per fold): " + "; ".join(parts) + "."
        )


def cross_validate_encoder(
    data_dir: Path,
    folds: int = 5,
    seed: int = 13,
    folds_to_run: Sequence[int] | None = None,
    settings: Any = None,
    progress: Progress = None,
    checkpoints: Path | None = None,
    unlabelled: Sequence[tuple[str, str]] = (),
) -> EncoderReport:
    """k-fold cross-validation of the default profile's technique model against the linear models.

    ``checkpoints``: a folder for each fold's fine-tuned weights, named by fold, fold
    count, seed and epochs; a weights file already there is reused instead of
    fine-tuning again, so decoding and tuning changes can be measured in minutes.
    ``unlabelled``: articles without labels that every fold self-trains on (see
    :func:`spinlens.train.technique_encoder.fit`).
    """
    from spinlens.train.semeval2023 import article_folds, fit_models
    from spinlens.train.technique_encoder import FineTuneSettings, fit

    if folds < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {folds}")
    run = sorted(set(folds_to_run)) if folds_to_run else list(range(folds))
    if any(not 0 <= f < folds for f in run):
        raise ValueError(f"folds to run must be between 1 and {folds}")
    settings = settings or FineTuneSettings()
    started = time.perf_counter()
    dataset = load_dataset(Path(data_dir))
    articles = sorted(dataset.articles, key=lambda a: a.id)
    fold_of = article_folds([a.id for a in articles], folds, seed)
    pooled = {s: Semeval2023Labels() for s in SYSTEMS}
    gold_all = Semeval2023Labels()
    fold_scores: dict[str, list[dict[str, float]]] = {s: [] for s in SYSTEMS}
    fold_validation: list[dict[str, float]] = []
    predict_seconds, predicted = 0.0, 0
    for fold in run:
        train = [a for a, f in zip(articles, fold_of, strict=True) if f != fold]
        held = [a for a, f in zip(articles, fold_of, strict=True) if f == fold and a.has_techniques]
        texts = {a.id: a.text for a in held}

        def say(message: str, fold: int = fold) -> None:
            if progress:
                progress(f"fold {fold + 1}/{folds}: {message}")

        say(f"fine-tuning on {len(train)} articles, testing on {len(held)}")
        say("linear models")
        linear = fit_models(train, seed=seed)
        checkpoint = None
        if checkpoints is not None:  # fit makes the folder
            name = f"fold{fold + 1}-of{folds}-seed{seed}-epochs{settings.epochs}.pt"
            checkpoint = Path(checkpoints) / name
        with tempfile.TemporaryDirectory() as tmp:
            info = fit(train, Path(tmp), settings, seed, say, checkpoint, unlabelled)
            fold_validation.append({key: info[key] for key, _ in VALIDATION_METRICS})
            # As analyze runs it: the encoder mixed with the linear models fitted on the same articles.
            model = EncoderWithLinear(TechniqueEncoder(Path(tmp)), linear)
            t0 = time.perf_counter()
            systems = {ENCODER: technique_labels(model, texts)}
            predict_seconds += time.perf_counter() - t0
            predicted += len(texts)
        say("baselines")
        systems[SYSTEM] = technique_labels(linear, texts)
        systems[BASELINE_TFIDF] = tfidf_baseline(train, texts, seed)
        systems[BASELINE_TRIVIAL] = trivial_baseline(train, texts)
        gold = Semeval2023Labels(
            lines={a.id: dict(a.line_labels or {}) for a in held},
            spans={a.id: list(a.spans or []) for a in held},
        )
        gold_all.lines.update(gold.lines)
        gold_all.spans.update(gold.spans)
        for name, labels in systems.items():
            pooled[name].lines.update(labels.lines)
            pooled[name].spans.update(labels.spans)
            scores = score_labels(gold, labels)
            fold_scores[name].append({k: round(v, 4) for k, v in scores.items() if isinstance(v, float)})
        e, s = fold_scores[ENCODER][-1], fold_scores[SYSTEM][-1]
        say(
            f"paragraph micro-F1 {e['paragraph_micro_f1']:.3f} (linear {s['paragraph_micro_f1']:.3f}), "
            f"span any {e['span_any_f1']:.3f} ({s['span_any_f1']:.3f}), "
            f"span technique {e['span_technique_f1']:.3f} ({s['span_technique_f1']:.3f})"
        )
    return EncoderReport(
        data_dir=str(Path(data_dir)),
        folds=folds,
        folds_run=run,
        seed=seed,
        n_held_out=len(gold_all.lines),
        scores={name: score_labels(gold_all, labels) for name, labels in pooled.items()},
        fold_scores=fold_scores,
        fold_validation=fold_validation,
        seconds=time.perf_counter() - started,
        seconds_per_article=predict_seconds / max(predicted, 1),
        threads=session_threads(),
    )
