"""Trained models shipped with spinlens, and their loaders."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def card_digest(card: dict[str, Any]) -> str:
    """A short digest of a model card: it changes whenever the model is retrained."""
    return hashlib.sha256(json.dumps(card, sort_keys=True, default=str).encode()).hexdigest()[:12]
