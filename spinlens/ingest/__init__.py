"""Reading articles from files, standard input, URLs or strings into :class:`~spinlens.core.model.Article`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spinlens.ingest.read import article_from_bytes, read_file, read_input, read_stdin, read_url
from spinlens.ingest.text import detect_language, read_text

if TYPE_CHECKING:
    from spinlens.ingest.fetch import FetchedPage, fetch_url

__all__ = [
    "FetchedPage",
    "article_from_bytes",
    "detect_language",
    "fetch_url",
    "read_file",
    "read_input",
    "read_stdin",
    "read_text",
    "read_url",
]


def __getattr__(name: str) -> Any:
    # The fetcher imports httpx (a tenth of a second): only reading a URL pays for it.
    if name in ("FetchedPage", "fetch_url"):
        from spinlens.ingest import fetch

        return getattr(fetch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
