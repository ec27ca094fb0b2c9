"""What the genre probes share: the shipped genre recipe cross-validated over draws of five folds (seed 13 =
`spinlens evaluate semeval2023`'s folds), used by `experiments/genre_repeated_cv.py` as it is and by the round-26
and round-27 probes after each changed one piece of the recipe."""
import os
import sys
import time
from pathlib import Path

import numpy as np

import spinlens.train.semeval2023 as training
from spinlens.core.settings import GENRES
from spinlens.evaluate.metrics import single_label_scores
from spinlens.models.arrays import softmax
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.models.semeval2023 import article_style
from spinlens.nlp.embed import article_embeddings


def fold_predictions(articles, vectors, seed):
    """For each of the five folds of the draw ``seed``: the held-out articles' gold genres and the genres the
    default profile (TF-IDF head mixed with the embedding head) and the fast profile (TF-IDF head alone)
    give them, the recipe refitted on the other four folds.

    ``vectors`` maps each article id to the embedding the genre head reads."""
    fold_of = training.article_folds([a.id for a in articles], 5, seed)
    for fold in range(5):
        train = [a for a, f in zip(articles, fold_of) if f != fold]
        held = [a for a, f in zip(articles, fold_of) if f == fold and a.genre is not None]
        labeller, _ = training.fit_article_labeller(
            sorted((a for a in train if a.genre is not None), key=lambda a: a.id),
            sorted((a for a in train if a.frames is not None), key=lambda a: a.id), seed)
        texts = [a.text for a in held]
        styles = np.vstack([article_style(t) for t in texts])
        X = labeller.features(texts, styles)
        emb = np.array([vectors[a.id] for a in held])
        default = [GENRES[int(np.argmax(r))] for r in softmax(labeller.genre_logits(X, styles, emb))]
        fast = [GENRES[int(np.argmax(r))] for r in softmax(labeller.genre_logits(X, styles))]
        yield [a.genre for a in held], default, fast


def report_genre(variant, articles, vectors, seeds):
    """Print the default profile's genre macro-F1 and accuracy for each fold seed, then their mean.

    ``vectors`` maps each article id to the embedding the genre head reads."""
    results = {}
    for seed in seeds or [13]:
        began = time.time()
        gold, mixed, per_fold = [], [], []
        for g, m, _ in fold_predictions(articles, vectors, seed):
            per_fold.append(single_label_scores(g, m, GENRES).macro_f1)
            gold += g; mixed += m
        scores = single_label_scores(gold, mixed, GENRES)
        results[seed] = scores.macro_f1
        acc = float(np.mean([a == b for a, b in zip(gold, mixed)]))
        print(f"{variant} seed {seed}: genre macro-F1 {scores.macro_f1:.3f} accuracy {acc:.3f} "
              f"(folds {' / '.join(f'{x:.3f}' for x in per_fold)})  ({time.time() - began:.0f} s)", flush=True)
    d = np.array(list(results.values()))
    print(f"{variant}: mean over {len(d)} draws {d.mean():.3f} (min {d.min():.3f}, max {d.max():.3f})")


def report_genre_from_argv(variant):
    """``report_genre`` on the SemEval-2023 English articles (from ``$SPINLENS_DATA``) with the embeddings the
    shipped genre head reads, for the fold seeds given after the variant on the command line."""
    data = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en"
    articles = sorted(load_dataset(data).articles, key=lambda a: a.id)
    vectors = dict(zip([a.id for a in articles], article_embeddings([a.text for a in articles]), strict=True))
    report_genre(variant, articles, vectors, [int(s) for s in sys.argv[2:]])
