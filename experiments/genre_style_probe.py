"""Genre: does an explicit mean paragraph length help? (round 27)

Satire pieces in this data are written in short paragraphs: the mean paragraph length alone ranks the nine
satire articles against the rest with a ROC AUC of 0.94 (paragraph count 0.76, text length 0.59), and the
style ratios the genre heads read give length and paragraph count only separately, each squashed by its own
log. Here ``article_style`` gains a ninth ratio, the log of the body's mean paragraph length in characters
(divided by 10, as the text length is); every model that reads the style ratios (the TF-IDF genre and frame
heads, the embedding genre head) is refitted with it, share and offsets tuned on inner folds as shipped.
Same folds and fitting as `experiments/genre_repeated_cv.py` (seed 13 = the evaluation's folds).

    python experiments/genre_style_probe.py shipped 13 1 2 3 4
    python experiments/genre_style_probe.py paralen 13 1 2 3 4
"""

import sys

import genre_folds
import numpy as np
from genre_folds import report_genre_from_argv

import spinlens.models.semeval2023 as models
import spinlens.train.semeval2023 as training

variant = sys.argv[1]
shipped_style = models.article_style


def with_paragraph_length(text: str) -> np.ndarray:
    paras = models.paragraphs(text)
    body = paras[1:] or paras
    mean_length = sum(len(p.text) for p in body) / max(len(body), 1)
    return np.append(shipped_style(text), np.log1p(mean_length) / 10)


if variant == "paralen":
    models.article_style = training.article_style = genre_folds.article_style = with_paragraph_length

report_genre_from_argv(variant)
