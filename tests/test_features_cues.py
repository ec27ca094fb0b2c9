from __future__ import annotations

import random

import numpy as np

from spinlens.features.cues import _CUE_PATTERNS, CUE_NAMES, cue_vector, find_cues

TEXT = "Experts say this disgraceful plan will never work. Everyone knows it, and everyone always has."


def test_cues_are_found_with_their_offsets_shifted() -> None:
    found = find_cues(TEXT)
    assert [(c.cue, TEXT[c.start : c.end]) for c in found][:3] == [
        ("authority", "Experts"),
        ("intensifier", "disgraceful"),
        ("absolute", "never"),
    ]
    shifted = find_cues(TEXT, 100)
    assert [(c.cue, c.start - 100, c.end - 100, c.text) for c in shifted] == [
        (c.cue, c.start, c.end, c.text) for c in found
    ]
    # Each call's list is the caller's own: changing one leaves the next call's alone.
    found.clear()
    assert len(find_cues(TEXT)) == len(shifted)


def test_cue_counts_are_each_patterns_matches() -> None:
    counts = np.expm1(cue_vector(TEXT)[: len(CUE_NAMES)])
    expected = [len(_CUE_PATTERNS[name].findall(TEXT)) for name in CUE_NAMES]
    np.testing.assert_allclose(counts, expected, atol=1e-9)
    assert round(counts[CUE_NAMES.index("absolute")]) == 4  # never, Everyone, everyone, always


def _every_match(text: str) -> list[tuple[str, int, int]]:
    found = [(name, m.start(), m.end()) for name, p in _CUE_PATTERNS.items() for m in p.finditer(text)]
    return sorted(found, key=lambda c: (c[1], c[2], c[0]))


def test_skipping_cues_whose_first_word_is_absent_finds_every_match() -> None:
    # find_cues scans a paragraph only for the cues whose first word it contains; the matches
    # must be those of scanning for every cue, whatever the case, script or punctuation.
    from spinlens.features.cues import CUES

    phrases = [p for _, ps in CUES.values() for p in ps]
    odd = ["İ", "ı", "K", "ſ", "\u0345", "#", "’", "ß", "-", "!", "Ǆ", "ﬁ", "日本", "\n", ", "]
    rng = random.Random(3)
    for _ in range(400):
        pieces = []
        for _ in range(rng.randint(1, 12)):
            piece = rng.choice(phrases + odd)
            piece = rng.choice(
                [piece, piece.upper(), piece.title(), "x" + piece]
                + [piece.replace(a, b) for a, b in (("s", "ſ"), ("k", "K"), ("i", "İ"), ("i", "ı"))]
            )
            pieces.append(piece)
        text = "".join(p + rng.choice([" ", "", ". ", "İ", "\u0345"]) for p in pieces)
        assert [(c.cue, c.start, c.end) for c in find_cues(text)] == _every_match(text), text


def test_very_long_texts_are_scanned_but_not_remembered() -> None:
    from spinlens.features import cues

    long_text = (TEXT + " ") * 300
    before = cues._remembered_cues.cache_info().currsize
    found = find_cues(long_text)
    assert len(long_text) > cues._REMEMBERED_LENGTH
    assert cues._remembered_cues.cache_info().currsize == before
    assert [(c.cue, c.start, c.end) for c in found] == _every_match(long_text)
