"""Recognising HTML and extracting an article's main text from it with trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinlens.core.errors import InputError

# Content types served as web pages.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# The tags the WHATWG MIME sniffing standard accepts as the start of an HTML document.
_HTML_STARTS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font",
    b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--",
)  # fmt: skip
_TAG_TERMINATORS = (b" ", b">", b"\t", b"\n", b"\r", b"\x0c")

# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Browsers only look this far for a <meta> charset declaration.
_PRESCAN_BYTES = 1024 * 4


def looks_like_html(data: bytes) -> bool:
    """Whether ``data`` starts like an HTML document (after a BOM and whitespace), as browsers sniff it."""
    head = data[:1024]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip(b" \t\r\n\x0c").lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head
    for start in _HTML_STARTS:
        if head.startswith(start):
            rest = head[len(start) : len(start) + 1]
            if start in (b"<!doctype html", b"<!--") or rest in _TAG_TERMINATORS:
                return True
    return False


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if match is None:
        return None
    label = match.group(1).decode("ascii", errors="replace").lower()
    # A document whose <meta> could be read as ASCII is not UTF-16, whatever it says (WHATWG rule).
    if label.startswith("utf-16"):
        return "utf-8"
    return label


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    text: str
    title: str | None
    url: str | None
    published: str | None
    sitename: str | None


def extract_main_text(html: str, name: str, url: str | None = None) -> ExtractedPage:
    """The main article text of an HTML page, one paragraph per line, without navigation or boilerplate."""
    import trafilatura

    lowered = html.lower()
    if "<html" not in lowered and "<body" not in lowered:
        # A bare fragment such as "<p>...</p>" would become the document root, which
        # trafilatura skips; a body around it makes it ordinary page content.
        html = f"<html><body>{html}</body></html>"
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip() or _only_navigation(text, html):
        raise InputError(f"no article text could be extracted from the HTML of {name}")
    canonical = getattr(document, "url", None)
    if canonical and not canonical.lower().startswith(("http://", "https://")):
        canonical = None
    return ExtractedPage(
        text=text,
        title=_clean(getattr(document, "title", None)),
        url=canonical,
        published=_clean(getattr(document, "date", None)),
        sitename=_clean(getattr(document, "sitename", None)),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


# Elements whose text is navigation or page furniture, never the article.
_FURNITURE_TAGS = ("a", "nav", "header", "footer", "aside", "button", "menu", "select", "form")


def _only_navigation(text: str, html: str) -> bool:
    """Whether every extracted line is link or menu text: trafilatura's fallback grabs
    that from pages without an article, and it is not worth analysing."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return False
    furniture = [" ".join(el.text_content().split()) for el in tree.iter(*_FURNITURE_TAGS)]
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    return all(any(line in piece for piece in furniture) for line in lines)
