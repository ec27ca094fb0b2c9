from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from spinlens.analysers.base import Context
from spinlens.core.model import Article
from spinlens.pipeline import Pipeline, analyse_many


class Marks:
    name: ClassVar[str] = "marks"
    version: ClassVar[int] = 2
    requires: ClassVar[tuple[str, ...]] = ("paragraphs",)
    assigns: ClassVar[tuple[str, ...]] = ("marks",)

    def __call__(self, ctx: Context) -> None:
        for p in ctx.paragraphs:
            ctx.analysis.add_finding(
                "technique", "Repetition", p.start, p.end, score=0.5, reason="line", analyser="marks@2"
            )


class NeedsMarks:
    name: ClassVar[str] = "needs"
    version: ClassVar[int] = 1
    requires: ClassVar[tuple[str, ...]] = ("marks",)
    assigns: ClassVar[tuple[str, ...]] = ()

    def __call__(self, ctx: Context) -> None:
        ctx.scratch["seen"] = len(ctx.analysis.findings)


def test_pipeline_runs_analysers_in_order_and_records_versions() -> None:
    pipeline = Pipeline([Marks(), NeedsMarks()], nlp=None)
    analysis = pipeline(Article(text="a line\n\nanother line"))
    assert [f.text for f in analysis.findings] == ["a line", "another line"]
    assert analysis.analysers == {"marks": "marks@2", "needs": "needs@1"}


def test_pipeline_refuses_an_order_that_breaks_requirements() -> None:
    with pytest.raises(ValueError, match="requires"):
        Pipeline([NeedsMarks(), Marks()], nlp=None)


def test_pipeline_passes_ingest_warnings_on() -> None:
    pipeline = Pipeline([Marks()], nlp=None)
    analysis = pipeline(Article(text="x y", meta={"warnings": ["3 bytes were replaced"]}))
    assert analysis.warnings == ["3 bytes were replaced"]


class CardModels:
    def __init__(self, card: dict[str, object]) -> None:
        self.card = card


class ModelBacked(Marks):
    name: ClassVar[str] = "modelled"

    def __init__(self, card: dict[str, object]) -> None:
        self.models = CardModels(card)


def test_pipeline_fingerprint_changes_when_a_model_is_retrained() -> None:
    first = Pipeline([ModelBacked({"created": "2026-01-01"})], nlp=None).fingerprint
    same = Pipeline([ModelBacked({"created": "2026-01-01"})], nlp=None).fingerprint
    retrained = Pipeline([ModelBacked({"created": "2026-02-01"})], nlp=None).fingerprint
    assert first == same
    assert first != retrained
    assert first["modelled"].startswith("modelled@2+")


def test_pipeline_fingerprint_names_the_build_of_spinlens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spinlens import __version__, pipeline

    fingerprint = Pipeline([Marks()], nlp=None).fingerprint
    assert fingerprint["spinlens"] == f"{__version__}+{pipeline.code_digest()}"
    # Another build of the same version (an edited analyser) is another fingerprint.
    package = tmp_path / "spinlens"
    package.mkdir()
    (package / "pipeline.py").write_text("x = 1\n")
    monkeypatch.setattr(pipeline, "__file__", str(package / "pipeline.py"))
    pipeline.code_digest.cache_clear()
    try:
        before = pipeline.code_digest()
        (package / "pipeline.py").write_text("x = 2\n")
        pipeline.code_digest.cache_clear()
        assert pipeline.code_digest() != before
    finally:
        pipeline.code_digest.cache_clear()


def test_analyse_many_gives_the_same_results_in_worker_processes() -> None:
    pipeline = Pipeline([Marks(), NeedsMarks()], nlp=None)
    articles = [Article(text=f"line {i}\n\nanother {i}") for i in range(6)]
    alone = [a.findings for a in analyse_many(pipeline, articles, processes=1)]
    forked = [a.findings for a in analyse_many(pipeline, articles, processes=2, chunksize=1)]
    assert forked == alone
    assert [f.text for f in forked[5]] == ["line 5", "another 5"]


