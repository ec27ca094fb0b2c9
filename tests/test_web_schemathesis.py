"""Schemathesis over the app's own OpenAPI document: generated requests to every operation, no 5xx.

The app runs under uvicorn on 127.0.0.1 with the light pipeline (tests/web_doubles.py) in a real
worker process whose resolver sends every host name to a documentation address, so generated URLs
are refused at once instead of reaching out. Examples are bounded and derandomised.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from report_samples import bridge_analysis
from web_support import LIGHT_OFFLINE, LiveServer, live_server

from spinlens.web.settings import WebSettings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

MAX_EXAMPLES = 25
OPERATIONS = [
    ("POST", "/api/analyze"),
    ("GET", "/api/articles"),
    ("GET", "/api/articles/{article_id}"),
    ("DELETE", "/api/articles/{article_id}"),
    ("GET", "/api/stats"),
    ("GET", "/api/health"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    with live_server(WebSettings(db_url=db_url, workers=1, pipeline_factory=LIGHT_OFFLINE)) as live:
        # A few stored articles, so reads and deletes also meet ids that exist.
        store = live.app.state.service.store
        versions = live.app.state.service.pool.versions
        for i in range(3):
            analysis = bridge_analysis(text=f"Fuzz story {i}\n" + bridge_analysis().article.text)
            store.save(analysis, versions)
        yield live


@pytest.fixture(scope="module")
def spec(server: LiveServer) -> dict[str, Any]:
    import httpx

    document: dict[str, Any] = httpx.get(f"{server.base}/openapi.json", timeout=10).json()
    return document


def test_the_fuzzed_operations_are_all_the_api_has(spec: dict[str, Any]) -> None:
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert documented == set(OPERATIONS)


# Negative cases (inputs that break the schema) only exist for operations that take inputs.
CASES = [(m, p, "positive") for m, p in OPERATIONS] + [(m, p, "negative") for m, p in OPERATIONS[:4]]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {g}" for m, p, g in CASES])
def test_generated_requests_never_get_a_server_error(
    server: LiveServer, spec: dict[str, Any], method: str, path: str, mode: str
) -> None:
    """Valid requests (positive) and requests that break the schema (negative) both stay below 500."""
    operation = schemathesis.openapi.from_dict(spec)[path][method]
    strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))
    seen: list[int] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call(base_url=server.base, timeout=30)
        seen.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    check()
    assert seen, "hypothesis generated no request"
    assert all(status < 500 for status in seen)
    if mode == "negative":
        assert any(status == 422 for status in seen), f"no invalid request was refused: {sorted(set(seen))}"
