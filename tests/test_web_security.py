"""Point 5 of issue 4: escaping, CSP, SSRF refusals, body limit, time limit, tokens, CSRF, Host check.

The module's app listens (nominally) on 0.0.0.0, so it needs a token; it does
not allow private fetches, and its analysis worker resolves ``news.example``
to a public address that is routed to a local server (tests/web_doubles.py).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_doubles import PUBLIC_HOST, REBINDING_SUFFIX
from web_support import LIGHT_WITH_DNS, csrf_token, form_files, hostile_analysis, running_client, save

from spinlens.core.errors import SpinlensError
from spinlens.web.app import create_app
from spinlens.web.security import CONTENT_SECURITY_POLICY
from spinlens.web.settings import MAX_BODY_BYTES, TOKEN_ENV, WebSettings

TOKEN = "test-token-" + "x" * 16
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = (
    "Harbour plan splits the council\n\n"
    "The council voted on Tuesday to sell the old harbour to a private developer, said Mayor Ann Lee.\n"
)
PAGE = (
    b"<html><head><title>Ferry returns</title></head><body><article><p>The ferry returned to the harbour on "
    b"Friday after a storm damaged the northern pier last month, the port authority said on Friday.</p>"
    b"<p>The first crossing is expected on Monday morning, and tickets are on sale.</p></article>"
    b"</body></html>"
)


@dataclass
class LocalServer:
    port: int = 0
    paths: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    state = LocalServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            state.paths.append(self.path)
            if self.path == "/to-loopback":
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{state.port}/article")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _client(folder: Path, analysis_timeout: float) -> Iterator[TestClient]:
    settings = WebSettings(
        db_url=f"sqlite:///{folder / 'security.db'}",
        host="0.0.0.0",
        token=TOKEN,
        workers=1,
        analysis_timeout=analysis_timeout,
        pipeline_factory=LIGHT_WITH_DNS,
    )
    with running_client(settings) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    # A generous limit: a fetch's first extraction imports trafilatura in the worker, which on a
    # busy machine alone can take a couple of seconds.
    yield from _client(tmp_path_factory.mktemp("security"), analysis_timeout=60.0)


@pytest.fixture
def strict_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client whose analyses are stopped after 2 s."""
    yield from _client(tmp_path, analysis_timeout=2.0)


@pytest.fixture
def browser(client: TestClient) -> Iterator[TestClient]:
    """The module's client with a clean cookie jar (no CSRF cookie, not signed in)."""
    client.cookies.clear()
    yield client
    client.cookies.clear()


# -- starting the server --------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_create_app_refuses_a_reachable_host_without_a_token(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with pytest.raises(
        SpinlensError, match=rf"^refusing to listen on {re.escape(host)} without a token: pass --token"
    ):
        create_app(WebSettings(host=host))


def test_token_comes_from_the_environment_and_must_be_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    assert WebSettings(host="0.0.0.0").token == TOKEN
    create_app(WebSettings(host="0.0.0.0"))
    with pytest.raises(SpinlensError, match="at least 16 characters"):
        create_app(WebSettings(host="0.0.0.0", token="short"))


def test_loopback_server_answers_only_loopback_host_names(tmp_path: Path) -> None:
    """DNS rebinding: a page on evil.example re-pointed at 127.0.0.1 must not reach the app."""
    app = create_app(WebSettings(db_url=f"sqlite:///{tmp_path / 'h.db'}"))
    client = TestClient(app)  # no lifespan needed: the check happens before routing
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example"):
        response = client.get("/static/app.css", headers={"Host": host})
        assert response.status_code == 421, host
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"):
        assert client.get("/static/app.css", headers={"Host": host}).status_code == 200, host


# -- tokens ------------------------------------------------------------------------------------------------


