"""Protections for a server whose every input is hostile: body limits, headers, tokens, CSRF."""

from __future__ import annotations

import contextlib
import hmac
import secrets
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spinlens.web.settings import WebSettings

CSRF_COOKIE = "spinlens_csrf"
CSRF_FIELD = "csrf_token"
TOKEN_COOKIE = "spinlens_token"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class BodyTooLarge(Exception):
    pass


class LimitsMiddleware:
    """Refuses bodies over the limit with 413 (by Content-Length, or while streaming) and adds headers."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in _SECURITY_HEADER_NAMES]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await self._too_large(scope, receive, send_with_headers)
            return
        received = 0
        exceeded = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def send_unless_exceeded(message: Message) -> None:
            nonlocal response_started
            # Frameworks catch errors while reading a body and answer 400 "could not parse";
            # that answer to a cut-off body is dropped and replaced by the 413 below.
            if exceeded:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send_with_headers(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, limited_receive, send_unless_exceeded)
        if exceeded and not response_started:
            await self._too_large(scope, receive, send_with_headers)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit_mib = self.max_body_bytes / (1 << 20)
        message = (
            f"request body is larger than the limit of {limit_mib:.2f} MiB ({self.max_body_bytes:,} bytes)"
        )
        headers = Headers(scope=scope)
        response: Response
        if scope["path"].startswith("/api/") or "text/html" not in headers.get("accept", ""):
            response = JSONResponse({"detail": message}, status_code=413)
        else:
            # A browser's plain form post: a page with a way back rather than bare JSON.
            response = HTMLResponse(
                "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Too large · spinlens</title>"
                f'<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>Too large</h1>'
                f'<p class="error">The {message}.</p><p><a href="/">Back to the analyse page</a></p>'
                "</main></body></html>",
                status_code=413,
            )
        await response(scope, receive, send)


class HostCheckMiddleware:
    """On a loopback-only server, answer only requests addressed to loopback names.

    This stops DNS rebinding: a web page whose domain is re-pointed at 127.0.0.1
    would otherwise reach the local server as if it were same-origin.
    """

    ALLOWED = frozenset({"127.0.0.1", "localhost", "[::1]", "::1", "testserver"})

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.enabled = settings.loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.enabled and scope["type"] == "http":
            host = Headers(scope=scope).get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.ALLOWED:
                response = PlainTextResponse("unknown host", status_code=421)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def token_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def request_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(TOKEN_COOKIE)


def is_authorised(request: Request, settings: WebSettings) -> bool:
    if not settings.requires_token:
        return True
    return token_matches(settings.token, request_token(request))


def csrf_token_for(request: Request) -> str:
    """The CSRF token for this browser: the cookie's value, or a new one the page will set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) >= 32:
        return existing
    # Kept in the request scope's state, so every Request object built for this request
    # (the endpoint's, an error handler's) hands out the same new token.
    token: str | None = getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def issue_csrf_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie when this request handed out a new token (HttpOnly: only forms carry it)."""
    token: str | None = getattr(request.state, "new_csrf", None)
    if token is not None:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def csrf_valid(request: Request, submitted: Any) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return isinstance(submitted, str) and token_matches(cookie, submitted)
