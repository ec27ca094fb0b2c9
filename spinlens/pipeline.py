"""Runs the analysers over articles: the one place that knows their order."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spinlens.analysers.base import Analyser, Context, analyser_id
from spinlens.analysers.registry import build_analysers
from spinlens.core.model import Analysis, Article
from spinlens.nlp.segment import paragraphs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# What the pipeline itself provides before any analyser runs.
PROVIDED = ("doc", "paragraphs")


@cache
def code_digest() -> str:
    """A digest of spinlens's own Python code. Analyser versions are raised by hand when results
    change; the digest makes sure an analysis stored by another build is never taken for this one's
    when a raise was forgotten."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@dataclass
class Prepared:
    """Work done on an article before its analysis: spaCy's parse, and its context's scratch."""

    doc: Doc | None
    scratch: dict[str, Any]


class Pipeline:
    """An ordered list of analysers sharing one spaCy parse per article."""

    def __init__(
        self,
        analysers: Sequence[Analyser],
        nlp: Language | None,
        profile: str = "default",
        threads: int = 1,
        prepared: Mapping[str, Prepared] | None = None,
        reader: Callable[[Sequence[str]], list[dict[str, Any]]] | None = None,
        read_beside_parse: bool = False,
    ) -> None:
        """``threads``: what its models' sessions compute with (more than 1 forbids forking workers).

        ``prepared``: work already done on article texts (see :func:`load_pipeline`'s
        ``ahead``); the first call of the pipeline on each text uses it.

        ``reader``: the model work on texts that needs no parse
        (:func:`spinlens.analysers.registry.text_reader`). With ``read_beside_parse``, each
        call does it in a second thread while spaCy parses: one analysis at a time on a
        machine with a core to spare (the web server's workers) waits for the longer of
        the two instead of both. Same results.
        """
        self.analysers = list(analysers)
        self.nlp = nlp
        self.profile = profile
        self.threads = threads
        self.reader = reader
        self.read_beside_parse = read_beside_parse
        self._prepared = dict(prepared or {})
        self._check_order()

    @property
    def fingerprint(self) -> dict[str, str]:
        """What decides the results: each analyser's version and, where it has one, its model's,
        spaCy's model, and the build of spinlens."""
        from spinlens import __version__

        def version(analyser: Analyser) -> str:
            model = model_version(analyser)
            return analyser_id(analyser) + (f"+{model}" if model else "")

        spacy_version = self.nlp.meta.get("version", "?") if self.nlp is not None else "none"
        return {a.name: version(a) for a in self.analysers} | {
            "spacy": spacy_version,
            "spinlens": f"{__version__}+{code_digest()}",
        }

    def _check_order(self) -> None:
        available = set(PROVIDED if self.nlp is not None else ("paragraphs",))
        for analyser in self.analysers:
            missing = [r for r in analyser.requires if r not in available]
            if missing:
                raise ValueError(
                    f"analyser {analyser_id(analyser)} requires {missing}, which nothing before it assigns"
                )
            available.update(analyser.assigns)

    def __call__(self, article: Article) -> Analysis:
        prepared = self._prepared.pop(article.text, None)
        if prepared is not None:
            return self._run(article, prepared.doc, prepared.scratch)
        if self.nlp is None:
            return self._run(article, None)
        if self.read_beside_parse and self.reader is not None:
            # A thread per call, not one kept: a kept thread would not survive a fork.
            with ThreadPoolExecutor(max_workers=1) as beside:
                reading = beside.submit(self.reader, [article.text])
                doc = self.nlp(article.text)
                return self._run(article, doc, reading.result()[0])
        return self._run(article, self.nlp(article.text))

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Analysis]:
        """Analyse many articles, letting spaCy batch its work."""
        if self.nlp is None:
            for article in articles:
                yield self._run(article, None)
            return
        stream = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
            yield self._run(article, doc)

    def _run(self, article: Article, doc: Doc | None, scratch: dict[str, Any] | None = None) -> Analysis:
        analysis = Analysis(article=article)
        ctx = Context(analysis=analysis, doc=doc, paragraphs=paragraphs(article.text), scratch=scratch or {})
        if article.meta.get("warnings"):
            analysis.warnings.extend(article.meta["warnings"])
        for analyser in self.analysers:
            analysis.analysers[analyser.name] = analyser_id(analyser)
            analyser(ctx)
        return analysis