def test_write_endpoints_need_the_token(browser: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong-token-0000000000"}, {"Authorization": TOKEN}):
        refused = browser.post("/api/analyze", json={"text": TEXT}, headers=headers)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer TOKEN" in refused.json()["detail"]
        assert browser.delete("/api/articles/1", headers=headers).status_code == 401
    allowed = browser.post("/api/analyze", json={"text": TEXT, "store": True}, headers=AUTH)
    assert allowed.status_code == 200, allowed.text
    # Reading needs no token.
    article_id = allowed.json()["article_id"]
    assert browser.get(f"/api/articles/{article_id}").status_code == 200
    assert browser.get("/api/articles").status_code == 200
    assert browser.get(f"/articles/{article_id}").status_code == 200
    assert browser.delete(f"/api/articles/{article_id}", headers=AUTH).status_code == 204


def test_forms_need_csrf_then_the_token_and_login_sets_a_strict_cookie(browser: TestClient) -> None:
    fields = {"source": "text", "text": TEXT + "From the form.\n"}
    assert browser.post("/analyse", files=form_files(**fields)).status_code == 403
    token = csrf_token(browser)
    wrong = browser.post("/analyse", files=form_files(csrf_token=token[::-1], **fields))
    assert wrong.status_code == 403 and "reload the page" in wrong.text

    unauthorised = browser.post("/analyse", files=form_files(csrf_token=token, **fields))
    assert unauthorised.status_code == 401
    assert 'href="/login?next=/"' in unauthorised.text

    login_page = browser.get("/login", params={"next": "/library"})
    assert 'name="token" type="password"' in login_page.text
    bad = browser.post("/login", data={"csrf_token": token, "token": "nope", "next": "/library"})
    assert bad.status_code == 401 and "That token is not right." in bad.text
    assert browser.post("/login", data={"token": TOKEN, "next": "/library"}).status_code == 403

    good = browser.post(
        "/login",
        data={"csrf_token": token, "token": TOKEN, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/", (
        "an off-site next must not be followed"
    )
    cookie = good.headers["set-cookie"]
    assert cookie.startswith("spinlens_token=") and "HttpOnly" in cookie and "SameSite=strict" in cookie

    done = browser.post("/analyse", files=form_files(csrf_token=token, **fields), follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/articles/")
    assert "Sign out" in browser.get("/").text
    logout = browser.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert logout.status_code == 303 and 'spinlens_token=""' in logout.headers["set-cookie"]


def test_csrf_cookie_is_bound_to_the_form_token(browser: TestClient) -> None:
    """A token from one browser does not work with another browser's cookie (double submit)."""
    token = csrf_token(browser)
    browser.cookies.clear()
    csrf_token(browser)  # a new cookie for this "browser"
    response = browser.post("/logout", data={"csrf_token": token})
    assert response.status_code == 403


# -- fetching URLs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/article", "127.0.0.1 is a loopback address"),
        ("http://[::1]:{port}/article", "::1 is a loopback address"),
        ("http://localhost:{port}/article", "a loopback address"),
        ("http://10.1.2.3/intranet", "10.1.2.3 is a private address"),
        ("http://192.168.0.1/router", "192.168.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://224.0.0.251/", "224.0.0.251 is a multicast address"),
        ("http://0.0.0.0:{port}/article", "unspecified address"),
    ],
)
def test_url_fetches_refuse_non_public_addresses(
    client: TestClient, local_server: LocalServer, url: str, reason: str
) -> None:
    before = list(local_server.paths)
    response = client.post("/api/analyze", json={"url": url.format(port=local_server.port)}, headers=AUTH)
    assert response.status_code == 422
    assert reason in response.json()["detail"] and "refusing to fetch" in response.json()["detail"]
    assert local_server.paths == before, "a refused address must not be contacted"


def test_public_host_is_fetched_but_its_redirect_to_loopback_is_refused(
    client: TestClient, local_server: LocalServer
) -> None:
    ok = client.post(
        "/api/analyze", json={"url": f"http://{PUBLIC_HOST}:{local_server.port}/article"}, headers=AUTH
    )
    assert ok.status_code == 200, ok.text
    assert "The ferry returned to the harbour" in ok.json()["analysis"]["article"]["text"]

    del local_server.paths[:]
    redirected = client.post(
        "/api/analyze", json={"url": f"http://{PUBLIC_HOST}:{local_server.port}/to-loopback"}, headers=AUTH
    )
    assert redirected.status_code == 422
    assert "127.0.0.1 is a loopback address" in redirected.json()["detail"]
    assert local_server.paths == ["/to-loopback"], "the loopback target of the redirect must not be contacted"


def test_a_name_whose_dns_answer_changes_is_connected_to_at_the_address_that_was_checked(
    client: TestClient, local_server: LocalServer
) -> None:
    # The first lookup answers a public address, later ones 127.0.0.2 (where nothing listens):
    # the fetch succeeds only if it connects to the vetted address instead of resolving again.
    host = f"n{secrets.token_hex(4)}{REBINDING_SUFFIX}"
    response = client.post(
        "/api/analyze", json={"url": f"http://{host}:{local_server.port}/article"}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    assert response.json()["analysis"]["article"]["url"] == f"http://{host}:{local_server.port}/article"


# -- limits --------------------------------------------------------------------------------------------------


def test_request_bodies_over_the_limit_are_refused_with_413(browser: TestClient) -> None:
    assert MAX_BODY_BYTES == 2 * 1024 * 1024 + 256 * 1024
    response = browser.post(
        "/analyse", files={"file": ("big.txt", b"x" * (MAX_BODY_BYTES + 1), "text/plain")}
    )
    assert response.status_code == 413
    assert "larger than the limit of 2.25 MiB (2,359,296 bytes)" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    streamed = browser.post(
        "/api/analyze", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    # A browser posting the form without JavaScript gets a page, not JSON.
    page = browser.post(
        "/analyse",
        files={"file": ("big.txt", b"x" * (MAX_BODY_BYTES + 1), "text/plain")},
        headers={"Accept": "text/html,application/xhtml+xml"},
    )
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "The request body is larger than the limit of 2.25 MiB" in page.text
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_analysis_over_the_time_limit_is_stopped_with_504_and_the_worker_is_free_again(
    strict_client: TestClient,
) -> None:
    started = time.monotonic()
    slow = strict_client.post("/api/analyze", json={"text": TEXT + "[[sleep 30]]\n"}, headers=AUTH)
    assert slow.status_code == 504
    assert slow.json()["detail"] == "the analysis took longer than the limit of 2 s"
    # Far below the 30 s the analysis would have slept: it was stopped, not waited for.
    assert time.monotonic() - started < 15
    started = time.monotonic()
    quick = strict_client.post(
        "/api/analyze", json={"text": TEXT + "Right after the slow one.\n"}, headers=AUTH
    )
    assert quick.status_code == 200
    # A worker left sleeping would hold this request for the rest of the 30 s.
    assert time.monotonic() - started < 15, "the worker must have been freed, not left sleeping"


# -- escaping ------------------------------------------------------------------------------------------------


def assert_inert(html: str) -> None:
    """No markup from the hostile analysis became markup on the page."""
    assert "<script>alert" not in html and "<script>window.pwned" not in html
    assert "<img src=x" not in html and "<img src=y" not in html and "<img src=z" not in html
    assert "<svg" not in html and "<b>x</b>" not in html and "<i>Antagonist" not in html
    assert 'href="javascript:' not in html.lower()
    # Only our own script elements: external files, or the non-executed JSON data block.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert re.fullmatch(
            r'<script (src="/static/[\w./-]+" defer|type="application/json" id="findings-data")>', tag
        ), tag
    assert " style=" not in html and "<style" not in html


def test_hostile_article_is_escaped_on_every_page(client: TestClient) -> None:
    article_id = save(client, hostile_analysis())
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200
    html = page.text
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Breaking news" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" in html and "{% raw %}x{% endraw %}" in html
    text_block = re.search(r'<div id="article" class="article-text"[^>]*>(.*?)</div>', html, re.S)
    assert text_block and "49" not in text_block.group(1)
    assert "49" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]
    # The javascript: URL is shown as text, never as a link.
    assert '<span class="source-text">javascript:alert(document.cookie)</span>' in html
    # Inside the JSON data block, "</script>" cannot end the element.
    data = re.search(r'id="findings-data">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "<" not in data and "\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned" in data
    assert "&#34;&gt;&lt;script&gt;alert(&#34;reason&#34;)&lt;/script&gt;" in html  # the reason, in title=""

    library = client.get("/library", params={"q": "<script>alert(1)</script>"}).text
    assert_inert(library)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in library
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;{{ 7*7 }}" in library
    assert_inert(client.get("/library", params={"narrative": "<script>n</script>"}).text)
    overview = client.get("/overview").text
    assert_inert(overview)
    assert "&lt;script&gt;n&lt;/script&gt;" in overview
    home = client.get("/").text
    assert_inert(home)


def test_error_pages_escape_what_the_user_sent(browser: TestClient) -> None:
    browser.cookies.set("spinlens_token", TOKEN)
    token = csrf_token(browser)
    response = browser.post(
        "/analyse",
        data={"csrf_token": token, "source": "file"},
        files={"file": ("<img src=x onerror=alert(1)>.pdf", b"%PDF", "application/pdf")},
    )
    assert response.status_code == 422
    assert_inert(response.text)
    assert "&#39;&lt;img src=x onerror=alert(1)&gt;.pdf&#39; is not a .txt" in response.text
    login = browser.get("/login", params={"next": '/"><script>alert(1)</script>'}).text
    assert_inert(login)


def test_every_response_carries_the_csp_without_unsafe_inline(client: TestClient) -> None:
    script_src = next(d for d in CONTENT_SECURITY_POLICY.split("; ") if d.startswith("script-src"))
    assert script_src == "script-src 'self'" and "unsafe" not in CONTENT_SECURITY_POLICY
    for path in (
        "/",
        "/library",
        "/overview",
        "/docs",
        "/login",
        "/articles/424242",
        "/api/health",
        "/static/app.css",
    ):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert (
        "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
        and "form-action 'self'" in CONTENT_SECURITY_POLICY
    )


def test_templates_have_no_inline_script_or_style() -> None:
    folder = Path(__file__).resolve().parents[1] / "spinlens/web/templates"
    for template in folder.glob("*.html"):
        source = template.read_text()
        assert " style=" not in source and "<style" not in source, template.name
        for tag in re.findall(r"<script\b[^>]*>", source):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, f"{template.name}: {tag}"
        assert re.search(r"\son\w+=", source) is None, f"{template.name} has an inline event handler"
        assert "|safe" not in source.replace(" ", "") and "autoescape false" not in source, template.name
