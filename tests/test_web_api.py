"""The JSON API over a real store (SQLite, and PostgreSQL when a server runs) and real worker processes.

Most tests run the light pipeline (tests/web_doubles.py: real spaCy, sourcing,
entities and verdict; keyword techniques) inside the real analysis pool, so
results are predictable. ``test_real_pipeline_*`` runs the shipped pipeline.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from report_samples import bridge_analysis
from web_support import LIGHT_WITH_DNS, database, real_pipeline_problem, running_client, save, store_of

from spinlens.core.model import Analysis, Article
from spinlens.web.settings import MAX_BODY_BYTES, WebSettings

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "spinlens/schema/analysis.schema.json").read_text()
)

HARBOUR = (
    "Harbour plan splits the council\n"
    "\n"
    "The council voted on Tuesday to sell the old harbour to a private developer. "
    '"This deal secures two hundred jobs," said Mayor Ann Lee.\n'
    "Critics called the plan reckless, according to the Coast Gazette.\n"
    "Either we sell now or the harbour rots, one councillor warned.\n"
)

GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, den alten Hafen an einen privaten Investor "
    "zu verkaufen. Die Opposition nannte den Plan leichtsinnig und kündigte Widerstand an."
)

PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ferry returns | Coast News</title></head><body>"
    b"<article><p>The ferry returned to the harbour on Friday after a storm damaged the northern pier last "
    b"month, the port authority said.</p><p>Critics called the repairs a reckless waste of money, and the "
    b"first crossing is expected on Monday morning.</p></article></body></html>"
)


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    """A local web server with one article page; only reachable because this app allows private fetches."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            status, body = (200, PAGE) if self.path == "/ferry" else (404, b"not here")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with database(request.param, tmp_path_factory.mktemp("api")) as url:
        settings = WebSettings(
            db_url=url, workers=1, pipeline_factory=LIGHT_WITH_DNS, allow_private_fetch=True
        )
        with running_client(settings) as test_client:
            yield test_client


def unique_text(tag: str) -> str:
    """The harbour article with a distinct line, so the store has not seen it before (per backend run)."""
    import secrets

    return HARBOUR + f"The vote was recorded as item {tag}-{secrets.token_hex(4)}.\n"


# -- analysing ---------------------------------------------------------------------------------------


def test_analyze_text_returns_the_cli_schema_without_storing(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": unique_text("nostore"), "title": "Harbour"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["article_id"] is None and body["cached"] is False
    analysis = body["analysis"]
    Draft202012Validator(SCHEMA).validate(analysis)
    assert analysis["article"]["title"] == "Harbour"
    text = analysis["article"]["text"]
    techniques = [f for f in analysis["findings"] if f["kind"] == "technique"]
    assert {f["label"] for f in techniques} >= {"Loaded_Language", "False_Dilemma-No_Choice"}
    for finding in analysis["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]
        assert finding["reason"]
    speakers = {s["text"] for s in analysis["summaries"]["sourcing"]["speakers"]}
    assert "Mayor Ann Lee" in speakers or "Ann Lee" in speakers
    assert client.get("/api/articles", params={"q": text.split("item ")[1][:20]}).json()["total"] == 0


def test_analyze_with_store_then_get_and_the_same_text_is_a_cache_hit(client: TestClient) -> None:
    text = unique_text("store")
    first = client.post("/api/analyze", json={"text": text, "store": True})
    assert first.status_code == 200, first.text
    article_id = first.json()["article_id"]
    assert isinstance(article_id, int) and first.json()["cached"] is False

    stored = client.get(f"/api/articles/{article_id}")
    assert stored.status_code == 200
    assert stored.json()["article_id"] == article_id
    assert stored.json()["analysis"] == first.json()["analysis"]

    again = client.post("/api/analyze", json={"text": text, "store": True})
    assert again.status_code == 200
    assert again.json()["cached"] is True and again.json()["article_id"] == article_id
    assert again.json()["analysis"]["findings"] == first.json()["analysis"]["findings"]
    # Line endings and a byte-order mark do not make a different article.
    crlf = client.post("/api/analyze", json={"text": "\ufeff" + text.replace("\n", "\r\n")})
    assert crlf.json()["cached"] is True and crlf.json()["article_id"] == article_id


def test_analyze_url_fetches_from_a_local_server_when_private_fetch_is_allowed(
    client: TestClient, page_server: str
) -> None:
    response = client.post("/api/analyze", json={"url": f"{page_server}/ferry", "store": True})
    assert response.status_code == 200, response.text
    analysis = response.json()["analysis"]
    assert analysis["article"]["title"].startswith("Ferry returns")
    assert analysis["article"]["url"] == f"{page_server}/ferry"
    assert "The ferry returned to the harbour on Friday" in analysis["article"]["text"]
    assert any(f["label"] == "Loaded_Language" for f in analysis["findings"])
    item = client.get("/api/articles", params={"outlet": "127.0.0.1"}).json()["items"][0]
    assert item["article_id"] == response.json()["article_id"]

    missing = client.post("/api/analyze", json={"url": f"{page_server}/gone"})
    assert missing.status_code == 422
    assert "404" in missing.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "give exactly one of 'text' or 'url'"),
        ({"text": "x", "url": "https://example.com/"}, "give exactly one of 'text' or 'url'"),
        ({"url": "ftp://example.com/a.txt"}, "'url' must start with http:// or https://"),
        ({"text": 42}, "Input should be a valid string"),
        ({"text": "Hello", "store": "perhaps"}, "Input should be a valid boolean"),
    ],
)
def test_analyze_rejects_malformed_requests_with_422(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/api/analyze", json=body)
    assert response.status_code == 422
    assert any(message in error["msg"] for error in response.json()["detail"]), response.json()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n\t  ", "the text contains only whitespace"),
        (
            GERMAN,
            "spinlens's models are trained on English",
        ),
    ],
)
def test_analyze_refuses_unanalysable_text_with_a_one_line_reason(
    client: TestClient, text: str, message: str
) -> None:
    response = client.post("/api/analyze", json={"text": text})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and message in detail and "\n" not in detail


