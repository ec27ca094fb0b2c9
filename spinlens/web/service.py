"""What the web layer does with a request, independent of HTTP: cache, analyse, store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from spinlens.core.errors import InputError, NotEnglishError
from spinlens.core.model import Analysis
from spinlens.store.repository import Store
from spinlens.web.settings import WebSettings
from spinlens.web.worker import AnalysisPool


@dataclass
class Outcome:
    analysis: dict[str, Any]
    article_id: int | None
    cached: bool


class Service:
    def __init__(self, settings: WebSettings, store: Store, pool: AnalysisPool) -> None:
        self.settings = settings
        self.store = store
        self.pool = pool

    async def analyse(self, request: dict[str, Any], keep: bool, non_english_advice: str) -> Outcome:
        """Analyse text or a URL; the same text with the same models comes from the store.

        ``non_english_advice`` tells the caller how to have non-English text analysed anyway.
        """
        try:
            return await self._analyse(request, keep)
        except NotEnglishError as error:
            # The error's own message names the command line's flag, which means nothing here.
            raise InputError(error.advising(non_english_advice)) from error

    async def _analyse(self, request: dict[str, Any], keep: bool) -> Outcome:
        if request.get("text") is not None:
            from spinlens.ingest.text import plain_text

            text, _ = plain_text(request["text"])  # the text read_text analyses
            hit = await run_in_threadpool(self.store.find_cached, text, self.pool.versions)
            if hit is not None:
                return Outcome(hit.analysis.to_dict(), hit.article_id, True)
        result = await self.pool.analyse(request, self.settings.analysis_timeout)
        if not keep:
            return Outcome(result, None, False)
        analysis = Analysis.from_dict(result)
        saved = await run_in_threadpool(self.store.save, analysis, self.pool.versions)
        return Outcome(saved.analysis.to_dict(), saved.article_id, saved.cached)
