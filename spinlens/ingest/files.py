"""Reading raw bytes from a file or a stream without ever reading more than the input limit."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import BinaryIO

from spinlens.core.errors import InputError
from spinlens.ingest.text import too_large_error

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def read_limited(stream: BinaryIO, limit: int, name: str) -> bytes:
    """Read until EOF, refusing input over ``limit`` bytes after reading at most ``limit + 1``."""
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise too_large_error(name, limit)
    return data


def read_file_bytes(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, with one-line errors for the usual ways this fails."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(f"{name} is a directory, not a file")
        with path.open("rb") as stream:
            return read_limited(stream, limit, name)
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {name}") from exc
    except PermissionError as exc:
        raise InputError(f"cannot read {name}: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{name} is a directory, not a file") from exc
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise InputError(f"no such file: {name} (a part of the path is not a directory)") from exc
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(f"cannot read {name}: {reason}") from exc