def model_version(analyser: Analyser) -> str | None:
    """A short digest of the analyser's trained model (its model card), so retrained models are told apart."""
    explicit = getattr(analyser, "model_version", None)
    if explicit:
        return str(explicit)
    card = getattr(getattr(analyser, "models", None), "card", None)
    if not isinstance(card, dict):
        return None
    from spinlens.models import card_digest

    return card_digest(card)


# Set in the parent just before forking, so workers inherit the loaded models
# instead of loading them again.
_WORKER_PIPELINE: Pipeline | None = None


def _analyse_in_worker(article: Article) -> Analysis:
    assert _WORKER_PIPELINE is not None
    return _WORKER_PIPELINE(article)


def _limit_worker_threads() -> None:
    # One process per core: BLAS threads inside each would only fight over the same cores.
    from threadpoolctl import threadpool_limits

    from spinlens.models.runtime import use_threads

    threadpool_limits(1)
    # Sessions a worker makes itself (the mention sentences' embedding, on first use) get one thread too.
    use_threads(1)


def analyse_many(
    pipeline: Pipeline, articles: Iterable[Article], processes: int = 1, chunksize: int = 4
) -> Iterator[Analysis]:
    """Analyse articles in order, in ``processes`` forked workers when more than one."""
    if processes <= 1:
        yield from pipeline.pipe(articles)
        return
    if pipeline.threads > 1:
        # onnxruntime's thread pools do not survive a fork: the workers would wait on them forever.
        raise ValueError(
            f"a pipeline loaded with threads={pipeline.threads} cannot fork worker processes; "
            "load it with threads=1 to analyse in several processes"
        )
    import multiprocessing

    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_limit_worker_threads) as pool:
        yield from pool.imap(_analyse_in_worker, articles, chunksize)


def load_pipeline(
    profile: str = "default",
    models_dir: Path | None = None,
    threads: int = 1,
    ahead: Sequence[Article] = (),
    read_beside_parse: bool = False,
) -> Pipeline:
    """Build the pipeline for a profile, using the shipped models unless ``models_dir`` is given.

    ``threads``: what each model may compute with. Keep 1 (the default) where articles
    are spread over processes (:func:`analyse_many`, the web server's workers); a single
    analysis with the cores to itself may use more (``spinlens analyze`` gives them every
    core but the one that loads the pipeline).

    ``ahead``: articles that the pipeline will be called on first. They are read while
    the pipeline loads, on the core that loading leaves idle: the transformer work that
    needs no parse while spaCy loads, spaCy's parse while the other models load (both
    compute mostly without holding the GIL). The results are the same.

    ``read_beside_parse``: every later analysis too does that transformer work in a second
    thread while spaCy parses (:class:`Pipeline`); for one analysis at a time with a core
    to spare, not for workers that already fill every core.
    """
    from spinlens.analysers.registry import PARSED_PROFILES, session_loader, text_reader
    from spinlens.models.runtime import use_threads
    from spinlens.nlp.spacy_model import load_spacy

    use_threads(threads)
    texts = list(dict.fromkeys(article.text for article in ahead))
    with ThreadPoolExecutor(max_workers=1) as background:
        # The models' onnxruntime sessions are built while spaCy loads; build_analysers then
        # finds them in their caches (so it waits for them: a cache being filled in another
        # thread would be filled twice).
        sessions = background.submit(session_loader(profile, models_dir))
        reader = text_reader(profile, models_dir)
        reading = background.submit(reader, texts)
        nlp = load_spacy() if profile in PARSED_PROFILES else None
        parses = [background.submit(nlp, text) if nlp is not None else None for text in texts]
        sessions.result()  # raises here what went wrong there
        analysers = build_analysers(profile, models_dir)
        prepared = {
            text: Prepared(parse.result() if parse is not None else None, scratch)
            for text, parse, scratch in zip(texts, parses, reading.result(), strict=True)
        }
    return Pipeline(analysers, nlp, profile, threads, prepared, reader, read_beside_parse)
