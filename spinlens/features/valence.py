"""Word valence from VADER's human-rated lexicon (ships with the vaderSentiment package).

Emotionally charged words are what loaded language is made of; a rated lexicon
lets the models recognise charged words they never saw in training.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spinlens.core.errors import ModelError


@lru_cache(maxsize=1)
def valence_lexicon() -> dict[str, float]:
    """``{lower-cased word: mean valence in [-4, 4]}``."""
    try:
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:  # pragma: no cover - install problem
        raise ModelError(
            "the vaderSentiment package (its lexicon) is missing: pip install vaderSentiment"
        ) from exc
    lexicon: dict[str, float] = {}
    for row in text.splitlines():
        fields = row.split("\t")
        if len(fields) >= 2 and fields[0].replace("-", "").replace("'", "").isalpha():
            try:
                lexicon[fields[0].lower()] = float(fields[1])
            except ValueError:
                continue
    return lexicon


def valence_bucket(word: str) -> str | None:
    """``neg2``/``neg1``/``pos1``/``pos2`` for rated words, ``None`` for neutral or unknown ones."""
    value = valence_lexicon().get(word)
    if value is None or abs(value) < 0.5:
        return None
    strength = "2" if abs(value) >= 2.0 else "1"
    return ("neg" if value < 0 else "pos") + strength
