"""Analysis runs in a pool of worker processes so the event loop never waits on it.

Each worker loads the pipeline once (spaCy and the models) when it starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinlens.pipeline import Pipeline

WORKER_NICENESS = 10
_PIPELINE: Pipeline | None = None
_ALLOW_PRIVATE = False


def _pipeline_factory(spec: str | None) -> Callable[..., Pipeline]:
    """``module:function`` building the pipeline (tests substitute one); default: the shipped pipeline."""
    if not spec:
        from spinlens.pipeline import load_pipeline

        return load_pipeline
    module_name, _, function_name = spec.partition(":")
    factory: Callable[..., Pipeline] = getattr(importlib.import_module(module_name), function_name)
    return factory


def _init_worker(models_dir: str | None, allow_private: bool, pipeline_factory: str | None = None) -> None:
    global _PIPELINE, _ALLOW_PRIVATE
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    # Below the server process in priority: when analyses fill every core, health checks and
    # page loads still get the CPU at once instead of queueing behind them.
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    # Each worker analyses one article at a time: reading it with the transformer while spaCy
    # parses it shortened a request by about a third on two cores (0.61 -> 0.44 s for an
    # article of typical length), and two workers kept both cores as busy as before.
    beside = {} if pipeline_factory else {"read_beside_parse": True}
    _PIPELINE = _pipeline_factory(pipeline_factory)(
        models_dir=Path(models_dir) if models_dir else None, **beside
    )
    _ALLOW_PRIVATE = allow_private


def _versions() -> dict[str, str]:
    assert _PIPELINE is not None
    return _PIPELINE.fingerprint


class AnalysisTimeout(Exception):
    pass


def _on_alarm(_signum: int, _frame: object) -> None:
    raise AnalysisTimeout


def _analyse(request: dict[str, Any]) -> dict[str, Any]:
    """Ingest and analyse one request within its time limit; returns the analysis as a dict."""
    import signal

    # The alarm interrupts the work inside this worker, so a runaway request frees its
    # process instead of occupying it after the client has been told it timed out.
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(request.get("timeout", 60.0)))
    try:
        return _analyse_now(request)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _analyse_now(request: dict[str, Any]) -> dict[str, Any]:
    from spinlens.ingest import article_from_bytes, read_text, read_url
    from spinlens.store.repository import clean_title

    assert _PIPELINE is not None
    allow_non_english = bool(request.get("allow_non_english"))
    if request.get("url"):
        article = read_url(request["url"], allow_non_english=allow_non_english, allow_private=_ALLOW_PRIVATE)
    elif request.get("data") is not None:
        # An uploaded file: decoded and (for HTML) extracted here, because extraction is CPU work too.
        article = article_from_bytes(
            request["data"],
            fmt=request["fmt"],
            name=request.get("name") or "the uploaded file",
            allow_non_english=allow_non_english,
            meta={"source": "upload", "filename": request.get("name")},
        )
        if request.get("title"):
            article.title = request["title"]
    else:
        article = read_text(
            request["text"],
            name=request.get("name") or "the text",
            title=request.get("title"),
            allow_non_english=allow_non_english,
        )
    # Titles come from the request or the page and are shown on one line in lists: without control
    # characters (a NUL cannot even be stored on PostgreSQL), cleaned alike on every database.
    article.title = clean_title(article.title)
    return _PIPELINE(article).to_dict()


class AnalysisPool:
    """A fixed pool of analysis processes with a bounded wait per request."""

    def __init__(
        self, workers: int, models_dir: Path | None, allow_private: bool, pipeline_factory: str | None = None
    ) -> None:
        # 'spawn' rather than 'fork': the server process runs threads (the event loop, SQLAlchemy's
        # pool) that a forked child would inherit in an unknown state.
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(str(models_dir) if models_dir else None, allow_private, pipeline_factory),
        )
        self.workers = workers
        self.versions: dict[str, str] = {}
        self.queued = 0

    async def start(self) -> None:
        """Start every worker now so that the first user does not wait for models to load."""
        loop = asyncio.get_running_loop()
        results = await asyncio.gather(
            *(loop.run_in_executor(self._executor, _versions) for _ in range(self.workers))
        )
        self.versions = results[0]

    async def analyse(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        self.queued += 1
        try:
            future = loop.run_in_executor(self._executor, _analyse, {**request, "timeout": timeout})
            # The worker stops itself at `timeout`; the margin covers queueing behind other requests.
            return await asyncio.wait_for(future, timeout * (1 + self.queued))
        finally:
            self.queued -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
