"""Reading articles from files, standard input, URLs or strings into :class:`~spinlens.core.model.Article`."""

from spinlens.ingest.fetch import FetchedPage, fetch_url
from spinlens.ingest.read import article_from_bytes, read_file, read_input, read_stdin, read_url
from spinlens.ingest.text import detect_language, read_text

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
