"""Does the article's persuasion profile help the genre? Repeated 5-fold CV, genre only.

Reports in this data persuade less than opinion pieces, and the genre model's weakest class is
"reporting" (F1 about 0.25). The profile: per technique, the mean and the max over the article's
paragraphs of the linear stage-1 paragraph probability, plus the share of paragraphs with any
technique at 0.5 or more. Stage 1 needs no encoder, so both profiles could afford it.

No leak: inside each outer fold, the training articles' profiles come from stage-1 models fitted
on the other inner folds of the training part only (3 folds, as `spinlens train` stacks), the
held-out articles' from stage 1 fitted on the whole training part. The profile is appended to the
style ratios, which the embedding genre head standardises (variant ``embedded``), or also to the
TF-IDF head's style columns (variant ``both``); the share and offsets are tuned on inner folds
exactly as shipped. Variant ``shipped`` is the recipe as it is (seed 13 gives the evaluation's
genre figures).

    python experiments/genre_persuasion_profile_probe.py SEEDS VARIANTS
    python experiments/genre_persuasion_profile_probe.py 13,1,2,3,4 shipped,embedded,both
"""
import os, sys, time
from pathlib import Path

import numpy as np

import spinlens.models.semeval2023 as models_module
import spinlens.train.semeval2023 as train_module
from spinlens.core.settings import GENRES, TECHNIQUES
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.evaluate.metrics import single_label_scores
from spinlens.models.arrays import sigmoid, softmax
from spinlens.nlp.embed import article_embeddings
from spinlens.train.semeval2023 import INNER_FOLDS, article_folds, fit_article_labeller, fit_stage1, prepare

PLAIN_STYLE = models_module.article_style
seeds = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "13").split(",")]
variants = (sys.argv[2] if len(sys.argv) > 2 else "shipped,embedded,both").split(",")
PROFILE_WEIGHT = float(os.environ.get("PROFILE_WEIGHT", "1.0"))

articles = sorted(
    load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles,
    key=lambda a: a.id,
)
techniques = list(TECHNIQUES)
preps = {a.id: prepare(a, techniques) for a in articles}
vectors = dict(zip([a.id for a in articles], article_embeddings([a.text for a in articles])))


def profile(probs: np.ndarray) -> np.ndarray:
    if not len(probs):
        return np.zeros(2 * len(techniques) + 1)
    return np.concatenate([probs.mean(0), probs.max(0), [(probs.max(1) >= 0.5).mean()]]) * PROFILE_WEIGHT


def stage1_profiles(train_ids: list[str], predict_ids: list[str]) -> dict[str, np.ndarray]:
    fitting = [preps[i] for i in train_ids if preps[i].article.line_labels is not None]
    stage1 = fit_stage1(fitting, techniques, seed)
    return {
        i: profile(sigmoid(stage1.heads.decision(stage1.features(preps[i].paras, preps[i].cue_matrix))))
        for i in predict_ids
    }


results: dict[str, list[float]] = {v: [] for v in variants}
for seed in seeds:
    began = time.time()
    fold_of = article_folds([a.id for a in articles], 5, seed)
    pooled: dict[str, tuple[list[str], list[str]]] = {v: ([], []) for v in variants}
    for fold in range(5):
        train = [a for a, f in zip(articles, fold_of) if f != fold]
        held = [a for a, f in zip(articles, fold_of) if f == fold and a.genre is not None]
        train_ids = [a.id for a in train]
        # Out-of-fold profiles of the training part, as train_module stacks (same inner folds).
        inner = article_folds(train_ids, INNER_FOLDS, seed)
        prof: dict[str, np.ndarray] = {}
        for k in range(INNER_FOLDS):
            prof.update(stage1_profiles([i for i, f in zip(train_ids, inner) if f != k],
                                        [i for i, f in zip(train_ids, inner) if f == k]))
        prof.update(stage1_profiles(train_ids, [a.id for a in held]))
        by_text = {preps[i].article.text: p for i, p in prof.items()}

        def extended(text: str) -> np.ndarray:
            return np.concatenate([PLAIN_STYLE(text), by_text[text]])

        for variant in variants:
            train_module.article_style = extended if variant in ("embedded", "both") else PLAIN_STYLE
            models_module.article_style = extended if variant == "both" else PLAIN_STYLE
            labeller, _ = fit_article_labeller(
                sorted((a for a in train if a.genre is not None), key=lambda a: a.id),
                sorted((a for a in train if a.frames is not None), key=lambda a: a.id), seed)
            texts = [a.text for a in held]
            styles = np.vstack([train_module.article_style(t) for t in texts])
            X = labeller.features(texts, np.vstack([models_module.article_style(t) for t in texts]))
            emb = np.array([vectors[a.id] for a in held])
            pred = [GENRES[int(np.argmax(r))] for r in softmax(labeller.genre_logits(X, styles, emb))]
            pooled[variant][0].extend(a.genre for a in held)
            pooled[variant][1].extend(pred)
    for variant in variants:
        s = single_label_scores(pooled[variant][0], pooled[variant][1], GENRES)
        results[variant].append(s.macro_f1)
        print(f"seed {seed} {variant:9s} macro-F1 {s.macro_f1:.3f}  accuracy {s.micro.f1:.3f}  "
              f"per genre {' / '.join(f'{x.f1:.3f}' for x in s.per_label.values())}", flush=True)
    print(f"seed {seed}: {time.time() - began:.0f} s", flush=True)
for variant in variants:
    r = np.array(results[variant])
    print(f"{variant:9s} mean over {len(r)} draws {r.mean():.3f} (min {r.min():.3f}, max {r.max():.3f})")
