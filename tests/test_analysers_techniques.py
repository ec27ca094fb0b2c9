"""The technique and genre/frame analysers on an invented article, without a parse."""

from __future__ import annotations

import pytest

from spinlens.analysers.base import Context
from spinlens.analysers.techniques import GenreFramesAnalyser, TechniqueAnalyser
from spinlens.core.model import Analysis, Article
from spinlens.core.settings import FRAMES, GENRES, TECHNIQUES, technique_family
from spinlens.models.semeval2023 import Semeval2023Models
from spinlens.models.store import load_semeval2023
from spinlens.models.technique_encoder import TechniqueEncoder, load_technique_encoder
from spinlens.nlp.segment import paragraphs

ARTICLE = (
    "Shameful Council Betrays Every Family in Millbrook\n"
    "\n"
    "The disgraceful clowns at Millbrook town hall have done it again: they voted to shut the only "
    "library in the valley, and they did it behind closed doors.\n"
    "\n"
    "Everyone knows these reckless bureaucrats care only about their own salaries. They lied to us before. "
    "They lied to us again.\n"
    "\n"
    "If we let them close the library today, tomorrow they will close our schools and our hospital. Our "
    "children will grow up with nothing.\n"
    "\n"
    "Councillor Peter Vance said the closure would save 300,000 dollars a year and that a mobile library "
    "would visit the village twice a week.\n"
    "\n"
    "Stand up for Millbrook! Stand up now, before it is too late!\n"
)


@pytest.fixture(scope="module")
def models() -> Semeval2023Models:
    return load_semeval2023()


@pytest.fixture(scope="module", params=["linear", "encoder"])
def encoder(request: pytest.FixtureRequest) -> TechniqueEncoder | None:
    """Each technique test runs on the linear models (fast profile) and the encoder (default)."""
    return load_technique_encoder() if request.param == "encoder" else None


def _run(models: Semeval2023Models, encoder: TechniqueEncoder | None = None) -> tuple[Analysis, Context]:
    analysis = Analysis(article=Article(text=ARTICLE))
    ctx = Context(analysis=analysis, doc=None, paragraphs=paragraphs(ARTICLE))
    TechniqueAnalyser(models, encoder)(ctx)
    GenreFramesAnalyser(models)(ctx)
    return analysis, ctx


def test_analysers_do_not_need_the_parser() -> None:
    assert "doc" not in TechniqueAnalyser.requires
    assert "doc" not in GenreFramesAnalyser.requires


def test_technique_findings_have_valid_offsets_labels_and_reasons(
    models: Semeval2023Models, encoder: TechniqueEncoder | None
) -> None:
    analysis, ctx = _run(models, encoder)
    findings = analysis.findings_of("technique")
    assert findings, "a piece this loaded should show some technique"
    lines = {p.line: p for p in ctx.paragraphs}
    for f in findings:
        assert ARTICLE[f.start : f.end] == f.text
        assert f.label in TECHNIQUES
        assert 0.0 <= f.score <= 1.0
        assert f.details["family"] == technique_family(f.label)
        assert f.details["line"] in lines
        para = lines[f.details["line"]]
        assert para.start <= f.start and f.end <= para.end
        assert f.reason.endswith(f"{f.score:.2f}") or "model score" in f.reason
        assert f.reason[0].isupper() and len(f.reason) < 300
    assert "techniques" in ctx.scratch


def test_loaded_opening_is_flagged_as_manipulative_wording(
    models: Semeval2023Models, encoder: TechniqueEncoder | None
) -> None:
    analysis, _ = _run(models, encoder)
    wording = {"Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation"}
    early = [
        f for f in analysis.findings_of("technique") if f.details["line"] in (1, 3) and f.label in wording
    ]
    assert early
    assert any(cue.lower() in f.reason.lower() for f in early for cue in f.details["cues"])


def test_genre_and_frames_are_labelled_with_reasons(models: Semeval2023Models) -> None:
    analysis, _ = _run(models)
    genres = analysis.labels_of("genre")
    assert len(genres) == 1 and genres[0].label in GENRES
    assert genres[0].label == "opinion"
    assert set(genres[0].details["scores"]) == set(GENRES)
    for frame in analysis.labels_of("frame"):
        assert frame.label in FRAMES
        assert "model score" in frame.reason


def test_empty_article_gives_no_technique_findings(
    models: Semeval2023Models, encoder: TechniqueEncoder | None
) -> None:
    analysis = Analysis(article=Article(text="\n\n"))
    ctx = Context(analysis=analysis, doc=None, paragraphs=paragraphs("\n\n"))
    TechniqueAnalyser(models, encoder)(ctx)
    assert analysis.findings == []


def test_the_encoder_changes_the_model_version_that_keys_the_cache(models: Semeval2023Models) -> None:
    linear = TechniqueAnalyser(models).model_version
    encoded = TechniqueAnalyser(models, load_technique_encoder()).model_version
    assert linear != encoded and encoded.startswith(linear)
