"""One entry point from what the user names (a path, a URL or ``-``) to an :class:`Article`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from spinlens.core import settings
from spinlens.core.model import Article
from spinlens.ingest.files import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
    read_file_bytes,
    read_limited,
)
from spinlens.ingest.html import HTML_TYPES, declared_charset, extract_main_text, looks_like_html
from spinlens.ingest.text import build_article, check_text, decode_bytes, normalise_text, plain_text

if TYPE_CHECKING:
    from spinlens.ingest.fetch import FetchedPage

STDIN_NAME = "standard input"
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def read_input(source: str, *, stdin: BinaryIO | None = None, allow_non_english: bool = False) -> Article:
    """Read an article from a file path, an http(s) URL, or ``-`` for standard input.

    ``.html``/``.htm`` files are HTML, ``.txt``/``.md`` files are text, and
    anything else (standard input included) is sniffed. The returned article's
    ``text`` is exactly what will be analysed.
    """
    if source == "-":
        return read_stdin(stdin, allow_non_english=allow_non_english)
    if _URL_SCHEME.match(source):
        # Any scheme goes to read_url, which refuses all but http(s) with a clear message
        # instead of "no such file: ftp://...".
        return read_url(source, allow_non_english=allow_non_english)
    return read_file(Path(source).expanduser(), allow_non_english=allow_non_english)


def read_file(path: Path, *, allow_non_english: bool = False) -> Article:
    data = read_file_bytes(path, settings.MAX_INPUT_BYTES)
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        fmt = "html"
    elif suffix in MARKDOWN_SUFFIXES:
        fmt = "markdown"
    elif suffix in TEXT_SUFFIXES:
        fmt = "text"
    else:
        fmt = "html" if looks_like_html(data) else "text"
    return article_from_bytes(
        data,
        fmt=fmt,
        name=str(path),
        allow_non_english=allow_non_english,
        path=str(path),
        meta={"source": "file"},
    )


def read_stdin(stdin: BinaryIO | None = None, *, allow_non_english: bool = False) -> Article:
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = read_limited(stream, settings.MAX_INPUT_BYTES, STDIN_NAME)
    fmt = "html" if looks_like_html(data) else "text"
    return article_from_bytes(
        data, fmt=fmt, name=STDIN_NAME, allow_non_english=allow_non_english, meta={"source": "stdin"}
    )


def read_url(url: str, *, allow_non_english: bool = False, allow_private: bool = False) -> Article:
    """Fetch ``url`` safely (see :mod:`spinlens.ingest.fetch`) and read the page."""
    from spinlens.ingest.fetch import fetch_url  # httpx is imported only when a URL is read

    page = fetch_url(
        url,
        timeout=settings.FETCH_TIMEOUT_SECONDS,
        max_bytes=settings.MAX_INPUT_BYTES,
        allow_private=allow_private,
    )
    return article_from_page(page, allow_non_english=allow_non_english)


def article_from_page(page: FetchedPage, *, allow_non_english: bool = False) -> Article:
    if page.content_type in HTML_TYPES:
        fmt = "html"
    elif page.content_type is None:
        fmt = "html" if looks_like_html(page.body) else "text"
    else:
        fmt = "markdown" if "markdown" in page.content_type else "text"
    meta: dict[str, Any] = {"source": "url", "fetched_url": page.url, "status": page.status}
    return article_from_bytes(
        page.body,
        fmt=fmt,
        name=page.final_url,
        allow_non_english=allow_non_english,
        url=page.final_url,
        http_charset=page.charset,
        meta=meta,
    )


def article_from_bytes(
    data: bytes,
    *,
    fmt: str,
    name: str,
    allow_non_english: bool = False,
    path: str | None = None,
    url: str | None = None,
    http_charset: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Article:
    """Decode, extract (for HTML), normalise and check; ``fmt`` is html, markdown or text."""
    info: dict[str, Any] = {**(meta or {}), "format": fmt, "input_bytes": len(data)}
    charset = http_charset or (declared_charset(data) if fmt == "html" else None)
    decoded = decode_bytes(data, name, charset)
    info["encoding"] = decoded.encoding
    if not decoded.text.strip():
        check_text(decoded.text, name)  # raises the "empty" / "only whitespace" error
    if fmt == "html":
        page = extract_main_text(decoded.text, name, url=url)
        if page.sitename:
            info["sitename"] = page.sitename
        if url and page.url and page.url != url:
            info["canonical_url"] = page.url
        return build_article(
            normalise_text(page.text),
            name=name,
            allow_non_english=allow_non_english,
            title=page.title,
            url=url or page.url,
            path=path,
            published=page.published,
            meta=info,
            warnings=decoded.warnings,
        )

    text, warnings = plain_text(decoded.text)
    return build_article(
        text,
        name=name,
        allow_non_english=allow_non_english,
        title=_markdown_title(text) if fmt == "markdown" else _headline(text),
        url=url,
        path=path,
        meta=info,
        warnings=[*decoded.warnings, *warnings],
    )


def _headline(text: str) -> str | None:
    """A plain-text article's first line when it reads as a headline: short, followed by more text,
    and not ending like a sentence (news files usually put the headline first)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    first = lines[0]
    if len(first) > 200 or first.endswith((".", ",", ";", ":")):
        return None
    return first


def _markdown_title(text: str) -> str | None:
    """The text of a leading ``# heading``, the usual title of a Markdown article."""
    for line in text.split("\n"):
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("# "):
            return stripped[2:].strip().rstrip("#").strip() or None
        return None
    return None
