"""Safe URL fetching against a real HTTP server on 127.0.0.1 (no internet needed).

"Public" hosts are simulated by a resolver that answers a global address and a
connect hook that routes that address to the local server, so the checks for
redirects and DNS rebinding run exactly as they would on the internet.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import pytest

from spinlens.core.errors import FetchError
from spinlens.ingest import fetch
from spinlens.ingest.fetch import fetch_url, non_public_reason
from spinlens.ingest.read import read_url

PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Harbour reopens | Coast News</title></head>"
    b"<body><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav><article>"
    b"<p>The harbour reopened on Friday after a storm damaged the northern pier last month, "
    b"the port authority said.</p>"
    b"<p>Fishing boats returned to their moorings within hours, "
    b"and the first ferry is expected on Monday.</p>"
    b"</article><footer>Copyright 2024 Coast News. All rights reserved.</footer></body></html>"
)
PAGE_LINES = [
    "The harbour reopened on Friday after a storm damaged the northern pier last month, "
    "the port authority said.",
    "Fishing boats returned to their moorings within hours, and the first ferry is expected on Monday.",
]
PUBLIC_IP = "93.184.215.14"  # a global unicast address; connections to it are routed to the test server


@dataclass
class Server:
    port: int
    requests: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for key, value in headers.items():
                self.send_header(key.replace("_", "-"), value)
            if "Content_Length" not in headers and "no_length" not in self.path:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            server.requests.append({"path": self.path, "host": self.headers.get("Host", "")})
            path = self.path
            if path == "/article":
                self.send(200, PAGE, "text/html; charset=utf-8")
            elif path == "/plain":
                self.send(200, "\n".join(PAGE_LINES).encode(), "text/plain; charset=utf-8")
            elif path == "/cp1252":
                body = (
                    "<html><body><article><p>\u201cWe are back,\u201d said the harbour master on Friday, "
                    "after the storm damaged the northern pier and closed the port for a month.</p>"
                    "</article></body></html>"
                )
                self.send(200, body.encode("cp1252"), "text/html; charset=windows-1252")
            elif path == "/gzip":
                self.send(200, gzip.compress(PAGE), "text/html; charset=utf-8", Content_Encoding="gzip")
            elif path == "/redirect":
                self.send(302, b"", "text/html", Location="/article")
            elif path == "/loop":
                self.send(302, b"", "text/html", Location="/loop")
            elif path == "/to-loopback":
                self.send(302, b"", "text/html", Location=f"http://127.0.0.1:{server.port}/article")
            elif path == "/to-file":
                self.send(302, b"", "text/html", Location="file:///etc/passwd")
            elif path == "/missing":
                self.send(404, b"gone", "text/plain")
            elif path == "/pdf":
                self.send(200, b"%PDF-1.7", "application/pdf")
            elif path == "/big":
                self.send(200, b"<p>" + b"x" * 5000 + b"</p>", "text/html")
            elif path == "/big-no_length":
                # No Content-Length: the limit must be enforced while streaming.
                self.send(200, b"<p>" + b"x" * 50_000 + b"</p>", "text/html")
                self.close_connection = True
            elif path == "/slow":
                time.sleep(6)
                self.send(200, PAGE, "text/html")
            else:
                self.send(404, b"", "text/plain")

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    state = Server(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def public_host(server: Server, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make news.example resolve to a public address that is routed to the local server.

    Returns the list of addresses actually connected to.
    """
    connected: list[str] = []
    real_connect = fetch.connect_address
    real_resolve = fetch.resolve_host

    def route(backend: Any, address: str, port: int, *args: Any) -> httpcore.NetworkStream:
        connected.append(address)
        target = "127.0.0.1" if address == PUBLIC_IP else address
        return real_connect(backend, target, port, *args)

    def resolve(host: str, port: int) -> list[str]:
        if host == "news.example":
            return [PUBLIC_IP]
        if host == "intranet.example":
            return ["10.1.2.3"]
        return real_resolve(host, port)

    monkeypatch.setattr(fetch, "connect_address", route)
    monkeypatch.setattr(fetch, "resolve_host", resolve)
    return connected