def test_non_english_text_is_refused_with_the_api_field_that_allows_it(client: TestClient) -> None:
    detail = client.post("/api/analyze", json={"text": GERMAN}).json()["detail"]
    assert 'Send "allow_non_english": true to analyse it anyway' in detail
    assert "--allow-non-english" not in detail


def test_titles_lose_control_characters_on_every_database(client: TestClient) -> None:
    text = unique_text("title")
    response = client.post(
        "/api/analyze", json={"text": text, "title": "Harbour\x00vote\x1b[31m\nresult", "store": True}
    )
    assert response.status_code == 200, response.text
    assert response.json()["analysis"]["article"]["title"] == "Harbour vote [31m result"
    article_id = response.json()["article_id"]
    (item,) = client.get("/api/articles", params={"q": text.split("item ")[1].strip()}).json()["items"]
    assert (item["article_id"], item["title"]) == (article_id, "Harbour vote [31m result")
    assert ">Harbour vote [31m result</a>" in client.get("/library").text


def test_non_english_text_is_analysed_when_asked(client: TestClient) -> None:
    text = (
        "Der Stadtrat hat am Dienstag beschlossen, den alten Hafen an einen privaten Investor zu verkaufen. "
        "Die Opposition nannte den Plan reckless und kündigte Widerstand an."
    )
    response = client.post("/api/analyze", json={"text": text, "allow_non_english": True})
    assert response.status_code == 200
    assert any("trained on English" in w for w in response.json()["analysis"]["warnings"])


