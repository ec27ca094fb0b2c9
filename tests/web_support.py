"""Shared helpers of the web tests: apps on SQLite or a throwaway PostgreSQL database, CSRF, seeding."""

from __future__ import annotations

import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spinlens.core.model import Analysis, Article, Entity, Span
from spinlens.store.repository import Store
from spinlens.web.app import create_app
from spinlens.web.settings import WebSettings

LIGHT = "web_doubles:light_pipeline"
LIGHT_WITH_DNS = "web_doubles:light_pipeline_with_public_dns"
LIGHT_OFFLINE = "web_doubles:light_pipeline_offline"
POSTGRES_ENV = "SPINLENS_TEST_POSTGRES_URL"
NO_POSTGRES = (
    f"no PostgreSQL server: set {POSTGRES_ENV} (.ci/run starts one; scripts/start-postgres.sh prints it)"
)


def real_pipeline_problem() -> str | None:
    """Why the shipped pipeline cannot be built here, or None when it can."""
    try:
        from spinlens.analysers.registry import build_analysers

        build_analysers()
    except Exception as exc:
        return f"the full pipeline does not load here ({type(exc).__name__}: {exc})"
    return None


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards, so runs never see each other's rows."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(NO_POSTGRES)
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"spinlens_web_{secrets.token_hex(4)}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'web.db'}"
    else:
        with postgres_database() as url:
            yield url


@contextmanager
def running_client(settings: WebSettings) -> Iterator[TestClient]:
    """A TestClient with the app's lifespan running (store opened, analysis workers started)."""
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        yield client


@dataclass
class LiveServer:
    base: str
    app: Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(settings: WebSettings) -> Iterator[LiveServer]:
    """The app under uvicorn on 127.0.0.1 in a background thread, as ``spinlens serve`` runs it."""
    import uvicorn

    port = free_port()
    app = create_app(replace(settings, host="127.0.0.1", port=port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.service.store  # type: ignore[attr-defined]
    return store


def versions_of(client: TestClient) -> dict[str, str]:
    versions: dict[str, str] = client.app.state.service.pool.versions  # type: ignore[attr-defined]
    return versions


def save(client: TestClient, analysis: Analysis) -> int:
    """Store a hand-built analysis as the app would, returning its article id."""
    return store_of(client).save(analysis, versions_of(client)).article_id


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, path: str = "/") -> str:
    """Load a page so the client gets the CSRF cookie, and return the token its forms carry."""
    response = client.get(path)
    match = CSRF_INPUT.search(response.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def form_files(**fields: Any) -> dict[str, Any]:
    """Multipart fields as httpx wants them, so a form is sent as a browser sends the analyse forms."""
    return {name: (None, str(value)) for name, value in fields.items()}


# An article written to break out of every place the pages put text: element content, attributes,
# the JSON data block, links, and Jinja (which must never evaluate stored text).
HOSTILE_TEXT = (
    "<script>alert(1)</script> Breaking news\n"
    "The mayor <img src=x onerror=alert(1)> said the plan was a disaster.\n"
    "Template {{ 7*7 }} and {% raw %}x{% endraw %} and ${7*7} and #{7*7}.\n"
    "Break out </script><script>window.pwned=1</script> of the data block, or <!-- a comment.\n"
    'Attribute "><svg onload=alert(1)> break.\n'
)


def hostile_analysis() -> Analysis:
    article = Article(
        text=HOSTILE_TEXT,
        title="<script>alert('title')</script>{{ 7*7 }}",
        url="javascript:alert(document.cookie)",
        published="2025-01-02",
    )
    analysis = Analysis(article=article)
    start = HOSTILE_TEXT.index("<img")
    analysis.add_finding(
        "technique",
        "Loaded_Language",
        start,
        start + len("<img src=x onerror=alert(1)>"),
        score=0.9,
        reason='"><script>alert("reason")</script>',
        analyser="t@1",
        details={"family": "Manipulative wording"},
    )
    start = HOSTILE_TEXT.index("</script><script>")
    analysis.add_finding(
        "sourcing",
        "anonymous",
        start,
        start + 40,
        score=0.5,
        reason="{{ 7*7 }}",
        analyser="s@1",
        details={
            "mode": "reported_speech",
            "speaker": {"start": 0, "end": 8, "text": "<b>x</b>"},
            "cue": None,
        },
    )
    name = "<svg onload=alert(1)>"
    start = HOSTILE_TEXT.index(name)
    analysis.entities.append(
        Entity(
            id="e1",
            name=name,
            type="person",
            mentions=[Span(start, start + len(name), name)],
            variants=[name],
            tone=-0.5,
            tone_label="negative",
            analyser="e@1",
            roles=[{"main": "<i>Antagonist</i>", "fine": ["{{ 7*7 }}"], "score": 0.5, "reason": "r"}],
        )
    )
    analysis.add_label("genre", "<script>g</script>", score=0.5, reason="<img src=y>", analyser="g@1")
    analysis.add_label("narrative", "<script>n</script>", score=0.5, reason="{{ 7*7 }}", analyser="n@1")
    analysis.verdict = "<script>alert('verdict')</script> {{ 7*7 }}"
    analysis.warnings.append("<img src=z onerror=alert(1)>")
    return analysis