# ------------------------------------------------------------------ address checks


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.8", "private"),
        ("192.168.1.20", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "private"),
        ("100.64.0.1", "non-public"),
        ("64:ff9b::a00:1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        (PUBLIC_IP, None),
    ],
)
def test_non_public_reason(address: str, reason: str | None) -> None:
    assert non_public_reason(address) == reason


# ------------------------------------------------------------------ local server


def test_loopback_server_is_refused_without_allow_private(server: Server) -> None:
    before = len(server.requests)
    with pytest.raises(
        FetchError, match=r"^refusing to fetch .*: 127\.0\.0\.1 is a loopback address \(only public"
    ):
        fetch_url(server.url("/article"))
    assert len(server.requests) == before, "a refused URL must not be contacted at all"


def test_unspecified_address_is_refused_with_its_reason() -> None:
    with pytest.raises(FetchError, match=r": 0\.0\.0\.0 is an unspecified address \(only public"):
        fetch_url("http://0.0.0.0/article")


def test_credentials_are_not_shown_in_messages(server: Server) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_url(f"http://reader:s3cret@127.0.0.1:{server.port}/article")
    assert "s3cret" not in str(caught.value) and "reader" not in str(caught.value)


def test_localhost_name_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match=r"localhost resolves to .*a loopback address"):
        fetch_url(server.url("/article", host="localhost"))


def test_page_is_fetched_and_extracted_with_allow_private(server: Server) -> None:
    article = read_url(server.url("/article"), allow_private=True)
    assert article.text.split("\n") == PAGE_LINES
    assert article.title == "Harbour reopens"
    assert article.url == server.url("/article")
    assert article.meta["source"] == "url"


def test_plain_text_page(server: Server) -> None:
    page = fetch_url(server.url("/plain"), allow_private=True)
    assert (page.status, page.content_type, page.charset) == (200, "text/plain", "utf-8")
    article = read_url(server.url("/plain"), allow_private=True)
    assert article.text == "\n".join(PAGE_LINES)


def test_http_charset_is_used(server: Server) -> None:
    article = read_url(server.url("/cp1252"), allow_private=True)
    assert article.text.startswith("\u201cWe are back,\u201d said the harbour master")
    assert all(" is short (" in w for w in article.meta.get("warnings", []))  # no decoding warning


def test_gzip_body_is_decoded(server: Server) -> None:
    page = fetch_url(server.url("/gzip"), allow_private=True)
    assert page.body == PAGE


def test_redirect_is_followed(server: Server) -> None:
    page = fetch_url(server.url("/redirect"), allow_private=True)
    assert page.final_url == server.url("/article")
    assert page.url == server.url("/redirect")
    assert page.body == PAGE


def test_redirect_loop_stops(server: Server) -> None:
    with pytest.raises(FetchError, match=r"^too many redirects \(more than 5\) fetching .*/loop$"):
        fetch_url(server.url("/loop"), allow_private=True)


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match=r"redirected to a non-HTTP URL: file:///etc/passwd$"):
        fetch_url(server.url("/to-file"), allow_private=True)


def test_http_error_status(server: Server) -> None:
    with pytest.raises(FetchError, match=r"/missing answered HTTP 404 Not Found$"):
        fetch_url(server.url("/missing"), allow_private=True)


def test_non_html_content_type_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match=r"/pdf is application/pdf, not HTML or plain text$"):
        fetch_url(server.url("/pdf"), allow_private=True)


def test_declared_length_over_the_limit(server: Server) -> None:
    with pytest.raises(
        FetchError, match=r"/big is larger than the input limit of 1000 bytes \(1,000 bytes\)$"
    ):
        fetch_url(server.url("/big"), allow_private=True, max_bytes=1000)


def test_streamed_body_over_the_limit(server: Server) -> None:
    with pytest.raises(FetchError, match=r"is larger than the input limit of 1 KiB \(1,024 bytes\)$"):
        fetch_url(server.url("/big-no_length"), allow_private=True, max_bytes=1024)


