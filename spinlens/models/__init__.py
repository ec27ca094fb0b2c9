"""Trained models shipped with spinlens, and their loaders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

# One folder per task under a models root (the shipped one is this package's folder).
MODEL_TASKS = ("semeval2023", "semeval2025", "techniques_encoder")
SHIPPED_ROOT = Path(__file__).resolve().parent


def card_digest(card: dict[str, Any]) -> str:
    """A short digest of a model card: it changes whenever the model is retrained."""
    return hashlib.sha256(json.dumps(card, sort_keys=True, default=str).encode()).hexdigest()[:12]


def file_stamp(path: Path) -> tuple[float, int]:
    """Modification time and size of a weights file, part of a model cache key so retrained files reload."""
    try:
        stat = path.stat()
    except OSError:
        return (0.0, 0)
    return (stat.st_mtime, stat.st_size)
