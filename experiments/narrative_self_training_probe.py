"""Narratives self-trained on unlabelled articles, on the folds of `spinlens evaluate semeval2025`.

For each outer fold the model is first fitted as shipped on the fold's training articles. It then
labels a folder of articles without narrative labels (by default the SemEval-2023 English articles:
news and opinion of 2022-2023, many on the war), and those labels are added as extra training
articles to every TF-IDF head fit of a second model (inner folds and final fit), whose thresholds
and embedding share are still tuned on the gold articles' out-of-fold scores only. Held-out articles
are scored as the evaluation does, pooled.

    python experiments/narrative_self_training_probe.py shipped all confident [...]
    SEED=1 python experiments/narrative_self_training_probe.py shipped confident   (another draw)
    UNLABELLED=DIR ...                                                              (another folder)

Variants: `all` adds every unlabelled article with its predicted labels; `confident` only those whose
"Other" probability is at most 0.25 (with their narratives) or at least 0.75 (as Other);
`narrated` only the confident ones that carry narratives.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from narrative_embedding_probe import cross_validate, folds, report

import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2025 import Semeval2025Document
from spinlens.train.technique_encoder import read_unlabelled

SHARED = Path(os.environ.get("SPINLENS_DATA", "../shared/data"))
UNLABELLED = Path(os.environ.get("UNLABELLED", SHARED / "semeval2023-task3" / "en" / "articles"))

PLAIN = training._fit_narratives_plain
FIT = training.fit_narrative_model


def keep(variant: str, p_other: float, is_other: bool) -> bool:
    if variant == "all":
        return True
    confident = p_other <= 0.25 or p_other >= 0.75
    if variant == "narrated":
        return confident and not is_other
    return confident


def self_trained_fit(variant: str, unlabelled: list[tuple[str, str]], added: list[int]):
    def fit(docs, taxonomy, seed, progress=None):
        teacher, _ = FIT(docs, taxonomy, seed)
        texts = [text for _, text in unlabelled]
        predictions = teacher.predict(texts, training.embed_articles_cached(texts))
        pseudo = [
            Semeval2025Document(
                id=f"unlabelled-{stem}",
                text=text,
                domain=p.domain,
                narratives=tuple(p.narrative_labels),
                subnarratives=tuple(p.subnarrative_labels),
            )
            for (stem, text), p in zip(unlabelled, predictions, strict=True)
            if keep(variant, p.p_other, p.is_other)
        ]
        added.append(len(pseudo))

        def plain_with_pseudo(train_docs, taxonomy_, seed_, thresholds=None):
            return PLAIN(list(train_docs) + pseudo, taxonomy_, seed_, thresholds)

        training._fit_narratives_plain = plain_with_pseudo
        try:
            return FIT(docs, taxonomy, seed)
        finally:
            training._fit_narratives_plain = PLAIN

    return fit


def main() -> None:
    data, docs, assignment, seed = folds()
    unlabelled = read_unlabelled(UNLABELLED)
    for variant in sys.argv[1:]:
        began, added = time.time(), []
        training.fit_narrative_model = FIT if variant == "shipped" else self_trained_fit(variant, unlabelled, added)
        report(variant, cross_validate(variant, data, docs, assignment, seed=seed), began, f" added per fold {added}")


if __name__ == "__main__":
    main()