def test_timeout(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 0\.3 s fetching .*/slow$"):
        fetch_url(server.url("/slow"), allow_private=True, timeout=0.3)
    # Well before the server's 6 s answer, with room for a busy machine.
    assert time.monotonic() - started < 4


def test_unreachable_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port once the probe socket is closed.
    with pytest.raises(FetchError, match=r"^could not connect to 127\.0\.0\.1: .*refused"):
        fetch_url(f"http://127.0.0.1:{port}/", allow_private=True)


def test_unresolvable_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch, "resolve_host", fail)
    with pytest.raises(
        FetchError, match=r"^could not connect to no-such-host\.example: the name does not resolve"
    ):
        fetch_url("https://no-such-host.example/story")


@pytest.mark.parametrize("url", ["ftp://example.com/file.txt", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https URLs can be fetched"):
        fetch_url(url)


# ------------------------------------------------------------------ simulated public hosts


def test_public_host_is_fetched_with_its_name_in_the_host_header(
    server: Server, public_host: list[str]
) -> None:
    page = fetch_url(f"http://news.example:{server.port}/article")
    assert page.body == PAGE
    assert public_host == [PUBLIC_IP]
    assert server.requests[-1]["host"] == f"news.example:{server.port}"


def test_redirect_from_public_host_to_loopback_is_refused(server: Server, public_host: list[str]) -> None:
    with pytest.raises(
        FetchError,
        match=r"^refusing to fetch http://127\.0\.0\.1:\d+/article: 127\.0\.0\.1 is a loopback address",
    ):
        fetch_url(f"http://news.example:{server.port}/to-loopback")
    assert server.requests[-1]["path"] == "/to-loopback"
    assert public_host == [PUBLIC_IP], "the redirect target must not be contacted"


def test_private_name_is_refused(public_host: list[str]) -> None:
    with pytest.raises(FetchError, match=r"intranet\.example resolves to 10\.1\.2\.3, a private address"):
        fetch_url("https://intranet.example/wiki")
    assert public_host == []


def test_connection_uses_the_vetted_address_not_a_second_lookup(
    server: Server, public_host: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name answers a public address when checked and loopback afterwards."""
    answers = iter([[PUBLIC_IP]])
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers, ["127.0.0.1"])

    monkeypatch.setattr(fetch, "resolve_host", rebinding)
    page = fetch_url(f"http://news.example:{server.port}/article")
    assert page.body == PAGE
    assert lookups == ["news.example"]
    assert public_host == [PUBLIC_IP]


# ------------------------------------------------------------------ TLS with a pinned address


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """An HTTPS server on 127.0.0.1 whose self-signed certificate is for news.example only."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=news.example",
         "-addext", "subjectAltName=DNS:news.example"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    state = Server(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state, str(cert)
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_https_to_a_pinned_address_keeps_the_host_name_for_tls(
    tls_server: tuple[Server, str], public_host: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    monkeypatch.setattr(fetch, "_certifi_bundle", lambda: cert)
    page = fetch_url(f"https://news.example:{server.port}/article")
    assert page.body == PAGE
    # Connected to the vetted IP, yet the certificate for news.example was accepted (SNI + hostname check).
    assert public_host == [PUBLIC_IP]
    assert server.requests[-1]["host"] == f"news.example:{server.port}"


def test_https_certificate_for_another_name_is_refused(
    tls_server: tuple[Server, str], public_host: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    monkeypatch.setattr(fetch, "_certifi_bundle", lambda: cert)
    real_resolve = fetch.resolve_host
    monkeypatch.setattr(
        fetch,
        "resolve_host",
        lambda host, port: [PUBLIC_IP] if host == "mirror.example" else real_resolve(host, port),
    )
    with pytest.raises(
        FetchError, match=r"^could not connect to mirror\.example: .*certificate verify failed"
    ):
        fetch_url(f"https://mirror.example:{server.port}/article")
