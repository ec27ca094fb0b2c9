"""The application object: owns settings, the store and the analysis pool; the CLI only builds it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from spinlens import __version__
from spinlens.core.errors import FetchError, SpinlensError
from spinlens.store.repository import Store
from spinlens.web.security import HostCheckMiddleware, LimitsMiddleware
from spinlens.web.service import Service
from spinlens.web.settings import WebSettings
from spinlens.web.worker import AnalysisPool, AnalysisTimeout

STATIC = Path(__file__).parent / "static"


def create_app(settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()
    settings.check()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(settings.db_url)
        pool = AnalysisPool(settings.workers, settings.models_dir, settings.allow_private_fetch)
        try:
            await pool.start()
            app.state.service = Service(settings, store, pool)
            yield
        finally:
            pool.close()
            store.close()

    app = FastAPI(
        title="spinlens",
        version=__version__,
        description="How a news article tries to persuade: techniques, sourcing, entities, genre and frames.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(LimitsMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(HostCheckMiddleware, settings=settings)

    from spinlens.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")

    async def render_error(request: Request, status: int, message: str) -> JSONResponse:
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        from spinlens.web.pages import error_page

        return error_page(request, status, message)  # type: ignore[return-value]

    @app.exception_handler(FetchError)
    async def fetch_error(request: Request, exc: FetchError) -> JSONResponse:
        return await render_error(request, 422, str(exc))

    @app.exception_handler(SpinlensError)
    async def input_error(request: Request, exc: SpinlensError) -> JSONResponse:
        return await render_error(request, 422, str(exc))

    @app.exception_handler(AnalysisTimeout)
    @app.exception_handler(asyncio.TimeoutError)
    async def timeout_error(request: Request, exc: Exception) -> JSONResponse:
        limit = request.app.state.settings.analysis_timeout
        return await render_error(request, 504, f"the analysis took longer than the limit of {limit:g} s")

    @app.exception_handler(BrokenProcessPool)
    async def pool_error(request: Request, exc: BrokenProcessPool) -> JSONResponse:
        return await render_error(request, 503, "the analysis workers stopped; restart the server")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        if wants_json(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        return await render_error(request, 422, "; ".join(e.get("msg", "invalid input") for e in exc.errors()))


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")} for e in exc.errors()]
