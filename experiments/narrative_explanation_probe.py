"""Narratives trained with the annotators' explanations (subtask 3) as extra training texts.

`subtask-3-annotations.txt` gives, for 165 of the English articles, the dominant narrative and
an explanation of up to 80 words of why the article carries it. The variants add each training
article's explanation to what the TF-IDF narrative heads learn from; held-out articles are
predicted from their text alone, as at analysis time, and their explanations are never read.
Everything else (embedding heads, share, thresholds tuned on inner folds) is as
`spinlens train semeval2025` does it, on the folds of `spinlens evaluate semeval2025`.

    python experiments/narrative_explanation_probe.py base extra concat [...]
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

from narrative_embedding_probe import cross_validate, folds, report

import spinlens.train.semeval2025 as training

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN"


def explanations() -> dict[str, str]:
    out = {}
    for line in (DATA / "subtask-3-annotations.txt").read_text(encoding="utf-8").splitlines():
        file, _narrative, _sub, text = line.split("\t", 3)
        out[file.removesuffix(".txt")] = text
    return out


PLAIN = training._fit_narratives_plain


def augmented_fit(mode: str, explained: dict[str, str]):
    def fit(docs, taxonomy, seed, thresholds=None):
        docs = list(docs)
        if mode == "extra":
            # One more training text per explained article, with the article's labels.
            docs += [dataclasses.replace(d, text=explained[d.id]) for d in docs if d.id in explained]
        elif mode == "concat":
            docs = [
                dataclasses.replace(d, text=d.text + "\n\n" + explained[d.id]) if d.id in explained else d
                for d in docs
            ]
        return PLAIN(docs, taxonomy, seed, thresholds)

    return fit


def run(mode: str, data, docs, assignment, explained, folds: int = 5, seed: int = 13) -> dict[str, float]:
    training._fit_narratives_plain = augmented_fit(mode, explained)
    return cross_validate(mode, data, docs, assignment, folds, seed)


def main() -> None:
    data, docs, assignment, seed = folds()
    explained = explanations()
    for mode in sys.argv[1:]:
        began = time.time()
        report(mode, run(mode, data, docs, assignment, explained, seed=seed), began)


if __name__ == "__main__":
    main()
