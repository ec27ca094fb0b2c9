"""Fetching an article over HTTP(S) without letting a URL reach the machine's own network.

A URL given to spinlens may come from anyone, so before every request (the
first and each redirect) the host is resolved once and every address is
checked: private, loopback, link-local, multicast, reserved and unspecified
addresses are refused. The connection is then made to exactly those vetted
addresses by a pinned httpcore network backend, so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot slip through. The
``Host`` header and the TLS server name stay the URL's host name, so virtual
hosting and certificate checks work as usual.

Bodies are streamed and cut off at ``max_bytes``; the whole fetch, redirects
included, must finish within ``timeout`` seconds.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from typing import Any

import httpcore
import httpx

from spinlens.core import settings
from spinlens.core.errors import FetchError
from spinlens.ingest.html import HTML_TYPES
from spinlens.ingest.text import describe_size

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"

# NAT64 gateways translate this prefix to the IPv4 address in its last 32 bits.
_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str
    final_url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (tests replace this)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def non_public_reason(address: str) -> str | None:
    """Why ``address`` is not a public internet address, or None if it is."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64_PREFIX:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    for reason, applies in checks:
        if applies:
            return reason
    return None


def connect_address(
    backend: httpcore.NetworkBackend,
    address: str,
    port: int,
    timeout: float | None,
    local_address: str | None,
    socket_options: Iterable[Any] | None,
) -> httpcore.NetworkStream:
    """Open the TCP connection to a vetted address (a seam for tests that simulate public hosts)."""
    return backend.connect_tcp(address, port, timeout, local_address, socket_options)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses vetted for a host, never resolving a name itself."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()
        self._pins: dict[tuple[str, int], list[str]] = {}

    def pin(self, host: str, port: int, addresses: list[str]) -> None:
        self._pins[(host, port)] = list(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get((host, port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}:{port} was not checked before connecting")
        failure: Exception | None = None
        for address in addresses:
            try:
                return connect_address(self._inner, address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def shown(url: httpx.URL) -> str:
    """The URL for messages, without any user name or password in it."""
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"not a valid URL: {url} ({exc})") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parsed.scheme or 'this'}: {url}")
    if not parsed.host:
        raise FetchError(f"the URL has no host: {url}")
    return parsed


def _vet_host(url: httpx.URL, resolver: Callable[[str, int], list[str]], allow_private: bool) -> list[str]:
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise FetchError(f"could not connect to {url.host}: the name does not resolve ({reason})") from exc
    if not addresses:
        raise FetchError(f"could not connect to {url.host}: the name does not resolve")
    if not allow_private:
        for address in addresses:
            reason = non_public_reason(address)
            if reason is not None:
                where = f"{url.host} is" if address == url.host else f"{url.host} resolves to {address},"
                article = "an" if reason[0] in "aeiou" else "a"
                raise FetchError(
                    f"refusing to fetch {shown(url)}: {where} {article} {reason} address "
                    "(only public internet addresses are allowed)"
                )
    return addresses


def _headers(response: httpcore.Response) -> Message:
    message = Message()
    for key, value in response.headers:
        message[key.decode("latin-1")] = value.decode("latin-1")
    return message


class _BodyReader:
    """Accumulates a streamed body, decompressing gzip/deflate, and stops at the byte limit."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.limit = limit
        self.url = url
        self.parts: list[bytes] = []
        self.size = 0
        if encoding in ("", "identity"):
            self._decompressor = None
        elif encoding in ("gzip", "x-gzip"):
            self._decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._decompressor = zlib.decompressobj()
        else:
            raise FetchError(
                f"{url} was sent with content encoding {encoding!r}, which spinlens cannot decode"
            )

    def feed(self, chunk: bytes) -> None:
        if self._decompressor is not None:
            try:
                # max_length keeps a decompression bomb from expanding past the limit in memory.
                chunk = self._decompressor.decompress(chunk, self.limit + 1 - self.size)
            except zlib.error as exc:
                raise FetchError(f"{self.url} sent a corrupt compressed body ({exc})") from exc
        self._add(chunk)

    def _add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            limit = f"{describe_size(self.limit)} ({self.limit:,} bytes)"
            raise FetchError(f"{self.url} is larger than the input limit of {limit}")
        self.parts.append(chunk)

    def finish(self) -> bytes:
        if self._decompressor is not None:
            self._add(self._decompressor.flush())
        return b"".join(self.parts)


def fetch_url(
    url: str,
    *,
    timeout: float = settings.FETCH_TIMEOUT_SECONDS,
    max_bytes: int = settings.MAX_INPUT_BYTES,
    allow_private: bool = False,
    resolver: Callable[[str, int], list[str]] | None = None,
) -> FetchedPage:
    """Fetch an HTML or plain-text page; see the module docstring for what is refused and why.

    ``allow_private`` lets tests fetch from a server on 127.0.0.1; nothing else should set it.
    """
    resolve = resolver or resolve_host
    deadline = time.monotonic() + timeout
    backend = PinnedBackend()
    ssl_context = ssl.create_default_context(cafile=_certifi_bundle())
    current = _parse_url(url)

    with httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend, retries=0) as pool:
        for _hop in range(settings.FETCH_MAX_REDIRECTS + 1):
            addresses = _vet_host(current, resolve, allow_private)
            host = current.raw_host.decode("ascii")
            port = current.port or (443 if current.scheme == "https" else 80)
            backend.pin(host, port, addresses)
            remaining = _remaining(deadline, timeout, current)
            request_url = httpcore.URL(
                scheme=current.raw_scheme, host=current.raw_host, port=current.port, target=current.raw_path
            )
            headers = [
                (b"Host", current.netloc),
                (b"User-Agent", settings.FETCH_USER_AGENT.encode()),
                (b"Accept", ACCEPT.encode()),
                (b"Accept-Encoding", b"gzip, deflate"),
            ]
            extensions = {"timeout": {key: remaining for key in ("connect", "read", "write", "pool")}}
            try:
                with pool.stream("GET", request_url, headers=headers, extensions=extensions) as response:
                    head = _headers(response)
                    if response.status in REDIRECT_STATUSES and head.get("Location"):
                        location = head["Location"]
                        try:
                            target = current.join(location)
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise FetchError(
                                f"{shown(current)} redirected to an invalid URL: {location}"
                            ) from exc
                        if target.scheme not in ("http", "https"):
                            raise FetchError(f"{shown(current)} redirected to a non-HTTP URL: {location}")
                        if not target.host:
                            raise FetchError(
                                f"{shown(current)} redirected to a URL without a host: {location}"
                            )
                        current = target
                        continue
                    return _read_page(url, current, response, head, max_bytes, deadline, timeout)
            except httpcore.TimeoutException as exc:
                raise FetchError(f"timed out after {timeout:g} s fetching {shown(current)}") from exc
            except httpcore.ConnectError as exc:
                raise FetchError(f"could not connect to {current.host}: {exc}") from exc
            except (httpcore.ProtocolError, httpcore.NetworkError) as exc:
                raise FetchError(f"{current.host} broke off or sent an invalid response: {exc}") from exc
        raise FetchError(
            f"too many redirects (more than {settings.FETCH_MAX_REDIRECTS}) fetching {shown(_parse_url(url))}"
        )


def _read_page(
    url: str,
    current: httpx.URL,
    response: httpcore.Response,
    head: Message,
    max_bytes: int,
    deadline: float,
    timeout: float,
) -> FetchedPage:
    status = response.status
    if not 200 <= status < 300:
        reason = response.extensions.get("reason_phrase", b"")
        reason_text = reason.decode("latin-1") if isinstance(reason, bytes) else ""
        raise FetchError(f"{shown(current)} answered HTTP {status} {reason_text}".rstrip())

    content_type = head.get_content_type() if head.get("Content-Type") else None
    if content_type is not None and content_type not in HTML_TYPES | TEXT_TYPES:
        raise FetchError(f"{shown(current)} is {content_type}, not HTML or plain text")
    charset = head.get_content_charset() if head.get("Content-Type") else None

    declared_length = head.get("Content-Length")
    encoding = (head.get("Content-Encoding") or "").strip().lower()
    if declared_length and declared_length.isdigit() and not encoding and int(declared_length) > max_bytes:
        limit = f"{describe_size(max_bytes)} ({max_bytes:,} bytes)"
        raise FetchError(f"{shown(current)} is larger than the input limit of {limit}")

    body = _BodyReader(encoding, max_bytes, shown(current))
    for chunk in response.iter_stream():
        body.feed(chunk)
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s fetching {shown(current)}")
    return FetchedPage(
        url=url,
        final_url=shown(current),
        status=status,
        content_type=content_type,
        charset=charset,
        body=body.finish(),
    )


def _remaining(deadline: float, timeout: float, url: httpx.URL) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"timed out after {timeout:g} s fetching {shown(url)}")
    return remaining


def _certifi_bundle() -> str | None:
    try:
        import certifi
    except ImportError:  # pragma: no cover - httpx depends on certifi
        return None
    return certifi.where()
