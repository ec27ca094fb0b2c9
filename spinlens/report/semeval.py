"""Predictions in the official SemEval-2023 Task 3 file formats."""

from __future__ import annotations

from pathlib import Path

from spinlens.datasets.semeval2023 import read_article_texts, write_label_files
from spinlens.evaluate.semeval2023 import TechniqueSource, predict_labels
from spinlens.models.semeval2023 import Semeval2023Models


def write_semeval2023_predictions(
    articles_dir: Path,
    out_dir: Path,
    models: Semeval2023Models,
    techniques: TechniqueSource | None = None,
    embed: bool = True,
) -> dict[str, int]:
    """Predict every ``article<ID>.txt`` in ``articles_dir`` and write the four label files to ``out_dir``.

    Subtask 3 gets one row for every non-empty line of every article (empty label
    list allowed), as the scorer expects. Returns the number of articles and the
    number of rows written per file. ``embed=False`` keeps sentence embeddings out
    of the genre (as the fast profile).
    """
    texts = read_article_texts(Path(articles_dir))
    labels = predict_labels(models, texts, techniques, embed)
    counts = write_label_files(labels, Path(out_dir))
    return {"articles": len(texts), **counts}