def test_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    body = json.dumps({"text": "a" * MAX_BODY_BYTES}).encode()
    response = client.post("/api/analyze", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert f"{MAX_BODY_BYTES:,} bytes" in response.json()["detail"]


# -- the library ---------------------------------------------------------------------------------------


def seeded(tag: str, n: int, **overrides: Any) -> list[Analysis]:
    """n distinct bridge analyses on outlet <tag>-<i % 2>.example, one month apart."""
    analyses = []
    for i in range(n):
        url = overrides.get("url") or f"https://www.{tag}-{i % 2}.example/story/{i}"
        analysis = bridge_analysis(
            text=f"Story {tag} number {i}\n" + bridge_analysis().article.text,
            url=url,
            title=f"Story {tag} number {i}",
            published=f"2025-{i + 1:02d}-15",
        )
        analyses.append(analysis)
    return analyses


def test_library_lists_filters_and_paginates(client: TestClient) -> None:
    tag = f"lib{len(store_of(client).facets()['outlets'])}"
    ids = [save(client, a) for a in seeded(tag, 5)]
    outlet = f"{tag}-0.example"

    everything = client.get("/api/articles", params={"q": f"Story {tag}", "per_page": 2})
    body = everything.json()
    assert body["total"] == 5 and body["pages"] == 3 and len(body["items"]) == 2
    # Newest stored first.
    assert [i["article_id"] for i in body["items"]] == ids[::-1][:2]
    last = client.get("/api/articles", params={"q": f"Story {tag}", "per_page": 2, "page": 3}).json()
    assert [i["article_id"] for i in last["items"]] == [ids[0]]

    by_outlet = client.get("/api/articles", params={"outlet": outlet}).json()
    assert sorted(i["article_id"] for i in by_outlet["items"]) == sorted(ids[0::2])
    item = by_outlet["items"][0]
    assert item["genre"] == "opinion" and item["techniques"] == 6 and item["named_share"] == 0.25

    window = client.get(
        "/api/articles", params={"q": f"Story {tag}", "date_from": "2025-02-01", "date_to": "2025-03-31"}
    )
    assert sorted(i["title"] for i in window.json()["items"]) == [
        f"Story {tag} number 1",
        f"Story {tag} number 2",
    ]

    assert (
        client.get("/api/articles", params={"q": f"Story {tag}", "technique": "Repetition"}).json()["total"]
        == 5
    )
    assert (
        client.get("/api/articles", params={"q": f"Story {tag}", "technique": "Slogans"}).json()["total"] == 0
    )
    assert (
        client.get("/api/articles", params={"q": f"Story {tag}", "narrative": "Local spending"}).json()[
            "total"
        ]
        == 5
    )
    assert client.get("/api/articles", params={"q": f"Story {tag}", "genre": "satire"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"per_page": 101}, {"date_from": "last week"}, {"q": "x" * 201}],
)
def test_library_rejects_bad_query_parameters(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/api/articles", params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == next(iter(params))


@pytest.mark.parametrize("name", ["q", "outlet", "genre", "technique", "narrative"])
def test_library_refuses_filters_with_nul_on_every_database(client: TestClient, name: str) -> None:
    response = client.get("/api/articles", params={name: "harbour\x00"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", name] and "NUL" in error["msg"]
    page = client.get("/library", params={name: "\x00"})
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "<h1>Cannot use those filters</h1>" in page.text and "NUL characters" in page.text


def test_library_empty_filters_mean_any_dates_included(client: TestClient) -> None:
    save(client, seeded("emptyfilters", 1)[0])
    everything = client.get("/api/articles").json()
    empty = {name: "" for name in ("q", "outlet", "genre", "technique", "narrative", "date_from", "date_to")}
    response = client.get("/api/articles", params=empty)
    assert response.status_code == 200, response.text
    assert response.json() == everything


def test_delete_removes_the_article_and_a_second_delete_is_404(client: TestClient) -> None:
    article_id = save(client, seeded("del", 1)[0])
    assert client.get(f"/api/articles/{article_id}").status_code == 200
    assert client.delete(f"/api/articles/{article_id}").status_code == 204
    assert client.get(f"/api/articles/{article_id}").status_code == 404
    again = client.delete(f"/api/articles/{article_id}")
    assert again.status_code == 404 and again.json() == {"detail": f"no article {article_id}"}


def test_stats_aggregate_the_newest_analysis_of_each_article_by_outlet(client: TestClient) -> None:
    tag = f"stats{len(store_of(client).facets()['outlets'])}"
    analyses = seeded(tag, 4)
    # One more article on the first outlet with no attributed statements (it must not dilute the share).
    quiet = Analysis(
        article=Article(
            text="A short quiet note about the tides.",
            url=f"https://{tag}-0.example/q",
            published="2025-04-02",
        )
    )
    quiet.add_finding("technique", "Doubt", 2, 7, score=0.5, reason="r", analyser="t@1")
    for analysis in [*analyses, quiet]:
        save(client, analysis)
    stats = client.get("/api/stats").json()
    by_outlet = {o["outlet"]: o for o in stats["outlets"]}

    words = [len(a.article.text.split()) for a in analyses]
    first = by_outlet[f"{tag}-0.example"]
    assert first["articles"] == 3
    expected = round(1000 * (6 + 6 + 1) / (words[0] + words[2] + len(quiet.article.text.split())), 2)
    assert first["techniques_per_1000_words"] == expected
    assert first["named_source_share"] == 0.25
    second = by_outlet[f"{tag}-1.example"]
    assert second["articles"] == 2
    assert second["techniques_per_1000_words"] == round(1000 * 12 / (words[1] + words[3]), 2)

    months = {m["month"]: m["counts"] for m in stats["narratives_by_month"]}
    for month in ("2025-01", "2025-02", "2025-03", "2025-04"):
        assert months[month].get("Local spending", 0) >= 1
    assert stats["articles"] == client.get("/api/articles").json()["total"]


def test_health_reports_workers_and_model_versions(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["workers"] == 1 and health["queued"] == 0
    assert health["versions"]["keyword_techniques"] == "keyword_techniques@1"
    assert health["versions"]["sourcing"].startswith("sourcing@")


def test_unknown_article_is_404_json(client: TestClient) -> None:
    response = client.get("/api/articles/999999")
    assert response.status_code == 404 and response.json() == {"detail": "no article 999999"}


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/analyze",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/stats",
        "/api/health",
    }
    assert client.get("/docs").status_code == 200


# -- the shipped pipeline -----------------------------------------------------------------------------


def test_real_pipeline_analyses_stores_and_serves_an_article(tmp_path: Path) -> None:
    """End to end with the real models in the real worker pool: POST /api/analyze, then GET it back."""
    problem = real_pipeline_problem()
    if problem:
        pytest.skip(problem)
    example = (Path(__file__).resolve().parents[1] / "spinlens/examples/harbour-deal.txt").read_text()
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'real.db'}", workers=1)
    with running_client(settings) as client:
        response = client.post("/api/analyze", json={"text": example, "store": True})
        assert response.status_code == 200, response.text
        body = response.json()
        Draft202012Validator(SCHEMA).validate(body["analysis"])
        assert body["analysis"]["analysers"]["techniques"].startswith("techniques@")
        assert body["analysis"]["verdict"]
        stored = client.get(f"/api/articles/{body['article_id']}").json()
        assert stored["analysis"] == body["analysis"]
        assert client.post("/api/analyze", json={"text": example}).json()["cached"] is True
        versions = client.get("/api/health").json()["versions"]
        assert "techniques" in versions and "spacy" in versions
