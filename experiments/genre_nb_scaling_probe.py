"""Genre: the TF-IDF genre heads on naive-Bayes-scaled columns, NB-LR (round 29).

As `narrative_nb_scaling_probe.py` does for the narrative heads: before each genre head's logistic regression
(one-vs-rest, balanced), every word and character TF-IDF column is multiplied by its naive Bayes log-count
ratio for that genre, r = log((p / |p|1) / (q / |q|1)), p and q the number of articles of the genre and of the
others that contain the term, plus ALPHA (Wang and Manning's NBSVM, ACL 2012). The style ratios are left as
they are. The head on the scaled columns is a head on the plain ones (coefficients times r), so the runtime
would read it unchanged. Everything else (embedding head, share and offsets tuned on inner folds) as
shipped; same folds and fitting as `experiments/genre_repeated_cv.py` (seed 13 = the evaluation's folds).

    python experiments/genre_nb_scaling_probe.py nb 13 1 2 3 4
    python experiments/genre_nb_scaling_probe.py nb@C=1 13 1 2 3 4
"""

import os
import sys

import numpy as np
from genre_folds import report_genre_from_argv
from scipy import sparse

import spinlens.train.semeval2023 as training
from spinlens.core.settings import GENRES
from spinlens.models.semeval2023 import LinearHeads, article_style, too_few_to_fit

variant = sys.argv[1]
ALPHA = float(os.environ.get("ALPHA", "1"))
STYLE_COLUMNS = len(article_style("A title.\n\nA body of text."))
name, _, setting = variant.partition("@")
C = float(setting.removeprefix("C=")) if setting else training.GENRE_C


def nb_fit_genre(X, y, seed):
    X = sparse.csr_matrix(X)
    n_words = X.shape[1] - STYLE_COLUMNS
    present = (X[:, :n_words] > 0).astype(np.float64).tocsr()
    Y = np.array([[label == g for g in GENRES] for label in y], dtype=np.int8)
    coef = np.zeros((len(GENRES), X.shape[1]), dtype=np.float32)
    intercept = np.full(len(GENRES), -8.0)
    for j, genre in enumerate(GENRES):
        yj = Y[:, j]
        if too_few_to_fit(int(yj.sum()), len(yj)):
            continue
        p = ALPHA + np.asarray(present[yj == 1].sum(axis=0)).ravel()
        q = ALPHA + np.asarray(present[yj == 0].sum(axis=0)).ravel()
        r = np.concatenate([np.log((p / p.sum()) / (q / q.sum())), np.ones(STYLE_COLUMNS)])
        head = training.fit_binary_heads(
            X @ sparse.diags(r), Y[:, [j]], [genre], C=C, class_weight="balanced", seed=seed
        )
        coef[j] = head.coef[0] * r
        intercept[j] = head.intercept[0]
    return LinearHeads(list(GENRES), coef, intercept)


if name == "nb":
    training._fit_genre = nb_fit_genre
elif setting:
    training.GENRE_C = C

report_genre_from_argv(variant)
