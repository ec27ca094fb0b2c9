"""spinlens: shows how a news article tries to persuade."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from spinlens.core.errors import InputError, SpinlensError
from spinlens.core.model import Analysis, Article, DocLabel, Entity, Finding, Span

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spinlens.pipeline import Pipeline

__version__ = "0.1.0"
__all__ = [
    "Analysis",
    "Article",
    "DocLabel",
    "Entity",
    "Finding",
    "InputError",
    "Pipeline",
    "Span",
    "SpinlensError",
    "__version__",
    "analyze",
    "load_pipeline",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def load_pipeline(
    profile: str = "default",
    models_dir: str | None = None,
    threads: int = 1,
    ahead: Sequence[Article] = (),
    read_beside_parse: bool = False,
) -> Pipeline:
    """Build the analysis pipeline (imports spaCy and the models: about two seconds).

    ``threads``: what each model may compute with; more than 1 speeds up one article at
    a time, but the pipeline may then not be used in forked worker processes.
    ``ahead``: articles the pipeline will be called on first, read while it loads (the
    results are the same).
    ``read_beside_parse``: each analysis runs the transformer in a second thread while
    spaCy parses; faster for one article at a time on a machine with a core to spare.
    """
    from pathlib import Path

    from spinlens.pipeline import load_pipeline as _load

    return _load(profile, Path(models_dir) if models_dir else None, threads, ahead, read_beside_parse)


def analyze(text: str, *, title: str | None = None, pipeline: Pipeline | None = None) -> Analysis:
    """Analyse one article given as a string (loading a pipeline for it unless one is given)."""
    article = Article(text=text, title=title)
    pipe = pipeline or load_pipeline(ahead=[article])
    return pipe(article)


def __getattr__(name: str) -> object:
    if name == "Pipeline":
        from spinlens.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
