"""The application object: owns settings, the store and the analysis pool; the CLI only builds it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

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
        pool = AnalysisPool(
            settings.workers, settings.models_dir, settings.allow_private_fetch, settings.pipeline_factory
        )
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
        # FastAPI's own /docs page loads Swagger UI from a CDN with an inline script, which neither works
        # offline nor passes the CSP; pages.py serves the vendored copy at /docs instead.
        docs_url=None,
        redoc_url=None,
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
        path = request.url.path
        # A .json address is a download for a program (/articles/ID.json): its errors are JSON too.
        return (
            path.startswith("/api/")
            or path.endswith(".json")
            or "application/json" in request.headers.get("accept", "")
        )

    async def render_error(
        request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        from spinlens.web.pages import error_page

        response = error_page(request, status, message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Browsers get an HTML page (with a way back) for 404s, 401s and 403s; API clients get JSON.
        if wants_json(request) and not isinstance(exc.detail, str):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return await render_error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(FetchError)
    async def fetch_error(request: Request, exc: FetchError) -> Response:
        return await render_error(request, 422, str(exc))

    @app.exception_handler(SpinlensError)
    async def input_error(request: Request, exc: SpinlensError) -> Response:
        return await render_error(request, 422, str(exc))

    @app.exception_handler(AnalysisTimeout)
    @app.exception_handler(asyncio.TimeoutError)
    async def timeout_error(request: Request, exc: Exception) -> Response:
        limit = request.app.state.settings.analysis_timeout
        return await render_error(request, 504, f"the analysis took longer than the limit of {limit:g} s")

    @app.exception_handler(BrokenProcessPool)
    async def pool_error(request: Request, exc: BrokenProcessPool) -> Response:
        return await render_error(request, 503, "the analysis workers stopped; restart the server")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        message = "; ".join(e.get("msg", "invalid input") for e in exc.errors())
        return await render_error(request, 422, message)


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors()
    ]