def test_analyse_many_refuses_to_fork_a_multithreaded_pipeline() -> None:
    # onnxruntime's thread pools do not survive a fork: the workers would hang.
    pipeline = Pipeline([Marks()], nlp=None, threads=2)
    with pytest.raises(ValueError, match="threads=2"):
        list(analyse_many(pipeline, [Article(text="a line")], processes=2))
    assert len(list(analyse_many(pipeline, [Article(text="a line")], processes=1))) == 1


def test_load_pipeline_reports_a_failure_of_the_embedding_it_loads_in_the_background(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The article embedding's session is built while spaCy loads; its errors must still reach the caller.
    import spinlens.nlp.embed
    from spinlens.core.errors import ModelError
    from spinlens.pipeline import load_pipeline

    def broken() -> None:
        raise ModelError("the MiniLM model file is missing: /nowhere/model.onnx")

    monkeypatch.setattr(spinlens.nlp.embed, "article_encoder", broken)
    with pytest.raises(ModelError, match="MiniLM model file is missing"):
        load_pipeline("default")
    assert load_pipeline("fast").nlp is None  # the fast profile embeds nothing, so never asks


def test_articles_given_ahead_are_read_while_loading_and_give_the_same_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spinlens.cli import EXAMPLE_ARTICLE
    from spinlens.models.technique_encoder import EncodedArticle, TechniqueEncoder
    from spinlens.nlp.segment import Paragraph
    from spinlens.pipeline import load_pipeline

    article = Article(text=EXAMPLE_ARTICLE.read_text(encoding="utf-8"))
    expected = load_pipeline("default")(article).to_dict()
    pipeline = load_pipeline("default", ahead=[article])
    assert pipeline.nlp is not None
    nlp = pipeline.nlp
    encodings: list[int] = []
    encode = TechniqueEncoder.encode

    def counted(self: TechniqueEncoder, paras: list[Paragraph]) -> EncodedArticle:
        encodings.append(len(paras))
        return encode(self, paras)

    def no_parse(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(TechniqueEncoder, "encode", counted)
    pipeline.nlp = no_parse  # type: ignore[assignment]
    # The first analysis uses the parse and the encoder's reading done while loading.
    assert pipeline(article).to_dict() == expected
    assert encodings == []
    # That work is used once: the next analysis of the same text does it again.
    pipeline.nlp = nlp
    assert pipeline(article).to_dict() == expected
    assert len(encodings) == 1
    # spinlens.analyze loads its pipeline with the article ahead.
    import spinlens

    assert spinlens.analyze(article.text).to_dict() == expected
    fast = Article(text="A short line.\n\nAnother line, then the end.")
    assert load_pipeline("fast", ahead=[fast])(fast).to_dict() == load_pipeline("fast")(fast).to_dict()


def test_reading_beside_the_parse_gives_the_same_analysis_from_another_thread() -> None:
    import threading

    from spinlens.cli import EXAMPLE_ARTICLE
    from spinlens.pipeline import load_pipeline

    article = Article(text=EXAMPLE_ARTICLE.read_text(encoding="utf-8"))
    expected = load_pipeline("default")(article).to_dict()
    pipeline = load_pipeline("default", read_beside_parse=True)
    assert pipeline.reader is not None
    reader = pipeline.reader
    readers: list[int] = []

    def recorded(texts: Sequence[str]) -> list[dict[str, Any]]:
        readers.append(threading.get_ident())
        return reader(texts)

    pipeline.reader = recorded
    for _ in range(2):  # a thread for each call
        assert pipeline(article).to_dict() == expected
    assert len(readers) == 2 and threading.get_ident() not in readers
    # Off by default: the reading is then the analysers' own, in the calling thread.
    plain = load_pipeline("default")
    plain.reader = recorded
    assert plain(article).to_dict() == expected
    assert len(readers) == 2
