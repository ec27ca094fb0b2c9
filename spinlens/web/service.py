"""What the web layer does with a request, independent of HTTP: cache, analyse, store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

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

    async def analyse(self, request: dict[str, Any], keep: bool) -> Outcome:
        """Analyse text or a URL; the same text with the same models comes from the store."""
        if request.get("text") is not None:
            from spinlens.ingest.text import normalise_text, unwrap_hard_wrapped

            text, _ = unwrap_hard_wrapped(normalise_text(request["text"]))  # the text read_text analyses
            hit = await run_in_threadpool(self.store.find_cached, text, self.pool.versions)
            if hit is not None:
                return Outcome(hit.analysis.to_dict(), hit.article_id, True)
        result = await self.pool.analyse(request, self.settings.analysis_timeout)
        if not keep:
            return Outcome(result, None, False)
        analysis = Analysis.from_dict(result)
        saved = await run_in_threadpool(self.store.save, analysis, self.pool.versions)
        return Outcome(saved.analysis.to_dict(), saved.article_id, saved.cached)
